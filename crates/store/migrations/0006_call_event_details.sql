-- What a care worker records with a call event: the tasks done (a check-out's, as `;`-separated
-- care task codes in code order, empty when none) and a short note (trimmed, 1 to 1,000
-- characters, or NULL). Events stored before this have neither.
ALTER TABLE call_events ADD COLUMN tasks TEXT NOT NULL DEFAULT ''
    CHECK (tasks = '' OR kind = 'check_out');
ALTER TABLE call_events ADD COLUMN note TEXT
    CHECK (note IS NULL OR length(note) BETWEEN 1 AND 1000);

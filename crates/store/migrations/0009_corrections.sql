-- Manual corrections of call monitoring: a coordinator's account of when a visit really began
-- and ended (both NULL: it was not made), with the reason. Every correction is kept; the
-- latest of a visit stands in for its check-in and check-out. A visit on an issued invoice is
-- not corrected (the store refuses, inside the writer lock, so an invoice and a correction
-- cannot race). Portable as 0001–0008 are.
CREATE TABLE visit_corrections (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visits (id),
    check_in_at TEXT,
    check_out_at TEXT,
    reason TEXT NOT NULL,
    note TEXT,
    corrected_by TEXT NOT NULL,
    corrected_at TEXT NOT NULL,
    CHECK (check_out_at IS NULL OR check_in_at IS NOT NULL)
);

CREATE INDEX visit_corrections_by_visit ON visit_corrections (visit_id, corrected_at);

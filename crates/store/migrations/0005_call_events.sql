-- Call events: care workers checking in to and out of visits. The sender's idempotency key is the
-- primary key, so a retried or duplicated event is stored once. `at` is when it happened by the
-- phone's clock, `received_at` when the store took it (an offline phone sends later). Location
-- columns are both set or both NULL.
CREATE TABLE call_events (
    event_key TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visits (id),
    worker_id TEXT NOT NULL REFERENCES workers (id),
    kind TEXT NOT NULL CHECK (kind IN ('check_in', 'check_out')),
    at TEXT NOT NULL,
    latitude_e6 BIGINT,
    longitude_e6 BIGINT,
    received_at TEXT NOT NULL,
    CHECK ((latitude_e6 IS NULL) = (longitude_e6 IS NULL))
);

CREATE INDEX call_events_by_visit ON call_events (visit_id, at);

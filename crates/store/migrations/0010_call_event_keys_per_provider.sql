-- Each provider's idempotency keys are its own: a call event is keyed by the provider of its
-- visit and the sender's key, so that a key one provider uses neither refuses another
-- provider's event nor tells another provider it was used. The table is rebuilt (SQLite cannot
-- change a primary key in place), keeping every row and its provider taken from its visit.
-- Portable as 0001–0009 are: the same statements on SQLite and PostgreSQL.
--
-- The rows are copied aside first so that the rebuilt table and its key's index keep their
-- names on PostgreSQL (a renamed table keeps its old index's name).
CREATE TABLE call_events_before_keys_per_provider AS
    SELECT e.event_key, v.provider_id, e.visit_id, e.worker_id, e.kind, e.at, e.latitude_e6,
           e.longitude_e6, e.received_at, e.tasks, e.note
    FROM call_events e JOIN visits v ON v.id = e.visit_id;

DROP TABLE call_events;

CREATE TABLE call_events (
    provider_id TEXT NOT NULL REFERENCES providers (id),
    event_key TEXT NOT NULL,
    visit_id TEXT NOT NULL REFERENCES visits (id),
    worker_id TEXT NOT NULL REFERENCES workers (id),
    kind TEXT NOT NULL CHECK (kind IN ('check_in', 'check_out')),
    at TEXT NOT NULL,
    latitude_e6 BIGINT,
    longitude_e6 BIGINT,
    received_at TEXT NOT NULL,
    tasks TEXT NOT NULL DEFAULT '' CHECK (tasks = '' OR kind = 'check_out'),
    note TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 1000),
    CHECK ((latitude_e6 IS NULL) = (longitude_e6 IS NULL)),
    PRIMARY KEY (provider_id, event_key)
);

INSERT INTO call_events (provider_id, event_key, visit_id, worker_id, kind, at, latitude_e6,
                         longitude_e6, received_at, tasks, note)
    SELECT provider_id, event_key, visit_id, worker_id, kind, at, latitude_e6, longitude_e6,
           received_at, tasks, note
    FROM call_events_before_keys_per_provider;

DROP TABLE call_events_before_keys_per_provider;

CREATE INDEX call_events_by_visit ON call_events (visit_id, at);

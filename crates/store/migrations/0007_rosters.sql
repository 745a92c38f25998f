-- Rosters: a branch's runs for one local date, planned by the scheduling engine or moved by
-- hand; a draft until published to the care workers. Portable as 0001–0006 are: TEXT and
-- BIGINT only; instants are UTC text with exactly six fractional digits.
--
-- One roster per branch and date. A visit part is in one roster's runs at most (the stops'
-- primary key), so two coordinators cannot give the same visit to two carers.
CREATE TABLE rosters (
    id TEXT PRIMARY KEY,
    branch_id TEXT NOT NULL REFERENCES branches (id),
    roster_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    changed_at TEXT NOT NULL,
    published_at TEXT,
    UNIQUE (branch_id, roster_date)
);

CREATE TABLE roster_stops (
    roster_id TEXT NOT NULL REFERENCES rosters (id),
    visit_id TEXT NOT NULL REFERENCES visits (id),
    part BIGINT NOT NULL CHECK (part IN (0, 1)),
    worker_id TEXT NOT NULL REFERENCES workers (id),
    starts_at TEXT NOT NULL,
    travel_minutes BIGINT NOT NULL CHECK (travel_minutes >= 0),
    PRIMARY KEY (visit_id, part)
);

-- A care worker's runs over a span of days (their phone, their calendar).
CREATE INDEX roster_stops_by_worker ON roster_stops (worker_id, starts_at);
CREATE INDEX roster_stops_by_roster ON roster_stops (roster_id);

CREATE TABLE roster_unmade (
    roster_id TEXT NOT NULL REFERENCES rosters (id),
    visit_id TEXT NOT NULL REFERENCES visits (id),
    reason TEXT NOT NULL,
    PRIMARY KEY (roster_id, visit_id)
);

-- Dated visits: each package's weekly pattern laid out on the calendar (Europe/London local date
-- and time, and the UTC instant they make), and where each visit stands. Portable as 0001–0003
-- are: TEXT and BIGINT only; instants are UTC text with exactly six fractional digits.
--
-- Visits refer to the register (packages, people, providers), so replacing the market deletes
-- them first, in the same transaction.
CREATE TABLE visits (
    id TEXT PRIMARY KEY,
    package_id TEXT NOT NULL REFERENCES packages (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    provider_id TEXT NOT NULL REFERENCES providers (id),
    visit_date TEXT NOT NULL,
    local_start TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL CHECK (duration_minutes > 0),
    carers BIGINT NOT NULL CHECK (carers IN (1, 2)),
    status TEXT NOT NULL CHECK (status IN ('planned', 'cancelled'))
);

-- A package has at most one planned visit at a local date and time, so two planners running at
-- once cannot both add it.
CREATE UNIQUE INDEX visits_planned_once ON visits (package_id, visit_date, local_start)
    WHERE status = 'planned';
-- A provider's, or a person's, visits over a span of days.
CREATE INDEX visits_by_provider ON visits (provider_id, visit_date);
CREATE INDEX visits_by_person ON visits (person_id, visit_date);

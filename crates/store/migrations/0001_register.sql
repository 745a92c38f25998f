-- The market register. Runs unchanged on SQLite and PostgreSQL, so it uses only TEXT and BIGINT:
-- ids are the records' opaque text ids, dates are ISO text (YYYY-MM-DD, which sorts as dates),
-- coordinates are integer micro-degrees, money is pence, durations are minutes and flags are 0/1.
-- Lists of codes are `;`-separated text, as files carry them.

-- The council: one row at most, its key fixed to 1.
CREATE TABLE council (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    preset TEXT NOT NULL,
    reference_date TEXT NOT NULL,
    level1_min_weekly_hours BIGINT NOT NULL,
    rural_level1_min_weekly_hours BIGINT NOT NULL,
    level2_min_weekly_hours BIGINT NOT NULL,
    level2_min_customers BIGINT NOT NULL,
    lead_tiers TEXT NOT NULL,
    secondary_tiers TEXT NOT NULL,
    lot_cap_per_provider BIGINT NOT NULL
);

CREATE TABLE areas (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    centroid_latitude_e6 BIGINT NOT NULL,
    centroid_longitude_e6 BIGINT NOT NULL,
    boundary TEXT,
    tier BIGINT NOT NULL,
    rural BIGINT NOT NULL CHECK (rural IN (0, 1)),
    district TEXT NOT NULL,
    hard_to_serve BIGINT NOT NULL CHECK (hard_to_serve IN (0, 1))
);

CREATE TABLE providers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    cqc_location_id TEXT,
    cqc_rating TEXT NOT NULL,
    services TEXT NOT NULL,
    charter_stage TEXT NOT NULL,
    in_house BIGINT NOT NULL CHECK (in_house IN (0, 1)),
    admissions TEXT NOT NULL
);

CREATE TABLE branches (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    name TEXT NOT NULL,
    area_id TEXT NOT NULL REFERENCES areas (id),
    latitude_e6 BIGINT NOT NULL,
    longitude_e6 BIGINT NOT NULL
);

CREATE TABLE awards (
    id TEXT PRIMARY KEY,
    area_id TEXT NOT NULL REFERENCES areas (id),
    provider_id TEXT NOT NULL REFERENCES providers (id),
    position TEXT NOT NULL,
    starts_on TEXT NOT NULL
);

CREATE TABLE contracts (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    area_id TEXT REFERENCES areas (id),
    kind TEXT NOT NULL,
    hourly_rate_pence BIGINT NOT NULL,
    unsocial_hours_enhancement_bp BIGINT NOT NULL,
    rural_enhancement_bp BIGINT NOT NULL,
    complexity_enhancement_bp BIGINT NOT NULL,
    guaranteed_weekly_minutes BIGINT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT
);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    council_reference TEXT NOT NULL,
    nhs_number TEXT,
    name TEXT NOT NULL,
    area_id TEXT NOT NULL REFERENCES areas (id),
    latitude_e6 BIGINT NOT NULL,
    longitude_e6 BIGINT NOT NULL,
    funding_route TEXT NOT NULL,
    support_reason TEXT NOT NULL,
    complex_needs BIGINT NOT NULL CHECK (complex_needs IN (0, 1))
);

-- `weekly_minutes` repeats what the pattern adds up to, so demand is one GROUP BY in SQL.
CREATE TABLE packages (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    provider_id TEXT REFERENCES providers (id),
    visit_pattern TEXT NOT NULL,
    weekly_minutes BIGINT NOT NULL,
    skills TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT
);

CREATE TABLE workers (
    id TEXT PRIMARY KEY,
    branch_id TEXT NOT NULL REFERENCES branches (id),
    name TEXT NOT NULL,
    home_latitude_e6 BIGINT NOT NULL,
    home_longitude_e6 BIGINT NOT NULL,
    travel_mode TEXT NOT NULL,
    skills TEXT NOT NULL,
    employment TEXT NOT NULL,
    guaranteed_weekly_minutes BIGINT NOT NULL,
    contracted_weekly_minutes BIGINT NOT NULL
);

-- Who changed the register, when and how. Kept when the register is replaced.
-- `sequence` orders the events; each write computes it as MAX + 1 inside its transaction.
CREATE TABLE audit_events (
    sequence BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_count BIGINT NOT NULL,
    summary TEXT NOT NULL
);

-- The joins behind demand and the lists of a person's packages or an area's people.
CREATE INDEX people_by_area ON people (area_id);
CREATE INDEX packages_by_person ON packages (person_id);
CREATE INDEX workers_by_branch ON workers (branch_id);

-- Brokerage: referrals and where they stand, the offers of their cascade and the answers,
-- placements, reablement episodes, branches' weekly capacity returns and early-start incentives.
-- Portable as 0001 and 0002 are: TEXT and BIGINT only; dates are ISO text, instants UTC text with
-- exactly six fractional digits, so text order is time order on both backends.
--
-- These rows refer to the register (people, areas, providers, branches), so replacing the market
-- deletes them first, in the same transaction.

-- A referral, with its needs, its status and, once placed, its placement. The placement columns
-- are all set or all NULL. `placed_offer_id` and `package_id` are deliberately not foreign keys:
-- offers refer to referrals (a cycle PostgreSQL cannot create in one statement and SQLite cannot
-- add later), and a placement names its package in the same transaction, before the package row
-- is written.
CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    area_id TEXT NOT NULL REFERENCES areas (id),
    route TEXT NOT NULL,
    visit_pattern TEXT NOT NULL,
    weekly_minutes BIGINT NOT NULL,
    skills TEXT NOT NULL,
    complex BIGINT NOT NULL CHECK (complex IN (0, 1)),
    funding_route TEXT NOT NULL,
    reablement_potential BIGINT NOT NULL CHECK (reablement_potential IN (0, 1)),
    referred_on TEXT NOT NULL,
    needed_by TEXT NOT NULL,
    discharge_on TEXT,
    status TEXT NOT NULL
        CHECK (status IN ('reablement', 'offering', 'placed', 'unplaced', 'closed')),
    created_at TEXT NOT NULL,
    placed_offer_id TEXT,
    placed_provider_id TEXT REFERENCES providers (id),
    placed_step TEXT,
    package_id TEXT,
    started_on TEXT,
    placed_at TEXT
);

-- An offer of a referral's package to one provider at one step of the cascade. The response
-- columns are NULL until the provider answers: `response` is 'accept' (with `start_on` and,
-- at broadcast steps, `hourly_rate_pence`) or 'decline' (with `decline_reason`).
CREATE TABLE offers (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    provider_id TEXT NOT NULL REFERENCES providers (id),
    step_index BIGINT NOT NULL,
    step TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    deadline TEXT NOT NULL,
    response TEXT CHECK (response IN ('accept', 'decline')),
    responded_at TEXT,
    start_on TEXT,
    hourly_rate_pence BIGINT,
    decline_reason TEXT
);

-- A referral's reablement episode, at most one; `ended_on` and `outcome` are set together when
-- it ends.
CREATE TABLE reablement_episodes (
    referral_id TEXT PRIMARY KEY REFERENCES referrals (id),
    started_on TEXT NOT NULL,
    ended_on TEXT,
    outcome TEXT,
    onward_referral_id TEXT REFERENCES referrals (id)
);

-- A branch's hours of new care it can take on in an area, for the week starting on `week_of`
-- (a Monday); a second return for the same week replaces the first.
CREATE TABLE capacity_returns (
    branch_id TEXT NOT NULL REFERENCES branches (id),
    area_id TEXT NOT NULL REFERENCES areas (id),
    week_of TEXT NOT NULL,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    hours BIGINT NOT NULL,
    returned_at TEXT NOT NULL,
    PRIMARY KEY (branch_id, area_id, week_of)
);

-- An early-start incentive earned by a placement, at most one per referral.
CREATE TABLE incentives (
    referral_id TEXT PRIMARY KEY REFERENCES referrals (id),
    provider_id TEXT NOT NULL REFERENCES providers (id),
    amount_pence BIGINT NOT NULL,
    pickup_days BIGINT NOT NULL
);

-- The lists: referrals by status, newest first; a referral's offers in the order sent; a
-- provider's offers, newest first.
CREATE INDEX referrals_by_status ON referrals (status, created_at);
CREATE INDEX referrals_by_created_at ON referrals (created_at);
CREATE INDEX offers_by_referral ON offers (referral_id, sent_at);
CREATE INDEX offers_by_provider ON offers (provider_id, sent_at);

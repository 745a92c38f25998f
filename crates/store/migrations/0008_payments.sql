-- Payments: the terms each contract charges under, the day an early-start incentive's care
-- started (which dates it for invoicing), and issued invoices with their lines. Portable as
-- 0001–0005 are: TEXT and BIGINT only; dates are ISO text, instants UTC text with exactly six
-- fractional digits.
--
-- Contracts stored before this migration take the terms Homeward charged by until contracts
-- carried their own (docs/dev/decisions.md): actual time, 5-minute increments, 15 minutes'
-- minimum a carer.
ALTER TABLE contracts ADD COLUMN charge_basis TEXT NOT NULL DEFAULT 'actual'
    CHECK (charge_basis IN ('planned', 'actual'));
ALTER TABLE contracts ADD COLUMN charge_increment_minutes BIGINT NOT NULL DEFAULT 5;
ALTER TABLE contracts ADD COLUMN minimum_charge_minutes BIGINT NOT NULL DEFAULT 15;

-- An incentive falls in the invoice period in which the care it rewards started: the first day
-- of the placement it was earned by, filled in here for incentives stored before.
ALTER TABLE incentives ADD COLUMN starts_on TEXT NOT NULL DEFAULT '';
UPDATE incentives SET starts_on = COALESCE(
    (SELECT referrals.started_on FROM referrals WHERE referrals.id = incentives.referral_id),
    '');

-- An issued invoice: one provider's for one four-weekly period, at most one (the unique index),
-- with its line count and total as issued. Lines never change once issued.
CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    period_starts_on TEXT NOT NULL,
    period_ends_on TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    line_count BIGINT NOT NULL,
    total_pence BIGINT NOT NULL
);

CREATE UNIQUE INDEX invoices_once_a_period ON invoices (provider_id, period_starts_on);
CREATE INDEX invoices_by_period ON invoices (period_starts_on);

-- The lines of an issued invoice, numbered from 1. A visit is on one issued invoice at most
-- (the partial unique index), which is also how corrections find the visits locked by invoicing.
CREATE TABLE invoice_lines (
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    line_number BIGINT NOT NULL,
    kind TEXT NOT NULL,
    contract_id TEXT REFERENCES contracts (id),
    contract_kind TEXT,
    visit_id TEXT REFERENCES visits (id),
    person_id TEXT REFERENCES people (id),
    referral_id TEXT REFERENCES referrals (id),
    line_date TEXT NOT NULL,
    planned_minutes BIGINT NOT NULL,
    verified_minutes BIGINT NOT NULL,
    counted_minutes BIGINT NOT NULL,
    charged_minutes BIGINT NOT NULL,
    rate_pence BIGINT NOT NULL,
    amount_pence BIGINT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (invoice_id, line_number)
);

CREATE UNIQUE INDEX invoice_lines_visit_once ON invoice_lines (visit_id)
    WHERE visit_id IS NOT NULL;

-- Quotes bind: a package placed at a broadcast step (dynamic market, community options, spot)
-- carries the hourly rate its provider quoted to win it, and its visits are charged at it in
-- place of the contract's base rate. NULL for packages placed at a one-provider step or made
-- otherwise, which pay the contract's rate.
--
-- Packages placed before this migration get the quote their winning offer stored, when it is
-- one the answer rules allow (1p to £200 an hour): the provider agreed that price then too.
-- Invoices already issued keep their lines. Portable as 0001–0011 are: BIGINT only, and a
-- correlated subquery both databases run alike.
ALTER TABLE packages ADD COLUMN agreed_hourly_rate_pence BIGINT
    CHECK (agreed_hourly_rate_pence IS NULL OR agreed_hourly_rate_pence BETWEEN 1 AND 20000);
UPDATE packages SET agreed_hourly_rate_pence = (
    SELECT offers.hourly_rate_pence
    FROM referrals JOIN offers ON offers.id = referrals.placed_offer_id
    WHERE referrals.package_id = packages.id
      AND referrals.placed_step IN ('dynamic-market', 'community', 'spot')
      AND offers.hourly_rate_pence BETWEEN 1 AND 20000
);

-- Where a referrer signed up from, for a day: the keyed hash of their
-- address (kindred_core::limits::client_key, as referral_claims.client),
-- so a friend's claim made from that address in the day after (the
-- referrer's own private window) is marked, and a purchase reported with
-- that friend's coupon is held for the brand to look at
-- (kindred_core::referral::ConversionSignals::claimed_from_referrer_address).
-- The cron job clears it after REFERRER_CLIENT_KEEP_MS; rows made before
-- this column have none (NULL).
ALTER TABLE referrers ADD COLUMN client TEXT;
ALTER TABLE referrers ADD COLUMN client_at INTEGER;
CREATE INDEX referrers_client_age ON referrers (client_at) WHERE client IS NOT NULL;
-- 1 when the claim came from the address its referrer signed up from in
-- the day before (a flag, no address); NULL for claims before this column.
ALTER TABLE referral_claims ADD COLUMN from_referrer INTEGER;

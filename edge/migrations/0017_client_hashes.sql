-- Client addresses are kept only as keyed hashes from this version on
-- (core::limits::client_hash). What earlier versions stored raw goes:
-- rate-limit windows (each client's hourly budget starts again), the
-- unused click log, idempotency keys sent without a member token, and the
-- address on referral claims (an earlier claim no longer holds back a
-- second welcome offer to the same address; member tokens still do).
DELETE FROM rate_limits;
DELETE FROM referral_clicks;
UPDATE referral_claims SET client = 'erased' WHERE client NOT LIKE 'c\_%' ESCAPE '\';
-- Idempotency keys sent without a member token were kept under the address.
DELETE FROM idempotency_keys WHERE key LIKE 'a:%' AND key NOT LIKE 'a:c\_%' ESCAPE '\';
-- Keys are kept a day from now on (the cron job deletes older ones).
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

-- The network a friend's claim came from: a keyed hash of its IPv4 /24 or
-- IPv6 /48 (kindred_core::limits::network_key), for the "many sign-ups from
-- one network" rule (referral.velocity.max_claims_per_ip_per_hour), which
-- until now had nothing to count: a client gets one claim a brand, so its
-- own address never had two. Kept a day (the cron job clears it), never
-- for claims made before this column (NULL).
ALTER TABLE referral_claims ADD COLUMN network TEXT;
CREATE INDEX referral_claims_by_network ON referral_claims (referrer_id, network, created_at) WHERE network IS NOT NULL;
CREATE INDEX referral_claims_network_age ON referral_claims (created_at) WHERE network IS NOT NULL;

-- A referral claim keeps its client's keyed hash only while an attribution
-- window can read it (core::referral::CLAIM_CLIENT_KEEP_MS); the cron job
-- erases older ones through this index.
CREATE INDEX referral_claims_client_age ON referral_claims (created_at) WHERE client != 'erased';

-- "Your data" (core::privacy): a shopper reads and erases what Kindred
-- holds for their member token or identity. Every lookup below is by the
-- shopper's keys, so each gets an index: an erasure reads the shopper's
-- rows, never a brand's whole table.
ALTER TABLE brands ADD COLUMN privacy_config TEXT NOT NULL DEFAULT '{}';   -- JSON core::privacy::PrivacyConfig

CREATE INDEX testimonials_by_member ON testimonials (brand_id, member_token) WHERE member_token IS NOT NULL;
CREATE INDEX testimonials_by_identity ON testimonials (brand_id, identity_sub) WHERE identity_sub IS NOT NULL;
CREATE INDEX helpful_votes_by_voter ON helpful_votes (voter);
CREATE INDEX threads_by_author ON threads (brand_id, author_key);
CREATE INDEX replies_by_author ON replies (brand_id, author_key);
CREATE INDEX reactions_by_member ON reactions (member_key);
CREATE INDEX reports_by_reporter ON reports (brand_id, reporter);
CREATE INDEX invites_by_creator ON invites (brand_id, created_by);
CREATE INDEX claims_by_member ON referral_claims (brand_id, member_token);
CREATE INDEX review_orders_by_customer ON review_orders (brand_id, customer) WHERE customer IS NOT NULL;

-- Objects (R2 keys) whose rows went, until R2 confirms they are deleted:
-- an erasure queues its photos here in its own transaction, deletes them
-- right after, and the cron job retries whatever a failure left.
CREATE TABLE object_deletes (
  key TEXT PRIMARY KEY,
  at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX object_deletes_by_age ON object_deletes (at);

-- The webhook delivery log is kept 30 days once a delivery ended (its
-- payloads name shoppers); the cron job drops older entries by this index.
CREATE INDEX deliveries_ended_by_age ON webhook_deliveries (created_at) WHERE status != 'pending';

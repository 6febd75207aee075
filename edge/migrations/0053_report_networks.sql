-- Where each open report came from: a keyed hash of its network (an IPv4
-- /24 or IPv6 /48, kindred_core::limits::network_key, as a referral claim
-- keeps), so the report queue counts the places a post's reports came from
-- and puts first the posts reported from most of them (helper-92: one
-- client with fresh member tokens filed a report a token, and its post
-- looked reported by that many members). Reports written before have none:
-- each counts as a place of its own. Cleared when the report is resolved,
-- or after 30 days (the cron job, through reports_network_age).
ALTER TABLE reports ADD COLUMN network TEXT;
CREATE INDEX reports_network_age ON reports (created_at) WHERE network IS NOT NULL;

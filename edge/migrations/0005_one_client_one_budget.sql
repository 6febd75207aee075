-- One client can never hurt another (issue "One client can never hurt another").

-- Identity tokens fail closed: every brand gets a usable identity secret
-- (32 random bytes, hex), so no brand verifies tokens signed with an empty key.
UPDATE brands SET identity_secret = lower(hex(randomblob(32)))
 WHERE identity_secret IS NULL OR length(identity_secret) < 32;

-- Referral clicks are counted in batches from a queue, as counters on the
-- referrer, instead of one D1 row per hit. Existing rows are folded in.
ALTER TABLE referrers ADD COLUMN clicks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrers ADD COLUMN last_click_at INTEGER;
UPDATE referrers SET
  clicks = (SELECT COUNT(*) FROM referral_clicks k WHERE k.code = referrers.code),
  last_click_at = (SELECT MAX(created_at) FROM referral_clicks k WHERE k.code = referrers.code);

-- The cron job deletes ended rate-limit windows by their start.
CREATE INDEX IF NOT EXISTS rate_limits_by_window ON rate_limits (window_start);

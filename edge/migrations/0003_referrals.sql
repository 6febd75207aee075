-- The referral program: referrers and their codes, clicks, friends' claims,
-- coupon pools, conversions (purchases), rewards and webhook deliveries.

ALTER TABLE brands ADD COLUMN referral_config TEXT NOT NULL DEFAULT '{}';  -- JSON ReferralConfig
ALTER TABLE brands ADD COLUMN webhook_secret TEXT;
ALTER TABLE testimonials ADD COLUMN author_email_canonical TEXT;
UPDATE testimonials SET author_email_canonical = lower(author_email);
CREATE INDEX testimonials_by_author ON testimonials (brand_id, author_email_canonical);

CREATE TABLE referrers (
  id              TEXT PRIMARY KEY,
  brand_id        TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  code            TEXT NOT NULL UNIQUE,
  name            TEXT NOT NULL,
  email           TEXT NOT NULL,
  canonical_email TEXT NOT NULL,
  member_token    TEXT,
  identity_sub    TEXT,
  created_at      INTEGER NOT NULL,
  UNIQUE (brand_id, canonical_email)
);
CREATE INDEX referrers_by_member ON referrers (brand_id, member_token);

CREATE TABLE referral_clicks (
  code       TEXT NOT NULL,
  brand_id   TEXT NOT NULL,
  client     TEXT NOT NULL,          -- client address, for velocity
  created_at INTEGER NOT NULL
);
CREATE INDEX clicks_by_code ON referral_clicks (code, created_at);

-- A friend who opened the offer (the widget's claim), with the coupon they got.
CREATE TABLE referral_claims (
  id           TEXT PRIMARY KEY,
  brand_id     TEXT NOT NULL,
  referrer_id  TEXT NOT NULL REFERENCES referrers(id) ON DELETE CASCADE,
  member_token TEXT NOT NULL,
  client       TEXT NOT NULL,
  coupon_code  TEXT,
  created_at   INTEGER NOT NULL,
  UNIQUE (referrer_id, member_token)
);
CREATE INDEX claims_by_client ON referral_claims (referrer_id, client, created_at);

CREATE TABLE coupons (
  brand_id    TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('referee', 'reward')),
  code        TEXT NOT NULL,
  assigned_to TEXT,                   -- claim or reward id; NULL while available
  assigned_at INTEGER,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (brand_id, code)
);
CREATE INDEX coupons_available ON coupons (brand_id, kind, assigned_to, created_at);

CREATE TABLE conversions (
  id                 TEXT PRIMARY KEY,
  brand_id           TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  order_id           TEXT NOT NULL,
  referrer_id        TEXT REFERENCES referrers(id) ON DELETE SET NULL,
  referee_canonical  TEXT,
  amount_minor       INTEGER NOT NULL,
  currency           TEXT NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('approved', 'held', 'rejected')),
  reason             TEXT,
  hold_until         INTEGER,
  created_at         INTEGER NOT NULL,
  decided_at         INTEGER,
  UNIQUE (brand_id, order_id)
);
CREATE INDEX conversions_by_referrer ON conversions (referrer_id, status, created_at);
CREATE INDEX conversions_by_referee ON conversions (brand_id, referee_canonical);
CREATE INDEX conversions_held ON conversions (status, hold_until);

CREATE TABLE rewards (
  id            TEXT PRIMARY KEY,
  brand_id      TEXT NOT NULL,
  referrer_id   TEXT NOT NULL REFERENCES referrers(id) ON DELETE CASCADE,
  conversion_id TEXT NOT NULL UNIQUE REFERENCES conversions(id) ON DELETE CASCADE,
  coupon_code   TEXT,
  state         TEXT NOT NULL,        -- issued | pending_coupon | webhook
  created_at    INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
  id              TEXT PRIMARY KEY,
  brand_id        TEXT NOT NULL,
  event           TEXT NOT NULL,
  url             TEXT NOT NULL,
  payload         TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  next_attempt_at INTEGER NOT NULL,
  last_status     INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL
);
CREATE INDEX deliveries_due ON webhook_deliveries (status, next_attempt_at);

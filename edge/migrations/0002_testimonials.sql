-- Testimonials end to end: photos, helpful votes, idempotent submissions,
-- rate limits, brand settings for limits, and featured-first feeds.

ALTER TABLE brands ADD COLUMN rate_limit_per_client INTEGER NOT NULL DEFAULT 20;
ALTER TABLE brands ADD COLUMN rate_limit_per_brand INTEGER NOT NULL DEFAULT 2000;

ALTER TABLE testimonials ADD COLUMN member_token TEXT;        -- the submitting shopper's anonymous token
ALTER TABLE testimonials ADD COLUMN identity_sub TEXT;        -- the brand's customer id when verified
ALTER TABLE testimonials ADD COLUMN photos TEXT NOT NULL DEFAULT '[]'; -- JSON array of PhotoView

-- Photo metadata; the bytes live in KV under photo:<id>.
CREATE TABLE photos (
  id             TEXT PRIMARY KEY,                 -- 32 hex, random
  brand_id       TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  testimonial_id TEXT REFERENCES testimonials(id) ON DELETE SET NULL,
  content_type   TEXT NOT NULL,
  bytes          INTEGER NOT NULL,
  width          INTEGER NOT NULL,
  height         INTEGER NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE INDEX photos_by_testimonial ON photos (testimonial_id);

-- One helpful vote per shopper per testimonial.
CREATE TABLE helpful_votes (
  testimonial_id TEXT NOT NULL REFERENCES testimonials(id) ON DELETE CASCADE,
  voter          TEXT NOT NULL,                    -- member token
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (testimonial_id, voter)
);

-- A retried submission with the same key returns the first answer.
CREATE TABLE idempotency_keys (
  brand_id   TEXT NOT NULL,
  key        TEXT NOT NULL,
  response   TEXT NOT NULL,                        -- JSON body of the first answer
  created_at INTEGER NOT NULL,
  PRIMARY KEY (brand_id, key)
);

-- Fixed-window counters for public writes.
CREATE TABLE rate_limits (
  bucket       TEXT NOT NULL,                      -- e.g. 'client:acme:203.0.113.9'
  window_start INTEGER NOT NULL,                   -- unix ms, start of the hour
  count        INTEGER NOT NULL,
  PRIMARY KEY (bucket, window_start)
);

CREATE INDEX testimonials_moderation ON testimonials (brand_id, status, created_at DESC, id DESC);

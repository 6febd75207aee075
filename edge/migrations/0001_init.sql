-- Kindred's source of truth. KV holds only copies that can be rebuilt from here.

CREATE TABLE brands (
  id               TEXT PRIMARY KEY,               -- public slug, e.g. 'acme'
  name             TEXT NOT NULL,
  accent           TEXT NOT NULL DEFAULT '#0b7a75', -- '#rrggbb'
  incentive_copy   TEXT,                            -- e.g. 'Give 15%, get $10'
  allowed_origins  TEXT NOT NULL DEFAULT '[]',      -- JSON array of normalised origins
  moderation_mode  TEXT NOT NULL DEFAULT 'all_pending',
  auto_approve_min_rating INTEGER,
  secret_key_hash  TEXT,                            -- SHA-256 hex of the admin key, never the key
  identity_secret  TEXT,                            -- HMAC key for brand-signed identity tokens
  created_at       INTEGER NOT NULL                 -- unix ms
);

CREATE TABLE products (
  brand_id   TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  id         TEXT NOT NULL,
  name       TEXT NOT NULL,
  url        TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (brand_id, id)
);

CREATE TABLE testimonials (
  id             TEXT PRIMARY KEY,
  brand_id       TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  product_id     TEXT,                              -- NULL: about the brand as a whole
  author_name    TEXT NOT NULL,
  author_email   TEXT,                              -- private: never in a public response
  rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  title          TEXT NOT NULL DEFAULT '',
  body           TEXT NOT NULL,
  tags           TEXT NOT NULL DEFAULT '[]',        -- JSON array of interest tags
  verified_buyer INTEGER NOT NULL DEFAULT 0,
  ambassador     INTEGER NOT NULL DEFAULT 0,
  featured       INTEGER NOT NULL DEFAULT 0,
  helpful_count  INTEGER NOT NULL DEFAULT 0,
  status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  created_at     INTEGER NOT NULL,
  moderated_at   INTEGER
);

-- The public feed: approved testimonials of a brand (and product), newest first.
CREATE INDEX testimonials_feed ON testimonials (brand_id, status, product_id, created_at DESC, id DESC);

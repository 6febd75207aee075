-- Purchase-linked review requests (core::review_request): orders the
-- brand's server reports, one single-use link per product, opt-outs, and
-- "Verified purchase" on testimonials written through a link.

ALTER TABLE brands ADD COLUMN review_webhook_url TEXT;               -- review.requested and review.replied deliveries
ALTER TABLE brands ADD COLUMN review_page_url TEXT;                  -- where review links land, {product} filled in
ALTER TABLE testimonials ADD COLUMN verified_purchase INTEGER NOT NULL DEFAULT 0;
-- The review request it was written through: one testimonial per link,
-- whatever races (a second submission through it fails its whole batch).
ALTER TABLE testimonials ADD COLUMN review_request TEXT;
CREATE UNIQUE INDEX testimonials_by_review_request ON testimonials (review_request) WHERE review_request IS NOT NULL;

CREATE TABLE review_orders (
  id          TEXT PRIMARY KEY,                 -- 24 hex, random; signs the opt-out link
  brand_id    TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  order_id    TEXT NOT NULL,                    -- the brand's
  who         TEXT NOT NULL,                    -- 'e:' canonical email, or 's:' customer id
  email       TEXT,
  customer    TEXT,
  ordered_at  INTEGER NOT NULL,
  delivery_id TEXT,                             -- the scheduled review.requested webhook, if any
  send_at     INTEGER,                          -- when it is due, unix ms
  created_at  INTEGER NOT NULL,
  UNIQUE (brand_id, order_id)
);
CREATE INDEX review_orders_by_who ON review_orders (brand_id, who);

CREATE TABLE review_requests (
  id             TEXT PRIMARY KEY,              -- 24 hex, random; signed into the link's token
  brand_id       TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  order_row      TEXT NOT NULL REFERENCES review_orders(id) ON DELETE CASCADE,
  product_id     TEXT NOT NULL,
  expires_at     INTEGER NOT NULL,
  used_at        INTEGER,
  testimonial_id TEXT,
  UNIQUE (order_row, product_id)
);

CREATE TABLE review_opt_outs (
  brand_id   TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  who        TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (brand_id, who)
) WITHOUT ROWID;

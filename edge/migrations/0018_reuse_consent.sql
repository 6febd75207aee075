-- Consent to reuse (core::consent): when the author agreed that the brand
-- may feature the testimonial in its ads, social posts and emails (NULL:
-- never, or withdrawn), and every grant and withdrawal.
ALTER TABLE testimonials ADD COLUMN reuse_consent_at INTEGER;

CREATE TABLE reuse_consent_log (
  id             INTEGER PRIMARY KEY,
  brand_id       TEXT NOT NULL,
  testimonial_id TEXT NOT NULL REFERENCES testimonials(id) ON DELETE CASCADE,
  granted        INTEGER NOT NULL CHECK (granted IN (0, 1)),
  -- How: ticked on the form, changed by its author, withdrawn by the brand.
  via            TEXT NOT NULL CHECK (via IN ('form', 'author', 'brand')),
  -- The client's keyed hash (core::limits::client_hash); NULL for the brand.
  client         TEXT,
  at             INTEGER NOT NULL
);
CREATE INDEX reuse_consent_log_by_testimonial ON reuse_consent_log (testimonial_id, id);

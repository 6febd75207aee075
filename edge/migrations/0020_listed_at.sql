-- When a testimonial became reusable (core::syndication): published and
-- consented to, whichever came last, unix ms. Feeds order by it, so a
-- testimonial approved after a hold, or consented to later, arrives in
-- subscribers' readers as a new item instead of below their window.
ALTER TABLE testimonials ADD COLUMN listed_at INTEGER;

UPDATE testimonials SET listed_at = max(created_at, coalesce(moderated_at, created_at), reuse_consent_at)
 WHERE status = 'approved' AND reuse_consent_at IS NOT NULL;

-- Kept by the database itself, whichever code path approves or consents.
CREATE TRIGGER listed_on_insert AFTER INSERT ON testimonials
  WHEN NEW.status = 'approved' AND NEW.reuse_consent_at IS NOT NULL
BEGIN
  UPDATE testimonials SET listed_at = max(NEW.created_at, NEW.reuse_consent_at) WHERE id = NEW.id;
END;

CREATE TRIGGER listed_on_change AFTER UPDATE OF status, reuse_consent_at ON testimonials
  WHEN NEW.status = 'approved' AND NEW.reuse_consent_at IS NOT NULL
   AND (OLD.status IS NOT 'approved' OR OLD.reuse_consent_at IS NULL)
BEGIN
  UPDATE testimonials SET listed_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) WHERE id = NEW.id;
END;

DROP INDEX testimonials_reusable;
DROP INDEX testimonials_reusable_by_product;
CREATE INDEX testimonials_reusable ON testimonials (brand_id, listed_at DESC)
  WHERE status = 'approved' AND reuse_consent_at IS NOT NULL;
CREATE INDEX testimonials_reusable_by_product ON testimonials (brand_id, product_id, listed_at DESC)
  WHERE status = 'approved' AND reuse_consent_at IS NOT NULL;

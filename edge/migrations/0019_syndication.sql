-- Syndication (core::syndication): feeds, share pages and the Merchant
-- Center reviews feed carry only published testimonials whose authors agreed
-- to their reuse. Each reads the brand's (or a product's) newest of those
-- through one of these indexes, never the brand's whole history.
CREATE INDEX testimonials_reusable ON testimonials (brand_id, created_at DESC)
  WHERE status = 'approved' AND reuse_consent_at IS NOT NULL;
CREATE INDEX testimonials_reusable_by_product ON testimonials (brand_id, product_id, created_at DESC)
  WHERE status = 'approved' AND reuse_consent_at IS NOT NULL;

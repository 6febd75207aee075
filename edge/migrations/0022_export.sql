-- The brand's export (core::export): each dataset is read a page at a time
-- by keyset on its rowid, through an index on brand_id (whose entries are
-- ordered by rowid within a brand), so a page reads only its own rows.
CREATE INDEX testimonials_export ON testimonials (brand_id);
CREATE INDEX referrers_export ON referrers (brand_id);
CREATE INDEX conversions_export ON conversions (brand_id);
CREATE INDEX rewards_export ON rewards (brand_id);
CREATE INDEX coupons_export ON coupons (brand_id);
CREATE INDEX groups_export ON groups (brand_id);
CREATE INDEX threads_export ON threads (brand_id);
CREATE INDEX replies_export ON replies (brand_id);

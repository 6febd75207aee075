-- A coupon code is one coupon whatever its case (core::referral::same_coupon:
-- shops read codes without case). Uploads and purchase reports find codes
-- through this index (`code = ? COLLATE NOCASE`). Not unique: two codes a
-- brand uploaded before that differ only in case stay as they were.
CREATE INDEX coupons_by_code_nocase ON coupons (brand_id, code COLLATE NOCASE);

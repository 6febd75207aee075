-- More of the brand's export (core::export): earlier versions of
-- testimonials, consent decisions and friends' claims, paged the same way.
CREATE INDEX testimonial_edits_export ON testimonial_edits (brand_id);
CREATE INDEX reuse_consent_log_export ON reuse_consent_log (brand_id);
CREATE INDEX referral_claims_export ON referral_claims (brand_id);

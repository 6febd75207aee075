-- The referrer's own words on a friend's landing (core::sql::referrer_voice):
-- their best published testimonial, one row read per arm, in order.
-- By member token (written without a brand identity, with the email the
-- referrer joined with) and by brand identity.
CREATE INDEX testimonials_voice_by_member ON testimonials (brand_id, member_token, author_email_canonical, rating DESC, created_at DESC)
  WHERE status = 'approved' AND identity_sub IS NULL AND member_token IS NOT NULL;
CREATE INDEX testimonials_voice_by_identity ON testimonials (brand_id, identity_sub, rating DESC, created_at DESC)
  WHERE status = 'approved' AND identity_sub IS NOT NULL;

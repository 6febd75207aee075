-- What an Idempotency-Key was first sent with: a fingerprint of the
-- submission (kindred_core::testimonial::NewTestimonial::fingerprint). The
-- same key with another submission is refused (422) instead of answered
-- with the first one's result, which dropped the second review silently.
-- Rows from before have none: a retry of theirs is answered as before.
ALTER TABLE idempotency_keys ADD COLUMN request TEXT;

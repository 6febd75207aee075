-- A replaced secret may keep working beside the new one for up to 7 days
-- (`POST .../secrets/{secret}?keep_previous_hours=N`, kindred_core::brand::Previous),
-- so a brand rotates on a schedule without an outage: each integration moves
-- to the new one in its own time. NULL (the default, and after a replacement
-- that stops the old one at once): nothing but the current secret works.
ALTER TABLE brands ADD COLUMN secret_key_previous_hash TEXT;
ALTER TABLE brands ADD COLUMN secret_key_previous_until INTEGER;
ALTER TABLE brands ADD COLUMN identity_secret_previous TEXT;
ALTER TABLE brands ADD COLUMN identity_secret_previous_until INTEGER;
ALTER TABLE brands ADD COLUMN webhook_secret_previous TEXT;
ALTER TABLE brands ADD COLUMN webhook_secret_previous_until INTEGER;

-- A brand's proxy key (kindred_core::auth::proxy_key), stored as its SHA-256
-- hash like the admin key: a proxy or CDN path of the brand's own in front
-- of the edge sends it with each shopper's address (X-Kindred-Client-IP), so
-- limits count shoppers apart. NULL: the brand has none (the default).
-- `proxy_key_at`: when it was made (ms). A new key keeps the one it replaced
-- working until `proxy_key_previous_until` (ms), so a proxy can be moved to
-- the new key without refusing shoppers meanwhile.
ALTER TABLE brands ADD COLUMN proxy_key_hash TEXT;
ALTER TABLE brands ADD COLUMN proxy_key_at INTEGER;
ALTER TABLE brands ADD COLUMN proxy_key_previous_hash TEXT;
ALTER TABLE brands ADD COLUMN proxy_key_previous_until INTEGER;

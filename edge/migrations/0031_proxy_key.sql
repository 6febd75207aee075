-- A brand's proxy key (kindred_core::auth::proxy_key), stored as its SHA-256
-- hash like the admin key: a proxy or CDN path of the brand's own in front
-- of the edge sends it with each shopper's address (X-Kindred-Client-IP), so
-- limits count shoppers apart. NULL: the brand has none (the default).
ALTER TABLE brands ADD COLUMN proxy_key_hash TEXT;

-- Webhooks a platform can trust (issue "What brands and shoppers send stays
-- right"): deliveries run from a queue, one brand's at a time per message,
-- each attempt with a timeout; the log shows how long each attempt took.
ALTER TABLE webhook_deliveries ADD COLUMN last_duration_ms INTEGER;
ALTER TABLE webhook_deliveries ADD COLUMN last_attempt_at INTEGER;
CREATE INDEX IF NOT EXISTS deliveries_due_by_brand ON webhook_deliveries (brand_id, status, next_attempt_at);

-- What brands and shoppers send stays right (issue "What brands and shoppers
-- send stays right").

-- Settings are patched against the version they were read at: a PATCH that
-- lost a race with another is merged again over the newer settings, never
-- written over them (and `If-Match` on the admin API uses it as the ETag).
ALTER TABLE brands ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 1;

-- Every change a first-paint copy depends on (settings, moderation, new
-- approved content, groups, ambassadors) moves this counter in D1; copies in
-- KV carry the counter they were built at and are used only while it is
-- current. No KV deletes, no listing, no rebuild racing a change.
ALTER TABLE brands ADD COLUMN copy_version INTEGER NOT NULL DEFAULT 1;

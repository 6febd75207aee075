-- A group's moderation queues, a page at a time (kindred_core::sql::PENDING_POSTS
-- and HIDDEN_POSTS): the posts awaiting approval, oldest first, and the hidden
-- ones, newest first, so a moderator can find a hidden post and show it again.
-- The pending queue read every pending reply of every brand (through
-- replies_pending_by_author, keyed by thread) and answered them all at once.
-- Partial indexes: only the posts in a queue are in them.
CREATE INDEX IF NOT EXISTS threads_pending_by_group ON threads (group_id, created_at, id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS threads_hidden_by_group ON threads (group_id, created_at, id) WHERE status = 'hidden';
CREATE INDEX IF NOT EXISTS replies_pending_by_group ON replies (group_id, created_at, id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS replies_hidden_by_group ON replies (group_id, created_at, id) WHERE status = 'hidden';

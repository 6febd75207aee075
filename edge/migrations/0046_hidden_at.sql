-- When a moderator hid a thread or reply (Unix ms), so a group's hidden posts
-- list the ones hidden last first (kindred_core::sql::HIDDEN_POSTS), not the
-- ones written last: a post hidden a minute ago is at the top of the
-- console's list, whenever it was written. Posts hidden before this
-- migration count as hidden when written. Replaces the indexes of 0044 for
-- the hidden queue.
ALTER TABLE threads ADD COLUMN hidden_at INTEGER;
ALTER TABLE replies ADD COLUMN hidden_at INTEGER;
UPDATE threads SET hidden_at = created_at WHERE status = 'hidden';
UPDATE replies SET hidden_at = created_at WHERE status = 'hidden';
DROP INDEX IF EXISTS threads_hidden_by_group;
DROP INDEX IF EXISTS replies_hidden_by_group;
CREATE INDEX threads_hidden_by_group ON threads (group_id, hidden_at, id) WHERE status = 'hidden';
CREATE INDEX replies_hidden_by_group ON replies (group_id, hidden_at, id) WHERE status = 'hidden';
-- A deleted thread's replies that waited for a moderator or were hidden go
-- with it (store::community::moderate does so from now on): they left the
-- queues' sight, and showing one again counted it under a deleted thread.
UPDATE replies SET status = 'deleted' WHERE status IN ('pending', 'hidden')
  AND thread_id IN (SELECT id FROM threads WHERE status = 'deleted');

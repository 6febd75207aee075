-- The brand's public reply under a community thread (core::reply), kept
-- like the reply under a testimonial (0012): the reply shown on the
-- thread's row, every version in the log.
ALTER TABLE threads ADD COLUMN reply_body TEXT;
ALTER TABLE threads ADD COLUMN reply_at INTEGER;
ALTER TABLE threads ADD COLUMN reply_edited_at INTEGER;

CREATE TABLE thread_reply_log (
  id         INTEGER PRIMARY KEY,
  brand_id   TEXT NOT NULL,
  thread_id  TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
  action     TEXT NOT NULL CHECK (action IN ('created', 'edited', 'deleted')),
  body       TEXT,
  at         INTEGER NOT NULL
);
CREATE INDEX thread_reply_log_by_thread ON thread_reply_log (thread_id, id);

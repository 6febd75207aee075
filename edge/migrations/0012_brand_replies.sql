-- The brand's public reply under a testimonial (core::reply): the reply
-- shown lives on the testimonial's row (read with the feed, no join); every
-- version is kept in the log.
ALTER TABLE testimonials ADD COLUMN reply_body TEXT;
ALTER TABLE testimonials ADD COLUMN reply_at INTEGER;
ALTER TABLE testimonials ADD COLUMN reply_edited_at INTEGER;

CREATE TABLE testimonial_reply_log (
  id             INTEGER PRIMARY KEY,
  brand_id       TEXT NOT NULL,
  testimonial_id TEXT NOT NULL REFERENCES testimonials(id) ON DELETE CASCADE,
  action         TEXT NOT NULL CHECK (action IN ('created', 'edited', 'deleted')),
  body           TEXT,
  at             INTEGER NOT NULL
);
CREATE INDEX reply_log_by_testimonial ON testimonial_reply_log (testimonial_id, id);

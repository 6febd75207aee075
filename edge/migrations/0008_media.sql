-- Photos as a media pipeline (issue "What brands and shoppers send stays
-- right"): the bytes live in R2, stripped of metadata; a photo belongs to a
-- testimonial or a thread and is public only once that is; unattached
-- uploads are deleted by the cron job after 24 hours.
ALTER TABLE photos ADD COLUMN thread_id TEXT REFERENCES threads(id) ON DELETE SET NULL;
CREATE INDEX IF NOT EXISTS photos_by_thread ON photos (thread_id);
CREATE INDEX IF NOT EXISTS photos_unattached ON photos (created_at) WHERE testimonial_id IS NULL AND thread_id IS NULL;
-- Threads started before this change with a photo: attach it.
UPDATE photos SET thread_id = (SELECT t.id FROM threads t WHERE t.photo LIKE '%"' || photos.id || '"%' LIMIT 1)
 WHERE testimonial_id IS NULL AND thread_id IS NULL;

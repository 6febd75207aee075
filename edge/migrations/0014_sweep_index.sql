-- The cron job's second statement finds the testimonials it just
-- published (published_via = 'max_hold', moderated_at = now) by this
-- partial index, not by scanning the table every minute.
CREATE INDEX testimonials_published_by_hold ON testimonials (moderated_at) WHERE published_via = 'max_hold';

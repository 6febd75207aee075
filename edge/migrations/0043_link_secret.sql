-- Review links and opt-out links are signed with a key of their own, never
-- shown to the brand (edge routes/reviews.rs `link_secret`), so replacing
-- the identity secret no longer ends links already emailed. A brand made
-- before this has none: its links are signed with its identity secret, and
-- the first replacement of that secret keeps the old value here.
ALTER TABLE brands ADD COLUMN link_secret TEXT;

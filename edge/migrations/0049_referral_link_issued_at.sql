-- When the link a referrer's link requests carry was first emailed
-- (migration 0048 kept only the last email): the link works 24 hours from
-- then, however often it is asked for again (helper-83: asking every day
-- kept one token working for ever), and until then the same link is sent
-- again (core::referral::link_email). Requests already made count from
-- their last email.
ALTER TABLE referrers ADD COLUMN link_issued_at INTEGER;
UPDATE referrers SET link_issued_at = link_requested_at WHERE link_request_id IS NOT NULL;

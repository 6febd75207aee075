-- "Email me my link" (POST .../referrers/link-requests): the one request
-- for a referrer's link that works (its id is what the emailed token
-- signs, core::referral::LINK_PURPOSE) and when it was made (a newer one
-- replaces it; one in 10 minutes is sent; it works for 24 hours). Opening
-- it (POST .../referrers/me/link) moves the link to that browser and
-- clears the request, so a token works once.
ALTER TABLE referrers ADD COLUMN link_request_id TEXT;
ALTER TABLE referrers ADD COLUMN link_requested_at INTEGER;
CREATE UNIQUE INDEX referrers_by_link_request ON referrers (brand_id, link_request_id) WHERE link_request_id IS NOT NULL;

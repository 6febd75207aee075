-- Group memberships in the brand's export (core::export): each row carries
-- its brand (kept by the database from its group), paged through this
-- index like every other dataset.
ALTER TABLE group_members ADD COLUMN brand_id TEXT;
UPDATE group_members SET brand_id = (SELECT g.brand_id FROM groups g WHERE g.id = group_members.group_id);
CREATE TRIGGER group_members_brand AFTER INSERT ON group_members WHEN NEW.brand_id IS NULL
BEGIN
  UPDATE group_members SET brand_id = (SELECT g.brand_id FROM groups g WHERE g.id = NEW.group_id) WHERE rowid = NEW.rowid;
END;
CREATE INDEX group_members_export ON group_members (brand_id);

-- Reactions too (their brand from the thread or reply they are on), and
-- reports, purchase records and review links, each through its own index.
ALTER TABLE reactions ADD COLUMN brand_id TEXT;
UPDATE reactions SET brand_id = COALESCE((SELECT t.brand_id FROM threads t WHERE t.id = reactions.target_id), (SELECT p.brand_id FROM replies p WHERE p.id = reactions.target_id));
CREATE TRIGGER reactions_brand AFTER INSERT ON reactions WHEN NEW.brand_id IS NULL
BEGIN
  UPDATE reactions SET brand_id = COALESCE((SELECT t.brand_id FROM threads t WHERE t.id = NEW.target_id), (SELECT p.brand_id FROM replies p WHERE p.id = NEW.target_id))
   WHERE rowid = NEW.rowid;
END;
CREATE INDEX reactions_export ON reactions (brand_id);
CREATE INDEX reports_export ON reports (brand_id);
CREATE INDEX review_orders_export ON review_orders (brand_id);
CREATE INDEX review_requests_export ON review_requests (brand_id);

-- Blocks and removals, one row per decision and key it reached, named as
-- the brand named the member, so the brand can list its decisions and lift
-- each (GET .../blocks, GET .../groups/{group}/removals, POST .../unblocks,
-- POST .../readmissions).
--
-- `via` is the key the decision reached the member by (a post's author's,
-- or the customer id named); `named` is how the brand named them
-- ('id:<customer>', 'post:<thread or reply id>', or 'legacy:<id>' for a
-- decision from before names were kept, below). Two decisions about one member are two rows each: a
-- browser barred through its customer's removal and then removed by its
-- own post stays out until both are lifted, and blocking two anonymous
-- posts by one browser leaves two entries (the brand does not learn from
-- the list that they share an author). Before, the second decision found
-- the row taken and kept the first's.
--
-- Earlier rows: a customer's decision is named by their customer id; a
-- browser's own (made by naming a post written signed out) gets an opaque
-- name of its own ('legacy:<16 hex>'): listed, and lifted by that name,
-- without guessing a post (a guess could tie posts to each other or to a
-- customer). Removal rows that barred a customer id through a token's
-- removal ('id:' via 'm:'), written by a rule no release shipped (a
-- token's removal reaches only that token), are not copied.
CREATE TABLE group_removals_by_decision (
  group_id   TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  brand_id   TEXT NOT NULL,
  member_key TEXT NOT NULL,
  via        TEXT NOT NULL,
  named      TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, via, member_key, named)
);
INSERT INTO group_removals_by_decision (group_id, brand_id, member_key, via, named, created_at)
  SELECT group_id, brand_id, member_key, COALESCE(via, member_key),
    CASE WHEN COALESCE(via, member_key) LIKE 'id:%' THEN COALESCE(via, member_key) ELSE 'legacy:' || lower(hex(randomblob(8))) END,
    created_at
  FROM group_removals
  WHERE NOT (member_key LIKE 'id:%' AND via LIKE 'm:%');
DROP TABLE group_removals;
ALTER TABLE group_removals_by_decision RENAME TO group_removals;
-- Whether a key is out of a group; a shopper's removals (their data
-- download, their erasure); the key above finds what lifting a customer
-- lifts, the last what lifting a post does.
CREATE INDEX group_removals_by_member ON group_removals (group_id, member_key);
CREATE INDEX group_removals_by_key ON group_removals (member_key);
CREATE INDEX group_removals_by_via ON group_removals (via);
CREATE INDEX group_removals_by_name ON group_removals (group_id, named);

CREATE TABLE member_blocks_by_decision (
  brand_id   TEXT NOT NULL,
  member_key TEXT NOT NULL,
  via        TEXT NOT NULL,
  named      TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (brand_id, via, member_key, named)
);
INSERT INTO member_blocks_by_decision (brand_id, member_key, via, named, created_at)
  SELECT brand_id, member_key, member_key,
    CASE WHEN member_key LIKE 'id:%' THEN member_key ELSE 'legacy:' || lower(hex(randomblob(8))) END,
    created_at
  FROM member_blocks;
DROP TABLE member_blocks;
ALTER TABLE member_blocks_by_decision RENAME TO member_blocks;
-- Whether a key is blocked, and a shopper's blocks (their data download);
-- the key above finds what lifting a customer lifts, this what lifting a post does.
CREATE INDEX member_blocks_by_key ON member_blocks (brand_id, member_key);
CREATE INDEX member_blocks_by_name ON member_blocks (brand_id, named);

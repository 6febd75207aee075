-- Blocks and removals, one row per decision and key it reached, named as
-- the brand named the member, so the brand can list its decisions and lift
-- each (GET .../blocks, GET .../groups/{group}/removals, POST .../unblocks,
-- POST .../readmissions).
--
-- `via` is the key the decision reached the member by (a post's author's,
-- or the customer id named); `named` is how the brand named them
-- ('id:<customer>' or 'post:<thread or reply id>', '' for rows from before
-- names were kept). Two decisions about one member are two rows each: a
-- browser barred through its customer's removal and then removed by its
-- own post stays out until both are lifted, and blocking two anonymous
-- posts by one browser leaves two entries (the brand does not learn from
-- the list that they share an author). Before, the second decision found
-- the row taken and kept the first's.
--
-- Earlier rows: a customer's own get their customer id as name; a
-- browser's block that the customer's block reached (the browser joined a
-- group signed out and was later seen signed in as that customer) is
-- re-made as reached by the customer, so lifting the customer lifts it; a
-- browser's own block or removal (by a post written signed out) keeps no
-- name rather than a guessed one: it is not listed, it still bars, and
-- naming any post of that browser lifts it. Removal rows that barred a
-- customer id through a token's removal ('id:' via 'm:'), written by a
-- rule no release shipped (a token's removal reaches only that token), are
-- not copied.
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
    CASE WHEN COALESCE(via, member_key) LIKE 'id:%' THEN COALESCE(via, member_key) ELSE '' END,
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
INSERT OR IGNORE INTO member_blocks_by_decision (brand_id, member_key, via, named, created_at)
  SELECT brand_id, member_key, customer, CASE WHEN customer LIKE 'id:%' THEN customer ELSE '' END, created_at
  FROM (
    SELECT b.brand_id, b.member_key, b.created_at,
      CASE WHEN b.member_key LIKE 'id:%' THEN b.member_key
      ELSE COALESCE((SELECT c.member_key FROM group_members gm JOIN member_blocks c ON c.brand_id = b.brand_id AND c.member_key = gm.alt_key
                     WHERE gm.member_key = b.member_key AND gm.brand_id = b.brand_id AND gm.alt_key LIKE 'id:%' LIMIT 1), b.member_key) END AS customer
    FROM member_blocks b
  );
DROP TABLE member_blocks;
ALTER TABLE member_blocks_by_decision RENAME TO member_blocks;
-- Whether a key is blocked, and a shopper's blocks (their data download);
-- the key above finds what lifting a customer lifts, this what lifting a post does.
CREATE INDEX member_blocks_by_key ON member_blocks (brand_id, member_key);
CREATE INDEX member_blocks_by_name ON member_blocks (brand_id, named);

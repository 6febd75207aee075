-- Blocks and removals, one row per decision that reached a key, and named
-- as the brand named the member, so the brand can list its decisions and
-- lift each (GET .../blocks, GET .../groups/{group}/removals, POST
-- .../unblocks, POST .../readmissions).
--
-- A browser barred through its customer's removal (via 'id:...') and then
-- removed by its own post (via 'm:...') holds two rows, and a readmission
-- lifts only its own, so the browser stays out until both are lifted.
-- Before, the second removal found the (group, key) row taken and kept the
-- first's via: readmitting the post answered false, and readmitting the
-- customer let the browser in. Blocks had no via at all: a customer's
-- block could not be lifted from the browsers it reached.
--
-- `named` is the member as the brand named them ('id:<customer>' or
-- 'post:<thread or reply id>'), never a member token: what the lists show
-- and what lifts a decision once the post is gone or its author erased
-- their data. Earlier rows get their customer id, else a post by the key
-- the decision named (none when that key wrote nothing left: such rows are
-- not listed, and still bar).
--
-- Removal rows that barred a customer id through a token's removal ('id:'
-- via 'm:'), written by a rule no release shipped (a token's removal
-- reaches only that token), are not copied.
CREATE TABLE group_removals_by_decision (
  group_id   TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  brand_id   TEXT NOT NULL,
  member_key TEXT NOT NULL,
  via        TEXT NOT NULL,
  named      TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, member_key, via)
);
INSERT INTO group_removals_by_decision (group_id, brand_id, member_key, via, named, created_at)
  SELECT group_id, brand_id, member_key, COALESCE(via, member_key),
    CASE WHEN COALESCE(via, member_key) LIKE 'id:%' THEN COALESCE(via, member_key)
    ELSE (SELECT 'post:' || t.id FROM threads t WHERE t.brand_id = r.brand_id AND t.author_key = COALESCE(r.via, r.member_key)
          UNION ALL SELECT 'post:' || p.id FROM replies p WHERE p.brand_id = r.brand_id AND p.author_key = COALESCE(r.via, r.member_key) LIMIT 1) END,
    created_at
  FROM group_removals r
  WHERE NOT (member_key LIKE 'id:%' AND via LIKE 'm:%');
DROP TABLE group_removals;
ALTER TABLE group_removals_by_decision RENAME TO group_removals;
CREATE INDEX group_removals_by_key ON group_removals (member_key);
CREATE INDEX group_removals_by_via ON group_removals (via);

CREATE TABLE member_blocks_by_decision (
  brand_id   TEXT NOT NULL,
  member_key TEXT NOT NULL,
  via        TEXT NOT NULL,
  named      TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (brand_id, via, member_key)
);
INSERT INTO member_blocks_by_decision (brand_id, member_key, via, named, created_at)
  SELECT brand_id, member_key, member_key,
    CASE WHEN member_key LIKE 'id:%' THEN member_key
    ELSE (SELECT 'post:' || t.id FROM threads t WHERE t.brand_id = b.brand_id AND t.author_key = b.member_key
          UNION ALL SELECT 'post:' || p.id FROM replies p WHERE p.brand_id = b.brand_id AND p.author_key = b.member_key LIMIT 1) END,
    created_at
  FROM member_blocks b;
DROP TABLE member_blocks;
ALTER TABLE member_blocks_by_decision RENAME TO member_blocks;
-- Whether a key is blocked, and a shopper's blocks (their data download);
-- the key above finds the rows of the decision an unblock lifts.
CREATE INDEX member_blocks_by_key ON member_blocks (brand_id, member_key);

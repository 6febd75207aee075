-- Cost that does not grow with the data (issue "Cost that does not grow
-- with the data"): every shopper request reads a bounded number of rows.
--
-- D1 bills by rows read. Before this migration the default first page sorted
-- every approved testimonial of a product (the index did not cover the
-- sort), a tag filter scanned every row's JSON, and the rating histogram,
-- tag counts, member counts, reply counts, reaction counts and referrer
-- stats were COUNT(*) over growing tables on shopper requests.
--
-- Now:
-- * `feed_facets` lists, per brand, every *facet* an approved testimonial
--   can be listed under, with how many it holds (`n`). A facet is a scope
--   ('' = the whole brand, else a product id) and a filter (a tag or none,
--   a star rating or none), so "product p, tag t, 5 stars" is one facet.
--   Its counts are the rating histogram (tag '', stars 1..5), the tag chips
--   (stars 0, most used first) and the totals, each read by key.
-- * `feed_entries` is the public feed as an index: one row per approved
--   testimonial and facet, keyed by the facet's integer id and the
--   testimonial's `seq` (an integer given when it first enters the feed),
--   so a row is about 20 bytes per b-tree. Each sort order has a b-tree that
--   ends with the cursor's tie-breakers (created_at, seq), so any page of
--   any filter and sort reads the page and stops.
-- * Member, reply, reaction, helpful, friend and purchase counts are
--   columns or rows kept by triggers.
--
-- Triggers keep all of these in the same transaction as the change that
-- moves them (the statement itself), so no caller can forget one and no
-- batch can apply half of it. The cron job's repair (`store::counters`)
-- recomputes them brand by brand and reports any drift.
--
-- SQLite notes: triggers may not use WITH, hence the view; the view's
-- `json_each` rows are computed for one testimonial at a time (it is
-- always read with `testimonial_id = ?` or `brand_id = ?`), and every join
-- from it to `feed_facets` is a CROSS JOIN, which keeps the view outside:
-- left to itself the planner may walk all of a brand's facets instead.

DROP INDEX IF EXISTS testimonials_feed;

-- The feed's tie-breaker and compact key. Given when a testimonial first
-- becomes approved (MAX + 1, read through the index): unique, stored, so
-- it survives an export and import (a rowid need not).
ALTER TABLE testimonials ADD COLUMN seq INTEGER;
UPDATE testimonials SET seq = rowid WHERE status = 'approved';
CREATE UNIQUE INDEX testimonials_by_seq ON testimonials (seq);

-- Every facet of every approved testimonial, with its sort keys.
CREATE VIEW testimonial_facets AS
SELECT t.id AS testimonial_id, t.brand_id AS brand_id,
       s.value AS scope, g.value AS tag, r.value AS stars,
       t.featured AS featured, t.rating AS rating,
       t.helpful_count AS helpful_count, t.created_at AS created_at, t.seq AS seq
  FROM testimonials t,
       json_each(json_array('', t.product_id)) s,
       json_each(CASE WHEN json_valid(t.tags) AND json_type(t.tags) = 'array' THEN json_insert(t.tags, '$[#]', '') ELSE '[""]' END) g,
       json_each(json_array(0, t.rating)) r
 WHERE t.status = 'approved' AND s.value IS NOT NULL
   -- Tags are text (a number, boolean or null in an old or imported row is
   -- not a tag: as text it would never match its own facet again).
   AND g.type = 'text'
   -- Each tag once: a repeated tag (or a tag '' beside the "any tag" '')
   -- is one facet. Rows the edge writes have neither (core normalises
   -- tags); older or imported rows might.
   AND NOT EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(t.tags) AND json_type(t.tags) = 'array' THEN json_insert(t.tags, '$[#]', '') ELSE '[""]' END) d WHERE d.value = g.value AND d.key < g.key);

CREATE TABLE feed_facets (
  id       INTEGER PRIMARY KEY,
  brand_id TEXT NOT NULL,
  scope    TEXT NOT NULL,      -- '' = brand-wide, else product id
  tag      TEXT NOT NULL,      -- '' = any tag
  stars    INTEGER NOT NULL,   -- 0 = any rating, else 1..5
  n        INTEGER NOT NULL,   -- approved testimonials in it
  UNIQUE (brand_id, scope, tag, stars)
);
-- The tag chips: a scope's tags, most used first. Partial, so the
-- histogram (tag '', stars 1..5) is read by the unique key, five rows,
-- however many tags the brand has.
CREATE INDEX feed_facets_top ON feed_facets (brand_id, scope, n DESC, tag) WHERE stars = 0 AND tag != '';

-- Newest (featured first) is the key's own order; highest and most helpful
-- have their own b-trees. Each ends with (created_at, seq).
CREATE TABLE feed_entries (
  facet         INTEGER NOT NULL,
  featured      INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  seq           INTEGER NOT NULL,
  rating        INTEGER NOT NULL,
  helpful_count INTEGER NOT NULL,
  PRIMARY KEY (facet, featured, created_at, seq)
) WITHOUT ROWID;
CREATE INDEX feed_highest ON feed_entries (facet, rating, created_at, seq);
CREATE INDEX feed_helpful ON feed_entries (facet, helpful_count, created_at, seq);

-- Existing approved testimonials.
INSERT INTO feed_facets (brand_id, scope, tag, stars, n)
  SELECT brand_id, scope, tag, stars, COUNT(*) FROM testimonial_facets GROUP BY brand_id, scope, tag, stars;
INSERT INTO feed_entries (facet, featured, created_at, seq, rating, helpful_count)
  SELECT f.id, v.featured, v.created_at, v.seq, v.rating, v.helpful_count
    FROM testimonial_facets v CROSS JOIN feed_facets f ON f.brand_id = v.brand_id AND f.scope = v.scope AND f.tag = v.tag AND f.stars = v.stars;

-- A testimonial enters the feed: its seq (first time only), its facets'
-- counts, its entries.
CREATE TRIGGER feed_on_insert AFTER INSERT ON testimonials WHEN NEW.status = 'approved'
BEGIN
  UPDATE testimonials SET seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM testimonials) WHERE id = NEW.id AND seq IS NULL;
  INSERT INTO feed_facets (brand_id, scope, tag, stars, n)
    SELECT brand_id, scope, tag, stars, 1 FROM testimonial_facets WHERE testimonial_id = NEW.id
    ON CONFLICT (brand_id, scope, tag, stars) DO UPDATE SET n = n + 1;
  INSERT INTO feed_entries (facet, featured, created_at, seq, rating, helpful_count)
    SELECT f.id, v.featured, v.created_at, v.seq, v.rating, v.helpful_count
      FROM testimonial_facets v CROSS JOIN feed_facets f ON f.brand_id = v.brand_id AND f.scope = v.scope AND f.tag = v.tag AND f.stars = v.stars
     WHERE v.testimonial_id = NEW.id;
END;

-- Status, product, tags, rating or date moved: the testimonial leaves the
-- facets of its old values (found from OLD, by key) and enters those of
-- its new ones (none unless approved).
CREATE TRIGGER feed_on_move AFTER UPDATE OF status, product_id, tags, rating, brand_id, created_at ON testimonials
WHEN OLD.status IS NOT NEW.status OR OLD.product_id IS NOT NEW.product_id OR OLD.tags IS NOT NEW.tags
  OR OLD.rating IS NOT NEW.rating OR OLD.brand_id IS NOT NEW.brand_id OR OLD.created_at IS NOT NEW.created_at
BEGIN
  UPDATE feed_facets SET n = n - 1
   WHERE OLD.status = 'approved' AND brand_id = OLD.brand_id AND (scope, tag, stars) IN (
     SELECT s.value, g.value, r.value FROM json_each(json_array('', OLD.product_id)) s,
            json_each(CASE WHEN json_valid(OLD.tags) AND json_type(OLD.tags) = 'array' THEN json_insert(OLD.tags, '$[#]', '') ELSE '[""]' END) g, json_each(json_array(0, OLD.rating)) r WHERE s.value IS NOT NULL AND g.type = 'text');
  DELETE FROM feed_entries
   WHERE OLD.status = 'approved' AND featured = OLD.featured AND created_at = OLD.created_at AND seq = OLD.seq AND facet IN (
     SELECT f.id FROM feed_facets f WHERE f.brand_id = OLD.brand_id AND (f.scope, f.tag, f.stars) IN (
       SELECT s.value, g.value, r.value FROM json_each(json_array('', OLD.product_id)) s,
              json_each(CASE WHEN json_valid(OLD.tags) AND json_type(OLD.tags) = 'array' THEN json_insert(OLD.tags, '$[#]', '') ELSE '[""]' END) g, json_each(json_array(0, OLD.rating)) r WHERE s.value IS NOT NULL AND g.type = 'text'));
  UPDATE testimonials SET seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM testimonials)
   WHERE id = NEW.id AND seq IS NULL AND NEW.status = 'approved';
  INSERT INTO feed_facets (brand_id, scope, tag, stars, n)
    SELECT brand_id, scope, tag, stars, 1 FROM testimonial_facets WHERE testimonial_id = NEW.id
    ON CONFLICT (brand_id, scope, tag, stars) DO UPDATE SET n = n + 1;
  INSERT INTO feed_entries (facet, featured, created_at, seq, rating, helpful_count)
    SELECT f.id, v.featured, v.created_at, v.seq, v.rating, v.helpful_count
      FROM testimonial_facets v CROSS JOIN feed_facets f ON f.brand_id = v.brand_id AND f.scope = v.scope AND f.tag = v.tag AND f.stars = v.stars
     WHERE v.testimonial_id = NEW.id;
END;

-- Only a sort key moved (featured, a helpful vote) on an approved
-- testimonial that stays in the same facets: its entries follow.
CREATE TRIGGER feed_on_sort_key AFTER UPDATE OF featured, helpful_count ON testimonials
WHEN OLD.status = 'approved' AND NEW.status = 'approved'
  AND OLD.product_id IS NEW.product_id AND OLD.tags IS NEW.tags AND OLD.rating IS NEW.rating
  AND OLD.brand_id IS NEW.brand_id AND OLD.created_at IS NEW.created_at
  AND (OLD.featured IS NOT NEW.featured OR OLD.helpful_count IS NOT NEW.helpful_count)
BEGIN
  UPDATE feed_entries SET featured = NEW.featured, helpful_count = NEW.helpful_count
   WHERE featured = OLD.featured AND created_at = OLD.created_at AND seq = OLD.seq AND facet IN (
     SELECT f.id FROM feed_facets f WHERE f.brand_id = OLD.brand_id AND (f.scope, f.tag, f.stars) IN (
       SELECT s.value, g.value, r.value FROM json_each(json_array('', OLD.product_id)) s,
              json_each(CASE WHEN json_valid(OLD.tags) AND json_type(OLD.tags) = 'array' THEN json_insert(OLD.tags, '$[#]', '') ELSE '[""]' END) g, json_each(json_array(0, OLD.rating)) r WHERE s.value IS NOT NULL AND g.type = 'text'));
END;

CREATE TRIGGER feed_on_delete AFTER DELETE ON testimonials WHEN OLD.status = 'approved'
BEGIN
  UPDATE feed_facets SET n = n - 1
   WHERE brand_id = OLD.brand_id AND (scope, tag, stars) IN (
     SELECT s.value, g.value, r.value FROM json_each(json_array('', OLD.product_id)) s,
            json_each(CASE WHEN json_valid(OLD.tags) AND json_type(OLD.tags) = 'array' THEN json_insert(OLD.tags, '$[#]', '') ELSE '[""]' END) g, json_each(json_array(0, OLD.rating)) r WHERE s.value IS NOT NULL AND g.type = 'text');
  DELETE FROM feed_entries
   WHERE featured = OLD.featured AND created_at = OLD.created_at AND seq = OLD.seq AND facet IN (
     SELECT f.id FROM feed_facets f WHERE f.brand_id = OLD.brand_id AND (f.scope, f.tag, f.stars) IN (
       SELECT s.value, g.value, r.value FROM json_each(json_array('', OLD.product_id)) s,
              json_each(CASE WHEN json_valid(OLD.tags) AND json_type(OLD.tags) = 'array' THEN json_insert(OLD.tags, '$[#]', '') ELSE '[""]' END) g, json_each(json_array(0, OLD.rating)) r WHERE s.value IS NOT NULL AND g.type = 'text'));
END;

-- Helpful votes: the count moves with each vote (it was recounted with
-- COUNT(*) over the testimonial's votes on every vote).
UPDATE testimonials SET helpful_count = (SELECT COUNT(*) FROM helpful_votes v WHERE v.testimonial_id = testimonials.id)
 WHERE helpful_count != (SELECT COUNT(*) FROM helpful_votes v WHERE v.testimonial_id = testimonials.id);
CREATE TRIGGER votes_on_insert AFTER INSERT ON helpful_votes
BEGIN
  UPDATE testimonials SET helpful_count = helpful_count + 1 WHERE id = NEW.testimonial_id;
END;
CREATE TRIGGER votes_on_delete AFTER DELETE ON helpful_votes
BEGIN
  UPDATE testimonials SET helpful_count = helpful_count - 1 WHERE id = OLD.testimonial_id;
END;

-- A referrer's approved testimonials (ambassador tiers), read by key.
CREATE INDEX IF NOT EXISTS testimonials_by_author_approved ON testimonials (brand_id, author_email_canonical) WHERE status = 'approved';

-- Groups: member counts.
ALTER TABLE groups ADD COLUMN member_count INTEGER NOT NULL DEFAULT 0;
UPDATE groups SET member_count = (SELECT COUNT(*) FROM group_members m WHERE m.group_id = groups.id);
CREATE TRIGGER members_on_join AFTER INSERT ON group_members
BEGIN
  UPDATE groups SET member_count = member_count + 1 WHERE id = NEW.group_id;
END;
CREATE TRIGGER members_on_leave AFTER DELETE ON group_members
BEGIN
  UPDATE groups SET member_count = member_count - 1 WHERE id = OLD.group_id;
END;

-- Threads: visible replies. `reply_count` was recounted with COUNT(*) on
-- each reply; now the triggers move it.
UPDATE threads SET reply_count = (SELECT COUNT(*) FROM replies r WHERE r.thread_id = threads.id AND r.status = 'visible');
CREATE TRIGGER replies_on_insert AFTER INSERT ON replies WHEN NEW.status = 'visible'
BEGIN
  UPDATE threads SET reply_count = reply_count + 1 WHERE id = NEW.thread_id;
END;
CREATE TRIGGER replies_on_status AFTER UPDATE OF status ON replies WHEN (OLD.status = 'visible') IS NOT (NEW.status = 'visible')
BEGIN
  UPDATE threads SET reply_count = reply_count + (CASE WHEN NEW.status = 'visible' THEN 1 ELSE -1 END) WHERE id = NEW.thread_id;
END;
CREATE TRIGGER replies_on_delete AFTER DELETE ON replies WHEN OLD.status = 'visible'
BEGIN
  UPDATE threads SET reply_count = reply_count - 1 WHERE id = OLD.thread_id;
END;
-- Unread counts: a member's threads with activity since they last looked,
-- counted up to a cap through this index (a per-member counter would cost a
-- write per member on every post).
CREATE INDEX IF NOT EXISTS threads_by_activity ON threads (group_id, status, last_activity_at);
-- A group's threads for a viewer: the visible ones through threads_by_group,
-- and the viewer's own pending ones through this (small: pending only).
CREATE INDEX IF NOT EXISTS threads_pending_by_author ON threads (group_id, author_key, pinned, last_activity_at, id) WHERE status = 'pending';

-- Reactions: counts per target and kind.
CREATE TABLE reaction_counts (
  target_id TEXT NOT NULL,
  kind      TEXT NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (target_id, kind)
) WITHOUT ROWID;
INSERT INTO reaction_counts SELECT target_id, kind, COUNT(*) FROM reactions GROUP BY target_id, kind;
CREATE TRIGGER reactions_on_insert AFTER INSERT ON reactions
BEGIN
  INSERT INTO reaction_counts (target_id, kind, n) VALUES (NEW.target_id, NEW.kind, 1)
    ON CONFLICT (target_id, kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reactions_on_delete AFTER DELETE ON reactions
BEGIN
  UPDATE reaction_counts SET n = n - 1 WHERE target_id = OLD.target_id AND kind = OLD.kind;
  DELETE FROM reaction_counts WHERE target_id = OLD.target_id AND kind = OLD.kind AND n <= 0;
END;

-- Referrers: friends (claims) and purchases (approved conversions), and the
-- leaderboard read through an index on purchases.
ALTER TABLE referrers ADD COLUMN friends INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrers ADD COLUMN purchases INTEGER NOT NULL DEFAULT 0;
UPDATE referrers SET
  friends = (SELECT COUNT(*) FROM referral_claims c WHERE c.referrer_id = referrers.id),
  purchases = (SELECT COUNT(*) FROM conversions c WHERE c.referrer_id = referrers.id AND c.status = 'approved');
CREATE INDEX IF NOT EXISTS referrers_leaderboard ON referrers (brand_id, purchases DESC, created_at);
CREATE TRIGGER claims_on_insert AFTER INSERT ON referral_claims
BEGIN
  UPDATE referrers SET friends = friends + 1 WHERE id = NEW.referrer_id;
END;
CREATE TRIGGER claims_on_delete AFTER DELETE ON referral_claims
BEGIN
  UPDATE referrers SET friends = friends - 1 WHERE id = OLD.referrer_id;
END;
CREATE TRIGGER conversions_on_insert AFTER INSERT ON conversions WHEN NEW.status = 'approved' AND NEW.referrer_id IS NOT NULL
BEGIN
  UPDATE referrers SET purchases = purchases + 1 WHERE id = NEW.referrer_id;
END;
CREATE TRIGGER conversions_on_update AFTER UPDATE OF status, referrer_id ON conversions
WHEN OLD.status IS NOT NEW.status OR OLD.referrer_id IS NOT NEW.referrer_id
BEGIN
  UPDATE referrers SET purchases = purchases - 1 WHERE id = OLD.referrer_id AND OLD.status = 'approved';
  UPDATE referrers SET purchases = purchases + 1 WHERE id = NEW.referrer_id AND NEW.status = 'approved';
END;
CREATE TRIGGER conversions_on_delete AFTER DELETE ON conversions WHEN OLD.status = 'approved'
BEGIN
  UPDATE referrers SET purchases = purchases - 1 WHERE id = OLD.referrer_id;
END;

-- The shopper's own referral, by identity or member token, oldest first;
-- a referrer's newest rewards; a friend's earlier claims from one client.
CREATE INDEX IF NOT EXISTS referrers_by_identity ON referrers (brand_id, identity_sub, created_at);
DROP INDEX IF EXISTS referrers_by_member;
CREATE INDEX IF NOT EXISTS referrers_by_member ON referrers (brand_id, member_token, created_at);
CREATE INDEX IF NOT EXISTS rewards_by_referrer ON rewards (referrer_id, created_at DESC);
CREATE INDEX IF NOT EXISTS claims_by_brand_client ON referral_claims (brand_id, client, created_at);
-- The next coupon of a pool, oldest first (`sql::TAKE_COUPON`): the
-- available ones only, in hand-out order, so a claim reads one row however
-- large the pool.
CREATE INDEX IF NOT EXISTS coupons_next ON coupons (brand_id, kind, created_at, code) WHERE assigned_to IS NULL;
-- A thread's replies for a viewer: the visible ones, and the viewer's own
-- pending ones, each in page order (`sql::REPLIES`).
CREATE INDEX IF NOT EXISTS replies_by_thread_status ON replies (thread_id, status, created_at, id);
CREATE INDEX IF NOT EXISTS replies_pending_by_author ON replies (thread_id, author_key, created_at, id) WHERE status = 'pending';

-- The repair job (`store::counters`) visits brands oldest check first and
-- keeps the drift it last found (rows fixed; 0 when all was right).
ALTER TABLE brands ADD COLUMN counters_checked_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE brands ADD COLUMN counters_drift INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS brands_by_counter_check ON brands (counters_checked_at, id);

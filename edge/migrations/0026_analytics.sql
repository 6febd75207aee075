-- The brand's analytics (core::analytics): counters per UTC day, kept by
-- the database itself (triggers below), whichever code path writes, and by
-- the `kindred-events` queue's consumer for what only the browser sees
-- (widget views, the review form opened, a referral link shared), one D1
-- batch per queue batch: nothing is written on the first-paint path.
-- `dim` is '' for the brand as a whole, or a product id (the testimonial
-- funnel and ratings are counted both ways). Revenue is counted in minor
-- units, one event per currency (`revenue_EUR`).
CREATE TABLE daily_counts (
  brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  dim      TEXT NOT NULL,
  day      TEXT NOT NULL,   -- YYYY-MM-DD, UTC
  event    TEXT NOT NULL,
  n        INTEGER NOT NULL,
  PRIMARY KEY (brand_id, dim, day, event)
) WITHOUT ROWID;

-- Who was active in the community on a day, only to count each member once
-- a day; kept two days (the cron job prunes it) and erased with the
-- shopper's data (core::privacy).
CREATE TABLE daily_active (
  brand_id   TEXT NOT NULL,
  member_key TEXT NOT NULL,
  day        TEXT NOT NULL,
  PRIMARY KEY (brand_id, member_key, day)
) WITHOUT ROWID;
CREATE INDEX daily_active_by_day ON daily_active (day);

CREATE TRIGGER count_active AFTER INSERT ON daily_active
BEGIN
  INSERT INTO daily_counts (brand_id, dim, day, event, n) VALUES (NEW.brand_id, '', NEW.day, 'active_members', 1)
    ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + 1;
END;

-- A testimonial's approval is counted once, however often it goes back to
-- pending (an author's edit) or is rejected and approved again.
ALTER TABLE testimonials ADD COLUMN approval_counted INTEGER;

-- Testimonials written through Kindred (imports are the source's history).
CREATE TRIGGER count_submitted AFTER INSERT ON testimonials WHEN NEW.import_source IS NULL
BEGIN
  INSERT INTO daily_counts (brand_id, dim, day, event, n)
    SELECT NEW.brand_id, d.value, date(NEW.created_at / 1000, 'unixepoch'), e.value, 1
      FROM json_each(json_array('', NEW.product_id)) d,
           json_each(CASE WHEN NEW.status = 'approved' THEN json_array('submitted', 'approved', 'rating_' || NEW.rating) ELSE json_array('submitted') END) e
     WHERE d.value IS NOT NULL
    ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + 1;
  UPDATE testimonials SET approval_counted = 1 WHERE id = NEW.id AND NEW.status = 'approved';
END;

CREATE TRIGGER count_approved AFTER UPDATE OF status ON testimonials
  WHEN NEW.status = 'approved' AND OLD.status IS NOT 'approved' AND NEW.import_source IS NULL AND NEW.approval_counted IS NULL
BEGIN
  INSERT INTO daily_counts (brand_id, dim, day, event, n)
    SELECT NEW.brand_id, d.value, date('now'), e.value, 1
      FROM json_each(json_array('', NEW.product_id)) d, json_each(json_array('approved', 'rating_' || NEW.rating)) e
     WHERE d.value IS NOT NULL
    ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + 1;
  UPDATE testimonials SET approval_counted = 1 WHERE id = NEW.id;
END;

CREATE TRIGGER count_referrer_joined AFTER INSERT ON referrers
BEGIN
  INSERT INTO daily_counts (brand_id, dim, day, event, n) VALUES (NEW.brand_id, '', date(NEW.created_at / 1000, 'unixepoch'), 'referrer_joined', 1)
    ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + 1;
END;

-- Clicks arrive in batches (the clicks queue): counted on the day they land.
CREATE TRIGGER count_clicks AFTER UPDATE OF clicks ON referrers WHEN NEW.clicks > OLD.clicks
BEGIN
  INSERT INTO daily_counts (brand_id, dim, day, event, n) VALUES (NEW.brand_id, '', date('now'), 'link_clicked', NEW.clicks - OLD.clicks)
    ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER count_claimed AFTER INSERT ON referral_claims
BEGIN
  INSERT INTO daily_counts (brand_id, dim, day, event, n) VALUES (NEW.brand_id, '', date(NEW.created_at / 1000, 'unixepoch'), 'offer_claimed', 1)
    ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + 1;
END;

-- A referred purchase counts once approved (at once, or when its hold ends).
CREATE TRIGGER count_purchase AFTER INSERT ON conversions WHEN NEW.status = 'approved' AND NEW.referrer_id IS NOT NULL
BEGIN
  INSERT INTO daily_counts (brand_id, dim, day, event, n)
    VALUES (NEW.brand_id, '', date('now'), 'purchase', 1), (NEW.brand_id, '', date('now'), 'revenue_' || NEW.currency, NEW.amount_minor)
    ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER count_purchase_approved AFTER UPDATE OF status ON conversions
  WHEN NEW.status = 'approved' AND OLD.status IS NOT 'approved' AND NEW.referrer_id IS NOT NULL
BEGIN
  INSERT INTO daily_counts (brand_id, dim, day, event, n)
    VALUES (NEW.brand_id, '', date('now'), 'purchase', 1), (NEW.brand_id, '', date('now'), 'revenue_' || NEW.currency, NEW.amount_minor)
    ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER count_reward AFTER INSERT ON rewards
BEGIN
  INSERT INTO daily_counts (brand_id, dim, day, event, n) VALUES (NEW.brand_id, '', date(NEW.created_at / 1000, 'unixepoch'), 'reward', 1)
    ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER count_member_joined AFTER INSERT ON group_members
BEGIN
  INSERT INTO daily_counts (brand_id, dim, day, event, n)
    SELECT g.brand_id, '', date(NEW.joined_at / 1000, 'unixepoch'), 'member_joined', 1 FROM groups g WHERE g.id = NEW.group_id
    ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER count_thread AFTER INSERT ON threads
BEGIN
  INSERT INTO daily_counts (brand_id, dim, day, event, n) VALUES (NEW.brand_id, '', date(NEW.created_at / 1000, 'unixepoch'), 'thread_started', 1)
    ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + 1;
  INSERT OR IGNORE INTO daily_active (brand_id, member_key, day) VALUES (NEW.brand_id, NEW.author_key, date(NEW.created_at / 1000, 'unixepoch'));
END;

CREATE TRIGGER count_reply AFTER INSERT ON replies
BEGIN
  INSERT INTO daily_counts (brand_id, dim, day, event, n) VALUES (NEW.brand_id, '', date(NEW.created_at / 1000, 'unixepoch'), 'reply_posted', 1)
    ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + 1;
  INSERT OR IGNORE INTO daily_active (brand_id, member_key, day) VALUES (NEW.brand_id, NEW.author_key, date(NEW.created_at / 1000, 'unixepoch'));
END;

-- History: what happened before this migration, from the rows themselves
-- (clicks and browser events have none: they count from now on).
INSERT INTO daily_counts (brand_id, dim, day, event, n)
  SELECT t.brand_id, d.value, date(t.created_at / 1000, 'unixepoch'), 'submitted', COUNT(*)
    FROM testimonials t, json_each(json_array('', t.product_id)) d WHERE t.import_source IS NULL AND d.value IS NOT NULL GROUP BY 1, 2, 3
  ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n;
INSERT INTO daily_counts (brand_id, dim, day, event, n)
  SELECT t.brand_id, d.value, date(COALESCE(t.moderated_at, t.created_at) / 1000, 'unixepoch'), e.value, COUNT(*)
    FROM testimonials t, json_each(json_array('', t.product_id)) d, json_each(json_array('approved', 'rating_' || t.rating)) e
   WHERE t.status = 'approved' AND t.import_source IS NULL AND d.value IS NOT NULL GROUP BY 1, 2, 3, 4
  ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n;
UPDATE testimonials SET approval_counted = 1 WHERE status = 'approved';
INSERT INTO daily_counts (brand_id, dim, day, event, n)
  SELECT brand_id, '', date(created_at / 1000, 'unixepoch'), 'referrer_joined', COUNT(*) FROM referrers WHERE true GROUP BY 1, 3
  ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n;
INSERT INTO daily_counts (brand_id, dim, day, event, n)
  SELECT brand_id, '', date(created_at / 1000, 'unixepoch'), 'offer_claimed', COUNT(*) FROM referral_claims WHERE true GROUP BY 1, 3
  ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n;
INSERT INTO daily_counts (brand_id, dim, day, event, n)
  SELECT brand_id, '', date(COALESCE(decided_at, created_at) / 1000, 'unixepoch'), e.value, CASE WHEN e.value = 'purchase' THEN COUNT(*) ELSE SUM(amount_minor) END
    FROM conversions, json_each(json_array('purchase', 'revenue_' || currency)) e WHERE status = 'approved' AND referrer_id IS NOT NULL GROUP BY 1, 3, 4
  ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n;
INSERT INTO daily_counts (brand_id, dim, day, event, n)
  SELECT brand_id, '', date(created_at / 1000, 'unixepoch'), 'reward', COUNT(*) FROM rewards WHERE true GROUP BY 1, 3
  ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n;
INSERT INTO daily_counts (brand_id, dim, day, event, n)
  SELECT g.brand_id, '', date(m.joined_at / 1000, 'unixepoch'), 'member_joined', COUNT(*) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE true GROUP BY 1, 3
  ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n;
INSERT INTO daily_counts (brand_id, dim, day, event, n)
  SELECT brand_id, '', date(created_at / 1000, 'unixepoch'), 'thread_started', COUNT(*) FROM threads WHERE true GROUP BY 1, 3
  ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n;
INSERT INTO daily_counts (brand_id, dim, day, event, n)
  SELECT brand_id, '', date(created_at / 1000, 'unixepoch'), 'reply_posted', COUNT(*) FROM replies WHERE true GROUP BY 1, 3
  ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n;
INSERT INTO daily_counts (brand_id, dim, day, event, n)
  SELECT brand_id, '', day, 'active_members', COUNT(DISTINCT author_key)
    FROM (SELECT brand_id, author_key, date(created_at / 1000, 'unixepoch') AS day FROM threads
          UNION ALL SELECT brand_id, author_key, date(created_at / 1000, 'unixepoch') FROM replies) WHERE true GROUP BY 1, 3
  ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n;

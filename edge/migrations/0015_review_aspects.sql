-- "What reviews mention" (core::aspects): each scope's summary ('' for the
-- whole brand, or a product id), rebuilt by the cron job from the scope's
-- published reviews and read with the first paint (one row by key).
CREATE TABLE review_aspects (
  brand_id  TEXT NOT NULL,
  scope     TEXT NOT NULL,
  -- core::aspects::AspectSummary as JSON.
  summary   TEXT NOT NULL,
  built_at  INTEGER NOT NULL,
  PRIMARY KEY (brand_id, scope)
) WITHOUT ROWID;

-- Scopes whose published reviews changed since their summary was built.
-- `gen` takes a new random value on every change (within 2^53, so it
-- survives JavaScript numbers; never one a removed row
-- had, for all practical purposes), so the cron job writes a summary and
-- removes the row only if no change came while it was reading (compare and
-- write, compare and delete, in one batch); a slower, overlapping run
-- writes nothing. `attempts` counts failed rebuilds: they go last.
CREATE TABLE review_aspects_due (
  brand_id  TEXT NOT NULL,
  scope     TEXT NOT NULL,
  gen       INTEGER NOT NULL DEFAULT (random() % 9007199254740991),
  attempts  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, scope)
) WITHOUT ROWID;
CREATE INDEX review_aspects_due_order ON review_aspects_due (attempts);

-- A product's published reviews, newest first, for its rebuild.
CREATE INDEX testimonials_published_by_product ON testimonials (brand_id, product_id, created_at DESC) WHERE status = 'approved';

-- A published review that comes, goes, or changes its words marks the
-- brand's scope and its product's.
CREATE TRIGGER aspects_on_insert AFTER INSERT ON testimonials WHEN NEW.status = 'approved'
BEGIN
  INSERT INTO review_aspects_due (brand_id, scope) SELECT NEW.brand_id, s.value FROM json_each(json_array('', COALESCE(NEW.product_id, ''))) s WHERE true
    ON CONFLICT (brand_id, scope) DO UPDATE SET gen = random() % 9007199254740991;
END;

CREATE TRIGGER aspects_on_update AFTER UPDATE OF status, title, body, rating, product_id ON testimonials
WHEN (OLD.status = 'approved' OR NEW.status = 'approved')
  AND (OLD.status IS NOT NEW.status OR OLD.title IS NOT NEW.title OR OLD.body IS NOT NEW.body
       OR OLD.rating IS NOT NEW.rating OR OLD.product_id IS NOT NEW.product_id)
BEGIN
  INSERT INTO review_aspects_due (brand_id, scope)
    SELECT NEW.brand_id, s.value FROM json_each(json_array('', COALESCE(OLD.product_id, ''), COALESCE(NEW.product_id, ''))) s WHERE true
    ON CONFLICT (brand_id, scope) DO UPDATE SET gen = random() % 9007199254740991;
END;

CREATE TRIGGER aspects_on_delete AFTER DELETE ON testimonials WHEN OLD.status = 'approved'
BEGIN
  INSERT INTO review_aspects_due (brand_id, scope) SELECT OLD.brand_id, s.value FROM json_each(json_array('', COALESCE(OLD.product_id, ''))) s WHERE true
    ON CONFLICT (brand_id, scope) DO UPDATE SET gen = random() % 9007199254740991;
END;

-- Every scope with published reviews today.
INSERT OR IGNORE INTO review_aspects_due (brand_id, scope)
  SELECT DISTINCT brand_id, '' FROM testimonials WHERE status = 'approved'
  UNION SELECT DISTINCT brand_id, product_id FROM testimonials WHERE status = 'approved' AND product_id IS NOT NULL AND product_id != '';

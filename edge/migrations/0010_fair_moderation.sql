-- Fair moderation (core::moderation): a maximum hold per brand, rejections
-- with a reason, how each published testimonial was published, the review
-- incentive, and a per-star ledger kept by triggers (read in five-ish rows
-- however many testimonials a brand has).

ALTER TABLE brands ADD COLUMN max_hold_days INTEGER NOT NULL DEFAULT 14 CHECK (max_hold_days BETWEEN 1 AND 30);
ALTER TABLE brands ADD COLUMN review_incentive TEXT;                        -- JSON core::incentive::ReviewIncentive, NULL: none

ALTER TABLE testimonials ADD COLUMN reject_reason TEXT;                     -- core::moderation::RejectReason, NULL unless rejected
ALTER TABLE testimonials ADD COLUMN reject_note TEXT;                       -- the moderator's note (brand only)
ALTER TABLE testimonials ADD COLUMN published_via TEXT;                     -- auto | moderator | max_hold, NULL unless approved
ALTER TABLE testimonials ADD COLUMN incentivised INTEGER NOT NULL DEFAULT 0; -- submitted while the brand declared an incentive
-- When the hold started, unix ms: the submission's time, except for what
-- was already waiting when this migration ran (its hold starts now, so a
-- deploy never publishes a whole old queue at once).
ALTER TABLE testimonials ADD COLUMN held_since INTEGER;
UPDATE testimonials SET held_since = CASE WHEN status = 'pending'
  THEN MAX(created_at, CAST(strftime('%s', 'now') AS INTEGER) * 1000) ELSE created_at END;
CREATE INDEX testimonials_holds ON testimonials (brand_id, status, held_since);

UPDATE testimonials SET published_via = CASE WHEN moderated_at = created_at THEN 'auto' ELSE 'moderator' END
 WHERE status = 'approved';

-- status: pending | approved | rejected | deleted; cause: how an approved
-- one was published, a rejected one's reason ('' before reasons existed).
CREATE TABLE moderation_ledger (
  brand_id TEXT NOT NULL,
  rating   INTEGER NOT NULL,
  status   TEXT NOT NULL,
  cause    TEXT NOT NULL,
  n        INTEGER NOT NULL,
  PRIMARY KEY (brand_id, rating, status, cause)
) WITHOUT ROWID;

INSERT INTO moderation_ledger (brand_id, rating, status, cause, n)
  SELECT brand_id, rating, status,
         CASE status WHEN 'approved' THEN COALESCE(published_via, '') WHEN 'rejected' THEN COALESCE(reject_reason, '') ELSE '' END,
         COUNT(*)
    FROM testimonials GROUP BY 1, 2, 3, 4;

CREATE TRIGGER ledger_on_insert AFTER INSERT ON testimonials
BEGIN
  INSERT INTO moderation_ledger (brand_id, rating, status, cause, n)
    VALUES (NEW.brand_id, NEW.rating, NEW.status,
            CASE NEW.status WHEN 'approved' THEN COALESCE(NEW.published_via, '') WHEN 'rejected' THEN COALESCE(NEW.reject_reason, '') ELSE '' END, 1)
    ON CONFLICT (brand_id, rating, status, cause) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER ledger_on_update AFTER UPDATE OF status, rating, brand_id, published_via, reject_reason ON testimonials
WHEN OLD.status IS NOT NEW.status OR OLD.rating IS NOT NEW.rating OR OLD.brand_id IS NOT NEW.brand_id
  OR OLD.published_via IS NOT NEW.published_via OR OLD.reject_reason IS NOT NEW.reject_reason
BEGIN
  UPDATE moderation_ledger SET n = n - 1
   WHERE brand_id = OLD.brand_id AND rating = OLD.rating AND status = OLD.status
     AND cause = CASE OLD.status WHEN 'approved' THEN COALESCE(OLD.published_via, '') WHEN 'rejected' THEN COALESCE(OLD.reject_reason, '') ELSE '' END;
  INSERT INTO moderation_ledger (brand_id, rating, status, cause, n)
    VALUES (NEW.brand_id, NEW.rating, NEW.status,
            CASE NEW.status WHEN 'approved' THEN COALESCE(NEW.published_via, '') WHEN 'rejected' THEN COALESCE(NEW.reject_reason, '') ELSE '' END, 1)
    ON CONFLICT (brand_id, rating, status, cause) DO UPDATE SET n = n + 1;
END;

-- Only rejected testimonials are deleted (the admin API refuses others):
-- a deleted one stays counted as rejected, for its reason, and is also
-- counted as deleted. A brand cannot make a rating vanish from its own
-- numbers. (A brand deleted whole takes its ledger with it.)
CREATE TRIGGER ledger_on_delete AFTER DELETE ON testimonials
WHEN EXISTS (SELECT 1 FROM brands WHERE id = OLD.brand_id)
BEGIN
  UPDATE moderation_ledger SET n = n - 1
   WHERE OLD.status != 'rejected' AND brand_id = OLD.brand_id AND rating = OLD.rating AND status = OLD.status
     AND cause = CASE OLD.status WHEN 'approved' THEN COALESCE(OLD.published_via, '') ELSE '' END;
  INSERT INTO moderation_ledger (brand_id, rating, status, cause, n)
    VALUES (OLD.brand_id, OLD.rating, 'deleted', '', 1)
    ON CONFLICT (brand_id, rating, status, cause) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER ledger_on_brand_delete AFTER DELETE ON brands
BEGIN
  DELETE FROM moderation_ledger WHERE brand_id = OLD.id;
END;

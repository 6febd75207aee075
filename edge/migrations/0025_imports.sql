-- Reviews imported from other platforms (core::import): each keeps its
-- source and its id there, unique per brand, so importing a file again
-- changes nothing.
ALTER TABLE testimonials ADD COLUMN import_source TEXT;     -- core::import::Source; NULL when written through Kindred
ALTER TABLE testimonials ADD COLUMN import_source_id TEXT;  -- its id at the source, or one made from its content
CREATE UNIQUE INDEX testimonials_by_import ON testimonials (brand_id, import_source, import_source_id) WHERE import_source IS NOT NULL;

-- Photos of imported testimonials, by URL, until the edge has fetched,
-- cleaned and stored them (the `kindred-imports` queue; the cron job
-- restarts a brand's that wait). Fetched rows go; failed ones stay, with
-- their error, for the console.
CREATE TABLE import_photos (
  brand_id       TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  testimonial_id TEXT NOT NULL,
  url            TEXT NOT NULL,
  position       INTEGER NOT NULL,
  state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'fetching', 'failed')),
  attempts       INTEGER NOT NULL DEFAULT 0,
  claimed_at     INTEGER,
  retry_at       INTEGER,          -- a failed attempt's next try, unix ms (backoff)
  error          TEXT,
  created_at     INTEGER NOT NULL
);
CREATE INDEX import_photos_due ON import_photos (state, brand_id);
CREATE INDEX import_photos_by_testimonial ON import_photos (testimonial_id);

-- One chain of queue messages fetches a brand's photos at a time: whoever
-- holds the brand's row (until `until`, unix ms) runs it.
CREATE TABLE import_runs (
  brand_id TEXT PRIMARY KEY,
  until    INTEGER NOT NULL
) WITHOUT ROWID;

-- Imported testimonials the brand deleted (or a shopper erased): importing
-- the same file again does not bring them back.
CREATE TABLE import_tombstones (
  brand_id         TEXT NOT NULL,
  import_source    TEXT NOT NULL,
  import_source_id TEXT NOT NULL,
  PRIMARY KEY (brand_id, import_source, import_source_id)
) WITHOUT ROWID;

-- A testimonial that goes (deleted by the brand, erased) takes its
-- unfetched photos with it and, if imported, leaves a tombstone.
CREATE TRIGGER import_photos_follow AFTER DELETE ON testimonials
BEGIN
  DELETE FROM import_photos WHERE testimonial_id = OLD.id;
  INSERT OR IGNORE INTO import_tombstones (brand_id, import_source, import_source_id)
    SELECT OLD.brand_id, OLD.import_source, OLD.import_source_id WHERE OLD.import_source IS NOT NULL;
END;

-- A rejected testimonial's photos are deleted (as for uploads): its
-- unfetched ones are never fetched.
CREATE TRIGGER import_photos_on_reject AFTER UPDATE OF status ON testimonials WHEN NEW.status = 'rejected'
BEGIN
  DELETE FROM import_photos WHERE testimonial_id = NEW.id;
END;

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
  error          TEXT,
  created_at     INTEGER NOT NULL
);
CREATE INDEX import_photos_due ON import_photos (state, brand_id);
CREATE INDEX import_photos_by_testimonial ON import_photos (testimonial_id);

-- A testimonial that goes (deleted by the brand, erased) takes its
-- unfetched photos with it.
CREATE TRIGGER import_photos_follow AFTER DELETE ON testimonials
BEGIN
  DELETE FROM import_photos WHERE testimonial_id = OLD.id;
END;

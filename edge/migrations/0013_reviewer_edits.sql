-- A reviewer edits their own testimonial (core::edit): when it was last
-- edited (the card says "edited"), and every previous version.
ALTER TABLE testimonials ADD COLUMN edited_at INTEGER;

CREATE TABLE testimonial_edits (
  id             INTEGER PRIMARY KEY,
  brand_id       TEXT NOT NULL,
  testimonial_id TEXT NOT NULL REFERENCES testimonials(id) ON DELETE CASCADE,
  at             INTEGER NOT NULL,      -- when it was replaced, unix ms
  rating         INTEGER NOT NULL,      -- the version replaced
  title          TEXT NOT NULL,
  body           TEXT NOT NULL,
  tags           TEXT NOT NULL
);
CREATE INDEX testimonial_edits_by_testimonial ON testimonial_edits (testimonial_id, id);

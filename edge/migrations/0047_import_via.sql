-- How each imported testimonial came (core::import::Source: the chunk's
-- `source`, the file the brand imported), beside where it was first
-- written (`import_source`). A Kindred export's reviews that came to the
-- old edge from Judge.me keep `import_source = 'judge.me'` (so the same
-- review imported both ways is one testimonial) but came with
-- `import_via = 'kindred'`: an import's undo and its counts
-- (`GET .../imports`) go by this, so undoing the Kindred export takes
-- them and undoing the brand's own Judge.me import leaves them.
-- Rows imported before this: their source, the only channel recorded.
ALTER TABLE testimonials ADD COLUMN import_via TEXT;
UPDATE testimonials SET import_via = import_source WHERE import_source IS NOT NULL;
CREATE INDEX testimonials_by_import_via ON testimonials (brand_id, import_via, import_source, import_source_id) WHERE import_via IS NOT NULL;

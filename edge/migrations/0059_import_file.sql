-- The file an imported testimonial came in (`kindred_core::import::ImportChunk::file`,
-- as the brand or its console named it), so an undo can take one file's
-- testimonials alone (one partner's export among several) and the
-- import's status counts each file's. NULL for those imported before, or
-- without a file name: they go with their source's whole undo, as before.
ALTER TABLE testimonials ADD COLUMN import_file TEXT;
CREATE INDEX testimonials_by_import_file ON testimonials (brand_id, import_via, import_file, import_source, import_source_id) WHERE import_file IS NOT NULL;

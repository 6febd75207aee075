-- Kindred copies imported before a record named its first home
-- (core::import, Imported::source_id) were stored under the id they had
-- in the brand whose export they came in (helper-105: a review that came
-- to C through B before, and since deleted or erased in A, came back to A
-- through C's export, named by B's id). Where that brand's row is in this
-- database (one D1 for every brand of a deployment) and is itself a
-- Kindred copy, a copy takes its first home, up to three hops. A brand
-- that holds the same review twice (what the rule now prevents) keeps
-- both as they are (OR IGNORE: the import key is unique). Their
-- tombstones are given the first home too (the old ones stay).
UPDATE OR IGNORE testimonials SET import_source_id = (SELECT o.import_source_id FROM testimonials o WHERE o.id = testimonials.import_source_id AND o.import_source = 'kindred')
  WHERE import_source = 'kindred' AND EXISTS (SELECT 1 FROM testimonials o WHERE o.id = testimonials.import_source_id AND o.import_source = 'kindred' AND o.import_source_id != testimonials.import_source_id);
UPDATE OR IGNORE testimonials SET import_source_id = (SELECT o.import_source_id FROM testimonials o WHERE o.id = testimonials.import_source_id AND o.import_source = 'kindred')
  WHERE import_source = 'kindred' AND EXISTS (SELECT 1 FROM testimonials o WHERE o.id = testimonials.import_source_id AND o.import_source = 'kindred' AND o.import_source_id != testimonials.import_source_id);
UPDATE OR IGNORE testimonials SET import_source_id = (SELECT o.import_source_id FROM testimonials o WHERE o.id = testimonials.import_source_id AND o.import_source = 'kindred')
  WHERE import_source = 'kindred' AND EXISTS (SELECT 1 FROM testimonials o WHERE o.id = testimonials.import_source_id AND o.import_source = 'kindred' AND o.import_source_id != testimonials.import_source_id);
INSERT OR IGNORE INTO import_tombstones (brand_id, import_source, import_source_id)
  SELECT d.brand_id, 'kindred', o.import_source_id FROM import_tombstones d JOIN testimonials o ON o.id = d.import_source_id AND o.import_source = 'kindred'
  WHERE d.import_source = 'kindred';

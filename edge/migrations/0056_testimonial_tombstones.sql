-- A testimonial written through Kindred that goes (the brand deleted it,
-- or its author's erasure did) leaves a keyed hash of its brand and id
-- (core::import::tombstone; never the id, which an erasure must not
-- leave): importing a partner brand's export that holds a copy of it
-- does not bring it back (helper-103: it came back published, with its
-- author's email). Imported ones leave theirs in import_tombstones
-- (migration 0025).
CREATE TABLE testimonial_tombstones (
  brand_id TEXT NOT NULL,
  digest   TEXT NOT NULL,
  PRIMARY KEY (brand_id, digest)
) WITHOUT ROWID;

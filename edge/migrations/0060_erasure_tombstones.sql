-- A testimonial its author had erased (under the brand's `delete`
-- policy) leaves a keyed hash of its id alone (core::import::
-- erasure_tombstone; never the id), checked by every brand's import on
-- this edge: a third brand importing a partner's copy made before the
-- erasure does not bring it back (session 54: A's author erased it, B
-- had A's export, C imported B's and got it back with the author's name
-- and email, since migration 0056's tombstones are keyed by brand). A
-- review the brand itself deletes stays out of its own imports only
-- (testimonial_tombstones): a brand's moderation is not every brand's.
CREATE TABLE erasure_tombstones (
  digest TEXT PRIMARY KEY
) WITHOUT ROWID;

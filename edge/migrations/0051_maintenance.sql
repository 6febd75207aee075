-- Work the cron job does once after a change of the rules stored data was
-- written by, a page a run, resuming where it stopped: `task` names it
-- (`addresses:referrers`: the stored addresses read again by
-- kindred_core::email::RULES, see edge/src/store/addresses.rs), `version`
-- the rules the pass in progress (or done) reads by, `cursor` the last id
-- it read, `done` 1 once it reached the end. A new version starts over.
CREATE TABLE maintenance (
  task    TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  cursor  TEXT NOT NULL DEFAULT '',
  done    INTEGER NOT NULL DEFAULT 0
);

-- A shopper's removals from groups, found by their key (their data
-- download, core::privacy) and by the key a removal named (a
-- readmission lifts all it reached).
CREATE INDEX group_removals_by_key ON group_removals (member_key);
CREATE INDEX group_removals_by_via ON group_removals (via);

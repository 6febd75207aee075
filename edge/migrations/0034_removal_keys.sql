-- A removal names the key the brand named (`via`: a post's author), and
-- takes out every key the group knew the member by, one row each; a
-- readmission lifts all the rows of one removal together. Removals made
-- before this carry their only key.
ALTER TABLE group_removals ADD COLUMN via TEXT;
UPDATE group_removals SET via = member_key WHERE via IS NULL;

-- A member known by both keys (joined signed out with their member token,
-- later signed in, or the other way round): the key their membership is
-- not under, noted on the first request that carries both, so a removal
-- or a block through either key (a post's author is the key it was
-- written with) reaches the membership and bars both.
ALTER TABLE group_members ADD COLUMN alt_key TEXT;
CREATE INDEX group_members_by_alt ON group_members (alt_key) WHERE alt_key IS NOT NULL;

-- Members a brand took out of a group (POST .../groups/{group}/removals):
-- they may not join it again, with an invite or an identity, until the
-- brand lifts the removal (POST .../readmissions). member_key as in
-- group_members ('m:<member token>' or 'id:<customer>'). Kept when the
-- member erases their data, as the brand's blocks are (core::privacy).
CREATE TABLE group_removals (
  group_id   TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  brand_id   TEXT NOT NULL,
  member_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, member_key)
);

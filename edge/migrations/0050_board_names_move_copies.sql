-- A referrer may change their name (PATCH /v1/brands/{brand}/referrers/me:
-- a link recovered by email keeps whatever name the first person to type
-- its address chose), and the brand's identity-vouched owner taking a link
-- over writes theirs. The ambassadors' board rides in the first-paint copy
-- (migration 0032), so a new name moves the brand's copy version where the
-- board can show it, by 0032's rule: the brand shows a board, the referrer
-- is listed (a referred purchase; an erased one, its name blanked, is
-- never listed: kindred_core::sql::LEADERBOARD) and fewer than 5 other
-- listed referrers have more purchases (ties count as shown). A blanked
-- name (an erasure) leaves the board too, so it moves the copies as well.
CREATE TRIGGER board_names_move_copies AFTER UPDATE OF name ON referrers
  WHEN NEW.name <> OLD.name AND NEW.purchases > 0
   AND (SELECT COUNT(*) FROM (SELECT 1 FROM referrers o WHERE o.brand_id = NEW.brand_id AND o.id <> NEW.id
          AND o.purchases > NEW.purchases AND o.name <> '' LIMIT 5)) < 5
BEGIN
  UPDATE brands SET copy_version = copy_version + 1
   WHERE id = NEW.brand_id AND json_valid(referral_config)
     AND json_extract(referral_config, '$.leaderboard') = 1
     AND json_extract(referral_config, '$.landing_url') IS NOT NULL;
END;

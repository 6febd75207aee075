-- The ambassadors' board rides in the first-paint copy (WidgetPayload
-- `ambassadors`: the first 5, kindred_core::referral::BOARD_SHOWN). A change
-- of a referrer's approved referred purchases (`referrers.purchases`, kept by
-- migration 0009's triggers on conversions: a purchase reported approved, a
-- held one approved, an approved one removed) moves the brand's copy
-- version, so no copy shows an old board; but only when the board can show
-- it: the brand shows a board (a referral programme with `leaderboard` on),
-- and fewer than 5 other listed referrers (an erased one, its name blanked,
-- is never listed: kindred_core::sql::LEADERBOARD) have more purchases than
-- this one had or has (ties count as shown). A purchase far down the list
-- leaves every copy of a busy brand as it is.
CREATE TRIGGER board_moves_copies AFTER UPDATE OF purchases ON referrers
  WHEN NEW.purchases <> OLD.purchases
   AND (SELECT COUNT(*) FROM (SELECT 1 FROM referrers o WHERE o.brand_id = NEW.brand_id AND o.id <> NEW.id
          AND o.purchases > MAX(OLD.purchases, NEW.purchases) AND o.name <> '' LIMIT 5)) < 5
BEGIN
  UPDATE brands SET copy_version = copy_version + 1
   WHERE id = NEW.brand_id AND json_valid(referral_config)
     AND json_extract(referral_config, '$.leaderboard') = 1
     AND json_extract(referral_config, '$.landing_url') IS NOT NULL;
END;

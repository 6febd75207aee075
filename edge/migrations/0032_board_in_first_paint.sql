-- The ambassadors' board rides in the first-paint copy (WidgetPayload
-- `ambassadors`): a change of any referrer's approved referred purchases
-- (`referrers.purchases`, kept by migration 0009's triggers on conversions:
-- a purchase reported approved, a held one approved or rejected, one
-- removed) moves the brand's copy version, so no copy shows an old board.
-- Only for a brand that shows its board: for the others the board is not in
-- their copies, and a purchase changes nothing the first paint shows.
CREATE TRIGGER board_moves_copies AFTER UPDATE OF purchases ON referrers
  WHEN NEW.purchases <> OLD.purchases
BEGIN
  UPDATE brands SET copy_version = copy_version + 1
   WHERE id = NEW.brand_id AND json_extract(referral_config, '$.leaderboard') = 1;
END;

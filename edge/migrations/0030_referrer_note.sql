-- A referrer's personal note for friends (kindred_core::referral::ReferrerPatch):
-- shown above the friend's offer once the brand approves it. `note_status`
-- is pending, approved or rejected (NULL without a note); `note_at` is when
-- these words were written (a moderator's decision names it, so a note
-- rewritten since is not decided unread); a rejection keeps its reason.
ALTER TABLE referrers ADD COLUMN note TEXT;
ALTER TABLE referrers ADD COLUMN note_status TEXT;
ALTER TABLE referrers ADD COLUMN note_at INTEGER;
ALTER TABLE referrers ADD COLUMN note_reject_reason TEXT;
ALTER TABLE referrers ADD COLUMN note_reject_note TEXT;
-- The brand's note queue, newest first per status (core::sql::NOTE_QUEUE).
CREATE INDEX referrers_notes ON referrers (brand_id, note_status, note_at DESC, code) WHERE note IS NOT NULL;

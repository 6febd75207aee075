-- A report's reason is one of kindred_core::community::REPORT_REASONS'
-- names from now on (helper-91: a member's free words, such as "Spam · 1
-- report(s) · checked by Kindred: keep", read in the console as the
-- console's own). Reports written before keep counting, under `other`:
-- their words were a member's, unchecked (helper-92 found them still shown).
UPDATE reports SET reason = 'other' WHERE reason NOT IN ('spam', 'offensive', 'personal_data', 'off_topic', 'other');

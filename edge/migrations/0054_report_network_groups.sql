-- Which of a post's open reports came from one network, kept once the
-- network's hash is forgotten (helper-94: after the 30 days of
-- reports_network_age every report of a flood counted as a network of its
-- own, and the flood rose to the top of the queue): the id of the post's
-- first open report from that network (kindred_core::sql::INSERT_REPORT
-- sets it). It names nothing outside its post.
ALTER TABLE reports ADD COLUMN network_group TEXT;
UPDATE reports SET network_group = COALESCE(
  (SELECT MIN(o.id) FROM reports o WHERE o.target_id = reports.target_id AND o.network = reports.network AND o.resolved = 0), id)
  WHERE resolved = 0;

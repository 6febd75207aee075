-- The brand's conversions, referrers and webhook delivery log, a page at a
-- time, newest first (core `sql::conversions_page`, `sql::REFERRERS_PAGE`,
-- `sql::deliveries_page`, cursors of `kindred_core::page`): each page seeks
-- to its cursor through one of these and reads its own rows only. Before,
-- each list was its newest 200, 500 or 100 rows, sorted from all of the
-- brand's (a temporary b-tree), and the rest could not be reached
-- (helper-100: held conversions past the 200th were approved at their
-- deadline without the brand seeing them).
CREATE INDEX conversions_listed ON conversions (brand_id, created_at, id);
CREATE INDEX conversions_listed_by_status ON conversions (brand_id, status, created_at, id);
CREATE INDEX referrers_listed ON referrers (brand_id, created_at, code);
CREATE INDEX deliveries_listed ON webhook_deliveries (brand_id, created_at, id);
CREATE INDEX deliveries_listed_by_status ON webhook_deliveries (brand_id, status, created_at, id);

-- Rewards approved while the brand's reward pool was dry wait for a code
-- (state 'pending_coupon'); codes uploaded later go to them, the oldest
-- first (edge store::referrals::issue_waiting_rewards). This index holds
-- only the waiting ones.
CREATE INDEX rewards_waiting ON rewards (brand_id, created_at, id) WHERE state = 'pending_coupon';

-- How many claims on the same code came from the claim's network in the
-- hour up to it, this one included (NULL without a usable address),
-- counted when it was made: a purchase reported later with that friend's
-- pool coupon is judged by its own claim's network
-- (referral.velocity.max_claims_per_ip_per_hour), however long after,
-- without keeping the network's hash past a day.
ALTER TABLE referral_claims ADD COLUMN network_claims INTEGER;

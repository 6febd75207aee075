-- Ambassador badges follow the brand's tiers: when the tiers change, the
-- brand's badges are taken away and given again (kindred_core::sql
-- CLEAR_AMBASSADORS, MARK_AMBASSADORS). This index holds only the
-- testimonials that carry one, so taking them away reads those alone.
CREATE INDEX testimonials_ambassador ON testimonials (brand_id) WHERE ambassador = 1;

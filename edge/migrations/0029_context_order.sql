-- A personal order without tracking (issue 15, part 3; core::context).
--
-- The language a testimonial is written in: the primary language subtag
-- (BCP 47, lowercase, e.g. 'fa') of the page its author wrote it on, kept
-- only when the text's direction agrees with it (core::context::written_in);
-- NULL when unknown (older rows, imports, a Persian text sent from an
-- English page). Shown as the card's `lang` attribute, and the shopper's
-- language comes first in the widget's first page.
ALTER TABLE testimonials ADD COLUMN lang TEXT;

-- A scope's testimonials in one language, in the feed's default order
-- (featured first, then newest): a first page in the shopper's language
-- reads its page and stops (core::sql::in_language). The same indexes
-- give a scope's languages one seek each (core::sql::languages).
CREATE INDEX testimonials_in_language ON testimonials (brand_id, lang, featured DESC, created_at DESC)
  WHERE status = 'approved' AND lang IS NOT NULL;
CREATE INDEX testimonials_in_language_by_product ON testimonials (brand_id, product_id, lang, featured DESC, created_at DESC)
  WHERE status = 'approved' AND lang IS NOT NULL AND product_id IS NOT NULL;

-- A group's interest tag (a testimonial tag, core::testimonial::normalize_tags):
-- a visitor arriving with the group's invite sees testimonials with it
-- first (read by the group's key), and a shopper who just wrote a review
-- with it is offered the group (core::community::suggest, over the brand's
-- group list the widget reads anyway).
ALTER TABLE groups ADD COLUMN tag TEXT;

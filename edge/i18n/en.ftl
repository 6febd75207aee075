# Pages the edge renders itself (not shipped to shoppers' browsers in the
# loader): "How reviews work" (core::disclosure). Same syntax as
# widget/i18n; every locale has every message of this file.
how-title = How reviews work at { $brand }
how-who = Reviews are written by customers in the review form on { $brand }'s pages. { $brand } cannot change a review's stars or words.
how-verified-purchase = "Verified purchase" means the review was written through a link { $brand } sent after an order, by the email address of that order.
how-verified-buyer = "Verified buyer" means the reviewer was signed in to { $brand }'s shop when writing, confirmed by the shop's server. Reviews without either mark are not checked against orders.
how-at-once-none = A person at { $brand } reads every review before it is published.
how-at-once-rating = Reviews with { $min } stars or more are published at once; the others are read by a person first.
how-at-once-verified = Reviews by verified buyers and verified purchases are published at once; the others are read by a person first.
how-at-once-all = Reviews are published at once.
how-hold = { $days ->
    [one] A review nobody has decided on is published after 1 day at the latest.
   *[other] A review nobody has decided on is published after { $days } days at the latest.
}
how-reasons = Reviews are rejected only for these reasons, never for their rating: { $reasons }.
how-reason-spam = spam
how-reason-offensive = offensive content
how-reason-personal_data = personal data
how-reason-off_topic = not about the product or service
how-reason-duplicate = duplicates
how-reason-other = another reason a moderator writes down
how-incentive-none = { $brand } gives nothing in return for reviews.
how-incentive = { $brand } gives { $offer } for any review, whatever its rating. Reviews written under this offer are labelled "Incentivised".
how-sort = Reviews are shown newest first, with the reviews { $brand } features at the top. You can also sort them by rating or by helpfulness.
how-personal-order = The first reviews you see may be chosen for where you came from, with no tracking: reviews that share a tag with the page you are on, with the friend who sent you or with the group that invited you come first, then the reviews the brand features, then reviews in your language. Choose “Newest” to see the usual order.
how-average = The average rating is the mean of all published ratings, rounded to one decimal.
# Feeds and share pages (core::syndication).
feed-read-more = Read more
share-on = { $name } on { $brand }
share-see-product = See { $product }
share-visit = Visit { $brand }
share-link = Link to this review
wall-title = What customers say about { $brand }
wall-title-product = What customers say about { $product }
wall-all = All
wall-empty = No reviews to show here yet.

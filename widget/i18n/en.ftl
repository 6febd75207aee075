# Kindred widget: English, the source catalogue. Every other locale has
# exactly these messages (xtask's build checks it). The format, and what of
# Fluent it accepts: core/src/i18n.rs. Numbers in { $count } and the like are
# formatted by the browser's Intl for the locale; plural variants are chosen
# by Intl.PluralRules (CLDR categories: zero, one, two, few, many, other).

## The widget
widget-label = Customer reviews of { $subject }
title = What customers say
loading-reviews = Loading reviews
frame-title = Customer reviews
review-count = { $count ->
    [one] { $count } review
   *[other] { $count } reviews
}
# $rating is already formatted, e.g. "4.3".
stars-label = { $rating } out of 5 stars
write-review = Write a review
filters-label = Filter and sort reviews
filter-rating = Rating
rating-all = All ratings
rating-stars = { $count ->
    [one] { $count } star
   *[other] { $count } stars
}
sort = Sort
sort-newest = Newest
sort-highest = Highest rated
sort-helpful = Most helpful
# The first page in the order of the visitor's context (kindred_core::context):
# a tag of the referrer's, the group invite's or the page's; else the shopper's language.
sort-context-tag = { $tag } first
sort-context-lang = Your language first
empty = No reviews yet. Be the first to share yours.
empty-filtered = No reviews match these filters.
show-all = { $count ->
    [one] Show the review
   *[other] Show all { $count } reviews
}
# The first view's cards all show and its footer does not: the same button
# opens the rest of the widget.
show-more = Show more
loading = Loading…
load-more = Load more reviews
error-load = Could not load reviews. { $reason }

## A testimonial card
badge-featured = Featured
badge-verified = Verified buyer
badge-purchase = Verified purchase
reply-from = Response from { $brand }
edited = edited
edit-review = Edit your review
edit-save = Save changes
edit-saved = Saved.
edit-pending = Saved. Your changed words will appear after a quick check.
how-reviews-work = How reviews work
# What reviews mention most (phrases from all published reviews, any rating).
aspects-title = Reviews mention
# Of the reviews using a phrase, those rated $lowest to $highest stars
# (1 to 3: numbers, written in the locale's digits by the widget).
aspect-critical = { $count } with { $lowest }–{ $highest } stars
badge-incentivised = Incentivised
# A review first written on another site and brought in by the brand.
badge-imported = Imported
form-incentive = You get { $offer } for a review, whatever your rating.
# Consent to reuse beyond the brand's site; unticked by default.
form-consent = { $brand } may feature my review, name and photos in its ads, social posts and emails.
# After the consent to reuse was given or withdrawn from the shopper's own card.
consent-saved = Your choice is saved.
badge-ambassador = Ambassador
photo-alt = Photo from { $name }
tags-label = Interests
helpful = Helpful
helpful-done = Helpful ✓

## The review form
form-name = Your name
form-email = Email
form-email-hint = (private, never shown)
form-private = (private)
form-rating = Your rating
form-title = Title
form-optional = (optional)
form-body = Your review
form-tags = Your interests
form-tags-hint = (comma separated, e.g. trail running)
form-photos = Photos
form-photos-hint = (up to { $count }, JPEG, PNG or WebP, { $max } MB each)
form-submit = Submit review
cancel = Cancel
uploading = Uploading photos…
uploading-more = Uploading more photos…
sending = Sending your review…
thanks-live = Thank you! Your review is live.
thanks-pending = Thank you! Your review will appear after a quick check.

## Problems
error-name = Enter your name (up to { $max } characters).
error-name-address = Your name is shown to others: enter a name, not an email address.
error-name-required = Enter your name.
error-email = Enter a valid email address.
# Joining the referral program with an email that already has a link, from
# another browser or signed out (the link is never shown to whoever types it).
error-email-taken = This email already has a referral link. Open it where you got it: signed in, or in the browser you used then.
error-review-link = This review link no longer works (used, expired or stopped). Send again to post your review without it.
error-order-email = Use the email address you ordered with, for a verified purchase.
error-rating = Choose a rating from 1 to 5 stars.
error-title = The title can be up to { $max } characters.
error-body = Write between { $min } and { $max } characters.
error-tags = Up to { $count } interests, each up to { $max } characters.
error-photos-count = { $count ->
    [one] Choose one photo at most.
   *[other] Choose { $count } photos at most.
}
error-photo-size = { $name } is larger than { $max } MB.
error-photo = { $name }: { $reason }
error-photo-type = Photos can be JPEG, PNG or WebP.
error-too-large = That is too large to send.
error-busy = Too many tries in a short time. Please wait a minute and try again.
error-offline = Could not reach the server. Check your connection and try again.
error-sign-in = Your session has expired. Reload the page and try again.
error-already-voted = You have already voted for this review.
error-invalid = Something in this form is not right. Check it and try again.
error-invite = This invitation no longer works (used, revoked or expired). Ask for a new one.
error-forbidden = This is not open to you. Join the group first, or ask for an invitation.
error-conflict = That changed in the meantime. Reload and try again.
error-generic = Something went wrong. Please try again.
error-part = Could not load this part. Check your connection and try again.

## Referrals
referral-label = Refer a friend
# $offer is the brand's own words, e.g. "15% off".
referral-pitch = Give friends { $offer }
referral-open = Get your referral link
referral-submit = Get my link
referral-email-link = Email me my link
referral-link-sent = If this address has a referral link, it is on its way there. Open the email on this device to have your link here.
error-referral-link = This link no longer works (already used, or expired). Type your email to ask for a new one.
referral-link-take = Put my referral link on this device
error-referral-link-own = This browser has a referral link of its own. Open the link from the email in another browser.
# After a review: the group that fits it (kindred_core::community::suggest).
next-group-pitch = Meet others in { $group }
next-group-join = Join as { $name }
next-group-joined = You joined { $group }: it is under Community groups below.
referral-link-label = Your referral link
your-code = Your code
copy-link = Copy link
copy-code = Copy code
copied = Copied
share = Share
share-email = Email
share-subject = A gift from { $brand }
share-text = I like { $brand }. Here is { $offer } for you: { $link }
stat-clicks = Clicks
stat-friends = Friends joined
stat-purchases = Purchases
rewards-label = Your rewards
reward-code = Reward code: { $code }
reward-sent = Reward on its way
reward-soon = Reward coming soon
board-title = Top ambassadors
board-friends = { $count ->
    [one] { $count } friend
   *[other] { $count } friends
}
friend-offer = { $name } gave you { $offer }
friend-voice-reward = { $name } gets a reward if you order.
friend-use-code = Use code
friend-at-checkout = at checkout.
friend-restocking = Welcome offers are being restocked. Check back soon: your invitation is saved.
friend-applied = The discount is applied at checkout.
referrer-name-label = Your name, as friends see it
note-label = A note for friends who follow your link
referrer-save = Save
note-pending = Saved. Friends see it once the brand approves it.
note-approved = Friends who follow your link see this note.
note-rejected = This note was not approved, so friends do not see it. You can write another.
error-note = A note can be up to { $max } characters.
note-removed = Note removed.
referrer-name-saved = Name saved.

## Community
community = Community groups
community-label = Community
community-name = Your name in groups
community-name-first = Choose the name other members will see first.
community-invited = You have an invitation to a private group.
community-accept = Accept and join
unread = { $count } new
group-private = Private
group-members = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
group-open = Open
group-join = Join
groups-all = All groups
group-leave = Leave group
group-leave-confirm = Leave { $group }?
group-leave-private = To join again, you will need an invite.
group-leave-yes = Leave
group-leave-no = Stay
group-left = You left { $group }.
group-joined = You joined { $group }.
thread-start = Start a thread
thread-message = Message
thread-photo = Photo
thread-replies-label = Replies
photo-choose = Choose a photo
photo-choose-several = Choose photos
photo-remove = Remove photo
photo-remove-several = Remove photos
photo-none = No photo chosen
photo-count = { $count ->
    [one] { $count } photo
   *[other] { $count } photos
}
thread-post = Post
thread-pinned = Pinned
thread-pending = Awaiting approval
thread-replies = { $count ->
    [one] { $count } reply
   *[other] { $count } replies
}
thread-back = Back to the group
thread-earlier = Show earlier replies
thread-earlier-shown = { $count ->
    [one] { $count } earlier reply shown
   *[other] { $count } earlier replies shown
}
reply = Reply
reply-label = Your reply
report = Report
report-why = Why report this?
report-reason-spam = Spam or advertising
report-reason-offensive = Abusive or offensive
report-reason-personal_data = Someone's personal details
report-reason-off_topic = Not about the product
report-reason-other = Something else
report-send = Send report
report-choose = Choose why you are reporting this.
report-gone = This post was removed, so there is nothing to report.
post-gone = This post was removed.
thanks-post = Thanks! Your post appears once the brand approves it.
thanks-reply = Thanks! Your reply appears once the brand approves it.
said-in-thread = In “{ $thread }”: { $said }
thread-not-posted = The thread “{ $thread }” was not posted in { $group }: { $said } Your words are kept there.
thanks-report = Thanks, the brand will take a look.
reaction-like = Like ({ $count })
reaction-love = Love ({ $count })
reaction-helpful = Helpful ({ $count })
reaction-celebrate = Celebrate ({ $count })

# "Your data": what the shop keeps through Kindred for this shopper.
data-title = Your data
data-intro = What this shop keeps about you here, through its reviews, referrals and groups:
data-none = Nothing is kept about you here.
data-testimonials = { $count ->
    [one] { $count } review
   *[other] { $count } reviews
}
data-votes = { $count ->
    [one] { $count } “helpful” vote
   *[other] { $count } “helpful” votes
}
data-referral = Your referral link, its clicks and rewards
data-claims = { $count ->
    [one] { $count } welcome offer claimed
   *[other] { $count } welcome offers claimed
}
data-groups = { $count ->
    [one] Member of { $count } group
   *[other] Member of { $count } groups
}
data-posts = { $count ->
    [one] { $count } post or reply
   *[other] { $count } posts and replies
}
data-reactions = { $count ->
    [one] { $count } reaction or report
   *[other] { $count } reactions and reports
}
data-orders = { $count ->
    [one] { $count } order the shop told us about
   *[other] { $count } orders the shop told us about
}
data-invites = { $count ->
    [one] { $count } group invite link you made
   *[other] { $count } group invite links you made
}
data-restrictions = { $count ->
    [one] { $count } decision by the shop about you (a block or a removal from a group), kept after deleting
   *[other] { $count } decisions by the shop about you (blocks or removals from groups), kept after deleting
}
data-download = Download all (JSON)
data-delete = Delete my data
data-confirm = This deletes your reviews and their photos, votes, referral link (rewards not yet used are lost), group memberships and posts here. Replies others wrote in your threads go too. It cannot be undone.
data-confirm-anonymise = Your reviews and posts stay, without your name, email or photos. Your votes, referral link (rewards not yet used are lost) and group memberships are deleted. It cannot be undone.
data-confirm-yes = Yes, delete
data-erased = Done: your data is deleted, and this browser no longer remembers you here.
former-customer = Former customer
former-member = Former member

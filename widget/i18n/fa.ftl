# Kindred widget: فارسی. Messages and format: see en.ftl. Plural
# categories for Persian: one, other (a noun after a number stays singular,
# so most variants read the same). Digits, dates (the Solar Hijri calendar)
# and relative times come from Intl for "fa". Words carry the zero-width
# non-joiner (U+200C) that Persian spelling wants (می‌گویند, not میگویند).

## The widget
widget-label = نظرهای مشتریان درباره { $subject }
title = مشتریان چه می‌گویند
loading-reviews = در حال بارگذاری نظرها
frame-title = نظرهای مشتریان
review-count = { $count } نظر
stars-label = { $rating } از ۵ ستاره
write-review = نوشتن نظر
filters-label = فیلتر و مرتب‌سازی نظرها
filter-rating = امتیاز
rating-all = همه امتیازها
rating-stars = { $count } ستاره
sort = ترتیب
sort-newest = جدیدترین
sort-highest = بالاترین امتیاز
sort-helpful = مفیدترین
sort-context-tag = اول { $tag }
sort-context-lang = اول به زبان شما
empty = هنوز نظری ثبت نشده است. اولین نفری باشید که نظر می‌دهد.
empty-filtered = هیچ نظری با این فیلترها جور نیست.
show-all = { $count ->
    [one] نمایش نظر
   *[other] نمایش همه { $count } نظر
}
show-more = نمایش بیشتر
loading = در حال بارگذاری…
load-more = نظرهای بیشتر
error-load = بارگذاری نظرها ممکن نشد. { $reason }

## A testimonial card
badge-featured = برگزیده
badge-verified = خریدار تأییدشده
badge-purchase = خرید تأییدشده
reply-from = پاسخ { $brand }
edited = ویرایش‌شده
edit-review = ویرایش نظرتان
edit-save = ذخیره تغییرات
edit-saved = ذخیره شد.
edit-pending = ذخیره شد. متن تازه شما پس از یک بررسی کوتاه نمایش داده می‌شود.
how-reviews-work = نظرها چطور منتشر می‌شوند
aspects-title = نظرها از این‌ها می‌گویند
aspect-critical = { $count } با { $lowest } تا { $highest } ستاره
badge-incentivised = با پاداش
badge-imported = منتقل‌شده از سایت دیگر
form-incentive = برای هر نظر، با هر امتیازی، { $offer } می‌گیرید.
form-consent = { $brand } می‌تواند نظر، نام و عکس‌های من را در تبلیغات، پست‌های شبکه‌های اجتماعی و ایمیل‌هایش به کار ببرد.
consent-saved = انتخاب شما ذخیره شد.
badge-ambassador = سفیر
photo-alt = عکس از { $name }
tags-label = علاقه‌مندی‌ها
helpful = مفید بود
helpful-done = مفید بود ✓

## The review form
form-name = نام شما
form-email = ایمیل
form-email-hint = (خصوصی، هرگز نمایش داده نمی‌شود)
form-private = (خصوصی)
form-rating = امتیاز شما
form-title = عنوان
form-optional = (اختیاری)
form-body = نظر شما
form-tags = علاقه‌مندی‌های شما
form-tags-hint = (جدا با ویرگول، مثلاً کوهنوردی، دویدن)
form-photos = عکس‌ها
form-photos-hint = (حداکثر { $count } عکس JPEG، PNG یا WebP، هر کدام تا { $max } مگابایت)
form-submit = ثبت نظر
cancel = انصراف
uploading = در حال بارگذاری عکس‌ها…
uploading-more = در حال بارگذاری عکس‌های بیشتر…
sending = در حال ارسال نظر شما…
thanks-live = سپاس! نظر شما منتشر شد.
thanks-pending = سپاس! نظر شما پس از یک بررسی کوتاه نمایش داده می‌شود.

## Problems
error-name = نام خود را بنویسید (حداکثر { $max } نویسه).
error-name-address = نام شما به دیگران نشان داده می‌شود: یک نام بنویسید، نه نشانی ایمیل.
error-name-required = نام خود را بنویسید.
error-email = یک نشانی ایمیل درست بنویسید.
error-email-taken = این ایمیل از قبل پیوند معرفی دارد. آن را همان‌جا باز کنید که گرفتید: با ورود به حساب، یا در مرورگری که آن زمان به کار بردید.
error-review-link = این پیوند نظر دیگر کار نمی‌کند (استفاده شده، منقضی یا متوقف شده است). دوباره بفرستید تا نظرتان بدون آن ثبت شود.
error-order-email = برای خرید تأییدشده، نشانی ایمیلی را بنویسید که با آن سفارش داده‌اید.
error-rating = امتیازی از ۱ تا ۵ ستاره انتخاب کنید.
error-title = عنوان می‌تواند حداکثر { $max } نویسه باشد.
error-body = بین { $min } تا { $max } نویسه بنویسید.
error-tags = حداکثر { $count } علاقه‌مندی، هر کدام تا { $max } نویسه.
error-photos-count = { $count ->
    [one] حداکثر یک عکس انتخاب کنید.
   *[other] حداکثر { $count } عکس انتخاب کنید.
}
error-photo-size = حجم { $name } بیشتر از { $max } مگابایت است.
error-photo = { $name }: { $reason }
error-photo-type = عکس‌ها باید JPEG، PNG یا WebP باشند.
error-too-large = برای فرستادن بیش از حد بزرگ است.
error-busy = در مدت کوتاهی بیش از حد تلاش شد. لطفاً یک دقیقه صبر کنید و دوباره تلاش کنید.
error-offline = اتصال به سرور برقرار نشد. اینترنت خود را بررسی کنید و دوباره تلاش کنید.
error-sign-in = نشست شما به پایان رسیده است. صفحه را دوباره بارگذاری کنید و دوباره تلاش کنید.
error-already-voted = شما پیش‌تر به این نظر رأی داده‌اید.
error-invalid = بخشی از این فرم درست نیست. آن را بررسی کنید و دوباره تلاش کنید.
error-invite = این دعوت‌نامه دیگر معتبر نیست (استفاده، لغو یا منقضی شده است). دعوت‌نامه تازه‌ای بخواهید.
error-forbidden = این بخش برای شما باز نیست. اول به گروه بپیوندید یا دعوت‌نامه بخواهید.
error-conflict = این در این فاصله تغییر کرده است. صفحه را دوباره بارگذاری کنید و دوباره تلاش کنید.
error-generic = مشکلی پیش آمد. لطفاً دوباره تلاش کنید.
error-part = بارگذاری این بخش ممکن نشد. اینترنت خود را بررسی کنید و دوباره تلاش کنید.

## Referrals
referral-label = معرفی به دوستان
referral-pitch = به دوستانتان { $offer } هدیه بدهید
referral-open = پیوند معرفی خود را بگیرید
referral-submit = پیوندم را بده
referral-email-link = پیوندم را ایمیل کن
referral-link-sent = اگر این نشانی پیوند معرفی داشته باشد، به همان‌جا فرستاده می‌شود. ایمیل را در همین دستگاه باز کنید تا پیوندتان این‌جا باشد.
error-referral-link = این پیوند دیگر کار نمی‌کند (قبلاً استفاده شده یا منقضی شده). ایمیل خود را بنویسید تا پیوند تازه‌ای بخواهید.
referral-link-take = پیوند معرفی‌ام را به این دستگاه بیاور
error-referral-link-own = این مرورگر پیوند معرفی خودش را دارد. پیوند ایمیل را در مرورگر دیگری باز کنید.
next-group-pitch = با هم‌سلیقه‌ها در { $group } آشنا شوید
next-group-join = پیوستن با نام { $name }
next-group-joined = به { $group } پیوستید: پایین‌تر، در گروه‌های انجمن است.
referral-link-label = پیوند معرفی شما
your-code = کد شما
copy-link = کپی پیوند
copy-code = کپی کد
copied = کپی شد
share = هم‌رسانی
share-email = ایمیل
share-subject = هدیه‌ای از { $brand }
share-text = من { $brand } را دوست دارم. این { $offer } برای تو: { $link }
stat-clicks = کلیک‌ها
stat-friends = دوستانی که پیوستند
stat-purchases = خریدها
rewards-label = پاداش‌های شما
reward-code = کد پاداش: { $code }
reward-sent = پاداش در راه است
reward-soon = پاداش به‌زودی می‌رسد
board-title = سفیران برتر
board-friends = { $count } دوست
friend-offer = { $name } به شما { $offer } هدیه داد
friend-voice-reward = اگر سفارش بدهید، { $name } پاداش می‌گیرد.
friend-use-code = کد
friend-at-checkout = را هنگام پرداخت وارد کنید.
friend-restocking = پیشنهادهای خوش‌آمد دوباره در حال آماده شدن است. به‌زودی سر بزنید: دعوت شما ذخیره شده است.
friend-applied = تخفیف هنگام پرداخت اعمال می‌شود.
referrer-name-label = نام شما، همان‌طور که دوستانتان می‌بینند
note-label = یادداشتی برای دوستانی که با پیوند شما می‌آیند
referrer-save = ذخیره
note-pending = ذخیره شد. دوستان پس از تأیید برند آن را می‌بینند.
note-approved = دوستانی که با پیوند شما می‌آیند این یادداشت را می‌بینند.
note-rejected = این یادداشت تأیید نشد و دوستان آن را نمی‌بینند. می‌توانید یادداشت دیگری بنویسید.
error-note = یادداشت می‌تواند حداکثر { $max } نویسه باشد.
note-removed = یادداشت حذف شد.
referrer-name-saved = نام ذخیره شد.

## Community
community = گروه‌های انجمن
community-label = انجمن
community-name = نام شما در گروه‌ها
community-name-first = اول نامی را انتخاب کنید که اعضای دیگر می‌بینند.
community-invited = به یک گروه خصوصی دعوت شده‌اید.
community-accept = پذیرفتن و پیوستن
unread = { $count } تازه
group-private = خصوصی
group-members = { $count } عضو
group-open = باز کردن
group-join = پیوستن
groups-all = همه گروه‌ها
group-leave = ترک گروه
group-leave-confirm = { $group } را ترک می‌کنید؟
group-leave-private = برای پیوستن دوباره به دعوت‌نامه نیاز دارید.
group-leave-yes = ترک
group-leave-no = می‌مانم
group-left = { $group } را ترک کردید.
group-joined = به { $group } پیوستید.
thread-start = شروع گفتگو
thread-message = پیام
thread-photo = عکس
thread-replies-label = پاسخ‌ها
photo-choose = انتخاب عکس
photo-choose-several = انتخاب عکس‌ها
photo-remove = حذف عکس
photo-remove-several = حذف عکس‌ها
photo-none = عکسی انتخاب نشده
photo-count = { $count ->
    [one] { $count } عکس
   *[other] { $count } عکس
}
thread-post = فرستادن
thread-pinned = سنجاق‌شده
thread-pending = در انتظار تأیید
thread-replies = { $count ->
    [one] { $count } پاسخ
   *[other] { $count } پاسخ
}
thread-back = بازگشت به گروه
thread-earlier = نمایش پاسخ‌های قبلی
thread-earlier-shown = { $count ->
    [one] { $count } پاسخ قبلی نمایش داده شد
   *[other] { $count } پاسخ قبلی نمایش داده شد
}
reply = پاسخ
reply-label = پاسخ شما
report = گزارش
report-why = چرا این را گزارش می‌کنید؟
report-reason-spam = هرزنامه یا تبلیغ
report-reason-offensive = توهین‌آمیز یا آزارنده
report-reason-personal_data = اطلاعات شخصی کسی
report-reason-off_topic = ربطی به محصول ندارد
report-reason-other = دلیل دیگر
report-send = ارسال گزارش
report-choose = دلیل گزارش را انتخاب کنید.
report-gone = این پست حذف شده است و چیزی برای گزارش نمانده.
post-gone = این پست حذف شد.
thanks-post = سپاس! پست شما پس از تأیید برند نمایش داده می‌شود.
thanks-reply = سپاس! پاسخ شما پس از تأیید برند نمایش داده می‌شود.
said-in-thread = در «{ $thread }»: { $said }
thread-not-posted = گفتگوی «{ $thread }» در { $group } منتشر نشد: { $said } نوشته‌هایتان همان‌جا نگه داشته شده است.
thanks-report = سپاس، برند آن را بررسی می‌کند.
reaction-like = پسندیدم ({ $count })
reaction-love = عاشقشم ({ $count })
reaction-helpful = مفید ({ $count })
reaction-celebrate = تبریک ({ $count })

# "Your data": what the shop keeps through Kindred for this shopper.
data-title = داده‌های شما
data-intro = آنچه این فروشگاه از راه نظرها، معرفی‌ها و گروه‌هایش درباره شما در اینجا نگه می‌دارد:
data-none = اینجا هیچ داده‌ای درباره شما نگه داشته نمی‌شود.
data-testimonials = { $count } نظر
data-votes = { $count } رأی «مفید بود»
data-referral = پیوند معرفی شما، کلیک‌ها و پاداش‌هایش
data-claims = { $count } پیشنهاد خوش‌آمد دریافت‌شده
data-groups = عضو { $count } گروه
data-posts = { $count } پست یا پاسخ
data-reactions = { $count } واکنش یا گزارش
data-orders = { $count } سفارش که فروشگاه به ما خبر داده است
data-invites = { $count } پیوند دعوت گروه که ساخته‌اید
data-restrictions = { $count } تصمیم فروشگاه درباره شما (مسدود کردن یا حذف از گروه)، که پس از پاک کردن هم می‌ماند
data-download = دانلود همه (JSON)
data-delete = پاک کردن داده‌های من
data-confirm = با این کار نظرها و عکس‌هایشان، رأی‌ها، پیوند معرفی (پاداش‌های استفاده‌نشده از دست می‌روند)، عضویت در گروه‌ها و پست‌های شما در اینجا پاک می‌شوند. پاسخ‌هایی که دیگران در گفتگوهای شما نوشته‌اند هم پاک می‌شوند. این کار برگشت‌پذیر نیست.
data-confirm-anonymise = نظرها و پست‌های شما بدون نام، ایمیل و عکس‌هایتان می‌مانند. رأی‌ها، پیوند معرفی (پاداش‌های استفاده‌نشده از دست می‌روند) و عضویت‌های شما در گروه‌ها پاک می‌شوند. این کار برگشت‌پذیر نیست.
data-confirm-yes = بله، پاک شود
data-erased = انجام شد: داده‌های شما پاک شد و این مرورگر دیگر شما را در اینجا به یاد نمی‌آورد.
former-customer = مشتری پیشین
former-member = عضو پیشین

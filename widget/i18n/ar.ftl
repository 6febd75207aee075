# Kindred widget: العربية. Messages and format: see en.ftl. Plural
# categories for Arabic: zero, one, two, few, many, other.

## The widget
widget-label = آراء العملاء في { $subject }
title = ماذا يقول عملاؤنا
loading-reviews = جارٍ تحميل المراجعات
frame-title = آراء العملاء
review-count = { $count ->
    [zero] لا توجد مراجعات
    [one] مراجعة واحدة
    [two] مراجعتان
    [few] { $count } مراجعات
    [many] { $count } مراجعة
   *[other] { $count } مراجعة
}
stars-label = { $rating } من 5 نجوم
write-review = اكتب مراجعة
filters-label = تصفية المراجعات وترتيبها
filter-rating = التقييم
rating-all = كل التقييمات
rating-stars = { $count ->
    [one] نجمة واحدة
    [two] نجمتان
    [few] { $count } نجوم
   *[other] { $count } نجمة
}
sort = الترتيب
sort-newest = الأحدث
sort-highest = الأعلى تقييمًا
sort-helpful = الأكثر فائدة
sort-context-tag = { $tag } أولًا
sort-context-lang = بلغتك أولًا
empty = لا توجد مراجعات بعد. كن أول من يشارك رأيه.
empty-filtered = لا توجد مراجعات تطابق عوامل التصفية هذه.
show-all = { $count ->
    [one] عرض المراجعة
    [two] عرض المراجعتين
    [few] عرض المراجعات الـ{ $count }
   *[other] عرض كل المراجعات ({ $count })
}
show-more = عرض المزيد
loading = جارٍ التحميل…
load-more = تحميل مزيد من المراجعات
error-load = تعذّر تحميل المراجعات. { $reason }

## A testimonial card
badge-featured = مميزة
badge-verified = مشترٍ موثّق
badge-purchase = شراء موثّق
reply-from = رد من { $brand }
edited = معدّلة
edit-review = عدّل مراجعتك
edit-save = احفظ التغييرات
edit-saved = تم الحفظ.
edit-pending = تم الحفظ. سيظهر نصك المعدّل بعد مراجعة سريعة.
how-reviews-work = كيف تعمل المراجعات
# What reviews mention most (phrases from all published reviews, any rating).
aspects-title = تذكر المراجعات
# Of the reviews using a phrase, those rated 1 to 3 stars.
aspect-critical = { $count ->
    [one] واحدة منها بتقييم { $lowest }–{ $highest } نجوم
    [two] اثنتان منها بتقييم { $lowest }–{ $highest } نجوم
   *[other] { $count } منها بتقييم { $lowest }–{ $highest } نجوم
}
badge-incentivised = بحافز
badge-imported = منقولة من موقع آخر
form-incentive = تحصل على { $offer } مقابل مراجعتك، أيًّا كان تقييمك.
# Consent to reuse beyond the brand's site; unticked by default.
form-consent = أوافق على أن تعرض العلامة التجارية { $brand } مراجعتي واسمي وصوري في إعلاناتها ومنشوراتها على وسائل التواصل ورسائلها البريدية.
# After the consent to reuse was given or withdrawn from the shopper's own card.
consent-saved = تم حفظ اختيارك.
badge-ambassador = سفير
photo-alt = صورة من { $name }
tags-label = الاهتمامات
helpful = مفيدة
helpful-done = مفيدة ✓

## The review form
form-name = اسمك
form-email = البريد الإلكتروني
form-email-hint = (خاص، لا يظهر أبدًا)
form-private = (خاص)
form-rating = تقييمك
form-title = العنوان
form-optional = (اختياري)
form-body = مراجعتك
form-tags = اهتماماتك
form-tags-hint = (مفصولة بفواصل، مثل: الجري في المسارات)
form-photos = الصور
form-photos-hint = (حتى { $count }، بصيغة JPEG أو PNG أو WebP، ‏{ $max } ميغابايت لكل صورة)
form-submit = إرسال المراجعة
cancel = إلغاء
uploading = جارٍ رفع الصور…
uploading-more = جارٍ رفع مزيد من الصور…
sending = جارٍ إرسال مراجعتك…
thanks-live = شكرًا لك! مراجعتك منشورة الآن.
thanks-pending = شكرًا لك! ستظهر مراجعتك بعد مراجعة سريعة.

## Problems
error-name = أدخل اسمك (حتى { $max } حرفًا).
error-name-address = يظهر اسمك للجميع: أدخل اسمًا، لا عنوان بريد إلكتروني.
error-name-required = أدخل اسمك.
error-email = أدخل عنوان بريد إلكتروني صالحًا.
error-email-taken = لهذا البريد الإلكتروني رابط إحالة بالفعل. افتحه حيث حصلت عليه: بعد تسجيل الدخول، أو في المتصفح الذي استخدمته حينها.
error-review-link = رابط المراجعة هذا لم يعد يعمل (استُخدم أو انتهت صلاحيته أو أُلغي). أرسل مرة أخرى لنشر مراجعتك من دونه.
error-order-email = استخدم عنوان البريد الإلكتروني الذي طلبت به، لتكون عملية شراء موثّقة.
error-rating = اختر تقييمًا من نجمة إلى 5 نجوم.
error-title = يمكن أن يصل العنوان إلى { $max } حرفًا.
error-body = اكتب ما بين { $min } و{ $max } حرفًا.
error-tags = حتى { $count } اهتمامات، كلٌّ منها حتى { $max } حرفًا.
error-photos-count = { $count ->
    [one] اختر صورة واحدة على الأكثر.
    [two] اختر صورتين على الأكثر.
   *[other] اختر { $count } صور على الأكثر.
}
error-photo-size = حجم { $name } أكبر من { $max } ميغابايت.
error-photo = { $name }: { $reason }
error-photo-type = يمكن أن تكون الصور بصيغة JPEG أو PNG أو WebP.
error-too-large = الحجم أكبر من أن يُرسل.
error-busy = محاولات كثيرة في وقت قصير. يُرجى الانتظار دقيقة ثم المحاولة مجددًا.
error-offline = تعذّر الاتصال بالخادم. تحقق من اتصالك وحاول مجددًا.
error-sign-in = انتهت جلستك. أعد تحميل الصفحة وحاول مجددًا.
error-already-voted = لقد صوّتَّ لهذه المراجعة من قبل.
error-invalid = هناك خطأ في هذا النموذج. راجعه وحاول مجددًا.
error-invite = لم تعد هذه الدعوة صالحة (استُخدمت أو أُلغيت أو انتهت). اطلب دعوة جديدة.
error-forbidden = هذا غير متاح لك. انضم إلى المجموعة أولًا أو اطلب دعوة.
error-conflict = تغيّر هذا في الأثناء. أعد التحميل وحاول مجددًا.
error-generic = حدث خطأ ما. يُرجى المحاولة مجددًا.
error-part = تعذّر تحميل هذا الجزء. تحقق من اتصالك وحاول مجددًا.

## Referrals
referral-label = ادعُ صديقًا
referral-pitch = امنح أصدقاءك { $offer }
referral-open = احصل على رابط الإحالة الخاص بك
referral-submit = احصل على رابطي
referral-email-link = أرسل رابطي إلى بريدي
referral-link-sent = إذا كان لهذا العنوان رابط إحالة، فهو في طريقه إليه. افتح الرسالة على هذا الجهاز ليصبح رابطك هنا.
error-referral-link = لم يعد هذا الرابط يعمل (استُخدم من قبل أو انتهت صلاحيته). اكتب بريدك الإلكتروني لطلب رابط جديد.
referral-link-take = انقل رابط الإحالة الخاص بي إلى هذا الجهاز
error-referral-link-own = لهذا المتصفح رابط إحالة خاص به. افتح الرابط الموجود في الرسالة في متصفح آخر.
next-group-pitch = تعرّف على آخرين في { $group }
next-group-join = انضم باسم { $name }
next-group-joined = انضممت إلى { $group }: تجدها أدناه في مجموعات المجتمع.
referral-link-label = رابط الإحالة الخاص بك
your-code = رمزك
copy-link = نسخ الرابط
copy-code = نسخ الرمز
copied = تم النسخ
share = مشاركة
share-email = البريد الإلكتروني
share-subject = هدية من { $brand }
share-text = أحب { $brand }. إليك { $offer }: { $link }
stat-clicks = النقرات
stat-friends = الأصدقاء المنضمون
stat-purchases = المشتريات
rewards-label = مكافآتك
reward-code = رمز المكافأة: { $code }
reward-sent = المكافأة في الطريق
reward-soon = المكافأة قريبًا
board-title = أفضل السفراء
board-friends = { $count ->
    [zero] لا أصدقاء
    [one] صديق واحد
    [two] صديقان
    [few] { $count } أصدقاء
   *[other] { $count } صديقًا
}
friend-offer = { $name } أهداك { $offer }
friend-voice-reward = تمنح هذه الدعوة { $name } مكافأة إذا أتممت طلبًا.
friend-use-code = استخدم الرمز
friend-at-checkout = عند الدفع.
friend-restocking = يجري تجديد عروض الترحيب. عُد قريبًا: دعوتك محفوظة.
friend-applied = يُطبّق الخصم عند الدفع.
referrer-name-label = اسمك كما يراه أصدقاؤك
note-label = رسالة إلى الأصدقاء الذين يفتحون رابطك
referrer-save = حفظ
note-pending = حُفظت. يراها أصدقاؤك بعد موافقة العلامة التجارية عليها.
note-approved = يرى الأصدقاء الذين يفتحون رابطك هذه الرسالة.
note-rejected = لم تُقبل هذه الرسالة، فلا يراها أصدقاؤك. يمكنك كتابة رسالة أخرى.
error-note = يمكن أن تصل الرسالة إلى { $max } حرفًا.
note-removed = حُذفت الرسالة.
referrer-name-saved = حُفظ الاسم.

## Community
community = مجموعات المجتمع
community-label = المجتمع
community-name = اسمك في المجموعات
community-name-first = اختر أولًا الاسم الذي سيراه الأعضاء الآخرون.
community-invited = لديك دعوة إلى مجموعة خاصة.
community-accept = قبول وانضمام
unread = { $count } جديد
group-private = خاصة
group-members = { $count ->
    [zero] لا أعضاء
    [one] عضو واحد
    [two] عضوان
    [few] { $count } أعضاء
   *[other] { $count } عضوًا
}
group-open = فتح
group-join = انضمام
groups-all = كل المجموعات
group-leave = مغادرة المجموعة
group-leave-confirm = هل تريد مغادرة { $group }؟
group-leave-private = ستحتاج إلى دعوة للانضمام مرة أخرى.
group-leave-yes = مغادرة
group-leave-no = البقاء
group-left = غادرت { $group }.
group-joined = انضممت إلى { $group }.
thread-start = ابدأ نقاشًا
thread-message = الرسالة
thread-photo = صورة
thread-replies-label = الردود
photo-choose = اختر صورة
photo-choose-several = اختر صورًا
photo-remove = إزالة الصورة
photo-remove-several = إزالة الصور
photo-none = لم تُختر أي صورة
photo-count = { $count ->
    [zero] لا صور
    [one] صورة واحدة
    [two] صورتان
    [few] { $count } صور
   *[other] { $count } صورة
}
thread-post = نشر
thread-pinned = مثبّت
thread-pending = بانتظار الموافقة
thread-replies = { $count ->
    [zero] لا ردود
    [one] رد واحد
    [two] ردّان
    [few] { $count } ردود
   *[other] { $count } ردًا
}
thread-back = العودة إلى المجموعة
thread-earlier = عرض الردود السابقة
thread-earlier-shown = { $count ->
    [zero] لا ردود سابقة
    [one] عُرض رد سابق واحد
    [two] عُرض ردّان سابقان
    [few] عُرضت { $count } ردود سابقة
    [many] عُرض { $count } ردًا سابقًا
   *[other] عُرض { $count } رد سابق
}
reply = رد
reply-label = ردّك
report = إبلاغ
report-why = لماذا تبلّغ عن هذا؟
report-reason-spam = رسائل مزعجة أو إعلان
report-reason-offensive = مسيء أو جارح
report-reason-personal_data = بيانات شخصية لأحد ما
report-reason-off_topic = لا يتعلق بالمنتج
report-reason-other = سبب آخر
report-send = إرسال البلاغ
report-choose = اختر سبب الإبلاغ.
report-gone = أُزيل هذا المنشور، فلا شيء للإبلاغ عنه.
post-gone = أُزيل هذا المنشور.
thanks-post = شكرًا! سيظهر منشورك بعد موافقة العلامة التجارية عليه.
thanks-reply = شكرًا! سيظهر ردّك بعد موافقة العلامة التجارية عليه.
said-in-thread = في «{ $thread }»: { $said }
thread-not-posted = لم يُنشر النقاش «{ $thread }» في { $group }: { $said } كلماتك محفوظة هناك.
thanks-report = شكرًا، ستطّلع العلامة التجارية على الأمر.
reaction-like = إعجاب ({ $count })
reaction-love = حب ({ $count })
reaction-helpful = مفيد ({ $count })
reaction-celebrate = احتفال ({ $count })

# "Your data": what the shop keeps through Kindred for this shopper.
data-title = بياناتك
data-intro = ما يحتفظ به هذا المتجر عنك هنا، في المراجعات والإحالات والمجموعات:
data-none = لا يُحتفظ بأي شيء عنك هنا.
data-testimonials = { $count ->
    [zero] لا توجد مراجعات
    [one] مراجعة واحدة
    [two] مراجعتان
    [few] { $count } مراجعات
    [many] { $count } مراجعة
   *[other] { $count } مراجعة
}
data-votes = { $count ->
    [zero] لا أصوات «مفيد»
    [one] صوت «مفيد» واحد
    [two] صوتا «مفيد»
    [few] { $count } أصوات «مفيد»
    [many] { $count } صوتًا «مفيد»
   *[other] { $count } صوت «مفيد»
}
data-referral = رابط الإحالة الخاص بك ونقراته ومكافآته
data-claims = { $count ->
    [zero] لا عروض ترحيب مستخدمة
    [one] عرض ترحيب واحد مستخدم
    [two] عرضا ترحيب مستخدمان
    [few] { $count } عروض ترحيب مستخدمة
    [many] { $count } عرض ترحيب مستخدمًا
   *[other] { $count } عرض ترحيب مستخدم
}
data-groups = { $count ->
    [zero] لست عضوًا في أي مجموعة
    [one] عضو في مجموعة واحدة
    [two] عضو في مجموعتين
    [few] عضو في { $count } مجموعات
    [many] عضو في { $count } مجموعة
   *[other] عضو في { $count } مجموعة
}
data-posts = { $count ->
    [zero] لا منشورات ولا ردود
    [one] منشور أو رد واحد
    [two] منشوران أو ردان
    [few] { $count } منشورات وردود
    [many] { $count } منشورًا وردًا
   *[other] { $count } منشور ورد
}
data-reactions = { $count ->
    [zero] لا تفاعلات ولا بلاغات
    [one] تفاعل أو بلاغ واحد
    [two] تفاعلان أو بلاغان
    [few] { $count } تفاعلات وبلاغات
    [many] { $count } تفاعلًا وبلاغًا
   *[other] { $count } تفاعل وبلاغ
}
data-orders = { $count ->
    [zero] لا طلبات أبلغنا بها المتجر
    [one] طلب واحد أبلغنا به المتجر
    [two] طلبان أبلغنا بهما المتجر
    [few] { $count } طلبات أبلغنا بها المتجر
    [many] { $count } طلبًا أبلغنا بها المتجر
   *[other] { $count } طلب أبلغنا به المتجر
}
data-invites = { $count ->
    [zero] لا روابط دعوة أنشأتها
    [one] رابط دعوة واحد أنشأته
    [two] رابطا دعوة أنشأتهما
    [few] { $count } روابط دعوة أنشأتها
    [many] { $count } رابط دعوة أنشأتها
   *[other] { $count } رابط دعوة أنشأتها
}
data-restrictions = { $count ->
    [zero] لا قرارات اتخذها المتجر بشأنك
    [one] قرار واحد اتخذه المتجر بشأنك (حظر أو إزالة من مجموعة)، يُحتفظ به بعد الحذف
    [two] قراران اتخذهما المتجر بشأنك (حظر أو إزالة من مجموعة)، يُحتفظ بهما بعد الحذف
    [few] { $count } قرارات اتخذها المتجر بشأنك (حظر أو إزالة من مجموعات)، يُحتفظ بها بعد الحذف
    [many] { $count } قرارًا اتخذه المتجر بشأنك (حظر أو إزالة من مجموعات)، يُحتفظ بها بعد الحذف
   *[other] { $count } قرار اتخذه المتجر بشأنك (حظر أو إزالة من مجموعات)، يُحتفظ بها بعد الحذف
}
data-download = تنزيل الكل (JSON)
data-delete = حذف بياناتي
data-confirm = سيؤدي هذا إلى حذف مراجعاتك وصورها وأصواتك ورابط الإحالة (تضيع المكافآت غير المستخدمة) وعضوياتك ومنشوراتك هنا. تُحذف أيضًا ردود الآخرين في مواضيعك. لا يمكن التراجع عن ذلك.
data-confirm-anonymise = تبقى مراجعاتك ومنشوراتك، دون اسمك أو بريدك الإلكتروني أو صورك. تُحذف أصواتك ورابط الإحالة (تضيع المكافآت غير المستخدمة) وعضوياتك. لا يمكن التراجع عن ذلك.
data-confirm-yes = نعم، احذف
data-erased = تم: حُذفت بياناتك، ولم يعد هذا المتصفح يتذكرك هنا.
former-customer = عميل سابق
former-member = عضو سابق

# Kindred widget: עברית. Messages and format: see en.ftl. Plural categories
# for Hebrew: one, two, other.

## The widget
widget-label = ביקורות לקוחות על { $subject }
title = מה הלקוחות אומרים
loading-reviews = טוען ביקורות
frame-title = ביקורות לקוחות
review-count = { $count ->
    [one] ביקורת אחת
    [two] שתי ביקורות
   *[other] { $count } ביקורות
}
stars-label = { $rating } מתוך 5 כוכבים
write-review = כתיבת ביקורת
filters-label = סינון ומיון ביקורות
filter-rating = דירוג
rating-all = כל הדירוגים
rating-stars = { $count ->
    [one] כוכב אחד
    [two] שני כוכבים
   *[other] { $count } כוכבים
}
sort = מיון
sort-newest = החדשות ביותר
sort-highest = הדירוג הגבוה ביותר
sort-helpful = המועילות ביותר
sort-context-tag = { $tag } קודם
sort-context-lang = בשפה שלך קודם
empty = אין עדיין ביקורות. אפשר להיות הראשונים לשתף.
empty-filtered = אין ביקורות שתואמות את המסננים האלה.
show-all = { $count ->
    [one] הצגת הביקורת
    [two] הצגת שתי הביקורות
   *[other] הצגת כל { $count } הביקורות
}
show-more = הצג עוד
loading = טוען…
load-more = טעינת ביקורות נוספות
error-load = לא ניתן לטעון את הביקורות. { $reason }

## A testimonial card
badge-featured = מומלצת
badge-verified = לקוח מאומת
badge-purchase = רכישה מאומתת
reply-from = תגובה מ־{ $brand }
edited = נערכה
edit-review = עריכת הביקורת שלך
edit-save = שמירת השינויים
edit-saved = נשמר.
edit-pending = נשמר. הטקסט החדש יופיע אחרי בדיקה קצרה.
how-reviews-work = איך עובדות הביקורות
# What reviews mention most (phrases from all published reviews, any rating).
aspects-title = בביקורות מוזכר
# Of the reviews using a phrase, those rated 1 to 3 stars.
aspect-critical = { $count ->
    [one] אחת מהן עם { $lowest }–{ $highest } כוכבים
   *[other] { $count } מהן עם { $lowest }–{ $highest } כוכבים
}
badge-incentivised = עם תמריץ
badge-imported = יובאה מאתר אחר
form-incentive = תקבלו { $offer } על הביקורת, בלי קשר לדירוג שתתנו.
# Consent to reuse beyond the brand's site; unticked by default.
form-consent = { $brand } רשאי להציג את הביקורת, השם והתמונות שלי בפרסומות, ברשתות החברתיות ובדיוור.
# After the consent to reuse was given or withdrawn from the shopper's own card.
consent-saved = הבחירה שלך נשמרה.
badge-ambassador = שגריר
photo-alt = תמונה מאת { $name }
tags-label = תחומי עניין
helpful = מועיל
helpful-done = מועיל ✓

## The review form
form-name = השם שלך
form-email = אימייל
form-email-hint = (פרטי, לעולם לא מוצג)
form-private = (פרטי)
form-rating = הדירוג שלך
form-title = כותרת
form-optional = (לא חובה)
form-body = הביקורת שלך
form-tags = תחומי העניין שלך
form-tags-hint = (מופרדים בפסיקים, למשל ריצת שטח)
form-photos = תמונות
form-photos-hint = (עד { $count }, ‏JPEG,‏ PNG או WebP, עד { $max } MB לכל אחת)
form-submit = שליחת ביקורת
cancel = ביטול
uploading = מעלה תמונות…
uploading-more = מעלה תמונות נוספות…
sending = שולח את הביקורת שלך…
thanks-live = תודה! הביקורת שלך פורסמה.
thanks-pending = תודה! הביקורת שלך תופיע אחרי בדיקה קצרה.

## Problems
error-name = יש להזין שם (עד { $max } תווים).
error-name-address = השם שלך מוצג לכולם: יש להזין שם, לא כתובת דוא״ל.
error-name-required = יש להזין שם.
error-email = יש להזין כתובת אימייל תקינה.
error-email-taken = לכתובת האימייל הזו כבר יש קישור הפניה. יש לפתוח אותו במקום שבו התקבל: אחרי התחברות, או בדפדפן ששימש אז.
error-review-link = קישור הביקורת הזה כבר לא עובד (נוצל, פג תוקפו או בוטל). שלחו שוב כדי לפרסם את הביקורת בלעדיו.
error-order-email = השתמשו בכתובת הדוא"ל של ההזמנה, לרכישה מאומתת.
error-rating = יש לבחור דירוג של 1 עד 5 כוכבים.
error-title = הכותרת יכולה להכיל עד { $max } תווים.
error-body = יש לכתוב בין { $min } ל־{ $max } תווים.
error-tags = עד { $count } תחומי עניין, כל אחד עד { $max } תווים.
error-photos-count = { $count ->
    [one] אפשר לבחור תמונה אחת לכל היותר.
    [two] אפשר לבחור שתי תמונות לכל היותר.
   *[other] אפשר לבחור { $count } תמונות לכל היותר.
}
error-photo-size = { $name } גדול מ־{ $max } MB.
error-photo = { $name }: { $reason }
error-photo-type = התמונות יכולות להיות בפורמט JPEG,‏ PNG או WebP.
error-too-large = הקובץ גדול מדי לשליחה.
error-busy = יותר מדי ניסיונות בזמן קצר. יש להמתין דקה ולנסות שוב.
error-offline = לא ניתן להתחבר לשרת. יש לבדוק את החיבור ולנסות שוב.
error-sign-in = פג תוקף ההתחברות. יש לרענן את הדף ולנסות שוב.
error-already-voted = כבר הצבעת על הביקורת הזו.
error-invalid = משהו בטופס אינו תקין. יש לבדוק ולנסות שוב.
error-invite = ההזמנה הזו כבר לא בתוקף (נוצלה, בוטלה או פגה). אפשר לבקש חדשה.
error-forbidden = זה לא פתוח בפניך. יש להצטרף קודם לקבוצה או לבקש הזמנה.
error-conflict = משהו השתנה בינתיים. יש לרענן ולנסות שוב.
error-generic = משהו השתבש. יש לנסות שוב.
error-part = לא ניתן לטעון את החלק הזה. יש לבדוק את החיבור ולנסות שוב.

## Referrals
referral-label = הזמנת חבר
referral-pitch = תנו לחברים { $offer }
referral-open = קבלת קישור ההפניה שלך
referral-submit = קבלת הקישור שלי
referral-email-link = שליחת הקישור שלי באימייל
referral-link-sent = אם לכתובת הזו יש קישור הפניה, הוא נשלח אליה. יש לפתוח את האימייל במכשיר הזה כדי שהקישור יהיה כאן.
error-referral-link = הקישור הזה כבר לא עובד (כבר נעשה בו שימוש או שפג תוקפו). יש להקליד את כתובת האימייל כדי לבקש קישור חדש.
referral-link-take = העברת קישור ההפניה שלי למכשיר הזה
error-referral-link-own = לדפדפן הזה כבר יש קישור הפניה משלו. יש לפתוח את הקישור מהאימייל בדפדפן אחר.
next-group-pitch = הכירו אחרים ב־{ $group }
next-group-join = הצטרפות בשם { $name }
next-group-joined = הצטרפת ל־{ $group }: היא מופיעה למטה, בקבוצות הקהילה.
referral-link-label = קישור ההפניה שלך
your-code = הקוד שלך
copy-link = העתקת קישור
copy-code = העתקת קוד
copied = הועתק
share = שיתוף
share-email = אימייל
share-subject = מתנה מ־{ $brand }
share-text = אני אוהב/ת את { $brand }. הנה { $offer } בשבילך: { $link }
stat-clicks = קליקים
stat-friends = חברים שהצטרפו
stat-purchases = רכישות
rewards-label = התגמולים שלך
reward-code = קוד תגמול: { $code }
reward-sent = התגמול בדרך
reward-soon = התגמול יגיע בקרוב
board-title = השגרירים המובילים
board-friends = { $count ->
    [one] חבר אחד
    [two] שני חברים
   *[other] { $count } חברים
}
friend-offer = { $name } העניק/ה לך { $offer }
friend-voice-reward = הקישור הזה מזכה את { $name } בתגמול אם תבצעו הזמנה.
friend-use-code = יש להשתמש בקוד
friend-at-checkout = בקופה.
friend-restocking = מבצעי ההצטרפות מתחדשים כעת. כדאי לחזור בקרוב: ההזמנה שלך נשמרה.
friend-applied = ההנחה תחול בקופה.
referrer-name-label = השם שלך, כפי שחברים רואים אותו
note-label = הודעה לחברים שנכנסים דרך הקישור שלך
referrer-save = שמירה
note-pending = נשמרה. החברים יראו אותה אחרי שהמותג יאשר אותה.
note-approved = חברים שנכנסים דרך הקישור שלך רואים את ההודעה הזו.
note-rejected = ההודעה לא אושרה, ולכן החברים לא רואים אותה. אפשר לכתוב הודעה אחרת.
error-note = ההודעה יכולה להכיל עד { $max } תווים.
note-removed = ההודעה הוסרה.
referrer-name-saved = השם נשמר.

## Community
community = קבוצות הקהילה
community-label = קהילה
community-name = השם שלך בקבוצות
community-name-first = קודם יש לבחור את השם שחברים אחרים יראו.
community-invited = יש לך הזמנה לקבוצה פרטית.
community-accept = אישור והצטרפות
unread = { $count } חדשות
group-private = פרטית
group-members = { $count ->
    [one] חבר אחד
    [two] שני חברים
   *[other] { $count } חברים
}
group-open = פתיחה
group-join = הצטרפות
groups-all = כל הקבוצות
group-leave = עזיבת הקבוצה
group-leave-confirm = לעזוב את { $group }?
group-leave-private = כדי להצטרף שוב צריך הזמנה.
group-leave-yes = עזיבה
group-leave-no = להישאר
group-left = עזבת את { $group }.
group-joined = הצטרפת לקבוצה { $group }.
thread-start = פתיחת דיון
thread-message = הודעה
thread-photo = תמונה
thread-replies-label = תגובות
photo-choose = בחירת תמונה
photo-choose-several = בחירת תמונות
photo-remove = הסרת התמונה
photo-remove-several = הסרת התמונות
photo-none = לא נבחרה תמונה
photo-count = { $count ->
    [one] תמונה אחת
    [two] שתי תמונות
   *[other] { $count } תמונות
}
thread-post = פרסום
thread-pinned = נעוץ
thread-pending = ממתין לאישור
thread-replies = { $count ->
    [one] תגובה אחת
    [two] שתי תגובות
   *[other] { $count } תגובות
}
thread-back = חזרה לקבוצה
thread-earlier = הצגת תגובות קודמות
thread-earlier-shown = { $count ->
    [one] הוצגה תגובה קודמת אחת
    [two] הוצגו שתי תגובות קודמות
   *[other] הוצגו { $count } תגובות קודמות
}
reply = תגובה
reply-label = התגובה שלך
report = דיווח
report-why = למה לדווח על זה?
report-reason-spam = ספאם או פרסומת
report-reason-offensive = פוגעני או מעליב
report-reason-personal_data = פרטים אישיים של מישהו
report-reason-off_topic = לא קשור למוצר
report-reason-other = משהו אחר
report-send = שליחת הדיווח
report-choose = יש לבחור סיבה לדיווח.
report-gone = הפוסט הוסר, אין מה לדווח.
post-gone = הפוסט הזה הוסר.
thanks-post = תודה! הפוסט שלך יופיע אחרי שהמותג יאשר אותו.
thanks-reply = תודה! התגובה שלך תופיע אחרי שהמותג יאשר אותה.
said-in-thread = בשרשור „{ $thread }”: { $said }
thread-not-posted = הדיון „{ $thread }” לא פורסם ב־{ $group }: { $said } המילים שלך נשמרו שם.
thanks-report = תודה, המותג יבדוק את זה.
reaction-like = לייק ({ $count })
reaction-love = אהבה ({ $count })
reaction-helpful = מועיל ({ $count })
reaction-celebrate = חגיגה ({ $count })

# "Your data": what the shop keeps through Kindred for this shopper.
data-title = הנתונים שלך
data-intro = מה החנות הזאת שומרת עליך כאן, בביקורות, בהפניות ובקבוצות:
data-none = לא נשמר כאן שום דבר עליך.
data-testimonials = { $count ->
    [one] ביקורת אחת
    [two] שתי ביקורות
   *[other] { $count } ביקורות
}
data-votes = { $count ->
    [one] הצבעת „מועיל” אחת
    [two] שתי הצבעות „מועיל”
   *[other] { $count } הצבעות „מועיל”
}
data-referral = קישור ההפניה שלך, הקליקים וההטבות שלו
data-claims = { $count ->
    [one] הטבת הצטרפות אחת שמומשה
    [two] שתי הטבות הצטרפות שמומשו
   *[other] { $count } הטבות הצטרפות שמומשו
}
data-groups = { $count ->
    [one] חבר/ה בקבוצה אחת
    [two] חבר/ה בשתי קבוצות
   *[other] חבר/ה ב־{ $count } קבוצות
}
data-posts = { $count ->
    [one] פוסט או תגובה אחת
    [two] שני פוסטים ותגובות
   *[other] { $count } פוסטים ותגובות
}
data-reactions = { $count ->
    [one] תגובה או דיווח אחד
    [two] שתי תגובות ודיווחים
   *[other] { $count } תגובות ודיווחים
}
data-orders = { $count ->
    [one] הזמנה אחת שהחנות דיווחה לנו
    [two] שתי הזמנות שהחנות דיווחה לנו
   *[other] { $count } הזמנות שהחנות דיווחה לנו
}
data-invites = { $count ->
    [one] קישור הזמנה אחד שיצרת
    [two] שני קישורי הזמנה שיצרת
   *[other] { $count } קישורי הזמנה שיצרת
}
data-restrictions = { $count ->
    [one] החלטה אחת של החנות לגביך (חסימה או הסרה מקבוצה), נשמרת גם אחרי מחיקה
    [two] שתי החלטות של החנות לגביך (חסימה או הסרה מקבוצה), נשמרות גם אחרי מחיקה
   *[other] { $count } החלטות של החנות לגביך (חסימות או הסרות מקבוצות), נשמרות גם אחרי מחיקה
}
data-download = הורדת הכול (JSON)
data-delete = מחיקת הנתונים שלי
data-confirm = פעולה זו מוחקת כאן את הביקורות שלך והתמונות שלהן, ההצבעות, קישור ההפניה (הטבות שלא נוצלו יאבדו), החברות בקבוצות והפוסטים. גם תגובות של אחרים בשרשורים שלך יימחקו. אי אפשר לבטל אותה.
data-confirm-anonymise = הביקורות והפוסטים שלך נשארים, בלי השם, האימייל או התמונות שלך. ההצבעות, קישור ההפניה (הטבות שלא נוצלו יאבדו) והחברות בקבוצות נמחקים. אי אפשר לבטל אותה.
data-confirm-yes = כן, למחוק
data-erased = בוצע: הנתונים שלך נמחקו, והדפדפן הזה כבר לא זוכר אותך כאן.
former-customer = לקוח/ה לשעבר
former-member = חבר/ה לשעבר

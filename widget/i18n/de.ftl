# Kindred widget: Deutsch. Messages and format: see en.ftl.

## The widget
widget-label = Kundenbewertungen für { $subject }
title = Das sagen unsere Kunden
loading-reviews = Bewertungen werden geladen
frame-title = Kundenbewertungen
review-count = { $count ->
    [one] { $count } Bewertung
   *[other] { $count } Bewertungen
}
stars-label = { $rating } von 5 Sternen
write-review = Bewertung schreiben
filters-label = Bewertungen filtern und sortieren
filter-rating = Sterne
rating-all = Alle Sterne
rating-stars = { $count ->
    [one] { $count } Stern
   *[other] { $count } Sterne
}
sort = Sortieren
sort-newest = Neueste
sort-highest = Beste Bewertung
sort-helpful = Hilfreichste
sort-context-tag = { $tag } zuerst
sort-context-lang = Deine Sprache zuerst
empty = Noch keine Bewertungen. Schreib die erste.
empty-filtered = Keine Bewertungen passen zu diesen Filtern.
show-all = { $count ->
    [one] Die Bewertung anzeigen
   *[other] Alle { $count } Bewertungen anzeigen
}
show-more = Mehr anzeigen
loading = Wird geladen…
load-more = Weitere Bewertungen laden
error-load = Bewertungen konnten nicht geladen werden. { $reason }

## A testimonial card
badge-featured = Hervorgehoben
badge-verified = Verifiziertes Kundenkonto
badge-purchase = Verifizierter Kauf
reply-from = Antwort von { $brand }
edited = bearbeitet
edit-review = Bewertung bearbeiten
edit-save = Änderungen speichern
edit-saved = Gespeichert.
edit-pending = Gespeichert. Deine geänderten Worte erscheinen nach einer kurzen Prüfung.
how-reviews-work = So funktionieren Bewertungen
# What reviews mention most (phrases from all published reviews, any rating).
aspects-title = In Bewertungen erwähnt
# Of the reviews using a phrase, those rated 1 to 3 stars.
aspect-critical = { $count } mit { $lowest }–{ $highest } Sternen
badge-incentivised = Mit Prämie
badge-imported = Importierte Bewertung
form-incentive = Für jede Bewertung erhältst du { $offer }, egal wie viele Sterne du vergibst.
# Consent to reuse beyond the brand's site; unticked by default.
form-consent = { $brand } darf meine Bewertung mit Namen und Fotos in Anzeigen, sozialen Medien und E-Mails zeigen.
# After the consent to reuse was given or withdrawn from the shopper's own card.
consent-saved = Ihre Auswahl ist gespeichert.
badge-ambassador = Botschafter
photo-alt = Foto von { $name }
tags-label = Interessen
helpful = Hilfreich
helpful-done = Hilfreich ✓

## The review form
form-name = Dein Name
form-email = E-Mail
form-email-hint = (privat, wird nie angezeigt)
form-private = (privat)
form-rating = Deine Bewertung
form-title = Titel
form-optional = (optional)
form-body = Dein Erfahrungsbericht
form-tags = Deine Interessen
form-tags-hint = (durch Kommas getrennt, z. B. Trailrunning)
form-photos = Fotos
form-photos-hint = (bis zu { $count }, JPEG, PNG oder WebP, je { $max } MB)
form-submit = Bewertung senden
cancel = Abbrechen
uploading = Fotos werden hochgeladen…
uploading-more = Weitere Fotos werden hochgeladen…
sending = Deine Bewertung wird gesendet…
thanks-live = Danke! Deine Bewertung ist online.
thanks-pending = Danke! Deine Bewertung erscheint nach einer kurzen Prüfung.

## Problems
error-name = Gib deinen Namen ein (bis zu { $max } Zeichen).
error-name-address = Dein Name wird öffentlich angezeigt: Gib einen Namen ein, keine E-Mail-Adresse.
error-name-required = Gib deinen Namen ein.
error-email = Gib eine gültige E-Mail-Adresse ein.
error-email-taken = Diese E-Mail-Adresse hat schon einen Empfehlungslink. Öffne ihn dort, wo du ihn bekommen hast: angemeldet oder im Browser von damals.
error-review-link = Dieser Bewertungslink funktioniert nicht mehr (benutzt, abgelaufen oder abbestellt). Sende erneut, um deine Bewertung ohne ihn zu veröffentlichen.
error-order-email = Nutze die E-Mail-Adresse deiner Bestellung, für einen verifizierten Kauf.
error-rating = Wähle eine Bewertung von 1 bis 5 Sternen.
error-title = Der Titel darf bis zu { $max } Zeichen lang sein.
error-body = Schreib zwischen { $min } und { $max } Zeichen.
error-tags = Bis zu { $count } Interessen mit je bis zu { $max } Zeichen.
error-photos-count = { $count ->
    [one] Wähle höchstens ein Foto.
   *[other] Wähle höchstens { $count } Fotos.
}
error-photo-size = { $name } ist größer als { $max } MB.
error-photo = { $name }: { $reason }
error-photo-type = Fotos können JPEG, PNG oder WebP sein.
error-too-large = Das ist zu groß zum Senden.
error-busy = Zu viele Versuche in kurzer Zeit. Bitte warte eine Minute und versuche es erneut.
error-offline = Der Server ist nicht erreichbar. Prüfe deine Verbindung und versuche es erneut.
error-sign-in = Deine Sitzung ist abgelaufen. Lade die Seite neu und versuche es erneut.
error-already-voted = Du hast für diese Bewertung schon abgestimmt.
error-invalid = Etwas in diesem Formular stimmt nicht. Prüfe es und versuche es erneut.
error-invite = Diese Einladung gilt nicht mehr (benutzt, widerrufen oder abgelaufen). Bitte um eine neue.
error-forbidden = Das steht dir nicht offen. Tritt zuerst der Gruppe bei oder bitte um eine Einladung.
error-conflict = Das hat sich inzwischen geändert. Lade neu und versuche es erneut.
error-generic = Etwas ist schiefgegangen. Bitte versuche es erneut.
error-part = Dieser Teil konnte nicht geladen werden. Prüfe deine Verbindung und versuche es erneut.

## Referrals
referral-label = Freunde werben
referral-pitch = Schenk Freunden { $offer }
referral-open = Deinen Empfehlungslink holen
referral-submit = Meinen Link holen
referral-email-link = Link per E-Mail schicken
referral-link-sent = Wenn diese Adresse einen Empfehlungslink hat, ist er dorthin unterwegs. Öffne die E-Mail auf diesem Gerät, um deinen Link hier zu haben.
error-referral-link = Dieser Link funktioniert nicht mehr (schon benutzt oder abgelaufen). Gib deine E-Mail-Adresse ein, um einen neuen anzufordern.
referral-link-take = Meinen Empfehlungslink auf dieses Gerät holen
error-referral-link-own = Dieser Browser hat schon einen eigenen Empfehlungslink. Öffne den Link aus der E-Mail in einem anderen Browser.
next-group-pitch = Lerne andere in { $group } kennen
next-group-join = Beitreten als { $name }
next-group-joined = Du bist { $group } beigetreten: Du findest die Gruppe unten unter Community-Gruppen.
referral-link-label = Dein Empfehlungslink
your-code = Dein Code
copy-link = Link kopieren
copy-code = Code kopieren
copied = Kopiert
share = Teilen
share-email = E-Mail
share-subject = Ein Geschenk von { $brand }
share-text = Ich mag { $brand }. Hier ist { $offer } für dich: { $link }
stat-clicks = Klicks
stat-friends = Geworbene Freunde
stat-purchases = Käufe
rewards-label = Deine Prämien
reward-code = Prämiencode: { $code }
reward-sent = Prämie ist unterwegs
reward-soon = Prämie folgt in Kürze
board-title = Top-Botschafter
board-friends = { $count ->
    [one] { $count } Freund
   *[other] { $count } Freunde
}
friend-offer = { $name } schenkt dir { $offer }
friend-voice-reward = { $name } erhält eine Prämie, wenn du bestellst.
friend-use-code = Nutze den Code
friend-at-checkout = an der Kasse.
friend-restocking = Willkommensangebote werden gerade aufgefüllt. Schau bald wieder vorbei: deine Einladung ist gespeichert.
friend-applied = Der Rabatt wird an der Kasse abgezogen.
referrer-name-label = Dein Name, wie Freunde ihn sehen
note-label = Eine Nachricht für Freunde, die deinem Link folgen
referrer-save = Speichern
note-pending = Gespeichert. Deine Freunde sehen sie, sobald die Marke sie freigibt.
note-approved = Freunde, die deinem Link folgen, sehen diese Nachricht.
note-rejected = Diese Nachricht wurde nicht freigegeben, deine Freunde sehen sie nicht. Du kannst eine neue schreiben.
error-note = Die Nachricht darf bis zu { $max } Zeichen lang sein.
note-removed = Nachricht entfernt.
referrer-name-saved = Name gespeichert.

## Community
community = Community-Gruppen
community-label = Community
community-name = Dein Name in Gruppen
community-name-first = Wähle zuerst den Namen, den andere Mitglieder sehen.
community-invited = Du hast eine Einladung in eine private Gruppe.
community-accept = Annehmen und beitreten
unread = { $count } neu
group-private = Privat
group-members = { $count ->
    [one] { $count } Mitglied
   *[other] { $count } Mitglieder
}
group-open = Öffnen
group-join = Beitreten
groups-all = Alle Gruppen
group-leave = Gruppe verlassen
group-leave-confirm = { $group } verlassen?
group-leave-private = Um wieder beizutreten, brauchst du eine Einladung.
group-leave-yes = Verlassen
group-leave-no = Bleiben
group-left = Du hast { $group } verlassen.
group-joined = Du bist { $group } beigetreten.
thread-start = Ein Thema beginnen
thread-message = Nachricht
thread-photo = Foto
thread-replies-label = Antworten
photo-choose = Foto auswählen
photo-choose-several = Fotos auswählen
photo-remove = Foto entfernen
photo-remove-several = Fotos entfernen
photo-none = Kein Foto ausgewählt
photo-count = { $count ->
    [one] { $count } Foto
   *[other] { $count } Fotos
}
thread-post = Posten
thread-pinned = Angeheftet
thread-pending = Wartet auf Freigabe
thread-replies = { $count ->
    [one] { $count } Antwort
   *[other] { $count } Antworten
}
thread-back = Zurück zur Gruppe
thread-earlier = Frühere Antworten anzeigen
thread-earlier-shown = { $count ->
    [one] { $count } frühere Antwort angezeigt
   *[other] { $count } frühere Antworten angezeigt
}
reply = Antworten
reply-label = Deine Antwort
report = Melden
report-why = Warum meldest du das?
report-reason-spam = Spam oder Werbung
report-reason-offensive = Beleidigend oder anstößig
report-reason-personal_data = Persönliche Daten einer Person
report-reason-off_topic = Nicht zum Produkt
report-reason-other = Etwas anderes
report-send = Meldung senden
report-choose = Wähle, warum du das meldest.
report-gone = Dieser Beitrag wurde entfernt, es gibt nichts mehr zu melden.
post-gone = Dieser Beitrag wurde entfernt.
thanks-post = Danke! Dein Beitrag erscheint, sobald die Marke ihn freigibt.
thanks-reply = Danke! Deine Antwort erscheint, sobald die Marke sie freigibt.
said-in-thread = In „{ $thread }“: { $said }
thread-not-posted = Das Thema „{ $thread }“ wurde nicht in { $group } gepostet: { $said } Deine Worte bleiben dort gespeichert.
thanks-report = Danke, die Marke sieht es sich an.
reaction-like = Gefällt mir ({ $count })
reaction-love = Liebe ich ({ $count })
reaction-helpful = Hilfreich ({ $count })
reaction-celebrate = Feiern ({ $count })

# "Your data": what the shop keeps through Kindred for this shopper.
data-title = Deine Daten
data-intro = Was dieser Shop hier über dich speichert, in Bewertungen, Empfehlungen und Gruppen:
data-none = Hier ist nichts über dich gespeichert.
data-testimonials = { $count ->
    [one] { $count } Bewertung
   *[other] { $count } Bewertungen
}
data-votes = { $count ->
    [one] { $count } „Hilfreich“-Stimme
   *[other] { $count } „Hilfreich“-Stimmen
}
data-referral = Dein Empfehlungslink, seine Klicks und Prämien
data-claims = { $count ->
    [one] { $count } eingelöstes Willkommensangebot
   *[other] { $count } eingelöste Willkommensangebote
}
data-groups = { $count ->
    [one] Mitglied in { $count } Gruppe
   *[other] Mitglied in { $count } Gruppen
}
data-posts = { $count ->
    [one] { $count } Beitrag oder Antwort
   *[other] { $count } Beiträge und Antworten
}
data-reactions = { $count ->
    [one] { $count } Reaktion oder Meldung
   *[other] { $count } Reaktionen und Meldungen
}
data-orders = { $count ->
    [one] { $count } vom Shop gemeldete Bestellung
   *[other] { $count } vom Shop gemeldete Bestellungen
}
data-invites = { $count ->
    [one] { $count } von dir erstellter Einladungslink
   *[other] { $count } von dir erstellte Einladungslinks
}
data-restrictions = { $count ->
    [one] { $count } Entscheidung des Shops über dich (Sperre oder Entfernung aus einer Gruppe), bleibt nach dem Löschen erhalten
   *[other] { $count } Entscheidungen des Shops über dich (Sperren oder Entfernungen aus Gruppen), bleiben nach dem Löschen erhalten
}
data-download = Alles herunterladen (JSON)
data-delete = Meine Daten löschen
data-confirm = Das löscht hier deine Bewertungen mit ihren Fotos, deine Stimmen, deinen Empfehlungslink (noch nicht genutzte Prämien verfallen), Gruppenmitgliedschaften und Beiträge. Antworten anderer in deinen Beiträgen werden mitgelöscht. Das lässt sich nicht rückgängig machen.
data-confirm-anonymise = Deine Bewertungen und Beiträge bleiben, ohne deinen Namen, deine E-Mail-Adresse und Fotos. Deine Stimmen, dein Empfehlungslink (noch nicht genutzte Prämien verfallen) und Gruppenmitgliedschaften werden gelöscht. Das lässt sich nicht rückgängig machen.
data-confirm-yes = Ja, löschen
data-erased = Erledigt: Deine Daten sind gelöscht, und dieser Browser erinnert sich hier nicht mehr an dich.
former-customer = Ehemalige Kundin oder ehemaliger Kunde
former-member = Ehemaliges Mitglied

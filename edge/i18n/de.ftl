how-title = So funktionieren Bewertungen bei { $brand }
how-who = Bewertungen schreiben Kundinnen und Kunden im Bewertungsformular auf den Seiten von { $brand }. { $brand } kann die Sterne und den Text einer Bewertung nicht ändern.
how-verified-purchase = „Verifizierter Kauf“ heißt: Die Bewertung wurde über einen Link geschrieben, den { $brand } nach einer Bestellung geschickt hat, mit der E-Mail-Adresse dieser Bestellung.
how-verified-buyer = „Verifiziertes Kundenkonto“ heißt: Die Person war beim Schreiben im Shop von { $brand } angemeldet, bestätigt vom Server des Shops. Bewertungen ohne eines dieser Zeichen werden nicht mit Bestellungen abgeglichen.
how-at-once-none = Eine Person bei { $brand } liest jede Bewertung, bevor sie veröffentlicht wird.
how-at-once-rating = Bewertungen mit { $min } oder mehr Sternen werden sofort veröffentlicht; die anderen liest zuerst eine Person.
how-at-once-verified = Bewertungen von verifizierten Kundenkonten und verifizierten Käufen werden sofort veröffentlicht; die anderen liest zuerst eine Person.
how-at-once-all = Bewertungen werden sofort veröffentlicht.
how-hold = { $days ->
    [one] Eine Bewertung, über die niemand entschieden hat, wird spätestens nach 1 Tag veröffentlicht.
   *[other] Eine Bewertung, über die niemand entschieden hat, wird spätestens nach { $days } Tagen veröffentlicht.
}
how-reasons = Bewertungen werden nur aus diesen Gründen abgelehnt, nie wegen ihrer Sterne: { $reasons }.
how-reason-spam = Spam
how-reason-offensive = beleidigende Inhalte
how-reason-personal_data = personenbezogene Daten
how-reason-off_topic = nicht zum Produkt oder Service
how-reason-duplicate = Duplikate
how-reason-other = ein anderer Grund, den die Moderation festhält
how-incentive-none = { $brand } gibt nichts als Gegenleistung für Bewertungen.
how-incentive = { $brand } gibt für jede Bewertung { $offer }, egal mit wie vielen Sternen. Solche Bewertungen sind mit „Mit Prämie“ gekennzeichnet.
how-sort = Bewertungen erscheinen von neu nach alt, von { $brand } hervorgehobene zuerst. Du kannst sie auch nach Sternen oder Hilfreich sortieren.
how-personal-order = Die ersten Bewertungen können dazu passen, woher du kommst, ohne Tracking: Bewertungen mit einem Schlagwort der Seite, der Person, die dich geschickt hat, oder der Gruppe, die dich eingeladen hat, stehen zuerst, dann die von der Marke hervorgehobenen, dann Bewertungen in deiner Sprache. Wähle „Neueste“, um die übliche Reihenfolge zu sehen.
how-average = Die Durchschnittsbewertung ist der Mittelwert aller veröffentlichten Sterne, auf eine Nachkommastelle gerundet.
# Feeds and share pages (core::syndication).
feed-read-more = Weiterlesen
share-on = { $name } über { $brand }
share-see-product = { $product } ansehen
share-visit = { $brand } besuchen
share-link = Link zu dieser Bewertung
wall-title = Was Kunden über { $brand } sagen
wall-title-product = Was Kunden über { $product } sagen
wall-all = Alle
wall-empty = Hier gibt es noch keine Bewertungen.

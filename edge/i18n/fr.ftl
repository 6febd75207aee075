how-title = Comment fonctionnent les avis chez { $brand }
how-who = Les avis sont écrits par des clients dans le formulaire des pages de { $brand }. { $brand } ne peut modifier ni les étoiles ni le texte d’un avis.
how-verified-purchase = « Achat vérifié » signifie que l’avis a été écrit depuis un lien envoyé par { $brand } après une commande, avec l’adresse e-mail de cette commande.
how-verified-buyer = « Client vérifié » signifie que la personne était connectée à la boutique de { $brand } en écrivant, ce que le serveur de la boutique confirme. Les avis sans l’une de ces mentions ne sont pas rapprochés d’une commande.
how-at-once-none = Une personne chez { $brand } lit chaque avis avant sa publication.
how-at-once-rating = Les avis de { $min } étoiles ou plus sont publiés aussitôt ; les autres sont d’abord lus par une personne.
how-at-once-verified = Les avis de clients vérifiés et d’achats vérifiés sont publiés aussitôt ; les autres sont d’abord lus par une personne.
how-at-once-all = Les avis sont publiés aussitôt.
how-hold = { $days ->
    [one] Un avis sur lequel personne n’a statué est publié au plus tard après 1 jour.
   *[other] Un avis sur lequel personne n’a statué est publié au plus tard après { $days } jours.
}
how-reasons = Les avis ne sont refusés que pour ces raisons, jamais pour leur note : { $reasons }.
how-reason-spam = spam
how-reason-offensive = contenu injurieux
how-reason-personal_data = données personnelles
how-reason-off_topic = sans rapport avec le produit ou le service
how-reason-duplicate = doublons
how-reason-other = une autre raison consignée par la modération
how-incentive-none = { $brand } ne donne rien en échange des avis.
how-incentive = { $brand } offre { $offer } pour tout avis, quelle que soit sa note. Ces avis portent la mention « Avec contrepartie ».
how-sort = Les avis sont affichés du plus récent au plus ancien, ceux que { $brand } met à la une en premier. Vous pouvez aussi les trier par note ou par utilité.
how-personal-order = Les premiers avis peuvent être choisis selon d’où vous venez, sans pistage : d’abord ceux qui partagent une étiquette avec la page, avec la personne qui vous a envoyé ou avec le groupe qui vous a invité, puis ceux que la marque met à la une, puis ceux écrits dans votre langue. Choisissez « Plus récents » pour l’ordre habituel.
how-average = La note moyenne est la moyenne de toutes les notes publiées, arrondie à une décimale.
# Feeds and share pages (core::syndication).
feed-read-more = Lire la suite
share-on = { $name } à propos de { $brand }
share-see-product = Voir { $product }
share-visit = Visiter { $brand }
share-link = Lien vers cet avis
wall-title = Ce que les clients disent de { $brand }
wall-title-product = Ce que les clients disent de { $product }
wall-all = Tous
wall-empty = Aucun avis à afficher pour le moment.

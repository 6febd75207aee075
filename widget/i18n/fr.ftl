# Kindred widget: français. Messages and format: see en.ftl.

## The widget
widget-label = Avis clients sur { $subject }
title = Ce que disent nos clients
loading-reviews = Chargement des avis
frame-title = Avis clients
review-count = { $count ->
    [one] { $count } avis
   *[other] { $count } avis
}
stars-label = { $rating } sur 5 étoiles
write-review = Écrire un avis
filters-label = Filtrer et trier les avis
filter-rating = Note
rating-all = Toutes les notes
rating-stars = { $count ->
    [one] { $count } étoile
   *[other] { $count } étoiles
}
sort = Trier
sort-newest = Plus récents
sort-highest = Mieux notés
sort-helpful = Plus utiles
sort-context-tag = { $tag } d’abord
sort-context-lang = Votre langue d’abord
empty = Pas encore d’avis. Soyez le premier à partager le vôtre.
empty-filtered = Aucun avis ne correspond à ces filtres.
show-all = { $count ->
    [one] Voir l’avis
   *[other] Voir les { $count } avis
}
show-more = Afficher plus
loading = Chargement…
load-more = Voir plus d’avis
error-load = Impossible de charger les avis. { $reason }

## A testimonial card
badge-featured = À la une
badge-verified = Client vérifié
badge-purchase = Achat vérifié
reply-from = Réponse de { $brand }
edited = modifié
edit-review = Modifier votre avis
edit-save = Enregistrer
edit-saved = Enregistré.
edit-pending = Enregistré. Votre nouveau texte apparaîtra après une vérification rapide.
how-reviews-work = Comment fonctionnent les avis
# What reviews mention most (phrases from all published reviews, any rating).
aspects-title = Les avis mentionnent
# Of the reviews using a phrase, those rated 1 to 3 stars.
aspect-critical = { $count } avec { $lowest } à { $highest } étoiles
badge-incentivised = Avec contrepartie
badge-imported = Importé
form-incentive = Vous recevez { $offer } pour votre avis, quelle que soit votre note.
# Consent to reuse beyond the brand's site; unticked by default.
form-consent = { $brand } peut utiliser mon avis, mon nom et mes photos dans ses publicités, réseaux sociaux et e-mails.
# After the consent to reuse was given or withdrawn from the shopper's own card.
consent-saved = Votre choix est enregistré.
badge-ambassador = Ambassadeur
photo-alt = Photo de { $name }
tags-label = Centres d’intérêt
helpful = Utile
helpful-done = Utile ✓

## The review form
form-name = Votre nom
form-email = E-mail
form-email-hint = (privé, jamais affiché)
form-private = (privé)
form-rating = Votre note
form-title = Titre
form-optional = (facultatif)
form-body = Votre avis
form-tags = Vos centres d’intérêt
form-tags-hint = (séparés par des virgules, p. ex. trail)
form-photos = Photos
form-photos-hint = (jusqu’à { $count }, JPEG, PNG ou WebP, { $max } Mo chacune)
form-submit = Envoyer l’avis
cancel = Annuler
uploading = Envoi des photos…
uploading-more = Envoi des autres photos…
sending = Envoi de votre avis…
thanks-live = Merci ! Votre avis est en ligne.
thanks-pending = Merci ! Votre avis apparaîtra après une rapide vérification.

## Problems
error-name = Saisissez votre nom ({ $max } caractères au plus).
error-name-address = Votre nom est affiché publiquement : saisissez un nom, pas une adresse e-mail.
error-name-required = Saisissez votre nom.
error-email = Saisissez une adresse e-mail valide.
error-email-taken = Cette adresse a déjà un lien de parrainage. Ouvrez-le là où vous l’avez obtenu : en vous connectant, ou dans le navigateur utilisé alors.
error-review-link = Ce lien d’avis ne fonctionne plus (utilisé, expiré ou désactivé). Envoyez de nouveau pour publier votre avis sans lui.
error-order-email = Utilisez l’adresse e-mail de votre commande, pour un achat vérifié.
error-rating = Choisissez une note de 1 à 5 étoiles.
error-title = Le titre peut compter { $max } caractères au plus.
error-body = Écrivez entre { $min } et { $max } caractères.
error-tags = Jusqu’à { $count } centres d’intérêt de { $max } caractères chacun au plus.
error-photos-count = { $count ->
    [one] Choisissez une photo au plus.
   *[other] Choisissez { $count } photos au plus.
}
error-photo-size = { $name } dépasse { $max } Mo.
error-photo = { $name } : { $reason }
error-photo-type = Les photos peuvent être au format JPEG, PNG ou WebP.
error-too-large = C’est trop volumineux pour être envoyé.
error-busy = Trop de tentatives en peu de temps. Attendez une minute et réessayez.
error-offline = Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.
error-sign-in = Votre session a expiré. Rechargez la page et réessayez.
error-already-voted = Vous avez déjà voté pour cet avis.
error-invalid = Quelque chose ne va pas dans ce formulaire. Vérifiez-le et réessayez.
error-invite = Cette invitation n’est plus valable (utilisée, révoquée ou expirée). Demandez-en une nouvelle.
error-forbidden = Ceci ne vous est pas ouvert. Rejoignez d’abord le groupe ou demandez une invitation.
error-conflict = Cela a changé entre-temps. Rechargez et réessayez.
error-generic = Une erreur s’est produite. Veuillez réessayer.
error-part = Impossible de charger cette partie. Vérifiez votre connexion et réessayez.

## Referrals
referral-label = Parrainer un ami
referral-pitch = Offrez { $offer } à vos amis
referral-open = Obtenir votre lien de parrainage
referral-submit = Obtenir mon lien
referral-email-link = M’envoyer mon lien par e-mail
referral-link-sent = Si cette adresse a un lien de parrainage, il est en route vers elle. Ouvrez l’e-mail sur cet appareil pour avoir votre lien ici.
error-referral-link = Ce lien ne fonctionne plus (déjà utilisé ou expiré). Saisissez votre adresse pour en demander un nouveau.
referral-link-take = Mettre mon lien de parrainage sur cet appareil
error-referral-link-own = Ce navigateur a déjà son propre lien de parrainage. Ouvrez le lien de l’e-mail dans un autre navigateur.
next-group-pitch = Rencontrez d’autres membres dans { $group }
next-group-join = Rejoindre en tant que { $name }
next-group-joined = Vous avez rejoint { $group } : il se trouve plus bas, dans Groupes de la communauté.
referral-link-label = Votre lien de parrainage
your-code = Votre code
copy-link = Copier le lien
copy-code = Copier le code
copied = Copié
share = Partager
share-email = E-mail
share-subject = Un cadeau de { $brand }
share-text = J’aime { $brand }. Voici { $offer } pour toi : { $link }
stat-clicks = Clics
stat-friends = Amis inscrits
stat-purchases = Achats
rewards-label = Vos récompenses
reward-code = Code de récompense : { $code }
reward-sent = Récompense en route
reward-soon = Récompense bientôt disponible
board-title = Meilleurs ambassadeurs
board-friends = { $count ->
    [one] { $count } ami
   *[other] { $count } amis
}
friend-offer = { $name } vous offre { $offer }
friend-voice-reward = { $name } reçoit une récompense si vous commandez.
friend-use-code = Utilisez le code
friend-at-checkout = lors du paiement.
friend-restocking = Les offres de bienvenue sont en cours de réapprovisionnement. Revenez bientôt : votre invitation est enregistrée.
friend-applied = La réduction est appliquée lors du paiement.
referrer-name-label = Votre nom, tel que vos amis le voient
note-label = Un message pour les amis qui suivent votre lien
referrer-save = Enregistrer
note-pending = Enregistré. Vos amis le verront une fois approuvé par la marque.
note-approved = Les amis qui suivent votre lien voient ce message.
note-rejected = Ce message n’a pas été approuvé : vos amis ne le voient pas. Vous pouvez en écrire un autre.
error-note = Le message peut compter { $max } caractères au plus.
note-removed = Message supprimé.
referrer-name-saved = Nom enregistré.

## Community
community = Groupes de la communauté
community-label = Communauté
community-name = Votre nom dans les groupes
community-name-first = Choisissez d’abord le nom que verront les autres membres.
community-invited = Vous êtes invité dans un groupe privé.
community-accept = Accepter et rejoindre
unread = { $count ->
    [one] { $count } nouveau
   *[other] { $count } nouveaux
}
group-private = Privé
group-members = { $count ->
    [one] { $count } membre
   *[other] { $count } membres
}
group-open = Ouvrir
group-join = Rejoindre
groups-all = Tous les groupes
group-leave = Quitter le groupe
group-leave-confirm = Quitter { $group } ?
group-leave-private = Pour revenir, il vous faudra une invitation.
group-leave-yes = Quitter
group-leave-no = Rester
group-left = Vous avez quitté { $group }.
group-joined = Vous avez rejoint { $group }.
thread-start = Lancer une discussion
thread-message = Message
thread-photo = Photo
thread-replies-label = Réponses
photo-choose = Choisir une photo
photo-choose-several = Choisir des photos
photo-remove = Retirer la photo
photo-remove-several = Retirer les photos
photo-none = Aucune photo choisie
photo-count = { $count ->
    [one] { $count } photo
   *[other] { $count } photos
}
thread-post = Publier
thread-pinned = Épinglé
thread-pending = En attente de validation
thread-replies = { $count ->
    [one] { $count } réponse
   *[other] { $count } réponses
}
thread-back = Retour au groupe
thread-earlier = Voir les réponses précédentes
thread-earlier-shown = { $count ->
    [one] { $count } réponse précédente affichée
   *[other] { $count } réponses précédentes affichées
}
reply = Répondre
reply-label = Votre réponse
report = Signaler
report-why = Pourquoi signaler ceci ?
report-reason-spam = Spam ou publicité
report-reason-offensive = Abusif ou offensant
report-reason-personal_data = Données personnelles de quelqu’un
report-reason-off_topic = Sans rapport avec le produit
report-reason-other = Autre chose
report-send = Envoyer le signalement
report-choose = Choisissez pourquoi vous signalez ceci.
report-gone = Cette publication a été retirée : il n’y a plus rien à signaler.
post-gone = Cette publication a été supprimée.
thanks-post = Merci ! Votre message apparaîtra dès que la marque l’aura validé.
thanks-reply = Merci ! Votre réponse apparaîtra dès que la marque l’aura validée.
said-in-thread = Dans « { $thread } » : { $said }
thread-not-posted = La discussion « { $thread } » n’a pas été publiée dans { $group } : { $said } Vos mots y sont conservés.
thanks-report = Merci, la marque va y jeter un œil.
reaction-like = J’aime ({ $count })
reaction-love = J’adore ({ $count })
reaction-helpful = Utile ({ $count })
reaction-celebrate = Bravo ({ $count })

# "Your data": what the shop keeps through Kindred for this shopper.
data-title = Vos données
data-intro = Ce que cette boutique conserve sur vous ici, dans ses avis, parrainages et groupes :
data-none = Rien n’est conservé sur vous ici.
data-testimonials = { $count ->
    [one] { $count } avis
   *[other] { $count } avis
}
data-votes = { $count ->
    [one] { $count } vote « utile »
   *[other] { $count } votes « utile »
}
data-referral = Votre lien de parrainage, ses clics et récompenses
data-claims = { $count ->
    [one] { $count } offre de bienvenue utilisée
   *[other] { $count } offres de bienvenue utilisées
}
data-groups = { $count ->
    [one] Membre de { $count } groupe
   *[other] Membre de { $count } groupes
}
data-posts = { $count ->
    [one] { $count } message ou réponse
   *[other] { $count } messages et réponses
}
data-reactions = { $count ->
    [one] { $count } réaction ou signalement
   *[other] { $count } réactions et signalements
}
data-orders = { $count ->
    [one] { $count } commande transmise par la boutique
   *[other] { $count } commandes transmises par la boutique
}
data-invites = { $count ->
    [one] { $count } lien d’invitation créé par vous
   *[other] { $count } liens d’invitation créés par vous
}
data-restrictions = { $count ->
    [one] { $count } décision de la boutique à votre sujet (blocage ou retrait d’un groupe), conservée après suppression
   *[other] { $count } décisions de la boutique à votre sujet (blocages ou retraits de groupes), conservées après suppression
}
data-download = Tout télécharger (JSON)
data-delete = Supprimer mes données
data-confirm = Cela supprime ici vos avis et leurs photos, vos votes, votre lien de parrainage (les récompenses non utilisées sont perdues), vos groupes et messages. Les réponses des autres dans vos discussions sont aussi supprimées. C’est irréversible.
data-confirm-anonymise = Vos avis et messages restent, sans votre nom, votre e-mail ni vos photos. Vos votes, votre lien de parrainage (les récompenses non utilisées sont perdues) et vos groupes sont supprimés. C’est irréversible.
data-confirm-yes = Oui, supprimer
data-erased = C’est fait : vos données sont supprimées et ce navigateur ne se souvient plus de vous ici.
former-customer = Ancien client
former-member = Ancien membre

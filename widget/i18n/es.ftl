# Kindred widget: español. Messages and format: see en.ftl.

## The widget
widget-label = Opiniones de clientes sobre { $subject }
title = Lo que dicen nuestros clientes
loading-reviews = Cargando opiniones
frame-title = Opiniones de clientes
review-count = { $count ->
    [one] { $count } opinión
   *[other] { $count } opiniones
}
stars-label = { $rating } de 5 estrellas
write-review = Escribir una opinión
filters-label = Filtrar y ordenar opiniones
filter-rating = Valoración
rating-all = Todas las valoraciones
rating-stars = { $count ->
    [one] { $count } estrella
   *[other] { $count } estrellas
}
sort = Ordenar
sort-newest = Más recientes
sort-highest = Mejor valoradas
sort-helpful = Más útiles
sort-context-tag = Primero { $tag }
sort-context-lang = Primero en tu idioma
empty = Aún no hay opiniones. Sé el primero en compartir la tuya.
empty-filtered = Ninguna opinión coincide con estos filtros.
show-all = { $count ->
    [one] Ver la opinión
   *[other] Ver las { $count } opiniones
}
show-more = Ver más
loading = Cargando…
load-more = Cargar más opiniones
error-load = No se pudieron cargar las opiniones. { $reason }

## A testimonial card
badge-featured = Destacada
badge-verified = Cliente verificado
badge-purchase = Compra verificada
reply-from = Respuesta de { $brand }
edited = editada
edit-review = Editar tu reseña
edit-save = Guardar cambios
edit-saved = Guardado.
edit-pending = Guardado. Tus cambios de texto aparecerán tras una revisión rápida.
how-reviews-work = Cómo funcionan las reseñas
# What reviews mention most (phrases from all published reviews, any rating).
aspects-title = Las reseñas mencionan
# Of the reviews using a phrase, those rated 1 to 3 stars.
aspect-critical = { $count } con { $lowest }–{ $highest } estrellas
badge-incentivised = Incentivada
badge-imported = Importada
form-incentive = Recibes { $offer } por tu reseña, sea cual sea tu valoración.
# Consent to reuse beyond the brand's site; unticked by default.
form-consent = { $brand } puede mostrar mi reseña, mi nombre y mis fotos en sus anuncios, redes sociales y correos.
# After the consent to reuse was given or withdrawn from the shopper's own card.
consent-saved = Tu elección se ha guardado.
badge-ambassador = Embajador
photo-alt = Foto de { $name }
tags-label = Intereses
helpful = Útil
helpful-done = Útil ✓

## The review form
form-name = Tu nombre
form-email = Correo electrónico
form-email-hint = (privado, nunca se muestra)
form-private = (privado)
form-rating = Tu valoración
form-title = Título
form-optional = (opcional)
form-body = Tu opinión
form-tags = Tus intereses
form-tags-hint = (separados por comas, p. ej. trail running)
form-photos = Fotos
form-photos-hint = (hasta { $count }, JPEG, PNG o WebP, { $max } MB cada una)
form-submit = Enviar opinión
cancel = Cancelar
uploading = Subiendo fotos…
uploading-more = Subiendo más fotos…
sending = Enviando tu opinión…
thanks-live = ¡Gracias! Tu opinión ya está publicada.
thanks-pending = ¡Gracias! Tu opinión aparecerá tras una revisión rápida.

## Problems
error-name = Escribe tu nombre (hasta { $max } caracteres).
error-name-address = Tu nombre se muestra públicamente: escribe un nombre, no una dirección de correo electrónico.
error-name-required = Escribe tu nombre.
error-email = Escribe un correo electrónico válido.
error-email-taken = Este correo ya tiene un enlace de recomendación. Ábrelo donde lo conseguiste: con tu sesión iniciada o en el navegador que usaste entonces.
error-review-link = Este enlace de reseña ya no funciona (usado, caducado o cancelado). Envía de nuevo para publicar tu reseña sin él.
error-order-email = Usa el correo con el que hiciste el pedido, para una compra verificada.
error-rating = Elige una valoración de 1 a 5 estrellas.
error-title = El título puede tener hasta { $max } caracteres.
error-body = Escribe entre { $min } y { $max } caracteres.
error-tags = Hasta { $count } intereses, de hasta { $max } caracteres cada uno.
error-photos-count = { $count ->
    [one] Elige una foto como máximo.
   *[other] Elige { $count } fotos como máximo.
}
error-photo-size = { $name } supera los { $max } MB.
error-photo = { $name }: { $reason }
error-photo-type = Las fotos pueden ser JPEG, PNG o WebP.
error-too-large = Es demasiado grande para enviarlo.
error-busy = Demasiados intentos en poco tiempo. Espera un minuto y vuelve a intentarlo.
error-offline = No se pudo conectar con el servidor. Revisa tu conexión y vuelve a intentarlo.
error-sign-in = Tu sesión ha caducado. Recarga la página y vuelve a intentarlo.
error-already-voted = Ya has votado esta opinión.
error-invalid = Algo no está bien en este formulario. Revísalo y vuelve a intentarlo.
error-invite = Esta invitación ya no sirve (usada, revocada o caducada). Pide una nueva.
error-forbidden = Esto no está abierto para ti. Únete primero al grupo o pide una invitación.
error-conflict = Esto ha cambiado mientras tanto. Recarga y vuelve a intentarlo.
error-generic = Algo salió mal. Vuelve a intentarlo.
error-part = No se pudo cargar esta parte. Revisa tu conexión y vuelve a intentarlo.

## Referrals
referral-label = Recomienda a un amigo
referral-pitch = Regala { $offer } a tus amigos
referral-open = Consigue tu enlace de recomendación
referral-submit = Conseguir mi enlace
referral-email-link = Enviarme mi enlace por correo
referral-link-sent = Si esta dirección tiene un enlace de recomendación, va de camino allí. Abre el correo en este dispositivo para tener tu enlace aquí.
error-referral-link = Este enlace ya no funciona (ya usado o caducado). Escribe tu correo para pedir uno nuevo.
referral-link-take = Traer mi enlace de recomendación a este dispositivo
error-referral-link-own = Este navegador ya tiene su propio enlace de recomendación. Abre el enlace del correo en otro navegador.
next-group-pitch = Conoce a otras personas en { $group }
next-group-join = Unirme como { $name }
next-group-joined = Te uniste a { $group }: está abajo, en Grupos de la comunidad.
referral-link-label = Tu enlace de recomendación
your-code = Tu código
copy-link = Copiar enlace
copy-code = Copiar código
copied = Copiado
share = Compartir
share-email = Correo
share-subject = Un regalo de { $brand }
share-text = Me gusta { $brand }. Aquí tienes { $offer }: { $link }
stat-clicks = Clics
stat-friends = Amigos registrados
stat-purchases = Compras
rewards-label = Tus recompensas
reward-code = Código de recompensa: { $code }
reward-sent = Recompensa en camino
reward-soon = Recompensa muy pronto
board-title = Mejores embajadores
board-friends = { $count ->
    [one] { $count } amigo
   *[other] { $count } amigos
}
friend-offer = { $name } te regala { $offer }
friend-voice-reward = { $name } recibe una recompensa si haces un pedido.
friend-use-code = Usa el código
friend-at-checkout = al pagar.
friend-restocking = Estamos reponiendo las ofertas de bienvenida. Vuelve pronto: tu invitación está guardada.
friend-applied = El descuento se aplica al pagar.
referrer-name-label = Tu nombre, tal como lo ven tus amigos
note-label = Una nota para los amigos que sigan tu enlace
referrer-save = Guardar
note-pending = Guardada. Tus amigos la verán cuando la marca la apruebe.
note-approved = Los amigos que siguen tu enlace ven esta nota.
note-rejected = Esta nota no se aprobó, así que tus amigos no la ven. Puedes escribir otra.
error-note = La nota puede tener hasta { $max } caracteres.
note-removed = Nota eliminada.
referrer-name-saved = Nombre guardado.

## Community
community = Grupos de la comunidad
community-label = Comunidad
community-name = Tu nombre en los grupos
community-name-first = Primero elige el nombre que verán los demás miembros.
community-invited = Tienes una invitación a un grupo privado.
community-accept = Aceptar y unirme
unread = { $count ->
    [one] { $count } nuevo
   *[other] { $count } nuevos
}
group-private = Privado
group-members = { $count ->
    [one] { $count } miembro
   *[other] { $count } miembros
}
group-open = Abrir
group-join = Unirme
groups-all = Todos los grupos
group-leave = Salir del grupo
group-leave-confirm = ¿Salir de { $group }?
group-leave-private = Para volver necesitarás una invitación.
group-leave-yes = Salir
group-leave-no = Quedarme
group-left = Saliste de { $group }.
group-joined = Te uniste a { $group }.
thread-start = Iniciar un tema
thread-message = Mensaje
thread-photo = Foto
thread-replies-label = Respuestas
photo-choose = Elegir una foto
photo-choose-several = Elegir fotos
photo-remove = Quitar foto
photo-remove-several = Quitar fotos
photo-none = Ninguna foto elegida
photo-count = { $count ->
    [one] { $count } foto
   *[other] { $count } fotos
}
thread-post = Publicar
thread-pinned = Fijado
thread-pending = Pendiente de aprobación
thread-replies = { $count ->
    [one] { $count } respuesta
   *[other] { $count } respuestas
}
thread-back = Volver al grupo
thread-earlier = Ver respuestas anteriores
thread-earlier-shown = { $count ->
    [one] Se muestra { $count } respuesta anterior
   *[other] Se muestran { $count } respuestas anteriores
}
reply = Responder
reply-label = Tu respuesta
report = Denunciar
report-why = ¿Por qué lo denuncias?
report-reason-spam = Spam o publicidad
report-reason-offensive = Abusivo u ofensivo
report-reason-personal_data = Datos personales de alguien
report-reason-off_topic = No trata del producto
report-reason-other = Otro motivo
report-send = Enviar denuncia
report-choose = Elige por qué lo denuncias.
report-gone = Esta publicación se eliminó, así que no hay nada que denunciar.
post-gone = Esta publicación se eliminó.
thanks-post = ¡Gracias! Tu publicación aparecerá cuando la marca la apruebe.
thanks-reply = ¡Gracias! Tu respuesta aparecerá cuando la marca la apruebe.
said-in-thread = En «{ $thread }»: { $said }
thread-not-posted = El tema «{ $thread }» no se publicó en { $group }: { $said } Tus palabras se guardan allí.
thanks-report = Gracias, la marca lo revisará.
reaction-like = Me gusta ({ $count })
reaction-love = Me encanta ({ $count })
reaction-helpful = Útil ({ $count })
reaction-celebrate = Celebrar ({ $count })

# "Your data": what the shop keeps through Kindred for this shopper.
data-title = Tus datos
data-intro = Lo que esta tienda guarda sobre ti aquí, en sus reseñas, recomendaciones y grupos:
data-none = Aquí no se guarda nada sobre ti.
data-testimonials = { $count ->
    [one] { $count } reseña
   *[other] { $count } reseñas
}
data-votes = { $count ->
    [one] { $count } voto de «útil»
   *[other] { $count } votos de «útil»
}
data-referral = Tu enlace de recomendación, sus clics y recompensas
data-claims = { $count ->
    [one] { $count } oferta de bienvenida canjeada
   *[other] { $count } ofertas de bienvenida canjeadas
}
data-groups = { $count ->
    [one] Miembro de { $count } grupo
   *[other] Miembro de { $count } grupos
}
data-posts = { $count ->
    [one] { $count } publicación o respuesta
   *[other] { $count } publicaciones y respuestas
}
data-reactions = { $count ->
    [one] { $count } reacción o denuncia
   *[other] { $count } reacciones y denuncias
}
data-orders = { $count ->
    [one] { $count } pedido que la tienda nos comunicó
   *[other] { $count } pedidos que la tienda nos comunicó
}
data-invites = { $count ->
    [one] { $count } enlace de invitación que creaste
   *[other] { $count } enlaces de invitación que creaste
}
data-restrictions = { $count ->
    [one] { $count } decisión de la tienda sobre ti (bloqueo o expulsión de un grupo), que se conserva tras borrar
   *[other] { $count } decisiones de la tienda sobre ti (bloqueos o expulsiones de grupos), que se conservan tras borrar
}
data-download = Descargar todo (JSON)
data-delete = Eliminar mis datos
data-confirm = Esto elimina aquí tus reseñas y sus fotos, tus votos, tu enlace de recomendación (se pierden las recompensas no usadas), tus grupos y publicaciones. También se eliminan las respuestas de otros en tus hilos. No se puede deshacer.
data-confirm-anonymise = Tus reseñas y publicaciones se quedan, sin tu nombre, correo ni fotos. Se eliminan tus votos, tu enlace de recomendación (se pierden las recompensas no usadas) y tus grupos. No se puede deshacer.
data-confirm-yes = Sí, eliminar
data-erased = Listo: tus datos están eliminados y este navegador ya no te recuerda aquí.
former-customer = Excliente
former-member = Exmiembro

how-title = Cómo funcionan las reseñas en { $brand }
how-who = Las reseñas las escriben los clientes en el formulario de las páginas de { $brand }. { $brand } no puede cambiar las estrellas ni el texto de una reseña.
how-verified-purchase = «Compra verificada» significa que la reseña se escribió desde un enlace que { $brand } envió tras un pedido, con el correo de ese pedido.
how-verified-buyer = «Cliente verificado» significa que la persona había iniciado sesión en la tienda de { $brand } al escribir, confirmado por el servidor de la tienda. Las reseñas sin ninguna de estas marcas no se comprueban con pedidos.
how-at-once-none = Una persona de { $brand } lee cada reseña antes de publicarla.
how-at-once-rating = Las reseñas de { $min } estrellas o más se publican al momento; las demás las lee antes una persona.
how-at-once-verified = Las reseñas de clientes verificados y de compras verificadas se publican al momento; las demás las lee antes una persona.
how-at-once-all = Las reseñas se publican al momento.
how-hold = { $days ->
    [one] Una reseña sobre la que nadie ha decidido se publica como muy tarde al cabo de 1 día.
   *[other] Una reseña sobre la que nadie ha decidido se publica como muy tarde al cabo de { $days } días.
}
how-reasons = Las reseñas solo se rechazan por estos motivos, nunca por su valoración: { $reasons }.
how-reason-spam = spam
how-reason-offensive = contenido ofensivo
how-reason-personal_data = datos personales
how-reason-off_topic = no trata del producto o del servicio
how-reason-duplicate = duplicados
how-reason-other = otro motivo que anota la moderación
how-incentive-none = { $brand } no da nada a cambio de las reseñas.
how-incentive = { $brand } da { $offer } por cualquier reseña, sea cual sea su valoración. Esas reseñas llevan la etiqueta «Incentivada».
how-sort = Las reseñas se muestran de la más nueva a la más antigua, con las destacadas por { $brand } arriba. También puedes ordenarlas por valoración o por utilidad.
how-personal-order = Las primeras reseñas pueden elegirse según de dónde vienes, sin rastreo: primero las que comparten una etiqueta con la página, con quien te envió o con el grupo que te invitó, después las que la marca destaca y luego las escritas en tu idioma. Elige «Más recientes» para ver el orden habitual.
how-average = La valoración media es la media de todas las valoraciones publicadas, redondeada a un decimal.
# Feeds and share pages (core::syndication).
feed-read-more = Leer más
share-on = { $name } sobre { $brand }
share-see-product = Ver { $product }
share-visit = Visitar { $brand }
share-link = Enlace a esta reseña
wall-title = Lo que dicen los clientes de { $brand }
wall-title-product = Lo que dicen los clientes de { $product }
wall-all = Todas
wall-empty = Todavía no hay reseñas que mostrar.

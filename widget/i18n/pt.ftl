# Kindred widget: português. Messages and format: see en.ftl.

## The widget
widget-label = Avaliações de clientes sobre { $subject }
title = O que os clientes dizem
loading-reviews = A carregar avaliações
frame-title = Avaliações de clientes
review-count = { $count ->
    [one] { $count } avaliação
   *[other] { $count } avaliações
}
stars-label = { $rating } de 5 estrelas
write-review = Escrever uma avaliação
filters-label = Filtrar e ordenar avaliações
filter-rating = Classificação
rating-all = Todas as classificações
rating-stars = { $count ->
    [one] { $count } estrela
   *[other] { $count } estrelas
}
sort = Ordenar
sort-newest = Mais recentes
sort-highest = Mais bem avaliadas
sort-helpful = Mais úteis
sort-context-tag = Primeiro { $tag }
sort-context-lang = Primeiro no seu idioma
empty = Ainda não há avaliações. Seja o primeiro a partilhar a sua.
empty-filtered = Nenhuma avaliação corresponde a estes filtros.
show-all = { $count ->
    [one] Ver a avaliação
   *[other] Ver todas as { $count } avaliações
}
show-more = Mostrar mais
loading = A carregar…
load-more = Carregar mais avaliações
error-load = Não foi possível carregar as avaliações. { $reason }

## A testimonial card
badge-featured = Em destaque
badge-verified = Cliente verificado
badge-purchase = Compra verificada
reply-from = Resposta de { $brand }
edited = editada
edit-review = Editar sua avaliação
edit-save = Salvar alterações
edit-saved = Salvo.
edit-pending = Salvo. Seu novo texto aparecerá após uma verificação rápida.
how-reviews-work = Como funcionam as avaliações
# What reviews mention most (phrases from all published reviews, any rating).
aspects-title = As avaliações mencionam
# Of the reviews using a phrase, those rated 1 to 3 stars.
aspect-critical = { $count } com { $lowest }–{ $highest } estrelas
badge-incentivised = Com incentivo
badge-imported = Importada
form-incentive = Você recebe { $offer } pela sua avaliação, seja qual for a sua nota.
# Consent to reuse beyond the brand's site; unticked by default.
form-consent = A { $brand } pode usar a minha avaliação, o meu nome e as minhas fotos em anúncios, redes sociais e e-mails.
# After the consent to reuse was given or withdrawn from the shopper's own card.
consent-saved = A sua escolha foi guardada.
badge-ambassador = Embaixador
photo-alt = Foto de { $name }
tags-label = Interesses
helpful = Útil
helpful-done = Útil ✓

## The review form
form-name = O seu nome
form-email = E-mail
form-email-hint = (privado, nunca é mostrado)
form-private = (privado)
form-rating = A sua classificação
form-title = Título
form-optional = (opcional)
form-body = A sua avaliação
form-tags = Os seus interesses
form-tags-hint = (separados por vírgulas, p. ex. trail running)
form-photos = Fotos
form-photos-hint = (até { $count }, JPEG, PNG ou WebP, { $max } MB cada)
form-submit = Enviar avaliação
cancel = Cancelar
uploading = A enviar fotos…
uploading-more = A enviar mais fotos…
sending = A enviar a sua avaliação…
thanks-live = Obrigado! A sua avaliação já está publicada.
thanks-pending = Obrigado! A sua avaliação aparecerá após uma verificação rápida.

## Problems
error-name = Escreva o seu nome (até { $max } caracteres).
error-name-address = O seu nome é mostrado publicamente: escreva um nome, não um endereço de e-mail.
error-name-required = Escreva o seu nome.
error-email = Escreva um endereço de e-mail válido.
error-email-taken = Este e-mail já tem um link de recomendação. Abra-o onde o obteve: com a sessão iniciada ou no navegador que usou nessa altura.
error-review-link = Este link de avaliação não funciona mais (usado, expirado ou cancelado). Envie de novo para publicar sua avaliação sem ele.
error-order-email = Use o e-mail do seu pedido, para uma compra verificada.
error-rating = Escolha uma classificação de 1 a 5 estrelas.
error-title = O título pode ter até { $max } caracteres.
error-body = Escreva entre { $min } e { $max } caracteres.
error-tags = Até { $count } interesses, cada um com até { $max } caracteres.
error-photos-count = { $count ->
    [one] Escolha no máximo uma foto.
   *[other] Escolha no máximo { $count } fotos.
}
error-photo-size = { $name } tem mais de { $max } MB.
error-photo = { $name }: { $reason }
error-photo-type = As fotos podem ser JPEG, PNG ou WebP.
error-too-large = É demasiado grande para enviar.
error-busy = Demasiadas tentativas em pouco tempo. Aguarde um minuto e tente novamente.
error-offline = Não foi possível contactar o servidor. Verifique a ligação e tente novamente.
error-sign-in = A sua sessão expirou. Recarregue a página e tente novamente.
error-already-voted = Já votou nesta avaliação.
error-invalid = Algo neste formulário não está certo. Verifique e tente novamente.
error-invite = Este convite já não é válido (usado, revogado ou expirado). Peça um novo.
error-forbidden = Isto não está aberto para si. Entre primeiro no grupo ou peça um convite.
error-conflict = Isto mudou entretanto. Recarregue e tente novamente.
error-generic = Algo correu mal. Tente novamente.
error-part = Não foi possível carregar esta parte. Verifique a ligação e tente novamente.

## Referrals
referral-label = Recomende a um amigo
referral-pitch = Ofereça { $offer } aos seus amigos
referral-open = Obter o seu link de recomendação
referral-submit = Obter o meu link
referral-email-link = Enviar-me o link por e-mail
referral-link-sent = Se este endereço tiver um link de recomendação, ele está a caminho. Abra o e-mail neste dispositivo para ter o seu link aqui.
error-referral-link = Este link já não funciona (já usado ou expirado). Escreva o seu e-mail para pedir um novo.
referral-link-take = Trazer o meu link de recomendação para este dispositivo
error-referral-link-own = Este navegador já tem o seu próprio link de recomendação. Abra o link do e-mail noutro navegador.
next-group-pitch = Conheça outras pessoas em { $group }
next-group-join = Entrar como { $name }
next-group-joined = Entrou em { $group }: está abaixo, em Grupos da comunidade.
referral-link-label = O seu link de recomendação
your-code = O seu código
copy-link = Copiar link
copy-code = Copiar código
copied = Copiado
share = Partilhar
share-email = E-mail
share-subject = Um presente de { $brand }
share-text = Gosto da { $brand }. Aqui tens { $offer }: { $link }
stat-clicks = Cliques
stat-friends = Amigos inscritos
stat-purchases = Compras
rewards-label = As suas recompensas
reward-code = Código de recompensa: { $code }
reward-sent = Recompensa a caminho
reward-soon = Recompensa em breve
board-title = Melhores embaixadores
board-friends = { $count ->
    [one] { $count } amigo
   *[other] { $count } amigos
}
friend-offer = { $name } ofereceu-lhe { $offer }
friend-voice-reward = { $name } recebe uma recompensa se fizer uma encomenda.
friend-use-code = Use o código
friend-at-checkout = no pagamento.
friend-restocking = As ofertas de boas-vindas estão a ser repostas. Volte em breve: o seu convite está guardado.
friend-applied = O desconto é aplicado no pagamento.
referrer-name-label = O seu nome, como os amigos o veem
note-label = Uma nota para os amigos que seguirem o seu link
referrer-save = Guardar
note-pending = Guardada. Os seus amigos veem-na quando a marca a aprovar.
note-approved = Os amigos que seguem o seu link veem esta nota.
note-rejected = Esta nota não foi aprovada, por isso os seus amigos não a veem. Pode escrever outra.
error-note = A nota pode ter até { $max } caracteres.
note-removed = Nota removida.
referrer-name-saved = Nome guardado.

## Community
community = Grupos da comunidade
community-label = Comunidade
community-name = O seu nome nos grupos
community-name-first = Escolha primeiro o nome que os outros membros vão ver.
community-invited = Tem um convite para um grupo privado.
community-accept = Aceitar e entrar
unread = { $count ->
    [one] { $count } novo
   *[other] { $count } novos
}
group-private = Privado
group-members = { $count ->
    [one] { $count } membro
   *[other] { $count } membros
}
group-open = Abrir
group-join = Entrar
groups-all = Todos os grupos
group-leave = Sair do grupo
group-leave-confirm = Sair de { $group }?
group-leave-private = Para voltar, vai precisar de um convite.
group-leave-yes = Sair
group-leave-no = Ficar
group-left = Saiu de { $group }.
group-joined = Entrou em { $group }.
thread-start = Iniciar uma conversa
thread-message = Mensagem
thread-photo = Foto
thread-replies-label = Respostas
photo-choose = Escolher uma foto
photo-choose-several = Escolher fotos
photo-remove = Remover foto
photo-remove-several = Remover fotos
photo-none = Nenhuma foto escolhida
photo-count = { $count ->
    [one] { $count } foto
   *[other] { $count } fotos
}
thread-post = Publicar
thread-pinned = Fixado
thread-pending = A aguardar aprovação
thread-replies = { $count ->
    [one] { $count } resposta
   *[other] { $count } respostas
}
thread-back = Voltar ao grupo
thread-earlier = Ver respostas anteriores
thread-earlier-shown = { $count ->
    [one] { $count } resposta anterior apresentada
   *[other] { $count } respostas anteriores apresentadas
}
reply = Responder
reply-label = A sua resposta
report = Denunciar
report-why = Por que denunciar isto?
report-reason-spam = Spam ou publicidade
report-reason-offensive = Abusivo ou ofensivo
report-reason-personal_data = Dados pessoais de alguém
report-reason-off_topic = Não é sobre o produto
report-reason-other = Outro motivo
report-send = Enviar denúncia
report-choose = Escolha por que está denunciando isto.
report-gone = Esta publicação foi removida, não há nada a denunciar.
post-gone = Esta publicação foi removida.
thanks-post = Obrigado! A sua publicação aparece quando a marca a aprovar.
thanks-reply = Obrigado! A sua resposta aparece quando a marca a aprovar.
said-in-thread = Em “{ $thread }”: { $said }
thread-not-posted = A conversa “{ $thread }” não foi publicada em { $group }: { $said } As suas palavras ficam guardadas lá.
thanks-report = Obrigado, a marca vai analisar.
reaction-like = Gosto ({ $count })
reaction-love = Adoro ({ $count })
reaction-helpful = Útil ({ $count })
reaction-celebrate = Celebrar ({ $count })

# "Your data": what the shop keeps through Kindred for this shopper.
data-title = Os seus dados
data-intro = O que esta loja guarda sobre si aqui, nas avaliações, recomendações e grupos:
data-none = Aqui não é guardado nada sobre si.
data-testimonials = { $count ->
    [one] { $count } avaliação
   *[other] { $count } avaliações
}
data-votes = { $count ->
    [one] { $count } voto «útil»
   *[other] { $count } votos «útil»
}
data-referral = A sua ligação de recomendação, os cliques e as recompensas
data-claims = { $count ->
    [one] { $count } oferta de boas-vindas usada
   *[other] { $count } ofertas de boas-vindas usadas
}
data-groups = { $count ->
    [one] Membro de { $count } grupo
   *[other] Membro de { $count } grupos
}
data-posts = { $count ->
    [one] { $count } publicação ou resposta
   *[other] { $count } publicações e respostas
}
data-reactions = { $count ->
    [one] { $count } reação ou denúncia
   *[other] { $count } reações e denúncias
}
data-orders = { $count ->
    [one] { $count } encomenda comunicada pela loja
   *[other] { $count } encomendas comunicadas pela loja
}
data-invites = { $count ->
    [one] { $count } ligação de convite criada por si
   *[other] { $count } ligações de convite criadas por si
}
data-restrictions = { $count ->
    [one] { $count } decisão da loja sobre si (bloqueio ou remoção de um grupo), mantida após a eliminação
   *[other] { $count } decisões da loja sobre si (bloqueios ou remoções de grupos), mantidas após a eliminação
}
data-download = Transferir tudo (JSON)
data-delete = Eliminar os meus dados
data-confirm = Isto elimina aqui as suas avaliações e fotos, votos, ligação de recomendação (as recompensas por usar perdem-se), grupos e publicações. As respostas de outras pessoas nos seus tópicos também são eliminadas. Não pode ser desfeito.
data-confirm-anonymise = As suas avaliações e publicações ficam, sem o seu nome, email ou fotos. Os seus votos, a ligação de recomendação (as recompensas por usar perdem-se) e os grupos são eliminados. Não pode ser desfeito.
data-confirm-yes = Sim, eliminar
data-erased = Feito: os seus dados foram eliminados e este navegador já não se lembra de si aqui.
former-customer = Antigo cliente
former-member = Antigo membro

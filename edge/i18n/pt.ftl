how-title = Como funcionam as avaliações na { $brand }
how-who = As avaliações são escritas por clientes no formulário das páginas da { $brand }. A { $brand } não pode alterar as estrelas nem o texto de uma avaliação.
how-verified-purchase = “Compra verificada” significa que a avaliação foi escrita por um link que a { $brand } enviou após um pedido, com o e-mail desse pedido.
how-verified-buyer = “Cliente verificado” significa que a pessoa estava conectada à loja da { $brand } ao escrever, o que o servidor da loja confirma. Avaliações sem nenhuma dessas marcas não são comparadas com pedidos.
how-at-once-none = Uma pessoa da { $brand } lê cada avaliação antes de publicá-la.
how-at-once-rating = Avaliações com { $min } estrelas ou mais são publicadas na hora; as outras são lidas antes por uma pessoa.
how-at-once-verified = Avaliações de clientes verificados e de compras verificadas são publicadas na hora; as outras são lidas antes por uma pessoa.
how-at-once-all = As avaliações são publicadas na hora.
how-hold = { $days ->
    [one] Uma avaliação sobre a qual ninguém decidiu é publicada no máximo após 1 dia.
   *[other] Uma avaliação sobre a qual ninguém decidiu é publicada no máximo após { $days } dias.
}
how-reasons = As avaliações só são recusadas por estes motivos, nunca pela nota: { $reasons }.
how-reason-spam = spam
how-reason-offensive = conteúdo ofensivo
how-reason-personal_data = dados pessoais
how-reason-off_topic = não trata do produto ou do serviço
how-reason-duplicate = duplicadas
how-reason-other = outro motivo registrado pela moderação
how-incentive-none = A { $brand } não dá nada em troca de avaliações.
how-incentive = A { $brand } dá { $offer } por qualquer avaliação, seja qual for a nota. Essas avaliações levam a etiqueta “Com incentivo”.
how-sort = As avaliações aparecem da mais nova para a mais antiga, com as destacadas pela { $brand } no topo. Você também pode ordená-las por nota ou por utilidade.
how-personal-order = As primeiras avaliações podem ser escolhidas conforme a origem da sua visita, sem rastreamento: primeiro as que compartilham uma etiqueta com a página, com a pessoa que indicou você ou com o grupo que convidou você, depois as destacadas pela marca e depois as escritas no seu idioma. Escolha “Mais recentes” para ver a ordem habitual.
how-average = A nota média é a média de todas as notas publicadas, arredondada a uma casa decimal.
# Feeds and share pages (core::syndication).
feed-read-more = Ler mais
share-on = { $name } sobre { $brand }
share-see-product = Ver { $product }
share-visit = Visitar { $brand }
share-link = Link para esta avaliação
wall-title = O que os clientes dizem sobre { $brand }
wall-title-product = O que os clientes dizem sobre { $product }
wall-all = Todas
wall-empty = Ainda não há avaliações para mostrar.

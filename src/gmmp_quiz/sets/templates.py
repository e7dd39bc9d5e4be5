"""The commented template of a new set, in English and in French."""

from __future__ import annotations

TEMPLATES = {
    "en": """\
# yaml-language-server: $schema=./question-set.schema.json
# A question set: edit it, then check it with `gmmp-quiz validate THIS_FILE`.
# The format is described in docs/question-format.md. Texts are plain strings, or maps of
# languages such as {fr: ..., en: ...}. Quote values YAML could read as something else
# ("no", "yes", "010", "2025-06-25").
id: SET_ID                    # stable and unique: progress is keyed by it
title: SET_ID
language: en                  # the set's main language (a code such as fr, en, pt-BR)
description: What this set is about.
source: Where the facts come from.
tags: [example]
options:
  shuffle: true               # shuffle choices, items and pairs when shown
  strict_accents: false       # typed answers must have the right accents
questions:
  # Question ids are stable and unique in the set: keep them when you fix a text.
  - id: flashcard-example
    type: flashcard           # flip the card and rate yourself
    front: What does GIFT stand for?
    back: General Import Format Template

  - id: choice-example
    type: choice              # one right answer; `answer` repeats its text
    prompt: Which planet is the largest?
    choices:
      - Jupiter
      - text: Mars
        feedback: Mars is about half the size of the Earth.
      - Venus
    answer: Jupiter
    explanation: Jupiter is more than ten times as wide as the Earth.

  - id: multi-example
    type: multi               # select all that apply
    prompt: Which of these are prime numbers?
    choices: ["2", "3", "4", "9"]
    answers: ["2", "3"]

  - id: true-false-example
    type: true_false
    prompt: Water boils at 100 °C at sea level.
    answer: true              # true or false (not yes/no)

  - id: short-example
    type: short               # a typed answer; case, accents and small typos are forgiven
    prompt: What is the capital of Italy?
    answer: Rome
    alternatives: [Roma]

  - id: numeric-example
    type: numeric
    prompt: In which year did the Berlin Wall fall?
    answer: 1989
    tolerance: 0              # how far off an answer may be

  - id: cloze-example
    type: cloze               # gaps are {{answer}} or {{answer|alternative}}
    text: The Seine flows through {{Paris}} into the {{English Channel|Channel}}.

  - id: order-example
    type: order               # items listed in the right order; shuffled when shown
    prompt: Put these in chronological order.
    items:
      - The printing press
      - The steam engine
      - The telephone

  - id: match-example
    type: match               # pair each left item with its right item
    prompt: Match each country with its capital.
    pairs:
      - {left: Canada, right: Ottawa}
      - {left: Italy, right: Rome}
      - {left: Japan, right: Tokyo}
""",
    "fr": """\
# yaml-language-server: $schema=./question-set.schema.json
# Une série de questions : modifiez-la, puis vérifiez-la avec `gmmp-quiz validate CE_FICHIER`.
# Le format est décrit dans docs/question-format.md. Un texte est une simple chaîne, ou une
# table de langues comme {fr: ..., en: ...}. Mettez entre guillemets les valeurs que YAML
# pourrait lire autrement ("no", "yes", "010", "2025-06-25").
id: SET_ID                    # stable et unique : la progression y est rattachée
title: SET_ID
language: fr                  # la langue principale de la série (un code : fr, en, pt-BR...)
description: Le sujet de cette série.
source: D'où viennent les faits.
tags: [exemple]
options:
  shuffle: true               # mélanger choix, éléments et paires à l'affichage
  strict_accents: false       # les réponses tapées doivent avoir les bons accents
questions:
  # Les identifiants de questions sont stables et uniques : gardez-les en corrigeant un texte.
  - id: exemple-carte
    type: flashcard           # retournez la carte et notez-vous
    front: Que signifie le sigle GIFT ?
    back: General Import Format Template

  - id: exemple-choix
    type: choice              # une seule bonne réponse ; `answer` reprend son texte
    prompt: Quelle est la plus grande planète ?
    choices:
      - Jupiter
      - text: Mars
        feedback: Mars fait à peu près la moitié de la taille de la Terre.
      - Vénus
    answer: Jupiter
    explanation: Jupiter est plus de dix fois plus large que la Terre.

  - id: exemple-multi
    type: multi               # cochez toutes les bonnes réponses
    prompt: Lesquels de ces nombres sont premiers ?
    choices: ["2", "3", "4", "9"]
    answers: ["2", "3"]

  - id: exemple-vrai-faux
    type: true_false
    prompt: Au niveau de la mer, l'eau bout à 100 °C.
    answer: true              # true ou false (pas yes/no)

  - id: exemple-court
    type: short               # réponse tapée ; casse, accents et petites fautes pardonnés
    prompt: Quelle est la capitale de l'Italie ?
    answer: Rome
    alternatives: [Roma]

  - id: exemple-nombre
    type: numeric
    prompt: En quelle année le mur de Berlin est-il tombé ?
    answer: 1989
    tolerance: 0              # l'écart permis avec la réponse

  - id: exemple-trous
    type: cloze               # un trou s'écrit {{réponse}} ou {{réponse|autre}}
    text: La Seine traverse {{Paris}} et se jette dans la {{Manche}}.

  - id: exemple-ordre
    type: order               # éléments dans le bon ordre ; mélangés à l'affichage
    prompt: Rangez ces inventions de la plus ancienne à la plus récente.
    items:
      - L'imprimerie
      - La machine à vapeur
      - Le téléphone

  - id: exemple-paires
    type: match               # associez chaque élément de gauche à celui de droite
    prompt: Associez chaque pays à sa capitale.
    pairs:
      - {left: Canada, right: Ottawa}
      - {left: Italie, right: Rome}
      - {left: Japon, right: Tokyo}
""",
}


def template_text(set_id: str, title: str | None = None, lang: str = "en") -> str:
    """The commented template of a new set (in `lang`), with its id and, when given, its title."""
    from gmmp_quiz.sets.writer import dump_set

    text = TEMPLATES.get(lang, TEMPLATES["en"]).replace("SET_ID", set_id)
    if title:
        # dump_set quotes the title wherever YAML could misread it.
        title_line = dump_set({"title": title}).splitlines()[1]
        text = text.replace(f"title: {set_id}\n", f"{title_line}\n", 1)
    return text

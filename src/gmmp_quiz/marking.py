"""An answer marked part by part (each option, position, pair or gap), and a question's label.

Both front ends show these: the app beside its verdict, plain mode in its feedback. The
numbering is the one the learner saw (display positions, letters for the right column).
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gmmp_quiz.grading import Verdict
from gmmp_quiz.i18n import t
from gmmp_quiz.model import Kind, Question

LETTERS = string.ascii_lowercase


def letter(pos: int) -> str:
    """The label of a match question's right item at display position `pos`: a, b, ... z, aa."""
    # Beyond 26 right items the labels go on as aa, ab, ... (sets that large are unusual).
    if pos < len(LETTERS):
        return LETTERS[pos]
    return LETTERS[pos // len(LETTERS) - 1] + LETTERS[pos % len(LETTERS)]


@dataclass(frozen=True)
class Mark:
    """One part of an answer: what the learner gave there and whether it was right.

    `ok` is None for a part that needs no mark (a wrong option left unticked).
    `expected` is what belonged there when it was wrong; `note` says how a multi option fared.
    """

    ok: bool | None
    text: str
    expected: str = ""
    note: str = ""


RATING_WORDS = ("again", "hard", "good", "easy")


def given_text(question: Question, given: str, lang: str) -> str:
    """A past answer as the learner reads it: a flashcard's rating in the interface language."""
    if question.kind is Kind.FLASHCARD and given in RATING_WORDS:
        return t(given, lang)
    return given


def question_label(question: Question, lang: str | None) -> str:
    """The question as one line for lists (summary, missed, review, stats).

    A cloze's prompt is often only an instruction ("Fill in the gaps."): its sentence, with
    the gaps filled by the right answers in brackets, is what tells the questions apart.
    """
    prompt = " ".join(question.prompt.get(lang).split())
    if question.kind is not Kind.CLOZE or question.cloze is None:
        return prompt or question.id
    pieces, gaps = question.gaps(lang)
    parts = [pieces[0]]
    for gap, piece in zip(gaps, pieces[1:], strict=False):
        parts.append(f"[{gap.answers[0] if gap.answers else '…'}]")
        parts.append(piece)
    sentence = " ".join("".join(parts).split())
    return f"{prompt} {sentence}".strip() if prompt else sentence


def marks(
    question: Question,
    order: Sequence[int],
    right_order: Sequence[int],
    response: Any,
    verdict: Verdict,
    lang: str | None,
) -> list[Mark]:
    """Each part of the answer marked, in the learner's numbering; [] for one-part kinds."""
    kind = question.kind
    if kind is Kind.MULTI:
        return _multi(question, order, response, lang)
    if kind is Kind.ORDER:
        return _order(question, response, lang)
    if kind is Kind.MATCH:
        return _match(question, order, right_order, response, lang)
    if kind is Kind.CLOZE:
        return [
            Mark(part.correct, part.given, "" if part.correct else part.expected)
            for part in verdict.parts
        ]
    return []


def _multi(question: Question, order: Sequence[int], response: Any, lang: str | None) -> list[Mark]:
    ticked = {int(i) for i in response or ()}
    result = []
    for pos, index in enumerate(order or range(len(question.choices)), 1):
        choice = question.choices[index]
        text = f"{pos}. {choice.text.get(lang)}"
        if index in ticked:
            result.append(Mark(choice.correct, text, note="" if choice.correct else "ticked_wrong"))
        elif choice.correct:
            result.append(Mark(False, text, note="not_ticked"))
        else:
            result.append(Mark(None, text))
    return result


def _order(question: Question, response: Any, lang: str | None) -> list[Mark]:
    given = [int(i) for i in response or ()]
    items = [text.get(lang) for text in question.items]
    result = []
    for pos, index in enumerate(given):
        ok = index == pos
        text = f"{pos + 1}. {items[index]}" if 0 <= index < len(items) else f"{pos + 1}. ?"
        result.append(Mark(ok, text, "" if ok or pos >= len(items) else items[pos]))
    return result


def _match(
    question: Question,
    order: Sequence[int],
    right_order: Sequence[int],
    response: Any,
    lang: str | None,
) -> list[Mark]:
    pairs = question.pairs
    texts = question.match_rights
    given: Mapping[int, int] = {int(k): int(v) for k, v in (response or {}).items()}
    rights = list(right_order or range(len(texts)))

    def right(index: int) -> str:
        label = letter(rights.index(index)) if index in rights else "?"
        return f"{label}. {texts[index].get(lang)}"

    result = []
    for pos, left in enumerate(order or range(len(pairs)), 1):
        partner = given.get(left)
        chosen = right(partner) if partner is not None and 0 <= partner < len(texts) else "—"
        ok = partner == left
        result.append(
            Mark(ok, f"{pos}. {pairs[left].left.get(lang)} → {chosen}", "" if ok else right(left))
        )
    return result

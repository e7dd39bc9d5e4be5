"""The feedback after an answer (verdict, marks, typo, note) and the explanation, as Content.

Shared by the quiz screen and the question form's preview: text from question files is data,
never markup.
"""

from __future__ import annotations

from textual.content import Content

from gmmp_quiz.grading import Verdict
from gmmp_quiz.i18n import colon, percent, t, typeset
from gmmp_quiz.marking import Mark
from gmmp_quiz.model import Kind, Outcome, Question


def typo_parts(verdict: Verdict) -> list[str | tuple[str, str]]:
    """What was typed (the slips in red) → the answer it was taken for (the fixes in green).

    Readable without colours too: the typed text and the right text, side by side.
    """
    typed: list[str | tuple[str, str]] = []
    right: list[str | tuple[str, str]] = []
    for op, text in verdict.diff:
        if op == "equal":
            typed.append(text)
            right.append(text)
        elif op == "delete":
            typed.append((text, "bold underline $text-error"))
        else:
            right.append((text, "bold underline $text-success"))
    if not verdict.diff:
        typed, right = [verdict.given], [verdict.matched or verdict.expected]
    return [*typed, " → ", *right]


_VERDICT_STYLE = {
    Outcome.CORRECT: "bold $text-success",
    Outcome.PARTIAL: "bold $text-warning",
    Outcome.WRONG: "bold $text-error",
}
_VERDICT_LABEL = {Outcome.CORRECT: "right", Outcome.PARTIAL: "partial", Outcome.WRONG: "wrong"}
_RATING_LABEL = {1: "verdict_again", 2: "verdict_hard", 3: "verdict_good", 4: "verdict_easy"}
_MARK = {True: ("✓ ", "bold $text-success"), False: ("✗ ", "bold $text-error"), None: ("  ", "")}

Parts = list[str | tuple[str, str] | Content]


def _marked_lines(marks: list[Mark], kind: Kind, lang: str) -> Parts:
    """One line per option, position, pair or gap: ✓/✗, what was given, what belonged there."""
    parts: Parts = []
    for i, mark in enumerate(marks, 1):
        if kind is Kind.MULTI and mark.ok is None:
            continue  # left unticked, and rightly so: nothing to learn from that line
        parts += ["\n", _MARK[mark.ok]]
        if kind is Kind.MULTI:
            ticked = mark.note != "not_ticked" and mark.ok is not None
            parts.append(("[x] " if ticked else "[ ] ", "bold"))
            parts.append(typeset(mark.text, lang))
            if mark.note:
                parts.append((f"  ({t(mark.note, lang)})", "italic $text-muted"))
            continue
        if kind is Kind.CLOZE:
            parts.append((colon(t("gap", lang, n=i), lang), "bold"))
            parts.append(mark.text or t("not_answered", lang))
        else:
            parts.append(typeset(mark.text, lang))
        if mark.expected:
            parts += ["  ", (colon(t("should_be", lang), lang), "italic $text-muted")]
            parts.append((typeset(mark.expected, lang), "$text-success"))
    return parts


def _shown_choice(verdict_text: str, position: int | None, lang: str) -> str:
    text = typeset(verdict_text, lang)
    return f"{position}. {text}" if position is not None else text


def feedback_content(
    verdict: Verdict,
    kind: Kind,
    lang: str,
    *,
    requeued: bool,
    marks: list[Mark] | None = None,
    rating: int | None = None,
    positions: tuple[int | None, int | None] = (None, None),
    right_text: str | None = None,
    keep_right: bool = False,
) -> Content:
    """The feedback shown after an answer: verdict, each part marked, both answers, typo, note.

    `positions` are the on-screen numbers of the choice given and of the right one (choice
    questions); `right_text` replaces the right answer's text (a cloze's filled sentence).
    """
    style = _VERDICT_STYLE[verdict.outcome]
    if kind is Kind.FLASHCARD and rating is not None:
        # A flashcard is rated, not judged: "Again" is a step of learning, not "Wrong (0%)".
        parts: Parts = [(t(_RATING_LABEL[rating], lang), style)]
    else:
        parts = [(t(_VERDICT_LABEL[verdict.outcome], lang), style)]
        if verdict.outcome is Outcome.PARTIAL or (verdict.correct and verdict.score < 1):
            parts.append(f"  ({percent(verdict.score, lang)})")
    if marks:
        label = {Kind.ORDER: "your_order", Kind.MATCH: "your_pairs", Kind.CLOZE: "your_gaps"}
        if kind in label:
            parts += ["\n", (colon(t(label[kind], lang), lang).rstrip(), "bold")]
        parts += _marked_lines(marks, kind, lang)
        if kind is Kind.CLOZE and right_text and not verdict.correct:
            parts += ["\n", (colon(t("right_answer", lang), lang), "bold")]
            parts.append((typeset(right_text, lang), "$text-success"))
    elif kind is not Kind.FLASHCARD:
        given = _shown_choice(verdict.given, positions[0], lang) if verdict.given else None
        parts += ["\n", (colon(t("your_answer", lang), lang), "bold")]
        parts.append(given or t("not_answered", lang))
        if not verdict.correct or verdict.typo or verdict.score < 1 or keep_right:
            parts += ["\n", (colon(t("right_answer", lang), lang), "bold")]
            parts.append((_shown_choice(verdict.expected, positions[1], lang), "$text-success"))
    if verdict.typo:
        parts += ["\n", (colon(t("typo", lang), lang), "italic")]
        typos = [p for p in verdict.parts if p.typo] or [verdict]
        for i, part in enumerate(typos):
            if i:
                parts.append(" · ")
            parts += typo_parts(part)
    if verdict.feedback:
        parts += ["\n", (typeset(verdict.feedback, lang), "italic")]
    if requeued:
        parts += ["\n", (t("again_later", lang), "$text-muted")]
    return Content.assemble(*parts)


def explanation_content(question: Question, lang: str) -> Content | None:
    """The explanation, what is background to it (labelled apart), and the source."""
    parts: Parts = []
    if question.explanation is not None:
        parts.append(typeset(question.explanation.get(lang), lang))
    background = question.background
    if background is not None:
        if parts:
            parts.append("\n")
        parts += [(colon(t("background", lang), lang), "bold $text-accent")]
        parts.append(typeset(background.get(lang), lang))
    if question.source is not None:
        if parts:
            parts.append("\n")
        parts += [(colon(t("source", lang), lang), "italic $text-muted")]
        parts += [(typeset(question.source.get(lang), lang), "italic $text-muted")]
    return Content.assemble(*parts) if parts else None

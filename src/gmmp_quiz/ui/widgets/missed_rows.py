"""What the Missed screen shows of a missed question: its row in the list and its detail."""

from __future__ import annotations

from textual.content import Content

from gmmp_quiz.i18n import colon, short_date, t, typeset
from gmmp_quiz.marking import given_text, question_label
from gmmp_quiz.missed import MissedEntry
from gmmp_quiz.model import Question

Part = str | tuple[str, str]


def prompt_text(question: Question, lang: str) -> str:
    """The question as one line of text (a cloze's sentence; its id when it has no prompt)."""
    return typeset(question_label(question, lang), lang)


def times_missed(entry: MissedEntry, lang: str) -> str:
    """ "Missed 3 times, last on Jan 14 09:30"."""
    count = (
        t("missed_once", lang)
        if entry.times_missed == 1
        else t("missed_n", lang, n=entry.times_missed)
    )
    text = f"{count}, {t('last_on', lang, when=short_date(entry.last_missed, lang))}"
    if entry.fixed:
        text += f" ({t('fixed_since', lang)})"
    return text


def _wrong(entry: MissedEntry, lang: str) -> str:
    """The last wrong answers, as the learner reads them (typeset, ratings translated)."""
    answers = [given_text(entry.question, a, lang) for a in entry.wrong_answers]
    return typeset(" / ".join(answers), lang) or t("not_answered", lang)


def row_content(entry: MissedEntry, lang: str) -> Content:
    """A row of the list: how often missed, the question, then the last wrong and right answers."""
    wrong = _wrong(entry, lang)
    parts: list[Part] = [
        (f"{entry.times_missed}× ", "bold $text-error"),
        (prompt_text(entry.question, lang), "bold"),
        "\n   ",
        ("✗ ", "$text-error"),
        (wrong, "$text-muted"),
        ("  ✓ ", "$text-success"),
        (entry.expected, "$text-muted"),
    ]
    if entry.fixed:
        parts.append((f"  ({t('fixed_since', lang)})", "italic $text-muted"))
    return Content.assemble(*parts)


def detail_content(entry: MissedEntry, lang: str) -> Content:
    """All about one missed question: answers, explanation, how often and when, where from."""
    question = entry.question
    parts: list[Part] = [(prompt_text(question, lang), "bold")]
    label = "your_answers" if len(entry.wrong_answers) > 1 else "your_answer"
    wrong = _wrong(entry, lang)
    parts += ["\n", (colon(t(label, lang), lang), "bold"), (wrong, "$text-error")]
    parts += [
        "\n",
        (colon(t("right_answer", lang), lang), "bold"),
        (entry.expected, "$text-success"),
    ]
    if entry.explanation:
        parts += ["\n", (colon(t("explanation", lang), lang), "bold"), entry.explanation]
    parts += ["\n", (times_missed(entry, lang), "$text-muted")]
    where = typeset(entry.qset.title.get(lang), lang)
    if question.source is not None:
        where += " · " + question.source.get(lang)
    parts += ["\n", (where, "italic $text-muted")]
    return Content.assemble(*parts)

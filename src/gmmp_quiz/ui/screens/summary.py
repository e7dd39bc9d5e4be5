"""The summary at the end of a session: score, time, by topic, the missed questions, what next."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from gmmp_quiz.grading import expected_answer
from gmmp_quiz.i18n import colon, percent, t, typeset
from gmmp_quiz.marking import given_text, question_label
from gmmp_quiz.model import Question, QuestionSet
from gmmp_quiz.session import Session, Summary
from gmmp_quiz.ui.screens.base import AppScreen
from gmmp_quiz.ui.widgets.footer import KeyFooter


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def summary_content(summary: Summary, lang: str) -> Content:
    """The whole summary as one text (set data inserted as plain text, never markup)."""
    parts: list[str | tuple[str, str]] = [
        (t("summary", lang), "bold $text-accent"),
        "\n",
        (colon(t("score", lang), lang), "bold"),
        percent(summary.score, lang),
        ("  " + t("score_means", lang), "$text-muted"),
        "\n",
        (colon(t("first_try", lang), lang), "bold"),
        t("n_of_total", lang, n=summary.correct, total=summary.answered),
        "   ",
        (colon(t("time", lang), lang), "bold"),
        _duration(summary.elapsed_s),
    ]
    if summary.skipped:
        skipped = t("skipped_n" if summary.skipped > 1 else "skipped", lang)
        parts += ["   ", (colon(skipped, lang), "bold"), str(summary.skipped)]
    if summary.by_tag:
        parts += ["\n\n", (t("by_tag", lang), "bold")]
        labels = {tag: summary.tag_label(tag, lang) for tag in summary.by_tag}
        width = max(len(label) for label in labels.values())
        # In the order the learner reads them (the tag ids may be in another language).
        for tag, (count, score) in sorted(summary.by_tag.items(), key=lambda kv: labels[kv[0]]):
            filled = round(score * 10)
            parts += ["\n  ", labels[tag].ljust(width), "  ", ("█" * filled, "$success")]
            parts += [("░" * (10 - filled), "$text-muted"), f" {percent(score, lang):>5} ({count})"]
    if summary.relearned:
        parts += ["\n\n", (t("relearned", lang, n=summary.relearned), "$text-success")]
    parts += ["\n\n", (t("missed_questions", lang), "bold")]
    parts += [("  " + t("missed_means", lang), "$text-muted")]
    if not summary.missed:
        parts += ["\n  ", (t("none_missed", lang), "$text-success")]
    for result in summary.missed:
        question = result.item.question
        verdict = result.verdict
        assert verdict is not None
        parts += ["\n• ", (typeset(question_label(question, lang), lang), "bold")]
        given = typeset(given_text(question, verdict.given, lang), lang) or t("not_answered", lang)
        parts += ["\n    ", colon(t("your_answer", lang), lang), (given, "$text-error")]
        parts += ["\n    ", colon(t("right_answer", lang), lang)]
        parts += [(typeset(expected_answer(question, lang), lang), "$text-success")]
    return Content.assemble(*parts)


class SummaryScreen(AppScreen[None]):
    """Shows how the session went; r retries the missed questions now, h or Escape goes home."""

    BINDINGS = [
        Binding("r", "retry", "Retry missed", show=True, id="summary.retry_missed"),
        Binding("m", "app.open_missed", "Missed", show=True, id="summary.missed_screen"),
        Binding("h,escape", "home", "Home", show=True, id="summary.home"),
        Binding("q", "app.quit", "Quit", show=True, id="summary.quit"),
    ]

    @dataclass
    class RetryRequested(Message):
        """Posted when the learner retries the questions missed in the session (r)."""

        picked: list[tuple[QuestionSet, Question]]

    def __init__(self, session: Session, summary: Summary, lang: str) -> None:
        super().__init__()
        self.session = session
        self.summary = summary
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with VerticalScroll(id="summary-box"):
            yield Static(summary_content(self.summary, self.lang), id="summary-text")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Retry only when something was missed."""
        if not super().check_action(action, parameters):
            return False
        if action == "retry":
            return bool(self.summary.missed)
        return True

    def action_retry(self) -> None:
        """Start a session over the missed questions, repeating each until right."""
        missed = [(r.item.qset, r.item.question) for r in self.summary.missed]
        if missed:
            self.request(self.RetryRequested(missed))

    def action_home(self) -> None:
        """Back to the home screen."""
        self.dismiss()

"""The question form's preview: the question as it will be asked, answered for real."""

from __future__ import annotations

import random
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from gmmp_quiz.errors import QuizError
from gmmp_quiz.grading import grade
from gmmp_quiz.i18n import t
from gmmp_quiz.model import Kind, QuestionSet
from gmmp_quiz.session import make_item
from gmmp_quiz.ui.localize import LocalizedScreen
from gmmp_quiz.ui.widgets.answers import HINT_KEYS, Answered, NotAnAnswer, answer_widget
from gmmp_quiz.ui.widgets.feedback import feedback_content
from gmmp_quiz.ui.widgets.footer import KeyFooter

LANGS = ("fr", "en")


class QuestionPreviewModal(ModalScreen[None], LocalizedScreen[None]):
    """The question as it will be asked, with the real answer widget; answering shows feedback."""

    BINDINGS = [
        Binding("escape", "close", "Close", show=True, id="question_preview.close"),
        Binding(
            "ctrl+l,f3",
            "switch_language",
            "Language",
            show=True,
            priority=True,
            id="question_preview.qf_language",
        ),
    ]

    def __init__(self, qset: QuestionSet, lang: str) -> None:
        super().__init__()
        self.qset = qset
        self.lang = lang
        self.shown_lang = lang

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with VerticalScroll(id="qf-preview-box") as box:
            box.border_title = t("qf_preview_title", self.lang)
            yield Static(id="qf-preview-prompt")
            yield Static(id="qf-preview-hint")
            yield Vertical(id="qf-preview-answer")
            yield Static(id="qf-preview-feedback")
        yield KeyFooter()

    async def on_mount(self) -> None:
        """Show the question."""
        await self.show_question()

    async def show_question(self) -> None:
        """Show the question in the shown language, with a fresh answer widget."""
        question = self.qset.questions[0]
        lang = self.shown_lang
        prompt = question.prompt.get(lang) or t("type_answer", lang)
        self.query_one("#qf-preview-prompt", Static).update(
            Content.assemble((f"[{lang.upper()}] ", "$text-muted"), (prompt, "bold"))
        )
        self.query_one("#qf-preview-hint", Static).update(
            Content(t(HINT_KEYS[question.kind], lang))
        )
        self.query_one("#qf-preview-feedback", Static).update("")
        box = self.query_one("#qf-preview-answer", Vertical)
        await box.remove_children()
        widget = answer_widget(make_item(self.qset, question, random.Random(0)), lang)
        await box.mount(widget)
        self.call_after_refresh(widget.focus)

    @on(NotAnAnswer)
    def _not_an_answer(self, event: NotAnAnswer) -> None:
        event.stop()
        self.query_one("#qf-preview-feedback", Static).update(
            Content.styled(f"⚠ {event.text}", "bold $text-warning")
        )

    @on(Answered)
    def _answered(self, event: Answered) -> None:
        event.stop()
        question = self.qset.questions[0]
        response: Any = event.rating if question.kind is Kind.FLASHCARD else event.response
        try:
            verdict = grade(question, response, lang=self.shown_lang)
        except QuizError:  # an answer the grader cannot read: nothing to show
            return
        feedback = feedback_content(verdict, question.kind, self.shown_lang, requeued=False)
        parts: list[Content | str | tuple[str, str]] = [feedback]
        if question.explanation is not None:
            parts += ["\n", (question.explanation.get(self.shown_lang), "italic")]
        self.query_one("#qf-preview-feedback", Static).update(Content.assemble(*parts))

    async def action_switch_language(self) -> None:
        """Show the French, then the English variant."""
        self.shown_lang = (
            LANGS[(LANGS.index(self.shown_lang) + 1) % 2] if self.shown_lang in LANGS else "fr"
        )
        await self.show_question()

    def action_close(self) -> None:
        """Back to the form."""
        self.dismiss()

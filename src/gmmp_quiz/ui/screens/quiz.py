"""The quiz screen: one question at a time, its answer widget, then feedback on the same screen."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, ProgressBar, Static

from gmmp_quiz.errors import QuizError
from gmmp_quiz.grading import Outcome, Verdict, parse_number
from gmmp_quiz.i18n import colon, t
from gmmp_quiz.model import Kind
from gmmp_quiz.session import Session
from gmmp_quiz.ui.localize import localize_bindings
from gmmp_quiz.ui.screens.confirm import ConfirmModal
from gmmp_quiz.ui.widgets.answers import HINT_KEYS, Answered, answer_widget
from gmmp_quiz.ui.widgets.footer import KeyFooter

TYPED_KINDS = (Kind.SHORT, Kind.NUMERIC, Kind.CLOZE)


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


def feedback_content(verdict: Verdict, kind: Kind, lang: str, *, requeued: bool) -> Content:
    """The feedback shown after an answer: outcome, both answers, typo, the note to come back."""
    style = {
        Outcome.CORRECT: "bold $text-success",
        Outcome.PARTIAL: "bold $text-warning",
        Outcome.WRONG: "bold $text-error",
    }[verdict.outcome]
    label = {Outcome.CORRECT: "right", Outcome.PARTIAL: "partial", Outcome.WRONG: "wrong"}
    parts: list[str | tuple[str, str] | Content] = [(t(label[verdict.outcome], lang), style)]
    if verdict.outcome is not Outcome.CORRECT or verdict.score < 1:
        parts.append(f"  ({round(verdict.score * 100)}%)")
    if kind is not Kind.FLASHCARD:
        given = verdict.given or t("not_answered", lang)
        parts += ["\n", (colon(t("your_answer", lang), lang), "bold"), given]
        if not verdict.correct or verdict.typo or verdict.score < 1:
            parts += [
                "\n",
                (colon(t("right_answer", lang), lang), "bold"),
                (verdict.expected, "$success"),
            ]
    if verdict.typo:
        parts += ["\n", (colon(t("typo", lang), lang), "italic")]
        typos = [p for p in verdict.parts if p.typo] or [verdict]
        for i, part in enumerate(typos):
            if i:
                parts.append(" · ")
            parts += typo_parts(part)
    if verdict.feedback:
        parts += ["\n", (verdict.feedback, "italic")]
    if requeued:
        parts += ["\n", (t("again_later", lang), "$text-muted")]
    return Content.assemble(*parts)


class QuizScreen(Screen[None]):
    """Asks the session's questions one by one and shows feedback after each answer."""

    BINDINGS = [
        Binding("escape", "leave", "Leave", show=True),
        Binding("q", "leave", "Leave", show=False),
        Binding("s", "skip", "Skip", show=True),
        Binding("ctrl+s", "skip_typing", "Skip", show=True),
        Binding("enter,space", "next", "Next", show=True),
        Binding("i", "override", "I was right", show=True),
        Binding("u", "undo", "Undo", show=True),
        Binding("question_mark", "help", "Help", show=False),
    ]

    def __init__(self, session: Session, lang: str, title: str) -> None:
        super().__init__()
        self.session = session
        self.lang = lang
        self.set_title = title
        self.answered = False
        localize_bindings(self, lang)

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with Horizontal(id="quiz-top"):
            yield Static(Content(self.set_title), id="set-title")
            yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="progress")
            yield Static(id="progress-label")
        with VerticalScroll(id="question-area"):
            yield Static(id="prompt")
            yield Static(id="hint")
            yield Vertical(id="answer-box")
            yield Static(id="feedback")
            yield Static(id="explanation")
        yield KeyFooter()

    async def on_mount(self) -> None:
        """Fill in what depends on the app's services."""
        await self.show_question()

    # -- display ---------------------------------------------------------------------------
    def _update_progress(self) -> None:
        session = self.session
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(session.total, 1), progress=session.done)
        score = round(session.score * 100)
        # While the feedback is shown the position stays on the question just answered.
        position = session.done if self.answered else min(session.done + 1, session.total)
        label = f"{position}/{session.total} · {t('score', self.lang)} {score}%"
        self.query_one("#progress-label", Static).update(Content(label))

    async def show_question(self) -> None:
        """Show the current question and its answer widget (or the summary at the end)."""
        item = self.session.current
        if item is None:
            self._finish()
            return
        self.answered = False
        question = item.question
        prompt = question.prompt.get(self.lang)
        if question.kind is Kind.CLOZE and not prompt.strip():
            prompt = t("fill_gaps", self.lang)
        self.query_one("#prompt", Static).update(Content.assemble((prompt, "bold")))
        hint = self.query_one("#hint", Static)
        hint.update(Content(t(HINT_KEYS[question.kind], self.lang)))
        for widget_id in ("#feedback", "#explanation"):
            self.query_one(widget_id, Static).update("")
            self.query_one(widget_id).display = False
        box = self.query_one("#answer-box", Vertical)
        await box.remove_children()
        widget = answer_widget(item, self.lang)
        await box.mount(widget)
        for node in (widget, *widget.walk_children()):
            localize_bindings(node, self.lang)
        self.call_after_refresh(widget.focus)
        self.query_one("#question-area", VerticalScroll).scroll_home(animate=False)
        self._update_progress()
        self.session.mark_shown()
        self.refresh_bindings()

    def show_feedback(self, verdict: Verdict) -> None:
        """Show how the answer was judged, the right answer, the explanation and source."""
        self.answered = True
        item = self.session.current
        assert item is not None
        question = item.question
        requeued = self.session.requeue and not verdict.correct
        feedback = self.query_one("#feedback", Static)
        feedback.update(feedback_content(verdict, question.kind, self.lang, requeued=requeued))
        feedback.display = True
        feedback.set_class(verdict.outcome is Outcome.CORRECT, "-correct")
        feedback.set_class(verdict.outcome is Outcome.PARTIAL, "-partial")
        feedback.set_class(verdict.outcome is Outcome.WRONG, "-wrong")
        parts: list[str | tuple[str, str]] = []
        if question.kind is Kind.FLASHCARD and question.back is not None:
            parts += [(question.back.get(self.lang), "bold"), "\n"]
        if question.explanation is not None:
            parts += [question.explanation.get(self.lang)]
        if question.source is not None:
            parts += ["\n", (colon(t("source", self.lang), self.lang), "italic $text-muted")]
            parts += [(question.source.get(self.lang), "italic $text-muted")]
        explanation = self.query_one("#explanation", Static)
        explanation.update(Content.assemble(*parts) if parts else Content(""))
        explanation.display = bool(parts)
        self.query_one("#hint", Static).update(Content(t("continue_hint", self.lang)))
        box = self.query_one("#answer-box", Vertical)
        for child in box.children:
            child.disabled = True
        self._update_progress()
        area = self.query_one("#question-area", VerticalScroll)
        area.focus()
        # Long answers (cloze gaps, match lists) can push the verdict below the fold.
        self.call_after_refresh(feedback.scroll_visible, animate=False, top=False)
        self.refresh_bindings()

    # -- events ----------------------------------------------------------------------------
    @on(Answered)
    def _answered(self, event: Answered) -> None:
        event.stop()
        if self.answered:
            return
        item = self.session.current
        if (
            item is not None
            and item.question.kind is Kind.NUMERIC
            and parse_number(str(event.response)) is None
        ):
            # Not a number: a hint, and nothing recorded, as in plain mode.
            self.notify(t("type_number", self.lang), markup=False)
            return
        try:
            verdict = self.session.answer(event.response, rating=event.rating)
        except QuizError as exc:
            # Nothing was recorded: the question stays so the answer can be given again.
            self.notify(str(exc), title=t("store_error", self.lang), severity="error", markup=False)
            return
        self.show_feedback(verdict)

    @on(events.DescendantFocus)
    def _focus_changed(self) -> None:
        self.refresh_bindings()

    def _typing(self) -> bool:
        return isinstance(self.focused, Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something now."""
        if action == "skip":
            return not self.answered and not self._typing()
        if action == "skip_typing":
            return not self.answered and self._typing()
        if action in ("next", "undo"):
            return self.answered
        if action == "override":
            last = self.session.last
            return bool(
                self.answered
                and last is not None
                and last.verdict is not None
                and not last.verdict.correct
                and not last.overridden
                and last.item.question.kind in TYPED_KINDS
            )
        return True

    # -- actions ---------------------------------------------------------------------------
    async def action_next(self) -> None:
        """Go on to the next question after the feedback."""
        if not self.answered:
            return
        self.session.advance()
        await self.show_question()

    async def action_skip(self) -> None:
        """Skip the current question."""
        if self.answered:
            return
        self.session.skip()
        await self.show_question()

    async def action_skip_typing(self) -> None:
        """Skip from inside a text box (where `s` types an s)."""
        await self.action_skip()

    def action_override(self) -> None:
        """ "I was right": record the typed answer judged wrong as right."""
        if not self.check_action("override", ()):
            return
        try:
            verdict = self.session.override()
        except QuizError as exc:
            self.notify(str(exc), title=t("store_error", self.lang), severity="error", markup=False)
            return
        self.show_feedback(verdict)
        self.notify(t("overridden", self.lang), markup=False, timeout=2.5)

    async def action_undo(self) -> None:
        """Take back the answer just given and ask the question again."""
        if not self.answered:
            return
        try:
            undone = self.session.undo()
        except QuizError as exc:
            self.notify(str(exc), title=t("store_error", self.lang), severity="error", markup=False)
            return
        if undone:
            self.notify(t("undone", self.lang), markup=False, timeout=2.5)
            await self.show_question()

    def action_help(self) -> None:
        """Show every key and mode."""
        self.app.action_help()

    def action_leave(self) -> None:
        """Leave the quiz, asking first when it is under way."""
        if self.session.done == 0 or self.session.finished:
            self._close()
            return

        def leave(confirmed: bool | None) -> None:
            if confirmed:
                self._close()

        self.app.push_screen(ConfirmModal(t("confirm_leave", self.lang), self.lang), leave)

    def _close(self) -> None:
        if any(r.verdict is not None for r in self.session.results):
            self._finish()  # what was answered so far, summed up
            return
        self.session.finish()
        self.dismiss()

    def _finish(self) -> None:
        from gmmp_quiz.ui.screens.summary import SummaryScreen

        summary = self.session.finish()
        self.app.switch_screen(SummaryScreen(self.session, summary, self.lang))

"""The quiz screen: one question at a time, its answer widget, then feedback on the same screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, ProgressBar, Static

from gmmp_quiz.errors import QuizError
from gmmp_quiz.grading import Verdict, parse_number
from gmmp_quiz.i18n import percent, t, typeset
from gmmp_quiz.marking import marks as marks_of
from gmmp_quiz.marking import question_label
from gmmp_quiz.model import Kind, Outcome
from gmmp_quiz.session import Session
from gmmp_quiz.ui.localize import LocalizedScreen
from gmmp_quiz.ui.screens.confirm import ConfirmModal
from gmmp_quiz.ui.widgets.answers import (
    HINT_KEYS,
    Answered,
    FlashcardAnswer,
    Flipped,
    NotAnAnswer,
    answer_widget,
)
from gmmp_quiz.ui.widgets.feedback import explanation_content, feedback_content
from gmmp_quiz.ui.widgets.footer import KeyFooter

TYPED_KINDS = (Kind.SHORT, Kind.NUMERIC, Kind.CLOZE)


class QuizScreen(LocalizedScreen[None]):
    """Asks the session's questions one by one and shows feedback after each answer."""

    BINDINGS = [
        Binding("escape", "leave", "Leave", show=True, id="quiz.leave"),
        Binding("q", "leave", "Leave", show=False, id="quiz.leave"),
        Binding("s", "skip", "Skip", show=True, id="quiz.skip"),
        Binding("ctrl+s", "skip_typing", "Skip", show=True, id="quiz.skip_typing.skip"),
        Binding("enter,space", "next", "Next", show=True, id="quiz.next"),
        Binding("i", "override", "I was right", show=True, id="quiz.i_was_right"),
        Binding("u", "undo", "Undo", show=True, id="quiz.undo"),
        Binding(
            "pagedown", "more", "More", show=True, key_display="PgDn", priority=True, id="quiz.more"
        ),
        Binding("question_mark", "help", "Help", show=False, id="quiz.help"),
        # While a question settles, Tab must not carry the keys into its answer widget. (These
        # replace the screen's own Tab bindings, so they move the focus once it has settled.)
        Binding("tab", "tab(1)", show=False, priority=True, id="quiz.tab"),
        Binding("shift+tab", "tab(-1)", show=False, priority=True, id="quiz.back_tab"),
    ]

    SETTLE_S = 0.3
    """Keys in the first moment a question is on screen are dropped: an Enter pressed twice to
    go on must not answer the next question. (Tests that play fast set it to 0.)"""

    @dataclass
    class HelpRequested(Message):
        """Posted when the learner asks for the help (?), at the section for this moment."""

        section: int

    def __init__(self, session: Session, lang: str, title: str) -> None:
        super().__init__()
        self.session = session
        self.lang = lang
        self.set_title = title
        self.answered = False
        self.settled = False
        self._settle_timer: Timer | None = None
        self._last_rating: int | None = None  # a flashcard's rating, for its verdict's words

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with Horizontal(id="quiz-top"):
            yield Static(Content(typeset(self.set_title, self.lang)), id="set-title")
            yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="progress")
            yield Static(id="progress-label")
        with VerticalScroll(id="question-area"), Vertical(id="reading"):
            yield Static(id="prompt")
            yield Static(id="hint")
            yield Vertical(id="answer-box")
            with Vertical(id="feedback-block"):
                yield Static(id="feedback")
                yield Static(id="explanation")
        yield Static(Content(t("more_below", self.lang)), id="more-below")
        yield KeyFooter()

    async def on_mount(self) -> None:
        """Fill in what depends on the app's services."""
        area = self.query_one("#question-area", VerticalScroll)
        self.watch(area, "scroll_y", self._update_more, init=False)
        self.query_one("#more-below").display = False
        await self.show_question()

    def on_resize(self, event: events.Resize) -> None:
        """On narrow terminals the set's title wins over the progress bar."""
        self.set_class(event.size.width < 72, "-narrow")
        self.call_after_refresh(self._update_more)

    # -- display ---------------------------------------------------------------------------
    def _update_progress(self) -> None:
        session = self.session
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(session.total, 1), progress=session.done)
        # Nothing answered yet: no score to show (a 0% before the first answer misleads).
        answered = any(r.first and r.verdict is not None for r in session.results)
        score = percent(session.score, self.lang) if answered else "—"
        # While the feedback is shown the position stays on the question just answered.
        position = session.done if self.answered else min(session.done + 1, session.total)
        width = len(str(session.total))
        label = f"{position:>{width}}/{session.total} · {t('score', self.lang)} {score:>4}"
        self.query_one("#progress-label", Static).update(Content(label))

    def _has_more(self) -> bool:
        area = self.query_one("#question-area", VerticalScroll)
        return area.max_scroll_y - area.scroll_y >= 1

    def _update_more(self, *_: object) -> None:
        if not self.is_mounted:
            return
        more = self.query_one("#more-below", Static)
        has_more = self._has_more()
        if more.display != has_more:
            more.display = has_more
            self.refresh_bindings()

    async def show_question(self) -> None:
        """Show the current question and its answer widget (or the summary at the end)."""
        item = self.session.current
        if item is None:
            self._finish()
            return
        self.answered = False
        self.settled = False
        if self._settle_timer is not None:
            self._settle_timer.stop()
        question = item.question
        prompt = question.prompt.get(self.lang)
        if question.kind is Kind.CLOZE and not prompt.strip():
            prompt = t("fill_gaps", self.lang)
        prompt = typeset(prompt, self.lang)
        self.query_one("#prompt", Static).update(Content.assemble((prompt, "bold")))
        hint = self.query_one("#hint", Static)
        hint.update(Content(t(HINT_KEYS[question.kind], self.lang)))
        hint.remove_class("-warning")
        for widget_id in ("#feedback", "#explanation"):
            self.query_one(widget_id, Static).update("")
        self.query_one("#feedback-block").display = False
        box = self.query_one("#answer-box", Vertical)
        box.display = True
        await box.remove_children()
        widget = answer_widget(item, self.lang)
        await box.mount(widget)
        area = self.query_one("#question-area", VerticalScroll)
        area.scroll_home(animate=False)
        # Until the question has settled on screen, the focus stays off the answer widget:
        # keys already on their way (a second Enter, a digit) land nowhere.
        area.focus()
        if self.SETTLE_S > 0:
            self._settle_timer = self.set_timer(self.SETTLE_S, self._settle)
        else:
            self.settled = True  # no wait: the keys are the answer widget's at once
            self.call_after_refresh(self._settle)
        self._update_progress()
        self.session.mark_shown()
        self.refresh_bindings()
        self.call_after_refresh(self._update_more)

    def _settle(self) -> None:
        """The question has been in view long enough: its answer widget takes the keys."""
        self._settle_timer = None
        if self.answered or not self.is_mounted:
            return
        self.settled = True
        box = self.query_one("#answer-box", Vertical)
        focused = self.focused
        # A click may already have put the focus in the answer: it stays there.
        if box.children and (focused is None or box not in focused.ancestors_with_self):
            box.children[0].focus()
        self.refresh_bindings()

    def show_feedback(self, verdict: Verdict) -> None:
        """Show how the answer was judged, each part marked, the explanation and source."""
        self.answered = True
        result = self.session.last
        item = self.session.current
        assert item is not None
        question = item.question
        requeued = self.session.requeue and not verdict.correct
        response = result.response if result is not None else None
        marks = marks_of(question, item.order, item.right_order, response, verdict, self.lang)
        positions: tuple[int | None, int | None] = (None, None)
        if question.kind is Kind.CHOICE and isinstance(response, int):
            right = next((i for i, c in enumerate(question.choices) if c.correct), None)
            shown = list(item.order)
            positions = (
                shown.index(response) + 1 if response in shown else None,
                shown.index(right) + 1 if right in shown else None,
            )
        rating = None
        if question.kind is Kind.FLASHCARD and result is not None and result.response is None:
            rating = self._last_rating
        feedback = self.query_one("#feedback", Static)
        feedback.update(
            feedback_content(
                verdict,
                question.kind,
                self.lang,
                requeued=requeued,
                marks=marks,
                rating=rating,
                positions=positions,
                right_text=question_label(question, self.lang)
                if question.kind is Kind.CLOZE
                else None,
                keep_right=bool(result and result.overridden),
            )
        )
        feedback.set_class(verdict.outcome is Outcome.CORRECT, "-correct")
        feedback.set_class(verdict.outcome is Outcome.PARTIAL, "-partial")
        feedback.set_class(verdict.outcome is Outcome.WRONG, "-wrong")
        explanation = self.query_one("#explanation", Static)
        content = explanation_content(question, self.lang)
        explanation.update(content or Content(""))
        explanation.display = content is not None
        self.query_one("#feedback-block").display = True
        hint = self.query_one("#hint", Static)
        hint.update(Content(t("continue_hint", self.lang)))
        hint.remove_class("-warning")
        box = self.query_one("#answer-box", Vertical)
        # The answer is marked part by part in the feedback: the inputs give way to it, so the
        # verdict, the explanation and the source fit on the screen.
        box.display = question.kind is Kind.FLASHCARD
        for child in box.children:
            # Only what stays in view is disabled: a hidden widget takes no focus, key or
            # click, and disabling it restyles all of it (and blurs it) before the verdict
            # can be drawn, which held the verdict back by two or three frames.
            if box.display:
                child.disabled = True
            if isinstance(child, FlashcardAnswer):
                child.show_back()
        self._update_progress()
        area = self.query_one("#question-area", VerticalScroll)
        area.focus()
        # The screen is laid out in the next frame (with the feedback, hidden until now), and
        # only then scrolled to where the feedback really is: a layout asked of the screen
        # itself holds the callback below back until that frame.
        self.refresh(layout=True)
        self.call_after_refresh(self._reveal_feedback)
        self.refresh_bindings()

    def _reveal_feedback(self, tries: int = 0) -> None:
        """Bring the feedback into view: all of it if it fits, else from its first line."""
        if not self.answered or not self.is_mounted:
            return
        area = self.query_one("#question-area", VerticalScroll)
        block = self.query_one("#feedback-block")
        if block.region.height == 0 and tries < 20:
            # Not laid out yet (the refresh that ran first only painted): scrolling now would
            # go by the old geometry. Wait for the frame that has the feedback in it.
            self.call_after_refresh(self._reveal_feedback, tries + 1)
            return
        too_tall = block.outer_size.height > area.scrollable_content_region.height
        area.scroll_to_widget(block, animate=False, top=too_tall)
        self.call_after_refresh(self._update_more)

    # -- events ----------------------------------------------------------------------------
    @on(NotAnAnswer)
    def _not_an_answer(self, event: NotAnAnswer) -> None:
        """Say what to do in the hint line, under the question: a toast would cover it."""
        event.stop()
        self._warn(event.text)

    def _warn(self, text: str) -> None:
        hint = self.query_one("#hint", Static)
        hint.update(Content.styled(f"⚠ {text}", "bold $text-warning"))
        hint.add_class("-warning")

    @on(Flipped)
    def _flipped(self, event: Flipped) -> None:
        event.stop()
        self.query_one("#hint", Static).update(Content(t("rate_hint_flipped", self.lang)))

    @on(Answered)
    def _answered(self, event: Answered) -> None:
        event.stop()
        if self.answered or not self.settled:
            return  # an answer before the question settled is a key meant for the last one
        item = self.session.current
        if (
            item is not None
            and item.question.kind is Kind.NUMERIC
            and parse_number(str(event.response)) is None
        ):
            # Not a number: a hint, and nothing recorded, as in plain mode.
            self._warn(t("type_number", self.lang))
            return
        try:
            verdict = self.session.answer(event.response, rating=event.rating)
        except QuizError as exc:
            # Nothing was recorded: the question stays so the answer can be given again.
            self.notify(str(exc), title=t("store_error", self.lang), severity="error", markup=False)
            return
        self._last_rating = int(event.rating) if event.rating is not None else None
        self.show_feedback(verdict)

    @on(events.DescendantFocus)
    def _focus_changed(self) -> None:
        self.refresh_bindings()

    def _typing(self) -> bool:
        return isinstance(self.focused, Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something now."""
        if action == "skip":
            return self.settled and not self.answered and not self._typing()
        if action == "skip_typing":
            return self.settled and not self.answered and self._typing()
        if action in ("next", "undo"):
            return self.answered
        if action == "more":
            return self._has_more()
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
    def action_tab(self, step: int) -> None:
        """Tab and Shift+Tab move the focus, once the question has settled (else dropped)."""
        if not self.settled and not self.answered:
            return
        if step > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def action_more(self) -> None:
        """Scroll down a page to what is below."""
        self.query_one("#question-area", VerticalScroll).scroll_page_down(animate=False)

    async def action_next(self) -> None:
        """Go on to the next question after the feedback."""
        if not self.answered:
            return
        self.session.advance()
        await self.show_question()

    async def action_skip(self) -> None:
        """Skip the current question."""
        if self.answered or not self.settled:
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
        """Show every key and mode, from the keys for answering."""
        self.post_message(self.HelpRequested(2 if self.answered else 1))

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

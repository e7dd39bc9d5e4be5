"""QuizApp: wires the services (sets, progress store) to the screens; thin by design."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from gmmp_quiz import settings
from gmmp_quiz.i18n import colon, t
from gmmp_quiz.loading import Discovery
from gmmp_quiz.model import Question, QuestionSet
from gmmp_quiz.scheduling import is_due, new_introduced_today, next_due
from gmmp_quiz.session import build, is_missed, pick, scheduler_for
from gmmp_quiz.stats import is_mastered
from gmmp_quiz.ui.screens.help import HelpScreen
from gmmp_quiz.ui.screens.home import MODES, HomeScreen, SetFigures


class QuizApp(App[int]):
    """The quiz app: home, quiz, summary and help screens over a progress store."""

    CSS_PATH = "app.tcss"
    TITLE = "gmmp-quiz"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(
        self,
        discovery: Discovery,
        store: Any,
        *,
        lang: str = "en",
        start: tuple[str, str, int | None] | None = None,
        reload: Callable[[], Discovery] | None = None,
        clock: Callable[[], datetime] | None = None,
        seed: int | None = None,
        timer: Callable[[], float] | None = None,
        start_screen: Callable[[], Screen[Any]] | None = None,
        load_later: bool = False,
    ) -> None:
        super().__init__()
        self.discovery = discovery
        self.store = store
        self.lang = lang
        self.start = start
        self.reload = reload
        self.clock = clock or (lambda: datetime.now(UTC))
        self.rng = random.Random(seed)
        self.timer = timer
        self.start_screen = start_screen
        # With load_later, `discovery` holds only the shipped sets: the rest load after first paint.
        self.sets_pending = load_later and reload is not None

    def on_mount(self) -> None:
        """Fill in what depends on the app's services."""
        theme = self.store.get_setting("theme")
        if theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(HomeScreen(self.lang))
        if self.start_screen is not None:
            self.push_screen(self.start_screen())
        if self.sets_pending:
            # After the first paint, so that loading does not compete with it for the GIL.
            self.call_after_refresh(self.run_worker, self._discover, thread=True, group="discover")
        if self.start is not None:
            set_id, mode, count = self.start
            qset = self.discovery.get(set_id)
            if qset is not None or set_id == "*":
                self.start_mode(qset, mode, count)

    def _discover(self) -> None:
        """Load every set in a thread (parse cache or YAML), then show them."""
        assert self.reload is not None
        discovery = self.reload()
        self.call_from_thread(self._discovered, discovery)

    def _discovered(self, discovery: Discovery) -> None:
        self.sets_pending = False
        self.set_discovery(discovery)

    def _remember_theme(self, theme: Any) -> None:
        self.store.set_setting("theme", theme.name)

    # -- services for screens --------------------------------------------------------------
    def set_figures(self) -> dict[str, SetFigures]:
        """Questions, mastered, due and missed per set, from the store's question states."""
        if self.sets_pending:
            # First paint: counts only; the figures come with the sets still loading.
            return {s.id: SetFigures(len(s.questions)) for s in self.discovery.sets}
        states = self.store.states()
        now = self.clock()
        local = now.astimezone().tzinfo or UTC
        room = max(
            0, settings.value(self.store, "new_per_day") - new_introduced_today(states, now, local)
        )
        figures: dict[str, SetFigures] = {}
        for qset in self.discovery.sets:
            fig = SetFigures(len(qset.questions))
            seen = []
            for question_id in qset.question_ids():
                state = states.get((qset.id, question_id))
                if state is None:
                    continue
                seen.append(state)
                fig.mastered += is_mastered(state)
                fig.due += is_due(state, now)
                fig.missed += is_missed(state)
            fig.next_due = next_due(seen, now)
            fig.new = min(room, fig.questions - len(seen))
            figures[qset.id] = fig
        return figures

    def start_mode(self, qset: QuestionSet | None, mode: str, count: int | None) -> None:
        """Start a session of `mode` on a set (None: every set), or say why there is nothing."""
        picked = pick(
            [qset] if qset is not None else self.discovery.sets,
            mode=mode,
            count=count if mode == "quiz" else None,
            rng=self.rng,
            states=self.store.states(),
            now=self.clock(),
            new_limit=settings.value(self.store, "new_per_day"),
        )
        if not picked:
            key = "nothing_due" if mode == "due" else "nothing_missed"
            self.notify(t(key, self.lang), markup=False)
            return
        self.start_session(picked, mode=mode)

    def start_session(
        self,
        picked: Sequence[tuple[QuestionSet, Question]],
        *,
        mode: str = "quiz",
        replace: bool = False,
    ) -> None:
        """Open the quiz screen on these questions."""
        session = build(
            picked,
            self.store,
            mode=mode,
            rng=self.rng,
            lang=self.lang,
            scheduler=scheduler_for(mode, self.store),
            requeue=settings.value(self.store, "requeue"),
            clock=self.clock,
            **({"timer": self.timer} if self.timer else {}),
        )
        from gmmp_quiz.ui.screens.quiz import QuizScreen  # on first use: a faster first screen

        titles = {s.title.get(self.lang) for s, _ in picked}
        title = titles.pop() if len(titles) == 1 else "gmmp-quiz"
        screen = QuizScreen(session, self.lang, title)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def set_discovery(self, discovery: Discovery) -> None:
        """Use a new discovery of the sets (after a reload, an import or an edit)."""
        self.discovery = discovery
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.reload()

    # -- actions and commands --------------------------------------------------------------
    def action_reload_sets(self) -> None:
        """Look for added or edited sets again, without restarting."""
        if self.reload is not None:
            self.set_discovery(self.reload())
            self.notify(t("reloaded", self.lang, n=len(self.discovery.sets)), markup=False)

    def action_open_missed(self) -> None:
        """The missed questions: review them, retry them, mark them known."""
        from gmmp_quiz.ui.screens.missed import MissedScreen

        self.push_screen(MissedScreen(self.lang))

    def action_open_stats(self) -> None:
        """Accuracy, mastery, most missed, due forecast and streak."""
        from gmmp_quiz.ui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(self.lang))

    def action_open_add_sets(self) -> None:
        """The user's sets with their status: import, create, reload, write questions."""
        from gmmp_quiz.ui.screens.add_sets import AddSetsScreen

        self.push_screen(AddSetsScreen(self.lang))

    def action_toggle_requeue(self) -> None:
        """Turn on or off: questions answered wrong come back later in the same session."""
        requeue = not settings.value(self.store, "requeue")
        self.store.set_setting("requeue", requeue)
        self.notify(t("requeue_is_on" if requeue else "requeue_is_off", self.lang), markup=False)

    def action_help(self) -> None:
        """Show the keys and modes."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.lang))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Palette entries to start any set in any mode, besides Textual's own."""
        yield from super().get_system_commands(screen)
        names = {"quiz": "mode_quiz", "due": "mode_due", "missed": "mode_missed"}
        for qset in self.discovery.sets:
            for mode in MODES:
                title = colon(t(names[mode], self.lang), self.lang) + qset.title.get(self.lang)
                yield SystemCommand(
                    title,
                    qset.id,
                    lambda qset=qset, mode=mode: self.start_mode(qset, mode, None),
                )
        all_sets = t("all_sets", self.lang)
        for mode in ("due", "missed"):
            yield SystemCommand(
                colon(t(names[mode], self.lang), self.lang) + all_sets,
                all_sets,
                lambda mode=mode: self.start_mode(None, mode, None),
            )
        yield SystemCommand(t("help", self.lang), t("help_title", self.lang), self.action_help)
        requeue = settings.value(self.store, "requeue")
        yield SystemCommand(
            t("requeue_off" if requeue else "requeue_on", self.lang),
            t("requeue_help", self.lang),
            self.action_toggle_requeue,
        )
        yield SystemCommand(
            t("missed_screen", self.lang), t("missed_help", self.lang), self.action_open_missed
        )
        yield SystemCommand(
            t("stats", self.lang), t("stats_help", self.lang), self.action_open_stats
        )

"""QuizApp: wires the services (sets, progress store) to the screens; thin by design."""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from gmmp_quiz.i18n import nt, t
from gmmp_quiz.ui import (
    nobreak,  # noqa: F401  (wrapping that keeps no-break spaces)
    prefs,
)
from gmmp_quiz.ui.commands import quiz_commands, textual_commands
from gmmp_quiz.ui.localize import KEY_NAMES_FR
from gmmp_quiz.ui.ready import when_ready
from gmmp_quiz.ui.screens.base import AppScreen
from gmmp_quiz.ui.screens.home import HomeScreen
from gmmp_quiz.ui.services import Basis, Services, basis_of, setting
from gmmp_quiz.ui.styles import AA_VARIABLES, SCREENS_CSS, START_CSS, STYLESHEET
from gmmp_quiz.vocab import Mode

if TYPE_CHECKING:
    from gmmp_quiz.glance import Glance
    from gmmp_quiz.model import Question, QuestionSet, SetFigures
    from gmmp_quiz.sets.listing import Listing
    from gmmp_quiz.sets.loading import Discovery
    from gmmp_quiz.store.progress import ProgressStore
    from gmmp_quiz.ui.screens.add_sets import AddSetsScreen
    from gmmp_quiz.ui.screens.missed import MissedScreen
    from gmmp_quiz.ui.screens.quiz import QuizScreen
    from gmmp_quiz.ui.screens.summary import SummaryScreen

# The core (loading, grading, scheduling, settings, the store) is imported where it is first
# used: at startup the home screen is painted before any of it is needed.


def _leaving(screen: Screen[Any]) -> bool:
    """Whether `screen` asked the app for something that may replace it (keys then wait)."""
    return isinstance(screen, AppScreen) and screen.leaving


class QuizApp(App[int]):
    """The quiz app: home, quiz, summary and help screens over a progress store.

    Given a store, the app starts ready. Given `open_store` instead, it paints the home screen
    first, then opens the store and finds the sets in a thread: until then `ready` is False and
    the actions that need them wait (see `when_ready`).
    """

    CSS = START_CSS
    TITLE = "gmmp-quiz"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit")]

    @dataclass
    class Loaded(Message):
        """Posted by the loader thread: the store is open and the sets are found."""

        store: ProgressStore
        discovery: Discovery
        set_files: list[list[Any]]  # the signatures of the sets' files, taken as they were read

    @dataclass
    class FiguresReady(Message):
        """Posted by the loader thread after `Loaded`: every set's figures, computed there."""

        figures: dict[str, SetFigures]
        basis: Basis

    @dataclass
    class LoadFailed(Message):
        """Posted by the loader thread: the store could not be opened (e.g. another instance)."""

        error: str

    def __init__(
        self,
        discovery: Discovery | None,
        store: ProgressStore | None,
        *,
        lang: str = "en",
        start: tuple[str, str, int | None] | None = None,
        reload: Callable[[], Discovery] | None = None,
        clock: Callable[[], datetime] | None = None,
        seed: int | None = None,
        timer: Callable[[], float] | None = None,
        start_screen: Callable[[Services], Screen[Any]] | None = None,
        open_store: Callable[[], ProgressStore] | None = None,
        prefs_at: tuple[Path, str] | None = None,
        requeue: bool | None = None,
        listing: Listing | None = None,
        glance: Glance | None = None,
        glance_at: Path | None = None,
    ) -> None:
        super().__init__()
        self.requeue = requeue
        """`--no-requeue` for this run (None: the stored `requeue` setting decides)."""
        if store is None and (open_store is None or reload is None):
            raise ValueError("without a store, QuizApp needs open_store and reload")
        # The interface preferences mirrored in (home, profile), read before the store opens.
        self._prefs = prefs.PrefsMirror(prefs_at)
        self.services = Services(
            lang,
            clock or (lambda: datetime.now(UTC)),
            store,
            discovery,
            reload,
            listing=listing if store is None else None,
            prefs=self._prefs.values,
            glance=glance if store is None else None,
        )
        """What the screens are given: the store and the sets (once loaded), clock, language."""
        self.services.mirror = self._prefs.set
        self.lang = lang
        self.start = start
        self.reload = reload
        self.clock = self.services.clock
        self.rng = random.Random(seed)
        self.timer = timer
        self.start_screen = start_screen
        self.load_error: str | None = None
        """Why the store could not be opened (the app then exits with status 1)."""
        self.store_warnings: list[str] = []
        """What the store said when the app opened it (a repair, an upgrade...)."""
        self._open_store = open_store
        # Where the figures' basis is left for the next start's first frame (None: nowhere).
        self._glance_at = glance_at
        # The store the loader opened: the app closes it, used or not.
        self._opened: ProgressStore | None = None
        self._screen_styles = False
        self._frozen = False
        self._waiting: list[tuple[Screen[Any] | None, Callable[[], object]]] = []
        theme = store.get_setting("theme") if store is not None else self._prefs.values.get("theme")
        if theme in self.available_themes:
            self.theme = theme

    @property
    def store(self) -> ProgressStore | None:
        """The progress store, None until the loader has opened it."""
        return self.services.opened

    @property
    def discovery(self) -> Discovery | None:
        """The sets found (and the files that failed), None until they are found."""
        return self.services.discovery

    @property
    def ready(self) -> bool:
        """Whether the store is open and the sets found; until then actions needing them wait."""
        return self.services.ready

    @property
    def figures_pending(self) -> bool:
        """Whether the sets' figures are still being computed (after `ready`, when loading)."""
        return self.services.figures_pending

    @property
    def sets_pending(self) -> bool:
        """Whether the sets are still being found (after the first paint)."""
        return self.services.sets_pending

    def get_css_variables(self) -> dict[str, str]:
        """Textual's theme colours, with AA_VARIABLES over them in the two default themes."""
        variables = super().get_css_variables()
        variables.update(AA_VARIABLES.get(self.current_theme.name, {}))
        return variables

    def format_title(self, title: str, sub_title: str) -> Content:
        """Title — sub-title, the sub-title in italics (Textual dims it, under 4.5:1 in light)."""
        if not sub_title:
            return Content(title)
        return Content.assemble(title, " — ", (sub_title, "italic"))

    def get_key_display(self, binding: Binding) -> str:
        """Key names in the interface language (the footer said "space" in French)."""
        shown = super().get_key_display(binding)
        if self.lang == "fr":
            return KEY_NAMES_FR.get(shown, shown)
        return shown

    def get_default_screen(self) -> Screen[Any]:
        """Home is the bottom screen: no blank screen is composed and styled before it."""
        return HomeScreen(self.services)

    def on_mount(self) -> None:
        """Fill in what depends on the app's services."""
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.ready:
            self._add_screen_styles()
            self._freeze_loaded()
            self.call_after_refresh(self._share_values)
        if self.start_screen is not None:
            self.push_screen(self.start_screen(self.services))
        # After the first frames (the screen, then the footer's keys filled in), so that loading
        # does not compete with them for the GIL: the list takes keys that much sooner, and the
        # store is open about as soon (the work is the same, one thread at a time).
        if not self.ready:
            self.call_after_refresh(self._after_first_frames, 3)
        if self.start is not None:
            set_id, mode, count = self.start
            qset = self.discovery.get(set_id) if self.discovery is not None else None
            if qset is not None or set_id == "*":
                self.start_mode(qset, mode, count)

    # -- loading after the first paint ------------------------------------------------------
    def _after_first_frames(self, frames: int) -> None:
        """Start the loader once `frames` more refreshes are done."""
        if frames > 1:
            self.call_after_refresh(self._after_first_frames, frames - 1)
        else:
            self._load()

    @work(thread=True, group="load")
    def _load(self) -> None:
        """Open the store and find the sets (with the core's imports), then hand them over."""
        assert self._open_store is not None and self.reload is not None
        if get_current_worker().is_cancelled:
            return  # the app was closed before the load began
        from gmmp_quiz.errors import QuizError

        try:
            store = self._open_store()
        except QuizError as exc:
            self.post_message(self.LoadFailed(str(exc)))
            return
        self._opened = store
        self.store_warnings = list(store.warnings)
        discovery = self.reload()
        from gmmp_quiz.glance import set_file_signatures

        # Right after the sets were read: a file edited later then fails the next start's check.
        set_files = set_file_signatures(s.path for s in discovery.sets if s.path)

        # The sets are listed and the keys work first; their figures (every question's state
        # read) follow from this thread.
        self.services.figures_pending = True
        self.post_message(self.Loaded(store, discovery, set_files))
        now = self.clock()
        kept = basis_of(store, discovery, set_files, now)
        self.post_message(self.FiguresReady(kept.glance.figures(now), kept))
        store.share_values()  # once everything is shown: megabytes for the app's whole life

    @work(thread=True, group="load")
    def _share_values(self) -> None:
        """A store given open: share its repeated values (as the loader does) off the UI."""
        if self.store is not None:
            self.store.share_values()

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        services = self.services
        services.opened = message.store
        services.opened_revision = message.store.revision
        services.found(message.discovery, message.set_files)
        services.sets_pending = False
        self._add_screen_styles()
        services.ready = True
        self._freeze_loaded()
        stored = message.store.get_setting("theme")
        if stored in self.available_themes and stored != self.theme:
            self.theme = stored  # the store has the last word; this also fixes the mirror
        self._prefs.follow(message.store.settings())
        for warning in self.store_warnings:
            self.notify(warning, severity="warning", timeout=30, markup=False)
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen) and screen.is_mounted:
                await screen.show_sets()
        waiting, self._waiting = self._waiting, []
        for bound, callback in waiting:
            if bound is None or (bound is self.screen and not _leaving(bound)):
                callback()

    @on(FiguresReady)
    def _figures_ready(self, message: FiguresReady) -> None:
        services = self.services
        services.figures_pending = False
        figures: dict[str, SetFigures] | None = message.figures
        kept = message.basis
        if services.opened is not None and not services.is_current(kept):
            figures = None  # an answer or other sets since they were counted: counted again
        else:
            services.basis = kept
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen) and screen.is_mounted:
                screen.show_figures(figures)

    def _freeze_loaded(self) -> None:
        # The store's state and the sets (hundreds of thousands of objects with a long history)
        # live as long as the app: frozen, the cyclic collector stops walking them on every full
        # collection, which otherwise stalls a screen being built for half a second.
        if not self._frozen:
            self._frozen = True
            gc.freeze()

    def on_unmount(self) -> None:
        """Give what was frozen back to the collector (tests run many apps in one process)."""
        if self._frozen:
            self._frozen = False
            gc.unfreeze()

    def _add_screen_styles(self) -> None:
        # Only home and help can show before the store is open: the rest of the stylesheet is
        # parsed now, off the first frame, and before any key that opens another screen runs.
        if self._screen_styles:
            return
        self._screen_styles = True
        self.stylesheet.add_source(
            SCREENS_CSS, read_from=(str(STYLESHEET), "screens"), is_default_css=False
        )
        self.stylesheet.reparse()
        self.stylesheet.update(self)

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self.load_error = message.error
        self._waiting.clear()
        self.exit(return_code=1)

    def call_when_ready(self, callback: Callable[[], object], *, screen_bound: bool = True) -> None:
        """Run `callback` now if the store and the sets are loaded, else as soon as they are.

        A screen-bound callback (a key's action) is dropped if by then another screen is on top:
        the key was meant for the screen it was pressed on.
        """
        if self.ready:
            callback()
        else:
            self._waiting.append((self.screen if screen_bound else None, callback))
            if isinstance(self.screen, HomeScreen):
                self.screen.show_waiting()

    def close_opened_store(self) -> None:
        """Close the store the loader opened, leaving the figures' basis for the next start.

        (Closed even if the app never got to use it. The basis is computed again if anything
        changed since the figures were shown: the screen is gone, no one waits for it.)
        """
        store = self._opened
        if store is None:
            return
        kept = self.services.current_basis() if self._glance_at is not None else None
        glance_at = self._glance_at

        def leave_glance() -> None:
            # While the profile is still held: no other process can have changed its files.
            if kept is not None and glance_at is not None:
                from gmmp_quiz.glance import save_glance

                save_glance(glance_at, kept.glance, store.dir, kept.set_files)

        store.close(before_release=leave_glance)
        self._opened = None

    def _remember_theme(self, theme: Any) -> None:
        name = theme.name
        self._prefs.set("theme", name)
        self.call_when_ready(lambda: self._store_setting("theme", name), screen_bound=False)

    def _store_setting(self, key: str, value: Any) -> None:
        store = self.services.store
        if store.get_setting(key) != value:
            store.set_setting(key, value)

    # -- what the screens ask for ------------------------------------------------------------
    # Screens other than home are imported when first opened (start-up speed): their messages
    # are handled by name rather than with @on, which would need their classes here.
    @on(HomeScreen.StartRequested)
    def _start_requested(self, message: HomeScreen.StartRequested) -> None:
        self.start_mode(message.qset, message.mode, message.count)
        self._request_handled()

    def on_missed_screen_retry_requested(self, message: MissedScreen.RetryRequested) -> None:
        """Retry the missed questions chosen on the missed screen."""
        self.start_session(message.picked, mode=Mode.MISSED)
        self._request_handled()

    def on_summary_screen_retry_requested(self, message: SummaryScreen.RetryRequested) -> None:
        """Retry the questions missed in the session just ended, in place of its summary."""
        self.start_session(message.picked, mode=Mode.MISSED, replace=True)
        self._request_handled()

    def _request_handled(self) -> None:
        # The screen that asked takes keys again if it is still on top (nothing to start).
        if isinstance(self.screen, AppScreen):
            self.screen.leaving = False

    def on_add_sets_screen_sets_changed(self, message: AddSetsScreen.SetsChanged) -> None:
        """The sets were found again after an import, a new set or an edit."""
        self.set_discovery(message.discovery)

    def on_quiz_screen_help_requested(self, message: QuizScreen.HelpRequested) -> None:
        """The help, from the quiz's keys on."""
        self.action_help(message.section)

    def start_mode(self, qset: QuestionSet | None, mode: Mode | str, count: int | None) -> None:
        """Start a session of `mode` on a set (None: every set), or say why there is nothing."""
        picked = self.services.pick(qset, mode, count, self.rng)
        if not picked:
            key = "nothing_due" if mode == Mode.DUE else "nothing_missed"
            self.notify(t(key, self.lang), markup=False)
            return
        self.start_session(picked, mode=mode)

    def start_session(
        self,
        picked: Sequence[tuple[QuestionSet, Question]],
        *,
        mode: Mode | str = Mode.QUIZ,
        replace: bool = False,
    ) -> None:
        """Open the quiz screen on these questions."""
        from gmmp_quiz.ui.screens.quiz import QuizScreen

        session = self.services.session(
            picked, mode, self.rng, requeue=self.requeue_now(), timer=self.timer
        )
        titles = {s.title.get(self.lang) for s, _ in picked}
        title = titles.pop() if len(titles) == 1 else "gmmp-quiz"
        screen = QuizScreen(session, self.lang, title)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def requeue_now(self) -> bool:
        """Whether missed questions come back in a session: `--no-requeue`, else the setting."""
        if self.requeue is None:
            return bool(setting(self.services.store, "requeue"))
        return self.requeue

    def set_discovery(self, discovery: Discovery) -> None:
        """Use a new discovery of the sets (after a reload, an import or an edit)."""
        self.services.found(discovery)
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.reload()

    # -- actions and commands --------------------------------------------------------------
    @when_ready
    def action_reload_sets(self) -> None:
        """Look for added or edited sets again, without restarting."""
        if self.reload is not None:
            discovery = self.reload()
            self.set_discovery(discovery)
            self.notify(
                nt("{n} set loaded.", "{n} sets loaded.", len(self.services.sets), self.lang),
                markup=False,
            )

    @when_ready
    def action_open_missed(self) -> None:
        """The missed questions: review them, retry them, mark them known."""
        from gmmp_quiz.ui.screens.missed import MissedScreen

        self.push_screen(MissedScreen(self.services))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Once quitting, no screen opens (keys typed after q: the screen would be half made)."""
        if getattr(self, "_exit", False) and action.startswith(("open_", "help")):
            return False
        if _leaving(self.screen) and action != "quit":
            return False  # the keys typed after a request were not meant for this screen
        return super().check_action(action, parameters)

    @when_ready
    def action_open_stats(self) -> None:
        """Accuracy, mastery, most missed, due forecast and streak."""
        from gmmp_quiz.ui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(self.services))

    @when_ready
    def action_open_add_sets(self) -> None:
        """The user's sets with their status: import, create, reload, write questions."""
        from gmmp_quiz.ui.screens.add_sets import AddSetsScreen

        self.push_screen(AddSetsScreen(self.services))

    @when_ready
    def action_toggle_requeue(self) -> None:
        """Turn on or off: questions answered wrong come back later in the same session."""
        requeue = not self.requeue_now()
        self.services.store.set_setting("requeue", requeue)
        self.requeue = None  # the toggle is the learner's latest word, over --no-requeue
        self.notify(t("requeue_is_on" if requeue else "requeue_is_off", self.lang), markup=False)

    def action_help(self, section: int = 0) -> None:
        """Show the keys and modes (from `section` on: 1 is answering, for the quiz)."""
        from gmmp_quiz.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.lang, section))

    def action_command_palette(self) -> None:
        """Textual's command palette, with its prompt in the interface language."""
        from textual.command import CommandPalette

        # (Textual types `is_open` for App[object]; the app's return type is int.)
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            prompt = t("palette_search", self.lang)
            self.push_screen(CommandPalette(id="--command-palette", placeholder=prompt))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Palette entries to start any set in any mode, besides Textual's own (translated)."""
        yield from textual_commands(super().get_system_commands(screen), self.lang)
        yield from quiz_commands(self)

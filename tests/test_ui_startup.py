"""Startup: the home screen comes first, the store and the sets right after; keys wait for them."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from answers import answer
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets._footer import FooterKey

from gmmp_quiz import cli
from gmmp_quiz.sets.loading import Discovery, load_set
from gmmp_quiz.store.progress import ProgressStore, StoreError
from gmmp_quiz.ui import prefs
from gmmp_quiz.ui.app import QuizApp
from gmmp_quiz.ui.screens.help import HelpScreen
from gmmp_quiz.ui.screens.home import HomeScreen
from gmmp_quiz.ui.screens.quiz import QuizScreen
from gmmp_quiz.ui.screens.stats import StatsScreen

ALL_TYPES = Path(__file__).parent / "data" / "ui" / "all-types.yaml"
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


class GatedOpen:
    """Opens the store only once the test opens the gate (gives up if the app closes first)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.gate = threading.Event()
        self.app: QuizApp | None = None
        self.calls = 0

    def __call__(self) -> ProgressStore:
        self.calls += 1
        while not self.gate.wait(0.02):
            if self.app is not None and not self.app.is_running:
                raise StoreError("the app was closed first")
        return ProgressStore.open(self.home, backup=False)


def deferred_app(
    opener: GatedOpen, lang: str = "en", sets: list[Any] | None = None, **given: Any
) -> QuizApp:
    """The app as `gmmp-quiz` starts it: no store and no sets before the first frame."""
    found = sets if sets is not None else [load_set(ALL_TYPES, use_cache=False)]
    app = QuizApp(
        None,
        None,
        lang=lang,
        clock=lambda: NOW,
        seed=7,
        open_store=opener,
        reload=lambda: Discovery(found, {}),
        prefs_at=(opener.home, "default"),
        **given,
    )
    opener.app = app
    return app


@asynccontextmanager
async def started(home: Path) -> AsyncIterator[tuple[QuizApp, Any, GatedOpen]]:
    """Run the deferred app at 80x24; the store it opened is closed whatever happens."""
    opener = GatedOpen(home)
    app = deferred_app(opener)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            yield app, pilot, opener
    finally:
        app.close_opened_store()


async def until(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


def sets_text(app: QuizApp) -> str:
    listing = app.screen.query_one("#sets", OptionList)
    return "\n".join(
        str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)
    )


async def test_home_is_shown_loading_then_lists_the_sets(quiz_home: Path) -> None:
    async with started(quiz_home) as (app, pilot, opener):
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and not app.ready
        assert "Loading your sets" in sets_text(app)
        assert app.screen.query_one("#sets", OptionList).disabled
        # The footer's keys follow the first frame.
        await until(pilot, lambda: bool(app.screen.query(FooterKey)))
        assert not app.ready
        opener.gate.set()
        await until(pilot, lambda: app.ready)
        await pilot.pause()
        assert "Every type" in sets_text(app) and "9 questions" in sets_text(app)
        assert app.screen.focused is app.screen.query_one("#sets", OptionList)


async def test_the_figures_follow_the_listed_sets(quiz_home: Path) -> None:
    async with started(quiz_home) as (app, pilot, opener):
        opener.gate.set()
        await until(pilot, lambda: app.ready)
        await until(pilot, lambda: not app.figures_pending)
        await pilot.pause()
        # The placeholders of the figures gave way to them.
        assert "mastered" in sets_text(app) and "…" not in sets_text(app)
        modes = app.screen.query_one("#modes", OptionList)
        assert "(…)" not in str(modes.get_option_at_index(2).prompt)


async def test_a_key_pressed_while_loading_waits_for_the_store(quiz_home: Path) -> None:
    async with started(quiz_home) as (app, pilot, opener):
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        # Nothing could be read or recorded yet: the key waits.
        assert isinstance(app.screen, HomeScreen) and app.store is None
        opener.gate.set()
        await until(pilot, lambda: isinstance(app.screen, QuizScreen))
        assert app.store.get_setting("last_set") == "all-types"
        assert len(app.store.sessions()) == 1  # recorded in the store once it was open


async def test_keys_for_the_home_screen_are_dropped_once_another_is_on_top(
    quiz_home: Path,
) -> None:
    async with started(quiz_home) as (app, pilot, opener):
        await pilot.pause()
        await pilot.press("enter", "t", "enter")
        await pilot.pause()
        opener.gate.set()
        await until(pilot, lambda: app.ready)
        await pilot.pause()
        # The first Enter started a quiz; the other keys were meant for home: not run.
        assert isinstance(app.screen, QuizScreen)
        assert not any(isinstance(s, StatsScreen) for s in app.screen_stack)
        assert len([s for s in app.screen_stack if isinstance(s, QuizScreen)]) == 1


async def test_help_works_while_loading(quiz_home: Path) -> None:
    async with started(quiz_home) as (app, pilot, opener):
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        opener.gate.set()
        await until(pilot, lambda: app.ready)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and "Every type" in sets_text(app)


async def test_theme_comes_from_the_mirror_then_from_the_store(quiz_home: Path) -> None:
    with ProgressStore.open(quiz_home, backup=False) as store:
        store.set_setting("theme", "nord")
    prefs.write_prefs(quiz_home, "default", {"theme": "textual-light"})
    async with started(quiz_home) as (app, pilot, opener):
        await pilot.pause()
        assert app.theme == "textual-light"  # the first frame, before the store
        opener.gate.set()
        await until(pilot, lambda: app.ready)
        await pilot.pause()
        assert app.theme == "nord"  # the store has the last word...
        assert prefs.read_prefs(quiz_home, "default") == {"theme": "nord"}  # ...and the mirror


async def test_theme_changed_while_loading_is_saved_once_the_store_is_open(
    quiz_home: Path,
) -> None:
    async with started(quiz_home) as (app, pilot, opener):
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        assert prefs.read_prefs(quiz_home, "default") == {"theme": "textual-light"}
        opener.gate.set()
        await until(pilot, lambda: app.ready)
        await pilot.pause()
        assert app.store.get_setting("theme") == "textual-light"
        assert app.theme == "textual-light"


def test_prefs_file_is_small_and_refuses_odd_profiles(quiz_home: Path) -> None:
    prefs.write_prefs(quiz_home, "default", {"theme": "nord", "other": 1})
    path = quiz_home / "prefs" / "default.json"
    assert json.loads(path.read_text()) == {"theme": "nord"}
    assert [p.name for p in path.parent.iterdir()] == ["default.json"]  # no temp file left
    path.write_text("{torn")
    assert prefs.read_prefs(quiz_home, "default") == {}
    assert prefs.prefs_path(quiz_home, "../x") is None
    prefs.write_prefs(quiz_home, "../x", {"theme": "nord"})
    assert not (quiz_home / "x.json").exists()


def run_cli(monkeypatch: pytest.MonkeyPatch, argv: list[str], auto_pilot=None) -> int:
    """`gmmp-quiz ARGV` in this process, headless at 80x24."""
    run = QuizApp.run
    monkeypatch.setattr(
        QuizApp,
        "run",
        lambda self, **kw: run(self, headless=True, size=(80, 24), auto_pilot=auto_pilot),
    )
    return cli.main(argv)


def test_locked_profile_still_says_so(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with ProgressStore.open(quiz_home, backup=False):
        assert run_cli(monkeypatch, []) == 1
    err = capsys.readouterr().err
    assert err.startswith("gmmp-quiz: ") and "already open" in err


def test_store_warnings_are_shown_in_the_app_and_kept_on_stderr(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with ProgressStore.open(quiz_home, backup=False) as store:
        store.set_setting("last_mode", "due")
    (quiz_home / "progress" / "default" / "state.json").write_text("{damaged")
    shown: list[str] = []

    async def auto_pilot(pilot) -> None:
        app = pilot.app
        await until(pilot, lambda: app.ready)
        await pilot.pause()
        shown.extend(str(n.message) for n in app._notifications)
        await pilot.press("q")

    assert run_cli(monkeypatch, [], auto_pilot) == 0
    assert any("damaged" in message for message in shown)
    err = capsys.readouterr().err
    assert "gmmp-quiz: The progress file was damaged" in err


def test_quitting_at_once_closes_the_store(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def auto_pilot(pilot) -> None:
        await pilot.press("q")

    assert run_cli(monkeypatch, [], auto_pilot) == 0
    # The lock is free again: whatever the loader opened was closed.
    ProgressStore.open(quiz_home, backup=False).close()


async def test_footer_follows_the_keys_of_each_screen(quiz_home: Path) -> None:
    store = ProgressStore.open(quiz_home, backup=False)
    try:
        qset = load_set(ALL_TYPES, use_cache=False)
        app = QuizApp(Discovery([qset], {}), store, clock=lambda: NOW, seed=7)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()

            def keys() -> set[str]:
                return {k.description for k in app.screen.query(FooterKey)}

            assert {"Count", "Quit"} <= keys()
            await pilot.press("enter")
            await pilot.pause()
            assert "Skip" in keys() and "Count" not in keys()
            assert "1/9" in str(app.screen.query_one("#progress-label", Static).render())
    finally:
        store.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_home_while_loading_look(snap_compare, quiz_home: Path, lang: str) -> None:
    # The gate stays shut: the frame shown before the store is open.
    assert snap_compare(deferred_app(GatedOpen(quiz_home), lang=lang), terminal_size=(80, 24))


# -- the last run's sets, listed in the first frame ---------------------------------------------
LONG = Path(__file__).parent / "data" / "ui" / "long.yaml"


def listed_app(
    opener: GatedOpen, last_set: str | None = "long", lang: str = "en", long: Path = LONG
) -> QuizApp:
    """The app as `gmmp-quiz` starts it after an earlier run: its sets listed, last set mirrored."""
    from gmmp_quiz.sets.listing import Listing, SetSummary

    sets = [load_set(ALL_TYPES, use_cache=False), load_set(long, use_cache=False)]
    if last_set is not None:
        prefs.write_prefs(opener.home, "default", {"last_set": last_set, "last_mode": "quiz"})
    listing = Listing(tuple(SetSummary.of(s) for s in sets), (), 0)
    return deferred_app(opener, lang, sets, listing=listing)


def highlighted_title(app: QuizApp) -> str:
    listing = app.screen.query_one("#sets", OptionList)
    assert listing.highlighted is not None
    return str(listing.get_option_at_index(listing.highlighted).prompt).splitlines()[0]


async def test_the_last_runs_sets_are_listed_before_the_store_opens(quiz_home: Path) -> None:
    opener = GatedOpen(quiz_home)
    app = listed_app(opener)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert not app.ready and opener.calls <= 1
            listing = app.screen.query_one("#sets", OptionList)
            assert not listing.disabled and app.screen.focused is listing
            assert "Every type" in sets_text(app) and "Long texts" in sets_text(app)
            assert "9 questions · …" in sets_text(app)  # counts, no figures yet
            assert highlighted_title(app) == "Long texts"  # the last set used
            details = str(app.screen.query_one("#set-details", Static).render())
            assert "Long texts" in details
            await pilot.press("up")  # keys work while the store opens
            await pilot.pause()
            assert highlighted_title(app).startswith("Every type") and not app.ready
            assert "Every type" in str(app.screen.query_one("#set-details", Static).render())
            opener.gate.set()
            await until(pilot, lambda: app.ready and not app.figures_pending)
            await pilot.pause()
            # The learner's move is kept (not overridden by the last set used)...
            assert highlighted_title(app).startswith("Every type")
            assert "mastered" in sets_text(app) and "…" not in sets_text(app)
    finally:
        app.close_opened_store()


async def test_enter_before_the_store_opens_starts_the_set_seen(quiz_home: Path) -> None:
    with ProgressStore.open(quiz_home, backup=False) as store:
        store.set_setting("last_set", "all-types")  # the mirror says "long": it is stale
    opener = GatedOpen(quiz_home)
    app = listed_app(opener, last_set="long")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert highlighted_title(app) == "Long texts"
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            note = app.screen.query_one("#invalid", Static)
            assert note.display and "Opening your progress" in str(note.render())
            opener.gate.set()
            await until(pilot, lambda: isinstance(app.screen, QuizScreen))
            await pilot.pause()
            assert {item.qset.id for item in app.screen.session.items} == {"long"}
            assert app.store.get_setting("last_set") == "long"
        assert prefs.read_prefs(quiz_home, "default")["last_set"] == "long"
    finally:
        app.close_opened_store()


async def test_the_store_corrects_a_stale_mirror(quiz_home: Path) -> None:
    with ProgressStore.open(quiz_home, backup=False) as store:
        store.set_setting("last_set", "all-types")
        store.set_setting("last_count", None)
    opener = GatedOpen(quiz_home)
    app = listed_app(opener, last_set="long")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert highlighted_title(app) == "Long texts"
            opener.gate.set()
            await until(pilot, lambda: app.ready)
            await pilot.pause()
            # Nobody moved: the store's last set is highlighted, and its count shown.
            assert highlighted_title(app).startswith("Every type")
            modes = app.screen.query_one("#modes", OptionList)
            assert "All" in str(modes.get_option_at_index(0).prompt)
    finally:
        app.close_opened_store()
    mirrored = prefs.read_prefs(quiz_home, "default")
    assert mirrored["last_set"] == "all-types" and mirrored["last_count"] is None


def test_a_start_lists_the_sets_the_last_one_found(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (quiz_home / "questions").mkdir()
    (quiz_home / "questions" / "long.yaml").write_bytes(LONG.read_bytes())
    seen: list[tuple[bool, list[str]]] = []

    async def look(pilot) -> None:
        app = pilot.app
        await pilot.pause()
        listing = app.screen.query_one("#sets", OptionList)
        seen.append(
            (
                app.services.listing is not None,
                [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)],
            )
        )
        await until(pilot, lambda: app.ready)
        await pilot.press("q")

    assert run_cli(monkeypatch, [], look) == 0
    assert run_cli(monkeypatch, [], look) == 0
    (quiz_home / "questions" / "long.yaml").unlink()  # a set gone: the listing is not used
    assert run_cli(monkeypatch, [], look) == 0
    assert [used for used, _ in seen] == [False, True, False]
    assert any("Long texts" in row for row in seen[1][1])


async def test_a_key_waiting_for_the_store_is_told_then_done(quiz_home: Path) -> None:
    opener = GatedOpen(quiz_home)
    app = listed_app(opener)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            note = app.screen.query_one("#invalid", Static)
            assert not note.display
            await pilot.press("c")  # the count: stored, so it waits for the store
            await pilot.pause()
            assert note.display and "your key will follow" in str(note.render())
            opener.gate.set()
            await until(pilot, lambda: app.ready)
            await pilot.pause()
            assert not note.display  # done, and the note gone
            assert app.store.get_setting("last_count") == 20
    finally:
        app.close_opened_store()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_home_listed_before_the_store_opens_look(snap_compare, quiz_home: Path, lang: str) -> None:
    # The gate stays shut: the last run's sets, on the last set used, a key waiting for the store.
    opener = GatedOpen(quiz_home)
    app = listed_app(opener, lang=lang)

    async def press_count(pilot) -> None:
        await pilot.pause()
        await pilot.press("c")

    assert snap_compare(app, terminal_size=(80, 24), run_before=press_count)


def on_each_home_frame(monkeypatch: pytest.MonkeyPatch, look: Callable[[HomeScreen], None]) -> None:
    """Call `look` with the home screen right after each of its frames is painted."""
    paint = Screen._compositor_refresh

    def spy(screen: Screen[Any]) -> None:
        paint(screen)
        if isinstance(screen, HomeScreen):
            look(screen)

    monkeypatch.setattr(Screen, "_compositor_refresh", spy)


async def test_the_first_frame_shows_the_highlighted_sets_details(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the first frame painted: the details and the modes come with the list, not with
    # the highlight's message a frame later (the right column was blank in that frame).
    painted: list[tuple[str, int]] = []

    def look(screen: HomeScreen) -> None:
        if not painted:
            details = str(screen.query_one("#set-details", Static).render())
            painted.append((details, screen.query_one("#modes", OptionList).option_count))

    on_each_home_frame(monkeypatch, look)
    opener = GatedOpen(quiz_home)
    app = listed_app(opener)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: bool(painted))
    finally:
        app.close_opened_store()
    details, modes = painted[0]
    assert details.startswith("Long texts") and modes == 3


async def test_the_footers_keys_follow_the_first_frame_composed_once(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first frame is the list with its details and modes; the footer's keys (a widget each,
    # styled and measured) follow it, as Textual's own footer does, and are built once: the
    # start does not build them twice.
    frames: list[tuple[bool, int]] = []

    def look(screen: HomeScreen) -> None:
        frames.append((bool(screen.query("#modes")), len(screen.query(FooterKey))))

    built: list[FooterKey] = []
    make = FooterKey.__init__

    def counted(key: FooterKey, *args: Any, **kwargs: Any) -> None:
        make(key, *args, **kwargs)
        built.append(key)

    on_each_home_frame(monkeypatch, look)
    monkeypatch.setattr(FooterKey, "__init__", counted)
    opener = GatedOpen(quiz_home)
    app = listed_app(opener)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: bool(frames) and frames[-1][1] > 0)
            await pilot.pause(0.2)
            assert not app.ready  # all of it before the store opened
            shown = list(app.screen.query(FooterKey))
    finally:
        app.close_opened_store()
    listed, keys = frames[0]
    assert listed and not keys
    assert shown and built == shown, "built once"


def long_described(path: Path) -> Path:
    """A copy of the long set whose description is longer than the details box at 80x24."""
    text = LONG.read_text(encoding="utf-8")
    many = " ".join(f"Line {n} of a description too long for the box." for n in range(30))
    described = text.replace(
        'title: {fr: "Textes longs", en: "Long texts"}',
        f'title: {{fr: "Textes longs", en: "Long texts"}}\ndescription: {{en: "{many}"}}',
    )
    assert described != text
    path.write_text(described, encoding="utf-8")
    return path


async def test_a_description_too_long_for_its_box_scrolls_and_a_short_one_does_not(
    quiz_home: Path, tmp_path: Path
) -> None:
    # A long description scrolls in its box (its end, with the set's counts, can be reached),
    # a short one has no scrollbar, and the box starts at the top for the next set.
    opener = GatedOpen(quiz_home)
    app = listed_app(opener, last_set=None, long=long_described(tmp_path / "long.yaml"))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            box = app.screen.query_one("#details-box", VerticalScroll)
            assert highlighted_title(app).startswith("Every type")
            assert box.max_scroll_y == 0
            for key, scrolls in (("down", True), ("up", False), ("down", True)):
                await pilot.press(key)
                await pilot.pause()
                assert (box.max_scroll_y > 0) is scrolls, key
                assert box.show_vertical_scrollbar is scrolls, key
            box.scroll_end(animate=False)
            await pilot.pause()
            assert box.scroll_y == box.max_scroll_y > 0
            shown = app.screen.query_one("#set-details", Static).render()
            assert "Line 29 of a description" in str(shown)
            await pilot.press("up")
            await pilot.pause()
            assert box.scroll_y == 0 and box.max_scroll_y == 0
            opener.gate.set()
            await until(pilot, lambda: app.ready and not app.figures_pending)
            await pilot.press("down")
            await pilot.pause()
            assert box.scroll_y == 0 and box.max_scroll_y > 0  # the next set, from the top
    finally:
        app.close_opened_store()


# -- the last run's figures, shown in the first frame ---------------------------------------------
def answered(home: Path, set_id: str, question_id: str, outcome: str) -> None:
    """One answer recorded in the store at `home`, as another command would."""
    with ProgressStore.open(home, backup=False) as store:
        given_id = f"{set_id}-{question_id}-{outcome}"
        store.record(
            answer(set_id, question_id, outcome, NOW.isoformat(), score=0.0, answer_id=given_id)
        )


async def test_the_last_runs_figures_are_shown_before_the_store_opens(quiz_home: Path) -> None:
    from gmmp_quiz.stats import figure_basis

    answered(quiz_home, "long", "multi", "wrong")
    opener = GatedOpen(quiz_home)
    app = listed_app(opener)
    with ProgressStore.open(quiz_home, backup=False) as store:
        states = store.states()
    sets = [load_set(ALL_TYPES, use_cache=False), load_set(LONG, use_cache=False)]
    app.services.glance = figure_basis(sets, states, NOW, 20)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert not app.ready
            before = sets_text(app)
            assert "…" not in before and "1 missed" in before
            details = str(app.screen.query_one("#set-details", Static).render())
            assert "1 learning" in details
            opener.gate.set()
            await until(pilot, lambda: app.ready and not app.figures_pending)
            await pilot.pause()
            assert sets_text(app) == before  # the store says the same
    finally:
        app.close_opened_store()


def test_a_start_shows_the_figures_the_last_one_left_unless_the_store_changed(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gmmp_quiz.glance import glance_path

    (quiz_home / "questions").mkdir()
    (quiz_home / "questions" / "long.yaml").write_bytes(LONG.read_bytes())
    seen: list[bool] = []

    async def look(pilot) -> None:
        app = pilot.app
        seen.append(app.services.glance is not None)
        await until(pilot, lambda: app.ready and not app.figures_pending)
        await pilot.press("q")

    kept = glance_path(quiz_home / "cache", "default")
    assert run_cli(monkeypatch, [], look) == 0 and kept.is_file()
    assert run_cli(monkeypatch, [], look) == 0  # nothing changed: its figures are shown first
    answered(quiz_home, "long", "multi", "wrong")  # another command changed the store
    assert run_cli(monkeypatch, [], look) == 0
    assert run_cli(monkeypatch, [], look) == 0
    assert seen == [False, True, False, True]
    data = json.loads(kept.read_text())
    assert data["sets"]["long"][1:4] == [1, 0, 1]  # seen, mastered, missed: the answer counted


def test_quitting_after_an_answer_leaves_figures_that_count_it(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gmmp_quiz.glance import glance_path, read_glance
    from gmmp_quiz.store.state import Attempt

    (quiz_home / "questions").mkdir()
    (quiz_home / "questions" / "long.yaml").write_bytes(LONG.read_bytes())

    async def answer_then_quit(pilot) -> None:
        app = pilot.app
        await until(pilot, lambda: app.ready and not app.figures_pending)
        # An answer after the figures were computed (as in a quiz left with ctrl+q).
        app.store.record(
            Attempt("x1", NOW.isoformat(), "long", "multi", "x", "wrong", 0.0, 1.0, "quiz", "")
        )
        await pilot.press("q")

    assert run_cli(monkeypatch, [], answer_then_quit) == 0
    glance = read_glance(
        glance_path(quiz_home / "cache", "default"), quiz_home / "progress" / "default"
    )
    assert glance is not None and glance.sets["long"].missed == 1


async def test_figures_counted_before_an_answer_given_meanwhile_are_counted_again(
    quiz_home: Path,
) -> None:
    from gmmp_quiz.store.state import Attempt

    opener = GatedOpen(quiz_home)
    app = listed_app(opener)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            opener.gate.set()
            await until(pilot, lambda: app.ready and not app.figures_pending)
            await pilot.pause()
            counted = app.services.basis
            assert counted is not None and "0 missed" in sets_text(app)
            # The loader's figures arrive after an answer was given (keys work before they do).
            app.store.record(
                Attempt("x1", NOW.isoformat(), "long", "multi", "x", "wrong", 0.0, 1.0, "quiz", "")
            )
            stale = counted.glance.figures(NOW)
            app.post_message(QuizApp.FiguresReady(stale, counted))
            await pilot.pause()
            assert "1 missed" in sets_text(app)  # counted again, with the answer
            kept = app.services.basis  # what the next start would be given: the fresh count
            assert kept is not None and kept is not counted
            assert kept.revision == app.store.revision
    finally:
        app.close_opened_store()


async def test_once_this_run_changed_the_store_the_last_runs_figures_give_way_to_dots(
    quiz_home: Path,
) -> None:
    from gmmp_quiz.stats import figure_basis

    answered(quiz_home, "long", "multi", "wrong")
    with ProgressStore.open(quiz_home, backup=False) as store:
        states = store.states()
    counting = threading.Event()  # the loader counts the figures once this is set

    class SlowCount(GatedOpen):
        def __call__(self) -> ProgressStore:
            store = super().__call__()
            read = store.states

            def states() -> Any:
                counting.wait(10)
                return read()

            store.states = states  # type: ignore[method-assign]
            return store

    opener = SlowCount(quiz_home)
    opener.gate.set()
    app = listed_app(opener)
    sets = [load_set(ALL_TYPES, use_cache=False), load_set(LONG, use_cache=False)]
    app.services.glance = figure_basis(sets, states, NOW, 20)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: app.ready)
            assert app.figures_pending and "1 missed" in sets_text(app)  # still the last run's
            app.services.remember("last_count", 20)  # this run changes the store
            app.screen.refresh_sets()
            assert "…" in sets_text(app) and "0 missed" not in sets_text(app)
            counting.set()
            await until(pilot, lambda: not app.figures_pending)
            await pilot.pause()
            assert "1 missed" in sets_text(app) and "…" not in sets_text(app)
    finally:
        counting.set()
        app.close_opened_store()

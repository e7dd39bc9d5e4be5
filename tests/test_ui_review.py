"""Pilot tests of the missed and stats screens, and `gmmp-quiz review` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from gmmp_quiz.i18n import t
from gmmp_quiz.missed import MissedEntry, PlannedMiss
from gmmp_quiz.model import Kind, LText, Question, QuestionSet
from gmmp_quiz.sets.loading import Discovery, load_set
from gmmp_quiz.store.progress import Attempt, ProgressStore
from gmmp_quiz.ui.app import QuizApp
from gmmp_quiz.ui.screens.home import HomeScreen
from gmmp_quiz.ui.screens.missed import MissedScreen
from gmmp_quiz.ui.screens.quiz import QuizScreen
from gmmp_quiz.ui.screens.stats import StatsScreen
from gmmp_quiz.ui.screens.summary import SummaryScreen

DATA = Path(__file__).parent / "data" / "ui"
ALL_TYPES = DATA / "all-types.yaml"
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


def record(store: ProgressStore, qid: str, answer: object, outcome: str, at: datetime) -> None:
    """One answer to a question of the test set, through the real store."""
    score = {"correct": 1.0, "partial": 0.5}.get(outcome, 0.0)
    attempt = Attempt(
        uuid.uuid4().hex, at.isoformat(), "all-types", qid, answer, outcome, score, 2.0, "quiz", "s"
    )
    store.record(attempt)


def missed_history(store: ProgressStore) -> None:
    """choice missed twice, short and tf once; numeric right."""
    record(store, "choice", 1, "wrong", NOW - timedelta(days=2))
    record(store, "choice", 2, "wrong", NOW - timedelta(days=1))
    record(store, "short", "F. J.", "wrong", NOW - timedelta(hours=5))
    record(store, "tf", False, "wrong", NOW - timedelta(hours=3))
    record(store, "numeric", 7, "correct", NOW - timedelta(hours=2))


@pytest.fixture
def store(quiz_home: Path):
    store = ProgressStore.open(quiz_home, backup=False)
    missed_history(store)
    yield store
    store.close()


def make_app(store: ProgressStore, lang: str = "en") -> QuizApp:
    qset = load_set(ALL_TYPES, use_cache=False)
    return QuizApp(
        Discovery([qset], {}), store, lang=lang, clock=lambda: NOW, seed=7, timer=lambda: 0.0
    )


async def settle(pilot) -> None:
    """Let the screen's history-reading worker finish and the screen refresh."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_missed(pilot) -> MissedScreen:
    await pilot.press("m")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MissedScreen)
    return screen


def listed(screen: MissedScreen) -> list[str]:
    return [e.question.id for e in screen.entries]


def detail(screen: MissedScreen) -> str:
    return str(screen.query_one("#missed-detail-text", Static).render())


async def test_missed_list_rows_and_detail(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_missed(pilot)
        assert listed(screen) == ["choice", "tf", "short"]  # most missed first, then latest
        listing = screen.query_one("#missed-list", OptionList)
        assert "Every type [bold]x[/]" in str(listing.get_option_at_index(0).prompt)
        assert "Which city? [0]" in str(listing.get_option_at_index(1).prompt)
        text = detail(screen)
        assert "Your answers: Tanger / Rabat" in text
        assert "Right answer: Paris [/]" in text
        assert "It was in Paris. [bold]x[/]" in text
        assert "Missed 2 times" in text
        await pilot.press("down")
        assert "Missed once" in detail(screen) and "Right answer: True" in detail(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_retry_all_then_right_answers_leave_the_list(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_missed(pilot)
        await pilot.press("r")
        await pilot.pause()
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        assert quiz.session.mode == "missed"
        assert [i.question.id for i in quiz.session.items] == ["choice", "tf", "short"]
        await pilot.press("2")  # choice wrong again: it comes back
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("t")  # tf right
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"Joram", "enter")  # short right
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert quiz.session.current.question.id == "choice"
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert listed(screen) == []
        listing = screen.query_one("#missed-list", OptionList)
        assert "No missed questions" in str(listing.get_option_at_index(0).prompt)


async def test_retry_one_and_mark_known(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_missed(pilot)
        await pilot.press("down", "enter")  # the second row: tf
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        assert [i.question.id for i in app.screen.session.items] == ["tf"]
        await pilot.press("escape")  # leave before answering
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("k")  # the highlight stayed on tf: mark it as known
        await pilot.pause()
        assert listed(screen) == ["choice", "short"]
        assert is_known(store, "tf")
        assert "Who co-chaired" in detail(screen)  # the row that took its place
    # Marked known stays off the list in a new app.
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_missed(pilot)
        assert listed(screen) == ["choice", "short"]


def is_known(store: ProgressStore, qid: str) -> bool:
    state = store.state("all-types", qid)
    return state is not None and bool(state.known_at)


async def test_filter_and_search(store) -> None:
    app = make_app(store, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_missed(pilot)
        label = screen.query_one("#missed-filter", Static)
        assert str(label.render()) == "Toutes les séries"
        await pilot.press("f")  # first tag, alphabetically: people
        assert str(label.render()) == "Thème\u00a0: people"
        assert listed(screen) == ["short"]
        await pilot.press("f")
        assert listed(screen) == ["choice", "tf"]  # places
        await pilot.press("f")  # the section of choice
        assert listed(screen) == ["choice"]
        await pilot.press("f")  # back to everything
        assert listed(screen) == ["choice", "tf", "short"]
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"fRedéric")  # case and accent blind
        await pilot.pause()
        assert listed(screen) == ["short"]
        await pilot.press("enter")  # back to the list, filter kept
        assert isinstance(app.focused, OptionList)
        assert listed(screen) == ["short"]
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert listed(screen) == []
        assert "Aucune erreur ne correspond." in str(
            screen.query_one("#missed-list", OptionList).get_option_at_index(0).prompt
        )


async def test_missed_from_summary_and_palette(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        qset = app.discovery.sets[0]
        app.start_session([(qset, qset.question("numeric"))])
        await pilot.pause()
        await pilot.press("7", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MissedScreen)
        assert listed(app.screen) == ["choice", "tf", "short"]
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Missed" in titles and "Stats" in titles


async def test_stats_screen_streak_and_most_missed(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert screen.stats is not None
        assert screen.stats.answers == 5
        overview = str(screen.query_one("#stats-overview", Static).render())
        # Answers on Jan 13, 14 and 15 (UTC; local days differ by at most one either side).
        assert "5 answers" in overview and "Accuracy: 20%" in overview
        assert screen.stats.streak >= 2
        missed = str(screen.query_one("#stats-missed", Static).render())
        assert "Most missed" in missed
        lines = [line for line in missed.splitlines() if "×" in line]
        assert lines[0].lstrip().startswith("2×") and lines[0].endswith("Which city? [0]")
        assert len(lines) == 3
        mastery = str(screen.query_one("#stats-mastery", Static).render())
        assert "Mastery by set" in mastery and "0/9" in mastery
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_stats_in_french_with_no_history(quiz_home: Path) -> None:
    with ProgressStore.open(quiz_home, backup=False) as empty:
        app = make_app(empty, lang="fr")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("t")
            await settle(pilot)
            overview = str(app.screen.query_one("#stats-overview", Static).render())
            assert "Aucune réponse pour l’instant" in overview


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gmmp_quiz", "review", "--questions", str(DATA), *args],
        capture_output=True,
        text=True,
        env=os.environ,
        timeout=60,
        check=False,
    )


def test_review_plain_and_json(store) -> None:
    store.close()  # the command opens the store itself
    done = run_cli("--plain", "--lang", "en")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Every type [bold]x[/] (all-types)" in out
    assert "1. Which city? [0]" in out
    assert "Your answers: Tanger / Rabat" in out
    assert "Right answer: Paris [/]" in out
    assert "Explanation: It was in Paris. [bold]x[/]" in out
    assert "Missed 2 times, last on 2026-01-1" in out
    assert out.index("Which city") < out.index("seventh meeting") < out.index("Who co-chaired")

    done = run_cli("--json", "--tag", "places")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["count"] == 2
    first = data["missed"][0]
    assert first["question_id"] == "choice"
    assert first["wrong_answers"] == ["Tanger", "Rabat"]
    assert first["times_missed"] == 2
    assert first["last_missed"] == (NOW - timedelta(days=1)).isoformat()

    done = run_cli("--json", "--search", "joram")
    assert [m["question_id"] for m in json.loads(done.stdout)["missed"]] == ["short"]

    done = run_cli("--plain", "--set", "nope")
    assert done.returncode == 1
    assert "no question set 'nope'" in done.stderr


async def test_long_missed_list_is_listed_a_page_at_a_time(quiz_home: Path) -> None:
    from gmmp_quiz.model import Kind, LText, Question, QuestionSet
    from gmmp_quiz.ui.screens.missed import PAGE

    count = PAGE + 30
    questions = tuple(
        Question(id=f"q{i}", kind=Kind.SHORT, prompt=LText.plain(f"Q{i}?"), answer=LText.plain("a"))
        for i in range(count)
    )
    qset = QuestionSet(id="big", title=LText.plain("Big"), language="en", questions=questions)
    with ProgressStore.open(quiz_home, backup=False) as store:
        for i in range(count):
            at = (NOW - timedelta(minutes=count - i)).isoformat()
            store.record(
                Attempt(uuid.uuid4().hex, at, "big", f"q{i}", "b", "wrong", 0.0, 2.0, "quiz", "s")
            )
        app = QuizApp(Discovery([qset], {}), store, lang="en", clock=lambda: NOW, seed=7)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_missed(pilot)
            assert len(screen.entries) == count  # all of them are retried by `r`
            listing = screen.query_one("#missed-list", OptionList)
            # A heading with the set's full count, one page of rows, then what is left.
            assert listing.option_count == 1 + PAGE + 1
            assert f"({count})" in str(listing.get_option_at_index(0).prompt)
            assert "and 30 more" in str(listing.get_option_at_index(PAGE + 1).prompt)
            listing.highlighted = PAGE  # the last row listed
            await pilot.pause()
            assert listing.option_count == 1 + count  # the rest is listed, nothing left over
            assert listing.highlighted == PAGE
            await pilot.press("slash", *"q12")
            await pilot.pause()
            # A search lists its own first page; the latest missed first.
            found = [f"q{n}" for n in range(count - 1, -1, -1) if f"q{n}".startswith("q12")]
            assert [e.question.id for e in screen.entries] == found
            assert listing.option_count == 1 + len(found)


def type_at_once(app: QuizApp, keys: list[str]) -> None:
    """Post keys the way a fast typist sends them: all queued before the app handles one."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_fast_typing_keeps_every_key_and_lists_for_the_last(store: ProgressStore) -> None:
    app = make_app(store, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_missed(pilot)
        await pilot.press("slash")
        box = screen.query_one("#missed-search", Input)
        title = screen.query_one("HeaderTitle", Static)
        type_at_once(app, list("fRedéric"))
        await settle(pilot)
        assert box.value == "fRedéric"
        assert listed(screen) == ["short"]
        # The count in the title and the detail pane follow the list.
        assert screen.sub_title == t("missed_total", "fr", n=1)
        assert screen.sub_title in str(title.content)
        assert "Qui co-présidait" in detail(screen)
        # (Not in one batch with the letters: Textual runs a backspace, a binding, after the
        # letters queued with it.)
        type_at_once(app, ["backspace"] * 8)
        await settle(pilot)
        type_at_once(app, list("zz"))
        await settle(pilot)
        assert box.value == "zz"
        assert listed(screen) == []
        type_at_once(app, ["backspace"] * 2)  # back to a search done before: the whole list
        await settle(pilot)
        assert box.value == ""
        assert listed(screen) == ["choice", "tf", "short"]
        assert screen.sub_title in str(title.content)
        assert screen.sub_title == t("missed_total", "fr", n=3)


def big_history(store: ProgressStore, count: int) -> QuestionSet:
    """A set of `count` short questions, each missed once, a minute apart (the last first)."""
    questions = tuple(
        Question(id=f"q{i}", kind=Kind.SHORT, prompt=LText.plain(f"Q{i}?"), answer=LText.plain("a"))
        for i in range(count)
    )
    for i in range(count):
        at = (NOW - timedelta(minutes=count - i)).isoformat()
        store.record(
            Attempt(uuid.uuid4().hex, at, "big", f"q{i}", "b", "wrong", 0.0, 2.0, "quiz", "s")
        )
    return QuestionSet(id="big", title=LText.plain("Big"), language="en", questions=questions)


@pytest.fixture
def held_back(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Holds the Missed screen's building of the entries after its first page until set."""
    import gmmp_quiz.ui.screens.missed as missed_screen

    release = threading.Event()
    build = missed_screen.build_missed
    calls: list[int] = []

    def slow(planned: Sequence[PlannedMiss], lang: str | None = None) -> list[MissedEntry]:
        calls.append(len(planned))
        if len(calls) > 1:
            assert release.wait(10)
        return build(planned, lang)

    monkeypatch.setattr(missed_screen, "build_missed", slow)
    yield release
    release.set()


async def first_page(pilot: Pilot[None], release: threading.Event) -> MissedScreen:
    """The Missed screen opened, its first page shown while the rest is held back."""
    await pilot.press("m")
    screen = pilot.app.screen
    assert isinstance(screen, MissedScreen)
    for _ in range(500):
        if screen._loaded:
            break
        await pilot.pause(0.01)
    await pilot.pause()
    assert screen._loaded and not release.is_set()
    return screen


async def test_first_page_comes_first_with_the_whole_list_counted(
    quiz_home: Path, held_back: threading.Event
) -> None:
    from gmmp_quiz.ui.screens.missed import PAGE

    count = PAGE + 30
    with ProgressStore.open(quiz_home, backup=False) as store:
        qset = big_history(store, count)
        app = QuizApp(Discovery([qset], {}), store, lang="en", clock=lambda: NOW, seed=7)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await first_page(pilot, held_back)
            listing = screen.query_one("#missed-list", OptionList)
            assert listing.option_count == 1 + PAGE + 1
            assert f"({count})" in str(listing.get_option_at_index(0).prompt)
            assert "and 30 more" in str(listing.get_option_at_index(PAGE + 1).prompt)
            assert screen.sub_title == t("missed_total", "en", n=count)
            # Typed meanwhile: the box takes the keys; the list follows once all is built.
            await pilot.press("slash", *"q1")
            assert screen.query_one("#missed-search", Input).value == "q1"
            held_back.set()
            await settle(pilot)
            found = [f"q{n}" for n in range(count - 1, -1, -1) if f"q{n}".startswith("q1")]
            assert listed(screen) == found
            assert screen.sub_title == t("missed_total", "en", n=len(found))


async def test_retry_all_asked_for_early_retries_the_whole_list(
    quiz_home: Path, held_back: threading.Event
) -> None:
    from gmmp_quiz.ui.screens.missed import PAGE

    count = PAGE + 5
    with ProgressStore.open(quiz_home, backup=False) as store:
        qset = big_history(store, count)
        app = QuizApp(Discovery([qset], {}), store, lang="en", clock=lambda: NOW, seed=7)
        async with app.run_test(size=(80, 24)) as pilot:
            await first_page(pilot, held_back)
            await pilot.press("r")  # only the first page is built: kept until the rest is
            await pilot.pause()
            assert isinstance(app.screen, MissedScreen)
            held_back.set()
            await settle(pilot)
            quiz = app.screen
            assert isinstance(quiz, QuizScreen)
            assert quiz.session.total == count


async def test_search_typed_before_the_texts_are_ready_waits_for_them(
    store: ProgressStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    prepare = MissedScreen._prepare

    def held(entries: list[MissedEntry]) -> None:
        assert release.wait(10)
        prepare(entries)

    monkeypatch.setattr(MissedScreen, "_prepare", staticmethod(held))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await first_page(pilot, release)
        await pilot.press("slash", *"joram")
        await pilot.pause()
        # The box has every key; the list is not filtered by grading answers meanwhile.
        assert screen.query_one("#missed-search", Input).value == "joram"
        assert listed(screen) == ["choice", "tf", "short"]
        assert all("search_text" not in vars(entry) for entry in screen._filters.every)
        release.set()
        await settle(pilot)
        assert listed(screen) == ["short"]

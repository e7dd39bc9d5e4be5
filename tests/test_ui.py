"""Pilot tests: play the app like a learner, with every question type, in French and English."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from gmmp_quiz.sets.loading import Discovery, load_set
from gmmp_quiz.store.progress import ProgressStore
from gmmp_quiz.ui.app import QuizApp
from gmmp_quiz.ui.screens.help import HelpScreen
from gmmp_quiz.ui.screens.home import HomeScreen
from gmmp_quiz.ui.screens.quiz import QuizScreen
from gmmp_quiz.ui.screens.summary import SummaryScreen

ALL_TYPES = Path(__file__).parent / "data" / "ui" / "all-types.yaml"
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
MARKUP = ["[bold]x[/]", "[0]", "a [b", "[/]", "[@click=app.quit]x[/]"]


@pytest.fixture
def store(quiz_home: Path):
    store = ProgressStore.open(quiz_home, backup=False)
    yield store
    store.close()


def make_app(store: ProgressStore, lang: str = "en") -> QuizApp:
    qset = load_set(ALL_TYPES, use_cache=False)
    return QuizApp(Discovery([qset], {}), store, lang=lang, clock=lambda: NOW, seed=7)


def screen_text(app: QuizApp) -> str:
    """Everything the current screen's Static widgets show, as plain text."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def start_one(pilot, app: QuizApp, qid: str) -> QuizScreen:
    """Open a session on a single question of the test set."""
    qset = app.discovery.sets[0]
    app.start_session([(qset, qset.question(qid))])
    await pilot.pause()
    assert isinstance(app.screen, QuizScreen)
    return app.screen


def last_attempt(store: ProgressStore):
    return list(store.attempts())[-1]


async def test_home_lists_sets_and_starts_quiz(store: ProgressStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "Every type [bold]x[/]" in str(
            app.screen.query_one("#sets", OptionList).get_option_at_index(0).prompt
        )
        assert "One question of each type. [@click=app.quit]x[/]" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        assert app.screen.session.total == 9
    assert store.get_setting("last_set") == "all-types"
    assert store.get_setting("last_mode") == "quiz"


@pytest.mark.parametrize(
    ("qid", "keys", "outcome"),
    [
        ("choice", ["1"], "correct"),
        ("choice", ["2"], "wrong"),
        ("tf", ["t"], "correct"),
        ("tf", ["f"], "wrong"),
        ("multi", ["1", "3", "enter"], "correct"),
        ("multi", ["1", "enter"], "partial"),
        ("order", ["shift+down", "enter"], None),
        ("match", ["1", "a", "2", "b", "enter"], "correct"),
        ("match", ["1", "b", "2", "a", "enter"], "wrong"),
    ],
)
async def test_keyboard_answers(store, qid, keys, outcome) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, qid)
        await pilot.press(*keys)
        await pilot.pause()
        assert screen.answered
        attempt = last_attempt(store)
        assert attempt.question_id == qid
        if outcome is not None:
            assert attempt.outcome == outcome
        feedback = str(screen.query_one("#feedback", Static).render())
        assert any(word in feedback for word in ("Right", "Wrong", "Partly"))


async def test_multi_enter_with_nothing_ticked_is_not_an_answer(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, "multi")
        before = len(list(store.attempts()))
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.answered
        assert len(list(store.attempts())) == before
        hint = str(screen.query_one("#hint", Static).render())
        assert hint == "⚠ Tick at least one answer, or skip the question."
        await pilot.press("1", "3", "enter")
        await pilot.pause()
        assert screen.answered and last_attempt(store).outcome == "correct"


async def test_order_moves_items(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, "order")
        widget = screen.query_one("#answer")
        # Put the items in the right order by moving them, then submit.
        target = [0, 1, 2]
        for pos, want in enumerate(target):
            current = widget.current.index(want)
            widget.highlighted = current
            for _ in range(current - pos):
                await pilot.press("shift+up")
        assert widget.current == target
        await pilot.press("enter")
        await pilot.pause()
        assert last_attempt(store).outcome == "correct"


async def test_typed_answer_typo_and_i_was_right(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, "short")
        await pilot.press(*"frederic jorram", "enter")
        await pilot.pause()
        feedback = str(screen.query_one("#feedback", Static).render())
        assert "Accepted with a typo" in feedback
        assert last_attempt(store).typo is True
        assert last_attempt(store).outcome == "correct"

    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, "short")
        await pilot.press(*"F. J.", "enter")
        await pilot.pause()
        assert last_attempt(store).outcome == "wrong"
        await pilot.press("i")
        await pilot.pause()
        attempt = last_attempt(store)
        assert attempt.overridden is True and attempt.outcome == "correct"
        assert "Right" in str(screen.query_one("#feedback", Static).render())


async def test_numeric_cloze_flashcard(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_one(pilot, app, "numeric")
        await pilot.press("7", "enter")
        await pilot.pause()
        assert last_attempt(store).outcome == "correct"
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, "cloze")
        await pilot.press(*"Paris", "tab", *"june", "enter")
        await pilot.pause()
        assert screen.answered
        assert last_attempt(store).outcome == "correct"
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, "card")
        await pilot.press("3")  # rating before flipping does nothing
        assert not screen.answered
        await pilot.press("space", "3")
        await pilot.pause()
        assert last_attempt(store).outcome == "correct"
        assert "Groupe Migratoire Mixte Permanent" in screen_text(app)


async def test_skip_requeue_summary_and_retry(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        qset = app.discovery.sets[0]
        picked = [(qset, qset.question(q)) for q in ("choice", "tf", "numeric")]
        app.start_session(picked)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        # choice wrong, then it comes back later in the session
        await pilot.press("2")
        await pilot.pause()
        assert screen.session.total == 3
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.total == 4  # requeued
        await pilot.press("s")  # skip tf
        await pilot.pause()
        await pilot.press("7", "enter")  # numeric right
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.current.question.id == "choice"
        await pilot.press("2")  # wrong again: still missed when the learner leaves
        await pilot.pause()
        await pilot.press("enter", "escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Paris [/]" in text and "Rabat" in text  # right answer beside the wrong one
        assert "Skipped: 1" in text
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        assert [i.question.id for i in app.screen.session.items] == ["choice"]
        assert app.screen.session.mode == "missed"


async def test_undo_restores_and_asks_again(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, "choice")
        await pilot.press("2")
        await pilot.pause()
        assert len(list(store.attempts())) == 1
        await pilot.press("u")
        await pilot.pause()
        assert not screen.answered
        assert list(store.attempts()) == []
        assert (
            store.state("all-types", "choice") is None
            or store.state("all-types", "choice").attempts == 0
        )


async def test_leave_asks_first_and_keeps_answers(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        qset = app.discovery.sets[0]
        app.start_session([(qset, qset.question("choice")), (qset, qset.question("tf"))])
        await pilot.pause()
        await pilot.press("1", "enter", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)  # what was answered, summed up
    assert [a.question_id for a in store.attempts()] == ["choice"]


async def test_help_in_french(store) -> None:
    app = make_app(store, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Après la réponse" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Tous les types [bold]x[/]" in str(
            app.screen.query_one("#sets", OptionList).get_option_at_index(0).prompt
        )


async def test_french_quiz_feedback(store) -> None:
    app = make_app(store, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, "tf")
        assert "C’était la septième réunion." in screen_text(app)
        await pilot.press("v")
        await pilot.pause()
        assert "✓ Correct" in str(screen.query_one("#feedback", Static).render())


async def test_markup_in_set_text_is_literal_and_inert(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, "choice")
        text = screen_text(app)
        assert "Which city? [0]" in text
        options = screen.query_one("#answer", OptionList)
        assert "Paris [/]" in str(options.get_option_at_index(0).prompt)
        await pilot.press("1")
        await pilot.pause()
        text = screen_text(app)
        assert "It was in Paris. [bold]x[/]" in text
        assert "Section [@click=app.quit]x[/]" in text
        # Clicking the text that looks like an action link does nothing.
        await pilot.click("#explanation")
        await pilot.pause()
        assert app.is_running


async def test_typing_keys_stay_in_the_box(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, "short")
        await pilot.press("s", "q")
        await pilot.pause()
        assert screen.query_one(Input).value == "sq"
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)


async def test_theme_choice_is_remembered(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "textual-light"
        await pilot.pause()
    assert store.get_setting("theme") == "textual-light"
    app = make_app(store)
    async with app.run_test(size=(80, 24)):
        assert app.theme == "textual-light"


async def test_requeue_setting_turns_repeats_off(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_toggle_requeue()
        assert store.get_setting("requeue") is False
        screen = await start_one(pilot, app, "choice")
        await pilot.press("2")
        await pilot.pause()
        assert "come back" not in str(screen.query_one("#feedback", Static).render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)


async def test_resizes_cleanly_mid_question(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, "match")
        for size in ((120, 40), (80, 24), (100, 30)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.size == size
        await pilot.press("1", "a", "2", "b", "enter")
        await pilot.pause()
        assert screen.answered


async def test_leaving_mid_quiz_shows_the_summary_and_escape_goes_home(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        qset = app.discovery.sets[0]
        app.start_session([(qset, qset.question("choice")), (qset, qset.question("tf"))])
        await pilot.pause()
        await pilot.press("2", "enter", "escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Rabat" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_numeric_answer_that_is_no_number_gets_a_hint(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, "numeric")
        await pilot.press(*"seven", "enter")
        await pilot.pause()
        assert not screen.answered
        assert list(store.attempts()) == []
        screen.query_one(Input).value = ""
        await pilot.press("7", "enter")
        await pilot.pause()
        assert screen.answered and last_attempt(store).outcome == "correct"


async def test_cloze_feedback_is_in_view_with_the_typo(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one(pilot, app, "cloze")
        await pilot.press(*"Pariss", "tab", *"june", "enter")
        await pilot.pause()
        await pilot.pause()
        feedback = screen.query_one("#feedback", Static)
        assert feedback.region.height > 0  # on screen, not below the fold
        text = str(feedback.render())
        assert "Accepted with a typo" in text and "Pariss → Paris" in text


async def test_progress_stays_on_the_answered_question(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        qset = app.discovery.sets[0]
        app.start_session([(qset, qset.question("choice")), (qset, qset.question("tf"))])
        await pilot.pause()
        label = app.screen.query_one("#progress-label", Static)
        assert str(label.render()).startswith("1/2")
        await pilot.press("1")
        await pilot.pause()
        assert str(label.render()).startswith("1/2")
        await pilot.press("enter")
        await pilot.pause()
        assert str(label.render()).startswith("2/2")


async def test_seed_gives_the_same_order(store) -> None:
    orders = []
    for _ in range(2):
        app = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            app.start_mode(app.discovery.sets[0], "quiz", None)
            await pilot.pause()
            orders.append([i.question.id for i in app.screen.session.items])
    assert orders[0] == orders[1]


def test_spelt_out_acronyms_match() -> None:
    from gmmp_quiz.grading import grade
    from gmmp_quiz.model import Kind, LText, Question

    question = Question(
        id="q", kind=Kind.SHORT, prompt=LText.plain("Acronym?"), answer=LText.plain("GMMP")
    )
    for typed in ("G.M.M.P.", "g m m p", "gmmp"):
        assert grade(question, typed).correct, typed


async def test_palette_speaks_the_interface_language(store) -> None:
    app = make_app(store, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {"Thème", "Quitter", "Touches", "Capture d’écran", "Aide"} <= set(commands)
        assert not {"Theme", "Quit", "Keys", "Screenshot"} & set(commands)
        # Translated, the entries still do what Textual's do.
        assert commands["Quitter"].callback == app.action_quit
        assert commands["Thème"].callback == app.action_change_theme
        await pilot.press("ctrl+p")
        await pilot.pause()
        from textual.command import CommandInput

        assert app.screen.query_one(CommandInput).placeholder == "Chercher une commande…"

"""The quiz loop a learner can trust: every key deliberate, feedback in view and marked part by
part, one meaning of "missed", and the words a learner reads (played with the pilot)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from gmmp_quiz.sets.loading import Discovery, load_set
from gmmp_quiz.store.progress import ProgressStore
from gmmp_quiz.ui.app import QuizApp
from gmmp_quiz.ui.screens.home import HomeScreen
from gmmp_quiz.ui.screens.quiz import QuizScreen
from gmmp_quiz.ui.screens.summary import SummaryScreen

DATA = Path(__file__).parent / "data" / "ui"
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
# The app waits 0.3 s; the tests of that guard wait longer, so that a loaded machine (the keys
# of a test then arrive late) cannot let a key through that a learner's would not.
SETTLE = 1.5


@pytest.fixture
def store(quiz_home: Path):
    store = ProgressStore.open(quiz_home, backup=False)
    yield store
    store.close()


def make_app(store: ProgressStore, name: str = "all-types", lang: str = "en", **kw) -> QuizApp:
    qset = load_set(DATA / f"{name}.yaml", use_cache=False)
    return QuizApp(Discovery([qset], {}), store, lang=lang, clock=lambda: NOW, seed=7, **kw)


async def start(pilot, app: QuizApp, *qids: str) -> QuizScreen:
    qset = app.discovery.sets[0]
    app.start_session([(qset, qset.question(q)) for q in qids])
    await pilot.pause()
    assert isinstance(app.screen, QuizScreen)
    return app.screen


def text_of(app: QuizApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def attempts(store: ProgressStore) -> int:
    return len(list(store.attempts()))


def warning(app: QuizApp) -> str:
    """What the hint line under the question says after a key that answered nothing."""
    hint = text_of(app, "#hint")
    assert hint.startswith("⚠ "), hint
    assert not app._notifications  # said in place, not in a toast over the question
    return hint.removeprefix("⚠ ")


# -- every key deliberate ---------------------------------------------------------------------


async def test_a_second_enter_after_next_does_not_answer_the_next_question(
    store, monkeypatch
) -> None:
    monkeypatch.setattr(QuizScreen, "SETTLE_S", SETTLE)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app, "choice", "tf", "order", "match")
        await pilot.pause(SETTLE + 0.2)
        await pilot.press("1")
        await pilot.pause()
        assert screen.answered and attempts(store) == 1
        # Enter goes on; the same Enter pressed again at once, a digit and a t land nowhere.
        await pilot.press("enter", "enter", "1", "t", "enter")
        await pilot.pause()
        assert not screen.answered and attempts(store) == 1
        assert screen.session.current.question.id == "tf"
        await pilot.pause(SETTLE + 0.2)
        await pilot.press("t")
        await pilot.pause()
        assert screen.answered and attempts(store) == 2


async def test_skip_waits_for_the_question_to_settle(store, monkeypatch) -> None:
    monkeypatch.setattr(QuizScreen, "SETTLE_S", SETTLE)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app, "choice", "tf")
        await pilot.press("s")
        await pilot.pause()
        assert screen.session.current.question.id == "choice"
        await pilot.pause(SETTLE + 0.2)
        await pilot.press("s")
        await pilot.pause()
        assert screen.session.current.question.id == "tf"


@pytest.mark.parametrize("qid", ["choice", "tf"])
async def test_nothing_is_preselected_and_enter_asks_to_choose(store, qid) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app, qid)
        assert screen.query_one("#answer", OptionList).highlighted is None
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.answered and attempts(store) == 0
        assert warning(app) == "Choose first: a digit, or ↑/↓ then Enter."
        await pilot.press("down", "enter")  # the first option, chosen on purpose
        await pilot.pause()
        assert screen.answered and attempts(store) == 1


async def test_empty_match_is_not_an_answer(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app, "match")
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.answered and attempts(store) == 0
        assert warning(app) == (
            "Make at least one pair (a digit, then a letter), or skip the question."
        )
        await pilot.press("1", "a", "enter")
        await pilot.pause()
        assert screen.answered and attempts(store) == 1


async def test_untouched_order_is_never_an_answer(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app, "order")
        await pilot.press("enter", "enter", "enter")  # however many stray Enters
        await pilot.pause()
        assert not screen.answered and attempts(store) == 0
        assert warning(app).startswith("Put the items in order first")
        await pilot.press("j", "enter")  # one move: now it is an answer
        await pilot.pause()
        assert screen.answered and attempts(store) == 1
        assert not text_of(app, "#hint").startswith("⚠")


async def test_no_requeue_in_the_app(store) -> None:
    app = make_app(store, requeue=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app, "choice")
        await pilot.press("2")  # wrong
        await pilot.pause()
        assert "come back later" not in text_of(app, "#feedback")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert screen.session.total == 1


# -- readable questions, feedback in view ----------------------------------------------------


async def test_long_multi_options_wrap_and_ticks_read_as_text(store) -> None:
    app = make_app(store, "long")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app, "multi")
        await pilot.press("1", "3")
        await pilot.pause()
        lines = [
            strip.text
            for strip in screen.query_one("#answer", OptionList).render_lines(
                screen.query_one("#answer", OptionList).region.reset_offset
            )
        ]
        shown = " ".join(" ".join(lines).split())
        assert "…" not in shown
        assert "[x] 1. Better coordination between countries of origin, transit and" in shown
        assert "destination of migrants" in shown
        assert "[ ] 2. Setting immigration quotas" in shown
        assert "[x] 3. A joint fight" in shown


def _in_view(screen: QuizScreen, selector: str) -> bool:
    area = screen.query_one("#question-area")
    widget = screen.query_one(selector)
    return area.region.contains_region(widget.region) and widget.region.height > 0


@pytest.mark.parametrize(("qid", "keys"), [("choice", ["2"]), ("multi", ["1", "2", "enter"])])
async def test_feedback_explanation_and_source_in_view_at_80x24(store, qid, keys) -> None:
    app = make_app(store, "long")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app, qid)
        await pilot.press(*keys)
        await pilot.pause()
        await pilot.pause()
        assert screen.answered
        assert _in_view(screen, "#feedback") and _in_view(screen, "#explanation")
        explanation = text_of(app, "#explanation")
        assert "Source:" in explanation
        feedback = text_of(app, "#feedback")
        assert "✗ Wrong" in feedback or "Partly right" in feedback


async def test_more_below_is_said_and_pgdn_reaches_it(store) -> None:
    app = make_app(store, "long")
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await start(pilot, app, "multi")
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        await pilot.pause()
        more = screen.query_one("#more-below", Static)
        assert more.display and "More below" in str(more.render())
        for _ in range(6):
            await pilot.press("pagedown")
            await pilot.pause()
        assert not more.display
        assert _in_view(screen, "#explanation") or screen.query_one("#explanation").region.y < 20


async def test_per_part_marks_match_order_cloze_multi(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot, app, "match", "order", "cloze", "multi")
        await pilot.press("1", "b", "2", "a", "enter")  # both pairs swapped
        await pilot.pause()
        match = text_of(app, "#feedback")
        assert "✗ 1. Zerouali → b. France" in match and "should be: a. Morocco" in match
        assert "✗ 2. Joram → a. Morocco" in match
        await pilot.press("enter")
        await pilot.pause()
        # all-types is not shuffled, but an order question always is: put the first item last
        screen = app.screen
        item = screen.session.current
        await pilot.press("j", "enter")  # the first item moved down one place
        await pilot.pause()
        order = text_of(app, "#feedback")
        given = list(item.order)
        given[0], given[1] = given[1], given[0]
        texts = [item.question.items[i].get("en") for i in given]
        for pos, text in enumerate(texts):
            mark = "✓" if given[pos] == pos else "✗"
            assert f"{mark} {pos + 1}. {text}" in order
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"Paris", "tab", *"July", "enter")
        await pilot.pause()
        cloze = text_of(app, "#feedback")
        assert "✓ Gap 1: Paris" in cloze and "✗ Gap 2: July" in cloze and "June" in cloze
        assert "Meeting in [Paris] in [June]." in cloze
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        multi = text_of(app, "#feedback")
        assert "✓ [x] 1. Legal mobility" in multi
        assert "✗ [x] 2. Abolish visas  (ticked, wrong)" in multi
        assert "✗ [ ] 3. Fight irregular immigration  (missed)" in multi


async def test_flashcard_hint_rating_words_and_back_once(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app, "card")
        assert "Space flips" in text_of(app, "#hint")
        await pilot.press("space")
        await pilot.pause()
        assert "Rate yourself: 1 again" in text_of(app, "#hint")
        await pilot.press("1")
        await pilot.pause()
        feedback = text_of(app, "#feedback")
        assert feedback.startswith("↺ Again") and "Wrong" not in feedback and "0%" not in feedback
        back = screen.session.current.question.back.get("en")
        assert back not in text_of(app, "#explanation")
        assert back in str(screen.query_one("#card-back", Static).render())


async def test_french_true_false_verdict_does_not_clash(store) -> None:
    app = make_app(store, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, app, "tf")
        await pilot.press("f")
        await pilot.pause()
        feedback = text_of(app, "#feedback")
        assert feedback.startswith("✗ Incorrect")
        assert "Votre réponse\u00a0: Faux" in feedback


async def test_french_footer_key_names(store) -> None:
    app = make_app(store, lang="fr")
    async with app.run_test(size=(100, 24)) as pilot:
        await start(pilot, app, "card")
        assert (
            app.get_key_display(
                app.screen.query_one("#answer")._bindings.key_to_bindings["space"][0]
            )
            == "espace"
        )


# -- one vocabulary ----------------------------------------------------------------------------


async def test_missed_means_one_thing_in_summary_home_and_retry(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await start(pilot, app, "choice", "tf")
        await pilot.press("2")  # choice wrong (comes back)
        await pilot.pause()
        await pilot.press("enter", "f")  # tf wrong
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.current.question.id == "choice"
        await pilot.press("1", "enter")  # choice right this time
        await pilot.pause()
        assert screen.session.current.question.id == "tf"
        await pilot.press("escape", "y")  # leave while tf is still missed
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        missed = [r.item.question.id for r in app.screen.summary.missed]
        assert missed == ["tf"]
        text = str(app.screen.query_one("#summary-text", Static).render())
        assert "Missed at first, right later: 1" in text
        assert "Right at the first try: 0 of 2" in text
        states = store.states()
        from gmmp_quiz.store.state import is_missed

        store_missed = sorted(q for (s, q), st in states.items() if is_missed(st))
        assert store_missed == missed
        await pilot.press("r")
        await pilot.pause()
        assert [i.question.id for i in app.screen.session.items] == missed
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "1 missed" in str(
            app.screen.query_one("#sets", OptionList).get_option_at_index(0).prompt
        )


async def test_missed_cloze_shows_its_sentence_in_the_summary(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, app, "cloze")
        await pilot.press(*"Rome", "tab", *"July", "enter")
        await pilot.pause()
        await pilot.press("escape", "y")
        await pilot.pause()
        text = str(app.screen.query_one("#summary-text", Static).render())
        assert "Meeting in [Paris] in [June]." in text


async def test_mastered_is_explained_on_home(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        details = str(app.screen.query_one("#set-details", Static).render())
        assert "0 learning · 0 mastered" in details
        assert "Mastered: right, and spaced repetition expects you to remember it" in details


async def test_header_score_before_and_after_the_first_answer(store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, app, "choice", "tf")
        label = text_of(app, "#progress-label")
        assert label.endswith("Score    —") and "0%" not in label
        await pilot.press("1")
        await pilot.pause()
        assert text_of(app, "#progress-label").endswith("Score 100%")


# -- around the loop ---------------------------------------------------------------------------


def test_review_piped_prints_the_plain_list(quiz_home: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "gmmp_quiz", "review", "--lang", "en"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout + proc.stderr
    assert proc.stdout.strip() == "No missed questions: well done!"


def test_review_lists_a_missed_cloze_by_its_sentence(quiz_home: Path) -> None:
    questions = quiz_home / "questions"
    questions.mkdir(exist_ok=True)
    (questions / "all-types.yaml").write_bytes((DATA / "all-types.yaml").read_bytes())
    env = os.environ.copy()
    base = [sys.executable, "-m", "gmmp_quiz"]
    quiz = [*base, "quiz", "all-types", "--plain", "--seed", "1", "--no-requeue", "--lang", "en"]
    # Skip every question but the cloze, answered wrong.
    lines = []
    for _ in range(9):
        lines.append("Rome | July")
    proc = subprocess.run(
        quiz, input="\n".join(lines) + "\n", capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    review = subprocess.run(
        [*base, "review", "--plain", "--lang", "en"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert review.returncode == 0, review.stderr
    assert "Meeting in [Paris] in [June]." in review.stdout
    assert "Fill in the gaps." not in review.stdout


async def test_keys_before_settling_cannot_tab_into_the_answer(store, monkeypatch) -> None:
    monkeypatch.setattr(QuizScreen, "SETTLE_S", SETTLE)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app, "cloze")
        await pilot.press("tab", *"Paris", "tab", *"June")
        await pilot.pause()
        assert [box.value for box in screen.query("#answer Input")] == ["", ""]
        await pilot.pause(SETTLE + 0.2)
        await pilot.press(*"Paris", "tab", *"June", "enter")
        await pilot.pause()
        assert screen.answered and "✓ Right" in text_of(app, "#feedback")


# -- what imports bring: distractors and gaps with choices -----------------------------------


async def test_match_shows_its_distractor_and_marks_it_wrong(store) -> None:
    app = make_app(store, "offered")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app, "m")
        item = screen.session.current
        rights = item.question.match_rights
        shown = [rights[i].get("en") for i in item.right_order]
        assert sorted(shown) == ["France", "Morocco", "Spain"]
        spain = "abc"[shown.index("Spain")]
        morocco = "abc"[shown.index("Morocco")]
        await pilot.press("1", spain, "2", morocco, "enter")
        await pilot.pause()
        feedback = text_of(app, "#feedback")
        assert f"✗ 1. Zerouali → {spain}. Spain" in feedback
        assert f"should be: {morocco}. Morocco" in feedback
        assert last_outcome(store) == "wrong"


async def test_cloze_gap_with_choices_shows_them(store) -> None:
    app = make_app(store, "offered")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app, "c")
        offered = [str(w.render()) for w in screen.query(".gap-options").results(Static)]
        assert offered == ["one of: Lyon · Paris · Rome"]
        await pilot.press(*"Paris", "tab", *"Channel", "enter")
        await pilot.pause()
        assert last_outcome(store) == "correct"


def last_outcome(store: ProgressStore) -> str:
    return list(store.attempts())[-1].outcome


def test_plain_mode_offers_the_gap_choices_and_the_distractor(quiz_home: Path) -> None:
    questions = quiz_home / "questions"
    questions.mkdir(exist_ok=True)
    (questions / "offered.yaml").write_bytes((DATA / "offered.yaml").read_bytes())
    proc = subprocess.run(
        [sys.executable, "-m", "gmmp_quiz", "quiz", "dm", "--plain", "--seed", "1"],
        input="Paris | Channel\n",
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "  (1) one of: Lyon · Paris · Rome" in proc.stdout
    assert ". Spain" in proc.stdout


def test_a_flashcard_rated_again_reads_in_the_interface_language(quiz_home: Path) -> None:
    questions = quiz_home / "questions"
    questions.mkdir(exist_ok=True)
    (questions / "card.yaml").write_text(
        "id: card\ntitle: Card\nlanguage: en\nquestions:\n"
        "  - {id: c, type: flashcard, front: GMMP?, back: Permanent Mixed Migration Group}\n",
        encoding="utf-8",
    )
    env = os.environ.copy()
    base = [sys.executable, "-m", "gmmp_quiz"]
    quiz = [*base, "quiz", "card", "--plain", "--no-requeue"]
    # The card is flipped with Enter, then rated 1 (again).
    proc = subprocess.run(quiz, input="\n1\n", capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    review = subprocess.run(
        [*base, "review", "--plain", "--lang", "fr"], capture_output=True, text=True, env=env
    )
    assert "Votre réponse\u00a0: À revoir" in review.stdout
    assert "again" not in review.stdout


@pytest.mark.parametrize("key", ["t", "m", "a", "question_mark"])
async def test_a_key_right_after_quit_opens_nothing(store, key) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q", key)
        await pilot.pause()
    assert app.return_code in (0, None)


def test_prefs_read_only_from_a_small_regular_file(quiz_home: Path) -> None:
    from gmmp_quiz.ui.prefs import PREFS_MAX_BYTES, prefs_path, read_prefs

    path = prefs_path(quiz_home, "default")
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"theme": "textual-light"}', encoding="utf-8")
    assert read_prefs(quiz_home, "default") == {"theme": "textual-light"}
    path.write_text('{"theme": "' + "x" * PREFS_MAX_BYTES + '"}', encoding="utf-8")
    assert read_prefs(quiz_home, "default") == {}  # too large: not preferences
    path.unlink()
    os.mkfifo(path)  # a pipe is refused at once, never waited on
    assert read_prefs(quiz_home, "default") == {}

"""Pilot tests of the Add sets screen and of the form that writes a question into a set."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from textual.widgets import Checkbox, Input, OptionList, Select, Static, TextArea

from gmmp_quiz.sets.edit import append_question, plan_save, question_id, text_value
from gmmp_quiz.sets.loading import discover_sets, load_set
from gmmp_quiz.sets.validation import check_text
from gmmp_quiz.store.progress import ProgressStore
from gmmp_quiz.ui.app import QuizApp
from gmmp_quiz.ui.screens.add_sets import AddSetsScreen
from gmmp_quiz.ui.screens.confirm import ConfirmModal
from gmmp_quiz.ui.screens.home import HomeScreen
from gmmp_quiz.ui.screens.question_form import QuestionFormScreen, QuestionPreviewModal

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)

MY_SET = """\
# My own set: this comment must survive.
id: my-set
title: {fr: Ma série, en: My set}
language: fr
questions:
  # The first question.
  - id: capital
    type: short
    # A plain scalar ending in "?" in a flow map: libyaml reads it, PyYAML's Python parser not.
    prompt: {fr: Capitale du Maroc ?, en: Capital of Morocco?}
    answer: Rabat   # a trailing comment

  - id: seventh
    type: true_false
    prompt: C'était la septième réunion.
    answer: true
# the end
"""

BAD_SET = """\
id: broken
title: Broken
language: en
questions:
  - id: q1
    type: choise
    prompt: Which?
"""


@pytest.fixture
def store(quiz_home: Path):
    store = ProgressStore.open(quiz_home, backup=False)
    yield store
    store.close()


@pytest.fixture
def user_dir(quiz_home: Path) -> Path:
    directory = quiz_home / "questions"
    directory.mkdir()
    (directory / "my-set.yaml").write_text(MY_SET, encoding="utf-8")
    (directory / "broken.yaml").write_text(BAD_SET, encoding="utf-8")
    return directory


def make_app(store: ProgressStore, lang: str = "en") -> QuizApp:
    return QuizApp(
        discover_sets(), store, lang=lang, clock=lambda: NOW, seed=1, reload=lambda: discover_sets()
    )


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def option_ids(screen) -> list[str]:
    sets = screen.query_one("#user-sets", OptionList)
    return [sets.get_option_at_index(i).id for i in range(sets.option_count)]


async def open_add_sets(pilot, app: QuizApp) -> AddSetsScreen:
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(app.screen, AddSetsScreen)
    return app.screen


async def highlight(pilot, screen: AddSetsScreen, option_id: str) -> None:
    screen.query_one("#user-sets", OptionList).highlighted = option_ids(screen).index(option_id)
    await pilot.pause()


# -- the Add sets screen -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_lists_valid_and_invalid_user_sets(store, user_dir: Path, lang: str) -> None:
    app = make_app(store, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_add_sets(pilot, app)
        ids = option_ids(screen)
        # Shipped sets are not the user's: only the two files of the questions folder.
        assert ids == ["set:my-set", f"err:{user_dir / 'broken.yaml'}"]
        details = text_of(screen, "#user-set-status")
        assert ("My set" if lang == "en" else "Ma série") in details
        assert "2 questions" in details
        await highlight(pilot, screen, ids[1])
        details = text_of(screen, "#user-set-status")
        assert "broken.yaml:6:11: unknown question type 'choise'" in details
        assert ("1 problem(s)" if lang == "en" else "1 problème(s)") in details


async def test_import_gift_by_path(store, user_dir: Path, monkeypatch) -> None:
    monkeypatch.chdir(DATA / "formats")  # a short relative path to type
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_add_sets(pilot, app)
        await pilot.press("i")
        await pilot.press(*"all_features.gift", "enter")
        await pilot.pause()
        dest = user_dir / "all-features.yaml"
        assert dest.is_file()
        qset = app.discovery.get("all-features")
        assert qset is not None and not qset.shipped
        assert len(qset.questions) == len(load_set(dest, use_cache=False).questions)
        message = text_of(app.screen, "#addsets-message-text")
        assert "questions imported, 1 skipped (gift)" in message
        assert "a description (no answer in braces): not a question, skipped" in message
        assert app.screen.query_one("#user-sets", OptionList).highlighted == 0
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "all-features" in [s.id for s in app.screen.sets]


async def test_import_bad_file_shows_errors_and_writes_nothing(store, user_dir: Path) -> None:
    before = sorted(p.name for p in user_dir.iterdir())
    app = make_app(store, "fr")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_add_sets(pilot, app)
        assert not screen.query_one("#addsets-message").display
        screen.query_one("#import-path", Input).value = str(
            DATA / "formats" / "bad_match.gift"  # its one question is malformed
        )
        screen.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        message = text_of(screen, "#addsets-message-text")
        assert "Rien n’a été importé" in message
        assert "bad_match.gift:1:" in message
        assert screen.query_one("#addsets-message").display
        await pilot.press("ctrl+a", "ctrl+k", *"/no/such/file.gift", "enter")
        await pilot.pause()
        assert "cannot read" in text_of(screen, "#addsets-message-text")
    assert sorted(p.name for p in user_dir.iterdir()) == before
    assert app.discovery.get("bad_match") is None


async def test_import_refuses_a_shipped_set_id(store, user_dir: Path, tmp_path: Path) -> None:
    clash = tmp_path / "gmmp-2025.gift"
    clash.write_text("Capital of Italy? {=Rome}\n", encoding="utf-8")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_add_sets(pilot, app)
        assert screen.import_path(str(clash)) is False
        assert "already used by" in text_of(screen, "#addsets-message-text")
    assert not (user_dir / "gmmp-2025.yaml").exists()


async def test_create_set(store, user_dir: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_add_sets(pilot, app)
        await pilot.press("n", *"bad id", "enter", *"Title", "enter")
        await pilot.pause()
        assert "is not a valid id" in text_of(screen, "#addsets-message-text")
        assert not (user_dir / "bad id.yaml").exists()
        screen.query_one("#new-id", Input).value = ""
        screen.query_one("#new-title", Input).value = ""
        screen.query_one("#user-sets", OptionList).focus()
        await pilot.press("n", *"capitals", "enter", *"Capitals: no", "enter")
        await pilot.pause()
        created = user_dir / "capitals.yaml"
        assert created.is_file()
        qset = load_set(created, use_cache=False)
        assert qset.title.get() == "Capitals: no"
        assert len(qset.questions) == 9
        assert (user_dir / "question-set.schema.json").is_file()
        assert app.discovery.get("capitals") is not None
        assert "set:capitals" in option_ids(screen)
        # Not twice: the file is there now.
        assert screen.create_set("capitals", "") is False
        assert "already used" in text_of(screen, "#addsets-message-text")


async def test_reload_and_watch_pick_up_files_written_on_disk(store, user_dir: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_add_sets(pilot, app)
        (user_dir / "later.yaml").write_text(MY_SET.replace("my-set", "later"), encoding="utf-8")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "set:later" in option_ids(screen)
        assert app.discovery.get("later") is not None
        # Watching: a file fixed on disk is picked up by the next poll (no key pressed).
        (user_dir / "broken.yaml").write_text(MY_SET.replace("my-set", "fixed"), encoding="utf-8")
        screen._poll()
        await pilot.pause()
        assert app.discovery.errors == {}
        assert option_ids(screen) == ["set:fixed", "set:later", "set:my-set"]


# -- the question form ---------------------------------------------------------------------------


async def open_form(pilot, app: QuizApp) -> QuestionFormScreen:
    screen = await open_add_sets(pilot, app)
    await highlight(pilot, screen, "set:my-set")
    await pilot.press("w")
    await pilot.pause()
    assert isinstance(app.screen, QuestionFormScreen)
    return app.screen


def fill(form: QuestionFormScreen, **values: str) -> None:
    for widget_id, value in values.items():
        widget = form.query_one(f"#{widget_id.replace('_', '-')}")
        if isinstance(widget, TextArea):
            widget.text = value
        else:
            widget.value = value  # type: ignore[attr-defined]


async def test_form_short_question_with_preview_and_save(store, user_dir: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app)
        assert form.query_one("#qf-type", Select).value == "short"
        form.query_one("#prompt-fr", Input).focus()
        await pilot.press(*"Qui a co-présidé ?")
        fill(
            form,
            prompt_en="Who co-chaired?",
            answer_fr="Frédéric Joram",
            alternatives="Joram | F. Joram",
            explanation_fr="Le directeur de l'immigration.",
            tags="people, gmmp",
        )
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, QuestionPreviewModal)
        assert "Who co-chaired?" in text_of(app.screen, "#qf-preview-prompt")
        assert app.screen.query_one("#answer", Input)
        await pilot.press(*"joram", "enter")
        await pilot.pause()
        assert "Right" in text_of(app.screen, "#qf-preview-feedback")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert "Qui a co-présidé ?" in text_of(app.screen, "#qf-preview-prompt")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AddSetsScreen)
        text = (user_dir / "my-set.yaml").read_text(encoding="utf-8")
        assert text.startswith(MY_SET)  # every comment and line of the file kept
        data = check_text(text)
        added = data["questions"][-1]
        assert added["id"] == "qui-a-co-preside"
        assert added["prompt"] == {"fr": "Qui a co-présidé ?", "en": "Who co-chaired?"}
        assert added["answer"] == {"fr": "Frédéric Joram"}
        assert added["alternatives"] == ["Joram", "F. Joram"]
        assert added["tags"] == ["people", "gmmp"]
        qset = app.discovery.get("my-set")
        assert qset is not None and qset.question_ids()[-1] == "qui-a-co-preside"


async def test_form_choice_question_fr_en(store, user_dir: Path) -> None:
    app = make_app(store, "fr")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app)
        form.query_one("#qf-type", Select).value = "choice"
        await pilot.pause()
        assert form.query_one("#g-choices").display
        assert not form.query_one("#g-answer").display
        fill(
            form,
            prompt_fr="Dans quelle ville ?",
            prompt_en="In which city?",
            choices_fr="* Paris\nRabat\nTanger\n",
            choices_en="Paris\nRabat\nTangier",
            qf_id="meeting-city",
        )
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, QuestionPreviewModal)
        assert "Dans quelle ville ?" in text_of(app.screen, "#qf-preview-prompt")
        answer = app.screen.query_one("#answer", OptionList)
        shown = [str(answer.get_option_at_index(i).prompt) for i in range(answer.option_count)]
        assert sorted(s.split(". ", 1)[1] for s in shown) == ["Paris", "Rabat", "Tanger"]
        await pilot.press("escape", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AddSetsScreen)
    text = (user_dir / "my-set.yaml").read_text(encoding="utf-8")
    assert text.startswith(MY_SET)
    added = check_text(text)["questions"][-1]
    assert added["id"] == "meeting-city"
    assert [c["text"] for c in added["choices"]] == [
        {"fr": "Paris"},
        {"fr": "Rabat"},
        {"fr": "Tanger", "en": "Tangier"},
    ]
    assert [c["correct"] for c in added["choices"]] == [True, False, False]


@pytest.mark.parametrize(
    ("kind", "values", "message"),
    [
        ("short", {"answer_fr": "Rabat"}, "“Prompt” is required."),
        ("choice", {"prompt_fr": "Which?", "choices_fr": "a\nb"}, "Mark the right choice with *"),
        ("choice", {"prompt_fr": "Which?", "choices_fr": "*a"}, "at least 2 choices"),
        ("numeric", {"prompt_fr": "When?", "number": "soon"}, "“soon” is not a number."),
        ("cloze", {"cloze_fr": "No gap here"}, "The text has no gap"),
        ("match", {"prompt_fr": "Match", "pairs_fr": "a -> 1\nb 2"}, "Pairs, line 2"),
        (
            "order",
            {"prompt_fr": "Order", "items_fr": "a\nb\nc", "items_en": "a\nb"},
            "FR and EN need the same number of lines",
        ),
        ("short", {"prompt_fr": "Q", "answer_fr": "A", "qf_id": "capital"}, "already used"),
        ("short", {"prompt_fr": "Q", "answer_fr": "A", "qf_id": "a b"}, "not a valid id"),
        ("short", {"prompt_fr": "Q", "answer_fr": "no\x07"}, "control character"),
    ],
)
async def test_form_invalid_input_writes_nothing(
    store, user_dir: Path, kind: str, values: dict[str, str], message: str
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app)
        form.query_one("#qf-type", Select).value = kind
        await pilot.pause()
        fill(form, **values)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#qf-message").display
        assert message in text_of(form, "#qf-message")
    assert (user_dir / "my-set.yaml").read_text(encoding="utf-8") == MY_SET


async def test_form_all_other_types_save(store, user_dir: Path) -> None:
    cases = {
        "flashcard": {"front_fr": "GMMP ?", "back_fr": "Groupe migratoire mixte permanent"},
        "multi": {"prompt_fr": "Lesquels ?", "choices_fr": "*a\nb\n*c"},
        "true_false": {"prompt_fr": "Vrai ?"},
        "numeric": {"prompt_fr": "Année ?", "number": "2 025", "tolerance": "1", "unit_fr": "an"},
        "cloze": {"cloze_fr": "À {{Paris|paris}} en {{juin}}.", "cloze_en": "In {{Paris}}."},
        "order": {"prompt_fr": "Ordre", "items_fr": "un\ndeux\ntrois"},
        "match": {
            "prompt_fr": "Associez",
            "pairs_fr": "a -> 1\nb -> 2",
            "pairs_en": "A -> 1\nB->2",
        },
    }
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        for kind, values in cases.items():
            form = await open_form(pilot, app)
            form.query_one("#qf-type", Select).value = kind
            await pilot.pause()
            fill(form, **values)
            if kind == "true_false":
                form.query_one("#truth", Checkbox).value = False
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, AddSetsScreen), kind
    data = check_text((user_dir / "my-set.yaml").read_text(encoding="utf-8"))
    added = {q["type"]: q for q in data["questions"][2:]}
    assert set(added) == set(cases)
    assert added["numeric"]["answer"] == 2025 and added["numeric"]["tolerance"] == 1
    assert added["true_false"]["answer"] is False
    assert added["match"]["pairs"][1] == {"left": {"fr": "b", "en": "B"}, "right": {"fr": "2"}}


# -- saving without the UI -------------------------------------------------------------------------


def test_question_id_is_a_unique_slug() -> None:
    question = {"prompt": {"fr": "Où était la réunion ?", "en": "Where?"}}
    assert question_id(question, set()) == "ou-etait-la-reunion"
    assert question_id(question, {"ou-etait-la-reunion"}) == "ou-etait-la-reunion-2"
    assert question_id({"text": "{{?}}"}, set()) == "question"


def test_text_value_single_language_or_map() -> None:
    assert text_value({"fr": "Oui", "en": " "}, "fr") == "Oui"
    assert text_value({"fr": "Oui", "en": ""}, "en") == {"fr": "Oui"}
    assert text_value({"fr": "Oui", "en": "Yes"}, "fr") == {"fr": "Oui", "en": "Yes"}
    assert text_value({"fr": "", "en": ""}, "fr") is None


NEW = {"id": "new", "type": "short", "prompt": "Multi\nline: yes", "answer": "no"}


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_append_keeps_an_indentless_list_and_line_ends(newline: str) -> None:
    text = "id: s\ntitle: S\nlanguage: en\nquestions:\n- id: a   # keep me\n  type: true_false\n"
    text += "  prompt: P\n  answer: true\n"
    text = text.replace("\n", newline)
    plan = plan_save(text, "s.yaml", NEW)
    assert plan.kept and plan.text.startswith(text)
    assert "\n" not in plan.text.replace("\r\n", "") if newline == "\r\n" else True
    data = check_text(plan.text)
    assert data["questions"][-1]["prompt"] == {"en": "Multi\nline: yes"}


def test_append_falls_back_to_a_redump_when_questions_is_not_last() -> None:
    text = "id: s\ntitle: S\nlanguage: en\nquestions: [{id: a, type: true_false, prompt: P, "
    text += "answer: true}]\ntags: [x]\n"
    assert append_question(text, NEW) is None
    plan = plan_save(text, "s.yaml", NEW)
    assert not plan.kept
    data = check_text(plan.text)
    assert [q["id"] for q in data["questions"]] == ["a", "new"]
    assert data["tags"] == ["x"]


async def test_redump_backs_up_the_file(store, user_dir: Path, quiz_home: Path) -> None:
    path = user_dir / "my-set.yaml"
    path.write_text(MY_SET.replace("questions:", "tags: [t]\nquestions:", 1) + "options: {}\n")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app)
        fill(form, prompt_fr="Q ?", answer_fr="R")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AddSetsScreen)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["questions"][-1]["id"] == "q"
    assert list((quiz_home / "backups").glob("my-set.*.yaml"))


async def test_import_again_replaces_with_a_backup(store, user_dir: Path, quiz_home: Path) -> None:
    app = make_app(store)
    gift = DATA / "formats" / "all_features.gift"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_add_sets(pilot, app)
        assert screen.import_path(str(gift))
        assert screen.import_path(str(gift))
        assert "backed up" in text_of(screen, "#addsets-message-text")
    assert list((quiz_home / "backups").glob("all-features.*.yaml"))
    assert [p.name for p in user_dir.glob("all-features*")] == ["all-features.yaml"]


async def test_write_needs_a_valid_set_and_escape_cancels(store, user_dir: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_add_sets(pilot, app)
        await highlight(pilot, screen, f"err:{user_dir / 'broken.yaml'}")
        await pilot.press("w")
        await pilot.pause()
        assert app.screen is screen
        form = await open_form(pilot, app)
        await pilot.press("escape")  # nothing typed: leaves at once
        await pilot.pause()
        assert app.screen is screen
        form = await open_form(pilot, app)
        fill(form, prompt_fr="Q ?", answer_fr="R")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form
        await pilot.press("escape", "y")
        await pilot.pause()
        assert app.screen is screen
        # Escape in a text box goes back to the list; from the list, home.
        await pilot.press("i")
        assert isinstance(screen.focused, Input)
        await pilot.press("escape")
        assert isinstance(screen.focused, OptionList)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert (user_dir / "my-set.yaml").read_text(encoding="utf-8") == MY_SET


def test_append_to_the_template_keeps_it_and_its_blank_lines() -> None:
    from gmmp_quiz.sets.templates import template_text

    text = template_text("mine", "Mine")
    plan = plan_save(text, "mine.yaml", NEW)
    assert plan.kept
    assert plan.text.startswith(text + "\n  - id: new\n    type: short\n")
    assert check_text(plan.text)["questions"][-1]["id"] == "new"


def test_append_without_a_final_newline() -> None:
    text = "id: s\ntitle: S\nlanguage: en\nquestions:\n    - id: a\n      type: true_false\n"
    text += "      prompt: P\n      answer: true"
    plan = plan_save(text, "s.yaml", NEW)
    assert plan.kept and plan.text.startswith(text + "\n    - id: new\n")
    assert [q["id"] for q in check_text(plan.text)["questions"]] == ["a", "new"]


EN_SET = """\
id: en-set
title: My English set
language: en
questions:
  - id: capital
    type: short
    prompt: What is the capital of Morocco?
    answer: Rabat
"""


async def test_form_writes_texts_under_the_sets_language(store, user_dir: Path) -> None:
    (user_dir / "en-set.yaml").write_text(EN_SET, encoding="utf-8")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_add_sets(pilot, app)
        await highlight(pilot, screen, "set:en-set")
        await pilot.press("w")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, QuestionFormScreen)
        # The set's language comes first, the other one is optional.
        boxes = [w.id for w in form.query("#g-prompt Input")]
        assert boxes == ["prompt-en", "prompt-fr"]
        assert "EN first" in text_of(form, "#qf-lang-hint")
        form.query_one("#prompt-en", Input).focus()
        await pilot.press(*"What is the capital of France?")
        fill(form, answer_en="Paris")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, QuestionFormScreen)
    text = (user_dir / "en-set.yaml").read_text(encoding="utf-8")
    added = check_text(text)["questions"][-1]
    assert added["prompt"] == {"en": "What is the capital of France?"}
    assert added["answer"] == {"en": "Paris"}
    assert "fr:" not in text  # nothing filed under French


async def test_form_error_clears_once_fixed_and_focus_stays(store, user_dir: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app)
        form.query_one("#prompt-fr", Input).focus()
        await pilot.press(*"Qui ?")
        await pilot.press("ctrl+s")  # no answer yet: refused
        await pilot.pause()
        assert app.screen is form and form.query_one("#qf-message").display
        assert isinstance(form.focused, Input) and form.focused.id == "prompt-fr"
        await pilot.press("!")  # typing still goes to the field
        await pilot.pause()
        assert form.query_one("#prompt-fr", Input).value == "Qui ?!"
        assert form.query_one("#qf-message").display  # still no answer: still said
        form.query_one("#answer-fr", Input).focus()
        await pilot.press(*"Joram")
        await pilot.pause()
        assert not form.query_one("#qf-message").display  # fixed: the error is gone

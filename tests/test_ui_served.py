"""The app as served to a browser tab: the profile picker, a profile open elsewhere, links."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, OptionList, Static

from gmmp_quiz.store.progress import ProgressStore
from gmmp_quiz.ui.screens.home import HomeScreen
from gmmp_quiz.ui.screens.profiles import ProfileBusyScreen, ProfilePickerScreen
from gmmp_quiz.ui.served import ServedApp, known_profiles

SETS = Path(__file__).parent / "data" / "ui"


async def until(pilot, condition: Callable[[], bool]) -> None:
    """Let the app run until `condition` holds (the loader works in a thread)."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never got there")


def on_picker(app: App) -> bool:
    """The picker is shown and ready for keys (its list or field has the focus)."""
    focused = app.focused
    return (
        isinstance(app.screen, ProfilePickerScreen)
        and focused is not None
        and (focused.screen is app.screen)
    )


def make_app(home: Path, profile: str | None, lang: str = "en") -> ServedApp:
    return ServedApp(profile=profile, lang=lang, dirs=[SETS], home=home)


def shown(app: App) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def make_profile(home: Path, name: str) -> None:
    ProgressStore.open(home, name, backup=False).close()


async def test_picker_lists_profiles_and_creates_one(quiz_home: Path) -> None:
    for name in ("zoe", "Amir", "bob"):
        make_profile(quiz_home, name)
    (quiz_home / "progress" / "not a profile").mkdir()
    assert known_profiles(quiz_home) == ["Amir", "bob", "zoe"]
    app = make_app(quiz_home, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: on_picker(app))
        listing = app.screen.query_one("#profiles-list", OptionList)
        assert [listing.get_option_at_index(i).id for i in range(3)] == ["Amir", "bob", "zoe"]
        assert not app.ready  # nothing is opened before a learner says who they are
        await pilot.press("tab", *"new_one", "enter")
        await until(pilot, lambda: app.ready)
        assert isinstance(app.screen, HomeScreen)
        assert app.store.profile == "new_one"
        assert "Every type [bold]x[/]" in [s.title.get("en") for s in app.discovery.sets]
    assert (quiz_home / "progress" / "new_one").is_dir()


async def test_picker_refuses_bad_names_in_french(quiz_home: Path) -> None:
    app = make_app(quiz_home, None, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Aucun profil" in shown(app))
        assert "Aucun profil pour l’instant" in shown(app)
        assert app.screen.query_one("#profiles-new", Input).has_focus
        for bad in ("../x", "a b", "-x"):
            app.screen.query_one("#profiles-new", Input).value = ""
            await pilot.press(*bad, "enter")
            await pilot.pause()
            assert isinstance(app.screen, ProfilePickerScreen)
            assert f"«\u202f{bad}\u202f» ne convient pas" in shown(app)
        assert not (quiz_home / "progress").exists() or known_profiles(quiz_home) == []


async def test_picked_profile_open_elsewhere_then_another(quiz_home: Path) -> None:
    make_profile(quiz_home, "bob")
    held = ProgressStore.open(quiz_home, "alice", backup=False)
    try:
        app = make_app(quiz_home, None)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: on_picker(app))
            await pilot.press("enter")  # alice, the first
            await until(pilot, lambda: "“alice” is open in another tab or terminal" in shown(app))
            assert isinstance(app.screen, ProfileBusyScreen)
            assert "Escape: choose another profile." in shown(app)
            await pilot.press("escape")
            await until(pilot, lambda: on_picker(app))
            await pilot.press("enter")  # alice again: told again
            await until(pilot, lambda: "“alice” is open" in shown(app))
            await pilot.press("escape")
            await until(pilot, lambda: on_picker(app))
            await pilot.press("down", "enter")
            await until(pilot, lambda: app.ready)
            assert app.store.profile == "bob"
            assert isinstance(app.screen, HomeScreen)
    finally:
        held.close()


async def test_tab_waits_for_its_profile_and_then_carries_on(quiz_home: Path) -> None:
    held = ProgressStore.open(quiz_home, "default", backup=False)
    app = make_app(quiz_home, "default")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "“default” is open in another tab" in shown(app))
        assert isinstance(app.screen, ProfileBusyScreen)
        assert "Escape" not in shown(app)  # no picker to go back to
        await pilot.press("escape")
        assert isinstance(app.screen, ProfileBusyScreen)
        held.close()
        await until(pilot, lambda: app.ready and isinstance(app.screen, HomeScreen))
        await until(pilot, lambda: bool(app.screen.query("#set-details")))
        assert app.store.profile == "default"
        sets = app.screen.query_one("#sets", OptionList)
        assert sets.option_count == len(app.discovery.sets) >= 2
        # The tab now holds the profile: a terminal on it is refused, as between terminals.
        with pytest.raises(Exception, match="already open"):
            ProgressStore.open(quiz_home, "default", backup=False)
    app.close_opened_store()
    ProgressStore.open(quiz_home, "default", backup=False).close()


async def test_a_profile_that_cannot_be_opened_is_said_in_the_page(quiz_home: Path) -> None:
    # A store written by a newer gmmp-quiz: refused (the terminal prints it and exits).
    make_profile(quiz_home, "newer")
    state = quiz_home / "progress" / "newer" / "state.json"
    state.write_text('{"meta": {"store": {"schema": 999}}}', encoding="utf-8")
    app = make_app(quiz_home, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: on_picker(app))
        await pilot.press("enter")
        await until(pilot, lambda: "cannot be opened" in shown(app))
        assert "“newer” cannot be opened: the progress store" in shown(app)
        assert isinstance(app.screen, ProfilePickerScreen)
        assert not app.ready and app.return_code is None


async def test_links_open_in_a_new_tab_and_scripts_do_not(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str, bool]] = []
    monkeypatch.setattr(
        App, "open_url", lambda self, url, *, new_tab=True: opened.append((url, new_tab))
    )
    app = make_app(quiz_home, "default")
    for url in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "file:///etc"):
        app.open_url(url, new_tab=False)
    app.open_url("https://example.org/a", new_tab=False)
    app.open_url("mailto:x@example.org")
    assert opened == [("https://example.org/a", True), ("mailto:x@example.org", True)]

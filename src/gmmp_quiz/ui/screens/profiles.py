"""The screens of a served app about profiles: pick or create one, and a profile open elsewhere."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from gmmp_quiz.i18n import t
from gmmp_quiz.paths import PROFILE_RE
from gmmp_quiz.ui.localize import LocalizedScreen
from gmmp_quiz.ui.widgets.footer import KeyFooter


class ProfilePickerScreen(LocalizedScreen[str]):
    """The first screen of `serve --profiles`: each learner picks or creates their profile.

    Dismisses with the profile's name; a new name is checked as `--profile` checks it.
    """

    def __init__(self, lang: str, profiles: Sequence[str], note: str | None = None) -> None:
        super().__init__()
        self.lang = lang
        self.profiles = list(profiles)
        self.note = note
        """Why the picker is shown again (the profile chosen could not be opened), if it is."""

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header(show_clock=False, icon="?")
        with Vertical(id="profiles-box"):
            intro = "profiles_pick" if self.profiles else "profiles_none"
            yield Static(Content(t(intro, self.lang)), id="profiles-intro")
            options = [Option(Content(name), id=name) for name in self.profiles]
            yield OptionList(*options, id="profiles-list", markup=False)
            yield Input(placeholder=t("profiles_new", self.lang), id="profiles-new", max_length=64)
            yield Static(id="profiles-message")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Title, focus, and the note if there is one."""
        self.title = t("profiles_title", self.lang)
        listing = self.query_one("#profiles-list", OptionList)
        listing.display = bool(self.profiles)
        if self.note is not None:
            self.show_message(self.note)
        (listing if self.profiles else self.query_one("#profiles-new", Input)).focus()

    def show_message(self, text: str) -> None:
        """Say what is wrong (a name refused, a profile that could not be opened)."""
        self.query_one("#profiles-message", Static).update(Content.styled(text, "$text-error"))

    @on(OptionList.OptionSelected, "#profiles-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(event.option.id)

    @on(Input.Submitted, "#profiles-new")
    def _created(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if PROFILE_RE.fullmatch(name):
            self.dismiss(name)
        elif name:
            self.show_message(t("profiles_bad_name", self.lang, name=name))


class ProfileBusyScreen(ModalScreen[None], LocalizedScreen[None]):
    """Says that the profile is open in another tab or terminal, until it is closed there.

    The app takes it away once the profile could be opened; with a picker, Escape goes back to
    it to choose another profile.
    """

    BINDINGS = [
        Binding("escape", "choose", "Choose profile", show=True, id="profile_busy.choose_profile")
    ]

    def __init__(self, message: str, lang: str, *, can_pick: bool) -> None:
        super().__init__()
        self.message = message
        self.lang = lang
        self.can_pick = can_pick

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with Vertical(id="profile-busy-box"):
            yield Static(Content(self.message), id="profile-busy-message")
            if self.can_pick:
                yield Static(
                    Content.styled(t("profile_busy_pick", self.lang), "$text-muted"),
                    id="profile-busy-hint",
                )
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape only where there is a picker to go back to."""
        return self.can_pick if action == "choose" else True

    def action_choose(self) -> None:
        """Back to the picker."""
        self.dismiss(None)

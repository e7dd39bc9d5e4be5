"""The app as `gmmp-quiz serve` runs it for each browser tab: `python -m gmmp_quiz.ui.served`.

textual-serve starts one such process per tab. The profile is opened as in the terminal, with
its lock, so two tabs never write to one profile; but a tab whose profile is open elsewhere
says so and waits for it rather than closing, and with `--profiles` each learner first picks
or creates a profile.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from textual import on
from textual.message import Message
from textual.worker import get_current_worker

from gmmp_quiz import paths
from gmmp_quiz.errors import QuizError
from gmmp_quiz.i18n import detect_lang, t
from gmmp_quiz.ui.app import QuizApp
from gmmp_quiz.ui.screens.profiles import ProfileBusyScreen, ProfilePickerScreen

if TYPE_CHECKING:
    from gmmp_quiz.sets.loading import Discovery
    from gmmp_quiz.store.progress import ProgressStore

# How often a tab waiting for a profile open elsewhere tries it again; also how long the
# loader thread may take to notice that its tab was closed.
RETRY_SECONDS = 0.5
# Only these open from the page (in a new tab): a `javascript:` URL would run in the page.
SAFE_SCHEMES = ("http", "https", "mailto")
# Why the loader gave up when the tab went away while it waited (nothing to report then).
CLOSED = "the page was closed before its profile could be opened"


def known_profiles(home: Path) -> list[str]:
    """The profiles that have a progress store under `home`, by name."""
    from gmmp_quiz.store.progress import profile_dir

    root = profile_dir(home, "x").parent
    try:
        names = [p.name for p in root.iterdir() if p.is_dir()]
    except OSError:
        return []
    return sorted((n for n in names if paths.PROFILE_RE.fullmatch(n)), key=str.casefold)


class ServedApp(QuizApp):
    """QuizApp in a browser tab: waits for a profile open elsewhere, and can pick a profile."""

    CSS_PATH = "served.tcss"

    @dataclass
    class ProfileBusy(Message):
        """Posted by the loader thread: the profile is open in another tab or terminal."""

        profile: str

    @dataclass
    class ProfileFailed(Message):
        """Posted by the loader thread: the profile cannot be opened (damaged, newer...)."""

        profile: str
        error: str

    def __init__(
        self,
        *,
        profile: str | None,
        lang: str,
        dirs: Sequence[Path] = (),
        home: Path | None = None,
    ) -> None:
        self.home = home if home is not None else paths.home_dir()
        self.pick = profile is None
        """Whether each learner picks a profile on the first screen (`serve --profiles`)."""
        self._wanted = profile
        self._changed = threading.Event()

        def discover() -> Discovery:
            from gmmp_quiz.sets.loading import discover_sets

            return discover_sets(list(dirs))

        super().__init__(
            None,
            None,
            lang=lang,
            reload=discover,
            open_store=self._open_profile,
            prefs_at=None if profile is None else (self.home, profile),
        )

    def on_mount(self) -> None:
        """With a picker, it comes first (QuizApp's own mount handler runs after this one)."""
        if self.pick:
            self._show_picker()

    def _show_picker(self, note: str | None = None) -> None:
        picker = ProfilePickerScreen(self.lang, known_profiles(self.home), note)
        self.push_screen(picker, self._want)

    def _want(self, profile: str | None) -> None:
        self._wanted = profile
        self._changed.set()

    # -- in the loader thread ----------------------------------------------------------------
    def _open_profile(self) -> ProgressStore:
        """Open the profile wanted, once there is one and no other process holds it."""
        from gmmp_quiz.store.progress import ProgressStore, StoreLockedError

        worker = get_current_worker()
        told: str | None = None
        while not worker.is_cancelled:
            self._changed.clear()  # before reading: a change made after it wakes the wait
            profile = self._wanted
            if profile is None:
                told = None  # the picker is shown: a profile picked again is told again
            else:
                try:
                    return ProgressStore.open(self.home, profile)
                except StoreLockedError:
                    if told != profile:
                        told = profile
                        self.post_message(self.ProfileBusy(profile))
                except QuizError as exc:
                    # Said in the page (the terminal would print it and end); then nothing
                    # is wanted until the picker, if there is one, names another profile.
                    told = None
                    self._wanted = None
                    self.post_message(self.ProfileFailed(profile, str(exc)))
            self._changed.wait(RETRY_SECONDS)
        raise QuizError(CLOSED)

    # -- messages from it ----------------------------------------------------------------------
    @on(ProfileBusy)
    def _busy(self, message: ProfileBusy) -> None:
        if isinstance(self.screen, ProfileBusyScreen):
            self.pop_screen()
        text = t("profile_busy", self.lang, name=message.profile)
        self.push_screen(ProfileBusyScreen(text, self.lang, can_pick=self.pick), self._unbusy)

    def _unbusy(self, _: None) -> None:
        # Escape on the busy screen: another profile, unless the wait ended meanwhile.
        if not self.ready:
            self._want(None)
            self._show_picker()

    @on(ProfileFailed)
    def _failed(self, message: ProfileFailed) -> None:
        error = t("profile_failed", self.lang, name=message.profile, error=message.error)
        if self.pick:
            self._show_picker(error)
        else:
            self.push_screen(ProfileBusyScreen(error, self.lang, can_pick=False))

    @on(QuizApp.Loaded)
    def _profile_opened(self, message: QuizApp.Loaded) -> None:
        # QuizApp's own handler runs next and fills in the home screen below; the busy
        # screen goes once it has (home, shown again, expects its sets to be there).
        self.sub_title = message.store.profile
        self.call_later(self._drop_busy)

    def _drop_busy(self) -> None:
        if isinstance(self.screen, ProfileBusyScreen):
            self.pop_screen()

    # -- the page ------------------------------------------------------------------------------
    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Open a web link in a new tab of the browser; anything else is not opened."""
        if urlsplit(url.strip()).scheme.lower() in SAFE_SCHEMES:
            super().open_url(url, new_tab=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app for one browser tab; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m gmmp_quiz.ui.served")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--profile", default="default")
    who.add_argument("--profiles", action="store_true", help="pick a profile on the first screen")
    parser.add_argument("--lang", choices=["fr", "en"])
    parser.add_argument("--questions", action="append", default=[], metavar="DIR")
    args = parser.parse_args(argv)
    app = ServedApp(
        profile=None if args.profiles else args.profile,
        lang=detect_lang(args.lang),
        dirs=[Path(d) for d in args.questions],
    )
    try:
        app.run()
    finally:
        app.close_opened_store()
    if app.load_error == CLOSED:
        return 0
    if app.load_error is not None:
        print(f"gmmp-quiz: {app.load_error}", file=sys.stderr)
        return 1
    for warning in app.store_warnings:
        print(f"gmmp-quiz: {warning}", file=sys.stderr)
    code: Any = app.return_code
    return int(code or 0)


if __name__ == "__main__":
    raise SystemExit(main())

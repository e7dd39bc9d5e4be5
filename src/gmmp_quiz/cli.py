"""The `gmmp-quiz` command line: parses arguments, calls the core, starts the app or a command."""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gmmp_quiz import __version__
from gmmp_quiz.commands import (
    HelpFormatter,
    common_options,
    extra_dirs,
    interface_lang,
    profile_name,
)
from gmmp_quiz.errors import QuizError
from gmmp_quiz.i18n import _, current_lang, detect_lang, use_lang

if TYPE_CHECKING:
    from gmmp_quiz.sets.loading import Discovery
    from gmmp_quiz.store.progress import ProgressStore

# Each module exposes `register(subparsers)`; imported here so `--help` lists every subcommand.
COMMAND_MODULES = (
    "gmmp_quiz.commands.sets",
    "gmmp_quiz.commands.quiz",
    "gmmp_quiz.commands.progress",
    "gmmp_quiz.commands.review",
    "gmmp_quiz.commands.authoring",
    "gmmp_quiz.commands.settings",
    "gmmp_quiz.commands.serve",
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit with status 2 and a one-line hint."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its subparsers (`progress export`...) are of this class too, and take the formatter.
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, _("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})


def _app_only(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options when `argv` only opens the app (no subcommand, no help), else None.

    Opening the app is the common case: it then skips importing every subcommand's module.
    """
    if any(arg in ("-h", "--help", "--version") for arg in argv):
        return None
    quick = _QuietParser(prog="gmmp-quiz", add_help=False, parents=[common_options()])
    try:
        args, rest = quick.parse_known_args(argv)
    except _NotQuick:
        return None  # the full parser says what is wrong
    return None if rest else args


class _NotQuick(Exception):
    """The quick parse failed: leave the message to the full parser."""


class _QuietParser(argparse.ArgumentParser):
    """A parser that raises instead of printing, for the quick look at the arguments."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _NotQuick(message)


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every subcommand that is installed."""
    parser = _Parser(
        prog="gmmp-quiz",
        description=_("Quiz yourself in the terminal. With no subcommand, opens the app."),
        parents=[common_options()],
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"gmmp-quiz {__version__}",
        help=_("show the version and exit"),
    )
    subparsers = parser.add_subparsers(
        title=_("subcommands"), metavar="COMMAND", parser_class=_Parser
    )
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def run_home(args: argparse.Namespace) -> int:
    """Open the app on the home screen: painted first, the store and the sets loaded right after."""
    from gmmp_quiz import paths
    from gmmp_quiz.glance import glance_path, read_glance
    from gmmp_quiz.sets.listing import listing_path, read_listing, save_listing
    from gmmp_quiz.ui.app import QuizApp

    profile = profile_name(args)
    dirs = extra_dirs(args)
    lang = interface_lang(args)
    set_dirs = paths.set_dirs(dirs)
    listed_at = listing_path(paths.cache_dir())
    # The figures as the last run left them (a bad profile name is refused when the store opens).
    glance_at, glance = None, None
    if paths.PROFILE_RE.fullmatch(profile):
        glance_at = glance_path(paths.cache_dir(), profile)
        glance = read_glance(glance_at, paths.profile_dir(paths.home_dir(), profile))

    # Both run in the app's loader thread, after the first frame.
    def open_store() -> ProgressStore:
        from gmmp_quiz.store.progress import ProgressStore

        return ProgressStore.open(profile=profile)

    def discover() -> Discovery:
        from gmmp_quiz.sets.loading import discover_sets

        found = discover_sets(dirs)
        save_listing(listed_at, set_dirs, found, lang)  # what the next start lists at once
        return found

    app = QuizApp(
        None,
        None,
        lang=lang,
        reload=discover,
        open_store=open_store,
        prefs_at=(paths.home_dir(), profile),
        listing=read_listing(listed_at, set_dirs, lang),
        glance=glance,
        glance_at=glance_at,
    )
    # What the imports created lives as long as the process: frozen, the collector no longer
    # walks it again and again while the first screen is built (a sizeable share of that time).
    gc.freeze()
    try:
        app.run()
    finally:
        app.close_opened_store()
    if app.load_error is not None:
        raise QuizError(app.load_error)
    # Shown in the app; repeated here so that they stay in the terminal after it closes.
    for warning in app.store_warnings:
        print(f"gmmp-quiz: {warning}", file=sys.stderr)
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    before = current_lang()
    # The language first: the parser's help, its errors and ours are written in it.
    use_lang(detect_lang(_lang_given(argv)))
    try:
        return _main(argv)
    finally:
        use_lang(before)


def _lang_given(argv: Sequence[str]) -> str | None:
    """The value of the last `--lang` in `argv` (before a `--`), if any."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found


def _main(argv: list[str]) -> int:
    args = _app_only(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    func = getattr(args, "func", None)
    try:
        if func is None:
            return run_home(args)
        return int(func(args))
    except QuizError as exc:
        print(f"gmmp-quiz: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Subcommands of the `gmmp-quiz` command line; each module adds its parsers with `add_command`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gmmp_quiz.i18n import _

if TYPE_CHECKING:
    from gmmp_quiz.sets.loading import Discovery
    from gmmp_quiz.store.progress import ProgressStore

Runner = Callable[[argparse.Namespace], int]


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions as written; section headings spaced the French way in French."""

    def start_section(self, heading: str | None) -> None:
        """Start a section: argparse adds the colon, after a no-break space in French."""
        from gmmp_quiz.i18n import NBSP, current_lang

        if heading and current_lang() == "fr":
            heading += NBSP
        super().start_section(heading)


def common_options() -> argparse.ArgumentParser:
    """Options every subcommand accepts, after or before the subcommand name."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a value given before the subcommand must survive the subparser's default.
    common.add_argument(
        "--profile",
        default=argparse.SUPPRESS,
        help=_("progress profile to use (default: 'default')"),
    )
    common.add_argument(
        "--questions",
        action="append",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=_("also load the question sets in DIR (repeatable)"),
    )
    common.add_argument(
        "--lang",
        choices=["fr", "en"],
        default=argparse.SUPPRESS,
        help=_("interface language (default: from the locale, else English)"),
    )
    return common


def add_command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help: str,
    run: Runner,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """Add subcommand `name` that calls `run(args)`; returns its parser for arguments."""
    parser = subparsers.add_parser(
        name,
        help=help,
        description=description or help,
        parents=[common_options()],
        formatter_class=HelpFormatter,
    )
    parser.set_defaults(func=run)
    return parser


def extra_dirs(args: argparse.Namespace) -> list[Path]:
    """The `--questions DIR` options given; UserError for one that is not a folder."""
    from gmmp_quiz.errors import UserError

    dirs = [Path(d) for d in getattr(args, "questions", None) or ()]
    for directory in dirs:
        try:
            if directory.is_dir():
                continue
            what = _("is not a folder") if directory.exists() else _("no such folder")
        except OSError:
            continue  # it is there but cannot be read: discovery names it, the rest loads
        raise UserError(_("--questions {directory}: {what}").format(directory=directory, what=what))
    return dirs


def discover(args: argparse.Namespace) -> Discovery:
    """The sets of `--questions` and the usual folders; a folder that cannot be read is named
    on stderr in one line (the other sets are still used)."""
    from gmmp_quiz.sets.loading import discover_sets

    found = discover_sets(extra_dirs(args))
    for problems in found.errors.values():
        for problem in problems:
            # The message is in the interface language, as loading wrote it.
            if problem.message.startswith(_("cannot read this folder: {reason}").split("{")[0]):
                print(f"gmmp-quiz: {problem}", file=sys.stderr)
    return found


def interface_lang(args: argparse.Namespace) -> str:
    """The `--lang` given, else the locale's language, else English."""
    from gmmp_quiz.i18n import detect_lang

    return detect_lang(getattr(args, "lang", None))


def profile_name(args: argparse.Namespace) -> str:
    """The `--profile` given, else `default`."""
    return getattr(args, "profile", None) or "default"


def open_store(
    args: argparse.Namespace, *, backup: bool = True, quiet: bool = False
) -> ProgressStore:
    """The progress store of `--profile`; its warnings go to stderr unless `quiet`."""
    from gmmp_quiz.store.progress import ProgressStore

    store = ProgressStore.open(profile=profile_name(args), backup=backup)
    if not quiet:
        for warning in store.warnings:
            print(f"gmmp-quiz: {warning}", file=sys.stderr)
    return store

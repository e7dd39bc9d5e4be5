"""The `gmmp-quiz` command line: parses arguments, calls the core, starts the app or a command."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from gmmp_quiz import __version__
from gmmp_quiz.commands import common_options
from gmmp_quiz.errors import QuizError

# Each module exposes `register(subparsers)`; imported here so `--help` lists every subcommand.
COMMAND_MODULES = (
    "gmmp_quiz.commands.sets",
    "gmmp_quiz.commands.quiz",
    "gmmp_quiz.commands.progress",
    "gmmp_quiz.commands.review",
    "gmmp_quiz.commands.authoring",
    "gmmp_quiz.commands.settings",
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit with status 2 and a one-line hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every subcommand that is installed."""
    parser = _Parser(
        prog="gmmp-quiz",
        description="Quiz yourself in the terminal. With no subcommand, opens the app.",
        parents=[common_options()],
    )
    parser.add_argument("--version", action="version", version=f"gmmp-quiz {__version__}")
    subparsers = parser.add_subparsers(title="subcommands", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    try:
        if func is None:
            from gmmp_quiz.commands.quiz import run_app

            return run_app(args)
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

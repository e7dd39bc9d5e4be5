"""`gmmp-quiz quiz [SET]`: the app straight into a session, or `--plain` text mode."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from gmmp_quiz.commands import add_command, discover, extra_dirs, interface_lang, open_store
from gmmp_quiz.errors import UserError
from gmmp_quiz.i18n import _
from gmmp_quiz.model import Mode

if TYPE_CHECKING:
    from gmmp_quiz.sets.loading import Discovery


def run_app(args: argparse.Namespace, found: Discovery, start: tuple[str, str, int | None]) -> int:
    """Open the Textual app straight into a session: `start` is (set id or "*", mode, count)."""
    from gmmp_quiz.sets.loading import discover_sets
    from gmmp_quiz.ui.app import QuizApp

    store = open_store(args)
    try:
        app = QuizApp(
            found,
            store,
            lang=interface_lang(args),
            start=start,
            reload=lambda: discover_sets(extra_dirs(args)),
            seed=getattr(args, "seed", None),
            requeue=getattr(args, "requeue", None),
        )
        app.run()
    finally:
        store.close()
    return app.return_code or 0


def run_quiz(args: argparse.Namespace) -> int:
    """Run one set in a mode: in the app, or as numbered lines with `--plain`."""
    if args.plain:
        return run_plain_quiz(args)
    found = discover(args)
    if args.set is not None and found.get(args.set) is None:
        raise UserError(_("no question set {args.set!r} (see `gmmp-quiz list`)").format(args=args))
    return run_app(args, found, (args.set or "*", args.mode, args.count))


def run_plain_quiz(
    args: argparse.Namespace, *, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """`quiz --plain`: the options given turned into a plain-mode session."""
    from gmmp_quiz.plain import run_plain

    lang = interface_lang(args)
    found = discover(args)
    if args.set is None:
        qsets = list(found.sets)  # every set: review what is due or missed across sets
    else:
        qset = found.get(args.set)
        if qset is None:
            raise UserError(
                _("no question set {args.set!r} (see `gmmp-quiz list`)").format(args=args)
            )
        qsets = [qset]
    return run_plain(
        qsets,
        lambda: open_store(args),
        lang=lang,
        set_id=args.set,
        mode=getattr(args, "mode", None) or Mode.QUIZ,
        count=getattr(args, "count", None),
        seed=getattr(args, "seed", None),
        requeue=getattr(args, "requeue", None),
        stdin=stdin,
        stdout=stdout,
    )


def _positive(text: str) -> int:
    """A count of at least 1 (anything else is a usage error, exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a whole number: {text!r}").format(text=text)
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be at least 1"))
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `quiz`."""
    p = add_command(
        subparsers,
        "quiz",
        _("quiz yourself on one set (in the app, or as plain text with --plain)"),
        run_quiz,
        description=(
            _(
                "Quiz yourself on one set. With --plain the session runs as numbered lines "
                "on stdout\n"
                "and reads answers from stdin (for screen readers, logs and scripts):\n"
                "  choice: a number · multi: numbers (1 3) · true/false: t/f (v/f, 1/2)\n"
                "  order: numbers in order (3 1 2) · match: pairs like 1b 2a · flashcard: 1-4\n"
                "  short, numeric, cloze: text (cloze gaps separated by ' | ')\n"
                "End of input ends the session; every answer given is saved."
            )
        ),
    )
    p.add_argument(
        "set",
        metavar="SET",
        nargs="?",
        help=_("the set id (see `gmmp-quiz list`); without it, every set (e.g. --mode due)"),
    )
    p.add_argument("--plain", action="store_true", help=_("plain text on stdin/stdout"))
    p.add_argument("--count", type=_positive, metavar="N", help=_("ask N questions (default: all)"))
    p.add_argument("--seed", type=int, metavar="S", help=_("seed for a reproducible order"))
    p.add_argument(
        "--mode",
        choices=[m.value for m in Mode],
        default=Mode.QUIZ.value,
        help=_("which questions"),
    )
    p.add_argument(
        "--no-requeue",
        dest="requeue",
        action="store_false",
        default=None,
        help=_("do not ask missed questions again in the same session (see `settings requeue`)"),
    )

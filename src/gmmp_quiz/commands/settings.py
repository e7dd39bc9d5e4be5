"""`gmmp-quiz settings`: show or change the learner's settings (retention, new per day, requeue)."""

from __future__ import annotations

import argparse

from gmmp_quiz.commands import add_command
from gmmp_quiz.i18n import _


def run_settings(args: argparse.Namespace) -> int:
    """Print every setting, or set one."""
    from gmmp_quiz.commands import open_store
    from gmmp_quiz.settings import SETTINGS, parse, value

    if args.name is not None and args.value is None:
        parse(args.name, str(SETTINGS[args.name].default) if args.name in SETTINGS else "")
    store = open_store(args, backup=False)
    try:
        if args.name is not None and args.value is not None:
            store.set_setting(args.name, parse(args.name, args.value))
        names = [args.name] if args.name else list(SETTINGS)
        for name in names:
            print(f"{name} = {value(store, name)}\t# {_(SETTINGS[name].help)}")
    finally:
        store.close()
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `settings`."""
    p = add_command(
        subparsers,
        "settings",
        _("show or change settings (retention, new_per_day, requeue)"),
        run_settings,
        description=(
            _(
                "Show or change the settings of a profile:\n"
                "  retention    desired retention for spaced repetition (default 0.9)\n"
                "  new_per_day  new questions a day in Review due (default 20)\n"
                "  requeue      missed questions come back in the session (default true)\n"
                "Examples: gmmp-quiz settings · gmmp-quiz settings retention 0.85"
            )
        ),
    )
    p.add_argument("name", nargs="?", metavar="NAME", help=_("a setting to show or change"))
    p.add_argument("value", nargs="?", metavar="VALUE", help=_("its new value"))

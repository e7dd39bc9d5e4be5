"""`gmmp-quiz review`: the missed questions, in the app's missed screen, as text or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from gmmp_quiz.commands import add_command, discover, extra_dirs, interface_lang, open_store
from gmmp_quiz.errors import UserError
from gmmp_quiz.i18n import _, colon, t, typeset


def _entry_dict(entry: Any, lang: str) -> dict[str, Any]:
    from gmmp_quiz.marking import question_label  # with grading: not needed by `--help`

    return {
        "set_id": entry.qset.id,
        "set_title": entry.qset.title.get(lang),
        "question_id": entry.question.id,
        "prompt": entry.question.prompt.get(lang),
        "label": question_label(entry.question, lang),
        "wrong_answers": list(entry.wrong_answers),
        "expected": entry.expected,
        "explanation": entry.explanation,
        "times_missed": entry.times_missed,
        "last_missed": entry.last_missed.isoformat() if entry.last_missed else None,
        "fixed": entry.fixed,
    }


def _label(key: str, lang: str) -> str:
    return colon(t(key, lang), lang)


def _print_plain(entries: list[Any], lang: str) -> None:
    from gmmp_quiz.marking import given_text, question_label
    from gmmp_quiz.missed import group_by_set
    from gmmp_quiz.store.check import visible

    def print(text: str = "") -> None:
        sys.stdout.write(typeset(text, lang) + "\n")

    if not entries:
        print(t("no_missed", lang))
        return
    number = 0
    for qset, group in group_by_set(entries):
        if number:
            print()
        print(f"{qset.title.get(lang)} ({qset.id})")
        for entry in group:
            number += 1
            prompt = typeset(question_label(entry.question, lang), lang)
            print(f"\n{number}. {prompt}")
            label = "your_answers" if len(entry.wrong_answers) > 1 else "your_answer"
            # Answers come from the progress file: escape sequences are shown, never sent.
            answers = [given_text(entry.question, a, lang) for a in entry.wrong_answers]
            wrong = " / ".join(map(visible, answers)) or t("not_answered", lang)
            print(f"   {_label(label, lang)}{wrong}")
            print(f"   {_label('right_answer', lang)}{entry.expected}")
            if entry.explanation:
                print(f"   {_label('explanation', lang)}{entry.explanation}")
            count = (
                t("missed_once", lang)
                if entry.times_missed == 1
                else t("missed_n", lang, n=entry.times_missed)
            )
            when = (
                entry.last_missed.astimezone().strftime("%Y-%m-%d %H:%M")
                if entry.last_missed
                else "—"
            )
            line = f"   {count}, {t('last_on', lang, when=when)}"
            if entry.fixed:
                line += f" ({t('fixed_since', lang)})"
            print(line)


def run_review(args: argparse.Namespace) -> int:
    """List the missed questions (`--plain`, `--json`) or open the app's missed screen."""

    if args.days is not None and args.days < 0:
        raise UserError(_("--days must be 0 or more"))
    lang = interface_lang(args)
    found = discover(args)
    if args.set is not None and found.get(args.set) is None:
        raise UserError(_("no question set {args.set!r} (see `gmmp-quiz list`)").format(args=args))
    # Piped or redirected, the full-screen app would hang on a terminal that is not there (and
    # fill the file with escape codes): the list is printed instead.
    if not (args.plain or args.json) and sys.stdout.isatty():
        return _run_app(args, found, lang)
    from gmmp_quiz.missed import missed_entries

    store = open_store(args, backup=False)
    try:
        entries = missed_entries(
            found.sets,
            store.missed_states(ever=args.days is not None),
            None,  # from the per-question states: the history is not read
            datetime.now(UTC),
            days=args.days,
            set_id=args.set,
            tag=args.tag,
            search=args.search,
            lang=lang,
        )
    finally:
        store.close()
    if args.json:
        out = {"count": len(entries), "missed": [_entry_dict(e, lang) for e in entries]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print_plain(entries, lang)
    return 0


def _run_app(args: argparse.Namespace, found: Any, lang: str) -> int:
    from gmmp_quiz.sets.loading import discover_sets
    from gmmp_quiz.ui.app import QuizApp
    from gmmp_quiz.ui.screens.missed import MissedScreen

    store = open_store(args)
    try:
        app = QuizApp(
            found,
            store,
            lang=lang,
            reload=lambda: discover_sets(extra_dirs(args)),
            start_screen=lambda services: MissedScreen(
                services, set_id=args.set, tag=args.tag, search=args.search, days=args.days
            ),
        )
        app.run()
    finally:
        store.close()
    return app.return_code or 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `review`."""
    p = add_command(
        subparsers,
        "review",
        _("the questions you got wrong: retry them in the app, or list them (--plain, --json)"),
        run_review,
        description=(
            _(
                "The questions whose latest answer was wrong or partial, grouped by set, "
                "most missed\n"
                "first: your last wrong answers, the right answer, the explanation, how often and\n"
                "when you missed them. Without --plain or --json, opens the app's missed screen\n"
                "(r retries all, Enter retries one, k marks one as known, f filters, / searches)."
            )
        ),
    )
    p.add_argument("--set", metavar="ID", help=_("only this set"))
    p.add_argument("--tag", metavar="T", help=_("only questions with this tag"))
    p.add_argument(
        "--days",
        type=int,
        metavar="N",
        help=_("also list questions missed in the last N days and answered right since"),
    )
    p.add_argument("--search", metavar="TEXT", help=_("only questions whose text contains TEXT"))
    output = p.add_mutually_exclusive_group()
    output.add_argument("--plain", action="store_true", help=_("print the list as text"))
    output.add_argument("--json", action="store_true", help=_("print the list as JSON"))

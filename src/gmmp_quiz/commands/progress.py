"""The `stats`, `doctor` and `progress export|import` subcommands."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gmmp_quiz.commands import (
    add_command,
    common_options,
    discover,
    interface_lang,
    open_store,
    profile_name,
)
from gmmp_quiz.errors import UserError
from gmmp_quiz.files import os_reason
from gmmp_quiz.i18n import _, t
from gmmp_quiz.store.check import visible

if TYPE_CHECKING:  # the store (and filelock) are imported only by the commands that use it
    from gmmp_quiz.store.progress import QuestionState


def _loaded_sets(args: argparse.Namespace) -> dict[str, Any]:
    """Title and question ids per loaded set id."""
    discovery = discover(args)
    return {
        # Only the ids are needed: the questions themselves are not built.
        s.id: {"title": s.title.get(), "ids": set(s.question_ids())}
        for s in discovery.sets
    }


def compute(
    states: dict[tuple[str, str], QuestionState], sets: dict[str, Any] | None, now: datetime
) -> dict[str, Any]:
    """The `stats --json` object (keys documented in docs/progress.md)."""
    # The same per-question rules as the app's figures (`stats.set_figures`), but not the same
    # figures: these go over the stored states (sets not loaded count too, orphans apart, with
    # attempts and right answers, "seen" meaning answered), the app's over the loaded sets'
    # questions (with new and next due). Imported here to keep every command's start-up light.
    from gmmp_quiz.scheduling import is_due
    from gmmp_quiz.stats import is_mastered
    from gmmp_quiz.store.state import is_missed

    per_set: dict[str, dict[str, Any]] = {}
    for set_id, info in (sets or {}).items():
        per_set[set_id] = {"title": info["title"], "questions": len(info["ids"])}
    orphans = 0
    counts: dict[str, Counter[str]] = {}
    for (set_id, question_id), state in states.items():
        if sets is not None and set_id in sets and question_id not in sets[set_id]["ids"]:
            orphans += 1
            continue
        per_set.setdefault(set_id, {"title": None, "questions": None})
        c = counts.setdefault(set_id, Counter())
        c["attempts"] += state.attempts
        c["correct"] += state.correct
        c["seen"] += state.attempts > 0
        c["mastered"] += is_mastered(state)
        c["due"] += is_due(state, now)
        c["missed"] += is_missed(state)
    for set_id, entry in per_set.items():
        c = counts.get(set_id, Counter())
        for name in ("seen", "mastered", "due", "missed", "attempts", "correct"):
            entry[name] = c[name]
    return {
        "now": now.isoformat(timespec="seconds"),
        "totals": {
            "attempts": sum(s.attempts for s in states.values()),
            "correct": sum(s.correct for s in states.values()),
            "questions_seen": sum(s.attempts > 0 for s in states.values()),
        },
        "sets": dict(sorted(per_set.items())),
        "orphans": orphans if sets is not None else None,
        "sets_loaded": sets is not None,
    }


def run_stats(args: argparse.Namespace) -> int:
    """Print totals and per-set figures."""
    with open_store(args, backup=False) as store:
        states = store.states()
    result = compute(states, _loaded_sets(args), datetime.now(UTC))
    result["profile"] = profile_name(args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    lang = interface_lang(args)
    totals = result["totals"]
    print(
        t(
            "cli_stats_totals",
            lang,
            profile=result["profile"],
            attempts=totals["attempts"],
            correct=totals["correct"],
        )
    )
    columns = [t(f"cli_col_{name}", lang) for name in ("questions", "seen", "mastered", "due")]
    columns.append(t("cli_col_missed", lang))
    widths = [max(len(c), 5) for c in columns]
    cells = zip(columns, widths, strict=True)
    print(f"{t('cli_col_set', lang):24} " + " ".join(f"{c:>{w}}" for c, w in cells))
    for set_id, e in result["sets"].items():
        questions = "-" if e["questions"] is None else e["questions"]
        values = [questions, e["seen"], e["mastered"], e["due"], e["missed"]]
        cells = zip(values, widths, strict=True)
        # Ids come from the progress file: escape sequences in them are shown, never sent.
        print(f"{visible(set_id):24} " + " ".join(f"{v:>{w}}" for v, w in cells))
    if result["orphans"]:
        print(t("cli_stats_orphans", lang, n=result["orphans"]))
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    """Check the store, report orphans and what was repaired; idempotent."""
    with open_store(args, backup=False, quiet=True) as store:
        repaired = list(store.warnings)
        states = store.states()
        history = Counter((a.set_id, a.question_id) for a in store.attempts())
        skipped = store.history_skipped
        store_dir = str(store.dir)
    sets = _loaded_sets(args)
    problems = []
    if skipped:
        problems.append(
            _(
                "{n} answer(s) of the history have unusable values (a bad date, outcome or "
                "score) and are left out of it"
            ).format(n=skipped)
        )
    short = [k for k, s in states.items() if history.get(k, 0) < s.attempts]
    if short:
        problems.append(
            _(
                "{n} question(s) count more answers than the history holds "
                "(history partly lost in an earlier recovery; the counters are kept)"
            ).format(n=len(short))
        )
    orphans: list[dict[str, Any]] = []
    if sets is not None:
        for (set_id, question_id), state in sorted(states.items()):
            if set_id not in sets or question_id not in sets[set_id]["ids"]:
                orphans.append(
                    {
                        "set_id": set_id,
                        "question_id": question_id,
                        "attempts": state.attempts,
                        "set_missing": set_id not in sets,
                    }
                )
    result = {
        "store": store_dir,
        "questions": len(states),
        "attempts": sum(history.values()),
        "repaired": repaired,
        "problems": problems,
        "orphans": orphans,
        "sets_loaded": sets is not None,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    lang = interface_lang(args)
    print(t("cli_doctor_store", lang, path=store_dir))
    print(t("cli_doctor_counts", lang, questions=len(states), attempts=result["attempts"]))
    for line in repaired:
        print(t("cli_doctor_repaired", lang, text=visible(line)))
    for line in problems:
        print(t("cli_doctor_problem", lang, text=visible(line)))
    if sets is None:
        print(t("cli_doctor_no_sets", lang))
    elif orphans:
        print(t("cli_doctor_orphans", lang, n=len(orphans)))
        for o in orphans:
            why = t("cli_doctor_set_missing" if o["set_missing"] else "cli_doctor_not_in_set", lang)
            line = t("cli_doctor_orphan", lang, attempts=o["attempts"], why=why)
            print(f"  {visible(o['set_id'])}/{visible(o['question_id'])}: {line}")
    if not repaired and not problems:
        print(t("cli_doctor_ok", lang))
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write the profile's progress to a JSON file."""
    from gmmp_quiz.store.transfer import export_data

    with open_store(args, backup=False) as store:
        data = export_data(store)
    target = Path(args.file)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    try:
        if str(target) == "-":
            sys.stdout.write(text + "\n")
        else:
            from gmmp_quiz.files import atomic_write

            atomic_write(target, (text + "\n").encode())
    except OSError as exc:
        raise UserError(
            _("cannot write {target}: {reason}").format(target=target, reason=os_reason(exc))
        ) from None
    if str(target) != "-":
        lang = interface_lang(args)
        print(t("cli_exported", lang, n=len(data["attempts"]), path=target))
    return 0


# About 400,000 answers: a store's export is far smaller; beyond this it is not an export.
MAX_IMPORT_BYTES = 100 * 1024 * 1024


def run_import(args: argparse.Namespace) -> int:
    """Merge a progress export into the profile."""
    from gmmp_quiz.files import json_problem_at, read_failure, read_regular

    source = Path(args.file)
    try:
        raw, _stat = read_regular(source, MAX_IMPORT_BYTES)
    except OSError as exc:
        raise UserError(f"{source}: {read_failure(exc)}") from None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise UserError(json_problem_at(source, exc)) from None
    from gmmp_quiz.store.transfer import import_data

    with open_store(args, backup=False) as store:
        summary = import_data(store, data, str(source))
    lang = interface_lang(args)
    if summary["backup"] is None:
        print(t("cli_import_nothing", lang, path=source))
    else:
        print(
            t(
                "cli_imported",
                lang,
                attempts=summary["attempts_added"],
                states=summary["questions_updated"],
                sessions=summary["sessions_added"],
                backup=summary["backup"],
            )
        )
    return 0


def run_reset(args: argparse.Namespace) -> int:
    """Erase a profile's progress (or one set's), after a backup."""
    lang = interface_lang(args)
    what = t("cli_reset_set", lang, id=args.set_id) if args.set_id else t("cli_reset_all", lang)
    if not args.yes:
        raise UserError(
            _(
                "this erases the progress and history of {what} in profile {value!r} (a backup "
                "is made first); add --yes to do it"
            ).format(what=what, value=profile_name(args))
        )
    with open_store(args, backup=False) as store:
        saved = store.reset(args.set_id)
    print(t("cli_reset_done", lang, what=what, backup=saved))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `stats`, `doctor` and `progress` to the command line."""
    p = add_command(subparsers, "stats", _("show progress totals and per-set figures"), run_stats)
    p.add_argument("--json", action="store_true", help=_("print JSON (keys: docs/progress.md)"))
    p = add_command(
        subparsers,
        "doctor",
        _("check the progress store; list progress for questions no longer in the sets"),
        run_doctor,
    )
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p = add_command(
        subparsers, "progress", _("export, import (JSON) or reset progress"), _no_action
    )
    actions = p.add_subparsers(title=_("actions"), metavar="ACTION")
    sub = actions.add_parser(
        "export", help=_("write progress to FILE ('-' for stdout)"), parents=[common_options()]
    )
    sub.add_argument("file", metavar="FILE")
    sub.set_defaults(func=run_export)
    sub = actions.add_parser(
        "import", help=_("merge progress from FILE (backup first)"), parents=[common_options()]
    )
    sub.add_argument("file", metavar="FILE")
    sub.set_defaults(func=run_import)
    sub = actions.add_parser(
        "reset", help=_("erase progress (backup first)"), parents=[common_options()]
    )
    sub.add_argument("--set", dest="set_id", metavar="SET_ID", help=_("only this set"))
    sub.add_argument("--yes", action="store_true", help=_("really erase"))
    sub.set_defaults(func=run_reset)


def _no_action(args: argparse.Namespace) -> int:
    raise UserError(_("say what to do: `gmmp-quiz progress export|import FILE` or `reset`"))

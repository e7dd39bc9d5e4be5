"""Subcommands about question sets: `list`, `validate` and `schema`."""

from __future__ import annotations

import argparse
import errno
import json
import os
import stat
import sys
from pathlib import Path

from gmmp_quiz.commands import add_command, extra_dirs, interface_lang
from gmmp_quiz.errors import Problem, UserError, ValidationError
from gmmp_quiz.files import os_reason
from gmmp_quiz.i18n import _, nt, t
from gmmp_quiz.paths import user_questions_dir


def run_list(args: argparse.Namespace) -> int:
    """Print the sets found, and the files that failed to load."""
    from gmmp_quiz.loading import discover_sets

    found = discover_sets(extra_dirs(args))
    if args.json:
        out = {
            "sets": [
                {
                    "id": s.id,
                    "title": s.title.get(),
                    "questions": len(s.questions),
                    "languages": s.languages(),
                    "path": s.path,
                    "shipped": s.shipped,
                }
                for s in found.sets
            ],
            "errors": {path: [str(p) for p in problems] for path, problems in found.errors.items()},
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    lang = interface_lang(args)
    if not found.sets:
        print(t("cli_no_sets", lang))
    for s in found.sets:
        langs = ",".join(s.languages())
        count = nt("{n} question", "{n} questions", len(s.questions), lang)
        print(f"{s.id}\t{s.title.get(lang)}\t{count}\t{langs}\t{s.path}")
    for problems in found.errors.values():
        for problem in problems:
            print(t("cli_invalid", lang, problem=problem), file=sys.stderr)
    return 0


def _files(paths: list[str]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    missing: list[Problem] = []
    for name in paths:
        path = Path(name)
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except OSError as exc:
            # Path.is_dir() would raise for a name too long: every OS error is a message.
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                reason = _("no such file or directory")
            else:
                reason = _("cannot read: {reason}").format(reason=os_reason(exc))
            missing.append(Problem(name, 0, 0, reason))
            continue
        if is_dir:
            try:
                os.listdir(path)
            except OSError as exc:
                missing.append(
                    Problem(name, 0, 0, _("cannot read: {reason}").format(reason=os_reason(exc)))
                )
                continue
            found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
            if not found:
                missing.append(Problem(name, 0, 0, _("no .yaml or .yml files in this directory")))
            files.extend(p for p in found if p.is_file())
        else:
            files.append(path)
    return files, missing


def run_validate(args: argparse.Namespace) -> int:
    """Print every problem of every file as PATH:LINE:COL: message; 1 if any."""
    from gmmp_quiz.loading import load_set

    lang = interface_lang(args)
    paths_given = args.paths
    if not paths_given:
        # No path: the learner's own sets, the ones the app loads.
        own = user_questions_dir()
        if not own.is_dir() or not any(own.glob("*.y*ml")):
            print(t("cli_no_own_sets", lang, path=own))
            return 0
        paths_given = [str(own)]
    files, problems = _files(paths_given)
    ids: dict[str, str] = {}
    valid = 0
    for file in files:
        try:
            qset = load_set(file)
        except ValidationError as exc:
            problems.extend(exc.problems)
            continue
        if qset.id in ids:
            line, col = qset.id_at
            message = _("set id {qset.id!r} is already used by {value}").format(
                qset=qset, value=ids[qset.id]
            )
            problems.append(Problem(str(file), line, col, message))
            continue
        ids[qset.id] = str(file)
        valid += 1
        if not args.quiet:
            count = nt("{n} question", "{n} questions", len(qset.questions), lang)
            print(f"{file}: ok ({qset.id}, {count})")
    for problem in problems:
        print(problem)
    if problems:
        bad = len(files) - valid
        summary = _problems_summary(len(problems), bad or len(problems), lang)
        print(summary, file=sys.stderr)
        return 1
    return 0


def _problems_summary(n: int, files: int, lang: str) -> str:
    """ "1 problem in 1 file", "3 problems in 2 files", in `lang`."""
    if n == 1:
        return nt(
            "{n} problem in {files} file",
            "{n} problem in {files} files",
            files,
            lang,
            n=n,
            files=files,
        )
    return nt(
        "{n} problems in {files} file",
        "{n} problems in {files} files",
        files,
        lang,
        n=n,
        files=files,
    )


def run_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the format (or write it to a file)."""
    from gmmp_quiz.schema import schema_json

    text = schema_json()
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UserError(
                _("cannot write {target}: {reason}").format(
                    target=args.output, reason=os_reason(exc)
                )
            ) from None
    else:
        sys.stdout.write(text)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `list`, `validate` and `schema`."""
    p = add_command(subparsers, "list", _("list the question sets found"), run_list)
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p = add_command(
        subparsers,
        "validate",
        _("check question-set files, printing PATH:LINE:COL: message for every problem"),
        run_validate,
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=_("set files or directories of sets (default: your own sets)"),
    )
    p.add_argument("-q", "--quiet", action="store_true", help=_("print only the problems"))
    p = add_command(
        subparsers, "schema", _("print the JSON Schema of the question-set format"), run_schema
    )
    p.add_argument("-o", "--output", metavar="FILE", help=_("write the schema to FILE"))

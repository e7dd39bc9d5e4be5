"""Authoring commands: `new` (a template), `add` (a checked set), `import` and `export` banks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gmmp_quiz import paths
from gmmp_quiz.commands import add_command, discover, extra_dirs, interface_lang
from gmmp_quiz.errors import Problem, UserError, ValidationError
from gmmp_quiz.files import atomic_write, check_regular, check_replaceable, os_reason, read_regular
from gmmp_quiz.formats import FORMATS, import_file
from gmmp_quiz.i18n import _, ngettext, nt, t
from gmmp_quiz.sets.install import backup, install_set, write_schema
from gmmp_quiz.sets.rules import ID_RE
from gmmp_quiz.sets.templates import template_text
from gmmp_quiz.sets.writer import dump_checked

if TYPE_CHECKING:
    from gmmp_quiz.model import QuestionSet


def _fail(error: OSError, what: str) -> UserError:
    return UserError(_("cannot {what}: {value}").format(what=what, value=os_reason(error)))


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _install(
    set_id: str,
    dest: Path,
    data: bytes,
    source: Path | None,
    replace: bool,
    args: argparse.Namespace,
    checked: dict[str, Any] | None = None,
) -> None:
    from gmmp_quiz.sets.loading import discover_sets

    found = discover_sets(extra_dirs(args))
    installed = install_set(
        set_id, dest, data, found, source=source, replace=replace, checked=checked
    )
    for old, saved in installed:
        print(_("backed up {old} to {saved}").format(old=old, saved=saved), file=sys.stderr)


# -- commands ----------------------------------------------------------------------------------


def run_new(args: argparse.Namespace) -> int:
    """Write a commented template set."""
    set_id = args.set_id
    if not ID_RE.match(set_id):
        raise UserError(
            _("set id {set_id!r} may use only letters, digits, '-', '_' and '.'").format(
                set_id=set_id
            )
        )
    if args.output:
        dest = Path(args.output)
        if dest.is_dir():
            dest = dest / f"{set_id}.yaml"
    else:
        # The current folder, not the learner's sets: the template's examples are not meant to
        # be asked before it is edited, checked and added.
        dest = Path.cwd() / f"{set_id}.yaml"
    if dest.exists():
        raise UserError(_("{dest} already exists: not overwritten").format(dest=dest))
    from gmmp_quiz.sets.loading import discover_sets

    taken = discover_sets(extra_dirs(args)).get(set_id)
    if taken is not None:
        raise UserError(
            _("set id {set_id!r} is already used by {taken.path}: choose another id").format(
                set_id=set_id, taken=taken
            )
        )
    text = template_text(set_id, lang=interface_lang(args))
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(dest, text.encode("utf-8"))
    except OSError as exc:
        raise _fail(exc, _("write {dest}").format(dest=dest)) from None
    write_schema(dest.parent)
    print(t("cli_new_done", interface_lang(args), path=dest))
    return 0


def run_add(args: argparse.Namespace) -> int:
    """Check a set file and copy it into the user's questions."""
    from gmmp_quiz.sets.loading import load_set

    source = Path(args.path)
    try:
        qset = load_set(source)
    except ValidationError as exc:
        _print_problems(exc.problems)
        raise UserError(
            ngettext(
                "{source} was not added ({n} problem)",
                "{source} was not added ({n} problems)",
                len(exc.problems),
            ).format(source=source, n=len(exc.problems))
        ) from None
    dest = paths.user_questions_dir() / f"{qset.id}.yaml"
    if paths.in_dir(source, paths.user_questions_dir()):
        print(t("cli_add_already", interface_lang(args), path=source))
        return 0
    from gmmp_quiz.sets.rules import MAX_BYTES

    try:
        data, _stat = read_regular(source, MAX_BYTES)
        from gmmp_quiz.sets import cache

        # What load_set just checked (and cached for `source`) is cached for the copy too.
        checked = cache.checked_data(source)
        _install(qset.id, dest, data, source, args.replace, args, checked)
    except OSError as exc:
        raise _fail(exc, _("add {source}").format(source=source)) from None
    write_schema(dest.parent)
    ui = interface_lang(args)
    count = nt("{n} question", "{n} questions", len(qset.questions), ui)
    print(t("cli_add_done", ui, id=qset.id, count=count, path=dest))
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import a GIFT, Moodle XML, Anki, CSV/TSV or Open Trivia DB file as a question set."""
    lang = args.language or getattr(args, "lang", None) or "en"
    from gmmp_quiz.files import read_failure
    from gmmp_quiz.sets.rules import MAX_BYTES

    source = Path(args.file)
    try:
        # A pipe or a device is refused before any importer reads it (it may never end).
        check_regular(source, MAX_BYTES)
    except OSError as exc:
        raise UserError(f"{source}: {read_failure(exc)}") from None
    result = import_file(
        source, fmt=args.fmt, set_id=args.id, title=args.title, typed=args.typed, lang=lang
    )
    to_stdout = args.output == "-"
    if args.output and not to_stdout:
        dest = Path(args.output)
        if dest.is_dir():
            dest = dest / f"{result.data['id']}.yaml"
    else:
        dest = paths.user_questions_dir() / f"{result.data['id']}.yaml"
    # The importers aim at the format; the loader's rules have the last word before anything is
    # written (dump_checked gives what the loader reads from the text, or its problems).
    text, checked = dump_checked(result.data, str(dest))
    for note in result.notes:
        where = f"{note.path}:{note.line}" if note.line else note.path
        print(f"{where}: {note.message}", file=sys.stderr)
    count = len(result.data["questions"])
    ui = interface_lang(args)
    # As Moodle's "continue past errors": the good questions are in, and the status says that
    # some were malformed (their FILE:LINE notes are above).
    status = 1 if result.bad else 0
    malformed = ngettext(
        "{n} malformed question(s) skipped: see the notes above",
        "{n} malformed question(s) skipped: see the notes above",
        result.bad,
    ).format(n=result.bad)
    if to_stdout:
        sys.stdout.write(text)
        print(
            nt(
                "{n} question imported, {skipped} skipped",
                "{n} questions imported, {skipped} skipped",
                count,
                ui,
                skipped=result.skipped,
            ),
            file=sys.stderr,
        )
        if result.bad:
            print(malformed, file=sys.stderr)
        return status
    try:
        if args.output:
            check_replaceable(dest)  # before its backup, which would read a pipe forever
            if dest.exists():
                saved = backup(dest)
                print(
                    _("backed up {old} to {saved}").format(old=dest, saved=saved), file=sys.stderr
                )
            dest.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(dest, text.encode("utf-8"))
            from gmmp_quiz.sets import cache

            cache.prime(dest, checked)
        else:
            # Importing the same file again replaces its set in place (same ids, progress kept).
            _install(result.data["id"], dest, text.encode("utf-8"), None, True, args, checked)
    except OSError as exc:
        raise _fail(exc, _("write {dest}").format(dest=dest)) from None
    write_schema(dest.parent)
    done = nt(
        "{n} question imported, {skipped} skipped",
        "{n} questions imported, {skipped} skipped",
        count,
        ui,
        skipped=result.skipped,
    )
    print(f"{done} ({result.fmt}): {dest}")
    if result.bad:
        print(malformed, file=sys.stderr)
    return status


def run_export(args: argparse.Namespace) -> int:
    """Export a loaded set (by id, or a set file) as GIFT or Anki TSV."""
    from gmmp_quiz.formats.export import export_gift, export_tsv
    from gmmp_quiz.sets.loading import load_set

    found = discover(args)
    qset = found.get(args.set)
    if qset is None:
        candidate = Path(args.set)
        if candidate.is_file():
            qset = load_set(candidate)
        else:
            ids = ", ".join(s.id for s in found.sets) or "none"
            raise UserError(_("no set {args.set!r} (sets found: {ids})").format(args=args, ids=ids))
    lang = args.language or qset.language
    if args.to == "apkg":
        return _export_apkg(qset, lang, args)
    if args.to == "moodle-xml":
        from gmmp_quiz.formats.moodlexml_export import export_moodle_xml

        text = export_moodle_xml(qset, lang)
    else:
        text = export_gift(qset, lang) if args.to == "gift" else export_tsv(qset, lang)
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    return _write_export(qset, text.encode("utf-8"), args)


def _write_export(qset: QuestionSet, data: bytes, args: argparse.Namespace) -> int:
    """Write an export to -o atomically and say so."""
    dest = Path(args.output)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(dest, data)
    except OSError as exc:
        raise _fail(exc, _("write {dest}").format(dest=dest)) from None
    ui = interface_lang(args)
    count = nt("{n} question", "{n} questions", len(qset.questions), ui)
    print(t("cli_export_done", ui, id=qset.id, count=count, path=dest))
    return 0


def _export_apkg(qset: QuestionSet, lang: str, args: argparse.Namespace) -> int:
    """Write the set as an Anki package (a binary file: -o is needed), saying what was lost."""
    from gmmp_quiz.formats.apkg import export_apkg

    if not args.output or args.output == "-":
        raise UserError(_("an Anki package is a binary file: name it with -o FILE.apkg"))
    data, lost = export_apkg(qset, lang)
    for item in lost:
        print(f"{args.output}: {item}", file=sys.stderr)
    return _write_export(qset, data, args)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `new`, `add`, `import` and `export` subcommands."""
    p = add_command(subparsers, "new", _("write a commented template set to edit"), run_new)
    p.add_argument("set_id", metavar="SET_ID", help=_("id of the new set (letters, digits, - _ .)"))
    p.add_argument(
        "-o", "--output", metavar="PATH", help=_("file to write (default: SET_ID.yaml, here)")
    )

    p = add_command(subparsers, "add", _("check a set file and copy it into your sets"), run_add)
    p.add_argument("path", metavar="PATH", help=_("the set file"))
    p.add_argument(
        "--replace", action="store_true", help=_("replace your set with the same id (backed up)")
    )

    p = add_command(
        subparsers,
        "import",
        _("import a Moodle GIFT or XML, Anki, CSV/TSV or Open Trivia DB file as a set"),
        run_import,
        description=(
            _(
                "Import a question bank as a question set (written to your sets unless -o).\n"
                "Notes on what was skipped or changed are printed as FILE:LINE: lines on stderr.\n"
                "Malformed questions are skipped (the rest is imported) and the exit status is 1.\n"
                "Importing the same file again replaces its set (same question ids: progress kept)."
            )
        ),
    )
    p.add_argument("file", metavar="FILE", help=_("the file to import"))
    p.add_argument(
        "--from", dest="fmt", choices=FORMATS, help=_("the file's format (default: detected)")
    )
    p.add_argument("-o", "--output", metavar="OUT", help=_("write the set here ('-': stdout)"))
    p.add_argument("--id", metavar="SET_ID", help=_("the set's id (default: from the file name)"))
    p.add_argument("--title", metavar="T", help=_("the set's title (default: from the file)"))
    p.add_argument(
        "--typed",
        action="store_true",
        help=_("cards become typed-answer questions, not flashcards"),
    )
    p.add_argument(
        "--language",
        metavar="L",
        help=_("language of the texts (default: --lang if given, else en)"),
    )

    p = add_command(
        subparsers,
        "export",
        _("export a set as Moodle GIFT or XML, or Anki TSV or .apkg"),
        run_export,
    )
    p.add_argument("set", metavar="SET", help=_("the set's id (or a set file)"))
    p.add_argument(
        "--to", choices=("gift", "moodle-xml", "tsv", "apkg"), required=True, help=_("the format")
    )
    p.add_argument("-o", "--output", metavar="OUT", help=_("file to write (default: stdout)"))
    p.add_argument(
        "--language", metavar="L", help=_("language of the texts (default: the set's language)")
    )

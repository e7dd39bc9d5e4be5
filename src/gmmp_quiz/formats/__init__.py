"""Importers and exporters of question banks (GIFT, Moodle XML, Anki, CSV/TSV, Open Trivia DB)."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.files import os_reason
from gmmp_quiz.formats.common import (
    ImportResult,
    set_id_from_path,
    title_from_path,
)
from gmmp_quiz.i18n import _
from gmmp_quiz.sets.rules import ID_RE, LANG_RE

__all__ = [
    "FORMATS",
    "ImportResult",
    "detect_format",
    "import_file",
    "import_text",
]

FORMATS = ("gift", "moodle-xml", "apkg", "anki", "csv", "tsv", "opentdb")
# Formats read as bytes (a zip), not as text.
BINARY_FORMATS = ("apkg",)
MAX_BYTES = 10 * 1024 * 1024
_GIFT_HINT_RE = re.compile(
    r"\{\s*(?:[=~#]|T\s*\}|F\s*\}|TRUE\s*\}|FALSE\s*\})|^\s*::|^\$CATEGORY:", re.M
)


_YAML_KEY_RE = re.compile(r"^[A-Za-z_][\w .-]*:(?:\s|$)", re.M)
_SET_KEYS_RE = re.compile(r"^questions:\s*$", re.M)


def detect_format(path: str | Path, text: str) -> str:
    """The format of a file, from its extension and then its content.

    A file in no known format is refused (a ValidationError saying what it looks like): a
    guess would turn any text into nonsense cards.
    """
    shown = str(path)
    suffix = Path(path).suffix.lower()
    by_suffix = {".gift": "gift", ".json": "opentdb", ".tsv": "tsv", ".csv": "csv"}
    if suffix in by_suffix:
        return by_suffix[suffix]
    if suffix in (".apkg", ".colpkg"):
        return "apkg"
    stripped = text.lstrip("\ufeff \t\r\n")
    if suffix == ".xml" or stripped.startswith(("<?xml", "<quiz")):
        return "moodle-xml"
    if suffix in (".yaml", ".yml") or _looks_like_yaml(stripped):
        if _SET_KEYS_RE.search(text):
            why = _("this is a gmmp-quiz question set already: use `gmmp-quiz add` to add it")
        else:
            why = _(
                "this is YAML, but not a gmmp-quiz set: to import another program's YAML, "
                "convert it to a set (see docs/question-format.md) or to CSV"
            )
        raise ValidationError([Problem(shown, 0, 0, why)])
    if stripped.startswith(("{", "[")):
        try:
            json.loads(stripped)
        except ValueError:
            pass
        else:
            return "opentdb"
    if re.match(r"#(separator|html|columns|tags|deck|notetype|guid)", stripped, re.IGNORECASE):
        return "anki"
    if _GIFT_HINT_RE.search(text):
        return "gift"
    if _looks_delimited(stripped):
        return "anki"
    what = (
        _("empty") if not stripped else _("plain text with no answers, fields or questions in it")
    )
    raise ValidationError(
        [
            Problem(
                shown,
                0,
                0,
                _(
                    "not a format this app imports (the file looks like {what}): GIFT, Moodle "
                    "XML, Anki (.apkg or text), CSV/TSV or Open Trivia DB JSON; name it with "
                    "--from if it is one"
                ).format(what=what),
            )
        ]
    )


def _looks_like_yaml(text: str) -> bool:
    """Whether a text reads as YAML: a document marker or mostly `key: value` lines."""
    if text.startswith(("---\n", "%YAML")):
        return True
    lines = [line for line in text.splitlines()[:50] if line.strip() and not line.startswith("#")]
    if len(lines) < 2 or "\t" in text[:4000]:
        return False
    keyed = sum(1 for line in lines if _YAML_KEY_RE.match(line.lstrip("- ")))
    return keyed * 2 > len(lines) and bool(_YAML_KEY_RE.match(lines[0]))


def _looks_delimited(text: str) -> bool:
    """Whether a text reads as cards: tab-separated, or lines cut alike by ';' or ','."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return False
    if all("\t" in line for line in lines):
        return True
    for sep in (";", ","):
        widths = {line.count(sep) for line in lines}
        if len(lines) >= 2 and len(widths) == 1 and widths != {0}:
            return True
    return False


def import_text(
    text: str,
    path: str,
    fmt: str,
    set_id: str | None = None,
    title: str | None = None,
    typed: bool = False,
    lang: str = "en",
) -> ImportResult:
    """Import the text of a file in format `fmt` (one of FORMATS) as a question set."""
    if fmt not in FORMATS:
        raise ValidationError([Problem(path, 0, 0, _("unknown format {fmt!r}").format(fmt=fmt))])
    _check_options(path, set_id, lang)
    if fmt == "gift":
        from gmmp_quiz.formats import gift

        result = gift.parse(text, path)
    elif fmt == "moodle-xml":
        from gmmp_quiz.formats import moodlexml

        result = moodlexml.parse(text, path)
    elif fmt == "apkg":
        raise ValidationError([Problem(path, 0, 0, _("an Anki package is read from its file"))])
    elif fmt == "opentdb":
        from gmmp_quiz.formats import opentdb

        result = opentdb.parse(text, path)
    else:
        from gmmp_quiz.formats import delimited

        result = delimited.parse(text, path, fmt=fmt, typed=typed)
    return _finish(result, path, fmt, set_id, title, lang)


def _check_options(path: str, set_id: str | None, lang: str) -> None:
    """Refuse a bad --language or --id before any parsing."""
    if not LANG_RE.match(lang):
        raise ValidationError(
            [Problem(path, 0, 0, _("{lang!r} is not a language code (like en)").format(lang=lang))]
        )
    if set_id is not None and not ID_RE.match(set_id):
        raise ValidationError(
            [
                Problem(
                    path,
                    0,
                    0,
                    _("set id {set_id!r} may use only letters, digits, '-', '_', '.'").format(
                        set_id=set_id
                    ),
                )
            ]
        )


def _finish(
    result: ImportResult, path: str, fmt: str, set_id: str | None, title: str | None, lang: str
) -> ImportResult:
    """The set's id, title and language, and its keys in the usual order."""
    data = result.data
    data["id"] = set_id or set_id_from_path(path)
    data["title"] = title or data.get("title") or title_from_path(path)
    data["language"] = lang
    result.data = _ordered(data)
    result.fmt = fmt
    return result


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "title", "language", "description", "source", "tags", "options", "questions")
    return {k: data[k] for k in keys if k in data} | {
        k: v for k, v in data.items() if k not in keys
    }


def read_file(path: Path) -> str:
    """A file's text (UTF-8, BOM dropped); unreadable or binary files are a ValidationError."""
    shown = str(path)
    raw = read_bytes(path, MAX_BYTES)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError([Problem(shown, 0, 0, _("file is UTF-16: save it as UTF-8"))])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValidationError(
            [
                Problem(
                    shown,
                    line,
                    0,
                    _("not valid UTF-8 (byte 0x{value:02x}): save as UTF-8").format(
                        value=raw[exc.start]
                    ),
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


def read_bytes(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most `limit` of them; anything else is a ValidationError."""
    shown = str(path)
    try:
        # A pipe or a device has no size to trust (/dev/zero says 0), and opening a pipe waits
        # for a writer: only regular files are opened.
        if not stat.S_ISREG(path.stat().st_mode):
            raise ValidationError([Problem(shown, 0, 0, _("not a regular file"))])
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ValidationError([Problem(shown, 0, 0, _("not a regular file"))])
            if info.st_size > limit:
                raise ValidationError(
                    [
                        Problem(
                            shown,
                            0,
                            0,
                            _("file is larger than {value} MB").format(value=limit >> 20),
                        )
                    ]
                )
            # read(limit + 1) would set aside `limit` bytes first: read what the file holds,
            # then in chunks should it have grown meanwhile.
            raw = handle.read(info.st_size + 1)
            while len(raw) > info.st_size and len(raw) <= limit:
                chunk = handle.read(1 << 20)
                if not chunk:
                    break
                raw += chunk
    except OSError as exc:
        raise ValidationError(
            [Problem(shown, 0, 0, _("cannot read: {reason}").format(reason=os_reason(exc)))]
        ) from None
    if len(raw) > limit:
        raise ValidationError(
            [Problem(shown, 0, 0, _("file is larger than {value} MB").format(value=limit >> 20))]
        )
    return raw


def _is_zip(path: Path) -> bool:
    """Whether a regular file starts as a zip does (an Anki package under another name)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False  # opening a pipe would wait for a writer
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False  # read_file says why


def import_file(
    path: str | Path,
    fmt: str | None = None,
    set_id: str | None = None,
    title: str | None = None,
    typed: bool = False,
    lang: str = "en",
) -> ImportResult:
    """Import a file (format detected when `fmt` is None) as a question set."""
    path = Path(path)
    if fmt in BINARY_FORMATS or (
        fmt is None and (path.suffix.lower() in (".apkg", ".colpkg") or _is_zip(path))
    ):
        from gmmp_quiz.formats import apkg

        _check_options(str(path), set_id, lang)
        result = apkg.parse(read_bytes(path, apkg.MAX_BYTES), str(path))
        return _finish(result, str(path), "apkg", set_id, title, lang)
    text = read_file(path)
    fmt = fmt or detect_format(path, text)
    return import_text(text, str(path), fmt, set_id=set_id, title=title, typed=typed, lang=lang)

"""Importers and exporters of question banks (Moodle GIFT, Anki text, CSV/TSV, Open Trivia DB)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.formats.common import (
    ID_RE,
    ImportResult,
    set_id_from_path,
    title_from_path,
)

__all__ = [
    "FORMATS",
    "SCHEMA_LINE",
    "ImportResult",
    "detect_format",
    "dump_set",
    "import_file",
    "import_text",
]

FORMATS = ("gift", "anki", "csv", "tsv", "opentdb")
SCHEMA_LINE = "# yaml-language-server: $schema=./question-set.schema.json"
MAX_BYTES = 10 * 1024 * 1024
_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_GIFT_HINT_RE = re.compile(
    r"\{\s*(?:[=~#]|T\s*\}|F\s*\}|TRUE\s*\}|FALSE\s*\})|^\s*::|^\$CATEGORY:", re.M
)


def detect_format(path: str | Path, text: str) -> str:
    """The format of a file, from its extension and then its content."""
    suffix = Path(path).suffix.lower()
    if suffix == ".gift":
        return "gift"
    if suffix == ".json":
        return "opentdb"
    if suffix == ".tsv":
        return "tsv"
    if suffix == ".csv":
        return "csv"
    stripped = text.lstrip("\ufeff \t\r\n")
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
    return "anki"


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
        raise ValidationError([Problem(path, 0, 0, f"unknown format {fmt!r}")])
    if not _LANG_RE.match(lang):
        raise ValidationError([Problem(path, 0, 0, f"{lang!r} is not a language code (like en)")])
    if set_id is not None and not ID_RE.match(set_id):
        raise ValidationError(
            [Problem(path, 0, 0, f"set id {set_id!r} may use only letters, digits, '-', '_', '.'")]
        )
    if fmt == "gift":
        from gmmp_quiz.formats import gift

        result = gift.parse(text, path)
    elif fmt == "opentdb":
        from gmmp_quiz.formats import opentdb

        result = opentdb.parse(text, path)
    else:
        from gmmp_quiz.formats import delimited

        result = delimited.parse(text, path, fmt=fmt, typed=typed)
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
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValidationError([Problem(shown, 0, 0, "file is larger than 10 MB")])
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError([Problem(shown, 0, 0, f"cannot read: {exc.strerror}")]) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError([Problem(shown, 0, 0, "file is UTF-16: save it as UTF-8")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValidationError(
            [
                Problem(
                    shown, line, 0, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save as UTF-8"
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


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
    text = read_file(path)
    fmt = fmt or detect_format(path, text)
    return import_text(text, str(path), fmt, set_id=set_id, title=title, typed=typed, lang=lang)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """A safe dumper writing multi-line texts as literal blocks."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_representer)


def dump_set(data: dict[str, Any]) -> str:
    """The YAML text of a set (plain data), with the editor schema line first."""
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,
        default_flow_style=False,
    )
    return f"{SCHEMA_LINE}\n{body}"

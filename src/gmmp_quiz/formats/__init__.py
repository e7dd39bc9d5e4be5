"""Importers and exporters of question banks (Moodle GIFT, Anki text, CSV/TSV, Open Trivia DB)."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

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


# A plain (unquoted) scalar must start with a letter and hold nothing YAML could read otherwise.
_PLAIN_RE = re.compile(r"[^\W\d_][^#:\"\\{}\[\]\n\r\t]*(?<! )")
# YAML 1.1 reads these words as booleans or null: they are always quoted.
_RESERVED = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])
# Characters that must not appear raw in a YAML stream (line breaks YAML 1.1 knows, non-characters).
_RAW_UNSAFE_RE = re.compile("[\u0085\u2028\u2029\ufeff\ufffe\uffff]")


def _quoted(text: str) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is valid YAML)."""
    out = json.dumps(text, ensure_ascii=False)
    return _RAW_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def _number(value: float) -> str:
    """A number as plain decimal digits (the loader refuses exponents)."""
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    text = str(value)
    if _PLAIN_RE.fullmatch(text) and text.lower() not in _RESERVED and text.isprintable():
        return text
    return _quoted(text)


def _literal_ok(text: str) -> bool:
    """Whether a multi-line text can be written as a `|-` block and read back the same."""
    return (
        "\n" in text
        and not text.startswith((" ", "\n"))
        and not text.endswith(("\n", " "))
        and "\t" not in text
        and "\r" not in text
        and not _RAW_UNSAFE_RE.search(text)
        and all(line.isprintable() for line in text.split("\n"))
        and not any(line.endswith(" ") for line in text.split("\n"))
    )


def _emit_scalar(head: str, value: Any, indent: int, lines: list[str]) -> None:
    if isinstance(value, str) and _literal_ok(value):
        lines.append(f"{head} |-")
        pad = " " * indent
        lines.extend(pad + line if line else "" for line in value.split("\n"))
    else:
        lines.append(f"{head} {_scalar(value)}")


def _emit_mapping(data: dict[str, Any], indent: int, lines: list[str], first: str | None) -> None:
    pad = " " * indent
    for i, (key, value) in enumerate(data.items()):
        head = f"{first if i == 0 and first is not None else pad}{key}:"
        if isinstance(value, dict):
            if value:
                lines.append(head)
                _emit_mapping(value, indent + 2, lines, None)
            else:
                lines.append(f"{head} {{}}")
        elif isinstance(value, list):
            if value:
                lines.append(head)
                _emit_sequence(value, indent + 2, lines)
            else:
                lines.append(f"{head} []")
        else:
            _emit_scalar(head, value, indent + 2, lines)


def _emit_sequence(items: list[Any], indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            _emit_mapping(item, indent + 2, lines, pad + "- ")
        elif isinstance(item, list) and item:
            lines.append(f"{pad}-")
            _emit_sequence(item, indent + 2, lines)
        elif isinstance(item, dict | list):
            lines.append(f"{pad}- {'{}' if isinstance(item, dict) else '[]'}")
        else:
            _emit_scalar(f"{pad}-", item, indent + 2, lines)


def dump_set(data: dict[str, Any]) -> str:
    """The YAML text of a set (plain data), with the editor schema line first.

    A small emitter of our own: block style, plain scalars only where they cannot be misread,
    JSON-style double quotes otherwise, `|-` blocks for multi-line texts. PyYAML's dumper did the
    same job several times slower on large imports.
    """
    lines = [SCHEMA_LINE]
    _emit_mapping(data, 0, lines, None)
    return "\n".join(lines) + "\n"

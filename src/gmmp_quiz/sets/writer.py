"""The YAML writer of question sets: plain data -> the text the loader reads back the same."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from json.encoder import encode_basestring as _json_string
from typing import Any

SCHEMA_LINE = "# yaml-language-server: $schema=./question-set.schema.json"

# A plain (unquoted) scalar must start with a letter and hold nothing YAML could read otherwise.
_PLAIN_RE = re.compile(r"[^\W\d_][^#:\"\\{}\[\]\n\r\t]*(?<! )")
# YAML 1.1 reads these words as booleans or null: they are always quoted.
_plain = _PLAIN_RE.fullmatch
_RESERVED = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])
# Characters that must not appear raw in a YAML stream (line breaks YAML 1.1 knows, non-characters).
_RAW_UNSAFE_RE = re.compile("[\u0085\u2028\u2029\ufeff\ufffe\uffff]")


def _quoted(text: str) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is valid YAML)."""
    # json.dumps(text, ensure_ascii=False) without its per-call encoder set-up.
    out = _json_string(text)
    if _RAW_UNSAFE_RE.search(out) is None:
        return out
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
    """A one-line scalar: null, a boolean, a number or a text (plain or quoted)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    text = str(value)
    return text if _is_plain(text) else _quoted(text)


def _is_plain(text: str) -> bool:
    """Whether a text can be written unquoted (one line, read back as the same string)."""
    # The reserved words are at most 5 letters: longer texts skip the lower-casing.
    return bool(
        _plain(text) and text.isprintable() and (len(text) > 5 or text.lower() not in _RESERVED)
    )


def _literal_ok(text: str) -> bool:
    """Whether a multi-line text can be written as a `|-` block and read back the same."""
    if (
        "\n" not in text
        or text.startswith((" ", "\n"))
        or text.endswith(("\n", " "))
        or "\t" in text
        or "\r" in text
        or _RAW_UNSAFE_RE.search(text)
    ):
        return False
    return all(line.isprintable() and not line.endswith(" ") for line in text.split("\n"))


def _emit_text(head: str, text: str, indent: int, lines: list[str]) -> None:
    """A text that cannot be plain: a `|-` block when it has lines and can be one, else quoted."""
    if "\n" in text and _literal_ok(text):
        lines.append(f"{head} |-")
        pad = " " * indent
        lines.extend(pad + line if line else "" for line in text.split("\n"))
    else:
        lines.append(f"{head} {_quoted(text)}")


def _emit_scalar(head: str, value: Any, indent: int, lines: list[str]) -> None:
    if isinstance(value, str):
        text = str(value)
        if _is_plain(text):
            lines.append(f"{head} {text}")
        else:
            _emit_text(head, text, indent, lines)
    else:
        lines.append(f"{head} {_scalar(value)}")


# _emit_mapping and _emit_sequence write every text of a set: _is_plain's test is inlined there.


def _emit_mapping(data: dict[str, Any], indent: int, lines: list[str], first: str | None) -> None:
    pad = " " * indent
    head_pad = pad if first is None else first
    for key, value in data.items():
        if type(value) is str:
            if (
                _plain(value)
                and value.isprintable()
                and (len(value) > 5 or value.lower() not in _RESERVED)
            ):
                lines.append(f"{head_pad}{key}: {value}")
            else:
                _emit_text(f"{head_pad}{key}:", value, indent + 2, lines)
        elif isinstance(value, dict):
            if value:
                lines.append(f"{head_pad}{key}:")
                _emit_mapping(value, indent + 2, lines, None)
            else:
                lines.append(f"{head_pad}{key}: {{}}")
        elif isinstance(value, list):
            if value:
                lines.append(f"{head_pad}{key}:")
                _emit_sequence(value, indent + 2, lines)
            else:
                lines.append(f"{head_pad}{key}: []")
        else:
            _emit_scalar(f"{head_pad}{key}:", value, indent + 2, lines)
        head_pad = pad


def _emit_sequence(
    items: list[Any], indent: int, lines: list[str], starts: list[int] | None = None
) -> None:
    """The items of a list; `starts` (when given) gets the 1-based line where each begins."""
    pad = " " * indent
    dash = pad + "- "
    for item in items:
        if starts is not None:
            starts.append(len(lines) + 1)
        if type(item) is str:
            if (
                _plain(item)
                and item.isprintable()
                and (len(item) > 5 or item.lower() not in _RESERVED)
            ):
                lines.append(dash + item)
            else:
                _emit_text(f"{pad}-", item, indent + 2, lines)
        elif isinstance(item, dict) and item:
            _emit_mapping(item, indent + 2, lines, dash)
        elif isinstance(item, list) and item:
            lines.append(f"{pad}-")
            _emit_sequence(item, indent + 2, lines)
        elif isinstance(item, dict | list):
            lines.append(f"{pad}- {'{}' if isinstance(item, dict) else '[]'}")
        else:
            _emit_scalar(f"{pad}-", item, indent + 2, lines)


def _emit_set(data: dict[str, Any]) -> tuple[str, list[int], tuple[int, int]]:
    """The YAML text of a set, the line of each question and the position of the set id."""
    lines = [SCHEMA_LINE]
    question_lines: list[int] = []
    id_at = (0, 0)
    for key, value in data.items():
        if key == "questions" and isinstance(value, list) and value:
            lines.append("questions:")
            _emit_sequence(value, 2, lines, question_lines)
            continue
        if key == "id":
            id_at = (len(lines) + 1, len("id: ") + 1)
        _emit_mapping({key: value}, 0, lines, None)
    return "\n".join(lines) + "\n", question_lines, id_at


def dump_set(data: dict[str, Any]) -> str:
    """The YAML text of a set (plain data), with the editor schema line first.

    A small emitter of our own: block style, plain scalars only where they cannot be misread,
    JSON-style double quotes otherwise, `|-` blocks for multi-line texts. PyYAML's dumper did the
    same job several times slower on large imports.
    """
    return _emit_set(data)[0]


def dump_checked(data: dict[str, Any], path: str) -> tuple[str, dict[str, Any]]:
    """The YAML text of a set and the checked data the loader reads from it (as check_text).

    Raises ValidationError, with `path` and the text's line:col, when the loader would refuse
    the text. The data is checked directly (datacheck.check_data, the loader's rules on plain
    values): parsing the text back would cost several times the import. Whatever that check
    cannot vouch for is parsed and checked as any set file is.
    """
    from gmmp_quiz.sets.datacheck import check_data
    from gmmp_quiz.sets.validation import check_text

    text, question_lines, id_at = _emit_set(data)
    checked = check_data(data, question_lines=question_lines, id_at=id_at)
    return text, checked if checked is not None else check_text(text, path)

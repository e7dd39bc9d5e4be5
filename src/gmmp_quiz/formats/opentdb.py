"""Open Trivia DB JSON (the API's envelope or a bare list): multiple choice and true/false."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any
from urllib.parse import unquote

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.files import json_reason
from gmmp_quiz.formats.common import (
    IdAllocator,
    ImportResult,
    Notes,
    content_id,
    slug,
    tag_word,
    unique,
)
from gmmp_quiz.i18n import N_, _

_RESPONSE_CODES = {
    1: N_("no results: the API had not enough questions for the query"),
    2: N_("invalid parameter in the API query"),
    3: N_("session token not found"),
    4: N_("session token empty: all questions for the query were already returned"),
    5: N_("rate limit: too many requests"),
}
_BASE64_RE = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")
_URL_RE = re.compile(r"%[0-9A-Fa-f]{2}")


def _item_lines(text: str, array_start: int) -> list[int]:
    """The line of each element of the JSON array starting at `array_start` (best effort)."""
    lines: list[int] = []
    depth = 0
    in_string = False
    escaped = False
    line = text.count("\n", 0, array_start) + 1
    expect_item = False
    for i in range(array_start, len(text)):
        ch = text[i]
        if ch == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if depth == 1 and expect_item and not ch.isspace():
            lines.append(line)
            expect_item = False
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth == 1:
                expect_item = True
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                break
        elif ch == "," and depth == 1:
            expect_item = True
    return lines


def _results_array_start(text: str, envelope: bool) -> int:
    if not envelope:
        return text.find("[")
    m = re.search(r'"results"\s*:\s*\[', text)
    return m.end() - 1 if m else -1


def _b64(text: str) -> str:
    """A base64 text decoded (left as it is when it is not base64)."""
    try:
        return base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return text


def _decoder(items: list[Any]) -> Any:
    """How the texts are encoded: the API's `encode=base64` or `url3986`, else HTML entities."""
    samples = [
        str(item.get("question", ""))
        for item in items[:20]
        if isinstance(item, dict) and isinstance(item.get("question"), str)
    ]
    if samples and all(" " not in s for s in samples):
        if all(_BASE64_RE.match(s) and len(s) % 4 == 0 for s in samples):
            try:
                for s in samples:
                    base64.b64decode(s, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                pass
            else:
                return _b64
        if any(_URL_RE.search(s) for s in samples):
            return unquote
    return None


def parse(text: str, path: str) -> ImportResult:
    """Import Open Trivia DB JSON; the envelope's response code and bad items are reported."""
    notes = Notes(path)
    text = text.removeprefix("\ufeff")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = _("not JSON: {reason}").format(reason=json_reason(exc))
        raise ValidationError([Problem(path, exc.lineno, exc.colno, reason)]) from None
    except (ValueError, RecursionError):
        raise ValidationError([Problem(path, 0, 0, _("not JSON (or nested too deeply)"))]) from None
    envelope = isinstance(data, dict)
    if envelope:
        code = data.get("response_code", 0)
        if code not in (0, None):
            reason = (
                _(_RESPONSE_CODES.get(code, N_("unknown error"))) if isinstance(code, int) else "?"
            )
            raise ValidationError(
                [
                    Problem(
                        path,
                        1,
                        0,
                        _("the Open Trivia DB answered response_code {code}: {reason}").format(
                            code=code, reason=reason
                        ),
                    )
                ]
            )
        items = data.get("results")
        if not isinstance(items, list):
            raise ValidationError(
                [Problem(path, 1, 0, _('no "results" list: is this Open Trivia DB JSON?'))]
            )
    elif isinstance(data, list):
        items = data
    else:
        raise ValidationError([Problem(path, 1, 0, _("expected an object with results or a list"))])
    lines = _item_lines(text, _results_array_start(text, envelope))
    decode = _decoder(items)
    ids = IdAllocator(notes)
    questions: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else 0
        q = _question(item, line, notes, decode)
        if q is None:
            continue
        answers = [q.get("answer"), *q.get("choices", [])]
        data_q: dict[str, Any] = {
            "id": ids.allocate(content_id(q["prompt"], [str(a) for a in answers]), line)
        }
        data_q.update(q)
        questions.append(data_q)
    if not questions:
        raise ValidationError(
            [Problem(path, 0, 0, _("no question could be imported: is this Open Trivia DB JSON?"))]
            + notes.items[:20]
        )
    return ImportResult({"questions": questions}, notes.items, notes.skipped, "opentdb")


def _question(item: Any, line: int, notes: Notes, decode: Any) -> dict[str, Any] | None:
    """One result as question data, or None (skipped with a note)."""
    if not isinstance(item, dict):
        notes.skip(line, _("an entry that is not an object: skipped"))
        return None

    def text(key: str) -> str:
        value = item.get(key)
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return ""
        value = str(value)
        if decode is not None:
            value = decode(value)
        # The API's default encoding is HTML entities, never markup: decode entities only.
        return notes.text(value.replace("<", "\ue011"), line, html_mode=True).replace("\ue011", "<")

    prompt = text("question")
    if not prompt:
        notes.skip(line, _('an entry without a "question": skipped'))
        return None
    kind = item.get("type")
    if decode is not None and isinstance(kind, str):
        kind = decode(kind)
    correct = text("correct_answer")
    incorrect_raw = item.get("incorrect_answers")
    if not isinstance(incorrect_raw, list):
        incorrect_raw = []
    tags: list[str] = []
    for key in ("category", "difficulty"):
        value = text(key)
        if value:
            tags.append(slug(value, 60) or tag_word(value))
    q: dict[str, Any]
    if kind == "boolean":
        if correct.lower() not in ("true", "false"):
            notes.skip(
                line,
                _("a true/false question whose answer is {correct!r}: skipped").format(
                    correct=correct
                ),
            )
            return None
        q = {"type": "true_false", "prompt": prompt, "answer": correct.lower() == "true"}
    elif kind == "multiple" or kind is None:
        if not correct:
            notes.skip(line, _('a question without "correct_answer": skipped'))
            return None
        wrong: list[str] = []
        seen = {correct}  # a set: a list scan is quadratic in a question of many answers
        for value in incorrect_raw:
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                value = str(value)
                if decode is not None:
                    value = decode(value)
                value = notes.text(value.replace("<", "\ue011"), line, True).replace("\ue011", "<")
                if value and value not in seen:
                    seen.add(value)
                    wrong.append(value)
        if not wrong:
            notes.skip(line, _("a multiple-choice question without wrong answers: skipped"))
            return None
        q = {"type": "choice", "prompt": prompt, "choices": [correct, *wrong], "answer": correct}
    else:
        notes.skip(line, _("unknown question type {kind!r}: skipped").format(kind=kind))
        return None
    tags = unique(tags)
    if tags:
        q["tags"] = tags
    return q

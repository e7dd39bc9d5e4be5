"""Typed-text matching: folding (case, accents, punctuation), typo limits, number parsing, diffs."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA, Levenshtein

__all__ = ["Match", "char_diff", "match_typed", "normalize", "parse_number", "typo_threshold"]

# Letters that carry no combining mark under NFKD but that people type without their stroke.
_LOOSE_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


class _FoldTable(dict[int, str | None]):
    """`str.translate` table of the folding, each character's entry worked out on first use.

    Folding runs over every text of every missed question when the missed list is searched:
    a translate table does in C what a loop over characters did in Python.
    """

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        value: str | None = ch
        if not ch.isalnum():
            cat = unicodedata.category(ch)
            if cat[0] == "P" or cat == "Sk" or cat[0] == "Z" or cat == "Cc" or ch.isspace():
                value = " "
            elif cat == "Cf":
                value = None  # zero-width and soft-hyphen characters are invisible when typed
        self[code] = value
        return value


class _MarkTable(dict[int, str | None]):
    """`str.translate` table that drops combining marks and unstrokes the loose letters."""

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        value: str | None = None
        if unicodedata.category(ch) not in ("Mn", "Me"):
            value = ch.translate(_LOOSE_LETTERS)
        self[code] = value
        return value


_FOLD = _FoldTable()
_MARKS = _MarkTable()


def _fold_chars(text: str) -> str:
    return " ".join(text.translate(_FOLD).split())


def _normalize_once(text: str, strict_accents: bool) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_LIGATURES)
    if not strict_accents:
        text = unicodedata.normalize("NFKD", text).translate(_MARKS)
    return unicodedata.normalize("NFC", _fold_chars(text))


def normalize(text: str, *, strict_accents: bool = False) -> str:
    """Fold a typed text for comparison: NFKC, casefold, accents, punctuation and spaces."""
    # A few exotic characters only settle after a second pass (casefold can produce compatibility
    # forms); looping to a fixed point keeps normalize idempotent.
    result = _normalize_once(text, strict_accents)
    for _ in range(4):
        again = _normalize_once(result, strict_accents)
        if again == result:
            break
        result = again
    # Letters spelt out one by one are an acronym: "G.M.M.P." and "G M M P" mean "GMMP".
    return _SPELT_OUT.sub(lambda m: m.group().replace(" ", ""), result)


_SPELT_OUT = re.compile(r"(?<!\w)[^\W\d_](?: [^\W\d_])+(?!\w)")


# Typo tolerance, by the length of the normalized accepted answer (spaces count):
#   <= 3 characters: 0 edits; 4-7: 1; 8-15: 2; 16 and more: 3; any digit in the answer: 0.
# Edits are optimal-string-alignment edits: insert, delete, replace, or swap two neighbouring
# letters ("gird" is "grid" with one typo). With strict accents, an accent error is never a
# typo: the accent-insensitive distance must equal the strict one.
def typo_threshold(normalized: str) -> int:
    """How many edits a typed answer may be off the normalized accepted answer and still count."""
    # Digits mean a number, a year or a date: one edit makes it another fact, never a typo.
    if any(c.isdigit() for c in normalized):
        return 0
    n = len(normalized)
    if n <= 3:
        return 0
    if n <= 7:
        return 1
    if n <= 15:
        return 2
    return 3


_SPACES = "[ \u00a0\u202f\u2009\u2007\u2008\u200a]"
_NUMBER_RE = re.compile(
    r"\s*(?P<sign>[+\-\u2212]?)\s*"
    rf"(?P<int>\d{{1,3}}(?:{_SPACES}\d{{3}})+|\d+)?"
    r"(?:[.,](?P<frac>\d+))?"
    r"(?:[eE](?P<exp>[+\-\u2212]?\d+))?"
    r"(?P<rest>.*)",
    re.DOTALL,
)


# Two other readers of numbers exist and differ on purpose; they are not this rule:
# - sets/edit.parse_number reads the number an author types in a field of the question form:
#   a number and nothing else (the unit has its own field), kept an int when written whole so
#   that the set's YAML shows "42", and refused with the form's message rather than None.
# - formats/gift's _Context.parse_number reads GIFT's numeric syntax as Moodle writes it:
#   "x:tolerance" and "a..b" ranges with GIFT escapes, where ':' and '.' are syntax.
# This one reads what a learner types as an answer: forgiving of spaces in thousands, a decimal
# comma, a Unicode minus and a unit after the number, and never raising.
def parse_number(text: str) -> float | None:
    """Read a typed number ("2025", "2 025", "2025,5", "-3", "1e3", "12 km"), None when none."""
    m = _NUMBER_RE.fullmatch(text)
    if m is None or (m["int"] is None and m["frac"] is None):
        return None
    rest = m["rest"].strip()
    # The rest may be a unit ("ans", "km", "e" as in "7e"), never more digits ("2025-06-25").
    if any(c.isdigit() for c in rest):
        return None
    digits = re.sub(_SPACES, "", m["int"] or "0")
    literal = f"{digits}.{m['frac'] or '0'}"
    if m["exp"]:
        literal += "e" + m["exp"].replace("\u2212", "-")
    try:
        value = float(literal)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return -value if m["sign"] in ("-", "\u2212") else value


def _key(text: str, strict: bool) -> str:
    """The folded form of a text; one made only of punctuation or symbols keeps its marks."""
    # Folding erases punctuation, so "?", "—" or "%" would fold to nothing: such an answer is
    # compared as typed (case and width folded), and right only when typed exactly.
    folded = normalize(text, strict_accents=strict)
    if folded:
        return folded
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _char_key(ch: str, strict: bool) -> str:
    return _normalize_once(ch, strict) or " "


def char_diff(given: str, target: str, strict: bool) -> tuple[tuple[str, str], ...]:
    """Edits from `given` to `target` as (tag, text) segments; case and loose accents ignored."""
    # Compare per-character keys so that case (and accents, when loose) do not show as edits, while
    # the segments keep the learner's and the answer's own characters for display.
    a = [_char_key(c, strict) for c in given]
    b = [_char_key(c, strict) for c in target]
    segments: list[tuple[str, str]] = []
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            segments.append(("equal", given[op.src_start : op.src_end]))
            continue
        if op.src_end > op.src_start:
            segments.append(("delete", given[op.src_start : op.src_end]))
        if op.dest_end > op.dest_start:
            segments.append(("insert", target[op.dest_start : op.dest_end]))
    return tuple(segments)


@dataclass(frozen=True)
class Match:
    """The accepted answer a typed text matched, and whether only within a typo."""

    accepted: str
    typo: bool


def match_typed(
    given: str, accepted: Sequence[str], strict: bool, rivals: Sequence[str] = ()
) -> Match | None:
    """The accepted answer `given` matches, exactly first, else the closest within a typo.

    `rivals` are the question's other right answers (another gap's answers, its choices or
    items): a typed text that is one of them, or is at least as near one of them as to the
    nearest accepted answer, is never forgiven as a typo of this one.
    """
    key = _key(given, strict)
    if not key:
        return None
    keys = [(a, _key(a, strict)) for a in accepted if a.strip()]
    for answer, answer_key in keys:
        if key == answer_key:
            return Match(answer, False)
    accepted_keys = {k for _, k in keys}
    rival_keys = {k for r in rivals if r.strip() and (k := _key(r, strict)) not in accepted_keys}
    if key in rival_keys:
        return None
    loose = _key(given, False) if strict else key
    best: tuple[int, str] | None = None
    for answer, answer_key in keys:
        limit = typo_threshold(normalize(answer))
        if limit == 0:
            continue
        dist = OSA.distance(key, answer_key, score_cutoff=limit)
        if dist > limit:
            continue
        # Strict accents: an accent error is never forgiven as a typo, so the loose distance
        # must account for every edit.
        if strict and OSA.distance(loose, _key(answer, False)) != dist:
            continue
        if best is None or dist < best[0]:
            best = (dist, answer)
    if best is None:
        return None
    # "migration" typed in the gap of "immigration" is the other gap's answer, not a typo: a
    # rival as near as the best accepted answer makes the typo ambiguous, so it is not forgiven.
    if any(OSA.distance(key, rk, score_cutoff=best[0]) <= best[0] for rk in rival_keys):
        return None
    return Match(best[1], True)

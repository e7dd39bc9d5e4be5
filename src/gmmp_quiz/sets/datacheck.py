"""The loader's rules on plain data, for import: check_data vouches for a set without its YAML."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gmmp_quiz.model import Kind, parse_cloze
from gmmp_quiz.sets.rules import (
    ANSWER_FEEDBACK_KEYS,
    CHOICE_KEYS,
    ESCAPED_BAD_RE,
    GAP_RE,
    ID_RE,
    LANG_RE,
    MAX_WEIGHT,
    MIN_ALT_WEIGHT,
    MIN_ANSWERS,
    MIN_CHOICE_WEIGHT,
    MIN_CHOICES,
    MIN_GAP_CHOICES,
    MIN_ITEMS,
    MIN_PAIRS,
    MIN_QUESTIONS,
    MIN_TOLERANCE,
    NUMERIC_ALT_KEYS,
    OPTION_DEFAULTS,
    OPTION_KEYS,
    PAIR_KEYS,
    QUESTION_FLAG_KEYS,
    QUESTION_TEXT_KEYS,
    SET_KEYS,
    SET_REQUIRED,
    SET_TEXT_KEYS,
    SHORT_ALT_KEYS,
    question_keys,
    question_required,
)

# The importers hold a set as plain data and write it with writer.dump_set, whose text reads
# back as the same values. Parsing that text again costs far more than the import itself, so
# check_data applies _Checker's rules to the data directly. It only ever vouches: anything it
# is not sure of (a problem, an odd type, a shape the importers never make) returns None, and
# the caller checks the text itself, so every message and position still comes from _Checker.
# Both take their tables (keys, limits, forms) from rules.py; how a rule is applied is written
# twice, so change the two together: tests/test_import_check.py compares them on random data.

# What the text check refuses in a value (a "\r" too: data can only hold it as an escape).
_data_bad = ESCAPED_BAD_RE.search
_KIND_BY_NAME = {kind.value: kind for kind in Kind}
_KEYS_OF_KIND = {kind: frozenset(question_keys(kind)) for kind in Kind}
# 'type' is known present: the kind is read from it.
_NEEDED_OF_KIND = {kind: frozenset(question_required(kind)) - {"type"} for kind in Kind}
# float() of a whole number and of its digits round alike, up to near float's own limit.
_MAX_INT = 10**300
_INF = float("inf")


class _Unsure(Exception):
    """The data is not plainly valid: the text check decides."""


class _DataChecker:
    """_Checker's rules on plain data: the checked data, or _Unsure at the first doubt."""

    def __init__(self, language: str = "und") -> None:
        self.language = language

    def string(self, value: Any) -> str:
        """A non-blank text with no character the loader refuses."""
        if type(value) is not str or not value.strip() or _data_bad(value):
            raise _Unsure
        return value

    def text(self, value: Any) -> dict[str, str]:
        """A string (in the set's language) or a non-empty map of language code to string."""
        if type(value) is str:  # string()'s test inlined: most values of a set are texts
            if not value.strip() or _data_bad(value):
                raise _Unsure
            return {self.language: value}
        if type(value) is not dict or not value:
            raise _Unsure
        out: dict[str, str] = {}
        for lang, variant in value.items():
            # fullmatch: LANG_RE's '$' would let a trailing newline through, which a key can't hold.
            if type(lang) is not str or not LANG_RE.fullmatch(lang):
                raise _Unsure
            out[lang] = self.string(variant)
        return out

    def texts(self, value: Any, min_items: int = 0) -> list[dict[str, str]]:
        """A list of text fields."""
        if type(value) is not list or len(value) < min_items:
            raise _Unsure
        return [self.text(item) for item in value]

    def boolean(self, value: Any) -> bool:
        """`true` or `false`."""
        if type(value) is not bool:
            raise _Unsure
        return value

    def number(self, value: Any) -> float:
        """A finite number, as the float the loader reads from its decimal digits."""
        if type(value) is int and -_MAX_INT < value < _MAX_INT:
            return float(value)
        if type(value) is float and -_INF < value < _INF:  # NaN compares false: refused too
            return value
        raise _Unsure

    def identifier(self, value: Any) -> str:
        """A stable id."""
        if type(value) is not str or not ID_RE.fullmatch(value):
            raise _Unsure
        return self.string(value)

    def tags(self, value: Any) -> list[str]:
        """A list of tag words (stripped, as the loader keeps them)."""
        if type(value) is not list:
            raise _Unsure
        string = self.string
        return [string(item).strip() for item in value]

    # -- the set ---------------------------------------------------------------------------
    def check_set(
        self, data: Any, question_lines: list[int], id_at: tuple[int, int]
    ) -> dict[str, Any]:
        """The whole set, as check_set gives it."""
        if type(data) is not dict or not _SET_REQUIRED <= data.keys() <= _SET_KEYS:
            raise _Unsure
        lang = self.string(data["language"])
        if not LANG_RE.fullmatch(lang):
            raise _Unsure
        self.language = lang
        out: dict[str, Any] = {"language": lang, "id": self.identifier(data["id"])}
        out["id_at"] = [id_at[0], id_at[1]]
        for key in SET_TEXT_KEYS:
            if key in data:
                out[key] = self.text(data[key])
        if "tag_names" in data:
            raise _Unsure  # importers never write them: the text check has them
        out["tags"] = self.tags(data["tags"]) if "tags" in data else []
        options = data.get("options", {})
        if type(options) is not dict or not options.keys() <= _OPTION_KEYS:
            raise _Unsure
        for key, default in OPTION_DEFAULTS.items():
            out[key] = self.boolean(options.get(key, default))
        items = data["questions"]
        if (
            type(items) is not list
            or len(items) < MIN_QUESTIONS
            or len(items) != len(question_lines)
        ):
            raise _Unsure
        questions = [
            self.check_question(q, line) for q, line in zip(items, question_lines, strict=True)
        ]
        if len({q["id"] for q in questions}) != len(questions):
            raise _Unsure  # a repeated id: the text check reports it with both lines
        out["questions"] = questions
        return out

    def check_question(self, data: Any, line: int) -> dict[str, Any]:
        """One question, as check_question gives it."""
        if type(data) is not dict:
            raise _Unsure
        tname = data.get("type")
        kind = _KIND_BY_NAME.get(tname) if type(tname) is str else None
        if kind is None or not _NEEDED_OF_KIND[kind] <= data.keys() <= _KEYS_OF_KIND[kind]:
            raise _Unsure
        q: dict[str, Any] = {"line": line, "id": self.identifier(data["id"])}
        for key in QUESTION_TEXT_KEYS:
            if key in data:
                q[key] = self.text(data[key])
        if "tags" in data:
            q["tags"] = self.tags(data["tags"])
        for key in QUESTION_FLAG_KEYS:
            if key in data:
                q[key] = self.boolean(data[key])
        q["type"] = kind.value
        _DATA_KIND_CHECKS[kind](self, data, q)
        return q

    # -- per kind --------------------------------------------------------------------------
    def _flashcard(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        q["front"] = self.text(e["front"])
        q["back"] = self.text(e["back"])

    def _choices(self, e: dict[str, Any]) -> list[dict[str, Any]]:
        items = e["choices"]
        if type(items) is not list or len(items) < MIN_CHOICES:
            raise _Unsure
        choices: list[dict[str, Any]] = []
        seen: set[str] = set()
        for item in items:
            choice: dict[str, Any]
            if type(item) is dict and "text" in item:
                if not item.keys() <= _CHOICE_KEYS:
                    raise _Unsure
                choice = {"text": self.text(item["text"])}
                if "feedback" in item:
                    choice["feedback"] = self.text(item["feedback"])
                if "weight" in item:
                    choice["weight"] = self.weight(item["weight"], MIN_CHOICE_WEIGHT)
            else:
                choice = {"text": self.text(item)}
            variants = set(choice["text"].values())
            if not seen.isdisjoint(variants):
                raise _Unsure  # a repeated choice
            seen |= variants
            choices.append(choice)
        return choices

    def _match_answer(self, value: Any, choices: list[dict[str, Any]]) -> int:
        wanted = set(self.text(value).values())
        for i, choice in enumerate(choices):
            if not wanted.isdisjoint(choice["text"].values()):
                return i
        raise _Unsure

    def weight(self, value: Any, low: float) -> float:
        """A percentage from `low` to 100."""
        weight = self.number(value)
        if not low <= weight <= MAX_WEIGHT:
            raise _Unsure
        return weight

    def _weights(self, multi: bool, choices: list[dict[str, Any]], right: set[int]) -> None:
        for i, c in enumerate(choices):
            weight = c.get("weight")
            if weight is None:
                continue
            if (multi and (i in right) != (weight > 0)) or (
                not multi and i in right and weight != 100
            ):
                raise _Unsure
        if multi:
            given = [choices[i].get("weight") for i in right]
            if any(w is not None for w in given) and (
                None in given or abs(sum(given) - 100) > 0.01  # type: ignore[arg-type]
            ):
                raise _Unsure

    def _choice(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        choices = self._choices(e)
        right = self._match_answer(e["answer"], choices)
        self._weights(False, choices, {right})
        q["choices"] = [dict(c, correct=i == right) for i, c in enumerate(choices)]

    def _multi(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        choices = self._choices(e)
        answers = e["answers"]
        if type(answers) is not list or len(answers) < MIN_ANSWERS:
            raise _Unsure
        right = {self._match_answer(a, choices) for a in answers}
        if len(right) != len(answers):
            raise _Unsure  # an answer listed twice
        self._weights(True, choices, right)
        q["choices"] = [dict(c, correct=i in right) for i, c in enumerate(choices)]

    def _true_false(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        q["answer"] = self.boolean(e["answer"])
        self._answer_feedback(e, q)

    def _answer_feedback(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        for key in ANSWER_FEEDBACK_KEYS:
            if key in e:
                q[key] = self.text(e[key])

    def _weighted(self, item: dict[str, Any], key: str) -> dict[str, Any]:
        keys = _NUMERIC_ALT_KEYS if key == "answer" else _SHORT_ALT_KEYS
        if key not in item or not item.keys() <= keys:
            raise _Unsure
        alt: dict[str, Any] = {}
        if key == "text":
            alt["text"] = self.text(item["text"])
        else:
            alt.update(self._numeric_answer(item["answer"]))
            if "tolerance" in item:
                alt["tolerance"] = self._tolerance(item["tolerance"])
        if "weight" in item:
            alt["weight"] = self.weight(item["weight"], MIN_ALT_WEIGHT)
        if "feedback" in item:
            alt["feedback"] = self.text(item["feedback"])
        if "wildcard" in item:
            alt["wildcard"] = self.boolean(item["wildcard"])
        return alt

    def _short(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        q["answer"] = self.text(e["answer"])
        if "alternatives" in e:
            items = e["alternatives"]
            if type(items) is not list:
                raise _Unsure
            alts: list[str] = []
            weighted = []
            for item in items:
                if type(item) is dict and "text" in item:
                    weighted.append(self._weighted(item, "text"))
                    continue
                alts.extend(v for v in self.text(item).values() if v not in alts)
            q["alternatives"] = alts
            if weighted:
                q["weighted"] = weighted
        self._answer_feedback(e, q)

    def _numeric(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        q.update(self._numeric_answer(e["answer"]))
        if "tolerance" in e:
            q["tolerance"] = self._tolerance(e["tolerance"])
        if "unit" in e:
            q["unit"] = self.text(e["unit"])
        if "alternatives" in e:
            items = e["alternatives"]
            if type(items) is not list:
                raise _Unsure
            q["weighted"] = [self._weighted(item, "answer") for item in items]
        self._answer_feedback(e, q)

    def _numeric_answer(self, value: Any) -> dict[str, Any]:
        if type(value) is not list:
            return {"answer": self.number(value)}
        if len(value) != 2:
            raise _Unsure
        low, high = self.number(value[0]), self.number(value[1])
        if low > high:
            raise _Unsure
        return {"answer": low, "to": high}

    def _tolerance(self, value: Any) -> float:
        tol = self.number(value)
        if tol < MIN_TOLERANCE:
            raise _Unsure
        return tol

    def _cloze(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        if "any_order" in e:
            raise _Unsure  # the importers never write it: the text check numbers the gaps
        value = self.text(e["text"])
        for sentence in value.values():
            if "{{" not in sentence:
                raise _Unsure
            for m in GAP_RE.finditer(sentence):
                if not any(a.strip() for a in m.group(1).split("|")):
                    raise _Unsure
            rest = GAP_RE.sub("", sentence)
            if "{{" in rest or "}}" in rest:
                raise _Unsure
        q["text"] = value
        if "options" in e:
            items = e["options"]
            gaps = parse_cloze(value.get(self.language) or next(iter(value.values())))[1]
            if type(items) is not list or len(items) != len(gaps):
                raise _Unsure
            options: list[Any] = []
            for item, gap in zip(items, gaps, strict=True):
                if item is None:
                    options.append(None)
                    continue
                texts = self.texts(item, min_items=MIN_GAP_CHOICES)
                self._no_repeats(texts)
                if gap.answers and not any(gap.answers[0] in t.values() for t in texts):
                    raise _Unsure
                options.append(texts)
            q["options"] = options

    def _order(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        q["items"] = self.texts(e["items"], min_items=MIN_ITEMS)
        self._no_repeats(q["items"])

    def _match(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        items = e["pairs"]
        if type(items) is not list or len(items) < MIN_PAIRS:
            raise _Unsure
        pairs = []
        for item in items:
            if type(item) is not dict or item.keys() != _PAIR_KEYS:
                raise _Unsure
            pairs.append({"left": self.text(item["left"]), "right": self.text(item["right"])})
        self._no_repeats([p["left"] for p in pairs])
        rights = [p["right"] for p in pairs]
        if "distractors" in e:
            q["distractors"] = self.texts(e["distractors"])
            rights += q["distractors"]
        self._no_repeats(rights)
        q["pairs"] = pairs

    def _no_repeats(self, texts: list[dict[str, str]]) -> None:
        seen: set[str] = set()
        for t in texts:
            variants = set(t.values())
            if not seen.isdisjoint(variants):
                raise _Unsure
            seen |= variants


_SET_KEYS = frozenset(SET_KEYS)
_SET_REQUIRED = frozenset(SET_REQUIRED)
_OPTION_KEYS = frozenset(OPTION_KEYS)
_CHOICE_KEYS = frozenset(CHOICE_KEYS)
_SHORT_ALT_KEYS = frozenset(SHORT_ALT_KEYS)
_NUMERIC_ALT_KEYS = frozenset(NUMERIC_ALT_KEYS)
_PAIR_KEYS = frozenset(PAIR_KEYS)
_DATA_KIND_CHECKS: dict[Kind, Callable[[_DataChecker, dict[str, Any], dict[str, Any]], None]] = {
    Kind.FLASHCARD: _DataChecker._flashcard,
    Kind.CHOICE: _DataChecker._choice,
    Kind.MULTI: _DataChecker._multi,
    Kind.TRUE_FALSE: _DataChecker._true_false,
    Kind.SHORT: _DataChecker._short,
    Kind.NUMERIC: _DataChecker._numeric,
    Kind.CLOZE: _DataChecker._cloze,
    Kind.ORDER: _DataChecker._order,
    Kind.MATCH: _DataChecker._match,
}


def check_data(
    data: Any, *, question_lines: list[int], id_at: tuple[int, int]
) -> dict[str, Any] | None:
    """What check_text returns for the YAML text of `data`, or None when it cannot vouch for it.

    `question_lines` (each question's first line) and `id_at` (the set id's line and column)
    are the positions in that text, which the caller wrote. None means "check the text": the
    data may be fine, but only check_text can say, and say where.
    """
    try:
        return _DataChecker().check_set(data, question_lines, id_at)
    except _Unsure:
        return None

"""The JSON Schema of the question-set format, for editors with yaml-language-server.

Generated from rules.py: the key lists, what is required, the limits and the id and language
patterns all come from there. What is written here is only what JSON Schema needs beyond them:
each field's JSON shape and the descriptions an editor shows. A key that rules.py adds and this
module gives no shape for fails loudly (a KeyError) when the schema is made.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from gmmp_quiz.model import Kind
from gmmp_quiz.sets.rules import (
    CHOICE_KEYS,
    COMMON_KEYS,
    ID_PATTERN,
    KIND_KEYS,
    LANG_PATTERN,
    MAX_WEIGHT,
    MIN_ALT_WEIGHT,
    MIN_ANSWERS,
    MIN_ANY_ORDER,
    MIN_CHOICE_WEIGHT,
    MIN_CHOICES,
    MIN_GAP_CHOICES,
    MIN_ITEMS,
    MIN_PAIRS,
    MIN_QUESTIONS,
    MIN_TOLERANCE,
    NUMERIC_ALT_KEYS,
    OPTION_KEYS,
    PAIR_KEYS,
    QUESTION_REQUIRED,
    SET_KEYS,
    SET_REQUIRED,
    SHORT_ALT_KEYS,
    question_keys,
    question_required,
)

SCHEMA_ID = "https://gmmp-quiz.invalid/question-set.schema.json"
Schema = dict[str, Any]


def _text(description: str) -> Schema:
    return {
        "description": description,
        "oneOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "description": "The text per language code (fr, en, pt-BR...)",
                "patternProperties": {LANG_PATTERN: {"type": "string", "minLength": 1}},
                "additionalProperties": False,
                "minProperties": 1,
            },
        ],
    }


def _texts(description: str, min_items: int = 0) -> Schema:
    return {"type": "array", "description": description, "items": _text(""), "minItems": min_items}


def _pick(shapes: Mapping[str, Schema], keys: Iterable[str]) -> Schema:
    """The properties of `keys`, in their order, each with its shape (KeyError if one has none)."""
    return {key: shapes[key] for key in keys}


def _record(shapes: Mapping[str, Schema], keys: Iterable[str], required: list[str]) -> Schema:
    """A mapping of exactly `keys` (those in `required` needed)."""
    return {
        "type": "object",
        "properties": _pick(shapes, keys),
        "required": required,
        "additionalProperties": False,
    }


IDENT = {"type": "string", "pattern": ID_PATTERN}
_TAGS = {"type": "array", "items": {"type": "string"}}


def _common() -> Schema:
    """The shapes of the keys every question may have."""
    return _pick(
        {
            "id": {**IDENT, "description": "Stable id, unique in the set: progress is keyed by it"},
            "type": {"enum": [k.value for k in Kind], "description": "The question type"},
            "prompt": _text("The question as asked"),
            "explanation": _text("Shown after answering: the fact and its context"),
            "background": _text(
                "True context that the source does not give, shown apart under “Good to know”"
            ),
            "source": _text("Where in the source the fact is (e.g. a section heading)"),
            "tags": _TAGS,
            "shuffle": {"type": "boolean", "description": "Shuffle choices/items/pairs when shown"},
            "strict_accents": {"type": "boolean", "description": "Typed answers need the accents"},
        },
        COMMON_KEYS,
    )


def _kinds() -> dict[Kind, Schema]:
    """The shapes of each kind's own keys."""
    choice = {
        "oneOf": [
            _text("A choice"),
            _record(
                {
                    "text": _text("The choice"),
                    "feedback": _text("Shown if picked"),
                    "weight": {
                        "type": "number",
                        "minimum": MIN_CHOICE_WEIGHT,
                        "maximum": MAX_WEIGHT,
                        "description": "Percent of the mark earned when picked (Moodle's weights)",
                    },
                },
                CHOICE_KEYS,
                ["text"],
            ),
        ]
    }
    choices = {"type": "array", "items": choice, "minItems": MIN_CHOICES}
    weight = {
        "type": "number",
        "minimum": MIN_ALT_WEIGHT,
        "maximum": MAX_WEIGHT,
        "description": "Percent of the mark this answer earns (default 100)",
    }
    tolerance = {"type": "number", "minimum": MIN_TOLERANCE}
    feedback = {
        "feedback": _text("Shown when the answer is given"),
        "wrong_feedback": _text("Shown when the answer given is not accepted"),
    }
    number_or_range = {
        "oneOf": [
            {"type": "number"},
            {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 2,
                "maxItems": 2,
                "description": "A range: [from, to]",
            },
        ]
    }
    short_alternative = {
        "oneOf": [
            _text("Also accepted"),
            _record(
                {
                    "text": _text("Also accepted"),
                    "weight": weight,
                    "feedback": _text("Shown when this answer is given"),
                    "wildcard": {"type": "boolean", "description": "'*' in the text: any text"},
                },
                SHORT_ALT_KEYS,
                ["text"],
            ),
        ]
    }
    numeric_alternative = _record(
        {
            "answer": number_or_range,
            "tolerance": tolerance,
            "weight": weight,
            "feedback": _text("Shown when this number is given"),
        },
        NUMERIC_ALT_KEYS,
        ["answer"],
    )
    gap_numbers = {"type": "array", "items": {"type": "integer", "minimum": 1}}
    any_order = {
        "description": "Gaps whose answers may come in any order: true (all of them),"
        " gap numbers from 1 ([1, 2]) or groups of them ([[1, 2], [4, 5]])",
        "oneOf": [
            {"type": "boolean"},
            {**gap_numbers, "minItems": MIN_ANY_ORDER},
            {
                "type": "array",
                "minItems": 1,
                "items": {**gap_numbers, "minItems": MIN_ANY_ORDER},
            },
        ],
    }
    shapes: dict[Kind, dict[str, Schema]] = {
        Kind.FLASHCARD: {"front": _text("Front of the card"), "back": _text("Back of the card")},
        Kind.CHOICE: {"choices": choices, "answer": _text("The text of the right choice")},
        Kind.MULTI: {
            "choices": choices,
            "answers": _texts("The texts of the right choices", MIN_ANSWERS),
        },
        Kind.TRUE_FALSE: {"answer": {"type": "boolean"}, **feedback},
        Kind.SHORT: {
            "answer": _text("The answer shown"),
            "alternatives": {"type": "array", "items": short_alternative},
            **feedback,
        },
        Kind.NUMERIC: {
            "answer": number_or_range,
            "tolerance": tolerance,
            "unit": _text("Optional unit"),
            "alternatives": {"type": "array", "items": numeric_alternative},
            **feedback,
        },
        Kind.CLOZE: {
            "text": _text("The sentence, with {{answer|alternative}} gaps"),
            "any_order": any_order,
            "options": {
                "type": "array",
                "description": "Per gap: null (typed) or the choices offered (its answer too)",
                "items": {"oneOf": [{"type": "null"}, _texts("The choices", MIN_GAP_CHOICES)]},
            },
        },
        Kind.ORDER: {"items": _texts("Items in the right order", MIN_ITEMS)},
        Kind.MATCH: {
            "pairs": {
                "type": "array",
                "minItems": MIN_PAIRS,
                "items": _record(
                    {"left": _text("Left item"), "right": _text("Its partner")},
                    PAIR_KEYS,
                    list(PAIR_KEYS),
                ),
            },
            "distractors": _texts("Right-hand items with no partner (never right)"),
        },
    }
    return {kind: _pick(shapes[kind], KIND_KEYS[kind]) for kind in Kind}


def _question() -> Schema:
    """A question: the common keys, then one `if type is ... then` branch per kind."""
    common = _common()
    variants = []
    for kind, own in _kinds().items():
        shapes = {**common, **own, "type": {"const": kind.value}}
        then = _record(shapes, question_keys(kind), list(question_required(kind)))
        del then["type"]  # the question is an object already: the branch only narrows it
        variants.append(
            {
                "if": {"properties": {"type": {"const": kind.value}}, "required": ["type"]},
                "then": then,
            }
        )
    return {
        "type": "object",
        "properties": common,
        "required": list(QUESTION_REQUIRED),
        "allOf": variants,
    }


def schema() -> Schema:
    """The schema as a dict (draft 2020-12)."""
    shapes = {
        "id": {**IDENT, "description": "Stable set id, unique among loaded sets"},
        "title": _text("Title of the set"),
        "description": _text("What the set covers"),
        "language": {"type": "string", "pattern": LANG_PATTERN},
        "source": _text("What the facts come from"),
        "tags": _TAGS,
        "tag_names": {
            "type": "object",
            "description": "How each tag reads: tag -> text (or language -> text)",
            "additionalProperties": _text("The tag's name"),
        },
        "options": {
            "type": "object",
            "properties": _pick({key: {"type": "boolean"} for key in OPTION_KEYS}, OPTION_KEYS),
            "additionalProperties": False,
        },
        "questions": {"type": "array", "items": _question(), "minItems": MIN_QUESTIONS},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "gmmp-quiz question set",
        **_record(shapes, SET_KEYS, list(SET_REQUIRED)),
    }


def schema_json() -> str:
    """The schema as indented JSON text."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"

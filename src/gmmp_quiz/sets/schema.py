"""The JSON Schema of the question-set format, for editors with yaml-language-server."""

from __future__ import annotations

import json
from typing import Any

from gmmp_quiz.model import Kind

SCHEMA_ID = "https://gmmp-quiz.invalid/question-set.schema.json"


def _text(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "oneOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "description": "The text per language code (fr, en, pt-BR...)",
                "patternProperties": {
                    "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": {"type": "string", "minLength": 1}
                },
                "additionalProperties": False,
                "minProperties": 1,
            },
        ],
    }


def _texts(description: str, min_items: int = 0) -> dict[str, Any]:
    return {"type": "array", "description": description, "items": _text(""), "minItems": min_items}


IDENT = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"}


def schema() -> dict[str, Any]:
    """The schema as a dict (draft 2020-12)."""
    common: dict[str, Any] = {
        "id": {**IDENT, "description": "Stable id, unique in the set: progress is keyed by it"},
        "type": {"enum": [k.value for k in Kind], "description": "The question type"},
        "prompt": _text("The question as asked"),
        "explanation": _text("Shown after answering: the fact and its context"),
        "background": _text(
            "True context that the source does not give, shown apart under “Good to know”"
        ),
        "source": _text("Where in the source the fact is (e.g. a section heading)"),
        "tags": {"type": "array", "items": {"type": "string"}},
        "shuffle": {"type": "boolean", "description": "Shuffle choices/items/pairs when shown"},
        "strict_accents": {"type": "boolean", "description": "Typed answers need the accents"},
    }
    choice = {
        "oneOf": [
            _text("A choice"),
            {
                "type": "object",
                "properties": {
                    "text": _text("The choice"),
                    "feedback": _text("Shown if picked"),
                    "weight": {
                        "type": "number",
                        "minimum": -100,
                        "maximum": 100,
                        "description": "Percent of the mark earned when picked (Moodle's weights)",
                    },
                },
                "required": ["text"],
                "additionalProperties": False,
            },
        ]
    }
    weight = {
        "type": "number",
        "minimum": 0,
        "maximum": 100,
        "description": "Percent of the mark this answer earns (default 100)",
    }
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
            {
                "type": "object",
                "properties": {
                    "text": _text("Also accepted"),
                    "weight": weight,
                    "feedback": _text("Shown when this answer is given"),
                    "wildcard": {"type": "boolean", "description": "'*' in the text: any text"},
                },
                "required": ["text"],
                "additionalProperties": False,
            },
        ]
    }
    numeric_alternative = {
        "type": "object",
        "properties": {
            "answer": number_or_range,
            "tolerance": {"type": "number", "minimum": 0},
            "weight": weight,
            "feedback": _text("Shown when this number is given"),
        },
        "required": ["answer"],
        "additionalProperties": False,
    }
    kinds: dict[Kind, tuple[dict[str, Any], list[str]]] = {
        Kind.FLASHCARD: (
            {"front": _text("Front of the card"), "back": _text("Back of the card")},
            ["front", "back"],
        ),
        Kind.CHOICE: (
            {
                "choices": {"type": "array", "items": choice, "minItems": 2},
                "answer": _text("The text of the right choice"),
            },
            ["prompt", "choices", "answer"],
        ),
        Kind.MULTI: (
            {
                "choices": {"type": "array", "items": choice, "minItems": 2},
                "answers": _texts("The texts of the right choices", 1),
            },
            ["prompt", "choices", "answers"],
        ),
        Kind.TRUE_FALSE: ({"answer": {"type": "boolean"}, **feedback}, ["prompt", "answer"]),
        Kind.SHORT: (
            {
                "answer": _text("The answer shown"),
                "alternatives": {"type": "array", "items": short_alternative},
                **feedback,
            },
            ["prompt", "answer"],
        ),
        Kind.NUMERIC: (
            {
                "answer": number_or_range,
                "tolerance": {"type": "number", "minimum": 0},
                "unit": _text("Optional unit"),
                "alternatives": {"type": "array", "items": numeric_alternative},
                **feedback,
            },
            ["prompt", "answer"],
        ),
        Kind.CLOZE: (
            {
                "text": _text("The sentence, with {{answer|alternative}} gaps"),
                "any_order": {
                    "description": "Gaps whose answers may come in any order: true (all of them),"
                    " gap numbers from 1 ([1, 2]) or groups of them ([[1, 2], [4, 5]])",
                    "oneOf": [
                        {"type": "boolean"},
                        {
                            "type": "array",
                            "items": {"type": "integer", "minimum": 1},
                            "minItems": 2,
                        },
                        {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "array",
                                "items": {"type": "integer", "minimum": 1},
                                "minItems": 2,
                            },
                        },
                    ],
                },
                "options": {
                    "type": "array",
                    "description": "Per gap: null (typed) or the choices offered (its answer too)",
                    "items": {"oneOf": [{"type": "null"}, _texts("The choices", 2)]},
                },
            },
            ["text"],
        ),
        Kind.ORDER: ({"items": _texts("Items in the right order", 2)}, ["prompt", "items"]),
        Kind.MATCH: (
            {
                "pairs": {
                    "type": "array",
                    "minItems": 2,
                    "items": {
                        "type": "object",
                        "properties": {"left": _text("Left item"), "right": _text("Its partner")},
                        "required": ["left", "right"],
                        "additionalProperties": False,
                    },
                },
                "distractors": _texts("Right-hand items with no partner (never right)"),
            },
            ["prompt", "pairs"],
        ),
    }
    variants = []
    for kind, (props, required) in kinds.items():
        properties = dict(common)
        if kind is Kind.FLASHCARD:
            properties.pop("prompt")
        properties.update(props)
        properties["type"] = {"const": kind.value}
        variants.append(
            {
                "if": {"properties": {"type": {"const": kind.value}}, "required": ["type"]},
                "then": {
                    "properties": properties,
                    "required": ["id", "type", *required],
                    "additionalProperties": False,
                },
            }
        )
    question = {
        "type": "object",
        "properties": common,
        "required": ["id", "type"],
        "allOf": variants,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "gmmp-quiz question set",
        "type": "object",
        "properties": {
            "id": {**IDENT, "description": "Stable set id, unique among loaded sets"},
            "title": _text("Title of the set"),
            "description": _text("What the set covers"),
            "language": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"},
            "source": _text("What the facts come from"),
            "tags": {"type": "array", "items": {"type": "string"}},
            "tag_names": {
                "type": "object",
                "description": "How each tag reads: tag -> text (or language -> text)",
                "additionalProperties": _text("The tag's name"),
            },
            "options": {
                "type": "object",
                "properties": {
                    "shuffle": {"type": "boolean"},
                    "strict_accents": {"type": "boolean"},
                },
                "additionalProperties": False,
            },
            "questions": {"type": "array", "items": question, "minItems": 1},
        },
        "required": ["id", "title", "language", "questions"],
        "additionalProperties": False,
    }


def schema_json() -> str:
    """The schema as indented JSON text."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"

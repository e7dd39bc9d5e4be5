"""Validation of question-set YAML: the node tree checked field by field, with line:col problems.

The checker is in parts: nodecheck.py (generic shapes), check_answers.py and check_arrange.py
(one method per kind), and here the set and its questions. The rules themselves (keys, limits,
forms) are in rules.py; the safe reading of the text is in yamlread.py.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

import yaml

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.i18n import _
from gmmp_quiz.model import Kind
from gmmp_quiz.sets.check_answers import AnswerChecks
from gmmp_quiz.sets.check_arrange import ArrangeChecks
from gmmp_quiz.sets.rules import (
    ALL_QUESTION_KEYS,
    LANG_RE,
    MIN_QUESTIONS,
    OPTION_DEFAULTS,
    OPTION_KEYS,
    QUESTION_FLAG_KEYS,
    QUESTION_TEXT_KEYS,
    REQUIRED_KEYS,
    SET_KEYS,
    SET_REQUIRED,
    SET_TEXT_KEYS,
    question_keys,
)
from gmmp_quiz.sets.yamlread import check_characters, compose


# datacheck._DataChecker applies the same rules to plain data, for import: change both together.
class _Checker(AnswerChecks, ArrangeChecks):
    """Walks one composed YAML document, collecting problems and the checked plain data."""

    def check_set(self, root: yaml.Node) -> dict[str, Any] | None:
        """The whole set, as checked plain data (None when it cannot be read at all)."""
        entries = self.mapping(root, _("the question set"), SET_KEYS)
        if entries is None:
            return None
        data: dict[str, Any] = {}
        for key in SET_REQUIRED:
            if key not in entries:
                self.err(root, _("the set has no {key!r}").format(key=key))
        if "language" in entries:
            node = entries["language"][1]
            lang = self.string(node, "language")
            if lang is not None and not LANG_RE.match(lang):
                self.err(
                    node,
                    _("{lang!r} is not a language code (like fr, en, pt-BR)").format(lang=lang),
                )
            elif lang is not None:
                self.language = lang
        data["language"] = self.language
        if "id" in entries:
            data["id"] = self.identifier(entries["id"][1], _("set id"))
            mark = entries["id"][1].start_mark
            data["id_at"] = [mark.line + 1, mark.column + 1]
        for key in SET_TEXT_KEYS:
            if key in entries:
                data[key] = self.text(entries[key][1], key)
        data["tags"] = self.tags(entries["tags"][1], "tags") if "tags" in entries else []
        options: dict[str, bool] = {}
        if "options" in entries:
            opts = self.mapping(entries["options"][1], "options", OPTION_KEYS) or {}
            for key, (__, value_node) in opts.items():
                value = self.boolean(value_node, f"options.{key}")
                if value is not None:
                    options[key] = value
        for key, default in OPTION_DEFAULTS.items():
            data[key] = options.get(key, default)
        questions: list[dict[str, Any]] = []
        if "questions" in entries:
            qnode = entries["questions"][1]
            items = self.sequence(qnode, "questions")
            if items is not None and len(items) < MIN_QUESTIONS:
                self.err(qnode, _("the set has no questions"))
            seen: dict[str, int] = {}
            for item in items or ():
                q = self.check_question(item)
                if q is None:
                    continue
                qid = q.get("id")
                if qid in seen:
                    self.err(
                        item,
                        _("duplicate question id {qid!r} (first on line {value})").format(
                            qid=qid, value=seen[qid]
                        ),
                    )
                    continue
                if qid is not None:
                    seen[qid] = q["line"]
                questions.append(q)
        data["questions"] = questions
        if "tag_names" in entries:
            data["tag_names"] = self.tag_names(entries["tag_names"][1], data)
        return data

    def tag_names(self, node: yaml.Node, data: dict[str, Any]) -> dict[str, dict[str, str]]:
        """How each tag reads, in each language; a name for a tag nobody uses is a slip."""
        used = set(data["tags"]) | {tag for q in data["questions"] for tag in q.get("tags", ())}
        names: dict[str, dict[str, str]] = {}
        for key, (key_node, value_node) in (self.mapping(node, "tag_names", None) or {}).items():
            tag = key.strip()
            if tag not in used:
                near = difflib.get_close_matches(tag, sorted(used), n=1, cutoff=0.7)
                hint = _("; did you mean {value!r}?").format(value=near[0]) if near else ""
                self.err(
                    key_node,
                    _("tag_names: {tag!r} is not a tag of the set or a question{hint}").format(
                        tag=tag, hint=hint
                    ),
                )
                continue
            text = self.text(value_node, f"tag_names.{tag}")
            if text is not None:
                names[tag] = text
        return names

    def check_question(self, node: yaml.Node) -> dict[str, Any] | None:
        """One question, as checked plain data."""
        entries = self.mapping(node, _("a question"), ALL_QUESTION_KEYS)
        if entries is None:
            return None
        q: dict[str, Any] = {"line": node.start_mark.line + 1}
        if "id" not in entries:
            self.err(node, _("the question has no 'id'"))
        else:
            q["id"] = self.identifier(entries["id"][1], _("question id"))
        kind: Kind | None = None
        if "type" not in entries:
            self.err(node, "the question has no 'type' (one of " + ", ".join(Kind) + ")")
        else:
            tnode = entries["type"][1]
            tname = self.string(tnode, "type")
            if tname is not None:
                try:
                    kind = Kind(tname)
                except ValueError:
                    near = difflib.get_close_matches(
                        tname, [k.value for k in Kind], n=1, cutoff=0.7
                    )
                    hint = _("; did you mean {value!r}?").format(value=near[0]) if near else ""
                    self.err(
                        tnode,
                        _("unknown question type {tname!r}{hint}").format(tname=tname, hint=hint),
                    )
        for key in QUESTION_TEXT_KEYS:
            if key in entries:
                q[key] = self.text(entries[key][1], key)
        if "tags" in entries:
            q["tags"] = self.tags(entries["tags"][1], "tags")
        for key in QUESTION_FLAG_KEYS:
            if key in entries:
                q[key] = self.boolean(entries[key][1], key)
        if kind is None:
            return None
        q["type"] = kind.value
        allowed = set(question_keys(kind))
        for key, (key_node, __) in entries.items():
            if key not in allowed:
                self.err(
                    key_node,
                    _("{key!r} is not used by {kind.value} questions").format(key=key, kind=kind),
                )
        for key in REQUIRED_KEYS[kind]:
            if key not in entries:
                self.err(
                    node, _("a {kind.value} question needs {key!r}").format(kind=kind, key=key)
                )
        _KIND_CHECKS[kind](self, entries, q)
        if q.get("id") is None or any(key not in entries for key in REQUIRED_KEYS[kind]):
            return None
        return q


_KIND_CHECKS: dict[Kind, Callable[[_Checker, dict[str, Any], dict[str, Any]], None]] = {
    Kind.FLASHCARD: _Checker._flashcard,
    Kind.CHOICE: _Checker._choice,
    Kind.MULTI: _Checker._multi,
    Kind.TRUE_FALSE: _Checker._true_false,
    Kind.SHORT: _Checker._short,
    Kind.NUMERIC: _Checker._numeric,
    Kind.CLOZE: _Checker._cloze,
    Kind.ORDER: _Checker._order,
    Kind.MATCH: _Checker._match,
}


def check_text(text: str, path: str = "<string>") -> dict[str, Any]:
    """Validate YAML text and return the checked plain data; raises ValidationError."""
    problems = check_characters(text, path)
    if problems:
        raise ValidationError(problems)
    root = compose(text, path)
    if root is None:
        raise ValidationError(
            [Problem(path, 1, 1, _("the file is empty: a set needs id, title..."))]
        )
    checker = _Checker(path)
    data = checker.check_set(root)
    if checker.problems or data is None:
        checker.problems.sort(key=lambda p: (p.line, p.column))
        raise ValidationError(checker.problems)
    return data

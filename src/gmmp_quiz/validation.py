"""Validation of question-set YAML: the node tree checked field by field, with line:col problems."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from typing import Any

import yaml

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.i18n import N_, _, current_lang
from gmmp_quiz.model import Kind, parse_cloze

# The safe loader, in C where libyaml is there (several times faster): every reader of set files
# uses this one, so that they all read a file alike.
try:
    from yaml import CSafeLoader as SafeYamlLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as SafeYamlLoader  # type: ignore[assignment]


class _FastLoader(SafeYamlLoader):  # type: ignore[misc,valid-type]
    """The safe loader with a quicker resolver: same tags, fewer regex runs and no path tracking.

    A plain scalar can only be a bool, number, null or date if its first character can start one;
    every other scalar is a string without trying the resolver's regexes.
    """

    _may_be_special = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:  # noqa: D102
        return None  # no path resolvers are registered: nothing to track

    def ascend_resolver(self) -> None:  # noqa: D102
        return None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:  # noqa: D102
        if kind is yaml.ScalarNode:
            if implicit[0] and (not value or value[0] in self._may_be_special):
                return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]
            return T_STR
        return T_SEQ if kind is yaml.SequenceNode else T_MAP


MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 1000  # libyaml 0.2.6 refuses deeper nesting; we hold older builds to the same limit


def _libyaml_limits_depth() -> bool:
    """Whether the parser in use refuses deep nesting itself (libyaml 0.2.6 and newer do)."""
    try:
        from yaml import _yaml  # type: ignore[attr-defined]

        version = _yaml.get_version()
    except (ImportError, AttributeError):  # pragma: no cover - pure-Python PyYAML
        return False
    return SafeYamlLoader is not yaml.SafeLoader and tuple(version) >= (0, 2, 6)


# Older libyaml composes recursively in C: a file nested a few ten thousand deep kills the
# process with a segfault, so those builds get a depth scan first (see _check_depth).
_PARSER_LIMITS_DEPTH = _libyaml_limits_depth()
_NOT_FLOW_RE = re.compile(r"[^\[\]{}]+")
_DEEP_LINE = rf"[ \t?:-]{{{MAX_DEPTH // 2}}}"
_DEEP_BLOCK_RE = re.compile(rf"\n{_DEEP_LINE}")  # faster than ^ with re.MULTILINE
_DEEP_FIRST_LINE_RE = re.compile(_DEEP_LINE)


def _may_be_deep(text: str) -> bool:
    """A cheap bound: False when the text cannot nest MAX_DEPTH levels, True when it might.

    Each block level needs a column of indentation or a compact '- ' / '? ' indicator, so two
    levels cost at least one leading character. Each flow level needs an opening bracket: with
    the brackets alone kept, removing the innermost pairs k times clears every nest up to depth
    k, and what resists (brackets in quoted texts) is counted as if it nested.
    """
    limit = MAX_DEPTH // 2
    if _DEEP_FIRST_LINE_RE.match(text) or _DEEP_BLOCK_RE.search(text):
        return True
    if text.count("[") + text.count("{") < limit:
        return False
    flow = _NOT_FLOW_RE.sub("", text)
    for cleared in range(limit):
        # The depth is at most the levels cleared plus the opening brackets left.
        if cleared + flow.count("[") + flow.count("{") < limit:
            return False
        inner = flow.replace("[]", "").replace("{}", "")
        if inner == flow:
            return True  # brackets that never pair up (in quoted texts, say): assume the worst
        flow = inner
    return True


def _check_depth(text: str, path: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, walking parser events (no recursion, no crash)."""
    loader = SafeYamlLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise ValidationError(
                        [
                            Problem(
                                path,
                                mark.line + 1,
                                mark.column + 1,
                                _("YAML syntax: the file is nested too deeply"),
                            )
                        ]
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# C0 controls other than tab/newline/CR, DEL, C1 controls, bidi embeddings/overrides/isolates.
# Lone surrogates too: only text made in memory (or a "\ud800" escape) can hold one, and it
# cannot be written as UTF-8.
BAD_CHAR_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


# In a value, once YAML has turned its line ends into newlines, a carriage return is refused too
# unless a line feed follows it (a "\r\n" escape, as a multi-line CSV cell gives): alone, it
# sends the cursor back to overwrite the start of the line.
ESCAPED_BAD_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]|\r(?!\n)"
)


def bad_char_message(char: str) -> str:
    """Why `char` (a match of BAD_CHAR_RE) is refused."""
    if "\ud800" <= char <= "\udfff":
        return _("lone surrogate U+{value:04X} is not text: it is not allowed").format(
            value=ord(char)
        )
    return _("control character U+{value:04X} is not allowed").format(value=ord(char))


PLAIN_NUMBER_RE = re.compile(r"^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?$")

T_STR = "tag:yaml.org,2002:str"
T_INT = "tag:yaml.org,2002:int"
T_FLOAT = "tag:yaml.org,2002:float"
T_BOOL = "tag:yaml.org,2002:bool"
T_NULL = "tag:yaml.org,2002:null"
T_TIMESTAMP = "tag:yaml.org,2002:timestamp"
T_MAP = "tag:yaml.org,2002:map"
T_SEQ = "tag:yaml.org,2002:seq"
ALLOWED_TAGS = {T_STR, T_INT, T_FLOAT, T_BOOL, T_NULL, T_TIMESTAMP, T_MAP, T_SEQ}

SET_KEYS = (
    "id",
    "title",
    "description",
    "language",
    "source",
    "tags",
    "tag_names",
    "options",
    "questions",
)
OPTION_KEYS = ("shuffle", "strict_accents")
COMMON_KEYS = (
    "id",
    "type",
    "prompt",
    "explanation",
    "background",
    "source",
    "tags",
    "shuffle",
    "strict_accents",
)
KIND_KEYS: dict[Kind, tuple[str, ...]] = {
    Kind.FLASHCARD: ("front", "back"),
    Kind.CHOICE: ("choices", "answer"),
    Kind.MULTI: ("choices", "answers"),
    Kind.TRUE_FALSE: ("answer", "feedback", "wrong_feedback"),
    Kind.SHORT: ("answer", "alternatives", "feedback", "wrong_feedback"),
    Kind.NUMERIC: ("answer", "tolerance", "unit", "alternatives", "feedback", "wrong_feedback"),
    Kind.CLOZE: ("text", "any_order", "options"),
    Kind.ORDER: ("items",),
    Kind.MATCH: ("pairs", "distractors"),
}
REQUIRED_KEYS: dict[Kind, tuple[str, ...]] = {
    Kind.FLASHCARD: ("front", "back"),
    Kind.CHOICE: ("prompt", "choices", "answer"),
    Kind.MULTI: ("prompt", "choices", "answers"),
    Kind.TRUE_FALSE: ("prompt", "answer"),
    Kind.SHORT: ("prompt", "answer"),
    Kind.NUMERIC: ("prompt", "answer"),
    Kind.CLOZE: ("text",),
    Kind.ORDER: ("prompt", "items"),
    Kind.MATCH: ("prompt", "pairs"),
}


def _quote_hint(node: yaml.ScalarNode) -> str:
    """Why a plain scalar is not the text it looks like, for the "quote this value" message."""
    kind = {
        T_BOOL: N_("a boolean"),
        T_INT: N_("a number"),
        T_FLOAT: N_("a number"),
        T_NULL: N_("null (no value)"),
        T_TIMESTAMP: N_("a date"),
    }.get(node.tag, N_("a special value"))
    return _("YAML reads {value!r} as {kind} here: quote this value").format(
        value=node.value, kind=_(kind)
    )


# datacheck._DataChecker applies the same rules to plain data, for import: change both together.
class _Checker:
    """Walks one composed YAML document, collecting problems and the checked plain data."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        self.language = "und"

    # -- reporting --------------------------------------------------------------------------
    def err(self, node: yaml.Node, message: str) -> None:
        """Record a problem at the node's start (1-based line and column)."""
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, message))

    def visit(self, node: yaml.Node) -> bool:
        """Check a node once: aliases and non-standard tags are refused."""
        if id(node) in self._seen:
            self.err(node, _("YAML anchors and aliases are not allowed: write the value out"))
            return False
        self._seen.add(id(node))
        if node.tag not in ALLOWED_TAGS:
            self.err(
                node,
                _("tag {node.tag!r} is not allowed (only plain YAML data is read)").format(
                    node=node
                ),
            )
            return False
        return True

    # -- generic shapes ---------------------------------------------------------------------
    def mapping(
        self, node: yaml.Node, what: str, allowed: tuple[str, ...] | None
    ) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """A mapping's entries by key (duplicate and unknown keys reported)."""
        if not self.visit(node):
            return None
        if not isinstance(node, yaml.MappingNode):
            self.err(node, _("{what} must be a mapping (key: value lines)").format(what=what))
            return None
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or not self.visit(key_node):
                self.err(key_node, _("keys of {what} must be plain words").format(what=what))
                continue
            key = key_node.value
            if key in entries:
                mark = entries[key][0].start_mark
                where = _("line {line}, column {column}").format(
                    line=mark.line + 1, column=mark.column + 1
                )
                self.err(
                    key_node,
                    _("duplicate key {key!r} (first given at {where})").format(
                        key=key, where=where
                    ),
                )
                continue
            if allowed is not None and key not in allowed:
                near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.7)
                hint = _("; did you mean {value!r}?").format(value=near[0]) if near else ""
                self.err(
                    key_node,
                    _("unknown key {key!r} in {what}{hint}").format(key=key, what=what, hint=hint),
                )
                continue
            entries[key] = (key_node, value_node)
        return entries

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        """A sequence's items."""
        if not self.visit(node):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.err(node, _("{what} must be a list").format(what=what))
            return None
        return list(node.value)

    def string(self, node: yaml.Node, what: str) -> str | None:
        """A scalar read as text; YAML 1.1 surprises (no, 010, 1:30, dates) must be quoted."""
        if not self.visit(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.err(
                node,
                _("{what} must be a text, not a {shape}").format(what=what, shape=_shape(node)),
            )
            return None
        if node.tag == T_STR:
            value = node.value
        elif (
            node.style is None
            and node.tag in (T_INT, T_FLOAT)
            and PLAIN_NUMBER_RE.match(node.value)
        ):
            value = node.value  # a plain decimal number reads as the text it shows
        elif node.tag == T_NULL and node.value in ("", "~", "null", "Null", "NULL"):
            self.err(
                node,
                _("{what} has no value").format(what=what)
                if node.value == ""
                else f"{what}: {_quote_hint(node)}",
            )
            return None
        else:
            self.err(node, f"{what}: {_quote_hint(node)}")
            return None
        if not value.strip():
            self.err(node, _("{what} is empty").format(what=what))
            return None
        if node.style == '"' and ESCAPED_BAD_RE.search(value):
            # Escapes such as "\u0007", "\e" or "\r" in a double-quoted value make control
            # characters that the scan of the raw text cannot see (a CR there would let the
            # end of a text overwrite its start on a terminal).
            bad = ESCAPED_BAD_RE.search(value).group()  # type: ignore[union-attr]
            self.err(node, f"{what}: {bad_char_message(bad)}")
            return None
        return value

    def text(self, node: yaml.Node, what: str) -> dict[str, str] | None:
        """A text field: a string (in the set's language) or a map of language code to string."""
        if isinstance(node, yaml.MappingNode):
            entries = self.mapping(node, what, None)
            if entries is None:
                return None
            if not entries:
                self.err(node, _("{what} has no language variants").format(what=what))
                return None
            out: dict[str, str] = {}
            for lang, (key_node, value_node) in entries.items():
                if not LANG_RE.match(lang):
                    self.err(
                        key_node,
                        _("{lang!r} is not a language code (like fr, en, pt-BR)").format(lang=lang),
                    )
                    continue
                value = self.string(value_node, f"{what} ({lang})")
                if value is not None:
                    out[lang] = value
            return out or None
        value = self.string(node, what)
        return None if value is None else {self.language: value}

    def texts(self, node: yaml.Node, what: str, min_items: int = 0) -> list[dict[str, str]]:
        """A list of text fields."""
        items = self.sequence(node, what)
        if items is None:
            return []
        if len(items) < min_items:
            self.err(
                node,
                _("{what} needs at least {min_items} entries, has {count}").format(
                    what=what, min_items=min_items, count=len(items)
                ),
            )
        out = []
        for i, item in enumerate(items, 1):
            value = self.text(item, f"{what} #{i}")
            if value is not None:
                out.append(value)
        return out

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        """`true` or `false` (yes/no/on/off are refused: they read differently across tools)."""
        if not self.visit(node):
            return None
        if (
            isinstance(node, yaml.ScalarNode)
            and node.tag == T_BOOL
            and node.value.lower() in ("true", "false")
        ):
            return node.value.lower() == "true"
        self.err(
            node,
            _("{what} must be true or false, not {found}").format(what=what, found=_describe(node)),
        )
        return None

    def number(self, node: yaml.Node, what: str) -> float | None:
        """A decimal number (octal, sexagesimal, hex and infinities are refused)."""
        if not self.visit(node):
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag in (T_INT, T_FLOAT):
            raw = node.value.replace("_", "")
            if re.match(r"^[-+]?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?$", raw) or re.match(
                r"^[-+]?\.[0-9]+([eE][-+]?[0-9]+)?$", raw
            ):
                value = float(raw)
                if not math.isfinite(value):
                    # 309 digits or more overflow to infinity, which every answer would match.
                    self.err(
                        node,
                        _("{what}: {start!r}… is too large a number").format(
                            what=what, start=node.value[:20]
                        ),
                    )
                    return None
                return value
            self.err(
                node,
                _("{what}: {node.value!r} is not a plain decimal number (write e.g. 10)").format(
                    what=what, node=node
                ),
            )
            return None
        self.err(
            node, _("{what} must be a number, not {found}").format(what=what, found=_describe(node))
        )
        return None

    def identifier(self, node: yaml.Node, what: str) -> str | None:
        """A stable id: letters, digits, '-', '_' and '.'."""
        value = self.string(node, what)
        if value is not None and not ID_RE.match(value):
            self.err(
                node,
                _("{what} {value!r} may use only letters, digits, '-', '_' and '.'").format(
                    what=what, value=value
                ),
            )
            return None
        return value

    def tags(self, node: yaml.Node, what: str) -> list[str]:
        """A list of tag words."""
        items = self.sequence(node, what)
        out = []
        for item in items or ():
            value = self.string(item, _("{what} entry").format(what=what))
            if value is not None:
                out.append(value.strip())
        return out

    # -- the set ---------------------------------------------------------------------------
    def check_set(self, root: yaml.Node) -> dict[str, Any] | None:
        """The whole set, as checked plain data (None when it cannot be read at all)."""
        entries = self.mapping(root, _("the question set"), SET_KEYS)
        if entries is None:
            return None
        data: dict[str, Any] = {}
        for key in ("id", "title", "language", "questions"):
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
        for key in ("title", "description", "source"):
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
        data["shuffle"] = options.get("shuffle", True)
        data["strict_accents"] = options.get("strict_accents", False)
        questions: list[dict[str, Any]] = []
        if "questions" in entries:
            qnode = entries["questions"][1]
            items = self.sequence(qnode, "questions")
            if items is not None and not items:
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
        all_keys = tuple(dict.fromkeys(COMMON_KEYS + sum(KIND_KEYS.values(), ())))
        entries = self.mapping(node, _("a question"), all_keys)
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
        for key in ("prompt", "explanation", "background", "source"):
            if key in entries:
                q[key] = self.text(entries[key][1], key)
        if "tags" in entries:
            q["tags"] = self.tags(entries["tags"][1], "tags")
        for key in ("shuffle", "strict_accents"):
            if key in entries:
                q[key] = self.boolean(entries[key][1], key)
        if kind is None:
            return None
        q["type"] = kind.value
        allowed = set(COMMON_KEYS) | set(KIND_KEYS[kind])
        if kind is Kind.FLASHCARD:
            allowed.discard("prompt")
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

    # -- per kind --------------------------------------------------------------------------
    def _flashcard(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        for key in ("front", "back"):
            if key in e:
                q[key] = self.text(e[key][1], key)

    def _choices(self, e: dict[str, Any], q: dict[str, Any]) -> list[dict[str, Any]]:
        if "choices" not in e:
            return []
        node = e["choices"][1]
        items = self.sequence(node, "choices")
        if items is None:
            return []
        if not items:
            self.err(node, _("the list of choices is empty"))
        elif len(items) < 2:
            self.err(node, _("a question needs at least 2 choices"))
        choices: list[dict[str, Any]] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(items, 1):
            choice: dict[str, Any]
            if isinstance(item, yaml.MappingNode) and any(
                isinstance(k, yaml.ScalarNode) and k.value == "text" for k, _ in item.value
            ):
                label = _("choice #{i}").format(i=i)
                sub = self.mapping(item, label, ("text", "feedback", "weight")) or {}
                text = self.text(sub["text"][1], label) if "text" in sub else None
                choice = {"text": text}
                if "feedback" in sub:
                    choice["feedback"] = self.text(sub["feedback"][1], f"{label} feedback")
                if "weight" in sub:
                    choice["weight"] = self.weight(sub["weight"][1], f"{label} weight", -100)
            else:
                choice = {"text": self.text(item, _("choice #{i}").format(i=i))}
            if choice["text"] is None:
                continue
            for variant in set(choice["text"].values()):
                if variant in seen:
                    self.err(
                        item,
                        _("choice #{i} repeats choice #{value}").format(i=i, value=seen[variant]),
                    )
                    break
                seen[variant] = i
            choice["node"] = item
            choices.append(choice)
        return choices

    def _match_answer(
        self, node: yaml.Node, choices: list[dict[str, Any]], what: str
    ) -> int | None:
        value = self.text(node, what)
        if value is None:
            return None
        wanted = set(value.values())
        for i, choice in enumerate(choices):
            if wanted & set(choice["text"].values()):
                return i
        shown = next(iter(value.values()))
        near = difflib.get_close_matches(
            shown, [v for c in choices for v in c["text"].values()], n=1
        )
        hint = _("; did you mean {value!r}?").format(value=near[0]) if near else ""
        self.err(
            node,
            _("{what} {shown!r} is not among the choices{hint}").format(
                what=what, shown=shown, hint=hint
            ),
        )
        return None

    def _finish_choices(self, q: dict[str, Any], choices: list[dict[str, Any]], right: set[int]):
        self._check_weights(q["type"], choices, right)
        for c in choices:
            c.pop("node", None)
            if c.get("weight", 0) is None:
                del c["weight"]
        q["choices"] = [dict(c, correct=i in right) for i, c in enumerate(choices)]

    def weight(self, node: yaml.Node, what: str, low: float) -> float | None:
        """A share of the question's mark in percent, from `low` to 100."""
        value = self.number(node, what)
        if value is not None and not low <= value <= 100:
            self.err(
                node,
                _("{what} must be a percentage from {low:g} to 100, not {value:g}").format(
                    what=what, low=low, value=value
                ),
            )
            return None
        return value

    def _check_weights(self, kind: str, choices: list[dict[str, Any]], right: set[int]) -> None:
        """A right choice earns more than a wrong one; a multi's right choices add up to 100."""
        for i, c in enumerate(choices):
            weight = c.get("weight")
            if weight is None:
                continue
            if kind == "choice" and i in right and weight != 100:
                self.err(
                    c["node"],
                    _("the answer earns 100%: its weight cannot be {weight:g}").format(
                        weight=weight
                    ),
                )
            elif kind == "multi" and i in right and weight <= 0:
                self.err(
                    c["node"],
                    _("a right choice must earn something, not {weight:g}%").format(weight=weight),
                )
            elif kind == "multi" and i not in right and weight > 0:
                self.err(
                    c["node"],
                    _("a wrong choice cannot earn {weight:g}%: list it in answers").format(
                        weight=weight
                    ),
                )
        given = [choices[i]["weight"] for i in right if "weight" in choices[i]]
        if kind == "multi" and given:
            if len(given) != len(right):
                self.err(choices[0]["node"], _("give a weight to every right choice, or to none"))
            elif None not in given and abs(sum(given) - 100) > 0.01:
                total = sum(given)
                self.err(
                    choices[0]["node"],
                    _("the right choices' weights add up to {total:g}%, not 100%").format(
                        total=total
                    ),
                )

    def _choice(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        choices = self._choices(e, q)
        right: set[int] = set()
        if "answer" in e and choices:
            index = self._match_answer(e["answer"][1], choices, "answer")
            if index is not None:
                right.add(index)
        self._finish_choices(q, choices, right)

    def _multi(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        choices = self._choices(e, q)
        right: set[int] = set()
        if "answers" in e:
            node = e["answers"][1]
            items = self.sequence(node, "answers")
            if items is not None and not items:
                self.err(node, _("answers is empty: list the right choices"))
            for item in items or ():
                index = self._match_answer(item, choices, "answer")
                if index is not None:
                    if index in right:
                        self.err(item, _("this answer is listed twice"))
                    right.add(index)
        self._finish_choices(q, choices, right)

    def _true_false(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        if "answer" in e:
            q["answer"] = self.boolean(e["answer"][1], "answer")
        self._answer_feedback(e, q)

    def _answer_feedback(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        """`feedback` (shown for the answer) and `wrong_feedback` (for any other)."""
        for key in ("feedback", "wrong_feedback"):
            if key in e:
                q[key] = self.text(e[key][1], key)

    def _weighted(self, item: yaml.Node, what: str, key: str) -> dict[str, Any] | None:
        """An alternative as a mapping: its `key` (text or answer), weight and feedback."""
        keys = (key, "weight", "feedback") + (("tolerance",) if key == "answer" else ("wildcard",))
        sub = self.mapping(item, what, keys)
        if sub is None:
            return None
        alt: dict[str, Any] = {}
        if key not in sub:
            self.err(item, _("{what} has no {key!r}").format(what=what, key=key))
        elif key == "text":
            alt["text"] = self.text(sub["text"][1], what)
        else:
            alt.update(self._numeric_answer(sub["answer"][1], f"{what} answer"))
            if "tolerance" in sub:
                alt["tolerance"] = self._tolerance(sub["tolerance"][1], f"{what} tolerance")
        if "weight" in sub:
            alt["weight"] = self.weight(sub["weight"][1], f"{what} weight", 0)
        if "feedback" in sub:
            alt["feedback"] = self.text(sub["feedback"][1], f"{what} feedback")
        if "wildcard" in sub:
            # `*` in the text stands for any text (Moodle's short-answer wildcard).
            alt["wildcard"] = self.boolean(sub["wildcard"][1], f"{what} wildcard")
        if any(v is None for v in alt.values()) or key not in alt:
            return None
        return alt

    def _short(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        if "answer" in e:
            q["answer"] = self.text(e["answer"][1], "answer")
        if "alternatives" in e:
            alts: list[str] = []
            weighted: list[dict[str, Any]] = []
            for i, item in enumerate(self.sequence(e["alternatives"][1], "alternatives") or (), 1):
                if _has_key(item, "text"):
                    alt = self._weighted(item, _("alternative #{i}").format(i=i), "text")
                    if alt is not None:
                        weighted.append(alt)
                    continue
                value = self.text(item, f"alternatives #{i}")
                if value is not None:
                    alts.extend(v for v in value.values() if v not in alts)
            q["alternatives"] = alts
            if weighted:
                q["weighted"] = weighted
        self._answer_feedback(e, q)

    def _numeric(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        if "answer" in e:
            q.update(self._numeric_answer(e["answer"][1], "answer"))
        if "tolerance" in e:
            q["tolerance"] = self._tolerance(e["tolerance"][1], "tolerance")
        if "unit" in e:
            q["unit"] = self.text(e["unit"][1], "unit")
        if "alternatives" in e:
            weighted = []
            for i, item in enumerate(self.sequence(e["alternatives"][1], "alternatives") or (), 1):
                alt = self._weighted(item, _("alternative #{i}").format(i=i), "answer")
                if alt is not None:
                    weighted.append(alt)
            q["weighted"] = weighted
        self._answer_feedback(e, q)

    def _numeric_answer(self, node: yaml.Node, what: str) -> dict[str, Any]:
        """A number, or a range [from, to]: {"answer": x} or {"answer": low, "to": high}."""
        if not isinstance(node, yaml.SequenceNode):
            return {"answer": self.number(node, what)}
        items = self.sequence(node, what) or []
        if len(items) != 2:
            self.err(node, _("{what}: a range is two numbers, [from, to]").format(what=what))
            return {"answer": None}
        low, high = (self.number(item, what) for item in items)
        if low is not None and high is not None and low > high:
            self.err(
                node,
                _("{what}: the range [{low:g}, {high:g}] starts after its end").format(
                    what=what, low=low, high=high
                ),
            )
            return {"answer": None}
        return {"answer": low, "to": high}

    def _tolerance(self, node: yaml.Node, what: str) -> float | None:
        tol = self.number(node, what)
        if tol is not None and tol < 0:
            self.err(node, _("{what} cannot be negative").format(what=what))
        return tol

    def _cloze(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        if "text" not in e:
            return
        node = e["text"][1]
        value = self.text(node, "text")
        if value is None:
            return
        for lang, sentence in value.items():
            where = f"text ({lang})" if len(value) > 1 else "text"
            if "{{" not in sentence:
                self.err(
                    node, _("{where} has no gap: write gaps as {{{{answer}}}}").format(where=where)
                )
                continue
            for m in re.finditer(r"\{\{(.*?)\}\}", sentence, re.DOTALL):
                if not [a for a in m.group(1).split("|") if a.strip()]:
                    self.err(
                        node,
                        _("{where}: the gap at {value!r} has no answer").format(
                            where=where, value=m.group(0)
                        ),
                    )
            __, gaps = parse_cloze(sentence)
            rest = re.sub(r"\{\{.*?\}\}", "", sentence, flags=re.DOTALL)
            if "{{" in rest or "}}" in rest:
                self.err(
                    node,
                    _("{where} has an unclosed gap ('{{{{' without '}}}}')").format(where=where),
                )
        q["text"] = value
        if "any_order" in e:
            counts = {len(parse_cloze(sentence)[1]) for sentence in value.values()}
            groups = self._any_order(e["any_order"][1], counts)
            if groups:
                q["any_order"] = groups
        if "options" in e:
            q["options"] = self._gap_options(e["options"][1], value)

    def _any_order(self, node: yaml.Node, counts: set[int]) -> list[list[int]]:
        """`any_order`: true (every gap), or gap numbers as one list or a list of lists."""
        what = "any_order"
        if isinstance(node, yaml.ScalarNode) and node.tag == T_BOOL:
            every = self.boolean(node, what)
            if not every:
                return []
            if len(counts) != 1:
                self.err(
                    node,
                    _("{what}: true needs the same number of gaps in every language").format(
                        what=what
                    ),
                )
                return []
            n = counts.pop()
            if n < 2:
                self.err(
                    node,
                    _("{what}: true needs at least 2 gaps, the text has {n}").format(
                        what=what, n=n
                    ),
                )
                return []
            return [list(range(1, n + 1))]
        if not isinstance(node, yaml.SequenceNode):
            self.err(
                node,
                _("{what} must be true, false or a list of gap numbers, not {found}").format(
                    what=what, found=_describe(node)
                ),
            )
            return []
        items = self.sequence(node, what)
        if items is None:
            return []
        if items and all(isinstance(item, yaml.SequenceNode) for item in items):
            raw = [(item, self.sequence(item, f"{what} group") or []) for item in items]
        else:
            raw = [(node, items)]
        most = min(counts) if counts else 0
        groups: list[list[int]] = []
        seen: set[int] = set()
        for group_node, members in raw:
            group: list[int] = []
            for member in members:
                number = self.number(member, f"{what} gap number")
                if number is None:
                    continue
                if not number.is_integer() or not 1 <= number <= most:
                    self.err(
                        member,
                        _("{what}: {member.value!r} is not a gap number (1 to {most})").format(
                            what=what, member=member, most=most
                        ),
                    )
                    continue
                if int(number) in seen:
                    self.err(
                        member,
                        _("{what}: gap {value} is listed twice").format(
                            what=what, value=int(number)
                        ),
                    )
                    continue
                seen.add(int(number))
                group.append(int(number))
            if len(members) < 2:
                self.err(
                    group_node, _("{what}: a group needs at least 2 gap numbers").format(what=what)
                )
            elif len(group) == len(members):
                groups.append(sorted(group))
        return groups

    def _gap_options(self, node: yaml.Node, value: dict[str, str]) -> list[Any]:
        """One entry per gap: null (typed) or the choices offered, the gap's answer among them."""
        items = self.sequence(node, "options") or []
        gaps = parse_cloze(value.get(self.language) or next(iter(value.values())))[1]
        if len(items) != len(gaps):
            self.err(
                node,
                _(
                    "options has {count} entries for {value} gap(s): one per gap (null for a "
                    "gap to type)"
                ).format(count=len(items), value=len(gaps)),
            )
        out: list[Any] = []
        for i, (item, gap) in enumerate(zip(items, gaps, strict=False), 1):
            if isinstance(item, yaml.ScalarNode) and item.tag == T_NULL and self.visit(item):
                out.append(None)
                continue
            texts = self.texts(item, f"options #{i}", min_items=2)
            self._no_repeats(item, texts, f"options #{i}")
            if gap.answers and not any(gap.answers[0] in t.values() for t in texts):
                self.err(
                    item,
                    _("options #{i} does not offer the gap's answer {value!r}").format(
                        i=i, value=gap.answers[0]
                    ),
                )
            out.append(texts)
        return out

    def _order(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        if "items" in e:
            q["items"] = self.texts(e["items"][1], "items", min_items=2)
            self._no_repeats(e["items"][1], q["items"], "items")

    def _match(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        if "pairs" not in e:
            return
        node = e["pairs"][1]
        items = self.sequence(node, "pairs")
        if items is None:
            return
        if len(items) < 2:
            self.err(
                node, _("pairs needs at least 2 entries, has {count}").format(count=len(items))
            )
        pairs = []
        for i, item in enumerate(items, 1):
            sub = self.mapping(item, _("pair #{i}").format(i=i), ("left", "right"))
            if sub is None:
                continue
            pair = {}
            for side in ("left", "right"):
                if side not in sub:
                    self.err(item, _("pair #{i} has no {side!r}").format(i=i, side=side))
                else:
                    pair[side] = self.text(sub[side][1], f"pair #{i} {side}")
            if pair.get("left") and pair.get("right"):
                pairs.append(pair)
        self._no_repeats(node, [p["left"] for p in pairs], "left items")
        rights = [p["right"] for p in pairs]
        if "distractors" in e:
            # Right-hand items with no left partner: shown among the answers, never right.
            q["distractors"] = self.texts(e["distractors"][1], "distractors")
            rights += q["distractors"]
        self._no_repeats(node, rights, "right items")
        q["pairs"] = pairs

    def _no_repeats(self, node: yaml.Node, texts: list[dict[str, str]], what: str) -> None:
        seen: set[str] = set()
        for t in texts:
            for v in set(t.values()):
                if v in seen:
                    self.err(
                        node,
                        _("{what} repeat {v!r}: each must be different").format(what=what, v=v),
                    )
                seen.add(v)


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


def _has_key(node: yaml.Node, key: str) -> bool:
    """Whether a mapping node has `key` (an alternative written out, not a language map)."""
    return isinstance(node, yaml.MappingNode) and any(
        isinstance(k, yaml.ScalarNode) and k.value == key for k, _ in node.value
    )


def _shape(node: yaml.Node) -> str:
    shape = {yaml.MappingNode: N_("mapping"), yaml.SequenceNode: N_("list")}
    return _(shape.get(type(node), N_("value")))


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return repr(node.value)
    return _("a {shape}").format(shape=_shape(node))


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(raw: bytes, path: str) -> str:
    """Bytes -> text: UTF-8 (BOM allowed) only; UTF-16 and binary files get a clear error."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(
            [
                Problem(
                    path,
                    0,
                    0,
                    _("file is larger than {mb} MB").format(mb=MAX_BYTES // (1024 * 1024)),
                )
            ]
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(
            [Problem(path, 1, 1, _("file is UTF-16: save it as UTF-8 (question sets are UTF-8)"))]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        # Columns count characters, as in every other message, not bytes.
        col = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise ValidationError(
            [
                Problem(
                    path,
                    line,
                    col,
                    _("not valid UTF-8 (byte 0x{value:02x}): save as UTF-8").format(
                        value=raw[exc.start]
                    ),
                )
            ]
        ) from None
    return text


def check_characters(text: str, path: str) -> list[Problem]:
    """Control characters and bidi overrides, each with its position (NUL means a binary file)."""
    problems: list[Problem] = []
    if "\x00" in text:
        line, col = _position(text, text.index("\x00"))
        return [
            Problem(path, line, col, _("file contains NUL bytes: it is binary, not a YAML text"))
        ]
    for m in BAD_CHAR_RE.finditer(text):
        line, col = _position(text, m.start())
        problems.append(Problem(path, line, col, bad_char_message(m.group())))
        if len(problems) >= 20:
            break
    return problems


# The YAML parser's problems (libyaml's words, or PyYAML's own when it is built without libyaml),
# each as one message of the catalogues: a French user reads no English, whichever parser ran.
# Matched on the start of the parser's text; the English kept is libyaml's, as shown before.
_YAML_PROBLEMS = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (
            r"did not find expected ',' or '\]'|expected ',' or '\]'",
            N_("did not find expected ',' or ']'"),
        ),
        (
            r"did not find expected ',' or '\}'|expected ',' or '\}'",
            N_("did not find expected ',' or '}'"),
        ),
        (r"did not find expected key|expected <block end>", N_("did not find expected key")),
        (r"did not find expected '-' indicator", N_("did not find expected '-' indicator")),
        (
            r"did not find expected node content|expected the node content",
            N_("did not find expected node content"),
        ),
        (
            r"did not find expected <document start>|expected '<document start>'",
            N_("did not find expected <document start>"),
        ),
        (r"mapping values are not allowed", N_("mapping values are not allowed in this context")),
        (r"mapping keys are not allowed", N_("mapping keys are not allowed in this context")),
        (
            r"(block )?sequence entries are not allowed",
            N_("block sequence entries are not allowed in this context"),
        ),
        (r"could not find expected ':'", N_("could not find expected ':'")),
        (
            r"found character .*cannot start any token",
            N_("found character that cannot start any token"),
        ),
        (r"found unexpected end of stream", N_("found unexpected end of stream")),
        (
            r"found unexpected document (indicator|separator)",
            N_("found unexpected document indicator"),
        ),
        (r"found unknown escape character", N_("found unknown escape character")),
        (
            r"did not find expected hexdecimal number|expected escape sequence of",
            N_("did not find expected hexdecimal number"),
        ),
        (
            r"found invalid Unicode character escape code",
            N_("found invalid Unicode character escape code"),
        ),
        (
            r"(did not find )?expected alphabetic or numeric character",
            N_("did not find expected alphabetic or numeric character"),
        ),
        (
            r"did not find expected comment or line break|expected a comment or a line break",
            N_("did not find expected comment or line break"),
        ),
        (r"found a tab character", N_("found a tab character that violates indentation")),
        (r"found unexpected ':'", N_("found unexpected ':'")),
        (
            r"found an indentation indicator equal to 0|expected indentation indicator",
            N_("found an indentation indicator equal to 0"),
        ),
        (
            r"did not find expected whitespace or line break|expected ' ', but found",
            N_("did not find expected whitespace or line break"),
        ),
        (r"found undefined alias", N_("found undefined alias")),
        (r"found duplicate anchor", N_("found duplicate anchor")),
        (r"but found another document", N_("but found another document")),
        (r"found undefined tag handle", N_("found undefined tag handle")),
        (r"found duplicate %?YAML directive", N_("found duplicate %YAML directive")),
        (r"found incompatible YAML document", N_("found incompatible YAML document")),
        (
            r"found duplicate %TAG directive|duplicate tag handle",
            N_("found duplicate %TAG directive"),
        ),
        (r"invalid indentation or unclosed", N_("invalid indentation or unclosed '[' or '{'")),
        (
            r"control characters are not allowed|special characters are not allowed"
            r"|unacceptable character",
            N_("control characters are not allowed"),
        ),
    )
)
_YAML_CONTEXTS = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (r"while parsing a flow sequence", N_("while parsing a flow sequence")),
        (r"while parsing a flow mapping", N_("while parsing a flow mapping")),
        (r"while parsing a block mapping", N_("while parsing a block mapping")),
        (r"while parsing a block collection", N_("while parsing a block collection")),
        (r"while parsing a (block |flow )?node", N_("while parsing a node")),
        (r"while (scanning|parsing) a quoted scalar", N_("while scanning a quoted scalar")),
        (r"while scanning a (double|single)-quoted scalar", N_("while scanning a quoted scalar")),
        (r"while scanning a simple key", N_("while scanning a simple key")),
        (r"while scanning for the next token", N_("while scanning for the next token")),
        (r"while scanning a block scalar", N_("while scanning a block scalar")),
        (r"while scanning a plain scalar", N_("while scanning a plain scalar")),
        (r"while scanning an anchor", N_("while scanning an anchor")),
        (r"while scanning an alias", N_("while scanning an alias")),
        (r"while (scanning|parsing) a tag", N_("while scanning a tag")),
        (r"while scanning a (%YAML |%TAG )?directive", N_("while scanning a directive")),
        (
            r"expected a single document in the stream",
            N_("expected a single document in the stream"),
        ),
        (r"while composing a mapping", N_("while composing a mapping")),
    )
)


def yaml_reason(problem: str | None, context: str | None) -> str:
    """A YAML parser's problem (and its context), in the interface language."""
    said = next((m for rx, m in _YAML_PROBLEMS if problem and rx.match(problem)), None)
    if said is None:
        if current_lang() == "en" and problem:
            # Words of the parser this table does not know: its own are the best English.
            return f"{problem} ({context})" if context else problem
        return _("the YAML cannot be read here")
    where = next((m for rx, m in _YAML_CONTEXTS if context and rx.match(context)), None)
    if where is None:
        return _(said)
    return _("{problem} ({context})").format(problem=_(said), context=_(where))


def check_text(text: str, path: str = "<string>") -> dict[str, Any]:
    """Validate YAML text and return the checked plain data; raises ValidationError."""
    problems = check_characters(text, path)
    if problems:
        raise ValidationError(problems)
    try:
        if not _PARSER_LIMITS_DEPTH and _may_be_deep(text):
            _check_depth(text, path)
        loader = _FastLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        said = f"{exc.problem} {exc.context}"
        if "maximum nesting depth" in said or "nesting" in (exc.context or ""):
            message = _("the file is nested too deeply")
        elif mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
            message = _("tab character where YAML expects spaces: indent with spaces")
        else:
            message = yaml_reason(exc.problem, exc.context)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        raise ValidationError(
            [Problem(path, line, col, _("YAML syntax: {message}").format(message=message))]
        ) from None
    except yaml.YAMLError as exc:
        reason = yaml_reason(getattr(exc, "problem", None) or str(exc), None)
        raise ValidationError(
            [Problem(path, 0, 0, _("YAML syntax: {message}").format(message=reason))]
        ) from None
    except RecursionError:
        raise ValidationError([Problem(path, 0, 0, _("the file is nested too deeply"))]) from None
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

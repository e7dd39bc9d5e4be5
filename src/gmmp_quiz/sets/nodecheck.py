"""The YAML checker's base: reporting at line:col and the generic shapes (texts, numbers, ids).

The set and question checks (validation.py) and the checks per kind (check_answers.py,
check_arrange.py) build on NodeChecker.
"""

from __future__ import annotations

import difflib
import math

import yaml

from gmmp_quiz.errors import Problem
from gmmp_quiz.i18n import N_, _
from gmmp_quiz.sets.rules import (
    DECIMAL_POINT_FIRST_RE,
    DECIMAL_RE,
    ESCAPED_BAD_RE,
    ID_RE,
    LANG_RE,
    MAX_WEIGHT,
    PLAIN_NUMBER_RE,
)
from gmmp_quiz.sets.yamlread import (
    ALLOWED_TAGS,
    T_BOOL,
    T_FLOAT,
    T_INT,
    T_NULL,
    T_STR,
    T_TIMESTAMP,
    bad_char_message,
)


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


class NodeChecker:
    """Walks a composed YAML document, collecting problems: the generic shapes of its values."""

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
        value: str
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
        if node.style == '"' and (bad := ESCAPED_BAD_RE.search(value)):
            # Escapes such as "\u0007", "\e" or "\r" in a double-quoted value make control
            # characters that the scan of the raw text cannot see (a CR there would let the
            # end of a text overwrite its start on a terminal).
            self.err(node, f"{what}: {bad_char_message(bad.group())}")
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
            return str(node.value).lower() == "true"
        self.err(
            node,
            _("{what} must be true or false, not {found}").format(what=what, found=describe(node)),
        )
        return None

    def number(self, node: yaml.Node, what: str) -> float | None:
        """A decimal number (octal, sexagesimal, hex and infinities are refused)."""
        if not self.visit(node):
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag in (T_INT, T_FLOAT):
            raw = node.value.replace("_", "")
            if DECIMAL_RE.match(raw) or DECIMAL_POINT_FIRST_RE.match(raw):
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
            node, _("{what} must be a number, not {found}").format(what=what, found=describe(node))
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

    def weight(self, node: yaml.Node, what: str, low: float) -> float | None:
        """A share of the question's mark in percent, from `low` to 100."""
        value = self.number(node, what)
        if value is not None and not low <= value <= MAX_WEIGHT:
            self.err(
                node,
                _("{what} must be a percentage from {low:g} to 100, not {value:g}").format(
                    what=what, low=low, value=value
                ),
            )
            return None
        return value

    def no_repeats(self, node: yaml.Node, texts: list[dict[str, str]], what: str) -> None:
        """Each text of `texts` differs from the others, in every language."""
        seen: set[str] = set()
        for t in texts:
            for v in set(t.values()):
                if v in seen:
                    self.err(
                        node,
                        _("{what} repeat {v!r}: each must be different").format(what=what, v=v),
                    )
                seen.add(v)


def has_key(node: yaml.Node, key: str) -> bool:
    """Whether a mapping node has `key` (an alternative written out, not a language map)."""
    return isinstance(node, yaml.MappingNode) and any(
        isinstance(k, yaml.ScalarNode) and k.value == key for k, _ in node.value
    )


def _shape(node: yaml.Node) -> str:
    """What a node is, in words (mapping, list or value)."""
    shape: dict[type[yaml.Node], str] = {
        yaml.MappingNode: N_("mapping"),
        yaml.SequenceNode: N_("list"),
    }
    return _(shape.get(type(node), N_("value")))


def describe(node: yaml.Node) -> str:
    """A node for a message: a scalar's value, else its shape."""
    if isinstance(node, yaml.ScalarNode):
        return repr(node.value)
    return _("a {shape}").format(shape=_shape(node))

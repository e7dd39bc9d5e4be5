"""Safe reading of set files: bytes to text, refused characters, depth limits, YAML to nodes.

Every reader of set files goes through here, so that they all read a file alike: the checker
(validation.py) on the composed node tree, the question editor on the loader.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.i18n import N_, _, current_lang
from gmmp_quiz.sets.rules import BAD_CHAR_RE, MAX_BYTES, MAX_DEPTH

# The safe loader, in C where libyaml is there (several times faster): every reader of set files
# uses this one, so that they all read a file alike.
try:
    from yaml import CSafeLoader as _SafeLoader

    _C_LOADER = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    # Another class with the same interface: the type checker sees the C one.
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

    _C_LOADER = False
SafeYamlLoader = _SafeLoader


class _FastLoader(_SafeLoader):
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
                # PyYAML's stubs leave the resolver untyped; it returns the tag, a str.
                tag: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
                return tag
            return T_STR
        return T_SEQ if kind is yaml.SequenceNode else T_MAP


def _libyaml_limits_depth() -> bool:
    """Whether the parser in use refuses deep nesting itself (libyaml 0.2.6 and newer do)."""
    try:
        from yaml import _yaml

        version = _yaml.get_version()
    except (ImportError, AttributeError):  # pragma: no cover - pure-Python PyYAML
        return False
    return _C_LOADER and tuple(version) >= (0, 2, 6)


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
                    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
                    message = _("YAML syntax: the file is nested too deeply")
                    raise ValidationError([Problem(path, line, col, message)])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def bad_char_message(char: str) -> str:
    """Why `char` (a match of BAD_CHAR_RE) is refused."""
    if "\ud800" <= char <= "\udfff":
        return _("lone surrogate U+{value:04X} is not text: it is not allowed").format(
            value=ord(char)
        )
    return _("control character U+{value:04X} is not allowed").format(value=ord(char))


T_STR = "tag:yaml.org,2002:str"
T_INT = "tag:yaml.org,2002:int"
T_FLOAT = "tag:yaml.org,2002:float"
T_BOOL = "tag:yaml.org,2002:bool"
T_NULL = "tag:yaml.org,2002:null"
T_TIMESTAMP = "tag:yaml.org,2002:timestamp"
T_MAP = "tag:yaml.org,2002:map"
T_SEQ = "tag:yaml.org,2002:seq"
ALLOWED_TAGS = {T_STR, T_INT, T_FLOAT, T_BOOL, T_NULL, T_TIMESTAMP, T_MAP, T_SEQ}


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


def compose(text: str, path: str) -> yaml.Node | None:
    """The node tree of one YAML document (None for an empty file); syntax errors as problems."""
    try:
        if not _PARSER_LIMITS_DEPTH and _may_be_deep(text):
            _check_depth(text, path)
        loader = _FastLoader(text)
        try:
            root: yaml.Node | None = loader.get_single_node()
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
    return root


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

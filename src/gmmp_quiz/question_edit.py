"""Writing one question into a set file: fields to data, a unique id, append or re-dump, check."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.formats import dump_set
from gmmp_quiz.formats.common import slug
from gmmp_quiz.i18n import _, t
from gmmp_quiz.loading import load_text
from gmmp_quiz.validation import BAD_CHAR_RE, SafeYamlLoader, check_text, yaml_reason


class FormError(Exception):
    """The form cannot make a question; the message says what to fill in."""


def text_value(values: dict[str, str], set_lang: str) -> str | dict[str, str] | None:
    """A text field from its language variants: a string for one language, else a map."""
    given = {lang: v.strip() for lang, v in values.items() if v.strip()}
    if not given:
        return None
    if len(given) == 1:
        ((lang, text),) = given.items()
        return text if lang == set_lang else {lang: text}
    if len(set(given.values())) == 1 and set_lang in given:
        # The same in every language (a name, a number): written once.
        return given[set_lang]
    return given


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def has_control_chars(question: dict[str, Any]) -> bool:
    """Whether a text of the question holds a character sets may not contain (pasted, say)."""
    return any(BAD_CHAR_RE.search(text) for text in _strings(question))


def parse_number(text: str) -> int | float:
    """A number typed in the form ("2 025", "1,5" and "1.5" are read); raises FormError."""
    cleaned = text.strip().replace(" ", "").replace("\u202f", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise FormError(t("qf_not_number", "en", value=text)) from None
    return int(value) if value.is_integer() and "." not in cleaned else value


def question_id(question: dict[str, Any], taken: set[str]) -> str:
    """A unique id made from the question's main text (a slug), `-2`, `-3`... when taken."""
    main = question.get("prompt") or question.get("front") or question.get("text") or ""
    if isinstance(main, dict):
        main = next(iter(main.values()))
    base = slug(main.replace("{{", " ").replace("}}", " ").replace("|", " ")) or "question"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def append_question(text: str, question: dict[str, Any]) -> str | None:
    """The set's text with `question` appended as YAML at the end of a block `questions:` list.

    None when that cannot be done safely (`questions` is not the last top-level key, or is a
    flow list): the caller then re-dumps the whole set.
    """
    try:
        root = yaml.compose(text, Loader=SafeYamlLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or not root.value:
        return None
    key, seq = root.value[-1]
    if key.value != "questions" or not isinstance(seq, yaml.SequenceNode):
        return None
    if seq.flow_style or not seq.value:
        return None
    dash_col = seq.start_mark.column
    newline = "\r\n" if "\r\n" in text else "\n"
    # dump_set writes list items at column 2: move them to the column of the file's own items.
    emitted = dump_set({"questions": [question]}).splitlines()[2:]
    lines = [(" " * dash_col + line[2:]) if line else "" for line in emitted]
    lines_before = text.splitlines()
    last_start = seq.value[-1].start_mark.line
    blank_between = last_start > 0 and not lines_before[last_start - 1].strip()
    out = text if text.endswith(("\n", "\r")) or not text else text + newline
    if blank_between and out.strip():
        out += newline
    return out + newline.join(lines) + newline


def _without_lines(data: dict[str, Any]) -> dict[str, Any]:
    questions = [{k: v for k, v in q.items() if k != "line"} for q in data["questions"]]
    return {k: v for k, v in data.items() if k not in ("questions", "id_at")} | {
        "questions": questions
    }


@dataclass
class SavePlan:
    """The new text of a set file with its added question, and how it was made."""

    text: str
    kept: bool  # the rest of the file kept as it was (False: re-dumped, comments lost)


def plan_save(text: str, path: str, question: dict[str, Any]) -> SavePlan:
    """Add a question to a set's text; everything is validated before anything is written.

    Raises ValidationError: about the set file when it is already invalid, about the question
    (problems without a position) when the question does not pass.
    """
    old = check_text(text, path)
    alone = {"id": "preview", "title": "preview", "language": old["language"]}
    try:
        check_text(dump_set(alone | {"questions": [question]}), "<question>")
    except ValidationError as exc:
        raise ValidationError([Problem(path, 0, 0, p.message) for p in exc.problems]) from None
    appended = append_question(text, question)
    if appended is not None:
        try:
            new = check_text(appended, path)
        except ValidationError:
            new = None
        # The other questions must read exactly as before, else the append went wrong.
        if new is not None:
            expected = _without_lines(old)
            got = _without_lines(new)
            if got["questions"][:-1] == expected["questions"] and {
                k: v for k, v in got.items() if k != "questions"
            } == {k: v for k, v in expected.items() if k != "questions"}:
                return SavePlan(appended, kept=True)
    try:
        data = yaml.load(text, Loader=SafeYamlLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        reason = yaml_reason(getattr(exc, "problem", None), getattr(exc, "context", None))
        raise ValidationError([Problem(path, 0, 0, _("YAML: {exc}").format(exc=reason))]) from None
    data["questions"].append(question)
    redumped = dump_set(data)
    check_text(redumped, path)
    return SavePlan(redumped, kept=False)


def preview_set(question: dict[str, Any], set_text: str) -> Any:
    """A one-question set holding `question`, with the set's language and options."""
    old = check_text(set_text, "<set>")
    data = {
        "id": "preview",
        "title": "preview",
        "language": old["language"],
        "options": {"shuffle": old["shuffle"], "strict_accents": old["strict_accents"]},
        "questions": [question],
    }
    return load_text(dump_set(data), "<question>")

"""Writing one question into a set file: fields to data, a unique id, append or re-dump, check."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.i18n import _, t
from gmmp_quiz.model import Kind
from gmmp_quiz.sets.loading import load_text
from gmmp_quiz.sets.rules import BAD_CHAR_RE, ID_RE, slug
from gmmp_quiz.sets.validation import check_text
from gmmp_quiz.sets.writer import dump_set
from gmmp_quiz.sets.yamlread import SafeYamlLoader, yaml_reason


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
    # Not textmatch.parse_number, which reads a learner's answer (a unit may follow, None when
    # no number): an author's field holds the number alone, and whole numbers stay ints so
    # that the set's YAML shows "42", not "42.0".
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


# -- the question form's fields -> question data (the app's form reads its widgets into `fields`)

FIELD_LABELS = {
    "prompt": "qf_prompt",
    "front": "qf_front",
    "back": "qf_back",
    "choices": "qf_choices",
    "truth": "qf_truth",
    "answer": "qf_answer",
    "alternatives": "qf_alternatives",
    "number": "qf_number",
    "unit": "qf_unit",
    "cloze": "qf_cloze",
    "items": "qf_items",
    "pairs": "qf_pairs",
    "explanation": "explanation",
    "source": "source",
    "tags": "qf_tags",
}
"""The interface string naming each field group of the form."""


def form_langs(set_lang: str) -> tuple[str, str]:
    """The form's two language columns: the set's own language first."""
    return (set_lang, "fr" if set_lang == "en" else "en")


def question_from_fields(
    kind: Kind,
    fields: Mapping[str, str | bool],
    set_lang: str,
    taken: set[str],
    *,
    lang: str = "en",
    langs: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """The question as plain data, from the form's fields of its type; raises FormError.

    `fields` holds what was typed, by field: `prompt-fr`, `choices-en` (one line per choice,
    the right ones starred), `alternatives`, `number`, `tolerance`, `tags`, `qf-id`, and `truth`
    (ticked or not). `taken` are the set's question ids; the messages are in `lang`. `langs`
    are the form's two language columns, in order (by default `form_langs(set_lang)`).
    """
    return _FormReader(fields, set_lang, lang, langs or form_langs(set_lang)).question(kind, taken)


class _FormReader:
    """Reads the form's fields, in the order the form checks them (the first problem wins)."""

    def __init__(
        self, fields: Mapping[str, str | bool], set_lang: str, lang: str, langs: tuple[str, str]
    ) -> None:
        self.fields = fields
        self.set_lang = set_lang
        self.lang = lang
        self.langs = langs

    def value(self, field: str) -> str:
        found = self.fields.get(field, "")
        return found if isinstance(found, str) else ""

    def text(self, group: str) -> str | dict[str, str] | None:
        return text_value(
            {code: self.value(f"{group}-{code}") for code in self.langs}, self.set_lang
        )

    def lines(self, group: str) -> list[dict[str, str]]:
        """Line-aligned variants of a list field, one {lang: text} per line."""
        by_lang = {
            code: [line.strip() for line in self.value(f"{group}-{code}").splitlines()]
            for code in self.langs
        }
        for code in self.langs:
            while by_lang[code] and not by_lang[code][-1]:
                by_lang[code].pop()
        first, second = (by_lang[code] for code in self.langs)
        if first and second and len(first) != len(second):
            field = t(FIELD_LABELS[group], self.lang)
            raise FormError(t("qf_lines_mismatch", self.lang, field=field))
        count = max(len(first), len(second))
        return [
            {code: by_lang[code][i] for code in self.langs if i < len(by_lang[code])}
            for i in range(count)
        ]

    def need(self, value: Any, group: str) -> Any:
        if value is None:
            raise FormError(t("qf_need", self.lang, field=t(FIELD_LABELS[group], self.lang)))
        return value

    def question(self, kind: Kind, taken: set[str]) -> dict[str, Any]:
        q: dict[str, Any] = {"id": "", "type": kind.value}
        if kind is Kind.FLASHCARD:
            q["front"] = self.need(self.text("front"), "front")
            q["back"] = self.need(self.text("back"), "back")
        elif kind is Kind.CLOZE:
            prompt = self.text("prompt")
            if prompt is not None:
                q["prompt"] = prompt
        else:
            q["prompt"] = self.need(self.text("prompt"), "prompt")
        if kind in (Kind.CHOICE, Kind.MULTI):
            self.choices(q)
        elif kind is Kind.TRUE_FALSE:
            q["answer"] = self.fields.get("truth") is True
        elif kind is Kind.SHORT:
            q["answer"] = self.need(self.text("answer"), "answer")
            alternatives = [a.strip() for a in self.value("alternatives").split("|")]
            if any(alternatives):
                q["alternatives"] = [a for a in alternatives if a]
        elif kind is Kind.NUMERIC:
            number = self.value("number")
            self.need(number.strip() or None, "number")
            q["answer"] = self.number(number)
            if self.value("tolerance").strip():
                q["tolerance"] = self.number(self.value("tolerance"))
            unit = self.text("unit")
            if unit is not None:
                q["unit"] = unit
        elif kind is Kind.CLOZE:
            text = self.need(self.text("cloze"), "cloze")
            variants = text.values() if isinstance(text, dict) else [text]
            if not all("{{" in v and "}}" in v for v in variants):
                raise FormError(t("qf_no_gap", self.lang))
            q["text"] = text
        elif kind is Kind.ORDER:
            items = [text_value(line, self.set_lang) for line in self.lines("items")]
            if len([i for i in items if i is not None]) < 2:
                raise FormError(t("qf_need_two", self.lang, field=t("qf_items", self.lang)))
            q["items"] = [i for i in items if i is not None]
        elif kind is Kind.MATCH:
            q["pairs"] = self.pairs()
        for group in ("explanation", "source"):
            value = self.text(group)
            if value is not None:
                q[group] = value
        tags = [tag.strip() for tag in self.value("tags").split(",") if tag.strip()]
        if tags:
            q["tags"] = tags
        given_id = self.value("qf-id").strip()
        if given_id:
            if not ID_RE.match(given_id):
                raise FormError(t("qf_bad_id", self.lang, id=given_id))
            if given_id in taken:
                raise FormError(t("qf_id_taken", self.lang, id=given_id))
            q["id"] = given_id
        else:
            q["id"] = question_id(q, taken)
        if has_control_chars(q):
            raise FormError(t("qf_control_char", self.lang))
        return q

    def number(self, text: str) -> int | float:
        try:
            return parse_number(text)
        except FormError:
            raise FormError(t("qf_not_number", self.lang, value=text.strip())) from None

    def choices(self, q: dict[str, Any]) -> None:
        choices: list[Any] = []
        right: list[Any] = []
        for line in self.lines("choices"):
            marked = any(v.startswith("*") for v in line.values())
            clean = {code: v.removeprefix("*").strip() for code, v in line.items()}
            value = text_value(clean, self.set_lang)
            if value is None:
                continue
            choices.append(value)
            if marked:
                # `answer` repeats the choice's text in one of its languages.
                right.append(next(v for v in clean.values() if v))
        if len(choices) < 2:
            raise FormError(t("qf_need_choices", self.lang))
        if q["type"] == Kind.CHOICE.value:
            if len(right) != 1:
                raise FormError(t("qf_need_right", self.lang))
            q["choices"], q["answer"] = choices, right[0]
        else:
            if not right:
                raise FormError(t("qf_need_rights", self.lang))
            q["choices"], q["answers"] = choices, right

    def pairs(self) -> list[dict[str, Any]]:
        pairs = []
        for n, line in enumerate(self.lines("pairs"), 1):
            if not any(line.values()):
                continue
            sides: dict[str, dict[str, str]] = {"left": {}, "right": {}}
            for code, value in line.items():
                if not value:
                    continue
                if "->" not in value:
                    raise FormError(t("qf_pair_arrow", self.lang, n=n))
                left, right = value.split("->", 1)
                sides["left"][code], sides["right"][code] = left, right
            left_value = text_value(sides["left"], self.set_lang)
            right_value = text_value(sides["right"], self.set_lang)
            if left_value is None or right_value is None:
                raise FormError(t("qf_pair_arrow", self.lang, n=n))
            pairs.append({"left": left_value, "right": right_value})
        if len(pairs) < 2:
            raise FormError(t("qf_need_two", self.lang, field=t("qf_pairs", self.lang)))
        return pairs

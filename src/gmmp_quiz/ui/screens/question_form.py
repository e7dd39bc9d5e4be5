"""A form to write a new question into one of the user's sets: fields per type, preview, save."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Header, Input, Select, Static, TextArea

from gmmp_quiz.errors import Problem, QuizError, ValidationError
from gmmp_quiz.files import os_detail, read_regular
from gmmp_quiz.grading import grade
from gmmp_quiz.i18n import t
from gmmp_quiz.loading import MAX_BYTES
from gmmp_quiz.model import Kind
from gmmp_quiz.question_edit import (
    FormError,
    has_control_chars,
    parse_number,
    plan_save,
    preview_set,
    question_id,
    text_value,
)
from gmmp_quiz.session import make_item
from gmmp_quiz.ui.localize import localize_bindings
from gmmp_quiz.ui.screens.add_sets import problems_content
from gmmp_quiz.ui.screens.confirm import ConfirmModal
from gmmp_quiz.ui.screens.quiz import feedback_content
from gmmp_quiz.ui.widgets.answers import HINT_KEYS, Answered, NotAnAnswer, answer_widget
from gmmp_quiz.ui.widgets.footer import KeyFooter
from gmmp_quiz.validation import ID_RE, check_text, decode

KINDS = tuple(Kind)
LANGS = ("fr", "en")

# Which field groups each type shows (the common ones, explanation, source and tags, always).
FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.FLASHCARD: ("front", "back"),
    Kind.CHOICE: ("prompt", "choices"),
    Kind.MULTI: ("prompt", "choices"),
    Kind.TRUE_FALSE: ("prompt", "truth"),
    Kind.SHORT: ("prompt", "answer", "alternatives"),
    Kind.NUMERIC: ("prompt", "number", "unit"),
    Kind.CLOZE: ("prompt", "cloze"),
    Kind.ORDER: ("prompt", "items"),
    Kind.MATCH: ("prompt", "pairs"),
}
GROUPS = ("prompt", "front", "back", "choices", "truth", "answer", "alternatives", "number")
GROUPS += ("unit", "cloze", "items", "pairs", "explanation", "source", "tags")
# Fields written as FR/EN pairs of one-line inputs, and as FR/EN pairs of line lists.
PAIRED = ("prompt", "front", "back", "answer", "unit", "cloze", "explanation", "source")
LISTED = ("choices", "items", "pairs")
LABELS = {
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


# -- the screens -----------------------------------------------------------------------------


class QuestionPreviewModal(ModalScreen[None]):
    """The question as it will be asked, with the real answer widget; answering shows feedback."""

    BINDINGS = [
        Binding("escape", "close", "Close", show=True),
        Binding("ctrl+l,f3", "switch_language", "Language", show=True, priority=True),
    ]

    def __init__(self, qset: Any, lang: str) -> None:
        super().__init__()
        self.qset = qset
        self.lang = lang
        self.shown_lang = lang
        localize_bindings(self, lang)

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with VerticalScroll(id="qf-preview-box") as box:
            box.border_title = t("qf_preview_title", self.lang)
            yield Static(id="qf-preview-prompt")
            yield Static(id="qf-preview-hint")
            yield Vertical(id="qf-preview-answer")
            yield Static(id="qf-preview-feedback")
        yield KeyFooter()

    async def on_mount(self) -> None:
        """Show the question."""
        await self.show_question()

    async def show_question(self) -> None:
        """Show the question in the shown language, with a fresh answer widget."""
        question = self.qset.questions[0]
        lang = self.shown_lang
        prompt = question.prompt.get(lang) or t("type_answer", lang)
        self.query_one("#qf-preview-prompt", Static).update(
            Content.assemble((f"[{lang.upper()}] ", "$text-muted"), (prompt, "bold"))
        )
        self.query_one("#qf-preview-hint", Static).update(
            Content(t(HINT_KEYS[question.kind], lang))
        )
        self.query_one("#qf-preview-feedback", Static).update("")
        box = self.query_one("#qf-preview-answer", Vertical)
        await box.remove_children()
        widget = answer_widget(make_item(self.qset, question, random.Random(0)), lang)
        localize_bindings(widget, self.lang)
        await box.mount(widget)
        self.call_after_refresh(widget.focus)

    @on(NotAnAnswer)
    def _not_an_answer(self, event: NotAnAnswer) -> None:
        event.stop()
        self.query_one("#qf-preview-feedback", Static).update(
            Content.styled(f"⚠ {event.text}", "bold $text-warning")
        )

    @on(Answered)
    def _answered(self, event: Answered) -> None:
        event.stop()
        question = self.qset.questions[0]
        response = event.rating if question.kind is Kind.FLASHCARD else event.response
        try:
            verdict = grade(question, response, lang=self.shown_lang)
        except QuizError:  # an answer the grader cannot read: nothing to show
            return
        feedback = feedback_content(verdict, question.kind, self.shown_lang, requeued=False)
        parts: list[Any] = [feedback]
        if question.explanation is not None:
            parts += ["\n", (question.explanation.get(self.shown_lang), "italic")]
        self.query_one("#qf-preview-feedback", Static).update(Content.assemble(*parts))

    async def action_switch_language(self) -> None:
        """Show the French, then the English variant."""
        self.shown_lang = (
            LANGS[(LANGS.index(self.shown_lang) + 1) % 2] if self.shown_lang in LANGS else "fr"
        )
        await self.show_question()

    def action_close(self) -> None:
        """Back to the form."""
        self.dismiss()


class QuestionFormScreen(Screen[str | None]):
    """Write a question of any type into a set file; dismisses with the new question's id."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", show=True, priority=True),
        Binding("ctrl+o,f2", "preview", "Preview", show=True, priority=True),
        Binding("escape", "cancel", "Cancel", show=True),
    ]

    def __init__(self, set_path: Path, lang: str, set_lang: str = "fr") -> None:
        super().__init__()
        self.set_path = Path(set_path)
        self.lang = lang
        # The set's own language first: an English set's texts go under `en`, not `fr`.
        self.langs = (set_lang, "fr" if set_lang == "en" else "en")
        self._filled: set[str] = set()
        self._checked: tuple[str, set[str]] | None = None  # the set's language and ids, once read
        localize_bindings(self, lang)

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """Lay out the widgets: a box per field group, filled when its type first needs it."""
        yield Header(show_clock=False, icon="?")
        with VerticalScroll(id="qf-body"):
            with Horizontal(id="qf-top"):
                yield Static(
                    Content(t("qf_type", self.lang)), classes="qf-label", id="qf-type-label"
                )
                yield Select(
                    [(t(f"qf_type_{kind.value}", self.lang), kind.value) for kind in KINDS],
                    value=Kind.SHORT.value,
                    allow_blank=False,
                    id="qf-type",
                    compact=True,
                )
            first, second = (code.upper() for code in self.langs)
            hint = t("qf_lang_hint", self.lang, first=first, second=second)
            yield Static(Content(hint), id="qf-lang-hint")
            # Only the groups of the first type are built now (a form of every field opened in
            # 0.4 s and more); the others when a type needs them.
            wanted = self._wanted(Kind.SHORT)
            for group in GROUPS:
                widgets = self._group_widgets(group) if group in wanted else []
                if widgets:
                    self._filled.add(group)
                yield Vertical(*widgets, id=f"g-{group}", classes="qf-group")
            # Last: most questions keep the id made from their prompt.
            with Vertical(id="g-id", classes="qf-group"):
                yield Static(Content(t("qf_id", self.lang)), classes="qf-label")
                yield Input(placeholder="id", id="qf-id", compact=True)
        yield Static(id="qf-message")
        yield KeyFooter()

    def _group_widgets(self, group: str) -> list[Widget]:
        widgets: list[Widget] = []
        if group != "truth":
            widgets.append(Static(Content(t(LABELS[group], self.lang)), classes="qf-label"))
        if group in PAIRED:
            boxes = [
                Input(placeholder=self._placeholder(code), id=f"{group}-{code}", compact=True)
                for code in self.langs
            ]
            widgets.append(Horizontal(*boxes, classes="qf-pair"))
        elif group in LISTED:
            areas = [
                TextArea(
                    id=f"{group}-{code}",
                    compact=True,
                    classes="qf-list",
                    placeholder=self._placeholder(code),
                )
                for code in self.langs
            ]
            widgets.append(Horizontal(*areas, classes="qf-pair"))
        elif group == "truth":
            widgets.append(Checkbox(t("qf_truth", self.lang), True, id="truth", compact=True))
        elif group == "number":
            tolerance = Input(
                placeholder=t("qf_tolerance", self.lang), id="tolerance", compact=True
            )
            number = Input(placeholder="42", id="number", compact=True)
            widgets.append(Horizontal(number, tolerance, classes="qf-pair"))
        else:
            widgets.append(Input(id=group, compact=True))
        return widgets

    def _placeholder(self, code: str) -> str:
        if code == self.langs[0]:
            return code.upper()
        return f"{code.upper()} ({t('qf_optional', self.lang)})"

    async def on_mount(self) -> None:
        """Title, the set's name, and the fields of the first type."""
        self.title = t("qf_title", self.lang, set=self.set_path.name)
        self.sub_title = str(self.set_path.parent)
        self.query_one("#qf-message").display = False
        await self.show_fields()
        # Typing starts at once, in the prompt (the type, a short answer by default, is one
        # Shift+Tab away): focused on the type list, the first words typed went nowhere.
        self.query_one(f"#prompt-{self.langs[0]}", Input).focus()

    @property
    def kind(self) -> Kind:
        """The chosen question type."""
        return Kind(self.query_one("#qf-type", Select).value)

    @staticmethod
    def _wanted(kind: Kind) -> set[str]:
        return set(FIELDS[kind]) | {"explanation", "source", "tags"}

    async def show_fields(self) -> None:
        """Show the field groups of the chosen type only (building those not built yet)."""
        wanted = self._wanted(self.kind)
        for group in GROUPS:
            box = self.query_one(f"#g-{group}")
            if group in wanted and group not in self._filled:
                self._filled.add(group)
                await box.mount_all(self._group_widgets(group))
            box.display = group in wanted
        prompt_label = "qf_prompt_optional" if self.kind is Kind.CLOZE else "qf_prompt"
        for label in self.query("#g-prompt .qf-label").results(Static):
            label.update(Content(t(prompt_label, self.lang)))
        choices_label = "qf_choices_multi" if self.kind is Kind.MULTI else "qf_choices"
        for label in self.query("#g-choices .qf-label").results(Static):
            label.update(Content(t(choices_label, self.lang)))

    @on(Select.Changed, "#qf-type")
    async def _type_changed(self) -> None:
        await self.show_fields()

    # -- reading the form --------------------------------------------------------------------
    def _value(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        return widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]

    def _text(self, group: str, set_lang: str) -> str | dict[str, str] | None:
        return text_value({code: self._value(f"{group}-{code}") for code in self.langs}, set_lang)

    def _lines(self, group: str) -> list[dict[str, str]]:
        """Line-aligned variants of a list field, one {lang: text} per line."""
        by_lang = {
            code: [line.strip() for line in self._value(f"{group}-{code}").splitlines()]
            for code in self.langs
        }
        for code in self.langs:
            while by_lang[code] and not by_lang[code][-1]:
                by_lang[code].pop()
        first, second = (by_lang[code] for code in self.langs)
        if first and second and len(first) != len(second):
            field = t(LABELS[group], self.lang)
            raise FormError(t("qf_lines_mismatch", self.lang, field=field))
        count = max(len(first), len(second))
        return [
            {code: by_lang[code][i] for code in self.langs if i < len(by_lang[code])}
            for i in range(count)
        ]

    def _need(self, value: Any, group: str) -> Any:
        if value is None:
            raise FormError(t("qf_need", self.lang, field=t(LABELS[group], self.lang)))
        return value

    def build(self, set_lang: str, taken: set[str]) -> dict[str, Any]:
        """The question as plain data, from the fields of its type; raises FormError."""
        kind = self.kind
        q: dict[str, Any] = {"id": "", "type": kind.value}
        if kind is Kind.FLASHCARD:
            q["front"] = self._need(self._text("front", set_lang), "front")
            q["back"] = self._need(self._text("back", set_lang), "back")
        elif kind is Kind.CLOZE:
            prompt = self._text("prompt", set_lang)
            if prompt is not None:
                q["prompt"] = prompt
        else:
            q["prompt"] = self._need(self._text("prompt", set_lang), "prompt")
        if kind in (Kind.CHOICE, Kind.MULTI):
            self._choices(q, set_lang)
        elif kind is Kind.TRUE_FALSE:
            q["answer"] = self.query_one("#truth", Checkbox).value
        elif kind is Kind.SHORT:
            q["answer"] = self._need(self._text("answer", set_lang), "answer")
            alternatives = [a.strip() for a in self._value("alternatives").split("|")]
            if any(alternatives):
                q["alternatives"] = [a for a in alternatives if a]
        elif kind is Kind.NUMERIC:
            number = self._value("number")
            self._need(number.strip() or None, "number")
            q["answer"] = self._number(number)
            if self._value("tolerance").strip():
                q["tolerance"] = self._number(self._value("tolerance"))
            unit = self._text("unit", set_lang)
            if unit is not None:
                q["unit"] = unit
        elif kind is Kind.CLOZE:
            text = self._need(self._text("cloze", set_lang), "cloze")
            variants = text.values() if isinstance(text, dict) else [text]
            if not all("{{" in v and "}}" in v for v in variants):
                raise FormError(t("qf_no_gap", self.lang))
            q["text"] = text
        elif kind is Kind.ORDER:
            items = [text_value(line, set_lang) for line in self._lines("items")]
            if len([i for i in items if i is not None]) < 2:
                raise FormError(t("qf_need_two", self.lang, field=t("qf_items", self.lang)))
            q["items"] = [i for i in items if i is not None]
        elif kind is Kind.MATCH:
            q["pairs"] = self._pairs(set_lang)
        for group in ("explanation", "source"):
            value = self._text(group, set_lang)
            if value is not None:
                q[group] = value
        tags = [tag.strip() for tag in self._value("tags").split(",") if tag.strip()]
        if tags:
            q["tags"] = tags
        given_id = self._value("qf-id").strip()
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

    def _number(self, text: str) -> int | float:
        try:
            return parse_number(text)
        except FormError:
            raise FormError(t("qf_not_number", self.lang, value=text.strip())) from None

    def _choices(self, q: dict[str, Any], set_lang: str) -> None:
        choices: list[Any] = []
        right: list[Any] = []
        for line in self._lines("choices"):
            marked = any(v.startswith("*") for v in line.values())
            clean = {lang: v.removeprefix("*").strip() for lang, v in line.items()}
            value = text_value(clean, set_lang)
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

    def _pairs(self, set_lang: str) -> list[dict[str, Any]]:
        pairs = []
        for n, line in enumerate(self._lines("pairs"), 1):
            if not any(line.values()):
                continue
            sides: dict[str, dict[str, str]] = {"left": {}, "right": {}}
            for lang, value in line.items():
                if not value:
                    continue
                if "->" not in value:
                    raise FormError(t("qf_pair_arrow", self.lang, n=n))
                left, right = value.split("->", 1)
                sides["left"][lang], sides["right"][lang] = left, right
            left_value = text_value(sides["left"], set_lang)
            right_value = text_value(sides["right"], set_lang)
            if left_value is None or right_value is None:
                raise FormError(t("qf_pair_arrow", self.lang, n=n))
            pairs.append({"left": left_value, "right": right_value})
        if len(pairs) < 2:
            raise FormError(t("qf_need_two", self.lang, field=t("qf_pairs", self.lang)))
        return pairs

    # -- actions -------------------------------------------------------------------------------
    def _read_set(self) -> tuple[bytes, str, dict[str, Any]]:
        raw, _stat = read_regular(self.set_path, MAX_BYTES)
        text = decode(raw, str(self.set_path))
        return raw, text, check_text(text, str(self.set_path))

    def _question(self) -> tuple[dict[str, Any], bytes, str] | None:
        """The question from the form and the set's bytes and text; None after showing why."""
        try:
            raw, text, data = self._read_set()
        except ValidationError as exc:
            self.show_message(t("qf_set_invalid", self.lang), exc.problems)
            return None
        except OSError as exc:
            self.show_message(t("addsets_cannot_write", self.lang, error=os_detail(exc)), [])
            return None
        taken = {q["id"] for q in data["questions"]}
        self._checked = (data["language"], taken)
        try:
            return self.build(data["language"], taken), raw, text
        except FormError as exc:
            self.show_message(str(exc), [])
            return None

    def show_message(self, message: str | None, problems: list[Problem]) -> None:
        """Say why the question is not saved (or hide the message); the focus stays put."""
        box = self.query_one("#qf-message", Static)
        if message is None:
            box.display = False
            return
        focused = self.focused
        parts: list[Any] = [(message, "bold $text-error")]
        if problems:
            parts += ["\n", problems_content(problems, limit=5)]
        box.update(Content.assemble(*parts))
        box.display = True
        # Keep typing where the learner was (or in the first field): after a refused save the
        # focus must not be left nowhere.
        target = focused if focused is not None else self.query(Input).first()
        self.call_after_refresh(target.focus)

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    def _edited(self) -> None:
        """An error shown goes away as soon as the form no longer has it."""
        box = self.query_one("#qf-message", Static)
        if not box.display or self._checked is None:
            return
        set_lang, taken = self._checked
        try:
            self.build(set_lang, taken)
        except FormError:
            return
        box.display = False

    async def action_preview(self) -> None:
        """Show the question as it will be asked (in a dialog)."""
        built = self._question()
        if built is None:
            return
        question, _, text = built
        try:
            qset = preview_set(question, text)
        except ValidationError as exc:
            self.show_message(t("qf_invalid", self.lang), exc.problems)
            return
        self.show_message(None, [])
        await self.app.push_screen(QuestionPreviewModal(qset, self.lang))

    def action_save(self) -> None:
        """Validate the set with the new question, then write it atomically."""
        from gmmp_quiz.commands.authoring import backup, write_atomic

        built = self._question()
        if built is None:
            return
        question, raw, text = built
        try:
            plan = plan_save(text, str(self.set_path), question)
        except ValidationError as exc:
            self.show_message(t("qf_invalid", self.lang), exc.problems)
            return
        except Exception as exc:  # noqa: BLE001 - say it and keep the form rather than crash
            self.show_message(
                t("qf_invalid", self.lang), [Problem(str(self.set_path), 0, 0, str(exc))]
            )
            return
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        saved_copy = None
        try:
            if not plan.kept:
                saved_copy = backup(self.set_path)
            write_atomic(self.set_path, bom + plan.text.encode("utf-8"))
        except OSError as exc:
            self.show_message(t("addsets_cannot_write", self.lang, error=os_detail(exc)), [])
            return
        message = t("qf_saved", self.lang, id=question["id"], path=str(self.set_path))
        if saved_copy is not None:
            message += " " + t("qf_redumped", self.lang, path=str(saved_copy))
        self.notify(message, markup=False, timeout=8)
        self.dismiss(question["id"])

    def filled(self) -> bool:
        """Whether anything has been typed in the form."""
        boxes = [*self.query(Input), *self.query(TextArea)]
        return any((b.text if isinstance(b, TextArea) else b.value).strip() for b in boxes)

    def action_cancel(self) -> None:
        """Leave without saving (after asking, when something was typed)."""
        if not self.filled():
            self.dismiss(None)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        self.app.push_screen(ConfirmModal(t("qf_confirm_cancel", self.lang), self.lang), answered)

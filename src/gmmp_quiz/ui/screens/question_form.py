"""A form to write a new question into one of the user's sets: fields per type, preview, save."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Header, Input, Select, Static, TextArea

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.files import os_detail, read_regular
from gmmp_quiz.i18n import t
from gmmp_quiz.model import Kind
from gmmp_quiz.sets.edit import (
    FIELD_LABELS,
    FormError,
    form_langs,
    plan_save,
    preview_set,
    question_from_fields,
)
from gmmp_quiz.sets.rules import MAX_BYTES
from gmmp_quiz.sets.validation import check_text
from gmmp_quiz.sets.yamlread import decode
from gmmp_quiz.ui.localize import LocalizedScreen
from gmmp_quiz.ui.screens.confirm import ConfirmModal
from gmmp_quiz.ui.screens.question_preview import QuestionPreviewModal
from gmmp_quiz.ui.widgets.footer import KeyFooter
from gmmp_quiz.ui.widgets.problems import problems_content

KINDS = tuple(Kind)

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
GROUPS: tuple[str, ...] = (
    *("prompt", "front", "back", "choices", "truth", "answer", "alternatives", "number"),
    *("unit", "cloze", "items", "pairs", "explanation", "source", "tags"),
)
# Fields written as FR/EN pairs of one-line inputs, and as FR/EN pairs of line lists.
PAIRED = ("prompt", "front", "back", "answer", "unit", "cloze", "explanation", "source")
LISTED = ("choices", "items", "pairs")
LABELS = FIELD_LABELS


class QuestionFormScreen(LocalizedScreen[str | None]):
    """Write a question of any type into a set file; dismisses with the new question's id."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", show=True, priority=True, id="question_form.qf_save"),
        Binding(
            "ctrl+o,f2",
            "preview",
            "Preview",
            show=True,
            priority=True,
            id="question_form.qf_preview",
        ),
        Binding("escape", "cancel", "Cancel", show=True, id="question_form.qf_cancel"),
    ]

    def __init__(self, set_path: Path, lang: str, set_lang: str = "fr") -> None:
        super().__init__()
        self.set_path = Path(set_path)
        self.lang = lang
        # The set's own language first: an English set's texts go under `en`, not `fr`.
        self.langs = form_langs(set_lang)
        self._filled: set[str] = set()
        self._checked: tuple[str, set[str]] | None = None  # the set's language and ids, once read

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
        return Kind(cast(str, self.query_one("#qf-type", Select).value))  # never blank

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
    def _fields(self) -> dict[str, str | bool]:
        """What is typed in the form, by field (as `question_from_fields` reads them)."""
        fields: dict[str, str | bool] = {w.id: w.value for w in self.query(Input) if w.id}
        fields.update({w.id: w.text for w in self.query(TextArea) if w.id})
        for box in self.query("#truth").results(Checkbox):  # built with a true/false type
            fields["truth"] = box.value
        return fields

    def build(self, set_lang: str, taken: set[str]) -> dict[str, Any]:
        """The question as plain data, from the fields of its type; raises FormError."""
        return question_from_fields(
            self.kind, self._fields(), set_lang, taken, lang=self.lang, langs=self.langs
        )

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
        from gmmp_quiz.files import atomic_write
        from gmmp_quiz.sets.install import backup

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
            atomic_write(self.set_path, bom + plan.text.encode("utf-8"))
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

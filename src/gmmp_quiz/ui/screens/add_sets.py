"""The Add sets screen: the user's sets with their status; import a file, create a set, reload."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from gmmp_quiz import paths
from gmmp_quiz.errors import Problem, UserError, ValidationError
from gmmp_quiz.files import os_detail
from gmmp_quiz.i18n import nt, t, typeset
from gmmp_quiz.model import QuestionSet
from gmmp_quiz.sets.loading import Discovery, discover_sets, set_files
from gmmp_quiz.sets.rules import ID_RE
from gmmp_quiz.ui.localize import LocalizedScreen
from gmmp_quiz.ui.services import Services
from gmmp_quiz.ui.widgets.footer import KeyFooter
from gmmp_quiz.ui.widgets.problems import problems_content

# How often the questions directories are checked for files added or edited outside the app.
POLL_SECONDS = 2.0

Signature = tuple[tuple[str, int, int], ...]
Part = str | tuple[str, str] | Content


def questions_count(n: int, lang: str) -> str:
    """'1 question', '12 questions'."""
    return t("addsets_one_question", lang) if n == 1 else t("questions_n", lang, n=n)


class AddSetsScreen(LocalizedScreen[None]):
    """The user's sets (valid and invalid); import a file by path, create a set, reload."""

    BINDINGS = [
        Binding("escape", "back", "Home", show=True, id="add_sets.home"),
        Binding("i", "focus_import", "Import", show=True, id="add_sets.addsets_import"),
        Binding("n", "focus_new", "New set", show=True, id="add_sets.addsets_new"),
        Binding("w", "write_question", "Write a question", show=True, id="add_sets.addsets_write"),
        Binding("ctrl+r", "reload", "Reload", show=True, id="add_sets.reload"),
        Binding("r", "reload", "Reload", show=False, id="add_sets.reload"),
    ]

    @dataclass
    class SetsChanged(Message):
        """Posted when the sets were found again (an import, a new set, an edit, a reload)."""

        discovery: Discovery

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.lang = services.lang
        self._signature: Signature = ()
        self._shown: Discovery | None = None

    # -- what is listed --------------------------------------------------------------------
    @property
    def discovery(self) -> Discovery:
        """The app's current discovery of the sets."""
        assert self.services.discovery is not None  # the screen opens once the sets are found
        return self.services.discovery

    def user_sets(self) -> list[QuestionSet]:
        """The sets that are not shipped: the user's questions folder and `--questions` dirs."""
        return [s for s in self.discovery.sets if not s.shipped]

    def invalid_files(self) -> dict[str, list[Problem]]:
        """Files that failed to load, outside the shipped sets."""
        shipped = paths.shipped_questions_dir()
        return {
            f: p for f, p in self.discovery.errors.items() if not paths.in_dir(Path(f), shipped)
        }

    def watched_dirs(self) -> list[Path]:
        """The folders the user's sets come from (the questions folder always)."""
        dirs = {paths.user_questions_dir()}
        dirs.update(Path(s.path).parent for s in self.user_sets() if s.path)
        dirs.update(Path(f).parent for f in self.invalid_files())
        return sorted(dirs)

    def scan(self) -> Signature:
        """Names, sizes and modification times of the set files: stat only, nothing read."""
        entries: list[tuple[str, int, int]] = []
        for directory in self.watched_dirs():
            for file in set_files(directory):
                try:
                    st = os.stat(file)
                except OSError:
                    continue
                entries.append((str(file), st.st_mtime_ns, st.st_size))
        return tuple(entries)

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header(show_clock=False, icon="?")
        with Horizontal(id="addsets-main"):
            yield OptionList(id="user-sets", markup=False)
            with VerticalScroll(id="user-set-info"):
                yield Static(id="user-set-status")
        with VerticalScroll(id="addsets-message"):
            yield Static(id="addsets-message-text")
        with Horizontal(id="import-row", classes="addsets-row"):
            yield Static(Content(t("addsets_import_label", self.lang)), classes="addsets-label")
            yield Input(placeholder=t("addsets_import_placeholder", self.lang), id="import-path")
        with Horizontal(id="new-row", classes="addsets-row"):
            yield Static(Content(t("addsets_new_label", self.lang)), classes="addsets-label")
            yield Input(placeholder=t("addsets_new_id", self.lang), id="new-id")
            yield Input(placeholder=t("addsets_new_title", self.lang), id="new-title")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Fill in the list and start watching the folders."""
        self.title = t("add_sets_title", self.lang)
        self.sub_title = str(paths.user_questions_dir())
        self.query_one("#addsets-message").display = False
        if self.app.is_web:  # `gmmp-quiz serve`: paths are the server's, not the browser's
            placeholder = t("addsets_import_placeholder_web", self.lang)
            self.query_one("#import-path", Input).placeholder = placeholder
        self.refresh_list()
        self._signature = self.scan()
        self.set_interval(POLL_SECONDS, self._poll)
        self.query_one("#user-sets", OptionList).focus()

    # -- list and details --------------------------------------------------------------------
    def refresh_list(self, select: str | None = None) -> None:
        """List the user's sets, then the invalid files; keep (or move) the highlight."""
        self._shown = self.discovery
        sets = self.query_one("#user-sets", OptionList)
        keep = sets.highlighted
        keep_id = sets.get_option_at_index(keep).id if keep is not None else None
        options: list[Option] = []
        for qset in self.user_sets():
            line2 = f"  ✓ {questions_count(len(qset.questions), self.lang)} · {qset.id}"
            options.append(
                Option(
                    Content.assemble(
                        (typeset(qset.title.get(self.lang), self.lang), "bold"),
                        "\n",
                        (line2, "$text-success"),
                    ),
                    id=f"set:{qset.id}",
                )
            )
        for file, problems in self.invalid_files().items():
            line2 = f"  ✗ {t('addsets_problems_n', self.lang, n=len(problems))}"
            options.append(
                Option(
                    Content.assemble((Path(file).name, "bold"), "\n", (line2, "$text-error")),
                    id=f"err:{file}",
                )
            )
        sets.set_options(options)
        if not options:
            sets.add_option(Option(Content(t("addsets_none", self.lang)), disabled=True))
        else:
            ids = [o.id for o in options]
            target = select or keep_id
            if target in ids:
                sets.highlighted = ids.index(target)
            elif keep is not None:
                sets.highlighted = min(keep, len(options) - 1)
            else:
                sets.highlighted = 0
        self.refresh_details()

    def chosen(self) -> str | None:
        """The highlighted entry's id: `set:SET_ID` or `err:FILE`."""
        sets = self.query_one("#user-sets", OptionList)
        if sets.highlighted is None or not sets.option_count:
            return None
        return sets.get_option_at_index(sets.highlighted).id

    def refresh_details(self) -> None:
        """Show the highlighted set's status, or the invalid file's problems."""
        status = self.query_one("#user-set-status", Static)
        chosen = self.chosen()
        parts: list[Part] = []
        if chosen is None:
            parts.append((t("addsets_help", self.lang), "$text-muted"))
        elif chosen.startswith("set:"):
            qset = self.discovery.get(chosen[4:])
            if qset is not None:
                parts += [(typeset(qset.title.get(self.lang), self.lang), "bold $text-accent")]
                parts.append("\n")
                parts += [f"{qset.id} · {qset.language} · "]
                parts += [questions_count(len(qset.questions), self.lang), "\n"]
                parts += [(f"✓ {t('addsets_valid', self.lang)}", "$text-success"), "\n"]
                parts += [(qset.path, "$text-muted")]
                if qset.description is not None:
                    parts += ["\n\n", qset.description.get(self.lang)]
                parts += ["\n\n", (t("addsets_write_hint", self.lang), "italic $text-muted")]
        else:
            file = chosen[4:]
            problems = self.discovery.errors.get(file, [])
            parts += [(Path(file).name, "bold"), "\n"]
            parts += [
                (f"✗ {t('addsets_problems_n', self.lang, n=len(problems))}", "bold $text-error")
            ]
            parts += ["\n", problems_content(problems)]
        status.update(Content.assemble(*parts))

    def show_message(self, content: Content | None) -> None:
        """Show (or hide) the result of the last import or creation."""
        box = self.query_one("#addsets-message")
        self.query_one("#addsets-message-text", Static).update(content or "")
        box.display = content is not None

    @on(OptionList.OptionHighlighted, "#user-sets")
    def _highlighted(self) -> None:
        self.refresh_details()

    @on(OptionList.OptionSelected, "#user-sets")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_write_question()

    # -- reload and watch ----------------------------------------------------------------------
    def rediscover(self, select: str | None = None) -> None:
        """Find the sets again and show them here and on home."""
        reload = self.services.reload or discover_sets
        # Used here at once; the app shows them on home when it gets the message.
        discovery = reload()
        self.services.found(discovery)
        self.post_message(self.SetsChanged(discovery))
        self._signature = self.scan()
        self.refresh_list(select)

    def _poll(self) -> None:
        signature = self.scan()
        if signature != self._signature:
            self.rediscover()
        elif self._shown is not self.discovery:
            # Another screen (or the loader at startup) replaced the discovery.
            self.refresh_list()

    def action_reload(self) -> None:
        """Look for added or edited sets again, without restarting."""
        self.rediscover()
        self.notify(
            nt("{n} set loaded.", "{n} sets loaded.", len(self.discovery.sets), self.lang),
            markup=False,
        )

    # -- actions -------------------------------------------------------------------------------
    def action_back(self) -> None:
        """Out of a text box back to the list; from the list, back to the home screen."""
        if isinstance(self.focused, Input):
            self.query_one("#user-sets", OptionList).focus()
            return
        self.app.pop_screen()

    def action_focus_import(self) -> None:
        """Type the path of a file to import."""
        self.query_one("#import-path", Input).focus()

    def action_focus_new(self) -> None:
        """Type the id (and title) of a new set."""
        self.query_one("#new-id", Input).focus()

    def action_write_question(self) -> None:
        """Write a new question into the highlighted set (a valid set of the user's)."""
        chosen = self.chosen()
        qset = self.discovery.get(chosen[4:]) if chosen and chosen.startswith("set:") else None
        if qset is None or not qset.path:
            self.notify(t("addsets_pick_valid", self.lang), severity="warning", markup=False)
            return
        from gmmp_quiz.ui.screens.question_form import QuestionFormScreen

        self.app.push_screen(
            QuestionFormScreen(Path(qset.path), self.lang, qset.language),
            lambda _saved: self.rediscover(select=f"set:{qset.id}"),
        )

    @on(Input.Submitted, "#import-path")
    def _import_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.import_path(event.value.strip())

    @on(Input.Submitted, "#new-id")
    def _new_id_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#new-title", Input).focus()

    @on(Input.Submitted, "#new-title")
    def _new_title_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.create_set(self.query_one("#new-id", Input).value.strip(), event.value.strip())

    def import_path(self, raw: str) -> bool:
        """Import a file (format detected) into the user's sets; show the notes or the errors."""
        from gmmp_quiz.files import check_regular, read_failure
        from gmmp_quiz.formats import import_file
        from gmmp_quiz.sets.install import SetIdTaken, install_set, write_schema
        from gmmp_quiz.sets.rules import MAX_BYTES
        from gmmp_quiz.sets.writer import dump_checked

        source = Path(raw).expanduser()
        user_dir = paths.user_questions_dir()
        try:
            # A pipe or a device is refused before an importer reads it (it may never end).
            check_regular(source, MAX_BYTES)
        except OSError as exc:
            problem = Problem(str(source), 0, 0, read_failure(exc))
            self._failed(t("addsets_import_failed", self.lang, path=str(source)), [problem])
            return False
        try:
            # Texts are taken to be in the interface language, as `import` does with --lang.
            result = import_file(source, lang=self.lang)
            set_id = result.data["id"]
            dest = user_dir / f"{set_id}.yaml"
            # The importers aim at the format; the loader's rules have the last word before any
            # write (dump_checked gives the loader's problems with their place in `text`).
            text, checked = dump_checked(result.data, str(dest))
        except ValidationError as exc:
            self._failed(t("addsets_import_failed", self.lang, path=str(source)), exc.problems)
            return False
        try:
            # Importing a file again replaces its set (same ids: progress is kept).
            # The new file is written whole before the one it replaces is removed.
            installed = install_set(
                set_id, dest, text.encode("utf-8"), self.discovery, checked=checked
            )
            saved = [copy for _, copy in installed]
        except SetIdTaken as exc:
            self._failed(t("addsets_id_used", self.lang, id=set_id, path=exc.path), [])
            return False
        except UserError as exc:
            self._failed(str(exc), [])
            return False
        except OSError as exc:
            self._failed(t("addsets_cannot_write", self.lang, error=os_detail(exc)), [])
            return False
        write_schema(user_dir)
        count = len(result.data["questions"])
        summary = t(
            "addsets_imported",
            self.lang,
            n=count,
            skipped=result.skipped,
            fmt=result.fmt,
            path=str(dest),
        )
        parts: list[Part] = [(summary, "bold $text-success")]
        for path in saved:
            parts += ["\n", (t("addsets_backed_up", self.lang, path=str(path)), "$text-muted")]
        for note in result.notes:
            where = f"{note.path}:{note.line}" if note.line else note.path
            parts += ["\n", (f"{where}: {note.message}", "$text-warning")]
        self.show_message(Content.assemble(*parts))
        self.query_one("#import-path", Input).value = ""
        self.rediscover(select=f"set:{set_id}")
        self.query_one("#user-sets", OptionList).focus()
        self.notify(summary, markup=False)
        return True

    def create_set(self, set_id: str, title: str) -> bool:
        """Write the commented template of a new set into the user's sets."""
        from gmmp_quiz.files import atomic_write
        from gmmp_quiz.sets.install import write_schema
        from gmmp_quiz.sets.templates import template_text

        if not ID_RE.match(set_id):
            self._failed(t("addsets_bad_id", self.lang, id=set_id), [])
            self.query_one("#new-id", Input).focus()
            return False
        user_dir = paths.user_questions_dir()
        dest = user_dir / f"{set_id}.yaml"
        other = self.discovery.get(set_id)
        if other is not None:
            self._failed(t("addsets_id_used", self.lang, id=set_id, path=other.path), [])
            return False
        if dest.exists():
            self._failed(t("addsets_exists", self.lang, path=str(dest)), [])
            return False
        try:
            user_dir.mkdir(parents=True, exist_ok=True)
            atomic_write(dest, template_text(set_id, title or None, self.lang).encode("utf-8"))
        except OSError as exc:
            self._failed(t("addsets_cannot_write", self.lang, error=os_detail(exc)), [])
            return False
        write_schema(user_dir)
        message = t("addsets_created", self.lang, path=str(dest))
        self.show_message(Content.assemble((message, "bold $text-success")))
        for box in ("#new-id", "#new-title"):
            self.query_one(box, Input).value = ""
        self.rediscover(select=f"set:{set_id}")
        self.query_one("#user-sets", OptionList).focus()
        self.notify(message, markup=False)
        return True

    def _failed(self, message: str, problems: list[Problem]) -> None:
        parts: list[Part] = [(message, "bold $text-error")]
        if problems:
            parts += ["\n", problems_content(problems)]
        self.show_message(Content.assemble(*parts))

"""The command palette's entries: Textual's own in the interface language, then the quiz's."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

from textual.app import SystemCommand

from gmmp_quiz.i18n import colon, t
from gmmp_quiz.vocab import Mode

if TYPE_CHECKING:
    from gmmp_quiz.model import QuestionSet
    from gmmp_quiz.sets.loading import Discovery


class PaletteHost(Protocol):
    """What the palette's entries call: the app (a protocol, so that the app imports this)."""

    lang: str

    @property
    def ready(self) -> bool: ...  # noqa: D102

    @property
    def discovery(self) -> Discovery | None: ...  # noqa: D102

    def start_mode(self, qset: QuestionSet | None, mode: Mode | str, count: int | None) -> None: ...  # noqa: D102
    def requeue_now(self) -> bool: ...  # noqa: D102
    def action_help(self, section: int = 0) -> None: ...  # noqa: D102
    def action_toggle_requeue(self) -> None: ...  # noqa: D102
    def action_open_missed(self) -> None: ...  # noqa: D102
    def action_open_stats(self) -> None: ...  # noqa: D102


# Textual's own palette entries, by title, and the interface strings that translate them.
SYSTEM_COMMANDS = {
    "Theme": "sys_theme",
    "Quit": "sys_quit",
    "Keys": "sys_keys",
    "Minimize": "sys_minimize",
    "Maximize": "sys_maximize",
    "Screenshot": "sys_screenshot",
}


def textual_commands(commands: Iterable[SystemCommand], lang: str) -> Iterator[SystemCommand]:
    """Textual's own entries (theme, quit, keys...), their titles and help in `lang`."""
    for command in commands:
        key = SYSTEM_COMMANDS.get(command.title)
        if key is None:
            yield command
        else:
            title, help_text = t(key, lang), t(f"{key}_help", lang)
            yield command._replace(title=title, help=help_text)


def quiz_commands(app: PaletteHost) -> Iterator[SystemCommand]:
    """Help, then (once the sets are loaded) every set in every mode, requeue, missed, stats."""
    lang = app.lang
    yield SystemCommand(t("help", lang), t("help_title", lang), app.action_help)
    if not app.ready or app.discovery is None:
        return  # the rest needs the sets and the store
    names = {Mode.QUIZ: "mode_quiz", Mode.DUE: "mode_due", Mode.MISSED: "mode_missed"}
    for qset in app.discovery.sets:
        for mode in Mode:
            title = colon(t(names[mode], lang), lang) + qset.title.get(lang)
            yield SystemCommand(
                title,
                qset.id,
                lambda qset=qset, mode=mode: app.start_mode(qset, mode, None),
            )
    all_sets = t("all_sets", lang)
    for mode in (Mode.DUE, Mode.MISSED):
        yield SystemCommand(
            colon(t(names[mode], lang), lang) + all_sets,
            all_sets,
            lambda mode=mode: app.start_mode(None, mode, None),
        )
    requeue = app.requeue_now()
    yield SystemCommand(
        t("requeue_off" if requeue else "requeue_on", lang),
        t("requeue_help", lang),
        app.action_toggle_requeue,
    )
    yield SystemCommand(t("missed_screen", lang), t("missed_help", lang), app.action_open_missed)
    yield SystemCommand(t("stats", lang), t("stats_help", lang), app.action_open_stats)

"""The home screen: the sets found with their progress, the chosen set's details, and the modes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from gmmp_quiz.i18n import colon, percent, short_date, t, typeset
from gmmp_quiz.sets.listing import SetSummary
from gmmp_quiz.ui.ready import when_ready
from gmmp_quiz.ui.screens.base import AppScreen
from gmmp_quiz.ui.services import Services
from gmmp_quiz.ui.widgets.footer import KeyFooter
from gmmp_quiz.vocab import Mode, SetFigures

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gmmp_quiz.model import QuestionSet

COUNTS: tuple[int | None, ...] = (10, 20, None)
MODES = tuple(Mode)


class HomeScreen(AppScreen[None]):
    """Choose a set and a mode; Enter starts."""

    BINDINGS = [
        # Not in the footer: the focused list's own Enter (which starts too) hides it anyway.
        Binding("enter", "start", "Start", show=False, id="home.start"),
        Binding("1", "mode(0)", "Quiz", show=False, id="home.mode_quiz"),
        Binding("2", "mode(1)", "Review due", show=False, id="home.mode_due"),
        Binding("3", "mode(2)", "Retry missed", show=False, id="home.mode_missed"),
        Binding("c", "cycle_count", "Count", show=True, id="home.count"),
        Binding("m", "app.open_missed", "Missed", show=True, id="home.missed_screen"),
        Binding("t", "app.open_stats", "Stats", show=True, id="home.stats"),
        Binding("a", "app.open_add_sets", "Add sets", show=True, id="home.add_sets"),
        Binding("ctrl+r", "app.reload_sets", "Reload", show=False, id="home.reload"),
        Binding("question_mark", "app.help", "Help", show=True, id="home.help"),
        Binding("q", "app.quit", "Quit", show=True, id="home.quit"),
    ]

    @dataclass
    class StartRequested(Message):
        """Posted when the learner starts a mode on a set (Enter, 1, 2, 3)."""

        qset: QuestionSet
        mode: str
        count: int | None

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        lang = self.lang = services.lang
        self.mode: Mode = Mode.QUIZ
        self.count: int | None = 10
        self._figures: dict[str, SetFigures] | None = None
        self._shown = False
        self._wanted: str | None = None  # the last used set, until it has been loaded
        # Where the highlight was put when the last run's sets were listed before the store
        # opened, and whether a set was picked meanwhile: the learner's choice is then kept.
        self._listed_on: int | None = None
        self._picked = False
        self._rows: list[tuple[str, str, str]] = []  # the list's rows as last set
        # What the details and the modes show, as last set: the same is not set again.
        self._details_parts: list[str | tuple[str, str]] = []
        self._details_set: str | None = None  # the set whose details are shown
        self._mode_labels: list[str] = []
        self.title = t("app_title", lang)
        self.sub_title = t("sets", lang)

    @property
    def sets(self) -> Sequence[QuestionSet]:
        """The sets the app found (none while it is still loading them)."""
        return self.services.sets

    def summaries(self) -> list[SetSummary]:
        """What the list shows of each set: the sets found, else those the last run found."""
        if self.services.discovery is not None:
            return [SetSummary.of(qset) for qset in self.sets]
        listing = self.services.listing
        return list(listing.sets) if listing is not None else []

    def compose(self) -> ComposeResult:
        """Lay out the widgets; until the sets are known, only the list, saying it is loading."""
        ready = self.services.ready
        listed = ready or self.services.listing is not None
        yield Header(show_clock=False, icon="?")
        with Horizontal(id="home-main"):
            with Vertical(id="home-left"):
                if listed:
                    yield from self._set_widgets()
                else:
                    # Disabled, the list takes no keys: the screen's own (Enter, 1, 2, 3...)
                    # then wait for the store instead of going to an empty list. The rest of
                    # the screen comes with the store: the first frame is that much quicker.
                    placeholder = Content.styled(t("loading_sets", self.lang), "italic")
                    yield OptionList(placeholder, id="sets", markup=False, disabled=True)
            with Vertical(id="home-right"):
                if listed:
                    yield from self._detail_widgets()
        # At the app's start, the keys come right after the first frame: it is painted sooner.
        yield KeyFooter(later=not ready)

    def _set_widgets(self) -> list[Widget]:
        """The list of sets, and below it the files that failed to load (hidden while none)."""
        invalid = Static(id="invalid")
        invalid.display = False
        return [OptionList(id="sets", markup=False), invalid]

    def _detail_widgets(self) -> list[Widget]:
        """The modes, then the chosen set's description: what to press is next to the list."""
        # The description scrolls: on a small terminal it would otherwise hide its last lines
        # (the set's counts among them).
        details = VerticalScroll(Static(id="set-details"), id="details-box")
        return [OptionList(id="modes", markup=False), details]

    async def on_mount(self) -> None:
        """Fill in what depends on the app's services (once they are loaded)."""
        if self.services.ready:
            await self.show_sets()
        elif self.services.listing is not None:
            self._show_listing()

    def _show_listing(self) -> None:
        """The last run's sets, on the last set, mode and count used: keys work at once."""
        prefs = self.services.prefs
        self._restore(prefs.get("last_mode"), prefs.get("last_count", 10))
        self.refresh_sets()
        sets = self.query_one("#sets", OptionList)
        ids = [s.id for s in self.summaries()]
        if ids:
            last_set = prefs.get("last_set")
            sets.highlighted = ids.index(last_set) if last_set in ids else 0
        self._listed_on = sets.highlighted
        self.refresh_details()  # the highlighted set's, in the first frame (not one later)
        sets.focus()

    def show_waiting(self) -> None:
        """A key waits for the store (the sets were listed before it opened): say so."""
        if self.services.listing is not None and not self.services.ready:
            invalid = self.query_one("#invalid", Static)
            invalid.update(Content.styled(t("opening_progress", self.lang), "italic $text-muted"))
            invalid.display = True

    def _restore(self, last_mode: Any, last_count: Any) -> None:
        self.mode = Mode(last_mode) if last_mode in MODES else Mode.QUIZ
        self.count = COUNTS[COUNTS.index(last_count)] if last_count in COUNTS else 10

    def show_figures(self, figures: dict[str, SetFigures] | None) -> None:
        """The sets' figures, computed after the sets were listed (None: compute them again)."""
        self._figures = figures
        if self.query("#set-details"):
            self.refresh_sets()

    async def show_sets(self, figures: dict[str, SetFigures] | None = None) -> None:
        """The store is open and the sets found: list them, on the last set and mode used."""
        store = self.services.store
        last_set = store.get_setting("last_set")
        self._restore(store.get_setting("last_mode"), store.get_setting("last_count", 10))
        self._figures = figures
        if self.query_one("#sets", OptionList).disabled:  # the loading frame: the rest now
            left = self.query_one("#home-left", Vertical)
            await left.remove_children()
            await left.mount_all(self._set_widgets())
            await self.query_one("#home-right", Vertical).mount_all(self._detail_widgets())
            self._rows, self._details_parts, self._mode_labels = [], [], []  # new, empty widgets
        sets = self.query_one("#sets", OptionList)
        listed = self._listed_on is not None
        if listed and (self._picked or sets.highlighted != self._listed_on):
            # The learner moved (or picked) while the store was opening: theirs is the choice.
            chosen = self._summary_at(sets.highlighted)
            last_set = chosen.id if chosen is not None else last_set
        self._listed_on = None
        self.refresh_sets()
        ids = [s.id for s in self.sets]
        if ids:
            sets.highlighted = ids.index(last_set) if last_set in ids else 0
            self.refresh_details()  # in this frame, for the set now highlighted
        if last_set not in ids:
            self._wanted = last_set
        if not listed:
            sets.focus()

    def on_resize(self, event: events.Resize) -> None:
        """Stack the columns on narrow terminals, where side by side both would wrap badly."""
        self.set_class(event.size.width < 72, "-narrow")

    def on_screen_resume(self) -> None:
        """Figures change after a session: recompute them (not on the first show)."""
        if self._shown and self.services.ready:
            self._figures = None
            self.refresh_sets()
        self._shown = True

    def reload(self) -> None:
        """The app's sets changed: show them again, keeping the chosen set."""
        chosen = self.chosen()
        wanted = self._wanted if self._wanted else (chosen.id if chosen else None)
        self._figures = None
        self.refresh_sets()
        ids = [s.id for s in self.sets]
        if wanted in ids:
            self.query_one("#sets", OptionList).highlighted = ids.index(wanted)
            self._wanted = None

    def figures(self) -> dict[str, SetFigures]:
        """Mastered, due and missed counts of every set (computed once per refresh)."""
        if self.services.discovery is None:
            # The last run's sets: their figures as it left them if still true, else counts.
            summaries = self.summaries()
            kept = self.services.glance_figures((s.id, s.questions) for s in summaries)
            return kept if kept is not None else {s.id: SetFigures(s.questions) for s in summaries}
        if self._figures is None:
            self._figures = self.services.figures()
        return self._figures

    def _figures_pending(self) -> bool:
        # Listed from the last run, or loaded and still counting: no zeros shown meanwhile
        # (unless the last run's figures are still true).
        services = self.services
        counting = services.figures_pending or services.sets_pending
        if services.discovery is not None and not counting:
            return False
        return not services.glance_holds((s.id, s.questions) for s in self.summaries())

    def refresh_sets(self) -> None:
        """Fill the list of sets (keeping the highlight)."""
        sets = self.query_one("#sets", OptionList)
        keep = sets.highlighted
        figures = self.figures()
        rows = []
        pending = self._figures_pending()
        for qset in self.summaries():
            fig = figures[qset.id]
            share = percent(fig.mastered / fig.questions if fig.questions else 0, self.lang)
            line2 = (
                f"  {t('questions_n', self.lang, n=fig.questions)} · {share}\u00a0"
                f"{t('mastered', self.lang)}\n  {fig.due} {t('due', self.lang)} · "
                f"{fig.missed} {t('missed_one' if fig.missed == 1 else 'missed', self.lang)}"
            )
            if pending:
                # The figures are on their way: no zeros that would read as lost progress.
                line2 = f"  {t('questions_n', self.lang, n=fig.questions)} · …\n  …"
            rows.append((qset.id, typeset(qset.title.get(self.lang), self.lang), line2))
        if rows != self._rows or not rows:
            # (The same rows, as when the sets found are those the last run listed, are left
            # as they are: setting them again would lay the list out again.)
            self._rows = rows
            # Unstyled figures: muted grey would vanish on the highlighted row.
            sets.set_options(
                Option(Content.assemble((title, "bold"), "\n", line2), id=set_id)
                for set_id, title, line2 in rows
            )
            if not rows:
                sets.add_option(Option(Content(t("no_sets", self.lang)), disabled=True))
            elif keep is not None:
                sets.highlighted = min(keep, len(rows) - 1)
        invalid = self.query_one("#invalid", Static)
        discovery, listing = self.services.discovery, self.services.listing
        if discovery is not None:
            count = len(discovery.errors)
            first = [str(problems[0]) for problems in list(discovery.errors.values())[:3]]
        elif listing is not None:
            count, first = listing.error_count, list(listing.errors)
        else:
            invalid.update(Content.styled(t("loading_sets", self.lang), "italic $text-muted"))
            invalid.display = True
            self.refresh_details()
            return
        if count:
            lines = [(f"{t('invalid_sets', self.lang)} ({count})", "bold $text-error")]
            lines += [("\n" + problem, "$text-error") for problem in first]
            invalid.update(Content.assemble(*lines))
        invalid.display = bool(count)
        self.refresh_details()

    def chosen(self) -> QuestionSet | None:
        """The highlighted set."""
        index = self.query_one("#sets", OptionList).highlighted
        if index is None or not 0 <= index < len(self.sets):
            return None
        return self.sets[index]

    def _summary_at(self, index: int | None) -> SetSummary | None:
        summaries = self.summaries()
        return summaries[index] if index is not None and 0 <= index < len(summaries) else None

    def refresh_details(self) -> None:
        """Show the chosen set's description and source, and the modes with their counts."""
        qset = self._summary_at(self.query_one("#sets", OptionList).highlighted)
        details = self.query_one("#set-details", Static)
        modes = self.query_one("#modes", OptionList)
        if qset is None:
            details.update("")
            modes.clear_options()
            self._details_parts, self._mode_labels = [], []
            return
        fig = self.figures()[qset.id]
        lang = self.lang
        parts: list[str | tuple[str, str]] = [
            (typeset(qset.title.get(lang), lang), "bold $text-accent")
        ]
        if qset.description is not None:
            parts += ["\n", typeset(qset.description.get(lang), lang)]
        if qset.source is not None:
            parts += ["\n", (colon(t("source", lang), lang), "italic $text-muted")]
            parts += [(typeset(qset.source.get(lang), lang), "italic $text-muted")]
        # What "mastered" means, where the figure is shown: a 0 % after a good session is
        # otherwise read as a bug.
        pending = self._figures_pending()
        learning = fig.seen - fig.mastered
        if pending:
            parts += ["\n\n", ("…", "bold")]
        else:
            parts += ["\n\n", (t("learning_n", lang, n=learning), "bold"), " · "]
            parts += [(f"{fig.mastered} {t('mastered', lang)}", "bold")]
        parts += ["\n", (t("mastered_means", lang), "$text-muted")]
        if fig.next_due is not None and not fig.due:
            parts += ["\n", (colon(t("next_due", self.lang), self.lang), "bold")]
            parts += [short_date(fig.next_due, self.lang)]
        if parts != self._details_parts:
            if qset.id != self._details_set:  # another set: its text from the top
                box = self.query_one("#details-box", VerticalScroll)
                if box.scroll_y:
                    box.scroll_home(animate=False)
            self._details_parts, self._details_set = parts, qset.id
            self._update_details(details, Content.assemble(*parts))
        count = t("count_all", self.lang) if self.count is None else str(self.count)
        due = f"{fig.due}" + (f" + {t('new_n', self.lang, n=fig.new)}" if fig.new else "")
        labels = [
            f"1  {t('mode_quiz', self.lang)} · {count} (c)",
            f"2  {t('mode_due', self.lang)} ({'…' if pending else due})",
            f"3  {t('mode_missed', self.lang)} ({'…' if pending else fig.missed})",
        ]
        if labels != self._mode_labels:
            self._mode_labels = labels
            modes.set_options(
                [Option(Content(label), id=mode) for label, mode in zip(labels, MODES, strict=True)]
            )
        modes.highlighted = MODES.index(self.mode)

    def _update_details(self, details: Static, content: Content) -> None:
        # A layout only when the text's height changes (its box scrolls when it is too long):
        # an arrow key between sets then costs a repaint, not the whole screen laid out again.
        width = details.scrollable_content_region.width
        before = details.get_content_height(Size(0, 0), Size(0, 0), width)
        details.update(content, layout=False)
        if not width or details.get_content_height(Size(0, 0), Size(0, 0), width) != before:
            details.refresh(layout=True)

    @on(OptionList.OptionHighlighted, "#sets")
    def _set_highlighted(self) -> None:
        if self.query("#set-details"):  # not in the loading frame
            self.refresh_details()

    @on(OptionList.OptionSelected, "#sets")
    def _set_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not self.services.ready:
            self._picked = True  # the set seen highlighted is the one meant, not the last used
        self.action_start()

    @on(OptionList.OptionHighlighted, "#modes")
    def _mode_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id in MODES:
            self.mode = Mode(event.option.id)

    @on(OptionList.OptionSelected, "#modes")
    def _mode_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in MODES:
            self.mode = Mode(event.option.id)
        self.action_start()

    @when_ready
    def action_mode(self, index: int) -> None:
        """Pick a mode by number and start it."""
        self.mode = MODES[index]
        self.action_start()

    @when_ready
    def action_cycle_count(self) -> None:
        """10, 20 or all questions in a quiz."""
        self.count = COUNTS[(COUNTS.index(self.count) + 1) % len(COUNTS)]
        self.services.remember("last_count", self.count)
        self.refresh_details()

    @when_ready
    def action_start(self) -> None:
        """Start the chosen mode on the chosen set."""
        qset = self.chosen()
        if qset is None:
            return
        self.services.remember("last_set", qset.id)
        self.services.remember("last_mode", self.mode.value)
        self.request(self.StartRequested(qset, self.mode, self.count))

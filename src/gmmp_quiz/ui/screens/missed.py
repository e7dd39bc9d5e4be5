"""The missed screen: the questions answered wrong and not yet fixed; retry them, or mark known."""

from __future__ import annotations

import gc
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from gmmp_quiz.i18n import t, typeset
from gmmp_quiz.missed import (
    MissedEntry,
    PlannedMiss,
    build_missed,
    group_by_set,
    plan_missed,
    retry_pick,
)
from gmmp_quiz.model import Question, QuestionSet
from gmmp_quiz.ui.missed_filters import MissedFilters
from gmmp_quiz.ui.screens.base import AppScreen
from gmmp_quiz.ui.services import Services
from gmmp_quiz.ui.widgets.footer import KeyFooter
from gmmp_quiz.ui.widgets.missed_rows import detail_content, row_content

# Rows listed at a time: an option list measures every row it holds (a tenth of a second for a
# hundred); moving down past the last one lists the next page. Two screens' worth at 160x48.
PAGE = 30
# A search that took longer than this to list lets the next typed character be painted first.
SLOW_SEARCH_S = 0.02
# The list says it is loading if it is not there this long after the screen was opened.
LOADING_AFTER_S = 0.2
# Entries built at a time by the loading thread (between them, the UI thread takes keys).
BUILT_AT_ONCE = 300


class MissedScreen(AppScreen[None]):
    """Lists the missed questions by set, most missed first; retry them, or mark one known."""

    AUTO_FOCUS = "#missed-list"
    BINDINGS = [
        Binding("escape", "close", "Close", show=True, id="missed.close"),
        Binding("r", "retry_all", "Retry all", show=True, id="missed.retry_all"),
        # Priority: the list's own Enter would hide this one from the footer.
        Binding("enter", "retry_one", "Retry", show=True, priority=True, id="missed.retry_one"),
        Binding("k", "mark_known", "Mark known", show=True, id="missed.mark_known"),
        Binding("f", "cycle_filter", "Filter", show=True, id="missed.filter"),
        Binding("slash", "search", "Search", show=False, id="missed.search"),  # the box says "(/)",
    ]

    @dataclass
    class RetryRequested(Message):
        """Posted when the learner retries missed questions (all listed, or one)."""

        picked: list[tuple[QuestionSet, Question]]

    def __init__(
        self,
        services: Services,
        *,
        set_id: str | None = None,
        tag: str | None = None,
        search: str | None = None,
        days: int | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        lang = self.lang = services.lang
        self.days = days
        self.search = search or ""
        """The search typed."""
        self._listed_search = self.search  # the search the list is filtered for
        self.entries: list[MissedEntry] = []
        """The entries listed now (filtered), in list order."""
        self._rows: list[MissedEntry | None] = []  # per option: its entry, None for a set heading
        wanted = ("set", set_id) if set_id else ("tag", tag) if tag else None
        self._filters = MissedFilters(lang, wanted)
        self._listed: tuple[Any, ...] | None = None  # what the rows listed now show
        self._detail_of: tuple[MissedEntry | None] | None = None  # the entry the detail shows
        self._label_shown = ""
        self._row_cache: dict[tuple[str, str], Content] = {}
        self._search_pending = False
        self._search_cost = 0.0  # what the last search's refresh took
        self._keys_for: tuple[bool, bool] | None = None  # the keys shown are for this state
        self._prepared = False  # set by the loading thread once every search text is ready
        self._limit = PAGE
        self._loaded = False
        # While only the first page is built: per set, how many entries the whole list holds.
        self._partial: Counter[str] | None = None
        self._after_load: list[Callable[[], None]] = []  # actions asked for meanwhile
        self._away = False  # suspended under another screen since shown

    @property
    def sets(self) -> Sequence[QuestionSet]:
        """The sets the app found."""
        return self.services.sets

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header(show_clock=False, icon="?")
        with Horizontal(id="missed-bar"):
            yield Input(
                self.search,
                placeholder=t("search_missed", self.lang),
                id="missed-search",
                compact=True,
            )
            yield Static(id="missed-filter")
        yield OptionList(id="missed-list", markup=False)
        with VerticalScroll(id="missed-detail"):
            yield Static(id="missed-detail-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Read the history and fill the list."""
        self.title = t("missed_screen", self.lang)
        self._load()  # at once: the thread's work overlaps the building of the first frame
        # A list that takes a while says so; one that comes at once is not held up (the
        # indicator's own mount and frames cost about what the first page does).
        self.set_timer(LOADING_AFTER_S, self._show_loading)
        # The list follows the box's value as it changes, not the box's Changed message (handled
        # after the typed character is painted): the character and the list filtered for it
        # come in one frame, not two a frame period apart.
        box = self.query_one("#missed-search", Input)
        self.watch(box, "value", self._search_typed, init=False)

    def _show_loading(self) -> None:
        if not self._loaded:
            self.query_one("#missed-list").loading = True

    def on_screen_suspend(self) -> None:
        """Another screen on top (a retry session): the list is read again on return."""
        self._away = True

    def on_screen_resume(self) -> None:
        """Back from a retry session: what was answered right leaves the list."""
        if self._loaded and self._away:
            self._away = False
            self._load()

    @work(thread=True, exclusive=True, group="missed-load")
    def _load(self) -> None:
        # Everything is computed here, once, from the per-question states (never the whole
        # history): the UI thread then only filters a prepared list as the learner types.
        self._prepared = False
        store = self.services.store
        planned = plan_missed(
            self.sets,
            store.missed_states(ever=self.days is not None),
            self.services.clock(),
            days=self.days,
        )
        first: list[MissedEntry] = []
        if not self._loaded and not self._filters.asked and not self._listed_search:
            # Opened on the whole list: its first page is shown as soon as its questions are
            # built, and the others (thousands of questions, a tenth of a second) after that.
            first = build_missed(planned[:PAGE], self.lang)
            rows = {entry.key: row_content(entry, self.lang) for entry in first}
            sizes = Counter(row.qset.id for row in planned)
            painted = threading.Event()
            self.app.call_from_thread(self._show_first, first, sizes, rows, painted)
            painted.wait(1.0)  # the rest is built once the first page is on screen
        # The other entries and every search text: tens of thousands of objects, enough to set
        # off a full collection or two, each a stall of tens of milliseconds for whatever the
        # learner does then. One is done at the end instead, while the list is being read:
        # the next one then waits for a quarter as many new objects as survive it.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._load_rest(planned, first)
            gc.collect()
        finally:
            if collecting:
                gc.enable()
        self._prepared = True
        if self._search_pending:
            self.app.call_from_thread(self._apply_search)  # typed while preparing

    def _load_rest(self, planned: list[PlannedMiss], first: list[MissedEntry]) -> None:
        """Build the entries after `first`, show the whole list, prepare the search texts."""
        entries = list(first)
        for start in range(len(first), len(planned), BUILT_AT_ONCE):
            entries += build_missed(planned[start : start + BUILT_AT_ONCE], self.lang)
            time.sleep(0.001)  # lets the UI thread take keys meanwhile
        # The first page's rows only: the others are made when listed.
        rows = (
            {} if first else {entry.key: row_content(entry, self.lang) for entry in entries[:PAGE]}
        )
        # Listed under a search: its texts are needed at once, else once the list is shown.
        searched = bool(self._listed_search.strip())
        if searched:
            self._prepare(entries)
        self.app.call_from_thread(self._show_loaded, entries, rows)
        if not searched:
            self._prepare(entries)

    @staticmethod
    def _prepare(entries: list[MissedEntry]) -> None:
        """Every text a filter or search looks at, made now (in the loading thread) so that
        neither a filter nor a keystroke has to."""
        for n, entry in enumerate(entries):
            entry.search_text  # noqa: B018
            entry.tag_keys  # noqa: B018
            entry.section_keys  # noqa: B018
            if n % 50 == 49:
                time.sleep(0.001)  # lets the UI thread paint and take keys meanwhile

    def _show_first(
        self,
        first: list[MissedEntry],
        sizes: Counter[str],
        rows: dict[tuple[str, str], Content],
        painted: threading.Event,
    ) -> None:
        """The first page, while the other entries are built (`sizes`: per set, how many)."""
        self.call_after_refresh(painted.set)
        self._list_entries(first, rows, sizes)

    def _show_loaded(
        self, entries: list[MissedEntry], rows: dict[tuple[str, str], Content]
    ) -> None:
        # The first page's rows, if it was shown, are those already made.
        if self._list_entries(entries, rows if self._partial is None else None, None):
            waiting, self._after_load = self._after_load, []
            for action in waiting:
                action()

    def _list_entries(
        self,
        entries: list[MissedEntry],
        rows: dict[tuple[str, str], Content] | None,
        partial: Counter[str] | None,
    ) -> bool:
        """List `entries` (all of them, or with `partial` the first page); False if the list
        came after the screen (or the app) closed."""
        if not self.is_attached or not self.query("#missed-list"):
            return False
        self._filters.use(entries)
        if rows is not None:
            self._row_cache = rows
        self._partial = partial
        self._loaded = True
        listing = self.query_one("#missed-list", OptionList)
        listing.loading = False
        if partial is None:
            self._filters.rebuild(self.sets)
        self.refresh_list()
        if not isinstance(self.focused, Input):
            listing.focus()
        return True

    def _when_loaded(self, action: Callable[[], None]) -> bool:
        """Keep `action` for when every entry is built (True), if they are not yet."""
        if self._partial is None:
            return False
        self._after_load.append(action)
        return True

    def refresh_list(self, *, more: bool = False) -> None:
        """List the missed questions as filtered now, keeping the highlighted one if still there.

        With `more`, the next page of rows is listed too.
        """
        if not self._loaded:
            return
        kind, value, label = self._filters.current
        search = self._listed_search.strip() or None
        if more:
            self._limit += PAGE
        self.entries = self._filters.select(search)
        # The first page alone is built for now: the counts are the whole list's.
        sizes = self._partial or Counter(entry.qset.id for entry in self.entries)
        total = sum(sizes.values())
        listed = (
            kind,
            value,
            bool(search),
            total,
            [entry.key for entry in self.entries[: self._limit]],
        )
        if listed == self._listed:
            return  # a key that changed nothing listed: the rows stay as they are
        self._listed = listed
        listing = self.query_one("#missed-list", OptionList)
        keep = self.highlighted
        position = listing.highlighted or 0
        options: list[Option] = []
        self._rows = []
        for qset, entries in group_by_set(self.entries[: self._limit]):
            heading = Content.assemble(
                (typeset(qset.title.get(self.lang), self.lang), "bold $text-accent"),
                f"  ({sizes[qset.id]})",
            )
            options.append(Option(heading, disabled=True))
            self._rows.append(None)
            for entry in entries:
                row = self._row_cache.get(entry.key)
                if row is None:
                    row = self._row_cache[entry.key] = row_content(entry, self.lang)
                options.append(Option(row))
                self._rows.append(entry)
        hidden = total - self._limit
        if hidden > 0:
            more_text = t("missed_more", self.lang, n=hidden)
            options.append(Option(Content.styled(more_text, "italic $text-muted"), disabled=True))
            self._rows.append(None)
        listing.set_options(options)
        if not self.entries:
            filtered = bool(search) or kind != "all"
            empty = t("no_match" if filtered else "no_missed", self.lang)
            listing.add_option(Option(Content.styled(empty, "$text-success"), disabled=True))
            self._rows.append(None)
        else:
            listing.highlighted = self._row_to_highlight(keep, position)
        if label != self._label_shown:
            self._label_shown = label
            self.query_one("#missed-filter", Static).update(Content(label))
        self._show_count(t("missed_total", self.lang, n=total))
        self.refresh_detail()
        keys = (bool(self.entries), self.highlighted is not None)  # what `check_action` asks
        if keys != self._keys_for:
            self._keys_for = keys
            self.refresh_bindings()

    def _show_count(self, text: str) -> None:
        """The count in the title, drawn in the same frame as the list."""
        if text == self.sub_title:
            return
        # Not through the header's own watcher, which redraws the title a frame or two after
        # the list. The title's size does not change with its text: no layout.
        self.set_reactive(Screen.sub_title, text)
        header = self.query_one(Header)
        header.query_one("HeaderTitle", Static).update(header.format_title(), layout=False)

    def _row_to_highlight(self, keep: MissedEntry | None, position: int) -> int:
        """The row of `keep` if still listed, else the entry now at its place (or the last)."""
        keys = [row.key if row is not None else None for row in self._rows]
        if keep is not None and keep.key in keys:
            return keys.index(keep.key)
        entries = [i for i, row in enumerate(self._rows) if row is not None]
        return next((i for i in entries if i >= position), entries[-1])

    @property
    def highlighted(self) -> MissedEntry | None:
        """The entry of the highlighted row."""
        index = self.query_one("#missed-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self._rows):
            return None
        return self._rows[index]

    def refresh_detail(self) -> None:
        """Show the highlighted question's answers, explanation and history."""
        entry = self.highlighted
        if self._detail_of is not None and self._detail_of[0] is entry:
            return  # already shown: updating it again would lay the screen out again
        self._detail_of = (entry,)
        detail = self.query_one("#missed-detail-text", Static)
        detail.update(detail_content(entry, self.lang) if entry is not None else Content(""))
        self.query_one("#missed-detail").display = entry is not None

    # -- events ----------------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#missed-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.refresh_detail()
        last = max((i for i, row in enumerate(self._rows) if row is not None), default=-1)
        if event.option_index == last and len(self.entries) > self._limit:
            self.refresh_list(more=True)  # the last row listed: list the next page

    @on(OptionList.OptionSelected, "#missed-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_retry_one()

    def _search_typed(self, value: str) -> None:
        self.search = value
        if self._prepared and not self._search_pending and self._search_cost < SLOW_SEARCH_S:
            # Every search text is prepared and filtering took milliseconds so far: the list
            # is filtered before the typed character is painted, in the same frame.
            self._limit = PAGE
            self._listed_search = value
            started = time.perf_counter()
            self.refresh_list()
            self._search_cost = time.perf_counter() - started
            return
        # Still preparing, or slow: the typed character is painted first; keys typed meanwhile
        # make one refresh, not one each.
        if not self._search_pending:
            self._search_pending = True
            self.call_after_refresh(self._apply_search)

    def _apply_search(self) -> None:
        if self._partial is not None or not self._prepared:
            # Applied once every entry is built and its search text prepared: filtering
            # entries not prepared would prepare them here (grading their answers), and the
            # typed keys would wait for it.
            return
        if self._search_pending:
            self._search_pending = False
            self._limit = PAGE
            self._listed_search = self.search
            started = time.perf_counter()
            self.refresh_list()
            self._search_cost = time.perf_counter() - started

    @on(Input.Submitted, "#missed-search")
    def _search_done(self) -> None:
        self._apply_search()
        self.query_one("#missed-list", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something now."""
        if not super().check_action(action, parameters):
            return False
        if action in ("retry_all",):
            return bool(self.entries)
        if action in ("retry_one", "mark_known"):
            return self.highlighted is not None
        return True

    # -- actions ---------------------------------------------------------------------------
    def action_close(self) -> None:
        """Leave the search box, else go back."""
        if isinstance(self.focused, Input):
            self.query_one("#missed-list", OptionList).focus()
            return
        self.dismiss()

    def action_search(self) -> None:
        """Type to filter the list."""
        self.query_one("#missed-search", Input).focus()

    def action_cycle_filter(self) -> None:
        """Next filter: every set, one set, one tag, one section."""
        if self._when_loaded(self.action_cycle_filter):
            return
        self._filters.cycle()
        self._limit = PAGE
        self.refresh_list()

    def action_retry_all(self) -> None:
        """A session over every listed question, each asked again until right."""
        if self._when_loaded(self.action_retry_all):
            return
        picked = retry_pick(self.entries)
        if picked:
            self.request(self.RetryRequested(picked))

    def action_retry_one(self) -> None:
        """A session over the highlighted question, until it is right."""
        if isinstance(self.focused, Input):
            self.query_one("#missed-list", OptionList).focus()  # Enter ends the search
            return
        entry = self.highlighted
        if entry is not None:
            self.request(self.RetryRequested(retry_pick([entry])))

    def action_mark_known(self) -> None:
        """Take the highlighted question off the list without answering it."""
        if self._when_loaded(self.action_mark_known):
            return
        entry = self.highlighted
        if entry is None:
            return
        store = self.services.store
        store.mark_known(entry.qset.id, entry.question.id, self.services.clock().isoformat())
        # Marked known after its last miss: it leaves the list, with or without --days.
        self._filters.use([e for e in self._filters.every if e.key != entry.key])
        self._listed = None
        self._filters.rebuild(self.sets)
        self.refresh_list()
        self.notify(t("marked_known", self.lang), markup=False)

"""The stats screen: accuracy and answers per day, mastery, most missed, due forecast and streak."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static

from gmmp_quiz.i18n import colon, percent, short_date, t, typeset
from gmmp_quiz.stats import Mastery, Stats, compute_stats
from gmmp_quiz.ui.localize import LocalizedScreen
from gmmp_quiz.ui.services import Services
from gmmp_quiz.ui.widgets.footer import KeyFooter

Part = str | tuple[str, str]

BLOCKS = "▁▂▃▄▅▆▇█"
DAYS = 30
BAR = 10
LABEL = 14


def spark(values: Sequence[float | None], top: float) -> str:
    """One block character per value, from ▁ (0) to █ (`top`); None (nothing that day) is a dot."""
    out = []
    for value in values:
        if value is None:
            out.append("·")
        else:
            level = round(value / top * (len(BLOCKS) - 1)) if top > 0 else 0
            out.append(BLOCKS[max(0, min(len(BLOCKS) - 1, level))])
    return "".join(out)


def _pct(share: float) -> str:
    return f"{round(share * 100):>3}%"


def _heading(key: str, lang: str) -> list[Part]:
    return [(t(key, lang), "bold $text-accent"), "\n"]


def activity_content(stats: Stats, lang: str) -> Content:
    """Accuracy and answers per day over the last 30 days, as block-character sparklines."""
    per_day = {d.day: d for d in stats.days}
    days = [day for day, _n in stats.answers_per_day(DAYS)]
    accuracy = [per_day[d].accuracy if d in per_day else None for d in days]
    answers = [float(n) if n else None for _d, n in stats.answers_per_day(DAYS)]
    most = max((n for n in answers if n), default=0.0)
    axis = short_date_day(days[0], lang)
    axis_line = axis + " " * max(1, DAYS - len(axis) - 5) + short_date_day(days[-1], lang)
    parts: list[Part] = _heading("accuracy_30", lang)
    parts += [(spark(accuracy, 1.0), "$success"), "\n"]
    parts += [(axis_line, "$text-muted"), "\n\n"]
    parts += _heading("answers_30", lang)
    parts += [(spark(answers, most), "$accent"), f" {t('max_n', lang, n=int(most))}", "\n"]
    parts += [(axis_line, "$text-muted")]
    return Content.assemble(*parts)


def forecast_content(stats: Stats, lang: str) -> Content:
    """How many questions fall due on each of the next 14 days (overdue ones today)."""
    parts: list[Part] = _heading("forecast_14", lang)
    counts = [n for _d, n in stats.forecast]
    top = max(counts, default=0)
    bars = "".join(c * 2 for c in spark([float(n) if n else None for n in counts], float(top)))
    parts += [(bars, "$warning"), f" {t('max_n', lang, n=top)}", "\n"]
    if stats.forecast:
        first = short_date_day(stats.forecast[0][0], lang)
        last = short_date_day(stats.forecast[-1][0], lang)
        width = 2 * len(stats.forecast)
        parts += [(first + " " * max(1, width - len(first) - len(last)) + last, "$text-muted")]
    return Content.assemble(*parts, "\n")  # a blank line before the mastery bars


def _waiting(key: str, lang: str) -> Content:
    # A heading and room for the loading indicator while the history is read.
    return Content.assemble(*_heading(key, lang), "\n\n\n")


def short_date_day(day: date, lang: str) -> str:
    """A day as "14 janv." or "Jan 14"."""
    when = datetime(day.year, day.month, day.day, 12)
    return short_date(when, lang, time=False)


def _mastery_lines(rows: Sequence[Mastery], lang: str) -> list[Part]:
    parts: list[Part] = []
    # Long labels (sections often share a beginning) go on a line of their own, unclipped.
    own_line = any(len(row.label) > LABEL for row in rows)
    for row in rows:
        label = typeset(row.label, lang)
        filled = round(row.share * BAR)
        if own_line:
            parts += [label, "\n  "]
        else:
            parts += [label.ljust(LABEL), " "]
        parts += [("█" * filled, "$success"), ("░" * (BAR - filled), "$text-muted")]
        parts += [f"{_pct(row.share)} {row.mastered}/{row.questions}", "\n"]
    return parts


def mastery_content(groups: Sequence[tuple[str, Sequence[Mastery]]], lang: str) -> Content:
    """Mastery of each group (per set, per tag, per section) as bars."""
    parts: list[Part] = []
    for key, rows in groups:
        if rows:
            if parts:
                parts.append("\n")
            parts += _heading(key, lang) + _mastery_lines(rows, lang)
    return Content.assemble(*parts).rstrip()


def missed_content(stats: Stats, lang: str) -> Content:
    """The most missed questions, most often missed first."""
    parts: list[Part] = _heading("most_missed", lang)
    if not stats.top_missed:
        parts.append((t("none_missed", lang), "$text-success"))
    for row in stats.top_missed:
        when = short_date(row.last_missed, lang, time=False)
        # The whole question (a cloze's sentence included), wrapped: cut, it told nothing.
        parts += [(f"{row.times_missed:>2}× ", "bold $text-error"), (f"{when}  ", "$text-muted")]
        parts += [typeset(" ".join(row.prompt.split()), lang), "\n"]
    return Content.assemble(*parts).rstrip()


def overview_content(stats: Stats, lang: str) -> Content:
    """Answers in all, accuracy and the streak of study days, on one line."""
    if not stats.answers:
        return Content.styled(t("no_answers", lang), "$text-muted")
    streak = "streak_one" if stats.streak == 1 else "streak_days"
    return Content.assemble(
        (t("answers_one" if stats.answers == 1 else "answers_n", lang, n=stats.answers), "bold"),
        "  ·  ",
        colon(t("accuracy", lang), lang),
        (percent(stats.accuracy, lang), "bold"),
        "  ·  ",
        colon(t("streak", lang), lang),
        (t(streak, lang, n=stats.streak), "bold $text-warning"),
    )


class StatsScreen(LocalizedScreen[None]):
    """Study figures from the question states and the store's per-hour answer counters.

    They are computed in a thread, which waits for the user's sets while they are loading.
    """

    BINDINGS = [
        Binding("escape", "close", "Close", show=True, id="stats.close"),
        Binding("m", "app.open_missed", "Missed", show=True, id="stats.missed_screen"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.lang = services.lang
        self.stats: Stats | None = None
        """The figures shown, once computed."""

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header(show_clock=False, icon="?")
        with VerticalScroll(id="stats-box"):
            yield Static(id="stats-overview")
            with Horizontal(classes="stats-columns"):
                yield Static(id="stats-activity", classes="stats-column")
                yield Static(id="stats-missed", classes="stats-column")
            with Horizontal(classes="stats-columns"):
                with Vertical(classes="stats-column"):
                    yield Static(id="stats-forecast")
                    yield Static(id="stats-mastery")
                yield Static(id="stats-mastery-tags", classes="stats-column")
        yield KeyFooter()

    def on_resize(self, event: events.Resize) -> None:
        """One column on narrow terminals, where two would cut every line."""
        self.set_class(event.size.width < 90, "-narrow")

    def on_mount(self) -> None:
        """Paint the frame at once; every figure is computed in a thread, then shown."""
        self.title = t("stats", self.lang)
        tz = datetime.now().astimezone().tzinfo
        assert tz is not None
        if not self.query("#stats-activity"):
            return  # opened while the app was quitting (q then t at once): nothing to fill
        # Nothing is computed here: with years of history even the figures from the states
        # alone take a noticeable time, and the first frame must not wait for them.
        for widget_id, key in (
            ("#stats-activity", "accuracy_30"),
            ("#stats-missed", "most_missed"),
        ):
            widget = self.query_one(widget_id, Static)
            widget.update(_waiting(key, self.lang))
            widget.loading = True
        self.query_one("#stats-box", VerticalScroll).focus()
        # Started once the frame is painted: the thread would otherwise compete with it.
        self.call_after_refresh(self._compute, tz)

    @work(thread=True, exclusive=True, group="stats")
    def _compute(self, tz: tzinfo) -> None:
        services = self.services
        store = services.store
        # The store keeps per-hour answer counters: no history is read.
        stats = compute_stats(
            services.sets,
            store.states(),
            None,
            services.clock(),
            tz,
            hourly=store.hourly_by_set(),
            lang=self.lang,
        )
        self.app.call_from_thread(self.show_stats, stats)

    def _show_states(self, stats: Stats) -> None:
        lang = self.lang
        self.query_one("#stats-forecast", Static).update(forecast_content(stats, lang))
        groups = [("mastery_by_set", stats.by_set), ("mastery_by_section", stats.by_section)]
        mastery = mastery_content(groups, lang)
        mastery = Content.assemble(mastery, "\n", (t("mastered_means", lang), "$text-muted"))
        self.query_one("#stats-mastery", Static).update(mastery)
        tags = [("mastery_by_tag", stats.by_tag)]
        self.query_one("#stats-mastery-tags", Static).update(mastery_content(tags, lang))

    def show_stats(self, stats: Stats) -> None:
        """Fill the screen with every figure (unless it was closed meanwhile)."""
        if not self.is_attached or not self.query("#stats-overview"):
            return  # the figures came after the screen (or the app) closed: nothing to fill
        self.stats = stats
        lang = self.lang
        self._show_states(stats)
        self.query_one("#stats-overview", Static).update(overview_content(stats, lang))
        for widget_id, content in (
            ("#stats-activity", activity_content(stats, lang)),
            ("#stats-missed", missed_content(stats, lang)),
        ):
            widget = self.query_one(widget_id, Static)
            widget.update(content)
            widget.loading = False

    def action_close(self) -> None:
        """Back to where the screen was opened from."""
        self.dismiss()

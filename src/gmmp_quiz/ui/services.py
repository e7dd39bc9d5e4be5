"""What the screens are given of the app, typed: the store and the sets once loaded, the clock,
the language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import random
    from collections.abc import Iterable

    from gmmp_quiz.glance import Glance
    from gmmp_quiz.model import Question, QuestionSet, SetFigures
    from gmmp_quiz.session import Session
    from gmmp_quiz.sets.listing import Listing
    from gmmp_quiz.sets.loading import Discovery
    from gmmp_quiz.store.progress import ProgressStore
    from gmmp_quiz.vocab import Mode


def setting(store: ProgressStore, name: str) -> Any:
    """A learner setting's value in the store (or its default)."""
    from gmmp_quiz import settings

    return settings.value(store, name)


def basis_of(
    store: ProgressStore, discovery: Discovery, set_files: list[list[Any]], now: datetime
) -> Basis:
    """The figures' basis of the sets found, from the store's question states, at `now`."""
    from gmmp_quiz.stats import figure_basis

    # The revision first: a change made meanwhile then makes the basis look stale, never the
    # reverse.
    revision = store.revision
    basis = figure_basis(discovery.sets, store.states(), now, setting(store, "new_per_day"))
    return Basis(basis, revision, discovery, set_files)


class Services:
    """The app's services, shared with its screens (the app fills in the store once loaded).

    Screens read them; what they ask of the app (start a session, use new sets) they post as
    messages.
    """

    def __init__(
        self,
        lang: str,
        clock: Callable[[], datetime],
        store: ProgressStore | None,
        discovery: Discovery | None,
        reload: Callable[[], Discovery] | None,
        listing: Listing | None = None,
        prefs: dict[str, Any] | None = None,
        glance: Glance | None = None,
    ) -> None:
        self.lang = lang
        """The interface language."""
        self.clock = clock
        """The current time (UTC-aware); tests pass a fixed one."""
        self.opened: ProgressStore | None = store
        """The progress store, None until the loader has opened it."""
        self.discovery = discovery
        """The sets found (and the files that failed), None until they are found."""
        self.set_files: list[list[Any]] = []
        """The signatures of the found sets' files, taken as they were found (see `found`)."""
        self.reload = reload
        """Finds the sets again (None: the app was given its sets once and for all)."""
        self.listing = listing
        """The sets the last run found, listed by home until these are found (None: unknown)."""
        self.glance = glance
        """The figures' basis the last run left (see `glance`), shown until these are computed."""
        self.basis: Basis | None = None
        """The basis of the figures last computed, with the store's revision then and the sets'
        files: the app leaves it for the next start when nothing changed since."""
        self.opened_revision = 0
        """The store's revision when the app got it: the glance holds while it is unchanged."""
        self.prefs: dict[str, Any] = prefs if prefs is not None else {}
        """The settings mirrored outside the store (theme, last set, mode and count used)."""
        self.mirror: Callable[[str, Any], None] = lambda name, value: None
        """Mirrors a setting outside the store (see `ui.prefs`); the app sets it."""
        # Without a store, the sets are found with it after the first paint.
        self.sets_pending = store is None
        """Whether the sets are still being found."""
        self.ready = store is not None
        """Whether the store is open and the sets found; until then actions needing them wait."""
        self.figures_pending = False
        """Whether the sets' figures are still being computed (after `ready`, when loading)."""

    @property
    def store(self) -> ProgressStore:
        """The progress store (once `ready`: screens that need it open only then)."""
        if self.opened is None:
            raise RuntimeError("the progress store is not open yet")
        return self.opened

    @property
    def sets(self) -> Sequence[QuestionSet]:
        """The sets found (none while they are being found)."""
        return self.discovery.sets if self.discovery is not None else []

    def remember(self, name: str, value: Any) -> None:
        """Store a setting the next start shows in its first frame (the store keeps it too)."""
        self.store.set_setting(name, value)
        self.mirror(name, value)

    def pick(
        self, qset: QuestionSet | None, mode: Mode | str, count: int | None, rng: random.Random
    ) -> list[tuple[QuestionSet, Question]]:
        """The questions a session of `mode` asks on a set (None: every set), `count` at most
        in a quiz; none when nothing is due or missed."""
        from gmmp_quiz.session import pick
        from gmmp_quiz.vocab import Mode

        assert self.discovery is not None
        return pick(
            [qset] if qset is not None else self.discovery.sets,
            mode=mode,
            count=count if mode == Mode.QUIZ else None,
            rng=rng,
            states=self.store.states(),
            now=self.clock(),
            new_limit=setting(self.store, "new_per_day"),
        )

    def session(
        self,
        picked: Sequence[tuple[QuestionSet, Question]],
        mode: Mode | str,
        rng: random.Random,
        *,
        requeue: bool,
        timer: Callable[[], float] | None = None,
    ) -> Session:
        """A session over `picked`, recorded in the store, scheduled as `mode` schedules."""
        from gmmp_quiz.session import build, scheduler_for

        return build(
            picked,
            self.store,
            mode=mode,
            rng=rng,
            lang=self.lang,
            scheduler=scheduler_for(mode, self.store),
            requeue=requeue,
            clock=self.clock,
            **({"timer": timer} if timer else {}),
        )

    def found(self, discovery: Discovery, set_files: list[list[Any]] | None = None) -> None:
        """Use the sets just found, with their files' signatures taken now unless given."""
        from gmmp_quiz.glance import set_file_signatures

        self.discovery = discovery
        if set_files is None:
            set_files = set_file_signatures(s.path for s in discovery.sets if s.path)
        self.set_files = set_files

    def figures(self) -> dict[str, SetFigures]:
        """Questions, mastered, due and missed per set, from the store's question states."""
        from gmmp_quiz.vocab import SetFigures

        assert self.discovery is not None
        if self.sets_pending or self.figures_pending:
            # The last run's figures if they are still true, else counts only: the figures
            # come from the loader thread.
            kept = self.glance_figures((s.id, len(s.questions)) for s in self.discovery.sets)
            if kept is not None:
                return kept
            return {s.id: SetFigures(len(s.questions)) for s in self.discovery.sets}
        now = self.clock()
        self.basis = basis_of(self.store, self.discovery, self.set_files, now)
        return self.basis.glance.figures(now)

    def glance_holds(self, sets: Iterable[tuple[str, int]]) -> bool:
        """Whether the last run's glance has each (set id, question count), and still holds."""
        glance, store = self.glance, self.opened
        if glance is None or (store is not None and store.revision != self.opened_revision):
            return False  # (an answer given since, for one, is not in it)
        return glance.covers(sets)

    def glance_figures(self, sets: Iterable[tuple[str, int]]) -> dict[str, SetFigures] | None:
        """The figures now from the last run's glance, if it holds for these sets."""
        if self.glance is None or not self.glance_holds(sets):
            return None
        return self.glance.figures(self.clock())

    def is_current(self, basis: Basis) -> bool:
        """Whether `basis` counts the store and the sets as they are now (nothing answered or
        found since)."""
        store = self.opened
        return (
            store is not None
            and basis.revision == store.revision
            and basis.discovery is self.discovery
        )

    def current_basis(self) -> Basis | None:
        """The figures' basis as the store is now: the last one computed, else computed again.

        None before the store is open, while the loader still computes them, or if that fails:
        nothing is then left, and the last run's glance holds only if nothing changed since.
        """
        store, discovery = self.opened, self.discovery
        if not self.ready or self.figures_pending or store is None or discovery is None:
            return None
        kept = self.basis
        if kept is not None and self.is_current(kept):
            return kept
        try:
            return basis_of(store, discovery, self.set_files, self.clock())
        except Exception:  # noqa: BLE001 - a cache: the next start computes the figures itself
            return None


class Basis(NamedTuple):
    """A figures' basis, the store's revision it was computed at, and the sets it counts."""

    glance: Glance
    revision: int
    discovery: Discovery
    set_files: list[list[Any]]  # the signatures of the sets' files, taken as they were found

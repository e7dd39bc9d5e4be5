"""Plain mode: a quiz session as numbered lines on stdout, answers read from stdin."""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from gmmp_quiz import settings
from gmmp_quiz.errors import UserError
from gmmp_quiz.grading import Rating, Verdict, normalize, parse_number
from gmmp_quiz.i18n import _, colon, percent, t, typeset
from gmmp_quiz.marking import letter
from gmmp_quiz.model import Kind, LText, Mode, Outcome, Question, QuestionSet
from gmmp_quiz.session import Item, Session, Summary, build, pick, scheduler_for

if TYPE_CHECKING:
    from gmmp_quiz.store.progress import ProgressStore

SKIP_WORDS = frozenset({"s", "skip", "passer"})
# Not a bare `q`: that could be a typed answer.
QUIT_WORDS = frozenset({"quit", "quitter", ":q"})
TRUE_WORDS = frozenset({"t", "true", "v", "vrai", "1", "y", "yes", "o", "oui"})
FALSE_WORDS = frozenset({"f", "false", "faux", "2", "n", "no", "non"})
RATING_WORDS: dict[str, Rating] = {
    "1": Rating.AGAIN,
    "again": Rating.AGAIN,
    "a revoir": Rating.AGAIN,
    "revoir": Rating.AGAIN,
    "2": Rating.HARD,
    "hard": Rating.HARD,
    "difficile": Rating.HARD,
    "3": Rating.GOOD,
    "good": Rating.GOOD,
    "bien": Rating.GOOD,
    "4": Rating.EASY,
    "easy": Rating.EASY,
    "facile": Rating.EASY,
}
_SPLIT_RE = re.compile(r"[\s,;]+")
_PAIR_RE = re.compile(r"(\d+)\s*[-=:]?\s*([a-z])")


class _EndOfInput(Exception):
    """Stdin is exhausted: the session ends where it is."""


class _Quit(_EndOfInput):
    """The learner typed `quit`: the session ends where it is."""


class _Skip(Exception):
    """The learner typed `s` or `skip`."""


class _Bad(Exception):
    """An answer that cannot be read (out of range, unparsable); the message is the hint."""


def run_plain(
    qsets: Sequence[QuestionSet],
    open_store: Callable[[], ProgressStore],
    *,
    lang: str,
    set_id: str | None = None,
    mode: Mode | str = Mode.QUIZ,
    count: int | None = None,
    seed: int | None = None,
    requeue: bool | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Run a session of `qsets` as lines on stdout, answers from stdin (`quiz --plain`).

    `set_id` is the set asked for (None: every set, for due or missed reviews across sets).
    """
    if stdin is None and stdout is None:
        _tolerant_stdio()
    out = _Console(stdin or sys.stdin, stdout or sys.stdout, lang)
    rng = random.Random(seed) if seed is not None else random.Random()
    store = open_store()
    try:
        states = store.states(set_id) if mode != Mode.QUIZ else None
        picked = pick(
            qsets,
            mode=mode,
            count=count,
            rng=rng,
            states=states,
            new_limit=settings.value(store, "new_per_day"),
        )
        if not picked:
            out.line(t("nothing_due" if mode == Mode.DUE else "nothing_missed", lang))
            return 0
        session = build(
            picked,
            store,
            mode=mode,
            rng=rng,
            requeue=settings.value(store, "requeue") if requeue is None else requeue,
            lang=lang,
            scheduler=scheduler_for(mode, store),
        )
        try:
            _run(session, out)
        finally:
            # Also on end of input: the session is closed in the store and summed up.
            summary = session.finish()
        _print_summary(summary, out)
    finally:
        store.close()
    return 0


def _tolerant_stdio() -> None:
    # A stray byte on stdin or a terminal that cannot show "✓" must not end the session.
    for stream, errors in ((sys.stdin, "replace"), (sys.stdout, "replace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors=errors)


class _Console:
    """Lines out, answers in; echoes piped answers so that logs read like a dialogue."""

    def __init__(self, stdin: TextIO, stdout: TextIO, lang: str) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.lang = lang
        try:
            self.echo = not stdin.isatty()
        except (AttributeError, ValueError):
            self.echo = True

    def line(self, text: str = "") -> None:
        """Print one line (a text with newlines prints as several)."""
        self.stdout.write(typeset(text, self.lang) + "\n")

    def ask(self) -> str:
        """Prompt with `> ` and read one answer; _EndOfInput at the end of stdin."""
        self.stdout.write("> ")
        self.stdout.flush()
        raw = self.stdin.readline()
        if not raw:
            self.stdout.write("\n")
            self.stdout.flush()
            raise _EndOfInput
        answer = raw.rstrip("\r\n")
        if self.echo:
            self.stdout.write(answer + "\n")
        if answer.strip().casefold() in QUIT_WORDS:
            raise _Quit
        return answer.strip()

    def t(self, key: str, **values: object) -> str:
        """An interface string in the session's language."""
        return t(key, self.lang, **values)

    def label(self, key: str, text: str, *, lower: bool = False) -> str:
        """`Label: text`, with French typography's space before the colon."""
        name = self.t(key).lower() if lower else self.t(key)
        return self.label_text(name, text)

    def label_text(self, name: str, text: str) -> str:
        """`name: text` in the language's typography."""
        return f"{colon(name, self.lang)}{text}".rstrip()

    def percent(self, share: float) -> str:
        """A share as a percentage, typeset for the language."""
        return percent(share, self.lang)


def _text(text: LText | None, lang: str) -> str:
    return "" if text is None else text.get(lang)


def _run(session: Session, out: _Console) -> None:
    lang = out.lang
    try:
        while (item := session.current) is not None:
            out.line()
            header = out.t("question_n", n=session.done + 1, total=session.total)
            out.line(f"{header} [{item.question.kind}]")
            session.mark_shown()
            try:
                if item.question.kind is Kind.FLASHCARD:
                    rating: Rating | None = _ask_flashcard(item, out)
                    verdict = session.answer(rating, rating=rating)
                else:
                    rating = None
                    verdict = session.answer(_ask(item, out))
            except _Skip:
                out.line(out.t("skipped"))
                session.skip()
                continue
            _feedback(item, verdict, rating, session, out, lang)
            session.advance()
    except _Quit:
        out.line(out.t("plain_quit"))
    except _EndOfInput:
        out.line(out.t("plain_eof"))


# -- asking --------------------------------------------------------------------------------


def _ask(item: Item, out: _Console) -> Any:
    """Show the question and read answers until one can be judged."""
    parse = _show(item, out)
    while True:
        answer = out.ask()
        if answer.casefold() in SKIP_WORDS:
            raise _Skip
        try:
            return parse(answer)
        except _Bad as bad:
            out.line(str(bad))


def _show(item: Item, out: _Console) -> Callable[[str], Any]:
    """Print the question; return the parser of its answers."""
    q = item.question
    lang = out.lang
    kind = q.kind
    if q.prompt.get(lang):
        out.line(q.prompt.get(lang))
    if kind in (Kind.CHOICE, Kind.MULTI):
        for pos, index in enumerate(item.order, 1):
            out.line(f"  {pos}. {q.choices[index].text.get(lang)}")
        if kind is Kind.CHOICE:
            return lambda a: _parse_choice(a, item.order, out)
        out.line(f"({out.t('plain_multi', n=len(item.order))})")
        return lambda a: _parse_multi(a, item.order, out)
    if kind is Kind.TRUE_FALSE:
        out.line(f"  1. {out.t('true')}")
        out.line(f"  2. {out.t('false')}")
        return lambda a: _parse_truth(a, out)
    if kind is Kind.SHORT:
        return lambda a: _parse_text(a, out, "type_answer")
    if kind is Kind.NUMERIC:
        unit = _text(q.unit, lang)
        if unit:
            out.line(f"({unit})")
        return lambda a: _parse_numeric(a, out)
    if kind is Kind.CLOZE:
        out.line(_cloze_sentence(q, lang))
        n = len(q.gaps(lang)[1])
        for i, options in enumerate(q.gap_options, 1):
            if options:
                words = " · ".join(o.get(lang) for o in options)
                out.line(f"  ({i}) {out.label_text(out.t('one_of'), words)}")
        if n > 1:
            out.line(f"({out.t('plain_cloze', n=n)})")
        return lambda a: _parse_cloze(a, n, out)
    if kind is Kind.ORDER:
        for pos, index in enumerate(item.order, 1):
            out.line(f"  {pos}. {q.items[index].get(lang)}")
        out.line(f"({out.t('plain_order', n=len(item.order))})")
        return lambda a: _parse_order(a, item.order, out)
    if kind is Kind.MATCH:
        for pos, index in enumerate(item.order, 1):
            out.line(f"  {pos}. {q.pairs[index].left.get(lang)}")
        for pos, index in enumerate(item.right_order):
            out.line(f"  {letter(pos)}. {q.match_rights[index].get(lang)}")
        out.line(f"({out.t('plain_match')})")
        return lambda a: _parse_match(a, item.order, item.right_order, out)
    raise UserError(
        _("question {q.id}: unknown kind {kind!r}").format(q=q, kind=kind)
    )  # pragma: no cover


def _cloze_sentence(q: Question, lang: str) -> str:
    pieces, gaps = q.gaps(lang)
    parts = [pieces[0]]
    for i, piece in enumerate(pieces[1:], 1):
        parts.append(f"___({i})" if len(gaps) > 1 else "___")
        parts.append(piece)
    return "".join(parts)


def _numbers(answer: str, n: int, hint: str) -> list[int]:
    tokens = [tok for tok in _SPLIT_RE.split(answer) if tok]
    if not tokens:
        raise _Bad(hint)
    picks = []
    for tok in tokens:
        if not tok.isdigit() or not 1 <= int(tok) <= n:
            raise _Bad(hint)
        picks.append(int(tok) - 1)
    return picks


def _parse_choice(answer: str, order: tuple[int, ...], out: _Console) -> int:
    hint = out.t("plain_choice", n=len(order))
    picks = _numbers(answer, len(order), hint)
    if len(picks) != 1:
        raise _Bad(hint)
    return order[picks[0]]


def _parse_multi(answer: str, order: tuple[int, ...], out: _Console) -> set[int]:
    picks = _numbers(answer, len(order), out.t("plain_multi", n=len(order)))
    return {order[p] for p in picks}


def _parse_truth(answer: str, out: _Console) -> bool:
    word = normalize(answer)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _Bad(out.t("tf_hint"))


def _parse_text(answer: str, out: _Console, hint_key: str) -> str:
    if not answer:
        raise _Bad(f"{out.t(hint_key)} ({out.t('plain_skip_hint')})")
    return answer


def _parse_numeric(answer: str, out: _Console) -> str:
    # Unreadable input is asked again rather than judged wrong: it is most likely a slip.
    if parse_number(answer) is None:
        raise _Bad(f"{out.t('type_number')} ({out.t('plain_skip_hint')})")
    return answer


def _parse_cloze(answer: str, n: int, out: _Console) -> list[str]:
    gaps = [g.strip() for g in answer.split("|")] if n > 1 else [answer]
    if len(gaps) != n or not all(gaps):
        hint = out.t("plain_cloze", n=n) if n > 1 else out.t("type_answer")
        raise _Bad(f"{hint} ({out.t('plain_skip_hint')})")
    return gaps


def _parse_order(answer: str, order: tuple[int, ...], out: _Console) -> list[int]:
    n = len(order)
    hint = out.t("plain_order", n=n)
    compact = answer.strip()
    # "312" for three items: unambiguous while every position is a single digit.
    if n <= 9 and compact.isdigit() and len(compact) == n:
        answer = " ".join(compact)
    picks = _numbers(answer, n, hint)
    if sorted(picks) != list(range(n)):
        raise _Bad(hint)
    return [order[p] for p in picks]


def _parse_match(
    answer: str, order: tuple[int, ...], right_order: tuple[int, ...], out: _Console
) -> dict[int, int]:
    n = len(order)
    hint = out.t("plain_match")
    text = answer.casefold()
    found = list(_PAIR_RE.finditer(text))
    rest = _PAIR_RE.sub("", text)
    if not found or _SPLIT_RE.sub("", rest):
        raise _Bad(hint)
    links: dict[int, int] = {}
    labels = [letter(i) for i in range(n)]
    for m in found:
        left = int(m.group(1)) - 1
        if not 0 <= left < n or left in links or m.group(2) not in labels:
            raise _Bad(hint)
        links[left] = labels.index(m.group(2))
    if len(links) != n:
        raise _Bad(hint)
    return {order[left]: right_order[right] for left, right in links.items()}


def _ask_flashcard(item: Item, out: _Console) -> Rating:
    """Show the front, flip on any line, show the back, read a rating."""
    q = item.question
    out.line(q.prompt.get(out.lang))
    out.line(f"({out.t('plain_flip')})")
    if out.ask().casefold() in SKIP_WORDS:
        raise _Skip
    out.line(out.label("plain_back", _text(q.back, out.lang)))
    hint = _rate_hint(out)
    out.line(hint)
    while True:
        answer = out.ask()
        if answer.casefold() in SKIP_WORDS:
            raise _Skip
        rating = RATING_WORDS.get(normalize(answer))
        if rating is not None:
            return rating
        out.line(hint)


def _rate_hint(out: _Console) -> str:
    names = " · ".join(f"{int(r)} {out.t(r.name.lower())}" for r in Rating)
    return f"{out.t('rate_hint')} ({names})"


# -- feedback and summary ------------------------------------------------------------------


def _feedback(
    item: Item,
    verdict: Verdict,
    rating: Rating | None,
    session: Session,
    out: _Console,
    lang: str,
) -> None:
    q = item.question
    if rating is not None:
        # A self-rated card has no right or wrong to announce (its back is already shown).
        out.line(out.t(rating.name.lower()))
    elif verdict.outcome is Outcome.CORRECT:
        out.line(out.t("right"))
    else:
        key = "partial" if verdict.outcome is Outcome.PARTIAL else "wrong"
        out.line(f"{out.t(key)} — {out.label('right_answer', verdict.expected, lower=True)}")
    if verdict.typo:
        if verdict.matched:
            out.line(out.label("typo", f"{verdict.given} → {verdict.matched}"))
        else:
            out.line(out.t("typo"))
    if verdict.feedback:
        out.line(verdict.feedback)
    if q.explanation is not None:
        out.line(out.label("explanation", q.explanation.get(lang)))
    if q.background is not None:
        out.line(out.label("background", q.background.get(lang)))
    if q.source is not None:
        out.line(out.label("source", q.source.get(lang)))
    if session.requeue and not verdict.correct:
        out.line(out.t("again_later"))


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _label(q: Question, lang: str) -> str:
    if q.kind is Kind.CLOZE:
        prompt = q.prompt.get(lang)
        sentence = _cloze_sentence(q, lang)
        return f"{prompt} {sentence}".strip()
    return q.prompt.get(lang)


def _print_summary(summary: Summary, out: _Console) -> None:
    lang = out.lang
    out.line()
    out.line(f"== {out.t('summary')} ==")
    # The score (partial answers count in part) and the count of fully right first answers,
    # each named: "0/2 (54%)" read as if the two disagreed.
    out.line(out.label("score", f"{out.percent(summary.score)} {out.t('score_means')}"))
    first = out.t("n_of_total", n=summary.correct, total=summary.answered)
    out.line(out.label("first_try", first))
    out.line(out.label("time", _duration(summary.elapsed_s)))
    if summary.skipped:
        out.line(out.t("plain_skipped_n", n=summary.skipped))
    # "—" stands for untagged questions: a breakdown with only that says nothing.
    if summary.by_tag and set(summary.by_tag) != {"—"}:
        out.line(out.label("by_tag", ""))
        for tag, (n, mean) in summary.by_tag.items():
            count = out.t("question_one" if n == 1 else "questions_n", n=n)
            label = summary.tag_label(tag, out.lang)
            out.line("  " + out.label_text(label, f"{out.percent(mean)} ({count})"))
    if not summary.answered:
        out.stdout.flush()
        return
    if summary.relearned:
        out.line(out.t("relearned", n=summary.relearned))
    if not summary.missed:
        out.line(out.t("none_missed"))
        out.stdout.flush()
        return
    out.line(f"{out.t('missed_questions')} {out.t('missed_means')}")
    for i, result in enumerate(summary.missed, 1):
        verdict = result.verdict
        assert verdict is not None
        out.line(f"  {i}. {_label(result.item.question, lang)}")
        given = verdict.given or out.t("not_answered")
        if result.item.question.kind is Kind.FLASHCARD:
            given = out.t(given)  # the rating's name, "again" or "hard"
        out.line("     " + out.label("your_answer", given))
        out.line("     " + out.label("right_answer", verdict.expected))
    out.stdout.flush()

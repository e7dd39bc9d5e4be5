"""Export a question set as Moodle GIFT or as an Anki-importable tab-separated file."""

from __future__ import annotations

import csv
import io

from gmmp_quiz.model import Kind, LText, Question, QuestionSet, parse_cloze

_GIFT_SPECIAL = str.maketrans({c: "\\" + c for c in "\\~=#{}:"} | {"\n": "\\n", "\r": ""})
_TRUTH = {"fr": ("Vrai", "Faux"), "es": ("Verdadero", "Falso"), "de": ("Wahr", "Falsch")}


def _esc(text: str) -> str:
    """A text with GIFT's special characters escaped and newlines as \\n."""
    return text.translate(_GIFT_SPECIAL)


def _num(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _weight(share: float) -> str:
    text = f"{share:.5f}".rstrip("0").rstrip(".")
    return text or "0"


def _t(text: LText | None, lang: str | None) -> str:
    return text.get(lang) if text is not None else ""


def _gift_question(q: Question, lang: str | None) -> list[str]:
    """The GIFT lines of one question (several for a cloze with several gaps)."""
    head = [f"// [id:{q.id}]"] + [f"// [tag:{t}]" for t in q.tags]
    explanation = _t(q.explanation, lang)
    general = f" ####{_esc(explanation)}" if explanation else ""
    prompt = _esc(_t(q.prompt, lang))
    title = f"::{_esc(q.id)}::[plain]"

    def one(text: str, answers: str, tail: str = "") -> str:
        return f"{title}{text} {{{answers}{general}}}{tail}"

    if q.kind is Kind.FLASHCARD:
        head.append("// flashcard, exported as a short answer")
        return [*head, one(prompt, f"={_esc(_t(q.back, lang))}")]
    if q.kind in (Kind.CHOICE, Kind.MULTI):
        rights = [c for c in q.choices if c.correct]
        wrongs = [c for c in q.choices if not c.correct]
        parts = []
        for c in q.choices:
            fb = f"#{_esc(_t(c.feedback, lang))}" if c.feedback is not None else ""
            text = _esc(c.text.get(lang))
            if q.kind is Kind.CHOICE:
                parts.append(f"{'=' if c.correct else '~'}{text}{fb}")
            elif c.correct:
                parts.append(f"~%{_weight(100 / len(rights))}%{text}{fb}")
            else:
                # A wrong pick takes one share back, as the app's multi scoring does.
                parts.append(f"~%-{_weight(100 / max(len(rights), 1))}%{text}{fb}")
        del wrongs
        return [*head, one(prompt, " ".join(parts))]
    if q.kind is Kind.TRUE_FALSE:
        return [*head, one(prompt, "TRUE" if q.truth else "FALSE")]
    if q.kind is Kind.SHORT:
        accepted = list(dict.fromkeys([*(_t(q.answer, lang),), *q.alternatives]))
        return [*head, one(prompt, " ".join(f"={_esc(a)}" for a in accepted if a))]
    if q.kind is Kind.NUMERIC:
        tol = f":{_num(q.tolerance)}" if q.tolerance else ""
        if q.unit is not None:
            head.append(f"// unit: {_t(q.unit, lang)}")
        return [*head, one(prompt, f"#{_num(q.number or 0)}{tol}")]
    if q.kind is Kind.CLOZE:
        pieces, gaps = parse_cloze(_t(q.cloze, lang))
        lines: list[str] = []
        intro = f"{prompt}\\n" if prompt else ""
        for i, gap in enumerate(gaps):
            before = "".join(
                pieces[j] + (gaps[j].answers[0] if j < i else "") for j in range(i + 1)
            )
            after = "".join(
                (gaps[j].answers[0] if j > i else "") + pieces[j + 1] for j in range(i, len(gaps))
            )
            answers = " ".join(f"={_esc(a)}" for a in gap.answers)
            if len(gaps) > 1:
                qid = f"{q.id}.gap{i + 1}"
                lines += [f"// [id:{qid}]"] + [f"// [tag:{t}]" for t in q.tags]
                lines.append(f"// gap {i + 1} of {len(gaps)} of cloze {q.id}")
                gap_title = f"::{_esc(qid)}::[plain]"
            else:
                lines += head
                gap_title = title
            lines.append(f"{gap_title}{intro}{_esc(before)}{{{answers}{general}}}{_esc(after)}")
            lines.append("")
        return lines[:-1]
    if q.kind is Kind.ORDER:
        head.append("// order question, exported as matching (position -> item)")
        pairs = " ".join(f"={n} -> {_esc(item.get(lang))}" for n, item in enumerate(q.items, 1))
        return [*head, one(prompt, pairs)]
    if q.kind is Kind.MATCH:
        pairs = " ".join(f"={_esc(p.left.get(lang))} -> {_esc(p.right.get(lang))}" for p in q.pairs)
        return [*head, one(prompt, pairs)]
    raise AssertionError(q.kind)  # pragma: no cover - every kind is handled above


def export_gift(qset: QuestionSet, lang: str | None = None) -> str:
    """The set as Moodle GIFT text, in `lang` (default: the set's language)."""
    lang = lang or qset.language
    out = [f"// {qset.title.get(lang)} ({qset.id}), exported by gmmp-quiz", ""]
    for q in qset.questions:
        out.extend(_gift_question(q, lang))
        out.append("")
    return "\n".join(out)


def _card(q: Question, lang: str | None) -> tuple[str, str]:
    """Front and back of a question rendered as a flashcard."""
    prompt = _t(q.prompt, lang)
    if q.kind is Kind.FLASHCARD:
        front, back = prompt, _t(q.back, lang)
    elif q.kind in (Kind.CHOICE, Kind.MULTI):
        options = "\n".join(
            f"{chr(97 + i % 26)}) {c.text.get(lang)}" for i, c in enumerate(q.choices)
        )
        front = f"{prompt}\n\n{options}"
        back = "\n".join(c.text.get(lang) for c in q.choices if c.correct)
    elif q.kind is Kind.TRUE_FALSE:
        yes, no = _TRUTH.get((lang or "en").split("-")[0], ("True", "False"))
        front, back = prompt, yes if q.truth else no
    elif q.kind is Kind.SHORT:
        front, back = prompt, _t(q.answer, lang)
        if q.alternatives:
            back += f"\n({' / '.join(q.alternatives)})"
    elif q.kind is Kind.NUMERIC:
        back = _num(q.number or 0)
        if q.tolerance:
            back += f" ± {_num(q.tolerance)}"
        if q.unit is not None:
            back += f" {_t(q.unit, lang)}"
        front = prompt
    elif q.kind is Kind.CLOZE:
        pieces, gaps = parse_cloze(_t(q.cloze, lang))
        blank = pieces[0] + "".join("[...]" + p for p in pieces[1:])
        full = pieces[0] + "".join(g.answers[0] + p for g, p in zip(gaps, pieces[1:], strict=True))
        front = f"{prompt}\n\n{blank}" if prompt else blank
        back = full
    elif q.kind is Kind.ORDER:
        shown = sorted(item.get(lang) for item in q.items)
        front = prompt + "\n\n" + "\n".join(f"- {s}" for s in shown)
        back = "\n".join(f"{n}. {item.get(lang)}" for n, item in enumerate(q.items, 1))
    else:
        lefts = "\n".join(f"- {p.left.get(lang)}" for p in q.pairs)
        front = f"{prompt}\n\n{lefts}"
        back = "\n".join(f"{p.left.get(lang)} → {p.right.get(lang)}" for p in q.pairs)
    explanation = _t(q.explanation, lang)
    if explanation:
        back = f"{back}\n\n{explanation}"
    return front, back


def export_tsv(qset: QuestionSet, lang: str | None = None) -> str:
    """The set as an Anki text file: front, back, tags, guid (= question id), tab-separated."""
    lang = lang or qset.language
    buffer = io.StringIO()
    buffer.write("#separator:tab\n#html:false\n#tags column:3\n#guid column:4\n")
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    for q in qset.questions:
        front, back = _card(q, lang)
        tags = " ".join("_".join(t.split()) for t in (*qset.tags, *q.tags))
        writer.writerow([front, back, tags, f"{qset.id}.{q.id}"])
    return buffer.getvalue()

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


def _numeric(number: float, to: float | None, tolerance: float) -> str:
    """A GIFT number: `x`, `x:tolerance` or the range `a..b`."""
    if to is not None and to != number:
        return f"{_num(number)}..{_num(to)}"
    return _num(number) + (f":{_num(tolerance)}" if tolerance else "")


def _star(text: str, patterns: set[str]) -> str:
    """A short answer's text with its stars kept as stars (unless it is one of the patterns)."""
    return text if text in patterns else text.replace("*", "\\*")


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

    def fb(text: LText | None) -> str:
        return f"#{_esc(_t(text, lang))}" if text is not None else ""

    wrong = f" =%0%*{fb(q.wrong_feedback)}" if q.wrong_feedback is not None else ""
    if q.kind is Kind.FLASHCARD:
        # An essay: GIFT's self-graded question, the back as its general feedback.
        back = _t(q.back, lang) + (f"\n\n{explanation}" if explanation else "")
        return [*head, f"{title}{prompt} {{####{_esc(back)}}}"]
    if q.kind in (Kind.CHOICE, Kind.MULTI):
        share = 100 / max(1, sum(1 for c in q.choices if c.correct))
        parts = []
        for c in q.choices:
            text = _esc(c.text.get(lang))
            if q.kind is Kind.CHOICE:
                if c.correct or c.weight == 100:
                    parts.append(f"={text}{fb(c.feedback)}")
                    continue
                shown = f"%{_weight(c.weight)}%" if c.weight else ""
                parts.append(f"~{shown}{text}{fb(c.feedback)}")
                continue
            # Without weights, a wrong pick takes one share back, as the app's multi scoring does.
            weight = c.weight if c.weight is not None else (share if c.correct else -share)
            parts.append(f"~%{_weight(weight)}%{text}{fb(c.feedback)}")
        return [*head, one(prompt, " ".join(parts))]
    if q.kind is Kind.TRUE_FALSE:
        # Moodle's order: {T#feedback if wrong#feedback if right}.
        feedback = ""
        if q.feedback is not None or q.wrong_feedback is not None:
            feedback = f"#{_esc(_t(q.wrong_feedback, lang))}{fb(q.feedback)}"
        return [*head, one(prompt, ("TRUE" if q.truth else "FALSE") + feedback)]
    if q.kind is Kind.SHORT:
        # In a short answer Moodle reads `*` as "any text": a star meant as a star is `\*`.
        accepted = list(dict.fromkeys([*(_t(q.answer, lang),), *q.alternatives]))
        patterns = {t for alt in q.weighted if alt.wildcard for t in alt.texts}
        parts = [f"={_esc(_star(accepted[0], patterns))}{fb(q.feedback)}"]
        parts += [f"={_esc(_star(a, set()))}" for a in accepted[1:] if a]
        for alt in q.weighted:
            for text in alt.texts:
                if alt.wildcard and text == accepted[0]:
                    continue  # the answer shown, written above
                shown = _esc(text if alt.wildcard else _star(text, set()))
                parts.append(f"=%{_weight(alt.weight)}%{shown}{fb(alt.feedback)}")
        return [*head, one(prompt, " ".join(parts) + wrong)]
    if q.kind is Kind.NUMERIC:
        if q.unit is not None:
            head.append(f"// unit: {_t(q.unit, lang)}")
        main = _numeric(q.number or 0, q.number_to, q.tolerance)
        if not q.weighted and q.wrong_feedback is None:
            return [*head, one(prompt, f"#{main}{fb(q.feedback)}")]
        parts = [f"#={main}{fb(q.feedback)}"]
        for alt in q.weighted:
            value = _numeric(alt.number or 0, alt.to, alt.tolerance)
            parts.append(f"=%{_weight(alt.weight)}%{value}{fb(alt.feedback)}")
        if q.wrong_feedback is not None:
            parts.append(f"~{fb(q.wrong_feedback)}")
        return [*head, one(prompt, " ".join(parts))]
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
            offered = q.gap_options[i] if i < len(q.gap_options) else None
            if offered:
                # The gap's choices: a missing-word multiple choice.
                texts = [o.get(lang) for o in offered]
                answers = " ".join(f"{'=' if t == gap.answers[0] else '~'}{_esc(t)}" for t in texts)
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
        pairs += "".join(f" = -> {_esc(d.get(lang))}" for d in q.distractors)
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

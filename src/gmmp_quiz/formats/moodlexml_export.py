"""Moodle XML export: a question set written as a Moodle quiz, with what GIFT cannot carry."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from gmmp_quiz.model import Kind, LText, Question, QuestionSet, parse_cloze


def _t(text: LText | None, lang: str | None) -> str:
    return text.get(lang) if text is not None else ""


def _num(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _pct(value: float) -> str:
    text = f"{value:.7f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _textel(tag: str, text: str, fmt: str | None = "plain_text", indent: str = "    ") -> str:
    attr = f" format={quoteattr(fmt)}" if fmt else ""
    return f"{indent}<{tag}{attr}><text>{escape(text)}</text></{tag}>"


def _answer(fraction: float, text: str, feedback: str = "", extra: str = "") -> str:
    fb = (
        f'<feedback format="plain_text"><text>{escape(feedback)}</text></feedback>'
        if feedback
        else ""
    )
    return (
        f'    <answer fraction="{_pct(fraction)}" format="plain_text">'
        f"<text>{escape(text)}</text>{extra}{fb}</answer>"
    )


def _question_xml(q: Question, lang: str | None) -> list[str]:
    prompt = _t(q.prompt, lang)
    name = _textel("name", q.id, None)
    body: list[str] = []
    kind = {
        Kind.FLASHCARD: "essay",
        Kind.CHOICE: "multichoice",
        Kind.MULTI: "multichoice",
        Kind.TRUE_FALSE: "truefalse",
        Kind.SHORT: "shortanswer",
        Kind.NUMERIC: "numerical",
        Kind.CLOZE: "cloze",
        Kind.ORDER: "ordering",
        Kind.MATCH: "matching",
    }[q.kind]
    if q.kind is Kind.FLASHCARD:
        body.append(_textel("graderinfo", _t(q.back, lang)))
    elif q.kind in (Kind.CHOICE, Kind.MULTI):
        single = q.kind is Kind.CHOICE
        body.append(f"    <single>{'true' if single else 'false'}</single>")
        body.append(f"    <shuffleanswers>{'true' if q.shuffle else 'false'}</shuffleanswers>")
        share = 100 / max(1, sum(1 for c in q.choices if c.correct))
        for c in q.choices:
            if single:
                weight = 100.0 if c.correct else (c.weight or 0.0)
            else:
                weight = c.weight if c.weight is not None else (share if c.correct else -share)
            body.append(_answer(weight, c.text.get(lang), _t(c.feedback, lang)))
    elif q.kind is Kind.TRUE_FALSE:
        for value in (True, False):
            right = value is q.truth
            feedback = _t(q.feedback if right else q.wrong_feedback, lang)
            body.append(_answer(100 if right else 0, "true" if value else "false", feedback))
    elif q.kind is Kind.SHORT:
        body.append("    <usecase>0</usecase>")
        # Moodle reads `*` as "any text" in a short answer: a star meant as a star is `\*`.
        accepted = list(dict.fromkeys([_t(q.answer, lang), *q.alternatives]))
        patterns = {t for alt in q.weighted if alt.wildcard for t in alt.texts}

        def star(text: str) -> str:
            return text if text in patterns else text.replace("*", "\\*")

        body.append(_answer(100, star(accepted[0]), _t(q.feedback, lang)))
        body += [_answer(100, star(a)) for a in accepted[1:] if a]
        for alt in q.weighted:
            for text in alt.texts:
                if alt.wildcard and text == accepted[0]:
                    continue  # the answer shown, written above
                body.append(_answer(alt.weight, star(text), _t(alt.feedback, lang)))
        if q.wrong_feedback is not None:
            body.append(_answer(0, "*", _t(q.wrong_feedback, lang)))
    elif q.kind is Kind.NUMERIC:

        def numeric(weight: float, low: float, high: float | None, tol: float, fb: str) -> str:
            # Moodle has no range: a range is its middle give or take half its width.
            if high is not None and high != low:
                low, tol = (low + high) / 2, (high - low) / 2 + tol
            return _answer(weight, _num(low), fb, f"<tolerance>{_num(tol)}</tolerance>")

        body.append(numeric(100, q.number or 0.0, q.number_to, q.tolerance, _t(q.feedback, lang)))
        for alt in q.weighted:
            body.append(
                numeric(
                    alt.weight, alt.number or 0.0, alt.to, alt.tolerance, _t(alt.feedback, lang)
                )
            )
        if q.wrong_feedback is not None:
            body.append(_answer(0, "*", _t(q.wrong_feedback, lang)))
        if q.unit is not None:
            body.append(
                "    <units><unit><multiplier>1</multiplier>"
                f"<unit_name>{escape(_t(q.unit, lang))}</unit_name></unit></units>"
            )
    elif q.kind is Kind.CLOZE:
        pieces, gaps = parse_cloze(_t(q.cloze, lang))
        text = pieces[0]
        options = q.gap_options or (None,) * len(gaps)
        for gap, piece, offered in zip(gaps, pieces[1:], options, strict=False):
            if offered:
                # A gap with choices is Moodle's multiple-choice part, its answer marked '='.
                texts = [o.get(lang) for o in offered]
                answers = "~".join(
                    ("=" if t == gap.answers[0] else "") + _cloze_escape(t) for t in texts
                )
                text += "{1:MULTICHOICE:" + answers + "}" + piece
                continue
            answers = "~".join("=" + _cloze_escape(a) for a in gap.answers)
            text += "{1:SHORTANSWER:" + answers + "}" + piece
        prompt = f"{prompt}\n{text}" if prompt else text
    elif q.kind is Kind.ORDER:
        for n, item in enumerate(q.items, 1):
            body.append(_answer(n, item.get(lang)))
    else:
        body.append(f"    <shuffleanswers>{'true' if q.shuffle else 'false'}</shuffleanswers>")
        for p in q.pairs:
            body.append(
                f'    <subquestion format="plain_text"><text>{escape(p.left.get(lang))}</text>'
                f"<answer><text>{escape(p.right.get(lang))}</text></answer></subquestion>"
            )
        for d in q.distractors:
            body.append(
                '    <subquestion format="plain_text"><text></text>'
                f"<answer><text>{escape(d.get(lang))}</text></answer></subquestion>"
            )
    lines = [f'  <question type="{kind}">', name, _textel("questiontext", prompt)]
    explanation = _t(q.explanation, lang)
    if explanation:
        lines.append(_textel("generalfeedback", explanation))
    lines.append(f"    <idnumber>{escape(q.id)}</idnumber>")
    lines += body
    if q.tags:
        lines.append(
            "    <tags>"
            + "".join(f"<tag><text>{escape(t)}</text></tag>" for t in q.tags)
            + "</tags>"
        )
    lines.append("  </question>")
    return lines


def _cloze_escape(text: str) -> str:
    return re.sub(r"([~=#{}\\:])", r"\\\1", text)


def export_moodle_xml(qset: QuestionSet, lang: str | None = None) -> str:
    """The set as a Moodle XML quiz (one category named after the set), in `lang`."""
    lang = lang or qset.language
    # A '/' would split the category in two: the title keeps its place as one level.
    category = escape(qset.title.get(lang).replace("/", "-"))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- {qset.id}, exported by gmmp-quiz -->",
        "<quiz>",
        '  <question type="category">',
        f"    <category><text>$course$/top/{category}</text></category>",
        "  </question>",
    ]
    for q in qset.questions:
        out += _question_xml(q, lang)
    out.append("</quiz>")
    return "\n".join(out) + "\n"

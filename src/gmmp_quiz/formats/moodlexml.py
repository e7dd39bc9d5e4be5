"""Moodle XML import and export: Moodle's own exchange format, with what GIFT cannot carry."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any
from xml.parsers.expat import errors as expat_errors
from xml.sax.saxutils import escape, quoteattr

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.formats.common import (
    Answer,
    IdAllocator,
    ImportResult,
    Notes,
    Option,
    choice_data,
    content_id,
    id_from_label,
    number,
    right_options,
    short_data,
    tag_word,
    typed_answer,
    unique,
)
from gmmp_quiz.i18n import N_, _
from gmmp_quiz.model import Kind, LText, Question, QuestionSet, parse_cloze

_QUESTION_RE = re.compile(r"<question[\s>/]")
_MODES: dict[str, bool | None] = {
    "html": True,
    "moodle_auto_format": None,
    "plain_text": False,
    "markdown": False,
}
_NUMBER_RE = re.compile(r"^\s*[-+]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?\s*$")
_UNSUPPORTED = {
    "calculated": N_("a calculated question (its numbers are drawn at random)"),
    "calculatedsimple": N_("a calculated question (its numbers are drawn at random)"),
    "calculatedmulti": N_("a calculated question (its numbers are drawn at random)"),
    "random": N_("a random question (drawn from a category)"),
    "randomsamatch": N_("a random matching question (drawn from a category)"),
    "ddwtos": N_("a drag-and-drop question"),
    "ddimageortext": N_("a drag-and-drop question"),
    "ddmarker": N_("a drag-and-drop question"),
    "gapselect": N_("a select-missing-words question"),
}


def _float(text: str) -> float:
    return float(text.strip().replace(",", "."))


class _Reader:
    """Reads the questions of one Moodle XML file."""

    def __init__(self, path: str) -> None:
        self.notes = Notes(path)
        self.ids = IdAllocator(self.notes)
        self.errors: list[Problem] = []
        self.category: list[str] = []
        # Categories become tags only in a file of several (one category is the set itself).
        self.tag_categories = False
        self.title = ""
        self.questions: list[dict[str, Any]] = []
        self.line = 0

    def text(self, element: ET.Element | None, default_mode: bool | None = True) -> str:
        """The plain text of a Moodle text element (its <text> child, in its format)."""
        if element is None:
            return ""
        inner = element.find("text")
        raw = (inner.text if inner is not None else element.text) or ""
        mode = _MODES.get(element.get("format", ""), default_mode)
        return self.notes.text(raw, self.line, mode)

    def skip(self, message: str) -> None:
        self.notes.skip(self.line, message)

    def question(self, q: ET.Element) -> None:
        kind = q.get("type", "")
        if kind == "category":
            path = self.text(q.find("category"), False)
            parts = [p.strip() for p in path.split("/")]
            parts = [
                p for p in parts if p and p.lower() != "top" and not re.fullmatch(r"\$\w*\$", p)
            ]
            self.category = unique([tag_word(p) for p in parts])
            if not self.title and parts:
                self.title = parts[-1]
            return
        name = self.text(q.find("name"), False)
        prompt = self.text(q.find("questiontext"))
        general = self.text(q.find("generalfeedback"))
        tags = [*self.category] if self.tag_categories else []
        for tag in q.iterfind("tags/tag"):
            value = self.text(tag, False)
            if value:
                tags.append(tag_word(value))
        reader = _KINDS.get(kind)
        if reader is None:
            known = _UNSUPPORTED.get(kind)
            why = _(known) if known else _("a question of type {kind}").format(kind=repr(kind))
            self.skip(_("{why}: not supported, skipped").format(why=why))
            return
        if kind == "cloze":
            self.cloze(q, name, unique(tags), general)
            return
        if kind != "description" and not prompt:
            self.skip(_("a question without text: skipped"))
            return
        data = reader(self, q, prompt)
        if data is None:
            return
        if general and data["type"] != "flashcard":
            data["explanation"] = general
        self.finish(data, q, name, unique(tags))

    def finish(self, data: dict[str, Any], q: ET.Element, name: str, tags: list[str]) -> None:
        idnumber = (q.findtext("idnumber") or "").strip()
        label = idnumber or name
        if label:
            wanted = id_from_label(label)
        else:
            shown = data.get("prompt") or data.get("front") or data.get("text") or ""
            wanted = content_id(shown, [repr(data.get("answer"))])
        out: dict[str, Any] = {"id": self.ids.allocate(wanted, self.line)}
        out.update(data)
        if tags:
            out["tags"] = tags
        self.questions.append(out)

    def answers(self, q: ET.Element) -> list[tuple[str, float, str, ET.Element]]:
        """Each <answer>: its text, weight (percent), feedback, and the element itself."""
        out = []
        for answer in q.iterfind("answer"):
            try:
                weight = _float(answer.get("fraction", "0"))
            except ValueError:
                self.notes.add(
                    self.line,
                    _("answer weight {value!r} read as 0").format(value=answer.get("fraction")),
                )
                weight = 0.0
            text = self.text(answer)
            out.append(
                (text, max(-100.0, min(weight, 100.0)), self.text(answer.find("feedback")), answer)
            )
        return out

    # -- kinds ---------------------------------------------------------------------------
    def multichoice(self, q: ET.Element, prompt: str) -> dict[str, Any] | None:
        single = (q.findtext("single") or "true").strip().lower() in ("true", "1")
        options: list[Option] = []
        seen: set[str] = set()
        for text, weight, feedback, __ in self.answers(q):
            if not text:
                self.notes.add(self.line, _("an empty choice was dropped"))
                continue
            if text in seen:
                self.notes.add(
                    self.line, _("choice {text!r} is repeated: kept once").format(text=text)
                )
                continue
            seen.add(text)
            options.append(Option(text, weight, feedback))
        if len(options) < 2 or not right_options(options, single):
            self.skip(_("a multiple-choice question needs 2 choices and a right one: skipped"))
            return None
        return choice_data(prompt, options, single, lambda m: self.notes.add(self.line, m))

    def truefalse(self, q: ET.Element, prompt: str) -> dict[str, Any] | None:
        by_value: dict[bool, tuple[float, str]] = {}
        for text, weight, feedback, __ in self.answers(q):
            value = text.strip().lower()
            if value in ("true", "false"):
                by_value[value == "true"] = (weight, feedback)
        if not by_value:
            self.skip(_("a true/false question without a 'true' or 'false' answer: skipped"))
            return None
        truth = max(by_value, key=lambda v: by_value[v][0])
        data: dict[str, Any] = {"type": "true_false", "prompt": prompt, "answer": truth}
        right = by_value.get(truth, (0, ""))[1]
        wrong = by_value.get(not truth, (0, ""))[1]
        if right:
            data["feedback"] = right
        if wrong:
            data["wrong_feedback"] = wrong
        return data

    def shortanswer(self, q: ET.Element, prompt: str) -> dict[str, Any] | None:
        accepted: list[Answer] = []
        wrong = ""
        seen: set[str] = set()
        for raw, weight, feedback, __ in self.answers(q):
            text, wildcard = typed_answer(raw)
            if text == "*" and weight <= 0:
                wrong = feedback  # Moodle's catch-all: feedback for any other answer
                continue
            if not text or text.casefold() in seen:
                continue
            seen.add(text.casefold())
            accepted.append(Answer(text, max(0.0, weight), feedback, wildcard))
        if (q.findtext("usecase") or "0").strip() == "1":
            self.notes.add(self.line, _("case-sensitive answers: typed answers here ignore case"))
        best = max(accepted, key=lambda a: a.weight, default=None)
        if best is None or best.weight <= 0:
            self.skip(_("a short-answer question with no right answer: skipped"))
            return None
        if best.weight < 100:
            self.notes.add(
                self.line,
                _("no answer is worth 100%: the best, {best.text!r} ({best.weight:g}%), is").format(
                    best=best
                ),
            )
            best.weight = 100.0
        return short_data(prompt, accepted, wrong)

    def numerical(self, q: ET.Element, prompt: str) -> dict[str, Any] | None:
        candidates: list[dict[str, Any]] = []
        wrong = ""
        for text, weight, feedback, answer in self.answers(q):
            if text == "*":
                wrong = feedback
                continue
            if not _NUMBER_RE.match(text):
                self.errors.append(
                    Problem(
                        self.notes.path,
                        self.line,
                        0,
                        _("{text!r} is not a number").format(text=text),
                    )
                )
                self.notes.skipped += 1
                return None
            tolerance = 0.0
            raw_tol = answer.findtext("tolerance")
            if raw_tol and _NUMBER_RE.match(raw_tol):
                tolerance = abs(_float(raw_tol))
            cand: dict[str, Any] = {"answer": number(_float(text)), "weight": max(0.0, weight)}
            if tolerance:
                cand["tolerance"] = number(tolerance)
            if feedback:
                cand["feedback"] = feedback
            candidates.append(cand)
        best = max(candidates, key=lambda c: c["weight"], default=None)
        if best is None or best["weight"] <= 0:
            self.skip(_("a numerical question with no right answer: skipped"))
            return None
        data: dict[str, Any] = {"type": "numeric", "prompt": prompt, "answer": best["answer"]}
        if "tolerance" in best:
            data["tolerance"] = best["tolerance"]
        units = [
            u
            for u in q.iterfind("units/unit")
            if (u.findtext("multiplier") or "1").strip() in ("1", "1.0")
        ]
        if units:
            unit = (units[0].findtext("unit_name") or "").strip()
            if unit:
                data["unit"] = unit
        others = []
        for cand in candidates:
            if cand is best:
                continue
            other = {k: v for k, v in cand.items() if k != "weight"}
            if cand["weight"] < 100:
                other["weight"] = number(cand["weight"])
            others.append(other)
        if others:
            data["alternatives"] = others
        if "feedback" in best:
            data["feedback"] = best["feedback"]
        if wrong:
            data["wrong_feedback"] = wrong
        return data

    def matching(self, q: ET.Element, prompt: str) -> dict[str, Any] | None:
        pairs = []
        lefts: set[str] = set()
        rights: set[str] = set()
        distractors: list[str] = []
        for sub in q.iterfind("subquestion"):
            left = self.text(sub)
            right = self.text(sub.find("answer"), False)
            if not right:
                continue
            if not left:
                if right not in rights:
                    rights.add(right)
                    distractors.append(right)  # a right side with no left: a distractor
                continue
            if left in lefts or right in rights:
                self.notes.add(
                    self.line,
                    _("pair {left!r} -> {right!r} repeats an item: dropped").format(
                        left=left, right=right
                    ),
                )
                continue
            lefts.add(left)
            rights.add(right)
            pairs.append({"left": left, "right": right})
        if len(pairs) < 2:
            self.skip(_("a matching question needs at least 2 pairs: skipped"))
            return None
        data: dict[str, Any] = {"type": "match", "prompt": prompt, "pairs": pairs}
        if distractors:
            data["distractors"] = distractors
        return data

    def ordering(self, q: ET.Element, prompt: str) -> dict[str, Any] | None:
        items = unique([text for text, _, _, _ in self.answers(q) if text])
        if len(items) < 2:
            self.skip(_("an ordering question needs at least 2 items: skipped"))
            return None
        return {"type": "order", "prompt": prompt, "items": items}

    def essay(self, q: ET.Element, prompt: str) -> dict[str, Any] | None:
        back = self.text(q.find("graderinfo")) or self.text(q.find("generalfeedback"))
        if not back:
            back = _("(an essay: no model answer was given; judge your own)")
            self.notes.add(
                self.line, _("an essay question without feedback: a flashcard to grade yourself")
            )
        return {"type": "flashcard", "front": prompt, "back": back}

    def description(self, q: ET.Element, prompt: str) -> dict[str, Any] | None:
        self.skip(_("a description (no answer): not a question, skipped"))
        return None

    def cloze(self, q: ET.Element, name: str, tags: list[str], general: str) -> None:
        from gmmp_quiz.formats.gift import embedded_cloze

        element = q.find("questiontext")
        raw = (element.findtext("text") if element is not None else "") or ""
        mode = _MODES.get(element.get("format", "") if element is not None else "", True)
        before = len(self.notes.items)
        data, errors = embedded_cloze(
            raw,
            notes=self.notes,
            ids=self.ids,
            line=self.line,
            html_mode=mode,
            label=(q.findtext("idnumber") or "").strip() or name,
            tags=tags,
            general="",
        )
        self.errors.extend(errors)
        self.notes.skipped += len(errors)
        # The GIFT reader says "imported as a cloze": in a cloze question that goes without saying.
        # Its notes are in the interface language: compare with the same words.
        said = _said_as_cloze()
        self.notes.items[before:] = [
            n for n in self.notes.items[before:] if not said.fullmatch(n.message)
        ]
        if data is not None:
            if general:
                data["explanation"] = general
            self.questions.append(data)


_KINDS = {
    "multichoice": _Reader.multichoice,
    "truefalse": _Reader.truefalse,
    "shortanswer": _Reader.shortanswer,
    "numerical": _Reader.numerical,
    "matching": _Reader.matching,
    "ordering": _Reader.ordering,
    "essay": _Reader.essay,
    "description": _Reader.description,
    "cloze": _Reader.description,  # read by _Reader.cloze
}


# Expat's words for the errors a hand-edited or cut-short file has, each translated; the place
# is the problem's own line and column, so expat's ": line 1, column 5" is not repeated.
_XML_ERRORS = {
    expat_errors.XML_ERROR_SYNTAX: N_("syntax error"),
    expat_errors.XML_ERROR_NO_ELEMENTS: N_("no element found"),
    expat_errors.XML_ERROR_INVALID_TOKEN: N_("not well-formed (invalid token)"),
    expat_errors.XML_ERROR_UNCLOSED_TOKEN: N_("unclosed token"),
    expat_errors.XML_ERROR_PARTIAL_CHAR: N_("partial character"),
    expat_errors.XML_ERROR_TAG_MISMATCH: N_("mismatched tag"),
    expat_errors.XML_ERROR_DUPLICATE_ATTRIBUTE: N_("duplicate attribute"),
    expat_errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT: N_("junk after document element"),
    expat_errors.XML_ERROR_UNDEFINED_ENTITY: N_("undefined entity"),
    expat_errors.XML_ERROR_BAD_CHAR_REF: N_("reference to invalid character number"),
    expat_errors.XML_ERROR_UNCLOSED_CDATA_SECTION: N_("unclosed CDATA section"),
    expat_errors.XML_ERROR_XML_DECL: N_("XML declaration not well-formed"),
    expat_errors.XML_ERROR_MISPLACED_XML_PI: N_("XML or text declaration not at start of entity"),
    expat_errors.XML_ERROR_UNKNOWN_ENCODING: N_("unknown encoding"),
    expat_errors.XML_ERROR_INCORRECT_ENCODING: N_(
        "encoding specified in XML declaration is incorrect"
    ),
    expat_errors.XML_ERROR_UNBOUND_PREFIX: N_("unbound prefix"),
}


def _xml_reason(exc: ET.ParseError) -> str:
    """What expat found wrong, in the interface language."""
    message = _XML_ERRORS.get(expat_errors.messages.get(exc.code, ""))
    return _(message) if message else _("the XML cannot be read here")


def _said_as_cloze() -> re.Pattern[str]:
    """The GIFT reader's "imported as a cloze" notes, as shown in the interface language."""
    one = _("an embedded Moodle cloze question: imported as a cloze")
    blocks = _("{n} answer blocks: imported as a cloze with {n} gaps")
    template = re.escape(blocks).replace(re.escape("{n}"), r"\d+")
    return re.compile(f"{re.escape(one)}|{template}")


def parse(text: str, path: str) -> ImportResult:
    """Import a Moodle XML question file; bad questions are skipped and reported at their line."""
    if re.search(r"<!DOCTYPE|<!ENTITY", text[:10000], re.IGNORECASE):
        raise ValidationError(
            [
                Problem(
                    path, 1, 0, _("a DOCTYPE or ENTITY declaration: not read (Moodle writes none)")
                )
            ]
        )
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        reason = _("not well-formed XML: {exc}").format(exc=_xml_reason(exc))
        raise ValidationError([Problem(path, line, col + 1, reason)]) from None
    if root.tag != "quiz":
        raise ValidationError(
            [
                Problem(
                    path,
                    1,
                    0,
                    _("a <{root.tag}> document: a Moodle XML file holds a <quiz>").format(
                        root=root
                    ),
                )
            ]
        )
    # ElementTree keeps no line numbers: the n-th <question> element is the n-th tag in the text.
    lines = []
    line, pos = 1, 0
    for m in _QUESTION_RE.finditer(text):
        line += text.count("\n", pos, m.start())  # counted from the last one: linear
        pos = m.start()
        lines.append(line)
    reader = _Reader(path)
    categories = {
        (q.findtext("category/text") or "").strip()
        for q in root.iterfind("question")
        if q.get("type") == "category"
    }
    reader.tag_categories = len(categories) > 1
    for index, q in enumerate(root.iterfind("question")):
        reader.line = lines[index] if index < len(lines) else 0
        reader.question(q)
    if not reader.questions:
        raise ValidationError(
            reader.errors
            + [Problem(path, 0, 0, _("no question could be imported: is this a Moodle XML quiz?"))]
            + reader.notes.items[:20]
        )
    data: dict[str, Any] = {"questions": reader.questions}
    if reader.title:
        data["title"] = reader.title
    notes = sorted(reader.notes.items + reader.errors, key=lambda p: p.line)
    return ImportResult(data, notes, reader.notes.skipped, "moodle-xml", bad=len(reader.errors))


# -- export ------------------------------------------------------------------------------
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

"""Measure how much of an independent GIFT test suite arrives intact through our GIFT import.

Run: python bench/gift_suite.py FOLDER [-v]. FOLDER holds pairs NAME.gift + NAME.json, where the
JSON is the expected parse in the shape of the GIFT-grammar-PEG.js test suite
(https://github.com/fuhrmanator/GIFT-grammar-PEG.js, folder tests/questions): a list of question
objects with type, title, stem or formattedStem, choices, matchPairs, isTrue, tags, id and so on.
That suite is public content of another project: it is not part of this repository, whoever runs
this script fetches it (e.g. a checkout of that repository, pointing FOLDER at tests/questions).

Each .gift file is imported with this project's importer (formats.import_file, format "gift").
The expected JSON is cut into facts: a question's stem, title, id, each tag, the global feedback;
per answer its text, whether it is right, its weight and its feedback; per numeric answer its
value, range or tolerance; per matching pair the pair; true/false's truth and both feedbacks;
a category's path (the parts other than $course$ and top, which must all be the next question's
tags). Each fact is looked for in the imported question that best matches the expected one's
stem (questions are paired in order, a stem that matches well enough first). Texts are compared
with markup, entities, link addresses and blanks set aside (the importer writes HTML as plain
text); tags and ids by their letters and digits (the importer makes tags single words).
Not counted: what the expected parse says only about formats ([html], [markdown]); a category
with no question after it (nothing carries it).
Printed: per file the facts expected, the facts intact, the percentage and the facts lost
(-v: each lost fact); then the overall figures and, as the last line, one JSON object
{files, facts, intact, percent, lost_by_kind}.
"""

from __future__ import annotations

import difflib
import html
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from gmmp_quiz.formats import import_file

_GAP = re.compile(r"\{\{.*?\}\}|_{3,}")
_TAG = re.compile(r"<!--.*?-->|<[^>]+>", re.DOTALL)
# A link's address, which an HTML-to-text import may write after the link's text.
_URL = re.compile(r"\((?:https?|mailto|ftp):[^)\s]*\)")


def norm(text: Any) -> str:
    """Text compared loosely: markup, entities, link addresses and blanks aside; gaps as `_`."""
    if text is None:
        return ""
    text = str(text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _URL.sub(" ", text)
    text = _GAP.sub("_", text)
    return re.sub(r"[\s\u00a0]+", "", text)


def slug(text: Any) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(text).casefold())


def txt(value: Any) -> Any:
    """The text of a value that may be {format, text}."""
    if isinstance(value, dict) and "text" in value and "format" in value:
        return value["text"]
    return value


def field(q: dict, *names: str) -> Any:
    for name in names:
        for key in (name, "formatted" + name[0].upper() + name[1:]):
            if q.get(key) is not None:
                return txt(q[key])
    return None


def num_eq(a: Any, b: Any) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return False


# --- what arrived: each imported question as a uniform view -----------------------------------


def imported_view(q: dict) -> dict:
    """Stem, answers [(text, right, weight, feedback)], numbers, pairs, feedbacks of a question."""
    kind = q.get("type")
    stem = q.get("prompt") or q.get("text") or q.get("front") or ""
    answers: list[dict] = []
    numbers: list[dict] = []
    pairs = {(norm(p.get("left")), norm(p.get("right"))) for p in q.get("pairs") or []}
    # A right side without a left one is a distractor (Moodle's `= -> Chat`).
    pairs |= {("", norm(d)) for d in q.get("distractors") or []}
    feedbacks = [q.get(k) for k in ("feedback", "wrong_feedback") if q.get(k)]
    if kind in ("choice", "multi"):
        right = q.get("answers") or ([q["answer"]] if "answer" in q else [])
        right_n = {norm(r) for r in right}
        # Without weights a multi's right choice earns one share and a wrong one takes one back
        # (the app's scoring, which the importer does not write out); a choice's right one 100.
        share = 100 / max(1, len(right))
        for c in q.get("choices") or []:
            c = c if isinstance(c, dict) else {"text": c}
            is_right = norm(c["text"]) in right_n
            if kind == "multi":
                default = share if is_right else -share
            else:
                default = 100 if is_right else None
            weight = c.get("weight", default)
            ok = is_right or (weight or 0) > 0
            answers.append(
                {"text": c["text"], "right": ok, "weight": weight, "feedback": c.get("feedback")}
            )
    elif kind == "short":
        answers.append(
            {"text": q.get("answer"), "right": True, "weight": 100, "feedback": q.get("feedback")}
        )
        for a in q.get("alternatives") or []:
            a = a if isinstance(a, dict) else {"text": a}
            answers.append(
                {
                    "text": a["text"],
                    "right": True,
                    "weight": a.get("weight", 100),
                    "feedback": a.get("feedback"),
                }
            )
    elif kind == "cloze":
        for gap in re.findall(r"\{\{(.*?)\}\}", q.get("text") or ""):
            for part in gap.split("|"):
                answers.append({"text": part, "right": True, "weight": None, "feedback": None})
        for group in q.get("options") or []:
            for opt in group if isinstance(group, list) else [group]:
                answers.append({"text": opt, "right": False, "weight": None, "feedback": None})
    elif kind == "numeric":
        numbers.append(
            {
                "answer": q.get("answer"),
                "tolerance": q.get("tolerance", 0),
                "weight": 100,
                "feedback": q.get("feedback"),
            }
        )
        for a in q.get("alternatives") or []:
            numbers.append(
                {
                    "answer": a.get("answer"),
                    "tolerance": a.get("tolerance", 0),
                    "weight": a.get("weight", 100),
                    "feedback": a.get("feedback"),
                }
            )
    return {
        "q": q,
        "kind": kind,
        "stem": stem,
        "answers": answers,
        "numbers": numbers,
        "pairs": pairs,
        "feedbacks": {norm(f) for f in feedbacks},
        "explanation": q.get("explanation"),
        "tags": [slug(t) for t in q.get("tags") or []],
        "id": q.get("id", ""),
    }


# --- what was expected, checked fact by fact ---------------------------------------------------


class Tally:
    """Facts expected, facts intact and what each lost fact was."""

    def __init__(self) -> None:
        self.expected = 0
        self.intact = 0
        self.lost: list[tuple[str, str]] = []

    def fact(self, kind: str, ok: bool, what: str) -> None:
        """Count one fact: `kind` groups the losses, `what` names the fact."""
        self.expected += 1
        if ok:
            self.intact += 1
        else:
            self.lost.append((kind, what))


def _catch_all(view: dict) -> dict | None:
    """Moodle's `*` answer (any other answer, 0%): its feedback is the wrong-answer feedback."""
    wrong = view["q"].get("wrong_feedback")
    if wrong is None:
        return None
    return {"text": "*", "right": False, "weight": 0, "feedback": wrong}


def _find_answer(view: dict | None, text: Any) -> dict | None:
    if view is None:
        return None
    if text == "*":
        return _catch_all(view)
    wanted = norm(text)
    for a in view["answers"]:
        if norm(a["text"]) == wanted:
            return a
    return None


def _number_of(spec: Any) -> tuple[Any, Any]:
    """(value, tolerance) of a PEG.js numeric answer; value is [low, high] for a high-low one."""
    spec = txt(spec)
    if not isinstance(spec, dict):
        return spec, None
    if spec.get("type") == "high-low":
        return [spec.get("numberLow"), spec.get("numberHigh")], None
    return spec.get("number"), spec.get("range")


def _number_found(view: dict | None, value: Any, rng: Any) -> dict | None:
    """The imported numeric answer with this value (and this tolerance when several have it)."""
    if view is None:
        return None
    same = []
    for n in view["numbers"]:
        got = n["answer"]
        if isinstance(value, list) and isinstance(got, list):
            if all(num_eq(a, b) for a, b in zip(value, got, strict=False)):
                same.append(n)
        elif not isinstance(value, list) and num_eq(got, value):
            same.append(n)
    for n in same:
        if rng is not None and num_eq(n["tolerance"] or 0, rng):
            return n
    return same[0] if same else None


def check_question(exp: dict, view: dict | None, tally: Tally, label: str) -> None:
    kind = exp.get("type")
    stem = field(exp, "stem")
    tally.fact("stem", view is not None and norm(stem) == norm(view["stem"]), f"{label} stem")
    if exp.get("title"):
        ok = view is not None and slug(exp["title"]) in slug(view["id"])
        tally.fact("title", ok, f"{label} title {exp['title']!r}")
    if exp.get("id"):
        ok = view is not None and slug(exp["id"]) in slug(view["id"])
        tally.fact("id", ok, f"{label} id {exp['id']!r}")
    for tag in exp.get("tags") or []:
        ok = view is not None and slug(tag) in view["tags"]
        tally.fact("tag", ok, f"{label} tag {tag!r}")
    general = field(exp, "globalFeedback")
    if general:
        ok = view is not None and norm(general) == norm(view["explanation"])
        tally.fact("global feedback", ok, f"{label} general feedback")
    if kind == "TF":
        truth = exp.get("isTrue")
        ok = view is not None and view["kind"] == "true_false" and view["q"].get("answer") is truth
        tally.fact("true/false", ok, f"{label} truth")
        for key in ("trueFeedback", "falseFeedback", "correctFeedback", "incorrectFeedback"):
            fb = field(exp, key)
            if fb:
                ok = view is not None and norm(fb) in view["feedbacks"]
                tally.fact("answer feedback", ok, f"{label} {key}")
    elif kind == "Matching":
        for pair in exp.get("matchPairs") or []:
            left, right = norm(txt(pair.get("subquestion"))), norm(pair.get("subanswer"))
            ok = view is not None and (left, right) in view["pairs"]
            tally.fact("pair", ok, f"{label} pair {right!r}")
    elif kind == "Numerical":
        choices = exp.get("choices")
        items = choices if isinstance(choices, list) else [{"text": choices, "isCorrect": True}]
        for item in items:
            if txt(item.get("text")) == "*":
                fb = field(item, "feedback")
                found = _catch_all(view) if view is not None else None
                ok = found is not None and norm(fb) == norm(found["feedback"])
                tally.fact("answer feedback", ok, f"{label} feedback of any other number")
                continue
            value, rng = _number_of(item.get("text"))
            found = _number_found(view, value, rng)
            tally.fact("number", found is not None, f"{label} number {value!r}")
            if rng is not None:
                ok = found is not None and num_eq(found["tolerance"] or 0, rng)
                tally.fact("tolerance", ok, f"{label} range {rng!r}")
            if item.get("weight") is not None:
                ok = found is not None and num_eq(found["weight"], item["weight"])
                tally.fact("weight", ok, f"{label} weight {item['weight']!r}")
            fb = field(item, "feedback")
            if fb:
                ok = found is not None and norm(fb) == norm(found["feedback"])
                tally.fact("answer feedback", ok, f"{label} feedback {fb!r}")
    elif kind in ("MC", "Short"):
        for item in exp.get("choices") or []:
            text = txt(item.get("text"))
            found = _find_answer(view, text)
            tally.fact("answer", found is not None, f"{label} answer {text!r}")
            if kind == "MC" and text != "*":
                right = bool(item.get("isCorrect"))
                if item.get("weight") is not None:
                    right = item["weight"] > 0
                ok = found is not None and found["right"] == right
                tally.fact("right/wrong", ok, f"{label} right/wrong {text!r}")
            if item.get("weight") is not None:
                ok = (
                    found is not None
                    and found["weight"] is not None
                    and num_eq(found["weight"], item["weight"])
                )
                tally.fact("weight", ok, f"{label} weight {text!r}")
            fb = field(item, "feedback")
            if fb:
                ok = found is not None and norm(fb) == norm(found["feedback"])
                tally.fact("answer feedback", ok, f"{label} feedback of {text!r}")


def _pair(expected: list[dict], views: list[dict]) -> list[dict | None]:
    """For each expected question the imported one with the closest stem, in order."""
    out: list[dict | None] = []
    start = 0
    for exp in expected:
        want = norm(field(exp, "stem"))
        best, best_i, best_r = None, None, 0.6
        for i in range(start, len(views)):
            got = norm(views[i]["stem"])
            r = difflib.SequenceMatcher(None, want, got).ratio()
            if want and got and (want.startswith(got) or got.startswith(want)):
                r = max(r, 0.9)  # the same question, its stem cut short or run on
            if r > best_r:
                best, best_i, best_r = views[i], i, r
            if r == 1.0:
                break
        out.append(best)
        if best_i is not None:
            start = best_i + 1
    return out


def measure(gift: Path, expected: list[dict]) -> Tally:
    tally = Tally()
    try:
        result = import_file(gift, fmt="gift")
        views = [imported_view(q) for q in result.data.get("questions", [])]
    except Exception as exc:  # a file the importer refuses loses all its facts
        print(f"  {gift.name}: import failed: {exc}".splitlines()[0])
        views = []
    questions = [e for e in expected if e.get("type") != "Category"]
    paired = iter(_pair(questions, views))
    category: list[str] | None = None
    for n, exp in enumerate(expected, 1):
        label = f"#{n} {exp.get('type')}"
        if exp.get("type") == "Category":
            parts = str(exp.get("title", "")).split("/")
            # Moodle's own parts ($course$, top) name no topic: not facts.
            category = [p for p in parts if p and "$" not in p and p.casefold() != "top"]
            continue
        view = next(paired)
        check_question(exp, view, tally, label)
        if category is not None:
            ok = view is not None and all(slug(p) in view["tags"] for p in category)
            tally.fact("category", ok, f"{label} category {'/'.join(category)!r}")
            category = None
    return tally


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    if len(args) != 1:
        print(__doc__)
        return 2
    folder = Path(args[0])
    total, intact, files = 0, 0, 0
    kinds: Counter[str] = Counter()
    for gift in sorted(folder.glob("*.gift")):
        expected_path = gift.with_suffix(".json")
        if not expected_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        tally = measure(gift, expected)
        files += 1
        total += tally.expected
        intact += tally.intact
        kinds.update(k for k, _ in tally.lost)
        pct = 100.0 * tally.intact / tally.expected if tally.expected else 100.0
        lost = ", ".join(f"{k} x{c}" for k, c in Counter(k for k, _ in tally.lost).items())
        print(f"{gift.stem:40} {tally.intact:4}/{tally.expected:<4} {pct:6.1f}%  {lost}")
        if verbose:
            for _, what in tally.lost:
                print(f"    lost: {what}")
    pct = 100.0 * intact / total if total else 0.0
    print(f"overall: {files} files, {intact}/{total} facts intact, {pct:.1f}%")
    summary = {
        "files": files,
        "facts": total,
        "intact": intact,
        "percent": round(pct, 1),
        "lost_by_kind": dict(kinds.most_common()),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

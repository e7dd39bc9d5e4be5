"""The kinds of GIFT question (choice, true/false, short, essay, numerical, matching) converted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gmmp_quiz.formats.common import (
    Answer,
    Option,
    choice_data,
    match_pairs,
    number,
    right_options,
    short_data,
    typed_answer,
)
from gmmp_quiz.formats.gift_context import Context
from gmmp_quiz.formats.gift_lexer import RawAnswer, unescape
from gmmp_quiz.i18n import _


class Kinds(Context):
    """One GIFT question converted as the kind its answer braces tell."""

    def choice(self, inner: str) -> None:
        """A multiple-choice question: {=right ~wrong} or weighted answers."""
        answers = self.answers(inner, "=~")
        if answers is None:
            return
        # As in Moodle: a block with an '=' has one answer to pick (any '=' one is right);
        # without, it is "select all that apply", the positive weights being the right ones.
        single = any(a.mark == "=" for a in answers)
        options: list[Option] = []
        seen: dict[str, Option] = {}
        for a in answers:
            text = self.text(a.text)
            if not text:
                self.note(_("an empty choice was dropped"))
                continue
            if text in seen:
                self.note(_("choice {text!r} is repeated: kept once").format(text=text))
                seen[text].weight = max(seen[text].weight, a.weight)
                continue
            seen[text] = Option(text, max(-100.0, min(a.weight, 100.0)), self.text(a.feedback))
            options.append(seen[text])
        if len(options) < 2:
            self.skip(_("a multiple-choice question needs at least 2 choices: skipped"))
            return
        rights = right_options(options, single)
        if not rights:
            self.skip(
                _("a multiple-choice question with no right answer (no '=' or positive %): skipped")
            )
            return
        prompt = self.with_prompt()
        if prompt is None:
            return
        question = choice_data(prompt, options, single, self.note)
        self.finish(question, prompt, [f"{'=' if o in rights else '~'}{o.text}" for o in options])

    def true_false(self, inner: str) -> None:
        """A true/false question: {T} or {FALSE}, with Moodle's two feedbacks."""
        value, *feedback = inner.split("#")
        truth = value.strip().upper() in ("T", "TRUE")
        prompt = self.with_prompt()
        if prompt is None:
            return
        question: dict[str, Any] = {"type": "true_false", "prompt": prompt, "answer": truth}
        # Moodle's order is {T#feedback if wrong#feedback if right}.
        wrong = self.text(feedback[0]) if feedback else ""
        right = self.text(feedback[1]) if len(feedback) > 1 else ""
        if right:
            question["feedback"] = right
        if wrong:
            question["wrong_feedback"] = wrong
        self.finish(question, prompt, [str(truth)])

    def short(self, inner: str) -> None:
        """A short answer ({=a =b}), or a cloze when the braces stand inside the text."""
        answers = self.answers(inner, "=")
        if answers is None:
            return
        accepted: list[Answer] = []
        seen: set[str] = set()
        wrong_feedback = ""
        for a in answers:
            text, wildcard = typed_answer(self.text(a.text))
            feedback = self.text(a.feedback)
            if text == "*" and a.weight <= 0:
                wrong_feedback = feedback  # Moodle's catch-all: feedback for any other answer
                continue
            if not text:
                continue
            if a.weight < 0:
                self.note(
                    _(
                        "answer {text!r} worth {a.weight:g}%: a typed answer costs nothing, 0%"
                    ).format(text=text, a=a)
                )
            if text.casefold() in seen:
                continue
            seen.add(text.casefold())
            accepted.append(Answer(text, max(0.0, min(a.weight, 100.0)), feedback, wildcard))
        best = max(accepted, key=lambda a: a.weight, default=None)
        if best is None or best.weight <= 0:
            self.skip(_("a short-answer question with no right answer: skipped"))
            return
        if best.weight < 100:
            self.note(
                _("no answer is worth 100%: the best, {best.text!r} ({best.weight:g}%), is").format(
                    best=best
                )
            )
            best.weight = 100.0
        if (
            self.has_gap()
            and not wrong_feedback
            and all(a.weight >= 100 and not a.feedback and not a.wildcard for a in accepted)
        ):
            texts = [a.text for a in accepted]
            gap_ok = all("|" not in a and "{{" not in a and "}}" not in a for a in texts)
            around = self.prompt(gap="")
            if gap_ok and "{{" not in around and "}}" not in around:
                gap = "{{" + "|".join(texts) + "}}"
                sentence = self.prompt(gap=gap)
                if sentence.replace(gap, "").strip():
                    self.finish({"type": "cloze", "text": sentence}, sentence, texts)
                    return
        prompt = self.with_prompt()
        if prompt is None:
            return
        question = short_data(prompt, accepted, wrong_feedback)
        self.finish(question, prompt, [a.text for a in accepted])

    def essay(self) -> None:
        """An essay: a self-graded card, the prompt on the front and the teacher's notes behind."""
        prompt = self.with_prompt()
        if prompt is None:
            return
        back = self.text(self.general)
        if not back:
            back = _("(an essay: no model answer was given; judge your own)")
            self.note(_("an essay question without feedback: a flashcard to grade yourself"))
        self.finish({"type": "flashcard", "front": prompt, "back": back}, prompt, [back])

    def numeric(self, inner: str) -> None:
        """A numerical question: {#42}, {#42:0.5}, {#40..44} or several weighted numbers."""
        # `~#feedback` (after the answers) is Moodle's feedback for any other number.
        inner, tilde, wrong = inner.partition("~")
        wrong_feedback = self.text(wrong.strip().removeprefix("#")) if tilde else ""
        if "=" in inner:
            answers = self.answers(inner, "=")
            if answers is None:
                return
        else:
            value, __, feedback = inner.partition("#")
            answers = [RawAnswer("=", 100.0, value, feedback)]
        candidates: list[dict[str, Any]] = []
        for a in answers:
            parsed = self.parse_number(a.text)
            if parsed is None:
                return
            if a.weight < 0:
                self.note(
                    _("a number worth {a.weight:g}%: a typed answer costs nothing, 0%").format(a=a)
                )
            parsed["weight"] = max(0.0, min(a.weight, 100.0))
            feedback = self.text(a.feedback)
            if feedback:
                parsed["feedback"] = feedback
            candidates.append(parsed)
        if not candidates:
            self.error(_("a numerical question without a number: write {#42} or {#42:1}"))
            return
        best = max(candidates, key=lambda c: c["weight"])
        if best["weight"] <= 0:
            self.skip(_("a numerical question with no right answer: skipped"))
            return
        if best["weight"] < 100:
            self.note(
                _("no number is worth 100%: the best ({value:g}%) is").format(value=best["weight"])
            )
        prompt = self.with_prompt()
        if prompt is None:
            return
        question: dict[str, Any] = {"type": "numeric", "prompt": prompt, "answer": best["answer"]}
        if best.get("tolerance"):
            question["tolerance"] = best["tolerance"]
        others = []
        for cand in candidates:
            if cand is best:
                continue
            other = {k: v for k, v in cand.items() if k != "weight" and (k != "tolerance" or v)}
            if cand["weight"] < 100:
                other["weight"] = number(cand["weight"])
            others.append(other)
        if others:
            question["alternatives"] = others
        if best.get("feedback"):
            question["feedback"] = best["feedback"]
        if wrong_feedback:
            question["wrong_feedback"] = wrong_feedback
        self.finish(question, prompt, [repr(c["answer"]) for c in candidates])

    def match(self, inner: str) -> None:
        """A matching question: {=left -> right ...}, a right side alone being a distractor."""
        answers = self.answers(inner, "=")
        if answers is None:
            return
        missing: list[str] = []  # the pair without '->' that ends the reading, if any

        def sides(answers: list[RawAnswer]) -> Iterator[tuple[str, str]]:
            for a in answers:
                if "->" not in a.text:
                    missing.append(a.text)
                    return
                left_raw, __, right_raw = a.text.partition("->")
                if a.feedback.strip():
                    self.note(_("feedback on a matching pair is not kept: a pair has none"))
                yield self.text(left_raw), self.text(right_raw)

        pairs, distractors = match_pairs(sides(answers), self.note, say_all=True)
        if missing:
            self.error(
                _("matching pair {value!r} has no '->'").format(value=unescape(missing[0]).strip())
            )
            return
        if len(pairs) < 2:
            self.skip(_("a matching question needs at least 2 pairs: skipped"))
            return
        prompt = self.with_prompt()
        if prompt is None:
            return
        question: dict[str, Any] = {"type": "match", "prompt": prompt, "pairs": pairs}
        if distractors:
            question["distractors"] = distractors
        self.finish(
            question,
            prompt,
            [f"{p['left']}->{p['right']}" for p in pairs],
        )

"""The YAML checker's part for the kinds with answers: choice, multi, true/false, short, numeric."""

from __future__ import annotations

import difflib
from typing import Any

import yaml

from gmmp_quiz.i18n import _
from gmmp_quiz.sets.nodecheck import NodeChecker, has_key
from gmmp_quiz.sets.rules import (
    ANSWER_FEEDBACK_KEYS,
    CHOICE_KEYS,
    MIN_ALT_WEIGHT,
    MIN_ANSWERS,
    MIN_CHOICE_WEIGHT,
    MIN_CHOICES,
    MIN_TOLERANCE,
    NUMERIC_ALT_KEYS,
    SHORT_ALT_KEYS,
)


class AnswerChecks(NodeChecker):
    """Checks of the kinds whose answer is picked or typed (one method per kind)."""

    # -- choices -----------------------------------------------------------------------------
    def _choices(self, e: dict[str, Any], q: dict[str, Any]) -> list[dict[str, Any]]:
        if "choices" not in e:
            return []
        node = e["choices"][1]
        items = self.sequence(node, "choices")
        if items is None:
            return []
        if not items:
            self.err(node, _("the list of choices is empty"))
        elif len(items) < MIN_CHOICES:
            self.err(node, _("a question needs at least 2 choices"))
        choices: list[dict[str, Any]] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(items, 1):
            choice: dict[str, Any]
            if isinstance(item, yaml.MappingNode) and any(
                isinstance(k, yaml.ScalarNode) and k.value == "text" for k, _ in item.value
            ):
                label = _("choice #{i}").format(i=i)
                sub = self.mapping(item, label, CHOICE_KEYS) or {}
                text = self.text(sub["text"][1], label) if "text" in sub else None
                choice = {"text": text}
                if "feedback" in sub:
                    choice["feedback"] = self.text(sub["feedback"][1], f"{label} feedback")
                if "weight" in sub:
                    choice["weight"] = self.weight(
                        sub["weight"][1], f"{label} weight", MIN_CHOICE_WEIGHT
                    )
            else:
                choice = {"text": self.text(item, _("choice #{i}").format(i=i))}
            if choice["text"] is None:
                continue
            for variant in set(choice["text"].values()):
                if variant in seen:
                    self.err(
                        item,
                        _("choice #{i} repeats choice #{value}").format(i=i, value=seen[variant]),
                    )
                    break
                seen[variant] = i
            choice["node"] = item
            choices.append(choice)
        return choices

    def _match_answer(
        self, node: yaml.Node, choices: list[dict[str, Any]], what: str
    ) -> int | None:
        value = self.text(node, what)
        if value is None:
            return None
        wanted = set(value.values())
        for i, choice in enumerate(choices):
            if wanted & set(choice["text"].values()):
                return i
        shown = next(iter(value.values()))
        near = difflib.get_close_matches(
            shown, [v for c in choices for v in c["text"].values()], n=1
        )
        hint = _("; did you mean {value!r}?").format(value=near[0]) if near else ""
        self.err(
            node,
            _("{what} {shown!r} is not among the choices{hint}").format(
                what=what, shown=shown, hint=hint
            ),
        )
        return None

    def _finish_choices(
        self, q: dict[str, Any], choices: list[dict[str, Any]], right: set[int]
    ) -> None:
        self._check_weights(q["type"], choices, right)
        for c in choices:
            c.pop("node", None)
            if c.get("weight", 0) is None:
                del c["weight"]
        q["choices"] = [dict(c, correct=i in right) for i, c in enumerate(choices)]

    def _check_weights(self, kind: str, choices: list[dict[str, Any]], right: set[int]) -> None:
        """A right choice earns more than a wrong one; a multi's right choices add up to 100."""
        for i, c in enumerate(choices):
            weight = c.get("weight")
            if weight is None:
                continue
            if kind == "choice" and i in right and weight != 100:
                self.err(
                    c["node"],
                    _("the answer earns 100%: its weight cannot be {weight:g}").format(
                        weight=weight
                    ),
                )
            elif kind == "multi" and i in right and weight <= 0:
                self.err(
                    c["node"],
                    _("a right choice must earn something, not {weight:g}%").format(weight=weight),
                )
            elif kind == "multi" and i not in right and weight > 0:
                self.err(
                    c["node"],
                    _("a wrong choice cannot earn {weight:g}%: list it in answers").format(
                        weight=weight
                    ),
                )
        given = [choices[i]["weight"] for i in right if "weight" in choices[i]]
        if kind == "multi" and given:
            if len(given) != len(right):
                self.err(choices[0]["node"], _("give a weight to every right choice, or to none"))
            elif None not in given and abs(sum(given) - 100) > 0.01:
                total = sum(given)
                self.err(
                    choices[0]["node"],
                    _("the right choices' weights add up to {total:g}%, not 100%").format(
                        total=total
                    ),
                )

    def _choice(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        choices = self._choices(e, q)
        right: set[int] = set()
        if "answer" in e and choices:
            index = self._match_answer(e["answer"][1], choices, "answer")
            if index is not None:
                right.add(index)
        self._finish_choices(q, choices, right)

    def _multi(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        choices = self._choices(e, q)
        right: set[int] = set()
        if "answers" in e:
            node = e["answers"][1]
            items = self.sequence(node, "answers")
            if items is not None and len(items) < MIN_ANSWERS:
                self.err(node, _("answers is empty: list the right choices"))
            for item in items or ():
                index = self._match_answer(item, choices, "answer")
                if index is not None:
                    if index in right:
                        self.err(item, _("this answer is listed twice"))
                    right.add(index)
        self._finish_choices(q, choices, right)

    def _true_false(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        if "answer" in e:
            q["answer"] = self.boolean(e["answer"][1], "answer")
        self._answer_feedback(e, q)

    def _answer_feedback(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        """`feedback` (shown for the answer) and `wrong_feedback` (for any other)."""
        for key in ANSWER_FEEDBACK_KEYS:
            if key in e:
                q[key] = self.text(e[key][1], key)

    def _weighted(self, item: yaml.Node, what: str, key: str) -> dict[str, Any] | None:
        """An alternative as a mapping: its `key` (text or answer), weight and feedback."""
        keys = NUMERIC_ALT_KEYS if key == "answer" else SHORT_ALT_KEYS
        sub = self.mapping(item, what, keys)
        if sub is None:
            return None
        alt: dict[str, Any] = {}
        if key not in sub:
            self.err(item, _("{what} has no {key!r}").format(what=what, key=key))
        elif key == "text":
            alt["text"] = self.text(sub["text"][1], what)
        else:
            alt.update(self._numeric_answer(sub["answer"][1], f"{what} answer"))
            if "tolerance" in sub:
                alt["tolerance"] = self._tolerance(sub["tolerance"][1], f"{what} tolerance")
        if "weight" in sub:
            alt["weight"] = self.weight(sub["weight"][1], f"{what} weight", MIN_ALT_WEIGHT)
        if "feedback" in sub:
            alt["feedback"] = self.text(sub["feedback"][1], f"{what} feedback")
        if "wildcard" in sub:
            # `*` in the text stands for any text (Moodle's short-answer wildcard).
            alt["wildcard"] = self.boolean(sub["wildcard"][1], f"{what} wildcard")
        if any(v is None for v in alt.values()) or key not in alt:
            return None
        return alt

    def _short(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        if "answer" in e:
            q["answer"] = self.text(e["answer"][1], "answer")
        if "alternatives" in e:
            alts: list[str] = []
            weighted: list[dict[str, Any]] = []
            for i, item in enumerate(self.sequence(e["alternatives"][1], "alternatives") or (), 1):
                if has_key(item, "text"):
                    alt = self._weighted(item, _("alternative #{i}").format(i=i), "text")
                    if alt is not None:
                        weighted.append(alt)
                    continue
                value = self.text(item, f"alternatives #{i}")
                if value is not None:
                    alts.extend(v for v in value.values() if v not in alts)
            q["alternatives"] = alts
            if weighted:
                q["weighted"] = weighted
        self._answer_feedback(e, q)

    def _numeric(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        if "answer" in e:
            q.update(self._numeric_answer(e["answer"][1], "answer"))
        if "tolerance" in e:
            q["tolerance"] = self._tolerance(e["tolerance"][1], "tolerance")
        if "unit" in e:
            q["unit"] = self.text(e["unit"][1], "unit")
        if "alternatives" in e:
            weighted = []
            for i, item in enumerate(self.sequence(e["alternatives"][1], "alternatives") or (), 1):
                alt = self._weighted(item, _("alternative #{i}").format(i=i), "answer")
                if alt is not None:
                    weighted.append(alt)
            q["weighted"] = weighted
        self._answer_feedback(e, q)

    def _numeric_answer(self, node: yaml.Node, what: str) -> dict[str, Any]:
        """A number, or a range [from, to]: {"answer": x} or {"answer": low, "to": high}."""
        if not isinstance(node, yaml.SequenceNode):
            return {"answer": self.number(node, what)}
        items = self.sequence(node, what) or []
        if len(items) != 2:
            self.err(node, _("{what}: a range is two numbers, [from, to]").format(what=what))
            return {"answer": None}
        low, high = (self.number(item, what) for item in items)
        if low is not None and high is not None and low > high:
            self.err(
                node,
                _("{what}: the range [{low:g}, {high:g}] starts after its end").format(
                    what=what, low=low, high=high
                ),
            )
            return {"answer": None}
        return {"answer": low, "to": high}

    def _tolerance(self, node: yaml.Node, what: str) -> float | None:
        tol = self.number(node, what)
        if tol is not None and tol < MIN_TOLERANCE:
            self.err(node, _("{what} cannot be negative").format(what=what))
        return tol

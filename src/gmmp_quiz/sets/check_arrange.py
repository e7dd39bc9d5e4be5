"""The YAML checker's part for the kinds laid out in parts: flashcard, cloze, order and match."""

from __future__ import annotations

from typing import Any

import yaml

from gmmp_quiz.i18n import _
from gmmp_quiz.model import parse_cloze
from gmmp_quiz.sets.nodecheck import NodeChecker, describe
from gmmp_quiz.sets.rules import (
    GAP_RE,
    MIN_ANY_ORDER,
    MIN_GAP_CHOICES,
    MIN_ITEMS,
    MIN_PAIRS,
    PAIR_KEYS,
)
from gmmp_quiz.sets.yamlread import T_BOOL, T_NULL


class ArrangeChecks(NodeChecker):
    """Checks of the kinds made of parts: card sides, gaps, items to order, pairs to match."""

    def _flashcard(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        for key in ("front", "back"):
            if key in e:
                q[key] = self.text(e[key][1], key)

    def _cloze(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        if "text" not in e:
            return
        node = e["text"][1]
        value = self.text(node, "text")
        if value is None:
            return
        for lang, sentence in value.items():
            where = f"text ({lang})" if len(value) > 1 else "text"
            if "{{" not in sentence:
                self.err(
                    node, _("{where} has no gap: write gaps as {{{{answer}}}}").format(where=where)
                )
                continue
            for m in GAP_RE.finditer(sentence):
                if not [a for a in m.group(1).split("|") if a.strip()]:
                    self.err(
                        node,
                        _("{where}: the gap at {value!r} has no answer").format(
                            where=where, value=m.group(0)
                        ),
                    )
            __, gaps = parse_cloze(sentence)
            rest = GAP_RE.sub("", sentence)
            if "{{" in rest or "}}" in rest:
                self.err(
                    node,
                    _("{where} has an unclosed gap ('{{{{' without '}}}}')").format(where=where),
                )
        q["text"] = value
        if "any_order" in e:
            counts = {len(parse_cloze(sentence)[1]) for sentence in value.values()}
            groups = self._any_order(e["any_order"][1], counts)
            if groups:
                q["any_order"] = groups
        if "options" in e:
            q["options"] = self._gap_options(e["options"][1], value)

    def _any_order(self, node: yaml.Node, counts: set[int]) -> list[list[int]]:
        """`any_order`: true (every gap), or gap numbers as one list or a list of lists."""
        what = "any_order"
        if isinstance(node, yaml.ScalarNode) and node.tag == T_BOOL:
            every = self.boolean(node, what)
            if not every:
                return []
            if len(counts) != 1:
                self.err(
                    node,
                    _("{what}: true needs the same number of gaps in every language").format(
                        what=what
                    ),
                )
                return []
            n = counts.pop()
            if n < MIN_ANY_ORDER:
                self.err(
                    node,
                    _("{what}: true needs at least 2 gaps, the text has {n}").format(
                        what=what, n=n
                    ),
                )
                return []
            return [list(range(1, n + 1))]
        if not isinstance(node, yaml.SequenceNode):
            self.err(
                node,
                _("{what} must be true, false or a list of gap numbers, not {found}").format(
                    what=what, found=describe(node)
                ),
            )
            return []
        items = self.sequence(node, what)
        if items is None:
            return []
        if items and all(isinstance(item, yaml.SequenceNode) for item in items):
            raw = [(item, self.sequence(item, f"{what} group") or []) for item in items]
        else:
            raw = [(node, items)]
        most = min(counts) if counts else 0
        groups: list[list[int]] = []
        seen: set[int] = set()
        for group_node, members in raw:
            group: list[int] = []
            for member in members:
                number = self.number(member, f"{what} gap number")
                if number is None:
                    continue
                if not number.is_integer() or not 1 <= number <= most:
                    self.err(
                        member,
                        _("{what}: {member.value!r} is not a gap number (1 to {most})").format(
                            what=what, member=member, most=most
                        ),
                    )
                    continue
                if int(number) in seen:
                    self.err(
                        member,
                        _("{what}: gap {value} is listed twice").format(
                            what=what, value=int(number)
                        ),
                    )
                    continue
                seen.add(int(number))
                group.append(int(number))
            if len(members) < MIN_ANY_ORDER:
                self.err(
                    group_node, _("{what}: a group needs at least 2 gap numbers").format(what=what)
                )
            elif len(group) == len(members):
                groups.append(sorted(group))
        return groups

    def _gap_options(self, node: yaml.Node, value: dict[str, str]) -> list[Any]:
        """One entry per gap: null (typed) or the choices offered, the gap's answer among them."""
        items = self.sequence(node, "options") or []
        gaps = parse_cloze(value.get(self.language) or next(iter(value.values())))[1]
        if len(items) != len(gaps):
            self.err(
                node,
                _(
                    "options has {count} entries for {value} gap(s): one per gap (null for a "
                    "gap to type)"
                ).format(count=len(items), value=len(gaps)),
            )
        out: list[Any] = []
        for i, (item, gap) in enumerate(zip(items, gaps, strict=False), 1):
            if isinstance(item, yaml.ScalarNode) and item.tag == T_NULL and self.visit(item):
                out.append(None)
                continue
            texts = self.texts(item, f"options #{i}", min_items=MIN_GAP_CHOICES)
            self.no_repeats(item, texts, f"options #{i}")
            if gap.answers and not any(gap.answers[0] in t.values() for t in texts):
                self.err(
                    item,
                    _("options #{i} does not offer the gap's answer {value!r}").format(
                        i=i, value=gap.answers[0]
                    ),
                )
            out.append(texts)
        return out

    def _order(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        if "items" in e:
            q["items"] = self.texts(e["items"][1], "items", min_items=MIN_ITEMS)
            self.no_repeats(e["items"][1], q["items"], "items")

    def _match(self, e: dict[str, Any], q: dict[str, Any]) -> None:
        if "pairs" not in e:
            return
        node = e["pairs"][1]
        items = self.sequence(node, "pairs")
        if items is None:
            return
        if len(items) < MIN_PAIRS:
            self.err(
                node, _("pairs needs at least 2 entries, has {count}").format(count=len(items))
            )
        pairs: list[dict[str, dict[str, str]]] = []
        for i, item in enumerate(items, 1):
            sub = self.mapping(item, _("pair #{i}").format(i=i), PAIR_KEYS)
            if sub is None:
                continue
            pair: dict[str, dict[str, str] | None] = {}
            for side in PAIR_KEYS:
                if side not in sub:
                    self.err(item, _("pair #{i} has no {side!r}").format(i=i, side=side))
                else:
                    pair[side] = self.text(sub[side][1], f"pair #{i} {side}")
            left, right = pair.get("left"), pair.get("right")
            if left and right:
                pairs.append({"left": left, "right": right})
        self.no_repeats(node, [p["left"] for p in pairs], "left items")
        rights = [p["right"] for p in pairs]
        if "distractors" in e:
            # Right-hand items with no left partner: shown among the answers, never right.
            q["distractors"] = self.texts(e["distractors"][1], "distractors")
            rights += q["distractors"]
        self.no_repeats(node, rights, "right items")
        q["pairs"] = pairs

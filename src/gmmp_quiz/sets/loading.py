"""Load question sets: files -> checked data (validation, parse cache) -> model; discovery."""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.files import os_reason
from gmmp_quiz.i18n import _
from gmmp_quiz.model import Accepted, Choice, Kind, LText, Pair, Question, QuestionSet

# The validator and the YAML reader are imported where a file is parsed: sets read from the
# parse cache (every start but the first) need neither, nor PyYAML (about 30 ms).

# -- plain data -> model --------------------------------------------------------------------


class LazyQuestions(Sequence[Question]):
    """A set's questions, built from checked data on first use: listing sets needs only counts."""

    def __init__(self, data: dict[str, Any]) -> None:
        questions = data["questions"]
        self._head = {key: value for key, value in data.items() if key != "questions"}
        self._ids = tuple(q["id"] for q in questions)
        # A marshal blob per question instead of its dicts and strings: several times less
        # memory for sets never built (a learner's bank of thousands of questions), and a
        # question is read back in microseconds when built.
        self._blobs = [marshal.dumps(q) for q in questions]
        self._built: tuple[Question, ...] | None = None

    def ids(self) -> tuple[str, ...]:
        """The question ids, without building the questions."""
        return self._ids

    def pick(self, indices: Sequence[int]) -> tuple[Question, ...]:
        """The questions at `indices`, without building the others (unless all are built)."""
        if self._built is not None:
            return tuple(self._built[i] for i in indices)
        return self._build([self._blobs[i] for i in indices])

    def outline(self) -> list[tuple[str, tuple[str, ...], LText | None]]:
        """Each question's id, tags and source (as built), without building the questions."""
        if self._built is not None:
            return [(q.id, q.tags, q.source) for q in self._built]
        lang = self._head["language"]
        rows = []
        for blob in self._blobs:
            q = marshal.loads(blob)
            source = q.get("source")
            tags = tuple(q.get("tags", ()))
            rows.append((q["id"], tags, None if source is None else LText(source, lang)))
        return rows

    def _build(self, blobs: Iterable[bytes]) -> tuple[Question, ...]:
        return build_questions({**self._head, "questions": [marshal.loads(b) for b in blobs]})

    def _all(self) -> tuple[Question, ...]:
        if self._built is None:
            self._built = self._build(self._blobs)
            # Built, the blobs would only be a second copy of the questions.
            self._blobs = []
        return self._built

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index):  # type: ignore[no-untyped-def]  # noqa: ANN001, D105
        return self._all()[index]

    def __iter__(self) -> Iterator[Question]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, Sequence) else NotImplemented

    __hash__ = None  # type: ignore[assignment]


def build_questions(data: dict[str, Any]) -> tuple[Question, ...]:
    """The questions of a checked set."""
    lang = data["language"]

    def lt(value: dict[str, str] | None) -> LText | None:
        return None if value is None else LText(value, lang)

    questions = []
    for q in data["questions"]:
        kind = Kind(q["type"])
        fields: dict[str, Any] = {
            "id": q["id"],
            "kind": kind,
            "prompt": lt(q.get("front") if kind is Kind.FLASHCARD else q.get("prompt"))
            or LText({lang: ""}, lang),
            "explanation": lt(q.get("explanation")),
            "background": lt(q.get("background")),
            "source": lt(q.get("source")),
            "tags": tuple(q.get("tags", ())),
            "shuffle": q.get("shuffle", data["shuffle"]),
            "strict_accents": q.get("strict_accents", data["strict_accents"]),
            "line": q.get("line", 0),
        }
        if kind is Kind.FLASHCARD:
            fields["back"] = lt(q["back"])
        elif kind in (Kind.CHOICE, Kind.MULTI):
            fields["choices"] = tuple(
                Choice(LText(c["text"], lang), c["correct"], lt(c.get("feedback")), c.get("weight"))
                for c in q["choices"]
            )
        elif kind is Kind.TRUE_FALSE:
            fields["truth"] = q["answer"]
        elif kind is Kind.SHORT:
            fields["answer"] = lt(q["answer"])
            fields["alternatives"] = tuple(q.get("alternatives", ()))
        elif kind is Kind.NUMERIC:
            fields["number"] = q["answer"]
            fields["number_to"] = q.get("to")
            fields["tolerance"] = q.get("tolerance") or 0.0
            fields["unit"] = lt(q.get("unit"))
        if kind in (Kind.TRUE_FALSE, Kind.SHORT, Kind.NUMERIC):
            fields["feedback"] = lt(q.get("feedback"))
            fields["wrong_feedback"] = lt(q.get("wrong_feedback"))
            fields["weighted"] = tuple(
                Accepted(
                    texts=tuple(dict.fromkeys(a["text"].values())) if "text" in a else (),
                    number=a.get("answer"),
                    to=a.get("to"),
                    tolerance=a.get("tolerance") or 0.0,
                    weight=a.get("weight", 100.0),
                    feedback=lt(a.get("feedback")),
                    wildcard=a.get("wildcard", False),
                )
                for a in q.get("weighted", ())
            )
        elif kind is Kind.CLOZE:
            fields["cloze"] = lt(q["text"])
            # The file numbers gaps from 1; the model indexes them from 0.
            fields["any_order"] = tuple(
                tuple(n - 1 for n in group) for group in q.get("any_order", ())
            )
            fields["gap_options"] = tuple(
                None if opts is None else tuple(LText(v, lang) for v in opts)
                for opts in q.get("options", ())
            )
        elif kind is Kind.ORDER:
            fields["items"] = tuple(LText(v, lang) for v in q["items"])
        elif kind is Kind.MATCH:
            fields["pairs"] = tuple(
                Pair(LText(p["left"], lang), LText(p["right"], lang)) for p in q["pairs"]
            )
            fields["distractors"] = tuple(LText(v, lang) for v in q.get("distractors", ()))
        questions.append(Question(**fields))
    return tuple(questions)


def build_set(data: dict[str, Any], path: str = "", shipped: bool = False) -> QuestionSet:
    """The model of a checked set (from check_text, or from the cache); questions built lazily."""
    lang = data["language"]

    def lt(value: dict[str, str] | None) -> LText | None:
        return None if value is None else LText(value, lang)

    return QuestionSet(
        id=data["id"],
        title=LText(data["title"], lang),
        language=lang,
        questions=LazyQuestions(data),  # type: ignore[arg-type]
        description=lt(data.get("description")),
        source=lt(data.get("source")),
        tags=tuple(data.get("tags", ())),
        tag_names={tag: LText(text, lang) for tag, text in data.get("tag_names", {}).items()},
        shuffle=data["shuffle"],
        strict_accents=data["strict_accents"],
        path=path,
        shipped=shipped,
        id_at=tuple(data.get("id_at", (1, 1))),
    )


def load_text(text: str, path: str = "<string>", *, shipped: bool = False) -> QuestionSet:
    """Validate YAML text and build its set; raises ValidationError with every problem."""
    from gmmp_quiz.sets.validation import check_text

    return build_set(check_text(text, path), path, shipped)


def read_text(path: Path) -> str:
    """A set file's text, with size, encoding and I/O problems as ValidationError."""
    from gmmp_quiz.sets.cache import read_raw
    from gmmp_quiz.sets.yamlread import decode

    raw, _stat = read_raw(path)
    return decode(raw, str(path))


def load_set(path: Path, *, shipped: bool = False, use_cache: bool = True) -> QuestionSet:
    """Load one set file (through the parse cache when allowed); raises ValidationError."""
    if use_cache:
        from gmmp_quiz.sets import cache

        return cache.load(path, lambda data: build_set(data, str(path), shipped))
    return load_text(read_text(path), str(path), shipped=shipped)


# -- discovery ------------------------------------------------------------------------------


@dataclass
class Discovery:
    """The sets found in every questions directory, and the files that failed."""

    sets: list[QuestionSet]
    errors: dict[str, list[Problem]]

    def get(self, set_id: str) -> QuestionSet | None:
        """The loaded set with this id."""
        for s in self.sets:
            if s.id == set_id:
                return s
        return None


def set_files(directory: Path) -> Iterator[Path]:
    """The YAML files of a directory (sorted, not recursive)."""
    if not directory.is_dir():
        return iter(())
    return iter(
        sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    )


def discover_sets(
    extra_dirs: list[Path] | tuple[Path, ...] = (), *, use_cache: bool = True, user: bool = True
) -> Discovery:
    """Shipped sets, then $GMMP_QUIZ_HOME/questions, then extra dirs; a bad file stops no other."""
    from gmmp_quiz import paths

    found = Discovery([], {})
    by_id: dict[str, str] = {}
    seen_files: set[Path] = set()
    for n, directory in enumerate(paths.set_dirs(extra_dirs, user=user)):
        shipped = n == 0
        try:
            files = list(set_files(directory))
        except OSError as exc:
            # An unreadable folder (say one left owned by root) is named; the others still load.
            message = _("cannot read this folder: {reason}").format(reason=os_reason(exc))
            found.errors[str(directory)] = [Problem(str(directory), 0, 0, message)]
            continue
        for file in files:
            try:
                resolved = file.resolve()
            except (OSError, RuntimeError):  # a symlink loop
                resolved = file.absolute()
            if resolved in seen_files:
                continue
            seen_files.add(resolved)
            try:
                qset = load_set(file, shipped=shipped, use_cache=use_cache)
            except ValidationError as exc:
                found.errors[str(file)] = exc.problems
                continue
            if qset.id in by_id:
                line, col = qset.id_at
                message = _("set id {qset.id!r} is already used by {value}").format(
                    qset=qset, value=by_id[qset.id]
                )
                found.errors[str(file)] = [Problem(str(file), line, col, message)]
                continue
            by_id[qset.id] = str(file)
            found.sets.append(qset)
    if use_cache and user:
        from gmmp_quiz.sets import cache

        # Entries of renamed or deleted files would pile up, each about its file's size.
        cache.prune(seen_files)
    return found

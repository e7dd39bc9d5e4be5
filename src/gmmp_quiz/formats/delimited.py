"""Anki text exports and CSV/TSV files: one card per record, front and back (and tags, deck...)."""

from __future__ import annotations

import csv
import io
import operator
import re
from collections import Counter
from typing import Any

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.formats.common import (
    IdAllocator,
    ImportResult,
    Notes,
    common_prefix,
    content_id,
    id_from_label,
    tag_word,
    unique,
)
from gmmp_quiz.i18n import _

_DIRECTIVE_RE = re.compile(
    r"^#(separator|html|tags|columns|notetype|deck|guid column|notetype column|deck column|"
    r"tags column|if matches):(.*)$",
    re.IGNORECASE,
)
_SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_CANDIDATES = ("\t", ";", ",", "|")
_ANKI_CLOZE_RE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
# Header names people use, lower-cased, for a plain first row like "front,back,tags".
_ROLE_NAMES = {
    "front": {"front", "question", "questions", "recto", "prompt", "term", "word", "text", "q",
              "frage", "pregunta", "domanda", "vraag", "pergunta", "vorderseite", "face"},
    "back": {"back", "answer", "answers", "verso", "definition", "meaning", "a", "réponse",
             "reponse", "antwort", "respuesta", "risposta", "antwoord", "resposta", "rückseite"},
    "tags": {"tags", "tag", "étiquettes", "etiquettes"},
    "deck": {"deck", "paquet"},
    "guid": {"guid", "id", "note id", "noteid"},
    "notetype": {"notetype", "note type", "type", "model"},
    "explanation": {"explanation", "extra", "back extra", "notes", "note", "comment", "comments",
                    "explication", "remarque"},
}  # fmt: skip
_ROLE_OF = {name: role for role, names in _ROLE_NAMES.items() for name in names}
_MAX_TYPED = 100
_ANSWER_HR_RE = re.compile(r"<hr\s+id\s*=\s*[\"']?answer[\"']?\s*/?>", re.IGNORECASE)
_HR_RE = re.compile(r"<hr\s*/?>", re.IGNORECASE)
# The fields a record is read for, in the order parse() unpacks them.
_ROLES = ("front", "back", "explanation", "notetype", "tags", "deck", "guid")


def _separator(value: str, path: str, line: int) -> str:
    value = value.strip()
    if value.lower() in _SEPARATORS:
        return _SEPARATORS[value.lower()]
    if len(value) == 1:
        return value
    if value == "\\t":
        return "\t"
    raise ValidationError(
        [Problem(path, line, 0, _("unknown separator {value!r}").format(value=value))]
    )


def _sniff(sample: str) -> str | None:
    """The separator that splits the sample lines most consistently into 2 or more fields."""
    best: tuple[int, int, int] | None = None
    choice = None
    for rank, sep in enumerate(_CANDIDATES):
        try:
            rows = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=sep) if r]
        except csv.Error:
            continue
        counts = Counter(len(r) for r in rows)
        multi = sum(n for width, n in counts.items() if width >= 2)
        if not multi:
            continue
        modal = max(n for width, n in counts.items() if width >= 2)
        score = (multi, modal, -rank)
        if best is None or score > best:
            best, choice = score, sep
    return choice


class _Columns:
    """Which column (0-based) holds what."""

    def __init__(self) -> None:
        self.roles: dict[str, int] = {}
        self.ignored: list[int] = []

    def set(self, role: str, index: int) -> None:
        if role not in self.roles and index >= 0:
            self.roles[role] = index

    def complete(self, width: int, names: list[str] | None) -> None:
        """Give front and back to the first columns without a role; the rest are ignored."""
        taken = set(self.roles.values())
        free = [i for i in range(width) if i not in taken]
        if names is not None:
            free_named = [
                i for i in free if i >= len(names) or _ROLE_OF.get(names[i].strip().lower()) is None
            ]
        else:
            free_named = free
        for role in ("front", "back"):
            if role not in self.roles and free_named:
                self.roles[role] = free_named.pop(0)
        taken = set(self.roles.values())
        self.ignored = [i for i in range(width) if i not in taken]


def parse(text: str, path: str, fmt: str = "anki", typed: bool = False) -> ImportResult:
    """Import an Anki text export or a CSV/TSV file of front/back cards."""
    notes = Notes(path)
    text = text.removeprefix("\ufeff")
    stream = io.StringIO(text, newline="")
    directives: dict[str, tuple[str, int]] = {}
    offset = 0
    body_start = 0
    for physical in stream:
        m = _DIRECTIVE_RE.match(physical.rstrip("\r\n"))
        if not m:
            break
        offset += 1
        body_start += len(physical)
        directives[m.group(1).lower()] = (m.group(2), offset)
    body = text[body_start:]

    sep: str | None = None
    if "separator" in directives:
        value, line = directives["separator"]
        sep = _separator(value, path, line)
    elif fmt == "tsv":
        sep = "\t"
    else:
        sample = "\n".join(body.splitlines()[:20])
        sep = _sniff(sample) or ("," if fmt == "csv" else "\t")

    html_mode: bool | None = None
    if "html" in directives:
        html_mode = directives["html"][0].strip().lower() == "true"

    cols = _Columns()
    names: list[str] | None = None
    for role in ("guid", "notetype", "deck", "tags"):
        key = f"{role} column"
        if key in directives:
            value, line = directives[key]
            try:
                index = int(value.strip()) - 1
            except ValueError:
                raise ValidationError(
                    [
                        Problem(
                            path,
                            line,
                            0,
                            _("#{key}: {value!r} is not a column number").format(
                                key=key, value=value.strip()
                            ),
                        )
                    ]
                ) from None
            if index < 0:
                raise ValidationError(
                    [Problem(path, line, 0, _("#{key}: columns start at 1").format(key=key))]
                )
            cols.set(role, index)
    if "columns" in directives:
        names = next(csv.reader([directives["columns"][0]], delimiter=sep), [])
    global_tags = directives["tags"][0].split() if "tags" in directives else []
    global_deck = directives["deck"][0].strip() if "deck" in directives else ""
    global_type = directives["notetype"][0].strip() if "notetype" in directives else ""

    records = _records(body, sep, offset, path)
    if names is None and records:
        first = [f.strip().lower() for f in records[0][1]]
        roles = [_ROLE_OF.get(f) for f in first]
        if all(roles) and ({"front", "back"} & set(roles)):
            names = records[0][1]
            records = records[1:]
    if names is not None:
        for i, name in enumerate(names):
            role = _ROLE_OF.get(name.strip().lower())
            if role:
                cols.set(role, i)
    width = max((len(r) for _, r in records), default=0)
    if names is not None:
        width = max(width, len(names))
    for role, index in list(cols.roles.items()):
        # A column past every row is empty: padding each row out to it would cost memory
        # in proportion to the number written in the header, not to the file.
        if index >= width:
            del cols.roles[role]
            notes.add(
                directives.get(f"{role} column", ("", 0))[1],
                _(
                    "#{role} column:{value}, but no row has more than {width} column(s): ignored"
                ).format(role=role, value=index + 1, width=width),
            )
    cols.complete(width, names)
    if cols.ignored:
        shown = ", ".join(str(i + 1) for i in cols.ignored)
        notes.add(
            records[0][0] if records else 1,
            _(
                "column(s) {shown} not imported (name the columns with a header row "
                "front/back/tags/deck/explanation or '#tags column:N')"
            ).format(shown=shown),
        )

    ids = IdAllocator(notes)
    questions: list[dict[str, Any]] = []
    prefix = ""
    if "guid" in cols.roles:
        index = cols.roles["guid"]
        prefix = common_prefix(
            [row[index].strip() if index < len(row) else "" for _, row in records]
        )
    # Each row is cut or padded to the used columns plus one empty field, which the roles
    # without a column read.
    used = max(cols.roles.values(), default=0) + 1
    pick = operator.itemgetter(*(cols.roles.get(role, used) for role in _ROLES))
    padding = [""] * (used + 1)
    for line, row in records:
        fields = row[:used]
        fields += padding[len(fields) :]
        front, back, extra, notetype, tag_field, deck, guid = pick(fields)
        q = card_question(
            front, back, extra, notetype or global_type, line, notes, html_mode, typed
        )
        if q is None:
            continue
        tags = list(global_tags)
        tags += tag_field.split()
        deck = deck.strip() or global_deck
        if deck:
            tags.append(tag_word(deck))
        guid = guid.strip()
        if guid:
            wanted = id_from_label(guid[len(prefix) :])
        else:
            key = q.get("front") or q.get("prompt") or q.get("text") or ""
            wanted = content_id(key, [str(q.get("back") or q.get("answer") or "")])
        data: dict[str, Any] = {"id": ids.allocate(wanted, line)}
        data.update(q)
        tags = unique([t for t in tags if t])
        if tags:
            data["tags"] = tags
        questions.append(data)
    if not questions:
        raise ValidationError(
            [
                Problem(
                    path, 0, 0, _("no card could be imported: each line needs a front and a back")
                )
            ]
            + notes.items[:20]
        )
    result: dict[str, Any] = {"questions": questions}
    if global_deck:
        result["title"] = global_deck.split("::")[-1].strip()
    return ImportResult(result, notes.items, notes.skipped, fmt)


def _records(body: str, sep: str, offset: int, path: str) -> list[tuple[int, list[str]]]:
    """The non-empty records with the physical line each starts on."""
    for strict in (True, False):
        reader = csv.reader(io.StringIO(body, newline=""), delimiter=sep, strict=strict)
        records: list[tuple[int, list[str]]] = []
        before = 0
        try:
            for row in reader:
                start = offset + before + 1
                before = reader.line_num
                if row and any(f.strip() for f in row):
                    records.append((start, row))
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                line = offset + before + 1
                raise ValidationError(
                    [Problem(path, line, 0, _('a quoted field is never closed (a lone ")'))]
                ) from None
            if strict:
                continue  # stray quotes inside fields: read them as Anki does, literally
            line = offset + reader.line_num
            reason = _("cannot read this record: {exc}").format(exc=_csv_reason(exc))
            raise ValidationError([Problem(path, line, 0, reason)]) from None
        return records
    return []


def card_question(
    front: str,
    back: str,
    extra: str,
    notetype: str,
    line: int,
    notes: Notes,
    html_mode: bool | None,
    typed: bool,
) -> dict[str, Any] | None:
    """One card's fields as question data (None when skipped, with a note)."""
    # Anki's card exports repeat the front above `<hr id=answer>` on the back; a single field
    # may hold both sides, cut by that line or by a plain <hr>.
    m = _ANSWER_HR_RE.search(back)
    if m:
        back = back[m.end() :]
    elif not back.strip():
        m = _ANSWER_HR_RE.search(front) or _HR_RE.search(front)
        if m:
            front, back = front[: m.start()], front[m.end() :]
    front = notes.text(front, line, html_mode)
    back = notes.text(back, line, html_mode)
    extra = notes.text(extra, line, html_mode)
    if _ANKI_CLOZE_RE.search(front) or "cloze" in notetype.lower():
        return _cloze(front, back, extra, line, notes)
    if not front:
        notes.skip(line, _("a card without a front: skipped"))
        return None
    if not back:
        notes.skip(line, _("a card without a back: skipped"))
        return None
    q: dict[str, Any]
    if typed and "\n" not in back and len(back) <= _MAX_TYPED:
        q = {"type": "short", "prompt": front, "answer": back}
    else:
        if typed:
            notes.add(line, _("the back is too long to type: kept as a flashcard"))
        q = {"type": "flashcard", "front": front, "back": back}
    if extra:
        q["explanation"] = extra
    return q


def _cloze(text: str, back: str, extra: str, line: int, notes: Notes) -> dict[str, Any] | None:
    """An Anki cloze note ({{c1::answer::hint}}) as a cloze question (hints dropped)."""
    gaps = 0
    hints = 0

    def gap(m: re.Match[str]) -> str:
        nonlocal gaps, hints
        answer = m.group(1).strip()
        if not answer or "|" in answer or "{{" in answer or "}}" in answer:
            return m.group(0)
        gaps += 1
        if m.group(2):
            hints += 1
        return "{{" + answer + "}}"

    sentence = _ANKI_CLOZE_RE.sub(gap, text)
    rest = re.sub(r"\{\{.*?\}\}", "", sentence, flags=re.DOTALL)
    if not gaps or "{{" in rest or "}}" in rest or not rest.strip():
        notes.skip(line, _("a cloze note without a usable {{c1::...}} gap: skipped"))
        return None
    if hints:
        notes.add(line, _("cloze hints (::hint) dropped"))
    q: dict[str, Any] = {"type": "cloze", "text": sentence}
    explanation = "\n".join(t for t in (back, extra) if t)
    if explanation:
        q["explanation"] = explanation
    return q


def _csv_reason(exc: csv.Error) -> str:
    """The csv module's complaint (English) told in the interface language."""
    said = str(exc)
    if "field larger than field limit" in said:
        return _("a field is too long (more than {n} characters)").format(n=csv.field_size_limit())
    if "expected after" in said:
        return _('a quote in the middle of a quoted field (write it twice: "")')
    if "NUL" in said:
        return _("a NUL character")
    if "new-line character" in said:
        return _("a line break inside an unquoted field")
    return _("the record is not well-formed")

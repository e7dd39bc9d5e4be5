"""Compile a gettext .po catalogue into .mo bytes with the standard library alone.

The build compiles the shipped catalogues with it, and a source checkout compiles them in memory
when no .mo was built; Babel is only needed to extract and update the catalogues.
"""

from __future__ import annotations

import ast
import struct


def parse_po(text: str) -> dict[str, str]:
    """The translated entries of a .po text, keyed as in a .mo file.

    Keys are `msgid`, `msgctxt\\x04msgid`, or `msgid\\x00msgid_plural` for plurals, whose value
    joins the forms with NUL. Fuzzy and untranslated entries are left out, as msgfmt does.
    """
    entries: dict[str, str] = {}
    fields: dict[str, str] = {}
    fuzzy = False
    current: str | None = None

    def flush() -> None:
        nonlocal fuzzy
        if "msgid" in fields:
            _add(entries, fields, fuzzy)
        fields.clear()
        fuzzy = False

    for raw in text.splitlines():
        line = raw.strip()
        done = any(k.startswith("msgstr") for k in fields)
        if not line or line.startswith("#"):
            if done or not line:
                flush()  # an entry ends at a blank line or at the comments of the next one
                current = None
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        if line.startswith('"'):
            if current is not None:
                fields[current] += ast.literal_eval(line)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and done:
            flush()
        current = keyword
        fields[keyword] = ast.literal_eval(rest.strip())
    flush()
    return entries


def _add(entries: dict[str, str], fields: dict[str, str], fuzzy: bool) -> None:
    msgid = fields["msgid"]
    if fuzzy and msgid:  # the header stays even when marked fuzzy
        return
    if "msgid_plural" in fields:
        forms = [fields[k] for k in sorted(k for k in fields if k.startswith("msgstr["))]
        if not all(forms):
            return
        key, value = f"{msgid}\0{fields['msgid_plural']}", "\0".join(forms)
    else:
        key, value = msgid, fields.get("msgstr", "")
        if not value:
            return
    if "msgctxt" in fields:
        key = f"{fields['msgctxt']}\x04{key}"
    entries[key] = value


def compile_po(text: str) -> bytes:
    """The .mo bytes (little-endian, no hash table) of a .po text."""
    entries = parse_po(text)
    keys = sorted(entries, key=lambda k: k.encode("utf-8"))
    ids = [k.encode("utf-8") for k in keys]
    strs = [entries[k].encode("utf-8") for k in keys]
    count = len(keys)
    ids_start = 7 * 4 + 16 * count
    offsets: list[tuple[int, int, int, int]] = []
    id_data = b""
    str_data = b""
    for msgid, msgstr in zip(ids, strs, strict=True):
        offsets.append((len(id_data), len(msgid), len(str_data), len(msgstr)))
        id_data += msgid + b"\0"
        str_data += msgstr + b"\0"
    strs_start = ids_start + len(id_data)
    id_table = b"".join(struct.pack("<2I", n, ids_start + o) for o, n, _, _ in offsets)
    str_table = b"".join(struct.pack("<2I", n, strs_start + o) for _, _, o, n in offsets)
    header = struct.pack("<7I", 0x950412DE, 0, count, 28, 28 + 8 * count, 0, 0)
    return header + id_table + str_table + id_data + str_data

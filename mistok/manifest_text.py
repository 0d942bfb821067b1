"""``manifest.json``'s text, written and read a section at a time.

A run's manifest lists a content key per input article and a digest per output file: at
50,000 articles a side, 200,000 entries. Its text is ``json.dumps(manifest,
ensure_ascii=False, indent=2, sort_keys=True) + "\\n"``, and :func:`manifest_chunks` writes
that very text from entries that arrive one at a time in key order (from a database, a
file), so the manifest is never one dictionary, nor one string, in memory.

:func:`read_manifest` reads it back the same way: the large sections (objects of strings,
one entry a line in that form) are handed over entry by entry and left out of the document
it returns. A file in another form (written by hand, by another tool) is parsed whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from json.decoder import scanstring
from json.encoder import encode_basestring
from pathlib import Path

__all__ = ["manifest_chunks", "read_manifest"]

#: Bytes of text gathered before they are handed on as one chunk.
CHUNK_CHARS = 1 << 16

_MEMBER = '    "'  # an entry of a section: indented twice
_TOP = '  "'  # a member of the document: indented once


def manifest_chunks(
    fields: Mapping[str, object], sections: Mapping[str, Iterable[tuple[str, str]]]
) -> Iterator[bytes]:
    """The UTF-8 bytes of ``json.dumps(document, ensure_ascii=False, indent=2,
    sort_keys=True) + "\\n"``, where ``document`` is ``fields`` with each of ``sections`` as
    an object of its ``(key, value)`` strings. Each section's entries must come in sorted
    key order, each key once (a :class:`ValueError` otherwise: the text would not be that
    of the document)."""
    clash = set(fields) & set(sections)
    if clash:
        raise ValueError(f"manifest: {sorted(clash)} given both as fields and as sections")
    parts: list[str] = []
    size = 0
    separator = "{\n  "
    for name in sorted({*fields, *sections}):
        parts.append(separator + encode_basestring(name) + ": ")
        separator = ",\n  "
        if name not in sections:
            parts.append(_nested(fields[name]))
            continue
        opening, previous = "{\n    ", None
        for key, value in sections[name]:
            if previous is not None and key <= previous:
                raise ValueError(f"manifest: {name} entry {key!r} comes after {previous!r}")
            text = opening + encode_basestring(key) + ": " + encode_basestring(value)
            parts.append(text)
            opening, previous = ",\n    ", key
            size += len(text)
            if size >= CHUNK_CHARS:
                yield "".join(parts).encode("utf-8")
                parts, size = [], 0
        parts.append("{}" if previous is None else "\n  }")
    parts.append("{}\n" if separator == "{\n  " else "\n}\n")
    yield "".join(parts).encode("utf-8")


def _nested(value: object) -> str:
    """The indented JSON text of a member of the document (each line after its first one
    step further in)."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n  ")


class _OtherForm(Exception):
    """The file is not in the indented, key-sorted form :func:`manifest_chunks` writes."""


def read_manifest(
    path: Path,
    sections: Collection[str],
    take: Callable[[str, str, str], None] | None = None,
    forget: Callable[[], None] | None = None,
) -> object:
    """The JSON document in ``path``, with each of ``sections`` that is an object of
    strings handed to ``take(section, key, value)`` entry by entry and left in the document
    as an empty object. A file found to be in another form than :func:`manifest_chunks`'s
    after some entries went to ``take`` is parsed whole: ``forget()`` is called, then every
    entry is handed over again. Raises :class:`ValueError` when it is not JSON (and
    :class:`OSError` when it cannot be read)."""
    with open(path, encoding="utf-8") as handle:
        try:
            return _read_indented(handle, sections, take)
        except _OtherForm:
            handle.seek(0)
            text = handle.read()
    if forget is not None:
        forget()
    document = json.loads(text)
    del text
    if isinstance(document, dict):
        for name in sections:
            section = document.get(name)
            if isinstance(section, dict) and all(isinstance(v, str) for v in section.values()):
                for key, value in section.items() if take is not None else ():
                    take(name, key, value)
                document[name] = {}
    return document


def _read_indented(
    lines: Iterable[str], sections: Collection[str], take: Callable[[str, str, str], None] | None
) -> object:
    """:func:`read_manifest` for a file in :func:`manifest_chunks`'s form (:class:`_OtherForm`
    as soon as it is found not to be)."""
    iterator = iter(lines)
    if next(iterator, None) != "{\n":
        raise _OtherForm
    head: list[str] = ["{\n"]
    section: str | None = None
    opening = ""
    previous: str | None = None
    more = True  # whether the last entry was followed by a comma
    for line in iterator:
        if section is not None:
            if line.startswith(_MEMBER):
                if not more:  # the entry before ended the section (no comma)
                    raise _OtherForm
                key, value, more = _entry(line)
                if previous is not None and key <= previous:
                    raise _OtherForm
                if take is not None:
                    take(section, key, value)
                previous = key
            elif line in ("  }\n", "  },\n") and not more and previous is not None:
                head.append(opening + "{}" + line[3:])
                section = None
            else:
                raise _OtherForm
        elif line.startswith(_TOP) and line.endswith('": {\n'):
            name = _string(line, len(_TOP))
            if name in sections and len(line) == len(encode_basestring(name)) + 6:
                section, opening, previous, more = name, line[: -len("{\n")], None, True
            else:
                head.append(line)
        else:
            head.append(line)
    if section is not None:
        raise _OtherForm
    text = "".join(head)
    try:
        document = json.loads(text)
    except ValueError:
        raise _OtherForm from None
    if json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n" != text:
        raise _OtherForm  # e.g. a member nested deeper than its indentation says
    return document


def _string(line: str, start: int) -> str:
    """The JSON string that starts at ``start`` in ``line`` (after its opening quote)."""
    try:
        return scanstring(line, start)[0]
    except ValueError:
        raise _OtherForm from None


def _entry(line: str) -> tuple[str, str, bool]:
    """The key and value of a section's entry line, ``    "key": "value",``, and whether
    it ends with a comma."""
    try:
        key, end = scanstring(line, len(_MEMBER))
        if line[end : end + 3] != ': "':
            raise _OtherForm
        value, end = scanstring(line, end + 3)
    except ValueError:
        raise _OtherForm from None
    rest = line[end:]
    if rest not in (",\n", "\n"):
        raise _OtherForm
    return key, value, rest == ",\n"

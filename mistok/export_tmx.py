"""TMX 1.4b export of aligned paragraphs, built with :mod:`xml.etree.ElementTree`.

One ``tu`` per two-sided bead, source language Ukrainian, ``segtype="paragraph"``; the
paragraphs of a 2-1 or 1-2 bead are joined into one segment (see
:data:`mistok.stages.BEAD_JOINER`). Each ``tu`` carries its article ids, paragraph indices and
bead score as ``x-mistok-*`` properties, so a CAT tool's user can trace a unit to its source.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

from mistok.output_dir import atomic_write_chunks, file_sha256
from mistok.stages import BitextRow

TMX_VERSION = "1.4"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Characters that XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _header(tool_version: str) -> ET.Element:
    return ET.Element(
        "header",
        {
            "creationtool": "mistok",
            "creationtoolversion": tool_version,
            "segtype": "paragraph",
            "o-tmf": "mistok",
            "adminlang": "en",
            "srclang": "uk",
            "datatype": "plaintext",
        },
    )


def _unit(row: BitextRow) -> ET.Element:
    tu = ET.Element("tu", {"tuid": f"{row.pair_id}#{row.bead}"})
    props = {
        "x-mistok-uk-id": row.uk_id,
        "x-mistok-en-id": row.en_id,
        "x-mistok-uk-paragraphs": ",".join(map(str, row.uk_paragraphs)),
        "x-mistok-en-paragraphs": ",".join(map(str, row.en_paragraphs)),
        "x-mistok-score": f"{row.score:.4f}",
    }
    for kind, value in props.items():
        ET.SubElement(tu, "prop", {"type": kind}).text = _xml_text(value)
    for lang, text in (("uk", row.uk), ("en", row.en)):
        tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
        ET.SubElement(tuv, "seg").text = _xml_text(text)
    return tu


def _indented(element: ET.Element, level: int) -> bytes:
    ET.indent(element, level=level)
    return b"  " * level + ET.tostring(element, encoding="utf-8") + b"\n"


def tmx_element(rows: Iterable[BitextRow], tool_version: str) -> ET.Element:
    """The ``<tmx>`` element holding one translation unit per row."""
    root = ET.Element("tmx", {"version": TMX_VERSION})
    root.append(_header(tool_version))
    body = ET.SubElement(root, "body")
    body.extend(_unit(row) for row in rows)
    return root


def tmx_chunks(rows: Iterable[BitextRow], tool_version: str) -> Iterator[bytes]:
    """The TMX document as UTF-8 pieces, one translation unit at a time, so that an archive's
    bitext is never one XML tree in memory. Joined, the same bytes as :func:`tmx_bytes`."""
    yield b"<?xml version='1.0' encoding='utf-8'?>\n"
    yield f'<tmx version="{TMX_VERSION}">\n'.encode()
    yield _indented(_header(tool_version), 1)
    yield b"  <body>\n"
    for row in rows:
        yield _indented(_unit(row), 2)
    yield b"  </body>\n</tmx>\n"


def tmx_bytes(rows: Iterable[BitextRow], tool_version: str) -> bytes:
    """The TMX document as UTF-8 bytes with an XML declaration."""
    return b"".join(tmx_chunks(rows, tool_version))


def write_tmx(rows: Iterable[BitextRow], path: Path, tool_version: str) -> bool:
    """Write the TMX file atomically, piece by piece; ``False`` when it already held the same
    bytes."""
    before = file_sha256(Path(path)) if Path(path).is_file() else None
    return atomic_write_chunks(Path(path), tmx_chunks(rows, tool_version)) != before

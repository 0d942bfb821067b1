"""TMX 1.4b export of aligned paragraphs, built with :mod:`xml.etree.ElementTree`.

One ``tu`` per two-sided bead, source language Ukrainian, ``segtype="paragraph"``; the
paragraphs of a 2-1 or 1-2 bead are joined into one segment (see
:data:`mistok.stages.BEAD_JOINER`). Each ``tu`` carries its article ids, paragraph indices and
bead score as ``x-mistok-*`` properties, so a CAT tool's user can trace a unit to its source.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from mistok.output_dir import atomic_write_bytes
from mistok.stages import BitextRow

TMX_VERSION = "1.4"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Characters that XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def tmx_element(rows: Iterable[BitextRow], tool_version: str) -> ET.Element:
    """The ``<tmx>`` element holding one translation unit per row."""
    root = ET.Element("tmx", {"version": TMX_VERSION})
    ET.SubElement(
        root,
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
    body = ET.SubElement(root, "body")
    for row in rows:
        tu = ET.SubElement(body, "tu", {"tuid": f"{row.pair_id}#{row.bead}"})
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
    return root


def tmx_bytes(rows: Iterable[BitextRow], tool_version: str) -> bytes:
    """The TMX document as UTF-8 bytes with an XML declaration."""
    root = tmx_element(rows, tool_version)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_tmx(rows: Iterable[BitextRow], path: Path, tool_version: str) -> bool:
    """Write the TMX file atomically; ``False`` when it already held the same bytes."""
    return atomic_write_bytes(Path(path), tmx_bytes(rows, tool_version))

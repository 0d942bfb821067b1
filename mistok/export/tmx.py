"""TMX 1.4b export of aligned paragraphs, built with :mod:`xml.etree.ElementTree`.

One ``tu`` per bitext row, source language Ukrainian. By default the rows are sentence beads
inside the two-sided paragraph beads (``segtype="sentence"``, what CAT tools match); with
paragraph rows (``mistok run --tm-unit paragraph``) one ``tu`` per two-sided paragraph bead,
``segtype="paragraph"``, the paragraphs of a 2-1 or 1-2 bead joined into one segment (see
:data:`mistok.pipeline.stages.BEAD_JOINER`). Each ``tu`` carries its article ids, paragraph (and
sentence) indices and score as ``x-mistok-*`` properties, so a CAT tool's user can trace a
unit to its source. A ``tu`` whose unit differs from the header's says so in its own
``segtype``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

from mistok.output_dir import atomic_write_chunks, file_sha256
from mistok.run_records import BitextRow

TMX_VERSION = "1.4"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Characters that XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _header(tool_version: str, segtype: str) -> ET.Element:
    return ET.Element(
        "header",
        {
            "creationtool": "mistok",
            "creationtoolversion": tool_version,
            "segtype": segtype,
            "o-tmf": "mistok",
            "adminlang": "en",
            "srclang": "uk",
            "datatype": "plaintext",
        },
    )


def _unit(row: BitextRow, segtype: str) -> ET.Element:
    attributes = {"tuid": row.unit_id}
    if row.segtype != segtype:
        attributes["segtype"] = row.segtype
    tu = ET.Element("tu", attributes)
    props = {
        "x-mistok-uk-id": row.uk_id,
        "x-mistok-en-id": row.en_id,
        "x-mistok-uk-paragraphs": ",".join(map(str, row.uk_paragraphs)),
        "x-mistok-en-paragraphs": ",".join(map(str, row.en_paragraphs)),
    }
    if row.segtype == "sentence":
        props["x-mistok-uk-sentences"] = ",".join(map(str, row.uk_sentences))
        props["x-mistok-en-sentences"] = ",".join(map(str, row.en_sentences))
    props["x-mistok-score"] = f"{row.score:.4f}"
    for kind, value in props.items():
        ET.SubElement(tu, "prop", {"type": kind}).text = _xml_text(value)
    for lang, text in (("uk", row.uk), ("en", row.en)):
        tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
        ET.SubElement(tuv, "seg").text = _xml_text(text)
    return tu


def _indented(element: ET.Element, level: int) -> bytes:
    ET.indent(element, level=level)
    return b"  " * level + ET.tostring(element, encoding="utf-8") + b"\n"


def _escape_text(text: str) -> str:
    """Character data as :mod:`xml.etree.ElementTree` escapes it (``&``, ``<``, ``>``)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _escape_attribute(text: str) -> str:
    """An attribute value as :mod:`xml.etree.ElementTree` escapes it: character data's
    escapes, quotes, and CR, LF and TAB as character references."""
    text = _escape_text(text)
    for char, reference in _ATTRIBUTE_REFERENCES:
        if char in text:
            text = text.replace(char, reference)
    return text


_ATTRIBUTE_REFERENCES = (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _element_line(indent: str, tag: str, attributes: str, text: str) -> str:
    """One indented element holding only text, as ElementTree writes it (``<tag />`` when
    the text is empty)."""
    if not text:
        return f"{indent}<{tag}{attributes} />\n"
    return f"{indent}<{tag}{attributes}>{_escape_text(text)}</{tag}>\n"


def _unit_text(row: BitextRow, segtype: str) -> str:
    """One ``tu`` at level 2 of the document, the text :func:`_indented` gives for
    :func:`_unit` (the test suite holds the two to the same bytes), without building the
    tree."""
    opening = f'    <tu tuid="{_escape_attribute(row.unit_id)}"'
    if row.segtype != segtype:
        opening += f' segtype="{_escape_attribute(row.segtype)}"'
    props = [
        ("x-mistok-uk-id", row.uk_id),
        ("x-mistok-en-id", row.en_id),
        ("x-mistok-uk-paragraphs", ",".join(map(str, row.uk_paragraphs))),
        ("x-mistok-en-paragraphs", ",".join(map(str, row.en_paragraphs))),
    ]
    if row.segtype == "sentence":
        props.append(("x-mistok-uk-sentences", ",".join(map(str, row.uk_sentences))))
        props.append(("x-mistok-en-sentences", ",".join(map(str, row.en_sentences))))
    props.append(("x-mistok-score", f"{row.score:.4f}"))
    lines = [opening, ">\n"]
    for kind, value in props:
        lines.append(_element_line("      ", "prop", f' type="{kind}"', _xml_text(value)))
    for lang, text in (("uk", row.uk), ("en", row.en)):
        lines.append(f'      <tuv xml:lang="{lang}">\n')
        lines.append(_element_line("        ", "seg", "", _xml_text(text)))
        lines.append("      </tuv>\n")
    lines.append("    </tu>\n")
    return "".join(lines)


def tmx_element(
    rows: Iterable[BitextRow], tool_version: str, segtype: str = "sentence"
) -> ET.Element:
    """The ``<tmx>`` element holding one translation unit per row."""
    root = ET.Element("tmx", {"version": TMX_VERSION})
    root.append(_header(tool_version, segtype))
    body = ET.SubElement(root, "body")
    body.extend(_unit(row, segtype) for row in rows)
    return root


#: Translation units per piece of :func:`tmx_chunks` (pieces of about 100 KB).
_UNITS_PER_CHUNK = 64


def tmx_chunks(
    rows: Iterable[BitextRow], tool_version: str, segtype: str = "sentence"
) -> Iterator[bytes]:
    """The TMX document as UTF-8 pieces, a few translation units at a time, so that an
    archive's bitext is never one XML tree (nor one string) in memory. Joined, the bytes of
    :func:`tmx_element` indented with :func:`xml.etree.ElementTree.indent` and serialised with
    an XML declaration (plus a final newline). ``segtype`` is the header's (the unit of the
    rows: ``sentence`` or ``paragraph``)."""

    def pieces() -> Iterator[str]:
        units: list[BitextRow] = []
        for row in rows:
            units.append(row)
            if len(units) == _UNITS_PER_CHUNK:
                yield tmx_units_text(units, segtype)
                units = []
        if units:
            yield tmx_units_text(units, segtype)

    return tmx_document_chunks(pieces(), tool_version, segtype)


def tmx_units_text(rows: Iterable[BitextRow], segtype: str = "sentence") -> str:
    """The translation units of ``rows`` as the TMX document holds them (indented, one after
    the other): a piece that :func:`tmx_document_chunks` puts in the body, made where the
    rows are (e.g. in the worker process that aligned a pair)."""
    return "".join(_unit_text(row, segtype) for row in rows)


def tmx_document_chunks(
    units: Iterable[str], tool_version: str, segtype: str = "sentence"
) -> Iterator[bytes]:
    """The TMX document around pieces of :func:`tmx_units_text`, as UTF-8 pieces: the bytes
    of :func:`tmx_chunks` of all their rows."""
    yield b"<?xml version='1.0' encoding='utf-8'?>\n"
    yield f'<tmx version="{TMX_VERSION}">\n'.encode()
    yield _indented(_header(tool_version, segtype), 1)
    yield b"  <body>\n"
    for text in units:
        if text:
            yield text.encode("utf-8")
    yield b"  </body>\n</tmx>\n"


def tmx_bytes(rows: Iterable[BitextRow], tool_version: str, segtype: str = "sentence") -> bytes:
    """The TMX document as UTF-8 bytes with an XML declaration."""
    return b"".join(tmx_chunks(rows, tool_version, segtype))


def write_tmx(
    rows: Iterable[BitextRow], path: Path, tool_version: str, segtype: str = "sentence"
) -> bool:
    """Write the TMX file atomically, piece by piece; ``False`` when it already held the same
    bytes."""
    before = file_sha256(Path(path)) if Path(path).is_file() else None
    return atomic_write_chunks(Path(path), tmx_chunks(rows, tool_version, segtype)) != before

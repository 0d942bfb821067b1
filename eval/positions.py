"""Where a finding is in its source file: line and column, from the paragraph and the
character offsets that the checks report.

A paragraph of a ``.txt``/``.md`` file is its lines, stripped and joined by one space
(:func:`aligner.readers.split_paragraphs`). :func:`paragraph_segments` records, for each
paragraph, where each of those lines starts (offset in the paragraph, line, column), so an
offset in the paragraph maps back to the file. Columns are 1-based and counted in Unicode code
points; where the file's text does not match the paragraph (an HTML source, a Markdown heading,
a character that Unicode normalisation changed), only the line is known, or nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from eval.base import Location

__all__ = ["Region", "Segment", "paragraph_segments", "region_of"]


@dataclass(frozen=True)
class Segment:
    """One source line of a paragraph: it holds the paragraph's characters from ``offset``
    on, starting at 1-based ``line`` and ``column``; ``length`` characters."""

    offset: int
    line: int
    column: int
    length: int


@dataclass(frozen=True)
class Region:
    """A span in a source file: 1-based lines and columns; ``end_column`` is the column just
    after the last character (SARIF's convention). Columns are None when unknown."""

    start_line: int
    start_column: int | None = None
    end_line: int | None = None
    end_column: int | None = None


def paragraph_segments(
    lines: Sequence[str], paragraphs: Sequence[str], starts: Sequence[int | None]
) -> tuple[tuple[Segment, ...] | None, ...]:
    """For each paragraph starting at 1-based line ``starts[i]`` of ``lines``, the segments
    that map its characters back to the file (None where the file does not match it)."""
    out: list[tuple[Segment, ...] | None] = []
    for paragraph, start in zip(paragraphs, starts, strict=True):
        if start is None:
            out.append(None)
            continue
        segments: list[Segment] = []
        offset = 0
        number = start
        while offset < len(paragraph) and 0 < number <= len(lines):
            line = lines[number - 1]
            text = line.strip()
            if not text or unicodedata.normalize("NFC", text) != text:
                break
            if paragraph[offset : offset + len(text)] != text:
                break
            column = len(line) - len(line.lstrip()) + 1
            segments.append(Segment(offset, number, column, len(text)))
            offset += len(text) + 1  # the joining space
            number += 1
        out.append(tuple(segments) if offset >= len(paragraph) else None)
    return tuple(out)


def _point(segments: Sequence[Segment], offset: int, end: bool) -> tuple[int, int] | None:
    """(line, column) of a paragraph offset; ``end``: of the position after a span ending
    there (stays on the line of the span's last character)."""
    for segment in segments:
        last = segment.offset + segment.length
        if segment.offset <= offset < last or (end and segment.offset < offset <= last):
            return segment.line, segment.column + offset - segment.offset
    return None


def region_of(
    loc: Location,
    start_line: int | None,
    segments: Sequence[Segment] | None,
) -> Region | None:
    """The region of ``loc`` given where its paragraph starts and its segments."""
    line = loc.line or start_line
    if line is None:
        return None
    if loc.start is None or not segments:
        return Region(line)
    begin = _point(segments, loc.start, end=False)
    stop = loc.end if loc.end is not None and loc.end > loc.start else loc.start + 1
    finish = _point(segments, stop, end=True)
    if begin is None or finish is None:
        return Region(line)
    return Region(begin[0], begin[1], finish[0], finish[1])

"""Findings as a spreadsheet: CSV (RFC 4180, UTF-8) and XLSX (through openpyxl).

One row per finding, the columns of :data:`COLUMNS`, the way QA tools such as Xbench export:
where it is (pair, article, language, paragraph, line, character span of the first location;
``other_locations`` the rest as ``article:lang:paragraph``), what it is (severity, rule, check,
kind), the message and the suggestion. ``fingerprint`` is filled when the findings carry one.

The XLSX can start from a template workbook (a house layout, a logo, column widths): the rows
go into its sheet named ``findings`` (replaced when it exists, else added first). A template
that cannot be read as a workbook is an :class:`~aligner.errors.InputError`; the workbook is
built in memory and written in one atomic step, so nothing is left half-written.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

from aligner.errors import ConfigError, InputError

COLUMNS = (
    "pair",
    "severity",
    "rule",
    "check",
    "kind",
    "message",
    "suggestion",
    "article",
    "lang",
    "paragraph",
    "line",
    "start",
    "end",
    "other_locations",
    "fingerprint",
)
SHEET = "findings"
#: The creation time written into a workbook made without a template: a fixed one, so that the
#: same findings give the same bytes (a rerun leaves findings.xlsx untouched).
FIXED_TIME = datetime.datetime(2000, 1, 1)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>")


def _where(location: Mapping[str, object]) -> str:
    paragraph = location.get("paragraph")
    where = f"{location.get('article')}:{location.get('lang')}"
    return where + (f":{paragraph}" if paragraph is not None else "")


def finding_row(pair: str, finding: Mapping[str, object]) -> dict[str, object]:
    """One finding (its JSON form) as a row keyed by :data:`COLUMNS` (``None`` for blank)."""
    locations = list(finding.get("locations") or ())  # type: ignore[call-overload]
    first = locations[0] if locations else {}
    return {
        "pair": pair or None,
        "severity": finding.get("severity"),
        "rule": finding.get("rule"),
        "check": finding.get("check"),
        "kind": finding.get("kind"),
        "message": finding.get("message"),
        "suggestion": finding.get("suggestion"),
        "article": first.get("article"),
        "lang": first.get("lang"),
        "paragraph": first.get("paragraph"),
        "line": first.get("line"),
        "start": first.get("start"),
        "end": first.get("end"),
        "other_locations": "; ".join(_where(loc) for loc in locations[1:]) or None,
        "fingerprint": finding.get("fingerprint"),
    }


def finding_rows(
    findings: Iterable[tuple[str, Mapping[str, object]]],
) -> list[dict[str, object]]:
    """Rows of ``(pair id, finding)`` items (an empty pair id outside a run)."""
    return [finding_row(pair, finding) for pair, finding in findings]


def csv_lines(rows: Iterable[Mapping[str, object]]) -> Iterator[str]:
    """The rows as CSV, a line at a time: the header line, then one line per row (blank cells
    for missing values)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for values in _csv_values(rows):
        writer.writerow(values)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _csv_values(rows: Iterable[Mapping[str, object]]) -> Iterator[Sequence[object]]:
    yield COLUMNS
    for row in rows:
        yield ["" if row.get(c) is None else row[c] for c in COLUMNS]


class FindingsCsv:
    """findings.csv written row by row (:meth:`add`) into a binary file: the bytes of
    :func:`csv_lines` encoded as UTF-8."""

    def __init__(self, stream: BinaryIO) -> None:
        self._text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        self._writer = csv.writer(self._text, lineterminator="\r\n")
        self._writer.writerow(COLUMNS)

    def add(self, row: Mapping[str, object]) -> None:
        self._writer.writerow(["" if row.get(c) is None else row[c] for c in COLUMNS])

    def finish(self) -> None:
        """Flush the rows into the binary file, which stays open."""
        self._text.flush()
        self._text.detach()


def csv_text(rows: Iterable[Mapping[str, object]]) -> str:
    """The rows as CSV with a header line (:func:`csv_lines` joined)."""
    return "".join(csv_lines(rows))


def _openpyxl():
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError(
            "writing findings.xlsx needs the 'openpyxl' package; "
            "install it with: pip install 'mistok[sheets]'"
        ) from None
    return openpyxl


def xlsx_unavailable() -> str | None:
    """Why findings.xlsx cannot be written on this installation, or ``None`` when it can."""
    from importlib.util import find_spec

    if find_spec("openpyxl") is not None:
        return None
    return "openpyxl not installed, so findings.xlsx was not written; install 'mistok[sheets]'"


def _load_template(path: Path):
    openpyxl = _openpyxl()
    try:
        return openpyxl.load_workbook(path)
    except OSError as err:
        raise InputError(f"{path}: cannot read the XLSX template: {err.strerror or err}") from None
    except Exception as err:  # zipfile.BadZipFile, KeyError, InvalidFileException, XML errors
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputError(
            f"{path}: not a readable XLSX workbook ({reason}); give an .xlsx file saved by a "
            "spreadsheet program"
        ) from None


def xlsx_bytes(rows: Iterable[Mapping[str, object]], template: Path | None = None) -> bytes:
    """The rows as an XLSX workbook (header row frozen, autofilter). Without a template the
    sheet is written as the rows come (openpyxl's write-only mode: the rows are never a sheet
    in memory); a template is loaded and filled in memory."""
    if template is None:
        return _streamed_xlsx_bytes(rows)
    rows = list(rows)
    workbook = _load_template(template)
    if SHEET in workbook.sheetnames:
        position = workbook.sheetnames.index(SHEET)
        workbook.remove(workbook[SHEET])
    else:
        position = 0
    sheet = workbook.create_sheet(SHEET, position)
    workbook.active = position
    sheet.append(list(COLUMNS))
    for number, row in enumerate(rows, start=2):
        for column, name in enumerate(COLUMNS, start=1):
            value = row.get(name)
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula: a message may start with "="
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _reproducible(buffer.getvalue())


def _streamed_xlsx_bytes(rows: Iterable[Mapping[str, object]]) -> bytes:
    """A new workbook of the rows in write-only mode (:class:`FindingsWorkbook`)."""
    workbook = FindingsWorkbook()
    for row in rows:
        workbook.add(row)
    return workbook.finish()


class FindingsWorkbook:
    """findings.xlsx made row by row (:meth:`add`) in openpyxl's write-only mode: each row
    goes to openpyxl's temporary sheet file as it comes; the finished workbook is bytes
    (:meth:`finish`) or written into a file (:meth:`write_to`, never in memory)."""

    def __init__(self) -> None:
        from openpyxl.cell import WriteOnlyCell

        self._cell = WriteOnlyCell
        self._workbook = _openpyxl().Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(SHEET)
        self._sheet.freeze_panes = "A2"
        self._sheet.append(list(COLUMNS))
        self._count = 0

    def add(self, row: Mapping[str, object]) -> None:
        cells = []
        for name in COLUMNS:
            value = row.get(name)
            cell = self._cell(self._sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula: a message may start with "="
            cells.append(cell)
        self._sheet.append(cells)
        self._count += 1

    def close(self) -> None:
        """Let go of an unfinished workbook (a run that failed before it was written), so that
        openpyxl's sheet writer ends quietly; nothing to do once it is finished."""
        if not self._sheet.closed:
            self._sheet.close()

    def finish(self) -> bytes:
        """The workbook's bytes (call once)."""
        buffer = io.BytesIO()
        self.write_to(buffer)
        return buffer.getvalue()

    def write_to(self, stream: BinaryIO) -> None:
        """Write the workbook into the binary file ``stream`` (call once, instead of
        :meth:`finish`): openpyxl's workbook goes to a temporary file first, so the workbook
        is never bytes in memory."""
        from openpyxl.utils import get_column_letter

        extent = f"A1:{get_column_letter(len(COLUMNS))}{self._count + 1}"  # as normal mode
        if self._count:
            self._sheet.auto_filter.ref = extent
        self._workbook.properties.created = FIXED_TIME
        with tempfile.TemporaryFile() as saved:
            self._workbook.save(saved)
            saved.seek(0)
            _reproducible_into(saved, stream, dimension=extent)


def _reproducible(data: bytes, dimension: str | None = None) -> bytes:
    """The workbook with fixed zip entry times and its ``modified`` time set to its ``created``
    time (openpyxl stamps both with the clock). With ``dimension``, the ``<dimension>`` element
    a sheet written in write-only mode lacks is put in the sheet where openpyxl's normal mode
    writes it, so both modes give the same bytes."""
    buffer = io.BytesIO()
    _reproducible_into(io.BytesIO(data), buffer, dimension)
    return buffer.getvalue()


def _reproducible_into(workbook: BinaryIO, stream: BinaryIO, dimension: str | None = None) -> None:
    """:func:`_reproducible` from one binary file into another, entries copied a block at a
    time."""
    source = zipfile.ZipFile(workbook)
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            with source.open(info) as reader, target.open(entry, "w") as writer:
                head = reader.read(_HEAD_BYTES)
                if info.filename == "docProps/core.xml":
                    head += reader.read()
                    created = _CREATED.search(head)
                    if created:
                        head = _MODIFIED.sub(rb"\g<1>" + created.group(1) + rb"\g<2>", head)
                elif dimension is not None and info.filename.startswith("xl/worksheets/"):
                    element = b'<dimension ref="' + dimension.encode() + b'"/>'
                    head = head.replace(b"</sheetPr>", b"</sheetPr>" + element, 1)
                writer.write(head)
                for block in iter(lambda: reader.read(_COPY_BYTES), b""):
                    writer.write(block)


_HEAD_BYTES = 4096  # a sheet's head, where its <sheetPr> ends
_COPY_BYTES = 1 << 20

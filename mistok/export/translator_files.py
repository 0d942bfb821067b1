"""The files of a run meant for translators and QA: ``xliff/*.xlf``, ``findings.csv`` and
``findings.xlsx``, built from the run's records (``mistok run``) or read back from a run folder
(``mistok export``, :mod:`mistok.run_folder`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from mistok.export.findings import csv_text, finding_rows, xlsx_bytes, xlsx_unavailable
from mistok.export.xliff import translation_jobs, xliff_bytes
from mistok.run_records import Draft, PairCheck, TranslationRequest

XLIFF_FOLDER = "xliff"
FINDINGS_CSV = "findings.csv"
FINDINGS_XLSX = "findings.xlsx"


#: A pair's id and its findings (their JSON forms).
PairFindings = tuple[str, list[Mapping[str, object]]]


def pair_findings(verdicts: Iterable[PairCheck]) -> Iterator[PairFindings]:
    """Each pair's id and findings (their JSON forms), in the verdicts' order."""
    for verdict in verdicts:
        yield verdict.pair_id, list(verdict.report.get("findings", ()))  # type: ignore[call-overload]


def translator_files(
    findings: Callable[[], Iterable[tuple[str, Sequence[Mapping[str, object]]]]],
    drafts: Sequence[Draft],
    pending: Sequence[TranslationRequest],
    tool_version: str,
) -> Iterator[tuple[str, bytes]]:
    """The translator files, one at a time, by path relative to the run folder: one XLIFF
    document per translation job, and the findings of every pair as CSV and (with openpyxl)
    XLSX. ``findings()`` gives each pair's id and findings (read twice: only the findings of
    pairs with a translation job are kept for the XLIFF, and the spreadsheets need only rows)."""
    wanted = {r.pair_id for r in [*pending, *(d.request for d in drafts)] if r.pair_id}
    of_jobs = {pair: list(items) for pair, items in findings() if pair in wanted}
    for job in translation_jobs(pending, drafts, of_jobs):
        yield job.file_name, xliff_bytes(job, tool_version)
    del of_jobs
    rows = finding_rows((pair, f) for pair, items in findings() for f in items)
    yield FINDINGS_CSV, csv_text(rows).encode("utf-8")
    if xlsx_unavailable() is None:
        yield FINDINGS_XLSX, xlsx_bytes(rows)

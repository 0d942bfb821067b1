"""The files of a run meant for translators and QA: ``xliff/*.xlf``, ``findings.csv`` and
``findings.xlsx``, built from the run's records (``mistok run``) or read back from a run folder
(``mistok export``, :mod:`mistok.run_folder`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from mistok.export.findings import csv_lines, finding_row, xlsx_bytes, xlsx_unavailable
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
) -> Iterator[tuple[str, bytes | Iterator[bytes]]]:
    """The translator files, one at a time, by path relative to the run folder, each as its
    bytes or (findings.csv) an iterator of the pieces of its bytes: one XLIFF document per
    translation job, and the findings of every pair as CSV and (with openpyxl) XLSX.
    ``findings()`` gives each pair's id and findings (read three times: only the findings of
    pairs with a translation job are kept for the XLIFF; the CSV lines are made as the rows
    come, and the XLSX sheet is written in openpyxl's write-only mode)."""
    wanted = {r.pair_id for r in [*pending, *(d.request for d in drafts)] if r.pair_id}
    of_jobs = {pair: list(items) for pair, items in findings() if pair in wanted}
    for job in translation_jobs(pending, drafts, of_jobs):
        yield job.file_name, xliff_bytes(job, tool_version)
    del of_jobs

    def rows() -> Iterator[dict[str, object]]:
        return (finding_row(pair, f) for pair, items in findings() for f in items)

    yield FINDINGS_CSV, (line.encode("utf-8") for line in csv_lines(rows()))
    if xlsx_unavailable() is None:
        yield FINDINGS_XLSX, xlsx_bytes(rows())

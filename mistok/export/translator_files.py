"""The files of a run meant for translators and QA: ``xliff/*.xlf``, ``findings.csv`` and
``findings.xlsx``, built from the run's records (``mistok run``) or read back from a run folder
(``mistok export``, :mod:`mistok.run_folder`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mistok.export.findings import csv_text, finding_rows, xlsx_bytes, xlsx_unavailable
from mistok.export.xliff import translation_jobs, xliff_bytes
from mistok.run_records import Draft, PairCheck, TranslationRequest

XLIFF_FOLDER = "xliff"
FINDINGS_CSV = "findings.csv"
FINDINGS_XLSX = "findings.xlsx"


def pair_findings(verdicts: Sequence[PairCheck]) -> dict[str, list[Mapping[str, object]]]:
    """Each pair's findings (their JSON forms), by pair id."""
    return {v.pair_id: list(v.report.get("findings", ())) for v in verdicts}  # type: ignore[call-overload]


def translator_files(
    findings: Mapping[str, Sequence[Mapping[str, object]]],
    drafts: Sequence[Draft],
    pending: Sequence[TranslationRequest],
    tool_version: str,
) -> dict[str, bytes]:
    """The translator files, by path relative to the run folder: one XLIFF document per
    translation job, and the findings of every pair as CSV and (with openpyxl) XLSX."""
    files = {
        job.file_name: xliff_bytes(job, tool_version)
        for job in translation_jobs(pending, drafts, findings)
    }
    rows = finding_rows((pair, f) for pair, items in findings.items() for f in items)
    files[FINDINGS_CSV] = csv_text(rows).encode("utf-8")
    if xlsx_unavailable() is None:
        files[FINDINGS_XLSX] = xlsx_bytes(rows)
    return files

"""The files of a run meant for translators and QA: ``xliff/*.xlf``, ``findings.csv`` and
``findings.xlsx``, built from the run's records (``mistok run``) or read back from a run folder
(``mistok export``, :mod:`mistok.run_folder`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import BinaryIO

from mistok.export.findings import FindingsCsv, FindingsWorkbook, finding_row, xlsx_unavailable
from mistok.export.xliff import translation_jobs, xliff_bytes
from mistok.run_records import Draft, PairCheck, TranslationRequest

XLIFF_FOLDER = "xliff"
FINDINGS_CSV = "findings.csv"
FINDINGS_XLSX = "findings.xlsx"


class TranslatorFiles:
    """The translator files of a run, gathered as the pairs' verdicts come (:meth:`add`, in
    pair order; each verdict read once): the findings of pairs with a translation job are kept
    for the XLIFF documents, each finding's row goes to findings.csv (staged in ``csv_stream``,
    a binary file) and, with openpyxl, to findings.xlsx (openpyxl's write-only mode)."""

    def __init__(
        self,
        drafts: Sequence[Draft],
        pending: Sequence[TranslationRequest],
        csv_stream: BinaryIO,
    ) -> None:
        self.drafts, self.pending = drafts, pending
        requests = [*pending, *(d.request for d in drafts)]
        self._wanted = {r.pair_id for r in requests if r.pair_id}
        self._of_jobs: dict[str, list[Mapping[str, object]]] = {}
        self.csv = FindingsCsv(csv_stream)
        self.workbook = FindingsWorkbook() if xlsx_unavailable() is None else None

    def add(self, verdict: PairCheck) -> None:
        pair = verdict.pair_id
        findings = list(verdict.report.get("findings", ()))  # type: ignore[call-overload]
        if pair in self._wanted:
            self._of_jobs[pair] = findings
        for finding in findings:
            row = finding_row(pair, finding)
            self.csv.add(row)
            if self.workbook is not None:
                self.workbook.add(row)

    def xliff_files(self, tool_version: str) -> Iterator[tuple[str, bytes]]:
        """One XLIFF document per translation job, by path relative to the run folder."""
        for job in translation_jobs(self.pending, self.drafts, self._of_jobs):
            yield job.file_name, xliff_bytes(job, tool_version)

    def close(self) -> None:
        """Let go of the unfinished workbook, if any (a failed run)."""
        if self.workbook is not None:
            self.workbook.close()

    def xlsx_bytes(self) -> bytes | None:
        """findings.xlsx, or None without openpyxl (call once)."""
        return self.workbook.finish() if self.workbook is not None else None

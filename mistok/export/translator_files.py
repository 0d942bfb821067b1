"""The files of a run meant for translators and QA: ``xliff/*.xlf``, ``findings.csv`` and
``findings.xlsx``, built from the run's records (``mistok run``) or read back from a run folder
(``mistok export``, :mod:`mistok.run_folder`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import chain
from typing import BinaryIO, Protocol

from mistok.export.findings import FindingsCsv, FindingsWorkbook, finding_row, xlsx_unavailable
from mistok.export.xliff import iter_translation_jobs, xliff_bytes
from mistok.run_records import Draft, PairCheck, TranslationRequest

XLIFF_FOLDER = "xliff"
FINDINGS_CSV = "findings.csv"
FINDINGS_XLSX = "findings.xlsx"


Findings = Sequence[Mapping[str, object]]


class FindingsStore(Protocol):
    """Where the findings of the pairs with a translation job wait for the XLIFF documents,
    by slot number (:class:`mistok.pipeline.state.ResultSpool`: a temporary file)."""

    def put(self, number: int, value: Findings) -> None: ...

    def get(self, number: int) -> Findings: ...


class _StoredFindings(Mapping[str, Findings]):
    """The findings of the pairs with a job, by pair id, read back from the store (a pair
    that was never added has none)."""

    def __init__(self, slots: Mapping[str, int], store: FindingsStore) -> None:
        self._slots, self._store = slots, store

    def __getitem__(self, pair: str) -> Findings:
        return self._store.get(self._slots[pair])  # a KeyError when there is none

    def __iter__(self) -> Iterator[str]:
        return iter(self._slots)

    def __len__(self) -> int:
        return len(self._slots)


class TranslatorFiles:
    """The translator files of a run, gathered as the pairs' verdicts come (:meth:`add`, in
    pair order; each verdict read once): the findings of pairs with a translation job go to
    ``job_findings`` (on disk) for the XLIFF documents, each finding's row goes to
    findings.csv (staged in ``csv_stream``, a binary file) and, with openpyxl, to
    findings.xlsx (openpyxl's write-only mode)."""

    def __init__(
        self,
        drafts: Sequence[Draft],
        pending: Sequence[TranslationRequest],
        csv_stream: BinaryIO,
        job_findings: FindingsStore,
    ) -> None:
        self.drafts, self.pending = drafts, pending
        # each pair with a job: its slot in the store
        self._slots: dict[str, int] = {}
        for request in chain(pending, (d.request for d in drafts)):
            if request.pair_id:
                self._slots.setdefault(request.pair_id, len(self._slots))
        self._store = job_findings
        self.csv = FindingsCsv(csv_stream)
        self.workbook = FindingsWorkbook() if xlsx_unavailable() is None else None

    def add(self, verdict: PairCheck) -> None:
        pair = verdict.pair_id
        findings = list(verdict.report.get("findings", ()))  # type: ignore[call-overload]
        slot = self._slots.get(pair)
        if slot is not None:
            self._store.put(slot, findings)
        for finding in findings:
            row = finding_row(pair, finding)
            self.csv.add(row)
            if self.workbook is not None:
                self.workbook.add(row)

    def xliff_files(self, tool_version: str) -> Iterator[tuple[str, bytes]]:
        """One XLIFF document per translation job, by path relative to the run folder, one
        at a time."""
        findings = _StoredFindings(self._slots, self._store)
        for job in iter_translation_jobs(self.pending, self.drafts, findings):
            yield job.file_name, xliff_bytes(job, tool_version)

    def close(self) -> None:
        """Let go of the unfinished workbook, if any (a failed run)."""
        if self.workbook is not None:
            self.workbook.close()

    def write_xlsx(self, stream: BinaryIO) -> bool:
        """Write findings.xlsx into the binary file ``stream`` (call once); False, and
        nothing written, without openpyxl."""
        if self.workbook is None:
            return False
        self.workbook.write_to(stream)
        return True

"""The files of a run meant for translators and QA: ``xliff/*.xlf``, ``findings.csv`` and
``findings.xlsx``, built from the run's records (``mistok run``) or read back from a run folder
(``mistok export``, :mod:`mistok.run_folder`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import BinaryIO, Protocol

from mistok.export.findings import FindingsCsv, FindingsWorkbook, finding_row, xlsx_unavailable
from mistok.export.xliff import iter_translation_jobs, xliff_bytes
from mistok.packed_strings import PackedStrings
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


class _JobPairs:
    """The pairs with a translation job, each with its slot in the store: its place among
    their sorted ids. The ids are kept one after another in one UTF-8 blob (a few bytes a pair
    besides the text, not a str object each), and made again when asked for."""

    def __init__(self, requests: Iterable[TranslationRequest]) -> None:
        self._ids = PackedStrings(
            sorted({request.pair_id for request in requests if request.pair_id})
        )

    def slot(self, pair: str) -> int | None:
        """The pair's slot, or None when it has no job."""
        return self._ids.sorted_place(pair)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


class _StoredFindings(Mapping[str, Findings]):
    """The findings of the pairs with a job, by pair id, read back from the store (a pair
    that was never added has none)."""

    def __init__(self, pairs: _JobPairs, store: FindingsStore) -> None:
        self._pairs, self._store = pairs, store

    def __getitem__(self, pair: str) -> Findings:
        slot = self._pairs.slot(pair)
        if slot is None:
            raise KeyError(pair)
        return self._store.get(slot)  # a KeyError when the pair was never added

    def __iter__(self) -> Iterator[str]:
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)


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
        self._pairs = _JobPairs(chain(pending, (d.request for d in drafts)))
        self._store = job_findings
        self.csv = FindingsCsv(csv_stream)
        self.workbook = FindingsWorkbook() if xlsx_unavailable() is None else None

    def add(self, verdict: PairCheck) -> None:
        pair = verdict.pair_id
        findings = list(verdict.report.get("findings", ()))  # type: ignore[call-overload]
        slot = self._pairs.slot(pair)
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
        findings = _StoredFindings(self._pairs, self._store)
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

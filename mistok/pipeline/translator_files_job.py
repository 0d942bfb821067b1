"""The translators' files, ``xliff/*.xlf``, ``findings.csv`` and ``findings.xlsx``, made from
the spooled verdicts and translation requests in a worker of the local engine while the
driver writes the other files (:func:`stage_translator_files`).

As the bitext job (:mod:`mistok.pipeline.bitext_files`), the job only stages: each file is
written under a temporary name beside its place, and the driver puts it in place in the
write step with the rules every output follows
(:meth:`mistok.output_dir.OutputDir.publish_staged`); what it does not put in place it removes
(:meth:`StagedTranslatorFiles.discard`), and a killed run's temporary names are removed by
the next run. The staged files are byte for byte what the driver wrote itself before (the
same :class:`~mistok.export.translator_files.TranslatorFiles` over the same verdicts, in pair
order).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mistok import __version__
from mistok.export.translator_files import FINDINGS_CSV, FINDINGS_XLSX, TranslatorFiles
from mistok.output_files import TEMP_PREFIX, StagedFile, remove_quietly, stage_file, staged_blocks
from mistok.result_spool import ResultSpool, SpoolReader
from mistok.run_records import Draft, PairCheck, TranslationRequest


@dataclass(frozen=True)
class TranslatorFilesJob:
    """What :func:`stage_translator_files` needs: every pair's verdict and the requests left
    without a draft (their spools, read by name), the drafts, the output folder, and a folder
    for its temporary files (the cache folder)."""

    verdicts: SpoolReader[PairCheck]
    pending: SpoolReader[TranslationRequest]
    drafts: tuple[Draft, ...]
    out: str
    scratch: str


@dataclass(frozen=True)
class StagedTranslatorFiles:
    """The staged findings.csv, findings.xlsx (``None``: no openpyxl) and XLIFF documents:
    those are listed in the file ``xliff_list``, one JSON line each (an archive's thousands of
    documents are not a list in memory)."""

    findings_csv: StagedFile
    findings_xlsx: StagedFile | None
    xliff_list: str

    def xliff(self) -> Iterator[tuple[str, StagedFile]]:
        """Each XLIFF document's place (relative to the output folder) and staged file."""
        with open(self.xliff_list, encoding="utf-8") as lines:
            for line in lines:
                relative, path, digest, size = json.loads(line)
                yield relative, StagedFile(path, digest, size)

    def discard(self) -> None:
        """Remove whatever of it was not put in place (a published file's temporary name is
        gone already), and the list."""
        for path in (self.findings_csv.path, self.findings_xlsx and self.findings_xlsx.path):
            if path is not None:
                remove_quietly(Path(path))
        with contextlib.suppress(FileNotFoundError):
            for _, staged in self.xliff():
                remove_quietly(Path(staged.path))
        remove_quietly(Path(self.xliff_list))


def stage_translator_files(job: TranslatorFilesJob) -> StagedTranslatorFiles:
    """Stage the translators' files of the spooled verdicts and requests (a worker's job: the
    verdicts are read from their spool's file, one pair at a time)."""
    out, scratch = Path(job.out), Path(job.scratch)
    fd, listed = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".xliff-list", dir=scratch)
    try:
        xliff_list = open(fd, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    except BaseException:
        os.close(fd)
        remove_quietly(Path(listed))
        raise
    staged: list[str] = []
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(xliff_list)
            csv_rows = stack.enter_context(tempfile.TemporaryFile(dir=scratch))
            job_findings: ResultSpool[list[dict[str, object]]] = ResultSpool(scratch)
            stack.callback(job_findings.close)
            pending = stack.enter_context(job.pending.opened())
            translators = TranslatorFiles(job.drafts, pending, csv_rows, job_findings)
            stack.callback(translators.close)  # a workbook left unfinished by a failure
            for verdict in job.verdicts:
                translators.add(verdict)
            translators.csv.finish()
            for relative, blob in translators.xliff_files(__version__):  # one at a time
                document = stage_file(out / relative, [blob], sync=False)
                staged.append(document.path)
                xliff_list.write(json.dumps([relative, *document], ensure_ascii=False) + "\n")
            csv = stage_file(out / FINDINGS_CSV, staged_blocks(csv_rows), sync=False)
            staged.append(csv.path)
            xlsx = None
            with tempfile.TemporaryFile(dir=scratch) as workbook:
                if translators.write_xlsx(workbook):
                    xlsx = stage_file(out / FINDINGS_XLSX, staged_blocks(workbook), sync=False)
    except BaseException:
        xliff_list.close()
        for path in (*staged, listed):
            remove_quietly(Path(path))
        raise
    return StagedTranslatorFiles(csv, xlsx, listed)

"""Writing the output folder of ``mistok run`` from the stages' results.

Everything here is deterministic (no clocks, no absolute temporary paths), so a resumed run
writes the same bytes as a clean one; every file goes through :class:`OutputDir`'s atomic
writes, and files of an earlier run that this run did not produce are removed from the
folders the run owns (``alignments/``, ``pairs/``, ``drafts/``).

Each pair's review page and alignment are written as soon as the pair is aligned and checked
(:func:`write_pair_file`), since an archive's pages together do not fit in memory; the rest
is written at the end (:func:`write_outputs`), ``report.json`` and ``report.html`` last
(:mod:`mistok.pipeline.report`). Before a rerun changes the first file, the earlier report is
republished marked incomplete (:func:`mark_report_incomplete`), so an interrupted rerun leaves
either the earlier complete run or newer pages beside a report that says it is incomplete —
never a report linking pages that are gone (an earlier run's files are removed only after the
new report is out).

Files are mistok's by content, not by name (:class:`OutputDir`): a draft a translator
corrected or a file someone added is never replaced or removed, and is listed in the report
(``kept_files``) and the summary.

Layout::

    pairs.tsv               uk<TAB>en per pair, "-" for no counterpart, then "# skipped" lines
                            (as `mistok pair`)
    alignments/<pair>.json  beads with scores and the aligner signature
    pairs/<pair>.html       the review page of each pair
    articles/<id>.<lang>.html   a page per article without a counterpart (article_pages)
    drafts/                 machine drafts: <id>.<lang>.txt per article, <pair>.<lang>.json
    needs_translation.tsv   what still needs a translation (no model was available)
    xliff/<job>.xlf         XLIFF 2.0 per article and direction: the paragraphs to translate,
                            drafts as targets, findings as notes (mistok.export.xliff)
    findings.csv, findings.xlsx   every pair's findings as a spreadsheet (mistok.export.findings)
    report.json             everything above in one document; report.html links the pages
    junit.xml               one test suite per pair
    bitext.tmx, bitext.jsonl, dataset/ (HF dataset + bitext.parquet): sentence units, or
                            paragraph units with --tm-unit paragraph
    manifest.json           input content hashes, settings and output hashes
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from mistok import __version__
from mistok.archive import skipped_comment_block
from mistok.export.dataset import write_dataset
from mistok.export.junit import JunitSuites
from mistok.export.translator_files import FINDINGS_CSV, FINDINGS_XLSX, TranslatorFiles
from mistok.output_dir import MANIFEST_NAME, OutputDir, swap_in_folder
from mistok.output_files import StagedFile, staged_blocks
from mistok.pipeline.article_pages import unpaired_pages
from mistok.pipeline.bitext_files import DATASET_FOLDER, StagedBitext
from mistok.pipeline.report import (
    PairReportPiece,
    ScorePool,
    SeverityOrder,
    _json,
    _settings_dict,
    add_finding_counts,
    index_html_chunks,
    pair_consistency,
    pair_entry_json,
    pairs_json_end,
    report_head,
    report_json_chunks,
)
from mistok.pipeline.state import ResultSpool, RunState
from mistok.run_records import Draft, PairCheck, TranslationRequest


def write_pair_file(out: OutputDir, relative: str, text: str) -> None:
    """Write one of a pair's own files (its review page, its alignment; atomically; untouched
    when unchanged) as soon as the pair's results are known, so that an archive's pages are
    never all held in memory, and list it among the run's outputs (for the manifest; kept on
    disk, :meth:`OutputDir.add_output`). A file someone changed is kept instead
    (:attr:`OutputDir.kept`)."""
    _Written(out).put(relative, text)


class _Written:
    """Writes the run's files, each listed among its outputs with its SHA-256 (kept on disk
    by the output folder, :meth:`OutputDir.add_output`), unless a file that is not mistok's
    was kept in its place."""

    def __init__(self, out: OutputDir) -> None:
        self.out = out

    def put(self, relative: str, data: str | bytes) -> None:
        blob = data.encode("utf-8") if isinstance(data, str) else data
        self._listed_if_written(relative, self.out.write_bytes(relative, blob))

    def put_chunks(self, relative: str, chunks: Iterable[bytes]) -> None:
        self._listed_if_written(relative, self.out.write_chunks(relative, chunks))

    def put_staged(self, relative: str, staged: StagedFile) -> None:
        """A file staged beside its place already (:mod:`mistok.pipeline.bitext_files`)."""
        self._listed_if_written(relative, self.out.publish_staged(relative, staged))

    def _listed_if_written(self, relative: str, digest: str | None) -> None:
        """``None``: a file that is not mistok's was kept in its place, and is no output."""
        if digest is not None:
            self.out.add_output(relative, digest)

    def listed(self, digests: dict[str, str]) -> None:
        """List files already in place (a folder's, unchanged) among the outputs."""
        for relative, digest in digests.items():
            self.out.add_output(relative, digest)


def write_outputs(state: RunState) -> tuple[list[str], int]:
    """Write every output file but the pairs' own, which :func:`write_pair_file` wrote
    already (and listed among the outputs); remove what an earlier run wrote
    that this one did not. Without ``datasets`` installed (``state.dataset_problem``) ``dataset/``
    is removed, not written.

    The order keeps every view consistent: the files the report links first, then
    ``report.json`` and ``report.html``, then the manifest, and only then the removal of
    an earlier run's files that this one did not write. Files that are not mistok's (a
    corrected draft, an added file) are never replaced or removed: they are listed in the
    report and in :attr:`OutputDir.kept`. Returns the outputs' top-level names and their
    number (:func:`_written_names`)."""
    out = state.output
    files = _Written(out)
    files.put_chunks("pairs.tsv", _pairs_tsv(state))
    with contextlib.ExitStack() as stack:
        pairs = _read_pairs(state, stack)
        _write_drafts(files, state, pairs)
        staged = state.take_staged_bitext()  # made by a worker meanwhile, where one is free
        stack.callback(staged.discard)  # what is not put in place
        _write_bitext(files, pairs, staged)
        dataset_key = _write_dataset(files, state, staged)
        _write_report(files, state, pairs)
    out.before_first_change = None  # the new report is out: nothing is left to mark
    out.write_manifest(  # its outputs: every file listed by out.add_output, from the disk
        {
            "tool": {"name": "mistok", "version": __version__},
            "settings": _settings_dict(state.settings),
            "dataset_key": dataset_key,
            "kept": dict(sorted(out.kept.items())),
        },
        {"inputs": _manifest_inputs(state)},
    )
    out.prune_stale()  # what an earlier run wrote and this one did not, if unchanged
    out.finish()
    return _written_names(out, dataset_key is not None)


def _written_names(out: OutputDir, dataset: bool) -> tuple[list[str], int]:
    """The run's outputs as the folder's top level shows them (a file, or a folder as
    ``name/``), sorted, and how many outputs there are (``dataset/`` counted as one): an
    archive's thousands of pages are named by their folder."""
    names, count = {MANIFEST_NAME}, 1
    for relative in out.ledger.output_paths():
        if relative.startswith(DATASET_FOLDER + "/"):
            continue
        top, _, rest = relative.partition("/")
        names.add(f"{top}/" if rest else top)
        count += 1
    if dataset:
        names.add(DATASET_FOLDER + "/")
        count += 1
    return sorted(names), count


def _manifest_inputs(state: RunState) -> Iterable[tuple[str, str]]:
    """The manifest's inputs: ``("lang/id", content key)`` of every input article, sorted by
    that name (the manifest's order), spooled by the pair step."""
    return iter(state.input_keys or ())


def _write_drafts(files: _Written, state: RunState, pairs: _PairParts) -> None:
    """The drafts, the unpaired articles' pages, what needs translation, and the translators'
    files (XLIFF jobs, findings.csv and findings.xlsx)."""
    for draft in state.drafts:
        files.put(f"drafts/{draft.request.draft_name}", _draft_text(draft))
    unpaired_uk, unpaired_en = set(state.pairing.unpaired_uk), set(state.pairing.unpaired_en)
    archive = state.archive
    alone = chain(  # read back one at a time
        (archive.load(a) for a in archive.uk if a.id in unpaired_uk),
        (archive.load(a) for a in archive.en if a.id in unpaired_en),
    )
    for relative, page in unpaired_pages(alone, state.drafts):  # linked by report.html
        files.put(relative, page)
    files.put_chunks("needs_translation.tsv", _pending_tsv(state.pending))
    for relative, blob in pairs.translators.xliff_files(__version__):  # one at a time
        files.put(relative, blob)
    files.put_chunks(FINDINGS_CSV, staged_blocks(pairs.findings_csv))
    with tempfile.TemporaryFile(dir=state.output.cache.root) as workbook:
        if pairs.translators.write_xlsx(workbook):
            files.put_chunks(FINDINGS_XLSX, staged_blocks(workbook))


def _write_bitext(files: _Written, pairs: _PairParts, staged: StagedBitext) -> None:
    """junit.xml, piece by piece (an archive's verdicts are never one string, nor one XML
    tree, in memory), then bitext.jsonl and bitext.tmx, staged already."""
    junit = pairs.junit
    suites = staged_blocks(pairs.junit_suites)
    files.put_chunks("junit.xml", chain([junit.opening()], suites, [junit.closing()]))
    files.put_staged("bitext.jsonl", staged.jsonl)
    files.put_staged("bitext.tmx", staged.tmx)


def _write_dataset(files: _Written, state: RunState, staged: StagedBitext) -> str | None:
    """``dataset/`` (HF dataset and Parquet), rebuilt only when the bitext changed (its key
    in the manifest; ``staged`` built it where the key changed); its key, or None when it is
    not written."""
    out = files.out
    if state.dataset_problem is not None:  # an earlier run's dataset would not match
        out.remove(DATASET_FOLDER)
        return None
    manifest = out.manifest_before
    dataset_key = staged.dataset_key
    listed = out.ledger.listed(DATASET_FOLDER + "/")
    current = manifest.get("dataset_key") == dataset_key and out.path(DATASET_FOLDER).is_dir()
    if not listed and manifest.get("dataset_key") and manifest.get("format") is None:
        out.adopt_tree(DATASET_FOLDER)  # a manifest from before files were listed
        listed = out.tree_digests(DATASET_FOLDER)
    if current and listed:
        files.listed(listed)
    elif out.owns_tree(DATASET_FOLDER):
        if not current:
            out.changing()
            if staged.dataset is not None:
                swap_in_folder(Path(staged.dataset), out.path(DATASET_FOLDER))
            else:  # the folder went between the job's start and now
                write_dataset(state.bitext(), out.path(DATASET_FOLDER))
        files.listed(out.tree_digests(DATASET_FOLDER))
    else:  # someone's files are in dataset/: it stays as it is
        out.kept.setdefault(DATASET_FOLDER + "/", "holds files not written by mistok")
        return None
    return dataset_key


def _write_report(files: _Written, state: RunState, pairs: _PairParts) -> None:
    """report.json (its pairs staged by :func:`_read_pairs`) and report.html, published
    last: everything they link exists by now, and is on disk."""
    out = files.out
    head = report_head(
        state.settings,
        state.archive,
        state.notes,
        state.pairing,
        state.row_count,
        (state.drafts, state.pending, state.model_message),
        pairs.totals,
        pairs.score,
        state.article_counts,
    )
    out.find_stale(["report.json", "report.html"])  # besides the outputs listed so far
    out.foreign_files(["report.json", "report.html", MANIFEST_NAME])
    head["kept_files"] = [{"path": p, "why": why} for p, why in sorted(out.kept.items())]
    out.flush()
    before, after = report_json_chunks(head)
    entries = staged_blocks(pairs.report_pairs)
    files.put_chunks("report.json", chain(before, entries, [pairs_json_end(pairs.count)], after))
    rows = (pairs.summaries.get(number) for number in pairs.order.numbers())
    files.put_chunks("report.html", (c.encode("utf-8") for c in index_html_chunks(head, rows)))


@dataclass
class _PairParts:
    """What the archive-wide files need of every pair, from one pass over the pairs
    (:func:`_read_pairs`): their pair-by-pair parts staged in temporary files (report.json's
    entries, junit.xml's suites, findings.csv's rows) until what comes before them is known,
    each pair's report.html row spooled, and the totals. What stays in memory per pair is
    three integers in arrays (the counts that order report.html); the score components wait
    in temporary files (:class:`~mistok.pipeline.report.ScorePool`)."""

    report_pairs: BinaryIO
    junit_suites: BinaryIO
    findings_csv: BinaryIO
    summaries: ResultSpool[dict[str, object]]
    translators: TranslatorFiles
    junit: JunitSuites = field(default_factory=JunitSuites)
    #: each pair's place in report.html
    order: SeverityOrder = field(default_factory=SeverityOrder)
    totals: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "note": 0})
    score: dict[str, object] | None = None
    count: int = 0


def _read_pairs(state: RunState, stack: contextlib.ExitStack) -> _PairParts:
    """Read every pair's alignment and verdict back once, in pair order, and make from them
    the parts of report.json, report.html, junit.xml, findings.csv, findings.xlsx and the
    XLIFF documents (each verdict read once, not once per file). The temporary files and
    the spool are closed with ``stack``."""
    summaries: ResultSpool[dict[str, object]] = state.spool()  # makes the cache folder
    stack.callback(summaries.close)
    folder = state.output.cache.root
    staged = [stack.enter_context(tempfile.TemporaryFile(dir=folder)) for _ in range(3)]
    job_findings: ResultSpool[list[dict[str, object]]] = state.spool()
    stack.callback(job_findings.close)
    translators = TranslatorFiles(state.drafts, state.pending, staged[2], job_findings)
    parts = _PairParts(*staged, summaries, translators)
    stack.callback(parts.translators.close)  # a workbook left unfinished by a failure
    scores = ScorePool(folder)
    stack.callback(scores.close)
    verdicts: Iterable[PairCheck] = state.verdicts or ()
    pieces: Iterable[PairReportPiece] = state.report_pieces or ()
    for number, (piece, verdict) in enumerate(zip(pieces, verdicts, strict=True)):
        parts.report_pairs.write(pair_entry_json(piece.entry, first=number == 0))
        summaries.put(number, dict(piece.summary))
        counts = piece.summary.get("counts")
        parts.order.add(counts)  # type: ignore[arg-type]
        parts.junit_suites.write(parts.junit.add_block(piece.junit, piece.junit_counts))
        parts.translators.add(verdict)
        add_finding_counts(parts.totals, verdict.counts)
        scores.add(pair_consistency(verdict))
        parts.count += 1
    parts.translators.csv.finish()
    parts.score = scores.pooled(state.settings.config.score_settings())
    return parts


def _draft_text(draft: Draft) -> str:
    """A draft file that says, in its first lines, that it is an unreviewed machine draft."""
    request = draft.request
    if request.pair_id is None:
        header = {
            "id": request.article_id,
            "lang": request.tgt,
            "machine_draft": True,
            "model": draft.model,
            "translated_from": f"{request.article_id} ({request.src})",
            "note": "machine translation draft; review before publishing",
        }
        if draft.issues:
            header["translation_issues"] = list(draft.issues)
        lines = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in header.items())]
        return "\n".join([*lines, "---", "", "\n\n".join(draft.texts), ""])
    return _json(
        {
            "machine_draft": True,
            "note": "machine translation draft; review before publishing",
            "model": draft.model,
            "pair": request.pair_id,
            "article": request.article_id,
            "src": request.src,
            "tgt": request.tgt,
            "translation_issues": list(draft.issues),
            "paragraphs": [
                {"index": i, "source": s, "draft": d}
                for i, s, d in zip(request.indices, request.texts, draft.texts, strict=True)
            ],
        }
    )


def _pending_tsv(pending: Iterable[TranslationRequest]) -> Iterator[bytes]:
    """needs_translation.tsv, a block of lines at a time."""
    header = ["kind\tarticle\tsrc\ttgt\tparagraphs\tpair"]
    rows = (
        f"{r.kind}\t{r.article_id}\t{r.src}\t{r.tgt}\t{','.join(map(str, r.indices))}"
        f"\t{r.pair_id or '-'}"
        for r in pending
    )
    return _line_blocks(chain(header, rows))


def _pairs_tsv(state: RunState) -> Iterator[bytes]:
    """pairs.tsv (:meth:`mistok.run_records.Pairing.tsv_lines` and the skipped inputs' comment
    lines), a block of lines at a time."""
    yield from _line_blocks(state.pairing.tsv_lines())
    yield skipped_comment_block(state.archive.skipped).encode("utf-8")


def _line_blocks(lines: Iterable[str], size: int = 4096) -> Iterator[bytes]:
    """``lines``, each ended by a newline, as UTF-8 in blocks of ``size`` lines."""
    block: list[str] = []
    for line in lines:
        block.append(line)
        if len(block) == size:
            yield ("\n".join(block) + "\n").encode("utf-8")
            block = []
    if block:
        yield ("\n".join(block) + "\n").encode("utf-8")

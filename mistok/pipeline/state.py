"""The one record a run of ``mistok run`` goes through (:class:`RunState`), each step of the
driver filling its part, and what the run reports back (:class:`RunSummary`).

The state holds what the archive-wide outputs need in a small form: the articles' stand-ins
(in arrays; the articles are in a temporary file, :mod:`mistok.article_store`) and counts.
What grows with the archive — the pairing, the articles' keys for the manifest, what the
reports take of each pair, the checks' verdicts, the bitext rows — goes to a
:class:`ResultSpool` as it arrives (a temporary file), and the writers read it back one pair
at a time, in pair order: the driver's memory does not grow with the pairs, the findings or
the bitext.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from eval.baseline import Baseline, BaselineEntry
from mistok import __version__
from mistok.output_dir import FolderLock, OutputDir
from mistok.pipeline.bitext_files import StagedBitext
from mistok.pipeline.scheduling import StageScheduler
from mistok.result_spool import ResultSpool, SequentialSpool
from mistok.run_records import (
    BitextRow,
    Draft,
    PairBitext,
    PairCheck,
    Pairing,
    RunInputs,
    RunSettings,
    TranslationRequest,
)

#: Bump when a change of the pipeline changes results, so that old cache entries are not used.
# 6: every finding with a confidence and evidence; 5: coverage findings with confidence;
# 4: names and numbers findings with confidence; 3: fingerprints, scores
PIPELINE_VERSION = "6"

T = TypeVar("T")
Track = Callable[[Iterable[T], str, int], Iterable[T]]


def no_progress(items: Iterable[T], description: str, total: int) -> Iterable[T]:
    """A :data:`Track` that shows nothing."""
    return items


def stage_versions() -> dict[str, str]:
    """What identifies the code of the stages (part of every cache key; each stage adds the
    fingerprint of its effective settings, :meth:`mistok.run_config.RunConfig.fingerprint`)."""
    return {"pipeline": PIPELINE_VERSION, "mistok": __version__}


@dataclass
class RunState:
    """Everything a run knows, filled step by step (:mod:`mistok.pipeline.steps`)."""

    settings: RunSettings
    lock: FolderLock
    scheduler: StageScheduler
    translator: object | None = None
    track: Track = no_progress
    timings: dict[str, float] = field(default_factory=dict)
    reused: dict[str, int] = field(
        default_factory=lambda: {"pair": 0, "align": 0, "translate": 0, "check": 0}
    )
    #: the items each stage computed (not taken from the cache)
    computed: dict[str, int] = field(
        default_factory=lambda: {"pair": 0, "align": 0, "bitext": 0, "check": 0}
    )
    notes: list[str] = field(default_factory=list)
    # read
    out: OutputDir | None = None
    #: the archive's articles; once the pairs are aligned and checked, only the unpaired ones
    archive: RunInputs = RunInputs((), ())
    #: how many Ukrainian and English articles the archive has
    article_counts: tuple[int, int] = (0, 0)
    files_before: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    bridge: dict[str, tuple[str, ...]] = field(default_factory=dict)
    style: object | None = None
    style_id: str | None = None
    baseline: Baseline | None = None
    baseline_id: str | None = None
    dataset_problem: str | None = None
    # pair
    #: each article's ``lang/id`` and fingerprint, by ``lang/id`` (for the manifest)
    input_keys: SequentialSpool[tuple[str, str]] | None = None
    versions: dict[str, str] = field(default_factory=stage_versions)
    pairing: Pairing = Pairing((), (), (), "")
    # align
    #: what the archive-wide reports take of each pair, in pair order
    #: (:class:`mistok.pipeline.report.PairReportPiece`)
    report_pieces: ResultSpool | None = None
    #: the pairs' beads, and their one-sided paragraphs
    bead_count: int = 0
    one_sided_count: int = 0
    #: the one-sided paragraphs of each pair, as requests for a draft, by pair number
    one_sided_requests: ResultSpool[tuple[TranslationRequest, ...]] | None = None
    # bitext: each pair's rows, and how many there are
    rows: ResultSpool[PairBitext] | None = None
    row_count: int = 0
    #: the job that stages the bitext files (:mod:`mistok.pipeline.bitext_files`), once
    #: started: called, it gives them
    staged_bitext: Callable[[], StagedBitext] | None = None
    # translate
    #: every request for a draft: the pairs' one-sided paragraphs, then the unpaired articles
    translation_requests: ResultSpool[TranslationRequest] | None = None
    drafts: list[Draft] = field(default_factory=list)
    #: the requests left without a draft (read back from ``translation_requests``)
    pending: Sequence[TranslationRequest] = ()
    model_message: str | None = None
    # check: each pair's verdict without its page
    verdicts: ResultSpool[PairCheck] | None = None
    # write: the outputs' top-level names (a folder as ``name/``), and how many outputs
    written: list[str] = field(default_factory=list)
    written_count: int = 0

    @property
    def output(self) -> OutputDir:
        """The output folder (made by the read step)."""
        assert self.out is not None, "the read step makes the output folder"
        return self.out

    def spool(self, *, named: bool = False) -> ResultSpool:
        """A new spool in the output folder's cache folder (on the outputs' disk); a ``named``
        one can be read by a worker (:meth:`ResultSpool.reader`)."""
        return ResultSpool(self.output.cache.root, named=named)

    def bitext(self) -> Iterator[BitextRow]:
        """Every pair's bitext rows, in pair order, read back from the spool."""
        for pair in self.rows or ():
            yield from pair.rows

    def take_staged_bitext(self) -> StagedBitext:
        """The bitext files the job staged (waiting for it, raising what it raised): the
        caller puts them in place or discards them."""
        assert self.staged_bitext is not None, "the per-pair step starts the job"
        pending, self.staged_bitext = self.staged_bitext, None
        return pending()

    def close(self) -> None:
        if self.staged_bitext is not None:  # the run stopped before its write step
            with contextlib.suppress(Exception):  # the error that stopped the run says why
                self.take_staged_bitext().discard()
        # commit the result cache's last batch and close its database; on a full disk the
        # error that stopped the run says so
        if self.out is not None:
            with contextlib.suppress(OSError):
                self.out.close()
        spools = (self.input_keys, self.report_pieces, self.rows, self.verdicts)
        for spool in (*spools, self.one_sided_requests, self.translation_requests):
            if spool is not None:
                spool.close()
        if isinstance(self.pairing.pairs, ResultSpool):
            self.pairing.pairs.close()
        if self.archive.store is not None:
            self.archive.store.close()


@dataclass(frozen=True)
class RunSummary:
    """What a run did: counts, seconds per stage, problems met, and where the output is."""

    out: Path
    counts: Mapping[str, int]
    timings: Mapping[str, float]
    reused: Mapping[str, int]
    #: The items each stage computed (``pair``, ``align``, ``bitext``, ``check``).
    computed: Mapping[str, int] = field(default_factory=dict)
    skipped: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    #: What no model drafted: each request without its texts (``texts`` is empty; the
    #: articles and paragraphs it names are in the inputs, and needs_translation.tsv lists it).
    needs_translation: tuple[TranslationRequest, ...] = ()
    model_message: str | None = None
    #: The outputs at the folder's top level, sorted: files, and folders as ``name/``.
    outputs: tuple[str, ...] = field(default=())
    #: How many outputs the run wrote (or found unchanged); ``dataset/`` counts as one.
    output_count: int = 0
    #: Files of the folder left in place because they are not mistok's, and why.
    kept: tuple[tuple[str, str], ...] = ()
    #: Every finding a baseline written now would record (``--write-baseline``); made only
    #: when :attr:`mistok.run_records.RunSettings.record_baseline` asks for it, else empty.
    baseline_entries: tuple[BaselineEntry, ...] = ()

"""The driver of ``mistok run``: its steps in order over one run state, and the summary.

The driver does the I/O — reading the inputs, the result cache, writing the outputs — and
decides the order of the work (:mod:`mistok.pipeline.steps`); the stage functions of
:mod:`mistok.pipeline.stages` run through a scheduler (:mod:`mistok.pipeline.scheduling`).
The local engine is the driver with the in-process scheduler or a pool of worker processes;
the Ray engine (:mod:`mistok.pipeline.ray_engine`) is the same driver with a scheduler that
maps the stages over a Ray cluster. Since only the scheduler differs, both write the same
files.

Resuming: each stage result is cached under a key made from its inputs' content and the
settings (:func:`mistok.output_dir.content_key`), so a rerun redoes only what is missing, and
every output is made from the (cached or fresh) results in a fixed order: an interrupted run
resumes to the same output as a clean one, whichever engine ran it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from eval.baseline import BaselineEntry, entry_from_dict
from mistok.output_dir import FolderLock
from mistok.pipeline.free_memory import keep_large_blocks_apart, release_free_memory
from mistok.pipeline.report import mark_report_incomplete
from mistok.pipeline.scheduling import (
    ProcessPoolScheduler,
    StageScheduler,
    local_workers,
)
from mistok.pipeline.state import RunState, RunSummary, Track, no_progress
from mistok.pipeline.steps import STEPS
from mistok.run_records import PairCheck, RunSettings


def run_pipeline(
    settings: RunSettings,
    *,
    translator: object | None = None,
    track: Track = no_progress,
    scheduler: StageScheduler | None = None,
) -> RunSummary:
    """Run read → pair → align → bitext → translate → check → write into ``settings.out``.

    ``translator`` (anything with ``translate(texts, src, tgt)``) replaces loading
    ``settings.model``. ``scheduler`` runs the stage functions (default: in this process;
    :class:`mistok.pipeline.ray_engine.RayScheduler` on a Ray cluster): it changes where they
    run, never what the run writes. Without one, the local engine runs the CPU stages in one
    worker process per core (:class:`ProcessPoolScheduler`; ``$MISTOK_RUN_WORKERS`` sets how
    many, 1 for none). Raises :class:`InputError` only when nothing can proceed, and an
    ``OutputError`` when another run holds the folder (:class:`FolderLock`).
    """
    lock = FolderLock(Path(settings.out))
    keep_large_blocks_apart()  # the driver's memory stays flat (mistok.pipeline.free_memory)
    try:
        if scheduler is not None:
            return _run_steps(RunState(settings, lock, scheduler, translator, track))
        with ProcessPoolScheduler(local_workers()) as local:
            return _run_steps(RunState(settings, lock, local, translator, track))
    finally:
        lock.release()


def _run_steps(state: RunState) -> RunSummary:
    """Every step of :data:`mistok.pipeline.steps.STEPS` in order, each timed."""
    try:
        for name, step in STEPS:
            clock = time.perf_counter()
            step(state)
            release_free_memory()  # what the step let go, before the next one starts
            state.timings[name] = time.perf_counter() - clock
        return summary(state)
    except BaseException:
        _leave_no_complete_report(state)
        raise
    finally:
        state.close()


def _leave_no_complete_report(state: RunState) -> None:
    """A run that stops after its new report.json is out but before the run is complete (its
    manifest or the removal of stale files failed) marks that report incomplete, as the first
    change of a rerun marks the earlier one: no report claims a complete run that is not."""
    out = state.out
    report_written = out is not None and out.before_first_change is None
    if out is not None and report_written and not state.written:
        with contextlib.suppress(OSError):  # a full disk: the error that stopped the run says so
            mark_report_incomplete(out)


def summary(state: RunState) -> RunSummary:
    """What the run did, for the command line (never part of the outputs). The spooled
    verdicts are read once."""
    archive, pairing = state.archive, state.pairing
    verdicts = _VerdictTotals.of(state.verdicts or (), state.settings.record_baseline)
    counts = {
        "uk_articles": state.article_counts[0],
        "en_articles": state.article_counts[1],
        "pairs": len(pairing.pairs),
        "unpaired_uk": len(pairing.unpaired_uk),
        "unpaired_en": len(pairing.unpaired_en),
        "beads": state.bead_count,
        "one_sided_paragraphs": state.one_sided_count,
        "bitext_rows": state.row_count,
        "drafts": len(state.drafts),
        "needs_translation": len(state.pending),
        "skipped_files": len(archive.skipped),
        "declared_language_mismatches": archive.language_mismatches,
        **{f"findings_{k}": v for k, v in verdicts.findings.items()},
        "findings_accepted": verdicts.accepted,
        "findings_baselined": verdicts.baselined,
    }
    return RunSummary(
        out=state.output.root,
        counts=MappingProxyType(counts),
        timings=MappingProxyType(state.timings),
        reused=MappingProxyType(state.reused),
        computed=MappingProxyType(state.computed),
        skipped=archive.skipped,
        notes=tuple(state.notes),
        # without their texts: an archive's unpaired articles would all be in memory at once
        needs_translation=tuple(dataclasses.replace(r, texts=()) for r in state.pending),
        model_message=state.model_message,
        outputs=tuple(state.written),
        output_count=state.written_count,
        kept=tuple(sorted(state.output.kept.items())),
        baseline_entries=tuple(verdicts.baseline_entries),
    )


@dataclass
class _VerdictTotals:
    """What the summary takes from every pair's verdict: findings per severity, the findings
    the style file accepted and the baseline held back, and (when asked) every finding's
    baseline entry."""

    findings: dict[str, int]
    accepted: int
    baselined: int
    baseline_entries: list[BaselineEntry]

    @classmethod
    def of(cls, verdicts: Iterable[PairCheck], with_entries: bool) -> _VerdictTotals:
        totals = cls({"error": 0, "warning": 0, "note": 0}, 0, 0, [])
        for verdict in verdicts:
            for severity, count in verdict.counts.items():
                totals.findings[severity] = totals.findings.get(severity, 0) + int(count)
            suppressed = verdict.report.get("suppressed") or {}
            held_back = suppressed.get("baseline", ())  # type: ignore[union-attr]
            totals.accepted += int(suppressed.get("accepted", 0))  # type: ignore[union-attr]
            totals.baselined += len(held_back)
            if not with_entries:
                continue
            found = [*verdict.report.get("findings", ()), *held_back]
            totals.baseline_entries += [entry_from_dict(f) for f in found]  # type: ignore[arg-type]
        return totals

"""The driver of ``mistok run``, and its local engine.

This module does the I/O — reading the inputs, the result cache, writing the outputs — and
decides the order of the work: the stage functions of :mod:`mistok.stages` run through a
scheduler (:mod:`mistok.scheduling`). The local engine is the driver with the in-process
scheduler; the Ray engine (:mod:`mistok.ray_engine`) is the same driver with a scheduler that
maps the stages over a Ray cluster. Since only the scheduler differs, both write the same files.

Resuming: each stage result is cached under a key made from its inputs' content and the
settings (:func:`mistok.output_dir.content_key`), so a rerun redoes only what is missing, and
every output is made from the (cached or fresh) results in a fixed order: an interrupted run
resumes to the same output as a clean one, whichever engine ran it.
"""

from __future__ import annotations

import functools
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from aligner.document import Article
from aligner.errors import InputError, MistokError, ModelUnavailableError
from aligner.language import LANGUAGE_NAMES
from eval.baseline import Baseline, BaselineEntry, entry_from_dict, read_baseline
from mistok import __version__
from mistok.export.dataset import dataset_unavailable
from mistok.output_dir import (
    FolderLock,
    OutputDir,
    ResultCache,
    check_output_folder,
    content_key,
    refuse_foreign_folder,
)
from mistok.pipeline.drafting import GivenTranslator
from mistok.pipeline.scheduling import (
    InProcessScheduler,
    ProcessPoolScheduler,
    StageScheduler,
    local_workers,
)
from mistok.pipeline.stages import (
    align_pair,
    article_request,
    bitext_rows,
    check_aligned_pair,
    merge_pairing,
    one_sided_paragraph_requests,
    pair_partition,
    pairing_partitions,
)
from mistok.pipeline.writers import (
    finding_totals,
    mark_report_incomplete,
    write_outputs,
    write_review_page,
)
from mistok.review.files import (
    apply_review_alignments,
    with_review_baseline,
    with_review_style,
)
from mistok.run_records import (
    AlignedPair,
    ArticlePair,
    BitextRow,
    Draft,
    PairCheck,
    Pairing,
    RunInputs,
    RunSettings,
    TranslationRequest,
    alignment_from_dict,
    article_fingerprint,
)

#: Bump when a change of the pipeline changes results, so that old cache entries are not used.
# 6: every finding with a confidence and evidence; 5: coverage findings with confidence;
# 4: names and numbers findings with confidence; 3: fingerprints, scores
PIPELINE_VERSION = "6"



def _no_hook(stage: str, done: int) -> None:
    """Nothing: see :data:`after_stage_result`."""


#: Called with the stage ("align", "check") and the number of its fresh results so far, after
#: each is cached (and its review page written). Does nothing; only tests replace it, e.g. to
#: kill the run half-way (tests/killed_run.py).
after_stage_result: Callable[[str, int], None] = _no_hook

#: Translation requests (one-sided paragraphs of a pair, or an article) per model call; the
#: drafts are cached after each call.
TRANSLATE_BATCH = 32

MODEL_HINT = "get a model with `mistok models pull opus-mt`, or pass --model PATH"

T = TypeVar("T")
Track = Callable[[Iterable[T], str, int], Iterable[T]]


def _no_progress(items: Iterable[T], description: str, total: int) -> Iterable[T]:
    return items


@dataclass(frozen=True)
class RunSummary:
    """What a run did: counts, seconds per stage, problems met, and where the output is."""

    out: Path
    counts: Mapping[str, int]
    timings: Mapping[str, float]
    reused: Mapping[str, int]
    skipped: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    needs_translation: tuple[TranslationRequest, ...] = ()
    model_message: str | None = None
    outputs: tuple[str, ...] = field(default=())
    #: Files of the folder left in place because they are not mistok's, and why.
    kept: tuple[tuple[str, str], ...] = ()
    #: Every finding a baseline written now would record (``--write-baseline``).
    baseline_entries: tuple[BaselineEntry, ...] = ()


# -- reading ---------------------------------------------------------------------------------


def read_run_inputs(inputs: Sequence[Path]) -> RunInputs:
    """Read the articles of one archive (a folder, a JSON Lines or Parquet file or a folder of
    their shards, a saved HF dataset), or of a Ukrainian and an English folder, exactly as
    ``mistok pair`` does.

    Unreadable files and repeated ids or texts are skipped and listed; the declared language
    (folder, front matter, record) wins, and a text that looks otherwise is noted and counted.
    """
    from mistok.archive import read_archive

    found = read_archive([Path(p) for p in inputs])
    return RunInputs(
        uk=tuple(sorted(found.uk, key=lambda a: a.id)),
        en=tuple(sorted(found.en, key=lambda a: a.id)),
        skipped=tuple((str(p), reason) for p, reason in found.skipped),
        notes=tuple(found.notes),
        language_mismatches=len(found.language_mismatches),
    )


#: An input file's size and modification time (ns): what says it changed.
FileState = tuple[int, int]


def input_files(inputs: Sequence[Path], out: Path | None = None) -> dict[str, FileState]:
    """The size and modification time of every file of the inputs (files in folders, at any
    depth; nothing under ``out``), to tell whether the archive changed while it was read."""
    skip = Path(out).resolve() if out is not None else None
    found: dict[str, FileState] = {}
    for given in inputs:
        path = Path(given)
        files = sorted(p for p in path.rglob("*")) if path.is_dir() else [path]
        holds_out = skip is not None and skip.is_relative_to(path.resolve())
        for file in files:
            if holds_out and file.resolve().is_relative_to(skip):  # type: ignore[arg-type]
                continue
            try:
                stat = file.stat()
            except OSError:  # gone between listing and stat: absent
                continue
            if not file.is_dir():
                found[str(file)] = (stat.st_size, stat.st_mtime_ns)
    return found


def refuse_changed_inputs(
    before: Mapping[str, FileState], after: Mapping[str, FileState], when: str
) -> None:
    """Raise :class:`InputError` naming the first input file that appeared, disappeared or
    changed between ``before`` and ``after`` (``when``: "while the archive was read", "during
    the run"): the run would describe an archive that no longer exists. Every result computed
    so far is cached, so a rerun on the finished archive resumes."""
    rerun = "rerun once the archive is complete (the work done so far is kept)"
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            raise InputError(f"input {name} disappeared {when}; {rerun}")
        if name not in before:
            raise InputError(f"input {name} appeared {when}; {rerun}")
        if before[name] != after[name]:
            size_before, size_after = before[name][0], after[name][0]
            how = (
                f"grew from {size_before} to {size_after} bytes"
                if size_after > size_before
                else f"changed ({size_before} → {size_after} bytes)"
            )
            raise InputError(f"input {name} {how} {when}; {rerun}")


def read_bridge(
    folder: Path, uk: Sequence[Article]
) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The English machine translation of each Ukrainian article found in ``folder``, split
    into paragraphs; and notes on files that could not be read (see
    :func:`aligner.bridge_files.read_bridge_folder`). A run goes on without a bridge it cannot
    use."""
    from aligner.bridge_files import read_bridge_folder

    found = read_bridge_folder(folder, uk)
    return dict(found.paragraphs), list(found.notes)


# -- the run ---------------------------------------------------------------------------------


def run_pipeline(
    settings: RunSettings,
    *,
    translator: object | None = None,
    track: Track = _no_progress,
    scheduler: StageScheduler | None = None,
) -> RunSummary:
    """Run read → pair → align → translate → check → write into ``settings.out``.

    ``translator`` (anything with ``translate(texts, src, tgt)``) replaces loading
    ``settings.model``. ``scheduler`` runs the stage functions (default: in this process;
    :class:`mistok.ray_engine.RayScheduler` on a Ray cluster): it changes where they run,
    never what the run writes. Without one, the local engine runs the CPU stages in one worker
    process per core (:class:`ProcessPoolScheduler`; ``$MISTOK_RUN_WORKERS`` sets how many, 1
    for none). Raises :class:`InputError` only when nothing can proceed, and an
    ``OutputError`` when another run holds the folder (:class:`FolderLock`).
    """
    lock = FolderLock(Path(settings.out))
    try:
        if scheduler is not None:
            return _run_pipeline(settings, lock, translator, track, scheduler)
        with ProcessPoolScheduler(local_workers()) as local:
            return _run_pipeline(settings, lock, translator, track, local)
    finally:
        lock.release()


def _run_pipeline(
    settings: RunSettings,
    lock: FolderLock,
    translator: object | None,
    track: Track,
    scheduler: StageScheduler | None,
) -> RunSummary:
    """:func:`run_pipeline`, which takes ``lock`` before the inputs are read when the folder
    exists, else once they are read (so that bad input leaves no new folder behind)."""
    scheduler = scheduler or InProcessScheduler()
    timings: dict[str, float] = {}
    reused = {"pair": 0, "align": 0, "translate": 0, "check": 0}
    clock = time.perf_counter()

    out_path = Path(settings.out)
    for given in settings.inputs:
        if Path(given).exists() and Path(given).resolve() == out_path.resolve():
            raise InputError(f"output {out_path} is an input folder; choose another -o")
    check_output_folder(out_path)
    refuse_foreign_folder(out_path)
    if out_path.is_dir():  # an existing folder: find out now whether another run holds it
        lock.acquire()

    files_before = input_files(settings.inputs, out_path)
    archive = read_run_inputs(settings.inputs)
    refuse_changed_inputs(
        files_before, input_files(settings.inputs, out_path), "while the archive was read"
    )
    _refuse_unusable(archive, settings.inputs)
    bridge: dict[str, tuple[str, ...]] = {}
    notes = list(archive.notes)
    if settings.bridge is not None:
        bridge, bridge_notes = read_bridge(settings.bridge, archive.uk)
        notes += bridge_notes
    style, style_id = _load_style(settings.style)
    baseline, baseline_id = _load_baseline(settings.baseline)
    # a review's decisions (mistok review): dismissed findings, accepted spellings
    baseline, baseline_id = with_review_baseline(out_path, baseline, baseline_id)
    style, style_id = with_review_style(out_path, style, style_id)
    if not lock.held:  # a new folder is made only now, once the inputs proved usable
        lock.acquire()
        refuse_foreign_folder(out_path)  # another run may have made it meanwhile
    try:
        out = OutputDir(out_path)
    except OSError as err:
        raise InputError(f"output {out_path}: cannot create it: {err.strerror}") from None
    out.before_first_change = functools.partial(mark_report_incomplete, out)
    cache = out.cache
    dataset_problem = dataset_unavailable()
    if dataset_problem:
        notes.append(dataset_problem)
    timings["read"] = time.perf_counter() - clock

    # pair
    clock = time.perf_counter()
    fingerprints = {
        (a.id, a.lang): content_key(article_fingerprint(a)) for a in archive.uk + archive.en
    }
    versions = _stage_versions()
    config = settings.config
    pair_key = content_key(
        "pair",
        versions,
        config.fingerprint("pair"),
        sorted(fingerprints[(a.id, "uk")] for a in archive.uk),
        sorted(fingerprints[(a.id, "en")] for a in archive.en),
        sorted(bridge.items()),
    )
    cached = cache.get("pair", pair_key)
    if cached is not None:
        pairing = Pairing.from_dict(cached["pairing"])  # type: ignore[index]
        pairing_notes = list(cached["notes"])  # type: ignore[index]
        reused["pair"] += 1
    else:
        pair_bridge = {uk_id: "\n\n".join(pars) for uk_id, pars in bridge.items()}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")  # e.g. the bridge's gaps, said once for the archive
            plan = pairing_partitions(archive.uk, archive.en, pair_bridge or None, config.pair)
        pair_one = functools.partial(pair_partition, settings=config.pair)
        paired = dict(track(scheduler.map("pair", pair_one, plan), "pair", len(plan)))
        del plan
        pairing, partition_notes = merge_pairing(
            list(paired.values()),  # merged in partition order, whatever the arrival order
            [a.id for a in archive.uk],
            [a.id for a in archive.en],
            config.pair,
        )
        pairing_notes = list(dict.fromkeys([str(w.message) for w in caught] + partition_notes))
        cache.put("pair", pair_key, {"pairing": pairing.to_dict(), "notes": pairing_notes})
    notes += pairing_notes
    timings["pair"] = time.perf_counter() - clock

    # align
    clock = time.perf_counter()
    uk_by_id = {a.id: a for a in archive.uk}
    en_by_id = {a.id: a for a in archive.en}
    aligned_now = 0
    aligned_at: dict[int, AlignedPair] = {}
    align_keys: dict[str, str] = {}
    to_align: list[tuple[int, ArticlePair, str]] = []
    for number, link in enumerate(pairing.pairs):
        uk, en = uk_by_id[link.uk_id], en_by_id[link.en_id]
        pair = ArticlePair(uk, en, link, bridge.get(uk.id))
        if pair.bridge and pair.usable_bridge is None:
            notes.append(
                f"bridge of {uk.id}: {len(pair.bridge)} paragraphs for the article's "
                f"{len(uk.paragraphs)}, so it paired the article but did not align it; give one "
                "English paragraph per Ukrainian paragraph"
            )
        key = content_key(
            "align",
            versions,
            config.fingerprint("align"),
            fingerprints[(uk.id, "uk")],
            fingerprints[(en.id, "en")],
            pair.bridge,
        )
        align_keys[pair.pair_id] = key
        cached = cache.get("align", key)
        if cached is not None:
            aligned_at[number] = AlignedPair(pair, alignment_from_dict(cached))  # type: ignore[arg-type]
            reused["align"] += 1
        else:
            to_align.append((number, pair, key))
    align_one = functools.partial(align_pair, settings=config.align)
    results = scheduler.map("align", align_one, [pair for _, pair, _ in to_align])
    for index, result in track(results, "align", len(to_align)):
        number, pair, key = to_align[index]
        cache.put("align", key, result.alignment_dict())
        # what the cache gives back on a rerun, so that both runs write the same bytes
        aligned_at[number] = AlignedPair(pair, alignment_from_dict(result.alignment_dict()))
        aligned_now += 1
        after_stage_result("align", aligned_now)
    aligned = [aligned_at[number] for number in range(len(pairing.pairs))]
    del aligned_at, to_align
    # the beads a person set in mistok review, where the articles are unchanged
    aligned, align_keys, review_notes = apply_review_alignments(
        out_path, aligned, align_keys, fingerprints
    )
    notes += review_notes
    timings["align"] = time.perf_counter() - clock

    # bitext: the translation-memory units of each pair (sentence alignment inside the beads)
    clock = time.perf_counter()
    rows = _bitext(aligned, align_keys, versions, settings.tm_unit, cache, scheduler, track)
    timings["bitext"] = time.perf_counter() - clock

    # translate
    clock = time.perf_counter()
    requests = [r for a in aligned for r in one_sided_paragraph_requests(a)]
    requests += [article_request(uk_by_id[i]) for i in pairing.unpaired_uk]
    requests += [article_request(en_by_id[i]) for i in pairing.unpaired_en]
    drafts, pending, model_message, hits = _translate(
        requests, settings, translator, cache, scheduler, track
    )
    reused["translate"] += hits
    flagged = [d for d in drafts if d.issues]
    if flagged:
        notes.append(
            f"{len(flagged)} of {len(drafts)} machine drafts have translation issues worth a "
            f"look (e.g. {flagged[0].request.draft_name}: {flagged[0].issues[0]}); "
            "report.html lists them"
        )
    timings["translate"] = time.perf_counter() - clock

    # check
    clock = time.perf_counter()
    check_settings = _check_settings(config.check_settings())
    verdicts: dict[int, PairCheck] = {}
    pages: dict[str, str] = {}
    to_check: list[tuple[int, str]] = []
    for number, item in enumerate(aligned):
        # the report names the source files (and their line numbers): part of the key
        sources = [str(item.pair.uk.source), str(item.pair.en.source)]
        key = content_key(
            "check",
            versions,
            align_keys[item.pair_id],
            sources,
            style_id,
            check_settings,
            *([baseline_id] if baseline_id else []),  # no baseline: the keys of earlier runs
            *([config.score_settings()] if config.score else []),
        )
        cached = cache.get("check", key)
        if cached is None:
            to_check.append((number, key))
            continue
        verdict = PairCheck.from_dict(cached)  # type: ignore[arg-type]
        reused["check"] += 1
        relative, digest = write_review_page(out, verdict)
        pages[relative] = digest
        verdicts[number] = verdict.without_page()
    check = functools.partial(
        check_aligned_pair,
        style=style,
        style_id=style_id,
        baseline=baseline,
        checks=config.check_settings() or None,
        score=config.score_settings() or None,
    )
    results = scheduler.map("check", check, [aligned[number] for number, _ in to_check])
    for checked_now, (index, verdict) in enumerate(track(results, "check", len(to_check)), 1):
        number, key = to_check[index]
        cache.put("check", key, verdict.to_dict())
        relative, digest = write_review_page(out, verdict)
        pages[relative] = digest
        verdicts[number] = verdict.without_page()
        after_stage_result("check", checked_now)
    timings["check"] = time.perf_counter() - clock

    # write
    clock = time.perf_counter()
    # outputs made from inputs that changed since they were read would describe neither
    refuse_changed_inputs(files_before, input_files(settings.inputs, out_path), "during the run")
    checked = [verdicts[number] for number in range(len(aligned))]  # every pair, in order
    try:
        written = write_outputs(
            out,
            settings=settings,
            archive=archive,
            notes=notes,
            pairing=pairing,
            aligned=aligned,
            verdicts=checked,
            pages=pages,
            rows=rows,
            drafts=drafts,
            pending=pending,
            model_message=model_message,
            fingerprints=fingerprints,
            with_dataset=dataset_problem is None,
        )
    except OSError as err:
        where = err.filename or out.root
        raise MistokError(
            f"output {out.root}: cannot write {where}: {err.strerror}; the files written so far "
            "are whole, and a rerun resumes"
        ) from None
    cache.drop_unused()  # results of inputs that are gone
    timings["write"] = time.perf_counter() - clock

    findings = finding_totals(checked)
    counts = {
        "uk_articles": len(archive.uk),
        "en_articles": len(archive.en),
        "pairs": len(pairing.pairs),
        "unpaired_uk": len(pairing.unpaired_uk),
        "unpaired_en": len(pairing.unpaired_en),
        "beads": sum(len(a.alignment.beads) for a in aligned),
        "one_sided_paragraphs": sum(
            len(b.uk) + len(b.en) for a in aligned for b in a.alignment.beads if b.is_one_sided
        ),
        "bitext_rows": len(rows),
        "drafts": len(drafts),
        "needs_translation": len(pending),
        "skipped_files": len(archive.skipped),
        "declared_language_mismatches": archive.language_mismatches,
        **{f"findings_{k}": v for k, v in findings.items()},
        **suppressed_counts(checked),
    }
    return RunSummary(
        out=out.root,
        counts=MappingProxyType(counts),
        timings=MappingProxyType(timings),
        reused=MappingProxyType(reused),
        skipped=archive.skipped,
        notes=tuple(notes),
        needs_translation=tuple(pending),
        model_message=model_message,
        outputs=tuple(written),
        kept=tuple(sorted(out.kept.items())),
        baseline_entries=tuple(baseline_entries(checked)),
    )


def _bitext(
    aligned: Sequence[AlignedPair],
    align_keys: Mapping[str, str],
    versions: Mapping[str, str],
    unit: str,
    cache: ResultCache,
    scheduler: StageScheduler,
    track: Track = _no_progress,
) -> list[BitextRow]:
    """Every pair's bitext rows (:func:`mistok.stages.bitext_rows`), in pair order: from the
    cache, or made by the scheduler (in the workers: aligning the sentences inside the beads
    costs tens of milliseconds a pair) and cached."""
    rows_of: dict[int, list[BitextRow]] = {}
    to_make: list[tuple[int, str]] = []
    for number, item in enumerate(aligned):
        key = content_key(
            "bitext", versions, align_keys[item.pair_id], item.pair_id,
            item.pair.link.confidence, unit,
        )  # fmt: skip
        cached = cache.get("bitext", key)
        if cached is None:
            to_make.append((number, key))
        else:
            rows_of[number] = [BitextRow.from_dict(row) for row in cached]  # type: ignore[union-attr]
    make = functools.partial(bitext_rows, unit=unit)
    results = scheduler.map("bitext", make, [aligned[number] for number, _ in to_make])
    for index, made in track(results, "bitext", len(to_make)):
        number, key = to_make[index]
        found = [row.to_dict() for row in made]
        cache.put("bitext", key, found)
        rows_of[number] = [BitextRow.from_dict(row) for row in found]  # as a rerun reads them
    return [row for number in range(len(aligned)) for row in rows_of[number]]


def _stage_versions() -> dict[str, str]:
    """What identifies the code of the stages (part of every cache key; each stage adds the
    fingerprint of its effective settings, :meth:`mistok.run_config.RunConfig.fingerprint`)."""
    return {"pipeline": PIPELINE_VERSION, "mistok": __version__}


def _refuse_unusable(archive: RunInputs, inputs: Sequence[Path]) -> None:
    where = " and ".join(str(p) for p in inputs)
    if not archive.uk and not archive.en:
        detail = f"; e.g. {archive.skipped[0][1]}" if archive.skipped else ""
        raise InputError(
            f"no readable articles in {where} ({len(archive.skipped)} files skipped{detail})"
        )
    for lang, found, other in (("uk", archive.uk, archive.en), ("en", archive.en, archive.uk)):
        if not found:
            have, lack = LANGUAGE_NAMES["en" if lang == "uk" else "uk"], LANGUAGE_NAMES[lang]
            raise InputError(
                f"found {len(other)} {have} articles but no {lack} ones in {where}"
                f"{_skipped_detail(archive.skipped)}; mistok run needs both versions (name "
                f"files <id>.uk.txt and <id>.en.txt, or give UK_DIR and EN_DIR)"
            )


def _skipped_detail(skipped: Sequence[tuple[str, str]]) -> str:
    """``" (skipped: PATH: why; ...)"``: the files not read, named (at most three)."""
    if not skipped:
        return ""
    shown = [reason if path in reason else f"{path}: {reason}" for path, reason in skipped[:3]]
    more = f"; and {len(skipped) - 3} more" if len(skipped) > 3 else ""
    return f" (skipped {len(skipped)} file{'s' if len(skipped) != 1 else ''}: " + (
        "; ".join(shown) + more + ")"
    )


def _load_style(path: Path | None) -> tuple[object | None, str | None]:
    """The style file and its digest (``sha256=…``, part of the check signature)."""
    if path is None:
        return None, None
    from eval.runner import file_digest
    from eval.style import load_style

    return load_style(Path(path)), file_digest(path)


def _load_baseline(path: Path | None) -> tuple[Baseline | None, str | None]:
    """The baseline file and its digest (part of the check cache key)."""
    if path is None:
        return None, None
    from eval.runner import file_digest

    return read_baseline(path), file_digest(path)


def suppressed_counts(verdicts: Sequence[PairCheck]) -> dict[str, int]:
    """How many findings the style file accepted and the baseline held back, over all pairs."""
    accepted = baselined = 0
    for verdict in verdicts:
        suppressed = verdict.report.get("suppressed") or {}
        accepted += int(suppressed.get("accepted", 0))  # type: ignore[union-attr]
        baselined += len(suppressed.get("baseline", ()))  # type: ignore[union-attr]
    return {"findings_accepted": accepted, "findings_baselined": baselined}


def baseline_entries(verdicts: Sequence[PairCheck]) -> list[BaselineEntry]:
    """The baseline entries of every pair's findings, reported or held back by a baseline."""
    entries = []
    for verdict in verdicts:
        suppressed = verdict.report.get("suppressed") or {}
        found = [*verdict.report.get("findings", ()), *suppressed.get("baseline", ())]  # type: ignore[union-attr]
        entries += [entry_from_dict(f) for f in found]
    return entries


def _check_settings(
    configured: Mapping[str, Mapping[str, object]],
) -> list[tuple[str, dict[str, str]]]:
    """The name and effective settings of every check a pair gets (part of the check cache
    key)."""
    from eval.runner import select_checks

    return [(c.name, c.signature_fields()) for c in select_checks(None, "pair", configured)]


def _translate(
    requests: Sequence[TranslationRequest],
    settings: RunSettings,
    translator: object | None,
    cache: ResultCache,
    scheduler: StageScheduler,
    track: Track = _no_progress,
) -> tuple[list[Draft], list[TranslationRequest], str | None, int]:
    """Drafts from the cache or the model; the requests left without one; why; cache hits."""
    if not requests:
        return [], [], None, 0
    model_id = str(
        getattr(translator, "name", type(translator).__name__)
        if translator is not None
        else f"{settings.model or 'opus-mt'}|engine:{settings.mt_engine}"
    )
    weights = {
        (src, tgt): _weights_fingerprint(settings, src, tgt)
        for src, tgt in {(r.src, r.tgt) for r in requests}
    }
    keys = [
        content_key("translate", model_id, weights[r.src, r.tgt], r.src, r.tgt, r.texts)
        for r in requests
    ]
    drafts: dict[int, Draft] = {}
    for i, key in enumerate(keys):
        cached = cache.get("translate", key)
        if cached is not None:
            drafts[i] = Draft(
                requests[i],
                tuple(cached["texts"]),
                str(cached["model"]),
                tuple(cached.get("issues", ())),
            )
    hits = len(drafts)
    missing = [i for i in range(len(requests)) if i not in drafts]
    # chunks of one direction each, cached chunk by chunk: an interrupted run keeps the drafts
    # made so far
    chunks: list[list[int]] = []
    for src, tgt in sorted({(requests[i].src, requests[i].tgt) for i in missing}):
        chosen = [i for i in missing if (requests[i].src, requests[i].tgt) == (src, tgt)]
        chunks += [chosen[k : k + TRANSLATE_BATCH] for k in range(0, len(chosen), TRANSLATE_BATCH)]
    problems: list[str] = []
    if chunks:
        source = (
            GivenTranslator(translator)
            if translator is not None
            else TranslatorFromSettings(settings)
        )
        results = scheduler.translate(
            [[requests[i] for i in chunk] for chunk in chunks], source, model_id
        )
        for index, result in track(results, "translate", len(chunks)):
            if isinstance(result, str):
                if result not in problems:
                    problems.append(result)
                continue
            for i, draft in zip(chunks[index], result, strict=True):
                value = {"texts": list(draft.texts), "model": draft.model}
                cache.put("translate", keys[i], {**value, "issues": list(draft.issues)})
                drafts[i] = draft
        problems.sort()  # in the order of the directions, whichever chunk failed first
    pending = [requests[i] for i in range(len(requests)) if i not in drafts]
    message = None
    if pending:
        articles = sum(1 for r in pending if r.kind == "article")
        paragraphs = sum(len(r.indices) for r in pending if r.kind == "paragraphs")
        parts = [_count(articles, "article"), _count(paragraphs, "paragraph")]
        what = " and ".join(part for part in parts if part)
        verb = "needs" if articles + paragraphs == 1 else "need"
        if not any("mistok models pull" in problem for problem in problems):
            problems.append(MODEL_HINT)
        message = f"{what} {verb} translation; {'; '.join(problems)}"
    return [drafts[i] for i in sorted(drafts)], pending, message, hits


def _weights_fingerprint(settings: RunSettings, src: str, tgt: str) -> str:
    """What identifies the weights a draft of ``src`` → ``tgt`` comes from, so that a cached
    draft is reused only for the same weights: the hub snapshot of a registry model, or the
    names, sizes and modification times of a local folder's files ("none" when no model is
    found; a model that appears later then simply misses the cache)."""
    try:
        from models import resolve_model

        resolved = resolve_model(settings.model, src=src, tgt=tgt, engine=settings.mt_engine)
    except (ImportError, MistokError):
        return "none"
    if resolved.revision != "local":
        return resolved.revision
    files = sorted(p for p in resolved.path.rglob("*") if p.is_file())
    stats = [
        (str(p.relative_to(resolved.path)), p.stat().st_size, p.stat().st_mtime_ns) for p in files
    ]
    return content_key("weights", stats)


def _count(n: int, noun: str) -> str:
    """``"1 article"``, ``"3 articles"``, and ``""`` for none."""
    return "" if n == 0 else f"{n} {noun}" if n == 1 else f"{n} {noun}s"


#: Sentences per model call by device, in both engines. On a CPU, 32 translates 1.6× faster
#: than 8 (CTranslate2 int8: 1,386 against 829 tokens/s; transformers 324 against 213:
#: bench/bench_translate.py --batch N, BENCHMARKS.md); a GPU needs larger batches to be busy
#: (64 is a guess: no GPU was at hand to measure).
MODEL_BATCH = {"cpu": 32, "cuda": 64}


def _import_translation_layer():
    try:
        import models
    except ImportError as err:
        raise ModelUnavailableError(
            f"the translation layer cannot be imported ({err}); "
            "install it with: pip install 'mistok[translate]'"
        ) from err
    return models


def _load_translator(settings: RunSettings, device: str = "cpu") -> object:
    models = _import_translation_layer()
    try:
        return models.load_translator(
            settings.model,
            engine=settings.mt_engine,
            device=device,
            batch_size=MODEL_BATCH.get(device.split(":")[0], MODEL_BATCH["cpu"]),
        )
    except ModelUnavailableError:
        raise
    except MistokError as err:
        raise ModelUnavailableError(str(err)) from err


@dataclass(frozen=True)
class TranslatorFromSettings:
    """Loads the run's model (``--model``, ``--mt-engine``) where the model stage runs: in this
    process, or once in each Ray actor (on ``device``). Picklable."""

    settings: RunSettings
    device: str = "cpu"

    def __call__(self) -> object:
        return _load_translator(self.settings, device=self.device)

    def on_device(self, device: str) -> TranslatorFromSettings:
        """The same model, loaded on ``device`` (``cuda`` in a GPU actor)."""
        return replace(self, device=device)

    def check(self) -> None:
        """Raise :class:`ModelUnavailableError` when the model is not on this machine, without
        loading it (a cluster's driver asks before it starts actors that would each fail)."""
        models = _import_translation_layer()
        try:
            models.resolve_model(
                self.settings.model, src="uk", tgt="en", engine=self.settings.mt_engine
            )
        except ModelUnavailableError:
            raise
        except MistokError as err:
            raise ModelUnavailableError(str(err)) from err

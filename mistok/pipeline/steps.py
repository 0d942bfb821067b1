"""The steps of ``mistok run``, each over the run's state (:class:`RunState`): read → pair →
align, bitext, check (one task per pair) → translate → write (:data:`STEPS`, in that order).

Each step looks its work up in the result cache, hands the rest to the run's scheduler (the
stage functions of :mod:`mistok.pipeline.stages`), and caches each result as it arrives, so
that an interrupted run resumes where it stopped. A result is used as a rerun would read it
back from the cache (``from_dict(to_dict())``), so both write the same bytes.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import pickle
import warnings
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from aligner.errors import InputError, MistokError
from mistok.article_store import StoredArticles
from mistok.export.dataset import dataset_unavailable
from mistok.mapped_sequence import MappedSequence
from mistok.output_dir import OutputDir, check_output_folder, content_key, refuse_foreign_folder
from mistok.pipeline.bitext_files import DATASET_FOLDER, BitextJob, stage_bitext
from mistok.pipeline.free_memory import empty_free_lists
from mistok.pipeline.inputs import (
    input_files,
    load_baseline,
    load_style,
    read_bridge,
    read_run_inputs,
    refuse_changed_inputs,
    refuse_unusable,
)
from mistok.pipeline.report import (
    PairReportPiece,
    mark_report_incomplete,
    review_page_name,
)
from mistok.pipeline.scheduling import ProcessPoolScheduler
from mistok.pipeline.stages import (
    MergedPairing,
    PackedPartition,
    PairingToMerge,
    align_pair,
    article_request,
    check_aligned_pair,
    merge_packed_pairing,
    pair_bitext,
    pair_packed_partition,
    pair_work,
    pairing_partitions,
)
from mistok.pipeline.state import ResultSpool, RunState
from mistok.pipeline.translation import translate_stage
from mistok.pipeline.writers import write_outputs, write_pair_file
from mistok.result_spool import SequentialSpool
from mistok.review.files import (
    apply_override,
    read_overrides,
    review_paths,
    with_review_baseline,
    with_review_style,
)
from mistok.run_records import (
    ArticlePair,
    BitextRow,
    PairBitext,
    PairCheck,
    Pairing,
    PairLink,
    PairOutcome,
    PairToCheck,
    PairWork,
    RunInputs,
    TranslationRequest,
    alignment_from_dict,
)

if TYPE_CHECKING:
    from aligner.alignment import Alignment
    from aligner.pairing_partitions import PairingPartition
    from mistok.article_store import StoredArticle
    from mistok.review.files import AlignmentOverride


def _no_hook(stage: str, done: int) -> None:
    """Nothing: see :data:`after_stage_result`."""


#: Called with the stage ("align", "check") and the number of its fresh results so far: for
#: "align" as soon as the alignment is cached (before the pair's files are written), for
#: "check" once all of the pair's results are cached and its files written. Does nothing;
#: only tests replace it, e.g. to kill the run half-way (tests/killed_run.py).
after_stage_result: Callable[[str, int], None] = _no_hook

#: Articles from which the read and pair steps empty the free lists once their stand-ins
#: (tuples, one an article) are gone (:func:`mistok.pipeline.free_memory.empty_free_lists`):
#: below, a full garbage collection costs the run more than the memory it gives back.
MANY_STAND_INS = 10_000


# -- read ------------------------------------------------------------------------------------


def read_step(state: RunState) -> None:
    """Read the inputs and open the output folder: taken (locked) before the inputs are read
    when it exists, else made only once they proved usable (bad input leaves no new folder)."""
    settings = state.settings
    out_path = Path(settings.out)
    for given in settings.inputs:
        if Path(given).exists() and Path(given).resolve() == out_path.resolve():
            raise InputError(f"output {out_path} is an input folder; choose another -o")
    check_output_folder(out_path)
    refuse_foreign_folder(out_path)
    if out_path.is_dir():  # an existing folder: find out now whether another run holds it
        state.lock.acquire()

    state.files_before = input_files(settings.inputs, out_path)
    if isinstance(state.scheduler, ProcessPoolScheduler):  # its workers start while we read
        state.scheduler.prepare_workers(sum(size for size, _ in state.files_before.values()))
    state.archive = read_run_inputs(settings.inputs, out_path)
    state.article_counts = (len(state.archive.uk), len(state.archive.en))
    if sum(state.article_counts) >= MANY_STAND_INS:  # the reader's stand-ins are arrays now
        empty_free_lists()
    refuse_changed_inputs(
        state.files_before, input_files(settings.inputs, out_path), "while the archive was read"
    )
    refuse_unusable(state.archive, settings.inputs)
    state.notes = list(state.archive.notes)
    if settings.bridge is not None:
        state.bridge, bridge_notes = read_bridge(settings.bridge, state.archive.uk)
        state.notes += bridge_notes
    style, style_id = load_style(settings.style)
    baseline, baseline_id = load_baseline(settings.baseline)
    # a review's decisions (mistok review): dismissed findings, accepted spellings
    state.baseline, state.baseline_id = with_review_baseline(out_path, baseline, baseline_id)
    state.style, state.style_id = with_review_style(out_path, style, style_id)
    state.out = _open_output(state, out_path)
    state.dataset_problem = dataset_unavailable()
    if state.dataset_problem:
        state.notes.append(state.dataset_problem)


def _open_output(state: RunState, out_path: Path) -> OutputDir:
    """The output folder, made now when it is new (once the inputs proved usable)."""
    if not state.lock.held:
        state.lock.acquire()
        refuse_foreign_folder(out_path)  # another run may have made it meanwhile
    try:
        out = OutputDir(out_path)
    except OSError as err:
        raise InputError(f"output {out_path}: cannot create it: {err.strerror}") from None
    out.before_first_change = functools.partial(mark_report_incomplete, out)
    return out


# -- pair ------------------------------------------------------------------------------------


def pair_step(state: RunState) -> None:
    """Pair the archive's articles (one cached result for the archive)."""
    archive, cache = state.archive, state.output.cache
    state.input_keys = _input_keys(state)
    pair_key = content_key(
        "pair",
        state.versions,
        state.settings.config.fingerprint("pair"),
        sorted(archive.key(a) for a in archive.uk),
        sorted(archive.key(a) for a in archive.en),
        sorted(state.bridge.items()),
    )
    cached = cache.get("pair", pair_key)
    if cached is not None:
        pairing = Pairing.from_dict(cached["pairing"])  # type: ignore[index]
        notes = list(cached["notes"])  # type: ignore[index]
        pairs = _spooled(state, (pickle.dumps(p, pickle.HIGHEST_PROTOCOL) for p in pairing.pairs))
        state.reused["pair"] += 1
    else:
        merged = _pair_archive(state)
        # an archive's pairing is one large entry: written now, not held
        if merged.cached_file is not None:  # left in a file by the merge
            cache.put_file("pair", pair_key, Path(merged.cached_file))
        else:
            cache.put_encoded("pair", pair_key, merged.cached)
            cache.commit()
        pairing = Pairing((), merged.unpaired_uk, merged.unpaired_en, merged.signature)
        notes = list(merged.notes)
        if merged.links_file is not None:
            pairs = ResultSpool.adopt(merged.links_file, merged.link_ends)
        else:
            pairs = _spooled(state, merged.pickled_links())
        state.computed["pair"] += 1
    state.pairing = dataclasses.replace(pairing, pairs=pairs)
    state.notes += notes


def _spooled(state: RunState, pickled_links: Iterable[bytes | memoryview]) -> ResultSpool[PairLink]:
    """The pairs (pickled), in order, kept on disk (an archive's pairs with their signals)."""
    spool: ResultSpool[PairLink] = state.spool()
    for number, link in enumerate(pickled_links):
        spool.put_pickled(number, link)
    return spool


def _input_keys(state: RunState) -> SequentialSpool[tuple[str, str]]:
    """Each article's ``lang/id`` and fingerprint, in the manifest's order (by ``lang/id``),
    spooled for the manifest: the articles' stand-ins do not live that long."""
    keys: SequentialSpool[tuple[str, str]] = SequentialSpool(state.output.cache.root)
    for article in itertools.chain(state.archive.en, state.archive.uk):
        keys.append((f"{article.lang}/{article.id}", state.archive.key(article)))
    return keys


def _pair_archive(state: RunState) -> MergedPairing:
    """Pair the archive partition by partition on the scheduler, then merge the partitions'
    pairs there too (in a worker when the workers run: the driver keeps blobs, never an
    object per pair); the warnings met, once. Where the stages run on this machine, the
    articles, the partitions' pairs and the merged pairing go through files in the cache
    folder instead of through the driver (the store is shared first)."""
    archive, config = state.archive, state.settings.config
    folder = str(state.output.cache.root) if state.scheduler.shares_files else None
    if folder is not None and archive.store is not None:
        archive.store.share(Path(folder))
    pair_bridge = {uk_id: "\n\n".join(pars) for uk_id, pars in state.bridge.items()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # e.g. the bridge's gaps, said once for the archive
        plan = pairing_partitions(archive.uk, archive.en, pair_bridge or None, config.pair)
    planned = [_PlannedPartition.of(partition) for partition in plan]
    del plan  # the stand-ins go before the partitions are paired: their memory is whole again
    if len(archive.uk) + len(archive.en) >= MANY_STAND_INS:  # and none of it stays pinned
        empty_free_lists()
    pair_one = functools.partial(pair_packed_partition, settings=config.pair)
    packed = functools.partial(_packed, archive=archive, results_folder=folder)
    # the largest partitions go first, so that the last tasks are small ones and the workers
    # finish together (they are paired in any order, and merged in the plan's order)
    sizes = [-(len(p.uk) + len(p.en)) for p in planned]
    order = sorted(range(len(planned)), key=sizes.__getitem__)
    partitions = MappedSequence([planned[k] for k in order], packed)
    results = state.scheduler.map("pair", pair_one, partitions)
    paired = {order[i]: result for i, result in state.track(results, "pair", len(planned))}
    del planned, partitions
    merge = PairingToMerge(
        tuple(paired[number] for number in sorted(paired)),
        archive.uk.packed_ids(),
        archive.en.packed_ids(),
        tuple(str(w.message) for w in caught),
        config.pair,
        results_folder=folder,
    )
    del paired
    ((_, merged),) = state.scheduler.map("pair-merge", merge_packed_pairing, [merge])
    return merged


class _PlannedPartition(NamedTuple):
    """A partition of the plan without its articles' stand-ins: their places in the store."""

    partition: PairingPartition  # without its articles
    uk: array
    en: array

    @classmethod
    def of(cls, partition: PairingPartition) -> _PlannedPartition:
        return cls(
            dataclasses.replace(partition, uk=(), en=()),
            array("q", (a.number for a in partition.uk)),
            array("q", (a.number for a in partition.en)),
        )


def _packed(
    planned: _PlannedPartition, archive: RunInputs, results_folder: str | None
) -> PackedPartition:
    """A planned partition given its articles packed (as the store keeps them) as the
    scheduler takes it: only the partitions in flight hold texts, and the driver makes none
    of them. With a ``results_folder`` (the stages run on this machine) the articles are
    sent as where they lie in the shared store, and the pairs come back in a file there."""
    shared = results_folder is not None
    return PackedPartition(
        planned.partition,
        archive.pack(planned.uk, shared=shared),
        archive.pack(planned.en, shared=shared),
        results_folder,
    )


# -- the per-pair stages: align → bitext → check -----------------------------------------


def per_pair_step(state: RunState) -> None:
    """Align, make the bitext rows of, and check every pair: one task per pair on the
    scheduler (:func:`mistok.pipeline.stages.pair_work`) for what the cache lacks. Each stage
    is cached under its own key, so that a changed setting redoes only the stages it affects.
    The pairs' report pieces, rows and verdicts are spooled in pair order as they come, and each
    review page is written as soon as its verdict is known. The beads a person set in
    ``mistok review`` replace the aligner's where the articles are unchanged. The archive
    keeps only the unpaired articles from then on."""
    spools = _PairSpools(state)
    overrides = read_overrides(review_paths(Path(state.settings.out)).alignments)
    settings = _key_settings(state)
    align_one = functools.partial(align_pair, settings=state.settings.config.align)
    pair_one = functools.partial(
        pair_work, align=align_one, unit=state.settings.tm_unit, check=_check_function(state)
    )
    # the stages the cache holds results of: a new folder's pairs are not looked up one by one
    cached = frozenset(s for s in ("align", "bitext", "check") if state.output.cache.may_hold(s))
    if cached or overrides:
        _per_pair_planned(state, spools, pair_one, settings, cached, overrides)
    else:
        _per_pair_all_new(state, spools, pair_one, settings)
    spools.finish()
    # the results waiting for a full batch (up to 256, a few megabytes of JSON) are
    # written now, not held in memory through the translate and write steps
    state.output.cache.commit()
    _keep_unpaired_articles(state)
    # bitext.jsonl, bitext.tmx and dataset/ are made from the rows meanwhile, where a worker
    # is free (the local engine's), and put in place by the write step
    state.staged_bitext = state.scheduler.start("bitext-files", stage_bitext, _bitext_job(state))


def _per_pair_planned(
    state: RunState,
    spools: _PairSpools,
    pair_one: Callable[[PairWork], PairOutcome],
    settings: _KeySettings,
    cached: frozenset[str],
    overrides: Mapping[str, AlignmentOverride],
) -> None:
    """The per-pair step over a folder with cached results or reviewed beads: every pair
    looked up first (the cached stages kept, a person's beads set), the rest then done."""
    # what is left to do, spooled: a large archive's pairs are never all in memory at once
    to_do: ResultSpool[tuple[int, _StageKeys]] = state.spool()
    work: ResultSpool[PairWork] = state.spool()
    for number, pair in enumerate(_article_pairs(state)):
        keys = _stage_keys(state, pair, settings)
        alignment = _cached_alignment(state, pair, keys.align) if "align" in cached else None
        override = overrides.get(pair.pair_id)
        if override is not None:  # a person's beads (mistok review), set on the aligner's
            alignment, manual = _with_override(state, pair, keys.align, alignment, override)
            keys = _stage_keys(state, pair, settings, manual)
        left = spools.keep_cached(number, pair, alignment, keys, cached)
        if left is not None:
            to_do.put(len(to_do), (number, keys))
            work.put(len(work), left)
    items = MappedSequence(work, functools.partial(_with_articles, archive=state.archive))
    results = state.scheduler.map("per-pair", pair_one, items)
    for index, outcome in state.track(results, "align/bitext/check", len(work)):
        number, keys = to_do[index]
        spools.keep_outcome(number, keys, outcome)
    to_do.close()
    work.close()


def _per_pair_all_new(
    state: RunState,
    spools: _PairSpools,
    pair_one: Callable[[PairWork], PairOutcome],
    settings: _KeySettings,
) -> None:
    """The per-pair step where nothing is cached and no beads were reviewed (a new output
    folder): every pair is done, in pair order, so each work item and its keys are made as
    the scheduler takes it (the keys kept until its results come): the workers start at
    once instead of waiting for a plan of the whole archive (what :func:`_per_pair_planned`
    would make: the same items, the same keys)."""
    links = state.pairing.pairs
    for link in links if state.bridge else ():  # notes on bridges that do not fit, in order
        if link.uk_id in state.bridge:
            _note_unfit_bridge(state, _article_pair(state, link))
    keys: dict[int, _StageKeys] = {}  # the keys of the pairs in flight
    new_work = functools.partial(_new_pair_work, state=state, settings=settings, keys=keys)
    items = MappedSequence(range(len(links)), new_work)
    results = state.scheduler.map("per-pair", pair_one, items)
    for number, outcome in state.track(results, "align/bitext/check", len(links)):
        spools.keep_outcome(number, keys.pop(number), outcome)


def _new_pair_work(
    number: int, state: RunState, settings: _KeySettings, keys: dict[int, _StageKeys]
) -> PairWork:
    """The whole work of pair ``number`` of the pairing, with its articles (see
    :func:`_with_articles`); its stage keys go to ``keys`` until its results come."""
    pair = _article_pair(state, state.pairing.pairs[number])
    keys[number] = _stage_keys(state, pair, settings)
    return _with_articles(PairWork(pair), state.archive)


def _bitext_job(state: RunState) -> BitextJob:
    out = state.output
    assert state.rows is not None, "the per-pair step spools the rows"
    # the dataset an earlier run left needs no new one if its key is the same and it is there
    there = out.path(DATASET_FOLDER).is_dir()
    return BitextJob(
        state.rows.reader(),
        str(out.root),
        state.settings.tm_unit,
        dataset=state.dataset_problem is None,
        dataset_key_before=out.manifest_before.get("dataset_key") if there else None,
    )


class _StageKeys(NamedTuple):
    """The cache keys of one pair's stages: ``align`` the aligner's result (its articles,
    bridge and settings); ``aligned`` the alignment the later stages work on (``align``, or
    extended with the beads a person set in ``mistok review``); ``bitext`` and ``check``,
    which build on ``aligned``."""

    align: str
    aligned: str
    bitext: str
    check: str


class _KeySettings(NamedTuple):
    """What every pair's cache keys take of the run's settings, worked out once per run:
    the aligner's settings fingerprint, every check's effective settings, and the score
    table (``None``: the default)."""

    align: str
    checks: list[tuple[str, dict[str, str]]]
    score: dict[str, object] | None


def _key_settings(state: RunState) -> _KeySettings:
    config = state.settings.config
    return _KeySettings(
        config.fingerprint("align"),
        _check_settings(config.check_settings()),
        config.score_settings() if config.score else None,
    )


def _stage_keys(
    state: RunState, pair: ArticlePair, settings: _KeySettings, manual: str = ""
) -> _StageKeys:
    align = content_key(
        "align",
        state.versions,
        settings.align,
        state.archive.key(pair.uk),
        state.archive.key(pair.en),
        pair.bridge,
    )
    aligned = f"{align}+manual:{manual}" if manual else align
    bitext = content_key(
        "bitext", state.versions, aligned, pair.pair_id, pair.link.confidence,
        state.settings.tm_unit,
    )  # fmt: skip
    return _StageKeys(align, aligned, bitext, _check_key(state, pair, aligned, settings))


def _cached_alignment(state: RunState, pair: ArticlePair, key: str) -> Alignment | None:
    cached = state.output.cache.get("align", key)
    if cached is None:
        return None
    state.reused["align"] += 1
    return alignment_from_dict(cached)  # type: ignore[arg-type]


def _with_override(
    state: RunState,
    pair: ArticlePair,
    key: str,
    alignment: Alignment | None,
    override: AlignmentOverride,
) -> tuple[Alignment, str]:
    """The pair's alignment with a person's beads, and the beads for its keys (``""``: the
    override no longer fits, the aligner's beads stay and a note says why). The override is
    set on the aligner's alignment, aligned here when it is not cached (reviewed pairs are
    few)."""
    if alignment is None:
        aligned = align_pair(_loaded(pair, state.archive), state.settings.config.align)
        state.output.cache.put("align", key, aligned.alignment_dict())
        state.computed["align"] += 1
        alignment = alignment_from_dict(aligned.alignment_dict())
    uk_key, en_key = state.archive.key(pair.uk), state.archive.key(pair.en)
    changed, problem = apply_override(alignment, override, uk_key, en_key)
    if problem:
        state.notes.append(problem)
        return alignment, ""
    return changed, repr(override.beads)


class _PairSpools:
    """Where the per-pair step keeps each pair's results as they come, cached or fresh: the
    spools of the pairs' report pieces, bitext rows and verdicts; the pairs' files, the
    counts, and the one-sided paragraphs' translation requests."""

    def __init__(self, state: RunState) -> None:
        self.state = state
        self.pieces: ResultSpool[PairReportPiece] = state.spool()
        self.rows: ResultSpool[PairBitext] = state.spool(named=True)  # read by a worker
        self.verdicts: ResultSpool[PairCheck] = state.spool()
        self.requests: ResultSpool[tuple[TranslationRequest, ...]] = state.spool()

    def keep_cached(
        self,
        number: int,
        pair: ArticlePair,
        alignment: Alignment | None,
        keys: _StageKeys,
        stages: frozenset[str],
    ) -> PairWork | None:
        """Keep what the cache holds of the pair's stages (of ``stages``, those it may hold:
        :meth:`~mistok.result_cache.ResultCache.may_hold`); the work left (``None``: none)."""
        state = self.state
        rows = state.output.cache.get("bitext", keys.bitext) if "bitext" in stages else None
        if rows is not None:
            self._keep_rows(number, [BitextRow.from_dict(r) for r in rows])  # type: ignore[union-attr]
        cached = state.output.cache.get("check", keys.check) if "check" in stages else None
        verdict = None
        if cached is not None:
            state.reused["check"] += 1
            found = PairCheck.from_dict(cached)  # type: ignore[arg-type]
            verdict = found.without_page()
            self._keep_verdict(number, found.pair_id, found.html, verdict)
        work = PairWork(
            pair, alignment, bitext=rows is None, check=verdict is None, verdict=verdict
        )
        if alignment is not None and rows is not None and verdict is not None:
            # every stage cached: the rest of the pair's outcome is made here, as a worker would
            self.keep_outcome(number, keys, pair_work(_with_articles(work, state.archive)))
            return None
        return work

    def keep_outcome(self, number: int, keys: _StageKeys, outcome: PairOutcome) -> None:
        """Cache and keep a pair's fresh results (encoded in the worker)."""
        state, cache = self.state, self.state.output.cache
        if outcome.alignment_json is not None:
            cache.put_encoded("align", keys.align, outcome.alignment_json)
            state.computed["align"] += 1
            self._after("align")  # before any file changes
        self.pieces.put_pickled(number, outcome.report)
        pair_id = state.pairing.pairs[number].pair_id
        self._write(f"alignments/{pair_id}.json", outcome.alignment_file)
        self._count(outcome.beads, outcome.one_sided)
        self._keep_requests(number, list(outcome.requests))
        if outcome.rows is not None and outcome.rows_json is not None:
            cache.put_encoded("bitext", keys.bitext, outcome.rows_json)
            state.computed["bitext"] += 1
            self.rows.put_pickled(number, outcome.rows)
            state.row_count += outcome.row_count
        if outcome.verdict is not None and outcome.verdict_json is not None:
            cache.put_encoded("check", keys.check, outcome.verdict_json)
            state.computed["check"] += 1
            self._write(review_page_name(pair_id), outcome.page)
            self.verdicts.put_pickled(number, outcome.verdict)
        if outcome.verdict is not None:  # every result of the pair is cached, its files written
            self._after("check")

    def _after(self, stage: str) -> None:
        """Call a test's :data:`after_stage_result` hook, with what it counts on disk (the
        cache commits in batches; a run without a hook does not commit per pair)."""
        if after_stage_result is not _no_hook:
            self.state.output.cache.commit()
            after_stage_result(stage, self.state.computed[stage])

    def finish(self) -> None:
        """Hand the spools to the run's state."""
        state = self.state
        state.report_pieces = self.pieces
        state.rows, state.verdicts = self.rows, self.verdicts
        state.one_sided_requests = self.requests

    def _keep_rows(self, number: int, rows: list[BitextRow]) -> None:
        self.rows.put(number, pair_bitext(rows, self.state.settings.tm_unit))
        self.state.row_count += len(rows)

    def _keep_verdict(self, number: int, pair_id: str, page: str, kept: PairCheck) -> None:
        self._write(review_page_name(pair_id), page)
        self.verdicts.put(number, kept)

    def _write(self, relative: str, text: str) -> None:
        write_pair_file(self.state.output, relative, text)  # listed among the run's outputs

    def _count(self, beads: int, one_sided: int) -> None:
        self.state.bead_count += beads
        self.state.one_sided_count += one_sided

    def _keep_requests(self, number: int, requests: list[TranslationRequest]) -> None:
        self.requests.put(number, tuple(requests))


def _with_articles(work: PairWork, archive: RunInputs) -> PairWork:
    """A work item planned over the articles' stand-ins, given its articles (read back from
    the store) as the scheduler takes it, and the lines of their source files when it is to
    be checked (read here in the driver, where the inputs were given, since a worker may not
    see the files): only the items in flight hold texts and lines."""
    pair = _loaded(work.pair, archive)
    if not work.check:
        return dataclasses.replace(work, pair=pair)
    from eval.runner import read_source_lines

    return dataclasses.replace(
        work,
        pair=pair,
        uk_lines=read_source_lines(pair.uk),
        en_lines=read_source_lines(pair.en),
    )


def _loaded(pair: ArticlePair, archive: RunInputs) -> ArticlePair:
    """The pair with its articles read back from the store."""
    return dataclasses.replace(pair, uk=archive.load(pair.uk), en=archive.load(pair.en))


def _check_function(state: RunState) -> Callable[[PairToCheck], PairCheck]:
    """The check stage's function with the run's style, baseline and settings."""
    config = state.settings.config
    return functools.partial(
        check_aligned_pair,
        style=state.style,
        style_id=state.style_id,
        baseline=state.baseline,
        checks=config.check_settings() or None,
        score=config.score_settings() or None,
    )


#: The check stage's own part of its cache keys. 2: the findings' lines are numbered from
#: the source lines the driver reads (a Ray worker that could not read a file gave results
#: with no line numbers; those are not reused).
CHECK_RESULTS_VERSION = "2"


def _check_key(
    state: RunState,
    pair: ArticlePair,
    align_key: str,
    settings: _KeySettings,
) -> str:
    """The cache key of a pair's verdict: its alignment, source files (the report names
    them, with line numbers), style, checks and their settings, baseline and score table."""
    return content_key(
        "check",
        state.versions,
        CHECK_RESULTS_VERSION,
        align_key,
        [str(pair.uk.source), str(pair.en.source)],
        state.style_id,
        settings.checks,
        *([state.baseline_id] if state.baseline_id else []),  # no baseline: earlier runs' keys
        *([settings.score] if settings.score is not None else []),
    )


def _check_settings(
    configured: Mapping[str, Mapping[str, object]],
) -> list[tuple[str, dict[str, str]]]:
    """The name and effective settings of every check a pair gets (part of the check cache
    key)."""
    from eval.runner import select_checks

    return [(c.name, c.signature_fields()) for c in select_checks(None, "pair", configured)]


def _keep_unpaired_articles(state: RunState) -> None:
    """Let the paired articles go (the later steps need only the spooled results of the
    pairs): the archive keeps the unpaired ones."""
    unpaired = {("uk", i) for i in state.pairing.unpaired_uk}
    unpaired |= {("en", i) for i in state.pairing.unpaired_en}
    archive = state.archive
    state.archive = dataclasses.replace(
        archive,
        uk=StoredArticles("uk", (a for a in archive.uk if ("uk", a.id) in unpaired)),
        en=StoredArticles("en", (a for a in archive.en if ("en", a.id) in unpaired)),
    )


def _article_pairs(state: RunState) -> Iterator[ArticlePair]:
    """The pairing's pairs with their articles' stand-ins and bridge, one at a time; a note
    for each bridge that does not fit its article paragraph by paragraph."""
    for link in state.pairing.pairs:
        pair = _article_pair(state, link)
        _note_unfit_bridge(state, pair)
        yield pair


def _note_unfit_bridge(state: RunState, pair: ArticlePair) -> None:
    """A note when the pair's bridge does not fit its article paragraph by paragraph."""
    if not pair.bridge:
        return
    paragraphs = len(state.archive.load(pair.uk).paragraphs)
    if len(pair.bridge) != paragraphs:  # not usable (ArticlePair.usable_bridge)
        state.notes.append(
            f"bridge of {pair.uk.id}: {len(pair.bridge)} paragraphs for the article's "
            f"{paragraphs}, so it paired the article but did not align it; give one "
            "English paragraph per Ukrainian paragraph"
        )


def _article_pair(state: RunState, link: PairLink) -> ArticlePair:
    """The pair of ``link`` with its articles' stand-ins and bridge."""
    archive = state.archive
    uk, en = _by_id(archive.uk, link.uk_id), _by_id(archive.en, link.en_id)
    return ArticlePair(uk, en, link, state.bridge.get(uk.id))


def _by_id(articles: StoredArticles, article_id: str) -> StoredArticle:
    """The article ``article_id`` of ``articles`` (sorted by id, as the archive is)."""
    place = articles.ids().sorted_place(article_id)
    if place is None:
        raise KeyError(article_id)
    return articles[place]


# -- translate -------------------------------------------------------------------------------


def translate_step(state: RunState) -> None:
    """Drafts of the one-sided paragraphs of each pair and of the unpaired articles. The
    requests, texts and all, are spooled one at a time, and read back as they are needed."""
    requests: ResultSpool[TranslationRequest] = state.spool()
    state.translation_requests = requests
    for number, request in enumerate(_translation_requests(state)):
        requests.put(number, request)
    result = translate_stage(
        requests,
        state.settings,
        state.translator,
        state.output.cache,
        state.scheduler,
        state.track,
    )
    state.drafts, state.pending, state.model_message = result.drafts, result.pending, result.message
    state.reused["translate"] += result.hits
    flagged = [d for d in state.drafts if d.issues]
    if flagged:
        state.notes.append(
            f"{len(flagged)} of {len(state.drafts)} machine drafts have translation issues "
            f"worth a look (e.g. {flagged[0].request.draft_name}: {flagged[0].issues[0]}); "
            "report.html lists them"
        )


def _translation_requests(state: RunState) -> Iterator[TranslationRequest]:
    """The one-sided paragraphs of each pair, in pair order, then each unpaired Ukrainian and
    English article, by id: one at a time, its text read back from the store."""
    for pair_requests in state.one_sided_requests or ():
        yield from pair_requests
    archive, pairing = state.archive, state.pairing
    for articles, ids in ((archive.uk, pairing.unpaired_uk), (archive.en, pairing.unpaired_en)):
        for article_id in ids:
            yield article_request(archive.load(_by_id(articles, article_id)))


# -- write -----------------------------------------------------------------------------------


def write_step(state: RunState) -> None:
    """Write the archive-wide outputs, report last; then drop the cache entries of inputs
    that are gone."""
    # outputs made from inputs that changed since they were read would describe neither
    settings, out = state.settings, state.output
    after = input_files(settings.inputs, Path(settings.out))
    refuse_changed_inputs(state.files_before, after, "during the run")
    try:
        state.written, state.written_count = write_outputs(state)
    except OSError as err:
        where = err.filename or out.root
        raise MistokError(
            f"output {out.root}: cannot write {where}: {err.strerror}; the files written so far "
            "are whole, and a rerun resumes"
        ) from None
    out.cache.drop_unused()  # results of inputs that are gone


#: The steps of a run, in order, each named as its timing is.
STEPS: tuple[tuple[str, Callable[[RunState], None]], ...] = (
    ("read", read_step),
    ("pair", pair_step),
    ("align/bitext/check", per_pair_step),
    ("translate", translate_step),
    ("write", write_step),
)

"""The steps of ``mistok run``, each over the run's state (:class:`RunState`): read → pair →
align → bitext → translate → check → write (:data:`STEPS`, in that order).

Each step looks its work up in the result cache, hands the rest to the run's scheduler (the
stage functions of :mod:`mistok.pipeline.stages`), and caches each result as it arrives, so
that an interrupted run resumes where it stopped. A result is used as a rerun would read it
back from the cache (``from_dict(to_dict())``), so both write the same bytes.
"""

from __future__ import annotations

import dataclasses
import functools
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import overload

from aligner.errors import InputError, MistokError
from mistok.export.dataset import dataset_unavailable
from mistok.output_dir import OutputDir, check_output_folder, content_key, refuse_foreign_folder
from mistok.pipeline.inputs import (
    input_files,
    load_baseline,
    load_style,
    read_bridge,
    read_run_inputs,
    refuse_changed_inputs,
    refuse_unusable,
)
from mistok.pipeline.report import mark_report_incomplete
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
from mistok.pipeline.state import AlignedPairs, ResultSpool, RunState, Selection
from mistok.pipeline.translation import translate_stage
from mistok.pipeline.writers import write_outputs, write_review_page
from mistok.review.files import (
    apply_review_alignments,
    read_overrides,
    review_paths,
    with_review_baseline,
    with_review_style,
)
from mistok.run_records import (
    AlignedPair,
    ArticlePair,
    BitextRow,
    PairCheck,
    Pairing,
    PairToCheck,
    alignment_from_dict,
    article_fingerprint,
)


def _no_hook(stage: str, done: int) -> None:
    """Nothing: see :data:`after_stage_result`."""


#: Called with the stage ("align", "check") and the number of its fresh results so far, after
#: each is cached (and its review page written). Does nothing; only tests replace it, e.g. to
#: kill the run half-way (tests/killed_run.py).
after_stage_result: Callable[[str, int], None] = _no_hook


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
    state.archive = read_run_inputs(settings.inputs)
    state.article_counts = (len(state.archive.uk), len(state.archive.en))
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
    state.fingerprints = {
        (a.id, a.lang): content_key(article_fingerprint(a)) for a in archive.uk + archive.en
    }
    pair_key = content_key(
        "pair",
        state.versions,
        state.settings.config.fingerprint("pair"),
        sorted(state.fingerprints[(a.id, "uk")] for a in archive.uk),
        sorted(state.fingerprints[(a.id, "en")] for a in archive.en),
        sorted(state.bridge.items()),
    )
    cached = cache.get("pair", pair_key)
    if cached is not None:
        pairing = Pairing.from_dict(cached["pairing"])  # type: ignore[index]
        notes = list(cached["notes"])  # type: ignore[index]
        state.reused["pair"] += 1
    else:
        pairing, notes = _pair_archive(state)
        cache.put("pair", pair_key, {"pairing": pairing.to_dict(), "notes": notes})
    state.pairing = pairing
    state.notes += notes


def _pair_archive(state: RunState) -> tuple[Pairing, list[str]]:
    """Pair the archive partition by partition on the scheduler; the warnings met, once."""
    archive, config = state.archive, state.settings.config
    pair_bridge = {uk_id: "\n\n".join(pars) for uk_id, pars in state.bridge.items()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # e.g. the bridge's gaps, said once for the archive
        plan = pairing_partitions(archive.uk, archive.en, pair_bridge or None, config.pair)
    pair_one = functools.partial(pair_partition, settings=config.pair)
    paired = dict(state.track(state.scheduler.map("pair", pair_one, plan), "pair", len(plan)))
    del plan
    pairing, partition_notes = merge_pairing(
        list(paired.values()),  # merged in partition order, whatever the arrival order
        [a.id for a in archive.uk],
        [a.id for a in archive.en],
        config.pair,
    )
    return pairing, list(dict.fromkeys([str(w.message) for w in caught] + partition_notes))


# -- align -----------------------------------------------------------------------------------


def align_step(state: RunState) -> None:
    """Align the paragraphs of every pair, each aligned pair spooled as it comes
    (:class:`AlignedPairs`); then the beads a person set in ``mistok review``, where the
    articles are unchanged. The archive keeps only the unpaired articles from then on."""
    cache = state.output.cache
    spool: ResultSpool[AlignedPair] = state.spool()
    pairs = _article_pairs(state)
    to_align: list[tuple[int, ArticlePair, str]] = []
    for number, pair in enumerate(pairs):
        key = content_key(
            "align",
            state.versions,
            state.settings.config.fingerprint("align"),
            state.fingerprints[(pair.uk.id, "uk")],
            state.fingerprints[(pair.en.id, "en")],
            pair.bridge,
        )
        state.align_keys[pair.pair_id] = key
        cached = cache.get("align", key)
        if cached is not None:
            spool.put(number, AlignedPair(pair, alignment_from_dict(cached)))  # type: ignore[arg-type]
            state.reused["align"] += 1
        else:
            to_align.append((number, pair, key))
    align_one = functools.partial(align_pair, settings=state.settings.config.align)
    results = state.scheduler.map("align", align_one, [pair for _, pair, _ in to_align])
    for done, (index, result) in enumerate(state.track(results, "align", len(to_align)), 1):
        number, pair, key = to_align[index]
        cache.put("align", key, result.alignment_dict())
        # what the cache gives back on a rerun, so that both runs write the same bytes
        spool.put(number, AlignedPair(pair, alignment_from_dict(result.alignment_dict())))
        after_stage_result("align", done)
    del to_align, pairs
    state.aligned = AlignedPairs(spool, len(state.pairing.pairs))
    _keep_unpaired_articles(state)
    if read_overrides(review_paths(Path(state.settings.out)).alignments):
        # a person's beads (mistok review): the pairs they changed get a new alignment
        reviewed, state.align_keys, review_notes = apply_review_alignments(
            Path(state.settings.out), state.aligned, state.align_keys, state.fingerprints
        )
        state.notes += review_notes
        changed: ResultSpool[AlignedPair] = state.spool()
        for number, item in enumerate(reviewed):
            changed.put(number, item)  # type: ignore[arg-type]
        del reviewed
        state.aligned.close()
        state.aligned = AlignedPairs(changed, len(state.pairing.pairs))


def _keep_unpaired_articles(state: RunState) -> None:
    """Let the paired articles go (the aligned pairs' spool has them): the later steps read
    them from there, and only the unpaired ones from the archive."""
    unpaired = {("uk", i) for i in state.pairing.unpaired_uk}
    unpaired |= {("en", i) for i in state.pairing.unpaired_en}
    archive = state.archive
    state.archive = dataclasses.replace(
        archive,
        uk=tuple(a for a in archive.uk if ("uk", a.id) in unpaired),
        en=tuple(a for a in archive.en if ("en", a.id) in unpaired),
    )


def _article_pairs(state: RunState) -> list[ArticlePair]:
    """The pairing's pairs with their articles and bridge; a note for each bridge that does
    not fit its article paragraph by paragraph."""
    uk_by_id = {a.id: a for a in state.archive.uk}
    en_by_id = {a.id: a for a in state.archive.en}
    pairs = []
    for link in state.pairing.pairs:
        uk, en = uk_by_id[link.uk_id], en_by_id[link.en_id]
        pair = ArticlePair(uk, en, link, state.bridge.get(uk.id))
        if pair.bridge and pair.usable_bridge is None:
            state.notes.append(
                f"bridge of {uk.id}: {len(pair.bridge)} paragraphs for the article's "
                f"{len(uk.paragraphs)}, so it paired the article but did not align it; give one "
                "English paragraph per Ukrainian paragraph"
            )
        pairs.append(pair)
    return pairs


# -- bitext ----------------------------------------------------------------------------------


def bitext_step(state: RunState) -> None:
    """Every pair's bitext rows (:func:`mistok.pipeline.stages.bitext_rows`), spooled in pair
    order: from the cache, or made by the scheduler (in the workers: aligning the sentences
    inside the beads costs tens of milliseconds a pair) and cached."""
    cache, unit = state.output.cache, state.settings.tm_unit
    state.rows = state.spool()
    to_make: list[tuple[int, str]] = []
    for number, item in enumerate(state.aligned):
        key = content_key(
            "bitext", state.versions, state.align_keys[item.pair_id], item.pair_id,
            item.pair.link.confidence, unit,
        )  # fmt: skip
        cached = cache.get("bitext", key)
        if cached is None:
            to_make.append((number, key))
        else:
            _spool_rows(state, number, cached)  # type: ignore[arg-type]
    make = functools.partial(bitext_rows, unit=unit)
    selected = Selection(state.aligned, [n for n, _ in to_make])  # read as the pairs are sent
    results = state.scheduler.map("bitext", make, selected)
    for index, made in state.track(results, "bitext", len(to_make)):
        number, key = to_make[index]
        found = [row.to_dict() for row in made]
        cache.put("bitext", key, found)
        _spool_rows(state, number, found)  # as a rerun reads them


def _spool_rows(state: RunState, number: int, found: list[dict[str, object]]) -> None:
    rows = [BitextRow.from_dict(row) for row in found]
    state.rows.put(number, rows)  # type: ignore[union-attr]
    state.row_count += len(rows)


# -- translate -------------------------------------------------------------------------------


def translate_step(state: RunState) -> None:
    """Drafts of the one-sided paragraphs of each pair and of the unpaired articles."""
    archive, pairing = state.archive, state.pairing
    unpaired = set(pairing.unpaired_uk) | set(pairing.unpaired_en)
    by_id = {(a.id, a.lang): a for a in archive.uk + archive.en if a.id in unpaired}
    requests = [r for a in state.aligned for r in one_sided_paragraph_requests(a)]
    requests += [article_request(by_id[(i, "uk")]) for i in pairing.unpaired_uk]
    requests += [article_request(by_id[(i, "en")]) for i in pairing.unpaired_en]
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


# -- check -----------------------------------------------------------------------------------


def check_step(state: RunState) -> None:
    """Check every pair: each verdict's review page is written as soon as it is known, the
    verdict (without its page) spooled for the archive-wide outputs."""
    cache = state.output.cache
    state.verdicts = state.spool()
    to_check: list[tuple[int, str]] = []
    check_settings = _check_settings(state.settings.config.check_settings())
    for number, item in enumerate(state.aligned):
        key = _check_key(state, item, check_settings)
        cached = cache.get("check", key)
        if cached is None:
            to_check.append((number, key))
            continue
        state.reused["check"] += 1
        _keep_verdict(state, number, PairCheck.from_dict(cached))  # type: ignore[arg-type]
    config = state.settings.config
    check = functools.partial(
        check_aligned_pair,
        style=state.style,
        style_id=state.style_id,
        baseline=state.baseline,
        checks=config.check_settings() or None,
        score=config.score_settings() or None,
    )
    items = _PairsToCheck(Selection(state.aligned, [number for number, _ in to_check]))
    results = state.scheduler.map("check", check, items)
    for done, (index, verdict) in enumerate(state.track(results, "check", len(to_check)), 1):
        number, key = to_check[index]
        cache.put("check", key, verdict.to_dict())
        _keep_verdict(state, number, verdict)
        after_stage_result("check", done)


class _PairsToCheck(Sequence[PairToCheck]):
    """The pairs to check, each with its source files' lines, read here in the driver (where
    the inputs were given) as the scheduler takes the pair: a worker may not see the files,
    and only the pairs in flight hold their lines."""

    def __init__(self, aligned: Sequence[AlignedPair]) -> None:
        self._aligned = aligned

    def __len__(self) -> int:
        return len(self._aligned)

    @overload
    def __getitem__(self, index: int) -> PairToCheck: ...
    @overload
    def __getitem__(self, index: slice) -> list[PairToCheck]: ...
    def __getitem__(self, index: int | slice) -> PairToCheck | list[PairToCheck]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        from eval.runner import read_source_lines

        aligned = self._aligned[index]
        uk, en = aligned.pair.uk, aligned.pair.en
        return PairToCheck(aligned, read_source_lines(uk), read_source_lines(en))


#: The check stage's own part of its cache keys. 2: the findings' lines are numbered from
#: the source lines the driver reads (a Ray worker that could not read a file gave results
#: with no line numbers; those are not reused).
CHECK_RESULTS_VERSION = "2"


def _check_key(
    state: RunState, item: AlignedPair, check_settings: list[tuple[str, dict[str, str]]]
) -> str:
    """The cache key of a pair's verdict: its alignment, source files (the report names
    them, with line numbers), style, checks and their settings, baseline and score table."""
    config = state.settings.config
    return content_key(
        "check",
        state.versions,
        CHECK_RESULTS_VERSION,
        state.align_keys[item.pair_id],
        [str(item.pair.uk.source), str(item.pair.en.source)],
        state.style_id,
        check_settings,
        *([state.baseline_id] if state.baseline_id else []),  # no baseline: earlier runs' keys
        *([config.score_settings()] if config.score else []),
    )


def _check_settings(
    configured: Mapping[str, Mapping[str, object]],
) -> list[tuple[str, dict[str, str]]]:
    """The name and effective settings of every check a pair gets (part of the check cache
    key)."""
    from eval.runner import select_checks

    return [(c.name, c.signature_fields()) for c in select_checks(None, "pair", configured)]


def _keep_verdict(state: RunState, number: int, verdict: PairCheck) -> None:
    relative, digest = write_review_page(state.output, verdict)
    state.pages[relative] = digest
    state.verdicts.put(number, verdict.without_page())  # type: ignore[union-attr]


# -- write -----------------------------------------------------------------------------------


def write_step(state: RunState) -> None:
    """Write the archive-wide outputs, report last; then drop the cache entries of inputs
    that are gone."""
    # outputs made from inputs that changed since they were read would describe neither
    settings, out = state.settings, state.output
    after = input_files(settings.inputs, Path(settings.out))
    refuse_changed_inputs(state.files_before, after, "during the run")
    try:
        state.written = write_outputs(state)
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
    ("align", align_step),
    ("bitext", bitext_step),
    ("translate", translate_step),
    ("check", check_step),
    ("write", write_step),
)

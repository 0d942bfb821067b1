"""The stages of ``mistok run`` as pure functions over records (:mod:`mistok.run_records`).

read → pair → align, bitext, check → translate → write. Each stage function takes records and
returns records; none of them touches files, prints or keeps state, so any scheduler can run
them (:mod:`mistok.pipeline.scheduling`: in the driver, in a pool of worker processes, or on a
Ray cluster). The per-pair stages (:func:`align_pair`, :func:`one_sided_paragraph_requests`,
:func:`check_aligned_pair`, :func:`bitext_rows`) look at one pair only; pairing works on date
partitions of the archive (:func:`pairing_partitions`, :func:`pair_partition`), and
:func:`merge_pairing` is the one step that sees all of them (their pairs, not their articles).
:func:`pair_work` runs align → bitext → check of one pair in one task, so that what the three
share (the pair's texts, names, numbers and sentences, cached per process) is computed once.
The model step of the translation stage is in :mod:`mistok.pipeline.drafting`.
"""

from __future__ import annotations

import json
import pickle
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.document import Article
from mistok.article_store import blob_pieces
from mistok.export.dataset import jsonl_text
from mistok.export.tmx import tmx_units_text
from mistok.output_files import stage_file
from mistok.pipeline.indented_json import indented_json
from mistok.pipeline.report import pair_part, pair_report_piece
from mistok.run_records import (
    TM_UNITS,
    AlignedPair,
    ArticlePair,
    BitextRow,
    PairBitext,
    PairCheck,
    Pairing,
    PairLink,
    PairOutcome,
    PairToCheck,
    PairWork,
    TranslationRequest,
    alignment_from_dict,
)

if TYPE_CHECKING:  # imported where used: numpy and scipy load with the pairing
    from aligner.align import AlignerSettings
    from aligner.pairing import PairingSettings
    from aligner.pairing_partitions import PairingPartition, PartitionPairs
    from mistok.article_store import ArticlesInFile, PackedArticles, PackedIds

#: Paragraphs of one side of a 2-1 or 1-2 bead are joined with this to make one segment.
BEAD_JOINER = " "


def pairing_partitions(
    uk: Sequence[Article],
    en: Sequence[Article],
    bridge: Mapping[str, str] | None = None,
    settings: PairingSettings | None = None,
) -> list[PairingPartition]:
    """The date partitions that pairing works on, each paired on its own by
    :func:`pair_partition` (one partition for an archive that spans a few months or has
    undated articles; see :mod:`aligner.pairing_partitions`).

    ``bridge`` maps a Ukrainian article id to the English machine translation of its text.
    """
    from aligner.pairing_partitions import plan_partitions

    bridge = dict(bridge) if bridge else None
    if settings is None:
        return plan_partitions(list(uk), list(en), bridge)
    return plan_partitions(list(uk), list(en), bridge, settings)


def pair_partition(
    partition: PairingPartition, settings: PairingSettings | None = None
) -> PartitionPairs:
    """Pair the articles of one partition (a stage that a cluster runs as one task)."""
    from aligner.pairing_partitions import pair_partition as pair_one

    return pair_one(partition) if settings is None else pair_one(partition, settings)


@dataclass(frozen=True)
class PackedPartition:
    """A pairing partition whose articles travel packed (:class:`PackedArticles`), or as
    where they lie in the shared store's file (:class:`ArticlesInFile`): the driver makes no
    article; the worker that pairs the partition unpacks them. ``partition`` is the plan's,
    without its articles. With ``results_folder`` (a folder the worker sees: the output's
    cache folder) the worker leaves its pairs in a file there instead of sending them back."""

    partition: PairingPartition
    uk: PackedArticles | ArticlesInFile
    en: PackedArticles | ArticlesInFile
    results_folder: str | None = None


def pair_packed_partition(
    packed: PackedPartition, settings: PairingSettings | None = None
) -> bytes | str:
    """:func:`pair_partition` of a partition sent packed. Its :class:`PartitionPairs` come
    back pickled, or as the name of the file in ``results_folder`` that holds the pickle: the
    driver keeps one blob or name per partition and hands them to
    :func:`merge_packed_pairing` as they are."""
    partition = replace(packed.partition, uk=packed.uk.unpack(), en=packed.en.unpack())
    blob = _pickled(pair_partition(partition, settings))
    if packed.results_folder is None:
        return blob
    return stage_file(Path(packed.results_folder) / "pairs", [blob], sync=False).path


@dataclass(frozen=True)
class PairingToMerge:
    """What :func:`merge_packed_pairing` merges: the partitions' pairs as
    :func:`pair_packed_partition` gives them, the archive's article ids, and the warnings met
    before pairing (planning the partitions). With ``results_folder`` the merged pairs and the
    cache entry are left in files there (:class:`MergedPairing`)."""

    partitions: tuple[bytes | str, ...]
    uk_ids: PackedIds
    en_ids: PackedIds
    notes: tuple[str, ...] = ()
    settings: PairingSettings | None = None
    results_folder: str | None = None


@dataclass(frozen=True)
class MergedPairing:
    """An archive's pairing as :func:`merge_packed_pairing` gives it back: its pairs
    (:class:`PairLink`, in the pairing's order) pickled one after another in one blob,
    ``link_ends`` where each ends; the pairing and its notes as the result cache keeps them
    (``cached``: ``{"pairing": ..., "notes": [...]}``); and the rest of the
    :class:`Pairing`. A large archive's pairs reach the driver as one bytes object, not as an
    object per pair and signal; or, where the merge was given a folder, not at all: the pairs'
    blob is the file ``links_file`` and the cache entry the file ``cached_file`` (UTF-8), for
    the driver to adopt (``links`` and ``cached`` are then empty)."""

    links: bytes
    link_ends: array
    cached: str
    unpaired_uk: tuple[str, ...]
    unpaired_en: tuple[str, ...]
    signature: str
    notes: tuple[str, ...]
    links_file: str | None = None
    cached_file: str | None = None

    def pickled_links(self) -> Iterator[memoryview]:
        """Each pair's pickle, in order (of the pairs sent back)."""
        yield from blob_pieces(self.links, self.link_ends)


def merge_packed_pairing(merge: PairingToMerge) -> MergedPairing:
    """:func:`merge_pairing` of partitions paired by :func:`pair_packed_partition` (a stage
    that runs in a worker process: the driver makes none of the archive's pairs)."""
    results = [pickle.loads(_taken(blob)) for blob in merge.partitions]
    uk_ids, en_ids = merge.uk_ids.unpack(), merge.en_ids.unpack()
    pairing, partition_notes = merge_pairing(results, uk_ids, en_ids, merge.settings)
    del results
    notes = tuple(dict.fromkeys([*merge.notes, *partition_notes]))
    cached = encode_cached({"pairing": pairing.to_dict(), "notes": list(notes)})
    rest = (pairing.unpaired_uk, pairing.unpaired_en, pairing.signature, notes)
    ends = array("q")

    def pickled_links() -> Iterator[bytes]:  # each pair's pickle; where it ends, in ``ends``
        end = 0
        for link in pairing.pairs:
            blob = _pickled(link)
            end += len(blob)
            ends.append(end)
            yield blob

    if merge.results_folder is None:
        return MergedPairing(b"".join(pickled_links()), ends, cached, *rest)
    folder = Path(merge.results_folder)
    links_file = stage_file(folder / "pairs", pickled_links(), sync=False).path
    try:
        cached_file = stage_file(folder / "pairing", [cached.encode("utf-8")], sync=False).path
    except BaseException:
        Path(links_file).unlink(missing_ok=True)
        raise
    return MergedPairing(b"", ends, "", *rest, links_file=links_file, cached_file=cached_file)


def _taken(blob: bytes | str) -> bytes:
    """A partition's pairs as :func:`pair_packed_partition` gave them: the blob, or the
    content of the file it names (then removed)."""
    if isinstance(blob, bytes):
        return blob
    path = Path(blob)
    data = path.read_bytes()
    path.unlink()
    return data


def merge_pairing(
    results: Sequence[PartitionPairs],
    uk_ids: Sequence[str],
    en_ids: Sequence[str],
    settings: PairingSettings | None = None,
) -> tuple[Pairing, list[str]]:
    """The archive's pairing from its partitions' (in any order), and the warnings met while
    pairing them (each once)."""
    from aligner.pairing_partitions import merge_partitions

    ordered = sorted(results, key=lambda r: r.number)
    if settings is None:
        result = merge_partitions(ordered, list(uk_ids), list(en_ids))
    else:
        result = merge_partitions(ordered, list(uk_ids), list(en_ids), settings)
    links = tuple(
        PairLink(
            str(p.uk),
            str(p.en),
            round(float(p.confidence), 6),
            {k: round(float(v), 6) for k, v in p.signals.items()},
        )
        for p in result.pairs
    )
    pairing = Pairing(
        pairs=tuple(sorted(links, key=lambda p: (p.uk_id, p.en_id))),
        unpaired_uk=tuple(sorted(result.unpaired_uk)),
        unpaired_en=tuple(sorted(result.unpaired_en)),
        signature=str(result.signature),
    )
    notes = list(dict.fromkeys(message for r in ordered for message in r.warnings))
    return pairing, notes


def align_pair(pair: ArticlePair, settings: AlignerSettings | None = None) -> AlignedPair:
    """Align the paragraphs of one pair (with its bridge when the bridge fits paragraph by
    paragraph)."""
    from aligner.align import align_paragraphs

    alignment = align_paragraphs(pair.uk, pair.en, bridge=pair.usable_bridge, settings=settings)
    return AlignedPair(pair, alignment)


def one_sided_paragraph_requests(aligned: AlignedPair) -> list[TranslationRequest]:
    """The one-sided paragraphs of an aligned pair, as requests for a draft (at most one per
    direction)."""
    uk, en = aligned.pair.uk, aligned.pair.en
    only_uk = sorted(i for b in aligned.alignment.beads if not b.en for i in b.uk)
    only_en = sorted(j for b in aligned.alignment.beads if not b.uk for j in b.en)
    requests = []
    if only_uk:
        texts = tuple(uk.paragraphs[i] for i in only_uk)
        requests.append(
            TranslationRequest(uk.id, "uk", "en", tuple(only_uk), texts, aligned.pair_id)
        )
    if only_en:
        texts = tuple(en.paragraphs[j] for j in only_en)
        requests.append(
            TranslationRequest(en.id, "en", "uk", tuple(only_en), texts, aligned.pair_id)
        )
    return requests


def article_request(article: Article) -> TranslationRequest:
    """A whole article without a counterpart, as a request for a draft in the other language."""
    tgt = "en" if article.lang == "uk" else "uk"
    indices = tuple(range(len(article.paragraphs)))
    return TranslationRequest(article.id, article.lang, tgt, indices, article.paragraphs)


def bitext_rows(aligned: AlignedPair, unit: str = "sentence") -> list[BitextRow]:
    """The two-sided beads of a pair as bitext rows: with ``unit="sentence"`` (the default)
    the sentence beads inside each two-sided paragraph bead (:mod:`aligner.sentences`), with
    ``unit="paragraph"`` the paragraph beads. One-sided beads are no bitext: they are reported
    as findings and drafted instead."""
    if unit not in TM_UNITS:
        raise ValueError(f"unknown translation-memory unit {unit!r}; use one of {TM_UNITS}")
    if unit == "sentence":
        return _sentence_rows(aligned)
    uk, en = aligned.pair.uk, aligned.pair.en
    rows = []
    for number, bead in enumerate(aligned.alignment.beads):
        if bead.is_one_sided:
            continue
        rows.append(
            BitextRow(
                pair_id=aligned.pair_id,
                uk_id=uk.id,
                en_id=en.id,
                bead=number,
                uk_paragraphs=bead.uk,
                en_paragraphs=bead.en,
                uk=BEAD_JOINER.join(uk.paragraphs[i] for i in bead.uk),
                en=BEAD_JOINER.join(en.paragraphs[j] for j in bead.en),
                score=float(bead.score),
                pair_confidence=aligned.pair.link.confidence,
            )
        )
    return rows


def _sentence_rows(aligned: AlignedPair) -> list[BitextRow]:
    from aligner.sentences import align_bead_sentences, sentence_numbers

    uk, en = aligned.pair.uk, aligned.pair.en
    rows = []
    for inside in align_bead_sentences(uk.paragraphs, en.paragraphs, aligned.alignment):
        uk_numbers, en_numbers = sentence_numbers(inside.uk), sentence_numbers(inside.en)
        for number, bead, uk_text, en_text in inside.pairs():
            rows.append(
                BitextRow(
                    pair_id=aligned.pair_id,
                    uk_id=uk.id,
                    en_id=en.id,
                    bead=inside.paragraph_bead,
                    uk_paragraphs=tuple(sorted({inside.uk[i].paragraph for i in bead.uk})),
                    en_paragraphs=tuple(sorted({inside.en[j].paragraph for j in bead.en})),
                    uk=uk_text,
                    en=en_text,
                    score=bead.score,
                    pair_confidence=aligned.pair.link.confidence,
                    segtype="sentence",
                    sentence_bead=number,
                    uk_sentences=tuple(uk_numbers[i] for i in bead.uk),
                    en_sentences=tuple(en_numbers[j] for j in bead.en),
                )
            )
    return rows


def check_aligned_pair(
    task: PairToCheck,
    style: object | None = None,
    style_id: str | None = None,
    baseline: object | None = None,
    checks: Mapping[str, Mapping[str, object]] | None = None,
    score: Mapping[str, object] | None = None,
) -> PairCheck:
    """Run every pair check of the evaluator over one aligned pair and render its report
    (JSON, HTML review page, JUnit); findings recorded in ``baseline`` (an
    :class:`eval.baseline.Baseline`) are left out of them. The findings' lines are numbered
    from the source lines that come with the pair: no file is read here."""
    from eval.baseline import apply_baseline
    from eval.consistency_score import ScoreSettings
    from eval.rendering import render
    from eval.runner import check_pair as evaluate_pair

    aligned = task.aligned
    pair = aligned.pair
    report = evaluate_pair(
        pair.uk,
        pair.en,
        alignment=aligned.alignment,
        bridge=pair.usable_bridge,
        style=style,
        style_id=style_id,
        settings=checks,
        score_settings=ScoreSettings.from_mapping(score) if score else None,
        source_lines=task.source_lines(),
    )
    # a run's files are the same bytes on every engine and on a resumed run: no clock times
    report = apply_baseline(replace(report, timings={}), baseline)  # type: ignore[arg-type]
    return PairCheck(
        pair_id=aligned.pair_id,
        counts=report.counts(),
        report=report.to_dict(),
        html=render(report, "html"),
        junit=render(report, "junit"),
    )


def alignment_file_text(aligned: AlignedPair) -> str:
    """The text of the pair's ``alignments/<pair>.json``."""
    return indented_json(aligned.alignment_dict()) + "\n"


def pair_bitext(rows: Sequence[BitextRow], unit: str = "sentence") -> PairBitext:
    """A pair's bitext rows with their pieces of ``bitext.jsonl`` and ``bitext.tmx``."""
    return PairBitext(tuple(rows), jsonl_text(rows), tmx_units_text(rows, unit))


def encode_cached(value: object) -> str:
    """A stage result as the result cache stores it (JSON text)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _pickled(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def pair_work(
    work: PairWork,
    align: Callable[[ArticlePair], AlignedPair] = align_pair,
    unit: str = "sentence",
    check: Callable[[PairToCheck], PairCheck] = check_aligned_pair,
) -> PairOutcome:
    """Align one pair (unless its alignment is given), then make its bitext rows and check
    it, as far as ``work`` asks: the per-pair stages in one task. ``align`` and ``check`` are
    :func:`align_pair` and :func:`check_aligned_pair` with the run's settings.

    Each stage works on the previous one's result as a rerun reads it back from the cache
    (JSON and back), so that a fresh run and a resumed one write the same bytes; the results
    come encoded (:class:`mistok.run_records.PairOutcome`)."""
    pair = work.pair
    alignment_json = None
    alignment = work.alignment
    if alignment is None:
        alignment_json = encode_cached(align(pair).alignment_dict())
        alignment = alignment_from_dict(json.loads(alignment_json))
    aligned = AlignedPair(pair, alignment)
    # the outcome's fields, made as far as ``work`` asks, then the record once (a dataclass
    # ``replace`` per stage cost more than some stages' encoding)
    made: dict[str, object] = {}
    if work.bitext:
        rows_json = encode_cached([row.to_dict() for row in bitext_rows(aligned, unit)])
        rows = [BitextRow.from_dict(row) for row in json.loads(rows_json)]
        made.update(
            rows=_pickled(pair_bitext(rows, unit)), row_count=len(rows), rows_json=rows_json
        )
    kept = work.verdict  # the cached verdict, when the pair's checks are not redone
    if work.check:
        verdict = check(PairToCheck(aligned, work.uk_lines, work.en_lines))
        kept = verdict.without_page()
        made.update(
            verdict=_pickled(kept),
            verdict_json=encode_cached(verdict.to_dict()),
            page=verdict.html,
        )
    if kept is None:
        raise ValueError(f"pair {pair.pair_id}: no verdict given and none asked for")
    return PairOutcome(
        alignment_file=alignment_file_text(aligned),
        beads=len(alignment.beads),
        one_sided=aligned.one_sided_paragraphs,
        requests=tuple(one_sided_paragraph_requests(aligned)),
        alignment_json=alignment_json,
        report=_pickled(pair_report_piece(pair_part(aligned), kept)),
        **made,  # type: ignore[arg-type]
    )

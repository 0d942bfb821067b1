"""Article pairing by date partitions: plan → pair each partition → merge.

:func:`~aligner.pairing.pair_articles` is a whole-archive computation (IDF over the archive,
margins over each article's candidates, an association table learned from the archive's
confident pairs, one-to-one linking). Candidates are restricted to a date window
(``CandidateSettings.date_window_days``), so an archive that spans years can be paired in
pieces without one process holding all of it; this module is the one definition of that,
shared by every engine:

1. :func:`plan_partitions` cuts the archive into *cores* of ``PairingSettings.partition_days``
   days, aligned on the earliest date. A partition holds the articles of its core and, on both
   sides, the neighbours within ``2 * date_window_days`` days (the *margin*): an owned
   article's candidates lie within one window of it, and their rivals (which the margin and gap
   terms of the score compare with) within two.
2. :func:`pair_partition` pairs one partition with :func:`pair_articles` (a pure function of
   picklable inputs and outputs: a worker process or a cluster task can run it) and keeps the
   pairs whose Ukrainian article its core *owns*: each Ukrainian article is owned by exactly
   one partition.
3. :func:`merge_partitions` joins the partitions' pairs. An English article in a margin can be
   claimed by two partitions: one-to-one competitive linking over all proposed pairs by
   confidence decides, and the loser stays unpaired.

:func:`pair_in_partitions` runs the three steps in one process. An archive that needs no
partitioning (``partition_days`` 0, an undated article, dates spanning at most
``partition_days``, a negative date window, only one core with Ukrainian articles) is one
partition holding everything, whose result is exactly that of :func:`pair_articles`.

What partitioning changes: IDF, the association table and the candidates' rivals are those of
the partition, not of the archive. Why 90 days (``PairingSettings.partition_days``; measured in
BENCHMARKS.md on a synthetic archive of 12,500 articles per side over three years): the pair F1
equals the whole archive's to four places (0.9980) and the pairing memory is a quarter; 30 days
saves little more memory, spends 70 % more time on margins and recalls slightly less. What it
needs is enough confident pairs per partition to learn an association table
(``min_teaching_pairs``): a partition with fewer pairs by anchors alone (the signature then
names both modes), which in a sparse archive (500 articles over three years) cost one pair of
461.
"""

from __future__ import annotations

import bisect
import datetime as dt
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from aligner.document import Article
from aligner.pairing import (
    ArchiveBridge,
    BridgeCoverageWarning,
    PairingResult,
    PairingSettings,
    PairResult,
    _check_articles,
    bridge_coverage_message,
    pair_articles,
    translate_articles,
)

#: The settings a call without any uses (a module-level instance: defaults are built once).
DEFAULT_SETTINGS = PairingSettings()

__all__ = [
    "PairingPartition",
    "PartitionPairs",
    "merge_partitions",
    "pair_in_partitions",
    "pair_partition",
    "partition_margin_days",
    "plan_partitions",
]


@dataclass(frozen=True)
class PairingPartition:
    """The articles one pairing task needs.

    ``start <= date < end`` is the core: the Ukrainian articles dated there are *owned* by this
    partition (``start`` and ``end`` None: the whole archive, every article owned). ``uk`` and
    ``en`` hold the core and the margin around it, sorted by id (the whole-archive partition
    keeps the caller's order, so that its pairing is exactly :func:`pair_articles`'s);
    ``bridge`` the bridge text of each of its Ukrainian articles ("" where the archive's bridge
    has none), or None. Pickles (for worker processes and cluster tasks).
    """

    number: int
    start: dt.date | None
    end: dt.date | None
    uk: tuple[Article, ...]
    en: tuple[Article, ...]
    bridge: Mapping[str, str] | None = field(default=None, hash=False)  # a mapping has no hash

    def __post_init__(self) -> None:
        object.__setattr__(self, "uk", tuple(self.uk))
        object.__setattr__(self, "en", tuple(self.en))
        if self.bridge is not None:
            # a private read-only copy
            object.__setattr__(self, "bridge", MappingProxyType(dict(self.bridge)))

    def __reduce__(self) -> tuple[type[PairingPartition], tuple[object, ...]]:
        # a mappingproxy cannot be pickled: rebuild from the fields, the bridge as a plain dict
        bridge = None if self.bridge is None else dict(self.bridge)
        return type(self), (self.number, self.start, self.end, self.uk, self.en, bridge)

    @property
    def is_whole_archive(self) -> bool:
        """The partition holds the whole archive and owns every article."""
        return self.start is None and self.end is None

    def owns(self, article: Article) -> bool:
        """The article is in this partition's core (its pairs are this partition's to give)."""
        if self.is_whole_archive:
            return True
        if article.date is None:
            return False
        day = article.date.toordinal()
        after_start = self.start is None or self.start.toordinal() <= day
        before_end = self.end is None or day < self.end.toordinal()
        return after_start and before_end


@dataclass(frozen=True)
class PartitionPairs:
    """What pairing one partition gives: the accepted pairs whose Ukrainian article the
    partition owns (best first), the signature of its pairing, the messages of the warnings
    raised meanwhile (in order, each once) and its statistics. Pickles."""

    number: int
    pairs: tuple[PairResult, ...]
    signature: str
    warnings: tuple[str, ...] = ()
    stats: Mapping[str, float] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pairs", tuple(self.pairs))
        object.__setattr__(self, "warnings", tuple(self.warnings))
        object.__setattr__(self, "stats", MappingProxyType(dict(self.stats)))

    def __reduce__(self) -> tuple[Callable[..., PartitionPairs], tuple[object, ...]]:
        # mappingproxies (the stats, each pair's signals) cannot be pickled: plain dicts
        pairs = tuple((p.uk, p.en, p.confidence, dict(p.signals)) for p in self.pairs)
        return _rebuild_partition_pairs, (
            self.number,
            pairs,
            self.signature,
            self.warnings,
            dict(self.stats),
        )


def _rebuild_partition_pairs(
    number: int,
    pairs: tuple[tuple[str, str, float, dict[str, float]], ...],
    signature: str,
    messages: tuple[str, ...],
    stats: dict[str, float],
) -> PartitionPairs:
    """Unpickle :class:`PartitionPairs` (see its ``__reduce__``)."""
    return PartitionPairs(
        number=number,
        pairs=tuple(
            PairResult(uk=uk, en=en, confidence=conf, signals=MappingProxyType(signals))
            for uk, en, conf, signals in pairs
        ),
        signature=signature,
        warnings=messages,
        stats=stats,
    )


def partition_margin_days(settings: PairingSettings = DEFAULT_SETTINGS) -> int:
    """Days of neighbours a partition holds on each side of its core: two date windows (an
    owned article's candidates, then their other candidates, the rivals its score is
    corrected by)."""
    return 2 * settings.candidates.date_window_days


def _whole_archive(
    uk: Sequence[Article], en: Sequence[Article], bridge: Mapping[str, str] | None
) -> list[PairingPartition]:
    whole_bridge = None if bridge is None else _bridge_of(uk, bridge)
    whole = PairingPartition(
        number=0, start=None, end=None, uk=tuple(uk), en=tuple(en), bridge=whole_bridge
    )
    return [whole]


def _bridge_of(uk: Sequence[Article], bridge: Mapping[str, str]) -> dict[str, str]:
    """The bridge entries of ``uk``, an empty text where the bridge has none: what
    :func:`pair_articles` reads as a missing translation (and warns about) as it would with
    the whole bridge. An empty bridge stays empty (no bridge, no warning)."""
    if not bridge:
        return {}
    return {a.id: bridge.get(a.id) or "" for a in uk}


def _within(days: list[int], articles: list[Article], first: int, end: int) -> tuple[Article, ...]:
    """Articles (sorted by date ordinal in ``days``) dated ``first <= day < end``, by id."""
    low, high = bisect.bisect_left(days, first), bisect.bisect_left(days, end)
    return tuple(sorted(articles[low:high], key=lambda a: a.id))


def plan_partitions(
    uk: Sequence[Article],
    en: Sequence[Article],
    bridge: Mapping[str, str] | None = None,
    settings: PairingSettings = DEFAULT_SETTINGS,
) -> list[PairingPartition]:
    """The date partitions of an archive, numbered from 0 in date order; deterministic.

    One partition holding everything (``start`` and ``end`` None, the caller's order kept)
    when ``settings.partition_days <= 0``, when an article of either side has no date, when
    the date window is negative (candidates are then not restricted by date), or when the
    dates span at most ``partition_days`` days. Otherwise cores of ``partition_days`` days
    from the earliest date of either side; a core that owns no Ukrainian article can give no
    pair and is dropped (if only one core is left, the archive is one partition after all).

    ``bridge`` must be a mapping (English text per Ukrainian article id), which a partition
    restricts to its Ukrainian articles (see :class:`PairingPartition`); a callable
    translator is refused with a :class:`TypeError` (it need not pickle, and each partition
    would call it on its margin again): translate first, as :func:`pair_in_partitions` does.
    Raises
    :class:`~aligner.errors.InputError` for an article in the wrong language list or a
    duplicated id, as :func:`pair_articles` does.
    """
    if bridge is not None and not isinstance(bridge, Mapping):
        raise TypeError(
            "plan_partitions takes the bridge as a mapping of Ukrainian article id to English "
            "text, not as a callable: translate the articles first (pair_in_partitions does)"
        )
    _check_articles(uk, "uk")
    _check_articles(en, "en")
    partition_days = settings.partition_days
    window = settings.candidates.date_window_days
    if (
        partition_days <= 0
        or window < 0
        or not uk
        or not en
        or any(a.date is None for a in uk)
        or any(a.date is None for a in en)
    ):
        return _whole_archive(uk, en, bridge)
    uk_by_day = sorted(uk, key=lambda a: (a.date.toordinal(), a.id))  # type: ignore[union-attr]
    en_by_day = sorted(en, key=lambda a: (a.date.toordinal(), a.id))  # type: ignore[union-attr]
    uk_days = [a.date.toordinal() for a in uk_by_day]  # type: ignore[union-attr]
    en_days = [a.date.toordinal() for a in en_by_day]  # type: ignore[union-attr]
    first = min(uk_days[0], en_days[0])
    last = max(uk_days[-1], en_days[-1])
    if last - first <= partition_days:
        return _whole_archive(uk, en, bridge)
    margin = partition_margin_days(settings)
    owning_cores = sorted({(day - first) // partition_days for day in uk_days})
    if len(owning_cores) == 1:
        return _whole_archive(uk, en, bridge)
    coverage = None if bridge is None else bridge_coverage_message(uk, bridge)
    if coverage:  # said once for the archive; the partitions keep quiet about their share
        warnings.warn(coverage, BridgeCoverageWarning, stacklevel=2)
    partitions = []
    for number, core in enumerate(owning_cores):
        start = first + core * partition_days
        end = start + partition_days
        part_uk = _within(uk_days, uk_by_day, start - margin, end + margin)
        part_en = _within(en_days, en_by_day, start - margin, end + margin)
        part_bridge = None if bridge is None else _bridge_of(part_uk, bridge)
        partitions.append(
            PairingPartition(
                number=number,
                start=dt.date.fromordinal(start),
                end=dt.date.fromordinal(end),
                uk=part_uk,
                en=part_en,
                bridge=part_bridge,
            )
        )
    return partitions


def pair_partition(
    partition: PairingPartition, settings: PairingSettings = DEFAULT_SETTINGS
) -> PartitionPairs:
    """Pair one partition with :func:`pair_articles`; keep the pairs whose Ukrainian article
    the partition owns, and the messages of the warnings raised (each once). Pure: the same
    partition and settings give the same result in any process."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = pair_articles(partition.uk, partition.en, partition.bridge, settings)
    if partition.is_whole_archive:
        pairs = result.pairs
    else:
        owned = {a.id for a in partition.uk if partition.owns(a)}
        pairs = tuple(p for p in result.pairs if p.uk in owned)
    # a partition's share of the bridge's gaps was said for the whole archive by the plan
    said = () if partition.is_whole_archive else (BridgeCoverageWarning,)
    messages = tuple(dict.fromkeys(str(w.message) for w in caught if w.category not in said))
    return PartitionPairs(
        number=partition.number,
        pairs=pairs,
        signature=result.signature,
        warnings=messages,
        stats=dict(result.stats),
    )


def _mode_of(signature: str) -> str:
    """The ``mode:`` field of a pairing signature."""
    for part in signature.split("|"):
        if part.startswith("mode:"):
            return part[len("mode:") :]
    raise ValueError(f"not a pairing signature (no mode): {signature!r}")


def _merged_signature(results: Sequence[PartitionPairs], settings: PairingSettings) -> str:
    """The signature of a pairing in several partitions: the modes the partitions used
    (sorted, joined by commas) and ``part:{days}d``. Refuses partitions paired with other
    settings or another version than ``settings`` names."""
    modes = []
    for result in results:
        mode = _mode_of(result.signature)
        if result.signature != settings.signature(mode):
            raise ValueError(
                f"partition {result.number} was paired with other settings or another version: "
                f"{result.signature!r}, expected {settings.signature(mode)!r}"
            )
        modes.append(mode)
    return settings.signature(",".join(sorted(set(modes))), partitioned=True)


def _linking_order(pair: PairResult) -> tuple[float, float, str, str]:
    """Most confident first; the unrounded score, then the ids break ties."""
    return (-pair.confidence, -float(pair.signals.get("score", 0.0)), pair.uk, pair.en)


def merge_partitions(
    results: Sequence[PartitionPairs],
    uk_ids: Sequence[str],
    en_ids: Sequence[str],
    settings: PairingSettings = DEFAULT_SETTINGS,
) -> PairingResult:
    """One :class:`PairingResult` from the partitions' pairs; the same whatever the order of
    ``results``.

    One partition: its pairs, signature and statistics as they are (so the result equals
    :func:`pair_articles`'s on the whole archive). Several: one-to-one competitive linking
    over all the pairs proposed, most confident first (ties broken by score, then by the
    (uk, en) ids); a pair whose English (or Ukrainian) article an earlier pair took is dropped.
    ``uk_ids`` and ``en_ids`` are all the archive's articles: those in no accepted pair are
    unpaired. Statistics: ``candidates`` and ``association_pairs`` summed over the partitions
    (margins count in each partition that holds them), ``partitions``, and
    ``contested_pairs``, the pairs dropped by the merge.

    Raises :class:`ValueError` for no results, two results with one number, a pair naming an
    article not in ``uk_ids``/``en_ids``, or partitions paired with other settings.
    """
    ordered = sorted(results, key=lambda r: r.number)
    if not ordered:
        raise ValueError("no partition results to merge")
    numbers = [r.number for r in ordered]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"partition results with the same number: {numbers}")
    known_uk, known_en = set(uk_ids), set(en_ids)
    for result in ordered:
        for pair in result.pairs:
            if pair.uk not in known_uk or pair.en not in known_en:
                raise ValueError(
                    f"partition {result.number} pairs {pair.uk!r} with {pair.en!r}, "
                    "which are not both among the archive's articles"
                )
    if len(ordered) == 1:
        only = ordered[0]
        pairs = only.pairs
        signature = only.signature
        stats = dict(only.stats)
    else:
        proposed = sorted((p for r in ordered for p in r.pairs), key=_linking_order)
        taken_uk: set[str] = set()
        taken_en: set[str] = set()
        accepted = []
        for pair in proposed:
            if pair.uk in taken_uk or pair.en in taken_en:
                continue
            taken_uk.add(pair.uk)
            taken_en.add(pair.en)
            accepted.append(pair)
        pairs = tuple(accepted)
        signature = _merged_signature(ordered, settings)
        stats = {
            "candidates": sum(r.stats.get("candidates", 0.0) for r in ordered),
            "partitions": float(len(ordered)),
            "contested_pairs": float(len(proposed) - len(accepted)),
        }
        if any("association_pairs" in r.stats for r in ordered):
            stats["association_pairs"] = sum(r.stats.get("association_pairs", 0.0) for r in ordered)
    paired_uk = {p.uk for p in pairs}
    paired_en = {p.en for p in pairs}
    return PairingResult(
        pairs=tuple(pairs),
        unpaired_uk=tuple(sorted(known_uk - paired_uk)),
        unpaired_en=tuple(sorted(known_en - paired_en)),
        signature=signature,
        stats=MappingProxyType(stats),
    )


def pair_in_partitions(
    uk: Sequence[Article],
    en: Sequence[Article],
    bridge: ArchiveBridge | None = None,
    settings: PairingSettings = DEFAULT_SETTINGS,
) -> PairingResult:
    """Pair an archive partition by partition in this process: :func:`plan_partitions`, then
    :func:`pair_partition` on each, then :func:`merge_partitions`. What ``mistok pair`` and
    the local engine use; an archive that needs no partitioning gets exactly
    :func:`pair_articles`'s result.

    The warnings the partitions raised are raised again here, each distinct message once
    (as :class:`UserWarning`). A callable ``bridge`` is called once on all the Ukrainian
    paragraphs (as :func:`pair_articles` would) and its texts partitioned.
    """
    if bridge is not None and not isinstance(bridge, Mapping):
        bridge = dict(zip((a.id for a in uk), translate_articles(uk, bridge), strict=True))
    partitions = plan_partitions(uk, en, bridge, settings)
    results = [pair_partition(partition, settings) for partition in partitions]
    for message in dict.fromkeys(m for r in results for m in r.warnings):
        warnings.warn(message, stacklevel=2)
    return merge_partitions(results, [a.id for a in uk], [a.id for a in en], settings)

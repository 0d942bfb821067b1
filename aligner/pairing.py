"""Pair the Ukrainian and English versions of articles in an archive.

The steps (each in its own module):

1. :mod:`aligner.profile` — an anchor profile per article (numbers and dates, name keys,
   cognate skeletons, core-lexicon concepts, title/URL keys, stems, paragraph lengths, date);
2. :mod:`aligner.candidates` — an inverted index over rare features proposes each article's
   best candidates, within a date window; never all pairs;
3. :mod:`aligner.pair_scoring` — signals per candidate, combined into log-odds by a
   :class:`ScoreModel`, corrected by the margin over each article's alternatives;
4. :mod:`aligner.assignment` — one-to-one competitive linking above a confidence threshold,
   among the candidates with some content evidence (:func:`has_content_evidence`);
5. without a bridge, :mod:`aligner.association` learns a word-association table from the
   confident pairs of the first pass and the archive is paired again with it.

With a translation bridge (English text per Ukrainian article, or a callable translating
Ukrainian paragraphs), the bridge is compared with the English articles as word 1-2-gram
TF-IDF vectors, which is the strongest signal when it exists.

The weights of the score models were fitted by logistic regression over the candidate pairs
of the whole development split (``python bench/fit_pairing_weights.py``), so that a pair's
confidence is a calibrated probability there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from scipy import sparse

from aligner.assignment import competitive_linking
from aligner.association import AssociationSettings, AssociationTable, learn_associations
from aligner.candidates import CandidateSettings, propose_candidates
from aligner.document import Article
from aligner.errors import InputError
from aligner.lexicon import load_lexicon
from aligner.pair_scoring import (
    best_other_gap,
    bridge_bags,
    combine,
    length_agreement,
    paired_cosines,
    paragraph_agreement,
    slug_overlap,
    tfidf_rows,
    with_margin,
)
from aligner.profile import AnchorProfile, ProfileBuilder
from aligner.version import package_version

__all__ = [
    "ArchiveBridge",
    "BridgeCoverageWarning",
    "CandidateTable",
    "PairResult",
    "PairingResult",
    "PairingSettings",
    "ScoreModel",
    "add_association",
    "bridge_coverage_message",
    "build_candidates",
    "decide",
    "final_scores",
    "has_content_evidence",
    "pair_articles",
    "score_components",
    "teaching_pairs",
    "translate_articles",
]

#: English text per Ukrainian article id, or a callable translating Ukrainian paragraphs.
ArchiveBridge = Mapping[str, str] | Callable[[Sequence[str]], Sequence[str]]


@dataclass(frozen=True)
class ScoreModel:
    """Log-odds of a candidate pair: ``s = bias + sum(w * signal)``, then
    ``final = score_weight * s + margin_weight * (s - mean of each side's best s)
    + gap_weight * (s - best other s of either article) + final_bias``; the confidence is
    ``sigmoid(final)``."""

    weights: tuple[tuple[str, float], ...]
    bias: float
    score_weight: float
    margin_weight: float
    final_bias: float
    gap_weight: float = 0.0

    def signal_weights(self) -> dict[str, float]:
        """Signal name -> weight."""
        return dict(self.weights)


# Fitted by bench/fit_pairing_weights.py on the development split (pair/ and pair-hard/).
ANCHORS_MODEL = ScoreModel(
    weights=(
        ("cognates", 1.175),
        ("names", 1.872),
        ("numbers", 1.614),
        ("symbols", 0.818),
        ("concepts", 12.421),
        ("length", 2.105),
        ("paragraphs", 4.611),
    ),
    bias=-9.154,
    score_weight=1.015,
    margin_weight=0.456,
    final_bias=1.119,
    gap_weight=1.108,
)
ASSOCIATION_MODEL = ScoreModel(
    weights=(
        ("cognates", 1.02),
        ("names", 1.643),
        ("numbers", 0.993),
        ("concepts", 8.026),
        ("length", 1.992),
        ("paragraphs", 3.631),
        ("association", 6.636),
    ),
    bias=-9.815,
    score_weight=0.301,
    margin_weight=0.896,
    final_bias=0.689,
    gap_weight=1.393,
)
BRIDGE_MODEL = ScoreModel(
    weights=(
        ("cognates", 1.64),
        ("numbers", 1.624),
        ("concepts", 6.397),
        ("length", 1.839),
        ("paragraphs", 4.147),
        ("bridge", 9.071),
    ),
    bias=-9.042,
    score_weight=1.314,
    margin_weight=0.275,
    final_bias=0.62,
    gap_weight=0.945,
)


@dataclass(frozen=True)
class PairingSettings:
    """Everything that changes the pairing result; :meth:`signature` names it."""

    candidates: CandidateSettings = CandidateSettings()
    association: AssociationSettings = AssociationSettings()
    anchors_model: ScoreModel = ANCHORS_MODEL
    association_model: ScoreModel = ASSOCIATION_MODEL
    bridge_model: ScoreModel = BRIDGE_MODEL
    #: Compare the concepts of the bundled core lexicon (aligner/data/lexicon.tsv).
    lexicon: bool = True
    #: Minimal confidence of an accepted pair.
    threshold: float = 0.5
    #: Pairing passes with a learned association table (0: anchors only).
    association_rounds: int = 2
    #: Minimal confidence of a pair that teaches the association table.
    teach_confidence: float = 0.5
    #: Fewer teaching pairs than this teach nothing (no association pass): word statistics
    #: over a handful of pairs would mostly repeat those pairs back.
    min_teaching_pairs: int = 20
    #: Content signal levels that count as evidence of a pair by themselves (the 80th to 90th
    #: percentile of the signal over the non-pairs of the development split; 99 % of its
    #: pairs reach the concepts floor); see :func:`has_content_evidence`.
    content_floors: tuple[tuple[str, float], ...] = (
        ("concepts", 0.15),
        ("cognates", 0.06),
        ("association", 0.12),
        ("bridge", 0.12),
    )
    #: How many of an article's best candidates its margin is measured against.
    margin_k: int = 3
    #: Usual log(English length / Ukrainian length) of an article, and the spread allowed
    #: (the pairs of the development split: 0.065 ± 0.11; a wider spread pairs better there).
    length_log_ratio_mean: float = 0.065
    length_log_ratio_sd: float = 0.15
    #: The same for one paragraph (0.055 ± 0.2 there: joined and split sentences move text).
    paragraph_log_ratio_mean: float = 0.055
    paragraph_log_ratio_sd: float = 0.25
    #: Credit of a joined or split paragraph (a 2-1 or 1-2 bead) relative to a 1-1 bead in
    #: the paragraph-structure signal (:func:`aligner.pair_scoring.paragraph_agreement`).
    paragraph_merge_credit: float = 0.5
    #: Core length in days of a date partition (:mod:`aligner.pairing_partitions`): an
    #: archive whose dates span more is paired partition by partition, each partition with
    #: its neighbours' articles within ``2 * candidates.date_window_days`` days, so that no
    #: worker holds the whole archive. 0 = never partition. :func:`pair_articles` itself
    #: ignores it. At 90 days the pair F1 of a 12,500-article synthetic archive over three years
    #: equals the whole archive's (0.998) for a quarter of the memory (BENCHMARKS.md); shorter
    #: partitions save little more and spend more time on their margins.
    partition_days: int = 90

    def models_digest(self) -> str:
        """A short hash of the fitted score models and of the constants they were fitted
        with (content floors, length and paragraph agreement): changes with a refit."""
        text = repr((self.anchors_model, self.association_model, self.bridge_model))
        text += repr(self.content_floors)
        text += repr(
            (
                self.length_log_ratio_mean,
                self.length_log_ratio_sd,
                self.paragraph_log_ratio_mean,
                self.paragraph_log_ratio_sd,
                self.paragraph_merge_credit,
            )
        )
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]

    def signature(self, mode: str, partitioned: bool = False) -> str:
        """A one-line record of the settings, sacrebleu style.

        ``mode``: the pairing mode, or the modes of the partitions joined by commas
        (``anchors,anchors+association``); ``partitioned``: the archive was paired in more
        than one date partition (adds ``part:{partition_days}d``).
        """
        c = self.candidates
        parts = [
            f"mode:{mode}",
            f"cand:{c.per_article}x{c.query_features}",
            f"postings:{c.max_postings}",
            f"window:{c.date_window_days}d",
            f"thr:{self.threshold:g}",
            f"margin:{self.margin_k}",
            f"lexicon:{'core' if self.lexicon else 'none'}",
            f"models:{self.models_digest()}",
        ]
        if partitioned:
            parts.insert(4, f"part:{self.partition_days}d")
        if "anchors+association" in mode.split(","):
            parts.append(f"rounds:{self.association_rounds}")
            parts.append(f"dice:{self.association.min_dice:g}")
        return "pair|" + "|".join(parts) + f"|version:{package_version()}"


@dataclass(frozen=True)
class PairResult:
    """One accepted pair, its confidence (0..1) and the signals behind it."""

    uk: str
    en: str
    confidence: float
    signals: Mapping[str, float]


@dataclass(frozen=True)
class PairingResult:
    """Accepted pairs (best first), the articles left without a counterpart, the settings."""

    pairs: tuple[PairResult, ...]
    unpaired_uk: tuple[str, ...]
    unpaired_en: tuple[str, ...]
    signature: str
    stats: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))


@dataclass
class CandidateTable:
    """Candidate pairs of an archive and their signals (one array per signal).

    Keeps the per-article vectors that the signals need, so that :meth:`extend` can score
    further candidates (those a learned association table proposes) without recomputing.
    """

    uk_profiles: list[AnchorProfile]
    en_profiles: list[AnchorProfile]
    uk_rows: np.ndarray
    en_rows: np.ndarray
    signals: dict[str, np.ndarray]
    has_bridge_article: np.ndarray  # per Ukrainian article: the bridge has its text
    vectors: dict[str, tuple[sparse.csr_matrix, sparse.csr_matrix]]
    settings: PairingSettings

    def __len__(self) -> int:
        return int(self.uk_rows.shape[0])

    @property
    def has_bridge(self) -> np.ndarray:
        """Per candidate: its Ukrainian article has a bridge text."""
        return self.has_bridge_article[self.uk_rows]

    def signals_for(self, i: np.ndarray, j: np.ndarray) -> dict[str, np.ndarray]:
        """The signals that need no learning, for candidate pairs ``(i[k], j[k])``."""
        settings = self.settings
        signals = {name: paired_cosines(a, b, i, j) for name, (a, b) in self.vectors.items()}
        signals["slug"] = slug_overlap(
            [p.slug for p in self.uk_profiles], [p.slug for p in self.en_profiles], i, j
        )
        uk_len = np.asarray([p.length for p in self.uk_profiles], dtype=np.float64)
        en_len = np.asarray([p.length for p in self.en_profiles], dtype=np.float64)
        signals["length"] = length_agreement(
            uk_len[i], en_len[j], settings.length_log_ratio_mean, settings.length_log_ratio_sd
        )
        signals["paragraphs"] = paragraph_agreement(
            [p.paragraph_lengths for p in self.uk_profiles],
            [p.paragraph_lengths for p in self.en_profiles],
            i,
            j,
            settings.paragraph_log_ratio_mean,
            settings.paragraph_log_ratio_sd,
            settings.paragraph_merge_credit,
        )
        return signals

    def extend(self, i: np.ndarray, j: np.ndarray) -> int:
        """Add the candidate pairs not there yet; returns how many were new. Signals that
        are not computed by :meth:`signals_for` (the association) must be recomputed."""
        n_en = max(len(self.en_profiles), 1)
        known = self.uk_rows * n_en + self.en_rows
        codes = np.setdiff1d(i * n_en + j, known)
        if codes.size == 0:
            return 0
        new_i, new_j = codes // n_en, codes % n_en
        added = self.signals_for(new_i, new_j)
        self.uk_rows = np.concatenate([self.uk_rows, new_i])
        self.en_rows = np.concatenate([self.en_rows, new_j])
        for name in list(self.signals):
            if name in added:
                self.signals[name] = np.concatenate([self.signals[name], added[name]])
            else:
                del self.signals[name]
        return int(codes.size)


def _check_articles(articles: Sequence[Article], lang: str) -> None:
    seen: set[str] = set()
    for article in articles:
        if article.lang != lang:
            raise InputError(
                f"article {article.id!r} ({article.source or 'no file'}) is {article.lang!r} "
                f"but was given as {lang!r}; pass it on the {article.lang} side"
            )
        if article.id in seen:
            raise InputError(f"two {lang} articles have the id {article.id!r}; ids must be unique")
        seen.add(article.id)


def _ordinals(profiles: Sequence[AnchorProfile]) -> np.ndarray:
    return np.asarray(
        [p.date.toordinal() if isinstance(p.date, dt.date) else -1 for p in profiles],
        dtype=np.int64,
    )


def _index_features(profile: AnchorProfile, extra: Iterable[str] = ()) -> Iterator[str]:
    """The features an article is indexed under, in a fixed order (made on the fly: the
    index keeps integers only)."""
    yield from ("n:" + n for n in profile.numbers)
    yield from ("y:" + y for y in profile.symbols)
    yield from ("c:" + c for c in profile.cognates)
    yield from (f"k:{k}" for k in profile.concepts)
    yield from ("s:" + s for s in sorted(profile.slug))
    yield from ("w:" + w for w in extra)


class BridgeCoverageWarning(UserWarning):
    """The bridge lacks the translation of some Ukrainian articles (paired without it)."""


def bridge_coverage_message(uk: Sequence[Article], bridge: Mapping[str, str]) -> str | None:
    """What :class:`BridgeCoverageWarning` says about ``bridge`` over ``uk``; ``None`` when
    it covers every article (or is empty: no bridge at all)."""
    missing = [a.id for a in uk if not bridge.get(a.id)]
    if not missing or not bridge:
        return None
    return (
        f"the bridge has no translation for {len(missing)} of {len(uk)} Ukrainian articles "
        f"(first: {missing[0]!r}); they are paired without it"
    )


def _resolve_bridge(uk: Sequence[Article], bridge: ArchiveBridge | None) -> list[str | None]:
    """English text per Ukrainian article (None where the bridge has none)."""
    if bridge is None:
        return [None] * len(uk)
    if isinstance(bridge, Mapping):
        message = bridge_coverage_message(uk, bridge)
        if message:
            warnings.warn(message, BridgeCoverageWarning, stacklevel=3)
        return [bridge.get(a.id) or None for a in uk]
    return list(translate_articles(uk, bridge))


def translate_articles(
    uk: Sequence[Article], translate: Callable[[Sequence[str]], Sequence[str]]
) -> list[str]:
    """English text per Ukrainian article from a callable bridge: one call over all the
    paragraphs, in order; each article's paragraphs joined by a blank line."""
    paragraphs = [p for article in uk for p in article.paragraphs]
    translated = list(translate(paragraphs))
    if len(translated) != len(paragraphs):
        raise InputError(
            f"the translation bridge returned {len(translated)} texts for "
            f"{len(paragraphs)} paragraphs"
        )
    texts = []
    position = 0
    for article in uk:
        texts.append("\n\n".join(translated[position : position + len(article.paragraphs)]))
        position += len(article.paragraphs)
    return texts


def build_candidates(
    uk: Sequence[Article],
    en: Sequence[Article],
    bridge: ArchiveBridge | None = None,
    settings: PairingSettings = PairingSettings(),
) -> CandidateTable:
    """Profile both sides, propose candidates and compute the signals that need no learning."""
    _check_articles(uk, "uk")
    _check_articles(en, "en")
    builder = ProfileBuilder(load_lexicon() if settings.lexicon else None)
    uk_profiles = [builder.profile(a) for a in uk]
    en_profiles = [builder.profile(a) for a in en]
    bridge_texts = _resolve_bridge(uk, bridge)
    has_bridge = any(t is not None for t in bridge_texts)
    uk_index = (
        _index_features(p, builder.stems(text, "en") if text else ())
        for p, text in zip(uk_profiles, bridge_texts, strict=True)
    )
    en_index = (_index_features(p, p.all_stems if has_bridge else ()) for p in en_profiles)
    candidates = propose_candidates(
        uk_index, en_index, _ordinals(uk_profiles), _ordinals(en_profiles), settings.candidates
    )
    vectors = {
        name: tfidf_rows(
            (Counter(getattr(p, name)) for p in uk_profiles),
            (Counter(getattr(p, name)) for p in en_profiles),
        )
        for name in ("cognates", "names", "numbers", "symbols", "concepts")
    }
    if has_bridge:
        vectors["bridge"] = tfidf_rows(
            bridge_bags(t or "" for t in bridge_texts), bridge_bags(a.text for a in en)
        )
    table = CandidateTable(
        uk_profiles=uk_profiles,
        en_profiles=en_profiles,
        uk_rows=candidates.uk,
        en_rows=candidates.en,
        signals={},
        has_bridge_article=np.asarray([t is not None for t in bridge_texts], dtype=bool),
        vectors=vectors,
        settings=settings,
    )
    table.signals = table.signals_for(candidates.uk, candidates.en)
    return table


def add_association(table: CandidateTable, associations: AssociationTable) -> None:
    """Propose the candidates that the association table finds, and set the association
    signal of every candidate: the cosine of the Ukrainian stems mapped through the table
    with the English stems."""
    # The bags are made twice rather than kept: an archive's worth of dicts is large.
    # Anchors proposed their candidates already: index the association bags alone.
    proposed = propose_candidates(
        (associations.translate(p.all_stems) for p in table.uk_profiles),
        (p.all_stems for p in table.en_profiles),
        _ordinals(table.uk_profiles),
        _ordinals(table.en_profiles),
        table.settings.candidates,
    )
    table.extend(proposed.uk, proposed.en)
    a, b = tfidf_rows(
        (associations.translate(p.all_stems) for p in table.uk_profiles),
        (Counter(p.all_stems) for p in table.en_profiles),
    )
    table.signals["association"] = paired_cosines(a, b, table.uk_rows, table.en_rows)


def score_components(
    table: CandidateTable, model: ScoreModel, margin_k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per candidate under ``model``: the combined signals ``s``, ``s`` less the mean of each
    side's ``margin_k`` best (:func:`~aligner.pair_scoring.with_margin`), and ``s`` less the
    best other candidate of either article (:func:`~aligner.pair_scoring.best_other_gap`)."""
    n_uk, n_en = len(table.uk_profiles), len(table.en_profiles)
    s = combine(table.signals, model.signal_weights(), model.bias)
    margin = with_margin(s, table.uk_rows, table.en_rows, n_uk, n_en, margin_k)
    gap = best_other_gap(s, table.uk_rows, table.en_rows, n_uk, n_en)
    return s, margin, gap


def final_scores(table: CandidateTable, model: ScoreModel, margin_k: int) -> np.ndarray:
    """Calibrated log-odds of every candidate under ``model``."""
    s, margin, gap = score_components(table, model, margin_k)
    return (
        model.score_weight * s
        + model.margin_weight * margin
        + model.gap_weight * gap
        + model.final_bias
    )


def has_content_evidence(
    signals: Mapping[str, np.ndarray], floors: Mapping[str, float]
) -> np.ndarray:
    """Per candidate: shares a number, a name, a title/URL key, or has a content signal
    (cognates, association, bridge) at or above its floor. Length and paragraph structure
    alone never pair two articles: in a small archive, two unrelated short pieces often have
    the same shape and no rival to lose to."""
    size = next(iter(signals.values())).shape[0]
    evidence = np.zeros(size, dtype=bool)
    for name in ("numbers", "names", "slug"):
        if name in signals:
            evidence |= signals[name] > 0
    for name, floor in floors.items():
        if name in signals:
            evidence |= signals[name] >= floor
    return evidence


def decide(
    table: CandidateTable, final: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """Accepted candidate indices and their confidences."""
    if len(table) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    log_odds_threshold = math.log(threshold / (1.0 - threshold))
    allowed = has_content_evidence(table.signals, dict(table.settings.content_floors))
    eligible = np.where(allowed, final, -np.inf)
    accepted = competitive_linking(table.uk_rows, table.en_rows, eligible, log_odds_threshold)
    return accepted, 1.0 / (1.0 + np.exp(-final[accepted]))


def teaching_pairs(
    table: CandidateTable, accepted: np.ndarray, confidence: np.ndarray, minimum: float
) -> list[tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]]:
    """The paragraph stems (Ukrainian, English) of the accepted pairs whose confidence is at
    least ``minimum``, most confident first: what :func:`learn_associations` learns from."""
    order = np.argsort(-confidence, kind="stable")
    pairs = []
    for k in order.tolist():
        if confidence[k] < minimum:
            break
        c = accepted[k]
        pairs.append(
            (
                table.uk_profiles[table.uk_rows[c]].stems,
                table.en_profiles[table.en_rows[c]].stems,
            )
        )
    return pairs


def pair_articles(
    uk: Sequence[Article],
    en: Sequence[Article],
    bridge: ArchiveBridge | None = None,
    settings: PairingSettings = PairingSettings(),
) -> PairingResult:
    """Pair Ukrainian and English articles one to one; list those without a counterpart.

    ``bridge``: English text per Ukrainian article id, or a callable translating a list of
    Ukrainian paragraphs to English. Raises :class:`InputError` for an article in the wrong
    language list or a duplicated id.
    """
    table = build_candidates(uk, en, bridge, settings)
    stats: dict[str, float] = {"candidates": float(len(table))}
    if "bridge" in table.signals:
        mode = "bridge"
        final = final_scores(table, settings.bridge_model, settings.margin_k)
        if not table.has_bridge.all():
            # Articles the bridge does not cover are scored by their anchors.
            fallback = final_scores(table, settings.anchors_model, settings.margin_k)
            final = np.where(table.has_bridge, final, fallback)
        accepted, confidence = decide(table, final, settings.threshold)
    else:
        mode = "anchors"
        final = final_scores(table, settings.anchors_model, settings.margin_k)
        accepted, confidence = decide(table, final, settings.threshold)
        for _ in range(settings.association_rounds):
            teaching = teaching_pairs(table, accepted, confidence, settings.teach_confidence)
            stats["association_pairs"] = float(len(teaching))
            if len(teaching) < settings.min_teaching_pairs:
                break
            associations = learn_associations(teaching, settings.association)
            stats["association_words"] = float(len(associations))
            if not len(associations):
                break
            mode = "anchors+association"
            add_association(table, associations)
            final = final_scores(table, settings.association_model, settings.margin_k)
            accepted, confidence = decide(table, final, settings.threshold)
    names = list(table.signals)
    results = []
    for k, conf in zip(accepted.tolist(), confidence.tolist(), strict=True):
        signals = {name: round(float(table.signals[name][k]), 4) for name in names}
        signals["score"] = round(float(final[k]), 4)
        results.append(
            PairResult(
                uk=table.uk_profiles[table.uk_rows[k]].article_id,
                en=table.en_profiles[table.en_rows[k]].article_id,
                confidence=round(float(conf), 4),
                signals=MappingProxyType(signals),
            )
        )
    paired_uk = {r.uk for r in results}
    paired_en = {r.en for r in results}
    return PairingResult(
        pairs=tuple(results),
        unpaired_uk=tuple(
            sorted(p.article_id for p in table.uk_profiles if p.article_id not in paired_uk)
        ),
        unpaired_en=tuple(
            sorted(p.article_id for p in table.en_profiles if p.article_id not in paired_en)
        ),
        signature=settings.signature(mode),
        stats=MappingProxyType(stats),
    )

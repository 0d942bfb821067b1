"""Paragraph alignment: dynamic programming over beads inside a band around the diagonal.

Each bead joins up to :data:`~aligner.vectors.MAX_GROUP` contiguous paragraphs of either side.
A bead's value is the cosine similarity of its two sides (anchor features, and — when a
translation bridge is given — the bridge against the English text), minus a threshold, a
length-mismatch penalty and a penalty per joined paragraph; a one-sided bead is worth zero.
So two paragraphs are linked when they are more similar than the threshold, and a join is
chosen only when it raises the similarity by more than its penalty. Article-sized inputs get the
full search; longer documents keep to a band of ``width`` paragraphs around the diagonal, so the
cost grows linearly with the document.

Each bead of the result also gets a calibrated confidence (:mod:`aligner.confidence`): among
its features, its margin — how much the best alignment loses when the bead is forbidden —
comes from one backward pass over the same band.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from aligner.alignment import Alignment, Bead, Bridge
from aligner.confidence import (
    CONFIDENCE_MODELS,
    Shape,
    bead_features,
    confidence,
    paragraph_shape,
)
from aligner.document import Article
from aligner.errors import ConfigError
from aligner.features import COGNATE_PREFIX, anchor_features, bridge_features, cognate_features
from aligner.lexicon import Lexicon, load_lexicon
from aligner.vectors import MAX_GROUP, Band, BeadSimilarity, tfidf_rows

ALIGNER_VERSION = "4"  # 4: facing one-sided paragraphs joined; confidence features (12c)

#: English/Ukrainian length ratio of translated text: the document's own ratio, kept inside this
#: range so that versions of very different length (a short teaser against a full article) do
#: not make every real pair look mismatched.
MIN_RATIO, MAX_RATIO = 0.7, 1.6


@dataclass(frozen=True)
class AlignerSettings:
    """Everything that changes an alignment. Defaults were tuned on the whole WMT22 dev split."""

    bead_types: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2))
    width: int = 24
    exact_below: int = 120  # documents up to this many paragraphs get the full (unbanded) search
    threshold: float = -0.05
    bridge_threshold: float = 0.05
    join_penalty: float = 0.0
    length_weight: float = 0.4
    bridge_weight: float = 0.8
    # no bridge: consonant skeletons of words join the anchors, at this weight (0: off)
    cognate_weight: float = 1.0
    # no bridge: a two-sided bead under this similarity whose paragraphs both hold anchors
    # loses unmatched_penalty × log(1 + anchors of the poorer side)
    unmatched_penalty: float = 0.03
    unmatched_below: float = 0.05
    # no bridge: a Ukrainian and an English one-sided paragraph side by side become one 1-1
    # bead when that bead is worth at least -facing_slack (the one-sided pair is worth 0)
    facing_slack: float = 0.02
    use_lexicon: bool = True

    def __post_init__(self) -> None:
        for a, b in self.bead_types:
            if not (0 <= a <= MAX_GROUP and 0 <= b <= MAX_GROUP) or (a, b) == (0, 0):
                raise ConfigError(
                    f"bead type {a}-{b} is not possible: each side joins 0 to {MAX_GROUP} "
                    "paragraphs and a bead has at least one"
                )
        if (1, 0) not in self.bead_types or (0, 1) not in self.bead_types:
            raise ConfigError("bead types must include 1-0 and 0-1: one-sided paragraphs happen")
        if self.width < 1:
            raise ConfigError(f"band width must be at least 1 paragraph, not {self.width}")

    def signature(self, bridged: bool) -> dict[str, object]:
        """The settings as the alignment's metadata records them (a fresh dict each call)."""
        return dict(_signature_items(self, bridged))


@functools.lru_cache(maxsize=16)
def _signature_items(settings: AlignerSettings, bridged: bool) -> tuple[tuple[str, object], ...]:
    """``AlignerSettings.signature``, computed once per settings (``asdict`` is slow, and every
    alignment records it)."""
    values: dict[str, object] = asdict(settings)
    values["bead_types"] = ",".join(f"{a}-{b}" for a, b in settings.bead_types)
    values["bridge"] = "yes" if bridged else "no"
    values["aligner"] = ALIGNER_VERSION
    return tuple(values.items())


@functools.lru_cache(maxsize=16)
def _lexicon_label(lexicon: Lexicon) -> str:
    """The lexicon's file names, as an alignment's metadata records them (once per lexicon:
    every alignment, of paragraphs and of each bead's sentences, records it)."""
    return "+".join(Path(s).name for s in lexicon.sources)


def _paragraphs(doc: Article | Sequence[str]) -> list[str]:
    return list(doc.paragraphs) if isinstance(doc, Article) else list(doc)


def _resolve_bridge(bridge: Bridge | None, uk: list[str]) -> list[str] | None:
    if bridge is None:
        return None
    translated = list(bridge(uk)) if callable(bridge) else list(bridge)
    if len(translated) != len(uk):
        raise ValueError(
            f"the bridge has {len(translated)} paragraphs but the Ukrainian text has {len(uk)}; "
            "a bridge must translate each Ukrainian paragraph, in order"
        )
    return translated


@dataclass(frozen=True)
class _Scorer:
    """Bead values and scores from precomputed similarities."""

    anchors: BeadSimilarity
    bridge: BeadSimilarity | None
    uk_cum: list[float]  # prefix sums of paragraph lengths in characters
    en_cum: list[float]
    ratio: float
    settings: AlignerSettings
    uk_mass: list[float]  # prefix sums of the number of anchor features per paragraph
    en_mass: list[float]

    def mismatch(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Log ratio of the bead's English length to the length its Ukrainian side predicts."""
        lu = self.uk_cum[i1] - self.uk_cum[i0]
        le = self.en_cum[j1] - self.en_cum[j0]
        return math.log((le + 30.0) / (self.ratio * (lu + 30.0)))

    def similarity(self, i0: int, i1: int, j0: int, j1: int) -> float:
        anchor = self.anchors.cosine(i0, i1, j0, j1)
        if self.bridge is None:
            return anchor
        w = self.settings.bridge_weight
        return w * self.bridge.cosine(i0, i1, j0, j1) + (1.0 - w) * anchor

    def value(self, i0: int, i1: int, j0: int, j1: int) -> tuple[float, float]:
        """(DP value, reported score) of the bead uk[i0:i1] ↔ en[j0:j1]."""
        if i0 == i1 or j0 == j1:
            return 0.0, 0.0
        s = self.settings
        bridged = self.bridge is not None
        sim = self.similarity(i0, i1, j0, j1) if bridged else self.anchors.cosine(i0, i1, j0, j1)
        # inline self.mismatch(): this runs millions of times
        lu = self.uk_cum[i1] - self.uk_cum[i0]
        le = self.en_cum[j1] - self.en_cum[j0]
        mismatch = math.log((le + 30.0) / (self.ratio * (lu + 30.0)))
        threshold = s.bridge_threshold if bridged else s.threshold
        value = sim - threshold - s.length_weight * mismatch * mismatch
        if s.join_penalty:
            value -= s.join_penalty * ((i1 - i0) + (j1 - j0) - 2)
        if not bridged and sim < s.unmatched_below and s.unmatched_penalty:
            # Both sides hold anchors (names, numbers, concepts) and share none: evidence
            # against the bead, unlike two paragraphs the lexicon simply does not cover.
            mass = min(self.uk_mass[i1] - self.uk_mass[i0], self.en_mass[j1] - self.en_mass[j0])
            value -= s.unmatched_penalty * math.log1p(mass)
        return value, sim


def _dp(
    n_uk: int, n_en: int, band: Band, scorer: _Scorer, bead_types
) -> tuple[list[Bead], list[list[float]], list[list[float]]]:
    """The best beads; the best value of every band cell reached from the start; and the
    value of every bead, by its end cell (``values[i][(j - lo[i]) * len(bead_types) + t]``
    for bead type t, -inf where none fits), so that no bead is valued twice."""
    neg = -math.inf
    lo, hi = band.bounds  # plain lists: read millions of times
    n_types = len(bead_types)
    best = [[neg] * (hi[i] - lo[i] + 1) for i in range(n_uk + 1)]
    values = [[neg] * ((hi[i] - lo[i] + 1) * n_types) for i in range(n_uk + 1)]
    back: list[list[tuple[int, int, float] | None]] = [
        [None] * (hi[i] - lo[i] + 1) for i in range(n_uk + 1)
    ]
    best[0][0] = 0.0
    types = tuple(enumerate(bead_types))
    bead_value = scorer.value
    for i in range(n_uk + 1):
        row_lo, row_best, row_back, row_values = lo[i], best[i], back[i], values[i]
        for j in range(row_lo, hi[i] + 1):
            here = row_best[j - row_lo]
            for t, (a, b) in types:
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0 or not (lo[pi] <= pj <= hi[pi]):
                    continue
                prev = best[pi][pj - lo[pi]]
                if prev == neg:
                    continue
                value, score = bead_value(pi, i, pj, j)
                row_values[(j - row_lo) * n_types + t] = value
                if prev + value > here:
                    here = prev + value
                    row_best[j - row_lo] = here
                    row_back[j - row_lo] = (a, b, score)
    beads: list[Bead] = []
    i, j = n_uk, n_en
    while i > 0 or j > 0:
        step = back[i][j - lo[i]]
        if step is None:  # cannot happen: Band.around_diagonal connects every row to the next
            raise RuntimeError("alignment band does not connect the two documents")
        a, b, score = step
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), round(score, 4)))
        i, j = i - a, j - b
    beads.reverse()
    return beads, best, values


def _margins(
    beads: list[Bead],
    best: list[list[float]],
    values: list[list[float]],
    n_uk: int,
    n_en: int,
    band: Band,
    bead_types,
) -> list[float]:
    """How much the best alignment loses when each of its beads is forbidden.

    Every alignment puts a bead's first paragraph in some bead, so the best alignment without
    bead ``b`` is the best one through another bead holding that paragraph. A backward pass
    gives each band cell's best value to the end; a bead's best total is forward value +
    bead value + backward value (its max-marginal). The margin is the best alignment's value
    minus the best max-marginal of the other beads holding the paragraph: near 0, the
    aligner hesitated between two readings. Costs one more pass over the band.
    """
    neg = -math.inf
    lo, hi = band.bounds
    n_types = len(bead_types)
    after = [[neg] * (hi[i] - lo[i] + 1) for i in range(n_uk + 1)]
    after[n_uk][n_en - lo[n_uk]] = 0.0
    # A bead is its paragraphs: a one-sided bead is the same bead wherever the path meets it.
    chosen = {
        (b.uk[0] if b.uk else -1, b.en[0] if b.en else -1, len(b.uk), len(b.en)) for b in beads
    }
    uk_alt = [neg] * n_uk
    en_alt = [neg] * n_en
    types = tuple(enumerate(bead_types))
    for i in range(n_uk, -1, -1):
        row_lo, row_after, row_best = lo[i], after[i], best[i]
        for j in range(hi[i], row_lo - 1, -1):
            here = row_after[j - row_lo]
            before = row_best[j - row_lo]
            for t, (a, b) in types:
                ni, nj = i + a, j + b
                if ni > n_uk or nj > n_en or not (lo[ni] <= nj <= hi[ni]):
                    continue
                rest = after[ni][nj - lo[ni]]
                if rest == neg:
                    continue
                value = values[ni][(nj - lo[ni]) * n_types + t]
                if value == neg:  # not reachable from the start
                    continue
                if value + rest > here:
                    here = value + rest
                    row_after[j - row_lo] = here
                if before == neg:
                    continue
                if (i if a else -1, j if b else -1, a, b) in chosen:
                    continue
                total = before + value + rest
                for k in range(i, ni):
                    if total > uk_alt[k]:
                        uk_alt[k] = total
                for k in range(j, nj):
                    if total > en_alt[k]:
                        en_alt[k] = total
    best_total = best[n_uk][n_en - lo[n_uk]]
    margins = []
    for bead in beads:
        alt = uk_alt[bead.uk[0]] if bead.uk else en_alt[bead.en[0]]
        # a bead joined after the DP (:func:`_join_facing`) is worth less than the path's
        margins.append(max(best_total - alt, 0.0) if alt > neg else math.inf)
    return margins


def _join_facing(beads: list[Bead], scorer: _Scorer, slack: float) -> list[Bead]:
    """Join a one-sided Ukrainian paragraph and a one-sided English paragraph that sit side by
    side (the same place in both documents) into one 1-1 bead, when that bead is worth at
    least ``-slack``.

    The DP values the pair of one-sided beads at 0, so a 1-1 bead worth a hair less (a short
    line of speech with no anchor in common with its translation, slightly off the document's
    length ratio) loses to "both paragraphs have no counterpart" — a reading that is almost
    never right when the two sit at the same place. The bead keeps its similarity as score.
    """
    out: list[Bead] = []
    k = 0
    while k < len(beads):
        bead = beads[k]
        after = beads[k + 1] if k + 1 < len(beads) else None
        if (
            after is not None
            and bead.is_one_sided
            and after.is_one_sided
            and bool(bead.uk) != bool(after.uk)
        ):
            i, j = (bead.uk or after.uk)[0], (bead.en or after.en)[0]
            value, score = scorer.value(i, i + 1, j, j + 1)
            if value >= -slack:
                out.append(Bead((i,), (j,), round(score, 4)))
                k += 2
                continue
        out.append(bead)
        k += 1
    return out


def _one_sided_scores(beads: list[Bead], scorer: _Scorer, band: Band) -> list[Bead]:
    """Score a one-sided bead as 1 - the best similarity its paragraph has in the band."""
    out = []
    for bead in beads:
        if bead.uk and bead.en:
            out.append(bead)
            continue
        if bead.uk:
            i = bead.uk[0]
            near = range(int(band.lo[i]), min(int(band.hi[i + 1]) + 1, scorer.anchors.n_en))
            best = max((scorer.similarity(i, i + 1, j, j + 1) for j in near), default=0.0)
        else:
            j = bead.en[0]
            # lo and hi grow with i, so the rows whose band holds j form one run.
            first = int(np.searchsorted(band.hi, j, side="left"))
            last = int(np.searchsorted(band.lo, j, side="right"))
            near = range(max(first - 1, 0), min(last, scorer.anchors.n_uk))
            best = max((scorer.similarity(i, i + 1, j, j + 1) for i in near), default=0.0)
        out.append(Bead(bead.uk, bead.en, round(1.0 - best, 4)))
    return out


def align_paragraphs(
    uk: Article | Sequence[str],
    en: Article | Sequence[str],
    bridge: Bridge | None = None,
    settings: AlignerSettings | None = None,
    lexicon: Lexicon | None = None,
) -> Alignment:
    """Align the paragraphs of a Ukrainian and an English version of one article.

    ``bridge`` is the English machine translation of each Ukrainian paragraph (a list in the
    same order) or a callable that produces it; without it the aligner compares numbers,
    dates, names, symbols and lexicon concepts. Every paragraph appears in exactly one bead;
    one-sided paragraphs are beads with an empty side.
    """
    return _align(uk, en, bridge, settings, lexicon)[0]


def align_scored_beads(
    uk: Sequence[str],
    en: Sequence[str],
    bridge: Bridge | None = None,
    settings: AlignerSettings | None = None,
    lexicon: Lexicon | None = None,
) -> list[Bead]:
    """The beads :func:`align_paragraphs` finds, with their scores but without the calibrated
    confidence (each bead keeps :class:`~aligner.alignment.Bead`'s default, 1.0): for a caller
    that keeps only the scores (the sentence beads of a bitext,
    :func:`aligner.sentences.align_bead_sentences`), which spares the margins and the
    confidence features, about a sixth of the aligner's time on a bead's sentences."""
    return list(_align(uk, en, bridge, settings, lexicon, confidence=False)[0].beads)


def align_with_features(
    uk: Article | Sequence[str],
    en: Article | Sequence[str],
    bridge: Bridge | None = None,
    settings: AlignerSettings | None = None,
    lexicon: Lexicon | None = None,
) -> tuple[Alignment, list[tuple[float, ...]]]:
    """:func:`align_paragraphs`, and the confidence features of each bead (for fitting the
    confidence models, bench/fit_bead_confidence.py)."""
    return _align(uk, en, bridge, settings, lexicon)


def _align(
    uk: Article | Sequence[str],
    en: Article | Sequence[str],
    bridge: Bridge | None,
    settings: AlignerSettings | None,
    lexicon: Lexicon | None,
    *,
    confidence: bool = True,
) -> tuple[Alignment, list[tuple[float, ...]]]:
    settings = settings or AlignerSettings()
    uk_pars, en_pars = _paragraphs(uk), _paragraphs(en)
    translated = _resolve_bridge(bridge, uk_pars)
    n_uk, n_en = len(uk_pars), len(en_pars)
    if not settings.use_lexicon:
        lexicon = None
    elif lexicon is None:
        lexicon = load_lexicon()
    meta = settings.signature(translated is not None)
    meta["lexicon"] = _lexicon_label(lexicon) if lexicon else "none"
    if n_uk == 0 or n_en == 0:
        beads = [Bead((i,), (), 1.0) for i in range(n_uk)] + [
            Bead((), (j,), 1.0) for j in range(n_en)
        ]
        return Alignment(tuple(beads), n_uk, n_en, meta), []
    longest = max(n_uk, n_en)
    width = longest if longest <= settings.exact_below else settings.width
    band = Band.around_diagonal(n_uk, n_en, width)
    scorer = build_scorer(uk_pars, en_pars, translated, band, settings, lexicon)
    beads, best, values = _dp(n_uk, n_en, band, scorer, settings.bead_types)
    if translated is None:  # with a bridge, its similarity is direct evidence: no join
        beads = _join_facing(beads, scorer, settings.facing_slack)
    beads = _one_sided_scores(beads, scorer, band)
    if not confidence:
        return Alignment(tuple(beads), n_uk, n_en, meta), []
    margins = _margins(beads, best, values, n_uk, n_en, band, settings.bead_types)
    del values
    features = confidence_features(beads, scorer, margins, uk_pars, en_pars)
    beads = with_confidence(beads, features, "anchors" if translated is None else "bridge")
    return Alignment(tuple(beads), n_uk, n_en, meta), features


def confidence_features(
    beads: Sequence[Bead],
    scorer: _Scorer,
    margins: Sequence[float],
    uk_pars: Sequence[str],
    en_pars: Sequence[str],
) -> list[tuple[float, ...]]:
    """:func:`aligner.confidence.bead_features` of the beads, from the scorer's numbers and
    the paragraphs' shapes."""
    uk_shapes = [paragraph_shape(p) for p in uk_pars]
    en_shapes = [paragraph_shape(p) for p in en_pars]
    empty = (0,) * len(paragraph_shape(""))

    def mass(uk: tuple[int, ...], en: tuple[int, ...]) -> float:
        u = scorer.uk_mass[uk[-1] + 1] - scorer.uk_mass[uk[0]] if uk else math.inf
        e = scorer.en_mass[en[-1] + 1] - scorer.en_mass[en[0]] if en else math.inf
        return min(u, e)

    def side(shapes: list[Shape], indices: tuple[int, ...]) -> Shape:
        if not indices:
            return empty
        if len(indices) == 1:  # the sum of one shape (integer counts) is that shape
            return shapes[indices[0]]
        return tuple(map(sum, zip(*(shapes[i] for i in indices), strict=True)))

    # bead_features asks for the same readings several times (each bead, and each of its
    # neighbours' alternatives): each is summed once
    summed: dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[Shape, Shape]] = {}

    def shapes(uk: tuple[int, ...], en: tuple[int, ...]) -> tuple[Shape, Shape]:
        found = summed.get((uk, en))
        if found is None:
            found = summed[uk, en] = (side(uk_shapes, uk), side(en_shapes, en))
        return found

    return bead_features(beads, scorer.similarity, mass, shapes, margins)


def with_confidence(
    beads: list[Bead], features: Sequence[tuple[float, ...]], mode: str
) -> list[Bead]:
    """The beads with their calibrated confidence (:mod:`aligner.confidence`)."""
    return [
        replace(
            bead,
            confidence=confidence(
                x, CONFIDENCE_MODELS[(mode, "one" if bead.is_one_sided else "two")]
            ),
        )
        for bead, x in zip(beads, features, strict=True)
    ]


def build_scorer(
    uk_pars: list[str],
    en_pars: list[str],
    translated: list[str] | None,
    band: Band,
    settings: AlignerSettings,
    lexicon: Lexicon | None,
) -> _Scorer:
    """The similarities and lengths that value every bead of one document pair."""
    cognates = settings.cognate_weight > 0 and translated is None
    uk_scored = [_scored_bag(p, "uk", lexicon, cognates) for p in uk_pars]
    en_scored = [_scored_bag(p, "en", lexicon, cognates) for p in en_pars]
    # Cognate keys are weaker evidence than anchors: they weigh cognate_weight as much.
    anchor_uk, anchor_en = tfidf_rows(
        [bag for _, bag in uk_scored],
        [bag for _, bag in en_scored],
        scale={COGNATE_PREFIX: settings.cognate_weight},
    )
    bridge_sim = None
    if translated is not None:
        b_uk, b_en = tfidf_rows(
            [bridge_features(p) for p in translated], [bridge_features(p) for p in en_pars]
        )
        bridge_sim = BeadSimilarity.from_rows(b_uk, b_en, band)
    uk_cum = _prefix_sums([len(p) for p in uk_pars])
    en_cum = _prefix_sums([len(p) for p in en_pars])
    return _Scorer(
        anchors=BeadSimilarity.from_rows(anchor_uk, anchor_en, band),
        bridge=bridge_sim,
        uk_cum=uk_cum,
        en_cum=en_cum,
        ratio=min(max(en_cum[-1] / max(uk_cum[-1], 1.0), MIN_RATIO), MAX_RATIO),
        settings=settings,
        uk_mass=_prefix_sums([anchors for anchors, _ in uk_scored]),
        en_mass=_prefix_sums([anchors for anchors, _ in en_scored]),
    )


def _prefix_sums(counts: Sequence[int]) -> list[float]:
    """0.0 and the running sums of ``counts``, as floats: the values of NumPy's
    ``concatenate([[0.0], cumsum(counts)])`` (integer sums, exact), without its cost on the
    few values of a sentence bead."""
    return [0.0, *map(float, itertools.accumulate(counts))]


@functools.lru_cache(maxsize=8192)
def _scored_bag(
    text: str, lang: str, lexicon: Lexicon | None, cognates: bool
) -> tuple[int, Counter[str]]:
    """The number of anchor features of a paragraph, and the bag the scorer weighs: its
    anchors (:func:`~aligner.features.anchor_features`), with its cognate keys added when
    ``cognates``. A pure function of the arguments, cached: a run scores each paragraph, then
    each sentence of its beads (a one-sentence paragraph again). The bag is shared: read,
    never changed."""
    bag = anchor_features(text, lang, lexicon)
    anchors = len(bag)
    if cognates:
        bag.update(cognate_features(text, lang))
    return anchors, bag

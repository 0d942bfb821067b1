"""Bead confidence: how likely each bead of an alignment is right, in [0, 1].

A bead's similarity alone separates right from wrong beads weakly: a short paragraph of
speech has no anchor in common with its translation and is still right, a long paragraph
with many anchors and a middling similarity may be wrong. So each bead gets a few
features (:func:`bead_features`) — its similarity, its anchor evidence, its length, its
max-marginal margin (how much the best alignment loses without it), its raw length ratio,
and how much better the lengths fit the nearest other reading of its paragraphs (a join
split, a one-sided neighbour merged in) — and a logistic model turns them into a
confidence. The last two carry most of what transfers between the dev sets: a wrong bead
is usually a paragraph paired with part of its translation, and its lengths show it.

The models (one for two-sided beads, one for one-sided beads; without and with a
translation bridge) are fitted by ``bench/fit_bead_confidence.py`` with the wrong beads
weighed up (toward equal classes), so that 0.5 is the review line: "review the beads under
0.5" is meant to catch most wrong beads while leaving most right ones alone; the number is
therefore pessimistic as a probability. They are fitted on the WMT22 dev split and checked
on NTREX (``bench/bench_align.py`` reports both).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from aligner.alignment import Bead

__all__ = ["CONFIDENCE_MODELS", "bead_features", "confidence"]

#: Logistic weights (features of :func:`bead_features`, then the bias) per (mode, bead side
#: kind); fitted on wmt22-uk-en/align by bench/fit_bead_confidence.py.
CONFIDENCE_MODELS: dict[tuple[str, str], tuple[float, ...]] = {
    ("anchors", "two"): (-3.1280, -0.2763, 2.1536, 6.3618, 1.5858, -8.6326, -1.9156, 6.5119),
    ("anchors", "one"): (0.0000, 0.6573, 1.0680, 2.1069, 0.8188, 0.0000, -6.5728, 1.5672),
    ("bridge", "two"): (0.6340, -2.0158, -0.1558, 1.0094, 5.9737, -20.6442, -5.5972, 26.1359),
    ("bridge", "one"): (0.0000, 1.0434, -1.2321, 3.7262, 3.7516, 0.0000, -6.6395, 7.1652),
}

#: Margins above this (in bead-value units) all mean "no doubt".
MARGIN_CAP = 0.5

Similarity = Callable[[int, int, int, int], float]
Sides = Callable[[tuple[int, ...], tuple[int, ...]], tuple[float, float]]


def bead_features(
    beads: Sequence[Bead],
    sim: Similarity,
    mass: Callable[[tuple[int, ...], tuple[int, ...]], float],
    lengths: Sides,
    margins: Sequence[float],
) -> list[tuple[float, ...]]:
    """The features of each bead, in the order of the models' weights.

    ``sim(i0, i1, j0, j1)`` is the similarity of a bead, ``mass(uk, en)`` the number of anchor
    features of the side with fewer, ``lengths(uk, en)`` the characters of each side (0 for
    an empty side), ``margins`` how much the best alignment loses without each bead.

    The features: the similarity (0 for a one-sided bead); the anchor evidence; the length of
    the shorter side (of the one side, for a one-sided bead); the margin, capped, and its log;
    the bead's raw length ratio (|log| of English over Ukrainian characters; 0 for a
    one-sided bead); and the ratio gain of the best local alternative
    (:func:`_ratio_gain`). The raw ratio, not the ratio against the document's (which the
    aligner already weighs), is what separates wrong beads on both dev sets.
    """
    out = []
    for k, (bead, margin) in enumerate(zip(beads, margins, strict=True)):
        uk_chars, en_chars = lengths(bead.uk, bead.en)
        if bead.uk and bead.en:
            own = sim(bead.uk[0], bead.uk[-1] + 1, bead.en[0], bead.en[-1] + 1)
            ratio = _length_ratio(uk_chars, en_chars)
            shorter = min(uk_chars, en_chars)
        else:
            own, ratio, shorter = 0.0, 0.0, max(uk_chars, en_chars)
        capped = min(margin, MARGIN_CAP)
        out.append(
            (
                own,
                math.log1p(mass(bead.uk, bead.en)),
                math.log(shorter + 30.0) - 5.0,
                capped / MARGIN_CAP,
                math.log(capped + 0.01),
                ratio,
                _ratio_gain(beads, k, lengths),
            )
        )
    return out


def _length_ratio(uk_chars: float, en_chars: float) -> float:
    """|log| of a bead's English over Ukrainian characters."""
    return abs(math.log((en_chars + 30.0) / (uk_chars + 30.0)))


def _ratio_gain(beads: Sequence[Bead], k: int, lengths: Sides) -> float:
    """How much closer to 1 the length ratio of the best local alternative to bead ``k`` is.

    The alternatives are the aligner's usual confusions: a join without one of its edge
    paragraphs, a bead merged with a one-sided neighbour, and (for a one-sided bead) the
    paragraph merged into a two-sided neighbour, compared with that neighbour. Positive: the
    lengths fit another reading better. -1 where there is no alternative.
    """

    def ratio(uk: tuple[int, ...], en: tuple[int, ...]) -> float:
        return _length_ratio(*lengths(tuple(sorted(uk)), tuple(sorted(en))))

    bead = beads[k]
    neighbours = [beads[m] for m in (k - 1, k + 1) if 0 <= m < len(beads)]
    best = -1.0
    if bead.uk and bead.en:
        now = ratio(bead.uk, bead.en)
        others = [(n.uk + bead.uk, n.en + bead.en) for n in neighbours if n.is_one_sided]
        if len(bead.uk) > 1:
            others += [(bead.uk[1:], bead.en), (bead.uk[:-1], bead.en)]
        if len(bead.en) > 1:
            others += [(bead.uk, bead.en[1:]), (bead.uk, bead.en[:-1])]
        for uk, en in others:
            best = max(best, now - ratio(uk, en))
    else:
        for n in neighbours:
            if not n.is_one_sided:
                best = max(best, ratio(n.uk, n.en) - ratio(n.uk + bead.uk, n.en + bead.en))
    return best


def confidence(features: Sequence[float], weights: Sequence[float]) -> float:
    """The logistic model's probability, rounded to 3 decimals."""
    z = sum(w * x for w, x in zip(weights[:-1], features, strict=True)) + weights[-1]
    z = max(min(z, 30.0), -30.0)
    return round(1.0 / (1.0 + math.exp(-z)), 3)

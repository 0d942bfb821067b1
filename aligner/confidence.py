"""Bead confidence: how likely each bead of an alignment is right, in [0, 1].

A bead's similarity alone separates right from wrong beads weakly: a short paragraph of
speech has no anchor in common with its translation and is still right, a long paragraph
with many anchors and a middling similarity may be wrong. So each bead gets a few
features (:func:`bead_features`) — its similarity, how much better it is than the nearest
rival pairing of its paragraphs, its length mismatch, how much anchor evidence its
paragraphs hold, whether it joins paragraphs, whether a one-sided paragraph of the other
language sits next to it — and a logistic model turns them into a confidence.

The models (one for two-sided beads, one for one-sided beads; without and with a
translation bridge) are fitted by ``bench/fit_bead_confidence.py`` with both classes weighed
equally, so that 0.5 is the review line: "review the beads under 0.5" is meant to catch most
wrong beads while leaving most right ones alone. They are fitted on the WMT22 dev split and
checked on NTREX (``bench/bench_align.py`` reports both).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from aligner.alignment import Bead

__all__ = ["CONFIDENCE_MODELS", "bead_features", "confidence"]

#: Logistic weights (features of :func:`bead_features`, then the bias) per (mode, bead side
#: kind); fitted on wmt22-uk-en/align by bench/fit_bead_confidence.py.
CONFIDENCE_MODELS: dict[tuple[str, str], tuple[float, ...]] = {
    ("anchors", "two"): (-4.2976, -0.1582, 1.1184, 7.5821, 1.5144, -9.4447, 6.7255),
    ("anchors", "one"): (0.0000, -0.1296, 2.2455, 3.9735, 1.2644, 0.0000, 4.9954),
    ("bridge", "two"): (-0.8286, -2.7723, 0.2319, 1.1586, 5.9022, -26.0735, 29.6804),
    ("bridge", "one"): (0.0000, -0.7105, 1.4416, 4.0279, 4.2314, 0.0000, 14.2973),
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
    and the bead's raw length ratio (|log| of English over Ukrainian characters; 0 for a
    one-sided bead). The raw ratio, not the ratio against the document's (which the aligner
    already weighs), separates wrong beads on both dev sets: a wrong 1-1 usually pairs a
    paragraph with a part of its translation.
    """
    out = []
    for bead, margin in zip(beads, margins, strict=True):
        uk_chars, en_chars = lengths(bead.uk, bead.en)
        if bead.uk and bead.en:
            own = sim(bead.uk[0], bead.uk[-1] + 1, bead.en[0], bead.en[-1] + 1)
            ratio = abs(math.log((en_chars + 30.0) / (uk_chars + 30.0)))
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
            )
        )
    return out


def confidence(features: Sequence[float], weights: Sequence[float]) -> float:
    """The logistic model's probability, rounded to 3 decimals."""
    z = sum(w * x for w, x in zip(weights[:-1], features, strict=True)) + weights[-1]
    z = max(min(z, 30.0), -30.0)
    return round(1.0 / (1.0 + math.exp(-z)), 3)

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
    ("anchors", "two"): (
        -0.6668,
        -0.6645,
        -0.0023,
        -0.3843,
        -0.5224,
        1.0675,
        -0.7016,
        2.6134,
        1.4127,
        2.2483,
        1.2693,
        7.9673,
    ),
    ("anchors", "one"): (
        0.0000,
        -0.0729,
        0.0729,
        0.0000,
        0.1564,
        1.4412,
        0.0000,
        0.0000,
        0.4234,
        1.4475,
        0.0000,
        4.8288,
    ),
    ("bridge", "two"): (
        0.7615,
        0.2735,
        0.4880,
        -0.9911,
        -3.0768,
        1.2947,
        0.1613,
        4.2720,
        0.5983,
        4.7583,
        0.0000,
        20.4415,
    ),
    ("bridge", "one"): (
        0.0000,
        -0.3972,
        0.3972,
        0.0000,
        -0.8335,
        1.0119,
        -0.9512,
        0.0000,
        0.5103,
        4.0196,
        0.0000,
        14.0983,
    ),
}

#: Margins above this (in bead-value units) all mean "no doubt".
MARGIN_CAP = 0.5

#: How many paragraphs either side of a bead hold its rivals.
RIVAL_REACH = 3

Similarity = Callable[[int, int, int, int], float]


def _rival(sim: Similarity, bead: Bead, uk_at: int, en_at: int, n_uk: int, n_en: int) -> float:
    """The best 1-1 similarity of a paragraph of ``bead`` with a paragraph outside it, within
    :data:`RIVAL_REACH` of where the bead sits (``uk_at``, ``en_at``: its first paragraph on
    each side, or where an empty side would be)."""
    best = 0.0
    uk_in, en_in = set(bead.uk), set(bead.en)
    en_range = range(max(en_at - RIVAL_REACH, 0), min(en_at + len(bead.en) + RIVAL_REACH, n_en))
    uk_range = range(max(uk_at - RIVAL_REACH, 0), min(uk_at + len(bead.uk) + RIVAL_REACH, n_uk))
    for i in bead.uk:
        for j in en_range:
            if j not in en_in:
                best = max(best, sim(i, i + 1, j, j + 1))
    for j in bead.en:
        for i in uk_range:
            if i not in uk_in:
                best = max(best, sim(i, i + 1, j, j + 1))
    return best


def bead_features(
    beads: Sequence[Bead],
    sim: Similarity,
    mismatch: Similarity,
    mass: Callable[[tuple[int, ...], tuple[int, ...]], float],
    lengths: Callable[[tuple[int, ...], tuple[int, ...]], float],
    margins: Sequence[float],
    n_uk: int,
    n_en: int,
) -> list[tuple[float, ...]]:
    """The features of each bead, in the order of the models' weights.

    ``sim(i0, i1, j0, j1)`` is the similarity of a bead, ``mismatch`` its log length ratio
    against the document's, ``mass(uk, en)`` the number of anchor features of the side with
    fewer, ``lengths(uk, en)`` the characters of the shorter side (of the one side, for a
    one-sided bead), ``margins`` how much the best alignment loses without each bead.
    """
    out = []
    uk_at = en_at = 0  # where the bead starts on each side
    for k, bead in enumerate(beads):
        rival = _rival(sim, bead, uk_at, en_at, n_uk, n_en)
        uk_at, en_at = uk_at + len(bead.uk), en_at + len(bead.en)
        neighbours = [beads[m] for m in (k - 1, k + 1) if 0 <= m < len(beads)]
        if bead.uk and bead.en:
            own = sim(bead.uk[0], bead.uk[-1] + 1, bead.en[0], bead.en[-1] + 1)
            dist = mismatch(bead.uk[0], bead.uk[-1] + 1, bead.en[0], bead.en[-1] + 1) ** 2
            other_side = any(n.is_one_sided for n in neighbours)
            joined = 1.0 if len(bead.uk) + len(bead.en) > 2 else 0.0
        else:
            own, dist, joined = 0.0, 0.0, 0.0
            # a one-sided paragraph of the other language beside it: perhaps a missed 1-1
            other_side = any(n.is_one_sided and bool(n.uk) != bool(bead.uk) for n in neighbours)
        out.append(
            (
                own,
                own - rival,
                rival,
                dist,
                math.log1p(mass(bead.uk, bead.en)),
                math.log(lengths(bead.uk, bead.en) + 30.0) - 5.0,
                1.0 if other_side else 0.0,
                joined,
                min(margins[k], MARGIN_CAP) / MARGIN_CAP,
                math.log(min(margins[k], MARGIN_CAP) + 0.01),
                1.0 if bead.uk and bead.en and own == 0.0 else 0.0,
            )
        )
    return out


def confidence(features: Sequence[float], weights: Sequence[float]) -> float:
    """The logistic model's probability, rounded to 3 decimals."""
    z = sum(w * x for w, x in zip(weights[:-1], features, strict=True)) + weights[-1]
    z = max(min(z, 30.0), -30.0)
    return round(1.0 / (1.0 + math.exp(-z)), 3)

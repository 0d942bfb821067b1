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
    ("anchors", "two"): (0.6943, 0.6788, 0.0155, -1.0494, -0.7513, 0.8623, -0.2094, 1.3900, 6.4302, 0.5854),
    ("anchors", "one"): (0.0000, -0.4593, 0.4593, 0.0000, -0.0914, 1.8373, 0.0000, 0.0000, 1.6477, 1.0646),
    ("bridge", "two"): (1.9347, 1.0929, 0.8418, -3.3560, -2.0866, 1.3338, -0.2921, 3.6171, 10.1943, 1.9959),
    ("bridge", "one"): (0.0000, -1.5460, 1.5460, 0.0000, -0.7542, 2.5329, -0.9795, 0.0000, 5.0627, 2.2751),
}

#: Margins above this (in bead-value units) all mean "no doubt".
MARGIN_CAP = 0.5

#: How many paragraphs either side of a bead hold its rivals.
RIVAL_REACH = 3

Similarity = Callable[[int, int, int, int], float]


def _rival(sim: Similarity, bead: Bead, n_uk: int, n_en: int) -> float:
    """The best 1-1 similarity of a paragraph of ``bead`` with a paragraph outside it."""
    best = 0.0
    en_in, uk_in = set(bead.en), set(bead.uk)
    for i in bead.uk:
        lo = max((bead.en[0] if bead.en else 0) - RIVAL_REACH, 0)
        hi = min((bead.en[-1] + 1 if bead.en else n_en) + RIVAL_REACH, n_en)
        for j in range(lo, hi):
            if j not in en_in:
                best = max(best, sim(i, i + 1, j, j + 1))
    for j in bead.en:
        lo = max((bead.uk[0] if bead.uk else 0) - RIVAL_REACH, 0)
        hi = min((bead.uk[-1] + 1 if bead.uk else n_uk) + RIVAL_REACH, n_uk)
        for i in range(lo, hi):
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
    for k, bead in enumerate(beads):
        rival = _rival(sim, bead, n_uk, n_en)
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
            )
        )
    return out


def confidence(features: Sequence[float], weights: Sequence[float]) -> float:
    """The logistic model's probability, rounded to 3 decimals."""
    z = sum(w * x for w, x in zip(weights[:-1], features, strict=True)) + weights[-1]
    z = max(min(z, 30.0), -30.0)
    return round(1.0 / (1.0 + math.exp(-z)), 3)

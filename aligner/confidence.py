"""Bead confidence: how likely each bead of an alignment is right, in [0, 1].

A bead's similarity alone separates right from wrong beads weakly: a short paragraph of
speech has no anchor in common with its translation and is still right, a long paragraph
with many anchors and a middling similarity may be wrong. So each bead gets a few
features (:func:`bead_features`) — its similarity, its anchor evidence, its length, its
max-marginal margin (how much the best alignment loses without it), its raw length ratio,
and how much better the nearest other reading of its paragraphs (a join split, a one-sided
neighbour merged in) fits, by the lengths and by the paragraphs' shape (sentences, question
and exclamation marks, quotes, colons, dashes, digits: :func:`paragraph_shape`) — and a
logistic model turns them into a confidence. The last ones carry most of what transfers
between the dev sets: a wrong bead is usually a paragraph paired with part of its
translation, and its lengths and sentences show it.

The models (one for two-sided beads, one for one-sided beads; without and with a
translation bridge) are fitted by ``bench/fit_bead_confidence.py`` with the wrong beads
weighed up (toward equal classes), so that 0.5 is the review line: "review the beads under
0.5" is meant to catch most wrong beads while leaving most right ones alone; the number is
therefore pessimistic as a probability. They are fitted on the WMT22 dev split and checked
on NTREX (``bench/bench_align.py`` reports both).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from aligner.alignment import Bead

__all__ = [
    "CONFIDENCE_MODELS",
    "Shape",
    "bead_features",
    "confidence",
    "paragraph_shape",
    "shape_mismatch",
]

#: Logistic weights (features of :func:`bead_features`, then the bias) per (mode, bead side
#: kind); fitted on wmt22-uk-en/align by bench/fit_bead_confidence.py.
CONFIDENCE_MODELS: dict[tuple[str, str], tuple[float, ...]] = {
    ("anchors", "two"): (
        -5.6189,
        -0.7637,
        3.3745,
        4.2874,
        2.2082,
        -8.8889,
        6.0751,
        -7.1983,
        11.5164,
    ),
    ("anchors", "one"): (0.0000, 0.6839, 0.2909, 0.8884, 0.5451, 0.0000, -1.2810, -4.7029, 0.5863),
    ("bridge", "two"): (
        1.5480,
        -0.0832,
        -0.5056,
        1.6356,
        3.8451,
        -20.1304,
        3.8954,
        -9.6444,
        14.0937,
    ),
    ("bridge", "one"): (0.0000, 2.6216, -0.9430, 3.7165, 3.4997, 0.0000, 2.9268, -6.9777, 2.4796),
}

#: Margins above this (in bead-value units) all mean "no doubt".
MARGIN_CAP = 0.5

Similarity = Callable[[int, int, int, int], float]
#: A paragraph's shape (:func:`paragraph_shape`): characters, sentences, question marks,
#: exclamation marks, quotation marks, colons, dashes, digits.
Shape = tuple[int, ...]
Shapes = Callable[[tuple[int, ...], tuple[int, ...]], tuple[Shape, Shape]]

#: A sentence end: terminal punctuation (and closing quotes or brackets), then space and a
#: capital, a digit or an opening quote. Rough on purpose: the same rule on both sides.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)]*\s+(?=[\"'«“‘(]?[A-ZА-ЯІЇЄҐ0-9])")
_QUOTES = '"«»“”„'
_DASHES = "–—"
#: Digits count half a mark each, up to this many (translations write numbers differently).
_DIGITS_CAP = 8
#: The weights of a bead's shape mismatch (:func:`shape_mismatch`): the length ratio, plus
#: these times the sentence-count ratio and the punctuation difference. Set once, by hand
#: (sentences count a little less than the length, marks a little each), not fitted.
SENTENCE_WEIGHT = 0.5
MARK_WEIGHT = 0.2


@lru_cache(maxsize=8192)
def paragraph_shape(text: str) -> Shape:
    """The counts that a translation keeps, whatever the language: characters, sentences,
    ``?``, ``!``, quotation marks, colons, dashes (en/em dash or a spaced hyphen), digits.

    A pure function of the text (a tuple), cached: a run asks it of each paragraph and
    sentence of a pair, and a one-sentence paragraph is its own sentence.

    >>> paragraph_shape('Він сказав: "Ні!" Потім пішов.')
    (30, 2, 0, 1, 2, 1, 0, 0)
    """
    return (
        len(text),
        len(_SENTENCE_END.findall(text)) + 1,
        text.count("?"),
        text.count("!"),
        sum(text.count(c) for c in _QUOTES),
        text.count(":"),
        sum(text.count(c) for c in _DASHES) + text.count(" - "),
        sum(map(str.isdigit, text)),  # the digits (str.isdigit of each character), in C
    )


def shape_mismatch(uk: Shape, en: Shape) -> float:
    """How badly two sides' shapes fit as translations: the |log| length ratio, plus
    :data:`SENTENCE_WEIGHT` × the |log| sentence-count ratio, plus :data:`MARK_WEIGHT` × the
    differences in ``?``, ``!``, quotes, colons and dashes (and half the digit difference)."""
    sentences = abs(math.log(en[1] / uk[1])) if uk[1] and en[1] else 0.0
    marks = sum(abs(uk[m] - en[m]) for m in (2, 3, 4, 5, 6))
    marks += abs(min(uk[7], _DIGITS_CAP) - min(en[7], _DIGITS_CAP)) / 2
    return _length_ratio(uk[0], en[0]) + SENTENCE_WEIGHT * sentences + MARK_WEIGHT * marks


def bead_features(
    beads: Sequence[Bead],
    sim: Similarity,
    mass: Callable[[tuple[int, ...], tuple[int, ...]], float],
    shapes: Shapes,
    margins: Sequence[float],
) -> list[tuple[float, ...]]:
    """The features of each bead, in the order of the models' weights.

    ``sim(i0, i1, j0, j1)`` is the similarity of a bead, ``mass(uk, en)`` the number of anchor
    features of the side with fewer, ``shapes(uk, en)`` the summed :func:`paragraph_shape` of
    each side (all zeros for an empty side), ``margins`` how much the best alignment loses
    without each bead.

    The features: the similarity (0 for a one-sided bead); the anchor evidence; the length of
    the shorter side (of the one side, for a one-sided bead); the margin, capped, and its log;
    the bead's raw length ratio (|log| of English over Ukrainian characters; 0 for a
    one-sided bead); and how much better the best local alternative reading fits, by the
    length ratio alone and by the whole shape (:func:`_gains`). The raw ratio, not the ratio
    against the document's (which the aligner already weighs), is what separates wrong beads
    on both dev sets; the shape gain adds sentences and punctuation, which a paragraph
    paired with part of its translation (the usual wrong bead) does not share.
    """
    out = []
    for k, (bead, margin) in enumerate(zip(beads, margins, strict=True)):
        uk_shape, en_shape = shapes(bead.uk, bead.en)
        uk_chars, en_chars = uk_shape[0], en_shape[0]
        if bead.uk and bead.en:
            own = sim(bead.uk[0], bead.uk[-1] + 1, bead.en[0], bead.en[-1] + 1)
            ratio = _length_ratio(uk_chars, en_chars)
            shorter = min(uk_chars, en_chars)
        else:
            own, ratio, shorter = 0.0, 0.0, max(uk_chars, en_chars)
        capped = min(margin, MARGIN_CAP)
        ratio_gain, shape_gain = _gains(beads, k, shapes)
        out.append(
            (
                own,
                math.log1p(mass(bead.uk, bead.en)),
                math.log(shorter + 30.0) - 5.0,
                capped / MARGIN_CAP,
                math.log(capped + 0.01),
                ratio,
                ratio_gain,
                shape_gain,
            )
        )
    return out


def _length_ratio(uk_chars: float, en_chars: float) -> float:
    """|log| of a bead's English over Ukrainian characters."""
    return abs(math.log((en_chars + 30.0) / (uk_chars + 30.0)))


Reading = tuple[tuple[int, ...], tuple[int, ...]]


def _alternatives(beads: Sequence[Bead], k: int) -> list[tuple[Reading, Reading]]:
    """The aligner's usual confusions around bead ``k``, as (reading now, other reading):
    a join without one of its edge paragraphs, a bead merged with a one-sided neighbour, and
    (for a one-sided bead) its two-sided neighbour against the neighbour with the paragraph
    merged in."""
    bead = beads[k]
    neighbours = [beads[m] for m in (k - 1, k + 1) if 0 <= m < len(beads)]
    if not bead.is_one_sided:
        now = (bead.uk, bead.en)
        others = [
            (tuple(sorted(n.uk + bead.uk)), tuple(sorted(n.en + bead.en)))
            for n in neighbours
            if n.is_one_sided
        ]
        if len(bead.uk) > 1:
            others += [(bead.uk[1:], bead.en), (bead.uk[:-1], bead.en)]
        if len(bead.en) > 1:
            others += [(bead.uk, bead.en[1:]), (bead.uk, bead.en[:-1])]
        return [(now, other) for other in others]
    return [
        ((n.uk, n.en), (tuple(sorted(n.uk + bead.uk)), tuple(sorted(n.en + bead.en))))
        for n in neighbours
        if not n.is_one_sided
    ]


def _gains(beads: Sequence[Bead], k: int, shapes: Shapes) -> tuple[float, float]:
    """How much closer to a translation's the best local alternative to bead ``k`` is: by the
    length ratio, and by the whole shape (:func:`shape_mismatch`). Positive: another reading
    fits better. -1 each where there is no alternative."""
    ratio_gain = shape_gain = -1.0
    for now, other in _alternatives(beads, k):
        now_uk, now_en = shapes(*now)
        other_uk, other_en = shapes(*other)
        ratio_gain = max(
            ratio_gain,
            _length_ratio(now_uk[0], now_en[0]) - _length_ratio(other_uk[0], other_en[0]),
        )
        shape_gain = max(
            shape_gain, shape_mismatch(now_uk, now_en) - shape_mismatch(other_uk, other_en)
        )
    return ratio_gain, shape_gain


def confidence(features: Sequence[float], weights: Sequence[float]) -> float:
    """The logistic model's probability, rounded to 3 decimals."""
    z = sum(w * x for w, x in zip(weights[:-1], features, strict=True)) + weights[-1]
    z = max(min(z, 30.0), -30.0)
    return round(1.0 / (1.0 + math.exp(-z)), 3)

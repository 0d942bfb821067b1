"""Scores of paragraph alignments against gold beads (the conventions of the WMT22 dev data).

* strict bead precision/recall/F1: a bead counts only when both sides match exactly, one-sided
  beads included;
* link F1 over the (uk, en) paragraph pairs that the beads link;
* null-bead F1: how well one-sided paragraphs are found.

All three are micro-averaged: counts are summed over documents before dividing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

BeadLists = Sequence[Sequence[Sequence[int]]]  # [[uk indices], [en indices]] per bead


@dataclass(frozen=True)
class PRF:
    """Counts behind precision, recall and F1."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0

    def __add__(self, other: PRF) -> PRF:
        return PRF(
            self.matched + other.matched, self.predicted + other.predicted, self.gold + other.gold
        )

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0 if not self.gold else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0 if not self.predicted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class AlignmentScores:
    bead: PRF = PRF()
    link: PRF = PRF()
    null: PRF = PRF()

    def __add__(self, other: AlignmentScores) -> AlignmentScores:
        return AlignmentScores(
            self.bead + other.bead, self.link + other.link, self.null + other.null
        )


def _prf(predicted: set, gold: set) -> PRF:
    return PRF(len(predicted & gold), len(predicted), len(gold))


def _beads(beads: BeadLists) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    return {(tuple(uk), tuple(en)) for uk, en in beads}


def score_alignment(predicted: BeadLists, gold: BeadLists) -> AlignmentScores:
    """Scores of one document's predicted beads against its gold beads."""
    pred, ref = _beads(predicted), _beads(gold)

    def links(beads):
        return {(u, e) for uk, en in beads for u in uk for e in en}

    def nulls(beads):
        return {b for b in beads if not b[0] or not b[1]}

    return AlignmentScores(
        _prf(pred, ref), _prf(links(pred), links(ref)), _prf(nulls(pred), nulls(ref))
    )


def score_alignments(pairs: Iterable[tuple[BeadLists, BeadLists]]) -> AlignmentScores:
    """Micro-averaged scores over (predicted, gold) pairs of documents."""
    total = AlignmentScores()
    for predicted, gold in pairs:
        total = total + score_alignment(predicted, gold)
    return total

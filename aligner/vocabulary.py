"""Columns of features: the one numbering the sparse feature rows of pairing and alignment
share (a feature's column is the order in which the archive or the pair first shows it)."""

from __future__ import annotations

from collections.abc import Collection
from itertools import filterfalse


def feature_columns(features: Collection[str], vocab: dict[str, int]) -> list[int]:
    """The column of each of ``features`` (distinct: a row's keys) in ``vocab``, in their
    order; features not in it yet are added first, numbered on from ``len(vocab)`` in their
    order. The columns ``vocab.setdefault(feature, len(vocab))`` gives feature by feature,
    found with the dictionary's own methods instead of a Python call per feature (most rows
    hold features seen before)."""
    new = list(filterfalse(vocab.__contains__, features))
    if new:
        vocab.update(zip(new, range(len(vocab), len(vocab) + len(new)), strict=True))
    return list(map(vocab.__getitem__, features))

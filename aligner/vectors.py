"""Sparse TF-IDF vectors of paragraphs and the dot products a banded aligner needs.

A bead joins contiguous paragraphs, and the TF-IDF vector of joined paragraphs is the sum of
their vectors (term frequencies add). So the cosine of any bead follows from a few dot
products computed once: Ukrainian × English inside the band, and each side's paragraph with its
next one or two neighbours. :class:`BeadSimilarity` holds exactly those.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

#: How far apart two paragraphs of one side may be and still be joined in one bead.
MAX_GROUP = 3


def tfidf_matrices(
    left: Sequence[Counter[str]],
    right: Sequence[Counter[str]],
    scale: Mapping[str, float] | None = None,
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """TF-IDF matrices (rows = paragraphs) of two feature-bag lists in one feature space.

    ``scale`` multiplies the weights of the features that start with each of its prefixes
    (weaker kinds of evidence weigh less in the cosine).

    Document frequency counts each paragraph of either side once; a feature seen on one side
    only cannot contribute to a cross-language dot product, but still weighs in the norms, so
    a paragraph full of unmatched material scores lower.
    """
    vocab: dict[str, int] = {}
    df: Counter[int] = Counter()
    for bags in (left, right):
        for bag in bags:
            for feature in bag:
                df[vocab.setdefault(feature, len(vocab))] += 1
    n_docs = len(left) + len(right)
    idf = np.zeros(max(len(vocab), 1), dtype=np.float64)
    for index, count in df.items():
        idf[index] = math.log((1 + n_docs) / (1 + count)) + 1.0
    for prefix, factor in (scale or {}).items():
        for feature, index in vocab.items():
            if feature.startswith(prefix):
                idf[index] *= factor

    def build(bags: Sequence[Counter[str]]) -> sparse.csr_matrix:
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for row, bag in enumerate(bags):
            for feature, tf in bag.items():
                col = vocab[feature]
                rows.append(row)
                cols.append(col)
                vals.append((1.0 + math.log(tf)) * idf[col])
        return sparse.csr_matrix(
            (vals, (rows, cols)), shape=(len(bags), max(len(vocab), 1)), dtype=np.float64
        )

    return build(left), build(right)


def _neighbour_dots(matrix: sparse.csr_matrix) -> np.ndarray:
    """``out[i, d-1] = <row i, row i+d>`` for d = 1..MAX_GROUP-1 (0 past the end)."""
    n = matrix.shape[0]
    out = np.zeros((n, MAX_GROUP - 1))
    for d in range(1, MAX_GROUP):
        if n > d:
            out[: n - d, d - 1] = np.asarray(
                matrix[: n - d].multiply(matrix[d:]).sum(axis=1)
            ).ravel()
    return out


@dataclass(frozen=True)
class Band:
    """For each Ukrainian index i (0..n_uk), the English indices j in [lo[i], hi[i]] it may meet.

    The band follows the diagonal of the two documents' lengths, ``width`` paragraphs either
    side, so that the aligner's cost grows linearly with the document.
    """

    lo: np.ndarray
    hi: np.ndarray

    @classmethod
    def around_diagonal(cls, n_uk: int, n_en: int, width: int) -> Band:
        i = np.arange(n_uk + 1)
        centre = np.rint(i * (n_en / max(n_uk, 1))).astype(int)
        lo = np.clip(centre - width, 0, n_en)
        hi = np.clip(centre + width, 0, n_en)
        # The path must reach both corners and every row must reach the next one: from
        # (i, hi[i]) a one-sided Ukrainian bead leads to (i + 1, hi[i]), so hi[i] >= lo[i + 1]
        # (this widens rows only where one version has many more paragraphs than the other).
        lo[0], hi[-1] = 0, n_en
        hi[:-1] = np.maximum(hi[:-1], lo[1:])
        return cls(lo=lo, hi=hi)

    def cross_columns(self, n_uk: int) -> tuple[np.ndarray, np.ndarray]:
        """For each Ukrainian paragraph r, the English paragraphs [start, stop) a bead holding
        r may hold: beads holding r start at a row >= r - MAX_GROUP + 1 and end at one
        <= r + MAX_GROUP."""
        rows = np.arange(n_uk)
        start = self.lo[np.clip(rows - (MAX_GROUP - 1), 0, None)]
        stop = self.hi[np.clip(rows + MAX_GROUP, None, n_uk)]
        return start, stop


class BeadSimilarity:
    """Cosine similarity of any bead inside a band, from dot products computed once."""

    def __init__(self, uk: sparse.csr_matrix, en: sparse.csr_matrix, band: Band) -> None:
        self.n_uk, self.n_en = uk.shape[0], en.shape[0]
        self.uk_norm2 = np.asarray(uk.multiply(uk).sum(axis=1)).ravel()
        self.en_norm2 = np.asarray(en.multiply(en).sum(axis=1)).ravel()
        self.uk_next = _neighbour_dots(uk)
        self.en_next = _neighbour_dots(en)
        # Cross dots for uk row r cover the English columns [offset_r, offset_r + span).
        self._offset, stop = band.cross_columns(self.n_uk)
        span = int((stop - self._offset).max(initial=0))
        self._cross = np.zeros((self.n_uk, span))
        if self.n_uk and self.n_en:
            self._fill_cross(uk, en, span)
        # The dynamic programme reads single values millions of times: plain lists are faster.
        self._cross_rows = self._cross.tolist()
        self._offsets = self._offset.tolist()
        self._uk_norm2 = self.uk_norm2.tolist()
        self._en_norm2 = self.en_norm2.tolist()
        self._uk_next = self.uk_next.tolist()
        self._en_next = self.en_next.tolist()

    def _fill_cross(self, uk: sparse.csr_matrix, en: sparse.csr_matrix, span: int) -> None:
        block = 256
        en_t = en.T.tocsc()
        for start in range(0, self.n_uk, block):
            stop = min(start + block, self.n_uk)
            first = int(self._offset[start:stop].min())
            last = min(int(self._offset[start:stop].max()) + span, self.n_en)
            dots = (uk[start:stop] @ en_t[:, first:last]).toarray()
            for i in range(start, stop):
                a = int(self._offset[i]) - first
                width = min(span, dots.shape[1] - a)
                self._cross[i, :width] = dots[i - start, a : a + width]

    def cross(self, i: int, j: int) -> float:
        row = self._cross_rows[i]
        k = j - self._offsets[i]
        return row[k] if 0 <= k < len(row) else 0.0

    @staticmethod
    def _group_norm2(norm2: list[float], nxt: list[list[float]], start: int, stop: int) -> float:
        if stop - start == 1:
            return norm2[start]
        total = 0.0
        for a in range(start, stop):
            total += norm2[a]
            for b in range(a + 1, stop):
                total += 2.0 * nxt[a][b - a - 1]
        return total

    def cosine(self, uk_start: int, uk_stop: int, en_start: int, en_stop: int) -> float:
        """Cosine between the joined paragraphs uk[uk_start:uk_stop] and en[en_start:en_stop]."""
        dot = 0.0
        for i in range(uk_start, uk_stop):
            row = self._cross_rows[i]
            offset = self._offsets[i]
            for j in range(en_start, en_stop):
                k = j - offset
                if 0 <= k < len(row):
                    dot += row[k]
        if dot <= 0.0:
            return 0.0
        nu = self._group_norm2(self._uk_norm2, self._uk_next, uk_start, uk_stop)
        ne = self._group_norm2(self._en_norm2, self._en_next, en_start, en_stop)
        return dot / math.sqrt(nu * ne) if nu > 0 and ne > 0 else 0.0

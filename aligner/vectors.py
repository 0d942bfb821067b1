"""Sparse TF-IDF vectors of paragraphs and the dot products a banded aligner needs.

A bead joins contiguous paragraphs, and the TF-IDF vector of joined paragraphs is the sum of
their vectors (term frequencies add). So the cosine of any bead follows from a few dot
products computed once: Ukrainian × English inside the band, and each side's paragraph with its
next one or two neighbours. :class:`BeadSimilarity` holds exactly those.
"""

from __future__ import annotations

import functools
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
    left_rows, right_rows, n_cols = _tfidf(left, right, scale)

    def build(rows: Sequence[dict[int, float]]) -> sparse.csr_matrix:
        # Built in canonical form (columns sorted in each row, as the COO route gives them)
        # without that route's conversions.
        indptr = [0]
        indices: list[int] = []
        values: list[float] = []
        for row in rows:
            indices += row
            values += row.values()
            indptr.append(len(indices))
        arrays = (
            np.array(values, dtype=np.float64),
            np.array(indices, dtype=np.int32),
            np.array(indptr, dtype=np.int32),
        )
        return sparse.csr_matrix(arrays, shape=(len(rows), n_cols))

    return build(left_rows), build(right_rows)


def tfidf_rows(
    left: Sequence[Counter[str]],
    right: Sequence[Counter[str]],
    scale: Mapping[str, float] | None = None,
) -> tuple[list[dict[int, float]], list[dict[int, float]]]:
    """The rows of :func:`tfidf_matrices` as ``{column: value}`` dicts in column order (the
    same values), without building the matrices: what :meth:`BeadSimilarity.from_rows`
    reads. A run aligns tens of thousands of tiny documents (the sentences of each bead),
    where SciPy's construction cost more than the arithmetic."""
    left_rows, right_rows, _ = _tfidf(left, right, scale)
    return left_rows, right_rows


#: The weight of a feature counted ``tf`` times in a paragraph, ``1.0 + log(tf)``, of the
#: small counts: computed once (the same floats).
_TF_WEIGHTS = [0.0] + [1.0 + math.log(tf) for tf in range(1, 64)]


def _tfidf(
    left: Sequence[Counter[str]],
    right: Sequence[Counter[str]],
    scale: Mapping[str, float] | None,
) -> tuple[list[dict[int, float]], list[dict[int, float]], int]:
    """The TF-IDF rows of both sides (columns sorted in each row) and the number of columns."""
    vocab: dict[str, int] = {}
    df: list[int] = []  # by column (the order of first sight)
    for bags in (left, right):
        for bag in bags:
            for feature in bag:
                index = vocab.setdefault(feature, len(vocab))
                if index == len(df):
                    df.append(1)
                else:
                    df[index] += 1
    n_docs = len(left) + len(right)
    idf = [0.0] * max(len(vocab), 1)  # plain floats: read once per entry below
    for index, count in enumerate(df):
        idf[index] = math.log((1 + n_docs) / (1 + count)) + 1.0
    for prefix, factor in (scale or {}).items():
        if factor == 1.0:  # x * 1.0 is x for every float: nothing to scale
            continue
        for feature, index in vocab.items():
            if feature.startswith(prefix):
                idf[index] *= factor

    def rows(bags: Sequence[Counter[str]]) -> list[dict[int, float]]:
        out = []
        for bag in bags:
            row = sorted(zip(map(vocab.__getitem__, bag), bag.values(), strict=True))
            out.append(
                {
                    col: (_TF_WEIGHTS[tf] if 0 < tf < 64 else 1.0 + math.log(tf)) * idf[col]
                    for col, tf in row
                }
            )
        return out

    return rows(left), rows(right), max(len(vocab), 1)


# --- sums as SciPy and NumPy compute them ---------------------------------------------------
# The similarities below are computed in plain Python over the rows' nonzero entries: the
# matrices of a sentence bead have a handful of rows, where SciPy's per-call overhead was most
# of the aligner's time. Each sum adds the same products in the same order as the SciPy
# expressions they replace, so every similarity — and so every alignment — is the same float.


def _pairwise_sum(values: Sequence[float], start: int, n: int) -> float:
    """NumPy's pairwise summation of ``values[start:start + n]``, step for step: below 8
    values one running sum; up to 128, eight running sums (one per lane) combined in pairs,
    then the rest; above, the two halves (cut at a multiple of 8) summed apart."""
    if n < 8:
        total = 0.0
        for k in range(start, start + n):
            total += values[k]
        return total
    if n <= 128:
        lanes = list(values[start : start + 8])
        k, whole = start + 8, start + n - n % 8
        while k < whole:
            for lane in range(8):
                lanes[lane] += values[k + lane]
            k += 8
        total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + (
            (lanes[4] + lanes[5]) + (lanes[6] + lanes[7])
        )
        for rest in range(k, start + n):
            total += values[rest]
        return total
    half = n // 2
    half -= half % 8
    return _pairwise_sum(values, start, half) + _pairwise_sum(values, start + half, n - half)


def _row_sum(values: Sequence[float]) -> float:
    """One sparse row's sum as ``csr.sum(axis=1)`` computes it (``np.add.reduceat``: the
    first value plus the pairwise sum of the others); 0.0 for an empty row."""
    if not values:
        return 0.0
    return values[0] + _pairwise_sum(values, 1, len(values) - 1)


def _rows(matrix: sparse.csr_matrix) -> list[dict[int, float]]:
    """The rows of a canonical CSR matrix as ``{column: value}`` dicts in column order."""
    indptr = matrix.indptr.tolist()
    indices = matrix.indices.tolist()
    data = matrix.data.tolist()
    return [
        dict(zip(indices[a:b], data[a:b], strict=True))
        for a, b in zip(indptr, indptr[1:], strict=False)
    ]


def _products(left: Mapping[int, float], right: Mapping[int, float]) -> list[float]:
    """The nonzero products over the columns two rows share, in column order (the entries
    of ``left.multiply(right)``)."""
    if len(right) < len(left):
        common = sorted(col for col in right if col in left)
    else:
        common = [col for col in left if col in right]
    products = [left[col] * right[col] for col in common]
    return [p for p in products if p != 0.0]


def _squares(row: Mapping[int, float]) -> list[float]:
    """``_products(row, row)``: the nonzero squares, in column order."""
    return [p for p in (v * v for v in row.values()) if p != 0.0]


def _neighbour_dots(rows: Sequence[Mapping[int, float]]) -> list[list[float]]:
    """``out[i][d-1] = <row i, row i+d>`` for d = 1..MAX_GROUP-1 (0 past the end), as
    ``matrix[:n-d].multiply(matrix[d:]).sum(axis=1)``."""
    n = len(rows)
    return [
        [
            _row_sum(_products(rows[i], rows[i + d])) if i + d < n else 0.0
            for d in range(1, MAX_GROUP)
        ]
        for i in range(n)
    ]


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
        if cls is Band:
            return _diagonal_band(n_uk, n_en, width)
        return cls._around_diagonal(n_uk, n_en, width)

    @classmethod
    def _around_diagonal(cls, n_uk: int, n_en: int, width: int) -> Band:
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

    @functools.cached_property
    def bounds(self) -> tuple[list[int], list[int]]:
        """``lo`` and ``hi`` as plain lists (the dynamic programme reads them cell by cell)."""
        return self.lo.tolist(), self.hi.tolist()

    def cross_windows(self, n_uk: int) -> tuple[list[int], int]:
        """:meth:`cross_columns` as plain values: each row's start, and the widest window
        (``max(stop - start)``, at least 0)."""
        lo, hi = self.bounds
        start = [lo[max(r - (MAX_GROUP - 1), 0)] for r in range(n_uk)]
        stop = [hi[min(r + MAX_GROUP, n_uk)] for r in range(n_uk)]
        return start, max([0, *(b - a for a, b in zip(start, stop, strict=True))])

    def cross_columns(self, n_uk: int) -> tuple[np.ndarray, np.ndarray]:
        """For each Ukrainian paragraph r, the English paragraphs [start, stop) a bead holding
        r may hold: beads holding r start at a row >= r - MAX_GROUP + 1 and end at one
        <= r + MAX_GROUP."""
        rows = np.arange(n_uk)
        start = self.lo[np.clip(rows - (MAX_GROUP - 1), 0, None)]
        stop = self.hi[np.clip(rows + MAX_GROUP, None, n_uk)]
        return start, stop


@functools.lru_cache(maxsize=4096)
def _diagonal_band(n_uk: int, n_en: int, width: int) -> Band:
    """:meth:`Band.around_diagonal`, computed once per shape (the sentences of most beads
    have the same few shapes); its arrays are read-only, since every caller shares them."""
    band = Band._around_diagonal(n_uk, n_en, width)
    band.lo.setflags(write=False)
    band.hi.setflags(write=False)
    return band


class BeadSimilarity:
    """Cosine similarity of any bead inside a band, from dot products computed once."""

    def __init__(self, uk: sparse.csr_matrix, en: sparse.csr_matrix, band: Band) -> None:
        self._setup(_rows(uk), _rows(en), band)

    @classmethod
    def from_rows(
        cls,
        uk_rows: Sequence[Mapping[int, float]],
        en_rows: Sequence[Mapping[int, float]],
        band: Band,
    ) -> BeadSimilarity:
        """The similarity of the rows of :func:`tfidf_rows` (the rows of the matrices
        :func:`tfidf_matrices` gives: the same similarity)."""
        similarity = cls.__new__(cls)
        similarity._setup(uk_rows, en_rows, band)
        return similarity

    def _setup(
        self,
        uk_rows: Sequence[Mapping[int, float]],
        en_rows: Sequence[Mapping[int, float]],
        band: Band,
    ) -> None:
        self.n_uk, self.n_en = len(uk_rows), len(en_rows)
        # The dynamic programme reads single values millions of times: plain lists.
        self._uk_norm2 = [_row_sum(_squares(row)) for row in uk_rows]
        self._en_norm2 = [_row_sum(_squares(row)) for row in en_rows]
        self._uk_next = _neighbour_dots(uk_rows)
        self._en_next = _neighbour_dots(en_rows)
        # Cross dots for uk row r cover the English columns [offset_r, offset_r + span).
        self._offsets, span = band.cross_windows(self.n_uk)
        self._cross_rows = self._cross_dots(uk_rows, en_rows, span)

    def _cross_dots(
        self,
        uk_rows: Sequence[Mapping[int, float]],
        en_rows: Sequence[Mapping[int, float]],
        span: int,
    ) -> list[list[float]]:
        """Each Ukrainian row's dot products with the English rows of its window (``span``
        columns from its offset, 0 past the last row), each a running sum over the shared
        columns in column order — the order of SciPy's sparse matrix product."""
        by_column: dict[int, list[tuple[int, float]]] = {}
        for j, row in enumerate(en_rows):
            for col, value in row.items():
                by_column.setdefault(col, []).append((j, value))
        out = []
        for row, offset in zip(uk_rows, self._offsets, strict=True):
            dots = [0.0] * span
            stop = min(offset + span, self.n_en)
            for col, value in row.items():
                for j, other in by_column.get(col, ()):
                    if offset <= j < stop:
                        dots[j - offset] += value * other
            out.append(dots)
        return out

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
            # the English rows of the bead inside this row's window, added in order
            for value in row[max(en_start - offset, 0) : max(en_stop - offset, 0)]:
                dot += value
        if dot <= 0.0:
            return 0.0
        nu = self._group_norm2(self._uk_norm2, self._uk_next, uk_start, uk_stop)
        ne = self._group_norm2(self._en_norm2, self._en_next, en_start, en_stop)
        return dot / math.sqrt(nu * ne) if nu > 0 and ne > 0 else 0.0

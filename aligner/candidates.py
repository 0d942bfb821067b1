"""Candidate generation: an inverted index over rare features proposes pairs to score.

Every article is a row of a sparse matrix over index features (numbers, name keys, cognate
skeletons, title/URL keys) weighted by IDF. Features with more postings than
``max_postings`` on either side are dropped (a shared "2022" or "Ukraine" proposes nothing
useful, and the cost of a feature is the product of its two posting lists). Each article
queries with its ``query_features`` rarest features only, so that the work per article is
bounded by ``query_features * max_postings`` whatever the archive size: the cost grows
linearly with the archive. The sparse product of a block of queries with the other side's
index is the sum of IDF weights of shared features; each article keeps its ``per_article``
best, in both directions, and a date window removes pairs whose dates are too far apart.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from aligner.vocabulary import feature_columns

__all__ = ["CandidateSettings", "CandidatePairs", "propose_candidates"]

#: Query rows multiplied at once; bounds the memory of one sparse product (at most
#: rows * query_features * max_postings entries).
_BLOCK_ROWS = 512


@dataclass(frozen=True)
class CandidateSettings:
    """How many candidates to propose and how common a feature may be to propose any."""

    per_article: int = 12
    max_postings: int = 200
    query_features: int = 24
    date_window_days: int = 3


@dataclass(frozen=True)
class CandidatePairs:
    """Candidate pairs as parallel index arrays (row of the Ukrainian, row of the English)."""

    uk: np.ndarray
    en: np.ndarray

    def __len__(self) -> int:
        return int(self.uk.shape[0])


def _unit_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows scaled to unit length, so that long articles do not propose themselves everywhere."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags((1.0 / norms).astype(np.float32)) @ matrix).tocsr()


def _restrict_to_rarest(matrix: sparse.csr_matrix, df: np.ndarray, keep: int) -> sparse.csr_matrix:
    """Keep, in each row, the ``keep`` entries of lowest document frequency."""
    matrix = matrix.tocsr()
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    lengths = np.diff(indptr)
    if lengths.size == 0 or lengths.max(initial=0) <= keep:
        return matrix
    mask = np.ones(indices.shape[0], dtype=bool)
    for row in np.flatnonzero(lengths > keep):
        start, end = indptr[row], indptr[row + 1]
        order = np.argsort(df[indices[start:end]], kind="stable")
        mask[start + order[keep:]] = False
    rows = np.repeat(np.arange(matrix.shape[0]), lengths)[mask]
    return sparse.csr_matrix(
        (data[mask], (rows, indices[mask])), shape=matrix.shape, dtype=matrix.dtype
    )


def _top_per_row(
    block: sparse.csr_matrix,
    row_offset: int,
    per_row: int,
    dates_query: np.ndarray,
    dates_index: np.ndarray,
    window: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``per_row`` best (query row, index row) of a block of query rows."""
    coo = block.tocoo()
    rows = coo.row.astype(np.int64) + row_offset
    cols = coo.col.astype(np.int64)
    scores = coo.data
    if window >= 0 and rows.size:
        dq, di = dates_query[rows], dates_index[cols]
        keep = (dq < 0) | (di < 0) | (np.abs(dq - di) <= window)
        rows, cols, scores = rows[keep], cols[keep], scores[keep]
    if rows.size == 0:
        return rows, cols
    # Sort by row, then by descending score; keep the first ``per_row`` of each row.
    order = np.lexsort((-scores, rows))
    rows, cols = rows[order], cols[order]
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    rank = np.arange(rows.size) - np.repeat(starts, np.diff(np.r_[starts, rows.size]))
    keep = rank < per_row
    return rows[keep], cols[keep]


def _query(
    queries: sparse.csr_matrix,
    index_t: sparse.csr_matrix,
    per_row: int,
    dates_query: np.ndarray,
    dates_index: np.ndarray,
    window: int,
) -> tuple[np.ndarray, np.ndarray]:
    found_rows: list[np.ndarray] = []
    found_cols: list[np.ndarray] = []
    for start in range(0, queries.shape[0], _BLOCK_ROWS):
        block = queries[start : start + _BLOCK_ROWS] @ index_t
        rows, cols = _top_per_row(block, start, per_row, dates_query, dates_index, window)
        found_rows.append(rows)
        found_cols.append(cols)
    if not found_rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(found_rows), np.concatenate(found_cols)


def _all_dated(dates: np.ndarray) -> bool:
    return dates.size > 0 and bool((dates >= 0).all())


def _encode(rows: Iterable[Iterable[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """CSR ``indptr`` and ``indices`` of feature rows (each feature once per row); ``vocab``
    grows. Only integers are kept, so the feature strings can be made on the fly."""
    indptr = array("q", [0])
    indices = array("q")
    for features in rows:
        indices.extend(feature_columns(dict.fromkeys(features), vocab))
        indptr.append(len(indices))
    return np.frombuffer(indptr, dtype=np.int64), np.frombuffer(indices, dtype=np.int64)


def _in_date_blocks(
    encoded: list[tuple[np.ndarray, np.ndarray]], dates: list[np.ndarray], window: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Features re-coded per date block on two grids (blocks of ``2 * (window + 1)`` days,
    the second grid shifted by half a block): two articles within the window share a block
    on at least one grid. Each entry of a row becomes two adjacent entries, so the rows
    keep their places (the new ``indptr`` is twice the old one)."""
    block = 2 * (window + 1)
    n_blocks = int(max(int(d.max()) for d in dates) // block) + 2
    coded = []
    for (indptr, indices), day in zip(encoded, dates, strict=True):
        days = np.repeat(day, np.diff(indptr))
        pair = np.empty((indices.shape[0], 2), dtype=np.int64)
        pair[:, 0] = (indices * n_blocks + days // block) * 2
        pair[:, 1] = (indices * n_blocks + (days + block // 2) // block) * 2 + 1
        del days
        coded.append((indptr * 2, pair.ravel()))
    sizes = [codes.shape[0] for _, codes in coded]
    _, compact = np.unique(np.concatenate([codes for _, codes in coded]), return_inverse=True)
    compact = compact.astype(np.int64, copy=False).ravel()
    return [
        (coded[0][0], compact[: sizes[0]]),
        (coded[1][0], compact[sizes[0] :]),
    ]


def propose_candidates(
    uk_features: Iterable[Iterable[str]],
    en_features: Iterable[Iterable[str]],
    uk_dates: np.ndarray,
    en_dates: np.ndarray,
    settings: CandidateSettings = CandidateSettings(),
) -> CandidatePairs:
    """Candidate (uk row, en row) pairs, each article's best in both directions.

    ``*_features`` give the index features of each article, in row order (duplicates
    ignored; read once, so generators do); ``*_dates`` are day ordinals, negative where an
    article has no date.

    When every article has a date, features are indexed per date block, so that a name
    that recurs all year is still rare within a week and still proposes candidates.
    """
    vocab: dict[str, int] = {}
    encoded = [_encode(uk_features, vocab), _encode(en_features, vocab)]
    n_uk, n_en = uk_dates.shape[0], en_dates.shape[0]
    if encoded[0][0].shape[0] - 1 != n_uk or encoded[1][0].shape[0] - 1 != n_en:
        raise ValueError("one row of features per article and one date per article")
    window = settings.date_window_days
    n_features = max(len(vocab), 1)
    del vocab
    if window >= 0 and _all_dated(uk_dates) and _all_dated(en_dates):
        encoded = _in_date_blocks(encoded, [uk_dates, en_dates], window)
        n_features = max(int(max((i.max(initial=-1) for _, i in encoded))) + 1, 1)
    built = []
    for (indptr, indices), n_rows in zip(encoded, (n_uk, n_en), strict=True):
        data = np.ones(indices.shape[0], dtype=np.float32)
        built.append(sparse.csr_matrix((data, indices, indptr), shape=(n_rows, n_features)))
    del encoded
    uk_matrix, en_matrix = built
    df_uk = np.bincount(uk_matrix.indices, minlength=n_features)
    df_en = np.bincount(en_matrix.indices, minlength=n_features)
    usable = (df_uk > 0) & (df_en > 0) & (df_uk <= settings.max_postings)
    usable &= df_en <= settings.max_postings
    n_docs = n_uk + n_en
    idf = np.where(usable, np.log((n_docs + 1) / (df_uk + df_en + 1)) + 1.0, 0.0)
    weights = sparse.diags(idf.astype(np.float32))
    uk_weighted = (uk_matrix @ weights).tocsr()
    en_weighted = (en_matrix @ weights).tocsr()
    del uk_matrix, en_matrix
    uk_weighted.eliminate_zeros()
    en_weighted.eliminate_zeros()
    uk_weighted, en_weighted = _unit_rows(uk_weighted), _unit_rows(en_weighted)
    df = df_uk + df_en
    uk_query = _restrict_to_rarest(uk_weighted, df, settings.query_features)
    en_query = _restrict_to_rarest(en_weighted, df, settings.query_features)
    uk_rows, en_cols = _query(
        uk_query, en_weighted.T.tocsr(), settings.per_article, uk_dates, en_dates, window
    )
    en_rows, uk_cols = _query(
        en_query, uk_weighted.T.tocsr(), settings.per_article, en_dates, uk_dates, window
    )
    # Pair codes uk * n_en + en: np.unique merges the two directions and sorts the pairs.
    code_base = max(n_en, 1)
    pairs = np.unique(
        np.concatenate([uk_rows * code_base + en_cols, uk_cols * code_base + en_rows])
    )
    return CandidatePairs(uk=pairs // code_base, en=pairs % code_base)

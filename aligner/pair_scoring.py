"""Signals of a candidate pair: how much a Ukrainian and an English article look alike.

Every signal is a number per candidate pair, computed for all candidates at once:

- ``cognates``, ``names``, ``numbers``, ``symbols``, ``concepts``: cosine of TF-IDF bags of
  the anchor profiles;
- ``slug``: overlap of title and URL keys;
- ``length``: agreement of the two lengths with the usual English/Ukrainian length ratio;
- ``paragraphs``: agreement of the paragraph structure (the share of the text that an
  alignment of the two paragraph-length sequences matches);
- ``association``: cosine of the Ukrainian text mapped through a learned word-association
  table with the English stems (see :mod:`aligner.association`);
- ``bridge``: cosine of word 1-2-gram TF-IDF vectors of the bridge (an English translation
  of the Ukrainian article) and of the English article.

:func:`combine` turns signals into log-odds with a weight per signal, and
:func:`with_margin` subtracts how well each article scores with its other candidates, so a
score means "better than the alternatives" rather than "similar in general".
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np
from scipy import sparse

from aligner.vocabulary import feature_columns

__all__ = [
    "SIGNALS",
    "best_other_gap",
    "bridge_bags",
    "combine",
    "length_agreement",
    "paired_cosines",
    "paragraph_agreement",
    "slug_overlap",
    "tfidf_rows",
    "with_margin",
]

#: Signal names in a fixed order (the order of the columns of a signal table).
SIGNALS = (
    "cognates",
    "names",
    "numbers",
    "symbols",
    "concepts",
    "slug",
    "length",
    "paragraphs",
    "association",
    "bridge",
)

#: Pairs whose dot products are computed at once; bounds memory.
_PAIR_BLOCK = 100_000

_WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")


def tfidf_rows(
    uk_bags: Iterable[Mapping[str, float]], en_bags: Iterable[Mapping[str, float]]
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """L2-normalised TF-IDF rows of two bag sequences (each read once) in one feature space.

    Term frequency is sublinear (1 + log tf, and tf itself below 1); document frequency
    counts both sides.
    """
    vocab: dict[str, int] = {}
    encoded = []
    for bags in (uk_bags, en_bags):
        indptr = array("q", [0])
        indices = array("q")
        counts = array("f")
        for bag in bags:
            indices.extend(feature_columns(bag, vocab))
            counts.extend(bag.values())
            indptr.append(len(indices))
        encoded.append((indptr, indices, counts))
    n_features = max(len(vocab), 1)
    del vocab
    uk, en = (
        sparse.csr_matrix(
            (
                np.frombuffer(counts, dtype=np.float32),
                np.frombuffer(indices, dtype=np.int64),
                np.frombuffer(indptr, dtype=np.int64),
            ),
            shape=(len(indptr) - 1, n_features),
        )
        for indptr, indices, counts in encoded
    )
    df = np.bincount(uk.indices, minlength=n_features) + np.bincount(
        en.indices, minlength=n_features
    )
    n_docs = uk.shape[0] + en.shape[0]
    idf = (np.log((1 + n_docs) / (1 + df)) + 1.0).astype(np.float32)
    result = []
    for matrix in (uk, en):
        tf = matrix.data
        weighted = np.where(tf >= 1.0, 1.0 + np.log(np.maximum(tf, 1.0)), tf)
        matrix = sparse.csr_matrix(
            (weighted.astype(np.float32) * idf[matrix.indices], matrix.indices, matrix.indptr),
            shape=matrix.shape,
        )
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        result.append((sparse.diags(1.0 / norms.astype(np.float32)) @ matrix).tocsr())
    return result[0], result[1]


def paired_cosines(
    uk: sparse.csr_matrix, en: sparse.csr_matrix, uk_rows: np.ndarray, en_rows: np.ndarray
) -> np.ndarray:
    """Row-wise dot products ``uk[uk_rows[k]] · en[en_rows[k]]`` (cosines of unit rows)."""
    out = np.zeros(uk_rows.shape[0], dtype=np.float64)
    for start in range(0, uk_rows.shape[0], _PAIR_BLOCK):
        stop = start + _PAIR_BLOCK
        product = uk[uk_rows[start:stop]].multiply(en[en_rows[start:stop]])
        out[start:stop] = np.asarray(product.sum(axis=1)).ravel()
    return out


def length_agreement(
    uk_lengths: np.ndarray, en_lengths: np.ndarray, log_ratio_mean: float, log_ratio_sd: float
) -> np.ndarray:
    """Gaussian agreement (1 at the expected English/Ukrainian length ratio)."""
    ratio = np.log(np.maximum(en_lengths, 1) / np.maximum(uk_lengths, 1))
    z = (ratio - log_ratio_mean) / log_ratio_sd
    return np.exp(-0.5 * z * z)


def paragraph_agreement(
    uk_paragraphs: Sequence[tuple[int, ...]],
    en_paragraphs: Sequence[tuple[int, ...]],
    uk_rows: np.ndarray,
    en_rows: np.ndarray,
    log_ratio_mean: float,
    log_ratio_sd: float,
    merge_credit: float = 0.5,
) -> np.ndarray:
    """How alike the paragraph structures are, 0..1: the share of the text (both sides) that
    the best monotone alignment of the two paragraph-length sequences matches, each matched
    bead weighted by the agreement of its two lengths (1 at the usual ratio).

    Beads are 1-1, 2-1 and 1-2 (a joined or split paragraph, credited ``merge_credit`` of a
    1-1 bead: it is the less likely reading) and 1-0, 0-1 (a one-sided paragraph: no
    credit), as between newsroom versions; so a version with a paragraph more or fewer loses
    only that paragraph's share, not the whole signal.

    The dynamic programme runs for many candidates at once: candidates are grouped by their
    two paragraph counts, rounded up to a few sizes per octave (shorter sequences are padded
    with paragraphs that earn nothing), so the Python loop runs over cells of a few grids
    while numpy works across the candidates.
    """
    out = np.zeros(uk_rows.shape[0], dtype=np.float64)
    if out.size == 0:
        return out
    uk_flat, uk_start, uk_count = _flatten(uk_paragraphs)
    en_flat, en_start, en_count = _flatten(en_paragraphs)
    n_all, m_all = uk_count[uk_rows], en_count[en_rows]
    n_grid, m_grid = _grid_size(n_all), _grid_size(m_all)
    shape_code = n_grid * (int(m_grid.max()) + 1) + m_grid
    order = np.argsort(shape_code, kind="stable")
    bounds = np.flatnonzero(np.diff(shape_code[order])) + 1
    for group in np.split(order, bounds):
        n, m = int(n_grid[group[0]]), int(m_grid[group[0]])
        if n == 0 or m == 0:
            continue
        # Bound the memory of the c x n x m credit tables.
        step = max(1, _GRID_CELLS // (n * m))
        for chunk in np.split(group, range(step, group.size, step)):
            a = _padded(uk_flat, uk_start[uk_rows[chunk]], n_all[chunk], n)
            b = _padded(en_flat, en_start[en_rows[chunk]], m_all[chunk], m)
            matched = _aligned_length(a, b, log_ratio_mean, log_ratio_sd, merge_credit)
            out[chunk] = matched / np.maximum(a.sum(axis=1) + b.sum(axis=1), 1.0)
    return out


#: Candidates x grid cells of one step of :func:`paragraph_agreement` (bounds its memory).
_GRID_CELLS = 2_000_000


def _grid_size(counts: np.ndarray) -> np.ndarray:
    """Paragraph counts rounded up to four sizes per octave above 8 (9 -> 10, 50 -> 56)."""
    step = np.where(counts > 8, 2 ** np.maximum(np.floor(np.log2(np.maximum(counts, 1))) - 2, 0), 1)
    return (-(-counts // step) * step).astype(np.int64)


def _flatten(sequences: Sequence[tuple[int, ...]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All lengths in one array (at least 1 each), each sequence's start and count."""
    count = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(sequences))
    start = np.zeros(len(sequences), dtype=np.int64)
    np.cumsum(count[:-1], out=start[1:])
    flat = np.fromiter((x for s in sequences for x in s), dtype=np.float64, count=int(count.sum()))
    return np.maximum(flat, 1.0), start, count


def _padded(flat: np.ndarray, start: np.ndarray, count: np.ndarray, width: int) -> np.ndarray:
    """Rows of ``width`` lengths, each sequence followed by zeros."""
    position = np.arange(width)
    inside = position[None, :] < count[:, None]
    index = np.where(inside, start[:, None] + position[None, :], 0)
    return np.where(inside, flat[index] if flat.size else 0.0, 0.0)


def _aligned_length(
    a: np.ndarray, b: np.ndarray, mean: float, sd: float, merge_credit: float
) -> np.ndarray:
    """Per row of ``a`` (c x n) and ``b`` (c x m), lengths with 0 for padding: the best total
    of bead lengths times length agreement over monotone alignments (see
    :func:`paragraph_agreement`); a bead that touches padding earns nothing."""

    def credit(x: np.ndarray, y: np.ndarray, real: np.ndarray) -> np.ndarray:
        z = (np.log(np.maximum(y, 1.0) / np.maximum(x, 1.0)) - mean) / sd
        return np.where(real, np.exp(-0.5 * z * z) * (x + y), 0.0)

    n, m = a.shape[1], b.shape[1]
    a_real, b_real = a > 0, b > 0
    a3, b3 = a[:, :, None], b[:, None, :]
    one_one = credit(a3, b3, a_real[:, :, None] & b_real[:, None, :])  # c x n x m
    a_two = (a[:, :-1] + a[:, 1:])[:, :, None]
    b_two = (b[:, :-1] + b[:, 1:])[:, None, :]
    two_one = merge_credit * credit(a_two, b3, a_real[:, 1:, None] & b_real[:, None, :])
    one_two = merge_credit * credit(a3, b_two, a_real[:, :, None] & b_real[:, None, 1:])
    best = np.zeros((n + 1, m + 1, a.shape[0]))  # best[i, j]: the first i and j paragraphs
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cell = np.maximum(best[i - 1, j], best[i, j - 1])
            np.maximum(cell, best[i - 1, j - 1] + one_one[:, i - 1, j - 1], out=cell)
            if i > 1:
                np.maximum(cell, best[i - 2, j - 1] + two_one[:, i - 2, j - 1], out=cell)
            if j > 1:
                np.maximum(cell, best[i - 1, j - 2] + one_two[:, i - 1, j - 2], out=cell)
            best[i, j] = cell
    return best[n, m]


def slug_overlap(
    uk_slugs: Sequence[frozenset[str]],
    en_slugs: Sequence[frozenset[str]],
    uk_rows: np.ndarray,
    en_rows: np.ndarray,
) -> np.ndarray:
    """Jaccard overlap of title/URL keys; 0 where either side has none."""
    out = np.zeros(uk_rows.shape[0], dtype=np.float64)
    if not any(uk_slugs) or not any(en_slugs):
        return out
    for k, (i, j) in enumerate(zip(uk_rows.tolist(), en_rows.tolist(), strict=False)):
        a, b = uk_slugs[i], en_slugs[j]
        if a and b:
            out[k] = len(a & b) / len(a | b)
    return out


def bridge_bags(texts: Iterable[str]) -> Iterator[Counter[str]]:
    """Bags of lower-case word unigrams and bigrams of English texts, one at a time."""
    for text in texts:
        words = _WORD.findall(text.lower())
        bag = Counter(words)
        bag.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
        yield bag


def combine(
    signals: Mapping[str, np.ndarray], weights: Mapping[str, float], bias: float
) -> np.ndarray:
    """Log-odds ``bias + sum(weight * signal)`` over the signals that have a weight."""
    size = next(iter(signals.values())).shape[0] if signals else 0
    score = np.full(size, bias, dtype=np.float64)
    for name, weight in weights.items():
        if name in signals and weight:
            score += weight * signals[name]
    return score


def with_margin(
    score: np.ndarray, uk_rows: np.ndarray, en_rows: np.ndarray, n_uk: int, n_en: int, k: int
) -> np.ndarray:
    """``score`` minus half the mean of the ``k`` best scores of each of its two articles.

    Each article's ``k`` best include the pair itself, so a pair that stands out from its
    article's alternatives keeps most of its score, and one among several equally good
    alternatives loses it (the margin criterion of bitext mining).
    """
    best_uk = _mean_top_k(score, uk_rows, n_uk, k)
    best_en = _mean_top_k(score, en_rows, n_en, k)
    return score - 0.5 * (best_uk[uk_rows] + best_en[en_rows])


def best_other_gap(
    score: np.ndarray, uk_rows: np.ndarray, en_rows: np.ndarray, n_uk: int, n_en: int
) -> np.ndarray:
    """``score`` minus the best score of any other candidate of either of its two articles
    (positive only for a pair that is each article's clear first choice)."""
    other = np.full(score.shape[0], -np.inf)
    for rows, n_rows in ((uk_rows, n_uk), (en_rows, n_en)):
        first = np.full(n_rows, -np.inf)
        np.maximum.at(first, rows, score)
        is_first = score >= first[rows]
        # The first choice's alternative is the row's second best; everyone else's is the first.
        masked = np.where(is_first, -np.inf, score)
        second = np.full(n_rows, -np.inf)
        np.maximum.at(second, rows, masked)
        ties = np.bincount(rows[is_first], minlength=n_rows) > 1
        second = np.where(ties, first, second)
        alternative = np.where(is_first, second[rows], first[rows])
        other = np.maximum(other, alternative)
    # An article with no alternative: compare with a score of 0 log-odds ("undecided").
    return score - np.where(np.isfinite(other), other, 0.0)


def _mean_top_k(score: np.ndarray, rows: np.ndarray, n_rows: int, k: int) -> np.ndarray:
    """Per row, the mean of its ``k`` best scores (padded with its worst when fewer)."""
    means = np.zeros(n_rows, dtype=np.float64)
    if score.size == 0:
        return means
    order = np.lexsort((-score, rows))
    rows_sorted, scores_sorted = rows[order], score[order]
    starts = np.r_[0, np.flatnonzero(np.diff(rows_sorted)) + 1]
    counts = np.diff(np.r_[starts, rows_sorted.size])
    rank = np.arange(rows_sorted.size) - np.repeat(starts, counts)
    top = rank < k
    sums = np.bincount(rows_sorted[top], weights=scores_sorted[top], minlength=n_rows)
    taken = np.bincount(rows_sorted[top], minlength=n_rows)
    last = scores_sorted[np.r_[starts[1:] - 1, rows_sorted.size - 1]]
    worst = np.zeros(n_rows)
    worst[rows_sorted[starts]] = last
    sums += (k - taken) * worst
    means = sums / k
    return means

"""aligner.vectors: the bead similarities are the floats SciPy's sparse products give (the
alignments, and so the run's outputs, must not change when the arithmetic moves to Python)."""

import math
import random
from collections import Counter

import numpy as np
import pytest

from aligner.vectors import (
    MAX_GROUP,
    Band,
    BeadSimilarity,
    _row_sum,
    tfidf_matrices,
    tfidf_rows,
)


def _bags(rng: random.Random, n: int, vocab: list[str], size: int) -> list[Counter[str]]:
    return [
        Counter({rng.choice(vocab): rng.randint(1, 4) for _ in range(rng.randint(0, size))})
        for _ in range(n)
    ]


@pytest.mark.parametrize("seed", range(6))
def test_similarities_equal_scipys_sparse_products(seed: int) -> None:
    rng = random.Random(seed)
    vocab = [f"{rng.choice('npk')}:{i}" for i in range(rng.choice([15, 300]))]
    # rows of up to 200 features: NumPy's pairwise sums change their order at 8 and 128
    n_uk, n_en = rng.randint(1, 30), rng.randint(1, 30)
    uk_bags, en_bags = _bags(rng, n_uk, vocab, 200), _bags(rng, n_en, vocab, 200)
    uk, en = tfidf_matrices(uk_bags, en_bags, scale={"k:": 0.5})
    band = Band.around_diagonal(n_uk, n_en, rng.choice([2, 24]))
    sim = BeadSimilarity(uk, en, band)

    assert sim._uk_norm2 == np.asarray(uk.multiply(uk).sum(axis=1)).ravel().tolist()
    assert sim._en_norm2 == np.asarray(en.multiply(en).sum(axis=1)).ravel().tolist()
    for d in range(1, MAX_GROUP):
        if n_uk > d:
            expected = np.asarray(uk[: n_uk - d].multiply(uk[d:]).sum(axis=1)).ravel().tolist()
            assert [row[d - 1] for row in sim._uk_next[: n_uk - d]] == expected
    cross = (uk @ en.T).toarray()
    for i in range(n_uk):
        for j in range(n_en):
            if 0 <= j - sim._offsets[i] < len(sim._cross_rows[i]):
                assert sim.cross(i, j) == cross[i, j]


def test_tfidf_rows_are_canonical_and_weighted() -> None:
    uk, en = tfidf_matrices([Counter({"p:b": 2, "p:a": 1})], [Counter({"p:a": 1})])
    assert uk.has_sorted_indices and uk.indices.tolist() == [0, 1]
    # columns in order of first sight (p:b, p:a); idf over both sides' two paragraphs
    idf_b, idf_a = np.log(3 / 2) + 1.0, np.log(3 / 3) + 1.0
    assert uk.toarray().tolist() == [[(1.0 + np.log(2)) * idf_b, idf_a]]
    assert en.toarray().tolist() == [[0.0, idf_a]]


@pytest.mark.parametrize("n", [1, 2, 8, 9, 17, 129, 300])
def test_row_sum_is_numpys_reduceat(n: int) -> None:
    rng = random.Random(n)
    values = [rng.random() * 10 ** rng.uniform(-3, 3) for _ in range(n)]
    assert _row_sum(values) == np.add.reduceat(np.array(values), [0])[0]


@pytest.mark.parametrize("seed", range(4))
def test_similarity_from_rows_is_the_matrices_similarity(seed: int) -> None:
    """The aligner's route (rows, no SciPy) gives the very floats of the matrices' route."""
    rng = random.Random(100 + seed)
    vocab = [f"{rng.choice('npk')}:{i}" for i in range(rng.choice([6, 40]))]
    n_uk, n_en = rng.randint(1, 12), rng.randint(1, 12)
    uk_bags, en_bags = _bags(rng, n_uk, vocab, 20), _bags(rng, n_en, vocab, 20)
    scale = {"k:": rng.choice([0.0, 0.5, 1.0])}  # 0: explicit zeros stay entries
    uk, en = tfidf_matrices(uk_bags, en_bags, scale=scale)
    uk_rows, en_rows = tfidf_rows(uk_bags, en_bags, scale=scale)
    for matrix, rows in ((uk, uk_rows), (en, en_rows)):
        spans = list(zip(matrix.indptr[:-1], matrix.indptr[1:], strict=True))
        assert [list(row) for row in rows] == [matrix.indices[a:b].tolist() for a, b in spans]
        assert [list(row.values()) for row in rows] == [matrix.data[a:b].tolist() for a, b in spans]
    band = Band.around_diagonal(n_uk, n_en, rng.choice([1, 2, 24]))
    start, stop = band.cross_columns(n_uk)
    assert band.cross_windows(n_uk) == (start.tolist(), int((stop - start).max(initial=0)))
    by_matrix = BeadSimilarity(uk, en, band)
    by_rows = BeadSimilarity.from_rows(uk_rows, en_rows, band)
    assert vars(by_rows) == vars(by_matrix)
    for i0 in range(n_uk):
        for i1 in range(i0 + 1, min(i0 + MAX_GROUP, n_uk) + 1):
            for j0 in range(n_en):
                for j1 in range(j0 + 1, min(j0 + MAX_GROUP, n_en) + 1):
                    assert by_rows.cosine(i0, i1, j0, j1) == _cosine_cell_by_cell(
                        by_rows, i0, i1, j0, j1
                    )


def _cosine_cell_by_cell(sim: BeadSimilarity, i0: int, i1: int, j0: int, j1: int) -> float:
    """BeadSimilarity.cosine as first written: the cross dots added one cell at a time."""
    dot = 0.0
    for i in range(i0, i1):
        for j in range(j0, j1):
            k = j - sim._offsets[i]
            if 0 <= k < len(sim._cross_rows[i]):
                dot += sim._cross_rows[i][k]
    if dot <= 0.0:
        return 0.0
    nu = sim._group_norm2(sim._uk_norm2, sim._uk_next, i0, i1)
    ne = sim._group_norm2(sim._en_norm2, sim._en_next, j0, j1)
    return dot / math.sqrt(nu * ne) if nu > 0 and ne > 0 else 0.0


def test_diagonal_bands_are_shared_and_read_only() -> None:
    band = Band.around_diagonal(5, 7, 3)
    assert Band.around_diagonal(5, 7, 3) is band
    assert band.bounds == (band.lo.tolist(), band.hi.tolist())
    with pytest.raises(ValueError):
        band.lo[0] = 1

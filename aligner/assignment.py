"""One-to-one assignment of scored candidate pairs.

Competitive linking (Melamed 2000): take the candidate pairs from the best score down and
accept a pair when neither article is taken yet and its score reaches the threshold. On a
sparse candidate graph this costs one sort, O(E log E). Unlike a maximum-weight matching
(Hungarian), it never gives up a clearly best pair to make room for two mediocre ones, which
is what one wants when a low score should mean "no counterpart" rather than "second choice";
with margin-corrected scores the two agree on nearly every pair.
"""

from __future__ import annotations

import numpy as np

__all__ = ["competitive_linking"]


def competitive_linking(
    uk_rows: np.ndarray, en_rows: np.ndarray, score: np.ndarray, threshold: float
) -> np.ndarray:
    """Indices (into the candidate arrays) of the accepted pairs, best first."""
    order = np.argsort(-score, kind="stable")
    order = order[score[order] >= threshold]
    taken_uk: set[int] = set()
    taken_en: set[int] = set()
    accepted: list[int] = []
    for k, i, j in zip(
        order.tolist(), uk_rows[order].tolist(), en_rows[order].tolist(), strict=False
    ):
        if i in taken_uk or j in taken_en:
            continue
        taken_uk.add(i)
        taken_en.add(j)
        accepted.append(k)
    return np.asarray(accepted, dtype=np.int64)

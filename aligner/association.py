"""A Ukrainian↔English word-association table learned from an archive's own confident pairs.

Like hunalign's realign step: a first pass pairs the articles whose anchors agree clearly;
the stems that co-occur across those pairs far more often than chance are each other's
translations (or at least companions: *наглядов* ~ *supervisory*). The table then maps a
Ukrainian article to a bag of English stems, a crude translation, that a second pass compares
with the English articles.

Learning units are aligned paragraphs when a confident pair has the same number of
paragraphs on both sides (news versions mostly keep paragraph order), else whole articles.
Association strength is the Dice coefficient ``2 c(u, e) / (c(u) + c(e))`` over the units;
each Ukrainian stem keeps its few strongest English stems above ``min_dice`` and seen
together at least ``min_together`` times.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from aligner.vocabulary import feature_columns

__all__ = ["AssociationSettings", "AssociationTable", "learn_associations"]


@dataclass(frozen=True)
class AssociationSettings:
    """How strict the learned table is."""

    min_together: int = 2
    min_dice: float = 0.3
    per_word: int = 3
    max_units: int = 20_000


@dataclass(frozen=True)
class AssociationTable:
    """Ukrainian stem -> ((English stem, Dice), ...), strongest first."""

    links: Mapping[str, tuple[tuple[str, float], ...]]

    def __len__(self) -> int:
        return len(self.links)

    def translate(self, stems: Sequence[str]) -> dict[str, float]:
        """A bag of English stems (weighted by association strength) for Ukrainian stems."""
        bag: dict[str, float] = {}
        for stem in stems:
            for target, weight in self.links.get(stem, ()):
                bag[target] = bag.get(target, 0.0) + weight
        return bag


def _binary_matrix(units: Sequence[Sequence[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    for unit in units:
        indices.extend(feature_columns(dict.fromkeys(unit), vocab))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix(
        (data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(len(units), max(len(vocab), 1)),
    )


def learn_associations(
    pairs: Sequence[tuple[Sequence[Sequence[str]], Sequence[Sequence[str]]]],
    settings: AssociationSettings = AssociationSettings(),
) -> AssociationTable:
    """Learn the table from confident pairs, each given as (uk paragraph stems, en paragraph
    stems); the most confident pairs should come first (only ``max_units`` units are used)."""
    uk_units: list[Sequence[str]] = []
    en_units: list[Sequence[str]] = []
    for uk_paragraphs, en_paragraphs in pairs:
        if len(uk_paragraphs) == len(en_paragraphs):
            uk_units.extend(uk_paragraphs)
            en_units.extend(en_paragraphs)
        else:
            uk_units.append([stem for paragraph in uk_paragraphs for stem in paragraph])
            en_units.append([stem for paragraph in en_paragraphs for stem in paragraph])
        if len(uk_units) >= settings.max_units:
            break
    if not uk_units:
        return AssociationTable({})
    uk_vocab: dict[str, int] = {}
    en_vocab: dict[str, int] = {}
    uk_matrix = _binary_matrix(uk_units, uk_vocab)
    en_matrix = _binary_matrix(en_units, en_vocab)
    uk_count = np.asarray(uk_matrix.sum(axis=0)).ravel()
    en_count = np.asarray(en_matrix.sum(axis=0)).ravel()
    # Words seen once cannot show an association; dropping them keeps the product small.
    uk_keep = sparse.diags((uk_count >= settings.min_together).astype(np.float32))
    en_keep = sparse.diags((en_count >= settings.min_together).astype(np.float32))
    together = ((uk_matrix @ uk_keep).T.tocsr() @ (en_matrix @ en_keep)).tocoo()
    keep = together.data >= settings.min_together
    rows, cols, counts = together.row[keep], together.col[keep], together.data[keep]
    dice = 2.0 * counts / (uk_count[rows] + en_count[cols])
    strong = dice >= settings.min_dice
    rows, cols, dice = rows[strong], cols[strong], dice[strong]
    uk_words = np.empty(len(uk_vocab), dtype=object)
    for word, index in uk_vocab.items():
        uk_words[index] = word
    en_words = np.empty(len(en_vocab), dtype=object)
    for word, index in en_vocab.items():
        en_words[index] = word
    order = np.lexsort((-dice, rows))
    links: dict[str, list[tuple[str, float]]] = {}
    for row, col, value in zip(
        rows[order].tolist(), cols[order].tolist(), dice[order].tolist(), strict=False
    ):
        targets = links.setdefault(uk_words[row], [])
        if len(targets) < settings.per_word:
            targets.append((en_words[col], round(value, 4)))
    return AssociationTable({word: tuple(targets) for word, targets in links.items()})

"""Alignment records: beads that link Ukrainian and English paragraphs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

#: A translation bridge: the English machine translation of each Ukrainian paragraph, either
#: precomputed (same count and order as the Ukrainian paragraphs) or a callable that translates
#: a list of Ukrainian paragraphs. ``aligner`` never imports a model; ``models`` provides the
#: callable.
Bridge = Sequence[str] | Callable[[Sequence[str]], Sequence[str]]


@dataclass(frozen=True)
class Bead:
    """Paragraphs of one version that correspond to paragraphs of the other.

    Either side may be empty: ``Bead((3,), ())`` is a Ukrainian paragraph with no English
    counterpart. ``score`` is the bead's similarity in [0, 1] (higher is more certain).
    ``confidence`` in [0, 1] is the aligner's calibrated belief that the bead is right: a
    reviewer should look at beads under 0.5 (see ``aligner.confidence``).
    """

    uk: tuple[int, ...]
    en: tuple[int, ...]
    score: float = 0.0
    confidence: float = 1.0

    @property
    def kind(self) -> str:
        """``"1-1"``, ``"2-1"``, ``"1-0"``, ... (Ukrainian count first)."""
        return f"{len(self.uk)}-{len(self.en)}"

    @property
    def is_one_sided(self) -> bool:
        return not self.uk or not self.en

    def as_lists(self) -> list[list[int]]:
        return [list(self.uk), list(self.en)]


@dataclass(frozen=True)
class Alignment:
    """The beads of one article pair, in document order, covering every paragraph once."""

    beads: tuple[Bead, ...]
    n_uk: int
    n_en: int
    settings: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    def as_lists(self) -> list[list[list[int]]]:
        """The interchange shape ``[[uk indices], [en indices]]`` per bead."""
        return [b.as_lists() for b in self.beads]

    def links(self) -> set[tuple[int, int]]:
        """All (uk, en) paragraph index pairs that the beads link."""
        return {(u, e) for b in self.beads for u in b.uk for e in b.en}

    def signature(self) -> str:
        """The settings that change the result, sacrebleu style: ``key:value|key:value``."""
        return "|".join(f"{k}:{v}" for k, v in sorted(self.settings.items()))

"""Turn a translator into the bridge callable that ``aligner`` accepts.

``aligner`` never imports a model: it takes ``Callable[[Sequence[str]], Sequence[str]]``. The
bridge made here remembers every paragraph it has translated, so one run never translates the
same paragraph twice (the aligner, the pairing and the adequacy check may all ask).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from models.translator import Translator

__all__ = ["CachingBridge", "translation_bridge"]


class CachingBridge:
    """A callable ``paragraphs -> translations`` that translates each distinct text once."""

    def __init__(self, translator: Translator, src: str = "uk", tgt: str = "en") -> None:
        self.translator = translator
        self.src, self.tgt = src, tgt
        self._cache: dict[str, str] = {}

    def __call__(self, paragraphs: Sequence[str]) -> list[str]:
        missing = list(dict.fromkeys(p for p in paragraphs if p not in self._cache))
        if missing:
            translations = self.translator.translate(missing, src=self.src, tgt=self.tgt)
            self._cache.update(zip(missing, translations, strict=True))
        return [self._cache[p] for p in paragraphs]

    def __len__(self) -> int:
        """How many distinct paragraphs have been translated."""
        return len(self._cache)


def translation_bridge(
    translator: Translator, src: str = "uk", tgt: str = "en"
) -> Callable[[Sequence[str]], list[str]]:
    """A caching bridge for ``aligner.align_paragraphs(..., bridge=...)`` and pairing."""
    return CachingBridge(translator, src, tgt)

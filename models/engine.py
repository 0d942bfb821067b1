"""The interface between the paragraph pipeline and a translation backend.

An engine translates one direction, sentence by sentence, and knows how its tokenizer counts
tokens so that the pipeline can keep every input under the model's limit. Engines load
lazily-imported heavy libraries in their constructor, never at import time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

__all__ = ["SentenceEngine", "output_budget"]


@runtime_checkable
class SentenceEngine(Protocol):
    """Translates batches of sentences for one direction (``src`` → ``tgt``)."""

    #: The most tokens (end of sentence included) one input may have.
    max_input_tokens: int

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text``, end-of-sentence token included."""
        ...

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        """One translation per sentence, same order. Inputs must fit ``max_input_tokens``."""
        ...

    def settings(self) -> Mapping[str, object]:
        """What changes the output: model, revision, engine, precision, beam size, ..."""
        ...


def output_budget(longest_input: int, max_output_tokens: int | None, limit: int = 512) -> int:
    """How many tokens a batch may generate: the explicit cap, else twice the longest input
    plus 16 (room for a language that needs more tokens), never over the model's ``limit``."""
    if max_output_tokens is not None:
        return max_output_tokens
    return min(limit, 2 * longest_input + 16)

"""The interface between the paragraph pipeline and a translation backend.

An engine translates one direction, sentence by sentence, and knows how its tokenizer counts
tokens so that the pipeline can keep every input under the model's limit. Engines load
lazily-imported heavy libraries in their constructor, never at import time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from aligner.errors import ConfigError

if TYPE_CHECKING:
    from models.resolve import ResolvedModel

__all__ = ["SentenceEngine", "Decoding", "EngineBase", "output_budget", "pick_device"]


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


def pick_device(device: str, cuda_devices: int, library: str) -> str:
    """``device`` checked against what ``library`` sees: ``cpu``, ``cuda``, ``cuda:N``, or
    ``auto`` (``cuda`` when ``cuda_devices`` > 0, else ``cpu``); a :class:`ConfigError` naming
    the fix otherwise."""
    if device == "auto":
        return "cuda" if cuda_devices > 0 else "cpu"
    if device == "cpu":
        return device
    kind, _, index = device.partition(":")
    if kind != "cuda" or (index and not index.isdigit()):
        raise ConfigError(f"unknown device {device!r}: use cpu, cuda, cuda:N or auto")
    if cuda_devices == 0:
        raise ConfigError(
            f"device {device!r} asked for but {library} sees no CUDA device; use --device cpu"
        )
    if index and int(index) >= cuda_devices:
        raise ConfigError(
            f"device {device!r} asked for but {library} sees {cuda_devices} CUDA device(s)"
        )
    return device


@dataclass(frozen=True)
class Decoding:
    """How an engine runs and decodes: device (see :func:`pick_device`), beam size (1 is
    greedy), CPU threads (``None``: the library's choice) and bounds on the output length
    (``max_output_tokens`` ``None``: see :func:`output_budget`)."""

    device: str = "cpu"
    beam_size: int = 4
    threads: int | None = None
    min_output_tokens: int = 0
    max_output_tokens: int | None = None


class EngineBase:
    """What both engines share: the direction, the decoding settings, the length rules and the
    settings record. Subclasses set ``engine_name``, ``device`` (checked with
    :func:`pick_device`), ``max_input_tokens`` and ``precision``, and implement
    ``count_tokens`` and ``translate_batch``."""

    engine_name: ClassVar[str]
    device: str
    max_input_tokens: int
    precision: str

    def __init__(self, model: ResolvedModel, *, src: str, tgt: str, decoding: Decoding) -> None:
        self.model_info = model
        self.src, self.tgt = src, tgt
        self.decoding = decoding

    def _check_fits(self, longest: int) -> None:
        if longest > self.max_input_tokens:
            raise ValueError(
                f"input of {longest} tokens exceeds the model's "
                f"{self.max_input_tokens}; split it first (models.segmenting)"
            )

    def _budget(self, input_tokens: int) -> int:
        """The output budget of an input of ``input_tokens`` (see :func:`output_budget`)."""
        return output_budget(input_tokens, self.decoding.max_output_tokens, self.max_input_tokens)

    def settings(self) -> Mapping[str, object]:
        return {
            "model": self.model_info.name,
            "hub_id": self.model_info.hub_id or "-",
            "revision": self.model_info.revision,
            "engine": self.engine_name,
            "precision": self.precision,
            "device": self.device,
            "beam": self.decoding.beam_size,
        }

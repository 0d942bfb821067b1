"""Where the stages of ``mistok run`` execute: the one thing in which its engines differ.

The driver (:func:`mistok.local_engine.run_pipeline`) decides *what* is computed: it reads the
inputs, looks every stage's work up in the result cache, hands the rest to a scheduler, caches
each result as it comes back, and writes the outputs in a fixed order. A scheduler decides
only *where* a stage function runs: :class:`InProcessScheduler` runs it here, one item after
the other; :class:`mistok.ray_engine.RayScheduler` maps it over a Ray cluster. Both get the
same stage functions of :mod:`mistok.stages` and :mod:`aligner.pairing_partitions` and the
same items, so both engines compute the same results, and since the driver orders the results
itself, write the same files.

A scheduler yields ``(index, result)`` pairs in whatever order the results finish.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from aligner.errors import MistokError
from mistok.stages import Draft, TranslationRequest, translate_requests

T = TypeVar("T")
R = TypeVar("R")

#: What a scheduler gives back for one chunk of translation requests: its drafts, or why the
#: model could not draft it (one line).
ChunkResult = list[Draft] | str


class TranslatorSource(Protocol):
    """Makes the translator where the model stage runs (a Ray actor loads its own copy)."""

    def __call__(self) -> object: ...


class StageScheduler(Protocol):
    """Runs the stage functions for the driver of ``mistok run``."""

    #: ``local`` or ``ray``: recorded in the run's summary, never in its outputs.
    name: str

    def map(
        self, stage: str, function: Callable[[T], R], items: Sequence[T]
    ) -> Iterator[tuple[int, R]]:
        """``function(item)`` for every item: ``(index, result)`` as each finishes.

        ``function`` is a module-level function (or a :func:`functools.partial` of one) and
        the items are picklable records, so that a cluster can ship both."""
        ...

    def translate(
        self,
        chunks: Sequence[Sequence[TranslationRequest]],
        source: TranslatorSource,
        model_id: str,
    ) -> Iterator[tuple[int, ChunkResult]]:
        """Draft every chunk of requests with the translator that ``source`` makes (loaded
        once per process that translates): ``(index, drafts or problem)`` as each finishes."""
        ...


@dataclass(frozen=True)
class GivenTranslator:
    """A translator object that the caller made already (tests, the Python API)."""

    translator: object

    def __call__(self) -> object:
        return self.translator


def translate_function(translator: object) -> Callable[[list[str], str, str], object]:
    """The translator's ``translate_with_report`` (drafts then carry its issues: a sentence
    cut, empty or looping output, Russian letters, numbers lost), else its ``translate``."""
    with_report = getattr(translator, "translate_with_report", None)
    return with_report or translator.translate  # type: ignore[attr-defined]


def draft_chunk(
    chunk: Sequence[TranslationRequest], translator: object, model_id: str
) -> ChunkResult:
    """Drafts of one chunk of same-direction requests, or the problem that stopped them
    (``uk→en: model … serves en→uk only``): the model step shared by every scheduler."""
    try:
        return translate_requests(chunk, translate_function(translator), model_id)
    except MistokError as err:  # e.g. a local model folder serves one direction only
        return f"{chunk[0].src}→{chunk[0].tgt}: {err}"


class InProcessScheduler:
    """The local engine: every stage in this process, item after item, in order."""

    name = "local"

    def map(
        self, stage: str, function: Callable[[T], R], items: Sequence[T]
    ) -> Iterator[tuple[int, R]]:
        for index, item in enumerate(items):
            yield index, function(item)

    def translate(
        self,
        chunks: Sequence[Sequence[TranslationRequest]],
        source: TranslatorSource,
        model_id: str,
    ) -> Iterator[tuple[int, ChunkResult]]:
        translator: object | None = None
        failed: dict[tuple[str, str], str] = {}  # direction -> the problem that stopped it
        for index, chunk in enumerate(chunks):
            direction = (chunk[0].src, chunk[0].tgt)
            if direction in failed:  # the same model fails the same way: do not ask again
                yield index, failed[direction]
                continue
            if translator is None:
                try:
                    translator = source()
                except MistokError as err:
                    problem = f"no translation model: {err}"
                    yield from ((i, problem) for i in range(index, len(chunks)))
                    return
            result = draft_chunk(chunk, translator, model_id)
            if isinstance(result, str):
                failed[direction] = result
            yield index, result

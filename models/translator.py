"""The public translation interface: a ``Translator`` protocol and the paragraph pipeline.

``load_translator("opus-mt")`` returns a :class:`ParagraphTranslator`; any object with the two
methods of :class:`Translator` can stand in for it (in the bridge, in ``mistok fill``).

The pipeline for a list of paragraphs: paragraphs already in the target language are kept
as they are; the rest are split into sentences (and overlong sentences into pieces, see
:mod:`models.segmenting`), the pieces are batched by length, translated, put back into their
paragraphs in order, post-edited with the glossary, and checked for the known failures (empty,
looping, Russian instead of Ukrainian, numbers lost). Issues come back in a
:class:`~models.report.TranslationReport` beside the text; nothing is printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Protocol, runtime_checkable

from aligner.document import LANGUAGES
from aligner.errors import ConfigError
from models.engine import Decoding, SentenceEngine
from models.glossary import Glossary
from models.output_checks import already_in, is_repetitive, missing_numbers, russian_letters
from models.report import TranslationIssue, TranslationReport, TranslationResult
from models.segmenting import batches_by_length, plan_segments, reassemble

__all__ = ["Translator", "ParagraphTranslator", "load_translator", "ProgressCallback"]

#: Called after each batch with (segments done, segments in all).
ProgressCallback = Callable[[int, int], None]


@runtime_checkable
class Translator(Protocol):
    """Anything that translates paragraphs between Ukrainian and English."""

    def translate(self, texts: Sequence[str], src: str = "uk", tgt: str = "en") -> list[str]:
        """One translation per text, same order."""
        ...

    def translate_iter(
        self, texts: Iterable[str], src: str = "uk", tgt: str = "en"
    ) -> Iterator[str]:
        """Translations of a stream of texts, yielded in order as they are done."""
        ...


def _check_direction(src: str, tgt: str) -> None:
    if src not in LANGUAGES or tgt not in LANGUAGES or src == tgt:
        raise ConfigError(f"cannot translate {src!r} → {tgt!r}: use uk → en or en → uk")


class ParagraphTranslator:
    """Translates paragraphs through a :class:`~models.engine.SentenceEngine` per direction.

    ``engine_for(src, tgt)`` builds the engine of a direction; it is called once per
    direction, on first use. ``max_sentence_tokens`` caps the tokens of one model input
    (clamped to the engine's limit); ``batch_size`` and ``max_batch_tokens`` shape batches.
    """

    def __init__(
        self,
        engine_for: Callable[[str, str], SentenceEngine],
        *,
        batch_size: int = 8,
        max_batch_tokens: int | None = None,
        max_sentence_tokens: int = 256,
        glossary: Glossary | Mapping[str, str] | None = None,
    ) -> None:
        if batch_size < 1:
            raise ConfigError(f"batch size must be at least 1, not {batch_size}")
        if max_sentence_tokens < 8:
            raise ConfigError(f"max sentence tokens must be at least 8, not {max_sentence_tokens}")
        self._engine_for = engine_for
        self._engines: dict[tuple[str, str], SentenceEngine] = {}
        self.batch_size = batch_size
        self.max_batch_tokens = max_batch_tokens
        self.max_sentence_tokens = max_sentence_tokens
        if glossary is not None and not isinstance(glossary, Glossary):
            glossary = Glossary(glossary)
        self.glossary = glossary or Glossary()

    def engine(self, src: str = "uk", tgt: str = "en") -> SentenceEngine:
        """The engine of a direction, loaded on first use."""
        _check_direction(src, tgt)
        if (src, tgt) not in self._engines:
            self._engines[(src, tgt)] = self._engine_for(src, tgt)
        return self._engines[(src, tgt)]

    def settings(self, src: str = "uk", tgt: str = "en") -> dict[str, object]:
        """The settings that change the output of this direction (for signatures)."""
        settings = dict(self.engine(src, tgt).settings())
        settings.update(
            direction=f"{src}-{tgt}",
            batch=self.batch_size,
            max_tokens=self.max_sentence_tokens,
            glossary=len(self.glossary.names),
        )
        return settings

    def translate(self, texts: Sequence[str], src: str = "uk", tgt: str = "en") -> list[str]:
        return list(self.translate_with_report(texts, src, tgt).texts)

    def translate_iter(
        self, texts: Iterable[str], src: str = "uk", tgt: str = "en", chunk_size: int = 64
    ) -> Iterator[str]:
        iterator = iter(texts)
        while chunk := list(islice(iterator, chunk_size)):
            yield from self.translate(chunk, src, tgt)

    def translate_with_report(
        self,
        texts: Sequence[str],
        src: str = "uk",
        tgt: str = "en",
        progress: ProgressCallback | None = None,
    ) -> TranslationResult:
        """Translations (same count and order as ``texts``) and the issues found on the way."""
        _check_direction(src, tgt)
        texts = [str(t) for t in texts]
        outputs = [""] * len(texts)
        issues: list[TranslationIssue] = []
        todo: list[int] = []
        for index, text in enumerate(texts):
            if not text.strip():
                continue
            if already_in(text, tgt):
                outputs[index] = text
                issues.append(
                    TranslationIssue("already_target", index, f"already in {tgt}; kept unchanged")
                )
            else:
                todo.append(index)
        engine = self.engine(src, tgt)
        if todo:
            limit = min(self.max_sentence_tokens, engine.max_input_tokens)
            plan = plan_segments([texts[i] for i in todo], engine.count_tokens, limit)
            for local in plan.split_paragraphs:
                issues.append(
                    TranslationIssue(
                        "split",
                        todo[local],
                        f"a sentence over {limit} tokens was cut at clause or word boundaries",
                    )
                )
            translated = self._translate_segments(
                [s.text for s in plan.segments], [s.tokens for s in plan.segments], engine, progress
            )
            for local, text in enumerate(reassemble(plan, translated)):
                outputs[todo[local]] = text
        for index in todo:
            outputs[index], found = self._post_edit(texts[index], outputs[index], src, tgt, index)
            issues.extend(found)
        settings = self.settings(src, tgt)
        issues.sort(key=lambda i: i.paragraph)
        return TranslationResult(tuple(outputs), TranslationReport(tuple(issues), settings))

    def _translate_segments(
        self,
        segments: Sequence[str],
        lengths: Sequence[int],
        engine: SentenceEngine,
        progress: ProgressCallback | None,
    ) -> list[str]:
        results: list[str] = [""] * len(segments)
        done = 0
        for batch in batches_by_length(lengths, self.batch_size, self.max_batch_tokens):
            translations = engine.translate_batch([segments[i] for i in batch])
            for index, text in zip(batch, translations, strict=True):
                results[index] = text
            done += len(batch)
            if progress is not None:
                progress(done, len(segments))
        return results

    def _post_edit(
        self, source: str, output: str, src: str, tgt: str, index: int
    ) -> tuple[str, list[TranslationIssue]]:
        issues: list[TranslationIssue] = []
        if self.glossary:
            output, messages = self.glossary.enforce(source, output, src, tgt)
            issues.extend(TranslationIssue("glossary", index, m) for m in messages)
        if not output.strip():
            issues.append(TranslationIssue("empty", index, "the model returned nothing"))
            return output, issues
        if is_repetitive(output) and not is_repetitive(source):
            issues.append(
                TranslationIssue("repetition", index, f"repeated text: {output[:60]!r}...")
            )
        if tgt == "uk" and (letters := russian_letters(output)):
            issues.append(
                TranslationIssue(
                    "russian",
                    index,
                    f"Russian-only letters {' '.join(letters)} in the Ukrainian "
                    "output: the model may have answered in Russian",
                )
            )
        if lost := missing_numbers(source, output, src, tgt):
            issues.append(
                TranslationIssue(
                    "numbers",
                    index,
                    f"numbers of the source missing from the output: {', '.join(lost)}",
                )
            )
        return output, issues


def load_translator(
    model: str | Path | None = None,
    *,
    engine: str = "transformers",
    src: str = "uk",
    tgt: str = "en",
    device: str = "cpu",
    beam_size: int = 4,
    batch_size: int = 8,
    max_batch_tokens: int | None = None,
    threads: int | None = None,
    quantization: str = "int8",
    compute_type: str = "default",
    max_sentence_tokens: int = 256,
    glossary: Glossary | Mapping[str, str] | None = None,
    min_output_tokens: int = 0,
    max_output_tokens: int | None = None,
) -> ParagraphTranslator:
    """Load a translator, offline, from a registry name or a local model folder.

    ``model``: ``opus-mt`` (default), ``nllb-600m``, ... or a path. ``engine``:
    ``transformers`` or ``ct2`` (a copy made by ``mistok models convert``; ``quantization``
    picks which copy of a registry model, ``compute_type`` how CTranslate2 runs it). The
    ``src`` → ``tgt`` model is loaded now, so a missing model fails here with
    :class:`~aligner.errors.ModelUnavailableError`; a registry model's other direction is
    loaded on first use. A local Marian folder serves one direction (the one it declares, else
    the one it was loaded for); a local NLLB / M2M100 folder serves both.
    ``min_output_tokens`` / ``max_output_tokens`` fix the output length (benchmarks).
    Everything else: see :class:`ParagraphTranslator`.
    """
    from models.registry import REGISTRY
    from models.resolve import resolve_model

    _check_direction(src, tgt)
    if engine not in ("transformers", "ct2"):
        raise ConfigError(f"unknown engine {engine!r}: use transformers or ct2")
    local = model is not None and str(model) not in REGISTRY
    decoding = Decoding(device, beam_size, threads, min_output_tokens, max_output_tokens)

    def engine_for(s: str, t: str) -> SentenceEngine:
        resolved = resolve_model(model, src=s, tgt=t, engine=engine, quantization=quantization)
        if local and resolved.family == "marian" and (s, t) != (src, tgt):
            raise ConfigError(
                f"model {model} was loaded for {src}→{tgt}; load a model for {s}→{t} separately"
            )
        if engine == "ct2":
            from models.ct2_engine import CT2Engine

            return CT2Engine(resolved, src=s, tgt=t, decoding=decoding, compute_type=compute_type)
        from models.transformers_engine import TransformersEngine

        return TransformersEngine(resolved, src=s, tgt=t, decoding=decoding)

    translator = ParagraphTranslator(
        engine_for,
        batch_size=batch_size,
        max_batch_tokens=max_batch_tokens,
        max_sentence_tokens=max_sentence_tokens,
        glossary=glossary,
    )
    translator.engine(src, tgt)  # load now: fail early, before any work is done
    return translator

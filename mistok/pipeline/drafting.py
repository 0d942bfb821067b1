"""The model step of the translation stage of ``mistok run``: drafts of a chunk of requests,
made wherever a scheduler runs it (the driver's process, or a Ray actor that loads the model
once). The driver's side of the stage (cache, chunks, what is left untranslated) is
:mod:`mistok.pipeline.translation`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from aligner.errors import MistokError
from mistok.run_records import Draft, TranslationRequest

#: What a scheduler gives back for one chunk of translation requests: its drafts, or why the
#: model could not draft it (one line).
ChunkResult = list[Draft] | str


class TranslatorSource(Protocol):
    """Makes the translator where the model stage runs (a Ray actor loads its own copy)."""

    def __call__(self) -> object: ...


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


def translate_requests(
    requests: Sequence[TranslationRequest],
    translate: Callable[[list[str], str, str], object],
    model: str,
) -> list[Draft]:
    """Draft every request with ``translate(texts, src, tgt)``, batching by direction.

    ``translate`` returns the translations, or a result with ``texts`` and ``report.issues``
    (as :meth:`models.Translator.translate_with_report` does); each issue's ``paragraph``
    indexes the texts it was given, and the issue goes to the draft of the request that holds
    that paragraph.
    """
    drafts: list[Draft | None] = [None] * len(requests)
    for src, tgt in sorted({(r.src, r.tgt) for r in requests}):
        chosen = [i for i, r in enumerate(requests) if (r.src, r.tgt) == (src, tgt)]
        owners = [(i, local) for i in chosen for local in range(len(requests[i].texts))]
        result = translate([requests[i].texts[local] for i, local in owners], src, tgt)
        out = list(getattr(result, "texts", result))  # type: ignore[call-overload]
        if len(out) != len(owners):
            raise ValueError(f"translator returned {len(out)} texts for {len(owners)}")
        issues: dict[int, list[str]] = {}
        for issue in getattr(getattr(result, "report", None), "issues", ()):
            i, local = owners[issue.paragraph]
            where = requests[i].indices[local]
            issues.setdefault(i, []).append(f"¶ {where}: {issue.kind}: {issue.message}")
        start = 0
        for i in chosen:
            n = len(requests[i].texts)
            text = tuple(out[start : start + n])
            drafts[i] = Draft(requests[i], text, model, tuple(issues.get(i, ())))
            start += n
    return [d for d in drafts if d is not None]


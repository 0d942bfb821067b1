"""The translation stage of ``mistok run``, the driver's side: which one-sided paragraphs and
unpaired articles need a draft, which drafts the cache has, the rest handed to the scheduler
chunk by chunk (the model's side is :mod:`mistok.pipeline.drafting`) and cached as they come
back, and what is left untranslated and why."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, replace

from aligner.errors import MistokError, ModelUnavailableError
from mistok.mapped_sequence import MappedSequence
from mistok.output_dir import ResultCache, content_key
from mistok.pipeline.drafting import GivenTranslator
from mistok.pipeline.scheduling import StageScheduler
from mistok.pipeline.state import Track, no_progress
from mistok.run_records import Draft, RunSettings, TranslationRequest

#: Translation requests (one-sided paragraphs of a pair, or an article) per model call; the
#: drafts are cached (and committed to the cache's database) after each call.
TRANSLATE_BATCH = 32

MODEL_HINT = "get a model with `mistok models pull opus-mt`, or pass --model PATH"


@dataclass(frozen=True)
class TranslationResult:
    """Drafts (cached or new, in request order), the requests left without one, why, and how
    many drafts came from the cache."""

    drafts: list[Draft]
    #: in request order; each read from ``requests`` when asked for
    pending: Sequence[TranslationRequest]
    message: str | None
    hits: int


def translate_stage(
    requests: Sequence[TranslationRequest],
    settings: RunSettings,
    translator: object | None,
    cache: ResultCache,
    scheduler: StageScheduler,
    track: Track = no_progress,
) -> TranslationResult:
    """Drafts from the cache or the model; the requests left without one; why; cache hits."""
    if not requests:
        return TranslationResult([], [], None, 0)
    model_id = _model_id(settings, translator)
    keys = _draft_keys(requests, settings, model_id)
    drafts = _cached_drafts(requests, keys, cache)
    hits = len(drafts)
    chunks = _chunks(requests, [i for i in range(len(requests)) if i not in drafts])
    problems: list[str] = []
    if chunks:
        results = scheduler.translate(
            MappedSequence(chunks, lambda chunk: [requests[i] for i in chunk]),
            _translator_source(settings, translator),
            model_id,
        )
        for index, result in track(results, "translate", len(chunks)):
            if isinstance(result, str):
                problems = list(dict.fromkeys([*problems, result]))
                continue
            for i, draft in zip(chunks[index], result, strict=True):
                value = {"texts": list(draft.texts), "model": draft.model}
                cache.put("translate", keys[i], {**value, "issues": list(draft.issues)})
                drafts[i] = draft
            cache.commit()  # a model's drafts are dear: each chunk's are kept at once
        problems.sort()  # in the order of the directions, whichever chunk failed first
    missing = array("q", (i for i in range(len(requests)) if i not in drafts))
    pending = MappedSequence(missing, requests.__getitem__)
    message = _pending_message(pending, problems) if pending else None
    return TranslationResult([drafts[i] for i in sorted(drafts)], pending, message, hits)


def _translator_source(settings: RunSettings, translator: object | None) -> object:
    """What makes the translator where the model step runs: the one given, or the run's model."""
    if translator is not None:
        return GivenTranslator(translator)
    return TranslatorFromSettings(settings)


def _model_id(settings: RunSettings, translator: object | None) -> str:
    """What names the model in the cache keys and the drafts."""
    if translator is not None:
        return str(getattr(translator, "name", type(translator).__name__))
    return f"{settings.model or 'opus-mt'}|engine:{settings.mt_engine}"


def _draft_keys(
    requests: Sequence[TranslationRequest], settings: RunSettings, model_id: str
) -> list[str]:
    """Each request's cache key: the model, its weights, the direction and the texts."""
    weights = {
        (src, tgt): _weights_fingerprint(settings, src, tgt)
        for src, tgt in {(r.src, r.tgt) for r in requests}
    }
    return [
        content_key("translate", model_id, weights[r.src, r.tgt], r.src, r.tgt, r.texts)
        for r in requests
    ]


def _cached_drafts(
    requests: Sequence[TranslationRequest], keys: Sequence[str], cache: ResultCache
) -> dict[int, Draft]:
    """The drafts the cache has, by request number."""
    drafts: dict[int, Draft] = {}
    for i, key in enumerate(keys):
        cached = cache.get("translate", key)
        if cached is not None:
            drafts[i] = Draft(
                requests[i],
                tuple(cached["texts"]),  # type: ignore[index]
                str(cached["model"]),  # type: ignore[index]
                tuple(cached.get("issues", ())),  # type: ignore[union-attr]
            )
    return drafts


def _chunks(requests: Sequence[TranslationRequest], missing: Sequence[int]) -> list[list[int]]:
    """The missing requests in chunks of one direction each, cached chunk by chunk: an
    interrupted run keeps the drafts made so far."""
    chunks: list[list[int]] = []
    for src, tgt in sorted({(requests[i].src, requests[i].tgt) for i in missing}):
        chosen = [i for i in missing if (requests[i].src, requests[i].tgt) == (src, tgt)]
        chunks += [chosen[k : k + TRANSLATE_BATCH] for k in range(0, len(chosen), TRANSLATE_BATCH)]
    return chunks


def _pending_message(pending: Sequence[TranslationRequest], problems: list[str]) -> str:
    """What still needs translation, and why (with a hint where no model was found)."""
    articles = sum(1 for r in pending if r.kind == "article")
    paragraphs = sum(len(r.indices) for r in pending if r.kind == "paragraphs")
    parts = [_count(articles, "article"), _count(paragraphs, "paragraph")]
    what = " and ".join(part for part in parts if part)
    verb = "needs" if articles + paragraphs == 1 else "need"
    if not any("mistok models pull" in problem for problem in problems):
        problems = [*problems, MODEL_HINT]
    return f"{what} {verb} translation; {'; '.join(problems)}"


def _weights_fingerprint(settings: RunSettings, src: str, tgt: str) -> str:
    """What identifies the weights a draft of ``src`` → ``tgt`` comes from, so that a cached
    draft is reused only for the same weights: the hub snapshot of a registry model, or the
    names, sizes and modification times of a local folder's files ("none" when no model is
    found; a model that appears later then simply misses the cache)."""
    try:
        from models import resolve_model

        resolved = resolve_model(settings.model, src=src, tgt=tgt, engine=settings.mt_engine)
    except (ImportError, MistokError):
        return "none"
    if resolved.revision != "local":
        return resolved.revision
    files = sorted(p for p in resolved.path.rglob("*") if p.is_file())
    stats = [
        (str(p.relative_to(resolved.path)), p.stat().st_size, p.stat().st_mtime_ns) for p in files
    ]
    return content_key("weights", stats)


def _count(n: int, noun: str) -> str:
    """``"1 article"``, ``"3 articles"``, and ``""`` for none."""
    return "" if n == 0 else f"{n} {noun}" if n == 1 else f"{n} {noun}s"


#: Sentences per model call by device, in both engines. On a CPU, 32 translates 1.6× faster
#: than 8 (CTranslate2 int8: 1,386 against 829 tokens/s; transformers 324 against 213:
#: bench/bench_translate.py --batch N, BENCHMARKS.md); a GPU needs larger batches to be busy
#: (64 is a guess: no GPU was at hand to measure).
MODEL_BATCH = {"cpu": 32, "cuda": 64}


def _import_translation_layer():
    try:
        import models
    except ImportError as err:
        raise ModelUnavailableError(
            f"the translation layer cannot be imported ({err}); "
            "install it with: pip install 'mistok[translate]'"
        ) from err
    return models


def _load_translator(settings: RunSettings, device: str = "cpu") -> object:
    models = _import_translation_layer()
    try:
        return models.load_translator(
            settings.model,
            engine=settings.mt_engine,
            device=device,
            batch_size=MODEL_BATCH.get(device.split(":")[0], MODEL_BATCH["cpu"]),
        )
    except ModelUnavailableError:
        raise
    except MistokError as err:
        raise ModelUnavailableError(str(err)) from err


@dataclass(frozen=True)
class TranslatorFromSettings:
    """Loads the run's model (``--model``, ``--mt-engine``) where the model stage runs: in this
    process, or once in each Ray actor (on ``device``). Picklable."""

    settings: RunSettings
    device: str = "cpu"

    def __call__(self) -> object:
        return _load_translator(self.settings, device=self.device)

    def on_device(self, device: str) -> TranslatorFromSettings:
        """The same model, loaded on ``device`` (``cuda`` in a GPU actor)."""
        return replace(self, device=device)

    def check(self) -> None:
        """Raise :class:`ModelUnavailableError` when the model is not on this machine, without
        loading it (a cluster's driver asks before it starts actors that would each fail)."""
        models = _import_translation_layer()
        try:
            models.resolve_model(
                self.settings.model, src="uk", tgt="en", engine=self.settings.mt_engine
            )
        except ModelUnavailableError:
            raise
        except MistokError as err:
            raise ModelUnavailableError(str(err)) from err

"""The CTranslate2 engine: a converted model, tokenised with sentencepiece directly.

Needs neither torch nor transformers at run time: ``ctranslate2.Translator`` on the folder
that ``mistok models convert`` wrote (int8 weights by default), and the model's own
sentencepiece files (``source.spm`` / ``target.spm`` for Marian, ``sentencepiece.bpe.model``
for NLLB and M2M100) copied next to it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from aligner.errors import ModelUnavailableError
from models.engine import Decoding, EngineBase, pick_device
from models.resolve import ResolvedModel, read_model_info

__all__ = ["CT2Engine"]

_EOS = "</s>"


def _spm(path: Path):  # -> sentencepiece.SentencePieceProcessor
    import sentencepiece as spm

    if not path.is_file():
        raise ModelUnavailableError(
            f"{path}: missing; convert the model again with `mistok models convert NAME --to ct2`"
        )
    try:
        return spm.SentencePieceProcessor(model_file=str(path))
    except Exception as err:
        raise ModelUnavailableError(f"{path}: not a sentencepiece model ({err})") from err


def cpu_threads(threads: int | None) -> tuple[int, int]:
    """CTranslate2's ``(inter_threads, intra_threads)`` on a CPU for ``threads`` (``None``: the
    cores this process may run on, ``taskset`` respected).

    mistok hands the model one batch at a time (``translate_batch`` with ``max_batch_size=0``:
    one job), so a second replica (``inter_threads`` 2) would only double the model's memory
    and never run; every core goes to the one batch instead (``intra_threads``). The library's
    own default (``intra_threads=0``) is 4 threads whatever the machine: on 2 cores that
    oversubscribes them. bench/bench_translate.py ``--threads 1 2`` measures both counts."""
    if threads is None or threads < 1:
        try:
            threads = len(os.sched_getaffinity(0))
        except AttributeError:  # not Linux
            threads = os.cpu_count() or 1
    return 1, max(1, threads)


class CT2Engine(EngineBase):
    """One direction of a CTranslate2 model."""

    engine_name = "ct2"

    def __init__(
        self,
        model: ResolvedModel,
        *,
        src: str,
        tgt: str,
        decoding: Decoding,
        compute_type: str = "default",
    ) -> None:
        import ctranslate2

        super().__init__(model, src=src, tgt=tgt, decoding=decoding)
        cuda_devices = ctranslate2.get_cuda_device_count()
        self.device = pick_device(decoding.device, cuda_devices, "CTranslate2")
        kind, _, index = self.device.partition(":")
        folder = model.path
        if model.family == "marian":
            self._source_spm = _spm(folder / "source.spm")
            self._target_spm = _spm(folder / "target.spm")
        else:
            self._source_spm = self._target_spm = _spm(folder / "sentencepiece.bpe.model")
        info = read_model_info(folder)
        self.max_input_tokens = int(info.get("max_input_tokens", 512))
        quantization = str(info.get("quantization", "?"))
        inter_threads, intra_threads = (
            cpu_threads(decoding.threads) if kind == "cpu" else (1, decoding.threads or 0)
        )
        try:
            self.translator = ctranslate2.Translator(
                str(folder),
                device=kind,
                device_index=int(index or 0),
                compute_type=compute_type,
                inter_threads=inter_threads,
                intra_threads=intra_threads,
            )
        except Exception as err:
            raise ModelUnavailableError(
                f"{folder}: cannot load the CTranslate2 model ({err}); convert it again with "
                "`mistok models convert NAME --to ct2`"
            ) from err
        self.precision = compute_type if compute_type != "default" else quantization
        self._source_prefix: list[str] = []
        self._target_prefix: list[str] | None = None
        if model.family == "nllb":
            self._source_prefix = [model.lang_code(src)]
            self._target_prefix = [model.lang_code(tgt)]
        elif model.family == "m2m100":
            self._source_prefix = [f"__{model.lang_code(src)}__"]
            self._target_prefix = [f"__{model.lang_code(tgt)}__"]

    def _tokens(self, text: str) -> list[str]:
        return [*self._source_prefix, *self._source_spm.encode(text, out_type=str), _EOS]

    def count_tokens(self, text: str) -> int:
        return len(self._tokens(text))

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        if not sentences:
            return []
        tokens = [self._tokens(s) for s in sentences]
        longest = max(len(t) for t in tokens)
        self._check_fits(longest)
        prefix = [list(self._target_prefix)] * len(tokens) if self._target_prefix else None
        results = self.translator.translate_batch(
            tokens,
            prefix,
            beam_size=self.decoding.beam_size,
            max_batch_size=0,
            max_input_length=0,
            max_decoding_length=self._budget(longest),
            min_decoding_length=max(1, self.decoding.min_output_tokens),
        )
        outputs = []
        for result, source in zip(results, tokens, strict=True):
            pieces = result.hypotheses[0]
            if self._target_prefix and pieces[: len(self._target_prefix)] == self._target_prefix:
                pieces = pieces[len(self._target_prefix) :]
            # The budget this sentence would get alone: batching must not change the output.
            pieces = pieces[: self._budget(len(source))]
            outputs.append(self._target_spm.decode_pieces(pieces).strip())
        return outputs

"""The transformers engine: ``AutoTokenizer`` + ``AutoModelForSeq2SeqLM`` under torch.

Runs MarianMT (opus-mt), NLLB-200 and M2M100 models from a folder that
:func:`models.resolve.resolve_model` found; loading never reaches for the network
(``local_files_only=True``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from aligner.errors import ModelUnavailableError
from models.engine import Decoding, EngineBase, pick_device
from models.resolve import ResolvedModel, error_summary

__all__ = ["TransformersEngine"]


@contextmanager
def _no_progress_bars() -> Iterator[None]:
    """Silence transformers' "Loading weights" bar (a local load takes a moment; the CLI
    keeps stderr for warnings and errors), restoring the setting afterwards."""
    from transformers.utils import logging

    was_enabled = logging.is_progress_bar_enabled()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            logging.enable_progress_bar()


class TransformersEngine(EngineBase):
    """One direction of a seq2seq model through transformers' ``generate``."""

    engine_name = "transformers"

    def __init__(
        self,
        model: ResolvedModel,
        *,
        src: str,
        tgt: str,
        decoding: Decoding,
    ) -> None:
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        super().__init__(model, src=src, tgt=tgt, decoding=decoding)
        self.device = pick_device(decoding.device, torch.cuda.device_count(), "torch")
        if decoding.threads:
            torch.set_num_threads(decoding.threads)
        tokenizer_kwargs: dict[str, object] = {}
        if model.family in ("nllb", "m2m100"):
            tokenizer_kwargs.update(src_lang=model.lang_code(src), tgt_lang=model.lang_code(tgt))
        try:
            with warnings.catch_warnings(), _no_progress_bars():
                warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
                self.tokenizer = AutoTokenizer.from_pretrained(
                    str(model.path), local_files_only=True, **tokenizer_kwargs
                )
                self.model = AutoModelForSeq2SeqLM.from_pretrained(
                    str(model.path), local_files_only=True
                )
        except Exception as err:  # corrupt or partial files: say which folder, never a trace
            raise ModelUnavailableError(
                f"{model.path}: cannot load model {model.name!r} with transformers "
                f"({error_summary(err)}); "
                "download it again with `mistok models pull` or check the folder"
            ) from err
        self.model.to(self.device)
        self.model.eval()
        self.precision = str(next(self.model.parameters()).dtype).replace("torch.", "")
        positions = getattr(self.model.config, "max_position_embeddings", 512) or 512
        self.max_input_tokens = min(int(self.tokenizer.model_max_length or positions), positions)
        self._forced_bos: int | None = None
        if model.family in ("nllb", "m2m100"):
            code = model.lang_code(tgt)
            if model.family == "m2m100":
                self._forced_bos = self.tokenizer.get_lang_id(code)
            else:
                self._forced_bos = self.tokenizer.convert_tokens_to_ids(code)

    def count_tokens(self, text: str) -> int:
        # verbose=False: measuring an overlong paragraph before splitting it is the point,
        # not the "longer than the maximum sequence length" that transformers would log.
        return len(self.tokenizer(text, truncation=False, verbose=False)["input_ids"])

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        import torch

        if not sentences:
            return []
        batch = self.tokenizer(list(sentences), return_tensors="pt", padding=True, truncation=False)
        length = int(batch["input_ids"].shape[1])
        self._check_fits(length)
        batch = {k: v.to(self.device) for k, v in batch.items()}
        # No forced end token at the length limit: a cut-off output stays visibly cut off,
        # and each sentence's output can be cut to its own budget below.
        kwargs: dict[str, object] = {
            "num_beams": self.decoding.beam_size,
            "max_new_tokens": self._budget(length),
            "do_sample": False,
            "forced_eos_token_id": None,
        }
        if self.decoding.min_output_tokens:
            kwargs["min_new_tokens"] = self.decoding.min_output_tokens
        if self._forced_bos is not None:
            kwargs["forced_bos_token_id"] = self._forced_bos
        with torch.inference_mode():
            generated = self.model.generate(**batch, **kwargs)
        # Each sentence gets the output budget it would get alone, so that a batch translates
        # exactly like its sentences one by one (greedy decoding is causal).
        own_lengths = batch["attention_mask"].sum(dim=1).tolist()
        rows = [
            row[: 1 + self._budget(int(n))]
            for row, n in zip(generated.tolist(), own_lengths, strict=True)
        ]
        decode_kwargs: dict[str, object] = {"skip_special_tokens": True}
        if self.model_info.family == "marian":
            # Decode with the target sentencepiece model (transformers 5 defaults to the source
            # one when the vocabulary is shared).
            decode_kwargs["use_source_tokenizer"] = False
        return [t.strip() for t in self.tokenizer.batch_decode(rows, **decode_kwargs)]

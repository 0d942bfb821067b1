"""Randomly initialised MarianMT models built on the spot, for the tests (and bench_translate).

No model hub is needed: two sentencepiece models are trained on text the caller supplies, a
shared vocabulary is written the way opus-mt ships it (``</s>`` = 0, ``<unk>`` = 1, ...,
``<pad>`` last, ``len(tokenizer) == vocab_size``, pad = decoder start), and a
``MarianMTModel`` with explicit sizes gets random weights. The folder it writes loads with
``AutoTokenizer`` / ``AutoModelForSeq2SeqLM`` exactly like a downloaded opus-mt model, so tests
exercise the same loading path as a user's model. Random weights translate into meaningless
words: use these models to test structure and measure speed, never quality.
"""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MarianShape", "TINY_SHAPE", "OPUS_MT_SHAPE", "build_marian_model"]


@dataclass(frozen=True)
class MarianShape:
    """The architecture of a Marian model (what decides speed and memory, not quality)."""

    d_model: int
    encoder_layers: int
    decoder_layers: int
    attention_heads: int
    ffn_dim: int
    vocab_size: int | None = None  # None: exactly the trained pieces plus <pad>
    max_position_embeddings: int = 512
    activation_function: str = "swish"


#: Small enough to build and run in a second; used by the test suite.
TINY_SHAPE = MarianShape(
    d_model=32, encoder_layers=2, decoder_layers=2, attention_heads=2, ffn_dim=64
)
#: The shape of Helsinki-NLP/opus-mt-uk-en (transformer-align, shared embeddings).
OPUS_MT_SHAPE = MarianShape(
    d_model=512,
    encoder_layers=6,
    decoder_layers=6,
    attention_heads=8,
    ffn_dim=2048,
    vocab_size=61_600,
)

_SPECIAL = ("</s>", "<unk>")


def _train_sentencepiece(lines: Iterable[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(lines)),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        # Same id layout as opus-mt's spm files: <unk> 0, <s> 1, </s> 2, no pad.
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        minloglevel=2,
    )
    return model.getvalue()


def _pieces(spm_bytes: bytes) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=spm_bytes)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def build_marian_model(
    out_dir: str | Path,
    source_lines: Iterable[str],
    target_lines: Iterable[str],
    *,
    shape: MarianShape = TINY_SHAPE,
    spm_vocab_size: int = 400,
    seed: int = 0,
    init_std: float = 0.02,
) -> Path:
    """Write a random-weight MarianMT model with its tokenizer files into ``out_dir``.

    ``spm_vocab_size`` is the size asked of each sentencepiece model (a soft limit: a small
    corpus yields fewer pieces). When ``shape.vocab_size`` is larger than the pieces found, the
    vocabulary is padded with placeholder tokens ``<fill_N>`` (never produced by the
    tokenizers) so that the embedding and output layers have the requested size; ``<pad>``
    stays last. ``init_std`` is the spread of the random weights: transformers' 0.02 makes a
    tiny model answer the same thing whatever the input, about 1.0 makes its (meaningless)
    output depend on the input. Returns ``out_dir``.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    source_spm = _train_sentencepiece(source_lines, spm_vocab_size)
    target_spm = _train_sentencepiece(target_lines, spm_vocab_size)
    (out / "source.spm").write_bytes(source_spm)
    (out / "target.spm").write_bytes(target_spm)

    vocab: dict[str, int] = {}
    for piece in (*_SPECIAL, *_pieces(source_spm), *_pieces(target_spm)):
        if piece in ("<s>",) or piece in vocab:
            continue
        vocab[piece] = len(vocab)
    if shape.vocab_size is not None:
        if shape.vocab_size < len(vocab) + 1:
            raise ValueError(
                f"vocab_size {shape.vocab_size} is smaller than the {len(vocab) + 1} "
                "pieces the sentencepiece models need"
            )
        for i in range(shape.vocab_size - 1 - len(vocab)):
            vocab[f"<fill_{i}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    vocab_size = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "MarianTokenizer",
                "model_max_length": 512,
                "source_lang": "uk",
                "target_lang": "en",
                "separate_vocabs": False,
            }
        ),
        encoding="utf-8",
    )

    pad_id = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=vocab_size,
        decoder_vocab_size=vocab_size,
        d_model=shape.d_model,
        encoder_layers=shape.encoder_layers,
        decoder_layers=shape.decoder_layers,
        encoder_attention_heads=shape.attention_heads,
        decoder_attention_heads=shape.attention_heads,
        encoder_ffn_dim=shape.ffn_dim,
        decoder_ffn_dim=shape.ffn_dim,
        max_position_embeddings=shape.max_position_embeddings,
        activation_function=shape.activation_function,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        pad_token_id=pad_id,
        decoder_start_token_id=pad_id,
        eos_token_id=0,
        forced_eos_token_id=0,
        bos_token_id=0,
        num_beams=1,
        max_length=512,
        init_std=init_std,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.eval()
    model.save_pretrained(out)
    with warnings.catch_warnings():  # the tokenizer asks for sacremoses, unused here
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer = MarianTokenizer(
            source_spm=str(out / "source.spm"),
            target_spm=str(out / "target.spm"),
            vocab=str(out / "vocab.json"),
            source_lang="uk",
            target_lang="en",
        )
    if len(tokenizer) != config.vocab_size:  # pragma: no cover - a bug in this builder
        raise AssertionError(f"tokenizer has {len(tokenizer)} tokens, model {config.vocab_size}")
    return out

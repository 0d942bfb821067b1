"""Make CTranslate2 copies of transformers models, and list the models on this machine."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import ModelUnavailableError
from models.registry import REGISTRY
from models.resolve import (
    MODEL_INFO_FILE,
    ct2_dir,
    declared_direction,
    error_summary,
    hf_cache_dir,
    mistok_cache_dir,
    read_model_info,
    resolve_model,
)

__all__ = ["convert_to_ct2", "LocalModel", "list_local_models", "QUANTIZATIONS"]

QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int16", "float16", "bfloat16", "float32")
_TOKENIZER_FILES = ("source.spm", "target.spm", "sentencepiece.bpe.model")


def _convert_folder(
    source: Path,
    out: Path,
    *,
    family: str,
    hub_id: str | None,
    revision: str,
    quantization: str,
    force: bool,
) -> Path:
    from ctranslate2.converters import TransformersConverter

    if out.exists() and not force:
        if (out / "model.bin").is_file():
            return out
        raise ModelUnavailableError(
            f"{out}: exists and is not a CTranslate2 model; choose another -o or remove it"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    copy = [name for name in _TOKENIZER_FILES if (source / name).is_file()]
    temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
                TransformersConverter(str(source), copy_files=copy).convert(
                    str(temp), quantization=quantization, force=True
                )
        except Exception as err:
            raise ModelUnavailableError(
                f"{source}: conversion to CTranslate2 failed ({error_summary(err)})"
            ) from err
        config = json.loads((source / "config.json").read_text(encoding="utf-8"))
        direction = declared_direction(source)
        info = {
            "family": family,
            "hub_id": hub_id,
            "revision": revision,
            "quantization": quantization,
            "source": str(source),
            "max_input_tokens": int(config.get("max_position_embeddings") or 512),
        }
        if direction is not None:
            info["source_lang"], info["target_lang"] = direction
        (temp / MODEL_INFO_FILE).write_text(json.dumps(info, indent=2), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        os.replace(temp, out)
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)
    return out


def convert_to_ct2(
    model: str | Path,
    *,
    quantization: str = "int8",
    out: str | Path | None = None,
    force: bool = False,
) -> list[Path]:
    """Convert a registry model (every direction, from the local HF cache) or a local folder.

    A registry model's copies go to :func:`models.resolve.ct2_dir`, where ``--engine ct2``
    finds them; a local folder's copy goes to ``out`` (required then). The copy is written
    to a temporary folder beside the target and moved into place, so a failed conversion
    leaves nothing half-written. Returns the folders written (or already present).
    """
    if quantization not in QUANTIZATIONS:
        raise ModelUnavailableError(
            f"unknown quantization {quantization!r}: use one of {', '.join(QUANTIZATIONS)}"
        )
    name = str(model)
    if name in REGISTRY:
        spec = REGISTRY[name]
        written = []
        for (src, tgt), hub_id in spec.hub_ids.items():
            target = ct2_dir(hub_id, quantization)
            if target in written:
                continue
            resolved = resolve_model(name, src=src, tgt=tgt, engine="transformers")
            written.append(
                _convert_folder(
                    resolved.path,
                    target,
                    family=spec.family,
                    hub_id=hub_id,
                    revision=resolved.revision,
                    quantization=quantization,
                    force=force,
                )
            )
        return written
    if out is None:
        raise ModelUnavailableError(f"{model}: say where the CTranslate2 copy goes with -o OUT")
    resolved = resolve_model(model, engine="transformers")
    return [
        _convert_folder(
            resolved.path,
            Path(out),
            family=resolved.family,
            hub_id=None,
            revision="local",
            quantization=quantization,
            force=force,
        )
    ]


@dataclass(frozen=True)
class LocalModel:
    """A model found on this machine: its name, kind, where it is and its size on disk."""

    name: str
    kind: str  # "transformers" (HF cache) or "ct2" (mistok cache)
    path: Path
    size_bytes: int
    revision: str = "-"


def _folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def list_local_models() -> list[LocalModel]:
    """Registry models in the Hugging Face cache and CTranslate2 copies in the mistok cache."""
    known = {hub_id for spec in REGISTRY.values() for hub_id in spec.hub_ids.values()}
    found: list[LocalModel] = []
    cache = hf_cache_dir()
    if cache.is_dir():
        from huggingface_hub import scan_cache_dir

        for repo in sorted(scan_cache_dir(cache).repos, key=lambda r: r.repo_id):
            if repo.repo_type != "model" or repo.repo_id not in known:
                continue
            for revision in sorted(repo.revisions, key=lambda r: r.commit_hash):
                found.append(
                    LocalModel(
                        repo.repo_id,
                        "transformers",
                        revision.snapshot_path,
                        revision.size_on_disk,
                        revision.commit_hash[:12],
                    )
                )
    ct2_root = mistok_cache_dir() / "ct2"
    if ct2_root.is_dir():
        for folder in sorted(ct2_root.iterdir()):
            if not (folder / "model.bin").is_file():
                continue
            info = read_model_info(folder)
            name = folder.name
            if info:
                name = f"{info.get('hub_id') or folder.name} ({info.get('quantization', '?')})"
            revision = str(info.get("revision") or "-")[:12]
            found.append(LocalModel(name, "ct2", folder, _folder_size(folder), revision))
    return found

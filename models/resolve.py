"""Find a model on this machine, offline, or say exactly why not and how to fix it.

Loading a model never touches the network: a registry name resolves to a snapshot already in
the Hugging Face cache (``huggingface_hub.snapshot_download(..., local_files_only=True)``), a
path resolves to itself. Only ``mistok models pull`` downloads (:func:`pull`). So with
``HF_HUB_OFFLINE=1``, on a plane or behind a firewall, a missing model fails at once with a
:class:`~aligner.errors.ModelUnavailableError` naming the model, the cache folder searched and
the command that fetches it.

CTranslate2 copies made by ``mistok models convert`` live under the mistok cache
(``$MISTOK_CACHE``, else ``$XDG_CACHE_HOME/mistok``, else ``~/.cache/mistok``) in
``ct2/<hub id with / as -->--<quantization>``; each holds a ``mistok_model.json`` that records
the model family, hub id and the commit it was converted from.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from aligner.document import LANGUAGES
from aligner.errors import ModelUnavailableError
from models.registry import DEFAULT_MODEL, NLLB_CODES, REGISTRY, ModelSpec, lookup

__all__ = [
    "ResolvedModel",
    "hf_cache_dir",
    "mistok_cache_dir",
    "ct2_dir",
    "is_offline",
    "error_summary",
    "resolve_model",
    "declared_direction",
    "read_model_info",
    "pull",
    "MODEL_INFO_FILE",
]

MODEL_INFO_FILE = "mistok_model.json"


@dataclass(frozen=True)
class ResolvedModel:
    """A model folder on disk and what it is.

    ``name`` is the registry name or the path as given; ``revision`` the snapshot commit for
    hub models (``"local"`` for a folder the user pointed at); ``family`` one of ``marian``,
    ``nllb``, ``m2m100``; ``kind`` is ``"transformers"`` or ``"ct2"``.
    """

    name: str
    path: Path
    family: str
    kind: str
    hub_id: str | None = None
    revision: str = "local"
    lang_codes: tuple[tuple[str, str], ...] = ()

    def lang_code(self, lang: str) -> str:
        return dict(self.lang_codes).get(lang, lang)


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment now (not at import time).

    Same precedence as huggingface_hub: ``HF_HUB_CACHE``, ``HUGGINGFACE_HUB_CACHE``,
    ``HF_HOME/hub``, ``XDG_CACHE_HOME/huggingface/hub``, ``~/.cache/huggingface/hub``.
    """
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(var):
            return Path(os.path.expandvars(os.environ[var])).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.path.expandvars(os.environ["HF_HOME"])).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(xdg) / "huggingface" / "hub"


def mistok_cache_dir() -> Path:
    """Where mistok keeps its own files (converted CTranslate2 models)."""
    if os.environ.get("MISTOK_CACHE"):
        return Path(os.environ["MISTOK_CACHE"]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(xdg) / "mistok"


def ct2_dir(hub_id: str, quantization: str = "int8") -> Path:
    """The folder ``mistok models convert`` writes a hub model's CTranslate2 copy to."""
    return mistok_cache_dir() / "ct2" / f"{hub_id.replace('/', '--')}--{quantization}"


def is_offline() -> bool:
    """True when ``HF_HUB_OFFLINE`` or ``TRANSFORMERS_OFFLINE`` is set to a true value."""
    values = (os.environ.get("HF_HUB_OFFLINE", ""), os.environ.get("TRANSFORMERS_OFFLINE", ""))
    return any(v.strip().upper() in {"1", "ON", "YES", "TRUE"} for v in values)


def error_summary(err: BaseException) -> str:
    """``Type: first line of the message``: a library's error in one line of ours."""
    lines = str(err).strip().splitlines()
    return f"{type(err).__name__}: {lines[0]}" if lines else type(err).__name__


def _pull_hint(name: str) -> str:
    return (
        f"fetch it where a network is available with `mistok models pull {name}` "
        "(or copy the Hugging Face cache folder here), or point at a local copy with "
        "--model PATH"
    )


def _family_of_folder(path: Path) -> tuple[str, str]:
    """(family, kind) of a model folder, or a ModelUnavailableError saying what is wrong."""
    info_file = path / MODEL_INFO_FILE
    if (path / "model.bin").is_file():
        if info_file.is_file():
            try:
                info = json.loads(info_file.read_text(encoding="utf-8"))
                return str(info["family"]), "ct2"
            except (OSError, ValueError, KeyError) as err:
                raise ModelUnavailableError(
                    f"{info_file}: unreadable ({err}); convert the "
                    "model again with `mistok models convert`"
                ) from err
        if (path / "source.spm").is_file():
            return "marian", "ct2"
        if (path / "sentencepiece.bpe.model").is_file():
            return "nllb", "ct2"
        raise ModelUnavailableError(
            f"{path}: a CTranslate2 model without its sentencepiece files (source.spm and "
            "target.spm, or sentencepiece.bpe.model); convert it with `mistok models convert`, "
            "which copies them"
        )
    config_file = path / "config.json"
    if not config_file.is_file():
        raise ModelUnavailableError(
            f"{path}: not a model folder (no config.json or model.bin); give --model a folder "
            "saved by transformers' save_pretrained or made by `mistok models convert`"
        )
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelUnavailableError(
            f"{config_file}: corrupt model config ({err}); download or save the model again"
        ) from err
    model_type = config.get("model_type") if isinstance(config, dict) else None
    if model_type == "marian":
        return "marian", "transformers"
    if model_type == "m2m_100":
        tokenizer_config = path / "tokenizer_config.json"
        text = tokenizer_config.read_text(encoding="utf-8") if tokenizer_config.is_file() else ""
        return ("nllb" if "Nllb" in text else "m2m100"), "transformers"
    raise ModelUnavailableError(
        f"{config_file}: model type {model_type!r} is not a translation model mistok can run "
        "(marian, nllb, m2m100)"
    )


def read_model_info(path: Path) -> dict[str, object]:
    """The ``mistok_model.json`` of a CTranslate2 copy ({} when absent or unreadable)."""
    try:
        info = json.loads((path / MODEL_INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def declared_direction(path: Path) -> tuple[str, str] | None:
    """The ``(source, target)`` languages a model folder says it translates, if it says.

    A Marian model serves one direction. transformers folders name it in
    ``tokenizer_config.json`` (``source_lang`` / ``target_lang``), CTranslate2 copies made by
    ``mistok models convert`` in ``mistok_model.json``. ``None`` when neither names two of
    mistok's languages (the multilingual NLLB / M2M100 models serve both directions).
    """
    for name in (MODEL_INFO_FILE, "tokenizer_config.json"):
        try:
            config = json.loads((path / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(config, dict):
            pair = (config.get("source_lang"), config.get("target_lang"))
            if pair[0] in LANGUAGES and pair[1] in LANGUAGES and pair[0] != pair[1]:
                return pair  # type: ignore[return-value]
    return None


def _cached_snapshot(spec: ModelSpec, hub_id: str) -> Path:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    cache = hf_cache_dir()
    try:
        return Path(
            snapshot_download(
                hub_id, revision=spec.revision, cache_dir=cache, local_files_only=True
            )
        )
    except LocalEntryNotFoundError:
        pass
    except Exception as err:  # incomplete snapshot, unreadable cache: say so, never hang
        raise ModelUnavailableError(
            f"model {spec.name!r} ({hub_id}@{spec.revision}) in {cache} is unusable "
            f"({error_summary(err)}); "
            f"{_pull_hint(spec.name)}"
        ) from err
    offline = " (offline mode: HF_HUB_OFFLINE is set)" if is_offline() else ""
    raise ModelUnavailableError(
        f"model {spec.name!r} ({hub_id}@{spec.revision}) is not in the local Hugging Face cache "
        f"{cache}{offline}; {_pull_hint(spec.name)}"
    )


def resolve_model(
    model: str | Path | None = None,
    *,
    src: str = "uk",
    tgt: str = "en",
    engine: str = "transformers",
    quantization: str = "int8",
) -> ResolvedModel:
    """Find ``model`` for the direction ``src`` → ``tgt`` and ``engine``, without the network.

    ``model`` is a registry name (``opus-mt``, ``nllb-600m``, ...; default ``opus-mt``) or a
    path to a model folder (transformers ``save_pretrained`` layout, or a CTranslate2 folder
    made by ``mistok models convert``). Raises :class:`ModelUnavailableError` with the fix.
    """
    if engine not in ("transformers", "ct2"):
        raise ModelUnavailableError(f"unknown engine {engine!r}: use transformers or ct2")
    model = DEFAULT_MODEL if model is None else model
    text = str(model)
    path = Path(text).expanduser()
    looks_like_path = isinstance(model, Path) or os.sep in text or text.startswith(".")
    if text not in REGISTRY and (looks_like_path or path.exists()):
        return _resolve_folder(path, text, src=src, tgt=tgt, engine=engine)

    spec = lookup(text)
    hub_id = spec.hub_id(src, tgt)
    if engine == "ct2":
        folder = ct2_dir(hub_id, quantization)
        if not (folder / "model.bin").is_file():
            raise ModelUnavailableError(
                f"model {spec.name!r} ({hub_id}) has no CTranslate2 {quantization} copy in "
                f"{folder}; make it with `mistok models convert {spec.name} --to ct2 "
                f"--quantization {quantization}` (after `mistok models pull {spec.name}`), "
                "or use --engine transformers"
            )
        revision = str(read_model_info(folder).get("revision") or "local")
    else:
        folder = _cached_snapshot(spec, hub_id)
        revision = folder.name
    return ResolvedModel(
        name=spec.name,
        path=folder,
        family=spec.family,
        kind=engine,
        hub_id=hub_id,
        revision=revision,
        lang_codes=tuple(spec.lang_codes.items()),
    )


def _resolve_folder(path: Path, name: str, *, src: str, tgt: str, engine: str) -> ResolvedModel:
    """A model folder the user pointed at, checked against the engine and the direction."""
    if not path.exists():
        raise ModelUnavailableError(f"{path}: no such model folder")
    if not path.is_dir():
        raise ModelUnavailableError(f"{path}: not a model folder (a file was given)")
    family, kind = _family_of_folder(path)
    if kind != engine:
        if engine == "ct2":
            raise ModelUnavailableError(
                f"{path}: a transformers model, and the ct2 engine needs a CTranslate2 copy: "
                f"run `mistok models convert {path} --to ct2 -o OUT` and pass --model OUT"
            )
        raise ModelUnavailableError(f"{path}: a CTranslate2 model; use it with --engine ct2")
    direction = declared_direction(path)
    if direction is not None and direction != (src, tgt):
        raise ModelUnavailableError(
            f"{path}: a model for {direction[0]}→{direction[1]}, and {src}→{tgt} was asked "
            f"for; pass a model for {src}→{tgt} with --model, or a registry name (opus-mt)"
        )
    info = read_model_info(path)
    return ResolvedModel(
        name=name,
        path=path,
        family=family,
        kind=kind,
        hub_id=info.get("hub_id"),  # type: ignore[arg-type]
        revision=str(info.get("revision") or "local"),
        lang_codes=tuple(NLLB_CODES.items()) if family == "nllb" else (),
    )


def pull(name: str, *, src: str | None = None, tgt: str | None = None) -> list[Path]:
    """Download every direction of the registered model ``name`` into the HF cache.

    With ``src``/``tgt`` only that direction. Fails with a one-line error when offline or
    when the hub cannot be reached (never hangs: the hub client's timeouts apply).
    """
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    spec = lookup(name)
    if is_offline():
        raise ModelUnavailableError(
            f"cannot pull {name!r}: HF_HUB_OFFLINE is set; unset it on a machine with a "
            f"network, or copy the Hugging Face cache folder {hf_cache_dir()} from one"
        )
    hub_ids = sorted(
        {
            hub
            for (s, t), hub in spec.hub_ids.items()
            if (src is None or s == src) and (tgt is None or t == tgt)
        }
    )
    if not hub_ids:
        spec.hub_id(src or "?", tgt or "?")  # raises the error listing the directions
    paths = []
    for hub_id in hub_ids:
        try:
            paths.append(
                Path(snapshot_download(hub_id, revision=spec.revision, cache_dir=hf_cache_dir()))
            )
        except LocalEntryNotFoundError as err:  # what the hub client raises when unreachable
            cause = err.__cause__ or err.__context__
            raise ModelUnavailableError(
                f"cannot pull {name!r} ({hub_id}@{spec.revision}): the Hugging Face hub cannot "
                f"be reached ({error_summary(cause or err)}); pull where a network exists and "
                f"copy {hf_cache_dir()} here, or use --model PATH"
            ) from err
        except Exception as err:
            raise ModelUnavailableError(
                f"cannot pull {name!r} ({hub_id}@{spec.revision}) into {hf_cache_dir()}: "
                f"{error_summary(err)}"
            ) from err
    return paths

"""Model names that mistok knows: a short name per model family, a hub id per direction.

``opus-mt`` is the default: one MarianMT model per direction (Helsinki-NLP/opus-mt-uk-en and
Helsinki-NLP/opus-mt-en-uk). NLLB-200 and M2M100 are single multilingual models that take the
language as a code (``ukr_Cyrl`` / ``eng_Latn`` for NLLB, ``uk`` / ``en`` for M2M100).

Revisions: ``revision`` is what is asked of the hub when pulling. The commit that was actually
resolved is read back from the local cache at load time and recorded in every output (see
:class:`models.resolve.ResolvedModel`), so a draft always names the exact weights it came from.
Put a commit hash here to pin a name to one snapshot for everyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from aligner.errors import ModelUnavailableError

__all__ = ["ModelSpec", "REGISTRY", "DEFAULT_MODEL", "NLLB_CODES", "lookup"]


@dataclass(frozen=True)
class ModelSpec:
    """A named translation model: where to find it for each direction, and how to prompt it.

    ``family`` is ``"marian"`` (one model per direction, no language codes), ``"nllb"`` or
    ``"m2m100"`` (one model, source and target given as codes from ``lang_codes``).
    """

    name: str
    family: str
    hub_ids: Mapping[tuple[str, str], str]
    revision: str = "main"
    lang_codes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    description: str = ""

    def hub_id(self, src: str, tgt: str) -> str:
        """The hub repository for the direction ``src`` → ``tgt``."""
        try:
            return self.hub_ids[(src, tgt)]
        except KeyError:
            directions = ", ".join(f"{s}→{t}" for s, t in self.hub_ids)
            raise ModelUnavailableError(
                f"model {self.name!r} has no {src}→{tgt} direction (it has: {directions})"
            ) from None

    def lang_code(self, lang: str) -> str:
        """The code the model expects for ``lang`` (the plain code for Marian models)."""
        return self.lang_codes.get(lang, lang)


#: NLLB-200's codes for the two languages (M2M100 takes the plain ``uk`` / ``en``).
NLLB_CODES: Mapping[str, str] = MappingProxyType({"uk": "ukr_Cyrl", "en": "eng_Latn"})


def _spec(
    name: str,
    family: str,
    hub_ids: dict[tuple[str, str], str],
    description: str,
    lang_codes: Mapping[str, str] | None = None,
) -> ModelSpec:
    return ModelSpec(
        name,
        family,
        MappingProxyType(hub_ids),
        lang_codes=MappingProxyType(dict(lang_codes or {})),
        description=description,
    )


def _multilingual(name: str, family: str, hub_id: str, description: str) -> ModelSpec:
    """A single model that serves both directions (NLLB-200, M2M100)."""
    codes = NLLB_CODES if family == "nllb" else None
    return _spec(name, family, {("uk", "en"): hub_id, ("en", "uk"): hub_id}, description, codes)


REGISTRY: Mapping[str, ModelSpec] = MappingProxyType(
    {
        s.name: s
        for s in (
            _spec(
                "opus-mt",
                "marian",
                {
                    ("uk", "en"): "Helsinki-NLP/opus-mt-uk-en",
                    ("en", "uk"): "Helsinki-NLP/opus-mt-en-uk",
                },
                "MarianMT opus-mt, one ~300 MB model per direction (default)",
            ),
            _multilingual(
                "nllb-600m",
                "nllb",
                "facebook/nllb-200-distilled-600M",
                "NLLB-200 distilled 600M, both directions in one ~2.5 GB model",
            ),
            _multilingual(
                "nllb-1.3b",
                "nllb",
                "facebook/nllb-200-distilled-1.3B",
                "NLLB-200 distilled 1.3B, both directions in one ~5.5 GB model",
            ),
            _multilingual(
                "m2m100-418m",
                "m2m100",
                "facebook/m2m100_418M",
                "M2M100 418M, both directions in one ~1.9 GB model",
            ),
        )
    }
)

DEFAULT_MODEL = "opus-mt"


def lookup(name: str) -> ModelSpec:
    """The registered model called ``name``; an error listing the known names otherwise."""
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(REGISTRY)
        raise ModelUnavailableError(
            f"unknown model {name!r}: use one of {known}, or --model PATH to a local model folder"
        ) from None

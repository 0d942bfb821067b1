"""Translation between Ukrainian and English behind one small interface.

``load_translator("opus-mt")`` gives a :class:`Translator` (MarianMT through transformers, or
``engine="ct2"`` for a CTranslate2 copy); ``translation_bridge(translator)`` gives the cached
callable that ``aligner`` takes. Nothing heavy is imported until a model is loaded.
"""

from models.bridge import translation_bridge
from models.glossary import Glossary
from models.registry import DEFAULT_MODEL, REGISTRY, ModelSpec
from models.report import TranslationIssue, TranslationReport, TranslationResult
from models.resolve import ResolvedModel, resolve_model
from models.translator import ParagraphTranslator, Translator, load_translator

__all__ = [
    "DEFAULT_MODEL",
    "Glossary",
    "ModelSpec",
    "ParagraphTranslator",
    "REGISTRY",
    "ResolvedModel",
    "TranslationIssue",
    "TranslationReport",
    "TranslationResult",
    "Translator",
    "load_translator",
    "resolve_model",
    "translation_bridge",
]

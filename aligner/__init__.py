"""The bitext core: document model, readers, anchors, transliteration, alignment, pairing.

Imports no translation model; a translation bridge is passed in as a callable or as text.
"""

from aligner.language import LanguageMismatchWarning, check_declared_language, detect_language
from aligner.readers import (
    read_article,
    read_articles,
    read_articles_lenient,
    read_jsonl,
    read_text,
)

__all__ = [
    # reading and language detection
    "LanguageMismatchWarning",
    "check_declared_language",
    "detect_language",
    "read_article",
    "read_articles",
    "read_articles_lenient",
    "read_jsonl",
    "read_text",
]

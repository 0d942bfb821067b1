"""The bitext core: document model, readers, anchors, transliteration, alignment, pairing.

Imports no translation model; a translation bridge is passed in as a callable or as text.
"""

from aligner.dates import DateMention, extract_dates
from aligner.language import LanguageMismatchWarning, check_declared_language, detect_language
from aligner.numbers import NumberMention, extract_anchors, extract_numbers
from aligner.readers import (
    read_article,
    read_articles,
    read_articles_lenient,
    read_jsonl,
    read_text,
)

__all__ = [
    # number and date anchors
    "DateMention",
    "NumberMention",
    "extract_anchors",
    "extract_dates",
    "extract_numbers",
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

"""The bitext core: document model, readers, anchors, transliteration, alignment, pairing.

Imports no translation model; a translation bridge is passed in as a callable or as text.
"""

from aligner.align import AlignerSettings, align_paragraphs
from aligner.alignment import Alignment, Bead, Bridge
from aligner.dates import DateMention, extract_dates
from aligner.document import Article
from aligner.errors import ConfigError, InputError, MistokError, ModelUnavailableError
from aligner.language import LanguageMismatchWarning, check_declared_language, detect_language
from aligner.lexicon import Lexicon, load_lexicon
from aligner.names import (
    NameMention,
    PressNames,
    en_name_key,
    en_name_keys,
    extract_names,
    load_press_names,
    uk_lemma_candidates,
    uk_name_keys,
)
from aligner.numbers import NumberMention, extract_anchors, extract_numbers
from aligner.pairing import PairingResult, PairingSettings, PairResult, pair_articles
from aligner.pairing_partitions import (
    PairingPartition,
    PartitionPairs,
    merge_partitions,
    pair_in_partitions,
    pair_partition,
    plan_partitions,
)
from aligner.readers import (
    read_article,
    read_articles,
    read_articles_lenient,
    read_jsonl,
    read_text,
)
from aligner.stemming import stem_en, stem_uk
from aligner.translit import (
    SYSTEMS,
    TRANSLIT_VERSION,
    phonetic_key,
    transliterate,
    transliteration_variants,
)

__all__ = [
    # document model, errors and alignment
    "AlignerSettings",
    "Alignment",
    "Article",
    "Bead",
    "Bridge",
    "ConfigError",
    "InputError",
    "MistokError",
    "ModelUnavailableError",
    "align_paragraphs",
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
    # names and transliteration
    "NameMention",
    "PressNames",
    "SYSTEMS",
    "TRANSLIT_VERSION",
    "en_name_key",
    "en_name_keys",
    "extract_names",
    "load_press_names",
    "phonetic_key",
    "transliterate",
    "transliteration_variants",
    "uk_lemma_candidates",
    "uk_name_keys",
    # article pairing
    "PairResult",
    "PairingPartition",
    "PairingResult",
    "PairingSettings",
    "PartitionPairs",
    "merge_partitions",
    "pair_articles",
    "pair_in_partitions",
    "pair_partition",
    "plan_partitions",
    # core lexicon and stemmers
    "Lexicon",
    "load_lexicon",
    "stem_en",
    "stem_uk",
]

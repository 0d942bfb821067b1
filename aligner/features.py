"""Feature bags of paragraphs, in a space shared by Ukrainian and English.

Two kinds of bag:

* **bridge features** compare English with English: the machine translation of a Ukrainian
  paragraph against an English paragraph, through words and character n-grams.
* **anchor features** compare Ukrainian with English directly, without any model: numbers,
  dates, name keys, lexicon concepts and language-neutral symbols (emoji, bullets, URLs, Latin
  words inside Ukrainian text).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from aligner.lexicon import Lexicon
from aligner.names import en_name_key, extract_names, uk_name_keys
from aligner.numbers import extract_anchors
from aligner.profile import skeleton
from aligner.stemming import stem_en, stem_uk
from aligner.translit import transliterate

_WORD = re.compile(r"\w+", re.UNICODE)
_LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z0-9'-]{2,}\b")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+@[\w-]+\.\w+")
_LETTERS = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
#: Words shorter than this give no cognate key: short words are mostly function words.
COGNATE_MIN_LETTERS = 4
#: The prefix of cognate features (weighed apart: aligner.align scales them).
COGNATE_PREFIX = "k:"
_NOT_WORD = re.compile(r"[^\w\s]")
_QUOTE = re.compile(r"[«“„\"]([^«»“”„\"]{3,200})[»”\"]")


def bridge_features(text: str) -> Counter[str]:
    """Words and in-word character 3- and 4-grams of an English text (lowercased)."""
    bag: Counter[str] = Counter()
    for word in _WORD.findall(text.lower()):
        bag["w:" + word] += 1
        padded = f" {word} "
        for n in (3, 4):
            for k in range(len(padded) - n + 1):
                bag[f"c{n}:" + padded[k : k + n]] += 1
    return bag


def _symbols(text: str) -> list[str]:
    """Characters that mean the same in both languages: emoji, bullets, arrows, signs."""
    # the regular expression skips letters, digits and spaces in C ("_" is never a symbol)
    return [
        ch
        for ch in _NOT_WORD.findall(text)
        if unicodedata.category(ch) in ("So", "Sm", "Sc") or ch in "•·▪►–"
    ]


def anchor_features(text: str, lang: str, lexicon: Lexicon | None) -> Counter[str]:
    """Language-neutral anchors of a paragraph; equal features mean shared content.

    (Not cached here: the aligner caches each text's scored bag, anchors and cognate keys
    together, :func:`aligner.align.build_scorer`.)"""
    bag: Counter[str] = Counter()
    numbers, dates = extract_anchors(text, lang)
    for number in numbers:
        bag["n:" + number.key] += 1
    for date in dates:
        bag["d:" + date.key] += 1
    for mention in extract_names(text, lang):
        if lang == "uk":
            keys = {key for token in mention.tokens for key in uk_name_keys(token)}
        else:
            keys = {en_name_key(token) for token in mention.tokens}
        for key in sorted(keys):  # a fixed order: results must not depend on hash seeds
            if key:
                bag["p:" + key] += 1
    for url in _URL.findall(text):
        bag["u:" + url.lower().rstrip(".,;)")] += 1
    # Latin words inside Ukrainian text (brands, titles, handles) meet English names.
    if lang == "uk":
        for word in _LATIN_WORD.findall(text):
            bag["p:" + en_name_key(word)] += 1
    for symbol in _symbols(text):
        bag["s:" + symbol] += 1
    if _QUOTE.search(text):
        bag["q:quote"] += 1
    if lexicon is not None:
        for concept, count in lexicon.concepts(text, lang).items():
            bag[f"x:{concept}"] += count
    return bag


def cognate_features(text: str, lang: str, cache: dict[str, str] | None = None) -> Counter[str]:
    """Consonant skeletons of the paragraph's words (:func:`aligner.profile.skeleton`): names,
    loanwords and international words (*медичне* / *medical*, *фінансів* / *financials*) meet
    across the languages without a lexicon entry. Lossy: unrelated words collide too, which
    the document's own IDF weighting mostly absorbs. ``cache`` maps a word to its key."""
    bag: Counter[str] = Counter()
    for token in _LETTERS.findall(text):
        if len(token) < COGNATE_MIN_LETTERS:
            continue
        word = token.lower()
        key = cache.get(f"{lang}:{word}") if cache is not None else None
        if key is None:
            key = _cognate_key(word, lang)
            if cache is not None:
                cache[f"{lang}:{word}"] = key
        if len(key) >= 3:
            bag[COGNATE_PREFIX + key] += 1
    return bag


@lru_cache(maxsize=65536)
def _cognate_key(word: str, lang: str) -> str:
    """The skeleton of one lower-case word: a pure function of it, and the words of a run's
    sentences are the words of its paragraphs again, so it is computed once per process."""
    latin = transliterate(stem_uk(word)).lower() if lang == "uk" else stem_en(word)
    return skeleton(latin)

"""Anchor profiles: what pairing compares between a Ukrainian and an English article.

A profile holds, as bags of string features that mean the same thing in both languages:

- ``numbers``: number and date keys of :func:`aligner.numbers.extract_anchors` (``2,5 млн
  гривень`` and ``UAH 2.5 million`` are one key, so are ``5 березня 2022`` and ``March 5, 2022``);
- ``symbols``: emoji, arrows, currency and percent signs, which both versions keep;
- ``names``: consonant skeletons of capitalised words that do not start a sentence
  (*Умєрова* -> ``mrv``, *Umerov* -> ``mrv``);
- ``cognates``: consonant skeletons of every word, transliterated (*президента* ->
  ``prsd``, *president* -> ``prsd``): names, loanwords, brands, Latin words in Ukrainian;
- ``concepts``: concept ids of the bundled core lexicon (:mod:`aligner.lexicon`), shared by
  the Ukrainian and English words of one meaning;
- ``slug``: keys of the title and of the URL path (slug words, numeric ids);

and, per language, ``stems`` (:mod:`aligner.stemming` keys in the article's own language,
for the learned word-association table and the translation bridge), paragraph lengths and
the date.

The skeleton is a deliberately lossy phonetic key: stem, transliterate (the national
system of :mod:`aligner.translit`), fold letters that the two
spelling traditions write differently (c/k, z/s, g/h, w/v, ph/f, x/ks), drop vowels and the
letters that stand for them (y, j), collapse doubled letters, keep the first four
consonants (word families share them: *national*, *національний*). Cognates collide;
unrelated words collide too, which IDF weighting and the other signals absorb.

:class:`ProfileBuilder` caches per-word work for one pairing run, so profiling an archive
costs one regular-expression pass per article plus one dictionary look-up per word.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from aligner.document import Article
from aligner.lexicon import Lexicon
from aligner.numbers import extract_anchors
from aligner.stemming import stem_en, stem_uk
from aligner.translit import transliterate

__all__ = ["AnchorProfile", "ProfileBuilder", "skeleton"]

# Spelling folds applied, in order, to a lower-case Latin word before vowels are dropped.
_FOLDS = (
    ("shch", "s"), ("tch", "c"), ("sch", "s"), ("ch", "c"), ("sh", "s"), ("zh", "s"),
    ("kh", "h"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("ts", "s"), ("tz", "s"),
    ("x", "ks"), ("q", "k"), ("w", "v"), ("z", "s"), ("g", "h"),
)  # fmt: skip
_CE = re.compile(r"c(?=[eiy])|t(?=i[aeou])")
_VOWELS = re.compile(r"[aeiouyj]+")
_DOUBLES = re.compile(r"(.)\1+")

_TOKEN = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*|[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_SENTENCES = re.compile(r"(?<=[.!?…:;])\s+")
_SYMBOL = re.compile(r"[^\w\s.,:;!?()\[\]\"'«»„“”‘’ʼ\-–—/…]")
_SLUG_SPLIT = re.compile(r"[^0-9a-zа-яіїєґ]+")


#: Consonants kept of a skeleton: word families share a prefix (*national*, *національний*).
SKELETON_LENGTH = 4


@lru_cache(maxsize=131072)
def skeleton(latin_word: str) -> str:
    """The consonant skeleton of a lower-case Latin word (``president`` -> ``prsd``)."""
    # Cached: a pure function of the word, asked again for the same words by every pairing
    # partition and by the aligner's cognate features.
    word = _CE.sub("s", latin_word.replace("’", "").replace("'", ""))
    for old, new in _FOLDS:
        if old in word:
            word = word.replace(old, new)
    word = word.replace("c", "k")
    word = _VOWELS.sub("", word)
    return _DOUBLES.sub(r"\1", word)[:SKELETON_LENGTH]


def _symbols(text: str) -> Iterable[str]:
    """Signs that read the same in both languages: emoji, arrows, %, currency, maths."""
    for char in _SYMBOL.findall(text):
        if unicodedata.category(char) in ("So", "Sm", "Sc") or char == "%":
            yield char


@dataclass(frozen=True)
class AnchorProfile:
    """The comparable features of one article (see the module docstring)."""

    article_id: str
    lang: str
    numbers: tuple[str, ...]
    symbols: tuple[str, ...]
    names: tuple[str, ...]
    cognates: tuple[str, ...]
    concepts: tuple[int, ...]
    slug: frozenset[str]
    stems: tuple[tuple[str, ...], ...]
    paragraph_lengths: tuple[int, ...]
    date: dt.date | None

    @property
    def all_stems(self) -> tuple[str, ...]:
        """The stems of all paragraphs, in order."""
        return tuple(itertools.chain.from_iterable(self.stems))

    @property
    def length(self) -> int:
        """Characters of text (paragraph separators excluded)."""
        return sum(self.paragraph_lengths)


class ProfileBuilder:
    """Builds :class:`AnchorProfile` records, caching per-word work for one run."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self._lexicon = lexicon
        # Per language: token as written -> (stem, skeleton, is a capitalised word, concepts).
        self._cache: dict[str, dict[str, tuple[str, str, bool, tuple[int, ...]]]] = {
            "uk": {},
            "en": {},
        }

    def _word(self, token: str, lang: str) -> tuple[str, str, bool, tuple[int, ...]]:
        """(stem, skeleton, capitalised, lexicon concepts) of a word token as written."""
        cache = self._cache[lang]
        cached = cache.get(token)
        if cached is not None:
            return cached
        lower = token.lower()
        if lang == "uk":
            stem = stem_uk(lower)
            latin = transliterate(stem).lower()
        else:
            stem = stem_en(lower)
            latin = stem
        concepts: tuple[int, ...] = ()
        if self._lexicon is not None:
            if lang == "uk":
                concepts = tuple(sorted(self._lexicon.uk_token_concepts(token)))
            else:
                concept = self._lexicon.en_token_concept(token)
                concepts = () if concept is None else (concept,)
        result = (stem, skeleton(latin), token[0].isupper() and len(token) > 1, concepts)
        cache[token] = result
        return result

    def stems(self, text: str, lang: str) -> Iterable[str]:
        """The stems of the words of ``text`` (numbers left out)."""
        for token in _TOKEN.findall(text):
            if not token[0].isdigit():
                yield self._word(token, lang)[0]

    def profile(self, article: Article) -> AnchorProfile:
        """The anchor profile of ``article``."""
        lang = article.lang
        numbers: list[str] = []
        names: list[str] = []
        cognates: list[str] = []
        concepts: list[int] = []
        stems: list[tuple[str, ...]] = []
        word = self._word
        for paragraph in article.paragraphs:
            number_mentions, date_mentions = extract_anchors(paragraph, lang)
            numbers.extend(m.key for m in number_mentions)
            numbers.extend("date:" + m.key for m in date_mentions)
            paragraph_stems: list[str] = []
            for sentence in _SENTENCES.split(paragraph):
                sentence_start = True
                for token in _TOKEN.findall(sentence):
                    if token[0].isdigit():
                        sentence_start = False
                        continue
                    stem, skel, capitalised, token_concepts = word(token, lang)
                    concepts.extend(token_concepts)
                    paragraph_stems.append(stem)
                    if len(skel) >= 2:
                        cognates.append(skel)
                        if capitalised and not sentence_start:
                            names.append(skel)
                    sentence_start = False
            stems.append(tuple(paragraph_stems))
        return AnchorProfile(
            article_id=article.id,
            lang=lang,
            numbers=tuple(numbers),
            symbols=tuple(_symbols(article.text)),
            names=tuple(names),
            cognates=tuple(cognates),
            concepts=tuple(concepts),
            slug=frozenset(self._slug_keys(article)),
            stems=tuple(stems),
            paragraph_lengths=tuple(len(p) for p in article.paragraphs),
            date=article.date,
        )

    def _slug_keys(self, article: Article) -> Iterable[str]:
        """Skeletons of title words and URL path words, and numeric ids of the URL path."""
        words: list[str] = []
        if article.title:
            words.extend(_SLUG_SPLIT.split(article.title.lower()))
        if article.url:
            path = urlsplit(article.url).path.lower()
            for part in _SLUG_SPLIT.split(path):
                if part.isdigit():
                    if len(part) >= 5:  # an article id, not a year or a day
                        yield f"#{part}"
                    continue
                words.append(part)
        for word in words:
            if len(word) < 3 or word.isdigit():
                continue
            lang = "uk" if re.search("[а-яіїєґ]", word) else "en"
            skel = self._word(word, lang)[1]  # a lower-case word: never capitalised
            if len(skel) >= 3:
                yield skel

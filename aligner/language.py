"""Tell Ukrainian, Russian and English apart from the script alone.

No model and no network: the letters decide. Latin against Cyrillic gives English; inside
Cyrillic, the letters only Ukrainian has (і ї є ґ) against the letters only Russian has
(ы э ъ ё) give Ukrainian or Russian. Each count is scaled by how often those letters occur in
running text of that language, so a Ukrainian article quoting a Russian phrase, or an English
one quoting "Київ", keeps its language.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable
from functools import cache, lru_cache
from os import PathLike
from typing import NamedTuple

import numpy as np

__all__ = [
    "LANGUAGE_NAMES",
    "LanguageMismatchWarning",
    "LetterKinds",
    "check_declared_language",
    "detect_language",
    "has_russian_letters",
    "language_of_letters",
    "letter_kinds",
]

UKRAINIAN_LETTERS = frozenset("іїєґІЇЄҐ")
RUSSIAN_LETTERS = frozenset("ыэъёЫЭЪЁ")

# How often the distinctive letters occur among the letters of running news text: і ї є ґ
# together make about 6.5% of Ukrainian letters, ы э ъ ё about 2.2% of Russian letters (ё is
# often printed as е). Dividing by these puts both counts on one scale.
UKRAINIAN_MARKER_RATE = 0.065
RUSSIAN_MARKER_RATE = 0.022

# A script must hold this share of all letters for the text to count as written in it.
DOMINANT_SCRIPT_SHARE = 0.6

#: English names of the codes :func:`detect_language` returns, for messages.
LANGUAGE_NAMES = {"uk": "Ukrainian", "ru": "Russian", "en": "English", "unknown": "unknown"}


class LanguageMismatchWarning(UserWarning):
    """The declared language of an input differs from the language its text is written in.

    ``source``, ``declared`` and ``detected`` say which input, what it declares and what its
    letters say, so that a reader of many files can count and compare the mismatches.
    """

    def __init__(
        self,
        message: str,
        source: str | None = None,
        declared: str | None = None,
        detected: str | None = None,
    ) -> None:
        super().__init__(message)
        self.source = source
        self.declared = declared
        self.detected = detected


def _script(char: str) -> str:
    """'latin', 'cyrillic' or 'other' for one letter."""
    if "\u0400" <= char <= "\u04ff" or "\u0500" <= char <= "\u052f":
        return "cyrillic"
    if char.isascii():
        return "latin"
    name = unicodedata.name(char, "")
    if name.startswith("LATIN"):
        return "latin"
    if name.startswith("CYRILLIC"):
        return "cyrillic"
    return "other"


_NOT_A_LETTER, _LATIN, _OTHER_SCRIPT, _CYRILLIC, _UKRAINIAN, _RUSSIAN = (
    "not a letter", "latin", "other", "cyrillic", "ukrainian", "russian"
)  # fmt: skip
#: The kinds in the order of the counts :func:`letter_kinds` returns (:class:`LetterKinds`).
_KINDS = (_NOT_A_LETTER, _LATIN, _OTHER_SCRIPT, _CYRILLIC, _UKRAINIAN, _RUSSIAN)
_KIND_NUMBER = {kind: number for number, kind in enumerate(_KINDS)}

#: The code points below this one (Latin, Greek and Cyrillic letters, general punctuation,
#: currency signs, arrows, box drawing: nearly every character of a Ukrainian or English
#: news text) are classified by a table, built once per process.
_TABLE_END = 0x3000


@lru_cache(maxsize=4096)
def _letter_kind(char: str) -> str:
    """What one character counts as in :func:`detect_language` (a pure function of it: each
    distinct character of a run's texts is classified once)."""
    if not char.isalpha():
        return _NOT_A_LETTER
    script = _script(char)
    if script == "latin":
        return _LATIN
    if script != "cyrillic":
        return _OTHER_SCRIPT
    if char in UKRAINIAN_LETTERS:
        return _UKRAINIAN
    return _RUSSIAN if char in RUSSIAN_LETTERS else _CYRILLIC


@cache
def _kind_table() -> np.ndarray:
    """The kind number of every code point below :data:`_TABLE_END`."""
    kinds = [_KIND_NUMBER[_letter_kind.__wrapped__(chr(code))] for code in range(_TABLE_END)]
    return np.array(kinds, dtype=np.intp)


class LetterKinds(NamedTuple):
    """How many characters of a text are of each kind :func:`detect_language` tells apart
    (the counts of two texts add up to those of the texts joined by non-letters)."""

    not_letters: int
    latin: int
    other_script: int
    #: Cyrillic letters that are neither Ukrainian- nor Russian-only
    cyrillic: int
    ukrainian: int
    russian: int

    @property
    def letters(self) -> int:
        """The letters (``str.isalpha``) of any script."""
        return self.latin + self.other_script + self.cyrillic + self.ukrainian + self.russian

    @classmethod
    def total(cls, counts: Iterable[LetterKinds]) -> LetterKinds:
        """The counts of several texts together."""
        sums = [0] * len(cls._fields)
        for kinds in counts:
            for place, count in enumerate(kinds):
                sums[place] += count
        return cls(*sums)


def letter_kinds(text: str) -> LetterKinds:
    """How many characters of ``text`` are of each kind: a table lookup per character in
    NumPy (a lone surrogate is a character too, as in ``str``)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    low = codes < _TABLE_END
    counts = np.bincount(_kind_table()[codes[low]], minlength=len(_KINDS)).tolist()
    if not low.all():
        for code, n in zip(*np.unique(codes[~low], return_counts=True), strict=True):
            counts[_KIND_NUMBER[_letter_kind(chr(code))]] += int(n)
    return LetterKinds(*counts)


@lru_cache(maxsize=16)  # a reader checks an article's declared language, then counts it
def detect_language(text: str) -> str:
    """Return "uk", "ru", "en" or "unknown" for ``text``, judging by its letters only.

    "en" means Latin script (the script cannot tell English from other Latin-script
    languages); "unknown" covers text without letters, text mixing scripts with no script
    holding 60% of the letters, other scripts, and Cyrillic text too short to show any
    Ukrainian- or Russian-only letter.
    """
    return language_of_letters(letter_kinds(text))


_RUSSIAN_LETTER = re.compile(f"[{''.join(sorted(RUSSIAN_LETTERS))}]")


def has_russian_letters(text: str) -> bool:
    """Whether ``text`` holds a letter only Russian has (ы э ъ ё): without one,
    :func:`language_of_letters` never says "ru" (one regular-expression scan, where counting
    every letter costs a table lookup per character)."""
    return _RUSSIAN_LETTER.search(text) is not None


def language_of_letters(kinds: LetterKinds) -> str:
    """:func:`detect_language` of a text whose :func:`letter_kinds` are ``kinds``."""
    _, latin, other, cyrillic, ukrainian, russian = kinds
    cyrillic += ukrainian + russian
    letters = latin + other + cyrillic
    if letters == 0:
        return "unknown"
    if latin >= DOMINANT_SCRIPT_SHARE * letters:
        return "en"
    if cyrillic < DOMINANT_SCRIPT_SHARE * letters:
        return "unknown"
    ukrainian_score = ukrainian / UKRAINIAN_MARKER_RATE
    russian_score = russian / RUSSIAN_MARKER_RATE
    if ukrainian_score == russian_score:  # both zero, or a genuine tie
        return "unknown"
    return "uk" if ukrainian_score > russian_score else "ru"


def check_declared_language(text: str, declared: str, source: str | PathLike[str] | None) -> None:
    """Warn with :class:`LanguageMismatchWarning` when ``text`` is not in ``declared``.

    Nothing is said when the language cannot be told from the text ("unknown"). Russian text
    declared Ukrainian is a mismatch like any other.
    """
    detected = detect_language(text)
    if detected == "unknown" or detected == declared:
        return
    where = str(source) if source is not None else "<text>"
    message = (
        f"{where}: declared {declared}, text looks {LANGUAGE_NAMES[detected]} ({detected}); "
        f"processed as {LANGUAGE_NAMES.get(declared, declared)} as declared"
    )
    warnings.warn(
        LanguageMismatchWarning(message, source=where, declared=declared, detected=detected),
        stacklevel=2,
    )

"""Known failures of MT output, detected per paragraph: pure functions on strings.

- opus-mt-en-uk sometimes answers in Russian: Russian-only letters (ы э ъ ё) in Ukrainian
  output.
- MarianMT sometimes returns an empty string.
- Converted Marian models sometimes loop: the same word or phrase over and over.
- A paragraph that is already in the target language should not be "translated" again.
"""

from __future__ import annotations

import re

from aligner.language import detect_language

__all__ = ["russian_letters", "is_repetitive", "already_in", "missing_numbers"]

_RUSSIAN = frozenset("ыэъёЫЭЪЁ")
# The same 1-4 word phrase four or more times in a row, or the same 2-12 letters four or more
# times inside a word ("inistinistinistinist").
_REPEATED_PHRASE = re.compile(r"\b(\w+(?:\W+\w+){0,3}?)(?:\W+\1\b){3,}", re.UNICODE)
_REPEATED_LETTERS = re.compile(r"([^\W\d_]{2,12}?)\1{3,}", re.UNICODE)


def russian_letters(text: str) -> str:
    """The Russian-only letters found in ``text``, in order of first appearance ('' if none)."""
    return "".join(dict.fromkeys(c for c in text if c in _RUSSIAN))


def is_repetitive(text: str) -> bool:
    """True when a phrase or a run of letters repeats four or more times in a row."""
    return bool(_REPEATED_PHRASE.search(text) or _REPEATED_LETTERS.search(text))


def already_in(text: str, lang: str) -> bool:
    """True when ``text`` is written in ``lang`` (judged by its script, see aligner.language)."""
    return detect_language(text) == lang


def missing_numbers(source: str, output: str, src: str, tgt: str) -> list[str]:
    """Numbers of ``source`` (as written there) that the ``output`` lacks, as a multiset.

    Numbers come from :func:`aligner.numbers.extract_numbers` (dates excluded, scale words
    applied: ``2,5 млн`` = ``2.5 million``); the output may also spell a number as a word
    (``five``). Compared by kind and value, so a unit rendered differently is not a loss.
    """
    from aligner.numbers import extract_numbers

    found: dict[tuple[str, float], int] = {}
    for mention in extract_numbers(output, tgt, words=True):
        key = (mention.kind, mention.value)
        found[key] = found.get(key, 0) + 1
    missing = []
    for mention in extract_numbers(source, src):
        key = (mention.kind, mention.value)
        if found.get(key, 0) > 0:
            found[key] -= 1
        else:
            missing.append(mention.raw)
    return missing

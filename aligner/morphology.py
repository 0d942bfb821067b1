"""Ukrainian morphology from a dictionary: pymorphy3 with the pymorphy3-dicts-uk dictionary
(VESUM-based), loaded once, on first use.

Two questions the name checks ask of it:

- :func:`dictionary_lemmas` — the nominatives the dictionary gives for a word (*Відня* →
  *відень*, *Медвєдєву* → *медвєдєв*), used to re-rank the rule-made lemma candidates of
  :func:`aligner.names.uk_lemma_candidates`;
- :func:`is_function_word` — whether every dictionary reading of a capitalised word is a
  pronoun, verb, adverb, conjunction, preposition, particle, numeral or interjection (*Він*,
  *Уявіть*, *Деяких*): such a word is no name, whatever its capital letter.

Without the package (it is a dependency, but a trimmed install may lack it) both answer as if
the dictionary knew nothing: empty lemmas, no function words.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = [
    "dictionary_lemmas",
    "is_common_word",
    "is_function_word",
    "morphology_available",
]

_NOT_NAME_POS = frozenset(
    {"NPRO", "VERB", "INFN", "ADVB", "CONJ", "PREP", "PRCL", "INTJ", "NUMR", "GRND", "PRED"}
)  # noqa: E501


@lru_cache(maxsize=1)
def _analyzer() -> object | None:
    try:
        import pymorphy3
    except ImportError:
        return None
    try:
        return pymorphy3.MorphAnalyzer(lang="uk")
    except (ValueError, OSError, KeyError):  # the Ukrainian dictionary is not installed
        return None


def morphology_available() -> bool:
    """Whether pymorphy3 and its Ukrainian dictionary are installed."""
    return _analyzer() is not None


_NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Abbr", "Geox", "Orgn", "Trad"})
_ADJECTIVE_POS = frozenset({"ADJF", "ADJS", "PRTF", "PRTS", "COMP"})


@lru_cache(maxsize=65536)
def _known_parses(word: str) -> tuple[tuple[str, str, frozenset[str]], ...]:
    """The readings of ``word`` that the dictionary knows: ``(lemma, part of speech,
    grammemes)``, most likely first. A reading is known when its word is in the dictionary
    (its ``is_known``: the word itself, or the word with ґ for г, pymorphy3's substitute),
    so a word the dictionary does not know has none, and is not parsed: the guessers that
    parse an unknown word (its suffixes, its prefixes) cost three times a dictionary
    lookup, for readings nothing here reads."""
    analyzer = _analyzer()
    if analyzer is None:
        return ()
    lower = word.lower()
    if not analyzer.word_is_known(lower):  # type: ignore[attr-defined]
        return ()
    return tuple(
        (p.normal_form, str(p.tag.POS or ""), frozenset(p.tag.grammemes))
        for p in analyzer.parse(lower)  # type: ignore[attr-defined]
        if p.is_known
    )


def dictionary_lemmas(word: str) -> tuple[str, ...]:
    """Nominatives of ``word`` that the dictionary knows (lowercase), most likely first;
    empty for a word the dictionary does not know."""
    return tuple(dict.fromkeys(lemma for lemma, _, _ in _known_parses(word)))


def is_function_word(word: str) -> bool:
    """Whether every reading of ``word`` the dictionary knows is a word class that names never
    are (pronoun, verb, adverb, conjunction, preposition, particle, numeral, interjection)."""
    known = [pos for _, pos, _ in _known_parses(word)]
    return bool(known) and all(pos in _NOT_NAME_POS for pos in known)


def is_common_word(word: str) -> bool:
    """Whether the dictionary knows ``word`` only as an ordinary adjective (*Сполучені*,
    *Золотого*) or as a noun for a kind of person (*Півзахисник*, *Велосипедист*), never with
    a name tag. Inanimate nouns are left out: the dictionary tags no place names, so *Уельс*
    reads like *кубок* there."""
    known = [(pos, tags) for _, pos, tags in _known_parses(word)]
    if not known or any(tags & _NAME_TAGS for _, tags in known):
        return False
    return all(pos in _ADJECTIVE_POS or (pos == "NOUN" and "anim" in tags) for pos, tags in known)

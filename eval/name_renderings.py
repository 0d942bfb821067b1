"""How each Ukrainian name is rendered in the aligned English text, and how consistently.

For every name word of a Ukrainian paragraph (:func:`aligner.names.extract_names`), the
rendering is the English name word of the aligned paragraph(s) whose phonetic key is one of the
Ukrainian word's keys (:func:`aligner.names.uk_name_keys`: transliterations of its lemma
candidates, press forms). A Ukrainian name is one *term*, identified by its first lemma
candidate (*Києві*, *Києва* → *Київ*). A term rendered two ways (*Kyiv* … *Kiev*) is
inconsistent across the two languages, even when each English article on its own looks fine.

Given names are left out (they are one entity per person: *Volodymyr* Zelenskyy beside
*Vladimir* Putin is right; the ``names`` check compares given names per person). Words with
no rendering in the aligned English are left out: that may be an omission, a
translated name (*Рада* → *Council*) or an aligner miss, which the ``names`` check reports; the
consistency of a term is measured over the renderings found.

This is also the term-consistency metric of Semenov & Bojar (WMT 2022) restricted to names:
source terms aligned to their translations, the most frequent translation of each term as its
pseudo-reference, and the share of occurrences that match it (:func:`term_consistency`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aligner.names import (
    PressNames,
    en_name_key,
    extract_names,
    load_press_names,
    uk_lemma_candidates,
    uk_name_keys,
)

__all__ = ["Rendering", "TermRenderings", "aligned_renderings", "term_consistency"]

_POSSESSIVE = re.compile(r"['’ʼ]s$|(?<=s)['’ʼ]$")


@dataclass(frozen=True)
class Rendering:
    """One Ukrainian name word and the English word that renders it in the aligned text.
    ``unit`` is the index of the aligned unit (bead or segment) it was found in."""

    term: str
    uk: str
    en: str
    unit: int


@dataclass(frozen=True)
class TermRenderings:
    """A Ukrainian term and its English spellings (case-folded) with counts, most frequent
    first; ``reference`` is the pseudo-reference (the most frequent spelling)."""

    term: str
    spellings: tuple[tuple[str, int], ...]

    @property
    def mentions(self) -> int:
        return sum(n for _, n in self.spellings)

    @property
    def reference(self) -> str:
        return self.spellings[0][0]

    @property
    def share(self) -> float:
        """The share of the term's renderings that use its most frequent spelling."""
        return self.spellings[0][1] / self.mentions


def _english_words(text: str, press: PressNames) -> list[tuple[str, str]]:
    """(word as written, phonetic key) for every word of every English name in ``text``."""
    out = []
    for mention in extract_names(text, "en", press=press):
        for token in mention.tokens:
            word = _POSSESSIVE.sub("", token)
            out.append((word, en_name_key(word)))
    return out


def aligned_renderings(
    units: Iterable[tuple[Sequence[str], Sequence[str]]],
    press: PressNames | None = None,
    skip_given_names: bool = True,
) -> list[Rendering]:
    """The renderings of the Ukrainian names of each aligned unit, given as
    ``(Ukrainian paragraphs, English paragraphs)`` (a two-sided bead, or a segment and its
    translation). Each English word renders at most one Ukrainian word. Given names are left
    out unless ``skip_given_names`` is false (then *Олександр* is one term whoever bears it)."""
    press = press or load_press_names()
    found = []
    for index, (uk_texts, en_texts) in enumerate(units):
        english = [w for text in en_texts for w in _english_words(text, press)]
        used = [False] * len(english)
        for text in uk_texts:
            for mention in extract_names(text, "uk", press=press):
                for word in mention.tokens:
                    keys = uk_name_keys(word, press)
                    match = next(
                        (i for i, (_, key) in enumerate(english) if not used[i] and key in keys),
                        None,
                    )
                    if match is None:
                        continue
                    used[match] = True
                    if skip_given_names and press.given_name_class(english[match][0]):
                        # a given name is one entity per person (Volodymyr Zelenskyy beside
                        # Vladimir Putin is right): the names check compares those per person
                        continue
                    lemmas = uk_lemma_candidates(word)
                    term = (lemmas[0] if lemmas else word).lower()
                    found.append(Rendering(term, word, english[match][0].casefold(), index))
    return found


def term_consistency(renderings: Iterable[Rendering], source: str = "uk") -> list[TermRenderings]:
    """Every term with its spellings, in first-seen order. ``source="uk"``: a term is a
    Ukrainian lemma and its spellings are English words; ``"en"`` (English originals, as in
    en→uk translation): a term is an English name (case-folded) and its spellings are the
    Ukrainian lemmas that render it."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in renderings:
        if source == "en":
            counts[r.en][r.term] += 1
        else:
            counts[r.term][r.en] += 1
    return [
        TermRenderings(term, tuple(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))))
        for term, c in counts.items()
    ]

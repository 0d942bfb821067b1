"""Sentence alignment inside paragraph beads: the units of a sentence-level translation memory.

A paragraph bead (1-1, 2-1, …) is split into sentences on each side, and the sentences are
aligned with the paragraph aligner itself (:func:`aligner.align.align_paragraphs` over sentences
instead of paragraphs): the same beads 1-1, 1-2, 2-1, 1-0 and 0-1, the same anchors (numbers,
dates, names, lexicon concepts, symbols), the same length model and, when one is given, the same
translation bridge — only the settings differ (:data:`SENTENCE_SETTINGS`). A sentence never
leaves its paragraph bead, so sentence alignment cannot undo a paragraph decision.

Splitting: LanguageTool's SRX rules as ``choppa-srx`` (the engine under ``tokenize-uk``) reads
them, walked by :mod:`aligner.srx_rules` (the same segments at about half the cost). They
measured better than the regular-expression splitter in :mod:`models.segmenting` on the WMT22
segments (``bench/bench_sentences.py``, BENCHMARKS.md).
Offsets are kept: every sentence is a span of its paragraph, and the spans of a paragraph cover
all its text but the whitespace between sentences.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aligner.align import AlignerSettings, align_paragraphs, align_scored_beads
from aligner.alignment import Alignment, Bead
from aligner.lexicon import Lexicon
from aligner.srx_rules import break_rules, srx_segments

#: The sentence aligner's settings, chosen on the dev half of the WMT22 segments
#: (bench/bench_sentences.py --half dev --grid, with and without --omit 0.3; the middle of a
#: plateau): the paragraph defaults but for a penalty per joined sentence, so that a sentence
#: left out of the translation is a 1-0 bead rather than glued to its neighbour.
SENTENCE_SETTINGS = AlignerSettings(threshold=-0.1, length_weight=0.4, join_penalty=0.1)

#: A bridge for sentences: a callable that translates a list of Ukrainian sentences into English
#: (a paragraph-level bridge cannot be cut into the Ukrainian sentences reliably).
SentenceBridge = Callable[[Sequence[str]], Sequence[str]]


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, the paragraph it belongs to and its span in that paragraph."""

    text: str
    paragraph: int
    start: int
    end: int


#: Where SRX rules miss a sentence end common in news from social media: after emoji or an
#: emoticon followed by a capitalised word, and before a bullet that starts a list item.
_SOCIAL_END = re.compile(
    r"(?:[:;]-?[()DP]+|[^\w\s.,;:!?()\[\]«»\"'“”„’‘-])\s+(?=[«“„\"(]?[A-ZА-ЯҐЄІЇ])"
)
_BULLET = re.compile(r"\s+(?=[•▪►●◦‣]\s?\w)")


def _is_symbol(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Mn", "Cf") or ch in ")DP"


def _extra_breaks(sentence: str) -> list[int]:
    """Offsets inside one SRX sentence where another sentence starts."""
    breaks = set()
    for match in _SOCIAL_END.finditer(sentence):
        head = match.group(0).rstrip()
        if head[-1] in ")DP" and not head.startswith((":", ";")):
            continue
        if not head.startswith((":", ";")) and not _is_symbol(head[-1]):
            continue
        breaks.add(match.end())
    breaks.update(m.end() for m in _BULLET.finditer(sentence))
    return sorted(b for b in breaks if 0 < b < len(sentence))


def _refine(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for start, end in spans:
        cuts = [start, *(start + b for b in _extra_breaks(text[start:end])), end]
        for a, b in zip(cuts, cuts[1:], strict=False):
            piece = text[a:b]
            stripped = piece.strip()
            if stripped:
                first = a + piece.index(stripped)
                out.append((first, first + len(stripped)))
    return out


def sentence_spans(text: str, lang: str, *, social: bool = True) -> list[tuple[int, int]]:
    """The ``(start, end)`` character spans of the sentences of a paragraph, without the
    whitespace around them. ``lang`` is ``"uk"`` or ``"en"``. ``social``: also end a sentence
    after emoji or an emoticon before a capitalised word, and before a bullet (the SRX rules
    do neither).

    >>> text = "Умєров прибув до Сеула. Він зустрівся з міністром."
    >>> [text[a:b] for a, b in sentence_spans(text, "uk")]
    ['Умєров прибув до Сеула.', 'Він зустрівся з міністром.']
    """
    # About a quarter of the calls of a run split a text already split (measured on a synthetic
    # archive); the spans are a pure function of the arguments, computed once.
    return list(_cached_spans(text, lang, social))


@functools.lru_cache(maxsize=8192)
def _cached_spans(text: str, lang: str, social: bool) -> tuple[tuple[int, int], ...]:
    return tuple(_sentence_spans(text, lang, social))


#: Characters without which no SRX break rule of ``uk_two`` or ``en_two`` matches: each rule
#: needs sentence punctuation, a line break (or another vertical space), or the ``{0>``/``<0}``
#: markers.
_BREAK_NEEDS = re.compile(r"[.!?…\n\r\x0b\x0c\x85\u2028\u2029{}]")
#: What may close the last sentence: at the very end, with no space and no letter after it,
#: no rule can break there.
_CLOSING = ".!?…'\"»“”„’‘›)]"


def _one_sentence(text: str) -> bool:
    """Whether the SRX rules cannot split ``text``: it has no character a break needs but in
    the punctuation and closing quotes that end it. About half of a news archive's
    paragraphs are one sentence; they skip the rule engine."""
    return _BREAK_NEEDS.search(text.rstrip(_CLOSING)) is None


def _sentence_spans(text: str, lang: str, social: bool) -> list[tuple[int, int]]:
    if _one_sentence(text):
        stripped = text.strip()
        start = len(text) - len(text.lstrip())
        spans = [(start, start + len(stripped))] if stripped else []
        return _refine(text, spans) if social else spans
    spans = []
    offset = 0
    for piece in srx_segments(text, break_rules(f"{lang}_two")):
        stripped = piece.strip()
        if stripped:
            start = offset + piece.index(stripped)
            spans.append((start, start + len(stripped)))
        offset += len(piece)
    return _refine(text, spans) if social else spans


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of a paragraph (see :func:`sentence_spans`)."""
    return [text[a:b] for a, b in sentence_spans(text, lang)]


def paragraph_sentences(paragraphs: Sequence[str], indices: Sequence[int], lang: str):
    """The sentences of the given paragraphs, in order, as :class:`Sentence` records."""
    return [
        Sentence(paragraphs[p][a:b], p, a, b)
        for p in indices
        for a, b in sentence_spans(paragraphs[p], lang)
    ]


@dataclass(frozen=True)
class SentenceBead:
    """Sentences of one paragraph bead that correspond: indices into that bead's sentence lists
    (``uk``/``en`` of :class:`BeadSentences`); either side may be empty."""

    uk: tuple[int, ...]
    en: tuple[int, ...]
    score: float


@dataclass(frozen=True)
class BeadSentences:
    """The sentence alignment of one paragraph bead."""

    paragraph_bead: int
    uk: tuple[Sentence, ...]
    en: tuple[Sentence, ...]
    beads: tuple[SentenceBead, ...]

    def pairs(self) -> list[tuple[int, SentenceBead, str, str]]:
        """The two-sided sentence beads, each with its number among :attr:`beads` and its
        texts (the sentences of one side joined with a space)."""
        out = []
        for number, bead in enumerate(self.beads):
            if bead.uk and bead.en:
                uk = " ".join(self.uk[i].text for i in bead.uk)
                en = " ".join(self.en[j].text for j in bead.en)
                out.append((number, bead, uk, en))
        return out


def sentence_numbers(sentences: Sequence[Sentence]) -> list[int]:
    """For each sentence (in document order), its 0-based index within its paragraph."""
    out, previous, count = [], None, 0
    for sentence in sentences:
        count = count + 1 if sentence.paragraph == previous else 0
        previous = sentence.paragraph
        out.append(count)
    return out


def align_sentences(
    uk: Sequence[str],
    en: Sequence[str],
    bridge: SentenceBridge | Sequence[str] | None = None,
    settings: AlignerSettings | None = None,
    lexicon: Lexicon | None = None,
) -> Alignment:
    """Align two lists of sentences (the sentences of one paragraph bead).

    One sentence against one sentence is one bead: the paragraph aligner has linked them
    already. Otherwise the paragraph aligner's dynamic programme runs over the sentences.
    """
    if len(uk) == 1 and len(en) == 1:
        return Alignment((Bead((0,), (0,), 1.0),), 1, 1, {"sentences": "1-1"})
    return align_paragraphs(
        uk, en, bridge=bridge, settings=settings or SENTENCE_SETTINGS, lexicon=lexicon
    )


def align_bead_sentences(
    uk_paragraphs: Sequence[str],
    en_paragraphs: Sequence[str],
    alignment: Alignment,
    bridge: SentenceBridge | None = None,
    settings: AlignerSettings | None = None,
    lexicon: Lexicon | None = None,
) -> list[BeadSentences]:
    """The sentence alignment inside every two-sided bead of a paragraph alignment, in bead
    order (one-sided paragraph beads have no sentence pairs: they are findings)."""
    out = []
    for number, bead in enumerate(alignment.beads):
        if bead.is_one_sided:
            continue
        uk = paragraph_sentences(uk_paragraphs, bead.uk, "uk")
        en = paragraph_sentences(en_paragraphs, bead.en, "en")
        if not uk or not en:
            continue
        if len(uk) == 1 and len(en) == 1:  # nothing to decide: the paragraph bead's score
            beads: tuple[SentenceBead, ...] = (SentenceBead((0,), (0,), float(bead.score)),)
        else:
            inner = align_scored_beads(
                [s.text for s in uk],
                [s.text for s in en],
                bridge,
                settings or SENTENCE_SETTINGS,
                lexicon,
            )
            beads = tuple(SentenceBead(b.uk, b.en, float(b.score)) for b in inner)
        out.append(BeadSentences(number, tuple(uk), tuple(en), beads))
    return out

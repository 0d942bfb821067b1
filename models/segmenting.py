"""Cut paragraphs into model-sized segments and put the translations back together.

MarianMT models take at most 512 tokens and transformers would cut a longer input silently.
So every paragraph is split into sentences first; a sentence still longer than the limit is
split at clause boundaries (``;``, ``:``, dashes, commas), then between words, and as a last
resort inside a word, each split reported with the paragraph index. Joining the pieces with
single spaces gives back the paragraph (whitespace normalised): nothing is ever dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "Segment",
    "SegmentPlan",
    "split_sentences",
    "split_to_fit",
    "plan_segments",
    "batches_by_length",
    "reassemble",
]

# Sentence end: . ! ? … (possibly repeated), optional closing quotes/brackets, whitespace,
# then something that can start a sentence (upper-case letter, digit, opening quote, dash).
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»”’)\]]*\s+(?=[\"'«„“(\[—–-]?\s?[A-ZА-ЯҐЄІЇ0-9])")
# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st no vs etc gen col lt sgt jan feb mar apr jun jul aug sep sept oct "
    "nov dec inc ltd co jr sr u.s e.g i.e "
    "м с ст р рр т тис млн млрд грн вул просп обл див ім проф д н акад ген полк".split()
)
_CLAUSE_BREAK = re.compile(r"(?<=[;:,])\s+|\s+(?=[—–]\s)")
_SPACES = re.compile(r"\s+")


def _ends_with_abbreviation(text: str) -> bool:
    words = text.rstrip("\"'»”’)]").split()
    if not words:
        return False
    last = words[-1].rstrip(".").lower()
    # An initial ("Р.", "J.") or a listed abbreviation.
    return (len(last) == 1 and last.isalpha()) or last in _ABBREVIATIONS


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences (Ukrainian and English punctuation and abbreviations).

    >>> split_sentences("Умєров прибув до Сеула. Він зустрівся з міністром.")
    ['Умєров прибув до Сеула.', 'Він зустрівся з міністром.']
    """
    text = _SPACES.sub(" ", paragraph).strip()
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()]
        if _ends_with_abbreviation(candidate):
            continue
        # Closing quotes/brackets belong to the sentence they close.
        end = match.start() + len(match.group(0).rstrip())
        sentences.append(text[start:end].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def _pack(pieces: Sequence[str], fits: Callable[[str], bool]) -> list[str]:
    """Greedily join consecutive pieces with spaces while the result still fits."""
    packed: list[str] = []
    for piece in pieces:
        if packed and fits(packed[-1] + " " + piece):
            packed[-1] = packed[-1] + " " + piece
        else:
            packed.append(piece)
    return packed


def _split_word(word: str, fits: Callable[[str], bool]) -> list[str]:
    """Cut one overlong word into the longest fitting prefixes (binary search per cut)."""
    parts: list[str] = []
    rest = word
    while rest:
        lo, hi = 1, len(rest)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if fits(rest[:mid]):
                lo = mid
            else:
                hi = mid - 1
        parts.append(rest[:lo])
        rest = rest[lo:]
    return parts


def split_to_fit(sentence: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Split ``sentence`` into pieces of at most ``max_tokens`` tokens each.

    Tries clause boundaries first, then word boundaries, then cuts inside a word. Joining the
    result with spaces gives back ``sentence``. A sentence that fits is returned whole.
    """

    def fits(text: str) -> bool:
        return count_tokens(text) <= max_tokens

    if fits(sentence):
        return [sentence]
    pieces: list[str] = []
    for clause in _CLAUSE_BREAK.split(sentence):
        if not clause:
            continue
        if fits(clause):
            pieces.append(clause)
            continue
        for word in clause.split(" "):
            pieces.extend([word] if fits(word) else _split_word(word, fits))
    return _pack([p for p in pieces if p], fits)


@dataclass(frozen=True)
class Segment:
    """One unit sent to the model: a sentence (or a piece of one) of paragraph ``paragraph``."""

    paragraph: int
    text: str
    tokens: int


@dataclass(frozen=True)
class SegmentPlan:
    """The segments of a list of paragraphs, in order, and which paragraphs had to be cut."""

    segments: tuple[Segment, ...]
    n_paragraphs: int
    split_paragraphs: tuple[int, ...]  # paragraphs with a sentence over the token limit


def plan_segments(
    paragraphs: Sequence[str], count_tokens: Callable[[str], int], max_tokens: int
) -> SegmentPlan:
    """Split every paragraph into sentences, and overlong sentences into fitting pieces."""
    segments: list[Segment] = []
    cut: list[int] = []
    for index, paragraph in enumerate(paragraphs):
        was_cut = False
        for sentence in split_sentences(paragraph):
            pieces = split_to_fit(sentence, count_tokens, max_tokens)
            was_cut = was_cut or len(pieces) > 1
            segments.extend(Segment(index, piece, count_tokens(piece)) for piece in pieces)
        if was_cut:
            cut.append(index)
    return SegmentPlan(tuple(segments), len(paragraphs), tuple(cut))


def batches_by_length(
    lengths: Sequence[int], batch_size: int, max_batch_tokens: int | None = None
) -> list[list[int]]:
    """Group item indices into batches of similar length (longest first).

    A batch holds at most ``batch_size`` items and, when ``max_batch_tokens`` is given, at most
    that many tokens counted as ``items × longest item`` (what padding costs); a single item
    over the cap still gets a batch of its own.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    for index in order:
        current = batches[-1] if batches else None
        if (
            current is not None
            and len(current) < batch_size
            and (
                max_batch_tokens is None
                or (len(current) + 1) * lengths[current[0]] <= max_batch_tokens
            )
        ):
            current.append(index)
        else:
            batches.append([index])
    return batches


def reassemble(plan: SegmentPlan, translations: Sequence[str]) -> list[str]:
    """Join the translated segments of each paragraph with spaces, in the original order."""
    if len(translations) != len(plan.segments):
        raise ValueError(f"{len(translations)} translations for {len(plan.segments)} segments")
    parts: list[list[str]] = [[] for _ in range(plan.n_paragraphs)]
    for segment, translation in zip(plan.segments, translations, strict=True):
        text = translation.strip()
        if text:
            parts[segment.paragraph].append(text)
    return [" ".join(p) for p in parts]

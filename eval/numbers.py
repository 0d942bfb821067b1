"""The ``numbers`` check: every number, percentage, amount and date of one version appears in
the aligned paragraph(s) of the other.

Mentions come from :func:`aligner.numbers.extract_anchors`, which normalises them to
locale-independent keys (``1 000 000`` and ``1,000,000``, ``3,5`` and ``3.5``, ``2,5 млрд``
and ``2.5 billion``, ``27 листопада`` and ``November 27`` share a key). The two sides of each
bead are compared as multisets, so "5 … 5" against one "5" is a missing number. A mention
that is missing from its bead but left unmatched on the English side of a neighbouring bead
is reported once as ``misplaced`` (a note: most likely the paragraph boundary moved, not the
fact).
One-sided beads are left to the ``coverage`` check.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from aligner.alignment import Bead
from aligner.document import Article
from aligner.numbers import extract_anchors
from eval.base import (
    Check,
    Finding,
    Location,
    PairContext,
    Severity,
    paragraphs_label,
    register_check,
)
from eval.confidence import with_confidence

__all__ = ["Mention", "NumbersCheck", "match_unitless", "paragraph_mentions", "unmatched"]


_GLUED_SCORE = re.compile(r"(?<=\d)(?:та|і|й)(?=\d)")

#: Ukrainian idioms whose number is no quantity, so an English paraphrase without it is
#: right: "повернулися на 180 градусів" (turned around), "з 0" / "з нуля" (from scratch).
UK_NUMBER_IDIOMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("turn around", r"\bна\s+180\s*(?:градус\w*|°)"),
        ("from scratch", r"\b[зс]\s+(?:0|нуля)\b"),
    )
)

#: Ukrainian words that stand for a number the English writes in digits: "за добу" (in 24
#: hours), the decades ("нульових" = the 2000s, "дев'яностих" = the 1990s).
UK_IMPLIED_NUMBERS: tuple[tuple[float, re.Pattern[str]], ...] = tuple(
    (value, re.compile(pattern, re.IGNORECASE))
    for value, pattern in (
        (24.0, r"\bдоб[аиуі]\b"),
        (2000.0, r"\bнульов\w+"),
        (1990.0, r"\bдев['’ʼ]?яност\w+"),
        (1980.0, r"\bвісімдесят\w+"),
        (1970.0, r"\bсімдесят\w+"),
        (1960.0, r"\bшістдесят\w+"),
    )
)

_EN_NUMBER_WORDS = {
    word: float(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_EN_NUMBER_WORDS.update(
    {w: float(v) for w, v in (("thirty", 30), ("forty", 40), ("fifty", 50), ("sixty", 60),
     ("seventy", 70), ("eighty", 80), ("ninety", 90), ("hundred", 100), ("dozen", 12),
     ("half", 0.5), ("first", 1), ("second", 2), ("third", 3), ("once", 1), ("twice", 2))}
)  # fmt: skip

# Ukrainian cardinal and ordinal stems (any case form): a number the English writes in digits
# that the Ukrainian spells out.
_UK_NUMBER_STEMS = (
    (1.0, r"од(?:ин|н\w+)|перш\w+"), (2.0, r"дв(?:а|і|ох|ом|ома)|друг(?:ий|ого|им|ому|ою)"),
    (3.0, r"тр(?:и|ьох|ьом|ьома)|трет\w+"), (4.0, r"чотир\w+|четверт\w+"),
    (5.0, r"п['’ʼ]?ят\w*"), (6.0, r"ш[іе]ст\w*|шост\w+"), (7.0, r"с[іе]м\w*|сьом\w+"),
    (8.0, r"в[іо]с[іь]м\w*"), (9.0, r"дев['’ʼ]?ят\w*"), (10.0, r"десят\w*"),
)  # fmt: skip
_UK_NUMBER_WORDS = tuple(
    (v, re.compile(rf"\b(?:{p})\b", re.IGNORECASE)) for v, p in _UK_NUMBER_STEMS
)

# Metric units after a Ukrainian number, and the factors that give the English (imperial)
# number a translator converts to: 1,6 км → a mile, 27 метрів → 30 yards, 27 °C → 80 degrees.
_UK_UNITS: tuple[tuple[re.Pattern[str], tuple[Callable[[float], float], ...]], ...] = (
    (re.compile(r"\s*(?:км\b|кілометр)", re.I), (lambda x: x * 0.621371,)),
    (re.compile(r"\s*(?:м\b|метр)", re.I), (lambda x: x * 1.09361, lambda x: x * 3.28084)),
    (re.compile(r"\s*(?:см\b|сантиметр)", re.I), (lambda x: x * 0.393701,)),
    (re.compile(r"\s*(?:°|градус)", re.I), (lambda x: x * 9 / 5 + 32,)),
    (re.compile(r"\s*(?:кг\b|кілограм)", re.I), (lambda x: x * 2.20462, lambda x: x * 0.157473)),
    (re.compile(r"\s*(?:л\b|літр)", re.I), (lambda x: x * 0.264172, lambda x: x * 1.75975)),
)
_EN_IMPERIAL = re.compile(
    r"\b(?:miles?|yards?|yds?|feet|foot|ft|inch(?:es)?|fahrenheit|degrees|pounds?|lbs?|stones?"
    r"|gallons?|pints?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    """A number or date mention with the paragraph it was found in."""

    key: object
    raw: str
    kind: str  # "number" or "date"
    paragraph: int
    start: int | None
    end: int | None
    value: object | None = None
    unit: str | None = None


def paragraph_mentions(text: str, lang: str, paragraph: int) -> list[Mention]:
    """All number and date mentions of one paragraph, in text order."""
    # The numbers check and the numbers score read the same paragraphs: a pure function of
    # its arguments (mentions are immutable), computed once.
    return list(_cached_mentions(text, lang, paragraph))


@lru_cache(maxsize=8192)
def _cached_mentions(text: str, lang: str, paragraph: int) -> tuple[Mention, ...]:
    if lang == "uk":  # a score written together, 2та1 (= 2&1): two numbers, offsets kept
        text = _GLUED_SCORE.sub(lambda m: " " * len(m.group(0)), text)
    numbers, dates = extract_anchors(text, lang)
    out = [_mention(m, "number", paragraph) for m in numbers]
    out += [_mention(m, "date", paragraph) for m in dates]
    return tuple(sorted(out, key=lambda m: m.start if m.start is not None else -1))


def _mention(anchor: object, kind: str, paragraph: int) -> Mention:
    return Mention(
        key=(kind, anchor.key),
        raw=str(getattr(anchor, "raw", anchor.key)),
        kind=kind,
        paragraph=paragraph,
        start=getattr(anchor, "start", None),
        end=getattr(anchor, "end", None),
        value=getattr(anchor, "value", None),
        unit=getattr(anchor, "unit", None),
    )


def match_unitless(
    missing: list[Mention], added: list[Mention]
) -> tuple[list[Mention], list[Mention]]:
    """Drop pairs of leftover numbers with the same value where only one side has a unit:
    the unit word was most likely just not recognised ("2,5 млрд гривень" / "2.5 billion
    hryvnias"), which is no reason to report a fact as different."""
    added = list(added)
    kept = []
    for m in missing:
        partner = next(
            (
                a
                for a in added
                if m.kind == a.kind == "number"
                and m.value is not None
                and m.value == a.value
                and (m.unit is None or a.unit is None)
            ),
            None,
        )
        if partner is None:
            kept.append(m)
        else:
            added.remove(partner)
    return kept, added


def unmatched(ours: Sequence[Mention], theirs: Sequence[Mention]) -> list[Mention]:
    """Mentions of ``ours`` left over after matching ``theirs`` key by key (multisets)."""
    available = Counter(m.key for m in theirs)
    left = []
    for m in ours:
        if available[m.key] > 0:
            available[m.key] -= 1
        else:
            left.append(m)
    return left


@register_check
class NumbersCheck(Check):
    name = "numbers"
    description = (
        "Every number, percentage, amount and date in one version appears in the aligned "
        "paragraph(s) of the other."
    )
    severities = {
        "missing": Severity.ERROR,
        "added": Severity.ERROR,
        "different": Severity.ERROR,
        "misplaced": Severity.NOTE,
    }
    defaults = {"neighbours": 1}

    def _check_pair(self, ctx: PairContext) -> list[Finding]:
        uk = _mentions_by_paragraph(ctx.uk)
        en = _mentions_by_paragraph(ctx.en)
        beads = ctx.alignment.beads
        window = int(self.settings["neighbours"])
        # Pass 1: what each two-sided bead leaves unmatched. The English mentions of a
        # one-sided bead are all unmatched (the bead itself is the coverage check's business).
        missing: dict[int, list[Mention]] = {}
        added: dict[int, list[Mention]] = {}
        sides: dict[int, tuple[bool, bool]] = {}
        for index, bead in enumerate(beads):
            en_side = [m for i in bead.en for m in en[i]]
            if not bead.uk:
                added[index] = en_side
                continue
            if not bead.en:
                continue
            uk_texts = {i: ctx.uk.paragraphs[i] for i in bead.uk}
            uk_side = [m for i in bead.uk for m in uk[i] if not _in_idiom(m, uk_texts[i])]
            en_text = "\n".join(ctx.texts(bead, "en"))
            left_uk, left_en = match_unitless(
                unmatched(uk_side, en_side), unmatched(en_side, uk_side)
            )
            missing[index], added[index] = _explained(left_uk, left_en, uk_texts, en_text)
            sides[index] = (bool(uk_side), bool(en_side))
        # Pass 2: a Ukrainian mention missing from its bead but left unmatched on the English
        # side of a neighbouring bead is misplaced (one note), not missing plus added.
        misplaced: dict[int, list[Mention]] = {}
        for index in missing:
            near = [
                *range(index - 1, index - window - 1, -1),
                *range(index + 1, index + window + 1),
            ]
            kept = []
            for m in missing[index]:
                pool = next(
                    (added[n] for n in near if any(a.key == m.key for a in added.get(n, ()))),
                    None,
                )
                if pool is None:
                    kept.append(m)
                else:
                    pool.remove(next(a for a in pool if a.key == m.key))
                    misplaced.setdefault(index, []).append(m)
            missing[index] = kept
        findings: list[Finding] = []
        for index in missing:
            bead = beads[index]
            findings += self._report_bead(
                ctx, bead, missing[index], added[index], sides.get(index, (True, True))
            )
            findings += [self._misplaced(ctx, bead, m) for m in misplaced.get(index, ())]
        return findings

    def _report_bead(
        self,
        ctx: PairContext,
        bead: Bead,
        missing: list[Mention],
        added: list[Mention],
        sides: tuple[bool, bool],
    ) -> list[Finding]:
        """Findings of one bead. Confidence: a number on both sides that differs is surely
        wrong (0.95); a number on one side only is likelier a paraphrase when the other
        side's paragraph has numbers of its own all matched (0.8), and likeliest when it has
        no number at all at that place (0.6: "turned around", "from scratch")."""
        findings = []
        for kind in ("number", "date"):
            gone = [m for m in missing if m.kind == kind]
            new = [m for m in added if m.kind == kind]
            for m_uk, m_en in zip(gone, new, strict=False):
                findings.append(
                    self._scored(
                        0.95,
                        f"both versions give a {kind} here, and the values differ",
                        "different",
                        f"{kind} {m_uk.raw!r} in Ukrainian ¶{m_uk.paragraph} reads "
                        f"{m_en.raw!r} in English ¶{m_en.paragraph}",
                        (_at(ctx.uk, m_uk), _at(ctx.en, m_en)),
                        suggestion=f"make both versions give the same {kind}",
                        data={"kind": kind, "uk": m_uk.raw, "en": m_en.raw},
                    )
                )
            pairs = min(len(gone), len(new))
            for m in gone[pairs:]:
                findings.append(
                    self._scored(
                        0.8 if sides[1] else 0.6,
                        "the English paragraph has other numbers"
                        if sides[1]
                        else "the English paragraph has no number here (an idiom or paraphrase?)",
                        "missing",
                        f"{kind} {m.raw!r} of Ukrainian ¶{m.paragraph} is missing from "
                        f"English {paragraphs_label(bead.en)}",
                        (_at(ctx.uk, m), *ctx.locations(bead, "en")),
                        suggestion=f"add {m.raw!r} to the English text or check the Ukrainian",
                        data={"kind": kind, "uk": m.raw},
                    )
                )
            for m in new[pairs:]:
                findings.append(
                    self._scored(
                        0.8 if sides[0] else 0.6,
                        "the Ukrainian paragraph has other numbers"
                        if sides[0]
                        else "the Ukrainian paragraph has no number here (an idiom or paraphrase?)",
                        "added",
                        f"{kind} {m.raw!r} of English ¶{m.paragraph} is not in Ukrainian "
                        f"{paragraphs_label(bead.uk)}",
                        (*ctx.locations(bead, "uk"), _at(ctx.en, m)),
                        suggestion=f"check {m.raw!r} against the Ukrainian source",
                        data={"kind": kind, "en": m.raw},
                    )
                )
        return findings

    def _scored(
        self,
        confidence: float,
        evidence: str,
        kind: str,
        message: str,
        locations: Sequence[Location],
        suggestion: str,
        data: dict[str, object],
    ) -> Finding:
        """A finding whose severity follows from its confidence (:mod:`eval.confidence`)."""
        finding = self.finding(kind, message, locations, suggestion=suggestion, data=data)
        return with_confidence(finding, confidence, evidence)

    def _misplaced(self, ctx: PairContext, bead: Bead, m: Mention) -> Finding:
        finding = self.finding(
            "misplaced",
            f"{m.kind} {m.raw!r} of Ukrainian ¶{m.paragraph} appears in a neighbouring "
            f"paragraph of the English version, not in the aligned {paragraphs_label(bead.en)}",
            (_at(ctx.uk, m), *ctx.locations(bead, "en")),
            suggestion="check the paragraph alignment around here",
            data={"kind": m.kind, "uk": m.raw},
        )
        # the fact is there, one paragraph off: a note whatever the configured ceiling
        evidence = "the same value is in a neighbouring English paragraph"
        return with_confidence(finding, 0.5, evidence)


def _in_idiom(m: Mention, text: str) -> bool:
    """Whether a Ukrainian mention is the number of an idiom (:data:`UK_NUMBER_IDIOMS`)."""
    if m.start is None:
        return False
    return any(
        i.start() <= m.start < i.end()
        for _, pattern in UK_NUMBER_IDIOMS
        for i in pattern.finditer(text)
    )


def _converted(m_uk: Mention, m_en: Mention, uk_text: str) -> bool:
    """Whether an English number is a Ukrainian one converted: 24-hour time to 12-hour
    (17:30 → 5.30pm, 13:00 → 1), or a metric amount to an imperial one (±8 %)."""
    if not isinstance(m_uk.value, (int, float)) or not isinstance(m_en.value, (int, float)):
        return False
    uk_value, en_value = float(m_uk.value), float(m_en.value)
    if ":" in m_uk.raw and uk_value >= 12:
        hours, minutes = divmod(round(uk_value * 60), 60)
        twelve = hours - 12 if hours > 12 else hours
        if abs(en_value - (twelve + minutes / 100)) < 1e-6 or abs(en_value - twelve) < 1e-6:
            return True
    after = uk_text[m_uk.end :] if m_uk.end is not None else ""
    for unit, factors in _UK_UNITS:
        if unit.match(after):
            return any(abs(f(uk_value) - en_value) <= 0.08 * max(1.0, f(uk_value)) for f in factors)
    return False


def _explained(
    missing: list[Mention], added: list[Mention], uk_texts: dict[int, str], en_text: str
) -> tuple[list[Mention], list[Mention]]:
    """Leftover mentions less those a translation explains: a converted unit or time, a
    number the other side spells out, an amount the English gives only in imperial units
    (*1,6 км* → *about a mile*), an English number a Ukrainian word implies (*за добу* → *24
    hours*, *нульових* → *2000s*)."""
    added = list(added)
    kept_missing = []
    en_words = {w.lower() for w in re.findall(r"[A-Za-z]+", en_text)}
    for m in missing:
        text = uk_texts.get(m.paragraph, "")
        partner = next((a for a in added if _converted(m, a, text)), None)
        if partner is not None:
            added.remove(partner)
            continue
        if m.kind == "number" and any(_EN_NUMBER_WORDS.get(w) == m.value for w in en_words):
            continue
        after = text[m.end :] if m.end is not None else ""
        if any(u.match(after) for u, _ in _UK_UNITS) and _EN_IMPERIAL.search(en_text):
            continue
        kept_missing.append(m)
    uk_all = "\n".join(uk_texts.values())
    kept_added = [
        a
        for a in added
        if not any(
            value == a.value and pattern.search(uk_all)
            for value, pattern in (*UK_IMPLIED_NUMBERS, *_UK_NUMBER_WORDS)
        )
    ]
    return kept_missing, kept_added


def _mentions_by_paragraph(article: Article) -> list[list[Mention]]:
    return [paragraph_mentions(p, article.lang, i) for i, p in enumerate(article.paragraphs)]


def _at(article: Article, m: Mention) -> Location:
    return Location(article.id, article.lang, m.paragraph, m.start, m.end)

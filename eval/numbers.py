"""The ``numbers`` check: every number, percentage, amount and date of one version appears in
the aligned paragraph(s) of the other.

Mentions come from :func:`aligner.numbers.extract_anchors`, which normalises them to
locale-independent keys (``1 000 000`` and ``1,000,000``, ``3,5`` and ``3.5``, ``2,5 млрд``
and ``2.5 billion``, ``27 листопада`` and ``November 27`` share a key). The two sides of each
bead are compared as multisets, so "5 … 5" against one "5" is a missing number. A mention
that is missing from its bead but present on the other side of a neighbouring bead is
reported as ``misplaced`` (a note: most likely the paragraph boundary moved, not the fact).
One-sided beads are left to the ``coverage`` check.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.alignment import Bead
from aligner.document import Article
from aligner.numbers import extract_anchors
from eval.base import Check, Finding, Location, PairContext, Severity, register_check

__all__ = ["NumbersCheck", "Mention"]


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
    numbers, dates = extract_anchors(text, lang)
    out = [_mention(m, "number", paragraph) for m in numbers]
    out += [_mention(m, "date", paragraph) for m in dates]
    return sorted(out, key=lambda m: m.start if m.start is not None else -1)


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
        findings: list[Finding] = []
        for index, bead in enumerate(beads):
            if bead.is_one_sided:
                continue
            uk_side = [m for i in bead.uk for m in uk[i]]
            en_side = [m for i in bead.en for m in en[i]]
            missing = unmatched(uk_side, en_side)
            added = unmatched(en_side, uk_side)
            missing, added = match_unitless(missing, added)
            if not missing and not added:
                continue
            near = beads[max(0, index - window) : index] + beads[index + 1 : index + 1 + window]
            near_en = Counter(m.key for b in near for i in b.en for m in en[i])
            near_uk = Counter(m.key for b in near for i in b.uk for m in uk[i])
            missing, misplaced_uk = _split_misplaced(missing, near_en)
            added, misplaced_en = _split_misplaced(added, near_uk)
            findings += self._report_bead(ctx, bead, missing, added)
            findings += [self._misplaced(ctx, bead, m, "uk") for m in misplaced_uk]
            findings += [self._misplaced(ctx, bead, m, "en") for m in misplaced_en]
        return findings

    def _report_bead(
        self, ctx: PairContext, bead: Bead, missing: list[Mention], added: list[Mention]
    ) -> list[Finding]:
        findings = []
        for kind in ("number", "date"):
            gone = [m for m in missing if m.kind == kind]
            new = [m for m in added if m.kind == kind]
            for m_uk, m_en in zip(gone, new, strict=False):
                findings.append(
                    self.finding(
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
                    self.finding(
                        "missing",
                        f"{kind} {m.raw!r} of Ukrainian ¶{m.paragraph} is missing from "
                        f"English {_paragraphs(bead.en)}",
                        (_at(ctx.uk, m), *ctx.locations(bead, "en")),
                        suggestion=f"add {m.raw!r} to the English text or check the Ukrainian",
                        data={"kind": kind, "uk": m.raw},
                    )
                )
            for m in new[pairs:]:
                findings.append(
                    self.finding(
                        "added",
                        f"{kind} {m.raw!r} of English ¶{m.paragraph} is not in Ukrainian "
                        f"{_paragraphs(bead.uk)}",
                        (*ctx.locations(bead, "uk"), _at(ctx.en, m)),
                        suggestion=f"check {m.raw!r} against the Ukrainian source",
                        data={"kind": kind, "en": m.raw},
                    )
                )
        return findings

    def _misplaced(self, ctx: PairContext, bead: Bead, m: Mention, lang: str) -> Finding:
        article = ctx.uk if lang == "uk" else ctx.en
        other = "en" if lang == "uk" else "uk"
        return self.finding(
            "misplaced",
            f"{m.kind} {m.raw!r} of {_LANG[lang]} ¶{m.paragraph} appears in a neighbouring "
            f"paragraph of the {_LANG[other]} version, not in the aligned one",
            (_at(article, m), *ctx.locations(bead, other)),
            suggestion="check the paragraph alignment around here",
            data={"kind": m.kind, lang: m.raw},
        )


_LANG = {"uk": "Ukrainian", "en": "English"}


def _mentions_by_paragraph(article: Article) -> list[list[Mention]]:
    return [paragraph_mentions(p, article.lang, i) for i, p in enumerate(article.paragraphs)]


def _split_misplaced(
    mentions: list[Mention], nearby: Counter
) -> tuple[list[Mention], list[Mention]]:
    kept, misplaced = [], []
    for m in mentions:
        if nearby[m.key] > 0:
            nearby[m.key] -= 1
            misplaced.append(m)
        else:
            kept.append(m)
    return kept, misplaced


def _at(article: Article, m: Mention) -> Location:
    return Location(article.id, article.lang, m.paragraph, m.start, m.end)


def _paragraphs(indices: Sequence[int]) -> str:
    return ", ".join(f"¶{i}" for i in indices)

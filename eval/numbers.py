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

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

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

__all__ = ["Mention", "NumbersCheck", "match_unitless", "paragraph_mentions", "unmatched"]


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
        # Pass 1: what each two-sided bead leaves unmatched. The English mentions of a
        # one-sided bead are all unmatched (the bead itself is the coverage check's business).
        missing: dict[int, list[Mention]] = {}
        added: dict[int, list[Mention]] = {}
        for index, bead in enumerate(beads):
            en_side = [m for i in bead.en for m in en[i]]
            if not bead.uk:
                added[index] = en_side
                continue
            if not bead.en:
                continue
            uk_side = [m for i in bead.uk for m in uk[i]]
            missing[index], added[index] = match_unitless(
                unmatched(uk_side, en_side), unmatched(en_side, uk_side)
            )
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
            findings += self._report_bead(ctx, bead, missing[index], added[index])
            findings += [self._misplaced(ctx, bead, m) for m in misplaced.get(index, ())]
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
                        f"English {paragraphs_label(bead.en)}",
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
                        f"{paragraphs_label(bead.uk)}",
                        (*ctx.locations(bead, "uk"), _at(ctx.en, m)),
                        suggestion=f"check {m.raw!r} against the Ukrainian source",
                        data={"kind": kind, "en": m.raw},
                    )
                )
        return findings

    def _misplaced(self, ctx: PairContext, bead: Bead, m: Mention) -> Finding:
        return self.finding(
            "misplaced",
            f"{m.kind} {m.raw!r} of Ukrainian ¶{m.paragraph} appears in a neighbouring "
            f"paragraph of the English version, not in the aligned {paragraphs_label(bead.en)}",
            (_at(ctx.uk, m), *ctx.locations(bead, "en")),
            suggestion="check the paragraph alignment around here",
            data={"kind": m.kind, "uk": m.raw},
        )


def _mentions_by_paragraph(article: Article) -> list[list[Mention]]:
    return [paragraph_mentions(p, article.lang, i) for i, p in enumerate(article.paragraphs)]


def _at(article: Article, m: Mention) -> Location:
    return Location(article.id, article.lang, m.paragraph, m.start, m.end)

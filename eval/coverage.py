"""The ``coverage`` check: is everything there, and in the right language?

For a pair: paragraphs with no counterpart (``omission``: Ukrainian only; ``addition``:
English only) and beads whose English/Ukrainian length ratio is far from the document's
usual ratio (``length_ratio``: part of a paragraph was likely left out or added).
For each article: an English paragraph still written in Cyrillic (``untranslated``), and a
"Ukrainian" text that is actually Russian (``russian``: the whole article; ``russian_paragraph``:
one paragraph).
"""

from __future__ import annotations

import statistics

from aligner.document import Article
from aligner.language import detect_language
from eval.base import (
    Check,
    Finding,
    Location,
    PairContext,
    Severity,
    paragraphs_label,
    register_check,
)

__all__ = ["CoverageCheck", "cyrillic_share"]


def cyrillic_share(text: str) -> tuple[float, int]:
    """The share of Cyrillic letters among the letters of ``text``, and the letter count."""
    letters = cyrillic = 0
    for char in text:
        if char.isalpha():
            letters += 1
            if "\u0400" <= char <= "\u052f":
                cyrillic += 1
    return (cyrillic / letters if letters else 0.0), letters


def _preview(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


#: By the language of a paragraph alone in its bead: the finding's kind, the two languages'
#: names, and what to do.
_ONE_SIDED = {
    "uk": (
        "omission",
        "Ukrainian",
        "English",
        "translate the paragraph or confirm it is left out on purpose",
    ),
    "en": (
        "addition",
        "English",
        "Ukrainian",
        "check that the added text is meant to be in the English version only",
    ),
}


@register_check
class CoverageCheck(Check):
    name = "coverage"
    description = (
        "Omitted and added paragraphs, length-ratio outliers, untranslated English paragraphs "
        "and Russian text passed off as Ukrainian."
    )
    severities = {
        "omission": Severity.WARNING,
        "addition": Severity.WARNING,
        "length_ratio": Severity.WARNING,
        "untranslated": Severity.ERROR,
        "russian": Severity.ERROR,
        "russian_paragraph": Severity.WARNING,
    }
    defaults = {
        # A bead is an outlier when its en/uk length ratio differs from the document's median
        # ratio by more than this factor (either way) ...
        "max_ratio_factor": 2.0,
        # ... and its longer side has at least this many characters.
        "min_chars": 80,
        # With fewer two-sided beads than this, compare against expected_ratio instead of the
        # document's median.
        "min_beads_for_median": 4,
        "expected_ratio": 1.0,
        # An English paragraph is untranslated when this share of its letters is Cyrillic.
        "untranslated_share": 0.5,
        # Paragraphs with fewer letters are too short to judge their language.
        "min_letters": 20,
    }

    # -- pair -----------------------------------------------------------------------------

    def _check_pair(self, ctx: PairContext) -> list[Finding]:
        findings = []
        for bead in ctx.alignment.beads:
            if bead.is_one_sided:
                lang = "uk" if bead.uk else "en"
                findings += [self._one_sided(ctx, lang, i) for i in (bead.uk or bead.en)]
        findings += self._length_outliers(ctx)
        return findings

    def _one_sided(self, ctx: PairContext, lang: str, index: int) -> Finding:
        """An ``omission`` (a Ukrainian paragraph alone) or an ``addition`` (English alone)."""
        kind, side, other, suggestion = _ONE_SIDED[lang]
        article = ctx.uk if lang == "uk" else ctx.en
        return self.finding(
            kind,
            f"{side} ¶{index} has no {other} counterpart: {_preview(article.paragraphs[index])!r}",
            (Location(article.id, lang, index),),
            suggestion=suggestion,
        )

    def _length_outliers(self, ctx: PairContext) -> list[Finding]:
        two_sided = [b for b in ctx.alignment.beads if not b.is_one_sided]
        lengths = [
            (b, sum(len(t) for t in ctx.texts(b, "uk")), sum(len(t) for t in ctx.texts(b, "en")))
            for b in two_sided
        ]
        ratios = [en / uk for _, uk, en in lengths if uk and en]
        if len(ratios) >= int(self.settings["min_beads_for_median"]):
            usual = statistics.median(ratios)
        else:
            usual = float(self.settings["expected_ratio"])
        factor = float(self.settings["max_ratio_factor"])
        min_chars = int(self.settings["min_chars"])
        findings = []
        for bead, uk_len, en_len in lengths:
            if max(uk_len, en_len) < min_chars or not uk_len or not en_len:
                continue
            relative = (en_len / uk_len) / usual
            if 1 / factor <= relative <= factor:
                continue
            shorter = "English" if relative < 1 else "Ukrainian"
            findings.append(
                self.finding(
                    "length_ratio",
                    f"the {shorter} side of Ukrainian {paragraphs_label(bead.uk)} / English "
                    f"{paragraphs_label(bead.en)} is unusually short ({en_len} English characters "
                    f"for {uk_len} Ukrainian; the document's usual ratio is {usual:.2f})",
                    ctx.locations(bead, "uk") + ctx.locations(bead, "en"),
                    suggestion=f"check whether part of the text is missing from the {shorter} "
                    "version",
                    data={
                        "uk_chars": uk_len,
                        "en_chars": en_len,
                        "ratio": round(en_len / uk_len, 3),
                        "usual_ratio": round(usual, 3),
                    },
                )
            )
        return findings

    # -- article --------------------------------------------------------------------------

    def _check_article(self, article: Article, style: object | None) -> list[Finding]:
        if article.lang == "en":
            return self._untranslated(article)
        if article.lang == "uk":
            return self._russian(article)
        return []

    def _untranslated(self, article: Article) -> list[Finding]:
        threshold = float(self.settings["untranslated_share"])
        min_letters = int(self.settings["min_letters"])
        findings = []
        for i, text in enumerate(article.paragraphs):
            share, letters = cyrillic_share(text)
            if letters >= min_letters and share >= threshold:
                findings.append(
                    self.finding(
                        "untranslated",
                        f"English ¶{i} is still in Cyrillic ({share:.0%} of its letters): "
                        f"{_preview(text)!r}",
                        (Location(article.id, article.lang, i),),
                        suggestion="translate the paragraph",
                        data={"cyrillic_share": round(share, 3)},
                    )
                )
        return findings

    def _russian(self, article: Article) -> list[Finding]:
        if detect_language(article.text) == "ru":
            return [
                self.finding(
                    "russian",
                    f"the Ukrainian version {article.id!r} is written in Russian "
                    "(it has ы э ъ ё and lacks і ї є ґ)",
                    (Location(article.id, article.lang),),
                    suggestion="use the Ukrainian text of the article",
                )
            ]
        min_letters = int(self.settings["min_letters"])
        findings = []
        for i, text in enumerate(article.paragraphs):
            if cyrillic_share(text)[1] < min_letters:
                continue
            if detect_language(text) == "ru":
                findings.append(
                    self.finding(
                        "russian_paragraph",
                        f"Ukrainian ¶{i} is in Russian: {_preview(text)!r}",
                        (Location(article.id, article.lang, i),),
                        suggestion="translate the paragraph into Ukrainian unless it is a "
                        "quotation meant to stay in Russian",
                    )
                )
        return findings

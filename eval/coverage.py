"""The ``coverage`` check: is everything there, and in the right language?

For a pair: paragraphs with no counterpart (``omission``: Ukrainian only; ``addition``:
English only) and beads whose English/Ukrainian length ratio is far from the document's
usual ratio (``length_ratio``: part of a paragraph was likely left out or added).
For each article: an English paragraph still written in Cyrillic (``untranslated``), and a
"Ukrainian" text that is actually Russian (``russian``: the whole article; ``russian_paragraph``:
one paragraph).

Every finding carries a ``confidence`` in [0, 1] and its ``evidence`` in ``data``; the
severity follows from the confidence by the thresholds of :mod:`eval.confidence` (the kind's
severity is the ceiling). A one-sided paragraph's confidence is that it is really left out
(:func:`one_sided_confidence`): the aligner's bead confidence, raised by what the paragraph
carries on its own — its length and its anchors (numbers, dates, names). The short one-line
paragraphs the aligner splits off a 2-1 bead have neither, so they fall to notes.
"""

from __future__ import annotations

import re
import statistics

from aligner.document import Article
from aligner.language import LetterKinds, has_russian_letters, language_of_letters, letter_kinds
from aligner.names import extract_names
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

__all__ = ["CoverageCheck", "cyrillic_share", "one_sided_confidence"]

#: The evidence a one-sided paragraph carries on its own (:func:`one_sided_confidence`):
#: a base for being a paragraph at all, one part per ``EVIDENCE_CHARS`` characters, and
#: ``EVIDENCE_PER_ANCHOR`` per number, date or name, capped at ``EVIDENCE_CAP``. Settled on
#: wmt22-uk-en/align (gold one-sided paragraphs), reported on ntrex-en-uk (BENCHMARKS.md).
EVIDENCE_BASE = 0.5
EVIDENCE_CHARS = 300
EVIDENCE_PER_ANCHOR = 0.05
EVIDENCE_CAP = 0.95
#: Fixed confidences of the kinds that do not rest on a one-sided bead: the Russian-language
#: detector gives a label, not a score; an untranslated paragraph is a measured Cyrillic share
#: over the configured line; a length outlier is likely, not sure, to be a partial omission
#: (a warning at most). Their evidence is in ``data`` all the same.
RUSSIAN_CONFIDENCE = 0.95
UNTRANSLATED_CONFIDENCE = 0.95
LENGTH_RATIO_CONFIDENCE = 0.8


_CYRILLIC_BLOCK = re.compile("[\u0400-\u052f]")


def cyrillic_share(text: str) -> tuple[float, int]:
    """The share of Cyrillic letters among the letters of ``text``, and the letter count."""
    letters = sum(map(str.isalpha, text))
    cyrillic = sum(map(str.isalpha, _CYRILLIC_BLOCK.findall(text)))
    return (cyrillic / letters if letters else 0.0), letters


def one_sided_confidence(bead_confidence: float, chars: int, anchors: int) -> tuple[float, float]:
    """How sure a one-sided paragraph is really left out, and the paragraph's own evidence.

    ``1 - (1 - bead_confidence) * (1 - evidence)``: the aligner's doubt about the bead,
    reduced by the evidence the paragraph carries (``chars`` characters, ``anchors`` numbers,
    dates and names). A long paragraph with names and numbers that no paragraph of the other
    version matches is an omission even when the aligner is unsure of the bead; a one-line
    paragraph without anchors is one only when the aligner is sure.

    >>> one_sided_confidence(0.1, 30, 0)[0] < 0.7 <= one_sided_confidence(0.1, 200, 3)[0]
    True
    """
    evidence = min(
        EVIDENCE_CAP, EVIDENCE_BASE + chars / EVIDENCE_CHARS + EVIDENCE_PER_ANCHOR * anchors
    )
    confidence = 1 - (1 - bead_confidence) * (1 - evidence)
    return round(confidence, 3), round(evidence, 3)


def _anchor_count(text: str, lang: str) -> tuple[int, int]:
    """Numbers and dates, and name mentions, in ``text``."""
    numbers, dates = extract_anchors(text, lang)
    return len(numbers) + len(dates), len(extract_names(text, lang))


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
                findings += [
                    self._one_sided(ctx, lang, i, bead.confidence) for i in (bead.uk or bead.en)
                ]
        findings += self._length_outliers(ctx)
        return findings

    def _one_sided(
        self, ctx: PairContext, lang: str, index: int, bead_confidence: float
    ) -> Finding:
        """An ``omission`` (a Ukrainian paragraph alone) or an ``addition`` (English alone)."""
        kind, side, other, suggestion = _ONE_SIDED[lang]
        article = ctx.uk if lang == "uk" else ctx.en
        text = article.paragraphs[index]
        numbers, names = _anchor_count(text, lang)
        confidence, evidence = one_sided_confidence(bead_confidence, len(text), numbers + names)
        finding = self.finding(
            kind,
            f"{side} ¶{index} has no {other} counterpart (confidence {confidence:.2f}): "
            f"{_preview(text)!r}",
            (Location(article.id, lang, index),),
            suggestion=suggestion,
        )
        return with_confidence(
            finding,
            confidence,
            {
                "bead_confidence": round(bead_confidence, 3),
                "chars": len(text),
                "numbers": numbers,
                "names": names,
                "paragraph_evidence": evidence,
            },
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
            finding = self.finding(
                "length_ratio",
                f"the {shorter} side of Ukrainian {paragraphs_label(bead.uk)} / English "
                f"{paragraphs_label(bead.en)} is unusually short ({en_len} English characters "
                f"for {uk_len} Ukrainian; the document's usual ratio is {usual:.2f})",
                ctx.locations(bead, "uk") + ctx.locations(bead, "en"),
                suggestion=f"check whether part of the text is missing from the {shorter} version",
                data={
                    "uk_chars": uk_len,
                    "en_chars": en_len,
                    "ratio": round(en_len / uk_len, 3),
                    "usual_ratio": round(usual, 3),
                },
            )
            evidence = {"relative_ratio": round(relative, 3), "bead_confidence": bead.confidence}
            findings.append(with_confidence(finding, LENGTH_RATIO_CONFIDENCE, evidence))
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
                finding = self.finding(
                    "untranslated",
                    f"English ¶{i} is still in Cyrillic ({share:.0%} of its letters): "
                    f"{_preview(text)!r}",
                    (Location(article.id, article.lang, i),),
                    suggestion="translate the paragraph",
                    data={"cyrillic_share": round(share, 3)},
                )
                evidence = {"cyrillic_share": round(share, 3), "letters": letters}
                findings.append(with_confidence(finding, UNTRANSLATED_CONFIDENCE, evidence))
        return findings

    def _russian(self, article: Article) -> list[Finding]:
        if not any(map(has_russian_letters, article.paragraphs)):
            return []  # no ы э ъ ё: neither the article nor a paragraph can be Russian
        # each paragraph's letters are counted once: the article's are their sum (its text
        # joins them with blank lines, which hold no letter)
        kinds = [letter_kinds(text) for text in article.paragraphs]
        if language_of_letters(LetterKinds.total(kinds)) == "ru":
            finding = self.finding(
                "russian",
                f"the Ukrainian version {article.id!r} is written in Russian "
                "(it has ы э ъ ё and lacks і ї є ґ)",
                (Location(article.id, article.lang),),
                suggestion="use the Ukrainian text of the article",
            )
            return [with_confidence(finding, RUSSIAN_CONFIDENCE, {"detected": "ru"})]
        min_letters = int(self.settings["min_letters"])
        findings = []
        for i, (text, counts) in enumerate(zip(article.paragraphs, kinds, strict=True)):
            if counts.letters < min_letters:
                continue
            if language_of_letters(counts) == "ru":
                finding = self.finding(
                    "russian_paragraph",
                    f"Ukrainian ¶{i} is in Russian: {_preview(text)!r}",
                    (Location(article.id, article.lang, i),),
                    suggestion="translate the paragraph into Ukrainian unless it is a "
                    "quotation meant to stay in Russian",
                )
                evidence = {"detected": "ru", "letters": counts.letters}
                findings.append(with_confidence(finding, RUSSIAN_CONFIDENCE, evidence))
        return findings

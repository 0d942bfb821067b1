"""The ``adequacy`` check: does each English paragraph say what the Ukrainian one says?

Needs a translation bridge (the English machine translation of each Ukrainian paragraph).
For every two-sided bead it scores the bridge of the Ukrainian side against the English side
with sentence-level chrF (sacrebleu's ``CHRF().sentence_score``; chrF, not BLEU, because
BLEU means little on one short segment). A bead is reported when its score is below an
absolute floor (``low``: likely a different or badly wrong text), or far below the document's
own scores (``outlier``: a robust z-score against the median and median absolute deviation).

Confidence (:mod:`eval.confidence`): a ``low`` bead starts at 0.75 at the floor and rises by
0.01 per chrF point below it (at most 0.95) — far below the floor, the texts really differ;
an ``outlier`` starts at 0.5 and rises with the distance past ``max_deviation`` (at most 0.85),
a note by default since a dip against the document says less than an absolute floor.
"""

from __future__ import annotations

import statistics

from eval.base import Check, Finding, PairContext, Severity, paragraphs_label, register_check
from eval.confidence import with_confidence

__all__ = ["AdequacyCheck", "bead_scores"]


def bead_scores(ctx: PairContext) -> list[tuple[int, float]]:
    """(bead index, chrF) for every two-sided bead; empty without a bridge."""
    if ctx.bridge is None:
        return []
    from sacrebleu.metrics import CHRF

    chrf = CHRF()
    scores = []
    for index, bead in enumerate(ctx.alignment.beads):
        if bead.is_one_sided:
            continue
        hypothesis = " ".join(ctx.bridge[i] for i in bead.uk)
        reference = " ".join(ctx.texts(bead, "en"))
        scores.append((index, chrf.sentence_score(hypothesis, [reference]).score))
    return scores


@register_check
class AdequacyCheck(Check):
    name = "adequacy"
    description = (
        "With a translation bridge: paragraph chrF between the machine translation of the "
        "Ukrainian side and the English side, flagging low scores and outliers."
    )
    needs_bridge = True
    severities = {"low": Severity.WARNING, "outlier": Severity.NOTE}
    defaults = {
        # chrF below this is reported whatever the rest of the document looks like.
        "floor": 25.0,
        # A bead is an outlier when its robust z-score is below -max_deviation ...
        "max_deviation": 3.5,
        # ... and it is at least this many chrF points below the document's median.
        "min_drop": 15.0,
        # Outliers need at least this many scored beads to compare against.
        "min_beads": 5,
        # Beads with a shorter English side are not judged: short paragraphs are often
        # rephrased, and chrF on a few words swings widely.
        "min_chars": 60,
    }

    def _check_pair(self, ctx: PairContext) -> list[Finding]:
        scores = bead_scores(ctx)
        if not scores:
            return []
        values = [s for _, s in scores]
        median = statistics.median(values)
        # 1.4826 * MAD estimates the standard deviation of normal data; the floor keeps a
        # document of near-identical scores from turning a small dip into an outlier.
        spread = max(1.4826 * statistics.median(abs(s - median) for s in values), _MIN_SPREAD)
        floor = float(self.settings["floor"])
        enough = len(values) >= int(self.settings["min_beads"])
        min_chars = int(self.settings["min_chars"])
        findings = []
        for index, score in scores:
            bead = ctx.alignment.beads[index]
            if sum(len(t) for t in ctx.texts(bead, "en")) < min_chars:
                continue
            locations = ctx.locations(bead, "uk") + ctx.locations(bead, "en")
            where = f"Ukrainian {paragraphs_label(bead.uk)} / English {paragraphs_label(bead.en)}"
            data = {"chrf": round(score, 2), "document_median": round(median, 2)}
            z = (score - median) / spread
            if score < floor:
                finding = self.finding(
                    "low",
                    f"{where}: chrF {score:.1f} between the machine translation and the "
                    f"English text is below {floor:g}; they may say different things",
                    locations,
                    suggestion="compare the English paragraph with the Ukrainian one",
                    data=data,
                )
                confidence = min(0.95, 0.75 + (floor - score) / 100)
                findings.append(with_confidence(finding, confidence, {"floor": floor}))
            elif (
                enough
                and z < -float(self.settings["max_deviation"])
                and median - score >= float(self.settings["min_drop"])
            ):
                finding = self.finding(
                    "outlier",
                    f"{where}: chrF {score:.1f} is far below the document's median {median:.1f}",
                    locations,
                    suggestion="compare the English paragraph with the Ukrainian one",
                    data={**data, "z": round(z, 2)},
                )
                past = -z - float(self.settings["max_deviation"])
                confidence = min(0.85, 0.5 + past / 10)
                evidence = {"max_deviation": float(self.settings["max_deviation"])}
                findings.append(with_confidence(finding, confidence, evidence))
        return findings


#: The smallest spread (chrF points) a robust z-score divides by.
_MIN_SPREAD = 5.0

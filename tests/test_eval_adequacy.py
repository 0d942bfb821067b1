"""The adequacy check: chrF between the bridge and the English side of each bead."""

from __future__ import annotations

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from eval.adequacy import AdequacyCheck, bead_scores
from eval.base import PairContext, Severity

EN = [
    "The defence minister met his South Korean counterpart in Seoul on Monday.",
    "They discussed air defence deliveries and the training of Ukrainian pilots.",
    "Both sides agreed to meet again before the end of the year in Kyiv.",
    "The ministry said in a statement that the talks had been constructive and open.",
    "Further details of the agreement were not disclosed by either side.",
    "Seoul has so far refused to supply lethal weapons directly to Ukraine.",
]


def _ctx(bridge, en=EN) -> PairContext:
    uk = Article("a", "uk", tuple(f"Абзац {i}." for i in range(len(en))))
    beads = tuple(Bead((i,), (i,)) for i in range(len(en)))
    return PairContext(
        uk, Article("a", "en", tuple(en)), Alignment(beads, len(en), len(en)), bridge
    )


def test_no_bridge_no_findings():
    assert AdequacyCheck().findings_in_pair(_ctx(None)) == []
    assert bead_scores(_ctx(None)) == []


def test_faithful_bridge_passes():
    bridge = [p.replace("The ", "A ") for p in EN]
    assert AdequacyCheck().findings_in_pair(_ctx(bridge)) == []


def test_paragraph_that_says_something_else_is_low():
    bridge = list(EN)
    bridge[3] = "Rain is expected in the western regions tomorrow, with strong winds at night."
    [finding] = AdequacyCheck().findings_in_pair(_ctx(bridge))
    assert (finding.kind, finding.severity) == ("low", Severity.WARNING)
    assert [(loc.lang, loc.paragraph) for loc in finding.locations] == [("uk", 3), ("en", 3)]
    assert finding.data["chrf"] < 25


def test_outlier_relative_to_the_document():
    bridge = list(EN)
    bridge[1] = "They talked about deliveries of weapons and about teaching pilots from Ukraine."
    findings = AdequacyCheck(
        {"floor": 0.0, "max_deviation": 1.0, "min_drop": 5.0}
    ).findings_in_pair(_ctx(bridge))
    assert [(f.kind, f.severity, f.locations[0].paragraph) for f in findings] == [
        ("outlier", Severity.NOTE, 1)
    ]

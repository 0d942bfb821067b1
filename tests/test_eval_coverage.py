"""The coverage check: one-sided paragraphs, length outliers, untranslated and Russian text."""

from __future__ import annotations

import pytest

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from eval.base import PairContext, Severity
from eval.coverage import CoverageCheck, cyrillic_share

UK = "Міністр оборони зустрівся з колегою, щоб обговорити постачання озброєння та спільні навчання."
EN = "The defence minister met his counterpart to discuss arms deliveries and joint exercises."


def _ctx(uk, en, beads) -> PairContext:
    alignment = Alignment(tuple(Bead(u, e) for u, e in beads), len(uk), len(en))
    return PairContext(Article("a", "uk", tuple(uk)), Article("a", "en", tuple(en)), alignment)


def test_one_sided_paragraphs_are_omissions_and_additions():
    ctx = _ctx([UK, UK], [EN, EN], [((0,), (0,)), ((1,), ()), ((), (1,))])
    findings = CoverageCheck().findings_in_pair(ctx)
    assert [
        (f.kind, f.severity, f.locations[0].lang, f.locations[0].paragraph) for f in findings
    ] == [
        ("addition", Severity.WARNING, "en", 1),
        ("omission", Severity.WARNING, "uk", 1),
    ]


def test_clean_pair_has_no_findings():
    ctx = _ctx([UK] * 5, [EN] * 5, [((i,), (i,)) for i in range(5)])
    assert CoverageCheck().findings_in_pair(ctx) == []


def test_half_translated_paragraph_is_a_length_outlier():
    short = "The minister met his counterpart."
    ctx = _ctx([UK] * 5, [EN] * 4 + [short], [((i,), (i,)) for i in range(5)])
    [finding] = CoverageCheck().findings_in_pair(ctx)
    assert finding.kind == "length_ratio"
    assert "English side" in finding.message
    assert {(loc.lang, loc.paragraph) for loc in finding.locations} == {("uk", 4), ("en", 4)}
    assert CoverageCheck({"max_ratio_factor": 3.0}).findings_in_pair(ctx) == []


def test_untranslated_english_paragraph():
    article = Article("a", "en", (EN, UK, "Київ — столиця."))
    [finding] = CoverageCheck().findings_in_article(article)
    assert (finding.kind, finding.severity, finding.locations[0].paragraph) == (
        "untranslated",
        Severity.ERROR,
        1,
    )


def test_quoted_cyrillic_name_is_not_untranslated():
    article = Article("a", "en", ("The sign read «Київ» in large letters above the station door.",))
    assert CoverageCheck().findings_in_article(article) == []


@pytest.mark.parametrize(
    "paragraphs, kinds",
    [
        ((UK,), []),
        (
            ("Министр обороны встретился с коллегой, чтобы обсудить поставки вооружений.",),
            ["russian"],
        ),
        (
            (UK, UK, "Министр обороны встретился с коллегой, чтобы обсудить поставки вооружений."),
            ["russian_paragraph"],
        ),
    ],
)
def test_russian_text_in_ukrainian_version(paragraphs, kinds):
    findings = CoverageCheck().findings_in_article(Article("a", "uk", paragraphs))
    assert [f.kind for f in findings] == kinds


def test_cyrillic_share():
    assert cyrillic_share("Kyiv Київ") == (0.5, 8)
    assert cyrillic_share("123") == (0.0, 0)


def _one_sided_finding(uk_paragraph: str, bead_confidence: float):
    uk, en = [UK, uk_paragraph], [EN]
    beads = (Bead((0,), (0,)), Bead((1,), (), confidence=bead_confidence))
    ctx = PairContext(
        Article("a", "uk", tuple(uk)), Article("a", "en", tuple(en)), Alignment(beads, 2, 1)
    )
    [finding] = CoverageCheck().findings_in_pair(ctx)
    return finding


def test_one_sided_finding_carries_its_confidence_and_evidence():
    finding = _one_sided_finding(UK, 0.9)
    assert finding.severity == Severity.WARNING
    assert finding.data["confidence"] >= 0.9
    assert finding.data["evidence"]["bead_confidence"] == 0.9
    assert finding.data["evidence"]["chars"] == len(UK)


def test_short_paragraph_of_an_unsure_bead_is_a_note():
    # a one-line paragraph the aligner split off a 2-1 bead: no anchors, low bead confidence
    finding = _one_sided_finding("Про це повідомляє агентство.", 0.15)
    assert finding.kind == "omission"
    assert finding.severity == Severity.NOTE
    assert finding.data["confidence"] < 0.7


def test_long_paragraph_with_anchors_stays_a_warning_when_the_bead_is_unsure():
    long = (
        "27 листопада уряд виділив 2,5 млрд грн на відновлення мостів у Харківській області, "
        "повідомив міністр Олександр Кубраков після зустрічі з представниками Світового банку."
    )
    finding = _one_sided_finding(long, 0.15)
    assert finding.severity == Severity.WARNING
    assert finding.data["evidence"]["numbers"] >= 2
    assert finding.data["evidence"]["names"] >= 1


def test_configured_severity_wins_over_confidence():
    uk, en = [UK, "Про це повідомляє агентство."], [EN]
    beads = (Bead((0,), (0,)), Bead((1,), (), confidence=0.15))
    ctx = PairContext(
        Article("a", "uk", tuple(uk)), Article("a", "en", tuple(en)), Alignment(beads, 2, 1)
    )
    [finding] = CoverageCheck({"severity": {"omission": "warning"}}).findings_in_pair(ctx)
    assert finding.severity == Severity.WARNING


def test_one_sided_confidence_rises_with_evidence():
    from eval.coverage import one_sided_confidence

    short, _ = one_sided_confidence(0.2, 30, 0)
    longer, _ = one_sided_confidence(0.2, 100, 0)
    anchored, _ = one_sided_confidence(0.2, 100, 4)
    assert short < longer < anchored <= 1.0
    assert one_sided_confidence(1.0, 0, 0)[0] == 1.0

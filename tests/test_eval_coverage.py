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

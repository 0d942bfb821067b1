"""The numbers check: numbers and dates compared bead by bead as multisets."""

from __future__ import annotations

import pytest

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from eval.base import PairContext, Severity
from eval.numbers import NumbersCheck


def _pair(uk: list[str], en: list[str], beads=None) -> PairContext:
    if beads is None:
        beads = [((i,), (i,)) for i in range(len(uk))]
    alignment = Alignment(tuple(Bead(u, e) for u, e in beads), len(uk), len(en))
    return PairContext(Article("a", "uk", tuple(uk)), Article("a", "en", tuple(en)), alignment)


@pytest.mark.parametrize(
    "uk, en",
    [
        ("Загинули 1 000 000 людей.", "1,000,000 people died."),
        ("Ставка зросла до 3,5%.", "The rate rose to 3.5%."),
        ("Бюджет становить 2,5 млрд гривень.", "The budget is 2.5 billion hryvnias."),
        ("Це сталося 27 листопада.", "It happened on November 27."),
        ("Без чисел.", "No numbers."),
    ],
)
def test_locale_forms_match(uk, en):
    assert NumbersCheck().findings_in_pair(_pair([uk], [en])) == []


def test_different_number_names_both_versions():
    ctx = _pair(
        ["Вступ.", "Уряд виділив 5 млн гривень."], ["Intro.", "It gave 7 million hryvnias."]
    )
    [finding] = NumbersCheck().findings_in_pair(ctx)
    assert (finding.rule, finding.severity) == ("numbers.different", Severity.ERROR)
    uk_loc, en_loc = finding.locations
    assert (uk_loc.lang, uk_loc.paragraph, en_loc.lang, en_loc.paragraph) == ("uk", 1, "en", 1)
    assert ctx.uk.paragraphs[1][uk_loc.start : uk_loc.end].startswith("5 млн")
    assert "7 million" in ctx.en.paragraphs[1][en_loc.start : en_loc.end]


def test_repeated_number_is_compared_as_multiset():
    [finding] = NumbersCheck().findings_in_pair(_pair(["Рахунок: 5 і 5."], ["Score: 5."]))
    assert finding.kind == "missing"
    assert finding.data["uk"] == "5"


def test_missing_and_added_dates():
    findings = NumbersCheck().findings_in_pair(
        _pair(["Зустріч 27 листопада."], ["The meeting, in 2023."])
    )
    assert {f.kind for f in findings} == {"missing", "added"}
    assert all(f.severity is Severity.ERROR for f in findings)


def test_number_in_neighbouring_bead_is_a_note():
    ctx = _pair(
        ["Перший абзац про 40 танків.", "Другий абзац."],
        ["First paragraph.", "Second paragraph about 40 tanks."],
    )
    [finding] = NumbersCheck().findings_in_pair(ctx)
    assert (finding.kind, finding.severity) == ("misplaced", Severity.NOTE)
    assert [(loc.lang, loc.paragraph) for loc in finding.locations] == [("uk", 0), ("en", 0)]
    no_window = NumbersCheck({"neighbours": 0}).findings_in_pair(ctx)
    assert {f.kind for f in no_window} == {"missing", "added"}


def test_unit_recognised_on_one_side_only_is_not_a_difference():
    ctx = _pair(["Бюджет: 2,5 млрд гривень."], ["Budget: 2.5 billion hryvnias."])
    assert NumbersCheck().findings_in_pair(ctx) == []
    [finding] = NumbersCheck().findings_in_pair(_pair(["Бюджет: 3 млрд."], ["Budget: $3 million."]))
    assert finding.kind == "different"


def test_one_sided_beads_are_left_to_coverage():
    ctx = _pair(
        ["Було 12 ракет.", "Ще 3."], ["There were 12 missiles."], [((0,), (0,)), ((1,), ())]
    )
    assert NumbersCheck().findings_in_pair(ctx) == []


def test_joined_paragraphs_are_compared_together():
    ctx = _pair(
        ["Було 12 ракет.", "І 3 дрони."], ["There were 12 missiles and 3 drones."], [((0, 1), (0,))]
    )
    assert NumbersCheck().findings_in_pair(ctx) == []


def test_extra_number_beside_a_matched_one_is_still_added():
    ctx = _pair(
        ["Перший абзац про 40 танків.", "Другий абзац."],
        ["First paragraph about 40 tanks.", "Second paragraph, 40 more."],
    )
    [finding] = NumbersCheck().findings_in_pair(ctx)
    assert (finding.kind, finding.locations[-1].paragraph) == ("added", 1)


def test_number_moved_into_a_one_sided_neighbour_is_misplaced():
    ctx = _pair(
        ["Було 12 ракет і 3 дрони."],
        ["There were 12 missiles.", "And 3 drones."],
        [((0,), (0,)), ((), (1,))],
    )
    [finding] = NumbersCheck().findings_in_pair(ctx)
    assert finding.kind == "misplaced"

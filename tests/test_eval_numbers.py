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
    # one side's number with no partner of its kind: a warning (confidence 0.8), not an error
    assert all(f.severity is Severity.WARNING for f in findings)
    assert all(f.data["confidence"] == 0.8 for f in findings)


def test_a_different_number_is_an_error_with_its_confidence():
    [finding] = NumbersCheck().findings_in_pair(_pair(["Загинули 12 людей."], ["13 people died."]))
    assert finding.kind == "different"
    assert finding.severity is Severity.ERROR
    assert finding.data["confidence"] == 0.95


@pytest.mark.parametrize(
    ("uk", "en"),
    [
        ("Вони раптом повернулися на 180 градусів.", "They suddenly turned around."),
        ("А ви б змогли адаптуватись з 0 за місяць?", "Could you start from scratch?"),
        ("Підйом середини нульових.", "The boom of the mid-2000s."),
        ("За минулу добу знищено танк.", "Over the past 24 hours a tank was destroyed."),
        ("Він був за 1,6 км від місця.", "He was about a mile away."),
        ("Було 27 градусів за Цельсієм.", "It was a sunny 80 degrees."),
        ("Він був за 27 метрів від воріт.", "He was 30 yards out."),
        ("Зустріч о 17:30 у неділю.", "The meeting is at 5.30pm on Sunday."),
        ("Продажі їжі зменшилися на 3%.", "Food sales were down three per cent."),
        ("Вони виграли 2та1.", "They won 2&1."),
        ("Вони були першим та третім.", "They are ranked one and three."),
    ],
)
def test_idioms_conversions_and_spelled_numbers_are_no_findings(uk, en):
    findings = NumbersCheck().findings_in_pair(_pair([uk], [en]))
    assert [f for f in findings if f.severity >= Severity.WARNING] == []


def test_a_number_with_no_number_at_its_place_is_a_note():
    [finding] = NumbersCheck().findings_in_pair(
        _pair(["Було 40 машин."], ["There were many cars."])
    )
    assert finding.kind == "missing"
    assert finding.severity is Severity.NOTE
    assert finding.data["confidence"] == 0.6


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

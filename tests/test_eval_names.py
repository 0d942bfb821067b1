"""Name checks: variants in an article or archive, and names missing across a pair."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from aligner.readers import read_article
from eval.base import PairContext, Severity, get_check
from eval.names import find_missing_names, find_name_variants

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"


def _article(*paragraphs: str, article_id: str = "a") -> Article:
    return Article(article_id, "en", tuple(paragraphs))


def _spelling_sets(articles: list[Article]) -> list[set[str]]:
    return [
        {s for s, _ in g.spellings} for g in find_name_variants(articles) if g.kind != "typographic"
    ]


def test_seed_article_reports_umerov_and_yoon_and_nothing_else_above_note() -> None:
    article = read_article(ROOT / "seeds" / "umerov-south-korea.en.txt")
    findings = get_check("names").findings_in_article(article) + get_check(
        "style"
    ).findings_in_article(article)
    serious = [f for f in findings if f.severity >= Severity.WARNING]
    assert len(serious) == 2
    by_kind = {f.kind: f for f in serious}
    assert set(by_kind["variant"].data["spellings"]) == {"Umerov", "Umyerov"}
    assert set(by_kind["given_name_variant"].data["forms"]) == {"Yoon Suk Yeol", "Yoon Seok-yeol"}
    assert by_kind["variant"].suggestion == "Umerov"  # house style
    # Zelenskyi, spelled one way only, is a house-style note, not a warning.
    notes = [f for f in findings if f.severity == Severity.NOTE]
    assert any(f.data.get("spelling") == "Zelenskyi" for f in notes)


def test_scraped_seed_article_alone() -> None:
    path = SHARED / "seeds" / "umerov-south-korea.en.txt"
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared is absent")
    article = read_article(path, lang="en")
    findings = get_check("names").findings_in_article(article) + get_check(
        "style"
    ).findings_in_article(article)
    serious = sorted(f.kind for f in findings if f.severity >= Severity.WARNING)
    assert serious == ["given_name_variant", "variant"]


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (
            ("Zelensky met Zelenskyy's aides. Zelenskyi left.",),
            {"Zelensky", "Zelenskyy", "Zelenskyi"},
        ),
        (("In Kiev the mayor spoke.", "Kyiv is calm."), {"Kiev", "Kyiv"}),
        (("Shelling of Kharkov continued.", "Kharkiv was hit."), {"Kharkov", "Kharkiv"}),
        (("Residents of Bucha returned.", "In Buchi the streets were empty."), {"Bucha", "Buchi"}),
    ],
)
def test_variants_are_grouped(paragraphs: tuple[str, ...], expected: set[str]) -> None:
    assert _spelling_sets([_article(*paragraphs)]) == [expected]


@pytest.mark.parametrize(
    "paragraphs",
    [
        ("Volodymyr Zelensky and his wife Olena Zelenska arrived.", "Zelenska spoke first."),
        ("Oleksandr spoke to Oleksandra about the trip.",),
        ("Lavrov met the mayor of Lvov.",),
        ("Vladimir Putin spoke; Volodymyr Zelenskyy answered.",),
        ("Rustem Umerov flew to Seoul. Umerov met Kim Yong-hyun and Kim Jong Un's envoy.",),
    ],
)
def test_different_people_and_correct_practice_are_not_variants(
    paragraphs: tuple[str, ...],
) -> None:
    assert _spelling_sets([_article(*paragraphs)]) == []


def test_given_names_are_compared_per_person() -> None:
    one_person = _article(
        "Olha Sukhenko was the village head.", "The body of Olga Sukhenko was found."
    )
    assert _spelling_sets([one_person]) == [{"Olha", "Olga"}]
    # Two private persons called Olga / Olha in two articles: not one person.
    a = _article("Olga wrote that she is fine.", article_id="a")
    b = _article("Olha asked about the flat.", article_id="b")
    assert _spelling_sets([a, b]) == []
    # A given name standing alone belongs to its article.
    c = _article("Her son Oleksandr was abducted.", "The body of Alexander was found.")
    assert _spelling_sets([c]) == [{"Oleksandr", "Alexander"}]


def test_archive_counts_spellings_across_articles() -> None:
    a = _article("Defence minister Umerov arrived.", article_id="a")
    b = _article("Umyerov said the talks went well. Umyerov left.", article_id="b")
    groups = find_name_variants([a, b])
    assert len(groups) == 1
    assert dict(groups[0].spellings) == {"Umyerov": 2, "Umerov": 1}
    assert {loc.article for loc in groups[0].locations} == {"a", "b"}
    findings = get_check("names").findings_in_archive([a, b])
    assert findings[0].severity == Severity.WARNING
    assert findings[0].suggestion == "Umerov"


def test_typographic_differences_are_notes() -> None:
    article = _article("Pedro Sánchez spoke. Later Sanchez left.")
    findings = get_check("names").findings_in_article(article)
    assert [f.kind for f in findings] == ["typographic_variant"]
    assert findings[0].severity == Severity.NOTE


def _pair(uk: list[str], en: list[str]) -> PairContext:
    beads = tuple(Bead((i,), (i,)) for i in range(len(uk)))
    return PairContext(
        Article("p", "uk", tuple(uk)),
        Article("p", "en", tuple(en)),
        Alignment(beads, len(uk), len(en)),
    )


def test_cross_language_names_in_any_case() -> None:
    ctx = _pair(
        [
            "Міністр оборони Рустем Умєров прибув до Києва.",
            "У Харкові зустрілися з Умєровим і Кличком.",
            "Делегація Умєрова поїхала до Львова.",
        ],
        [
            "Defence Minister Rustem Umerov arrived in Kyiv.",
            "In Kharkiv they met Umyerov and Klitschko.",
            "The delegation went to Lviv.",
        ],
    )
    findings = get_check("names").findings_in_pair(ctx)
    assert [(f.kind, f.data["uk"], f.data["expected"]) for f in findings] == [
        ("missing", "Умєрова", "Umerov")
    ]
    assert findings[0].locations[0].paragraph == 2
    assert findings[0].locations[0].lang == "uk"


def test_missing_name_reports_implausible_rendering() -> None:
    missing = find_missing_names(
        ["Зустріч у Бучі з Федоруком."], ["A meeting in Buka with Fedoruk."]
    )
    assert [(m.uk, m.lemma, m.expected) for m in missing] == [("Бучі", "Буча", "Bucha")]


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        # Russian-based vs Ukrainian-based vowels (names in no press table)
        (("Officials in Nezhin said so.", "Residents of Nizhyn left."), {"Nezhin", "Nizhyn"}),
        # Belarusian ў for в
        (
            ("Tsikhanouskaya spoke in Vilnius.", "Tsikhanovskaya left for Warsaw."),
            {"Tsikhanouskaya", "Tsikhanovskaya"},
        ),
        # Belarusian -enka for -enko (a surname no table lists)
        (
            ("Kovalchenka was detained.", "Kovalchenko was released."),
            {"Kovalchenka", "Kovalchenko"},
        ),
        # truncated forms
        (("Shelling of Kramators went on.", "Kramatorsk was hit."), {"Kramators", "Kramatorsk"}),
        (
            ("In Sievierodonets the fighting went on.", "Sievierodonetsk fell."),
            {"Sievierodonets", "Sievierodonetsk"},
        ),
    ],
)
def test_russian_belarusian_and_truncated_forms_are_grouped(
    paragraphs: tuple[str, ...], expected: set[str]
) -> None:
    assert _spelling_sets([_article(*paragraphs)]) == [expected]


@pytest.mark.parametrize(
    "paragraphs",
    [
        ("Petrov met Petrova at the station.",),  # a cut vowel is an ending, not a truncation
        ("Ivanov and the Ivanovs came.",),  # a cut s is English morphology
        ("Biden flew to Baden.",),  # too few consonants for a skeleton
        # skeletons and truncations link inside one article only
    ],
)
def test_skeleton_and_truncation_keep_different_names_apart(paragraphs: tuple[str, ...]) -> None:
    assert _spelling_sets([_article(*paragraphs)]) == []


def test_skeleton_links_only_inside_one_article() -> None:
    a = _article("Officials in Nezhin said so.", article_id="a")
    b = _article("Residents of Nizhyn left.", article_id="b")
    assert _spelling_sets([a, b]) == []


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (("Jacinda spoke in Wellington.", "Dzhasinda left."), {"Jacinda", "Dzhasinda"}),
        (("Macron arrived in Kyiv.", "Makron left on Friday."), {"Macron", "Makron"}),
        (("Johnson resigned.", "Dzhonson was replaced."), {"Johnson", "Dzhonson"}),
    ],
)
def test_foreign_name_back_out_of_cyrillic_is_grouped(
    paragraphs: tuple[str, ...], expected: set[str]
) -> None:
    assert _spelling_sets([_article(*paragraphs)]) == [expected]


def test_round_trip_never_links_a_demonym_or_two_plain_spellings() -> None:
    # French read with ch = k would sound like France; a romanisation reads ch as ч only
    assert _spelling_sets([_article("France voted.", "The French minister spoke.")]) == []
    assert _spelling_sets([_article("Biden flew to Baden.")]) == []

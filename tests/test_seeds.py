"""The seed article pair reads into the expected paragraphs, and its gold alignment is sound."""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from pathlib import Path

import pytest

from aligner.readers import read_article, read_articles

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
UK_FILE = SEEDS / "umerov-south-korea.uk.txt"
EN_FILE = SEEDS / "umerov-south-korea.en.txt"
GOLD_FILE = SEEDS / "umerov-south-korea.gold.json"
SHARED_RAW = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "umerov-south-korea.en.txt"


@pytest.fixture(scope="module")
def uk():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no language mismatch
        return read_article(UK_FILE)


@pytest.fixture(scope="module")
def en():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return read_article(EN_FILE)


def test_seed_metadata(uk, en) -> None:
    assert (uk.id, uk.lang, len(uk)) == ("umerov-south-korea", "uk", 17)
    assert (en.id, en.lang, len(en)) == ("umerov-south-korea", "en", 16)
    assert en.title == "Umerov arrived in South Korea — visit details"
    assert uk.title == "Умєров прибув до Південної Кореї — подробиці візиту"
    assert uk.date == en.date == dt.date(2024, 11, 27)
    assert uk.meta["source"] == en.meta["source"] == "Yonhap"


def test_folder_reads_as_a_pair() -> None:
    articles = read_articles(SEEDS)
    assert sorted((a.id, a.lang) for a in articles) == [
        ("umerov-south-korea", "en"),
        ("umerov-south-korea", "uk"),
    ]


def test_english_keeps_the_real_inconsistencies(en) -> None:
    assert "Rustem Umyerov" in en.paragraphs[0]
    assert "Umerov's visit" in en.paragraphs[5]
    assert "Yoon Suk Yeol" in en.paragraphs[8]
    assert "Yoon Seok-yeol's government" in en.paragraphs[12]
    assert en.text.count("Zelenskyi") == 2


def test_english_has_no_site_furniture(en) -> None:
    for crumb in (
        "Category",
        "Publication date",
        "Читати",
        "More on the topic",
        "Share",
        "How do you like that",
        "cookies",
        "Would you like to switch",
        "Додати",
    ):
        assert crumb not in en.text, crumb
    assert "•" not in en.text
    assert en.paragraphs[1] == "Points of attention"  # subheadings stay paragraphs


def test_english_body_is_word_for_word_the_source(en) -> None:
    if not SHARED_RAW.exists():
        pytest.skip(f"{SHARED_RAW} is absent (../shared is not beside this checkout)")
    raw_lines = {line.strip().lstrip("• ").strip() for line in SHARED_RAW.read_text().split("\n")}
    for paragraph in en.paragraphs:
        assert paragraph in raw_lines, paragraph


def test_ukrainian_spellings_are_consistent(uk) -> None:
    text = uk.text
    assert not re.search(r"[A-Za-z]", text)  # no Latin look-alikes
    assert not re.search(r"[ыэъёЫЭЪЁ]", text)  # no Russian letters
    for form in (
        "Рустем Умєров",
        "Умєрова",
        "Умєрову",
        "Юн Сук Йоль",
        "Кім Йон Хьон",
        "Володимир",
        "Зеленського",
        "Сеул",
        "Києву",
        "27 листопада",
    ):
        assert form in text, form
    for variant in ("Умеров", "Юн Сок Ель", "Зеленскьй", "Кийв"):
        assert variant not in text, variant


def test_gold_alignment_covers_both_versions_in_order(uk, en) -> None:
    beads = json.loads(GOLD_FILE.read_text())
    uk_seen = [i for bead in beads for i in bead[0]]
    en_seen = [j for bead in beads for j in bead[1]]
    assert uk_seen == list(range(len(uk)))
    assert en_seen == list(range(len(en)))
    shapes = sorted((len(u), len(e)) for u, e in beads)
    assert shapes.count((1, 1)) == len(beads) - 3
    assert (1, 0) in shapes and (1, 2) in shapes and (2, 1) in shapes


def test_gold_matches_the_readme() -> None:
    readme = (SEEDS / "README.md").read_text()
    beads = json.loads(GOLD_FILE.read_text())
    for uk_side, en_side in beads:
        written = f"[{uk_side}, {en_side}]".replace(" ", "")
        assert written in readme.replace(" ", ""), written


def test_ukrainian_only_paragraph_has_a_number(uk) -> None:
    beads = json.loads(GOLD_FILE.read_text())
    (only_uk,) = [u for u, e in beads if not e]
    assert re.search(r"\d", uk.paragraphs[only_uk[0]])

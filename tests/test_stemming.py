"""The light stemmers: forms of one word meet on one key, different words stay apart."""

from __future__ import annotations

import pytest

from aligner.stemming import closed_i_to_o, normalize_uk, stem_en, stem_uk, tokenize


@pytest.mark.parametrize(
    "forms",
    [
        "війна війни війні війну війною війн війнами",
        "міністр міністра міністрові міністру міністром міністри міністрів",
        "рік року роки років",
        "ракета ракети ракеті ракет ракетами",
        "новий нова нове нові нового новому новим нових новими новою",
        "український українська українського українські українських українською",
        "рішення рішень рішенням",
        "будинок будинку будинки будинків",
        "кінець кінця кінцем",
        "сторона сторони стороною сторін",
        "ніч ночі",
        "заявила заявили заявило",
        "відбуватися відбувався відбувається відбувалися відбуваються",
        "намагатися намагався намагалася намагається намагаються",
        "гривня гривні гривнею гривнях",
    ],
)
def test_uk_forms_share_a_key(forms: str) -> None:
    keys = {stem_uk(word) for word in forms.split()}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("сім", "сім'я"),  # seven / family
        ("ракети", "ракетка"),
        ("міст", "місто"),  # bridge / city
        ("ріка", "рік"),  # river / year
        ("біль", "білий"),  # pain / white
        ("надія", "надати"),  # hope / provide
        ("депутати", "депутатка"),
    ],
)
def test_uk_different_words_stay_apart(a: str, b: str) -> None:
    assert stem_uk(a) != stem_uk(b)


def test_uk_normalisation_of_apostrophes_case_and_ge() -> None:
    assert stem_uk("Прем’єр") == stem_uk("прем'єр") == stem_uk("ПРЕМʼЄР")
    assert stem_uk("ґрунт") == stem_uk("грунт")
    assert normalize_uk("Сім’я") == "сім'я"


@pytest.mark.parametrize(
    ("word", "alternated"),
    [("рік", "рок"), ("сторін", "сторон"), ("ніч", "ноч"), ("війн", "війн"), ("міста", "міста")],
)
def test_closed_i_becomes_o(word: str, alternated: str) -> None:
    # only і, only in a closed last syllable, never before й
    assert closed_i_to_o(word) == alternated


def test_uk_short_words_are_kept_whole() -> None:
    assert stem_uk("США") == "сша"
    assert stem_uk("мир") == "мир"


def test_uk_hyphenated_words_are_stemmed_by_part() -> None:
    assert stem_uk("прем'єр-міністра") == stem_uk("прем'єр-міністр")


@pytest.mark.parametrize(
    "forms",
    [
        "minister ministers minister's",
        "state states stated stating",
        "report reports reported reporting",
        "country countries",
        "kill killed killing kills",
        "stop stopped stopping",
        "say says said",
        "use used using uses",
        "age aged",
        "carry carried carries",
        "missile missiles",
    ],
)
def test_en_forms_share_a_key(forms: str) -> None:
    keys = {stem_en(word) for word in forms.split()}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("a", "b"),
    [("statement", "state"), ("news", "new"), ("business", "busy"), ("early", "ear")],
)
def test_en_does_not_over_stem(a: str, b: str) -> None:
    assert stem_en(a) != stem_en(b)


def test_en_keeps_short_words_and_invariants() -> None:
    assert stem_en("gas") == "gas"
    assert stem_en("news") == "news"
    assert stem_en("bus") == "bus"
    assert stem_en("Kyiv") == "kyiv"


def test_tokenize_keeps_apostrophes_and_hyphens_inside_words() -> None:
    text = "Прем’єр-міністр сказав: «Україна — 2022»; it's Kyiv-based, don't -stop-"
    assert tokenize(text) == [
        "Прем’єр-міністр",
        "сказав",
        "Україна",
        "it's",
        "Kyiv-based",
        "don't",
        "stop",
    ]


def test_tokenize_drops_digits_and_punctuation() -> None:
    assert tokenize("185 днів, 1.1.2022 — 5%!") == ["днів"]

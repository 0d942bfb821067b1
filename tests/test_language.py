"""Language detection from the script, and the declared-language check."""

from __future__ import annotations

import random
import warnings

import pytest

from aligner.language import (
    LanguageMismatchWarning,
    LetterKinds,
    check_declared_language,
    detect_language,
    has_russian_letters,
    language_of_letters,
    letter_kinds,
)

UK = "Українська делегація на чолі з міністром оборони прибула до Південної Кореї."
RU = "Украинская делегация во главе с министром обороны прибыла в Южную Корею. Это важный этап."
EN = "The Ukrainian delegation headed by the Defense Minister arrived in South Korea."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (UK, "uk"),
        ("Їжак з'їв ґудзик. Є питання?", "uk"),
        ("ЗСУ ЗВІЛЬНИЛИ СЕЛО", "uk"),  # capitals count as well
        (RU, "ru"),
        ("Съешь ещё этих мягких булок.", "ru"),
        (EN, "en"),
        ("Über die Straße", "en"),  # Latin script; the script cannot tell German from English
        # robust to a few foreign words and quotes
        (UK + " Про це повідомляє Yonhap, пише The Korea Herald.", "uk"),
        (EN + ' Ukrainians call the capital "Київ".', "en"),
        (UK * 3 + " «Мы это обсудим», — сказал он.", "uk"),  # a Russian quote in Ukrainian
        (RU * 3 + " Он прибыл в Київ.", "ru"),  # a Ukrainian name in Russian
        # nothing to judge by
        ("", "unknown"),
        ("2024-11-27 — 11 000 / 5,5 %", "unknown"),
        ("윤석열 대통령", "unknown"),
        ("Привет", "unknown"),  # Cyrillic without any Ukrainian- or Russian-only letter
        # half Latin, half Cyrillic: no script holds 60% of the letters
        ("Meeting зустріч talks переговори Seoul Сеул", "unknown"),
        # letters past the Cyrillic Supplement count by their script too
        ("ḶḶḶḶḶḶḶ Київ", "en"),  # Latin Extended Additional: Latin
        ("Ωμέγα Ωμέγα Київ", "unknown"),  # Greek holds most letters: another script
        ("Київ 😀😀😀😀😀😀 \ud800 中", "uk"),  # emoji, a lone surrogate, a CJK letter
        ("中文中文中文中文 Київ", "unknown"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_mismatch_warns_naming_the_source() -> None:
    with pytest.warns(LanguageMismatchWarning, match=r"news/a\.uk\.txt.*English"):
        check_declared_language(EN, "uk", "news/a.uk.txt")


def test_russian_declared_ukrainian_warns() -> None:
    with pytest.warns(LanguageMismatchWarning, match=r"a\.txt.*Russian"):
        check_declared_language(RU, "uk", "a.txt")


def test_ukrainian_declared_english_warns() -> None:
    with pytest.warns(LanguageMismatchWarning, match="Ukrainian"):
        check_declared_language(UK, "en", "b.txt")


@pytest.mark.parametrize(("text", "declared"), [(UK, "uk"), (EN, "en"), ("12 345", "uk")])
def test_no_warning_when_matching_or_undecidable(text: str, declared: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_declared_language(text, declared, "c.txt")


PARAGRAPHS = [
    "Міністр оборони Рустем Умєров заявив про 1,5 млрд гривень.",
    "Министр обороны Рустем Умеров заявил об этом в субботу, объяснив свою позицию.",
    # letters above the NumPy table, a lone surrogate
    "Kyiv, May 5: Umerov met Austin. 𝐁old 𝔉raktur ΑΒΓ 東京 \ud800",
]


@pytest.mark.parametrize("text", PARAGRAPHS)
def test_letter_kinds_count_every_character_and_the_letters_as_str_does(text: str) -> None:
    kinds = letter_kinds(text)
    assert sum(kinds) == len(text)
    assert kinds.letters == sum(map(str.isalpha, text))
    assert language_of_letters(kinds) == detect_language(text)


def test_has_russian_letters_says_whether_a_text_can_be_russian() -> None:
    # what the Russian check of the Ukrainian version tests before it counts every letter
    rng = random.Random(7)
    alphabet = "абвгдежзиклмнопрстуфхцчшщьюяыэъёЫЭЪЁіїєґІЇЄҐ Kyiv,.ʼ'ёё\u0301"
    texts = [*PARAGRAPHS, UK, RU, EN, "Съешь ещё", "ЭТО", "Київ"]
    texts += ["".join(rng.choices(alphabet, k=rng.randint(0, 40))) for _ in range(2000)]
    for text in texts:
        kinds = letter_kinds(text)
        assert has_russian_letters(text) == (kinds.russian > 0), text
        if not has_russian_letters(text):
            assert language_of_letters(kinds) != "ru", text
    assert not has_russian_letters(UK) and has_russian_letters(RU)


def test_the_letter_kinds_of_paragraphs_add_up_to_those_of_the_article() -> None:
    kinds = [letter_kinds(text) for text in PARAGRAPHS]
    total = LetterKinds.total(kinds)
    assert total == letter_kinds("\n\n".join(PARAGRAPHS))._replace(
        not_letters=total.not_letters
    )  # the blank lines between paragraphs are no letters
    assert language_of_letters(LetterKinds.total(kinds[:2])) == detect_language(
        "\n\n".join(PARAGRAPHS[:2])
    )
    assert LetterKinds.total([]) == letter_kinds("")

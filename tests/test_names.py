"""Name extraction, declension undoing, name keys and the press table."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.errors import ConfigError
from aligner.names import (
    en_name_keys,
    extract_names,
    load_press_names,
    uk_lemma_candidates,
    uk_name_keys,
)
from aligner.translit import phonetic_key


@pytest.mark.parametrize(
    ("form", "lemma"),
    [
        ("Умєрова", "Умєров"),
        ("Умєрову", "Умєров"),
        ("Умєровим", "Умєров"),
        ("Умєрові", "Умєров"),
        ("Зеленського", "Зеленський"),
        ("Зеленському", "Зеленський"),
        ("Зеленським", "Зеленський"),
        ("Зеленська", "Зеленська"),
        ("Зеленської", "Зеленська"),
        ("Києва", "Київ"),
        ("Києві", "Київ"),
        ("Києвом", "Київ"),
        ("Харкові", "Харків"),
        ("Львова", "Львів"),
        ("Львові", "Львів"),
        ("Одесі", "Одеса"),
        ("Одеси", "Одеса"),
        ("Кличка", "Кличко"),
        ("Юн Сук Йоля", "Юн Сук Йоль"),
        ("Бородянці", "Бородянка"),
        ("Ользі", "Ольга"),
        ("Ігоря", "Ігор"),
        ("Кореї", "Корея"),
        ("Путіна", "Путін"),
        ("Київ", "Київ"),
    ],
)
def test_declension_is_undone_most_likely_first(form: str, lemma: str) -> None:
    assert uk_lemma_candidates(form)[0] == lemma


def test_feminine_surname_stays_feminine() -> None:
    assert uk_lemma_candidates("Зеленської")[0] == "Зеленська"
    assert "Зеленський" not in uk_lemma_candidates("Зеленської")


def test_candidates_always_include_the_word_itself() -> None:
    assert "Захарова" in uk_lemma_candidates("Захарова")  # a woman's surname, or Захаров's
    assert "Захаров" in uk_lemma_candidates("Захарова")


def test_uk_keys_reach_english_spellings() -> None:
    assert phonetic_key("Umerov") in uk_name_keys("Умєрова")
    assert phonetic_key("Zelenskyy") in uk_name_keys("Зеленського")
    assert phonetic_key("Kiev") in uk_name_keys("Києві")  # press table
    assert phonetic_key("Klitschko") in uk_name_keys("Кличка")  # press table
    assert phonetic_key("Zelenska") not in uk_name_keys("Зеленського")


def test_english_keys_undo_case_endings_but_not_gender() -> None:
    assert en_name_keys("Buchi") & en_name_keys("Bucha")
    assert en_name_keys("Jermaka") & en_name_keys("Yermak")
    assert not en_name_keys("Zelensky") & en_name_keys("Zelenska")
    assert not en_name_keys("Zakharov") & en_name_keys("Zakharova")


def _texts(text: str, lang: str) -> list[str]:
    return [m.text for m in extract_names(text, lang)]


def test_extract_english_multiword_names_titles_and_possessives() -> None:
    text = (
        "It is expected that the President of South Korea Yoon Suk Yeol will meet them. "
        "Talks are planned with South Korean Defense Minister Kim Yong-hyun. "
        "Yoon's office said so, and Umerov’s visit went on."
    )
    names = _texts(text, "en")
    assert "Yoon Suk Yeol" in names
    assert "South Korea" in names
    assert "Kim Yong-hyun" in names
    assert "Yoon" in names and "Umerov" in names
    assert "President" not in " ".join(names) and "Minister" not in " ".join(names)
    assert "It" not in names and "Talks" not in names  # ordinary words (talks occurs lowercase)


def test_extract_keeps_acronyms_and_spans() -> None:
    text = "NATO and the Kyiv-based AFU met in Kyiv."
    mentions = extract_names(text, "en")
    assert [(m.text, m.acronym) for m in mentions] == [
        ("NATO", True),
        ("Kyiv", False),
        ("AFU", True),
        ("Kyiv", False),
    ]
    for m in mentions:
        assert text[m.start : m.end] == m.text


def test_extract_ukrainian_names_in_any_case() -> None:
    text = (
        "Візит Рустема Умєрова до Південної Кореї відкриває перспективи. Про візит "
        "повідомили ЗСУ. Зустріч із Юн Сук Йолем відбулася в Сеулі."
    )
    mentions = extract_names(text, "uk")
    names = [m.text for m in mentions]
    assert "Рустема Умєрова" in names
    assert "Південної Кореї" in names
    assert "Юн Сук Йолем" in names
    assert "Сеулі" in names
    assert "Візит" not in " ".join(names)  # sentence-initial ordinary word (візит occurs)
    assert [m.text for m in mentions if m.acronym] == ["ЗСУ"]


@pytest.mark.parametrize("apostrophe", ["'", "’", "ʼ"])
def test_extract_normalises_apostrophes(apostrophe: str) -> None:
    names = _texts(f"Місто Слов{apostrophe}янськ обстріляли.", "uk")
    assert names == ["Слов'янськ"]


def test_press_table_is_large_documented_and_links_exonyms() -> None:
    press = load_press_names()
    entities = [e for e in press.entries if not e.is_given_name]
    assert len(entities) >= 150
    assert {"Kyiv", "Kiev"} <= set(press.by_uk("Київ")[0].forms)
    assert press.by_english("Kharkov")[0].uk == "Харків"
    assert press.given_name_class("Dmitry") == press.given_name_class("Dmytro") == "Дмитро"
    assert press.given_name_class("Oleksandra") != press.given_name_class("Oleksandr")


def test_user_press_table_extends_the_shipped_one(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text('[people_local]\n"Сухенко" = ["Sukhenko", "Suchenko"]\n', encoding="utf-8")
    press = load_press_names(user)
    assert press.by_english("Suchenko")[0].uk == "Сухенко"
    assert press.by_uk("Київ")  # the shipped entries are still there


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[people]\n"Київ" = \n', "not valid TOML: line 2"),
        ('[people]\n"Київ" = [1, 2]\n', "English spellings"),
        ('"Київ" = ["Kyiv"]\n', "must be a table"),
    ],
)
def test_bad_press_table_is_a_config_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_press_names(path)
    assert str(path) in str(info.value)

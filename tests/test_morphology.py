"""The Ukrainian dictionary's answers to the name checks (:mod:`aligner.morphology`)."""

from __future__ import annotations

import random

import pytest

from aligner.morphology import (
    _analyzer,
    _known_parses,
    dictionary_lemmas,
    is_common_word,
    is_function_word,
)

pytestmark = pytest.mark.skipif(_analyzer() is None, reason="pymorphy3-dicts-uk not installed")


def test_the_dictionarys_answers():
    assert dictionary_lemmas("Відня")[0] == "відень"
    assert "харків" in dictionary_lemmas("Харкова")
    assert dictionary_lemmas("Умєрова") == ()  # not in the dictionary: the rules lemmatise it
    assert is_function_word("Він") and is_function_word("Уявіть")
    assert not is_function_word("Київ") and not is_function_word("Умєров")
    assert is_common_word("Сполучені") and not is_common_word("Київ")


WORDS = [
    "Київ", "Києва", "Умєров", "Умєрова", "Зеленського", "ґудзик", "гудзик", "Ґрунт", "грунт",
    "прем'єр-міністр", "Івано-Франківська", "Сполучені", "Півзахисник", "Він", "Деяких",
    "NATO", "ЗСУ", "Yoon", "Бахмут", "Бахмуті", "квітня", "з'їв", "п’ятниця", "-", "'",
]  # fmt: skip


def test_only_the_known_readings_are_kept_and_an_unknown_word_is_not_parsed():
    # what a full parse gives, the guessers' readings of unknown words left out
    analyzer = _analyzer()
    rng = random.Random(11)
    letters = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'-"
    words = WORDS + ["".join(rng.choices(letters, k=rng.randint(1, 10))) for _ in range(1500)]
    for word in words:
        expected = tuple(
            (p.normal_form, str(p.tag.POS or ""), frozenset(p.tag.grammemes))
            for p in analyzer.parse(word.lower())  # type: ignore[attr-defined]
            if p.is_known
        )
        assert _known_parses(word) == expected, word


def test_a_word_the_dictionary_does_not_know_is_not_parsed(monkeypatch):
    analyzer = _analyzer()
    parsed: list[str] = []
    original = analyzer.parse  # type: ignore[attr-defined]

    def recording(word):
        parsed.append(word)
        return original(word)

    monkeypatch.setattr(analyzer, "parse", recording)
    _known_parses.cache_clear()
    try:
        assert _known_parses("Умєрова") == () and parsed == []  # a name the dictionary lacks
        assert _known_parses("Відня") and parsed == ["відня"]
    finally:
        _known_parses.cache_clear()  # no reading made by the recording parse is kept

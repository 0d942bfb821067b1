"""Numbers as anchors: Ukrainian and English conventions meet in one key."""

from __future__ import annotations

import pytest

from aligner.numbers import NumberMention, extract_anchors, extract_numbers


def keys(text: str, lang: str, *, words: bool = False) -> list[str]:
    return [n.key for n in extract_numbers(text, lang, words=words)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 000 000", ["1000000"]),
        ("1\u00a0000\u00a0000", ["1000000"]),
        ("1\u202f000", ["1000"]),
        ("3,5", ["3.5"]),
        ("3.5", ["3.5"]),
        ("1,000", ["1"]),  # a decimal comma in Ukrainian
        ("1.000.000", ["1000000"]),
        ("1 234,5", ["1234.5"]),
        ("(8, 10 ,12 років)", ["8", "10", "12"]),
        ("5 тис.", ["5000"]),
        ("5 тис", ["5000"]),
        ("тисяча", []),
        ("1 тисяча", ["1000"]),
        ("2 тисячі", ["2000"]),
        ("5 тисяч", ["5000"]),
        ("з 30 тисячами", ["30000"]),
        ("2,5 млн", ["2500000"]),
        ("1 мільйон", ["1000000"]),
        ("2 мільйона", ["2000000"]),
        ("5 мільйонів", ["5000000"]),
        ("3 мільйони", ["3000000"]),
        ("2,5 млрд", ["2500000000"]),
        ("1,7 мільярда", ["1700000000"]),
        ("10 мільярдів", ["10000000000"]),
        ("1 трлн", ["1000000000000"]),
        ("2 трильйони", ["2000000000000"]),
        ("27%", ["27%"]),
        ("10 %", ["10%"]),
        ("27 відсотків", ["27%"]),
        ("1 відсоток", ["1%"]),
        ("2 відсотка", ["2%"]),
        ("100-відсоткову підтримку", ["100%"]),
        ("на 2 відсоткових пункти", ["2pp"]),
        ("100 грн", ["100UAH"]),
        ("800грн", ["800UAH"]),
        ("5 гривень", ["5UAH"]),
        ("2 гривні", ["2UAH"]),
        ("1 гривня", ["1UAH"]),
        ("100 доларів", ["100USD"]),
        ("100 доларів США", ["100USD"]),
        ("2 долари", ["2USD"]),
        ("50$", ["50USD"]),
        ("$50", ["50USD"]),
        ("1 мільйон євро", ["1000000EUR"]),
        ("€20", ["20EUR"]),
        ("2,5 млрд грн", ["2500000000UAH"]),
        ("від -5 до +3", ["-5", "3"]),
        ("10-15", ["10", "15"]),
        ("10–15", ["10", "15"]),
        ("100-200%", ["100", "200%"]),
        ("танки Т-72", ["72"]),
        ("5-й", ["5"]),
        ("5-го", ["5"]),
        ("64-ї бригади", ["64"]),
        ("36-та бригада", ["36"]),
        ("10-річний", ["10"]),
        ("у 1990-х", ["1990"]),
        ("о 14:30", ["14:30"]),
        ("з 14.00", ["14:00"]),
        ("о 7 вечора", ["19:00"]),
        ("з 7 ранку", ["7:00"]),
        ("на рахунку 12345678901234567890", ["12345678901234567890"]),
        ("тел. 729 725 522", ["729725522"]),
        ("зал №29", ["29"]),
        ("оператор О2", []),  # part of a name
        ("у 2024 році", ["2024"]),
        ("три мільйони", ["3000000"]),
        ("п\u2019ять тисяч", ["5000"]),
        ("п'ять тисяч", ["5000"]),
        ("дев\u02bcять мільйонів", ["9000000"]),
        ("двох мільйонів", ["2000000"]),
        ("сто тисяч", ["100000"]),
        ("з сотнею тисяч", ["100000"]),
        ("кілька сотень тисяч", []),  # vague
        ("півтора мільйона", ["1500000"]),
        ("один танк, три бронетранспортери", []),  # number words need a scale word
    ],
)
def test_ukrainian_numbers(text: str, expected: list[str]) -> None:
    assert keys(text, "uk") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,000,000", ["1000000"]),
        ("1,000", ["1000"]),  # a thousands comma in English
        ("3.5", ["3.5"]),
        ("rounds 3,5 and 7", ["3", "5", "7"]),  # a list, not a decimal
        ("1,2 billion euros", ["1200000000EUR"]),  # but a decimal right before a scale word
        ("1,700 people", ["1700"]),
        ("30 000 UAH", ["30000UAH"]),
        ("2.5 billion", ["2500000000"]),
        ("$2.5bn", ["2500000000USD"]),
        ("$2.5b", ["2500000000USD"]),
        ("$5k", ["5000USD"]),
        ("flat 4b", ["4"]),
        ("a 5k run", ["5"]),
        ("5 million", ["5000000"]),
        ("10m", ["10000000"]),
        ("10 m", ["10"]),  # metres, more likely
        ("£10m", ["10000000GBP"]),
        ("30 thousand", ["30000"]),
        ("2 trillion", ["2000000000000"]),
        ("27%", ["27%"]),
        ("27 percent", ["27%"]),
        ("27 per cent", ["27%"]),
        ("100-percent", ["100%"]),
        ("by 2 percentage points", ["2pp"]),
        ("100 UAH", ["100UAH"]),
        ("UAH 800", ["800UAH"]),
        ("5 hryvnias", ["5UAH"]),
        ("1 hryvnia", ["1UAH"]),
        ("100 dollars", ["100USD"]),
        ("100 US dollars", ["100USD"]),
        ("5 euros", ["5EUR"]),
        ("1 million euros", ["1000000EUR"]),
        ("USD 100", ["100USD"]),
        ("I have$ 50", ["50USD"]),
        ("-5 degrees", ["-5"]),
        ("10-15", ["10", "15"]),
        ("10\u201315", ["10", "15"]),
        ("S-300", ["300"]),
        ("5th", ["5"]),
        ("64th brigade", ["64"]),
        ("1st and 2nd and 3rd", ["1", "2", "3"]),
        ("the 1990s", ["1990"]),
        ("at 14:30", ["14:30"]),
        ("at 7 pm", ["19:00"]),
        ("at 7\u00a0am", ["7:00"]),
        ("7:30 a.m.", ["7:30"]),
        ("12 pm", ["12:00"]),
        ("at 4 in the morning", ["4:00"]),
        ("after 15.00", ["15:00"]),
        ("after\u202f15.00", ["15:00"]),
        ("rose to 3.50", ["3.5"]),
        ("In April 35 people died", ["35"]),  # no April 35th
        ("in 2024", ["2024"]),
        ("two million", ["2000000"]),
        ("a hundred thousand", ["100000"]),
        ("several hundred thousand", []),
        ("one tank and three carriers", []),
        ("the O2 operator", []),
        ("COVID-19", ["19"]),
    ],
)
def test_english_numbers(text: str, expected: list[str]) -> None:
    assert keys(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("one tank, three carriers and twelve drones", "en", ["1", "3", "12"]),
        ("twenty people", "en", ["20"]),
        ("один танк", "uk", ["1"]),
        ("дві машини", "uk", ["2"]),
        ("двох, двом, двома", "uk", ["2", "2", "2"]),
        ("три, трьох", "uk", ["3", "3"]),
        ("чотири, чотирьох", "uk", ["4", "4"]),
        ("п\u2019ять, п\u02bcяти, п'ятьох", "uk", ["5", "5", "5"]),
        ("дванадцять", "uk", ["12"]),
        ("двадцять", "uk", ["20"]),
        ("троє людей", "uk", ["3"]),
        ("сім'я", "uk", []),  # not "сім" (seven)
    ],
)
def test_number_words_when_asked(text: str, lang: str, expected: list[str]) -> None:
    assert keys(text, lang, words=True) == expected
    assert keys(text, lang) == []


@pytest.mark.parametrize(
    ("uk", "en"),
    [
        ("2,5 млрд", "2.5 billion"),
        ("2,5 млрд доларів", "$2.5bn"),
        ("1 000 000", "1,000,000"),
        ("3,5", "3.5"),
        ("27 відсотків", "27 per cent"),
        ("30 000 грн", "30,000 UAH"),
        ("50$", "$50"),
        ("1,7 мільярда євро", "1.7 billion euros"),
        ("64-ї бригади", "64th brigade"),
        ("з 19:00", "from 7 pm"),
        ("п'ять мільйонів", "five million"),
        ("10–15", "10-15"),
    ],
)
def test_same_number_in_both_languages(uk: str, en: str) -> None:
    assert keys(uk, "uk") == keys(en, "en") != []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Близько 30\u00a0000 грн, 2,5 млрд доларів і 27 відсотків 5-го числа", "uk"),
        ("About $2.5bn, 1,700 people, 27 per cent and the 64th brigade at 7\u00a0pm", "en"),
        ("п\u2019ять тисяч", "uk"),
    ],
)
def test_spans_point_at_the_raw_text(text: str, lang: str) -> None:
    numbers = extract_numbers(text, lang)
    assert numbers
    for number in numbers:
        assert text[number.start : number.end] == number.raw


def test_record_fields() -> None:
    (number,) = extract_numbers("виділено 2,5 млрд грн", "uk")
    assert number == NumberMention(2.5e9, "2,5 млрд грн", 9, 21, "UAH")
    assert number.key == "2500000000UAH"


@pytest.mark.parametrize(
    ("text", "lang", "numbers", "dates"),
    [
        ("27 листопада 2024 року загинули 5 людей", "uk", ["5"], ["2024-11-27"]),
        ("27.11.2024 і 1.1.22", "uk", [], ["2024-11-27", "2022-01-01"]),
        ("On April\u00a03 410 bodies were found", "en", ["410"], ["--04-03"]),
        ("On November 27, 2024, 12 people", "en", ["12"], ["2024-11-27"]),
        ("2024-11-27: 3 dead", "en", ["3"], ["2024-11-27"]),
        ("on 11/10/2024", "en", [], []),  # an ambiguous date is no date, nor three numbers
        ("1-2 квітня", "uk", [], ["--04-01", "--04-02"]),
    ],
)
def test_date_digits_are_not_numbers(
    text: str, lang: str, numbers: list[str], dates: list[str]
) -> None:
    found_numbers, found_dates = extract_anchors(text, lang)
    assert [n.key for n in found_numbers] == numbers
    assert [d.key for d in found_dates] == dates
    assert [n.key for n in extract_numbers(text, lang)] == numbers


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Добрий день, вибачте будь ласка", "uk"),
        ("тисячі людей вийшли на вулиці", "uk"),
        ("мільйони українців", "uk"),
        ("Good afternoon, thousands of people", "en"),
        ("millions of Ukrainians", "en"),
        ("per cent of what", "en"),
        ("", "en"),
    ],
)
def test_plain_words_give_nothing(text: str, lang: str) -> None:
    assert extract_anchors(text, lang) == ([], [])


def test_repeated_numbers_are_all_kept() -> None:
    assert keys("5 і ще 5", "uk") == ["5", "5"]


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        extract_numbers("5", "de")

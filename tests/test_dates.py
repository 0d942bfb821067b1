"""Dates as anchors: Ukrainian and English forms meet in one key."""

from __future__ import annotations

import pytest

from aligner.dates import DateMention, extract_dates, fold_lookalikes, scan_dates


def keys(text: str, lang: str) -> list[str]:
    return [d.key for d in extract_dates(text, lang)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27 листопада 2024 року", ["2024-11-27"]),
        ("27 листопада 2024 р. уряд", ["2024-11-27"]),
        ("27-го листопада", ["--11-27"]),
        ("Це сталося 27 листопада.", ["--11-27"]),
        ("у листопаді 2024", ["2024-11"]),
        ("листопад 2024 року", ["2024-11"]),
        ("з листопадом 2024", ["2024-11"]),
        ("1 січня", ["--01-01"]),
        ("1 січень 2020", ["2020-01-01"]),
        ("у січні 2020", ["2020-01"]),
        ("24 лютого 2022 року", ["2022-02-24"]),
        ("у лютому 2022", ["2022-02"]),
        ("лютим 2022", ["2022-02"]),
        ("у лютім 2022", ["2022-02"]),
        ("31 березня", ["--03-31"]),
        ("квітнем 2023", ["2023-04"]),
        ("9 травня", ["--05-09"]),
        ("у травні 2021", ["2021-05"]),
        ("травнем 2021", ["2021-05"]),
        ("28 червня", ["--06-28"]),
        ("у липні 2014", ["2014-07"]),
        ("24 серпня 1991 року", ["1991-08-24"]),
        ("вересню 2019", ["2019-09"]),
        ("14 жовтня", ["--10-14"]),
        ("листопадом 2024", ["2024-11"]),
        ("листопаду 2024", ["2024-11"]),
        ("25 грудня", ["--12-25"]),
        ("груднем 2020", ["2020-12"]),
        ("27.11.2024", ["2024-11-27"]),
        ("27.11.24", ["2024-11-27"]),
        ("1.1.2022", ["2022-01-01"]),
        ("після 1.1.2022 року", ["2022-01-01"]),
        ("27/11/2024", ["2024-11-27"]),
        ("10/11/2024", ["2024-11-10"]),  # Ukrainian never writes the month first
        ("2024-11-27", ["2024-11-27"]),
        ("з 19.04 вівторка", ["--04-19"]),
        ("1-2 квітня", ["--04-01", "--04-02"]),
        ("10–15 листопада 2024", ["2024-11-10", "2024-11-15"]),
        ("1 квітня і 31 березня", ["--04-01", "--03-31"]),
        ("У вівторок", []),
        ("у листопаді", []),  # a month alone is no date
        ("у 2024 році", []),  # a year alone is a number
        ("лютий ворог у 2022", []),  # "лютий" (fierce) next to no day and no year
        ("30 лютого", []),  # no such day
    ],
)
def test_ukrainian_dates(text: str, expected: list[str]) -> None:
    assert keys(text, "uk") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("November 27, 2024", ["2024-11-27"]),
        ("November 27 2024", ["2024-11-27"]),
        ("27 November 2024", ["2024-11-27"]),
        ("27th November", ["--11-27"]),
        ("on the 27th of November", ["--11-27"]),
        ("Nov. 27", ["--11-27"]),
        ("Nov 27", ["--11-27"]),
        ("Sept. 3, 2023", ["2023-09-03"]),
        ("November 2024", ["2024-11"]),
        ("in May 2022 and May 5", ["2022-05", "--05-05"]),
        ("2024-11-27", ["2024-11-27"]),
        ("11/27/2024", ["2024-11-27"]),
        ("27/11/2024", ["2024-11-27"]),
        ("1/1/2022", ["2022-01-01"]),
        ("11/10/2024", []),  # 11 October or November 10: ambiguous, not guessed
        ("27.11.2024", ["2024-11-27"]),
        ("Monday 25.04", ["--04-25"]),
        ("April 1-2", ["--04-01", "--04-02"]),
        ("On April\u00a03 410 bodies", ["--04-03"]),
        ("On Tuesday", []),
        ("in November", []),
        ("in 2024", []),
        ("February 30", []),
    ],
)
def test_english_dates(text: str, expected: list[str]) -> None:
    assert keys(text, "en") == expected


@pytest.mark.parametrize(
    ("uk", "en"),
    [
        ("27 листопада", "November 27"),
        ("27 листопада", "Nov. 27"),
        ("27 листопада 2024 року", "November 27, 2024"),
        ("у листопаді 2024", "November 2024"),
        ("24 лютого", "February\u00a024"),
        ("1.1.2022", "1/1/2022"),
    ],
)
def test_same_date_in_both_languages(uk: str, en: str) -> None:
    assert keys(uk, "uk") == keys(en, "en") != []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Це сталося 27\u00a0листопада 2024 року, а не 1-2 квітня.", "uk"),
        ("On Nov.\u00a027, 2024 and the 3rd of May, 11/27/2024.", "en"),
    ],
)
def test_spans_point_at_the_raw_text(text: str, lang: str) -> None:
    dates = extract_dates(text, lang)
    assert dates
    for date in dates:
        assert text[date.start : date.end] == date.raw


def test_record_fields() -> None:
    (date,) = extract_dates("до 27 листопада 2024 року", "uk")
    assert date == DateMention(27, 11, 2024, "27 листопада 2024 року", 3, 25)


def test_ambiguous_span_is_reported_separately() -> None:
    dates, ambiguous = scan_dates("on 11/10/2024", "en")
    assert dates == []
    assert ambiguous == [(3, 13)]


def test_weekday_is_not_part_of_the_date() -> None:
    (date,) = extract_dates("Tuesday, November 27", "en")
    assert date.raw == "November 27"


def test_lookalikes_are_folded_one_for_one() -> None:
    text = "п\u2019ять\u00a0\u2013\u202f10\u2014ть"
    folded = fold_lookalikes(text)
    assert folded == "п'ять\u00a0-\u00a010-ть"
    assert len(folded) == len(text)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        extract_dates("27 листопада", "ru")


@pytest.mark.parametrize("text", ["may 5 people", "we march 3 times", "the 5 may be late"])
def test_lower_case_english_month_words_are_no_dates(text):
    assert extract_dates(text, "en") == []

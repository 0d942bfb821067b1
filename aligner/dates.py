"""Dates written in Ukrainian and English news text, as comparable anchors.

:func:`extract_dates` finds calendar dates and returns them as :class:`DateMention` records whose
``key`` is the same in both languages: ``27 листопада 2024 року`` and ``November 27, 2024``
both give ``2024-11-27``; ``27 листопада`` and ``Nov. 27`` give ``--11-27``; ``у листопаді
2024`` and ``November 2024`` give ``2024-11``.

What counts as a date (conservative on purpose, because a wrong date is a false finding):

- Day and month, with or without a year, in words: ``27 листопада``, ``27-го листопада``,
  ``November 27``, ``27 November 2024``, ``the 27th of November``, ``Nov. 27``. Ukrainian
  month names are recognised in every grammatical case (``листопад``, ``листопада``,
  ``листопаді``, ``листопадом``, ``листопаду``). A day range (``1-2 квітня``, ``April 1-2``)
  gives one date per day.
- Month and year: ``у листопаді 2024``, ``листопад 2024 року``, ``November 2024``, with a year
  between 1700 and 2199.
- Numbers: ISO ``2024-11-27``; dotted dates are day-first in both languages (``27.11.2024``,
  ``27.11.24``, ``1.1.2022``); slashed dates are read only when the order is certain: in English
  text ``11/27/2024`` and ``27/11/2024`` (one part above 12), in Ukrainian text day-first.
  ``11/10/2024`` in English is *ambiguous*: :func:`scan_dates` reports its span so that the
  digits are not counted as numbers, but no date is returned. ``dd.mm`` without a year
  (``з 19.04``) is a date in Ukrainian text when the month has two digits and no unit, scale or
  currency follows; in English text only when the day is above 12.
- Not dates: a year alone (``2024``, ``у 2024 році`` — a number, see :mod:`aligner.numbers`), a
  month alone (``у листопаді``), weekdays, times.

Two-digit years are read as 2000-2069 and 1970-1999. Look-alike characters (apostrophes,
dashes, the no-break and thin spaces) are folded by :func:`fold_lookalikes` before matching;
spans always refer to the original text.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from aligner.lookalikes import fold_lookalikes

__all__ = ["DateMention", "extract_dates", "fold_lookalikes", "scan_dates"]

LANGS = ("uk", "en")

# --- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateMention:
    """A date as written: ``raw`` is ``text[start:end]`` of the original text."""

    day: int | None
    month: int | None
    year: int | None
    raw: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """Comparable form: ``2024-11-27``, ``--11-27`` (no year) or ``2024-11`` (no day)."""
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


# --- vocabulary ------------------------------------------------------------------------------

_UK_MONTH_FORMS: tuple[tuple[str, ...], ...] = (
    ("січень", "січня", "січні", "січнем", "січню"),
    ("лютий", "лютого", "лютому", "лютим", "лютім"),
    ("березень", "березня", "березні", "березнем", "березню"),
    ("квітень", "квітня", "квітні", "квітнем", "квітню"),
    ("травень", "травня", "травні", "травнем", "травню"),
    ("червень", "червня", "червні", "червнем", "червню"),
    ("липень", "липня", "липні", "липнем", "липню"),
    ("серпень", "серпня", "серпні", "серпнем", "серпню"),
    ("вересень", "вересня", "вересні", "вереснем", "вересню"),
    ("жовтень", "жовтня", "жовтні", "жовтнем", "жовтню"),
    ("листопад", "листопада", "листопаді", "листопадом", "листопаду"),
    ("грудень", "грудня", "грудні", "груднем", "грудню"),
)
_EN_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_EN_MONTH_ABBREVIATIONS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

MONTH_NUMBERS: dict[str, int] = {
    **{form: n for n, forms in enumerate(_UK_MONTH_FORMS, 1) for form in forms},
    **{name: n for n, name in enumerate(_EN_MONTH_NAMES, 1)},
    **_EN_MONTH_ABBREVIATIONS,
}
"""Every month word this module reads (lower case, no trailing dot) and its number."""


def _alternation(words: object) -> str:
    return "|".join(sorted(words, key=len, reverse=True))  # type: ignore[arg-type]


_S = "[ \u00a0]"  # one space, ordinary or fixed
_BEFORE_NUMBER = r"(?<![\w.,:/-])"  # not glued to a word, a decimal, a time or another date
_UK_MONTH = rf"(?P<mon>{_alternation(f for forms in _UK_MONTH_FORMS for f in forms)})(?![\w'])"
_EN_MONTH = (
    rf"(?:(?P<mon>{_alternation(_EN_MONTH_NAMES)})"
    rf"|(?P<mab>{_alternation(_EN_MONTH_ABBREVIATIONS)})\.?)(?![\w'])"
)
_UK_YEAR_WORD = rf"(?:{_S}?-го{_S}року|{_S}?-го|{_S}?-му|{_S}року|{_S}році|{_S}рік|{_S}?р\.)"

_UK_DAY_MONTH = re.compile(
    rf"{_BEFORE_NUMBER}(?P<d1x>(?P<d1>\d{{1,2}})(?:-(?:ого|го|е|й))?)"
    rf"(?:{_S}?-{_S}?(?P<d2x>(?P<d2>\d{{1,2}})(?:-(?:ого|го|е|й))?))?"
    rf"{_S}+{_UK_MONTH}"
    rf"(?:,?{_S}+(?P<y>\d{{4}})(?!\d){_UK_YEAR_WORD}?)?",
    re.IGNORECASE,
)
_UK_MONTH_YEAR = re.compile(
    rf"(?<![\w']){_UK_MONTH},?{_S}+(?P<y>\d{{4}})(?!\d){_UK_YEAR_WORD}?",
    re.IGNORECASE,
)
_EN_MONTH_DAY = re.compile(
    rf"(?<![\w']){_EN_MONTH}{_S}+(?P<d1x>(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?)(?![\w]|[:.,]\d)"
    rf"(?:{_S}?-{_S}?(?P<d2x>(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)(?![\w]|[:.,]\d))?"
    rf"(?:,?{_S}+(?P<y>\d{{4}})(?!\d))?",
    re.IGNORECASE,
)
_EN_DAY_MONTH = re.compile(
    rf"{_BEFORE_NUMBER}(?P<d1x>(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?)"
    rf"(?:{_S}?-{_S}?(?P<d2x>(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?))?"
    rf"{_S}+(?:of{_S}+)?{_EN_MONTH}"
    rf"(?:,?{_S}+(?P<y>\d{{4}})(?!\d))?",
    re.IGNORECASE,
)
_EN_MONTH_YEAR = re.compile(
    rf"(?<![\w']){_EN_MONTH},?{_S}+(?:of{_S}+)?(?P<y>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_ISO = re.compile(rf"{_BEFORE_NUMBER}(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})(?![\w]|-\d)")
_DOTTED = re.compile(
    rf"{_BEFORE_NUMBER}(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}}|\d{{2}})(?!\d|[.,]\d)"
)
_SLASHED = re.compile(
    rf"{_BEFORE_NUMBER}(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y>\d{{4}}|\d{{2}})(?!\d|[./]\d)"
)
_DAY_DOT_MONTH = re.compile(rf"{_BEFORE_NUMBER}(?P<d>\d{{1,2}})\.(?P<m>\d{{2}})(?![\w]|[.,:]\d)")
_UK_NUMERIC_YEAR_WORD = re.compile(_UK_YEAR_WORD)

# What may not follow a short "dd.mm" for it to be a date: then it is a decimal or a time.
_UNIT_AFTER = re.compile(
    rf"{_S}?(?:%|[$€£₴]"
    r"|(?:тис|млн|млрд|трлн|мільйон|мільярд|грн|гривн|долар|дол|євро|відсот|процент|годин"
    r"|хвилин|секунд|бал|очк|thousand|million|billion|trillion|percent|per cent|hour|minute"
    r"|second|point)\w*"
    r"|(?:км|кг|см|мм|м|л|г|т|bn|pct|km|kg|cm|mm|m|l|g|t|pts|s|с)(?![\w]))",
    re.IGNORECASE,
)
_CURRENCY_OR_TIME_BEFORE = re.compile(
    rf"(?:[$€£₴]{_S}?|(?<![\w'])(?:о|об|at|about|around|близько){_S}+)$", re.IGNORECASE
)

_MIN_YEAR, _MAX_YEAR = 1000, 2999  # with a day and a month
_MIN_MONTH_YEAR, _MAX_MONTH_YEAR = 1700, 2199  # month and year only


# --- scanning --------------------------------------------------------------------------------


def _is_valid(day: int | None, month: int, year: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    if day is None:
        return year is not None and _MIN_MONTH_YEAR <= year <= _MAX_MONTH_YEAR
    if year is not None and not _MIN_YEAR <= year <= _MAX_YEAR:
        return False
    longest = calendar.monthrange(year if year is not None else 2000, month)[1]
    return 1 <= day <= longest


def _full_year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _month_of(match: re.Match[str], capitalised: bool = False) -> int | None:
    """The month a match names; None when ``capitalised`` is asked and the word is lower case
    (English writes month names with a capital: "may 5 people" is no date)."""
    word = match.group("mon") or match.group("mab")
    if capitalised and not word[0].isupper():
        return None
    return MONTH_NUMBERS[word.lower()]


# A candidate: (start, end, day, month, year); day/month/year None for an ambiguous span.
_Candidate = tuple[int, int, int | None, int | None, int | None]


def _day_month_candidates(
    pattern: re.Pattern[str], folded: str, month_first: bool, capitalised: bool = False
) -> list[_Candidate]:
    found: list[_Candidate] = []
    for match in pattern.finditer(folded):
        month = _month_of(match, capitalised)
        if month is None:
            continue
        year = int(match.group("y")) if match.group("y") else None
        end = match.end()
        if year is not None and not _is_valid(1, month, year):
            year = None
            end = match.end("d2x") if match.group("d2x") else match.end("d1x")
            end = max(end, match.end("mon") if match.group("mon") else match.end("mab"))
        day1 = int(match.group("d1"))
        if not _is_valid(day1, month, year):
            continue
        day2 = int(match.group("d2")) if match.group("d2") else None
        if day2 is not None and day2 > day1 and _is_valid(day2, month, year):
            first_end = match.end("d1x")
            first_start = match.start() if month_first else match.start("d1x")
            found.append((first_start, first_end, day1, month, year))
            found.append((match.start("d2x"), end, day2, month, year))
        else:
            found.append((match.start(), end, day1, month, year))
    return found


def _month_year_candidates(
    pattern: re.Pattern[str], folded: str, capitalised: bool = False
) -> list[_Candidate]:
    found: list[_Candidate] = []
    for match in pattern.finditer(folded):
        month, year = _month_of(match, capitalised), int(match.group("y"))
        if month is not None and _is_valid(None, month, year):
            found.append((match.start(), match.end(), None, month, year))
    return found


def _numeric_candidates(folded: str, lang: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for match in _ISO.finditer(folded):
        day, month, year = int(match["d"]), int(match["m"]), int(match["y"])
        if _is_valid(day, month, year):
            found.append((match.start(), match.end(), day, month, year))
    for match in _DOTTED.finditer(folded):
        day, month, year = int(match["d"]), int(match["m"]), _full_year(match["y"])
        if _is_valid(day, month, year):
            end = match.end()
            if lang == "uk":
                year_word = _UK_NUMERIC_YEAR_WORD.match(folded, end)
                end = year_word.end() if year_word else end
            found.append((match.start(), end, day, month, year))
    for match in _SLASHED.finditer(folded):
        first, second, year = int(match["a"]), int(match["b"]), _full_year(match["y"])
        if first > 12 or first == second or (lang == "uk" and second <= 12):
            day, month = first, second
        elif second > 12:
            day, month = second, first
        else:  # English 11/10/2024: 11 October or November 10 — do not guess
            found.append((match.start(), match.end(), None, None, None))
            continue
        if _is_valid(day, month, year):
            found.append((match.start(), match.end(), day, month, year))
    for match in _DAY_DOT_MONTH.finditer(folded):
        day, month = int(match["d"]), int(match["m"])
        if lang == "en" and day <= 12:
            continue
        if not _is_valid(day, month, None):
            continue
        if _UNIT_AFTER.match(folded, match.end()):
            continue
        if _CURRENCY_OR_TIME_BEFORE.search(folded, max(0, match.start() - 12), match.start()):
            continue
        found.append((match.start(), match.end(), day, month, None))
    return found


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}")


def scan_dates(text: str, lang: str) -> tuple[list[DateMention], list[tuple[int, int]]]:
    """Dates in ``text`` and, separately, spans that look like dates but cannot be read.

    Returns ``(dates, ambiguous_spans)``, both in text order, never overlapping. The ambiguous
    spans (``11/10/2024`` in English) are not numbers either; :mod:`aligner.numbers` skips them.
    """
    _check_lang(lang)
    if not any(map(str.isdigit, text)):  # str.isdigit of each character, in C
        return [], []
    folded = fold_lookalikes(text)
    if lang == "uk":
        candidates = _day_month_candidates(_UK_DAY_MONTH, folded, month_first=False)
        candidates += _month_year_candidates(_UK_MONTH_YEAR, folded)
    else:
        candidates = _day_month_candidates(_EN_MONTH_DAY, folded, True, capitalised=True)
        candidates += _day_month_candidates(_EN_DAY_MONTH, folded, False, capitalised=True)
        candidates += _month_year_candidates(_EN_MONTH_YEAR, folded, capitalised=True)
    candidates += _numeric_candidates(folded, lang)

    # Leftmost first, then longest; drop whatever overlaps a span already taken.
    candidates.sort(key=lambda c: (c[0], -c[1]))
    dates: list[DateMention] = []
    ambiguous: list[tuple[int, int]] = []
    taken_until = 0
    for start, end, day, month, year in candidates:
        if start < taken_until:
            continue
        taken_until = end
        if month is None:
            ambiguous.append((start, end))
        else:
            dates.append(DateMention(day, month, year, text[start:end], start, end))
    return dates, ambiguous


def extract_dates(text: str, lang: str) -> list[DateMention]:
    """Calendar dates written in ``text`` (``lang`` is ``"uk"`` or ``"en"``), in text order.

    See the module documentation for what counts as a date.

    >>> [d.key for d in extract_dates("27 листопада 2024 року і 1.1.2022", "uk")]
    ['2024-11-27', '2022-01-01']
    >>> [d.key for d in extract_dates("On Nov. 27 and in December 2024", "en")]
    ['--11-27', '2024-12']
    """
    return scan_dates(text, lang)[0]

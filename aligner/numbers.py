"""Numbers written in Ukrainian and English news text, as comparable anchors.

:func:`extract_numbers` returns :class:`NumberMention` records whose ``key`` is the same in both
languages: ``2,5 млрд`` and ``2.5 billion`` and ``$2.5bn`` (without the currency) all give
``2500000000``; ``27 відсотків`` and ``27 per cent`` give ``27%``; ``100 доларів`` and ``$100``
give ``100USD``. Compare keys as multisets: a number written twice counts twice.

Conventions, language by language:

- Ukrainian (``lang="uk"``): the decimal mark is a comma or a point (``3,5``, ``3.5``);
  thousands are grouped by a space, no-break or narrow no-break space (``1 000 000``), or by
  points or commas when there are at least two groups (``1.000.000``). ``1,000`` is therefore
  1.0 in Ukrainian.
- English (``lang="en"``): the decimal mark is a point; thousands are grouped by commas
  (``1,000`` is one thousand) or by a no-break/thin space (not by an ordinary space: ``rounds 3
  500`` stays two numbers). A comma not followed by exactly three digits separates list items:
  ``rounds 3,5 and 7`` gives 3, 5 and 7.
- Scale words in every form: ``тис.``, ``тисяча/тисячі/тисяч``, ``млн``, ``мільйон/мільйона/
  мільйонів``, ``млрд``, ``мільярд…``, ``трлн``, ``трильйон…``; ``thousand``, ``million``,
  ``billion``, ``trillion``, ``bn``, ``mn``, ``mln``, ``trn`` and, glued to the digits,
  ``m`` (``10m`` is ten million, ``10 m`` is 10: newsroom style writes metres with a space
  far more often than millions without one), and ``k``/``b`` next to a currency only
  (``$5k``, ``$2.5b``; but ``flat 4b``, ``a 5k run``).
- Units: percent (``%``, ``відсоток/відсотка/відсотків``, ``процент…``, ``percent``, ``per
  cent``, ``pct``), percentage points (``в.п.``, ``відсоткових пунктів``, ``percentage
  points`` → ``pp``) and currencies before or after the number (``$``, ``€``, ``£``, ``₴``,
  ``грн``, ``гривня…``, ``долар…``, ``євро``, ``USD``, ``UAH``, ``EUR``, ``GBP``,
  ``dollars``, ``euros``, ``hryvnia(s)``, …) → ``USD``, ``EUR``, ``UAH``, ``GBP``, ``PLN``,
  ``CZK``, ``RUB``.
- A minus sign directly before the digits and after a space makes the number negative
  (``-5``); ``10-15`` and ``10–15`` are two numbers, ``Т-72`` is 72.
- Ordinals give their number: ``5th``, ``5-й``, ``5-го``, ``64-ї``.
- Times: ``14:30`` gives the key ``14:30``; ``7 pm``/``7 вечора`` give ``19:00``, ``7 am``/
  ``7 ранку`` give ``7:00``.
- Number words (``one`` … ``twelve``, ``twenty``, ``hundred``; ``один/одна/одного…``,
  ``два/дві/двох/двом/двома``, ``три/трьох``, ``чотири/чотирьох``, ``п'ять/п'яти``, …,
  ``двадцять``, ``сто``, ``півтора``) count only before a scale word (``two million``, ``три
  мільйони``) unless ``words=True``: a bare "one" or "один" is mostly not a quantity.
- Digits that belong to a date (see :mod:`aligner.dates`) are not numbers:
  :func:`extract_numbers` skips them and :func:`extract_anchors` returns both without double
  counting. A year alone (``2024``) is a number.
- Digit strings longer than 15 digits (ids, account numbers) keep their digits as the key.

Look-alike characters are folded first (:func:`aligner.dates.fold_lookalikes`); spans always
refer to the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from aligner.dates import DateMention, fold_lookalikes, scan_dates

__all__ = ["NumberMention", "extract_anchors", "extract_numbers"]

_LONGEST_EXACT_DIGITS = 15  # a float keeps 15 significant digits exactly


@dataclass(frozen=True)
class NumberMention:
    """A number as written: ``raw`` is ``text[start:end]`` of the original text.

    ``value`` has scale words applied (``2,5 млрд`` → 2.5e9); ``unit`` is ``"%"``, ``"pp"``, a
    currency code or None; ``kind`` is ``"number"``, ``"time"`` (``value`` in hours) or
    ``"digits"`` (a long digit string, compared by its digits).
    """

    value: float
    raw: str
    start: int
    end: int
    unit: str | None = None
    kind: str = "number"

    @property
    def key(self) -> str:
        """Comparable form: ``2500000000``, ``3.5``, ``27%``, ``100USD``, ``14:30``."""
        if self.kind == "time":
            minutes = round(self.value * 60)
            return f"{minutes // 60}:{minutes % 60:02d}"
        if self.kind == "digits":
            return "".join(c for c in self.raw if c.isdigit())
        number = format(Decimal(repr(self.value)).normalize(), "f")
        if number == "-0":
            number = "0"
        return number + (self.unit or "")


# --- vocabulary ------------------------------------------------------------------------------

_NUMBER_WORDS: dict[str, float] = {}


def _add_words(value: float, *forms: str) -> None:
    for form in forms:
        _NUMBER_WORDS[form] = value


_add_words(1, "one", "один", "одна", "одне", "одного", "одної", "однієї", "одному", "одній")
_add_words(1, "одним", "однією", "одною", "одну")
_add_words(2, "two", "два", "дві", "двох", "двом", "двома")
_add_words(3, "three", "три", "трьох", "трьом", "трьома")
_add_words(4, "four", "чотири", "чотирьох", "чотирьом", "чотирма")
_add_words(6, "six", "шість", "шести", "шістьох", "шістьом", "шістьма", "шістьома")
_add_words(7, "seven", "сім", "семи", "сімох", "сімом", "сьома", "сімома")
_add_words(8, "eight", "вісім", "восьми", "вісьмох", "восьмох", "вісьмом", "вісьма", "восьма")
_add_words(8, "вісьмома", "восьмома")
_add_words(100, "hundred", "сто", "ста", "сотня", "сотню", "сотнею")
_add_words(1.5, "півтора", "півтори")
# collective numerals: "троє людей" (three people)
for _value, _collective in enumerate(
    ("двоє", "троє", "четверо", "п'ятеро", "шестеро", "семеро", "восьмеро", "дев'ятеро"), 2
):
    _add_words(_value, _collective)
_add_words(10, "десятеро")
for _value, _english, _stem in (
    (5, "five", "п'ят"),
    (9, "nine", "дев'ят"),
    (10, "ten", "десят"),
    (11, "eleven", "одинадцят"),
    (12, "twelve", "дванадцят"),
    (20, "twenty", "двадцят"),
):
    _add_words(_value, _english, *(_stem + ending for ending in ("ь", "и", "ьох", "ьом", "ьма")))
    _add_words(_value, _stem + "ьома")

_SCALE_WORDS: tuple[tuple[str, int], ...] = (
    # (regex for the word, power of ten); Ukrainian words in every case and number
    (r"тисяч\w*|тис", 3),
    (r"мільйон\w*|млн|mln|mn", 6),
    (r"мільярд\w*|млрд|bn", 9),
    (r"трильйон\w*|трлн|trn", 12),
    (r"thousands?", 3),
    (r"millions?", 6),
    (r"billions?", 9),
    (r"trillions?", 12),
    (r"hundreds?", 2),
)
_GLUED_SCALES = {"k": 3, "m": 6, "b": 9}  # only directly after the digits: 10m, $2.5b

_CURRENCIES: tuple[tuple[str, str], ...] = (
    # (regex, code); matched case-insensitively, longest alternatives first in each regex
    (r"US\$|\$|USD|долар\w*(?:[ \u00a0]США)?|дол|(?:U\.S\.[ \u00a0]|US[ \u00a0])?dollars?", "USD"),
    (r"€|EUR|євро|euros?", "EUR"),
    (r"₴|UAH|грн|гривн\w*|гривень|hryvni?as?|hryvnyas?|hrn|grn", "UAH"),
    (r"£|GBP|фунт\w*[ \u00a0]стерлінг\w*|pounds?[ \u00a0]sterling|sterling", "GBP"),
    (r"PLN|злот\w*|zlotys?", "PLN"),
    (r"CZK|Kč", "CZK"),
    (r"RUB|рубл\w*|roubles?|rubles?", "RUB"),
)
_CURRENCY_CODES_BEFORE = r"US\$|USD|EUR|UAH|GBP|PLN|CZK"

_S = "[ \u00a0]"


def _trie_alternation(words: list[str]) -> str:
    """One regex for ``words`` that branches letter by letter: far faster than ``a|b|c``."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}  # the end of a word

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(letter) + pattern(child) for letter, child in node.items() if letter]
        optional = "" in node
        if not branches:
            return ""
        if len(branches) == 1 and not optional:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if optional else "")

    return pattern(trie)


_WORDS = _trie_alternation(sorted(_NUMBER_WORDS))
_SCALES = "|".join(f"(?:{regex})" for regex, _ in _SCALE_WORDS)
_UNITS = (
    rf"(?P<pp>відсотков\w*{_S}пункт\w*|в\.{_S}?п\.|percentage{_S}points?|p\.p\.|pp(?![\w]))"
    rf"|(?P<pct>%|(?:відсот\w*|відс\.|процент\w*|percent|per{_S}cent|pct)(?![\w]))"
    rf"|(?P<cur_post>(?:{'|'.join(regex for regex, _ in _CURRENCIES)})(?![\w]))"
)
_SPACE_GROUPS = r"\d{1,3}(?:[ \u00a0]\d{3})+(?!\d)"  # 1 000 000, in both languages
_POINT_GROUPS = r"\d{1,3}(?:\.\d{3}){2,}(?!\d)"  # 1.000.000
_INTEGER = {
    "uk": rf"{_SPACE_GROUPS}|{_POINT_GROUPS}|\d{{1,3}}(?:,\d{{3}}){{2,}}(?!\d)|\d+",
    "en": rf"\d{{1,3}}(?:,\d{{3}})+(?!\d)|{_POINT_GROUPS}|{_SPACE_GROUPS}|\d+",
}
_FRACTION = {
    "uk": r"[,.](?P<frac>\d+)",
    # "1,2 billion": a decimal comma in English only right before a scale word
    "en": rf"\.(?P<frac>\d+)|,(?P<comma_frac>\d{{1,2}})(?={_S}?(?:{_SCALES})(?![\w]))",
}
_ORDINAL = {"uk": r"-[а-яіїєґ']{1,3}(?![\w])", "en": r"(?:st|nd|rd|th)(?![\w])"}
_DAY_PART = {
    "uk": rf"{_S}(?:годин[иі]{_S})?(?P<part>ранку|вечора)(?![\w])",
    "en": rf"(?:{_S}?(?P<part>[ap]m|[ap]\.m\.)"
    rf"|{_S}in{_S}the{_S}(?P<part_words>morning|afternoon|evening))(?![\w])",
}


def _unnamed(pattern: str) -> str:
    """``pattern`` with its named groups made plain, to be used twice in one regex."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def _number_pattern(lang: str) -> re.Pattern[str]:
    return re.compile(
        # a time: 14:30, 7 pm, 7 вечора
        rf"(?<![\w:.,])(?P<hour>[01]?\d|2[0-4])"
        rf"(?=:[0-5]\d(?![\d]|[:.,]\d)|{_unnamed(_DAY_PART[lang])})"
        rf"(?::(?P<min>[0-5]\d))?(?:{_DAY_PART[lang]})?"
        # or a number: currency? minus? (digits fraction? | word) (ordinal | scale? unit?)
        rf"|(?:(?P<cur_pre>[$€£₴]|(?<![\w'])(?:{_CURRENCY_CODES_BEFORE})){_S}?|(?<![\w']))"
        rf"(?:(?P<neg>-)(?=\d))?"
        rf"(?:(?P<int>{_INTEGER[lang]})(?:{_FRACTION[lang]})?|(?P<word>{_WORDS})(?![\w']))"
        rf"(?:(?P<ord>{_ORDINAL[lang]})"
        rf"|(?:(?P<glued>[kmb])(?![\w])|(?:{_S}?|-)(?P<scale>{_SCALES})(?![\w]))?"
        rf"(?:(?:{_S}?|-)(?:{_UNITS}))?)",
        re.IGNORECASE,
    )


_PATTERNS = {lang: _number_pattern(lang) for lang in ("uk", "en")}
_CURRENCY_CODES = [(re.compile(regex, re.IGNORECASE), code) for regex, code in _CURRENCIES]
_SCALE_POWERS = [(re.compile(regex, re.IGNORECASE), power) for regex, power in _SCALE_WORDS]
_MASK = "\x00"
# "several hundred thousand" is no number; "a hundred thousand" is.
_VAGUE_BEFORE = re.compile(
    r"(?<![\w'])(?:several|few|many|some|dozens|кілька|декілька|кількох|декількох|багато)"
    rf"{_S}+$",
    re.IGNORECASE,
)
# "14.00" after one of these is a time, not a decimal.
_CLOCK = re.compile(r"(?:[01]?\d|2[0-4])\.[0-5]\d")
_TIME_PREPOSITION_BEFORE = re.compile(
    r"(?<![\w'])(?:о|об|з|із|зі|до|після|від|близько|at|after|from|until|till|by|before|since)"
    rf"{_S}+$",
    re.IGNORECASE,
)
_LOOK_BACK = 16  # characters searched for a word before a number


def _currency_code(written: str) -> str:
    for regex, code in _CURRENCY_CODES:
        if regex.fullmatch(written):
            return code
    raise AssertionError(f"no currency code for {written!r}")  # the patterns share one table


def _scale_power(written: str) -> int:
    for regex, power in _SCALE_POWERS:
        if regex.fullmatch(written):
            return power
    raise AssertionError(f"no scale for {written!r}")  # the patterns share one table


def _mention(match: re.Match[str], text: str, lang: str, words: bool) -> NumberMention | None:
    """The mention ``match`` found in the folded text; ``raw`` is taken from the original."""
    start, end = match.span()
    raw = text[start:end]
    before = max(0, start - _LOOK_BACK)  # words before the number, read in the folded text
    if match["hour"] is not None:
        hour = int(match["hour"])
        minutes = int(match["min"]) if match["min"] else 0
        part = (match["part"] or match.groupdict().get("part_words") or "").lower()
        if part and not 1 <= hour <= 12:
            return None
        if part in ("pm", "p.m.", "вечора", "afternoon", "evening") and hour != 12:
            hour += 12
        elif part in ("am", "a.m.") and hour == 12:
            hour = 0
        return NumberMention(hour + minutes / 60, raw, start, end, None, "time")

    scale = match["scale"] or match["glued"]
    if match["word"] is not None:
        if not (words or scale):
            return None
        if _VAGUE_BEFORE.search(match.string, before, start):
            return None
        number = Decimal(repr(_NUMBER_WORDS[match["word"].lower()]))
        kind = "number"
    else:
        digits = "".join(c for c in match["int"] if c.isdigit())
        fraction = match["frac"] or match.groupdict().get("comma_frac")
        number = Decimal(f"{digits}.{fraction}" if fraction else digits)
        long_digits = not fraction and not scale and len(digits.lstrip("0")) > _LONGEST_EXACT_DIGITS
        kind = "digits" if long_digits else "number"
    if match["scale"]:
        number = number.scaleb(_scale_power(match["scale"]))
    elif match["glued"]:
        glued = match["glued"].lower()
        # "10m" is ten million, but "flat 4b" and "a 5k run" are no amounts of money
        if glued == "m" or match["cur_pre"] or match["cur_post"]:
            number = number.scaleb(_GLUED_SCALES[glued])
    if match["neg"]:
        number = -number

    if match["pct"]:
        unit: str | None = "%"
    elif match["pp"]:
        unit = "pp"
    elif match["cur_post"] or match["cur_pre"]:
        unit = _currency_code(match["cur_post"] or match["cur_pre"])
    else:
        unit = None
    if unit is None and _CLOCK.fullmatch(match[0]):
        hours, minutes = (int(part) for part in match[0].split("."))
        # English writes decimals with a point: "at 3.50" may be a price, "at 15.00" is a time
        clock_like = lang == "uk" or minutes == 0 or hours > 12
        if clock_like and _TIME_PREPOSITION_BEFORE.search(match.string, before, start):
            return NumberMention(hours + minutes / 60, raw, start, end, None, "time")
    return NumberMention(float(number), raw, start, end, unit, kind)


def _numbers_outside(
    text: str, lang: str, skip: list[tuple[int, int]], words: bool
) -> list[NumberMention]:
    folded = fold_lookalikes(text)
    if skip:
        pieces, last = [], 0
        for start, end in skip:
            pieces += [folded[last:start], _MASK * (end - start)]
            last = end
        folded = "".join(pieces) + folded[last:]
    found = []
    for match in _PATTERNS[lang].finditer(folded):
        mention = _mention(match, text, lang, words)
        if mention is not None:
            found.append(mention)
    return found


def extract_anchors(
    text: str, lang: str, *, words: bool = False
) -> tuple[list[NumberMention], list[DateMention]]:
    """Numbers and dates in ``text`` (``lang`` is ``"uk"`` or ``"en"``), each in text order.

    The digits of a date are never also counted as numbers; nor are those of a date-like span
    that cannot be read unambiguously (``11/10/2024`` in English). ``words=True`` also counts
    bare number words (``three``, ``трьох``); see the module documentation.

    >>> numbers, dates = extract_anchors("27 листопада уряд виділив 2,5 млрд грн", "uk")
    >>> [n.key for n in numbers], [d.key for d in dates]
    (['2500000000UAH'], ['--11-27'])
    """
    # The same paragraph's anchors are read by the aligner's features, the profiles and the
    # checks; they are a pure function of the arguments (frozen records), so they are computed
    # once and each caller gets its own lists.
    numbers, dates = _cached_anchors(text, lang, words)
    return list(numbers), list(dates)


@lru_cache(maxsize=8192)
def _cached_anchors(
    text: str, lang: str, words: bool
) -> tuple[tuple[NumberMention, ...], tuple[DateMention, ...]]:
    dates, ambiguous = scan_dates(text, lang)
    skip = sorted([(d.start, d.end) for d in dates] + ambiguous)
    return tuple(_numbers_outside(text, lang, skip, words)), tuple(dates)


def extract_numbers(text: str, lang: str, *, words: bool = False) -> list[NumberMention]:
    """Numbers in ``text`` (``lang`` is ``"uk"`` or ``"en"``) that are not part of a date.

    >>> [n.key for n in extract_numbers("$2.5bn, 27 per cent and 10-15 rounds", "en")]
    ['2500000000USD', '27%', '10', '15']
    """
    return extract_anchors(text, lang, words=words)[0]

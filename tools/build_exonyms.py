"""Build ``aligner/data/exonyms.tsv``: Ukrainian names of places with their English names,
from maintained sources, not by hand.

    pip install babel pycountry   # build-time only; mistok does not import them
    python tools/build_exonyms.py

Sources, in order of precedence (an earlier source's English form comes first in a row):
1. CLDR via Babel: territory (country) names in ``uk`` and ``en``;
2. pycountry: ISO 3166-1 country names (name, common name) with their Debian iso-codes
   Ukrainian translations;
3. CLDR via Babel: the exemplar cities of time zones in ``uk`` and ``en``;
4. pycountry: ISO 3166-2 subdivision names (states, regions, English counties, Scotland,
   Wales …) with their Ukrainian translations.

Each row is ``uk<TAB>english forms separated by |<TAB>source``; the first English form is the
preferred one. Names with brackets, commas or conjunctions (lists of places) are left out,
and subdivisions named by an ordinary word (a region *West*, *Захід*).
"""

from __future__ import annotations

import gettext
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "aligner" / "data" / "exonyms.tsv"
#: Subdivisions named by an ordinary word (a region "West", Ukrainian "Захід"): left out, or
#: every capitalised "Захід" (the West) would count as a known place.
_GENERIC_REGIONS = frozenset(
    "north south east west centre center central capital coast littoral plateau lakes "
    "islands highlands lowlands mountains savannah savanes northern southern eastern "
    "western".split()
)
_SKIP = re.compile(r"[\[\](),/&]| and | та | і | й |\d")


def _clean(name: str) -> str:
    return " ".join(name.replace("ʼ", "'").replace("’", "'").split())


def _rows() -> list[tuple[str, str, str]]:
    import babel
    import pycountry
    from babel import Locale
    from babel.dates import get_timezone_location

    rows: list[tuple[str, str, str]] = []
    uk, en = Locale("uk"), Locale("en")
    cldr = f"CLDR (Babel {babel.__version__})"
    for code, name in uk.territories.items():
        if not code.isdigit() and code in en.territories:
            rows.append((name, en.territories[code], f"{cldr} territory {code}"))
    iso = f"iso-codes (pycountry {pycountry.__version__})"
    t1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["uk"])
    for country in pycountry.countries:
        for attr in ("common_name", "name"):
            english = getattr(country, attr, None)
            if english and t1.gettext(english) != english:
                rows.append((t1.gettext(english), english, f"{iso} 3166-1 {country.alpha_2}"))
    for zone in sorted(uk.time_zones):
        try:
            city_uk = get_timezone_location(zone, locale="uk", return_city=True)
            city_en = get_timezone_location(zone, locale="en", return_city=True)
        except (LookupError, ValueError):
            continue
        if city_uk and city_en:
            rows.append((city_uk, city_en, f"{cldr} city of {zone}"))
    t2 = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["uk"])
    for sub in pycountry.subdivisions:
        ukrainian = t2.gettext(sub.name)
        if ukrainian != sub.name:
            rows.append((ukrainian, sub.name, f"{iso} 3166-2 {sub.code}"))
    return rows


def build() -> list[str]:
    forms: dict[str, list[str]] = {}
    sources: dict[str, str] = {}
    names: dict[str, str] = {}
    for ukrainian, english, source in _rows():
        ukrainian, english = _clean(ukrainian), _clean(english)
        if _SKIP.search(ukrainian) or _SKIP.search(english) or not ukrainian[:1].isupper():
            continue
        if not re.search("[а-яіїєґ]", ukrainian.lower()) or re.search("[а-яіїєґ]", english.lower()):
            continue
        key = ukrainian.lower()
        if "3166-2" in source and english.lower() in _GENERIC_REGIONS:
            continue  # a region called "Захід" (West) or "Центр": an ordinary word
        names.setdefault(key, ukrainian)
        if english not in forms.setdefault(key, []):
            forms[key].append(english)
        sources.setdefault(key, source)
    lines = ["# uk\tEnglish forms, preferred first, | between\tsource (tools/build_exonyms.py)"]
    for key in sorted(forms):
        lines.append(f"{names[key]}\t{'|'.join(forms[key])}\t{sources[key]}")
    return lines


def main() -> int:
    lines = build()
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lines) - 1} names", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

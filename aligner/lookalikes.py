"""Characters that news text writes in several look-alike ways, and their one-for-one folding.

One list of each, shared by every module that compares text (words, names, numbers, dates),
so that they all agree on what an apostrophe is. Folding replaces one character by one, so
spans found in folded text are spans of the original.
"""

from __future__ import annotations

import re

__all__ = ["APOSTROPHES", "fold_lookalikes", "normalize_apostrophes"]

#: Characters written for the Ukrainian apostrophe (and the English one): ' ’ ʼ ‘ ` ´ ′ ʹ ＇.
#: The ASCII apostrophe comes first; the others fold to it.
APOSTROPHES = "'\u2019\u02bc\u2018\u0060\u00b4\u2032\u02b9\uff07"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_FIXED_SPACES = "\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006\u205f"
_INVISIBLES = "\u200b\ufeff"

_APOSTROPHE_TABLE = str.maketrans(dict.fromkeys(APOSTROPHES[1:], "'"))
_FOLD_TABLE = str.maketrans(
    {
        **dict.fromkeys(APOSTROPHES[1:], "'"),
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys(_FIXED_SPACES, "\u00a0"),
        **dict.fromkeys(_INVISIBLES, " "),
    }
)
_NEEDS_FOLDING = re.compile(f"[{APOSTROPHES[1:]}{_DASHES}{_FIXED_SPACES[1:]}{_INVISIBLES}]")


_NEEDS_APOSTROPHE = re.compile(f"[{APOSTROPHES[1:]}]")


def normalize_apostrophes(text: str) -> str:
    """Every apostrophe look-alike (’ ʼ ‘ ` ´ ′ ʹ ＇) as ``'``; the length of ``text`` is kept."""
    # Most texts have none; the search costs a fraction of a translation of Cyrillic text.
    if _NEEDS_APOSTROPHE.search(text) is None:
        return text
    return text.translate(_APOSTROPHE_TABLE)


def fold_lookalikes(text: str) -> str:
    """Fold look-alike characters, one character for one, so that spans stay valid.

    Apostrophes (’ ʼ ‘ ` ´ ′ ʹ ＇) become ``'``, dashes and the minus sign (‐ ‑ ‒ – — ― −)
    become ``-``, no-break, narrow and thin spaces become U+00A0 (kept apart from the ordinary
    space: in English only such a "fixed" space groups thousands), zero-width spaces and the
    byte order mark become a space.
    """
    if _NEEDS_FOLDING.search(text) is None:
        return text
    return text.translate(_FOLD_TABLE)

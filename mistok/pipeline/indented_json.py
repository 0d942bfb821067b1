"""Indented, key-sorted JSON text, the text of ``json.dumps(value, ensure_ascii=False,
indent=2, sort_keys=True)``, made faster.

With ``indent`` the standard library serialises in Python, one generator per container;
``mistok run`` writes a file of this JSON per pair and each pair's entry in ``report.json``.
:func:`indented_json` builds the same text in one recursive walk, with the standard library's
own string and number forms (its C string encoder, ``float.__repr__``, ``int.__repr__``).
A value it does not know (a dictionary key that is not a string, an object only a ``default``
function could turn into JSON) is left to :func:`json.dumps`, so the text is always its text.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring  # the C encoder where there is one

__all__ = ["indented_json"]

_INDENT = "  "


class _Unusual(Exception):
    """A value :func:`_append` leaves to :func:`json.dumps`."""


def _float_text(value: float) -> str:
    if value != value:
        return "NaN"
    if value == math.inf:
        return "Infinity"
    if value == -math.inf:
        return "-Infinity"
    return float.__repr__(value)


def _append(value: object, newline: str, out: list[str]) -> None:
    """Append the JSON text of ``value`` to ``out``; ``newline`` is a line break followed by
    the indentation of the line ``value`` starts on."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float_text(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + _INDENT
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _append(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + _INDENT
        separator = "{" + inner
        for key, item in sorted(value.items()):
            if not isinstance(key, str):
                raise _Unusual
            out.append(separator + encode_basestring(key) + ": ")
            _append(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    else:
        raise _Unusual


def indented_json(value: object, level: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)``, each line after
    the first indented ``level`` more steps (the text of ``value`` nested ``level`` deep in an
    indented document)."""
    out: list[str] = []
    newline = "\n" + _INDENT * level
    try:
        _append(value, newline, out)
    except _Unusual:
        text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
        return text.replace("\n", newline) if level else text
    return "".join(out)

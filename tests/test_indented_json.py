"""indented_json: the text of json.dumps(indent=2, sort_keys=True, ensure_ascii=False)."""

from __future__ import annotations

import enum
import json
import math

import pytest

from mistok.pipeline.indented_json import indented_json


class Level(enum.IntEnum):
    HIGH = 3


class Tagged(dict):
    pass


VALUES = [
    {},
    [],
    "",
    None,
    0,
    {"b": [], "a": {}, "c": [{}], "d": [[]]},
    {"text": 'quote " backslash \\ \n\r\t \x00 \x1f \x7f é 😀 \u2028 \ufffe', "é": 1, "E": 2},
    [True, False, None, 1, -1, 10**30, 1.5, -0.0, 1e300, 1e-7, 0.1 + 0.2, math.pi],
    [math.nan, math.inf, -math.inf],
    ("tuple", ("nested",), []),
    {"counts": {"error": Level.HIGH, "note": 0}, "flag": True, "level": Level.HIGH},
    Tagged(z=1, a=Tagged()),
    {"pairs": [{"pair": "a__b", "findings": [{"locations": [{"paragraph": 3}]}]}] * 2},
    {1: "int key", 2: "sorted as ints"},  # not a string key: json.dumps's text
    {"x": {1.5: "float key"}},
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
@pytest.mark.parametrize("level", [0, 2])
def test_the_text_is_that_of_json_dumps(value, level):
    expected = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    assert indented_json(value, level) == expected.replace("\n", "\n" + "  " * level)


def test_what_json_cannot_write_fails_as_in_json():
    with pytest.raises(TypeError):
        indented_json({"a": object()})

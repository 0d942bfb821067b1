"""Strings kept as one UTF-8 blob read back as they were put, past 4 GiB of places too."""

from __future__ import annotations

import bisect
import random

import pytest

from mistok import packed_strings
from mistok.packed_strings import PackedStrings


def test_packed_strings_read_back_as_put_by_index_slice_and_search():
    ids = ["a", "", "Київ-2024", "lone \ud800 surrogate", "z" * 300]
    packed = PackedStrings(ids)
    assert len(packed) == 5 and list(packed) == ids
    assert packed[2] == "Київ-2024" and packed[-1] == "z" * 300 and packed[1:3] == ids[1:3]
    with pytest.raises(IndexError):
        packed[5]
    by_id = PackedStrings(sorted(ids))
    assert bisect.bisect_left(by_id, "Київ-2024") == sorted(ids).index("Київ-2024")


def test_a_sorted_place_is_found_by_its_bytes_as_bisect_finds_it_by_the_strings():
    rng = random.Random(5)
    alphabet = ["a", "b", "z", "é", "Ж", "ї", "\ud800", "\udfff", "\ue000", "\uffff", "😀", "-"]
    strings = sorted({"".join(rng.choices(alphabet, k=rng.randint(0, 6))) for _ in range(800)})
    packed = PackedStrings(strings)
    for string in strings:
        assert packed.sorted_place(string) == bisect.bisect_left(strings, string)
    for _ in range(800):  # absent ones
        missing = "".join(rng.choices(alphabet, k=rng.randint(0, 7)))
        if missing not in strings:
            assert packed.sorted_place(missing) is None
    assert PackedStrings().sorted_place("a") is None


def test_places_past_the_4_gib_limit_go_to_wider_integers(monkeypatch):
    monkeypatch.setattr(packed_strings, "NARROW_END", 10)  # 4 GiB, made small
    packed = PackedStrings(["abcd", "efgh"])
    assert packed.ends.typecode == "I"
    packed.append("ijkl")  # ends at 12
    assert packed.ends.typecode == "q" and list(packed) == ["abcd", "efgh", "ijkl"]

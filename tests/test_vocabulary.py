"""aligner.vocabulary numbers features as vocab.setdefault(feature, len(vocab)) does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.vocabulary import feature_columns


def _one_by_one(rows: list[list[str]]) -> tuple[list[list[int]], dict[str, int]]:
    vocab: dict[str, int] = {}
    columns = [[vocab.setdefault(f, len(vocab)) for f in dict.fromkeys(row)] for row in rows]
    return columns, vocab


def test_new_features_take_the_next_columns_in_their_order() -> None:
    vocab = {"a": 0, "b": 1}
    assert feature_columns(["c", "a", "d", "b"], vocab) == [2, 0, 3, 1]
    assert list(vocab.items()) == [("a", 0), ("b", 1), ("c", 2), ("d", 3)]
    assert feature_columns([], vocab) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abcdefghij"), max_size=8), max_size=8))
def test_rows_get_the_columns_of_setdefault(rows: list[list[str]]) -> None:
    vocab: dict[str, int] = {}
    columns = [feature_columns(dict.fromkeys(row), vocab) for row in rows]
    assert (columns, vocab) == _one_by_one(rows)

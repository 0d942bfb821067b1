"""A sequence whose items are made from another's when asked for (:class:`MappedSequence`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar, overload

T = TypeVar("T")
R = TypeVar("R")


class MappedSequence(Sequence[R]):
    """``function(item)`` for each item of ``items``, made when asked for, by index or slice
    (a slice gives a list; ``items`` is indexed one item at a time, so a spool will do): a
    stage's work items read back from disk only as the scheduler takes them, or items made
    from a few arrays only when used."""

    def __init__(self, items: Sequence[T], function: Callable[[T], R]) -> None:
        self._items, self._function = items, function

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> R: ...
    @overload
    def __getitem__(self, index: slice) -> list[R]: ...
    def __getitem__(self, index: int | slice) -> R | list[R]:
        if isinstance(index, slice):  # item by item: ``items`` need take only an index
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._function(self._items[index])

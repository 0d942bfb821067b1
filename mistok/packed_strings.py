"""Many strings kept as one UTF-8 blob (:class:`PackedStrings`), not as a str object each."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from typing import overload

#: An array of places holds them in 4-byte unsigned integers while they stay below this, in
#: 8-byte ones beyond (:func:`widened_for`).
NARROW_END = 1 << 32


def widened_for(places: array, place: int) -> array:
    """``places`` (4-byte unsigned integers, or 8-byte) able to hold ``place``: the same array,
    or its values in 8-byte integers once ``place`` is past what 4 bytes hold."""
    if place >= NARROW_END and places.typecode == "I":
        return array("q", places)
    return places


class PackedStrings(Sequence[str]):
    """Strings one after another in one UTF-8 blob (lone surrogates kept), with where each
    ends (4 bytes a string while the blob is under 4 GiB): a string is made again each time
    it is asked for. For many short strings (article or pair ids) held for a long time."""

    def __init__(self, strings: Iterable[str] = ()) -> None:
        self.text = bytearray()
        self.ends = array("I")
        for string in strings:
            self.append(string)

    def append(self, string: str) -> None:
        self.text += string.encode("utf-8", "surrogatepass")
        self.ends = widened_for(self.ends, len(self.text))
        self.ends.append(len(self.text))

    def __len__(self) -> int:
        return len(self.ends)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._utf8(index).decode("utf-8", "surrogatepass")

    def _utf8(self, index: int) -> bytearray:
        """The UTF-8 of string ``index`` (0 <= index < len)."""
        return self.text[self.ends[index - 1] if index else 0 : self.ends[index]]

    def sorted_place(self, string: str) -> int | None:
        """The place of ``string`` among these strings, which must be sorted, or ``None``
        when it is not there: a binary search on their UTF-8 bytes, whose order is the
        strings' own (code point order, lone surrogates included), so that no string is
        made on the way."""
        target = string.encode("utf-8", "surrogatepass")
        lo, hi = 0, len(self.ends)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._utf8(mid) < target:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(self.ends) and self._utf8(lo) == target else None

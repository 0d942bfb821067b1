"""A stage's results kept in a temporary file instead of in memory (:class:`ResultSpool`)."""

from __future__ import annotations

import os
import pickle
import tempfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from mistok.output_files import TEMP_PREFIX

T = TypeVar("T")


class ResultSpool(Generic[T]):
    """One stage's result per pair, numbered 0…n-1, kept in an anonymous temporary file
    (pickled) instead of in memory, and read back one at a time in pair order (iterating
    the spool; as often as needed). Results may arrive in any order. Where each result lies
    is kept in two arrays of integers (16 bytes a result), not in a dict of tuples.

    Results are only ever appended (the file's position stays at its end) and read back with
    ``pread``, which does not move it: a read between two writes costs no seek, and so no
    flush of the write buffer, unless it asks for what is still in the buffer.

    A ``named`` spool's file has a name (a temporary one, in ``folder``, removed by
    :meth:`close`, or by the next run where a killed run left it), so that another process
    can read the results back (:meth:`reader`)."""

    def __init__(self, folder: Path | None = None, *, named: bool = False) -> None:
        if folder is not None:
            Path(folder).mkdir(parents=True, exist_ok=True)
        self._path: str | None = None
        if named:
            fd, self._path = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".spool", dir=folder)
            self._file = open(fd, "w+b")  # noqa: SIM115 - kept open until close()
        else:
            self._file = tempfile.TemporaryFile(dir=folder)
        self._offsets = array("q")  # -1: no result yet
        self._sizes = array("q")
        self._count = 0
        self._end = 0  # where the next result goes
        self._on_disk = 0  # how much of the file is flushed (readable with pread)

    def put(self, number: int, value: T) -> None:
        self.put_pickled(number, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_pickled(self, number: int, blob: bytes | memoryview) -> None:
        """Keep a result that was pickled already (in a worker process)."""
        if number >= len(self._offsets):
            missing = number + 1 - len(self._offsets)
            self._offsets.extend([-1] * missing)
            self._sizes.extend([0] * missing)
        if self._offsets[number] < 0:
            self._count += 1
        self._offsets[number] = self._end
        self._sizes[number] = len(blob)
        self._file.write(blob)
        self._end += len(blob)

    def get(self, number: int) -> T:
        return pickle.loads(self.get_pickled(number))

    def get_pickled(self, number: int) -> bytes:
        """The result ``number`` as it was pickled (to be sent on without unpickling it)."""
        offset = self._offsets[number] if 0 <= number < len(self._offsets) else -1
        if offset < 0:
            raise KeyError(number)
        size = self._sizes[number]
        if offset + size > self._on_disk:
            self._file.flush()
            self._on_disk = self._end
        return os.pread(self._file.fileno(), size, offset)

    def __getitem__(self, number: int) -> T:
        """The result ``number``, as a sequence gives it (``IndexError`` past the end)."""
        if not 0 <= number < len(self._offsets) or self._offsets[number] < 0:
            raise IndexError(number)
        return self.get(number)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, number: object) -> bool:
        return (
            isinstance(number, int)
            and 0 <= number < len(self._offsets)
            and self._offsets[number] >= 0
        )

    def __iter__(self) -> Iterator[T]:
        for number in range(self._count):
            yield self.get(number)

    def reader(self) -> SpoolReader[T]:
        """The results kept so far, to be read back in another process (a named spool's;
        everything put before this call is in the file when it returns)."""
        if self._path is None:
            raise ValueError("only a named spool can be read by another process")
        self._file.flush()
        self._on_disk = self._end
        return SpoolReader(self._path, self._offsets.tobytes(), self._sizes.tobytes(), self._count)

    def close(self) -> None:
        self._file.close()
        if self._path is not None:
            Path(self._path).unlink(missing_ok=True)


@dataclass(frozen=True)
class SpoolReader(Generic[T]):
    """A named spool's results 0…``count``-1 as they were when :meth:`ResultSpool.reader`
    was called, read back in pair order from its file (in any process that sees the file,
    while the spool is open). Small to send: the file's name and where each result lies."""

    path: str
    offsets: bytes
    sizes: bytes
    count: int

    def __iter__(self) -> Iterator[T]:
        offsets, sizes = array("q"), array("q")
        offsets.frombytes(self.offsets)
        sizes.frombytes(self.sizes)
        with open(self.path, "rb") as spool:
            for number in range(self.count):
                yield pickle.loads(os.pread(spool.fileno(), sizes[number], offsets[number]))

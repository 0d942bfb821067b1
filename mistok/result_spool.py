"""A stage's results kept in a temporary file instead of in memory (:class:`ResultSpool`)."""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from mistok.output_files import TEMP_PREFIX
from mistok.packed_strings import widened_for

#: Bytes copied at a time when a spool moves to a named file.
COPY_BYTES = 1 << 20

#: The array type of the results' sizes: 4 bytes, unsigned.
_SIZE = "I"

T = TypeVar("T")


class ResultSpool(Generic[T]):
    """One stage's result per pair, numbered 0…n-1, kept in an anonymous temporary file
    (pickled) instead of in memory, and read back one at a time in pair order (iterating
    the spool; as often as needed). Results may arrive in any order. Where each result lies
    is kept in two arrays of integers, not in a dict of tuples: 8 bytes a result while the
    file is under 4 GiB, 12 beyond (a result's pickle is under 4 GiB, and never empty: a
    size of 0 marks a number without a result).

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
        self._offsets = array("I")  # 8-byte integers once the file is past 4 GiB
        self._sizes = array(_SIZE)  # 0: no result yet
        self._count = 0
        self._end = 0  # where the next result goes
        self._on_disk = 0  # how much of the file is flushed (readable with pread)

    def put(self, number: int, value: T) -> None:
        self.put_pickled(number, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_pickled(self, number: int, blob: bytes | memoryview) -> None:
        """Keep a result that was pickled already (in a worker process)."""
        if not blob:
            raise ValueError(f"result {number}: an empty pickle")
        if number >= len(self._offsets):
            missing = number + 1 - len(self._offsets)
            self._offsets.frombytes(bytes(missing * self._offsets.itemsize))
            self._sizes.frombytes(bytes(missing * self._sizes.itemsize))
        if not self._sizes[number]:
            self._count += 1
        self._offsets = widened_for(self._offsets, self._end)
        self._offsets[number] = self._end
        self._sizes[number] = len(blob)
        self._file.write(blob)
        self._end += len(blob)

    def get(self, number: int) -> T:
        return pickle.loads(self.get_pickled(number))

    def get_pickled(self, number: int) -> bytes:
        """The result ``number`` as it was pickled (to be sent on without unpickling it)."""
        size = self._sizes[number] if 0 <= number < len(self._sizes) else 0
        if not size:
            raise KeyError(number)
        offset = self._offsets[number]
        if offset + size > self._on_disk:
            self._file.flush()
            self._on_disk = self._end
        return os.pread(self._file.fileno(), size, offset)

    def __getitem__(self, number: int) -> T:
        """The result ``number``, as a sequence gives it (``IndexError`` past the end)."""
        if number not in self:
            raise IndexError(number)
        return self.get(number)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, number: object) -> bool:
        sizes = self._sizes
        return isinstance(number, int) and 0 <= number < len(sizes) and sizes[number] > 0

    def __iter__(self) -> Iterator[T]:
        for number in range(self._count):
            yield self.get(number)

    def reader(self, numbers: Iterable[int] | None = None) -> SpoolReader[T]:
        """The results kept so far (or those of ``numbers``, in that order), to be read back
        in another process (a named spool's; everything put before this call is in the file
        when it returns)."""
        if self._path is None:
            raise ValueError("only a named spool can be read by another process")
        self._file.flush()
        self._on_disk = self._end
        if numbers is None:
            offsets, sizes, count = self._offsets, self._sizes, self._count
        else:
            places = array("q", numbers)
            offsets = array(self._offsets.typecode, (self._offsets[n] for n in places))
            sizes = array(_SIZE, (self._sizes[n] for n in places))
            count = len(places)
        return SpoolReader(
            self._path, offsets.tobytes(), sizes.tobytes(), count, offsets.typecode
        )

    def make_named(self, folder: Path) -> None:
        """Move an anonymous spool's results to a named file in ``folder`` (copied, then the
        anonymous file closed), so that other processes can read them (:meth:`reader`)."""
        if self._path is not None:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        fd, path = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".spool", dir=folder)
        named = open(fd, "w+b")  # noqa: SIM115 - kept open until close()
        try:
            self._file.flush()
            self._file.seek(0)
            shutil.copyfileobj(self._file, named, COPY_BYTES)
        except BaseException:
            named.close()
            Path(path).unlink(missing_ok=True)
            raise
        self._file.close()
        self._file, self._path = named, path

    @classmethod
    def adopt(cls, path: str, ends: Sequence[int]) -> ResultSpool[T]:
        """A spool over the named file ``path`` that another process wrote (a temporary
        name, removed by :meth:`close`): results 0, 1, … pickled one after another, ``ends``
        where each ends."""
        spool: ResultSpool[T] = cls.__new__(cls)
        spool._path = path
        spool._file = open(path, "r+b")  # noqa: SIM115 - kept open until close()
        spool._file.seek(0, os.SEEK_END)
        ends = array("q", ends)
        starts = array("q", [0]) + ends[:-1] if ends else array("q")
        spool._offsets = widened_for(array("I"), starts[-1] if starts else 0)
        spool._offsets.extend(starts.tolist())
        spool._sizes = array(_SIZE, (end - start for start, end in zip(starts, ends, strict=True)))
        spool._count = len(ends)
        spool._end = spool._on_disk = ends[-1] if ends else 0
        return spool

    def close(self) -> None:
        self._file.close()
        if self._path is not None:
            Path(self._path).unlink(missing_ok=True)


class SequentialSpool(Generic[T]):
    """Values kept in an anonymous temporary file (in ``folder``), pickled one after another,
    and read back in that order (iterating, as often as needed, once the writing is done):
    nothing is kept in memory per value, for values that are only ever read in order."""

    def __init__(self, folder: Path | None = None) -> None:
        if folder is not None:
            Path(folder).mkdir(parents=True, exist_ok=True)
        self._file = tempfile.TemporaryFile(dir=folder)
        self._count = 0

    def append(self, value: T) -> None:
        self._file.seek(0, os.SEEK_END)  # after a reading
        pickle.dump(value, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        self._file.flush()
        self._file.seek(0)
        for _ in range(self._count):
            yield pickle.load(self._file)

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True)
class SpoolReader(Generic[T]):
    """A named spool's results as they were when :meth:`ResultSpool.reader` was called
    (all of them in number order, or those asked for, in that order), read back from its file
    in any process that sees the file, while the spool is open. Small to send: the file's
    name and where each result lies (8 or 12 bytes a result)."""

    path: str
    offsets: bytes
    sizes: bytes
    count: int
    #: the array type of ``offsets`` (4 or 8 bytes an offset)
    offset_type: str

    def __iter__(self) -> Iterator[T]:
        offsets, sizes = array(self.offset_type), array(_SIZE)
        offsets.frombytes(self.offsets)
        sizes.frombytes(self.sizes)
        with open(self.path, "rb") as spool:
            for number in range(self.count):
                yield pickle.loads(os.pread(spool.fileno(), sizes[number], offsets[number]))

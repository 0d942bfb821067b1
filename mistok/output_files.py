"""Writing output files without destroying what is not ours: every command's ``-o`` goes here.

What a path given as output means, and how it is written:

- ``-``: standard output.
- a new path or an existing regular file: written atomically (a temporary file in the same
  folder, flushed to disk, renamed over the old one), so a reader or a killed run never sees
  half a file;
- a symbolic link: resolved, and its target written atomically; the link stays a link;
- an existing device, named pipe or socket: opened and written through, never replaced
  (``-o /dev/null`` must not turn ``/dev/null`` into a regular file);
- the same file as one of the command's inputs (after resolving links): refused.

Every :class:`OSError` on the way (no permission, a full disk, a read-only filesystem) becomes
an :class:`OutputError`: one line naming the path and the reason, which the CLI prints with
exit code 2. :func:`check_writable` asks the same questions before a command does its
expensive work, and :func:`write_files_together` stages several files and renames them
together, so that a failure leaves none of them written.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import itertools
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, NamedTuple

from aligner.errors import MistokError

__all__ = [
    "OutputError",
    "STDOUT",
    "StagedFile",
    "TEMP_PREFIX",
    "atomic_write_bytes",
    "atomic_write_chunks",
    "check_writable",
    "describe_os_error",
    "file_sha256",
    "is_stdout",
    "refuse_input_as_output",
    "same_file",
    "staged_blocks",
    "write_files_together",
    "write_output",
]

#: Marks the temporary files and folders of an unfinished write; a new run removes them.
TEMP_PREFIX = ".tmp-mistok-"

#: The output path that means standard output.
STDOUT = "-"


class OutputError(MistokError):
    """An output cannot be written where the user asked (one line: the path and why)."""


def describe_os_error(err: OSError, path: str | Path) -> str:
    """``"<path>: cannot write: No space left on device"``: one line for an OSError."""
    reason = err.strerror or str(err) or type(err).__name__
    where = err.filename if err.filename and str(err.filename) != str(path) else None
    if where is not None and os.path.basename(str(where)).startswith(TEMP_PREFIX):
        where = None  # our temporary file: the folder it was in is what the user knows
    return f"{path}: cannot write: {reason}" + (f" ({where})" if where else "")


def is_stdout(path: str | Path | None) -> bool:
    return path is not None and str(path) == STDOUT


def file_sha256(path: Path) -> str:
    """The SHA-256 hex digest of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` are one file: the same inode when both exist, else the same
    path once links are resolved."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_input_as_output(output: str | Path, inputs: Iterable[str | Path]) -> None:
    """An :class:`OutputError` when ``output`` is the same file as any of ``inputs``."""
    if is_stdout(output):
        return
    for source in inputs:
        if source is not None and not is_stdout(source) and same_file(output, source):
            which = "an input file" if str(output) == str(source) else f"the input {source}"
            raise OutputError(f"{output}: is {which}; choose another output (-o)")


def _is_special(mode: int) -> bool:
    """A device, named pipe or socket: written through, never replaced."""
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _probe_folder(folder: Path, shown: str | Path) -> None:
    """Create and remove a temporary file in ``folder``: the one test that also holds for
    root, who ignores permission bits but not a read-only filesystem."""
    try:
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    except OSError as err:
        raise OutputError(describe_os_error(err, shown)) from None
    os.close(fd)
    os.unlink(name)


def nearest_existing(path: Path) -> Path:
    """``path`` itself, or its closest ancestor that exists."""
    probe = Path(os.path.abspath(path))
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return probe


def check_writable(path: str | Path, *, folder: bool = False) -> None:
    """Raise :class:`OutputError` unless ``path`` can be written: call it before the work.

    ``folder``: ``path`` is an output folder (made when missing) rather than a file.
    """
    if is_stdout(path):
        if folder:
            raise OutputError("-: standard output is not a folder; give -o a folder path")
        return
    shown = path
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(path).st_mode  # the kernel follows /dev/stdout to a pipe, too
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise OutputError(describe_os_error(err, shown)) from None
    if folder:
        if mode is not None and not stat.S_ISDIR(mode):
            raise OutputError(f"{shown}: is a file, not a folder; give -o a folder path")
    elif mode is not None:
        if stat.S_ISDIR(mode):
            raise OutputError(f"{shown}: is a folder; give -o a file path")
        if _is_special(mode):
            if not os.access(path, os.W_OK):
                raise OutputError(f"{shown}: cannot write: Permission denied")
            return
    where = target if folder and mode is not None else target.parent
    existing = nearest_existing(where)
    if not existing.is_dir():
        raise OutputError(f"{shown}: {existing} is a file, so the folder cannot be created")
    _probe_folder(existing, shown)


@functools.cache
def _umask() -> int:
    # read once: setting the umask to read it is process-wide, not thread-safe
    current = os.umask(0)
    os.umask(current)
    return current


def permit_as_created(path: Path, mode: int) -> None:
    """Give a temporary file or folder the permissions a plain ``open``/``mkdir`` would:
    :mod:`tempfile` creates them private (0600/0700), which would hide reports from the
    group and the web server that a plain write lets read them."""
    os.chmod(path, mode & ~_umask())


def remove_quietly(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except FileNotFoundError:
        pass


#: Numbers the temporary files of this process (with its pid: unique among live writers).
_TEMP_NUMBERS = itertools.count()

#: How a temporary file is created: new (never an existing file or link), write-only.
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _create_temporary(folder: str) -> tuple[int, str]:
    """A new, empty temporary file in ``folder`` (made when missing): its descriptor and
    path. Created with mode 0666 so that the umask gives it the permissions a plain ``open``
    would (no ``chmod``); named by pid and a counter, and ``O_EXCL`` makes sure it is new
    (a name a killed run left is skipped)."""
    made_folder = False
    while True:
        name = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{next(_TEMP_NUMBERS)}")
        try:
            return os.open(name, _TEMP_FLAGS, 0o666), name
        except FileExistsError:
            continue
        except FileNotFoundError:
            if made_folder:
                raise
            os.makedirs(folder, exist_ok=True)
            made_folder = True


def _folder_of(path: str) -> str:
    """The folder a file path names (not normalised: ``..`` after a link is the kernel's)."""
    return os.path.dirname(path) or os.curdir


class StagedFile(NamedTuple):
    """A file written under a temporary name beside its place (:func:`stage_file`)."""

    path: str
    digest: str  # SHA-256 hex of its data
    size: int


def stage_file(path: Path, chunks: Iterable[bytes], *, sync: bool = True) -> StagedFile:
    """Write ``chunks`` to a new temporary file beside ``path``, flushed to disk (with
    ``sync=False`` left to the caller, who syncs many files at once). Returns its name, the
    SHA-256 of the data and its size; removes it again on any failure."""
    staging = StagingFile(path, sync=sync)
    try:
        for chunk in chunks:
            staging.write(chunk)
        return staging.finish()
    except BaseException:
        staging.discard()
        raise


class StagingFile:
    """A new temporary file beside ``path``, written piece by piece (:meth:`write`), for a
    caller that makes several files in one loop: :meth:`finish` closes it (flushed to disk
    unless ``sync=False``) and gives its :class:`StagedFile`; :meth:`discard` removes it (on a
    failure, or when it is not wanted)."""

    def __init__(self, path: Path, *, sync: bool = True) -> None:
        fd, self.path = _create_temporary(_folder_of(os.fspath(path)))
        try:
            self._handle = open(fd, "wb")
        except BaseException:
            os.close(fd)
            remove_quietly(Path(self.path))
            raise
        self._digest = hashlib.sha256()
        self._size = 0
        self._sync = sync

    def write(self, chunk: bytes) -> None:
        self._handle.write(chunk)
        self._digest.update(chunk)
        self._size += len(chunk)

    def finish(self) -> StagedFile:
        with self._handle:
            self._handle.flush()
            if self._sync:
                os.fsync(self._handle.fileno())
        return StagedFile(self.path, self._digest.hexdigest(), self._size)

    def discard(self) -> None:
        with contextlib.suppress(OSError):  # its buffer is thrown away: a failed flush too
            self._handle.close()
        remove_quietly(Path(self.path))


def _stage_bytes(path: str, data: bytes, *, sync: bool) -> str:
    """:func:`stage_file` for data in one piece: its temporary file's name."""
    fd, tmp_name = _create_temporary(_folder_of(path))
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        remove_quietly(Path(tmp_name))
        raise
    return tmp_name


def stat_if_any(path: str, *, follow_links: bool = True) -> os.stat_result | None:
    """What ``os.stat`` (``os.lstat`` without ``follow_links``) says of ``path``; ``None``
    where no file is there (what :meth:`pathlib.Path.exists` answers False for: absent, a file
    as a folder, a loop)."""
    try:
        return os.stat(path, follow_symlinks=follow_links)
    except OSError as err:
        if err.errno in _NO_FILE:
            return None
        raise


def holds_bytes(path: str, found: os.stat_result | None, data: bytes) -> bool:
    """Whether ``path``, of which a ``stat`` found ``found``, is a regular file holding
    exactly ``data``; read only when its size is that of ``data``."""
    if found is None or not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
        return False
    with open(path, "rb") as handle:
        return handle.read() == data


def _holds(path: Path, size: int, digest: str) -> bool:
    return path.is_file() and path.stat().st_size == size and file_sha256(path) == digest


#: The errors of a ``stat`` that mean no file is there (absent, a file as a folder, a loop).
_NO_FILE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def atomic_write_bytes(path: Path, data: bytes, *, sync: bool = True) -> bool:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    Returns ``False`` (and leaves the file untouched) when it already holds exactly ``data``.
    The file gets the permissions that the umask gives a new file. ``path`` itself is
    replaced: resolve a link first (:func:`write_output` does) to keep it. ``sync=False``
    leaves flushing the data to disk to the caller (see :func:`stage_file`).
    """
    path = os.fspath(path)
    if holds_bytes(path, stat_if_any(path), data):
        return False
    replace_with_bytes(path, data, sync=sync)
    return True


def replace_with_bytes(path: str, data: bytes, *, sync: bool = True) -> None:
    """:func:`atomic_write_bytes` without looking at what ``path`` holds first: ``data``
    goes to a temporary file beside it, which then replaces it (for a caller that looked)."""
    tmp_name = _stage_bytes(path, data, sync=sync)
    try:
        os.replace(tmp_name, path)
    except BaseException:
        remove_quietly(Path(tmp_name))
        raise


def atomic_write_chunks(path: Path, chunks: Iterable[bytes]) -> str:
    """:func:`atomic_write_bytes` for data made piece by piece (never all in memory): the
    pieces go to a temporary file, which replaces ``path`` unless ``path`` already holds the
    same bytes (then it is left untouched). Returns the SHA-256 hex digest of the data."""
    path = Path(path)
    tmp_name, digest, size = stage_file(path, chunks)
    try:
        if _holds(path, size, digest):
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, path)
    except BaseException:
        remove_quietly(Path(tmp_name))
        raise
    return digest


#: Bytes read at a time when a staged part of a file is copied into it.
COPY_BYTES = 1 << 20


def staged_blocks(staged: BinaryIO) -> Iterator[bytes]:
    """What was written to the binary file ``staged`` (a temporary file holding part of an
    output), from its start, a block at a time."""
    staged.flush()
    staged.seek(0)
    yield from iter(lambda: staged.read(COPY_BYTES), b"")


def _write_through(path: Path, data: bytes) -> None:
    """Write into an existing device, pipe or socket without replacing it."""
    fd = os.open(path, os.O_WRONLY)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)


def _special(path: Path) -> bool:
    try:
        return _is_special(os.stat(path).st_mode)
    except FileNotFoundError:
        return False


def write_output(path: str | Path, data: bytes, inputs: Sequence[str | Path] = ()) -> None:
    """Write ``data`` to the output ``path`` as the module docstring says; refuse an output
    that is one of ``inputs``. Any failure is an :class:`OutputError` (one line)."""
    refuse_input_as_output(path, inputs)
    try:
        if is_stdout(path):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        if _special(Path(path)):  # opened by its own name: /dev/stdout may be a pipe
            _write_through(Path(path), data)
            return
        target = Path(os.path.realpath(path))
        if target.is_dir():
            raise OutputError(f"{path}: is a folder; give -o a file path")
        atomic_write_bytes(target, data)
    except OSError as err:
        raise OutputError(describe_os_error(err, path)) from None


def write_files_together(
    files: Sequence[tuple[Path, bytes]], inputs: Sequence[str | Path] = ()
) -> None:
    """Write several outputs so that a failure leaves none of them changed: each regular file
    is staged beside its place first, and only when every one is staged are they renamed
    (devices and pipes, which cannot be staged, are written between the two steps)."""
    for path, _data in files:
        refuse_input_as_output(path, inputs)
    staged: list[tuple[str, Path]] = []
    try:
        special: list[tuple[Path, bytes]] = []
        for path, data in files:
            if _special(Path(path)):
                special.append((Path(path), data))
                continue
            target = Path(os.path.realpath(path))
            if target.is_dir():
                raise OutputError(f"{path}: is a folder; give a file path")
            try:
                tmp_name, _digest, _size = stage_file(target, [data])
            except OSError as err:
                raise OutputError(describe_os_error(err, path)) from None
            staged.append((tmp_name, target))
        for target, data in special:
            try:
                _write_through(target, data)
            except OSError as err:
                raise OutputError(describe_os_error(err, target)) from None
        while staged:
            tmp_name, target = staged[0]
            try:
                os.replace(tmp_name, target)
            except OSError as err:
                raise OutputError(describe_os_error(err, target)) from None
            staged.pop(0)
    finally:
        for tmp_name, _target in staged:
            remove_quietly(Path(tmp_name))

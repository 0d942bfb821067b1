"""The output folder of ``mistok run``: atomic writes and a content-addressed cache.

Every file is written to a temporary name in its own folder and then moved into place with
:func:`os.replace`, so a reader (or a run killed with ``kill -9``) never sees a half-written
file. Folders (an HF dataset) are built beside their final place and swapped in.

The cache keeps each stage's result under a key made from the content of its inputs and the
settings that change it (:func:`content_key`). A rerun on the same folder finds the results
of the work already done and does only the rest; because the outputs are made from the
cached results in a fixed order, an interrupted run resumes to the same output as a clean
run.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from aligner.errors import InputError

#: Marks the temporary files and folders of an unfinished write; a new run removes them.
TEMP_PREFIX = ".tmp-mistok-"
CACHE_DIRNAME = ".mistok-cache"
MANIFEST_NAME = "manifest.json"


def content_key(*parts: object) -> str:
    """A SHA-256 hex digest of ``parts`` serialised as canonical JSON.

    Use it for cache keys: pass the stage name, its settings and the content of its inputs.
    Anything JSON cannot express is rendered with ``str``.
    """
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 hex digest of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.cache
def _umask() -> int:
    # read once: setting the umask to read it is process-wide, not thread-safe
    current = os.umask(0)
    os.umask(current)
    return current


def _permit_as_created(path: Path, mode: int) -> None:
    """Give a temporary file or folder the permissions a plain ``open``/``mkdir`` would:
    :mod:`tempfile` creates them private (0600/0700), which would hide reports from the
    group and the web server that a plain write lets read them."""
    os.chmod(path, mode & ~_umask())


def atomic_write_bytes(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    Returns ``False`` (and leaves the file untouched) when it already holds exactly ``data``.
    The file gets the permissions that the umask gives a new file.
    """
    path = Path(path)
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _permit_as_created(Path(tmp_name), 0o666)
        os.replace(tmp_name, path)
    except BaseException:
        _remove_quietly(Path(tmp_name))
        raise
    return True


def atomic_write_chunks(path: Path, chunks: Iterable[bytes]) -> str:
    """:func:`atomic_write_bytes` for data made piece by piece (never all in memory): the
    pieces go to a temporary file, which replaces ``path`` unless ``path`` already holds the
    same bytes (then it is left untouched). Returns the SHA-256 hex digest of the data."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        unchanged = (
            path.is_file()
            and path.stat().st_size == size
            and file_sha256(path) == digest.hexdigest()
        )
        if unchanged:
            os.unlink(tmp_name)
        else:
            _permit_as_created(Path(tmp_name), 0o666)
            os.replace(tmp_name, path)
    except BaseException:
        _remove_quietly(Path(tmp_name))
        raise
    return digest.hexdigest()


def atomic_write_text(path: Path, text: str) -> bool:
    """:func:`atomic_write_bytes` for UTF-8 text."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, value: object) -> bool:
    """Write ``value`` as indented, key-sorted UTF-8 JSON, atomically."""
    return atomic_write_text(
        path, json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )


def atomic_write_folder(path: Path, build: Callable[[Path], None]) -> None:
    """Build a folder with ``build(tmp_folder)`` beside ``path``, then swap it into place.

    The old folder (if any) stays complete until the new one is fully built; the swap is two
    renames, and an interrupted swap leaves only temporary names that the next run removes.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=path.parent))
    try:
        _permit_as_created(tmp, 0o777)
        build(tmp)
        old = None
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=path.parent))
            os.replace(path, old / path.name)
        os.replace(tmp, path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _remove_quietly(path: Path) -> None:
    try:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except FileNotFoundError:
        pass


class OutputDir:
    """The output folder of one run: validated on creation, written only atomically."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        check_output_folder(self.root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.cache = ResultCache(self.root / CACHE_DIRNAME)
        self.remove_leftovers()

    def path(self, relative: str) -> Path:
        return self.root / relative

    def write_text(self, relative: str, text: str) -> bool:
        return atomic_write_text(self.root / relative, text)

    def write_bytes(self, relative: str, data: bytes) -> bool:
        return atomic_write_bytes(self.root / relative, data)

    def write_chunks(self, relative: str, chunks: Iterable[bytes]) -> str:
        return atomic_write_chunks(self.root / relative, chunks)

    def write_json(self, relative: str, value: object) -> bool:
        return atomic_write_json(self.root / relative, value)

    def write_folder(self, relative: str, build: Callable[[Path], None]) -> None:
        atomic_write_folder(self.root / relative, build)

    def remove(self, relative: str) -> None:
        """Remove a file or folder of the output, if it is there: first renamed to a temporary
        name, so that an interruption leaves no half-removed folder under the real name."""
        path = self.root / relative
        if not path.exists():
            return
        doomed = path.with_name(f"{TEMP_PREFIX}{path.name}")
        os.replace(path, doomed)
        _remove_quietly(doomed)

    def prune(self, folder: str, keep: Iterable[str]) -> list[str]:
        """Remove files in ``folder`` (relative) that this run did not write.

        Only plain files directly in ``folder`` are considered, so a stale alignment of a pair
        that no longer exists does not linger beside the fresh ones. Returns what was removed.
        """
        base = self.root / folder
        if not base.is_dir():
            return []
        keep_names = {Path(k).name for k in keep}
        removed = []
        for entry in sorted(base.iterdir()):
            if entry.is_file() and entry.name not in keep_names:
                entry.unlink()
                removed.append(f"{folder}/{entry.name}")
        return removed

    def read_manifest(self) -> dict:
        try:
            return json.loads((self.root / MANIFEST_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def write_manifest(self, manifest: dict) -> None:
        atomic_write_json(self.root / MANIFEST_NAME, manifest)

    def remove_leftovers(self) -> list[Path]:
        """Remove the temporary files and folders that an interrupted run left behind."""
        found = [p for p in self.root.rglob(f"{TEMP_PREFIX}*")]
        for leftover in found:
            _remove_quietly(leftover)
        return found


class ResultCache:
    """Stage results as JSON files named by their content key: ``<stage>/<key>.json``.

    The cache remembers which keys this run asked for, so that :meth:`drop_unused` can remove
    the results of inputs that are gone once a run has finished.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._used: dict[str, set[str]] = {}

    def _path(self, stage: str, key: str) -> Path:
        return self.root / stage / f"{key}.json"

    def drop_unused(self) -> int:
        """Remove the entries of every stage this run used that it did not ask for."""
        removed = 0
        for stage, keys in self._used.items():
            folder = self.root / stage
            if not folder.is_dir():
                continue
            for entry in folder.iterdir():
                if entry.suffix == ".json" and entry.stem not in keys:
                    entry.unlink()
                    removed += 1
        return removed

    def get(self, stage: str, key: str) -> object | None:
        """The cached value, or ``None`` when absent or unreadable (then it is recomputed)."""
        self._used.setdefault(stage, set()).add(key)
        try:
            return json.loads(self._path(stage, key).read_text(encoding="utf-8"))["value"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, stage: str, key: str, value: object) -> None:
        self._used.setdefault(stage, set()).add(key)
        blob = json.dumps({"key": key, "value": value}, ensure_ascii=False, sort_keys=True)
        atomic_write_text(self._path(stage, key), blob)


def check_output_folder(root: Path) -> None:
    """Raise :class:`InputError` with a one-line reason when ``root`` cannot hold the output."""
    if root.exists() and not root.is_dir():
        raise InputError(f"output {root} is a file, not a folder; give -o a folder path")
    probe = root
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise InputError(f"output {root}: {probe} is a file, so the folder cannot be created")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(f"output {root}: no write permission in {probe}; choose another -o")

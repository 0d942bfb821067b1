"""The output folder of ``mistok run``: atomic writes and a content-addressed cache.

Every file is written to a temporary name in its own folder and then moved into place with
:func:`os.replace`, so a reader (or a run killed with ``kill -9``) never sees a half-written
file. Folders (an HF dataset) are built beside their final place and swapped in.

The cache (:class:`mistok.result_cache.ResultCache`, one SQLite database in
``.mistok-cache``) keeps each stage's result under a key made from the content of its inputs
and the settings that change it (:func:`content_key`). A rerun on the same folder finds the results
of the work already done and does only the rest; because the outputs are made from the
cached results in a fixed order, an interrupted run resumes to the same output as a clean
run.

Durability: the many small files of a run (review pages, alignments) and the cache's database
are not flushed to disk one by one (an ``fsync`` each cost 15-35 s over an archive of 7,000
files); :meth:`OutputDir.flush` flushes them all at once, and the run calls it before it
publishes its report and again before its manifest. A crash (power loss) before that may lose
the latest cache entries, which are then recomputed, or leave a page newer than the report,
which a rerun rewrites; what the report and manifest list is on disk when they are.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from aligner.errors import InputError
from mistok.manifest_text import manifest_chunks, read_manifest
from mistok.output_files import (
    TEMP_PREFIX,
    OutputError,
    StagedFile,
    atomic_write_bytes,
    atomic_write_chunks,
    check_writable,
    describe_os_error,
    file_sha256,
    holds_bytes,
    permit_as_created,
    remove_quietly,
    replace_with_bytes,
    stage_file,
    stat_if_any,
)
from mistok.output_ledger import OutputLedger
from mistok.result_cache import ResultCache

__all__ = [
    "CACHE_DIRNAME",
    "FolderLock",
    "LOCK_NAME",
    "MANIFEST_FORMAT",
    "MANIFEST_NAME",
    "OutputDir",
    "ResultCache",
    "TEMP_PREFIX",
    "atomic_write_bytes",
    "atomic_write_chunks",
    "atomic_write_folder",
    "atomic_write_json",
    "atomic_write_text",
    "stage_folder",
    "swap_in_folder",
    "check_output_folder",
    "content_key",
    "file_sha256",
    "is_mistok_manifest",
    "read_run_manifest",
    "refuse_foreign_folder",
]

CACHE_DIRNAME = ".mistok-cache"
MANIFEST_NAME = "manifest.json"
#: The marker that makes a ``manifest.json`` a mistok run's (the ``format`` field).
MANIFEST_FORMAT = "mistok-run-output/1"
#: The lock file of :class:`FolderLock`, beside the outputs; it holds the holder's pid.
LOCK_NAME = ".mistok-lock"
#: The journal of the files this run wrote (in the cache folder), until its manifest is out.
JOURNAL_NAME = "written.tsv"
#: The folder of `mistok review`'s decisions (mistok.review.files): the reviewer's, not a
#: run's output, so never listed as a file left in place.
REVIEW_FOLDER = "review"
#: The manifest's sections with an entry per input article or output file: read and written
#: an entry at a time (:mod:`mistok.manifest_text`), never held whole.
MANIFEST_SECTIONS = ("inputs", "outputs")


def content_key(*parts: object) -> str:
    """A SHA-256 hex digest of ``parts`` serialised as canonical JSON.

    Use it for cache keys: pass the stage name, its settings and the content of its inputs.
    Anything JSON cannot express is rendered with ``str``.
    """
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def content_key_of_items(parts: Sequence[object], items: Iterable[object]) -> str:
    """``content_key(*parts, list(items))``, with the items serialised one at a time (never
    the whole list in memory)."""
    key = ItemsKey(parts)
    for item in items:
        key.add(item)
    return key.hexdigest()


class ItemsKey:
    """:func:`content_key_of_items` made item by item (:meth:`add`), for a caller that reads
    the items once for several purposes: :meth:`hexdigest` is ``content_key(*parts,
    [every item added])``."""

    def __init__(self, parts: Sequence[object]) -> None:
        self._dump = functools.partial(
            json.dumps, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
        )
        self._digest = hashlib.sha256(self._dump([*parts, []])[: -len("[]]")].encode("utf-8"))
        self._separator = "["

    def add(self, item: object) -> None:
        self._digest.update((self._separator + self._dump(item)).encode("utf-8"))
        self._separator = ","

    def hexdigest(self) -> str:
        """The key of the items added so far (the object can take more afterwards)."""
        digest = self._digest.copy()
        digest.update(("[]]" if self._separator == "[" else "]]").encode("utf-8"))
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
    swap_in_folder(stage_folder(path, build), path)


def stage_folder(path: Path, build: Callable[[Path], None]) -> Path:
    """A folder built with ``build(tmp_folder)`` beside ``path`` under a temporary name (the
    next run removes it if it is left there), for :func:`swap_in_folder`; removed again on
    any failure."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=path.parent))
    try:
        permit_as_created(tmp, 0o777)
        build(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def swap_in_folder(staged: Path, path: Path) -> None:
    """Put the folder ``staged`` (:func:`stage_folder`) at ``path``, in place of the folder
    there: two renames, the old folder whole until the second."""
    path = Path(path)
    try:
        old = None
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=path.parent))
            os.replace(path, old / path.name)
        os.replace(staged, path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


class FolderLock:
    """One run per output folder: an exclusive :func:`fcntl.flock` on ``OUT/.mistok-lock``,
    which holds the pid of the run that has it. The kernel releases the lock when the process
    ends, however it ends, so a killed run's lock never blocks the next one."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.path = self.root / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        import fcntl

        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as err:
            raise OutputError(describe_os_error(err, self.root)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise OutputError(
                f"output {self.root} is in use by another mistok run (pid {holder}); "
                "wait for it to finish, or give another -o"
            ) from None
        except OSError as err:
            os.close(fd)
            raise OutputError(describe_os_error(err, self.path)) from None
        self._fd = fd
        try:  # for the message of the run that finds the folder taken
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except OSError:  # a full disk: the lock holds all the same
            pass

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the only descriptor releases the flock
            self._fd = None

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def is_mistok_manifest(data: object) -> bool:
    """Whether ``data`` (a parsed ``manifest.json``) is the manifest of a mistok run: it
    carries :data:`MANIFEST_FORMAT` (or, written before the marker existed, mistok's tool
    record with a table of output digests)."""
    if not isinstance(data, dict):
        return False
    if data.get("format") == MANIFEST_FORMAT:
        return True
    tool = data.get("tool")
    return (
        isinstance(tool, dict)
        and tool.get("name") == "mistok"
        and isinstance(data.get("outputs"), dict)
    )


def read_run_manifest(root: Path, ledger: OutputLedger | None = None) -> dict | None:
    """The manifest of the mistok run in ``root``, without its inputs and outputs (left
    empty: :data:`MANIFEST_SECTIONS`), whose outputs go to ``ledger`` (listed, one at a
    time); ``None`` when there is none; an :class:`OutputError` when ``manifest.json`` is
    someone else's (or unreadable)."""
    path = Path(root) / MANIFEST_NAME
    if not path.exists():
        return None
    take = forget = None
    if ledger is not None:
        forget = ledger.forget_listed

        def take(section: str, relative: str, digest: str) -> None:
            if section == "outputs":
                ledger.list_before(relative, digest)

    try:
        data = read_manifest(path, MANIFEST_SECTIONS, take, forget)
    except (OSError, ValueError):
        data = None
    if not is_mistok_manifest(data):
        raise OutputError(
            f"output {root}: its {MANIFEST_NAME} was not written by mistok; give a new or "
            "empty folder (mistok never replaces files it did not write)"
        )
    return data


def refuse_foreign_folder(root: Path) -> None:
    """A run writes only into a folder that is new, empty (dotfiles aside), or an earlier
    run's: its manifest is mistok's, or its cache shows a run that did not finish."""
    root = Path(root)
    if not root.is_dir():
        return
    if read_run_manifest(root) is not None or (root / CACHE_DIRNAME).is_dir():
        return
    if any(path.is_file() and not path.name.startswith(".") for path in root.rglob("*")):
        raise OutputError(
            f"output {root} holds files that no mistok run wrote; give a new or empty folder "
            "(a run replaces the files of its own folders)"
        )


class OutputDir:
    """The output folder of one run: validated on creation, written only atomically, and
    never replacing or removing a file that is not mistok's.

    What is mistok's is decided by content: the manifest of the last complete run and a
    journal (``.mistok-cache/written.tsv``, kept until the run completes) list the SHA-256
    of every file mistok wrote. A file whose content is not among them (a draft a translator
    corrected, a file someone added) is left in place and listed in :attr:`kept`.
    Take :class:`FolderLock` first: one run per folder.

    What mistok owns, and the run's own files (:meth:`add_output`: its manifest's outputs),
    are kept on disk (:class:`mistok.output_ledger.OutputLedger`), not in memory: an
    archive's output folder holds two files per pair. :meth:`close` the folder at the end.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        check_output_folder(self.root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.cache = ResultCache(self.root / CACHE_DIRNAME)
        self.remove_leftovers()
        #: What mistok owns here (the last manifest's outputs, the journal's files, this
        #: run's), and this run's outputs.
        self.ledger = OutputLedger(self.root / CACHE_DIRNAME)
        try:
            manifest = read_run_manifest(self.root, self.ledger) or {}
            for relative, digest in _read_journal(self.root / CACHE_DIRNAME / JOURNAL_NAME):
                self.ledger.own(relative, digest)
        except BaseException:
            self.ledger.close()
            raise
        #: The last complete run's manifest, less its inputs and outputs (in the ledger).
        self.manifest_before: dict = manifest
        kept_before = manifest.get("kept")
        self._kept_before: dict[str, str] = kept_before if isinstance(kept_before, dict) else {}
        #: The journal, open for appending once this run recorded its first file.
        self._journal: TextIO | None = None
        self._changed = False
        #: Called once, before the first file of the folder changes (a rerun marks the old
        #: report incomplete there).
        self.before_first_change: Callable[[], None] | None = None
        #: ``(relative path, why)`` of each file left in place because it is not mistok's.
        self.kept: dict[str, str] = {}
        self._unsynced = False

    def flush(self) -> None:
        """Write the cache's pending results, then flush every file written since the last
        flush to disk (one ``sync`` for them all: see the module's note on durability)."""
        self.cache.commit()
        if self._unsynced or self.cache.unsynced:
            os.sync()
            self._unsynced = False
            self.cache.unsynced = False

    def close(self) -> None:
        """The run is over (complete or not): write the cache's pending results and close
        its database, and remove the ledger's. Files are not synced here (:meth:`flush`
        does)."""
        try:
            self.cache.close()
        finally:
            if self._journal is not None:
                self._journal.close()
                self._journal = None
            self.ledger.close()

    def path(self, relative: str) -> Path:
        return self.root / relative

    # -- ownership ---------------------------------------------------------------------------

    def _is_ours(self, relative: str) -> bool:
        """Whether the file at ``relative`` may be replaced or removed: absent, or holding
        content mistok wrote there."""
        path = self.root / relative
        if not os.path.lexists(path):
            return True
        if path.is_symlink() or not path.is_file():
            return False
        return self.ledger.owns(relative, file_sha256(path))

    def _keep(self, relative: str) -> None:
        if self.ledger.owns_path(relative):
            self.kept[relative] = "changed since mistok wrote it"
        else:  # a reason given by an earlier run stays (the file is no longer listed)
            self.kept[relative] = self._kept_before.get(relative, "not written by mistok")

    def _record(self, relative: str, digest: str) -> None:
        """Add ``relative`` to the journal before it is written, so that a run killed after
        the write still knows the file is mistok's."""
        if self._journal is None:  # the journal holds the manifest's files too
            journal = self.root / CACHE_DIRNAME / JOURNAL_NAME
            journal.parent.mkdir(parents=True, exist_ok=True)
            lines = (f"{r}\t{d}\n".encode() for r, d in self.ledger.owned())
            atomic_write_chunks(journal, lines)
            self._journal = open(journal, "a", encoding="utf-8")  # kept open: one per run
        self._journal.write(f"{relative}\t{digest}\n")
        self._journal.flush()  # in the file before the file it names is written
        self.ledger.own(relative, digest)

    def changing(self) -> None:
        """Say that the folder is about to change (runs :attr:`before_first_change` once)."""
        if not self._changed:
            self._changed = True
            if self.before_first_change is not None:
                self.before_first_change()

    def owns_tree(self, relative: str) -> bool:
        """Whether every file under the folder ``relative`` is mistok's (an absent one is)."""
        base = self.root / relative
        if base.is_symlink() or (base.exists() and not base.is_dir()):
            return False
        for path in base.rglob("*") if base.is_dir() else ():
            if path.is_symlink() or (path.is_file() and not self._is_ours(self._relative(path))):
                return False
        return True

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def adopt_tree(self, relative: str) -> None:
        """Count every file now under the folder ``relative`` as mistok's: for a folder an
        earlier mistok wrote whose manifest did not list its files yet."""
        for path, digest in self.tree_digests(relative).items():
            self.ledger.own(path, digest)

    def tree_digests(self, relative: str) -> dict[str, str]:
        """The SHA-256 of every file under the folder ``relative``, keyed by relative path."""
        base = self.root / relative
        return {self._relative(p): file_sha256(p) for p in sorted(base.rglob("*")) if p.is_file()}

    # -- writing -----------------------------------------------------------------------------

    def write_text(self, relative: str, text: str) -> str | None:
        return self.write_bytes(relative, text.encode("utf-8"))

    def write_json(self, relative: str, value: object) -> str | None:
        return self.write_text(
            relative, json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        )

    def write_bytes(self, relative: str, data: bytes) -> str | None:
        """Write ``data`` at ``relative``, atomically (left untouched when it holds ``data``
        already); the SHA-256 hex of ``data``. ``None`` when a file that is not mistok's is
        there: it is kept (and listed in :attr:`kept`), nothing is written."""
        path = os.path.join(self.root, relative)
        digest = hashlib.sha256(data).hexdigest()
        found = stat_if_any(path, follow_links=False)  # one look: most files are new
        if found is not None:
            if holds_bytes(path, found, data):
                self.ledger.own(relative, digest)
                return digest
            if not self._is_ours(relative):
                self._keep(relative)
                return None
        self.changing()
        self._record(relative, digest)
        replace_with_bytes(path, data, sync=False)
        self._unsynced = True
        return digest

    def write_chunks(self, relative: str, chunks: Iterable[bytes]) -> str | None:
        """:meth:`write_bytes` for data made piece by piece; the SHA-256 of the data, or
        ``None`` when a file that is not mistok's was kept in its place."""
        if not self._is_ours(relative):
            self._keep(relative)
            return None
        return self._publish(relative, stage_file(self.root / relative, chunks, sync=False))

    def publish_staged(self, relative: str, staged: StagedFile) -> str | None:
        """:meth:`write_chunks` for a file staged already beside ``relative`` (by
        :func:`stage_file`, maybe in another process): put in place unless a file that is not
        mistok's is there (then it is kept, the staged file removed, and ``None`` returned)."""
        try:
            ours = self._is_ours(relative)
        except BaseException:
            remove_quietly(Path(staged.path))
            raise
        if not ours:
            self._keep(relative)
            remove_quietly(Path(staged.path))
            return None
        return self._publish(relative, staged)

    def _publish(self, relative: str, staged: StagedFile) -> str:
        path = self.root / relative
        try:
            if path.is_file() and path.stat().st_size == staged.size and (
                file_sha256(path) == staged.digest
            ):
                os.unlink(staged.path)
                self.ledger.own(relative, staged.digest)
            else:
                self.changing()
                self._record(relative, staged.digest)
                os.replace(staged.path, path)
                self._unsynced = True
        except BaseException:
            remove_quietly(Path(staged.path))
            raise
        return staged.digest

    def write_folder(self, relative: str, build: Callable[[Path], None]) -> bool:
        """Build a folder and swap it in; ``False`` (nothing written) when the folder there
        holds files that are not mistok's."""
        if not self.owns_tree(relative):
            self._keep(relative + "/")
            return False
        self.changing()
        atomic_write_folder(self.root / relative, build)
        return True

    def remove(self, relative: str) -> bool:
        """Remove a file or folder of the output, if it is there and mistok's: first renamed
        to a temporary name, so that an interruption leaves no half-removed folder under the
        real name. ``False`` when something not mistok's is there (it is kept)."""
        path = self.root / relative
        if not os.path.lexists(path):
            return True
        ours = self.owns_tree(relative) if path.is_dir() else self._is_ours(relative)
        if not ours:
            self._keep(relative + ("/" if path.is_dir() else ""))
            return False
        self.changing()
        doomed = path.with_name(f"{TEMP_PREFIX}{path.name}")
        os.replace(path, doomed)
        remove_quietly(doomed)
        return True

    # -- this run's files --------------------------------------------------------------------

    def add_output(self, relative: str, digest: str) -> None:
        """List the file at ``relative``, holding ``digest``, among this run's outputs (in
        its manifest); :meth:`prune_stale` then leaves it."""
        self.ledger.add_output(relative, digest)

    def prune_stale(self) -> int:
        """Remove every file that mistok wrote (in an earlier run, or earlier in this one)
        and that is not among this run's outputs (:meth:`add_output`), only where its content
        is still what mistok wrote. Returns how many were removed."""
        removed = 0
        for relative in self.ledger.not_outputs():
            path = self.root / relative
            if not os.path.lexists(path):
                continue
            if self._is_ours(relative):
                self.changing()
                path.unlink()
                removed += 1
            else:
                self._keep(relative)
        return removed

    def find_stale(self, also: Iterable[str] = ()) -> int:
        """Find the files mistok wrote before that are neither among this run's outputs nor
        in ``also`` and whose content is still mistok's: what :meth:`prune_stale` will remove
        (:meth:`foreign_files` counts them as mistok's). The others (changed by someone) go
        to :attr:`kept`. Returns how many were found."""
        also = set(also)
        found = 0
        for relative in self.ledger.not_outputs():
            if relative in also or not os.path.lexists(self.root / relative):
                continue
            if self._is_ours(relative):
                self.ledger.mark_stale(relative)
                found += 1
            else:
                self._keep(relative)
        return found

    def foreign_files(self, also: Iterable[str] = ()) -> list[str]:
        """Files in the folder that are neither this run's outputs, nor stale
        (:meth:`find_stale`), nor in ``also``, its own dotfiles aside: what a person added or
        changed, left in place and listed in :attr:`kept`. In path order."""
        also = set(also)
        found = [r for r in self.ledger.not_written(_listed_files(self.root)) if r not in also]
        found.sort(key=lambda relative: relative.split("/"))
        for relative in found:
            if relative not in self.kept:
                self._keep(relative)
        return found

    def write_manifest(
        self, fields: Mapping[str, object], sections: Mapping[str, Iterable[tuple[str, str]]]
    ) -> None:
        """Flush every file written so far (:meth:`flush`), then write the manifest: ``fields``
        and this run's outputs, with each of ``sections`` (sorted ``(key, value)`` strings)
        as an object, an entry at a time (:func:`mistok.manifest_text.manifest_chunks`)."""
        self.flush()
        fields = {**fields, "format": MANIFEST_FORMAT}
        chunks = manifest_chunks(fields, {**sections, "outputs": self.ledger.outputs()})
        atomic_write_chunks(self.root / MANIFEST_NAME, chunks)

    def finish(self) -> None:
        """The run is complete and its manifest written: the journal is no longer needed."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        remove_quietly(self.root / CACHE_DIRNAME / JOURNAL_NAME)

    def remove_leftovers(self) -> list[Path]:
        """Remove the temporary files and folders that an interrupted run left behind."""
        found = [p for p in self.root.rglob(f"{TEMP_PREFIX}*")]
        for leftover in found:
            remove_quietly(leftover)
        return found


def _listed_files(root: Path) -> Iterator[str]:
    """The regular files and links under ``root``, relative, in no particular order: names
    starting with a dot and the top-level review folder (mistok review's decisions) are left
    out, with what is under them; a link to a folder is listed, not entered. A folder is
    read as it is walked (never a list of its files)."""

    def walk(folder: str, prefix: str) -> Iterator[str]:
        try:
            entries = os.scandir(folder)
        except OSError:
            return
        with entries:
            for entry in entries:
                if entry.name.startswith(".") or (not prefix and entry.name == REVIEW_FOLDER):
                    continue
                relative = prefix + entry.name
                if entry.is_symlink():
                    yield relative
                elif entry.is_dir():
                    yield from walk(entry.path, relative + "/")
                elif entry.is_file():
                    yield relative

    return walk(str(root), "")


def _read_journal(path: Path) -> Iterator[tuple[str, str]]:
    """The ``(relative path, digest)`` lines of the journal, read one at a time (none when
    there is none; a line cut short by a killed run is left out)."""
    try:
        handle = open(path, encoding="utf-8", newline="\n")
    except OSError:
        return
    with handle:
        for line in handle:
            relative, _, digest = line.rstrip("\n").partition("\t")
            if relative and len(digest) == 64:
                yield relative, digest


def check_output_folder(root: Path) -> None:
    """Raise :class:`InputError` (or :class:`OutputError` for a failed trial write) with a
    one-line reason when ``root`` cannot hold the output."""
    if root.exists() and not root.is_dir():
        raise InputError(f"output {root} is a file, not a folder; give -o a folder path")
    probe = root
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise InputError(f"output {root}: {probe} is a file, so the folder cannot be created")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(f"output {root}: no write permission in {probe}; choose another -o")
    # root passes the permission test, but not a read-only filesystem: try a write
    check_writable(root, folder=True)

"""The result cache of ``mistok run``: every stage's results in one SQLite database.

``OUT/.mistok-cache/results.sqlite`` has a row per ``(stage, key)``: the key is made from the
content of the stage's inputs and settings (:func:`mistok.output_dir.content_key`), the value
is the result as JSON text (``json.dumps(value, ensure_ascii=False, sort_keys=True)``), or that
text in UTF-8 as a blob where a large entry was stored from a file (:meth:`ResultCache.put_file`).

Cheap for the driver, which stores every result of the run (a file per result cost it about
0.5 ms each): :meth:`ResultCache.put` keeps the result in memory, and the results are written
together, in one transaction per :data:`BATCH_RESULTS` results, or at the first put
:data:`BATCH_SECONDS` after the last write, and at :meth:`ResultCache.commit` and
:meth:`ResultCache.close` (and :meth:`mistok.output_dir.OutputDir.flush`, which then syncs the
disk once for every file of the run). The database is in WAL mode with ``synchronous=OFF``: a
commit appends to the WAL file and never waits for the disk. A run killed outright loses only
the results not committed yet (the rerun computes them again); a crash of the machine before
the output folder's sync can also leave the database unreadable, which then starts anew.

An unreadable database (a corrupt file, not a database, another format) is never an error:
the cache starts a new one (with a warning), and the results are recomputed. A database that
cannot be written (a full disk) raises :class:`OSError`, as a failed file write does.

The cache remembers which entries this run asked for without holding their keys: each
result it puts is stored with the run's number (``run``), and of each result it finds it keeps
the row number (8 bytes). :meth:`ResultCache.drop_unused` removes the others (of the stages
the run used) once the run is complete.

Output folders of earlier versions keep each result in a file, ``<stage>/<key>.json``
holding ``{"key": ..., "value": ...}``: such a result is read when the database lacks it and
copied into the database; :meth:`ResultCache.drop_unused` then removes the old folder of
each stage the run used.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sqlite3
import time
import warnings
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

__all__ = ["BATCH_RESULTS", "BATCH_SECONDS", "DATABASE_NAME", "ResultCache"]

T = TypeVar("T")

DATABASE_NAME = "results.sqlite"
#: Bytes per database page (of a new database): most results are a few kilobytes.
PAGE_SIZE = 16384
#: The database's format (``PRAGMA user_version``); a database of another is started anew.
FORMAT = 1
#: Results kept in memory before they are written in one transaction.
BATCH_RESULTS = 256
#: ... or the seconds since the last write, whichever comes first.
BATCH_SECONDS = 1.0
#: Bytes written at a time into a result stored from a file (:meth:`ResultCache.put_file`).
BLOB_CHUNK_BYTES = 1 << 20

_SCHEMA = f"""
BEGIN;
CREATE TABLE IF NOT EXISTS results (
    stage TEXT NOT NULL,
    key TEXT NOT NULL,
    run INTEGER NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (stage, key)
);
CREATE TABLE IF NOT EXISTS runs (number INTEGER PRIMARY KEY);
PRAGMA user_version = {FORMAT};
COMMIT;
"""

#: SQLite's (primary) result codes that say the disk, not the database, failed; with the
#: ``errno`` of the :class:`OSError` they become.
_OS_ERRORS = {
    3: errno.EACCES,  # SQLITE_PERM
    5: errno.EBUSY,  # SQLITE_BUSY
    6: errno.EBUSY,  # SQLITE_LOCKED
    7: errno.ENOMEM,  # SQLITE_NOMEM
    8: errno.EROFS,  # SQLITE_READONLY
    10: errno.EIO,  # SQLITE_IOERR
    13: errno.ENOSPC,  # SQLITE_FULL
    14: errno.EACCES,  # SQLITE_CANTOPEN
}


class UnreadableDatabase(Exception):
    """The database cannot be read as this version's cache (it is started anew)."""


class ResultCache:
    """Stage results by ``(stage, key)``, in ``root/results.sqlite`` (opened at first use,
    in the process that uses it; :meth:`close` it at the end of the run)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.path = self.root / DATABASE_NAME
        #: Whether results were written since the output folder was last flushed: they are
        #: not synced one by one (a result lost in a crash is recomputed).
        self.unsynced = False
        self._db: sqlite3.Connection | None = None
        self._run = 0  # this run's number in the database (0: none yet, it wrote nothing)
        self._run_claimed = False
        self._stages: set[str] = set()  # the stages this run used
        self._pending: dict[tuple[str, str], str] = {}  # results put, not written yet
        self._found = array("q")  # the row numbers of the results found in the database
        self._last_write = time.monotonic()
        self._old_stages: set[str] | None = None  # stages with a folder of the old layout
        self._copied: dict[str, int] = {}  # old files copied into the database, by stage

    # -- the public face ---------------------------------------------------------------------

    def get(self, stage: str, key: str) -> object | None:
        """The cached value, or ``None`` when absent or unreadable (then it is recomputed)."""
        self._stages.add(stage)
        text = self._pending.get((stage, key))
        if text is None:
            text = self._stored(stage, key)
        if text is None:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return None

    def may_hold(self, stage: str) -> bool:
        """Whether :meth:`get` can find any result of ``stage``: ``False`` when neither the
        database, nor this run's unwritten results, nor a folder of the old layout holds one
        (a new output folder, a stage never run there), so that a caller may skip asking for
        each of its keys. Counts as using the stage, as :meth:`get` does."""
        self._stages.add(stage)
        if any(held == stage for held, _ in self._pending) or self._has_old_folder(stage):
            return True

        def one(db: sqlite3.Connection) -> tuple[int] | None:
            return db.execute("SELECT 1 FROM results WHERE stage = ? LIMIT 1", (stage,)).fetchone()

        return self._with_database(one) is not None

    def put(self, stage: str, key: str, value: object) -> None:
        """Cache ``value`` (anything JSON can hold) as the result of ``key``."""
        self.put_encoded(stage, key, json.dumps(value, ensure_ascii=False, sort_keys=True))

    def put_encoded(self, stage: str, key: str, value_json: str) -> None:
        """Cache a value already encoded as JSON text (e.g. by a worker process): what
        :meth:`get` returns is ``json.loads(value_json)``."""
        self._stages.add(stage)
        self._pending[(stage, key)] = value_json
        self._write_when_due()

    def put_file(self, stage: str, key: str, path: Path) -> None:
        """Cache the JSON text (UTF-8) in the file ``path`` (written by a worker process) as
        the result of ``key``, and remove the file: written now, in its own transaction, a
        megabyte at a time (a large entry, such as an archive's pairing, is never whole in
        this process's memory). It is stored as a blob of that text; :meth:`get` reads either."""
        self._stages.add(stage)
        self._pending.pop((stage, key), None)
        self.commit()
        size = os.path.getsize(path)

        def write(db: sqlite3.Connection) -> None:
            with _transaction(db), open(path, "rb") as source:
                self._claim_run_number(db)
                if _writes_blobs_in_pieces(db):
                    row = db.execute(
                        "INSERT OR REPLACE INTO results (stage, key, run, value) "
                        "VALUES (?, ?, ?, zeroblob(?))",
                        (stage, key, self._run, size),
                    ).lastrowid
                    with db.blobopen("results", "value", row) as blob:
                        while chunk := source.read(BLOB_CHUNK_BYTES):
                            blob.write(chunk)
                else:  # Python 3.10: the entry in one piece
                    db.execute(
                        "INSERT OR REPLACE INTO results (stage, key, run, value) "
                        "VALUES (?, ?, ?, ?)",
                        (stage, key, self._run, source.read()),
                    )
            self._run_claimed = True

        self._with_database(write)
        Path(path).unlink()
        self._last_write = time.monotonic()
        self.unsynced = True

    def commit(self) -> None:
        """Write the results kept in memory to the database now (one transaction)."""
        if not self._pending:
            return
        self._with_database(self._write_pending)
        self._last_write = time.monotonic()

    def close(self) -> None:
        """Write what is kept in memory and close the database (used again, the cache opens
        it again, for the same run)."""
        try:
            self.commit()
        finally:
            if self._db is not None:
                self._db.close()
                self._db = None

    def drop_unused(self) -> int:
        """Remove the entries of every stage this run used that it did not ask for; returns
        how many. (Stages the run did not use keep theirs.) The last thing a complete run does
        with its cache: the database is closed (and opened again if the cache is used)."""
        self.commit()
        stages = sorted(self._stages)

        def delete(db: sqlite3.Connection) -> int:
            marks = ", ".join("?" * len(stages))
            with _transaction(db):
                db.execute("CREATE TEMP TABLE IF NOT EXISTS found (row INTEGER PRIMARY KEY)")
                db.execute("DELETE FROM temp.found")
                db.executemany(
                    "INSERT OR IGNORE INTO temp.found (row) VALUES (?)",
                    ((row,) for row in self._found),
                )
                return db.execute(
                    f"DELETE FROM results WHERE stage IN ({marks}) AND run != ? "
                    "AND rowid NOT IN (SELECT row FROM temp.found)",
                    [*stages, self._run],
                ).rowcount

        removed = 0
        if stages:
            removed = self._with_database(delete)
            self.unsynced = self.unsynced or removed > 0
            removed += self._remove_old_folders(stages)
        self.close()  # the last thing a complete run does with its cache
        return removed

    # -- batching ----------------------------------------------------------------------------

    def _write_when_due(self) -> None:
        if (
            len(self._pending) >= BATCH_RESULTS
            or time.monotonic() - self._last_write >= BATCH_SECONDS
        ):
            self.commit()

    def _write_pending(self, db: sqlite3.Connection) -> None:
        with _transaction(db):
            self._claim_run_number(db)
            rows = [(stage, key, self._run, text) for (stage, key), text in self._pending.items()]
            db.executemany(
                "INSERT OR REPLACE INTO results (stage, key, run, value) VALUES (?, ?, ?, ?)",
                rows,
            )
        self._run_claimed = True
        self._pending.clear()
        self.unsynced = True

    def _claim_run_number(self, db: sqlite3.Connection) -> None:
        """Give this run its number (one more than the last run's) before its first write: a
        run that writes nothing (all found) leaves the database as it was."""
        if self._run_claimed:
            return
        if self._run:  # written again after the database was started anew
            db.execute("INSERT OR IGNORE INTO runs (number) VALUES (?)", (self._run,))
        else:
            self._run = db.execute("INSERT INTO runs DEFAULT VALUES").lastrowid or 0
        db.execute("DELETE FROM runs WHERE number < ?", (self._run,))

    def _stored(self, stage: str, key: str) -> str | bytes | None:
        """The value text of ``(stage, key)`` in the database (or an old file)."""

        def read(db: sqlite3.Connection) -> tuple[int, str | bytes] | None:
            return db.execute(
                "SELECT rowid, value FROM results WHERE stage = ? AND key = ?", (stage, key)
            ).fetchone()

        found = self._with_database(read)
        if found is None:
            return self._old_file_value(stage, key)
        self._found.append(found[0])
        return found[1]

    # -- the database ------------------------------------------------------------------------

    def _with_database(self, action: Callable[[sqlite3.Connection], T]) -> T:
        """``action(connection)``, on a new database when this one proves unreadable (once)."""
        for attempt in (1, 2):
            try:
                return action(self._database())
            except (sqlite3.DatabaseError, UnreadableDatabase) as err:
                if isinstance(err, UnreadableDatabase) or _is_unreadable(err):
                    if attempt == 2:
                        raise
                    self._start_anew(err)
                elif _is_os_error(err):
                    raise _os_error(err, self.path) from None
                else:  # a mistake in this module: said as it is, the database left alone
                    raise
        raise AssertionError("unreachable")

    def _database(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        self.root.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, FORMAT):
                raise UnreadableDatabase(f"it is of another format ({version})")
            if version == 0:  # a new database
                db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = OFF")
            if version == 0:
                db.executescript(_SCHEMA)
        except BaseException:
            db.close()
            raise
        return db

    def _start_anew(self, err: BaseException) -> None:
        """Set the unreadable database aside (removed) and start a new one; what it held is
        recomputed."""
        if self._db is not None:
            self._db.close()
            self._db = None
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                Path(f"{self.path}{suffix}").unlink()
            except FileNotFoundError:
                pass
        del self._found[:]  # the results found are gone with it
        self._run_claimed = False
        warnings.warn(
            f"the result cache {self.path} was unreadable ({err}); a new one was started, and "
            "the results it held are computed again",
            stacklevel=4,
        )

    # -- the old layout: one file per result --------------------------------------------------

    def _old_file_value(self, stage: str, key: str) -> str | None:
        """The value text in ``<stage>/<key>.json`` of an earlier version, copied into the
        database; ``None`` when there is none (or it is unreadable)."""
        if not self._has_old_folder(stage):
            return None
        try:
            entry = json.loads((self.root / stage / f"{key}.json").read_text(encoding="utf-8"))
            text = json.dumps(entry["value"], ensure_ascii=False, sort_keys=True)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self._copied[stage] = self._copied.get(stage, 0) + 1
        self.put_encoded(stage, key, text)
        return text

    def _has_old_folder(self, stage: str) -> bool:
        """Whether the old layout's folder of ``stage`` is there (the folders looked up once)."""
        if self._old_stages is None:
            try:
                self._old_stages = {p.name for p in self.root.iterdir() if p.is_dir()}
            except OSError:
                self._old_stages = set()
        return stage in self._old_stages

    def _remove_old_folders(self, stages: list[str]) -> int:
        """Remove the old layout's folder of each of ``stages`` (what the run used from
        there is in the database now); returns how many entries there were not copied."""
        removed = 0
        for stage in stages:
            folder = self.root / stage
            if folder.is_symlink() or not folder.is_dir():
                continue
            files = sum(1 for p in folder.iterdir() if p.suffix == ".json")
            removed += max(files - self._copied.get(stage, 0), 0)
            shutil.rmtree(folder, ignore_errors=True)
        return removed


def _writes_blobs_in_pieces(db: sqlite3.Connection) -> bool:
    """Whether this Python's ``sqlite3`` writes a blob a piece at a time (3.11 and later)."""
    return hasattr(db, "blobopen")


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN`` … ``COMMIT`` (``ROLLBACK`` on an error) on an autocommit connection."""
    db.execute("BEGIN")
    try:
        yield
    except BaseException:
        if db.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # the error that stopped it is what counts
                db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


#: What SQLite says of a database that is not this version's cache (a table or column that
#: another program's database lacks).
_OTHER_SCHEMA = ("no such table", "no such column", "has no column")


def _is_unreadable(err: sqlite3.DatabaseError) -> bool:
    """Whether the database itself is unreadable (corrupt, not a database, another schema),
    as opposed to a failing disk or a mistake in the queries."""
    if type(err) is sqlite3.DatabaseError:  # SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_FORMAT
        return True
    if isinstance(err, sqlite3.OperationalError):
        code = getattr(err, "sqlite_errorcode", None)
        if code is not None and (code & 0xFF) in (11, 24, 26):  # CORRUPT, FORMAT, NOTADB
            return True
        return any(words in str(err) for words in _OTHER_SCHEMA)
    return False


def _is_os_error(err: sqlite3.DatabaseError) -> bool:
    """Whether SQLite failed because of the disk or the system (not the database's content)."""
    if not isinstance(err, sqlite3.OperationalError):
        return False
    code = getattr(err, "sqlite_errorcode", None)
    if code is None:  # Python 3.10: no code; an OperationalError is then the disk's
        return True
    return (code & 0xFF) in _OS_ERRORS


def _os_error(err: sqlite3.DatabaseError, path: Path) -> OSError:
    """The :class:`OSError` that says what failed: ``No space left on device`` for a full
    disk, and so on."""
    code = getattr(err, "sqlite_errorcode", 10) & 0xFF
    number = _OS_ERRORS.get(code, errno.EIO)
    if number == errno.EIO and _file_size_limited():
        number = errno.EFBIG  # a write past the process's file size limit (ulimit -f)
    return OSError(number, f"{os.strerror(number)} ({err})", str(path))


def _file_size_limited() -> bool:
    try:
        import resource
    except ImportError:  # not on this system
        return False
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    return soft != resource.RLIM_INFINITY

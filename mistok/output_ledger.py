"""Which files of an output folder are mistok's, and which this run wrote: kept on disk.

An output folder of a large archive holds two files per pair (its review page, its
alignment): a hundred thousand files at 50,000 articles a side. :class:`OutputLedger` keeps
their paths and SHA-256 digests in a temporary SQLite database in the cache folder instead
of in the driver's memory, and answers per file (is this content mistok's?) and in path order
(the manifest's outputs, what an earlier run wrote and this one did not).

The database is the run's working index only, never a record: what mistok owns is recorded
in the manifest and the journal (:class:`mistok.output_dir.OutputDir`), and each run builds
its ledger from them anew. The database is made at the first entry, written without a
rollback journal or syncs (a run that dies loses nothing it needs), changes are committed in
batches (a commit per change cost ~30 µs), and its file is removed by :meth:`close`, or,
after a killed run, with the other leftovers of an unfinished write (its name starts with
:data:`mistok.output_files.TEMP_PREFIX`).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from mistok.output_files import TEMP_PREFIX, remove_quietly

__all__ = ["OutputLedger"]

#: Changes written before they are committed together.
BATCH_CHANGES = 4096
#: Rows read at a time where the ledger is read while the folder changes.
PAGE_ROWS = 1024

_SCHEMA = """
CREATE TABLE owned (path TEXT NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (path, digest))
    WITHOUT ROWID;
CREATE TABLE listed (path TEXT PRIMARY KEY NOT NULL, digest TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE outputs (path TEXT PRIMARY KEY NOT NULL, digest TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE stale (path TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
CREATE TABLE present (path TEXT NOT NULL);
"""


class OutputLedger:
    """The files of one output folder, by relative path and SHA-256, in four sets:

    - *owned*: every ``(path, digest)`` mistok wrote there (a path may have several);
    - *listed*: the outputs of the last complete run's manifest;
    - *outputs*: the files of this run (its manifest's outputs), one digest a path;
    - *stale*: the files an earlier run wrote that this run will remove.

    The database is made in ``folder`` at the first entry; a ledger without one is empty."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._db: sqlite3.Connection | None = None
        self._path: Path | None = None
        self._changes = 0

    # -- the database ------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self._db is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".sqlite", dir=self.folder)
            os.close(fd)
            self._path = Path(name)
            db = sqlite3.connect(name, isolation_level=None)
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(_SCHEMA)
            db.execute("BEGIN")
            self._db = db
        return self._db

    def _changed(self, count: int = 1) -> None:
        self._changes += count
        if self._changes >= BATCH_CHANGES:
            self._commit()

    def _commit(self) -> None:
        if self._db is not None and self._changes:
            self._db.execute("COMMIT")
            self._db.execute("BEGIN")
            self._changes = 0

    def _rows(self, sql: str, parameters: tuple = ()) -> Iterator[tuple]:
        """The rows of ``sql``, read as they are used (none without a database)."""
        if self._db is None:
            return iter(())
        return self._db.execute(sql, parameters)

    def _exists(self, sql: str, parameters: tuple) -> bool:
        return self._db is not None and self._db.execute(sql, parameters).fetchone() is not None

    def close(self) -> None:
        """Close and remove the database (the ledger is then empty)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._path is not None:
            remove_quietly(self._path)
            self._path = None

    # -- owned -------------------------------------------------------------------------------

    def own(self, path: str, digest: str) -> None:
        """Count ``digest`` at ``path`` as mistok's."""
        self._open().execute("INSERT OR IGNORE INTO owned VALUES (?, ?)", (path, digest))
        self._changed()

    def owns(self, path: str, digest: str) -> bool:
        return self._exists("SELECT 1 FROM owned WHERE path = ? AND digest = ?", (path, digest))

    def owns_path(self, path: str) -> bool:
        """Whether mistok wrote anything at ``path``."""
        return self._exists("SELECT 1 FROM owned WHERE path = ? LIMIT 1", (path,))

    def owned(self) -> Iterator[tuple[str, str]]:
        """Every ``(path, digest)`` mistok owns, sorted."""
        return self._rows("SELECT path, digest FROM owned ORDER BY path, digest")

    def not_outputs(self, after: str = "") -> Iterator[str]:
        """The paths mistok owns that are not among this run's outputs, sorted, from the
        first after ``after``: a page at a time, so that the folder may change between
        two (a removal, a kept file)."""
        while self._db is not None:
            page = self._db.execute(
                "SELECT DISTINCT path FROM owned WHERE path > ? "
                "AND path NOT IN (SELECT path FROM outputs) ORDER BY path LIMIT ?",
                (after, PAGE_ROWS),
            ).fetchall()
            yield from (path for (path,) in page)
            if len(page) < PAGE_ROWS:
                return
            after = page[-1][0]

    # -- listed: the last manifest's outputs -------------------------------------------------

    def list_before(self, path: str, digest: str) -> None:
        """``path`` is listed with ``digest`` in the last manifest's outputs (and owned)."""
        db = self._open()
        db.execute("INSERT OR REPLACE INTO listed VALUES (?, ?)", (path, digest))
        db.execute("INSERT OR IGNORE INTO owned VALUES (?, ?)", (path, digest))
        self._changed(2)

    def forget_listed(self) -> None:
        """Start the last manifest's outputs (and what they made mistok's) anew."""
        if self._db is not None:
            self._db.execute("DELETE FROM owned WHERE (path, digest) IN (SELECT * FROM listed)")
            self._db.execute("DELETE FROM listed")
            self._changed()

    def listed(self, prefix: str) -> dict[str, str]:
        """The last manifest's outputs whose paths start with ``prefix`` (a folder's few)."""
        rows = self._rows(
            "SELECT path, digest FROM listed WHERE substr(path, 1, ?) = ? ORDER BY path",
            (len(prefix), prefix),
        )
        return dict(rows)

    # -- outputs: this run's files -----------------------------------------------------------

    def add_output(self, path: str, digest: str) -> None:
        """``path`` is one of this run's files, holding ``digest``."""
        self._open().execute("INSERT OR REPLACE INTO outputs VALUES (?, ?)", (path, digest))
        self._changed()

    def outputs(self) -> Iterator[tuple[str, str]]:
        """This run's files and their digests, sorted by path."""
        return self._rows("SELECT path, digest FROM outputs ORDER BY path")

    def output_paths(self) -> Iterator[str]:
        """This run's files, sorted."""
        return (path for (path,) in self._rows("SELECT path FROM outputs ORDER BY path"))

    # -- stale: what an earlier run wrote and this one will remove ---------------------------

    def mark_stale(self, path: str) -> None:
        self._open().execute("INSERT OR IGNORE INTO stale VALUES (?)", (path,))
        self._changed()

    def not_written(self, present: Iterable[str]) -> list[str]:
        """Those of ``present`` (a walk of the folder, any number of paths) that are neither
        among this run's outputs nor stale."""
        db = self._open()
        db.execute("DELETE FROM present")
        db.executemany("INSERT INTO present VALUES (?)", ((path,) for path in present))
        found = db.execute(
            "SELECT path FROM present WHERE path NOT IN (SELECT path FROM outputs) "
            "AND path NOT IN (SELECT path FROM stale)"
        ).fetchall()
        db.execute("DELETE FROM present")
        self._changed()
        return [path for (path,) in found]

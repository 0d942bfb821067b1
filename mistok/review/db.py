"""The decisions of a review: a SQLite log in the run folder (``review/decisions.sqlite``).

Every decision is a row that is never changed but for being marked undone: who took it, when,
what kind, about what (``subject``: a finding's fingerprint, a pair id, a draft file) and its
details as JSON. The current state of a subject is its latest decision not undone, so two
reviewers (or two tabs) writing at once each add their row and neither loses the other's.
Writes go through :meth:`DecisionLog.write`: one ``BEGIN IMMEDIATE`` transaction, so that a
decision computed from the current state (joining two beads) sees every earlier one, and the
export to the plain files happens inside it, in the order of the commits.

The schema is versioned (``PRAGMA user_version``) and migrated forward step by step; a
database of a newer version is refused. WAL mode lets pages read while someone writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from aligner.errors import InputError

__all__ = ["SCHEMA_VERSION", "Decision", "DecisionLog", "DatabaseCorrupt", "current", "now"]

#: The schema this mistok writes; MIGRATIONS[n] takes a database from version n to n + 1.
SCHEMA_VERSION = 1
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE decision (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        pair TEXT,
        payload TEXT NOT NULL,
        author TEXT NOT NULL,
        created TEXT NOT NULL,
        undone_by TEXT,
        undone_at TEXT
    );
    CREATE INDEX decision_subject ON decision (kind, subject);
    """,
)
BUSY_TIMEOUT_MS = 10_000


class DatabaseCorrupt(Exception):
    """The database file cannot be read as a decision log."""


def now() -> str:
    """The time of a decision: UTC, ISO 8601, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Decision:
    """One row of the log."""

    id: int
    kind: str
    subject: str
    pair: str | None
    payload: dict
    author: str
    created: str
    undone_by: str | None = None
    undone_at: str | None = None

    @property
    def active(self) -> bool:
        return self.undone_at is None


def _row(row: tuple) -> Decision:
    return Decision(row[0], row[1], row[2], row[3], json.loads(row[4]), *row[5:])


_COLUMNS = "id, kind, subject, pair, payload, author, created, undone_by, undone_at"


class DecisionLog:
    """The decision database of one run folder. Each call opens its own connection, so one
    log serves the threads of a web server."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return connection

    def open(self) -> None:
        """Create or migrate the database. :class:`InputError` for a newer schema or a locked
        database; :class:`DatabaseCorrupt` for a file that is no SQLite database of ours."""
        try:
            connection = self._connect()
            try:
                connection.execute("PRAGMA journal_mode = WAL")
                check = connection.execute("PRAGMA quick_check").fetchone()
                if check is None or check[0] != "ok":
                    raise DatabaseCorrupt(str(check[0] if check else "no answer"))
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise InputError(
                        f"{self.path}: a review database of schema {version}, newer than this "
                        f"mistok reads ({SCHEMA_VERSION}); upgrade mistok"
                    )
                for step in range(version, SCHEMA_VERSION):  # each step one transaction
                    connection.executescript(
                        f"BEGIN IMMEDIATE; {MIGRATIONS[step]}; PRAGMA user_version = {step + 1};"
                        " COMMIT;"
                    )
                tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
                if "decision" not in tables:
                    raise DatabaseCorrupt("no decision table")
            finally:
                connection.close()
        except sqlite3.OperationalError as err:
            if "locked" in str(err) or "busy" in str(err):
                raise InputError(
                    f"{self.path}: the review database is locked by another program; close it "
                    "and start again"
                ) from None
            if "unable to open" in str(err):
                raise InputError(f"{self.path}: cannot open the review database ({err})") from None
            raise DatabaseCorrupt(str(err)) from None
        except sqlite3.DatabaseError as err:
            raise DatabaseCorrupt(str(err)) from None

    def decisions(self, *, pair: str | None = None) -> list[Decision]:
        """Every decision, oldest first (of one pair when ``pair`` is given)."""
        connection = self._connect()
        try:
            if pair is None:
                rows = connection.execute(f"SELECT {_COLUMNS} FROM decision ORDER BY id")
            else:
                rows = connection.execute(
                    f"SELECT {_COLUMNS} FROM decision WHERE pair = ? ORDER BY id", (pair,)
                )
            return [_row(r) for r in rows.fetchall()]
        finally:
            connection.close()

    @contextmanager
    def write(self) -> Iterator[Writer]:
        """A write transaction: every decision added in it commits together, after the
        caller's block (which exports the files) succeeds; any exception rolls it back."""
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield Writer(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        finally:
            connection.close()


class Writer:
    """What a write transaction may do: read the current state, add, undo."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def decisions(self) -> list[Decision]:
        rows = self._connection.execute(f"SELECT {_COLUMNS} FROM decision ORDER BY id")
        return [_row(r) for r in rows.fetchall()]

    def add(self, kind: str, subject: str, pair: str | None, payload: dict, author: str) -> int:
        cursor = self._connection.execute(
            "INSERT INTO decision (kind, subject, pair, payload, author, created) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (kind, subject, pair, json.dumps(payload, ensure_ascii=False), author, now()),
        )
        return int(cursor.lastrowid or 0)

    def undo(self, decision_id: int, author: str) -> bool:
        cursor = self._connection.execute(
            "UPDATE decision SET undone_by = ?, undone_at = ? WHERE id = ? AND undone_at IS NULL",
            (author, now(), decision_id),
        )
        return cursor.rowcount == 1


def current(decisions: list[Decision]) -> dict[tuple[str, str], Decision]:
    """The state: the latest active decision of each (kind, subject)."""
    state: dict[tuple[str, str], Decision] = {}
    for decision in decisions:
        if decision.active:
            state[(decision.kind, decision.subject)] = decision
    return state

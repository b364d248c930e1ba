"""What every table group shares: the connection, and transactions that really are atomic."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from bot.errors import ConfigError, Problem


def conditions(*pairs: tuple[str, object]) -> tuple[str | None, list]:
    """A WHERE clause and its arguments from (clause, value) pairs whose value is not None."""
    used = [(clause, value) for clause, value in pairs if value is not None]
    return " AND ".join(c for c, _ in used) or None, [v for _, v in used]


class StoreError(ConfigError):
    """The database cannot be used; the message names the file and STANCEBOT_DB (the CLI exits 2 with it)."""

    def __init__(self, path: Path | None, problem: str):
        self.path = path
        super().__init__([Problem(str(path or ":memory:"), 0, "STANCEBOT_DB", problem)])


def describe(exc: BaseException) -> str:
    """What a sqlite or OS error means for the operator, in one line."""
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text:
        return "is not a usable SQLite database (corrupt, or another kind of file): restore a backup or use another file"
    if "readonly" in text or "read-only" in text:
        return "cannot be written (a read-only file, folder or disk): give the bot write access or use another file"
    if "disk is full" in text or "no space" in text:
        return "cannot be written: the disk is full"
    if "unable to open" in text or isinstance(exc, PermissionError):
        return f"cannot be opened ({exc}): check the folder exists and is writable"
    return f"cannot be used: {exc}"


class Tables:
    """Base of the store's table groups."""

    db: sqlite_utils.Database
    path: Path | None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all.

        BEGIN IMMEDIATE takes the write lock up front, so a second process waits (busy timeout)
        instead of failing on a read-to-write upgrade. sqlite-utils' own writes nest inside as
        savepoints; a bare `with conn:` would let the first of them commit on its own.
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            self.db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.db.rollback()
                raise
            self.db.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if any(word in str(exc).lower() for word in ("readonly", "read-only", "disk is full", "no space", "disk i/o")):
                raise StoreError(self.path, describe(exc)) from exc
            raise

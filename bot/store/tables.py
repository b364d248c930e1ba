"""What every table group shares: the connection, and transactions that really are atomic."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils


def conditions(*pairs: tuple[str, object]) -> tuple[str | None, list]:
    """A WHERE clause and its arguments from (clause, value) pairs whose value is not None."""
    used = [(clause, value) for clause, value in pairs if value is not None]
    return " AND ".join(c for c, _ in used) or None, [v for _, v in used]


class Tables:
    """Base of the store's table groups."""

    db: sqlite_utils.Database

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
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        self.db.conn.execute("COMMIT")

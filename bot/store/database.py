"""The SQLite connection: opened in WAL mode, migrated, and one instance per thread."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from bot.store.feeds import FeedTables
from bot.store.items import ItemTables
from bot.store.outbox import OutboxTables
from bot.store.readings import ReadingTables
from bot.store.schema import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000


class Store(FeedTables, ItemTables, ReadingTables, OutboxTables):
    """Typed access to the database; one instance per thread (a sqlite connection stays on its thread)."""

    def __init__(self, path: Path | str | None):
        if path is None or str(path) == ":memory:":
            conn = sqlite3.connect(":memory:")
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous=NORMAL")
        self.db = sqlite_utils.Database(conn)
        self.migrate()

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Bring the schema up to date, one versioned step at a time."""
        while self.version < len(MIGRATIONS):
            step = self.version
            with self.transaction():
                MIGRATIONS[step](self.db)
                self.db.execute(f"PRAGMA user_version={step + 1}")

"""The SQLite connection: opened in WAL mode, migrated, and one instance per thread."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from bot.store.articles import ArticleTables
from bot.store.corrections import CorrectionTables
from bot.store.feeds import FeedTables
from bot.store.items import ItemTables
from bot.store.outbox import OutboxTables
from bot.store.readings import ReadingTables
from bot.store.schema import MIGRATIONS
from bot.store.tables import StoreError, describe
from bot.store.views import stale_derived, sync_derived

BUSY_TIMEOUT_MS = 10_000


class Store(FeedTables, ItemTables, ReadingTables, OutboxTables, CorrectionTables, ArticleTables):
    """Typed access to the database; one instance per thread (a sqlite connection stays on its thread).

    A database that cannot be used (missing with `create=False`, corrupt, read-only, on a full disk, or written by a
    newer stancebot) raises StoreError, a ConfigError naming STANCEBOT_DB, instead of a raw sqlite traceback.
    """

    def __init__(self, path: Path | str | None, *, create: bool = True):
        self.path = None if path is None or str(path) == ":memory:" else Path(path)
        if self.path is None:
            conn = sqlite3.connect(":memory:")
        else:
            if not create and not self.path.is_file():
                raise StoreError(self.path, "no database here (is STANCEBOT_DB or --db right?)")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
                conn.execute("PRAGMA journal_mode=WAL")
            except (sqlite3.Error, OSError) as exc:
                raise StoreError(self.path, describe(exc)) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous=NORMAL")
            self.db = sqlite_utils.Database(conn)
            if self.version > len(MIGRATIONS):
                raise StoreError(self.path, f"was written by a newer stancebot (schema {self.version}; this one knows "
                                            f"{len(MIGRATIONS)}): upgrade stancebot, or use another file")
            conn.execute("PRAGMA foreign_keys=OFF")  # a migration rebuilds tables: keys are checked once it is done
            self.migrate()
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(self.path, describe(exc)) from exc

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
        """Bring the schema up to date, one versioned step at a time, then the views and triggers derived from it."""
        while self.version < len(MIGRATIONS):
            step = self.version
            with self.transaction():
                MIGRATIONS[step](self.db)
                self.db.execute(f"PRAGMA user_version={step + 1}")
        if stale_derived(self.db):
            with self.transaction():
                sync_derived(self.db)

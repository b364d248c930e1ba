"""One process at a time works a database: a lock file beside it, released by the OS when the holder dies."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from bot.store.schema import iso


class Busy(Exception):
    """Another process holds the database's lock; `holder` says which, as it wrote itself down."""

    def __init__(self, path: Path, holder: str):
        self.path, self.holder = path, holder
        super().__init__(f"another stancebot process ({holder or 'unknown'}) is working on {path}")


@contextmanager
def exclusive(db_path: Path | str | None, *, what: str, now: datetime) -> Iterator[None]:
    """Hold `<db>.lock` for the block, or raise Busy at once. A SIGKILLed holder releases it: no stale locks.

    Polling, processing and delivery run under it, so overlapping runs (cron `--once` beside `run`, `digest`
    beside either) never claim the same outbox row or insert the same item at once.
    """
    if db_path is None or str(db_path) == ":memory:":
        yield
        return
    path = Path(f"{db_path}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(Path(db_path), os.pread(fd, 200, 0).decode("utf-8", "replace").strip()) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, {what} since {iso(now)}".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

"""Feeds and small named state: what the poller and the scheduler remember between runs."""

from __future__ import annotations

from datetime import datetime

from bot.ingest.fetch import FeedState
from bot.store.records import FeedRecord
from bot.store.schema import iso, parse_iso
from bot.store.tables import Tables


class FeedTables(Tables):
    """The `feeds` and `state` tables."""


    def feed_state(self, name: str) -> FeedState:
        row = self.db.execute(
            "SELECT etag, last_modified, next_poll_at, last_success_at, failures, last_error, failing_since"
            " FROM feeds WHERE name = ?", [name]).fetchone()
        if row is None:
            return FeedState(name)
        etag, modified, next_poll, success, failures, error, failing = row
        return FeedState(name, etag, modified, parse_iso(next_poll), parse_iso(success), failures or 0, error,
                         parse_iso(failing))

    def feed_alerted_at(self, name: str) -> datetime | None:
        row = self.db.execute("SELECT alerted_at FROM feeds WHERE name = ?", [name]).fetchone()
        return parse_iso(row[0]) if row else None

    def set_feed_alerted(self, name: str, when: datetime | None) -> None:
        with self.transaction():
            self.db.execute("UPDATE feeds SET alerted_at = ? WHERE name = ?", [iso(when), name])

    def set_next_poll(self, name: str, when: datetime | None) -> None:
        with self.transaction():
            self.db.execute("UPDATE feeds SET next_poll_at = ? WHERE name = ?", [iso(when), name])

    def save_feed_state(self, url: str, state: FeedState, *, now: datetime, new_items: int = 0, problem: str | None = None) -> None:
        with self.transaction():
            seen = self.db.execute("SELECT items_seen FROM feeds WHERE name = ?", [state.name]).fetchone()
            self.db["feeds"].upsert({
                "name": state.name, "url": url, "etag": state.etag, "last_modified": state.last_modified,
                "next_poll_at": iso(state.next_poll_at), "last_polled_at": iso(now),
                "last_success_at": iso(state.last_success_at), "failures": state.failures,
                "last_error": state.last_error, "items_seen": (seen[0] if seen else 0) + new_items,
                "failing_since": iso(state.failing_since), "last_problem": problem,
            }, pk="name")

    def feeds(self) -> list[FeedRecord]:
        """Every feed that has been polled, by name."""
        return [FeedRecord(r["name"], r["url"], r["etag"], r["last_modified"], parse_iso(r["next_poll_at"]),
                           parse_iso(r["last_polled_at"]), parse_iso(r["last_success_at"]), r["failures"] or 0,
                           r["last_error"], r["items_seen"] or 0, parse_iso(r["failing_since"]), parse_iso(r["alerted_at"]),
                           r["last_problem"])
                for r in self.db["feeds"].rows_where(order_by="name")]

    def fetch_times(self, feed: str, *, since: datetime) -> list[datetime]:
        """When polls of `feed` brought new items, oldest first (its usual cadence)."""
        rows = self.db.execute("SELECT DISTINCT fetched_at FROM items WHERE feed = ? AND fetched_at >= ? ORDER BY fetched_at",
                               [feed, iso(since)]).fetchall()
        return [t for t in (parse_iso(r[0]) for r in rows) if t is not None]

    def get_state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str | None, *, now: datetime) -> None:
        with self.transaction():
            if value is None:
                self.db.execute("DELETE FROM state WHERE key = ?", [key])
            else:
                self.db["state"].upsert({"key": key, "value": value, "updated_at": iso(now)}, pk="key")

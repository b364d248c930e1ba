"""Analysts' corrections, mutes and topic counter-examples, as Slack records them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from bot.deliver.mutes import Mute
from bot.deliver.outbox import OutboxRow
from bot.store.schema import iso, parse_iso
from bot.store.tables import Tables, conditions
from bot.track.corrections import Correction, Verdicts, verdicts_of
from bot.track.shifts import Position, PositionChange

_COLUMNS = ("c.id, c.request, c.kind, c.topic_id, c.country, c.item_id, c.label, c.was, c.user_id, c.user_name, c.created_at,"
            " c.applied_at, c.message_id, COALESCE(i.cluster_id, c.item_id)")


class CorrectionTables(Tables):
    """The `corrections` and `mutes` tables."""

    _enqueue: Callable[[OutboxRow, datetime], None]  # OutboxTables', in the same transaction

    def record_corrections(self, corrections: Iterable[Correction], *, now: datetime) -> int:
        """Store a request's corrections; one delivered twice (a Slack retry) is stored once. Returns how many are new."""
        added = 0
        with self.transaction():
            for c in corrections:
                cursor = self.db.execute(
                    "INSERT OR IGNORE INTO corrections (request, kind, topic_id, country, item_id, label, was, user_id, user_name,"
                    " message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [c.request, c.kind, c.topic_id, c.country, c.item_id, c.label, c.was, c.user_id, c.user_name, c.message_id,
                     iso(now)])
                added += cursor.rowcount
        return added

    def corrections(self, *, topic_id: str | None = None, request: str | None = None, pending: bool = False) -> list[Correction]:
        """Recorded corrections, oldest first, each with the story its item belongs to now."""
        where, args = conditions(("c.topic_id = ?", topic_id), ("c.request = ?", request))
        if pending:
            where = " AND ".join(w for w in (where, "c.applied_at IS NULL") if w)
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM corrections c LEFT JOIN items i ON i.id = c.item_id"
                               f"{' WHERE ' + where if where else ''} ORDER BY c.id", args).fetchall()
        return [Correction(r[0], r[1], r[2], r[3], r[4] or "", r[5], r[6] or "", r[7] or "", r[8], r[9] or "", parse_iso(r[10]),
                           parse_iso(r[11]), r[12], r[13]) for r in rows]

    def mark_applied(self, request: str, *, now: datetime) -> None:
        with self.transaction():
            self.db.execute("UPDATE corrections SET applied_at = ? WHERE request = ? AND applied_at IS NULL", [iso(now), request])

    def settle_corrections(self, request: str, *, positions: Iterable[Position], changes: Iterable[PositionChange],
                           messages: Iterable[OutboxRow], now: datetime) -> None:
        """Atomically: the positions a request's corrections moved, the moves, their thread replies, and the request applied."""
        with self.transaction():
            self.db["positions"].upsert_all(({
                "topic_id": p.topic_id, "country": p.country, "state": p.state, "since": iso(p.since),
                "changed_at": iso(p.changed_at), "alert_id": p.alert_id, "updated_at": iso(now),
            } for p in positions), pk=("topic_id", "country"))
            self.db["position_changes"].upsert_all(({
                "topic_id": c.topic_id, "country": c.country, "before": c.before, "after": c.after, "at": iso(c.at),
                "alert_id": c.alert_id,
            } for c in changes), pk=("topic_id", "country", "at"))
            for message in messages:
                self._enqueue(message, now)
            self.db.execute("UPDATE corrections SET applied_at = ? WHERE request = ? AND applied_at IS NULL", [iso(now), request])

    def verdicts(self, topic_ids: Iterable[str] | None = None, *, without_request: str | None = None) -> dict[str, Verdicts]:
        """Per topic, what the corrections say about its stories (`without_request`: as if that one were not made)."""
        wanted = set(topic_ids) if topic_ids is not None else None
        found = [c for c in self.corrections() if (wanted is None or c.topic_id in wanted) and c.request != without_request]
        return verdicts_of(found)

    def counter_examples(self) -> dict[str, list[str]]:
        """Per topic, the items analysts said are not about it (in the order they said so)."""
        out: dict[str, list[str]] = {}
        for topic_id, item_id in self.db.execute(
                "SELECT c.topic_id, c.item_id FROM corrections c JOIN items i ON i.id = c.item_id WHERE c.kind = 'topic'"
                " GROUP BY c.topic_id, c.item_id ORDER BY MIN(c.id)"):
            out.setdefault(topic_id, []).append(item_id)
        return out

    def add_mute(self, mute: Mute, *, now: datetime) -> Mute:
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO mutes (topic_id, country, until, user_id, user_name, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [mute.topic_id, mute.country, iso(mute.until), mute.user_id, mute.user_name, iso(now)])
        return Mute(mute.topic_id, mute.country, mute.until, mute.user_id, mute.user_name, now, cursor.lastrowid or 0)

    def lift_mutes(self, *, topic_id: str, country: str, user_id: str, now: datetime) -> int:
        """End the active mutes of exactly this scope now; how many there were."""
        with self.transaction():
            cursor = self.db.execute("UPDATE mutes SET lifted_at = ?, lifted_by = ? WHERE topic_id = ? AND country = ?"
                                     " AND lifted_at IS NULL AND until > ?", [iso(now), user_id, topic_id, country, iso(now)])
        return cursor.rowcount

    def mutes(self, *, now: datetime) -> list[Mute]:
        """The mutes in force at `now`, soonest to end first."""
        rows = self.db.execute("SELECT id, topic_id, country, until, user_id, user_name, created_at FROM mutes"
                               " WHERE lifted_at IS NULL AND until > ? ORDER BY until, id", [iso(now)]).fetchall()
        return [Mute(r[1] or "", r[2] or "", parse_iso(r[3]), r[4] or "", r[5] or "", parse_iso(r[6]), r[0]) for r in rows]

    def stances_of_cluster(self, topic_id: str, cluster_id: str) -> dict[str, str]:
        """The bot's own reading of one story for a topic: country -> label."""
        rows = self.db.execute("SELECT country, label FROM stances WHERE topic_id = ? AND cluster_id = ? ORDER BY published, item_id",
                               [topic_id, cluster_id]).fetchall()
        out: dict[str, str] = {}
        for country, label in rows:
            out.setdefault(country, label)
        return out

    def story_items(self, cluster_id: str) -> list[str]:
        """The items of one story, first copy first."""
        return [r[0] for r in self.db.execute("SELECT id FROM items WHERE cluster_id = ? ORDER BY published, id", [cluster_id])]

    def import_corrections(self, corrections: Iterable[Correction]) -> None:
        """Copy another database's corrections as they were (a backtest replays with them)."""
        with self.transaction():
            for c in corrections:
                self.db.execute(
                    "INSERT OR IGNORE INTO corrections (id, request, kind, topic_id, country, item_id, label, was, user_id, user_name,"
                    " message_id, created_at, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [c.id, c.request, c.kind, c.topic_id, c.country, c.item_id, c.label, c.was, c.user_id, c.user_name,
                     c.message_id, iso(c.created_at), iso(c.applied_at)])

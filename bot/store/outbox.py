"""The outbox (every Slack message, before and after delivery) and stored files (digest charts)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.deliver.outbox import OutboxRow
from bot.store.schema import iso, parse_iso
from bot.store.tables import Tables


class OutboxTables(Tables):
    """The `outbox` and `files` tables."""


    def _enqueue(self, message: OutboxRow, now: datetime) -> None:
        self.db["outbox"].insert({
            "id": message.id, "kind": message.kind, "topic_id": message.topic_id, "channel": message.channel,
            "text": message.text, "blocks": json.dumps(message.blocks), "status": "pending", "attempts": 0,
            "created_at": iso(now), "updated_at": iso(now), "next_attempt_at": iso(now),
            "parent_id": message.parent_id, "payload": json.dumps(message.payload) if message.payload is not None else None,
        }, ignore=True)  # the id is the dedup key: a message is queued at most once

    def enqueue(self, message: OutboxRow, *, now: datetime) -> None:
        with self.transaction():
            self._enqueue(message, now)

    def enqueue_all(self, messages: Iterable[OutboxRow], *, now: datetime, state: dict[str, str] | None = None) -> None:
        """Queue several messages (and record state) in one transaction."""
        with self.transaction():
            for message in messages:
                self._enqueue(message, now)
            for key, value in (state or {}).items():
                self.db["state"].upsert({"key": key, "value": value, "updated_at": iso(now)}, pk="key")

    def due_messages(self, *, now: datetime, latest: datetime | None = None, limit: int = 100) -> list[OutboxRow]:
        """Messages to deliver now, oldest first. A retry time beyond `latest` (further ahead than delivery ever
        schedules one: the clock stepped back) counts as due."""
        rows = self.db["outbox"].rows_where(
            "status IN ('pending', 'sending') AND (next_attempt_at IS NULL OR next_attempt_at <= ? OR next_attempt_at > ?)",
            [iso(now), iso(latest or now + timedelta(days=3650))], order_by="created_at, id", limit=limit)
        return [self._outbox(r) for r in rows]

    def count_due(self, *, now: datetime) -> int:
        return self.db.execute("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending') AND "
                               "(next_attempt_at IS NULL OR next_attempt_at <= ?)", [iso(now)]).fetchone()[0]

    def claim_message(self, message: OutboxRow, *, now: datetime) -> bool:
        """Move a message to 'sending' if no one else has claimed it since it was read (compare-and-set)."""
        with self.transaction():
            cursor = self.db.execute("UPDATE outbox SET status = 'sending', claim = claim + 1, updated_at = ? "
                                     "WHERE id = ? AND claim = ? AND status IN ('pending', 'sending')",
                                     [iso(now), message.id, message.claim])
        return cursor.rowcount == 1

    def outbox(self, *, status: str | None = None) -> list[OutboxRow]:
        rows = self.db["outbox"].rows_where("status = ?" if status else None, [status] if status else [], order_by="created_at, id")
        return [self._outbox(r) for r in rows]

    def message(self, message_id: str) -> OutboxRow | None:
        rows = list(self.db["outbox"].rows_where("id = ?", [message_id]))
        return self._outbox(rows[0]) if rows else None

    def created_at(self, message_id: str) -> datetime | None:
        row = self.db.execute("SELECT created_at FROM outbox WHERE id = ?", [message_id]).fetchone()
        return parse_iso(row[0]) if row else None

    def mark_message(self, message_id: str, *, status: str, now: datetime, ts: str | None = None,
                     error: str | None = None, retry_at: datetime | None = None, count_attempt: bool = True) -> None:
        """Record an outcome. A failed attempt counts toward the message's backoff unless `count_attempt` is False
        (a hold that is no fault of the message: a rejected token, a rate limit)."""
        counted = count_attempt and status not in ("sent", "printed", "sending")
        with self.transaction():
            self.db.execute(
                "UPDATE outbox SET status = ?, ts = COALESCE(?, ts), last_error = ?, updated_at = ?,"
                " attempts = attempts + ?, next_attempt_at = COALESCE(?, next_attempt_at),"
                " sent_at = CASE WHEN ? IN ('sent', 'printed') THEN ? ELSE sent_at END WHERE id = ?",
                [status, ts, error, iso(now), int(counted), iso(retry_at), status, iso(now), message_id])

    def update_payload(self, message_id: str, payload: dict, blocks: list[dict] | None = None) -> None:
        with self.transaction():
            self.db.execute("UPDATE outbox SET payload = ?, blocks = COALESCE(?, blocks) WHERE id = ?",
                            [json.dumps(payload), json.dumps(blocks) if blocks is not None else None, message_id])

    @staticmethod
    def _outbox(row: dict) -> OutboxRow:
        return OutboxRow(
            row["id"], row["kind"], row["topic_id"], row["channel"], row["text"] or "",
            json.loads(row["blocks"] or "[]"), row["status"], row["ts"], row["attempts"] or 0, row["last_error"],
            row.get("parent_id"), json.loads(row["payload"]) if row.get("payload") else None, row.get("claim") or 0,
            parse_iso(row.get("created_at")),
        )

    def replay_printed(self, *, since: datetime, now: datetime) -> tuple[list[str], int]:
        """Queue for Slack again the messages only printed (no token was set) since `since`; (their ids, how many older).

        A digest's chart was written to a local file then: its image block is dropped, so Slack gets a fresh upload.
        """
        with self.transaction():
            rows = list(self.db["outbox"].rows_where("status = 'printed' AND created_at >= ?", [iso(since)], order_by="created_at, id"))
            for row in rows:
                self._requeue(self._outbox(row), channel=row["channel"], now=now)
            older = self.db.execute("SELECT COUNT(*) FROM outbox WHERE status = 'printed' AND created_at < ?", [iso(since)]).fetchone()[0]
        return [r["id"] for r in rows], older

    def requeue_message(self, message_id: str, *, channel: str, now: datetime) -> None:
        """Queue a message again now, to `channel` (the rules may have moved it since it was queued)."""
        message = self.message(message_id)
        if message is not None:
            with self.transaction():
                self._requeue(message, channel=channel, now=now)

    def _requeue(self, message: OutboxRow, *, channel: str, now: datetime) -> None:
        # A chart uploaded for the terminal is a local file: drop it, so Slack gets its own upload.
        blocks = [b for b in message.blocks if not str(b.get("image_url", "")).startswith("/")]
        payload = {k: v for k, v in message.payload.items() if k != "file_id"} if message.payload else None
        self.db.execute("UPDATE outbox SET status = 'pending', channel = ?, ts = NULL, next_attempt_at = ?, updated_at = ?,"
                        " blocks = ?, payload = ? WHERE id = ?",
                        [channel, iso(now), iso(now), json.dumps(blocks), json.dumps(payload) if payload is not None else None,
                         message.id])

    def put_file(self, key: str, name: str, content: bytes, *, now: datetime) -> None:
        with self.transaction():
            self.db["files"].upsert({"key": key, "name": name, "content": content, "created_at": iso(now)}, pk="key")

    def get_file(self, key: str) -> tuple[str, bytes] | None:
        row = self.db.execute("SELECT name, content FROM files WHERE key = ?", [key]).fetchone()
        return (row[0], row[1]) if row else None

    def counts(self) -> dict[str, int]:
        """Rows per main table."""
        return {name: self.db[name].count for name in ("feeds", "items", "embeddings", "matches", "stances", "positions", "outbox")}

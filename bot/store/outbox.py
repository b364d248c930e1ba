"""The outbox (every Slack message, before and after delivery) and stored files (digest charts)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

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

    def due_messages(self, *, now: datetime, limit: int = 100) -> list[OutboxRow]:
        rows = self.db["outbox"].rows_where(
            "status IN ('pending', 'sending') AND (next_attempt_at IS NULL OR next_attempt_at <= ?)",
            [iso(now)], order_by="created_at, id", limit=limit)
        return [self._outbox(r) for r in rows]

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
                     error: str | None = None, retry_at: datetime | None = None) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE outbox SET status = ?, ts = COALESCE(?, ts), last_error = ?, updated_at = ?,"
                " attempts = attempts + (CASE WHEN ? IN ('sent', 'printed', 'sending') THEN 0 ELSE 1 END),"
                " next_attempt_at = COALESCE(?, next_attempt_at),"
                " sent_at = CASE WHEN ? IN ('sent', 'printed') THEN ? ELSE sent_at END WHERE id = ?",
                [status, ts, error, iso(now), status, iso(retry_at), status, iso(now), message_id])

    def update_payload(self, message_id: str, payload: dict, blocks: list[dict] | None = None) -> None:
        with self.transaction():
            self.db.execute("UPDATE outbox SET payload = ?, blocks = COALESCE(?, blocks) WHERE id = ?",
                            [json.dumps(payload), json.dumps(blocks) if blocks is not None else None, message_id])

    @staticmethod
    def _outbox(row: dict) -> OutboxRow:
        return OutboxRow(
            row["id"], row["kind"], row["topic_id"], row["channel"], row["text"] or "",
            json.loads(row["blocks"] or "[]"), row["status"], row["ts"], row["attempts"] or 0, row["last_error"],
            row.get("parent_id"), json.loads(row["payload"]) if row.get("payload") else None,
        )

    def put_file(self, key: str, name: str, content: bytes, *, now: datetime) -> None:
        with self.transaction():
            self.db["files"].upsert({"key": key, "name": name, "content": content, "created_at": iso(now)}, pk="key")

    def get_file(self, key: str) -> tuple[str, bytes] | None:
        row = self.db.execute("SELECT name, content FROM files WHERE key = ?", [key]).fetchone()
        return (row[0], row[1]) if row else None

    def counts(self) -> dict[str, int]:
        """Rows per main table."""
        return {name: self.db[name].count for name in ("feeds", "items", "embeddings", "matches", "stances", "positions", "outbox")}

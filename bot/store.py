"""The SQLite file: schema, migrations and typed reads/writes (sqlite-utils)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable

import numpy as np
import sqlite_utils

from bot.ingest.fetch import FeedState
from bot.ingest.items import Item
from bot.track.shifts import NEUTRAL_WEIGHT, Evidence, Position, Shift

BUSY_TIMEOUT_MS = 10_000
SYNDICATION_WINDOW = timedelta(days=3)


def iso(dt: datetime | None) -> str | None:
    """ISO-8601 UTC text for storage."""
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds") if dt else None


def parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).astimezone(timezone.utc) if text else None


def make_evidence(*, item_id: str, cluster_id: str, country: str, label: str, score: float, outlet: str,
                  published: datetime, quote: str = "", link: str = "", title: str = "") -> Evidence:
    confidence = abs(score) if label != "neutral" else NEUTRAL_WEIGHT
    return Evidence(cluster_id, item_id, country, label, confidence or NEUTRAL_WEIGHT, outlet, published, quote, link or "", title or "")


def _v1(db: sqlite_utils.Database) -> None:
    db["feeds"].create({
        "name": str, "url": str, "etag": str, "last_modified": str, "next_poll_at": str,
        "last_polled_at": str, "last_success_at": str, "failures": int, "last_error": str, "items_seen": int,
    }, pk="name", not_null={"url"}, defaults={"failures": 0, "items_seen": 0})
    db["items"].create({
        "id": str, "feed": str, "guid": str, "link": str, "link_key": str, "title": str, "title_key": str,
        "summary": str, "text": str, "published": str, "fetched_at": str, "flags": str, "cluster_id": str,
        "processed_at": str,
    }, pk="id", not_null={"feed", "published", "fetched_at"})
    db["items"].create_index(["processed_at"])
    db["items"].create_index(["published"])
    db["items"].create_index(["link_key"])
    db["items"].create_index(["title_key"])
    db["items"].create_index(["cluster_id"])
    db["embeddings"].create({"item_id": str, "model": str, "dim": int, "vector": bytes}, pk="item_id")
    db["matches"].create({
        "item_id": str, "topic_id": str, "score": float, "matched": int, "reason": str, "created_at": str,
    }, pk=("item_id", "topic_id"))
    db["matches"].create_index(["topic_id", "matched"])
    db["outbox"].create({
        "id": str, "kind": str, "topic_id": str, "channel": str, "text": str, "blocks": str,
        "status": str, "ts": str, "attempts": int, "last_error": str, "created_at": str,
        "updated_at": str, "next_attempt_at": str, "sent_at": str,
    }, pk="id", not_null={"kind", "channel", "status", "created_at"}, defaults={"attempts": 0})
    db["outbox"].create_index(["status", "next_attempt_at"])


def _v2(db: sqlite_utils.Database) -> None:
    db["stances"].create({
        "item_id": str, "topic_id": str, "country": str, "label": str, "score": float, "evidence": str,
        "feed": str, "cluster_id": str, "published": str, "created_at": str,
    }, pk=("item_id", "topic_id", "country"))
    db["stances"].create_index(["topic_id", "country", "published"])


def _v3(db: sqlite_utils.Database) -> None:
    db["positions"].create({
        "topic_id": str, "country": str, "state": str, "since": str, "changed_at": str, "alert_id": str, "updated_at": str,
    }, pk=("topic_id", "country"))
    db["outbox"].add_column("parent_id", str)
    db["outbox"].add_column("payload", str)


def _v4(db: sqlite_utils.Database) -> None:
    db["feeds"].add_column("failing_since", str)
    db["feeds"].add_column("alerted_at", str)
    db["state"].create({"key": str, "value": str, "updated_at": str}, pk="key")


def _v5(db: sqlite_utils.Database) -> None:
    db["position_changes"].create({
        "topic_id": str, "country": str, "before": str, "after": str, "at": str, "alert_id": str,
    }, pk=("topic_id", "country", "at"))
    db["files"].create({"key": str, "name": str, "content": bytes, "created_at": str}, pk="key")


MIGRATIONS = [_v1, _v2, _v3, _v4, _v5]  # index i migrates from version i to i + 1; append, never edit


@dataclass(frozen=True)
class OutboxRow:
    """A message waiting for (or past) delivery."""

    id: str
    kind: str
    topic_id: str | None
    channel: str
    text: str
    blocks: list[dict]
    status: str
    ts: str | None = None
    attempts: int = 0
    last_error: str | None = None
    parent_id: str | None = None
    payload: dict | None = None


class Store:
    """Typed access to the database; one instance per thread."""

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

    def __enter__(self) -> "Store":
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
            with self.db.conn:
                MIGRATIONS[step](self.db)
                self.db.execute(f"PRAGMA user_version={step + 1}")

    # -- feeds -------------------------------------------------------------

    def feed_state(self, name: str) -> FeedState:
        row = self.db["feeds"].get(name) if self.db["feeds"].count_where("name = ?", [name]) else None
        if row is None:
            return FeedState(name)
        return FeedState(
            name, row["etag"], row["last_modified"], parse_iso(row["next_poll_at"]),
            parse_iso(row["last_success_at"]), row["failures"] or 0, row["last_error"], parse_iso(row["failing_since"]),
        )

    def feed_alerted_at(self, name: str) -> datetime | None:
        row = self.db.execute("SELECT alerted_at FROM feeds WHERE name = ?", [name]).fetchone()
        return parse_iso(row[0]) if row else None

    def set_feed_alerted(self, name: str, when: datetime | None) -> None:
        with self.db.conn:
            self.db.execute("UPDATE feeds SET alerted_at = ? WHERE name = ?", [iso(when), name])

    def get_state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str | None, *, now: datetime) -> None:
        with self.db.conn:
            if value is None:
                self.db.execute("DELETE FROM state WHERE key = ?", [key])
            else:
                self.db["state"].upsert({"key": key, "value": value, "updated_at": iso(now)}, pk="key")

    def save_feed_state(self, url: str, state: FeedState, *, now: datetime, new_items: int = 0) -> None:
        with self.db.conn:
            seen = self.db.execute("SELECT items_seen FROM feeds WHERE name = ?", [state.name]).fetchone()
            self.db["feeds"].upsert({
                "name": state.name, "url": url, "etag": state.etag, "last_modified": state.last_modified,
                "next_poll_at": iso(state.next_poll_at), "last_polled_at": iso(now),
                "last_success_at": iso(state.last_success_at), "failures": state.failures,
                "last_error": state.last_error, "items_seen": (seen[0] if seen else 0) + new_items,
                "failing_since": iso(state.failing_since),
            }, pk="name")

    def feeds(self) -> list[dict]:
        return list(self.db["feeds"].rows_where(order_by="name"))

    # -- items -------------------------------------------------------------

    def add_items(self, items: Iterable[Item], *, now: datetime) -> list[Item]:
        """Store items not seen before; return only the new ones (in input order)."""
        new: list[Item] = []
        with self.db.conn:
            for item in items:
                if self._known(item):
                    continue
                cluster = self._syndicated_cluster(item) or item.id
                self.db["items"].insert({
                    "id": item.id, "feed": item.feed, "guid": item.guid, "link": item.link,
                    "link_key": item.link_key, "title": item.title, "title_key": item.title_key,
                    "summary": item.summary, "text": item.text, "published": iso(item.published),
                    "fetched_at": iso(now), "flags": ",".join(item.flags), "cluster_id": cluster,
                    "processed_at": None,
                })
                new.append(item)
        return new

    def _known(self, item: Item) -> bool:
        if self.db.execute("SELECT 1 FROM items WHERE id = ?", [item.id]).fetchone():
            return True
        # A feed that re-publishes an item under a new GUID keeps its link.
        return bool(item.link_key and self.db.execute(
            "SELECT 1 FROM items WHERE feed = ? AND link_key = ?", [item.feed, item.link_key]).fetchone())

    def _syndicated_cluster(self, item: Item) -> str | None:
        if item.link_key:
            row = self.db.execute("SELECT cluster_id FROM items WHERE link_key = ? LIMIT 1", [item.link_key]).fetchone()
            if row:
                return row[0]
        if len(item.title_key) >= 20:
            lo, hi = iso(item.published - SYNDICATION_WINDOW), iso(item.published + SYNDICATION_WINDOW)
            row = self.db.execute(
                "SELECT cluster_id FROM items WHERE title_key = ? AND published BETWEEN ? AND ? LIMIT 1",
                [item.title_key, lo, hi]).fetchone()
            if row:
                return row[0]
        return None

    def set_cluster(self, item_id: str, cluster_id: str) -> None:
        with self.db.conn:
            self.db.execute("UPDATE items SET cluster_id = ? WHERE id = ?", [cluster_id, item_id])

    def pending_items(self, limit: int = 10_000) -> list[Item]:
        """Stored items not yet processed, oldest first."""
        rows = self.db.execute(
            "SELECT * FROM items WHERE processed_at IS NULL ORDER BY published, id LIMIT ?", [limit])
        return [self._item(dict(zip([c[0] for c in rows.description], r))) for r in rows.fetchall()]

    def item(self, item_id: str) -> Item:
        return self._item(self.db["items"].get(item_id))

    def item_row(self, item_id: str) -> dict:
        return self.db["items"].get(item_id)

    def cluster_origin(self, cluster_id: str) -> str | None:
        """The outlet that first ran a story."""
        row = self.db.execute("SELECT feed FROM items WHERE cluster_id = ? ORDER BY published, id LIMIT 1", [cluster_id]).fetchone()
        return row[0] if row else None

    def cluster_outlets(self, cluster_id: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT feed FROM items WHERE cluster_id = ? GROUP BY feed ORDER BY MIN(published)", [cluster_id]).fetchall()]

    def cluster_size(self, cluster_id: str) -> int:
        return self.db.execute("SELECT COUNT(DISTINCT feed) FROM items WHERE cluster_id = ?", [cluster_id]).fetchone()[0]

    @staticmethod
    def _item(row: dict) -> Item:
        return Item(
            id=row["id"], feed=row["feed"], guid=row["guid"] or "", link=row["link"] or "",
            title=row["title"] or "", summary=row["summary"] or "", text=row["text"] or "",
            published=parse_iso(row["published"]), link_key=row["link_key"] or "",
            title_key=row["title_key"] or "", flags=tuple(f for f in (row["flags"] or "").split(",") if f),
        )

    def recent_items(self, *, since: datetime) -> list[dict]:
        return list(self.db["items"].rows_where("published >= ?", [iso(since)]))

    # -- embeddings --------------------------------------------------------

    def embeddings(self, item_ids: Iterable[str], model: str) -> dict[str, np.ndarray]:
        ids = list(item_ids)
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for item_id, dim, blob in self.db.execute(
                    f"SELECT item_id, dim, vector FROM embeddings WHERE model = ? AND item_id IN ({marks})", [model, *chunk]):
                out[item_id] = np.frombuffer(blob, dtype=np.float32, count=dim)
        return out

    def save_embeddings(self, vectors: dict[str, np.ndarray], model: str) -> None:
        with self.db.conn:
            self.db["embeddings"].upsert_all(({
                "item_id": k, "model": model, "dim": int(v.shape[0]),
                "vector": np.asarray(v, dtype=np.float32).tobytes(),
            } for k, v in vectors.items()), pk="item_id")

    # -- matches and processing --------------------------------------------

    def record_processed(self, item_ids: Iterable[str], matches: Iterable[dict], messages: Iterable[OutboxRow], *,
                         now: datetime, stances: Iterable[dict] = (), positions: Iterable[Position] = (),
                         changes: Iterable[Shift] = ()) -> None:
        """Atomically store match results, stances and positions, queue their messages and mark items processed."""
        with self.db.conn:
            self.db["matches"].upsert_all(({**m, "created_at": iso(now)} for m in matches), pk=("item_id", "topic_id"))
            self.db["stances"].upsert_all(({**st, "created_at": iso(now)} for st in stances), pk=("item_id", "topic_id", "country"))
            self.db["positions"].upsert_all(({
                "topic_id": p.topic_id, "country": p.country, "state": p.state, "since": iso(p.since),
                "changed_at": iso(p.changed_at), "alert_id": p.alert_id, "updated_at": iso(now),
            } for p in positions), pk=("topic_id", "country"))
            self.db["position_changes"].upsert_all(({
                "topic_id": c.topic_id, "country": c.country, "before": c.before, "after": c.after, "at": iso(c.at), "alert_id": c.id,
            } for c in changes), pk=("topic_id", "country", "at"))
            for message in messages:
                self._enqueue(message, now)
            for item_id in item_ids:
                self.db.execute("UPDATE items SET processed_at = ? WHERE id = ?", [iso(now), item_id])

    def matches(self, *, topic_id: str | None = None, matched_only: bool = True) -> list[dict]:
        where, args = [], []
        if topic_id:
            where.append("topic_id = ?"), args.append(topic_id)
        if matched_only:
            where.append("matched = 1")
        return list(self.db["matches"].rows_where(" AND ".join(where) or None, args, order_by="created_at, item_id"))

    # -- outbox ------------------------------------------------------------

    def _enqueue(self, message: OutboxRow, now: datetime) -> None:
        self.db["outbox"].insert({
            "id": message.id, "kind": message.kind, "topic_id": message.topic_id, "channel": message.channel,
            "text": message.text, "blocks": json.dumps(message.blocks), "status": "pending", "attempts": 0,
            "created_at": iso(now), "updated_at": iso(now), "next_attempt_at": iso(now),
            "parent_id": message.parent_id, "payload": json.dumps(message.payload) if message.payload is not None else None,
        }, ignore=True)  # the id is the dedup key: a message is queued at most once

    def enqueue(self, message: OutboxRow, *, now: datetime) -> None:
        with self.db.conn:
            self._enqueue(message, now)

    def due_messages(self, *, now: datetime, limit: int = 100) -> list[OutboxRow]:
        rows = self.db["outbox"].rows_where(
            "status IN ('pending', 'sending') AND (next_attempt_at IS NULL OR next_attempt_at <= ?)",
            [iso(now)], order_by="created_at, id", limit=limit)
        return [self._outbox(r) for r in rows]

    def outbox(self, *, status: str | None = None) -> list[OutboxRow]:
        rows = self.db["outbox"].rows_where("status = ?" if status else None, [status] if status else [], order_by="created_at, id")
        return [self._outbox(r) for r in rows]

    def mark_message(self, message_id: str, *, status: str, now: datetime, ts: str | None = None,
                     error: str | None = None, retry_at: datetime | None = None) -> None:
        with self.db.conn:
            self.db.execute(
                "UPDATE outbox SET status = ?, ts = COALESCE(?, ts), last_error = ?, updated_at = ?,"
                " attempts = attempts + (CASE WHEN ? IN ('sent', 'printed', 'sending') THEN 0 ELSE 1 END),"
                " next_attempt_at = COALESCE(?, next_attempt_at),"
                " sent_at = CASE WHEN ? IN ('sent', 'printed') THEN ? ELSE sent_at END WHERE id = ?",
                [status, ts, error, iso(now), status, iso(retry_at), status, iso(now), message_id])

    @staticmethod
    def _outbox(row: dict) -> OutboxRow:
        return OutboxRow(
            row["id"], row["kind"], row["topic_id"], row["channel"], row["text"] or "",
            json.loads(row["blocks"] or "[]"), row["status"], row["ts"], row["attempts"] or 0, row["last_error"],
            row.get("parent_id"), json.loads(row["payload"]) if row.get("payload") else None,
        )

    def created_at(self, message_id: str) -> datetime | None:
        row = self.db.execute("SELECT created_at FROM outbox WHERE id = ?", [message_id]).fetchone()
        return parse_iso(row[0]) if row else None

    def has_pending_items(self) -> bool:
        return self.db.execute("SELECT 1 FROM items WHERE processed_at IS NULL LIMIT 1").fetchone() is not None

    def message(self, message_id: str) -> OutboxRow | None:
        rows = list(self.db["outbox"].rows_where("id = ?", [message_id]))
        return self._outbox(rows[0]) if rows else None

    def stances(self, *, topic_id: str | None = None, since: datetime | None = None, until: datetime | None = None) -> list[dict]:
        """Stored stance evidence, oldest first, optionally for one topic and a [since, until) window."""
        where, args = [], []
        if topic_id:
            where.append("topic_id = ?"), args.append(topic_id)
        if since:
            where.append("published >= ?"), args.append(iso(since))
        if until:
            where.append("published < ?"), args.append(iso(until))
        return list(self.db["stances"].rows_where(" AND ".join(where) or None, args, order_by="published, item_id, country"))

    def position(self, topic_id: str, country: str) -> Position:
        """The stored settled stance (without its evidence)."""
        rows = list(self.db["positions"].rows_where("topic_id = ? AND country = ?", [topic_id, country]))
        if not rows:
            return Position(topic_id, country)
        r = rows[0]
        return Position(topic_id, country, r["state"], parse_iso(r["since"]), parse_iso(r["changed_at"]), r["alert_id"])

    def positions(self, topic_id: str | None = None) -> list[Position]:
        rows = self.db["positions"].rows_where("topic_id = ?" if topic_id else None, [topic_id] if topic_id else [],
                                               order_by="topic_id, country")
        return [Position(r["topic_id"], r["country"], r["state"], parse_iso(r["since"]), parse_iso(r["changed_at"]), r["alert_id"])
                for r in rows]

    def evidence(self, topic_id: str, country: str, *, since: datetime, exclude_items: Iterable[str] = ()) -> list[Evidence]:
        """Stance evidence for one (topic, country): one per story cluster, credited to the outlet that first ran it."""
        excluded = set(exclude_items)
        rows = self.db.execute(
            "SELECT s.item_id, s.cluster_id, s.label, s.score, s.evidence, s.published, i.link, i.title,"
            " (SELECT feed FROM items f WHERE f.cluster_id = s.cluster_id ORDER BY f.published, f.id LIMIT 1) AS origin"
            " FROM stances s JOIN items i ON i.id = s.item_id"
            " WHERE s.topic_id = ? AND s.country = ? AND s.published >= ? ORDER BY s.published, s.item_id",
            [topic_id, country, iso(since)]).fetchall()
        out, seen = [], set()
        for item_id, cluster, label, score, quote, published, link, title, origin in rows:
            if item_id in excluded or cluster in seen:
                continue
            seen.add(cluster)
            out.append(make_evidence(item_id=item_id, cluster_id=cluster, country=country, label=label, score=score,
                                     outlet=origin, published=parse_iso(published), quote=quote, link=link, title=title))
        return out

    def position_changes(self, *, topic_id: str | None = None, until: datetime | None = None, since: datetime | None = None) -> list[dict]:
        where, args = [], []
        for clause, value in (("topic_id = ?", topic_id), ("at < ?", iso(until) if until else None), ("at >= ?", iso(since) if since else None)):
            if value is not None:
                where.append(clause), args.append(value)
        return list(self.db["position_changes"].rows_where(" AND ".join(where) or None, args, order_by="at"))

    def put_file(self, key: str, name: str, content: bytes, *, now: datetime) -> None:
        with self.db.conn:
            self.db["files"].upsert({"key": key, "name": name, "content": content, "created_at": iso(now)}, pk="key")

    def get_file(self, key: str) -> tuple[str, bytes] | None:
        row = self.db.execute("SELECT name, content FROM files WHERE key = ?", [key]).fetchone()
        return (row[0], row[1]) if row else None

    def update_payload(self, message_id: str, payload: dict, blocks: list[dict] | None = None) -> None:
        with self.db.conn:
            self.db.execute("UPDATE outbox SET payload = ?, blocks = COALESCE(?, blocks) WHERE id = ?",
                            [json.dumps(payload), json.dumps(blocks) if blocks is not None else None, message_id])

    def enqueue_all(self, messages: Iterable[OutboxRow], *, now: datetime, state: dict[str, str] | None = None) -> None:
        """Queue several messages (and record state) in one transaction."""
        with self.db.conn:
            for message in messages:
                self._enqueue(message, now)
            for key, value in (state or {}).items():
                self.db["state"].upsert({"key": key, "value": value, "updated_at": iso(now)}, pk="key")

    def counts(self) -> dict[str, int]:
        return {name: self.db[name].count for name in ("feeds", "items", "embeddings", "matches", "stances", "positions", "outbox")}

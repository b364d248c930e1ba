"""The database schema: versioned migrations, and how times are stored (ISO-8601 UTC text)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import sqlite_utils
from sqlite_utils.db import ForeignKey

log = logging.getLogger(__name__)


def iso(dt: datetime | None) -> str | None:
    """ISO-8601 UTC text for storage."""
    return dt.astimezone(UTC).isoformat(timespec="seconds") if dt else None


def parse_iso(text: str | None) -> datetime | None:
    """A stored time as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


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


def _v6(db: sqlite_utils.Database) -> None:
    # Feed URLs were stored with their credentials; keep only what may be shown.
    from bot.rules import redact_url

    for name, url in db.execute("SELECT name, url FROM feeds").fetchall():
        db.execute("UPDATE feeds SET url = ? WHERE name = ?", [redact_url(url), name])
    db["items"].add_column("error", str)  # why processing an item failed, when it did
    db["feeds"].add_column("last_problem", str)
    db["outbox"].add_column("claim", int, not_null_default=0)  # bumped by every claim: a compare-and-set token


def _v7(db: sqlite_utils.Database) -> None:
    db["matches"].add_column("via", str)  # the story a match was inherited from (bot.read.neighbours)


def _v8(db: sqlite_utils.Database) -> None:
    # Analysts' corrections from Slack (the bot's own readings stay as they were) and their mutes.
    db["corrections"].create({
        "id": int, "request": str, "kind": str, "topic_id": str, "country": str, "item_id": str, "label": str, "was": str,
        "user_id": str, "user_name": str, "message_id": str, "created_at": str, "applied_at": str,
    }, pk="id", not_null={"request", "kind", "topic_id", "item_id", "user_id", "created_at"}, defaults={"country": "", "label": ""})
    # One button press delivered twice (a Slack retry) is one correction.
    db["corrections"].create_index(["request", "kind", "topic_id", "country", "item_id"], unique=True)
    db["corrections"].create_index(["topic_id", "kind"])
    db["mutes"].create({
        "id": int, "topic_id": str, "country": str, "until": str, "user_id": str, "user_name": str, "created_at": str,
        "lifted_at": str, "lifted_by": str,
    }, pk="id", not_null={"until", "created_at"}, defaults={"topic_id": "", "country": ""})
    db["mutes"].create_index(["lifted_at", "until"])


def _v9(db: sqlite_utils.Database) -> None:
    # Full-text reading: the article behind an item (fetched once, or why not), robots.txt per origin, the language
    # each item was detected in, and whether a stance's quote came from the article rather than the feed entry.
    db["articles"].create({
        "item_id": str, "feed": str, "url": str, "final_url": str, "status": str, "error": str, "chars": int,
        "lang": str, "text": str, "fetched_at": str,
    }, pk="item_id", not_null={"status", "fetched_at"})
    db["articles"].create_index(["feed", "status"])
    db["robots"].create({"origin": str, "status": str, "body": str, "fetched_at": str}, pk="origin")
    db["items"].add_column("lang", str)
    db["items"].create_index(["feed", "lang"])
    db["stances"].add_column("from_article", int, not_null_default=0)


# Links between the tables, declared so that SQLite keeps them and Datasette follows them: (table, column, parent, on delete).
FOREIGN_KEYS = (
    ("items", "feed", "feeds", "NO ACTION"),
    ("embeddings", "item_id", "items", "CASCADE"),
    ("matches", "item_id", "items", "CASCADE"),
    ("stances", "item_id", "items", "CASCADE"),
    ("articles", "item_id", "items", "CASCADE"),
)
SEARCHED = ("title", "summary", "text")  # the items' columns in the full-text index items_fts


def _v10(db: sqlite_utils.Database) -> None:
    """Foreign keys between the tables, and full-text search on items (the editor's view in Datasette).

    SQLite adds a foreign key only by rebuilding the table (sqlite-utils' transform copies every row, rowid and index).
    Rows the keys would reject are settled first, and logged: a feed that has items but no row of its own gets one
    (nothing is lost); matches, stances and vectors of an item no longer stored are removed (nothing could show them).
    """
    known = {name for (name,) in db.execute("SELECT name FROM feeds")}
    missing = [name for (name,) in db.execute("SELECT DISTINCT feed FROM items ORDER BY feed") if name not in known]
    for name in missing:
        db.execute("INSERT INTO feeds (name, url) VALUES (?, '')", [name])
    if missing:
        log.warning("schema upgrade: added a row for %d feeds that had items but none of their own: %s", len(missing),
                    ", ".join(missing))
    for table, column, parent, on_delete in FOREIGN_KEYS:
        if parent == "items":
            gone = db.execute(f"DELETE FROM {table} WHERE {column} NOT IN (SELECT id FROM items)").rowcount
            if gone:
                log.warning("schema upgrade: removed %d rows of %s whose item is no longer stored", gone, table)
        key = ForeignKey(table, column, parent, db[parent].pks[0], on_delete=on_delete)
        db[table].transform(add_foreign_keys=[key])
    db["items"].create_index(["feed", "published"])  # feed health, and the key's check when a feed row changes
    db["items"].enable_fts(list(SEARCHED), fts_version="FTS5", tokenize="porter", create_triggers=False)
    left = db.execute("PRAGMA foreign_key_check").fetchall()
    if left:
        raise RuntimeError(f"rows that break the new foreign keys remain: {left[:5]}")


MIGRATIONS = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, _v10]  # index i migrates from version i to i + 1; append, never edit

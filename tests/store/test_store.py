"""The SQLite store: schema, dedup, clusters, embeddings, outbox."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from conftest import NOW, rss, story

from bot.deliver.outbox import OutboxRow
from bot.ingest.items import parse_feed
from bot.read.match import Match
from bot.store import Store


def items(feed: str, *stories: dict):
    return parse_feed(rss(list(stories)), feed=feed, now=NOW).items


def test_new_database_is_migrated(tmp_path):
    """A new file gets the latest schema, WAL mode and a version number."""
    with Store(tmp_path / "s.db") as store:
        assert store.version >= 1
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert {"feeds", "items", "embeddings", "matches", "outbox"} <= set(store.db.table_names())


def test_reopening_keeps_rows(tmp_path):
    """Rows survive closing and reopening the file, and migration is idempotent."""
    with Store(tmp_path / "s.db") as store:
        store.add_items(items("F", story(1, "A")), now=NOW)
    with Store(tmp_path / "s.db") as store:
        assert store.counts()["items"] == 1


def test_add_items_returns_only_new(fresh_store):
    """Items already stored are not returned again, even when edited."""
    assert len(fresh_store.add_items(items("F", story(1, "A"), story(2, "B")), now=NOW)) == 2
    again = fresh_store.add_items(items("F", story(2, "B edited"), story(3, "C")), now=NOW)
    assert [i.title for i in again] == ["C"]


def test_republished_under_new_guid_is_known(fresh_store):
    """A feed re-publishing an item with a new GUID but the same link is not a new item."""
    first = story(1, "A")
    fresh_store.add_items(items("F", first), now=NOW)
    assert fresh_store.add_items(items("F", {**first, "guid": "new-guid"}), now=NOW) == []


def test_syndicated_copies_share_a_cluster(fresh_store):
    """The same title in two outlets within days lands in one cluster."""
    title = "Brazil warns of destabilisation after Caribbean strike"
    a = fresh_store.add_items(items("Wire", story(1, title, host="wire.example")), now=NOW)[0]
    b = fresh_store.add_items(items("Paper", story(9, title + ".", host="paper.example", hours_ago=0)), now=NOW)[0]
    assert fresh_store.cluster_of(a.id) == fresh_store.cluster_of(b.id) == a.id
    assert fresh_store.cluster_outlets(a.id) == ["Wire", "Paper"]


def test_pending_items_oldest_first(fresh_store):
    """Unprocessed items come back in publication order."""
    fresh_store.add_items(items("F", story(1, "new", hours_ago=1), story(2, "old", hours_ago=5)), now=NOW)
    assert [i.title for i in fresh_store.pending_items()] == ["old", "new"]


def test_embeddings_round_trip_as_float32(fresh_store):
    """Vectors are stored as float32 blobs and read back equal."""
    v = np.arange(4, dtype=np.float32) / 7
    (item,) = fresh_store.add_items(items("F", story(1, "A")), now=NOW)
    fresh_store.save_embeddings({item.id: v}, "m")
    assert np.array_equal(fresh_store.embeddings([item.id, "b"], "m")[item.id], v)
    assert fresh_store.embeddings([item.id], "other-model") == {}


def test_processing_is_atomic(fresh_store):
    """Matches, messages and the processed mark are written together or not at all."""
    (item,) = fresh_store.add_items(items("F", story(1, "A")), now=NOW)
    good = OutboxRow("m1", "match", "t", "#c", "text", [], "pending")
    unwritable = OutboxRow("m2", "match", "t", "#c", "text", [{"type": object()}], "pending")  # fails half-way through
    with pytest.raises(TypeError):
        fresh_store.record_processed([item.id], [(item.id, Match("t", 0.5, True, "r"))], [good, unwritable], now=NOW)
    assert fresh_store.outbox() == [] and fresh_store.matches() == [] and len(fresh_store.pending_items()) == 1


def test_outbox_dedups_by_id(fresh_store):
    """Queuing the same message id twice keeps one row."""
    msg = OutboxRow("match:t:c1", "match", "t", "#c", "hello", [{"type": "divider"}], "pending")
    fresh_store.enqueue(msg, now=NOW)
    fresh_store.enqueue(msg, now=NOW)
    (row,) = fresh_store.outbox()
    assert (row.id, row.status, row.blocks) == ("match:t:c1", "pending", [{"type": "divider"}])


def test_outbox_retry_time_respected(fresh_store):
    """A message waiting for a retry is not due before its time."""
    fresh_store.enqueue(OutboxRow("m", "match", "t", "#c", "x", [], "pending"), now=NOW)
    fresh_store.mark_message("m", status="pending", now=NOW, error="boom", retry_at=NOW + timedelta(minutes=5))
    assert fresh_store.due_messages(now=NOW) == []
    (row,) = fresh_store.due_messages(now=NOW + timedelta(minutes=5))
    assert (row.attempts, row.last_error) == (1, "boom")


def test_articles_robots_and_languages_are_kept(tmp_path):
    """An item's article (or why not), robots.txt answers and item languages survive a reopen; unread ones are counted."""
    from bot.ingest.robots import RobotsEntry
    from bot.read.article import Article
    from bot.store import MIGRATIONS

    path = tmp_path / "s.db"
    with Store(path) as store:
        stored = store.add_items(items("Wire", story(1, "A"), story(2, "B")) + items("Diario", story(3, "C"), story(4, "D")), now=NOW)
        store.save_article(Article(stored[0].id, "Wire", "ok", "Brazil condemned it.\nMore.", "https://x/a", "https://x/b",
                                   chars=26, lang="en", fetched_at=NOW))
        store.save_article(Article(stored[1].id, "Wire", "robots", url="https://x/p", error="disallowed", fetched_at=NOW))
        store.save_robots([RobotsEntry("https://x:443", "ok", "User-agent: *\nDisallow: /p", NOW)])
        store.record_processed([i.id for i in stored], [], [], now=NOW,
                               languages={stored[0].id: "en", stored[1].id: "und", stored[2].id: "es", stored[3].id: "es"})
    with Store(path) as store:
        assert store.version == len(MIGRATIONS)
        found = store.articles([i.id for i in stored])
        assert found[stored[0].id].text == "Brazil condemned it.\nMore." and found[stored[0].id].usable
        assert (found[stored[1].id].status, found[stored[1].id].error) == ("robots", "disallowed")
        assert stored[2].id not in found
        assert store.article_counts() == {"Wire": {"ok": 1, "robots": 1}}
        assert store.robots(["https://x:443", "https://y:443"]) == [RobotsEntry("https://x:443", "ok", "User-agent: *\nDisallow: /p", NOW)]
        assert store.unread_languages({"en"}) == {"es": {"Diario": 2}, "und": {"Wire": 1}}
        assert store.unread_languages({"en", "und"}, since=NOW, until=NOW + timedelta(days=1)) == {}
        assert store.unread_languages({"en", "und"}, since=NOW - timedelta(days=1), until=NOW) == {"es": {"Diario": 2}}

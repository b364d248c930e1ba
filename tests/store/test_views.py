"""Links between the tables, the items' search index and the views: made by the migrations, kept after them."""

from __future__ import annotations

import logging
import shlex
import sqlite3
from datetime import timedelta

import pytest
import sqlite_utils
from conftest import NOW, rss, story
from stocked import BASEBALL, COLOMBIA, FAILED_ID, QUOTE, STRIKE, TOPIC, stock

from bot.deliver.messages import STANCE_MARK, UNSETTLED_MARK
from bot.ingest.items import parse_feed
from bot.labels import Label
from bot.store import MIGRATIONS, Store
from bot.store.schema import FOREIGN_KEYS
from bot.store.views import SEARCH_TRIGGERS, VIEWS, stale_derived
from bot.track.evidence import StanceRecord


def search(store: Store, words: str) -> set[str]:
    """Ids of the items whose indexed text matches an FTS5 query."""
    rows = store.db.execute("SELECT items.id FROM items JOIN items_fts ON items_fts.rowid = items.rowid "
                            "WHERE items_fts MATCH ?", [words]).fetchall()
    return {r[0] for r in rows}


def view(store: Store, name: str) -> list[dict]:
    return list(store.db.query(f"SELECT * FROM {name}"))


def test_tables_are_linked_and_the_links_enforced(fresh_store):
    """Every declared link is a foreign key SQLite enforces: a stance of an item never stored is refused."""
    for table, column, parent, on_delete in FOREIGN_KEYS:
        (key,) = [k for k in fresh_store.db[table].foreign_keys if k.column == column]
        assert (key.other_table, key.on_delete) == (parent, on_delete)
    assert fresh_store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    ghost = StanceRecord("no-such-item", TOPIC, "COL", Label.OPPOSED, -0.8, "q", "Wire", "no-such-item", NOW)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        fresh_store.record_processed([], [], [], now=NOW, stances=[ghost])


def test_an_items_feed_gets_a_row_that_its_poll_fills_in(fresh_store):
    """Storing an item registers its feed (the key holds); the poll's state then gives the feed its URL."""
    fresh_store.add_items(parse_feed(rss([story(1, "A")]), feed="Wire", now=NOW).items, now=NOW)
    assert [(f.name, f.url) for f in fresh_store.feeds()] == [("Wire", "")]
    from bot.ingest.fetch import FeedState

    fresh_store.save_feed_state("https://wire.example/rss", FeedState("Wire"), now=NOW, new_items=1)
    assert [(f.name, f.url, f.items_seen) for f in fresh_store.feeds()] == [("Wire", "https://wire.example/rss", 1)]


def test_deleting_an_item_takes_what_was_read_from_it(fresh_store):
    """An item deleted (by a future retention rule, or by hand) takes its matches, stances, vector and index entry."""
    ids = stock(fresh_store, NOW)
    import numpy as np

    fresh_store.save_embeddings({ids[COLOMBIA]: np.ones(4, dtype=np.float32)}, "m")
    fresh_store.db.execute("DELETE FROM items WHERE id = ?", [ids[COLOMBIA]])
    for table in ("matches", "stances", "embeddings"):
        assert fresh_store.db.execute(f"SELECT COUNT(*) FROM {table} WHERE item_id = ?", [ids[COLOMBIA]]).fetchone()[0] == 0
    assert search(fresh_store, "condemns") == set()
    assert fresh_store.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_items_are_searchable_as_they_are_stored_and_edited(fresh_store):
    """The index follows inserts and text edits, in any word form; marking an item processed keeps it findable."""
    ids = stock(fresh_store, NOW)
    assert search(fresh_store, "boat strike") == {ids[STRIKE]}  # 'strikes on boats', any order and form
    assert search(fresh_store, "bogota") == {ids[COLOMBIA]}  # accents folded
    fresh_store.db.execute("UPDATE items SET text = 'The full article: warships and marines.' WHERE id = ?", [ids[BASEBALL]])
    assert search(fresh_store, "marines") == {ids[BASEBALL]}
    fresh_store.mark_failed(ids[BASEBALL], error="boom", now=NOW)
    assert search(fresh_store, "marines") == {ids[BASEBALL]} and search(fresh_store, "baseball") == {ids[BASEBALL]}


def links_step() -> int:
    """The index of the migration that adds the foreign keys, found by what it does (steps are renumbered at merges)."""
    db = sqlite_utils.Database(memory=True)
    for step, migration in enumerate(MIGRATIONS):
        migration(db)
        if "items" in db.table_names() and db["items"].foreign_keys:
            return step
    raise AssertionError("no migration adds foreign keys")


def old_database(path) -> None:
    """A database as the stancebot before the links left it, with a week of rows and a few rows the links reject."""
    db = sqlite_utils.Database(path)
    step = links_step()
    for migration in MIGRATIONS[:step]:
        migration(db)
    db.execute(f"PRAGMA user_version={step}")
    t = NOW.isoformat()
    db["feeds"].insert_all([{"name": "Wire", "url": "https://wire.example/rss", "failures": 0, "items_seen": 3}])
    db["items"].insert_all([{"id": f"i{n}", "feed": feed, "guid": f"g{n}", "link": f"https://x.example/{n}", "link_key": f"x/{n}",
                             "title": title, "title_key": title.lower(), "summary": "", "text": "", "published": t,
                             "fetched_at": t, "flags": "", "cluster_id": "i1", "processed_at": t}
                            for n, (feed, title) in enumerate([("Wire", "Strikes on boats"), ("Wire", "Colombia objects"),
                                                               ("Gone", "A feed since removed from the rules")], start=1)])
    db["embeddings"].insert_all([{"item_id": i, "model": "m", "dim": 1, "vector": b"\0\0\0\0"} for i in ("i1", "i2", "i3", "ghost")])
    db["matches"].insert_all([{"item_id": i, "topic_id": TOPIC, "score": 0.5, "matched": 1, "reason": "r", "created_at": t}
                              for i in ("i1", "i2", "i3", "ghost")])
    db["stances"].insert_all([{"item_id": i, "topic_id": TOPIC, "country": "COL", "label": "opposed", "score": -0.8,
                               "evidence": "q", "feed": "Wire", "cluster_id": "i1", "published": t} for i in ("i2", "ghost")])
    db["positions"].insert({"topic_id": TOPIC, "country": "COL", "state": "opposed", "since": t, "changed_at": t, "updated_at": t})
    db["outbox"].insert({"id": "m1", "kind": "shift", "topic_id": TOPIC, "channel": "#d", "text": "x", "blocks": "[]",
                         "status": "sent", "created_at": t})
    db.conn.commit()
    db.conn.close()


def test_a_populated_old_database_gains_links_and_search_without_losing_rows(tmp_path, caplog):
    """Migrating keeps every row the links allow, adds a row for a feed that had none, removes and reports the reads of
    items no longer stored, keeps the indexes, and leaves the keys checked, clean and enforced and the items searchable."""
    path = tmp_path / "old.db"
    old_database(path)
    before = sqlite_utils.Database(path)
    indexes = {i.name for t in before.tables for i in t.indexes}
    rowids = dict(before.execute("SELECT id, rowid FROM items").fetchall())
    before.conn.close()
    with caplog.at_level(logging.WARNING, logger="bot.store.schema"), Store(path) as store:
        assert store.version == len(MIGRATIONS)
        counts = {t: store.db[t].count for t in ("feeds", "items", "embeddings", "matches", "stances", "positions", "outbox")}
        assert counts == {"feeds": 2, "items": 3, "embeddings": 3, "matches": 3, "stances": 1, "positions": 1, "outbox": 1}
        assert store.db.execute("SELECT url FROM feeds WHERE name = 'Gone'").fetchone() == ("",)
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert indexes <= {i.name for t in store.db.tables for i in t.indexes}
        assert dict(store.db.execute("SELECT id, rowid FROM items").fetchall()) == rowids
        assert search(store, "boat") == {"i1"} and search(store, "removed") == {"i3"}
        assert [r["country"] for r in view(store, "stances_now")] == ["COL"]
    log = caplog.text
    assert "added a row for 1 feeds" in log and "Gone" in log
    assert all(f"removed 1 rows of {t}" in log for t in ("embeddings", "matches", "stances"))


def test_views_and_search_triggers_come_back_after_a_later_rebuild(tmp_path):
    """A later migration that rebuilds items (dropping its triggers) or changes a view: the next open makes them again
    and indexes the items stored meanwhile; an up-to-date database is not written to at all."""
    path = tmp_path / "s.db"
    with Store(path) as store:
        stock(store, NOW)
        store.db["items"].transform(column_order=["id", "title"])  # what a later migration might do
        store.db.execute("DROP VIEW stances_now")
        store.db.execute("CREATE VIEW stances_now AS SELECT 1 AS one")
        late = parse_feed(rss([story(9, "Marines land in Trinidad", hours_ago=1)]), feed="Wire", now=NOW).items
        store.add_items(late, now=NOW)
        assert sorted(stale_derived(store.db)) == sorted(["stances_now", *SEARCH_TRIGGERS])
        assert search(store, "marines") == set()
    with Store(path) as store:
        assert stale_derived(store.db) == []
        assert search(store, "marines") == {late[0].id}
        assert store.db["stances_now"].schema == f"CREATE VIEW stances_now AS {VIEWS['stances_now']}"
        cookie = store.db.execute("PRAGMA schema_version").fetchone()[0]
    with Store(path) as store:
        assert store.db.execute("PRAGMA schema_version").fetchone()[0] == cookie


def test_stances_now_view(fresh_store):
    """One row per tracked (topic, country): the board's symbol, the stance, its stories and the latest quote that agrees."""
    stock(fresh_store, NOW)
    rows = {r["country"]: r for r in view(fresh_store, "stances_now")}
    assert rows["COL"]["mark"] == STANCE_MARK[Label.OPPOSED] and rows["COL"]["stance"] == "opposed"
    assert (rows["COL"]["stories"], rows["COL"]["outlets"], rows["COL"]["latest_quote"]) == (1, 1, QUOTE)
    assert rows["COL"]["quote_link"].startswith("https://wire.example/") and rows["COL"]["quoted_in"].startswith("Wire, ")
    assert (rows["VEN"]["mark"], rows["VEN"]["stance"], rows["VEN"]["latest_quote"]) == (UNSETTLED_MARK, "no settled stance", None)


def test_item_topics_view_says_why(fresh_store):
    """Each item with each topic: the verdict, score and reason, the stances read; unread and failed items say so."""
    ids = stock(fresh_store, NOW)
    late = parse_feed(rss([story(9, "Not read yet", hours_ago=1)]), feed="Wire", now=NOW).items
    fresh_store.add_items(late, now=NOW)
    broken = parse_feed(rss([story(10, "Unreadable", hours_ago=1)]), feed="Wire", now=NOW).items
    fresh_store.add_items(broken, now=NOW)
    fresh_store.mark_failed(broken[0].id, error="tokenizer crashed", now=NOW)
    rows = {r["item_id"]: r for r in view(fresh_store, "item_topics")}
    assert (rows[ids[BASEBALL]]["verdict"], rows[ids[BASEBALL]]["reason"]) == ("not matched", "score 0.210 < threshold 0.48")
    assert (rows[ids[COLOMBIA]]["verdict"], rows[ids[COLOMBIA]]["stances"]) == ("matched", "COL opposed")
    assert (rows[late[0].id]["verdict"], rows[late[0].id]["reason"]) == (None, "not read yet")
    assert rows[broken[0].id]["reason"] == "could not be read: tokenizer crashed"


def test_feed_status_view(fresh_store):
    """Each feed's status, error and what it brought in."""
    stock(fresh_store, NOW)
    rows = {r["name"]: r for r in view(fresh_store, "feed_status")}
    assert (rows["Paper"]["status"], rows["Paper"]["last_error"], rows["Paper"]["items_stored"]) == ("failing", "HTTP 503", 1)
    assert rows["Paper"]["failing_since"] == (NOW - timedelta(hours=3)).isoformat()
    assert (rows["Wire"]["status"], rows["Wire"]["items_stored"], rows["Wire"]["items_matched"]) == ("ok", 2, 2)


def test_undelivered_messages_view_gives_the_retry_command(fresh_store):
    """A failed message is listed (a sent one is not) with a shell command that names it exactly, quotes and all."""
    stock(fresh_store, NOW)
    (row,) = view(fresh_store, "undelivered_messages")
    assert (row["id"], row["status"], row["last_error"]) == (FAILED_ID, "failed", "channel_not_found: #nowhere")
    assert shlex.split(row["retry_with"]) == ["stancebot", "outbox", "--retry", FAILED_ID]
    fresh_store.db.execute("UPDATE outbox SET id = ? WHERE id = ?", ["it's:odd", FAILED_ID])
    (row,) = view(fresh_store, "undelivered_messages")
    assert shlex.split(row["retry_with"])[-1] == "it's:odd"

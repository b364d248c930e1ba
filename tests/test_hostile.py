"""A hostile world: broken feeds, failing Slack, old databases, secrets. Nothing lost, nothing let in."""

from __future__ import annotations

import logging
import random
import socket
import sqlite3
import threading
from datetime import timedelta

import pytest
from conftest import NOW, rss, story
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_server import FakeSlack

from bot.deliver.dispatch import deliver_due
from bot.deliver.outbox import OutboxRow
from bot.deliver.slack import SlackNotifier, make_slack_client
from bot.ingest.fetch import FetchResult
from bot.ingest.items import parse_feed
from bot.logs import RedactSecrets
from bot.pipeline import poll_feeds
from bot.rules import Feed
from bot.store import MIGRATIONS, Store

FEED = Feed(name="Wire", url="https://wire.example/rss", interval_s=600, alert_after_s=3600)
TOKEN = "xoxb-hostile-secret-0042"


def poll(store, result_for, *, now):
    return poll_feeds(store, None, [FEED], now=now, rng=random.Random(1), force=True,
                      fetch=lambda client, feed, state: result_for(feed), health_channel="#ops")


def test_feed_down_alerts_once_and_recovery_once(fresh_store):
    """A feed failing longer than alert_after gives one alert, however many polls fail, and one recovery message."""
    down = lambda feed: FetchResult(feed.name, 503, error="HTTP 503 from https://wire.example/rss")  # noqa: E731
    for minutes in range(0, 180, 20):
        poll(fresh_store, down, now=NOW + timedelta(minutes=minutes))
    assert [m.kind for m in fresh_store.outbox()] == ["feed_down"]
    assert "HTTP 503" in fresh_store.outbox()[0].text and fresh_store.outbox()[0].channel == "#ops"
    up = lambda feed: FetchResult(feed.name, 200, rss([story(1, "Back")]))  # noqa: E731
    poll(fresh_store, up, now=NOW + timedelta(hours=4))
    poll(fresh_store, up, now=NOW + timedelta(hours=5))
    assert [m.kind for m in fresh_store.outbox()] == ["feed_down", "feed_up"]
    assert fresh_store.feed_state("Wire").failures == 0


def test_short_outage_is_not_alerted(fresh_store):
    """A feed that recovers within alert_after never alerts."""
    poll(fresh_store, lambda f: FetchResult(f.name, None, error="timed out"), now=NOW)
    poll(fresh_store, lambda f: FetchResult(f.name, 200, rss([story(1, "A")])), now=NOW + timedelta(minutes=30))
    assert fresh_store.outbox() == []


def test_malformed_feed_is_recorded_and_salvaged(fresh_store):
    """A broken feed's readable items are stored and the problem is recorded, not raised."""
    body = rss([story(1, "Good one")]).replace(b"</channel>", b"<item><title>bad & broken</item></channel>")
    report = poll(fresh_store, lambda f: FetchResult(f.name, 200, body), now=NOW)
    assert report.new_items >= 1 and "Wire" in report.problems


def test_html_page_served_as_feed(fresh_store):
    """An HTML page instead of a feed is a recorded failure of that feed."""
    report = poll(fresh_store, lambda f: FetchResult(f.name, 200, b"<html><body><h1>Subscribe!</h1></body></html>"), now=NOW)
    assert report.new_items == 0 and "Wire" in report.failed
    assert fresh_store.feed_state("Wire").last_error


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=4000))
def test_random_bytes_never_raise(body):
    """Any bytes at all parse to something or to a recorded problem."""
    parsed = parse_feed(body, feed="F", now=NOW)
    assert isinstance(parsed.items, tuple)


REAL = rss([story(i, f"Story {i} about the Caribbean", "Brazil condemned the strikes & <b>more</b>") for i in range(5)])


@settings(max_examples=150, deadline=None)
@given(cut=st.integers(0, len(REAL)), junk=st.binary(max_size=40), at=st.integers(0, len(REAL)))
def test_mutated_feeds_never_raise_out_of_a_poll(cut, junk, at):
    """Truncated and corrupted real-shaped feeds never make a poll raise."""
    body = (REAL[:at] + junk + REAL[at:])[:cut] if cut else REAL[:at] + junk
    with Store(":memory:") as store:
        report = poll(store, lambda f: FetchResult(f.name, 200, body), now=NOW)
        assert report.polled == 1


def test_old_database_migrates_on_start(tmp_path):
    """A database at schema version 1 with data in it is migrated to the latest version, data kept."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    import sqlite_utils

    MIGRATIONS[0](sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version=1")
    conn.execute("INSERT INTO items (id, feed, title, published, fetched_at)"
                 " VALUES ('x', 'F', 'kept', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.version == len(MIGRATIONS)
        assert store.item("x").title == "kept" and "positions" in store.db.table_names()


@pytest.mark.parametrize("error", ["not_in_channel", "msg_too_long", "channel_not_found", "is_archived"])
def test_channel_errors_kept_as_failed(fresh_store, httpserver, error):
    """Channel-level refusals keep the message in the outbox as failed, with the error."""
    fake = FakeSlack(errors=[(200, {"ok": False, "error": error}, {})])
    notifier = SlackNotifier(make_slack_client(TOKEN, fake.install(httpserver)))
    fresh_store.enqueue(OutboxRow("m", "shift", "t", "#desk", "x", [], "pending"), now=NOW)
    deliver_due(fresh_store, notifier, now=NOW)
    (row,) = fresh_store.outbox()
    assert (row.status, row.last_error) == ("failed", error)


@pytest.mark.parametrize("error", ["invalid_auth", "token_revoked", "account_inactive"])
def test_workspace_error_reported_once_then_held_messages_go(fresh_store, httpserver, caplog, error):
    """A bad token is logged once (not per message or retry), holds everything, and a working token releases all."""
    fake = FakeSlack(errors=[(200, {"ok": False, "error": error}, {})] * 3)
    notifier = SlackNotifier(make_slack_client(TOKEN, fake.install(httpserver)))
    for i in range(4):
        fresh_store.enqueue(OutboxRow(f"m{i}", "shift", "t", "#desk", "x", [], "pending"), now=NOW)
    with caplog.at_level(logging.ERROR):
        for hours in range(3):
            deliver_due(fresh_store, notifier, now=NOW + timedelta(hours=hours * 2))
    assert sum(error in r.getMessage() for r in caplog.records) == 1
    assert all(r.status == "pending" for r in fresh_store.outbox())
    deliver_due(fresh_store, notifier, now=NOW + timedelta(hours=8))
    assert [r.status for r in fresh_store.outbox()] == ["sent"] * 4
    assert len({c["metadata"]["event_payload"]["id"] for c in fake.calls if "ts" in c}) == 4


def test_a_reset_after_sending_is_never_resent_blindly(fresh_store):
    """Slack reads the post, then the connection resets: the client does not re-send it, and the row waits as 'sending'."""
    server = socket.create_server(("127.0.0.1", 0))
    received = []

    def read_then_reset():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            data = conn.recv(65536)
            if b"chat.postMessage" in data:
                received.append(data)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            conn.close()

    threading.Thread(target=read_then_reset, daemon=True).start()
    notifier = SlackNotifier(make_slack_client(TOKEN, f"http://127.0.0.1:{server.getsockname()[1]}/api/"))
    fresh_store.enqueue(OutboxRow("m", "shift", "t", "C123", "x", [], "pending"), now=NOW)
    counts = deliver_due(fresh_store, notifier, now=NOW)
    server.close()
    (row,) = fresh_store.outbox()
    assert counts["retry"] == 1 and len(received) == 1
    assert row.status == "sending" and "reset" in row.last_error.lower()


def test_token_never_reaches_logs_errors_or_database(tmp_path, httpserver):
    """After failures and successes, the token appears in no log line, outbox error or database byte."""
    import io

    fake = FakeSlack(errors=[(200, {"ok": False, "error": "invalid_auth"}, {}), (500, {"ok": False, "error": f"boom {TOKEN}"}, {})])
    notifier = SlackNotifier(make_slack_client(TOKEN, fake.install(httpserver)))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets([TOKEN]))
    root = logging.getLogger()
    root.addHandler(handler)
    old_level, root.level = root.level, logging.DEBUG
    db = tmp_path / "s.db"
    try:
        with Store(db) as store:
            store.enqueue(OutboxRow("m", "shift", "t", "#desk", "x", [], "pending"), now=NOW)
            for hours in range(4):
                deliver_due(store, notifier, now=NOW + timedelta(hours=hours * 3))
            errors = [r.last_error or "" for r in store.outbox()]
            logging.getLogger("bot").warning("a careless line: %s", TOKEN)
            store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        root.removeHandler(handler)
        root.level = old_level
    assert len(fake.calls) == 3 and "***" in stream.getvalue()
    assert TOKEN not in stream.getvalue() and not any(TOKEN in e for e in errors)
    assert TOKEN.encode() not in db.read_bytes()

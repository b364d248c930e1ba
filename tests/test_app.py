"""The running app as an operator meets it: messages printed before a token was set, credentials in feed URLs."""

from __future__ import annotations

import io
import logging
import random
import sqlite3
import sys
from datetime import timedelta

from click.testing import CliRunner
from conftest import NOW, write_rules
from slack_server import FakeSlack
from test_rules import GOOD

from bot.app import build_app
from bot.cli import cli
from bot.config import Secret, Settings
from bot.deliver.outbox import OutboxRow
from bot.deliver.slack import SlackNotifier, make_slack_client
from bot.logs import setup_logging
from bot.store import Store

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "Colombia: neutral → opposed"}}]


def app_for(tmp_path, httpserver, *, feeds: str | None = None, notifier=None, hashing_embedder=None):
    fake = FakeSlack()
    api = fake.install(httpserver)
    rules = write_rules(tmp_path / "rules", GOOD, feeds)
    settings = Settings(rules_dir=rules, db_path=tmp_path / "bot.db", slack_token=Secret("xoxb-app"), slack_api_url=api)
    app = build_app(settings, notifier=notifier or SlackNotifier(make_slack_client(settings.slack_token, api)),
                    embedder=hashing_embedder, rng=random.Random(1))
    return app, fake


def test_recently_printed_messages_reach_slack_once_a_token_is_set(tmp_path, httpserver, hashing_embedder):
    """A container started without a token printed its alerts; with a token, the fresh ones are sent once, old ones listed."""
    with Store(tmp_path / "bot.db") as store:
        for message_id, age in (("old", timedelta(days=3)), ("fresh", timedelta(hours=2))):
            store.enqueue(OutboxRow(message_id, "shift", "caribbean", "#latam-desk", message_id, BLOCKS, "pending"), now=NOW - age)
            store.mark_message(message_id, status="printed", now=NOW - age, ts="terminal")
    app, fake = app_for(tmp_path, httpserver, hashing_embedder=hashing_embedder)
    try:
        app.tick(now=NOW, digests=False)
        app.tick(now=NOW + timedelta(minutes=1), digests=False)
    finally:
        app.close()
    assert [c["text"] for c in fake.calls] == ["fresh"]
    with Store(tmp_path / "bot.db") as store:
        assert (store.message("fresh").status, store.message("old").status) == ("sent", "printed")


def test_feed_credentials_never_leave_the_request(tmp_path, httpserver, hashing_embedder, monkeypatch):
    """user:password in a feed URL reaches the server as authentication, and nowhere else: not the database,
    the feed-down alert, the logs or `stancebot feeds`."""
    httpserver.expect_request("/private.xml").respond_with_data("no", status=503)
    url = httpserver.url_for("/private.xml").replace("http://", "http://reader:s3cr3t-pass@")
    feeds = f"feeds:\n  - name: Private\n    url: {url}\n    allow_private: true\n    alert_after: 0\n"
    app, fake = app_for(tmp_path, httpserver, feeds=feeds, hashing_embedder=hashing_embedder)
    logs = io.StringIO()
    monkeypatch.setattr(sys, "stderr", logs)
    setup_logging(app.settings.with_overrides(log_level="DEBUG"))
    logging.getLogger("httpx").setLevel(logging.DEBUG)  # even the client's own request lines
    try:
        app.tick(now=NOW, digests=False)
    finally:
        app.close()
        logging.getLogger().handlers.clear()
    assert httpserver.log[0][0].authorization.password == "s3cr3t-pass"  # used for the request itself
    shown = CliRunner().invoke(cli, ["feeds", "--rules", str(tmp_path / "rules"), "--db", str(tmp_path / "bot.db")]).output
    database = b"".join(p.read_bytes() for p in tmp_path.glob("bot.db*"))
    with sqlite3.connect(tmp_path / "bot.db") as conn:
        rows = str(conn.execute("SELECT * FROM feeds").fetchall() + conn.execute("SELECT * FROM outbox").fetchall())
    assert any(c.get("text", "").startswith("Feed Private is failing") for c in fake.calls)
    assert "HTTP Request: GET http://***@" in logs.getvalue()
    for where in (rows, str(fake.calls), logs.getvalue(), shown, database.decode("latin-1")):
        assert "s3cr3t-pass" not in where
    assert "http://***@" in rows


def test_feeds_and_articles_share_one_per_host_limit(tmp_path, httpserver, hashing_embedder):
    """The app's article fetcher counts against the same per-host limits as its feed polling, through the same client."""
    app, _ = app_for(tmp_path, httpserver, hashing_embedder=hashing_embedder)
    try:
        assert app.article_fetcher.limits is app.limits and app.article_fetcher.client is app.http
        assert app.article_fetcher is app.article_fetcher  # made once
    finally:
        app.close()

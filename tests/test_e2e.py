"""End to end: one scheduler tick against a local feed server and a local Slack API, with the real model."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from conftest import CARIBBEAN_WATCHLIST, NOW, rss, story, write_rules
from slack_server import FakeSlack

from bot.app import build_app
from bot.config import Secret, Settings
from bot.deliver.slack import SlackNotifier, make_slack_client

pytestmark = pytest.mark.model

WATCHLIST = CARIBBEAN_WATCHLIST

STORIES = [
    story(1, "US strike destroys suspected drug boat off Venezuela",
          "The Pentagon said a US warship struck a speedboat in the southern Caribbean; Caracas called it an act of aggression.", hours_ago=3),
    story(2, "US destroyers sail through the Taiwan Strait",
          "Two American warships transited the strait, drawing a protest from Beijing.", hours_ago=2),
    story(3, "Venezuelan baseball league opens its winter season", "Fans filled the stadium in Valencia for the opening game.", hours_ago=1),
]


@pytest.fixture
def world(httpserver, tmp_path, real_embedder):
    httpserver.expect_request("/wire.xml").respond_with_data(rss(STORIES), headers={"ETag": '"v1"'})
    fake = FakeSlack()
    api = fake.install(httpserver)
    feeds = f"feeds:\n  - name: Wire\n    url: {httpserver.url_for('/wire.xml')}\n    allow_private: true\n"
    rules_dir = write_rules(tmp_path / "rules", WATCHLIST, feeds)
    settings = Settings(rules_dir=rules_dir, db_path=tmp_path / "bot.db", slack_token=Secret("xoxb-e2e"), slack_api_url=api)
    app = build_app(settings, notifier=SlackNotifier(make_slack_client(settings.slack_token, api)),
                    embedder=real_embedder, rng=random.Random(3))
    yield app, fake, httpserver
    app.close()


def test_tick_stores_matches_and_posts(world):
    """A tick fetches the feed, stores and embeds every item, matches only the Caribbean story, and posts it."""
    app, fake, _ = world
    report = app.tick(now=NOW)
    assert (report.poll.new_items, report.process.processed, report.process.matched, report.delivery["sent"]) == (3, 3, 1, 1)
    with app.open_store() as store:
        assert store.counts()["embeddings"] == 3
        matched = store.matches()
        assert [store.item(m.item_id).title for m in matched] == [STORIES[0]["title"]]
        feed = store.feeds()[0]
        assert (feed.etag, feed.failures, feed.items_seen) == ('"v1"', 0, 3)
        (row,) = store.outbox()
        assert (row.status, row.ts, row.channel) == ("sent", "1700000000.000001", "#latam-desk")
    (call,) = fake.calls
    assert call["channel"] == "#latam-desk" and "US strike destroys suspected drug boat" in call["text"]
    assert any("US naval activity in the Caribbean" in str(b) for b in call["blocks"])


def test_second_tick_with_304_does_nothing_new(world):
    """When the feed answers 304 the next tick stores, embeds and sends nothing."""
    app, fake, server = world
    app.tick(now=NOW)
    server.clear()
    server.expect_request("/wire.xml", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    FakeSlack.install(fake, server)
    report = app.tick(now=NOW + timedelta(hours=1))
    assert (report.poll.polled, report.poll.not_modified, report.poll.new_items, report.process.processed) == (1, 1, 0, 0)
    assert len(fake.calls) == 1
    with app.open_store() as store:
        assert store.counts()["items"] == 3 and len(store.outbox()) == 1


def test_restart_never_re_embeds_or_re_sends(world):
    """A fresh app on the same database re-processes nothing and re-sends nothing."""
    app, fake, _ = world
    app.tick(now=NOW)
    again = build_app(app.settings, notifier=app.notifier, embedder=app.embedder, rng=random.Random(4))
    report = again.tick(now=NOW + timedelta(hours=2), force=True)
    again.close()
    assert (report.poll.new_items, report.process.embedded, report.delivery["sent"]) == (0, 0, 0)
    assert len(fake.calls) == 1

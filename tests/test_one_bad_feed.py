"""One feed must never stop the others: hostile publishers' feeds fail alone, the rest is polled, read and delivered."""

from __future__ import annotations

import random
from datetime import timedelta

from conftest import CARIBBEAN_WATCHLIST, NOW, rss, story, write_rules
from slack_server import FakeSlack

from bot.app import build_app
from bot.config import Secret, Settings
from bot.deliver.slack import SlackNotifier, make_slack_client
from bot.ingest.fetch import FetchResult
from bot.ingest.items import EARLIEST
from bot.pipeline import poll_feeds, process_pending
from bot.read.match import build_profiles
from bot.rules import Feed, load_rules

GOOD = story(1, "Strike on a suspected drug boat kills its crew off Venezuela", hours_ago=2, host="good.example")


def feeds_yaml(httpserver, names):
    return "feeds:\n" + "".join(f"  - name: {n}\n    url: {httpserver.url_for(f'/{n}.xml')}\n    allow_private: true\n"
                                for n in names)


def test_hostile_feeds_fail_alone_and_the_good_story_is_delivered_in_the_same_run(httpserver, tmp_path, hashing_embedder):
    """A non-ASCII ETag, a year-1 item, a javascript: redirect and a crashing fetch: the good feed is still delivered."""
    year_one = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Old</title><item><title>Ancient</title>'
                b"<guid>old-1</guid><pubDate>Mon, 01 Jan 0001 00:00:00 GMT</pubDate></item></channel></rss>")
    httpserver.expect_request("/etag.xml").respond_with_data(rss([story(3, "Etag feed", host="e.example")]),
                                                            headers={"ETag": '"v\u00e9"'.encode().decode("latin-1")})
    httpserver.expect_request("/old.xml").respond_with_data(year_one)
    httpserver.expect_request("/jump.xml").respond_with_data("", status=302, headers={"Location": "javascript:alert(1)"})
    httpserver.expect_request("/good.xml").respond_with_data(rss([GOOD]))
    fake = FakeSlack()
    api = fake.install(httpserver)
    rules_dir = write_rules(tmp_path / "rules", CARIBBEAN_WATCHLIST, feeds_yaml(httpserver, ["etag", "old", "jump", "good"]))
    settings = Settings(rules_dir=rules_dir, db_path=tmp_path / "bot.db", slack_token=Secret("xoxb-x"), slack_api_url=api)
    app = build_app(settings, notifier=SlackNotifier(make_slack_client(settings.slack_token, api)), embedder=hashing_embedder,
                    rng=random.Random(1))
    try:
        for hours in (0, 1, 2):  # later runs too: nothing a publisher sent once may break them
            report = app.tick(now=NOW + timedelta(hours=hours), force=True, digests=False)
            assert report.poll.polled == 4 and set(report.poll.failed) == {"jump"}
    finally:
        app.close()
    assert [c["text"] for c in fake.calls if "drug boat" in c["text"]], "the good feed's story reached Slack"
    with app.open_store() as store:
        (ancient,) = [store.item(i) for i in store.item_ids(since=EARLIEST) if store.item(i).title == "Ancient"]
        assert "bad-date" in ancient.flags and not store.has_pending_items()


def test_a_poison_item_stored_earlier_is_recorded_as_failed_and_the_rest_processed(fresh_store, hashing_embedder, gaz, tmp_path):
    """An item an older version stored with year 1 no longer breaks processing on every run."""
    rules = load_rules(write_rules(tmp_path, CARIBBEAN_WATCHLIST), gaz.codes)
    fresh_store.db.execute("INSERT INTO feeds (name, url) VALUES ('Old', '')")  # an item's feed has a row (the migration adds it)
    fresh_store.db.execute(  # as an older version stored it
        "INSERT INTO items (id, feed, title, published, fetched_at, cluster_id) "
        "VALUES ('poison', 'Old', 'Ancient', '0001-01-01T00:00:00+00:00', '2026-11-20T00:00:00+00:00', 'poison')")
    fresh_store.db.conn.commit()
    from bot.ingest.items import parse_feed

    fresh_store.add_items(parse_feed(rss([GOOD]), feed="Good", now=NOW).items, now=NOW)
    profiles = build_profiles(rules.topics, hashing_embedder, gaz)
    report = process_pending(fresh_store, hashing_embedder, profiles, rules, gaz, now=NOW, default_channel="#c")
    assert (report.processed, report.failed, report.matched) == (1, 1, 1)
    assert not fresh_store.has_pending_items()
    error = fresh_store.db.execute("SELECT error FROM items WHERE id = 'poison'").fetchone()[0]
    assert "Overflow" in error


def test_an_exception_inside_one_feeds_fetch_is_that_feeds_error(fresh_store):
    """fetch_many turns one feed's unexpected exception into its recorded error; the others are polled and saved."""
    feeds = [Feed(name="Boom", url="https://boom.example/rss"), Feed(name="Fine", url="https://fine.example/rss")]

    def fetch(client, feed, state):
        if feed.name == "Boom":
            raise UnicodeEncodeError("ascii", "\u00e9", 0, 1, "ordinal not in range(128)")
        return FetchResult(feed.name, 200, rss([story(1, "Fine story", host="fine.example")]))

    report = poll_feeds(fresh_store, None, feeds, now=NOW, rng=random.Random(1), force=True, fetch=fetch)
    assert report.new_items == 1 and "UnicodeEncodeError" in report.failed["Boom"]
    assert fresh_store.feed_state("Boom").failures == 1 and fresh_store.feed_state("Fine").last_success_at == NOW


def test_items_per_poll_are_capped_and_the_cut_recorded(fresh_store):
    """A feed of thousands of tiny items stores only the newest few hundred, and says so."""
    entries = [story(n, f"Item {n}", hours_ago=n % 500 + 1) for n in range(2_000)]
    report = poll_feeds(fresh_store, None, [Feed(name="Flood", url="https://flood.example/rss")], now=NOW,
                        rng=random.Random(1), force=True, fetch=lambda c, f, s: FetchResult(f.name, 200, rss(entries)))
    (record,) = fresh_store.feeds()
    assert report.new_items == 500 and "left out 1,500" in record.last_problem


def test_polling_resumes_after_the_clock_steps_back(fresh_store):
    """A clock set back a day clamps the next poll to now + interval instead of waiting a day."""
    feed = Feed(name="Wire", url="https://wire.example/rss", interval_s=900)
    ok = lambda c, f, s: FetchResult(f.name, 200, rss([story(1, "A")]))  # noqa: E731
    poll_feeds(fresh_store, None, [feed], now=NOW, rng=random.Random(1), fetch=ok)
    back = NOW - timedelta(days=1)
    assert poll_feeds(fresh_store, None, [feed], now=back, rng=random.Random(1), fetch=ok).polled == 0
    assert poll_feeds(fresh_store, None, [feed], now=back + timedelta(minutes=15), rng=random.Random(1), fetch=ok).polled == 1

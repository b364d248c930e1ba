"""Parsing feed bytes into items with stable identities."""

from __future__ import annotations

from datetime import timedelta

from conftest import NOW, rss, story

from bot.ingest.items import canonical_link, clean_text, parse_feed

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><updated>2026-11-20T10:00:00Z</updated>
<entry><title>Atom story</title><id>urn:a:1</id><link href="https://a.example/1"/>
<updated>2026-11-20T09:00:00Z</updated><summary type="html">&lt;p&gt;Hello &amp;amp; &lt;b&gt;bye&lt;/b&gt;&lt;/p&gt;</summary></entry>
</feed>"""


def test_rss_items_parsed():
    """RSS items become Items with text, link and UTC time."""
    parsed = parse_feed(rss([story(1, "Title one", "Sum one")]), feed="F", now=NOW)
    (item,) = parsed.items
    assert (item.title, item.summary, item.link, item.published) == ("Title one", "Sum one", "https://news.example/story/1", NOW - timedelta(hours=1))
    assert parsed.problem is None


def test_atom_html_summary_cleaned():
    """Atom entries parse and HTML summaries become plain text."""
    (item,) = parse_feed(ATOM, feed="A", now=NOW).items
    assert (item.title, item.summary) == ("Atom story", "Hello & bye")


def test_identity_survives_reorder_and_edit():
    """The same GUID gives the same id after re-ordering and editing the item."""
    a = parse_feed(rss([story(1, "One"), story(2, "Two")]), feed="F", now=NOW).items
    b = parse_feed(rss([story(2, "Two (updated)", "more"), story(1, "One")]), feed="F", now=NOW).items
    assert {i.id for i in a} == {i.id for i in b}


def test_identity_is_per_feed():
    """The same GUID in two feeds gives two items."""
    a = parse_feed(rss([story(1, "One")]), feed="F", now=NOW).items[0]
    b = parse_feed(rss([story(1, "One")]), feed="G", now=NOW).items[0]
    assert a.id != b.id


def test_item_without_guid_uses_link():
    """Without a GUID the canonical link is the identity, so tracking parameters do not matter."""
    a = parse_feed(rss([{"title": "X", "link": "https://n.example/a?utm_source=rss"}]), feed="F", now=NOW).items[0]
    b = parse_feed(rss([{"title": "X edited", "link": "https://www.n.example/a/"}]), feed="F", now=NOW).items[0]
    assert a.id == b.id


def test_missing_and_future_dates_flagged():
    """A missing date becomes the fetch time and a future one is clamped, both flagged."""
    body = rss([{"title": "no date", "guid": "1"}, {"title": "future", "guid": "2", "published": NOW + timedelta(days=3)}])
    items = parse_feed(body, feed="F", now=NOW).items
    assert [(i.published, i.flags) for i in items] == [(NOW, ("no-date",)), (NOW, ("future-date",))]


def test_duplicate_guids_within_feed_keep_first():
    """Two entries sharing a GUID yield one item."""
    items = parse_feed(rss([story(1, "first"), story(1, "second")]), feed="F", now=NOW).items
    assert [i.title for i in items] == ["first"]


def test_garbage_never_raises():
    """Bytes that are not a feed give no items and a recorded problem."""
    parsed = parse_feed(b"\x00\xff<html><body>Not a feed</body></html>", feed="F", now=NOW)
    assert parsed.items == () and parsed.problem


def test_malformed_feed_salvaged():
    """A feed with broken XML still yields its readable items, flagged as malformed."""
    body = rss([story(1, "Good item")]).replace(b"</channel></rss>", b"<item><title>Broken & bad</title></item>")
    parsed = parse_feed(body, feed="F", now=NOW)
    assert "Good item" in [i.title for i in parsed.items] and parsed.problem.startswith("malformed feed")


def test_clean_text_limits_and_controls():
    """Control characters go, whitespace folds and long text is clipped."""
    assert clean_text("a\x07b  \n c", 100) == "ab c"
    assert len(clean_text("x" * 1000, 50)) == 50


def test_canonical_link():
    """Canonical links drop tracking parameters, fragments, www and trailing slashes."""
    assert canonical_link("http://WWW.News.example/a/b/?utm_medium=x&id=3#top") == "https://news.example/a/b?id=3"


def test_broken_link_does_not_sink_the_feed():
    """A malformed URL (found by the fuzz test) is kept as text; the item and the feed survive."""
    parsed = parse_feed(rss([{"title": "Odd link", "guid": "1", "link": "http://[broken/x"}, story(2, "Fine")]), feed="F", now=NOW)
    assert [i.title for i in parsed.items] == ["Odd link", "Fine"] and canonical_link("http://[broken") == "http://[broken"

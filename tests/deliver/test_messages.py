"""Slack message rendering: escaping and limits."""

from __future__ import annotations

import pytest
from conftest import NOW

from bot.deliver.messages import escape_mrkdwn, match_message, safe_link
from bot.ingest.items import Item
from bot.read.match import Match
from bot.rules import Topic

TOPIC = Topic("t", "US naval activity in the Caribbean", "d", ("e",), "target", "w")


@pytest.mark.parametrize("raw, expected", [
    ("A & B <b>", "A &amp; B &lt;b&gt;"),
    ("<!channel> hi", "&lt;!channel&gt; hi"),
    ("ping @here and @Channel", "ping @\u2060here and @\u2060Channel"),
    ("mail me@everyone.org", "mail me@\u2060everyone.org"),
    ("*bold* _it_ ~x~ `code`", "\u2217bold\u2217 \u02cdit\u02cd \u223cx\u223c \u02cbcode\u02cb"),
])
def test_escape_mrkdwn(raw, expected):
    """Feed text cannot inject markup, links or pings."""
    assert escape_mrkdwn(raw) == expected


def test_safe_link_cannot_break_out():
    """A label with | or > and a URL with spaces stay one link."""
    link = safe_link("https://x.example/a b>c", "evil|<https://phish.example|click>")
    assert link.startswith("<https://x.example/a%20b%3Ec|") and link.count("<") == 1 and link.count(">") == 1


def test_non_http_link_is_plain_text():
    """javascript: and other schemes never become links."""
    assert safe_link("javascript:alert(1)", "x") == "x"


def test_match_message_within_limits():
    """Huge feed text is clipped to Slack's limits and the fallback text is set."""
    item = Item("i", "Wire", "g", "https://w.example/1", "T" * 1000, "S" * 10_000, "", NOW)
    msg = match_message(item, Match("t", 0.61, True, "r"), TOPIC, channel="#c", outlets=["Wire", "Paper"], message_id="m")
    assert msg.text and msg.channel == "#c"
    assert all(len(b["text"]["text"]) <= 3000 for b in msg.blocks if b["type"] == "section")
    assert "+1 more: Paper" in msg.blocks[2]["elements"][0]["text"]


HOSTILE = ("&amp;lt;!channel&amp;gt; <@U0123> <#C0456|general> <https://evil.example|Click to verify> "
           "&lt;!here&gt; @everyone")
LIVE = ("<!", "<@", "<#", "<https://evil", "@everyone", "@here", "@channel")


def every_string(row) -> str:
    """What Slack receives: the notification text and the blocks (the payload stays in the outbox)."""
    import json

    return row.text + json.dumps(row.blocks, ensure_ascii=False)


def test_feed_text_is_inert_in_every_field_including_the_notification_text():
    """A publisher's title, summary, outlet name and quote cannot ping, link or mention, in blocks or in `text`."""
    from datetime import timedelta

    from bot.deliver.messages import feed_health_message, followup_message, shift_message
    from bot.ingest.items import make_item
    from bot.rules import Feed
    from bot.track.evidence import make_evidence
    from bot.track.shifts import Shift

    item = make_item(feed=HOSTILE, title=HOSTILE, summary=HOSTILE, link="https://x.example/a", published=NOW)
    assert "<!channel>" in item.title  # fully unescaped once stored, and escaped only when rendered
    evidence = make_evidence(item_id=item.id, cluster_id=item.id, country="BRA", label="opposed", score=-0.8, outlet=HOSTILE,
                             published=NOW, quote=HOSTILE, link=item.link, title=HOSTILE)
    shift = Shift("t", "BRA", None, "opposed", NOW, 0.9, (HOSTILE,), (evidence,))
    rows = [match_message(item, Match("t", 0.9, True, "r"), TOPIC, channel="#c", outlets=[HOSTILE, "B"], message_id="m",
                          stances=[("Brazil", "opposed", HOSTILE)]),
            shift_message(shift, TOPIC, country_name="Brazil", iso2="BR", channel="#c"),
            followup_message(evidence, shift.id, TOPIC, country_name="Brazil", label="opposed", channel="#c"),
            feed_health_message(Feed(name=HOSTILE, url="https://x.example/rss"), down=True, since=NOW - timedelta(days=1),
                                error=f"malformed feed: {HOSTILE}", failures=9, channel="#ops")]
    for row in rows:
        text = every_string(row)
        assert not [s for s in LIVE if s in text], (row.kind, text)


def test_quotes_from_the_article_say_so():
    """A quote read in the article behind a story is marked in the story message, the shift alert and its thread."""
    from bot.deliver.messages import followup_message, shift_message
    from bot.ingest.items import make_item
    from bot.track.evidence import make_evidence
    from bot.track.shifts import Shift

    item = make_item(feed="Wire", title="US strike deepens a split", summary="A warship struck a boat.", link="https://x.example/a",
                     published=NOW)
    row = match_message(item, Match("t", 0.9, True, "r"), TOPIC, channel="#c", outlets=["Wire"], message_id="m",
                        stances=[("Brazil", "opposed", "Brazil condemned the strikes.", True), ("Cuba", "opposed", "A warship struck.", False)])
    lines = next(b["text"]["text"] for b in row.blocks if "Brazil" in b.get("text", {}).get("text", "")).split("\n")
    assert lines[0].endswith("Brazil condemned the strikes.\u201d_ (from the article)") and lines[1].endswith("A warship struck.\u201d_")
    quoted = [make_evidence(item_id=item.id, cluster_id=item.id, country="BRA", label="opposed", score=-0.8, outlet="Wire",
                            published=NOW, quote=q, link=item.link, from_article=article) for q, article in (("In the body.", True),
                                                                                                        ("In the summary.", False))]
    shift = Shift("t", "BRA", None, "opposed", NOW, 0.9, ("Wire",), tuple(quoted))
    alert = str(shift_message(shift, TOPIC, country_name="Brazil", iso2="BR", channel="#c").blocks)
    assert alert.count("(from the article)") == 1 and alert.index("In the body.") < alert.index("(from the article)") < alert.index("In the summary.")
    assert "(from the article)" in str(followup_message(quoted[0], shift.id, TOPIC, country_name="Brazil", label="opposed", channel="#c").blocks)
    assert "(from the article)" not in str(followup_message(quoted[1], shift.id, TOPIC, country_name="Brazil", label="opposed", channel="#c").blocks)

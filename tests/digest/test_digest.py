"""The daily digest: schedule across DST, catch-up, content within Slack's limits, chart upload, exactly once."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import write_rules
from slack_server import FakeSlack
from test_rules import GOOD

from bot.deliver.dispatch import deliver_due
from bot.deliver.slack import SlackNotifier, make_slack_client
from bot.digest.queue import queue_due_digests
from bot.digest.render import CHANGE, MARK, BoardRow, DigestData, ShiftLine, Story, TopicDigest, render_digest, symbol_legend
from bot.digest.schedule import due_period, scheduled_before
from bot.rules import DigestSchedule, load_rules
from bot.track.shifts import Shift

NY = DigestSchedule(time="08:00", timezone="America/New_York")
UTC = UTC


@pytest.mark.parametrize("now, expected", [
    (datetime(2026, 3, 7, 14, 0, tzinfo=UTC), datetime(2026, 3, 7, 13, 0, tzinfo=UTC)),   # EST: 08:00 = 13:00 UTC
    (datetime(2026, 3, 8, 12, 30, tzinfo=UTC), datetime(2026, 3, 8, 12, 0, tzinfo=UTC)),  # DST began that night: 12:00 UTC
    (datetime(2026, 3, 8, 11, 59, tzinfo=UTC), datetime(2026, 3, 7, 13, 0, tzinfo=UTC)),  # not yet today
    (datetime(2026, 11, 1, 13, 5, tzinfo=UTC), datetime(2026, 11, 1, 13, 0, tzinfo=UTC)),  # DST ended: back to 13:00 UTC
])
def test_scheduled_time_follows_local_clock_across_dst(now, expected):
    """08:00 in New York is 13:00 UTC in winter and 12:00 UTC in summer, switching on the DST dates."""
    assert scheduled_before(NY, now) == expected


def test_cron_trigger_fires_at_local_time_across_dst():
    """The APScheduler cron trigger for a digest fires at 08:00 local on both sides of the DST change."""
    from bot.app import digest_triggers

    class W:
        digest = NY

    class R:
        watchlists = [W()]

    (trigger,) = digest_triggers(R())
    first = trigger.get_next_fire_time(None, datetime(2026, 3, 6, 9, 0, tzinfo=ZoneInfo("America/New_York")))
    second = trigger.get_next_fire_time(first, first + timedelta(minutes=1))
    assert (first.astimezone(UTC).hour, second.astimezone(UTC).hour) == (13, 12)


def test_catch_up_after_downtime_is_one_digest():
    """After three days down, one digest covers the whole gap; then nothing is due until the next morning."""
    last = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    now = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    start, end = due_period(NY, last_end=last, now=now)
    assert (start, end) == (last, datetime(2026, 5, 4, 12, 0, tzinfo=UTC))
    assert due_period(NY, last_end=end, now=now + timedelta(hours=5)) is None
    assert due_period(NY, last_end=end, now=now + timedelta(hours=21))[1] == datetime(2026, 5, 5, 12, 0, tzinfo=UTC)


def data(**kw) -> DigestData:
    start = datetime(2026, 11, 13, 12, tzinfo=UTC)
    d = DigestData("latam", "latam digest", start, start + timedelta(days=1), "America/Caracas", **kw)
    return d


def board(n: int) -> tuple[BoardRow, ...]:
    return tuple(BoardRow(f"C{i:02d}", f"Country {i} " + "x" * 60, "CO", "opposed", "neutral", None, 3, 2) for i in range(n))


def test_long_digest_split_within_limits():
    """A digest too big for one message is split; every message stays within 50 blocks and 3,000-character sections."""
    topics = [TopicDigest(f"t{i}", f"Topic {i}", 5, board(60), (Story("A <b>title</b> | more", "https://x.example/a?b=<c>", ("W", "P"), 0.7),))
              for i in range(12)]
    messages = render_digest(data(topics=topics, shifts=[ShiftLine("Topic 1", "COL", "Colombia", "CO", "neutral", "opposed",
                                                                  datetime(2026, 11, 14, 9, tzinfo=UTC))]), channel="#d")
    assert len(messages) > 1 and len({m.id for m in messages}) == len(messages)
    for m in messages:
        assert len(m.blocks) <= 50
        for b in m.blocks:
            if b["type"] == "section":
                assert len(b["text"]["text"]) <= 3000
    text = str([m.blocks for m in messages])
    assert "<b>" not in text and "&lt;b&gt;" in text and "%3Cc%3E" in text


def test_quiet_day_short_or_none():
    """With no shifts the digest is one short line (or nothing, when configured)."""
    quiet = data(topics=[TopicDigest("t", "Topic", 4, (), ())])
    (m,) = render_digest(quiet, channel="#d")
    assert "No shifts; 4 items matched" in m.text and len(m.blocks) == 3
    assert render_digest(quiet, channel="#d", quiet_mode="none") == []


def test_digest_says_what_was_read_from_articles_and_what_was_not_read():
    """A story whose stances came from its article says so; items in languages not read are counted, quiet days too."""
    story = Story("Strike deepens a split", "https://x.example/a", ("Wire",), 0.8, from_article=True)
    plain = Story("Another story", "https://x.example/b", ("Wire",), 0.7)
    shift = ShiftLine("Topic", "COL", "Colombia", "CO", None, "opposed", datetime(2026, 11, 14, 9, tzinfo=UTC))
    unread = ["14 Spanish items not read (El Tiempo 9, Pagina Doce 5)"]
    (m,) = render_digest(data(topics=[TopicDigest("t", "Topic", 2, board(1), (story, plain))], shifts=[shift], unread=unread), channel="#d")
    text = str(m.blocks)
    assert "Strike deepens a split</a>" not in text and text.count("stances from the article") == 1
    assert text.index("Strike deepens") < text.index("stances from the article") < text.index("Another story")
    assert "14 Spanish items not read (El Tiempo 9, Pagina Doce 5)" in text and "⚠️" not in text
    (quiet,) = render_digest(data(topics=[TopicDigest("t", "Topic", 0, (), ())], unread=unread), channel="#d")
    assert "14 Spanish items not read" in str(quiet.blocks)


def test_unread_lines_count_per_language_and_feed(fresh_store):
    """The digest's line per language: a total, then each feed, for items published in the digest's period."""
    from conftest import NOW, rss, story

    from bot.digest.collect import unread_lines
    from bot.ingest.items import parse_feed

    def stored(feed, *numbers):
        return fresh_store.add_items(parse_feed(rss([story(n, f"Titulo {n}") for n in numbers]), feed=feed, now=NOW).items, now=NOW)

    spanish = stored("El Tiempo", 1, 2, 3) + stored("Pagina Doce", 4)
    french = stored("Le Monde", 5)
    english = stored("Wire", 6)
    languages = {**{i.id: "es" for i in spanish}, **{i.id: "fr" for i in french}, **{i.id: "und" for i in english}}
    fresh_store.record_processed([i.id for i in spanish + french + english], [], [], now=NOW, languages=languages)
    lines = unread_lines(fresh_store, start=NOW - timedelta(days=1), end=NOW + timedelta(hours=1))
    assert lines == ["4 Spanish items not read (El Tiempo 3, Pagina Doce 1)", "1 French item not read (Le Monde 1)"]
    assert unread_lines(fresh_store, start=NOW + timedelta(hours=1), end=NOW + timedelta(days=1)) == []


def symbols(text: str) -> set[str]:
    """The symbols in a text (arrows, stars, marks), not its flags, letters or punctuation."""
    return {c for c in text if unicodedata.category(c) in ("So", "Sm") and not 0x1F1E6 <= ord(c) <= 0x1F1FF and c != "🏳"}


def test_digest_legend_explains_every_symbol_on_its_board():
    """One context line names each symbol the board shows, stances and changes alike; every change symbol occurs here."""
    rows = [BoardRow("BRA", "Brazil", "BR", "supportive", "neutral", "opposed", 1, 1),
            BoardRow("COL", "Colombia", "CO", "opposed", "supportive", "neutral", 2, 2),
            BoardRow("MEX", "Mexico", "MX", "neutral", None, None, 0, 0),
            BoardRow("CUB", "Cuba", "CU", None, "opposed", "opposed", 0, 0),
            BoardRow("CHL", "Chile", None, "opposed", "opposed", "opposed", 3, 1)]
    shift = ShiftLine("Topic", "COL", "Colombia", "CO", "supportive", "opposed", datetime(2026, 11, 14, 9, tzinfo=UTC))
    (message,) = render_digest(data(topics=[TopicDigest("t", "Topic", 5, tuple(rows), ())], shifts=[shift]), channel="#d")
    legends = [b for b in message.blocks if b["type"] == "context" and b["elements"][0]["text"] == symbol_legend()]
    assert len(legends) == 1
    legend = symbol_legend()
    board = [line for b in message.blocks if b["type"] == "section" for line in b["text"]["text"].splitlines()
             if line[:1] in "".join(MARK.values())]
    assert len(board) == 5
    used = set().union(*(symbols(line) for line in board))
    assert used <= symbols(legend) and set(CHANGE) <= used
    assert all(f"{mark} {word}" in legend for word, mark in
               [("supportive", "🔵"), ("opposed", "🟠"), ("neutral", "⚪"), ("no settled stance", "▫️")])
    assert "1 story, 1 outlet" in board[0] and "2 stories, 2 outlets" in board[1]


def test_quiet_digest_has_no_legend():
    """A digest with no board shows no symbols, so it carries no legend."""
    (message,) = render_digest(data(topics=[TopicDigest("t", "Topic", 4, (), ())]), channel="#d")
    assert symbol_legend() not in str(message.blocks)


WATCHLIST = 'channel: "#latam-desk"\ndigest: {time: "08:00", timezone: America/Caracas}\n' + GOOD


def test_bad_timezone_is_a_config_error(tmp_path):
    """An unknown time zone names the file, line and key."""
    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match=r"desk.yaml:2: digest.timezone: unknown time zone 'Mars/Olympus'"):
        load_rules(write_rules(tmp_path, WATCHLIST.replace("America/Caracas", "Mars/Olympus")))


def test_digest_uploaded_and_sent_once(tmp_path, fresh_store, httpserver, gaz):
    """A due digest is queued once, its chart uploaded with files_upload_v2 and shown in the message, never sent twice."""
    rules = load_rules(write_rules(tmp_path, WATCHLIST))
    now = datetime(2026, 11, 14, 13, 0, tzinfo=UTC)  # 09:00 in Caracas
    shift = Shift("caribbean", "COL", "neutral", "opposed", now - timedelta(hours=5), 0.8, ("W", "P"))
    fresh_store.record_processed([], [], [], now=now, changes=[
        Shift("caribbean", "COL", None, "neutral", now - timedelta(days=6), 0.7, ("W",)), shift])
    fake = FakeSlack()
    notifier = SlackNotifier(make_slack_client("xoxb-digest", fake.install(httpserver)))
    assert queue_due_digests(fresh_store, rules, gaz, now=now, default_channel="#x") == 1
    assert queue_due_digests(fresh_store, rules, gaz, now=now + timedelta(hours=3), default_channel="#x") == 0
    deliver_due(fresh_store, notifier, now=now)
    deliver_due(fresh_store, notifier, now=now + timedelta(hours=1))
    (call,) = fake.calls
    assert len(fake.uploads) == 1 and fake.uploads[0].startswith(b"\x89PNG")
    image = [b for b in call["blocks"] if b["type"] == "image"]
    assert image and image[0]["slack_file"] == {"id": "F1"}
    assert image[0]["alt_text"].startswith("Chart. desk: settled stances") and "opposed: Colombia" in image[0]["alt_text"]
    assert call["channel"] == "#latam-desk" and "Colombia" in str(call["blocks"]) and "neutral → *opposed*" in str(call["blocks"])


def test_no_digest_for_a_day_before_the_bot_first_ran(tmp_path, fresh_store, gaz):
    """Started at 10:00 Caracas time, after the 08:00 digest: no catch-up for a day it did not watch; the next is due."""
    from bot.digest.queue import FIRST_RUN_KEY

    rules = load_rules(write_rules(tmp_path, WATCHLIST))
    first = datetime(2026, 11, 14, 14, 0, tzinfo=UTC)  # 10:00 in Caracas
    fresh_store.set_state(FIRST_RUN_KEY, first.isoformat(), now=first)
    assert queue_due_digests(fresh_store, rules, gaz, now=first, default_channel="#x") == 0
    assert queue_due_digests(fresh_store, rules, gaz, now=first + timedelta(hours=22, minutes=5), default_channel="#x") == 1
    (message,) = fresh_store.outbox()
    assert message.payload["start"] == "2026-11-14T12:00:00+00:00"  # covers from the skipped digest's time, no more

"""A store stocked as a few days of running leave it: feeds (one failing), items, matches, stances, positions, messages."""

from __future__ import annotations

from datetime import datetime, timedelta

from conftest import rss, story

from bot.deliver.outbox import OutboxRow
from bot.ingest.fetch import FeedState
from bot.ingest.items import parse_feed
from bot.labels import Label
from bot.read.match import Match
from bot.store import Store
from bot.track.evidence import StanceRecord
from bot.track.shifts import Position, Shift

TOPIC = "us-caribbean-naval"
STRIKE = "US strikes on boats near Venezuela kill eleven"
COLOMBIA = "Colombia condemns the strikes in the Caribbean"
BASEBALL = "Caracas wins the baseball final"
QUOTE = "Bogotá rejects the strikes, which it called a violation of international law."
FAILED_ID = "shift:us-caribbean-naval:BRA:2026-11-19T09:00:00+00:00:opposed"


def stock(store: Store, now: datetime) -> dict[str, str]:
    """Fill `store`; return the ids of the items by headline."""
    wire = parse_feed(rss([story(1, STRIKE, "The Pentagon said the boats carried drugs.", hours_ago=30, host="wire.example"),
                           story(2, COLOMBIA, QUOTE, hours_ago=20, host="wire.example")]), feed="Wire", now=now).items
    paper = parse_feed(rss([story(3, BASEBALL, "A ninth-inning home run.", hours_ago=10, host="paper.example")]),
                       feed="Paper", now=now).items
    store.add_items(wire + paper, now=now - timedelta(hours=5))
    store.save_feed_state("https://wire.example/rss", FeedState("Wire", last_success_at=now), now=now, new_items=2)
    store.save_feed_state("https://paper.example/rss", FeedState("Paper", failures=3, last_error="HTTP 503",
                                                                 failing_since=now - timedelta(hours=3)), now=now, new_items=1)
    ids = {i.title: i.id for i in wire + paper}
    strike, colombia, baseball = ids[STRIKE], ids[COLOMBIA], ids[BASEBALL]
    settled = now - timedelta(hours=4)
    change = Shift(TOPIC, "COL", None, Label.OPPOSED, settled, 0.9, ("Wire",))
    failed = OutboxRow(FAILED_ID, "shift", TOPIC, "#nowhere", "Brazil: opposed", [], "pending")
    store.record_processed(
        list(ids.values()),
        [(strike, Match(TOPIC, 0.81, True, "score 0.810 >= threshold 0.48")),
         (colombia, Match(TOPIC, 0.74, True, "score 0.740 >= threshold 0.48")),
         (baseball, Match(TOPIC, 0.21, False, "score 0.210 < threshold 0.48"))],
        [OutboxRow(change.id, "shift", TOPIC, "#desk", "Colombia: opposed", [], "pending"), failed],
        now=now - timedelta(hours=4),
        stances=[StanceRecord(colombia, TOPIC, "COL", Label.OPPOSED, -0.8, QUOTE, "Wire", colombia, now - timedelta(hours=20)),
                 StanceRecord(strike, TOPIC, "USA", Label.SUPPORTIVE, 0.7, "The Pentagon defended the strikes.", "Wire", strike,
                              now - timedelta(hours=30))],
        positions=[Position(TOPIC, "COL", Label.OPPOSED, settled, settled, change.id), Position(TOPIC, "VEN")],
        changes=[change])
    store.mark_message(change.id, status="sent", now=now - timedelta(hours=4), ts="1.2")
    store.mark_message(FAILED_ID, status="failed", now=now - timedelta(hours=2), error="channel_not_found: #nowhere")
    return ids

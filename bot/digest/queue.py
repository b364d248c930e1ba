"""Queuing due digests: one per watchlist per scheduled time, a single catch-up after downtime."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from bot.deliver.outbox import OutboxRow
from bot.digest.chart import chart_alt_text, stance_chart
from bot.digest.collect import collect_digest
from bot.digest.render import render_digest
from bot.digest.schedule import digest_end, due_period, scheduled_before
from bot.read.gazetteer import Gazetteer
from bot.rules import Rules, Watchlist
from bot.store import Store, iso, parse_iso

log = logging.getLogger(__name__)


FIRST_RUN_KEY = "first_run_at"  # set by the app at its first cycle


def last_end_key(watchlist: Watchlist) -> str:
    return f"digest:{watchlist.id}:last_end"


def build_digest(store: Store, watchlist: Watchlist, rules: Rules, gaz: Gazetteer, *, start: datetime, end: datetime,
                 now: datetime, default_channel: str) -> tuple[list[OutboxRow], bytes | None]:
    """The digest messages for [start, end) and its chart, not yet queued."""
    schedule = watchlist.digest
    channel = watchlist.digest_channel(default_channel)
    data = collect_digest(store, watchlist, rules, gaz, start=start, end=end, title=f"{watchlist.id} digest")
    messages = render_digest(data, channel=channel, quiet_mode=schedule.quiet if schedule else "short")
    chart = stance_chart(data) if messages and not data.quiet else None
    if chart is not None:
        key = f"chart:{watchlist.id}:{end.isoformat()}"
        store.put_file(key, f"stances-{watchlist.id}-{end:%Y%m%d}.png", chart, now=now)
        first = messages[0]
        messages[0] = OutboxRow(first.id, first.kind, first.topic_id, first.channel, first.text, first.blocks,
                                first.status, payload={**(first.payload or {}), "chart": key, "chart_alt": chart_alt_text(data)})
    return messages, chart


def digest_of_day(store: Store, watchlist: Watchlist, rules: Rules, gaz: Gazetteer, *, day: date | None, now: datetime,
                  default_channel: str) -> tuple[datetime, list[OutboxRow], bytes | None]:
    """(when it is due, its messages, its chart) for the digest of a local `day`, or the latest one due before `now`.

    Raises OverflowError or ValueError for a day that has no digest time (year 1, year 9999).
    """
    assert watchlist.digest is not None
    end = digest_end(watchlist.digest, day) if day else scheduled_before(watchlist.digest, now)
    messages, chart = build_digest(store, watchlist, rules, gaz, start=end - timedelta(days=1), end=end, now=now,
                                   default_channel=default_channel)
    return end, messages, chart


def queue_due_digests(store: Store, rules: Rules, gaz: Gazetteer, *, now: datetime, default_channel: str) -> int:
    """Queue every digest that is due now; returns how many messages were queued."""
    queued = 0
    for watchlist in rules.watchlists:
        if watchlist.digest is None:
            continue
        period = due_period(watchlist.digest, last_end=parse_iso(store.get_state(last_end_key(watchlist))), now=now)
        if period is None:
            continue
        start, end = period
        first_run = parse_iso(store.get_state(FIRST_RUN_KEY))
        if first_run is not None and end <= first_run:
            # The bot was not running then: no digest for a day it did not watch; the next one is due as usual.
            store.set_state(last_end_key(watchlist), iso(end), now=now)
            continue
        messages, _ = build_digest(store, watchlist, rules, gaz, start=start, end=end, now=now, default_channel=default_channel)
        # The period is recorded with its messages: a digest is never queued twice for the same period.
        store.enqueue_all(messages, now=now, state={last_end_key(watchlist): iso(end)})
        log.info("digest for %s covering %s to %s: %d messages", watchlist.id, iso(start), iso(end), len(messages))
        queued += len(messages)
    return queued

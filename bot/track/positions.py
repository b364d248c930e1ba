"""Feeding new stance evidence to the shift tracker and turning shifts into messages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from bot.deliver.messages import followup_message, shift_message
from bot.deliver.outbox import OutboxRow
from bot.read.gazetteer import Gazetteer
from bot.rules import Topic
from bot.store import Store
from bot.track.evidence import StanceRecord, make_evidence
from bot.track.shifts import Position, Shift, observe

FOLLOWUP_WINDOW = timedelta(days=14)
DEFAULT_FRESHNESS = timedelta(hours=24)


def update_positions(store: Store, records: Iterable[StanceRecord], topics: dict[str, Topic], *, gaz: Gazetteer,
                     channel_of: Callable[[Topic], str], now: datetime | None = None,
                     fresh_for: timedelta = DEFAULT_FRESHNESS) -> tuple[list[Position], list[OutboxRow], list[Shift]]:
    """Observe new stances in publication order; return changed positions, messages and shifts.

    A shift that settled more than `fresh_for` before `now` (a first run over a feed's backlog) is recorded, and
    shown in the next digest, but not posted as an alert: it is news that settled days ago.
    """
    records = sorted(records, key=lambda r: (r.published, r.item_id, r.country))
    batch_items = {r.item_id for r in records}
    positions: dict[tuple[str, str], Position] = {}
    messages: list[OutboxRow] = []
    shifts: list[Shift] = []
    for record in records:
        topic = topics[record.topic_id]
        key = (topic.id, record.country)
        if key not in positions:
            stored = store.position(*key)
            prior = store.evidence(*key, since=record.published - topic.shifts.window, exclude_items=batch_items)
            positions[key] = Position(*key, stored.state, stored.since, stored.changed_at, stored.alert_id, tuple(prior))
        item = store.item(record.item_id)
        origin = store.cluster_origin(record.cluster_id) or record.feed
        evidence = make_evidence(item_id=record.item_id, cluster_id=record.cluster_id, country=record.country,
                                 label=record.label, score=record.score, outlet=origin, published=record.published,
                                 quote=record.quote, link=item.link, title=item.title, from_article=record.from_article)
        before = positions[key]
        known = any(e.cluster_id == evidence.cluster_id for e in before.evidence)
        after, shift = observe(before, evidence, params=topic.shifts)
        positions[key] = after
        tracked = not topic.countries or record.country in topic.countries
        name, iso2 = gaz.country_name(record.country), gaz.countries.get(record.country, {}).get("iso2")
        if shift is not None:
            shifts.append(shift)
            if tracked and (now is None or now - shift.at <= fresh_for):
                messages.append(shift_message(shift, topic, country_name=name, iso2=iso2, channel=channel_of(topic)))
        elif (tracked and not known and before.alert_id and after.state == evidence.label
              and before.since and record.published - before.since <= FOLLOWUP_WINDOW
              and (any(m.id == before.alert_id for m in messages) or store.message(before.alert_id) is not None)):
            # A new story agreeing with the latest shift goes into that alert's thread.
            messages.append(followup_message(evidence, before.alert_id, topic, country_name=name, label=evidence.label,
                                             channel=channel_of(topic)))
    return list(positions.values()), messages, shifts

"""Feeding new stance evidence to the shift tracker and turning shifts into messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Callable, Iterable

from bot.read.gazetteer import Gazetteer
from bot.deliver.messages import followup_message, shift_message
from bot.rules import Topic
from bot.track.shifts import Position, Shift, observe
from bot.store import OutboxRow, Store, make_evidence, parse_iso

FOLLOWUP_WINDOW = timedelta(days=14)


def update_positions(store: Store, rows: Iterable[dict], topics: dict[str, Topic], *, gaz: Gazetteer,
                     channel_of: Callable[[Topic], str]) -> tuple[list[Position], list[OutboxRow], list[Shift]]:
    """Observe new stance rows in publication order; return changed positions, messages and shifts."""
    rows = sorted(rows, key=lambda r: (r["published"], r["item_id"], r["country"]))
    batch_items = {r["item_id"] for r in rows}
    positions: dict[tuple[str, str], Position] = {}
    messages: list[OutboxRow] = []
    shifts: list[Shift] = []
    for row in rows:
        topic = topics[row["topic_id"]]
        key = (topic.id, row["country"])
        published = parse_iso(row["published"])
        if key not in positions:
            stored = store.position(*key)
            prior = store.evidence(*key, since=published - topic.shifts.window, exclude_items=batch_items)
            positions[key] = Position(*key, stored.state, stored.since, stored.changed_at, stored.alert_id, tuple(prior))
        item = store.item_row(row["item_id"])
        origin = store.cluster_origin(row["cluster_id"]) or row["feed"]
        evidence = make_evidence(item_id=row["item_id"], cluster_id=row["cluster_id"], country=row["country"],
                                 label=row["label"], score=row["score"], outlet=origin, published=published,
                                 quote=row["evidence"], link=item["link"], title=item["title"])
        before = positions[key]
        known = any(e.cluster_id == evidence.cluster_id for e in before.evidence)
        after, shift = observe(before, evidence, params=topic.shifts)
        positions[key] = after
        tracked = not topic.countries or row["country"] in topic.countries
        name, iso2 = gaz.country_name(row["country"]), gaz.countries.get(row["country"], {}).get("iso2")
        if shift is not None:
            shifts.append(shift)
            if tracked:
                messages.append(shift_message(shift, topic, country_name=name, iso2=iso2, channel=channel_of(topic)))
        elif (tracked and not known and before.alert_id and after.state == evidence.label
              and before.since and published - before.since <= FOLLOWUP_WINDOW):
            # A new story agreeing with the latest shift goes into that alert's thread.
            messages.append(followup_message(evidence, before.alert_id, topic, country_name=name, label=evidence.label,
                                             channel=channel_of(topic)))
    return list(positions.values()), messages, shifts

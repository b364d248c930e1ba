"""Reading a batch of items: topic matches, then the stances toward every matched topic."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from bot.ingest.items import Item
from bot.read.gazetteer import Gazetteer
from bot.read.match import Match, Profile, content_stems, match_item, without_places
from bot.read.neighbours import Neighbour, inherit
from bot.read.parties import COUNTRY_KINDS
from bot.read.reader import StanceReader
from bot.read.stance import Stance


@dataclass(frozen=True)
class Reading:
    """What reading made of one item: how it relates to each topic, and the stances toward the matched ones."""

    item: Item
    matches: tuple[Match, ...]
    stances: dict[str, list[Stance]] = field(default_factory=dict)  # topic id -> stances, for matched topics

    def read_for(self, match: Match) -> bool:
        return match.topic_id in self.stances


def match_and_read(items: Sequence[Item], vectors: Sequence[np.ndarray], profiles: Sequence[Profile], gaz: Gazetteer,
                   reader: StanceReader | None, *, force_match: bool = False,
                   neighbours: Sequence[Neighbour] | None = (),
                   texts: Callable[[Item, list[Match]], str] | None = None) -> list[Reading]:
    """Match every item (its vector at the same position) to every topic and read stances toward the matched ones.

    With `force_match` every topic counts as matched (analyze --topic). `neighbours` are stories matched before
    (bot.read.neighbours): a reaction story close to one inherits its topic, as do those close to earlier items
    of this batch; None turns inheritance off (items without a time line: analyze). `texts(item, matched)` gives the
    text read for stances when it is not the item's body (an article's chosen passages). The reader parses the whole
    batch in one spaCy call and embeds its fallback clauses in one encode call.
    """
    topics = {p.topic.id: p.topic for p in profiles}
    found = matched_in_order(items, vectors, profiles, gaz, neighbours)
    wanted = [(item, [m for m in matches if force_match or m.matched]) for item, matches in found]
    if reader is None:
        return [Reading(item, tuple(matches), {m.topic_id: [] for m in chosen}) for (item, matches), (_, chosen) in
                zip(found, wanted, strict=True)]
    read = {item.id: texts(item, chosen) if texts and chosen else item.body for item, chosen in wanted}
    reader.prime([(read[item.id], reader.topic_for(topics[m.topic_id])) for item, chosen in wanted for m in chosen])
    out = []
    for (item, matches), (_, chosen) in zip(found, wanted, strict=True):
        among = [reader.topic_for(topics[m.topic_id]) for m in chosen]  # one topic's passages are not read onto another
        out.append(Reading(item, tuple(matches), {m.topic_id: reader.find(read[item.id], reader.topic_for(topics[m.topic_id]),
                                                                            among=among) for m in chosen}))
    return out


def matched_in_order(items: Sequence[Item], vectors: Sequence[np.ndarray], profiles: Sequence[Profile], gaz: Gazetteer,
                     neighbours: Sequence[Neighbour] | None) -> list[tuple[Item, list[Match]]]:
    """Every item's matches, in the items' order; items are seen oldest first, so an item matched on its own can
    pass its topic to a later one of the same batch (unless `neighbours` is None)."""
    if neighbours is None:
        return [(item, match_item(item.body, vector, profiles, gaz)) for item, vector in zip(items, vectors, strict=True)]
    known = list(neighbours)
    out: dict[int, tuple[Item, list[Match]]] = {}
    for n in sorted(range(len(items)), key=lambda k: items[k].published):
        item, vector = items[n], vectors[n]
        mentions = gaz.find(item.body)
        matches = match_item(item.body, vector, profiles, gaz, mentions=mentions)
        if known and not any(m.matched for m in matches):
            named = frozenset(m.ref for m in mentions if m.kind in COUNTRY_KINDS)
            matches = inherit(matches, vector, content_stems(without_places(item.body, gaz)), item.published, known, profiles,
                              named=named, headline=item.title or item.body[:120])
        for m in matches:
            if m.matched and m.via is None:
                known.append(neighbour_of(item, m.topic_id, vector, gaz))
        out[n] = (item, matches)
    return [out[n] for n in range(len(items))]


def neighbour_of(item: Item, topic_id: str, vector: np.ndarray, gaz: Gazetteer) -> Neighbour:
    return Neighbour(item.id, topic_id, item.published, vector, item.title or item.body[:80],
                     cache(lambda: content_stems(without_places(item.body, gaz))))

"""Reaction stories inherit a topic from the stories the watchlist matched in the days before (pure).

"Bogotá recalls its ambassador from Washington" never names the boat strikes it reacts to; a reader who saw
last week's strike stories knows what it is about. A story that matched no topic inherits one when it is
nearly close enough to the topic on its own (a margin below the threshold) and close to a story matched to
it directly within the last weeks (the nearer in time, the less close it needs to be), sharing at least one
word of the event beyond place names. Inherited matches are never passed on (no chains), so a topic cannot
drift from story to story; stories set elsewhere, outside the topic's keywords or excluded stay out.
A headline of a diplomatic answer (a summoned or recalled envoy, frozen aid, a condemnation) naming the owner of
exactly one topic that stories matched in the last two weeks inherits it too, when it scores within a wider margin.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np

from bot.read.match import Match, Profile

WINDOW = timedelta(days=30)
MARGIN = 0.1  # how far below its threshold an item may score and still inherit the topic
NEAR = 0.3  # cosine to a neighbour the day after it
DECAY = 0.1  # added to NEAR over the window: a month-old neighbour must be this much closer
# Reasons that rule an item out of a topic whatever its neighbours: it is set elsewhere, misses the topic's
# keywords or is one of its excluded kinds of story.
_HARD = ("context:", "keywords.", "exclude:", "counter-example:")


@dataclass(frozen=True)
class Neighbour:
    """A story matched to a topic on its own: what a later reaction story may inherit the topic from."""

    item_id: str
    topic_id: str
    published: datetime
    vector: np.ndarray
    title: str
    stems: Callable[[], set[str]]  # its event words (place names left out), computed only when needed


def needed(age: timedelta) -> float:
    """The cosine a neighbour of this age must reach."""
    return NEAR + DECAY * min(1.0, max(0.0, age / WINDOW))


def inherit(matches: Sequence[Match], vector: np.ndarray, stems: set[str], published: datetime,
            neighbours: Sequence[Neighbour], profiles: Sequence[Profile], *, named: frozenset[str] = frozenset(),
            headline: str = "") -> list[Match]:
    """`matches` with at most one unmatched topic turned into an inherited match; unchanged when any topic matched.
    `named`: the countries the item names; `headline`: its title (see diplomatic_reaction)."""
    if any(m.matched for m in matches) or not neighbours:
        return list(matches)
    found = _close_neighbour(matches, vector, stems, published, neighbours, profiles)
    if found is None and named and reaction_headline(headline):
        return diplomatic_reaction(matches, published, neighbours, profiles, named)
    return found if found is not None else list(matches)


# A government's answer told without the event's words: "Colombia calls its ambassador home from Washington".
REACTION = re.compile(r"\b(summons?|summoned|recalls?|recalled|expels?|expelled|calls? (?:in|home)|called (?:in|home)|"
                      r"freezes?|froze|suspends?|suspended|pauses?|paused|halts?|halted|sanctions?|sanctioned|"
                      r"condemns?|condemned|protests?|protested|denounces?|denounced|slams?|slammed|rebukes?|rebuked|"
                      r"closes?|closed|shuts?|strips?|stripped|bans?|banned|cuts? ties|severs?|severed|downgrades?|"
                      r"reprimands?|demands?|urges?|urged|warns?|warned)\b", re.I)
REACTION_WINDOW = timedelta(days=14)
REACTION_MARGIN = 0.15  # how far below its threshold such an item may score


def reaction_headline(headline: str) -> bool:
    return bool(REACTION.search(headline))


def diplomatic_reaction(matches: Sequence[Match], published: datetime, neighbours: Sequence[Neighbour],
                        profiles: Sequence[Profile], named: frozenset[str]) -> list[Match]:
    """A reaction headline naming the owner of exactly one topic that stories matched on their own in the last two
    weeks inherits that topic ("Colombia calls its ambassador home from Washington" during the boat strikes);
    set elsewhere, outside keywords, excluded or far below the threshold, it does not."""
    by_id = {p.topic.id: p for p in profiles}
    latest: dict[str, Neighbour] = {}  # topic -> the latest story matched to it on its own within the window
    for nb in neighbours:
        if timedelta(0) <= published - nb.published <= REACTION_WINDOW and (
                nb.topic_id not in latest or nb.published > latest[nb.topic_id].published):
            latest[nb.topic_id] = nb
    chosen = [n for n, m in enumerate(matches) if m.topic_id in latest and m.topic_id in by_id and not m.reason.startswith(_HARD)
              and by_id[m.topic_id].owners & named and m.score >= by_id[m.topic_id].threshold - REACTION_MARGIN]
    if len(chosen) != 1:
        return list(matches)  # none, or the owner of several topics in the news: not telling which
    out = list(matches)
    n = chosen[0]
    nb = latest[out[n].topic_id]
    owners = ", ".join(sorted(by_id[out[n].topic_id].owners & named))
    out[n] = replace(out[n], matched=True, via=nb.item_id,
                     reason=f"a reaction naming {owners} while the topic is in the news (latest: {nb.title[:80]!r}, "
                            f"{nb.published:%Y-%m-%d}); {out[n].reason}")
    return out


def _close_neighbour(matches: Sequence[Match], vector: np.ndarray, stems: set[str], published: datetime,
                     neighbours: Sequence[Neighbour], profiles: Sequence[Profile]) -> list[Match] | None:
    """`matches` with the topic of the closest qualifying neighbour inherited, or None when none qualifies."""
    thresholds = {p.topic.id: p.threshold for p in profiles}
    best: tuple[float, int, Neighbour] | None = None
    for n, m in enumerate(matches):
        if m.reason.startswith(_HARD) or m.score < thresholds.get(m.topic_id, 1.0) - MARGIN:
            continue
        for nb in neighbours:
            age = published - nb.published
            if nb.topic_id != m.topic_id or not timedelta(0) <= age <= WINDOW:
                continue
            cosine = float(nb.vector @ vector)
            if cosine < needed(age) or not stems & nb.stems():
                continue
            if best is None or cosine > best[0]:
                best = (cosine, n, nb)
    if best is None:
        return None
    cosine, n, nb = best
    out = list(matches)
    out[n] = replace(out[n], matched=True, via=nb.item_id,
                     reason=f"inherited from {nb.title[:80]!r} ({nb.published:%Y-%m-%d}, cosine {cosine:.2f}); {out[n].reason}")
    return out

"""Reaction stories inherit a topic from the stories the watchlist matched in the days before (pure).

"Bogotá recalls its ambassador from Washington" never names the boat strikes it reacts to; a reader who saw
last week's strike stories knows what it is about. A story that matched no topic inherits one when it is
nearly close enough to the topic on its own (a margin below the threshold) and close to a story matched to
it directly within the last weeks (the nearer in time, the less close it needs to be), sharing at least one
word of the event beyond place names. Inherited matches are never passed on (no chains), so a topic cannot
drift from story to story; stories set elsewhere, outside the topic's keywords or excluded stay out.
"""

from __future__ import annotations

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
            neighbours: Sequence[Neighbour], profiles: Sequence[Profile]) -> list[Match]:
    """`matches` with at most one unmatched topic turned into an inherited match; unchanged when any topic matched."""
    if any(m.matched for m in matches) or not neighbours:
        return list(matches)
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
        return list(matches)
    cosine, n, nb = best
    out = list(matches)
    out[n] = replace(out[n], matched=True, via=nb.item_id,
                     reason=f"inherited from {nb.title[:80]!r} ({nb.published:%Y-%m-%d}, cosine {cosine:.2f}); {out[n].reason}")
    return out

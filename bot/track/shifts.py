"""Settled stances per (topic, country) and the shifts between them (pure).

One article is noise; a country's position is what several independent outlets
report over time. Evidence is one stance per story cluster (syndicated copies count
once), weighted by confidence and decaying with age. A label settles when enough
stories from enough originating outlets carry it and it dominates the weighted
tally; a settled stance is left only for another settled one that outweighs it by
`switch_ratio` (hysteresis), and never twice within `cooldown`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.labels import LABELS
from bot.track.evidence import Evidence


@dataclass(frozen=True)
class ShiftParams:
    """How much evidence settles a stance, and how hard it is to move it."""

    min_outlets: int = 2
    min_evidence: int = 2
    min_share: float = 0.6
    half_life: timedelta = timedelta(days=7)
    window: timedelta = timedelta(days=30)
    switch_ratio: float = 1.5
    cooldown: timedelta = timedelta(hours=24)
    alert_first: bool = True


@dataclass(frozen=True)
class Position:
    """The settled stance of a country on a topic, as of `updated_at`."""

    topic_id: str
    country: str
    state: str | None = None  # None = unknown
    since: datetime | None = None
    changed_at: datetime | None = None
    alert_id: str | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Tally:
    weights: dict[str, float]
    stories: dict[str, int]
    outlets: dict[str, set[str]]

    def share(self, label: str) -> float:
        total = sum(self.weights.values())
        return self.weights.get(label, 0.0) / total if total else 0.0


@dataclass(frozen=True)
class Shift:
    """A country's settled stance changed (or settled for the first time)."""

    topic_id: str
    country: str
    before: str | None
    after: str
    at: datetime
    confidence: float
    outlets: tuple[str, ...]
    evidence: tuple[Evidence, ...] = field(default=())

    @property
    def id(self) -> str:
        return f"shift:{self.topic_id}:{self.country}:{self.at.isoformat()}:{self.after}"


@dataclass(frozen=True)
class PositionChange:
    """A recorded move of a settled stance, as the digest and the board read it back."""

    topic_id: str
    country: str
    before: str | None
    after: str
    at: datetime
    alert_id: str | None = None


def decay(age: timedelta, half_life: timedelta) -> float:
    return 0.5 ** (max(age.total_seconds(), 0.0) / half_life.total_seconds())


def tally(evidence: tuple[Evidence, ...], *, now: datetime, params: ShiftParams) -> Tally:
    """Decayed weights, story counts and originating outlets per label, over the window before `now`."""
    weights: dict[str, float] = dict.fromkeys(LABELS, 0.0)
    stories: dict[str, int] = dict.fromkeys(LABELS, 0)
    outlets: dict[str, set[str]] = {label: set() for label in LABELS}
    for e in evidence:
        if e.published > now or now - e.published > params.window:
            continue
        weights[e.label] += e.confidence * decay(now - e.published, params.half_life)
        stories[e.label] += 1
        outlets[e.label].add(e.outlet)
    return Tally(weights, stories, outlets)


def settled_label(t: Tally, params: ShiftParams) -> str | None:
    """The label the evidence settles on, or None when nothing has settled."""
    best = max(LABELS, key=lambda label: t.weights[label])
    if t.weights[best] <= 0:
        return None
    if t.stories[best] < params.min_evidence or len(t.outlets[best]) < params.min_outlets:
        return None
    return best if t.share(best) >= params.min_share else None


def observe(position: Position, new: Evidence, *, params: ShiftParams) -> tuple[Position, Shift | None]:
    """Add one piece of evidence (at its publication time) and say whether the settled stance moved."""
    if any(e.cluster_id == new.cluster_id for e in position.evidence):
        return position, None  # a syndicated copy or re-read of a story already counted
    now = new.published
    kept = tuple(e for e in position.evidence if now - e.published <= params.window) + (new,)
    position = replace(position, evidence=kept)
    t = tally(kept, now=now, params=params)
    candidate = settled_label(t, params)
    current = position.state
    if candidate is None or candidate == current:
        return position, None
    if current is not None:
        if t.weights[candidate] < params.switch_ratio * t.weights[current]:
            return position, None  # one contrary story among many does not flip a settled stance
        if position.changed_at and now - position.changed_at < params.cooldown:
            return position, None
    support = sorted((e for e in kept if e.label == candidate), key=lambda e: (-e.confidence, e.published))
    shift = Shift(position.topic_id, position.country, current, candidate, now, round(t.share(candidate), 3),
                  tuple(sorted(t.outlets[candidate])), tuple(support[:3]))
    moved = replace(position, state=candidate, since=now, changed_at=now, alert_id=shift.id)
    if current is None and not params.alert_first:
        return moved, None
    return moved, shift

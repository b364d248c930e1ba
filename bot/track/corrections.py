"""What analysts said about the bot's reading, applied to stance evidence (pure).

A correction names a story (by one of its items) and either gives one country's stance in it
(`supportive`, `opposed`, `neutral` or `none`: the story carries no stance of that country) or says the
story is not about the topic at all. The bot's own reading is kept; corrections are laid over it
wherever evidence is read, so the board, the digest, the shift tracker and backtests agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.labels import Label
from bot.track.evidence import StanceRecord
from bot.track.shifts import Position, ShiftParams, observe

NO_STANCE = "none"
CHOICES: tuple[str, ...] = (*(str(label) for label in Label), NO_STANCE)
# An analyst's label is certain: it weighs as much as the surest reading can.
CORRECTED_SCORE: dict[str, float] = {Label.SUPPORTIVE: 1.0, Label.OPPOSED: -1.0, Label.NEUTRAL: 0.0}


@dataclass(frozen=True)
class Correction:
    """One analyst's judgement of one story, as recorded."""

    id: int
    request: str  # one button press or command; its corrections are applied together
    kind: str  # "stance" or "topic" (the story is not about the topic)
    topic_id: str
    country: str  # "" for a topic correction
    item_id: str
    label: str  # a Label value or "none"; "" for a topic correction
    was: str  # what the bot had read ("" when unknown)
    user_id: str
    user_name: str
    created_at: datetime
    applied_at: datetime | None = None
    message_id: str | None = None  # the Slack message whose button it came from
    cluster_id: str = ""  # the story the item belongs to now


@dataclass(frozen=True)
class Verdicts:
    """Corrections of one topic, by story: the latest judgement of each (country, story) wins."""

    labels: dict[tuple[str, str], str] = field(default_factory=dict)  # (country, cluster) -> label or "none"
    off_topic: frozenset[str] = frozenset()  # clusters that are not about the topic

    def judge(self, record: StanceRecord) -> StanceRecord | None:
        """The record as the analysts see it: relabelled, or None when dropped."""
        if record.cluster_id in self.off_topic:
            return None
        label = self.labels.get((record.country, record.cluster_id))
        if label is None or label == record.label:
            return record
        if label == NO_STANCE:
            return None
        return replace(record, label=Label(label), score=CORRECTED_SCORE[label])


def verdicts_of(corrections: list[Correction]) -> dict[str, Verdicts]:
    """Per topic, the verdicts of these corrections (applied in id order: later ones win)."""
    labels: dict[str, dict[tuple[str, str], str]] = {}
    off: dict[str, set[str]] = {}
    for c in sorted(corrections, key=lambda c: c.id):
        if c.kind == "topic":
            off.setdefault(c.topic_id, set()).add(c.cluster_id)
        else:
            labels.setdefault(c.topic_id, {})[(c.country, c.cluster_id)] = c.label
    return {t: Verdicts(labels.get(t, {}), frozenset(off.get(t, ()))) for t in set(labels) | set(off)}


def judge_all(records: list[StanceRecord], verdicts: dict[str, Verdicts]) -> list[StanceRecord]:
    """Records with every topic's verdicts applied; dropped ones left out."""
    out = []
    for record in records:
        judged = verdicts[record.topic_id].judge(record) if record.topic_id in verdicts else record
        if judged is not None:
            out.append(judged)
    return out


def replay(topic_id: str, country: str, evidence, *, params: ShiftParams) -> Position:
    """The position a (topic, country) settles on when its evidence is observed in publication order."""
    position = Position(topic_id, country)
    for e in sorted(evidence, key=lambda e: (e.published, e.item_id)):
        position, _ = observe(position, e, params=params)
    return position

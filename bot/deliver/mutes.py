"""Mutes: an analyst silences a country, a topic, or a country on one topic, until a time (pure).

A muted alert is recorded in the outbox as 'muted' and never sent, also not when the mute ends: an
unmute must not bring a storm of stale alerts. The stance it announced is on the board and in the
digest all along, and `stancebot outbox --retry ID` sends one by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.deliver.outbox import OutboxRow

MUTABLE_KINDS = ("shift", "followup", "match")  # alerts and stories; never digests, feed health or corrections
DEFAULT_MUTE = timedelta(days=7)
LONGEST_MUTE = timedelta(days=365)
_DURATION = re.compile(r"^(\d{1,4})([hdw])$")
_UNIT = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


@dataclass(frozen=True)
class Mute:
    """Alerts about `country` (any topic when `topic_id` is ""), or about `topic_id` (any country when `country` is "")."""

    topic_id: str
    country: str
    until: datetime
    user_id: str = ""
    user_name: str = ""
    created_at: datetime | None = None
    id: int = 0

    def covers(self, topic_id: str | None, country: str | None) -> bool:
        if self.topic_id and self.topic_id != topic_id:
            return False
        return not self.country or self.country == country

    def describe(self, topic_name: str | None = None, country_name: str | None = None) -> str:
        who = country_name or self.country
        what = topic_name or self.topic_id
        if self.country and self.topic_id:
            return f"{who} on {what}"
        return who if self.country else what


def parse_duration(text: str) -> timedelta | None:
    """'12h', '7d' or '2w' as a timedelta (at most a year), else None."""
    found = _DURATION.match(text.strip().lower())
    if not found or int(found.group(1)) == 0:
        return None
    span = int(found.group(1)) * _UNIT[found.group(2)]
    return span if span <= LONGEST_MUTE else None


def message_country(message: OutboxRow) -> str | None:
    """The country an alert is about (shift alerts and their thread replies), else None."""
    return (message.payload or {}).get("country")


def muted_by(message: OutboxRow, mutes: list[Mute], *, now: datetime) -> Mute | None:
    """The active mute that silences `message`, if any."""
    if message.kind not in MUTABLE_KINDS:
        return None
    country = message_country(message)
    for mute in mutes:
        if mute.until > now and mute.covers(message.topic_id, country):
            return mute
    return None

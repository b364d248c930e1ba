"""Mutes: which alerts a mute covers, for how long."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import NOW

from bot.deliver.mutes import Mute, muted_by, parse_duration
from bot.deliver.outbox import OutboxRow


def row(kind: str, topic: str | None, country: str | None = None) -> OutboxRow:
    return OutboxRow("id", kind, topic, "#c", "t", [], "pending", payload={"country": country} if country else None)


@pytest.mark.parametrize(("mute", "message", "muted"), [
    (Mute("naval", "BRA", NOW + timedelta(days=1)), row("shift", "naval", "BRA"), True),
    (Mute("naval", "BRA", NOW + timedelta(days=1)), row("followup", "naval", "BRA"), True),
    (Mute("naval", "BRA", NOW + timedelta(days=1)), row("shift", "naval", "COL"), False),
    (Mute("naval", "BRA", NOW + timedelta(days=1)), row("shift", "other", "BRA"), False),
    (Mute("", "BRA", NOW + timedelta(days=1)), row("shift", "other", "BRA"), True),   # Brazil on every topic
    (Mute("", "BRA", NOW + timedelta(days=1)), row("match", "other"), False),          # a story is not Brazil's alert
    (Mute("naval", "", NOW + timedelta(days=1)), row("match", "naval"), True),         # the whole topic
    (Mute("naval", "", NOW + timedelta(days=1)), row("digest", None), False),          # never the digest
    (Mute("naval", "", NOW + timedelta(days=1)), row("correction", "naval", "BRA"), False),
    (Mute("naval", "BRA", NOW), row("shift", "naval", "BRA"), False),                  # expired: [created, until)
])
def test_what_a_mute_covers(mute, message, muted):
    """A country, a topic, or a country on a topic; alerts, follow-ups and stories, never digests or corrections."""
    assert (muted_by(message, [mute], now=NOW) is not None) is muted


@pytest.mark.parametrize(("text", "span"), [("12h", timedelta(hours=12)), ("7d", timedelta(days=7)), ("2W", timedelta(weeks=2)),
                                            ("0d", None), ("7", None), ("53w", None), ("1y", None)])
def test_parse_duration(text, span):
    """Hours, days or weeks, at most a year."""
    assert parse_duration(text) == span

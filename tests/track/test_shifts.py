"""Settling stances and detecting shifts (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.track.evidence import Evidence
from bot.track.shifts import Position, ShiftParams, observe, settled_label, tally

T0 = datetime(2026, 10, 1, tzinfo=UTC)
P = ShiftParams()


def ev(n: int, label: str, outlet: str, *, hours: float, cluster: str | None = None, conf: float = 0.8) -> Evidence:
    return Evidence(cluster or f"c{n}", f"i{n}", "COL", label, conf, outlet, T0 + timedelta(hours=hours), f"quote {n}")


def replay(events, params=P):
    position, shifts = Position("topic", "COL"), []
    for e in events:
        position, shift = observe(position, e, params=params)
        if shift:
            shifts.append(shift)
    return position, shifts


def test_one_story_settles_nothing():
    """A single story, however confident, is not a settled stance."""
    _, shifts = replay([ev(1, "opposed", "Wire", hours=0, conf=0.95)])
    assert shifts == []


def test_two_outlets_settle_first_stance():
    """Two stories from two outlets settle a first stance, announced with from=None."""
    _, shifts = replay([ev(1, "neutral", "Wire", hours=0), ev(2, "neutral", "Courier", hours=5)])
    assert [(s.before, s.after, s.at) for s in shifts] == [(None, "neutral", T0 + timedelta(hours=5))]
    assert shifts[0].outlets == ("Courier", "Wire") and len(shifts[0].evidence) == 2


def test_same_outlet_twice_is_not_enough():
    """Two stories from the same outlet are not independent confirmation."""
    _, shifts = replay([ev(1, "opposed", "Wire", hours=0), ev(2, "opposed", "Wire", hours=8)])
    assert shifts == []


def test_syndicated_copies_count_once():
    """Copies of one story (one cluster) in four feeds are one piece of evidence."""
    copies = [ev(1, "opposed", "Wire", hours=h, cluster="wire-story") for h in (0, 1, 2, 3)]
    position, shifts = replay(copies)
    assert shifts == [] and len(position.evidence) == 1


def test_clean_flip_with_hysteresis():
    """A settled stance moves only once the new one is settled and outweighs it."""
    events = [ev(1, "neutral", "Wire", hours=0), ev(2, "neutral", "Courier", hours=10),
              ev(3, "opposed", "Ledger", hours=72), ev(4, "opposed", "Wire", hours=96), ev(5, "opposed", "Courier", hours=120)]
    _, shifts = replay(events)
    assert [(s.before, s.after) for s in shifts] == [(None, "neutral"), ("neutral", "opposed")]


def test_single_contrary_outlier_does_not_flip():
    """One contrary story among many leaves the settled stance alone."""
    events = [ev(n, "supportive", o, hours=n * 10) for n, o in enumerate(["Wire", "Courier", "Ledger", "Wire"], 1)]
    events.append(ev(9, "opposed", "Times", hours=50, conf=0.95))
    position, shifts = replay(events)
    assert [s.after for s in shifts] == ["supportive"] and position.state == "supportive"


def test_cooldown_blocks_a_second_change():
    """No second change for the same country within the cooldown."""
    params = ShiftParams(cooldown=timedelta(days=3), switch_ratio=1.0, half_life=timedelta(hours=6))
    events = [ev(1, "neutral", "Wire", hours=0), ev(2, "neutral", "Courier", hours=1),
              ev(3, "opposed", "Ledger", hours=20), ev(4, "opposed", "Times", hours=21), ev(5, "opposed", "Post", hours=22)]
    _, shifts = replay(events, params)
    assert [s.after for s in shifts] == ["neutral"]
    _, later = replay(events + [ev(6, "opposed", "Gazette", hours=80)], params)
    assert [s.after for s in later] == ["neutral", "opposed"]


def test_first_settlement_can_be_silent():
    """alert_first: false records the first stance without an alert."""
    position, shifts = replay([ev(1, "neutral", "Wire", hours=0), ev(2, "neutral", "Courier", hours=5)], ShiftParams(alert_first=False))
    assert shifts == [] and position.state == "neutral"


def test_old_evidence_decays_and_leaves_the_window():
    """Evidence older than the window no longer counts, and weight halves every half-life."""
    old = (ev(1, "opposed", "Wire", hours=0),)
    assert tally(old, now=T0 + timedelta(days=31), params=P).weights["opposed"] == 0
    assert abs(tally(old, now=T0 + timedelta(days=7), params=P).weights["opposed"] - 0.4) < 1e-9


def test_mixed_evidence_settles_nothing():
    """When no label holds the required share, nothing is settled."""
    events = (ev(1, "opposed", "Wire", hours=0), ev(2, "opposed", "Courier", hours=1),
              ev(3, "supportive", "Ledger", hours=2), ev(4, "supportive", "Times", hours=3))
    assert settled_label(tally(events, now=T0 + timedelta(hours=4), params=P), P) is None


def test_a_backlog_shift_is_recorded_but_not_alerted(fresh_store, gaz, tmp_path):
    """A first run over days-old news settles the stance quietly (for the digest); a fresh shift is alerted."""
    from conftest import CARIBBEAN_WATCHLIST, NOW, rss, story, write_rules

    from bot.ingest.items import parse_feed
    from bot.labels import Label
    from bot.rules import load_rules
    from bot.track.evidence import StanceRecord
    from bot.track.positions import update_positions

    rules = load_rules(write_rules(tmp_path, CARIBBEAN_WATCHLIST), gaz.codes)
    topics = {t.id: t for t in rules.topics}

    def records(country: str, days_ago: float) -> list[StanceRecord]:
        out = []
        for n, outlet in enumerate(("Wire", "Paper")):
            entry = story(len(fresh_store.item_ids(since=NOW - timedelta(days=9))), f"{country} reacts, report {n}", hours_ago=0,
                          host=outlet.lower())
            (item,) = fresh_store.add_items(parse_feed(rss([entry]), feed=outlet, now=NOW).items, now=NOW)
            published = NOW - timedelta(days=days_ago, hours=n)
            out.append(StanceRecord(item.id, "us-caribbean-naval", country, Label.OPPOSED, -0.8, "q", outlet, item.id, published))
        return out

    positions, messages, shifts = update_positions(fresh_store, records("BRA", 3) + records("MEX", 0.1), topics, gaz=gaz,
                                                   channel_of=lambda t: "#c", now=NOW, fresh_for=timedelta(hours=24))
    assert sorted(s.country for s in shifts) == ["BRA", "MEX"]
    assert [m.payload["country"] for m in messages if m.kind == "shift"] == ["MEX"]

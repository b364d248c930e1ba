"""What `/stancebot` answers with, read from the store: the board, the evidence behind a stance, the mutes."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.deliver.mutes import Mute
from bot.digest.collect import state_at
from bot.digest.render import BoardRow
from bot.read.gazetteer import Gazetteer
from bot.rules import Rules, Topic
from bot.slackapp.commands import USAGE, Command, CommandError, Why, board_blocks, mutes_blocks, text_blocks, why_blocks
from bot.store import Store
from bot.track.review import Analyst

WEEK = timedelta(days=7)


def topic_board(store: Store, topic: Topic, gaz: Gazetteer, *, now: datetime) -> list[BoardRow]:
    """Each tracked (or settled) country's stance now, a day and a week ago, and the stories of the last week."""
    changes: dict[str, list] = {}
    for c in store.position_changes(topic_id=topic.id, until=now + timedelta(seconds=1)):
        changes.setdefault(c.country, []).append(c)
    settled = {p.country for p in store.positions(topic.id) if p.state}
    recent: dict[str, list] = {}
    for s in store.stances(topic_id=topic.id, since=now - WEEK, until=now + timedelta(seconds=1)):
        recent.setdefault(s.country, []).append(s)
    stored = {p.country: p.state for p in store.positions(topic.id)}
    rows = []
    for country in list(topic.countries) or sorted(settled | set(changes)):
        history = changes.get(country, [])
        state = stored.get(country) if country in stored else state_at(history, now)
        found = recent.get(country, [])
        rows.append(BoardRow(country, gaz.country_name(country), gaz.countries.get(country, {}).get("iso2"), state,
                             state_at(history, now - timedelta(days=1)), state_at(history, now - WEEK),
                             len({s.cluster_id for s in found}), len({s.feed for s in found})))
    rows.sort(key=lambda r: (r.state is None, r.state or "", r.name))
    return rows


def why(store: Store, topic: Topic, country: str, gaz: Gazetteer, *, now: datetime) -> Why:
    """The settled stance of `country` on `topic` and the judged stories of the topic's window behind it."""
    position = store.position(topic.id, country)
    evidence = store.evidence(topic.id, country, since=now - topic.shifts.window)
    support = tuple(sorted((e for e in evidence if e.label == position.state), key=lambda e: e.published, reverse=True))
    against: dict[str, int] = {}
    for e in evidence:
        if e.label != position.state:
            against[e.label] = against.get(e.label, 0) + 1
    if position.state is None:  # nothing settled: show what there is
        support = tuple(sorted(evidence, key=lambda e: e.published, reverse=True))
        against = {}
    return Why(topic, country, gaz.country_name(country), gaz.countries.get(country, {}).get("iso2"), position.state,
               position.since, support, against)


def answer(store: Store, command: Command, rules: Rules, gaz: Gazetteer, *, analyst: Analyst, now: datetime,
           may_mute: bool) -> list[dict]:
    """Blocks answering one parsed command (mutes are written here); raises CommandError with what to fix."""
    topics = [rules.topic(command.topic_id)] if command.topic_id else list(rules.topics)
    if command.verb == "board":
        return board_blocks([(t, topic_board(store, t, gaz, now=now)) for t in topics], now=now)
    if command.verb == "why":
        settled = [t for t in topics if store.position(t.id, command.country).state or command.topic_id]
        answers = [why(store, t, command.country, gaz, now=now) for t in (settled or topics)]
        window = max(t.shifts.window.days for t in topics) if topics else 30
        return why_blocks([a for a in answers if a.state or a.support] or answers[:1], window_days=window)
    if command.verb in ("mute", "unmute") and (command.country or command.topic_id) and not may_mute:
        raise CommandError("only the analysts listed in STANCEBOT_CORRECTORS may mute; ask one of them")
    name = _scope(command.topic_id, command.country, rules, gaz)
    if command.verb == "mute" and (command.country or command.topic_id):
        assert command.duration is not None
        mute = store.add_mute(Mute(command.topic_id, command.country, now + command.duration, analyst.id, analyst.name), now=now)
        return text_blocks(f"🔕 Muted {name} until {mute.until:%Y-%m-%d %H:%M} UTC. Its alerts are recorded, not sent (also "
                           "not later); the board and the digest still show it. `/stancebot unmute` ends it sooner.")
    if command.verb == "mute":
        mutes = store.mutes(now=now)
        return mutes_blocks(mutes, {m.id: _scope(m.topic_id, m.country, rules, gaz) for m in mutes})
    if command.verb == "unmute":
        lifted = store.lift_mutes(topic_id=command.topic_id, country=command.country, user_id=analyst.id, now=now)
        if not lifted:
            raise CommandError(f"{name} is not muted. `/stancebot mute` lists what is.")
        return text_blocks(f"🔔 {name} is no longer muted: new alerts are sent again (those recorded while muted are not).")
    return text_blocks(USAGE)


def _scope(topic_id: str, country: str, rules: Rules, gaz: Gazetteer) -> str:
    topic = next((t.name for t in rules.topics if t.id == topic_id), topic_id)
    return Mute(topic_id, country, datetime.max).describe(topic, gaz.country_name(country) if country else None)


def parse_error(exc: CommandError) -> list[dict]:
    return text_blocks(f"⚠️ {exc}")

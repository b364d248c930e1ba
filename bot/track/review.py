"""Analysts in the loop: a press of a review button becomes corrections or a mute; corrections move positions.

A correction is recorded at once (so it survives a crash) and applied under the database lock, by the Slack
handler when it can take the lock, else by the next scheduler cycle: the positions it touches are replayed
from their judged evidence, and when the settled stance moves, the move is recorded and a short reply is
queued into the thread of the alert that announced the old stance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.deliver.messages import correction_message
from bot.deliver.mutes import DEFAULT_MUTE, Mute, parse_duration
from bot.deliver.outbox import OutboxRow
from bot.deliver.review import NOT_TOPIC, WRONG_STANCE
from bot.read.gazetteer import Gazetteer
from bot.rules import Rules
from bot.store import Store
from bot.track.corrections import CHOICES, Correction, replay
from bot.track.shifts import Position, PositionChange

THREADABLE = ("pending", "sending", "sent", "printed")
HISTORY = datetime(2000, 1, 1, tzinfo=UTC)  # a replay reads a stance's whole history: how it was reached matters


class ReviewError(ValueError):
    """A press or command that cannot be honoured; the message says why, for the analyst."""


@dataclass(frozen=True)
class Analyst:
    """Who pressed: the Slack user id and name, as Slack sent them."""

    id: str
    name: str


@dataclass(frozen=True)
class Outcome:
    """What applying a request did to one (topic, country)."""

    topic_id: str
    country: str
    before: str | None
    after: str | None
    stories: int
    reply_id: str | None = None  # the thread reply queued, when the settled stance moved

    @property
    def changed(self) -> bool:
        return self.before != self.after


def corrections_for_press(store: Store, message: OutboxRow, *, action: str, value: str, request: str, analyst: Analyst,
                          rules: Rules, now: datetime) -> list[Correction]:
    """The corrections one press of 'Wrong stance' or 'Not this topic' under `message` asks for."""
    payload = message.payload or {}
    topic = rules.topic(message.topic_id) if message.topic_id in {t.id for t in rules.topics} else None
    if topic is None:
        raise ReviewError(f"topic {message.topic_id!r} is no longer in the rules")

    def make(kind: str, item_id: str, country: str = "", label: str = "", was: str = "") -> Correction:
        return Correction(0, request, kind, topic.id, country, item_id, label, was, analyst.id, analyst.name, now,
                          message_id=message.id)

    if action == NOT_TOPIC:
        items = [payload["item"]] if message.kind == "match" else list(payload.get("items") or [])
        if not items:
            raise ReviewError("this message names no story to take off the topic")
        return [make("topic", item) for item in items]
    if action != WRONG_STANCE:
        raise ReviewError(f"unknown action {action!r}")
    country, _, label = value.partition("|")
    if label not in CHOICES or not country:
        raise ReviewError(f"unknown choice {value!r}")
    if message.kind == "match":
        was = (payload.get("stances") or {}).get(country, "")
        return [make("stance", payload["item"], country, label, was)]
    # An alert: every story behind the stance it announced, as they are judged now, within the topic's window.
    wrong = payload.get("to") or ""
    stories = [e for e in store.evidence(topic.id, country, since=now - topic.shifts.window) if e.label == wrong]
    if not stories:
        raise ReviewError(f"no story of the last {topic.shifts.window.days} days is read as {wrong} any more")
    return [make("stance", e.item_id, country, label, wrong) for e in stories if label != wrong]


def mute_for_press(message: OutboxRow, *, value: str, analyst: Analyst, now: datetime) -> Mute:
    """The mute one choice of the 'Mute' menu under `message` asks for ("BRA|7d": Brazil on this topic; "|7d": the topic)."""
    country, _, span = value.partition("|")
    duration = parse_duration(span) or DEFAULT_MUTE
    return Mute(message.topic_id or "", country, now + duration, analyst.id, analyst.name)


def affected(store: Store, corrections: list[Correction]) -> list[tuple[str, str]]:
    """The (topic, country) pairs whose evidence these corrections change."""
    pairs: dict[tuple[str, str], None] = {}
    for c in corrections:
        if c.kind == "stance":
            pairs[(c.topic_id, c.country)] = None
        else:
            for country in store.stances_of_cluster(c.topic_id, c.cluster_id):
                pairs[(c.topic_id, country)] = None
    return list(pairs)


def apply_request(store: Store, request: str, rules: Rules, gaz: Gazetteer, *, now: datetime) -> list[Outcome]:
    """Recompute the positions one request's corrections touch; record moves and queue their thread replies, once."""
    corrections = [c for c in store.corrections(request=request) if c.topic_id in {t.id for t in rules.topics}]
    if not corrections or all(c.applied_at for c in corrections):
        return []
    outcomes, positions, changes, messages = [], [], [], []
    first = corrections[0]
    for topic_id, country in affected(store, corrections):
        topic = rules.topic(topic_id)
        stored = store.position(topic_id, country)
        before = replay(topic_id, country, store.evidence(topic_id, country, since=HISTORY, without_request=request),
                        params=topic.shifts).state
        after = replay(topic_id, country, store.evidence(topic_id, country, since=HISTORY), params=topic.shifts).state
        stories = len({c.cluster_id for c in corrections if c.kind == "topic" or c.country == country})
        if before == after:
            outcomes.append(Outcome(topic_id, country, stored.state, stored.state, stories))
            continue
        reply = _reply(store, first, stored, topic_name=topic.name, country_name=gaz.country_name(country), after=after,
                       stories=stories, off_topic=first.kind == "topic")
        positions.append(Position(topic_id, country, after, now, now, stored.alert_id))
        changes.append(PositionChange(topic_id, country, stored.state, after, now, reply.id if reply else None))  # type: ignore[arg-type]
        messages += [reply] if reply else []
        outcomes.append(Outcome(topic_id, country, stored.state, after, stories, reply.id if reply else None))
    store.settle_corrections(request, positions=positions, changes=changes, messages=messages, now=now)
    return outcomes


def _reply(store: Store, correction: Correction, stored: Position, *, topic_name: str, country_name: str,
           after: str | None, stories: int, off_topic: bool) -> OutboxRow | None:
    """The thread reply: under the alert that announced the old stance, else under the message pressed; else none."""
    parent = None
    for candidate in (stored.alert_id, correction.message_id):
        row = store.message(candidate) if candidate else None
        if row is not None and row.status in THREADABLE:
            parent = row
            break
    if parent is None:
        return None  # no thread to answer in: the analyst's own confirmation says it all, no new top-level post
    return correction_message(message_id=f"correction:{correction.request}:{stored.topic_id}:{stored.country}",
                              parent_id=parent.id, topic_id=stored.topic_id, topic_name=topic_name, channel=parent.channel,
                              country=stored.country, country_name=country_name, before=stored.state, after=after,
                              stories=stories, user_name=correction.user_name, off_topic=off_topic)


def apply_pending(store: Store, rules: Rules, gaz: Gazetteer, *, now: datetime) -> list[Outcome]:
    """Apply every recorded correction not yet applied (a handler that could not take the lock, a crash), oldest first."""
    outcomes: list[Outcome] = []
    for request in dict.fromkeys(c.request for c in store.corrections(pending=True)):
        outcomes += apply_request(store, request, rules, gaz, now=now)
        store.mark_applied(request, now=now)  # also a request whose topic left the rules: nothing more to do
    return outcomes


def describe(outcomes: list[Outcome], gaz: Gazetteer, rules: Rules) -> str:
    """The analyst's confirmation of what a correction did, in one or a few lines (mrkdwn)."""
    from bot.deliver.messages import escape_mrkdwn

    if not outcomes:
        return "Recorded; no settled stance depended on it."
    lines = []
    for o in outcomes:
        name, topic = escape_mrkdwn(gaz.country_name(o.country)), escape_mrkdwn(rules.topic(o.topic_id).name)
        if o.changed:
            where = " A correction is posted in the alert's thread." if o.reply_id else ""
            lines.append(f"{name} is now *{o.after or 'without a settled stance'}* on {topic} (was {o.before or 'unsettled'}).{where}")
        else:
            lines.append(f"Recorded for {name} on {topic}: the settled stance stays {o.before or 'unsettled'} "
                         f"(other stories still carry it).")
    return "\n".join(lines)

"""Delivering due outbox messages through a notifier; every outcome is recorded, nothing raises."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.deliver.mutes import MUTABLE_KINDS, muted_by
from bot.deliver.outbox import Notifier, OutboxRow
from bot.deliver.slack import error_text
from bot.store import Store

log = logging.getLogger(__name__)

RETRY_BASE = timedelta(seconds=30)
RETRY_MAX = timedelta(hours=1)
HOLD_MAX = timedelta(minutes=15)  # a rejected token is tried again at least this often
LONGEST_WAIT = RETRY_MAX * 1.3  # no retry is scheduled further ahead (backoff jitter included)
DELIVERY_BUDGET_S = 120.0
HOLD_KEY = "slack_hold"
# Errors of the history check that no retry will change: resend rather than hold the message forever.
UNCHECKABLE = {"missing_scope", "not_in_channel", "channel_not_found", "not_allowed_token_type", "is_archived"}


def _look_for(store: Store, notifier: Notifier, message: OutboxRow, *, now: datetime) -> str:
    """Whether a message left 'sending' (a crash, a lost answer) reached its channel: "found", "absent" or "unknown"."""
    created = message.created_at or store.created_at(message.id) or now
    try:
        ts = notifier.find_delivered(message, oldest=created - timedelta(minutes=5))
    except SlackApiError as exc:
        if error_text(exc) in UNCHECKABLE:  # it will never be possible to look: better twice than never
            log.warning("cannot check %s for message %s before resending it (%s); resending", message.channel, message.id,
                        error_text(exc))
            return "absent"
        return "unknown"
    except (SlackClientError, OSError) as exc:
        log.warning("cannot check %s for message %s yet (%s); not resending it blindly", message.channel, message.id,
                    error_text(exc))
        return "unknown"
    if ts:
        log.info("message %s had reached %s; recorded it without resending", message.id, message.channel)
        store.mark_message(message.id, status="sent", now=now, ts=ts)
        return "found"
    return "absent"


def _attach_chart(store: Store, notifier: Notifier, message: OutboxRow) -> OutboxRow:
    """Upload the digest's chart once and put it in the message as an image block."""
    stored = store.get_file(message.payload["chart"])
    if stored is None:
        return message
    name, content = stored
    try:
        file_id = notifier.upload(name, content, title="Stance timeline, last 14 days")
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.warning("cannot upload the digest chart to %s (%s); sending the digest without it", message.channel,
                    error_text(exc))
        return message
    alt = message.payload.get("chart_alt") or "Stance timeline, last 14 days"  # what the chart shows, for screen readers
    image = {"type": "image", "alt_text": alt, "title": {"type": "plain_text", "text": "Stance timeline"}}
    image.update({"image_url": file_id} if file_id.startswith("/") else {"slack_file": {"id": file_id}})
    payload, blocks = {**message.payload, "file_id": file_id}, [*message.blocks[:2], image, *message.blocks[2:]]
    store.update_payload(message.id, payload, blocks)  # a retry reuses this upload
    return OutboxRow(**{**message.__dict__, "payload": payload, "blocks": blocks})


@dataclass
class Hold:
    """Delivery paused for every message in this process: a rejected token, or a long rate limit.

    A new process starts without one, so restarting with a fixed token delivers what was held at once.
    """

    reason: str | None = None
    until: datetime | None = None
    tries: int = 0

    def active(self, now: datetime) -> bool:
        return self.until is not None and now < self.until

    def extend(self, reason: str, *, now: datetime, wait: timedelta | None = None) -> datetime:
        self.tries += 1
        self.reason = reason
        self.until = now + (wait if wait is not None else min(RETRY_BASE * 2 ** min(self.tries - 1, 6), HOLD_MAX))
        return self.until


def deliver_due(store: Store, notifier: Notifier, *, now: datetime, rng: random.Random | None = None, limit: int = 100,
                hold: Hold | None = None, budget_s: float = DELIVERY_BUDGET_S,
                clock: Callable[[], float] = time.monotonic) -> dict[str, int]:
    """Send due outbox messages, oldest first, each at most once; record every outcome. Returns counts by outcome.

    Stops after `budget_s` of wall time (a Slack that never answers must not hold the run), while a hold is active,
    and at the first rejected token or long rate limit; what is left stays due for the next run.
    """
    rng = rng or random.Random()
    hold = hold if hold is not None else Hold()
    counts = {"sent": 0, "failed": 0, "retry": 0, "held": 0, "recovered": 0, "deferred": 0, "muted": 0}
    if hold.active(now):
        counts["held"] = store.count_due(now=now)
        return counts
    started = clock()
    mutes = store.mutes(now=now)
    due = store.due_messages(now=now, latest=now + LONGEST_WAIT, limit=limit)
    for n, message in enumerate(due):
        if clock() - started > budget_s:
            counts["deferred"] = len(due) - n
            log.warning("Slack delivery took over %.0fs; %d messages wait for the next run", budget_s, len(due) - n)
            break
        if message.status == "sending":
            seen = _look_for(store, notifier, message, now=now)
            if seen == "found":
                counts["recovered"] += 1
                continue
            if seen == "unknown":
                store.mark_message(message.id, status="sending", now=now, error=message.last_error, retry_at=now + RETRY_BASE)
                counts["retry"] += 1
                continue
        mute = muted_by(message, mutes, now=now)
        parent = store.message(message.parent_id) if message.parent_id else None
        if mute is not None or (parent is not None and parent.status == "muted" and message.kind in MUTABLE_KINDS):
            # Recorded, never sent: also not once the mute ends (no storm of stale alerts).
            why = f"muted until {mute.until.isoformat(timespec='minutes')} by {mute.user_name or mute.user_id or 'an analyst'}" \
                if mute else "its thread's alert was muted"
            store.mark_message(message.id, status="muted", now=now, error=why, count_attempt=False)
            counts["muted"] += 1
            continue
        thread_ts = None
        if message.parent_id:
            if parent is not None and parent.status in ("pending", "sending"):
                # A thread reply waits for its parent's ts.
                store.mark_message(message.id, status="pending", now=now, retry_at=now + RETRY_BASE, error=message.last_error)
                continue
            thread_ts = parent.ts if parent is not None and parent.status in ("sent", "printed") else None
        if message.kind == "digest" and (message.payload or {}).get("chart") and not message.payload.get("file_id"):
            message = _attach_chart(store, notifier, message)
        if not store.claim_message(message, now=now):
            continue  # another process claimed it since we read it
        result = notifier.send(message, thread_ts=thread_ts)
        if not result.ok and result.error == "invalid_blocks" and (message.payload or {}).get("file_id"):
            # The chart is what Slack refused: send the digest without it rather than not at all.
            log.warning("Slack refused the digest chart for %s; sending the digest without it", message.channel)
            message = OutboxRow(**{**message.__dict__, "blocks": [b for b in message.blocks if b.get("type") != "image"]})
            result = notifier.send(message, thread_ts=thread_ts)
        if result.ok:
            store.mark_message(message.id, status="printed" if notifier.printed else "sent", now=now, ts=result.ts)
            counts["sent"] += 1
            if hold.reason or store.get_state(HOLD_KEY):
                log.warning("Slack accepts the bot token again; delivering the held messages")
                store.set_state(HOLD_KEY, None, now=now)
                hold.reason, hold.until, hold.tries = None, None, 0
            continue
        if result.scope == "channel":
            log.error("Slack refused message %s for channel %s: %s (kept in the outbox as failed)", message.id, message.channel,
                      result.error)
            store.mark_message(message.id, status="failed", now=now, error=result.error)
            counts["failed"] += 1
            continue
        if result.scope in ("workspace", "rate_limited"):
            # Every other message would fail the same way: hold them all, without blaming this one.
            wait = timedelta(seconds=min(result.retry_after_s or 60, RETRY_MAX.total_seconds())) \
                if result.scope == "rate_limited" else None
            until = hold.extend(result.error or result.scope, now=now, wait=wait)
            store.mark_message(message.id, status="pending", now=now, error=result.error, retry_at=now, count_attempt=False)
            if store.get_state(HOLD_KEY) != result.error:
                if result.scope == "workspace":
                    log.error("Slack rejected the bot token (%s): check SLACK_BOT_TOKEN; holding every message until it works "
                              "(next try at %s)", result.error, until.isoformat())
                else:
                    log.warning("Slack rate-limited delivery; the outbox waits until %s", until.isoformat())
                store.set_state(HOLD_KEY, result.error, now=now)
            counts["held"] += len(due) - n
            break
        delay = min(RETRY_BASE * (2 ** min(message.attempts, 8)), RETRY_MAX) * rng.uniform(1.0, 1.25)
        # An unknown outcome stays 'sending': the next attempt looks in the channel before posting again.
        status = "sending" if result.scope == "unknown" else "pending"
        store.mark_message(message.id, status=status, now=now, error=result.error, retry_at=now + delay)
        log.warning("Slack delivery to %s failed (%s)%s; next attempt at %s", message.channel, result.error,
                    ", it may have been posted" if status == "sending" else "", (now + delay).isoformat())
        counts["retry"] += 1
    return counts

"""Delivering due outbox messages through a notifier; every outcome is recorded, nothing raises."""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.deliver.outbox import Notifier, OutboxRow
from bot.deliver.slack import error_text
from bot.store import Store

log = logging.getLogger(__name__)

RETRY_BASE = timedelta(seconds=30)
RETRY_MAX = timedelta(hours=1)
HOLD_KEY = "slack_hold"


def _already_delivered(store: Store, notifier: Notifier, message: OutboxRow, *, now: datetime) -> bool:
    """After a crash between posting and recording: look for the message in the channel before resending it."""
    created = store.created_at(message.id) or now
    try:
        ts = notifier.find_delivered(message, oldest=created - timedelta(minutes=5))
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.warning("cannot check %s for message %s before resending it (%s); resending", message.channel, message.id,
                    error_text(exc))
        return False
    if ts:
        log.info("message %s had reached %s before a restart; recorded it without resending", message.id, message.channel)
        store.mark_message(message.id, status="sent", now=now, ts=ts)
        return True
    return False


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
    image = {"type": "image", "alt_text": "Stance timeline, last 14 days", "title": {"type": "plain_text", "text": "Stance timeline"}}
    image.update({"image_url": file_id} if file_id.startswith("/") else {"slack_file": {"id": file_id}})
    payload, blocks = {**message.payload, "file_id": file_id}, [*message.blocks[:2], image, *message.blocks[2:]]
    store.update_payload(message.id, payload, blocks)  # a retry reuses this upload
    return OutboxRow(**{**message.__dict__, "payload": payload, "blocks": blocks})


def deliver_due(store: Store, notifier: Notifier, *, now: datetime, rng: random.Random | None = None, limit: int = 100) -> dict[str, int]:
    """Send every due outbox message once; record each outcome. Returns counts by outcome."""
    rng = rng or random.Random()
    counts = {"sent": 0, "failed": 0, "retry": 0, "held": 0, "recovered": 0}
    for message in store.due_messages(now=now, limit=limit):
        if message.status == "sending" and _already_delivered(store, notifier, message, now=now):
            counts["recovered"] += 1
            continue
        thread_ts = None
        if message.parent_id:
            parent = store.message(message.parent_id)
            if parent is not None and parent.status in ("pending", "sending"):
                # A thread reply waits for its parent's ts.
                store.mark_message(message.id, status="pending", now=now, retry_at=now + RETRY_BASE, error=message.last_error)
                continue
            thread_ts = parent.ts if parent is not None and parent.status in ("sent", "printed") else None
        if message.kind == "digest" and (message.payload or {}).get("chart") and not message.payload.get("file_id"):
            message = _attach_chart(store, notifier, message)
        store.mark_message(message.id, status="sending", now=now)
        result = notifier.send(message, thread_ts=thread_ts)
        if not result.ok and result.error == "invalid_blocks" and (message.payload or {}).get("file_id"):
            # The chart is what Slack refused: send the digest without it rather than not at all.
            log.warning("Slack refused the digest chart for %s; sending the digest without it", message.channel)
            message = OutboxRow(**{**message.__dict__, "blocks": [b for b in message.blocks if b.get("type") != "image"]})
            result = notifier.send(message, thread_ts=thread_ts)
        if result.ok:
            store.mark_message(message.id, status="printed" if notifier.printed else "sent", now=now, ts=result.ts)
            counts["sent"] += 1
            if store.get_state(HOLD_KEY):
                log.warning("Slack accepts the bot token again; delivering the held messages")
                store.set_state(HOLD_KEY, None, now=now)
            continue
        if result.scope == "channel":
            log.error("Slack refused message %s for channel %s: %s (kept in the outbox as failed)", message.id, message.channel, result.error)
            store.mark_message(message.id, status="failed", now=now, error=result.error)
            counts["failed"] += 1
            continue
        delay = min(RETRY_BASE * (2 ** min(message.attempts, 8)), RETRY_MAX) * rng.uniform(1.0, 1.25)
        store.mark_message(message.id, status="pending", now=now, error=result.error, retry_at=now + delay)
        if result.scope == "workspace":
            # Every other message would fail the same way: hold them all until the token works.
            if store.get_state(HOLD_KEY) != result.error:
                log.error("Slack rejected the bot token (%s): check SLACK_BOT_TOKEN; holding every message until it works "
                          "(next try at %s)", result.error, (now + delay).isoformat())
                store.set_state(HOLD_KEY, result.error, now=now)
            counts["held"] += 1
            break
        log.warning("Slack delivery to %s failed (%s); retrying at %s", message.channel, result.error, (now + delay).isoformat())
        counts["retry"] += 1
    return counts

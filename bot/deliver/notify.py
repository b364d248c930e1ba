"""Delivering outbox messages to Slack (or the terminal); deliveries never raise."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import tempfile
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.store import OutboxRow, Store

log = logging.getLogger(__name__)

WORKSPACE_ERRORS = {"invalid_auth", "not_authed", "token_revoked", "account_inactive", "token_expired", "missing_scope"}
CHANNEL_ERRORS = {"channel_not_found", "not_in_channel", "is_archived", "msg_too_long", "invalid_blocks", "no_text", "too_many_attachments"}
RETRY_BASE = timedelta(seconds=30)
HOLD_KEY = "slack_hold"
RETRY_MAX = timedelta(hours=1)


@dataclass(frozen=True)
class Delivery:
    """What happened to one message: sent with a ts, or an error and how to treat it."""

    ok: bool
    ts: str | None = None
    error: str | None = None
    scope: str = ""  # "", "channel" (permanent for this message), "workspace" (hold everything), "retry"


def error_text(exc: Exception) -> str:
    """Slack's error code for an API refusal ("channel_not_found"), else the exception in one line."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
    return f"{type(exc).__name__}: {exc}"


class Notifier(Protocol):
    def send(self, message: OutboxRow, *, thread_ts: str | None = None) -> Delivery: ...


def make_slack_client(token: str, base_url: str) -> WebClient:
    """A WebClient that retries rate limits and connection resets."""
    return WebClient(token=token, base_url=base_url, timeout=30, retry_handlers=[
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=2),
    ])


class SlackNotifier:
    """Posts messages with chat.postMessage; the alert id travels in message metadata."""

    printed = False

    def __init__(self, client: WebClient):
        self.client = client
        self._channel_ids: dict[str, str] = {}

    def find_delivered(self, message: OutboxRow, *, oldest: datetime) -> str | None:
        """The ts of `message` if it already reached its channel (a crash hit between send and record)."""
        channel = self._channel_id(message.channel)
        cursor = None
        for _ in range(10):
            response = self.client.conversations_history(channel=channel, oldest=f"{oldest.timestamp():.6f}", limit=200,
                                                         include_all_metadata=True, cursor=cursor)
            for item in response.get("messages") or []:
                payload = (item.get("metadata") or {}).get("event_payload") or {}
                if payload.get("id") == message.id:
                    return item.get("ts")
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def _channel_id(self, channel: str) -> str:
        if not channel.startswith("#"):
            return channel
        name = channel[1:]
        if name not in self._channel_ids:
            cursor = None
            for _ in range(50):
                response = self.client.conversations_list(types="public_channel,private_channel", limit=1000,
                                                          exclude_archived=True, cursor=cursor)
                for c in response.get("channels") or []:
                    self._channel_ids[c["name"]] = c["id"]
                cursor = (response.get("response_metadata") or {}).get("next_cursor")
                if name in self._channel_ids or not cursor:
                    break
        return self._channel_ids.get(name, channel)

    def send(self, message: OutboxRow, *, thread_ts: str | None = None) -> Delivery:
        try:
            response = self.client.chat_postMessage(
                channel=message.channel, text=message.text, blocks=message.blocks or None,
                unfurl_links=False, unfurl_media=False, thread_ts=thread_ts,
                metadata={"event_type": "stancebot_message", "event_payload": {"id": message.id, "kind": message.kind}},
            )
        except SlackApiError as exc:
            error = self._redact(error_text(exc))
            if error in WORKSPACE_ERRORS:
                return Delivery(False, error=error, scope="workspace")
            if error in CHANNEL_ERRORS:
                return Delivery(False, error=error, scope="channel")
            return Delivery(False, error=error, scope="retry")
        except (SlackClientError, OSError) as exc:
            return Delivery(False, error=self._redact(error_text(exc))[:300], scope="retry")
        return Delivery(True, ts=response.get("ts"))

    def upload(self, name: str, content: bytes, *, title: str) -> str:
        """Upload a file (the digest chart) and return its id; raises SlackApiError on refusal."""
        response = self.client.files_upload_v2(content=content, filename=name, title=title, alt_txt=title)
        file = response.get("file") or (response.get("files") or [{}])[0]
        return file["id"]

    def _redact(self, text: str) -> str:
        token = self.client.token or ""
        return text.replace(token, "***") if token else text


class TerminalNotifier:
    """Prints what Slack would have received; used when no token is configured."""

    printed = True

    def __init__(self, console: Console | None = None, chart_dir: Path | None = None):
        self.console = console or Console()
        self.chart_dir = chart_dir or Path(tempfile.gettempdir()) / "stancebot-charts"

    def upload(self, name: str, content: bytes, *, title: str) -> str:
        self.chart_dir.mkdir(parents=True, exist_ok=True)
        path = self.chart_dir / name
        path.write_bytes(content)
        return str(path)

    def send(self, message: OutboxRow, *, thread_ts: str | None = None) -> Delivery:
        where = f"Slack {message.channel}" + (" · in thread" if thread_ts else "")
        style = {"shift": "magenta", "followup": "dim", "digest": "green"}.get(message.kind, "cyan")
        self.console.print(Panel(render_blocks(message.blocks) or message.text, title=where,
                                 subtitle=message.kind, border_style=style, expand=False, width=100))
        return Delivery(True, ts="terminal")


def render_blocks(blocks: list[dict]) -> str:
    """Block Kit as readable terminal text (rich markup escaped)."""
    from rich.markup import escape

    lines = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"[bold]{escape(block['text']['text'])}[/bold]")
        elif kind == "section":
            lines.append(escape(_unslack(block.get("text", {}).get("text", ""))))
            for field in block.get("fields") or []:
                lines.append(escape(_unslack(field.get("text", ""))))
        elif kind == "context":
            lines.append("[dim]" + escape(" ".join(_unslack(e.get("text", "")) for e in block.get("elements", []))) + "[/dim]")
        elif kind == "divider":
            lines.append("─" * 40)
        elif kind == "image":
            where = (block.get("slack_file") or {}).get("id") or block.get("image_url", "")
            lines.append(f"[chart: {escape(block.get('alt_text', ''))} → {escape(where)}]")
    return "\n".join(lines)


def _unslack(text: str) -> str:
    import re

    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _already_delivered(store: Store, notifier: Notifier, message: OutboxRow, *, now: datetime) -> bool:
    """After a crash between posting and recording: look for the message in the channel before resending it."""
    finder = getattr(notifier, "find_delivered", None)
    if finder is None:
        return False
    created = store.created_at(message.id) or now
    try:
        ts = finder(message, oldest=created - timedelta(minutes=5))
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
    upload = getattr(notifier, "upload", None)
    if stored is None or upload is None:
        return message
    name, content = stored
    try:
        file_id = upload(name, content, title="Stance timeline, last 14 days")
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

"""Slack as a notifier: chat.postMessage with the alert id in message metadata, files_upload_v2 for charts."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.deliver.outbox import Delivery, OutboxRow

WORKSPACE_ERRORS = {"invalid_auth", "not_authed", "token_revoked", "account_inactive", "token_expired", "missing_scope"}
CHANNEL_ERRORS = {"channel_not_found", "not_in_channel", "is_archived", "msg_too_long", "invalid_blocks", "no_text", "too_many_attachments"}


def error_text(exc: Exception) -> str:
    """Slack's error code for an API refusal ("channel_not_found"), else the exception in one line."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
    return f"{type(exc).__name__}: {exc}"


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

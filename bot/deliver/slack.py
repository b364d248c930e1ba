"""Slack as a notifier: chat.postMessage with the alert id in message metadata, files_upload_v2 for charts."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from datetime import datetime
from http.client import IncompleteRead, RemoteDisconnected
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.deliver.outbox import Delivery, OutboxRow

RETRY_AFTER_CAP_S = 5.0  # a rate limit asking for longer waits in the outbox; the run goes on
REQUEST_TIMEOUT_S = 15
# Errors raised before a request could reach Slack: resending cannot post twice.
NOT_SENT = (ConnectionRefusedError, socket.gaierror)

WORKSPACE_ERRORS = {"invalid_auth", "not_authed", "token_revoked", "account_inactive", "token_expired", "missing_scope"}
CHANNEL_ERRORS = {"channel_not_found", "not_in_channel", "is_archived", "msg_too_long", "invalid_blocks", "no_text", "too_many_attachments"}


def error_text(exc: Exception) -> str:
    """Slack's error code for an API refusal ("channel_not_found"), else the exception in one line."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
    return f"{type(exc).__name__}: {exc}"


class ShortRateLimitRetry(RetryHandler):
    """Retries an HTTP 429 once, and only when Slack asks for a short wait.

    slack-sdk's own handler sleeps whatever Retry-After says, twice (an hour's wait blocked every feed for
    two). A longer wait is returned as the error, and the message waits in the outbox instead.
    """

    def __init__(self, *, max_wait_s: float = RETRY_AFTER_CAP_S, sleep: Callable[[float], None] = time.sleep):
        super().__init__(max_retry_count=1)
        self.max_wait_s = max_wait_s
        self.sleep = sleep

    def _can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                   error: Exception | None = None) -> bool:
        wait = retry_after_header(response)
        return response is not None and response.status_code == 429 and wait is not None and wait <= self.max_wait_s

    def prepare_for_next_attempt(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                                 error: Exception | None = None) -> None:
        state.next_attempt_requested = True
        self.sleep(retry_after_header(response) or 1.0)
        state.increment_current_attempt()


def retry_after_header(response) -> float | None:
    """Retry-After (seconds) from a slack-sdk HttpResponse or SlackResponse, or None."""
    if response is None:
        return None
    headers = getattr(response, "headers", None) or {}
    for key, value in headers.items():
        if key.lower() == "retry-after":
            text = value[0] if isinstance(value, list) else value
            return float(text) if str(text).strip().replace(".", "", 1).isdigit() else None
    return None


def make_slack_client(token: str, base_url: str, *, sleep: Callable[[float], None] = time.sleep,
                      timeout_s: int | float = REQUEST_TIMEOUT_S) -> WebClient:
    """A WebClient that retries short rate limits only; it never re-sends a request whose answer was lost."""
    return WebClient(token=token, base_url=base_url, timeout=timeout_s,  # type: ignore[arg-type]
                     retry_handlers=[ShortRateLimitRetry(sleep=sleep)])


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
            if exc.response.status_code == 429:
                return Delivery(False, error="rate_limited", scope="rate_limited", retry_after_s=retry_after_header(exc.response))
            if error in WORKSPACE_ERRORS:
                return Delivery(False, error=error, scope="workspace")
            if error in CHANNEL_ERRORS:
                return Delivery(False, error=error, scope="channel")
            return Delivery(False, error=error, scope="retry")
        except (SlackClientError, OSError, IncompleteRead) as exc:
            # Unless the connection was never made, Slack may have posted it: the outcome is unknown.
            scope = "retry" if _never_sent(exc) else "unknown"
            return Delivery(False, error=self._redact(error_text(exc))[:300], scope=scope)
        return Delivery(True, ts=response.get("ts"))

    def upload(self, name: str, content: bytes, *, title: str) -> str:
        """Upload a file (the digest chart) and return its id; raises SlackApiError on refusal."""
        response = self.client.files_upload_v2(content=content, filename=name, title=title, alt_txt=title)
        file = response.get("file") or (response.get("files") or [{}])[0]
        return file["id"]

    def _redact(self, text: str) -> str:
        token = self.client.token or ""
        return text.replace(token, "***") if token else text


def _never_sent(exc: BaseException) -> bool:
    """Whether an error happened before the request could reach Slack (refused, unresolvable)."""
    reason = exc.reason if isinstance(exc, URLError) else exc
    if isinstance(reason, (RemoteDisconnected, ConnectionResetError, TimeoutError, socket.timeout, IncompleteRead)):
        return False
    return isinstance(reason, NOT_SENT)

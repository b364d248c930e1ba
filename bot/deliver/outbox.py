"""What delivery hands around: an outbox message, the outcome of sending it, and what a notifier must do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

STATUSES = ("pending", "sending", "sent", "printed", "failed", "muted")


@dataclass(frozen=True)
class OutboxRow:
    """A message waiting for (or past) delivery."""

    id: str
    kind: str
    topic_id: str | None
    channel: str
    text: str
    blocks: list[dict]
    status: str
    ts: str | None = None
    attempts: int = 0
    last_error: str | None = None
    parent_id: str | None = None
    payload: dict | None = None
    claim: int = 0  # how many times delivery has claimed it (compare-and-set between processes)
    created_at: datetime | None = None


@dataclass(frozen=True)
class Delivery:
    """What happened to one message: sent with a ts, or an error and how to treat it."""

    ok: bool
    ts: str | None = None
    error: str | None = None
    # "", "channel" (permanent for this message), "workspace" (hold everything), "retry" (not posted: try again),
    # "unknown" (may have been posted: look before resending), "rate_limited" (wait retry_after_s)
    scope: str = ""
    retry_after_s: float | None = None


class Notifier(Protocol):
    """Where messages go: Slack, or the terminal when no token is set."""

    printed: bool  # True when messages are shown locally rather than delivered

    def send(self, message: OutboxRow, *, thread_ts: str | None = None) -> Delivery:
        """Post one message; never raises."""
        ...

    def find_delivered(self, message: OutboxRow, *, oldest: datetime) -> str | None:
        """The ts of `message` if it already reached its channel, else None; may raise the client's errors."""
        ...

    def upload(self, name: str, content: bytes, *, title: str) -> str:
        """Store a file (the digest chart) and return its id or path; may raise the client's errors."""
        ...

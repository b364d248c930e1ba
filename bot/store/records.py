"""What the store's reads return, beyond the stage types (Item, FeedState, Position, OutboxRow ...)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FeedRecord:
    """A feed's row: its HTTP validators, schedule and health."""

    name: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    next_poll_at: datetime | None = None
    last_polled_at: datetime | None = None
    last_success_at: datetime | None = None
    failures: int = 0
    last_error: str | None = None
    items_seen: int = 0
    failing_since: datetime | None = None
    alerted_at: datetime | None = None
    last_problem: str | None = None  # what the last successful poll left out or salvaged (a cut, a malformed entry)


@dataclass(frozen=True)
class StoredItem:
    """Where a stored item sits: its feed, story cluster and time (not its text)."""

    id: str
    feed: str
    cluster_id: str
    published: datetime
    processed: bool
    lang: str | None = None  # the language it was detected in, once processed


@dataclass(frozen=True)
class MatchRecord:
    """How one item related to one topic, as recorded."""

    item_id: str
    topic_id: str
    score: float
    matched: bool
    reason: str
    created_at: datetime | None = None

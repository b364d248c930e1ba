"""Polite feed fetching over HTTP: timeouts, conditional GET, size limits, backoff."""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Callable, Iterable
from urllib.parse import urlsplit

import httpx

from bot.rules import Feed

MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_BACKOFF = timedelta(hours=6)
PER_HOST_LIMIT = 2


@dataclass(frozen=True)
class FeedState:
    """What we remember about a feed between polls."""

    name: str
    etag: str | None = None
    last_modified: str | None = None
    next_poll_at: datetime | None = None
    last_success_at: datetime | None = None
    failures: int = 0
    last_error: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """The outcome of one HTTP poll; `error` is set when nothing usable came back."""

    feed: str
    status: int | None
    body: bytes = b""
    headers: dict[str, str] | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    retry_after_s: float | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def make_client(user_agent: str, *, timeout_s: float = 20.0, connect_s: float = 10.0) -> httpx.Client:
    """An httpx client with explicit timeouts, a redirect limit and an identifying User-Agent."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout_s, connect=connect_s),
        follow_redirects=True,
        max_redirects=5,
        headers={"User-Agent": user_agent, "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"},
        limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
    )


def fetch_feed(client: httpx.Client, feed: Feed, state: FeedState, *, max_bytes: int = MAX_BODY_BYTES) -> FetchResult:
    """GET a feed with conditional headers; never raises, errors are in the result."""
    headers = dict(feed.headers)
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    try:
        with client.stream("GET", feed.url, headers=headers) as response:
            if response.status_code == 304:
                return FetchResult(feed.name, 304, etag=state.etag, last_modified=state.last_modified)
            if response.status_code >= 400:
                return FetchResult(
                    feed.name, response.status_code, error=f"HTTP {response.status_code} from {feed.url}",
                    retry_after_s=_retry_after(response.headers.get("Retry-After")),
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                return FetchResult(feed.name, response.status_code, error=f"feed body too large ({declared} bytes > {max_bytes})")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    return FetchResult(feed.name, response.status_code, error=f"feed body too large (over {max_bytes} bytes)")
                chunks.append(chunk)
            return FetchResult(
                feed.name, response.status_code, b"".join(chunks), dict(response.headers),
                etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"),
            )
    except httpx.TooManyRedirects:
        return FetchResult(feed.name, None, error=f"too many redirects from {feed.url}")
    except httpx.TimeoutException as exc:
        return FetchResult(feed.name, None, error=f"timed out fetching {feed.url} ({type(exc).__name__})")
    except httpx.HTTPError as exc:
        return FetchResult(feed.name, None, error=f"cannot fetch {feed.url}: {type(exc).__name__}: {exc}"[:300])


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(when.tzinfo)).total_seconds()) if when else None


def next_state(feed: Feed, state: FeedState, result: FetchResult, *, now: datetime, rng: random.Random) -> FeedState:
    """The feed state after a poll: next due time with backoff and jitter on failure."""
    interval = timedelta(seconds=feed.interval_s)
    if result.error is None:
        return FeedState(
            feed.name, result.etag or state.etag if result.not_modified else result.etag,
            result.last_modified or state.last_modified if result.not_modified else result.last_modified,
            now + interval, now, 0, None,
        )
    failures = state.failures + 1
    backoff = min(interval * (2 ** min(failures - 1, 10)), MAX_BACKOFF)
    if result.retry_after_s is not None:
        backoff = max(backoff, timedelta(seconds=min(result.retry_after_s, MAX_BACKOFF.total_seconds())))
    jitter = backoff * rng.uniform(0, 0.2)
    return FeedState(
        feed.name, state.etag, state.last_modified, now + backoff + jitter,
        state.last_success_at, failures, result.error,
    )


def is_due(state: FeedState, now: datetime) -> bool:
    return state.next_poll_at is None or state.next_poll_at <= now


def fetch_many(
    client: httpx.Client, jobs: Iterable[tuple[Feed, FeedState]], *, workers: int = 8,
    per_host: int = PER_HOST_LIMIT, fetch: Callable[[httpx.Client, Feed, FeedState], FetchResult] = fetch_feed,
) -> list[tuple[Feed, FeedState, FetchResult]]:
    """Fetch feeds concurrently, never more than `per_host` at once against one host."""
    jobs = list(jobs)
    locks: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(per_host))
    for feed, _ in jobs:
        locks[urlsplit(feed.url).netloc.lower()]

    def one(job: tuple[Feed, FeedState]) -> tuple[Feed, FeedState, FetchResult]:
        feed, state = job
        with locks[urlsplit(feed.url).netloc.lower()]:
            return feed, state, fetch(client, feed, state)

    if len(jobs) <= 1:
        return [one(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=min(workers, len(jobs)), thread_name_prefix="fetch") as pool:
        return list(pool.map(one, jobs))

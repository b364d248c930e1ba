"""Polite feed fetching over HTTP: timeouts, conditional GET, size limits, backoff."""

from __future__ import annotations

import ipaddress
import random
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from bot.rules import Feed

MAX_BODY_BYTES = 5 * 1024 * 1024  # after decompression, so a gzip bomb stops here too
MAX_BACKOFF = timedelta(hours=6)
PER_HOST_LIMIT = 2
MAX_REDIRECTS = 5
TOTAL_DEADLINE_S = 60.0  # a server that drips bytes slowly never resets the read timeout
METADATA_HOSTS = {"metadata.google.internal", "metadata", "instance-data"}


class BlockedURL(Exception):
    """A feed URL that points somewhere the bot must not go (SSRF guard)."""


def check_url(url: str, *, allow_private: bool, resolve=socket.getaddrinfo) -> None:
    """Refuse non-http(s) schemes, and hosts resolving to loopback, private, link-local or metadata addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedURL(f"scheme {parts.scheme!r} is not allowed (only http and https)")
    host = (parts.hostname or "").lower()
    if not host:
        raise BlockedURL("no host in URL")
    if allow_private:
        return
    if host in METADATA_HOSTS:
        raise BlockedURL(f"{host} is a cloud metadata host")
    try:
        infos = resolve(host, parts.port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise BlockedURL(f"cannot resolve {host}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
                or address.is_multicast or address.is_unspecified or str(address) == "169.254.169.254"):
            raise BlockedURL(f"{host} resolves to {address}, a private or local address "
                             "(set allow_private: true on this feed if that is intended)")


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
    failing_since: datetime | None = None


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
    retry_after: str | None = None  # the Retry-After header as sent; next_state reads it against its `now`

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def make_client(user_agent: str, *, timeout_s: float = 20.0, connect_s: float = 10.0) -> httpx.Client:
    """An httpx client with explicit timeouts, a redirect limit and an identifying User-Agent."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout_s, connect=connect_s),
        follow_redirects=False,  # followed by hand, so that every hop passes the address check
        headers={"User-Agent": user_agent, "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"},
        limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
    )


def fetch_feed(client: httpx.Client, feed: Feed, state: FeedState, *, max_bytes: int = MAX_BODY_BYTES,
               deadline_s: float = TOTAL_DEADLINE_S, resolve=socket.getaddrinfo) -> FetchResult:
    """GET a feed with conditional headers; never raises, errors are in the result."""
    headers = dict(feed.headers)
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    url = feed.url
    started = time.monotonic()
    try:
        for _ in range(MAX_REDIRECTS + 1):
            check_url(url, allow_private=feed.allow_private, resolve=resolve)
            with client.stream("GET", url, headers=headers) as response:
                if response.is_redirect and response.headers.get("Location"):
                    url = urljoin(url, response.headers["Location"])
                    continue
                return _read(feed, response, max_bytes=max_bytes, started=started, deadline_s=deadline_s, state=state)
        return FetchResult(feed.name, None, error=f"too many redirects from {feed.url} (more than {MAX_REDIRECTS})")
    except BlockedURL as exc:
        return FetchResult(feed.name, None, error=f"refused {url}: {exc}")
    except httpx.TimeoutException as exc:
        return FetchResult(feed.name, None, error=f"timed out fetching {url} ({type(exc).__name__})")
    except httpx.DecodingError as exc:
        return FetchResult(feed.name, None, error=f"undecodable response from {url}: {exc}"[:300])
    except httpx.HTTPError as exc:
        return FetchResult(feed.name, None, error=f"cannot fetch {url}: {type(exc).__name__}: {exc}"[:300])


def _read(feed: Feed, response: httpx.Response, *, max_bytes: int, started: float, deadline_s: float, state: FeedState) -> FetchResult:
    if response.status_code == 304:
        return FetchResult(feed.name, 304, etag=state.etag, last_modified=state.last_modified)
    if response.status_code >= 400:
        return FetchResult(feed.name, response.status_code, error=f"HTTP {response.status_code} from {feed.url}",
                           retry_after=response.headers.get("Retry-After"))
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return FetchResult(feed.name, response.status_code, error=f"feed body too large ({declared} bytes > {max_bytes})")
    chunks, size = [], 0
    for chunk in response.iter_bytes():  # decoded bytes: the limit holds after decompression
        size += len(chunk)
        if size > max_bytes:
            return FetchResult(feed.name, response.status_code, error=f"feed body too large (over {max_bytes} bytes once decompressed)")
        if time.monotonic() - started > deadline_s:
            return FetchResult(feed.name, response.status_code, error=f"feed took longer than {deadline_s:g}s in total (slow server)")
        chunks.append(chunk)
    return FetchResult(
        feed.name, response.status_code, b"".join(chunks), dict(response.headers),
        etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"),
    )


def retry_after_s(value: str | None, *, now: datetime) -> float | None:
    """Seconds a Retry-After header asks to wait from `now` (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def next_state(feed: Feed, state: FeedState, result: FetchResult, *, now: datetime, rng: random.Random) -> FeedState:
    """The feed state after a poll: next due time with backoff and jitter on failure."""
    interval = timedelta(seconds=feed.interval_s)
    if result.error is None:
        return FeedState(
            feed.name, result.etag or state.etag if result.not_modified else result.etag,
            result.last_modified or state.last_modified if result.not_modified else result.last_modified,
            now + interval, now, 0, None, None,
        )
    failures = state.failures + 1
    backoff = min(interval * (2 ** min(failures - 1, 10)), MAX_BACKOFF)
    wait_s = retry_after_s(result.retry_after, now=now)
    if wait_s is not None:
        backoff = max(backoff, timedelta(seconds=min(wait_s, MAX_BACKOFF.total_seconds())))
    jitter = backoff * rng.uniform(0, 0.2)
    return FeedState(
        feed.name, state.etag, state.last_modified, now + backoff + jitter,
        state.last_success_at, failures, result.error, state.failing_since or now,
    )


def is_due(state: FeedState, now: datetime) -> bool:
    return state.next_poll_at is None or state.next_poll_at <= now


def _interleave_hosts(jobs: list[tuple[Feed, FeedState]]) -> list[tuple[Feed, FeedState]]:
    """Round-robin across hosts, so workers are not all stuck waiting on one host's limit."""
    by_host: dict[str, list] = defaultdict(list)
    for job in jobs:
        by_host[urlsplit(job[0].url).netloc.lower()].append(job)
    queues = list(by_host.values())
    out = []
    for n in range(max((len(q) for q in queues), default=0)):
        out += [q[n] for q in queues if n < len(q)]
    return out


def fetch_many(
    client: httpx.Client, jobs: Iterable[tuple[Feed, FeedState]], *, workers: int = 8,
    per_host: int = PER_HOST_LIMIT, fetch: Callable[[httpx.Client, Feed, FeedState], FetchResult] = fetch_feed,
) -> list[tuple[Feed, FeedState, FetchResult]]:
    """Fetch feeds concurrently, never more than `per_host` at once against one host."""
    jobs = _interleave_hosts(list(jobs))
    locks: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(per_host))
    for feed, _ in jobs:
        locks[urlsplit(feed.url).netloc.lower()]  # created up front, not racily from the worker threads

    def one(job: tuple[Feed, FeedState]) -> tuple[Feed, FeedState, FetchResult]:
        feed, state = job
        with locks[urlsplit(feed.url).netloc.lower()]:
            return feed, state, fetch(client, feed, state)

    if len(jobs) <= 1:
        return [one(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=min(workers, len(jobs)), thread_name_prefix="fetch") as pool:
        return list(pool.map(one, jobs))

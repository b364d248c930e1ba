"""Polite feed fetching over HTTP: timeouts, conditional GET, size limits, backoff."""

from __future__ import annotations

import logging
import random
import re
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from bot.ingest.guard import BlockedURL, Policy, Resolver, guarded_transport, guarding, split_url
from bot.rules import Feed, redact_url

MAX_BODY_BYTES = 5 * 1024 * 1024  # after decompression, so a gzip bomb stops here too
MAX_BACKOFF = timedelta(hours=6)
PER_HOST_LIMIT = 2
MAX_REDIRECTS = 5
TOTAL_DEADLINE_S = 60.0  # over the whole request, headers included: a dripping server cannot hold a poll
MAX_VALIDATOR_CHARS = 512
_VALIDATOR = re.compile(r"^[\x20-\x7e]+$")  # what can be sent back in If-None-Match / If-Modified-Since

log = logging.getLogger(__name__)


def validator(value: str | None) -> str | None:
    """An ETag or Last-Modified worth keeping: printable ASCII of sane length, else None (never sent back)."""
    if value and len(value) <= MAX_VALIDATOR_CHARS and _VALIDATOR.match(value):
        return value
    return None


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


def make_client(user_agent: str, *, timeout_s: float = 20.0, connect_s: float = 10.0,
                resolve: Resolver = socket.getaddrinfo) -> httpx.Client:
    """An httpx client with explicit timeouts, an identifying User-Agent and the guarded transport.

    Redirects are followed by hand, so that every hop is checked; environment proxies are not used,
    because the guard must see the address it connects to.
    """
    return httpx.Client(
        timeout=httpx.Timeout(timeout_s, connect=connect_s), follow_redirects=False, trust_env=False,
        headers={"User-Agent": user_agent,
                 "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"},
        transport=guarded_transport(resolve=resolve),
    )


def fetch_feed(client: httpx.Client, feed: Feed, state: FeedState, *, max_bytes: int = MAX_BODY_BYTES,
               deadline_s: float = TOTAL_DEADLINE_S) -> FetchResult:
    """GET a feed with conditional headers; never raises, errors are in the result."""
    headers = dict(feed.headers)
    if validator(state.etag):
        headers["If-None-Match"] = state.etag or ""
    if validator(state.last_modified):
        headers["If-Modified-Since"] = state.last_modified or ""
    url = feed.url
    policy = Policy(allow_private=feed.allow_private, deadline=time.monotonic() + deadline_s)
    try:
        with guarding(policy):
            for _ in range(MAX_REDIRECTS + 1):
                split_url(url)
                with client.stream("GET", url, headers=headers) as response:
                    if response.is_redirect and response.headers.get("Location"):
                        url = urljoin(url, response.headers["Location"])
                        continue
                    return _read(feed, response, max_bytes=max_bytes, policy=policy, state=state)
        return FetchResult(feed.name, None, error=f"too many redirects from {feed.shown_url} (more than {MAX_REDIRECTS})")
    except BlockedURL as exc:
        return FetchResult(feed.name, None, error=f"refused {redact_url(url)}: {exc}")
    except httpx.InvalidURL as exc:  # httpx parses a redirect's Location itself, before we see it
        return FetchResult(feed.name, None, error=f"refused a redirect from {redact_url(url)}: {exc}"[:300])
    except httpx.TimeoutException as exc:
        if (policy.remaining_s() or 0) <= 0:
            return FetchResult(feed.name, None, error=f"{redact_url(url)} took longer than {deadline_s:g}s in total (slow server)")
        return FetchResult(feed.name, None, error=f"timed out fetching {redact_url(url)} ({type(exc).__name__})")
    except httpx.DecodingError as exc:
        return FetchResult(feed.name, None, error=f"undecodable response from {redact_url(url)}: {exc}"[:300])
    except (httpx.HTTPError, OSError, ValueError, OverflowError) as exc:
        # ValueError includes UnicodeError: a header value httpx cannot encode, a URL it cannot parse.
        return FetchResult(feed.name, None, error=f"cannot fetch {redact_url(url)}: {type(exc).__name__}: {exc}"[:300])


def _read(feed: Feed, response: httpx.Response, *, max_bytes: int, policy: Policy, state: FeedState) -> FetchResult:
    if response.status_code == 304:
        return FetchResult(feed.name, 304, etag=state.etag, last_modified=state.last_modified)
    if response.status_code >= 400:
        return FetchResult(feed.name, response.status_code, error=f"HTTP {response.status_code} from {feed.shown_url}",
                           retry_after=response.headers.get("Retry-After"))
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return FetchResult(feed.name, response.status_code, error=f"feed body too large ({declared} bytes > {max_bytes})")
    chunks, size = [], 0
    for chunk in response.iter_bytes():  # decoded bytes: the limit holds after decompression
        size += len(chunk)
        if size > max_bytes:
            return FetchResult(feed.name, response.status_code, error=f"feed body too large (over {max_bytes} bytes once decompressed)")
        chunks.append(chunk)
    return FetchResult(
        feed.name, response.status_code, b"".join(chunks), dict(response.headers),
        etag=validator(response.headers.get("ETag")), last_modified=validator(response.headers.get("Last-Modified")),
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


def rescheduled(feed: Feed, state: FeedState, now: datetime) -> FeedState:
    """The state with its next poll clamped to `now + interval` when it lies further ahead than the bot ever
    schedules it: the clock stepped back, and must not stop polling until it catches up."""
    if state.next_poll_at is None:
        return state
    interval = timedelta(seconds=feed.interval_s)
    longest = interval if not state.failures else max(interval, MAX_BACKOFF) * 1.25  # backoff with its jitter
    if state.next_poll_at - now <= longest:
        return state
    return replace(state, next_poll_at=now + interval)


def host_key(url: str) -> str:
    """The host a URL's requests count against (per-host politeness); the URL itself when it has none."""
    try:
        return (urlsplit(url).hostname or url).lower()
    except ValueError:
        return url


class HostLimits:
    """At most `per_host` requests at once against one host: one instance is shared by feed polling and article
    fetching, so a publisher whose feed and articles are fetched in one cycle never sees more."""

    def __init__(self, per_host: int = PER_HOST_LIMIT, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        self.per_host = per_host
        self._locks: dict[str, threading.Semaphore] = {}
        self._guard = threading.Lock()
        self._sleep, self._clock = sleep, clock
        self._next: dict[str, float] = {}  # host -> when its next paced request may start

    def pace(self, url: str, gap_s: float) -> None:
        """Wait (with the host's semaphore held) until `gap_s` after the last paced request to `url`'s host started:
        a site's robots.txt Crawl-delay."""
        if gap_s <= 0:
            return
        key = host_key(url)
        with self._guard:
            now = self._clock()
            start = max(now, self._next.get(key, now))
            self._next[key] = start + gap_s
        if start > now:
            self._sleep(start - now)

    def of(self, url: str) -> threading.Semaphore:
        """The semaphore of `url`'s host (`with limits.of(url): ...`)."""
        key = host_key(url)
        with self._guard:
            if key not in self._locks:
                self._locks[key] = threading.Semaphore(self.per_host)
            return self._locks[key]


def _interleave_hosts(jobs: list[tuple[Feed, FeedState]]) -> list[tuple[Feed, FeedState]]:
    """Round-robin across hosts, so workers are not all stuck waiting on one host's limit."""
    by_host: dict[str, list] = defaultdict(list)
    for job in jobs:
        by_host[host_key(job[0].url)].append(job)
    queues = list(by_host.values())
    out = []
    for n in range(max((len(q) for q in queues), default=0)):
        out += [q[n] for q in queues if n < len(q)]
    return out


def fetch_many(
    client: httpx.Client, jobs: Iterable[tuple[Feed, FeedState]], *, workers: int = 8,
    per_host: int = PER_HOST_LIMIT, fetch: Callable[[httpx.Client, Feed, FeedState], FetchResult] = fetch_feed,
    limits: HostLimits | None = None,
) -> list[tuple[Feed, FeedState, FetchResult]]:
    """Fetch feeds concurrently, never more than `per_host` (or `limits`') at once against one host."""
    jobs = _interleave_hosts(list(jobs))
    limits = limits or HostLimits(per_host)

    def one(job: tuple[Feed, FeedState]) -> tuple[Feed, FeedState, FetchResult]:
        feed, state = job
        with limits.of(feed.url):
            try:
                return feed, state, fetch(client, feed, state)
            except Exception as exc:  # the boundary between feeds: one feed's surprise is that feed's error
                log.exception("fetching feed %s failed unexpectedly", feed.name)
                return feed, state, FetchResult(feed.name, None, error=f"unexpected {type(exc).__name__}: {exc}"[:300])

    if len(jobs) <= 1:
        return [one(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=min(workers, len(jobs)), thread_name_prefix="fetch") as pool:
        return list(pool.map(one, jobs))

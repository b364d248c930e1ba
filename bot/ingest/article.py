"""Fetching the article behind an item, as politely and safely as a feed: robots.txt, per-host limits, the address
guard on every hop, a size cap while streaming and a total deadline.

An article link is checked like a feed URL. A feed's `allow_private` extends to its own host only: the same host
name and port as the feed URL (a link or redirect to another name, port or address is checked as public).
Feed headers (credentials) are never sent with article requests.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

import httpcore
import httpx

from bot.ingest.fetch import MAX_REDIRECTS, HostLimits
from bot.ingest.guard import BlockedURL, Policy, Resolver, checked_addresses, guarding, split_url
from bot.ingest.robots import MAX_ROBOTS_BYTES, RobotsCache, RobotsEntry, robots_entry
from bot.rules import Feed, redact_url

MAX_ARTICLE_BYTES = 3 * 1024 * 1024  # after decompression; a news page is rarely a tenth of this
ARTICLE_DEADLINE_S = 20.0  # per article, robots.txt and every redirect included
ROBOTS_DEADLINE_S = 10.0
BUDGET_S = 180.0  # for all the articles of one batch: a batch of slow sites must not stall the cycle's polling
WORKERS = 4
HTML_TYPES = ("text/html", "application/xhtml+xml")
ACCEPT = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArticleFetch:
    """What fetching one article gave: status "fetched" with the page, or a failure status and why."""

    url: str
    status: str  # "fetched", "robots", "refused", "timeout", "too-large", "not-html" or "failed"
    final_url: str = ""
    body: bytes = b""
    error: str | None = None


class _Stop(Exception):
    def __init__(self, status: str, error: str):
        super().__init__(error)
        self.status, self.error = status, error


class ArticleFetcher:
    """Fetches articles through the bot's guarded client, sharing the per-host limits of feed polling."""

    def __init__(self, client: httpx.Client, *, user_agent: str, limits: HostLimits | None = None,
                 robots: RobotsCache | None = None, resolve: Resolver = socket.getaddrinfo,
                 max_bytes: int = MAX_ARTICLE_BYTES, deadline_s: float = ARTICLE_DEADLINE_S, workers: int = WORKERS,
                 budget_s: float = BUDGET_S):
        self.client, self.limits = client, limits or HostLimits()
        self.robots = robots or RobotsCache(user_agent)
        self.resolve, self.max_bytes, self.deadline_s, self.workers = resolve, max_bytes, deadline_s, workers
        self.budget_s = budget_s

    def fetch_each(self, jobs: Iterable[tuple[str, str, Feed]], *, now: datetime) -> Iterator[tuple[str, ArticleFetch]]:
        """(key, result) for every (key, url, feed) job, as each finishes (at most `per_host` at once per host); a job
        not started within `budget_s` of the first is not fetched (status "failed", saying so)."""
        jobs = list(jobs)
        until = time.monotonic() + self.budget_s

        def one(url: str, feed: Feed) -> ArticleFetch:
            if time.monotonic() > until:
                return ArticleFetch(url, "failed", error=f"not fetched: this batch's {self.budget_s:g}s for articles ran out")
            return self.fetch(url, feed, now=now)

        if len(jobs) <= 1:
            yield from ((key, one(url, feed)) for key, url, feed in jobs)
            return
        with ThreadPoolExecutor(max_workers=min(self.workers, len(jobs)), thread_name_prefix="article") as pool:
            futures = {pool.submit(one, url, feed): key for key, url, feed in jobs}
            for future in as_completed(futures):
                yield futures[future], future.result()

    def fetch(self, url: str, feed: Feed, *, now: datetime) -> ArticleFetch:
        """GET one article page; never raises, failures are in the result."""
        try:
            final, status, body, headers = self._get(url, feed, deadline_s=self.deadline_s, max_bytes=self.max_bytes,
                                                     check=lambda hop: self._robots_allow(hop, feed, now))
        except _Stop as stop:
            return ArticleFetch(url, stop.status, error=stop.error[:300])
        except Exception as exc:  # the boundary between articles: one page's surprise is that page's failure
            log.exception("fetching article %s failed unexpectedly", redact_url(url))
            return ArticleFetch(url, "failed", error=f"unexpected {type(exc).__name__}: {exc}"[:300])
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if status >= 400:
            return ArticleFetch(url, "failed", redact_url(final), error=f"HTTP {status} from {redact_url(final)}")
        if kind and kind not in HTML_TYPES:
            return ArticleFetch(url, "not-html", redact_url(final), error=f"{redact_url(final)} is {kind}, not a web page")
        return ArticleFetch(url, "fetched", redact_url(final), body)

    def _robots_allow(self, url: str, feed: Feed, now: datetime) -> None:
        allowed, why = self.robots.allows(url, now=now, fetch=lambda origin: self._fetch_robots(origin, feed, now))
        if not allowed:
            raise _Stop("robots", f"{redact_url(url)}: {why}")

    def _fetch_robots(self, origin: str, feed: Feed, now: datetime) -> RobotsEntry:
        try:
            _, status, body, _ = self._get(f"{origin}/robots.txt", feed, deadline_s=ROBOTS_DEADLINE_S,
                                           max_bytes=MAX_ROBOTS_BYTES, truncate=True)
        except _Stop as stop:
            log.info("robots.txt of %s: %s", origin, stop.error)
            return robots_entry(origin, status=None, body=b"", now=now)
        return robots_entry(origin, status=status, body=body, now=now)

    def _get(self, url: str, feed: Feed, *, deadline_s: float, max_bytes: int, truncate: bool = False,
             check: Callable[[str], None] | None = None) -> tuple[str, int, bytes, dict[str, str]]:
        """(final URL, status, body, headers) of a GET whose redirects are followed by hand, each hop guarded, checked
        by `check` (then paced by the site's Crawl-delay) and counted against its host's limit; _Stop for anything
        refused or failed. The total deadline runs from the first request sent, not from the wait for the host."""
        own = split_url(feed.url)[1:]
        deadline: float | None = None
        for _ in range(MAX_REDIRECTS + 1):
            shown = redact_url(url)
            try:
                _, host, port = split_url(url)
                allow_private = feed.allow_private and (host, port) == own
                # Checked before the request too: a pooled connection to this host would skip the connect-time check.
                checked_addresses(host, port, allow_private=allow_private, resolve=self.resolve)
                if check is not None:
                    check(url)
                with self.limits.of(url):
                    if check is not None:
                        self.limits.pace(url, self.robots.crawl_delay(url))
                    deadline = deadline or time.monotonic() + deadline_s
                    with guarding(Policy(allow_private=allow_private, deadline=deadline)), \
                            self.client.stream("GET", url, headers=ACCEPT) as response:
                        if response.is_redirect and response.headers.get("Location"):
                            url = urljoin(url, response.headers["Location"])
                            continue
                        return url, response.status_code, self._body(response, shown, max_bytes, truncate), dict(response.headers)
            except BlockedURL as exc:
                raise _Stop("refused", f"refused {shown}: {exc}") from exc
            except httpx.TimeoutException as exc:
                if deadline is not None and deadline - time.monotonic() <= 0:
                    raise _Stop("timeout", f"{shown} took longer than {deadline_s:g}s in total (slow server)") from exc
                raise _Stop("timeout", f"timed out fetching {shown} ({type(exc).__name__})") from exc
            except (httpx.HTTPError, httpcore.ConnectError, OSError, ValueError, OverflowError) as exc:
                raise _Stop("failed", f"cannot fetch {shown}: {type(exc).__name__}: {exc}") from exc
        raise _Stop("failed", f"too many redirects (more than {MAX_REDIRECTS}) from {redact_url(url)}")

    @staticmethod
    def _body(response: httpx.Response, shown: str, max_bytes: int, truncate: bool) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if not truncate and declared.isdigit() and int(declared) > max_bytes:
            raise _Stop("too-large", f"{shown} is {int(declared):,} bytes (more than {max_bytes:,})")
        chunks, size = [], 0
        for chunk in response.iter_bytes():  # decoded bytes: the cap holds after decompression
            size += len(chunk)
            if size > max_bytes:
                if truncate:  # robots.txt: what fits is parsed (RFC 9309)
                    chunks.append(chunk[: max_bytes - size + len(chunk)])
                    break
                raise _Stop("too-large", f"{shown} is larger than {max_bytes:,} bytes once decompressed")
            chunks.append(chunk)
        return b"".join(chunks)

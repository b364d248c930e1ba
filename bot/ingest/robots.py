"""robots.txt, as RFC 9309 reads it, cached per origin: what the bot's User-Agent may fetch from a site."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from protego import Protego

FRESH_FOR = timedelta(hours=24)  # RFC 9309: a cached robots.txt should not be used for longer
UNREACHABLE_FOR = timedelta(hours=1)  # a site whose robots.txt failed is asked again after this
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: at least 500 KiB must be parsed; more is not read
MAX_CRAWL_DELAY_S = 10.0  # a longer Crawl-delay is honoured as this (the batch's time budget bounds the rest)


@dataclass(frozen=True)
class RobotsEntry:
    """A site's robots.txt as last fetched: "ok" (body parsed), "none" (4xx: everything allowed) or
    "unreachable" (5xx, 429 or no answer: nothing allowed until asked again)."""

    origin: str
    status: str
    body: str = ""
    fetched_at: datetime | None = None

    def fresh(self, now: datetime) -> bool:
        return self.fetched_at is not None and now - self.fetched_at < (UNREACHABLE_FOR if self.status == "unreachable" else FRESH_FOR)


def origin_of(url: str) -> str:
    """scheme://host:port of a URL (robots.txt is per origin)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def robots_entry(origin: str, *, status: int | None, body: bytes, now: datetime) -> RobotsEntry:
    """What a robots.txt response means (RFC 9309 2.3.1): 2xx rules, 4xx no rules, anything else no access for now."""
    if status is not None and 200 <= status < 300:
        return RobotsEntry(origin, "ok", body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace"), now)
    if status is not None and 400 <= status < 500 and status != 429:
        return RobotsEntry(origin, "none", "", now)
    return RobotsEntry(origin, "unreachable", "", now)


class RobotsCache:
    """Parsed robots.txt per origin, fetched at most once per origin at a time (threads share it)."""

    def __init__(self, agent: str, entries: Iterable[RobotsEntry] = ()):
        self.agent = agent.split("/")[0].strip().lower()  # the product token robots.txt groups name
        self._entries: dict[str, RobotsEntry] = {e.origin: e for e in entries}
        self._parsed: dict[str, Protego] = {}
        self._fetched: list[RobotsEntry] = []
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def load(self, entries: Iterable[RobotsEntry]) -> None:
        """Entries kept from an earlier run (the store's), unless this process has newer ones."""
        with self._guard:
            for e in entries:
                known = self._entries.get(e.origin)
                if known is None or (known.fetched_at and e.fetched_at and e.fetched_at > known.fetched_at):
                    self._entries[e.origin] = e
                    self._parsed.pop(e.origin, None)

    def fetched(self) -> list[RobotsEntry]:
        """Entries fetched since the last call (for the store to keep)."""
        with self._guard:
            out, self._fetched = self._fetched, []
        return out

    def allows(self, url: str, *, now: datetime, fetch: Callable[[str], RobotsEntry]) -> tuple[bool, str]:
        """(whether the bot may fetch `url`, why not); `fetch(origin)` gets a robots.txt not cached or stale."""
        origin = origin_of(url)
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            entry = self._entries.get(origin)
            if entry is None or not entry.fresh(now):
                entry = fetch(origin)
                with self._guard:
                    self._entries[origin] = entry
                    self._parsed.pop(origin, None)
                    self._fetched.append(entry)
        if entry.status == "none":
            return True, ""
        if entry.status == "unreachable":
            return False, f"{origin}/robots.txt could not be read (the site is asked again within {UNREACHABLE_FOR})"
        with self._guard:
            if origin not in self._parsed:
                self._parsed[origin] = Protego.parse(entry.body)
            parsed = self._parsed[origin]
        if parsed.can_fetch(url, self.agent):
            return True, ""
        return False, f"{origin}/robots.txt disallows it for {self.agent}"

    def crawl_delay(self, url: str) -> float:
        """Seconds the site asks between the bot's requests (its Crawl-delay, capped), 0 when none is known."""
        with self._guard:
            parsed = self._parsed.get(origin_of(url))
        delay = parsed.crawl_delay(self.agent) if parsed is not None else None
        return min(float(delay), MAX_CRAWL_DELAY_S) if delay else 0.0

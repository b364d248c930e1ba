"""News items: parsing feed bytes into Items with stable identities (pure)."""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

MAX_TITLE_CHARS = 500
MAX_SUMMARY_CHARS = 4_000
MAX_TEXT_CHARS = 20_000
FUTURE_SLACK = timedelta(hours=1)
MAX_ITEMS_PER_POLL = 500  # a feed of 99,000 tiny items must not delay every message; the newest are kept
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)  # before this a date is a publisher's error (year 1 overflows date arithmetic)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|ref|rss)$", re.I)


@dataclass(frozen=True)
class Item:
    """One news item as stored and processed."""

    id: str
    feed: str
    guid: str
    link: str
    title: str
    summary: str
    text: str
    published: datetime
    link_key: str = ""
    title_key: str = ""
    flags: tuple[str, ...] = field(default=())

    @property
    def body(self) -> str:
        """The text the matcher reads: title, summary and (trimmed) article text."""
        title = self.title
        if title and title[-1] not in ".!?\"'”":
            title += "."  # a headline is a sentence of its own, also for the parser
        parts = [title, self.summary]
        if self.text and self.text[:200] not in self.summary:
            parts.append(self.text)
        return "\n".join(p for p in parts if p).strip()


@dataclass(frozen=True)
class ParsedFeed:
    """What a feed body yielded: the salvaged items and any problem noticed."""

    items: tuple[Item, ...]
    title: str = ""
    problem: str | None = None
    cut: int = 0  # entries left out beyond MAX_ITEMS_PER_POLL


def parse_feed(body: bytes, *, feed: str, now: datetime, headers: Mapping[str, str] | None = None,
               max_items: int = MAX_ITEMS_PER_POLL) -> ParsedFeed:
    """Parse RSS/Atom bytes; never raises on bad input, salvages what it can."""
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=dict(headers or {}))
    except Exception as exc:  # feedparser promises not to raise; a crash here must not stop a poll
        return ParsedFeed((), problem=f"unparseable feed: {type(exc).__name__}: {exc}")
    problem = None
    if parsed.get("bozo"):
        problem = f"malformed feed: {parsed.get('bozo_exception')}"[:300]
    if not parsed.entries and not parsed.get("version"):
        return ParsedFeed((), problem=problem or "not an RSS or Atom feed")
    entries = list(parsed.entries)
    if len(entries) > max_items:  # the newest entries, by their own dates (undated ones count as new), in feed order
        dated = sorted(range(len(entries)), key=lambda n: _entry_time(entries[n]) or now, reverse=True)
        chosen = set(dated[:max_items])
        entries = [e for n, e in enumerate(entries) if n in chosen]
    cut = len(parsed.entries) - len(entries)
    items: dict[str, Item] = {}
    for entry in entries:
        try:
            item = item_from_entry(entry, feed=feed, now=now)
        except (ValueError, TypeError, AttributeError, KeyError) as exc:  # one bad entry must not sink the feed
            problem = problem or f"skipped an unreadable entry: {type(exc).__name__}: {exc}"[:300]
            continue
        if item and item.id not in items:  # duplicate GUIDs within one feed: first one wins
            items[item.id] = item
    if cut:
        problem = problem or (f"the feed carried {len(parsed.entries):,} entries; read the newest {max_items} "
                              f"and left out {cut:,}")
    title = clean_text(parsed.feed.get("title", ""), MAX_TITLE_CHARS) if parsed.get("feed") else ""
    return ParsedFeed(tuple(items.values()), title, problem, cut)


def item_from_entry(entry: Mapping, *, feed: str, now: datetime) -> Item | None:
    """Build an Item from one feedparser entry, or None when nothing usable is in it."""
    content = " ".join(c.get("value", "") for c in entry.get("content", []) or [] if isinstance(c, Mapping))
    flags: list[str] = []
    published = _entry_time(entry)
    if published is None:
        published, flags = now, ["no-date"]
    elif published > now + FUTURE_SLACK:
        published, flags = now, ["future-date"]
    elif published < EARLIEST:
        published, flags = now, ["bad-date"]
    return make_item(feed=feed, guid=str(entry.get("id", "") or "").strip(), link=str(entry.get("link", "") or ""),
                     title=entry.get("title", ""), summary=entry.get("summary", "") or entry.get("description", ""),
                     text=content, published=published, flags=tuple(flags))


def make_item(*, feed: str, title: object, summary: object = "", text: object = "", link: str = "", guid: str = "",
              published: datetime, identity: str | None = None, flags: tuple[str, ...] = ()) -> Item | None:
    """The one way to build an Item: text cleaned and clipped to the limits, only http(s) links, a stable id.

    The id comes from `identity`, else the publisher's GUID, else the link, else the title, so that
    edits keep it. None when there is no title, summary or text; ValueError for a date before 1970 or
    after 2199 (feed entries are given `now` instead, with a flag).
    """
    if not EARLIEST <= published < LATEST:
        raise ValueError(f"published {published.isoformat()} is out of range (1970 to 2199)")
    title_text = clean_text(title, MAX_TITLE_CHARS)
    summary_text = clean_text(summary, MAX_SUMMARY_CHARS)
    body = clean_text(text, MAX_TEXT_CHARS)
    if not (title_text or summary_text or body):
        return None
    link = link.strip()
    if not link.startswith(("http://", "https://")):
        link = ""
    link_key = canonical_link(link)
    title_key = fingerprint(title_text)
    basis = identity or guid or link_key or f"title:{title_key}:{summary_text[:200]}"
    return Item(id=item_id(feed, basis), feed=feed, guid=guid, link=link, title=title_text, summary=summary_text,
                text=body, published=published.astimezone(UTC), link_key=link_key, title_key=title_key,
                flags=flags)


def item_id(feed: str, basis: str) -> str:
    return hashlib.sha1(f"{feed}\0{basis}".encode()).hexdigest()[:20]


def _entry_time(entry: Mapping) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("p", "br", "div", "li", "h1", "h2", "h3"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def clean_text(value: object, limit: int) -> str:
    """Plain text from possibly-HTML feed text: tags stripped, entities decoded, spaces folded."""
    raw = str(value or "")
    if "<" in raw:
        parser = _TextOnly()
        try:
            parser.feed(raw)
            parser.close()
            raw = "".join(parser.parts)
        except (AssertionError, ValueError):
            raw = re.sub(r"<[^>]*>", " ", raw)
    for _ in range(3):  # "&amp;lt;!channel&amp;gt;" is "<!channel>" once fully unescaped: escape later, once, for Slack
        unescaped = html.unescape(raw)
        if unescaped == raw:
            break
        raw = unescaped
    raw = "".join(ch for ch in raw if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = re.sub(r"\s+", " ", raw).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def canonical_link(link: str) -> str:
    """A link with tracking parameters, fragment, case and trailing slash removed."""
    if not link:
        return ""
    try:
        parts = urlsplit(link.strip())
    except ValueError:  # "http://[broken" and the like: keep it as text
        return link.strip().lower()
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)])
    path = parts.path.rstrip("/") or "/"
    host = parts.netloc.lower().removeprefix("www.")
    return urlunsplit(("https" if parts.scheme in ("http", "https") else parts.scheme, host, path, query, ""))


def fingerprint(text: str) -> str:
    """Normalised text for syndication matching: case, accents and punctuation folded."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()

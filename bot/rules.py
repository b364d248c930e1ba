"""Watchlists and feeds from the rules folder, validated with file:line messages."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.deliver.outbox import OutboxRow
from bot.errors import ConfigError, Problem
from bot.ingest.guard import BlockedURL, split_url
from bot.track.shifts import ShiftParams
from bot.yamlsource import Checker, kind_of, load_yaml, suggest_code

DEFAULT_INTERVAL_S = 900
MAX_INTERVAL_S = 30 * 86400
_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#@]*@")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_HEADER_VALUE = re.compile(r"^[\x20-\x7e]*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ISO3 = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Keywords:
    """Keyword gates: at least one of `any`, every one of `all`, none of `none`."""

    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    none: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    """One watched issue."""

    id: str
    name: str
    description: str
    examples: tuple[str, ...]
    target: str
    watchlist: str
    keywords: Keywords = Keywords()
    threshold: float | None = None
    countries: tuple[str, ...] = ()
    channel: str | None = None
    context: tuple[str, ...] | None = None  # None: derived from the topic's own words
    shifts: ShiftParams = ShiftParams()
    story_alerts: bool = False  # also post every newly matched story, not only stance shifts
    owners: tuple[str, ...] | None = None  # whose action or claim the target is (None: read from the target's words)
    rivals: tuple[str, ...] | None = None  # who it is aimed at or disputed with (None: read from the topic's words)
    source: str = ""
    exclude: tuple[str, ...] = ()  # counter-examples: stories from the same places that are not this topic


@dataclass(frozen=True)
class Feed:
    """One RSS/Atom feed to poll."""

    name: str
    url: str
    interval_s: int = DEFAULT_INTERVAL_S
    headers: dict[str, str] = field(default_factory=dict)
    allow_private: bool = False
    alert_after_s: int = 86400  # a feed failing this long gets one alert (and one recovery message)
    fulltext: str = "off"  # "off", "on" or "auto": read the article behind a matching item (see bot.read.article)

    @property
    def shown_url(self) -> str:
        """The URL as logs, messages, the database and `stancebot feeds` show it: credentials redacted."""
        return redact_url(self.url)


@dataclass(frozen=True)
class DigestSchedule:
    """When and where a watchlist's daily digest goes."""

    time: str = "08:00"
    timezone: str = "UTC"
    channel: str | None = None
    quiet: str = "short"  # on a day with no shifts: "short" message or "none"


@dataclass(frozen=True)
class Watchlist:
    """A file of topics that share a channel."""

    id: str
    file: str
    channel: str | None
    topics: tuple[Topic, ...]
    digest: DigestSchedule | None = None

    def digest_channel(self, default: str) -> str:
        return (self.digest.channel if self.digest else None) or self.channel or default


@dataclass(frozen=True)
class Rules:
    """Everything in a rules folder."""

    root: Path
    feeds: tuple[Feed, ...]
    watchlists: tuple[Watchlist, ...]

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(t for w in self.watchlists for t in w.topics)

    def channel_for(self, topic: Topic, default: str) -> str:
        """Where a topic's messages go: its own channel, else its watchlist's, else `default`."""
        for w in self.watchlists:
            if w.id == topic.watchlist:
                return topic.channel or w.channel or default
        return topic.channel or default

    def channel_of(self, message: OutboxRow, default: str) -> str:
        """Where a queued message goes under these rules (they may have changed since it was queued)."""
        if message.topic_id and message.topic_id in {t.id for t in self.topics}:
            return self.channel_for(self.topic(message.topic_id), default)
        watchlist = (message.payload or {}).get("watchlist") if message.kind == "digest" else None
        for w in self.watchlists:
            if w.id == watchlist:
                return w.digest_channel(default)
        return message.channel if message.topic_id or watchlist else default

    def topic(self, topic_id: str) -> Topic:
        for t in self.topics:
            if t.id == topic_id:
                return t
        raise KeyError(topic_id)


FEED_KEYS = ("url", "name", "interval", "headers", "allow_private", "alert_after", "fulltext")
TOPIC_KEYS = ("id", "name", "description", "examples", "exclude", "stance", "keywords", "threshold", "countries", "channel", "context",
              "shifts", "alerts")
SHIFT_KEYS = ("min_outlets", "min_evidence", "min_share", "half_life", "window", "switch_ratio", "cooldown", "alert_first")
ALERT_KEYS = ("stories",)
WATCHLIST_KEYS = ("watchlist", "channel", "topics", "digest")
DIGEST_KEYS = ("time", "timezone", "channel", "quiet")


def load_feeds(path: Path, display: str) -> tuple[Feed, ...]:
    """Read feeds.yaml; a missing file means no feeds."""
    if not path.exists():
        return ()
    source = load_yaml(path, display)
    check = Checker(source)
    data = source.data if source.data is not None else {}
    feeds: list[Feed] = []
    if check.keys(data, "", ("feeds", "defaults")):
        defaults = data.get("defaults") or {}
        default_interval, default_alert, default_fulltext = DEFAULT_INTERVAL_S, 86400, "off"
        if check.keys(defaults, "defaults", ("interval", "alert_after", "fulltext")):
            if "interval" in defaults:
                default_interval = _or(check.duration(defaults["interval"], "defaults.interval", maximum=MAX_INTERVAL_S),
                                       DEFAULT_INTERVAL_S)
            if "alert_after" in defaults:
                default_alert = _or(check.duration(defaults["alert_after"], "defaults.alert_after", minimum=0,
                                                   maximum=MAX_INTERVAL_S), default_alert)
            default_fulltext = _fulltext(check, defaults["fulltext"], "defaults.fulltext") if "fulltext" in defaults else "off"
        raw = data.get("feeds") or []
        if not isinstance(raw, list):
            check.fail("feeds", f"expected a list of feeds, got {kind_of(raw)}")
            raw = []
        seen: dict[str, str] = {}
        for i, entry in enumerate(raw):
            feed = _feed(check, entry, f"feeds[{i}]", default_interval, default_alert, default_fulltext)
            if feed is None:
                continue
            if feed.name in seen:
                check.fail(f"feeds[{i}].name", f"duplicate feed name {feed.name!r} (also at {seen[feed.name]})")
            seen[feed.name] = f"feeds[{i}]"
            feeds.append(feed)
    if check.problems:
        raise ConfigError(check.problems)
    return tuple(feeds)


def _feed(check: Checker, entry: Any, path: str, default_interval: int, default_alert: int = 86400,
          default_fulltext: str = "off") -> Feed | None:
    if not check.keys(entry, path, FEED_KEYS, required=("url",)):
        return None
    url = check.text(entry.get("url"), f"{path}.url")
    if url:
        try:
            split_url(url)
        except BlockedURL as exc:
            check.fail(f"{path}.url", f"expected an http(s) URL, got {redact_url(url)!r}: {exc}")
            url = None
    name = check.text(entry.get("name", url and redact_url(url)), f"{path}.name")
    interval = default_interval
    if "interval" in entry:
        interval = _or(check.duration(entry["interval"], f"{path}.interval", maximum=MAX_INTERVAL_S), default_interval)
    headers = entry.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, (str, int)) for v in headers.values()):
        check.fail(f"{path}.headers", "expected a mapping of header names to strings")
        headers = {}
    for key, value in headers.items():
        if not _HEADER_NAME.match(str(key)) or not _HEADER_VALUE.match(str(value)):
            check.fail(f"{path}.headers.{key}", "header names and values must be printable ASCII on one line "
                                                 "(HTTP cannot send other characters)")
            headers = {}
            break
    allow_private = entry.get("allow_private", False)
    if not isinstance(allow_private, bool):
        check.fail(f"{path}.allow_private", f"expected true or false, got {allow_private!r}")
    alert_after = default_alert
    if "alert_after" in entry:
        alert_after = _or(check.duration(entry["alert_after"], f"{path}.alert_after", minimum=0, maximum=MAX_INTERVAL_S),
                          default_alert)
    fulltext = _fulltext(check, entry["fulltext"], f"{path}.fulltext") if "fulltext" in entry else default_fulltext
    if not url or not name:
        return None
    return Feed(name, url, interval, {str(k): str(v) for k, v in headers.items()}, allow_private is True, alert_after, fulltext)


def _fulltext(check: Checker, value: Any, path: str) -> str:
    """Feed.fulltext from `false`, `true` or `auto`; a problem for anything else."""
    if isinstance(value, bool) or value == "auto":
        return {True: "on", False: "off"}.get(value, "auto")
    check.fail(path, f"expected false, true or 'auto' (read the article only when the entry carries less than a few sentences), got {value!r}")
    return "off"


def _codes(check: Checker, raw: Any, path: str, known: Collection[str]) -> tuple[str, ...]:
    """A list of ISO 3166-1 alpha-3 codes, each checked against the known countries."""
    codes = check.texts(raw, path)
    for i, code in enumerate(codes):
        if not _ISO3.match(code):
            check.fail(f"{path}[{i}]", f"expected an ISO 3166-1 alpha-3 code like 'VEN', got {code!r}")
        elif known and code not in known:
            check.fail(f"{path}[{i}]", f"unknown country code {code!r}{suggest_code(code, known)}")
    return codes


def _or(value: int | None, default: int) -> int:
    """A checked value, or the default when the check failed (0 is a value, not a failure)."""
    return default if value is None else value


def redact_url(url: str) -> str:
    """The URL with any user:password replaced by ***, for everything that shows or stores it."""
    return _USERINFO.sub(r"\1***@", url)


def load_watchlist(path: Path, display: str, known_countries: Collection[str] = frozenset()) -> Watchlist:
    """Read one watchlists/*.yaml file."""
    source = load_yaml(path, display)
    check = Checker(source)
    data = source.data
    wid = path.stem
    topics: list[Topic] = []
    channel = None
    if check.keys(data, "", WATCHLIST_KEYS, required=("topics",)):
        wid = check.text(data.get("watchlist", wid), "watchlist") or wid
        channel = check.text(data.get("channel"), "channel", required=False)
        raw = data.get("topics")
        if not isinstance(raw, list) or not raw:
            check.fail("topics", f"expected a non-empty list of topics, got {kind_of(raw)}")
            raw = []
        for i, entry in enumerate(raw):
            topic = _topic(check, entry, f"topics[{i}]", wid, display, known_countries)
            if topic:
                topics.append(topic)
        digest = _digest(check, data.get("digest")) if "digest" in data else None
    if check.problems:
        raise ConfigError(check.problems)
    return Watchlist(wid, display, channel, tuple(topics), digest)


def _digest(check: Checker, raw: Any) -> DigestSchedule | None:
    if raw is None or not check.keys(raw, "digest", DIGEST_KEYS):
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    time_text = str(raw.get("time", "08:00"))
    if not re.match(r"^([01]\d|2[0-3]):[0-5]\d$", time_text):
        check.fail("digest.time", f"expected a local time like '08:00', got {raw.get('time')!r}")
    zone = check.text(raw.get("timezone", "UTC"), "digest.timezone")
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            check.fail("digest.timezone", f"unknown time zone {zone!r} (use an IANA name like 'America/Caracas')")
    quiet = raw.get("quiet", "short")
    if quiet not in ("short", "none"):
        check.fail("digest.quiet", f"expected 'short' or 'none', got {quiet!r}")
    channel = check.text(raw.get("channel"), "digest.channel", required=False)
    return DigestSchedule(time_text, zone or "UTC", channel, quiet if quiet in ("short", "none") else "short")


def _topic(check: Checker, entry: Any, path: str, wid: str, display: str, known: Collection[str]) -> Topic | None:
    if not check.keys(entry, path, TOPIC_KEYS, required=("id", "name", "description", "examples", "stance")):
        return None
    tid = check.text(entry.get("id"), f"{path}.id")
    if tid and not _ID.match(tid):
        check.fail(f"{path}.id", f"{tid!r} must be lowercase letters, digits, '-' or '_'")
    name = check.text(entry.get("name"), f"{path}.name")
    description = check.text(entry.get("description"), f"{path}.description")
    examples = check.texts(entry.get("examples"), f"{path}.examples", min_items=1)
    exclude = check.texts(entry.get("exclude"), f"{path}.exclude") if "exclude" in entry else ()
    target = None
    stance = entry.get("stance")
    owners: tuple[str, ...] | None = None
    rivals: tuple[str, ...] | None = None
    if check.keys(stance, f"{path}.stance", ("target", "owners", "rivals"), required=("target",)):
        target = check.text(stance.get("target"), f"{path}.stance.target")
        if "owners" in stance:
            owners = _codes(check, stance.get("owners"), f"{path}.stance.owners", known)
        if "rivals" in stance:
            rivals = _codes(check, stance.get("rivals"), f"{path}.stance.rivals", known)
    keywords = Keywords()
    raw_kw = entry.get("keywords")
    if raw_kw is not None and check.keys(raw_kw, f"{path}.keywords", ("any", "all", "none")):
        keywords = Keywords(*(check.texts(raw_kw.get(k), f"{path}.keywords.{k}") for k in ("any", "all", "none")))
    threshold = entry.get("threshold")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold < 1):
        check.fail(f"{path}.threshold", f"expected a number between 0 and 1, got {threshold!r}")
        threshold = None
    countries = _codes(check, entry.get("countries"), f"{path}.countries", known)
    channel = check.text(entry.get("channel"), f"{path}.channel", required=False)
    context = check.texts(entry.get("context"), f"{path}.context") if "context" in entry else None
    shifts = _shift_params(check, entry.get("shifts"), f"{path}.shifts")
    alerts = entry.get("alerts")
    story_alerts = alerts is not None and check.keys(alerts, f"{path}.alerts", ALERT_KEYS) and "stories" in alerts \
        and bool(check.flag(alerts["stories"], f"{path}.alerts.stories"))
    if not (tid and name and description and examples and target):
        return None
    return Topic(
        id=tid, name=name, description=description, examples=examples, target=target, watchlist=wid,
        keywords=keywords, threshold=float(threshold) if threshold is not None else None,
        countries=countries, channel=channel, context=context, shifts=shifts, story_alerts=story_alerts, owners=owners, rivals=rivals,
        source=f"{display}:{check.source.line(path)}", exclude=exclude,
    )


def _shift_params(check: Checker, raw: Any, path: str) -> ShiftParams:
    if raw is None or not check.keys(raw, path, SHIFT_KEYS):
        return ShiftParams()
    from datetime import timedelta

    values: dict[str, Any] = {}
    for key in ("min_outlets", "min_evidence"):
        if key in raw:
            values[key] = check.number(raw[key], f"{path}.{key}", low=1, high=50, integer=True)
    if "min_share" in raw:
        values["min_share"] = check.number(raw["min_share"], f"{path}.min_share", low=0.34, high=1.0)
    if "switch_ratio" in raw:
        values["switch_ratio"] = check.number(raw["switch_ratio"], f"{path}.switch_ratio", low=1.0, high=10.0)
    for key in ("half_life", "window", "cooldown"):
        if key in raw:
            seconds = check.duration(raw[key], f"{path}.{key}", minimum=0 if key == "cooldown" else 3600)
            values[key] = timedelta(seconds=seconds) if seconds is not None else None
    if "alert_first" in raw:
        values["alert_first"] = check.flag(raw["alert_first"], f"{path}.alert_first")
    clean: dict[str, Any] = {k: (int(v) if k in ("min_outlets", "min_evidence") else v) for k, v in values.items() if v is not None}
    return ShiftParams(**clean)


def load_rules(root: Path, known_countries: Collection[str] = frozenset()) -> Rules:
    """Load and validate a rules folder; raise ConfigError listing every problem.

    `known_countries` (codes, or a mapping of codes to names for better suggestions) checks `countries:` lists.
    """
    root = Path(root)
    if not root.is_dir():
        raise ConfigError([Problem(str(root), 0, "", "rules folder not found")])
    problems: list[Problem] = []
    feeds: tuple[Feed, ...] = ()
    try:
        feeds = load_feeds(root / "feeds.yaml", _display(root, "feeds.yaml"))
    except ConfigError as exc:
        problems += exc.problems
    watchlists: list[Watchlist] = []
    files = sorted((root / "watchlists").glob("*.y*ml")) if (root / "watchlists").is_dir() else []
    if not files:
        problems.append(Problem(_display(root, "watchlists"), 0, "", "no watchlists/*.yaml files found"))
    for path in files:
        try:
            watchlists.append(load_watchlist(path, _display(root, f"watchlists/{path.name}"), known_countries))
        except ConfigError as exc:
            problems += exc.problems
    seen: dict[str, str] = {}
    for w in watchlists:
        for t in w.topics:
            if t.id in seen:
                file, _, line = t.source.rpartition(":")
                problems.append(Problem(file, int(line), "id", f"duplicate topic id {t.id!r} (first defined at {seen[t.id]})"))
            seen.setdefault(t.id, t.source)
    if problems:
        raise ConfigError(problems)
    return Rules(root, feeds, tuple(watchlists))


def _display(root: Path, name: str) -> str:
    return str(root / name)

"""The daily digest: when it is due, what it says (pure given the collected data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.deliver.messages import FROM_ARTICLE, HEADER_MAX, SECTION_MAX, STANCE_MARK, UNSETTLED_MARK, clip, escape_mrkdwn, flag, safe_link
from bot.deliver.outbox import OutboxRow
from bot.labels import Label

MAX_BLOCKS = 45  # Slack allows 50 blocks a message; keep room for the chart and context
RANK: dict[str, int] = {Label.OPPOSED: 0, Label.NEUTRAL: 1, Label.SUPPORTIVE: 2}
UNSETTLED = "no settled stance"
MARK: dict[str | None, str] = dict([*STANCE_MARK.items(), (None, UNSETTLED_MARK)])
# How a board row's stance compares with the last digest and with a week ago; the digest's legend lists these.
UP, DOWN, NEW, LOST, SAME = "↗", "↘", "★", "∅", "="
CHANGE: dict[str, str] = {UP: "toward supportive", DOWN: "toward opposed", NEW: "newly settled", LOST: "no longer settled",
                          SAME: "unchanged"}


@dataclass(frozen=True)
class BoardRow:
    country: str
    name: str
    iso2: str | None
    state: str | None
    at_start: str | None
    week_ago: str | None
    stories: int
    outlets: int


@dataclass(frozen=True)
class Story:
    title: str
    link: str
    outlets: tuple[str, ...]
    score: float
    items: int = 1  # matched copies, across outlets
    from_article: bool = False  # stances in it were read from the article behind it


@dataclass(frozen=True)
class TimelineRow:
    """One country's settled stance on one topic at the end of each chart day, and its stories each day."""

    topic: str  # the topic's full name (the chart groups rows under it)
    country: str  # the country's full name
    states: tuple[str | None, ...]
    stories: tuple[int, ...]


@dataclass(frozen=True)
class TopicDigest:
    id: str
    name: str
    matched: int
    board: tuple[BoardRow, ...]
    stories: tuple[Story, ...]


@dataclass(frozen=True)
class ShiftLine:
    topic: str
    country: str
    name: str
    iso2: str | None
    before: str | None
    after: str
    at: datetime


@dataclass
class DigestData:
    watchlist: str
    title: str
    start: datetime
    end: datetime
    zone: str
    topics: list[TopicDigest] = field(default_factory=list)
    shifts: list[ShiftLine] = field(default_factory=list)
    feed_problems: list[str] = field(default_factory=list)
    failed_messages: int = 0
    unread: list[str] = field(default_factory=list)  # "14 Spanish items not read (El Tiempo 9, Página 12 5)"
    days: list[datetime] = field(default_factory=list)  # chart columns: the end of each of the last 14 days
    timeline: list[TimelineRow] = field(default_factory=list)  # chart rows, grouped by topic in the board's order
    chart_omitted: int = 0  # rows beyond the chart's limit (still on the board)

    @property
    def matched(self) -> int:
        return sum(t.matched for t in self.topics)

    @property
    def quiet(self) -> bool:
        return not self.shifts


def arrow(before: str | None, now: str | None) -> str:
    if before == now:
        return SAME
    if before is None:
        return NEW
    if now is None:
        return LOST
    return UP if RANK[now] > RANK[before] else DOWN


def symbol_legend() -> str:
    """One line saying what every symbol on the digest's board means."""
    marks = " · ".join(f"{MARK[state]} {state or UNSETTLED}" for state in (Label.SUPPORTIVE, Label.OPPOSED, Label.NEUTRAL, None))
    changes = " · ".join(f"{symbol} {meaning}" for symbol, meaning in CHANGE.items())
    return f"{marks}   |   since the last digest and over 7 days: {changes}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _period(data: DigestData) -> str:
    zone = ZoneInfo(data.zone)
    start, end = data.start.astimezone(zone), data.end.astimezone(zone)
    days = (data.end - data.start).total_seconds() / 86400
    gap = f" · catch-up covering {days:.0f} days" if days > 1.5 else ""
    return f"{start:%a %d %b %H:%M} → {end:%a %d %b %H:%M} ({data.zone}){gap}"


def render_digest(data: DigestData, *, channel: str, quiet_mode: str = "short") -> list[OutboxRow]:
    """Block Kit messages (split when long) for one digest; [] when quiet and configured to say nothing."""
    base = f"digest:{data.watchlist}:{data.end.isoformat()}"
    payload = {"kind": "digest", "watchlist": data.watchlist, "start": data.start.isoformat(), "end": data.end.isoformat()}
    header = HeaderBlock(text=clip(f"{data.title} — {data.end.astimezone(ZoneInfo(data.zone)):%a %d %b %Y}", HEADER_MAX))
    context = ContextBlock(elements=[MarkdownTextObject(text=escape_mrkdwn(_period(data)))])
    if data.quiet and quiet_mode == "none":
        return []
    if data.quiet:
        text = f"No shifts; {data.matched} items matched." + (f" {_health(data)}" if data.feed_problems or data.unread else "")
        block = SectionBlock(text=MarkdownTextObject(text=clip(escape_mrkdwn(text), SECTION_MAX)))
        return [OutboxRow(base, "digest", None, channel, escape_mrkdwn(f"{data.title}: {text}"),
                          [header.to_dict(), context.to_dict(), block.to_dict()], "pending", payload=payload)]
    blocks = [header, context]
    if data.shifts:
        lines = [f"{flag(s.iso2)} *{escape_mrkdwn(s.name)}* {s.before or UNSETTLED} → *{s.after or UNSETTLED}* "
                 f"on {escape_mrkdwn(s.topic)} ({s.at.astimezone(ZoneInfo(data.zone)):%d %b %H:%M})" for s in data.shifts]
        blocks += _sections("*Shifts since the last digest*", lines)
    else:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"No shifts since the last digest; {data.matched} items matched.")))
    if any(topic.board for topic in data.topics):
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=symbol_legend())]))
    for topic in data.topics:
        blocks.append(DividerBlock())
        lines = [f"{MARK[r.state]} {flag(r.iso2)} *{escape_mrkdwn(r.name)}*: {r.state or UNSETTLED} "
                 f"{arrow(r.at_start, r.state)} since last · {arrow(r.week_ago, r.state)} 7d · "
                 f"{_count(r.stories, 'story', 'stories')}, {_count(r.outlets, 'outlet', 'outlets')}" for r in topic.board]
        title = f"*{escape_mrkdwn(topic.name)}* — {topic.matched} items matched"
        blocks += _sections(title, lines or ["_No country has a settled stance yet._"])
        if topic.stories:
            story_lines = [f"• {safe_link(s.link, clip(s.title, 150))} — reported by {len(s.outlets)} outlet"
                           f"{'s' if len(s.outlets) != 1 else ''} ({escape_mrkdwn(', '.join(s.outlets))})"
                           + (f" · stances {FROM_ARTICLE}" if s.from_article else "") for s in topic.stories]
            blocks += _sections("Top stories", story_lines)
    if data.feed_problems or data.failed_messages or data.unread:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=clip(escape_mrkdwn(_health(data)), SECTION_MAX))]))
    parts = [blocks[i:i + MAX_BLOCKS] for i in range(0, len(blocks), MAX_BLOCKS)]
    text = escape_mrkdwn(f"{data.title}: {len(data.shifts)} shifts, {data.matched} items matched")
    return [OutboxRow(base if n == 0 else f"{base}:{n + 1}", "digest", None, channel,
                      text if n == 0 else f"{text} (part {n + 1})", [b.to_dict() for b in part], "pending",
                      payload={**payload, "part": n + 1, "parts": len(parts)})
            for n, part in enumerate(parts)]


def _health(data: DigestData) -> str:
    bits = list(data.feed_problems)
    if data.failed_messages:
        bits.append(f"{data.failed_messages} Slack messages failed (see `stancebot outbox --status failed`)")
    return ("⚠️ " + "; ".join(bits) if bits else "") + (" " if bits and data.unread else "") + "; ".join(data.unread)


def _sections(title: str, lines: list[str]) -> list[SectionBlock]:
    """Lines under a title, packed into as few sections as Slack's 3,000-character limit allows."""
    out, current = [], title
    for line in lines:
        line = clip(line, 1000)
        if len(current) + 1 + len(line) > SECTION_MAX:
            out.append(SectionBlock(text=MarkdownTextObject(text=current)))
            current = line
        else:
            current += "\n" + line
    out.append(SectionBlock(text=MarkdownTextObject(text=current)))
    return out

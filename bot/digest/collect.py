"""Collecting a digest's data from the store: stance boards, shifts, top stories, feed health."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from bot.digest.render import BoardRow, DigestData, ShiftLine, Story, TimelineRow, TopicDigest
from bot.read.gazetteer import Gazetteer
from bot.read.language import READABLE, language_name
from bot.rules import Rules, Watchlist
from bot.store import Store
from bot.track.evidence import StanceRecord
from bot.track.shifts import PositionChange

TOP_STORIES = 3
CHART_DAYS = 14
CHART_ROWS = 24


def state_at(changes: list[PositionChange], when: datetime) -> str | None:
    """The settled stance as of `when`, from a (topic, country)'s ordered changes."""
    state = None
    for c in changes:
        if c.at <= when:
            state = c.after
    return state


def collect_digest(store: Store, watchlist: Watchlist, rules: Rules, gaz: Gazetteer, *, start: datetime, end: datetime,
                   title: str | None = None) -> DigestData:
    """Everything one watchlist's digest for [start, end) shows."""
    schedule = watchlist.digest
    data = DigestData(watchlist.id, title or f"{watchlist.id} digest", start, end, schedule.timezone if schedule else "UTC")
    week_ago = end - timedelta(days=7)
    data.days = [end - timedelta(days=CHART_DAYS - 1 - n) for n in range(CHART_DAYS)]
    for topic in watchlist.topics:
        changes: dict[str, list[PositionChange]] = {}
        for c in store.position_changes(topic_id=topic.id, until=end):
            changes.setdefault(c.country, []).append(c)
        countries = list(topic.countries) or sorted(changes)
        board = []
        by_country: dict[str, list[StanceRecord]] = {}  # one read per topic: the board's week and the chart's fortnight
        for record in store.stances(topic_id=topic.id, since=min(week_ago, data.days[0] - timedelta(days=1)), until=end):
            by_country.setdefault(record.country, []).append(record)
        timeline: dict[str, TimelineRow] = {}
        for country in countries:
            history = changes.get(country, [])
            rows = by_country.get(country, [])
            recent = [s for s in rows if s.published >= week_ago]
            board.append(BoardRow(country, gaz.country_name(country), gaz.countries.get(country, {}).get("iso2"),
                                  state_at(history, end), state_at(history, start), state_at(history, week_ago),
                                  len({s.cluster_id for s in recent}), len({s.feed for s in recent})))
            if history:
                counts = tuple(len({s.cluster_id for s in rows if day - timedelta(days=1) <= s.published < day}) for day in data.days)
                timeline[country] = TimelineRow(topic.name, gaz.country_name(country),
                                                tuple(state_at(history, day) for day in data.days), counts)
        board.sort(key=lambda r: (r.state is None, r.state or "", r.name))
        charted = [timeline[r.country] for r in board if r.country in timeline]  # grouped by topic, in the board's order
        room = max(CHART_ROWS - len(data.timeline), 0)
        data.timeline += charted[:room]
        data.chart_omitted += len(charted[room:])
        for c in store.position_changes(topic_id=topic.id, since=start, until=end):
            if not topic.countries or c.country in topic.countries:
                data.shifts.append(ShiftLine(topic.name, c.country, gaz.country_name(c.country),
                                             gaz.countries.get(c.country, {}).get("iso2"), c.before, c.after, c.at))
        matched, stories = _stories(store, topic.id, start, end)
        data.topics.append(TopicDigest(topic.id, topic.name, matched, tuple(board), tuple(stories)))
    data.shifts.sort(key=lambda s: s.at)
    data.feed_problems = feed_problems(store, rules, now=end)
    data.unread = unread_lines(store, start=start, end=end)
    data.failed_messages = len(store.outbox(status="failed"))
    return data


def _stories(store: Store, topic_id: str, start: datetime, end: datetime) -> tuple[int, list[Story]]:
    stories = store.topic_stories(topic_id, start=start, end=end)
    matched = sum(s.items for s in stories)
    stories.sort(key=lambda s: (-len(s.outlets), -s.score))
    return matched, stories[:TOP_STORIES]


def unread_lines(store: Store, *, start: datetime, end: datetime) -> list[str]:
    """'14 Spanish items not read (El Tiempo 9, Página 12 5)': items of [start, end) in languages the models do not read."""
    out = []
    for lang, feeds in store.unread_languages(READABLE, since=start, until=end).items():
        total = sum(feeds.values())
        where = ", ".join(f"{feed} {count}" for feed, count in feeds.items())
        out.append(f"{total} {language_name(lang)} item{'s' if total != 1 else ''} not read ({where})")
    return out


def feed_problems(store: Store, rules: Rules, *, now: datetime) -> list[str]:
    """Feeds failing now, and feeds silent for much longer than their usual gap between new items."""
    problems = []
    state = {record.name: record for record in store.feeds()}
    for feed in rules.feeds:
        record = state.get(feed.name)
        if record and record.failures:
            since = record.failing_since or record.last_polled_at
            problems.append(f"{feed.name} failing since {since:%Y-%m-%d %H:%M} UTC ({record.last_error or 'error'})" if since
                            else f"{feed.name} failing ({record.last_error or 'error'})")
            continue
        fetched = store.fetch_times(feed.name, since=now - timedelta(days=30))
        if len(fetched) >= 4:
            gaps = [(b - a).total_seconds() for a, b in zip(fetched, fetched[1:], strict=False)]
            usual = max(statistics.median(gaps) * 4, 12 * 3600)
            silent = (now - fetched[-1]).total_seconds()
            if silent > usual:
                problems.append(f"{feed.name} silent for {silent / 86400:.1f} days (usually a new item every "
                                f"{statistics.median(gaps) / 3600:.0f} h)")
    return problems

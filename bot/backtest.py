"""`stancebot backtest`: replay items through dedup, match, stance and shift detection, offline."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import IO

import numpy as np
from rich.table import Table

from bot.ingest.items import Item, make_item
from bot.jsonl import decoded_lines
from bot.pipeline import process_pending
from bot.read.embed import Embedder
from bot.read.gazetteer import Gazetteer
from bot.read.match import build_profiles
from bot.read.reader import StanceReader
from bot.rules import Rules
from bot.store import Store, parse_iso
from bot.track.corrections import Correction


@dataclass
class BacktestResult:
    alerts: list[dict] = field(default_factory=list)
    items: int = 0
    matched: int = 0
    stances: int = 0
    skipped: list[str] = field(default_factory=list)
    topics_of: dict[str, set[str]] = field(default_factory=dict)  # item id -> the topics it matched
    board: dict[tuple[str, str], str] = field(default_factory=dict)  # (topic, country) -> settled stance at the end


def parse_input(lines: Iterable[bytes | str]) -> tuple[list[Item], list[str]]:
    """Items from JSONL lines {"id", "feed", "published", "link", "title", "summary", "text"?}; bad lines reported."""
    items, problems = [], []
    for n, d, error in decoded_lines(lines):
        try:
            if error:
                raise ValueError(error.split(": ", 1)[1])
            if not isinstance(d, dict):
                raise TypeError("expected a JSON object")
            published = datetime.fromisoformat(str(d["published"]).replace("Z", "+00:00"))
            if published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
            link = str(d.get("link") or "")
            key = str(d.get("id") or link or d.get("title"))
            item = make_item(feed=str(d.get("feed") or "input"), identity=key, guid=key, link=link, title=d.get("title"),
                             summary=d.get("summary"), text=d.get("text"), published=published)
            if item is None:
                raise ValueError("no title, summary or text")
        except (ValueError, KeyError, TypeError, OverflowError) as exc:
            problems.append(f"line {n}: {type(exc).__name__}: {exc}")
            continue
        items.append(item)
    return sorted(items, key=lambda i: (i.published, i.id)), problems


def run_backtest(items: list[Item], rules: Rules, *, embedder: Embedder, reader: StanceReader | None, gaz: Gazetteer,
                 vectors: dict | None = None, default_channel: str = "#stancebot",
                 corrections: Iterable[Correction] = (), force_match: bool = False) -> BacktestResult:
    """Replay `items` in publication order on a simulated clock; return the alerts that would have gone out.

    Analysts' `corrections` (of a bot database holding these items) are honoured from the start: relabelled and
    dropped stances, and stories taken off a topic (with the stories like them). With `force_match` every item counts
    as matched to every topic (replaying known stances: quality/oracle.py).
    """
    result = BacktestResult(items=len(items))
    profiles = build_profiles(rules.topics, embedder, gaz)
    with Store(":memory:") as store:
        store.import_corrections(corrections)
        start = 0
        while start < len(items):
            # One simulated day at a time: items are stored as they would have been fetched.
            day_end = items[start].published + timedelta(days=1)
            end = start
            while end < len(items) and items[end].published < day_end:
                end += 1
            for item in items[start:end]:
                stored = store.add_items([item], now=item.published)
                if vectors and stored and item.id in vectors:  # a vector belongs to a stored item (the foreign key)
                    store.save_embeddings({item.id: vectors[item.id]}, embedder.name)
            report = process_pending(store, embedder, profiles, rules, gaz, now=items[end - 1].published,
                                     default_channel=default_channel, reader=reader, force_match=force_match)
            result.matched += report.matched
            result.stances += report.stances
            start = end
        for row in store.outbox():
            if row.kind == "shift" and row.payload:
                result.alerts.append(row.payload)
        for m in store.matches():
            result.topics_of.setdefault(m.item_id, set()).add(m.topic_id)
        result.board = {(p.topic_id, p.country): p.state for p in store.positions() if p.state}
    result.alerts.sort(key=lambda a: (a["at"], a["topic"], a["country"]))
    return result


def stored_items(db: Store, *, since: datetime, model: str) -> tuple[list[Item], dict[str, np.ndarray]]:
    """Items from a bot database for a replay, with the vectors `model` made of them (other models' are not comparable)."""
    items = [db.item(item_id) for item_id in db.item_ids(since=since)]
    return items, db.embeddings([i.id for i in items], model)


def backtest_command(settings, gaz: Gazetteer, rules: Rules, *, items_file, db_path, since: str, alerts_out) -> None:
    """`stancebot backtest`: items from a JSONL file or a bot database (with its analysts' corrections), alerts out."""
    import click
    from rich.console import Console

    from bot.models import embedder_for, reader_for

    embedder = embedder_for(settings)
    reader = reader_for(settings, gaz, embedder)
    vectors, corrections = None, []
    if items_file:
        items, problems = parse_input(items_file)
        for problem in problems:
            click.echo(f"stancebot backtest: {items_file.name}: {problem}", err=True)
    else:
        try:
            start = parse_since(since, datetime.now(UTC))
        except ValueError as exc:
            raise click.BadParameter(f"expected 30d, 12h, 2w or YYYY-MM-DD, got {since!r}", param_hint="--since") from exc
        with Store(db_path) as db:
            items, vectors = stored_items(db, since=start, model=embedder.name)
            corrections = db.corrections()
    result = run_backtest(items, rules, embedder=embedder, reader=reader, gaz=gaz, vectors=vectors, corrections=corrections)
    Console(stderr=alerts_out is None or alerts_out.name == "<stdout>").print(alerts_table(result, gaz))
    if alerts_out:
        write_alerts(result.alerts, alerts_out)


def alerts_table(result: BacktestResult, gaz: Gazetteer) -> Table:
    """The alerts as a terminal table, oldest first."""
    table = Table(title=f"{len(result.alerts)} alerts from {result.items} items ({result.matched} matches, {result.stances} stances)")
    for column in ("when (UTC)", "topic", "country", "from", "to", "evidence"):
        table.add_column(column)
    for a in result.alerts:
        table.add_row(a["at"][:16].replace("T", " "), a["topic"], f"{gaz.country_name(a['country'])} ({a['country']})",
                      a["from"] or "-", a["to"], str(len(a["evidence"])))
    return table


def write_alerts(alerts: list[dict], out: IO[str]) -> None:
    for alert in alerts:
        out.write(json.dumps({k: alert[k] for k in ("kind", "topic", "country", "from", "to", "at", "evidence")},
                             ensure_ascii=False) + "\n")


def parse_since(text: str, now: datetime) -> datetime:
    """'30d', '12h', '2w' or an ISO date, as a UTC datetime."""
    units = {"h": 3600, "d": 86400, "w": 7 * 86400}
    if text and text[-1] in units and text[:-1].isdigit():
        return now - timedelta(seconds=int(text[:-1]) * units[text[-1]])
    parsed = parse_iso(text if "T" in text else f"{text}T00:00:00+00:00")
    return parsed

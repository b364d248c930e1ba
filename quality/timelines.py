"""Scoring shift detection on labelled timelines: false alerts, missed shifts, delay to catch a flip."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

import yaml

from bot.backtest import parse_input, run_backtest
from bot.ingest.items import Item


@dataclass
class TimelineResult:
    name: str
    alerts: list[dict]
    false_alerts: list[dict] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    delays: list[int] = field(default_factory=list)


def load_timeline(path: Path) -> dict:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    data.setdefault("name", Path(path).stem)
    return data


def _matches(alert: dict, want: dict) -> bool:
    return alert["country"] == want["country"] and alert["to"] == want["to"] and (
        "topic" not in want or alert["topic"] == want["topic"]) and (
        "from" not in want or alert["from"] == want["from"])


def timeline_items(timeline: dict) -> list[Item]:
    """A timeline's items as backtest reads them (its input lines), in publication order."""
    import json

    items, problems = parse_input([json.dumps({**item, "published": str(item["published"])}) for item in timeline["items"]])
    if problems:
        raise ValueError(f"{timeline.get('name')}: {problems}")
    return items


def score_timeline(timeline: dict, rules, **deps) -> TimelineResult:
    """Replay one timeline; compare the alerts with what it must and must not produce."""
    alerts = run_backtest(timeline_items(timeline), rules, **deps).alerts
    result = TimelineResult(timeline["name"], alerts)
    expected = timeline.get("expect") or []
    order = [str(i["id"]) for i in sorted(timeline["items"], key=lambda i: str(i["published"]))]
    published = {str(i["id"]): str(i["published"]) for i in timeline["items"]}
    for want in expected:
        hits = [a for a in alerts if _matches(a, want)]
        if not hits:
            result.missed.append(want)
        elif want.get("starts"):
            at = hits[0]["at"]
            caught = max((n for n, i in enumerate(order) if _iso(published[i]) <= at), default=0)
            result.delays.append(caught - order.index(str(want["starts"])) + 1)
    for alert in alerts:
        if not any(_matches(alert, want) for want in expected):
            result.false_alerts.append(alert)
    return result


def _iso(text: str) -> str:
    from datetime import datetime

    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def summarize(results: list[TimelineResult]) -> dict:
    delays = [d for r in results for d in r.delays]
    return {"timelines": len(results), "alerts": sum(len(r.alerts) for r in results),
            "false_alerts": sum(len(r.false_alerts) for r in results), "missed": sum(len(r.missed) for r in results),
            "median_delay_items": statistics.median(delays) if delays else None}

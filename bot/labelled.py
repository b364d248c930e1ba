"""Analysts' corrections as labelled cases, in the formats of the quality sets (tests/data/real/README.md).

Each line is a case of one set, named by `"set"`: a `stance` case (the story's text, the stance of each
country the analyst judged) or a `topic` item (a story taken off a topic). A correction judges only the
countries or topics it names, so every case lists them in `"judged"` and is scored on those alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from rich.table import Table

from bot.store import Store
from bot.track.corrections import NO_STANCE, Correction


def labelled_cases(store: Store, corrections: Iterable[Correction]) -> list[dict]:
    """One case per corrected (topic, story) and one topic item per story taken off topics; the latest judgement wins."""
    stance: dict[tuple[str, str], dict[str, Correction]] = {}
    topic: dict[str, dict[str, Correction]] = {}
    for c in sorted(corrections, key=lambda c: c.id):
        if c.kind == "stance":
            stance.setdefault((c.topic_id, c.cluster_id), {})[c.country] = c
        else:
            topic.setdefault(c.cluster_id, {})[c.topic_id] = c
    cases = []
    for (topic_id, _cluster), by_country in stance.items():
        first = min(by_country.values(), key=lambda c: c.id)
        item = store.item(first.item_id)
        judged = sorted(by_country)
        cases.append({
            "set": "stance", "id": f"correction-{first.id}", "topic": topic_id, "text": item.body,
            "stances": {k: by_country[k].label for k in judged if by_country[k].label != NO_STANCE},
            "none": [k for k in judged if by_country[k].label == NO_STANCE], "judged": judged,
            "read": {k: by_country[k].was for k in judged if by_country[k].was},
            "tags": ["correction"], "source": item.link, "published": item.published.date().isoformat(),
            "corrected_by": sorted({c.user_name or c.user_id for c in by_country.values()}),
            "corrected_at": max(c.created_at for c in by_country.values()).isoformat(),
        })
    for _cluster, by_topic in topic.items():
        first = min(by_topic.values(), key=lambda c: c.id)
        item = store.item(first.item_id)
        judged = sorted(by_topic)
        cases.append({
            "set": "topic", "id": f"correction-{first.id}", "title": item.title, "summary": item.summary, "text": item.text,
            "published": item.published.date().isoformat(), "topics": [], "not_topics": judged, "judged": judged,
            "kind": "negative", "tags": ["correction"], "source": item.link,
            "corrected_by": sorted({c.user_name or c.user_id for c in by_topic.values()}),
            "corrected_at": max(c.created_at for c in by_topic.values()).isoformat(),
        })
    return cases


def write_cases(cases: Iterable[dict], out: IO[str]) -> int:
    n = 0
    for case in cases:
        out.write(json.dumps(case, ensure_ascii=False) + "\n")
        n += 1
    return n


def corrections_table(corrections: list[Correction], *, title: str) -> Table:
    """Every correction: when, who, what, on which story."""
    table = Table(title=title)
    for column in ("#", "when (UTC)", "who", "topic", "country", "read → judged", "item", "applied"):
        table.add_column(column, overflow="fold")
    for c in corrections:
        change = "not this topic" if c.kind == "topic" else f"{c.was or '?'} → {c.label}"
        table.add_row(str(c.id), c.created_at.isoformat()[:16], f"{c.user_name} ({c.user_id})", c.topic_id, c.country or "-",
                      change, c.item_id, "yes" if c.applied_at else "pending")
    return table


def corrections_command(db_path, export_file: IO[str] | None) -> str:
    """`stancebot corrections`: the table on stdout, or the labelled cases into `export_file`; a line for stderr."""
    from rich.console import Console

    with Store(db_path, create=False) as store:
        found = store.corrections()
        if export_file is not None:
            n = write_cases(labelled_cases(store, found), export_file)
            return f"wrote {n} labelled cases from {len(found)} corrections to {export_file.name}"
    Console().print(corrections_table(found, title=f"{len(found)} corrections in {db_path}"))
    return f"{len(found)} corrections; --export FILE.jsonl writes them as labelled cases"

"""Scoring the matcher against a labelled set: precision, recall, F1 (pure after embedding)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.ingest.items import Item, make_item
from bot.read.embed import Embedder
from bot.read.gazetteer import Gazetteer
from bot.read.match import build_profiles, match_item
from bot.rules import load_rules
from quality.labelled import Counts, load_jsonl


@dataclass
class TopicEval:
    """Micro-averaged and per-topic counts, plus the errors for inspection."""

    overall: Counts = field(default_factory=Counts)
    per_topic: dict[str, Counts] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)


def labelled_item(case: dict) -> Item:
    """A labelled case as the bot would store it."""
    item = make_item(feed="labelled", identity=str(case["id"]), title=case.get("title", ""), summary=case.get("summary", ""),
                     text=case.get("text", ""), published=datetime(2026, 1, 1, tzinfo=UTC))
    if item is None:
        raise ValueError(f"labelled case {case['id']} has no text")
    return item


def evaluate_topics(rules_dir: Path, items_path: Path, embedder: Embedder, gaz: Gazetteer,
                    *, threshold: float | None = None) -> TopicEval:
    """Match every labelled item against every topic of `rules_dir` and count agreements."""
    rules = load_rules(rules_dir, gaz.codes)
    kwargs = {"default_threshold": threshold} if threshold is not None else {}
    profiles = build_profiles(rules.topics, embedder, gaz, **kwargs)
    items = load_jsonl(items_path)
    # The text the running bot reads: the same Item constructor and Item.body.
    texts = [labelled_item(i).body for i in items]
    vectors = embedder.encode(texts)
    result = TopicEval(per_topic={t.id: Counts() for t in rules.topics})
    for item, text, vector in zip(items, texts, vectors):
        gold = set(item.get("topics") or [])
        for m in match_item(text, vector, profiles, gaz):
            if "judged" in item and m.topic_id not in item["judged"]:
                continue  # an analyst's correction judges only the topics it names
            counts = result.per_topic[m.topic_id]
            if m.matched and m.topic_id in gold:
                counts.tp += 1
            elif m.matched:
                counts.fp += 1
                result.errors.append({"id": item["id"], "topic": m.topic_id, "error": "false match", "reason": m.reason, "title": item.get("title")})
            elif m.topic_id in gold:
                counts.fn += 1
                result.errors.append({"id": item["id"], "topic": m.topic_id, "error": "missed", "reason": m.reason, "title": item.get("title")})
    for c in result.per_topic.values():
        result.overall.tp += c.tp
        result.overall.fp += c.fp
        result.overall.fn += c.fn
    return result

"""Scoring the matcher against a labelled set: precision, recall, F1 (pure after embedding)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from bot.read.embed import Embedder
from bot.read.gazetteer import Gazetteer
from bot.read.match import build_profiles, match_item
from bot.rules import load_rules


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class TopicEval:
    """Micro-averaged and per-topic counts, plus the errors for inspection."""

    overall: Counts = field(default_factory=Counts)
    per_topic: dict[str, Counts] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)


def load_labelled(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate_topics(rules_dir: Path, items_path: Path, embedder: Embedder, gaz: Gazetteer,
                    *, threshold: float | None = None) -> TopicEval:
    """Match every labelled item against every topic of `rules_dir` and count agreements."""
    rules = load_rules(rules_dir, gaz.codes)
    kwargs = {"default_threshold": threshold} if threshold is not None else {}
    profiles = build_profiles(rules.topics, embedder, gaz, **kwargs)
    items = load_labelled(items_path)
    texts = [f"{i.get('title', '')}\n{i.get('summary', '')}".strip() for i in items]
    vectors = embedder.encode(texts)
    result = TopicEval(per_topic={t.id: Counts() for t in rules.topics})
    for item, text, vector in zip(items, texts, vectors):
        gold = set(item.get("topics") or [])
        for m in match_item(text, vector, profiles, gaz):
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

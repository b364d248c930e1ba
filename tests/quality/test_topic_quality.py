"""Topic-matching quality on the labelled set must not regress (real model)."""

from __future__ import annotations

import pytest
from conftest import DATA

from quality.topics import evaluate_topics

pytestmark = pytest.mark.model

# The F1 reached when this floor was set (bench/topic_eval.py), minus a small margin.
F1_FLOOR = 0.85  # reached: 0.865 with onnx-int8, the default (torch: 0.866)


def test_topic_f1_floor(real_embedder, gaz):
    """Micro-averaged F1 over 10 topics and 236 items stays at or above the recorded floor."""
    result = evaluate_topics(DATA / "topic_eval" / "rules", DATA / "topic_eval" / "items.jsonl", real_embedder, gaz)
    assert result.overall.f1 >= F1_FLOOR, result.errors[:20]


def test_labelled_set_is_large_and_varied():
    """The set keeps at least 150 items, 10 per topic, and many hard negatives."""
    from quality.labelled import load_jsonl

    items = load_jsonl(DATA / "topic_eval" / "items.jsonl")
    per_topic: dict[str, int] = {}
    for item in items:
        for t in item["topics"]:
            per_topic[t] = per_topic.get(t, 0) + 1
    assert len(items) >= 150 and len(per_topic) >= 10 and min(per_topic.values()) >= 10
    assert sum(1 for i in items if "hard negative" in (i.get("note") or "")) >= 40

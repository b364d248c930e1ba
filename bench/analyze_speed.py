"""Throughput of `stancebot analyze` with stances, in items/s, on this machine.

Runs the labelled topic-evaluation items (repeated to --items) through the same code as the
command: embed, match every topic of rules/, and read stances for matched topics.
Usage: python bench/analyze_speed.py [--items 1000]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from memory import peak_rss_mb  # noqa: E402  (bench/memory.py)

from bot.analyze import run_analyze  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.models import embedder_for, reader_for  # noqa: E402
from bot.read.gazetteer import default_gazetteer  # noqa: E402
from bot.read.match import build_profiles  # noqa: E402
from bot.rules import load_rules  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    args = parser.parse_args()
    source = [json.loads(x) for x in (ROOT / "tests/data/topic_eval/items.jsonl").read_text().splitlines() if x.strip()]
    lines = [json.dumps({"id": n, "title": source[n % len(source)]["title"], "summary": source[n % len(source)]["summary"]})
             for n in range(args.items)]
    start = time.perf_counter()
    gaz, embedder = default_gazetteer(), embedder_for(load_settings())
    reader = reader_for(load_settings(), gaz, embedder)
    rules = load_rules(ROOT / "tests/data/topic_eval/rules", gaz.codes)
    profiles = build_profiles(rules.topics, embedder, gaz)
    loaded = time.perf_counter()

    out = io.StringIO()
    run_analyze(io.StringIO("\n".join(lines)), out, sys.stderr, embedder=embedder, profiles=profiles, gaz=gaz, reader=reader)
    done = time.perf_counter()
    results = [json.loads(x) for x in out.getvalue().splitlines()]
    matched = sum(t["matched"] for r in results for t in r["topics"])
    stances = sum(len(t["stances"]) for r in results for t in r["topics"])
    print(f"items: {args.items}, topics: {len(rules.topics)}, matched (item, topic): {matched}, stances: {stances}")
    print(f"load (model, spaCy, gazetteer, topic profiles): {loaded - start:.1f} s")
    print(f"analyze throughput: {args.items / (done - loaded):.1f} items/s on {os.cpu_count()} cores")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()

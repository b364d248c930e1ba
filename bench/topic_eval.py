"""Topic-matching quality on the labelled set: precision, recall and F1 per topic and overall.

Usage: python bench/topic_eval.py [--errors] [--sweep]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.models import embedder_for  # noqa: E402
from bot.read.gazetteer import default_gazetteer  # noqa: E402
from quality.topics import evaluate_topics  # noqa: E402

RULES = ROOT / "tests/data/topic_eval/rules"
ITEMS = ROOT / "tests/data/topic_eval/items.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every false match and miss")
    parser.add_argument("--sweep", action="store_true", help="also try default thresholds from 0.30 to 0.60")
    args = parser.parse_args()
    embedder, gaz = embedder_for(load_settings()), default_gazetteer()
    result = evaluate_topics(RULES, ITEMS, embedder, gaz)
    print(f"{'topic':34} {'P':>6} {'R':>6} {'F1':>6}  tp fp fn")
    for topic, c in sorted(result.per_topic.items()):
        print(f"{topic:34} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}  {c.tp:2} {c.fp:2} {c.fn:2}")
    o = result.overall
    print(f"{'ALL (micro)':34} {o.precision:6.3f} {o.recall:6.3f} {o.f1:6.3f}  {o.tp:2} {o.fp:2} {o.fn:2}")
    if args.errors:
        for e in result.errors:
            print(f"  {e['error']:12} {e['id']} {e['topic']:30} {e['reason']:50} | {e['title']}")
    if args.sweep:
        for t in [x / 100 for x in range(30, 61, 3)]:
            o = evaluate_topics(RULES, ITEMS, embedder, gaz, threshold=t).overall
            print(f"threshold {t:.2f}: P {o.precision:.3f} R {o.recall:.3f} F1 {o.f1:.3f}")


if __name__ == "__main__":
    main()

"""Shift detection on the labelled timelines in tests/data/timelines: false alerts, missed shifts and
the median delay (in items) between a flip starting and its alert.

Usage: python bench/shift_eval.py [TIMELINE.yaml ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.models import embedder_for, reader_for  # noqa: E402
from bot.read.gazetteer import default_gazetteer  # noqa: E402
from bot.rules import load_rules  # noqa: E402
from quality.timelines import load_timeline, score_timeline, summarize  # noqa: E402

DATA = ROOT / "tests/data/timelines"


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or sorted(DATA.glob("*.yaml"))
    gaz, embedder = default_gazetteer(), embedder_for(load_settings())
    reader = reader_for(load_settings(), gaz, embedder)
    rules = load_rules(DATA / "rules", gaz.codes)
    results = []
    for path in paths:
        r = score_timeline(load_timeline(path), rules, embedder=embedder, reader=reader, gaz=gaz)
        results.append(r)
        print(f"== {r.name}: {len(r.alerts)} alerts, {len(r.false_alerts)} false, {len(r.missed)} missed, delays {r.delays}")
        for a in r.alerts:
            flag = "FALSE " if a in r.false_alerts else "ok    "
            print(f"   {flag}{a['at'][:16]} {a['topic']} {a['country']}: {a['from']} -> {a['to']}")
        for m in r.missed:
            print(f"   MISSED {m}")
    print("summary:", summarize(results))


if __name__ == "__main__":
    main()

"""The real-style three-month timeline(s) in tests/data/real/timelines: topic matching on every item, and the
alerts and board of the bot next to those of its labels replayed through the same tracker (the oracle).

Usage: python bench/real_timeline.py [--errors]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.models import embedder_for, reader_for  # noqa: E402
from bot.read.gazetteer import default_gazetteer  # noqa: E402
from quality.oracle import judge_timeline  # noqa: E402
from quality.real import REAL, real_rules  # noqa: E402
from quality.timelines import load_timeline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list topic errors and alert differences")
    args = parser.parse_args()
    settings = load_settings()
    gaz = default_gazetteer()
    embedder = embedder_for(settings)
    reader = reader_for(settings, gaz, embedder)
    rules = real_rules(gaz)
    for path in sorted((REAL / "timelines").glob("*.yaml")):
        timeline = load_timeline(path)
        started = time.perf_counter()
        j = judge_timeline(timeline, rules, embedder=embedder, reader=reader, gaz=gaz)
        outlets = len({i["feed"] for i in timeline["items"]})
        print(f"== {timeline['name']}: {len(timeline['items'])} items from {outlets} outlets ({time.perf_counter() - started:.1f} s)")
        t = j.topics
        print(f"   topics      P {t.precision:.3f}  R {t.recall:.3f}  F1 {t.f1:.3f}   (tp {t.tp}, fp {t.fp}, fn {t.fn})")
        print(f"   alerts      bot {len(j.bot.alerts)}, oracle {len(j.oracle.alerts)}; wrong {len(j.wrong_alerts)}, "
              f"missed {len(j.missed_alerts)}, flapping {len(j.flaps)}")
        settled = len(j.oracle.board)
        print(f"   board       {settled - sum(1 for k in j.board_wrong if k in j.oracle.board)}/{settled} settled as the "
              f"oracle settles them; {sum(1 for k in j.board_wrong if k not in j.oracle.board)} settled that it leaves open")
        if args.errors:
            for line in j.topic_errors:
                print("    topic  " + line)
            for a in j.wrong_alerts:
                print(f"    wrong  {a['at'][:10]} {a['topic']} {a['country']} {a['from']} -> {a['to']}")
            for a in j.missed_alerts:
                print(f"    missed {a['at'][:10]} {a['topic']} {a['country']} {a['from']} -> {a['to']}")
            for key, (bot, oracle) in sorted(j.board_wrong.items()):
                print(f"    board  {key[0]} {key[1]}: bot {bot}, oracle {oracle}")


if __name__ == "__main__":
    main()

"""The reader on real-style reporting (tests/data/real): stances, articles (two topics each) and topic matching,
per slice (tune / measure-only) and per dispute.

Usage: python bench/real_eval.py [--stances] [--articles] [--topics] [--errors tune|measure|fresh|fresh2|fresh3] [--tags]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.models import embedder_for, reader_for  # noqa: E402
from bot.read.gazetteer import default_gazetteer  # noqa: E402
from quality.labelled import Counts  # noqa: E402
from quality.real import (  # noqa: E402
    evaluate_articles,
    evaluate_stances,
    match_topic_items,
    reader_predict,
    real_rules,
    score_topic_items,
    stance_cases,
)


def line(name: str, c: Counts) -> str:
    return f"{name:28} P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}   (tp {c.tp}, fp {c.fp}, fn {c.fn})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stances", action="store_true")
    parser.add_argument("--articles", action="store_true")
    parser.add_argument("--topics", action="store_true")
    parser.add_argument("--errors", choices=["tune", "measure", "fresh", "fresh2", "fresh3"], help="list one slice's disagreements")
    parser.add_argument("--tags", action="store_true", help="errors per construction tag")
    args = parser.parse_args()
    everything = not (args.stances or args.articles or args.topics)
    settings = load_settings()
    gaz = default_gazetteer()
    embedder = embedder_for(settings)
    reader = reader_for(settings, gaz, embedder)
    rules = real_rules(gaz)
    topics = {t.id: t for t in rules.topics}

    predict = reader_predict(reader)

    if args.stances or everything:
        cases = stance_cases("stance")
        started = time.perf_counter()
        reports = evaluate_stances(cases, topics, predict)
        print(f"== stances: {len(cases)} cases, {len(cases) / (time.perf_counter() - started):.0f} texts/s")
        for name, report in reports.items():
            r = report.overall
            print(f"-- {name}: macro-F1 {r.macro_f1:.3f}, neutral F1 {r.per_class['neutral'].f1:.3f}, "
                  f"no-stance countries given one {r.none_given}/{r.none_total} ({r.none_rate:.1%})")
            for label, c in r.per_class.items():
                print("   " + line(label, c))
            for dispute, d in report.per_dispute.items():
                print(f"   {dispute:28} macro-F1 {d.macro_f1:.3f}  (sup F1 {d.per_class['supportive'].f1:.2f}, "
                      f"opp F1 {d.per_class['opposed'].f1:.2f}, neu F1 {d.per_class['neutral'].f1:.2f}, leaks {d.none_given})")
            if args.errors == name:
                tags = {c["id"]: c.get("tags", []) for c in cases}
                for e in r.errors:
                    print(f"    {e['id']} {e['country']}: gold {e['gold']}, got {e['got']} {tags.get(e['id'])} | {e['text'][:220]}")
            if args.tags:
                tags = {c["id"]: c.get("tags", []) for c in cases}
                seen = Counter(t for c in cases if c["id"] in {x["id"] for x in cases} for t in c.get("tags", []))
                wrong = Counter(t for e in r.errors for t in tags.get(e["id"], []))
                print("   errors per tag: " + ", ".join(f"{t} {wrong[t]}/{seen[t]}" for t, _ in wrong.most_common(20)))
    if args.articles or everything:
        articles = stance_cases("articles")
        for name, report in evaluate_articles(articles, topics, predict).items():
            r = report.scores
            print(f"== articles, {name}: macro-F1 {r.macro_f1:.3f}, neutral F1 {r.per_class['neutral'].f1:.3f}, "
                  f"stances copied onto the other topic {len(report.copies)}")
            if args.errors == name:
                for e in r.errors:
                    print(f"    {e['id']} {e['country']}: gold {e['gold']}, got {e['got']}")
    if args.topics or everything:
        items = stance_cases("topic")
        matched = match_topic_items(items, rules, embedder, gaz)
        for name, report in score_topic_items(items, matched, [t.id for t in rules.topics]).items():
            print(f"== topics, {name}: " + line("all (micro)", report.overall))
            for kind, c in sorted(report.per_kind.items()):
                print(f"   {kind:10} recall {c.recall:.3f} (tp {c.tp}, fn {c.fn}), false matches {c.fp}")
            if args.errors == name:
                for e in report.errors:
                    print(f"    {e['error']:12} {e['id']:10} {e['topic']:28} {e['kind']:9} | {e['title']}")



if __name__ == "__main__":
    main()

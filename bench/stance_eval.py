"""Stance extraction quality: per-class precision/recall/F1, macro-F1 (supportive/opposed) and
how often a country with no stance is given one, on the tuning and the held-out slices.

Usage: python bench/stance_eval.py [--errors tune|heldout] [--no-fallback]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.read.gazetteer import default_gazetteer  # noqa: E402
from bot.read.nlp import load_nlp  # noqa: E402
from bot.read.reader import StanceReader  # noqa: E402
from quality.labelled import load_jsonl  # noqa: E402
from quality.stances import CLASSES, score_cases, topics_from  # noqa: E402

DATA = ROOT / "tests/data/stance_eval"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=["tune", "heldout"], help="list the disagreements of one slice")
    parser.add_argument("--no-fallback", action="store_true", help="lexicon and parse only, no embedding fallback")
    args = parser.parse_args()
    gaz, nlp = default_gazetteer(), load_nlp()
    embedder = None
    if not args.no_fallback:
        from bot.config import load_settings
        from bot.models import embedder_for

        embedder = embedder_for(load_settings())
    topics = topics_from(DATA / "topics.yaml", gaz, nlp)
    reader = StanceReader(nlp=nlp, gaz=gaz, embedder=embedder)
    for name in ("tune", "heldout"):
        cases = load_jsonl(DATA / f"{name}.jsonl")
        start = time.perf_counter()
        result = score_cases(cases, lambda c: {s.country: s.label for s in reader.find(c["text"], topics[c["topic"]])})
        elapsed = time.perf_counter() - start
        print(f"== {name}: {len(cases)} texts, {result.cases} (text, country) labels, {len(cases) / elapsed:.1f} texts/s")
        for cls in CLASSES:
            c = result.per_class[cls]
            print(f"  {cls:11} P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}   (tp {c.tp}, fp {c.fp}, fn {c.fn})")
        print(f"  macro-F1 (supportive, opposed): {result.macro_f1:.3f}")
        print(f"  no-stance countries given a stance: {result.none_given}/{result.none_total} ({result.none_rate:.1%})")
        if args.errors == name:
            for e in result.errors:
                print(f"    {e['id']} {e['country']}: gold {e['gold']}, got {e['got']} | {e['text'][:160]}")


if __name__ == "__main__":
    main()

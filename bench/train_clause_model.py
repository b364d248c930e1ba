"""Learn the clause judge (bot/data/clause_model.npz) from the clauses the parse leaves open in labelled cases.

Every case of the tuning slices of tests/data/real (and our own tuning set) is read with the rules; each clause
they judge for a country becomes one example: its MiniLM vector, the country's role toward the topic, whether the
rules left it to the fallback (no cue word), and the country's gold label (none when the case gives it no stance).
A multinomial logistic regression learns from them. The judge is only ever asked about open clauses, so it is
scored on those: leave-one-dispute-out on the tuning slices, and, learned on all of them, on the measure-only
slices (measure, fresh3) and our held-out set, which it never learns from.

Usage: python bench/train_clause_model.py [--write] [--C 1.0] [--threshold 0.5]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.ingest.items import make_item  # noqa: E402
from bot.models import embedder_for  # noqa: E402
from bot.read.gazetteer import default_gazetteer  # noqa: E402
from bot.read.learned import CLASSES, MODEL_FILE, POLARITY, ClauseModel, features  # noqa: E402
from bot.read.model_files import model_label, packaged_model_path  # noqa: E402
from bot.read.nlp import load_nlp  # noqa: E402
from bot.read.reader import StanceReader, role_of  # noqa: E402
from quality.labelled import load_jsonl  # noqa: E402
from quality.real import EPOCH, TUNING_SLICES, real_rules, slices, stance_cases  # noqa: E402
from quality.stances import topics_from  # noqa: E402

OWN = ROOT / "tests/data/stance_eval"
NAMES = {polarity: name for name, polarity in POLARITY.items()}


def examples(reader: StanceReader) -> list[dict]:
    """One row per clause the rules judge for a country: slice, dispute, clause, role, left open, gold label."""
    rules = real_rules(reader.gaz)
    topics = {t.id: reader.topic_for(t) for t in rules.topics}
    of = slices()
    rows = []

    def add(where: str, dispute: str, text: str, topic, gold: dict) -> None:
        for clause, country, left in reader.clauses(text, topic):
            rows.append({"slice": where, "dispute": dispute, "clause": clause, "role": role_of(country, topic),
                         "open": left, "label": gold.get(country) or "none"})

    for case in stance_cases("stance"):
        body = make_item(feed="eval", title="", summary=case["text"], published=EPOCH).body
        add(of.get(case["topic"], "?"), case["topic"], body, topics[case["topic"]], case.get("stances", {}))
    own = topics_from(OWN / "topics.yaml", reader.gaz, reader.nlp)
    for name in ("tune", "heldout"):
        for case in load_jsonl(OWN / f"{name}.jsonl"):
            add(f"own-{name}", case["topic"], case["text"], own[case["topic"]], case.get("stances", {}))
    return rows


def fit(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    weights = np.zeros((len(CLASSES), x.shape[1]), dtype=np.float32)
    bias = np.full(len(CLASSES), -1e3, dtype=np.float32)  # (a class absent from the data is never chosen)
    weights[clf.classes_] = clf.coef_
    bias[clf.classes_] = clf.intercept_
    return weights, bias


def report(name: str, gold: list[str], got: list[str]) -> None:
    parts = []
    for cls in ("opposed", "supportive", "neutral"):
        tp = sum(g == p == cls for g, p in zip(gold, got, strict=True))
        fp = sum(p == cls != g for g, p in zip(gold, got, strict=True))
        fn = sum(g == cls != p for g, p in zip(gold, got, strict=True))
        parts.append(f"{cls} tp {tp} fp {fp} fn {fn}")
    print(f"  {name:34} {len(gold):4} clauses | " + " | ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_FILE.relative_to(ROOT)}")
    parser.add_argument("--C", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--threshold", type=float, default=0.5, help="probability a stance needs")
    args = parser.parse_args()
    settings = load_settings()
    embedder = embedder_for(settings)
    label = model_label(settings.model_path or packaged_model_path())  # what ClauseModel.fits checks embedder names against
    reader = StanceReader(nlp=load_nlp(), gaz=default_gazetteer(), embedder=embedder, learned=False)
    rows = examples(reader)
    vectors = embedder.encode([r["clause"] for r in rows])
    x = features(vectors, [r["role"] for r in rows], [r["open"] for r in rows])
    y = np.array([CLASSES.index(r["label"]) for r in rows])
    training = [r["slice"] in (*TUNING_SLICES, "own-tune") for r in rows]
    print(f"{len(rows)} clauses, {sum(r['open'] for r in rows)} left open; open ones by slice and label: "
          + ", ".join(f"{s} {dict(Counter(r['label'] for r in rows if r['slice'] == s and r['open']))}"
                      for s in dict.fromkeys(r["slice"] for r in rows)))
    train = np.flatnonzero(training)

    def judged(model: ClauseModel, idx: np.ndarray) -> list[str]:
        out = []
        for i in idx:
            verdict = model.judge(vectors[i], rows[i]["role"])
            out.append("none" if verdict is None else NAMES[verdict[0]])
        return out

    print("leave one dispute out, on the tuning slices:")
    gold, got = [], []
    for dispute in sorted({rows[i]["dispute"] for i in train}):
        held = np.array([i for i in train if rows[i]["dispute"] == dispute and rows[i]["open"]], dtype=int)
        rest = np.array([i for i in train if rows[i]["dispute"] != dispute])
        model = ClauseModel(*fit(x[rest], y[rest], args.C), embedder=label, threshold=args.threshold)
        gold += [rows[i]["label"] for i in held]
        got += judged(model, held)
    report("tuning slices (held-out disputes)", gold, got)
    model = ClauseModel(*fit(x[train], y[train], args.C), embedder=label, threshold=args.threshold)
    print("learned on every tuning clause, judged on the measure-only clauses:")
    for name in ("measure", "fresh3", "own-heldout"):
        idx = np.array([i for i, r in enumerate(rows) if r["slice"] == name and r["open"]])
        report(name, [rows[i]["label"] for i in idx], judged(model, idx))
    if args.write:
        model.save(MODEL_FILE)
        print(f"wrote {MODEL_FILE.relative_to(ROOT)} ({len(train)} clauses, C={args.C}, threshold={args.threshold})")


if __name__ == "__main__":
    main()

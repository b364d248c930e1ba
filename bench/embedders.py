"""Embedding backends side by side on the same MiniLM weights: torch, ONNX fp32, ONNX int8.

Per backend, in a fresh subprocess each (so that one backend's imports and memory do not colour
another's; ONNX exports are made first, so start-up is the everyday one, not the first-ever):
start-up (imports + model load), first encode, throughput on --texts texts of news length, peak RSS.
In this process: cosine of each backend's vectors to torch's on the same texts, topic matching F1
(tests/data/topic_eval), stance macro-F1 on both slices (tests/data/stance_eval) and the shift
timelines (tests/data/timelines), with the issue's gate: F1 within 0.02 of torch.

Run:  .venv/bin/python bench/embedders.py [--backends torch,onnx,onnx-int8] [--texts 2000] [--threads N]
                                          [--static DIR]
About 3 minutes on a 2-core machine. --static DIR adds a model2vec static model (say one distilled
from MiniLM with model2vec's distill extra, in a venv of its own: it pins an older transformers) as
a candidate; it needs `pip install model2vec` and is not one of the bot's backends.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from memory import peak_rss_mb  # noqa: E402  (bench/memory.py)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

BACKENDS = ("torch", "onnx", "onnx-int8")
GATE = 0.02
DATA = ROOT / "tests/data"


def corpus(n: int) -> list[str]:
    """`n` texts of news length: the labelled items' and stance texts, cycled, each made distinct."""
    base = []
    for line in (DATA / "topic_eval/items.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            base.append(f"{item.get('title', '')}\n{item.get('summary', '')}".strip())
    for name in ("tune", "heldout"):
        for line in (DATA / f"stance_eval/{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                base.append(json.loads(line)["text"])
    # Pairs of texts make news-body lengths (1-6 sentences); the number keeps every text distinct.
    return [f"{base[i % len(base)]} {base[(i * 7 + 3) % len(base)]} ({i})" for i in range(n)]


class StaticEmbedder:
    """A model2vec static model from a local folder: a candidate measured here, not a bot backend."""

    def __init__(self, path: Path):
        from model2vec import StaticModel

        self._model = StaticModel.from_pretrained(str(path))
        self.name = f"model2vec-{Path(path).name}"

    def encode(self, texts):
        import numpy as np

        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)


class Memo:
    """An embedder that encodes each text once (the threshold sweep re-reads the same texts)."""

    def __init__(self, inner):
        self.inner, self.name, self.seen = inner, inner.name, {}

    def encode(self, texts):
        import numpy as np

        fresh = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if fresh:
            self.seen.update(zip(fresh, self.inner.encode(fresh)))
        return np.stack([self.seen[t] for t in texts]) if texts else self.inner.encode(texts)


def make_embedder(backend: str, static: Path | None, threads: int | None = None):
    if backend == "static":
        return StaticEmbedder(static)
    from bot.config import load_settings
    from bot.models import embedder_for

    env = dict(os.environ, STANCEBOT_EMBEDDER=backend, **({"STANCEBOT_THREADS": str(threads)} if threads else {}))
    return embedder_for(load_settings(env))


def worker(backend: str, n: int, threads: int | None, static: Path | None) -> None:
    """Runs in the subprocess: prints one JSON line of timings and peak RSS."""
    t0 = time.perf_counter()
    import bot.read.embed  # noqa: F401  (the bot's imports, timed apart from the model load)

    t1 = time.perf_counter()
    embedder = make_embedder(backend, static, threads)
    t2 = time.perf_counter()
    embedder.encode(["A first sentence, as the bot's first item would be."])
    t3 = time.perf_counter()
    texts = corpus(n)
    t4 = time.perf_counter()
    embedder.encode(texts)
    t5 = time.perf_counter()
    print(json.dumps({"backend": backend, "imports_s": t1 - t0, "load_s": t2 - t1, "first_s": t3 - t2,
                      "items_per_s": n / (t5 - t4), "rss_mb": peak_rss_mb(),
                      "torch_imported": "torch" in sys.modules}))


def measure_speed(backend: str, n: int, threads: int | None, static: Path | None) -> dict:
    cmd = [sys.executable, __file__, "--worker", backend, "--texts", str(n)] + (["--threads", str(threads)] if threads else []) \
        + (["--static", str(static)] if static else [])
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=dict(os.environ, PYTHONWARNINGS="ignore"))
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - start
    return result


def measure_quality(backends: list[str], n: int, static: Path | None) -> dict[str, dict]:
    import numpy as np

    from bot.read.gazetteer import default_gazetteer
    from bot.read.nlp import load_nlp
    from bot.read.reader import StanceReader
    from bot.rules import load_rules
    from quality.labelled import load_jsonl
    from quality.stances import score_cases, topics_from
    from quality.timelines import load_timeline, score_timeline, summarize
    from quality.topics import evaluate_topics

    gaz, nlp = default_gazetteer(), load_nlp()
    stance_topics = topics_from(DATA / "stance_eval/topics.yaml", gaz, nlp)
    timeline_rules = load_rules(DATA / "timelines/rules", gaz.codes)
    texts = corpus(min(n, 1000))
    reference = None
    out: dict[str, dict] = {}
    for backend in backends:
        embedder = make_embedder(backend, static)
        vectors = embedder.encode(texts)
        if reference is None and backend == "torch":
            reference = vectors
        same_space = reference is not None and vectors.shape == reference.shape
        cos = (vectors * reference).sum(axis=1) if same_space else None
        # What matching relies on, comparable across models of any size: do the same texts come out similar?
        upper = np.triu_indices(300, k=1)
        sim_corr = float(np.corrcoef((vectors[:300] @ vectors[:300].T)[upper],
                                     (reference[:300] @ reference[:300].T)[upper])[0, 1]) if reference is not None else None
        topic = evaluate_topics(DATA / "topic_eval/rules", DATA / "topic_eval/items.jsonl", embedder, gaz).overall
        # The thresholds were tuned on MiniLM's similarity scale; another model gets its best one too.
        memo = Memo(embedder)
        sweep = {t / 100: evaluate_topics(DATA / "topic_eval/rules", DATA / "topic_eval/items.jsonl", memo, gaz,
                                          threshold=t / 100).overall.f1 for t in range(25, 76)}
        best_threshold = max(sweep, key=sweep.get)
        reader = StanceReader(nlp=nlp, gaz=gaz, embedder=embedder)
        slices = {}
        for name in ("tune", "heldout"):
            cases = load_jsonl(DATA / f"stance_eval/{name}.jsonl")
            slices[name] = score_cases(cases, lambda c, reader=reader: {s.country: s.label for s in reader.find(
                c["text"], stance_topics[c["topic"]])}).macro_f1
        timelines = summarize([score_timeline(load_timeline(p), timeline_rules, embedder=embedder, reader=reader, gaz=gaz)
                               for p in sorted((DATA / "timelines").glob("*.yaml"))])
        out[backend] = {"topic_f1": topic.f1, "topic_best": (sweep[best_threshold], best_threshold),
                        "topic_p": topic.precision, "topic_r": topic.recall,
                        "stance_tune": slices["tune"], "stance_heldout": slices["heldout"],
                        "cos_min": float(cos.min()) if cos is not None else None,
                        "cos_mean": float(cos.mean()) if cos is not None else None,
                        "cos_p1": float(np.percentile(cos, 1)) if cos is not None else None, "sim_corr": sim_corr,
                        "alerts": timelines["alerts"], "false_alerts": timelines["false_alerts"], "missed": timelines["missed"]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backends", default=",".join(BACKENDS))
    ap.add_argument("--texts", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=0, help="STANCEBOT_THREADS for the speed runs (0: the library's default)")
    ap.add_argument("--static", type=Path, help="a model2vec static model folder to measure as a candidate")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.texts, args.threads or None, args.static)
        return
    backends = [b.strip() for b in args.backends.split(",") if b.strip()] + (["static"] if args.static else [])
    if "torch" in backends:
        backends = ["torch"] + [b for b in backends if b != "torch"]  # the reference comes first
    print(f"stancebot embedder bench: {', '.join(backends)}; {args.texts} texts; {os.cpu_count()} CPUs; "
          f"threads {args.threads or 'default'}")
    quality = measure_quality(backends, args.texts, args.static)  # also makes the ONNX exports, before the timed runs
    speed = {b: measure_speed(b, args.texts, args.threads or None, args.static) for b in backends}
    ref_speed = speed.get("torch", {}).get("items_per_s")
    print(f"\n{'backend':10} {'start s':>8} {'load s':>7} {'items/s':>8} {'x torch':>8} {'RSS MB':>7} {'torch?':>6}")
    for b in backends:
        s = speed[b]
        ratio = f"{s['items_per_s'] / ref_speed:.2f}x" if ref_speed else "-"
        print(f"{b:10} {s['imports_s'] + s['load_s']:8.2f} {s['load_s']:7.2f} {s['items_per_s']:8.0f} {ratio:>8} "
              f"{s['rss_mb']:7.0f} {'yes' if s['torch_imported'] else 'no':>6}")
    ref = quality.get("torch")
    print(f"\n{'backend':10} {'cos min':>7} {'cos p1':>7} {'cos avg':>7} {'sim corr':>8} {'topic F1':>8} {'(best, thr)':>12} {'stance tune':>11} "
          f"{'stance held':>11} {'shifts (ok/false/missed)':>25}  gate")
    for b in backends:
        q = quality[b]
        cos = (f"{q['cos_min']:7.4f} {q['cos_p1']:7.4f} {q['cos_mean']:7.4f}" if q["cos_min"] is not None
               else f"{'-':>7} {'-':>7} {'-':>7}") + (f" {q['sim_corr']:8.3f}" if q["sim_corr"] is not None else f" {'-':>8}")
        deltas = [abs(q[k] - ref[k]) for k in ("topic_f1", "stance_tune", "stance_heldout")] if ref else []
        gate = ("reference" if b == "torch" else ("ok" if max(deltas) <= GATE else f"FAIL (max dF1 {max(deltas):.3f})")) \
            if ref else "-"
        shifts = f"{q['alerts'] - q['false_alerts']}/{q['false_alerts']}/{q['missed']}"
        best = f"{q['topic_best'][0]:.3f} {q['topic_best'][1]:.2f}"
        print(f"{b:10} {cos} {q['topic_f1']:8.3f} {best:>12} {q['stance_tune']:11.3f} {q['stance_heldout']:11.3f} {shifts:>25}  {gate}")
    print("\ncos: each text's vector against torch's (same model only); sim corr: correlation of the pairwise "
          "similarities of 300 texts with torch's")
    print(f"gate: topic and stance F1 within {GATE} of torch (sentence-transformers) at the shipped thresholds")


if __name__ == "__main__":
    main()

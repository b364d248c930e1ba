"""Full-text reading speed on this machine: extraction, reading, and end to end, in articles/s; and summary-only speed.

Builds --articles synthetic news pages (quality/articles.py: 600-900 words each, with a menu, a cookie banner, a
related-stories box and readers' comments), each behind a feed item that carries one sentence, all about the US
strikes in the Caribbean with two to four countries speaking in the body. Measured:

  extraction   bot.ingest.extract.extract_text (trafilatura) on every page
  reading      the lead embedded for matching, match_and_read on the chosen passages (bot.fulltext), real models
  whole parse  for comparison: spaCy over every whole article, what reading the passages avoids
  end to end   bot.pipeline.process_pending over the stored items of a `fulltext: true` feed: each article fetched from a
               local server (robots.txt, guard, limits), extracted, language-checked, matched, read, stored

With --summary-only, only bot.pipeline.process_pending over --items summary-only items (tests/data/topic_eval), so
the same command can be run against another checkout (PYTHONPATH=that/checkout) to compare before and after.

Run:  .venv/bin/python bench/article_speed.py [--articles 200] [--items 1000] [--summary-only]
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import random
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.append(str(HERE))  # after PYTHONPATH: `--summary-only` measures whichever checkout PYTHONPATH names

from bot.config import load_settings  # noqa: E402
from bot.models import embedder_for, reader_for  # noqa: E402
from bot.pipeline import process_pending  # noqa: E402
from bot.read.gazetteer import default_gazetteer  # noqa: E402
from bot.read.match import build_profiles  # noqa: E402
from bot.rules import load_rules  # noqa: E402
from bot.store import Store  # noqa: E402

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
SPEAKERS = [
    "Brazil's foreign ministry condemned the strikes as a dangerous escalation that threatens the stability of the region.",
    "Colombia's president said the attacks on the boats were illegal and warned that they could destabilise the Caribbean.",
    "Guyana welcomed the deployment as a necessary step against the traffickers who use its coast.",
    "Trinidad and Tobago's prime minister praised the operation and said her government fully supports it.",
    "Mexico's foreign ministry said the strikes violated international law and called on Washington to halt them.",
    "Jamaica's foreign minister said her government supported the operation against the traffickers.",
    "Barbados's prime minister condemned the strikes, saying they risked dragging the region into a conflict.",
    "The Dominican Republic's government welcomed the US deployment, saying it had made its coast safer.",
    "Cuba's foreign ministry denounced the naval buildup as an act of aggression against Venezuela.",
    "Chile's government called for calm and dialogue between Washington and Caracas over the deployment.",
]


def pages(n: int, seed: int) -> list[tuple[str, str]]:
    """(title, html) of n synthetic article pages."""
    from quality.articles import article_page

    rng = random.Random(seed)
    out = []
    for k in range(n):
        stances = rng.sample(SPEAKERS, rng.randint(2, 4))
        page = article_page(seed * 10_000 + k, stances=stances, title=f"US strike on a drug boat off Venezuela draws reactions ({k})")
        out.append((page.title, page.html))
    return out


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:.1f}/s ({seconds:.2f} s for {count})"


def summary_only(items: int) -> None:
    """process_pending over summary-only items, with whatever this checkout's process_pending does by default in the app."""
    from bot.ingest.items import make_item

    source = [json.loads(x) for x in (HERE / "tests/data/topic_eval/items.jsonl").read_text().splitlines() if x.strip()]
    gaz, settings = default_gazetteer(), load_settings()
    embedder = embedder_for(settings)
    reader = reader_for(settings, gaz, embedder)
    rules = load_rules(HERE / "tests/data/topic_eval/rules", gaz.codes)
    profiles = build_profiles(rules.topics, embedder, gaz)
    extra = {}
    if "detector" in inspect.signature(process_pending).parameters:  # this checkout detects languages: the app passes it
        from bot.read.language import LanguageDetector

        extra["detector"] = LanguageDetector()
    store = Store(":memory:")
    made = [make_item(feed=f"Feed {n % 7}", title=source[n % len(source)]["title"], summary=source[n % len(source)]["summary"],
                      guid=f"g{n}", published=NOW - timedelta(minutes=n)) for n in range(items)]
    store.add_items([m for m in made if m], now=NOW)
    start = time.perf_counter()
    report = process_pending(store, embedder, profiles, rules, gaz, now=NOW, default_channel="#b", reader=reader, **extra)
    took = time.perf_counter() - start
    print(f"summary-only process_pending ({bot_path()}): {rate(report.processed, took)} items, {report.matched} matched")


def bot_path() -> str:
    import bot

    return str(Path(bot.__file__).resolve().parents[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--summary-only", action="store_true")
    args = parser.parse_args()
    if args.summary_only:
        summary_only(args.items)
        return
    from bot.fulltext import article_inputs, text_for_reading
    from bot.ingest.article import ArticleFetcher
    from bot.ingest.extract import extract_text
    from bot.ingest.fetch import make_client
    from bot.ingest.items import make_item
    from bot.read.article import Article
    from bot.read.language import LanguageDetector
    from bot.read.reading import match_and_read
    from bot.rules import Feed, Rules

    built = pages(args.articles, args.seed)
    gaz, settings = default_gazetteer(), load_settings()
    embedder = embedder_for(settings)
    reader = reader_for(settings, gaz, embedder)
    shipped = load_rules(HERE / "rules", gaz.codes)
    profiles = build_profiles(shipped.topics, embedder, gaz)
    summary = "A US warship struck a speedboat in the southern Caribbean on Tuesday."

    start = time.perf_counter()
    texts = [extract_text(html) for _, html in built]
    extraction = time.perf_counter() - start

    items = [make_item(feed="Bench", title=title, summary=summary, guid=f"a{k}", link=f"http://127.0.0.1/a/{k}",
                       published=NOW - timedelta(minutes=k)) for k, (title, _) in enumerate(built)]
    articles = {i.id: Article(i.id, i.feed, "ok", t) for i, t in zip(items, texts, strict=True)}
    start = time.perf_counter()
    vectors = dict(zip([i.id for i in items], embedder.encode([i.body for i in items]), strict=True))
    inputs, input_vectors = article_inputs(items, vectors, articles, embedder)
    readings = match_and_read(inputs, input_vectors, profiles, gaz, reader,
                              texts=lambda item, chosen: text_for_reading(item, chosen, articles, profiles, gaz))
    reading = time.perf_counter() - start
    matched = sum(1 for r in readings if any(m.matched for m in r.matches))
    stances = sum(len(v) for r in readings for v in r.stances.values())

    sample = texts[: min(20, len(texts))]
    start = time.perf_counter()
    list(reader.nlp.pipe(sample, batch_size=16))
    whole = (time.perf_counter() - start) / len(sample)

    served = {f"/a/{k}": html.encode() for k, (_, html) in enumerate(built)}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            body = served.get(self.path, b"User-agent: *\nDisallow: /private/\n" if self.path == "/robots.txt" else None)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    feed = Feed(name="Bench", url=f"{base}/feed.xml", allow_private=True, fulltext="on")
    rules = Rules(shipped.root, (feed,), shipped.watchlists)
    store = Store(":memory:")
    store.add_items([make_item(feed="Bench", title=title, summary=summary, guid=f"e{k}", link=f"{base}/a/{k}",
                               published=NOW - timedelta(minutes=k)) for k, (title, _) in enumerate(built)], now=NOW)
    detector = LanguageDetector()
    with make_client(settings.user_agent) as client:
        start = time.perf_counter()
        report = process_pending(store, embedder, profiles, rules, gaz, now=NOW, default_channel="#b", reader=reader,
                                 articles=ArticleFetcher(client, user_agent=settings.user_agent), detector=detector)
        end_to_end = time.perf_counter() - start
    httpd.shutdown()

    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{args.articles} synthetic articles, {words:.0f} words of body on average, {len(shipped.topics)} topics, "
          f"{os.cpu_count()} cores")
    print(f"extraction (trafilatura):                 {rate(len(texts), extraction)}")
    print(f"reading (lead match + chosen passages):   {rate(len(items), reading)}; {matched} matched, {stances} stances")
    print(f"  for comparison, spaCy on whole articles: {whole * 1000:.0f} ms each ({1 / whole:.1f}/s) before any reading")
    print(f"end to end (fetch, extract, language, embed, match, read, store): {rate(report.processed, end_to_end)}; "
          f"{report.articles} read with their article, {report.matched} matched, {report.stances} stances")
    print(f"matched articles through extraction and reading: {matched / (extraction + reading):.1f}/s")


if __name__ == "__main__":
    main()

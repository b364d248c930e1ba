"""Pipeline throughput, stage by stage, on synthetic news items; plus cold start and peak memory.

Builds --items synthetic but realistic news items in memory (seeded): 1-6 sentences each, a mix
of Caribbean/Venezuela, Sahel, Korea and generic world news, in which governments speak about
an issue with stance verbs ("Colombia's foreign ministry condemned the US strikes on boats in
the Caribbean ..."), with filler sentences, escaped-HTML descriptions, syndicated copies of a
story in other outlets and a few re-published duplicates. Following the demo data's convention,
leaders are named by title, never by name. The items are rendered as RSS 2.0 documents of 100
items (one outlet each) and pushed through the real code, timing each stage separately:

  parse    bot.ingest.items.parse_feed on every document
  store    Store(':memory:').add_items (dedup + syndication clustering), one call per document
  embed    bot.pipeline.embed_items with the embedder STANCEBOT_EMBEDDER selects (default onnx-int8; all
           are the real MiniLM weights)
  match    bot.read.match.match_item against build_profiles() of the topics in rules/
  stance   bot.read.reader.StanceReader(...).prime, then .find, on the matched (item, topic) pairs only
  shift    bot.track.positions.update_positions on the stance rows found

then the same stored items end to end with bot.pipeline.process_pending in a fresh store (with a
breakdown of where its time goes, measured by wrapping the functions it calls), and two floors on
the same texts (item.body): the bot's own embedder in one encode call, and bare
SentenceTransformer.encode(batch_size=64), the issue's reference. Printed: items/s per stage, total
pipeline items/s, the throughput ratios pipeline / bare encode, peak RSS (VmHWM) of this
process (which holds two stores and, for ONNX, sentence-transformers too), and in a fresh
subprocess the bot as it runs: cold start (import the bot, load the model and spaCy, process one
item, timed from outside, with its own breakdown), then every bench item, and its peak RSS.
STANCEBOT_EMBEDDER picks the embedder (default onnx-int8).

Run:  .venv/bin/python bench/pipeline.py [--items 2000] [--seed 1] [--no-cold-start] [--no-diagnostics]
                                         [--threads N]
About 2 minutes on a 2-core machine with the defaults.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from memory import peak_rss_mb  # noqa: E402  (bench/memory.py)

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

T_IMPORT = time.perf_counter()
import numpy as np  # noqa: E402

import bot.pipeline as pipeline_mod  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.ingest.items import Item, parse_feed  # noqa: E402
from bot.models import embedder_for  # noqa: E402
from bot.pipeline import channel_for, embed_items, process_pending, stance_rows  # noqa: E402
from bot.read.gazetteer import load_gazetteer  # noqa: E402
from bot.read.match import build_profiles, match_item  # noqa: E402
from bot.read.nlp import load_nlp  # noqa: E402
from bot.read.reader import StanceReader  # noqa: E402
from bot.rules import load_rules  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.track.positions import update_positions  # noqa: E402

T_IMPORTED = time.perf_counter()
RULES = ROOT / "rules"
CHANNEL = "#bench"
DOC_SIZE = 100

# -- synthetic news ------------------------------------------------------------------------------

SUPPORT_VERBS = ["welcomed", "praised", "defended", "backed", "endorsed", "said it supported", "expressed support for"]
OPPOSE_VERBS = ["condemned", "denounced", "rejected", "criticised", "warned against", "protested against",
                "expressed concern about", "called for an end to"]
NEUTRAL_VERBS = ["called for calm over", "urged dialogue on", "declined to take sides on", "urged restraint over"]
WHEN = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "late on Saturday", "on Sunday", "this week"]

# Each region has speakers and one or more stories; an item is about one story (its headline,
# stance targets and filler come from that story), as a real news item is.
REGIONS: dict[str, dict] = {
    "caribbean": {
        "weight": 0.35,
        "speakers": ["Colombia's foreign ministry", "Colombia's president", "Mexico's president", "Mexico's foreign ministry",
                     "Brazil's foreign ministry", "Brazil's government", "Venezuela's government", "Venezuela's foreign minister",
                     "Trinidad and Tobago's prime minister", "Guyana's foreign minister", "Cuba's foreign ministry",
                     "Russia's foreign ministry", "China's foreign ministry spokesperson", "The US defense secretary",
                     "Panama's government", "Chile's foreign ministry", "Argentina's government", "The Dominican Republic's government"],
        "stories": [
            {"weight": 0.55,
             "targets": ["the US strikes on suspected drug boats in the Caribbean", "the deployment of US warships near Venezuela",
                         "the arrival of a US destroyer off the Venezuelan coast", "the US naval build-up in the southern Caribbean"],
             "headlines": ["{C} {v} US boat strikes in the Caribbean", "US destroyer moves closer to Venezuelan coast",
                           "Strike on suspected drug boat off Venezuela kills crew", "{C} {v} US naval deployment near Venezuela",
                           "Amphibious ships with marines arrive in the southern Caribbean"],
             "filler": ["The Pentagon said the strike killed {n} people aboard the vessel.",
                        "Venezuela's defence ministry said it had placed coastal units on alert.",
                        "The deployment includes {n} warships and thousands of sailors and marines.",
                        "Washington says the operation targets drug trafficking networks."]},
            {"weight": 0.25,
             "targets": ["the detention of opposition activists in Caracas",
                         "the arrests of Venezuelan opposition figures by the government in Caracas"],
             "headlines": ["{C} {v} arrests of Venezuelan opposition figures", "Venezuelan police detain opposition campaign chief",
                           "Opposition leader goes into hiding as arrests widen in Venezuela"],
             "filler": ["Rights groups say more than {n}0 opposition activists have been detained since {month}.",
                        "The attorney general accused the detainees of plotting against the state.",
                        "Relatives said they had not been told where the detainees were held."]},
            {"weight": 0.20,
             "targets": ["the resumption of deportation flights from the United States to Venezuela",
                         "the suspension of repatriation flights between Washington and Caracas"],
             "headlines": ["Deportation flight with Venezuelan migrants lands in Maiquetía", "Caracas suspends US deportation flights",
                           "{C} {v} deportation flights to Venezuela"],
             "filler": ["A flight carrying {n}0 deported migrants landed at Maiquetía airport.",
                        "The flights had been suspended since {month}.",
                        "Migrant advocates said returnees faced questioning on arrival."]},
        ],
    },
    "sahel": {
        "weight": 0.2,
        "speakers": ["Mali's foreign minister", "Mali's junta", "Burkina Faso's military government", "Niger's prime minister",
                     "France's foreign ministry", "Russia's defence ministry", "Algeria's foreign ministry",
                     "Côte d'Ivoire's government", "Senegal's president", "Chad's government", "The US State Department"],
        "stories": [
            {"weight": 1.0,
             "targets": ["the deployment of Russian military instructors in Mali", "the arrival of Africa Corps troops in Burkina Faso",
                         "Russia's growing military presence in the Sahel", "the new contract with Russian paramilitary forces in Niger"],
             "headlines": ["Russian instructors arrive in Niamey to train troops", "{C} {v} Russian forces in the Sahel",
                           "Mali extends contract with Russian paramilitary group", "Africa Corps convoy attacked in central Mali",
                           "{C} {v} Russian deployment in Burkina Faso"],
             "filler": ["The junta said the instructors would help fight jihadist groups.",
                        "Attacks by armed groups have killed at least {n}0 soldiers since {month}.",
                        "A convoy of {n}0 vehicles was seen leaving Bamako airport.",
                        "The three juntas left ECOWAS earlier this year.",
                        "Humanitarian agencies say {n} million people need aid across the region."]},
        ],
    },
    "korea": {
        "weight": 0.2,
        "speakers": ["South Korea's president", "South Korea's unification ministry", "Japan's prime minister",
                     "Japan's defence ministry", "North Korea's foreign ministry", "China's foreign ministry",
                     "The US State Department", "Russia's foreign ministry"],
        "stories": [
            {"weight": 0.6,
             "targets": ["North Korea's latest ballistic missile launch", "Pyongyang's plan to expand its nuclear arsenal"],
             "headlines": ["North Korea fires ballistic missile into the sea", "{C} {v} North Korean missile launch"],
             "filler": ["The missile flew about {n}00 km before landing in the sea.",
                        "Seoul's joint chiefs of staff said they were analysing the launch.",
                        "Pyongyang has conducted {n} launches since {month}."]},
            {"weight": 0.4,
             "targets": ["the joint US-South Korean military drills", "the proposal to resume inter-Korean talks",
                         "the deployment of more US missile defence batteries in South Korea"],
             "headlines": ["{C} {v} joint military drills on the peninsula", "Seoul proposes talks with Pyongyang",
                           "US and South Korea begin annual exercises"],
             "filler": ["The drills involve about {n}0,000 troops.", "Pyongyang called the exercises a rehearsal for invasion."]},
        ],
    },
    "world": {
        "weight": 0.25,
        "speakers": ["Germany's chancellor", "India's commerce ministry", "The European Commission", "Britain's finance ministry",
                     "Canada's prime minister", "Australia's trade minister", "Turkey's foreign ministry", "Kenya's president"],
        "stories": [
            {"weight": 0.5,
             "targets": ["the new trade agreement", "the proposed tariffs on steel imports",
                         "the central bank's decision to hold interest rates"],
             "headlines": ["{C} {v} new trade agreement", "Central bank holds rates steady", "{C} {v} steel tariff plan",
                           "Oil prices rise as supply concerns grow"],
             "filler": ["Markets were little changed after the announcement.", "The agreement still needs parliamentary approval.",
                        "Prices rose {n} percent over the year.", "Analysts said the move was widely expected."]},
            {"weight": 0.3,
             "targets": ["the climate finance pledge agreed at the summit", "the election results"],
             "headlines": ["Earthquake of magnitude {n}.1 strikes off the coast", "World Cup qualifier ends in goalless draw",
                           "Storm brings flooding to coastal towns", "{C} {v} climate finance pledge"],
             "filler": ["Forecasters expect more rain over the weekend.", "Officials gave no further details.",
                        "The statement was released late in the evening.", "Talks are due to resume next month in Geneva."]},
            {"weight": 0.2,  # a hard negative for the Caribbean topic: US naval activity, elsewhere
             "targets": ["the US naval exercise in the South China Sea", "the passage of a US destroyer through the Taiwan Strait"],
             "headlines": ["US Navy holds drills in the South China Sea", "{C} {v} US warship transit of Taiwan Strait"],
             "filler": ["The destroyer sailed through the strait without incident, the Navy said.",
                        "Beijing said it had tracked the ship throughout its passage."]},
        ],
    },
}
MONTHS = ["January", "March", "May", "July", "September", "October"]


def _country_of(speaker: str) -> str:
    head = speaker.split("'s ")[0]
    return head.removeprefix("The ").removeprefix("the ")


def _verb_present(verb: str) -> str:
    irregular = {"welcomed": "welcomes", "praised": "praises", "defended": "defends", "backed": "backs", "endorsed": "endorses",
                 "condemned": "condemns", "denounced": "denounces", "rejected": "rejects", "criticised": "criticises"}
    return irregular.get(verb, "condemns")


def stance_sentence(rng: random.Random, region: dict, story: dict) -> str:
    speaker, target = rng.choice(region["speakers"]), rng.choice(story["targets"])
    verbs = rng.choices([SUPPORT_VERBS, OPPOSE_VERBS, NEUTRAL_VERBS], weights=[3, 4, 1])[0]
    verb, when = rng.choice(verbs), rng.choice(WHEN)
    form = rng.randrange(5)
    if form == 0:
        return f"{speaker} {verb} {target} {when}."
    if form == 1:
        return f"In a statement {when}, {speaker[0].lower() + speaker[1:] if speaker.startswith('The ') else speaker} {verb} {target}."
    if form == 2:
        reason = "calling it illegal and dangerous" if verbs is OPPOSE_VERBS else (
            "calling it necessary" if verbs is SUPPORT_VERBS else "saying the region needed de-escalation")
        return f"{speaker} {verb} {target}, {reason}."
    if form == 3:
        return f"{_country_of(speaker)} {verb} {target}, its foreign minister told reporters {when}."
    return f"{speaker} {verb} {target} and said it would raise the matter with regional partners."


def filler_sentence(rng: random.Random, story: dict) -> str:
    return rng.choice(story["filler"]).format(n=rng.randint(2, 9), month=rng.choice(MONTHS))


def headline(rng: random.Random, region: dict, story: dict) -> str:
    speaker = rng.choice(region["speakers"])
    verb = rng.choice(["welcomed", "praised", "backed", "condemned", "rejected", "criticised", "denounced"])
    return rng.choice(story["headlines"]).format(C=_country_of(speaker), v=_verb_present(verb), n=rng.randint(5, 7))


def make_news(n: int, seed: int, *, now: datetime, feeds: int) -> list[dict]:
    """N item dicts (feed, guid, link, title, description, published), seeded; ~8% syndicated copies, ~2% re-publications."""
    rng = random.Random(seed)
    names, weights = list(REGIONS), [r["weight"] for r in REGIONS.values()]
    out: list[dict] = []
    for k in range(n):
        outlet = rng.randrange(feeds)
        published = now - timedelta(minutes=rng.randint(5, 60 * 24 * 14))
        roll = rng.random()
        if out and roll < 0.08:  # the same story, verbatim or with a dateline, in another outlet
            src = rng.choice(out)
            outlet = (src["outlet"] + 1 + rng.randrange(feeds - 1)) % feeds
            desc = src["description"] if rng.random() < 0.5 else f"(Wire) - {src['description']}"
            item = {**src, "outlet": outlet, "description": desc, "published": src["published"] + timedelta(hours=rng.randint(1, 6))}
        elif out and roll < 0.10:  # an outlet re-publishes its own story under a new guid: same link
            src = rng.choice(out)
            item = {**src, "guid_suffix": "-r", "published": src["published"] + timedelta(minutes=30)}
            outlet = src["outlet"]
        else:
            region = REGIONS[rng.choices(names, weights)[0]]
            story = rng.choices(region["stories"], [st["weight"] for st in region["stories"]])[0]
            sentences = rng.randint(1, 6)
            body: list[str] = []
            for s in range(sentences - 1):
                body.append(stance_sentence(rng, region, story) if (s == 0 or rng.random() < 0.35) and rng.random() < 0.8
                            else filler_sentence(rng, story))
            desc = " ".join(body)
            if desc and rng.random() < 0.3:
                desc = "".join(f"<p>{s}</p>" for s in body)
            item = {"title": headline(rng, region, story), "description": desc, "published": published, "slug": k,
                    "sentences": sentences}
        item["outlet"] = outlet
        item.setdefault("guid_suffix", "")
        out.append(item)
    for k, item in enumerate(out):
        slug = item["slug"]
        item["link"] = f"https://outlet{item['outlet']:02d}.example/news/{slug}.html?utm_source=rss"
        item["guid"] = f"tag:outlet{item['outlet']:02d}.example,2026:{slug}{item['guid_suffix']}:{k if item['guid_suffix'] else ''}"
        item["published"] = min(item["published"], now)
    return out


def render_documents(news: list[dict]) -> list[tuple[str, bytes]]:
    """RSS 2.0 documents of DOC_SIZE items; each outlet's items go into its own documents."""
    by_outlet: dict[int, list[dict]] = {}
    for item in news:
        by_outlet.setdefault(item["outlet"], []).append(item)
    docs = []
    for outlet, items in sorted(by_outlet.items()):
        items.sort(key=lambda i: i["published"], reverse=True)
        for start in range(0, len(items), DOC_SIZE):
            chunk = items[start:start + DOC_SIZE]
            xml = [f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                   f"<channel><title>Outlet {outlet:02d}</title><link>https://outlet{outlet:02d}.example/</link>"
                   f"<description>Synthetic outlet</description><language>en</language>"]
            for i in chunk:
                xml.append(f"<item><title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
                           f"<guid isPermaLink=\"false\">{escape(i['guid'])}</guid><pubDate>{format_datetime(i['published'])}</pubDate>"
                           f"<dc:creator>Outlet {outlet:02d} staff</dc:creator><category>World</category>"
                           f"<description>{escape(i['description'])}</description></item>")
            xml.append("</channel></rss>")
            docs.append((f"outlet-{outlet:02d}", "\n".join(xml).encode("utf-8")))
    return docs


# -- helpers ---------------------------------------------------------------------------------------

class CountingEmbedder:
    """Wraps an embedder: counts calls and texts and the time spent encoding."""

    def __init__(self, inner):
        self.inner, self.name = inner, inner.name
        self.calls = self.texts = 0
        self.seconds = 0.0

    def encode(self, texts):
        start = time.perf_counter()
        try:
            return self.inner.encode(texts)
        finally:
            self.seconds += time.perf_counter() - start
            self.calls += 1
            self.texts += len(texts)

    def reset(self) -> None:
        self.calls = self.texts = 0
        self.seconds = 0.0


@contextmanager
def timing_wrappers(module, names: list[str], totals: Counter) -> Iterator[None]:
    """Replace module-level functions by timed wrappers for the duration (the source is not touched)."""
    saved = {}
    for name in names:
        fn = getattr(module, name, None)
        if fn is None:
            continue
        saved[name] = fn

        def wrapper(*a, _fn=fn, _name=name, **kw):
            start = time.perf_counter()
            try:
                return _fn(*a, **kw)
            finally:
                totals[_name] += time.perf_counter() - start
        setattr(module, name, wrapper)
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(module, name, fn)


def cpu_snapshot() -> tuple[float, float]:
    """(CPU seconds the whole machine has been busy, CPU seconds of this process and its waited-for children)."""
    own = sum(os.times()[:4])
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        busy = (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        busy = float("nan")
    return busy, own


def others_cpu(since: tuple[float, float]) -> float:
    """CPU seconds used by other processes on the machine since `since` (Linux; nan elsewhere)."""
    busy, own = cpu_snapshot()
    return max(0.0, (busy - since[0]) - (own - since[1]))


def rss_mb() -> float:
    return peak_rss_mb()


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:9.1f}/s" if seconds > 0 else "      inf"


COLD_START = r"""
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from datetime import datetime, timezone
from pathlib import Path
from bot.config import load_settings
from bot.models import embedder_for, reader_for
from bot.read.gazetteer import load_gazetteer
from bot.ingest.items import parse_feed
from bot.read.match import build_profiles
from bot.read.nlp import load_nlp
from bot.pipeline import process_pending
from bot.rules import load_rules
from bot.read.reader import StanceReader
from bot.store import Store
t1 = time.perf_counter()
gaz = load_gazetteer(Path({rules!r})); rules = load_rules(Path({rules!r}), gaz.codes)
t2 = time.perf_counter()
embedder = embedder_for(load_settings())
t3 = time.perf_counter()
profiles = build_profiles(rules.topics, embedder, gaz)
t4 = time.perf_counter()
reader = reader_for(load_settings(), gaz, embedder)
t5 = time.perf_counter()
now = datetime.now(timezone.utc)
store = Store(":memory:")
store.add_items(parse_feed({doc!r}, feed="cold", now=now).items, now=now)
report = process_pending(store, embedder, profiles, rules, gaz, now=now, default_channel="#bench", reader=reader)
t6 = time.perf_counter()
sys.path.insert(0, {bench!r})
from memory import peak_rss_mb
first_rss = peak_rss_mb()
# then the whole bench set, as the running bot would take it: its footprint after N items
rest = 0
for path in sorted(Path({docs_dir!r}).glob("*.xml")):
    store.add_items(parse_feed(path.read_bytes(), feed=path.stem.split(".", 1)[1], now=now).items, now=now)
rest = process_pending(store, embedder, profiles, rules, gaz, now=now, default_channel="#bench", reader=reader).processed
t7 = time.perf_counter()
print(json.dumps({{"imports": t1 - t0, "gazetteer+rules": t2 - t1, "model load": t3 - t2, "topic profiles": t4 - t3,
                  "spaCy load": t5 - t4, "first item": t6 - t5, "processed": report.processed, "matched": report.matched,
                  "stances": report.stances, "first_rss": first_rss, "rest": rest, "rest_s": t7 - t6,
                  "rss": peak_rss_mb()}}))
"""


def cold_start(docs: list[tuple[str, bytes]]) -> tuple[float, dict]:
    doc = ('<?xml version="1.0"?><rss version="2.0"><channel><title>c</title><item><title>Colombia condemns US boat strikes '
           "in the Caribbean</title><link>https://cold.example/1</link><guid>cold-1</guid>"
           f"<pubDate>{format_datetime(datetime.now(UTC) - timedelta(hours=1))}</pubDate><description>Colombia's "
           "foreign ministry condemned the US strikes on suspected drug boats in the Caribbean on Tuesday, calling them "
           "illegal.</description></item></channel></rss>").encode()
    with tempfile.TemporaryDirectory() as docs_dir:
        for n, (name, body) in enumerate(docs):  # an outlet has several documents: number them
            (Path(docs_dir) / f"{n:04d}.{name}.xml").write_bytes(body)
        code = COLD_START.format(root=str(ROOT), bench=str(ROOT / "bench"), rules=str(RULES), doc=doc, docs_dir=docs_dir)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT), timeout=600)
        wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"cold-start subprocess failed:\n{proc.stderr[-2000:]}")
    parts = json.loads(proc.stdout.strip().splitlines()[-1])
    return wall - parts["rest_s"], parts


# -- main -----------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-cold-start", action="store_true", help="skip the fresh-subprocess cold-start measurement")
    ap.add_argument("--no-diagnostics", action="store_true",
                    help="skip the breakdown of the embed and stance stages (chunked encode, spaCy parse counts)")
    ap.add_argument("--threads", type=int, default=0,
                    help="STANCEBOT_THREADS for the bot's embedder, and torch's threads for the reference (0: defaults)")
    args = ap.parse_args()
    if args.threads:
        os.environ["STANCEBOT_THREADS"] = str(args.threads)  # the cold-start subprocess inherits it
        import torch
        torch.set_num_threads(args.threads)
    threads = args.threads or "default"
    probe = cpu_snapshot()
    time.sleep(1.0)
    busy_now = others_cpu(probe)
    print(f"stancebot pipeline bench: {args.items} items, seed {args.seed}, {os.cpu_count()} CPUs, embedder "
          f"{load_settings().embedder}, threads {threads}, "
          f"other processes using {busy_now:.2f} cores now")
    if busy_now > 0.2:
        print("  warning: the machine is busy; the model's threads then wait on each other and encode slows down sharply")
    run_start = cpu_snapshot()
    wall_start = time.perf_counter()

    now = datetime.now(UTC).replace(microsecond=0)
    t0 = time.perf_counter()
    news = make_news(args.items, args.seed, now=now, feeds=max(2, args.items // DOC_SIZE))
    docs = render_documents(news)
    t_gen = time.perf_counter() - t0
    cold = None
    if not args.no_cold_start:  # first, before this process warms anything it could share
        cold = cold_start(docs)
    sentences = Counter(i["sentences"] for i in news)

    t0 = time.perf_counter()
    gaz = load_gazetteer(RULES)
    rules = load_rules(RULES, gaz.codes)
    t_rules = time.perf_counter() - t0
    t0 = time.perf_counter()
    base_embedder = embedder_for(load_settings())
    t_model = time.perf_counter() - t0
    embedder = CountingEmbedder(base_embedder)
    t0 = time.perf_counter()
    nlp = load_nlp()
    t_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    profiles = build_profiles(rules.topics, embedder, gaz)
    reader = StanceReader(nlp=nlp, gaz=gaz, embedder=embedder)
    t_profiles = time.perf_counter() - t0
    embedder.encode(["warm-up sentence for the model."] * 8)
    print(f"setup: generate {len(news)} items in {len(docs)} RSS documents {t_gen:.2f} s; bot imports {T_IMPORTED - T_IMPORT:.1f} s; "
          f"gazetteer+rules {t_rules:.2f} s; model load {t_model:.1f} s; spaCy load {t_spacy:.1f} s; "
          f"topic profiles {t_profiles:.2f} s ({len(profiles)} topics)")

    stages: dict[str, tuple[int, float]] = {}

    # parse
    t0 = time.perf_counter()
    parsed_docs = [(name, parse_feed(body, feed=name, now=now)) for name, body in docs]
    stages["parse"] = (len(news), time.perf_counter() - t0)
    parsed = [item for _, p in parsed_docs for item in p.items]
    problems = [p.problem for _, p in parsed_docs if p.problem]

    # store + dedup
    store = Store(":memory:")
    t0 = time.perf_counter()
    stored: list[Item] = []
    for _, p in parsed_docs:
        stored += store.add_items(p.items, now=now)
    stages["store"] = (len(parsed), time.perf_counter() - t0)
    clusters = {r[0]: r[1] for r in store.db.execute("SELECT id, cluster_id FROM items")}
    n_clusters = len(set(clusters.values()))
    bodies = [i.body for i in stored]
    words = np.array([len(b.split()) for b in bodies])

    # embed
    embedder.reset()
    t0 = time.perf_counter()
    vectors = embed_items(store, embedder, stored)
    stages["embed"] = (len(stored), time.perf_counter() - t0)

    # match
    topics = {p.topic.id: p.topic for p in profiles}
    t0 = time.perf_counter()
    matches = [(item, m) for item in stored for m in match_item(item.body, vectors[item.id], profiles, gaz)]
    stages["match"] = (len(stored), time.perf_counter() - t0)
    matched = [(item, m) for item, m in matches if m.matched]
    per_topic = Counter(m.topic_id for _, m in matched)

    # stance (matched pairs only)
    embedder.reset()
    t0 = time.perf_counter()
    rows: list[dict] = []
    reader.prime([(item.body, reader.topic_for(topics[m.topic_id])) for item, m in matched])
    prime_s = time.perf_counter() - t0
    for item, m in matched:
        rows += stance_rows(reader, item, topics[m.topic_id], clusters[item.id])
    stages["stance"] = (len(matched), time.perf_counter() - t0)
    fallback_calls, fallback_s, fallback_texts = embedder.calls, embedder.seconds, embedder.texts

    # shift
    t0 = time.perf_counter()
    positions, shift_messages, shifts = update_positions(
        store, rows, topics, gaz=gaz, channel_of=lambda t: channel_for(t, rules, CHANNEL))
    stages["shift"] = (len(rows), time.perf_counter() - t0)
    store.close()

    # bare encode on the same texts: the bot's own embedder, and sentence-transformers (the reference)
    t0 = time.perf_counter()
    base_embedder.encode(bodies)
    own_s = time.perf_counter() - t0
    model = getattr(base_embedder, "_model", None)
    if model is None:  # an ONNX embedder: the reference is still plain sentence-transformers on the same weights
        from sentence_transformers import SentenceTransformer

        from bot.read.model_files import packaged_model_path
        model = SentenceTransformer(str(load_settings().model_path or packaged_model_path()), device="cpu")
        model.encode(["warm-up sentence for the model."] * 8, show_progress_bar=False)
    t0 = time.perf_counter()
    model.encode(bodies, batch_size=64, show_progress_bar=False)
    bare_s = time.perf_counter() - t0

    # diagnostics: what the two big stages are made of
    diag: dict[str, float] = {}
    if not args.no_diagnostics:
        t0 = time.perf_counter()
        for start in range(0, len(bodies), 1024):  # process_pending's batch size
            base_embedder.encode(bodies[start:start + 1024])
        diag["bare encode in chunks"] = time.perf_counter() - t0
        pair_texts = [item.body for item, _ in matched]
        distinct = list(dict.fromkeys(pair_texts))
        t0 = time.perf_counter()
        for text in pair_texts:
            nlp(text[:6000])
        diag["spacy per pair"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for text in distinct:
            nlp(text[:6000])
        diag["spacy per distinct item"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _doc in nlp.pipe((t[:6000] for t in distinct), batch_size=64):
            pass
        diag["spacy pipe distinct"] = time.perf_counter() - t0
        diag["distinct"] = len(distinct)
        t0 = time.perf_counter()
        for text in bodies:
            gaz.find(text)
        diag["gaz.find all bodies"] = time.perf_counter() - t0

    # end to end: process_pending on a fresh store with the same items
    store2 = Store(":memory:")
    t0 = time.perf_counter()
    for _, p in parsed_docs:
        store2.add_items(p.items, now=now)
    e2e_store_s = time.perf_counter() - t0
    embedder.reset()
    breakdown: Counter = Counter()
    wrapped = ["embed_items", "link_near_duplicates", "match_item", "stance_rows", "update_positions", "_story_message"]
    original_record = Store.record_processed

    def timed_record(self, *a, **kw):
        start = time.perf_counter()
        try:
            return original_record(self, *a, **kw)
        finally:
            breakdown["record_processed"] += time.perf_counter() - start

    Store.record_processed = timed_record
    try:
        with timing_wrappers(pipeline_mod, wrapped, breakdown):
            t0 = time.perf_counter()
            report = process_pending(store2, embedder, profiles, rules, gaz, now=now, default_channel=CHANNEL, reader=reader)
            e2e_s = time.perf_counter() - t0
    finally:
        Store.record_processed = original_record
    e2e_encode_calls, e2e_encode_s, e2e_encode_texts = embedder.calls, embedder.seconds, embedder.texts
    store2.close()

    # report
    n = len(stored)
    print(f"\nitems: {len(news)} generated, {len(parsed)} parsed, {n} stored as new ({len(parsed) - n} dropped as duplicates), "
          f"{n_clusters} story clusters; parse problems: {len(problems)}")
    print(f"item.body: words median {int(np.median(words))}, p90 {int(np.percentile(words, 90))}, max {words.max()}; "
          f"sentences per item (title + description) {dict(sorted(sentences.items()))}")
    print(f"matched (item, topic) pairs: {len(matched)} of {len(matches)} ({dict(per_topic)}); "
          f"stance rows {len(rows)}; positions {len(positions)}; shifts {len(shifts)}")

    print("\nstage          items      seconds     items/s   share")
    total_s = sum(s for _, s in stages.values())
    for name, (count, seconds) in stages.items():
        unit = {"stance": "pairs", "shift": "rows"}.get(name, "items")
        print(f"  {name:8s} {count:6d} {unit:5s} {seconds:8.2f}   {rate(count, seconds)}   {100 * seconds / total_s:5.1f}%")
    print(f"  {'total':8s} {n:6d} items {total_s:8.2f}   {rate(n, total_s)}   (sum of the stages, per stored item)")
    print(f"  stance: StanceReader.prime (one nlp.pipe call, one encode of the fallback's clauses) {prime_s:.2f} s of the stance "
          f"stage's {stages['stance'][1]:.2f} s; the fallback's encodes: {fallback_calls} calls, {fallback_texts} clauses, "
          f"{fallback_s:.2f} s")

    print(f"\nend to end, process_pending on {n} stored items: {e2e_s:.2f} s = {n / e2e_s:.1f} items/s "
          f"(+ add_items {e2e_store_s:.2f} s; + parse {stages['parse'][1]:.2f} s => "
          f"{n / (e2e_s + e2e_store_s + stages['parse'][1]):.1f} items/s from RSS bytes)")
    print(f"  report: processed {report.processed}, embedded {report.embedded}, matched {report.matched}, "
          f"stances {report.stances}, shifts {len(report.shifts)}, queued {report.queued}")
    print("  where process_pending's time goes (timed wrappers around what it calls):")
    print(f"    {'encode (embedder.encode, all callers)':44s} {e2e_encode_s:7.2f} s  {100 * e2e_encode_s / e2e_s:5.1f}%  "
          f"({e2e_encode_calls} calls, {e2e_encode_texts} texts)")
    accounted = 0.0
    for name in wrapped + ["record_processed"]:
        if name in breakdown:
            accounted += breakdown[name]
            note = {"embed_items": "incl. batch encode", "stance_rows": "incl. fallback encodes",
                    "_story_message": "only story_alerts topics"}.get(name, "")
            print(f"    {name:44s} {breakdown[name]:7.2f} s  {100 * breakdown[name] / e2e_s:5.1f}%  {note}")
    print(f"    {'other (pending_items, item_row, loop)':44s} {e2e_s - accounted:7.2f} s  {100 * (e2e_s - accounted) / e2e_s:5.1f}%")

    print(f"\nbare SentenceTransformer.encode(batch_size=64) on the same {n} texts: {bare_s:.2f} s = {n / bare_s:.1f} items/s")
    print(f"bare encode with the bot's embedder ({base_embedder.name}) on the same texts: {own_s:.2f} s = {n / own_s:.1f} items/s")
    print(f"throughput ratio, pipeline (process_pending) / bare SentenceTransformer.encode: {bare_s / e2e_s:.2f}x "
          f"(goal >= 0.7x); from RSS bytes: {bare_s / (e2e_s + e2e_store_s + stages['parse'][1]):.2f}x")
    print(f"throughput ratio, pipeline / bare encode with the same embedder: {own_s / e2e_s:.2f}x "
          f"(embedding is {100 * breakdown.get('embed_items', 0) / e2e_s:.0f}% of the pipeline's time)")
    if diag:
        pairs = len(matched)
        print("\ndiagnostics (same items, same process):")
        print(f"  embed ({base_embedder.name}): all {n} texts in one call {own_s:.2f} s; in chunks of 1024 as process_pending "
              f"batches {diag['bare encode in chunks']:.2f} s; embed stage {stages['embed'][1]:.2f} s; "
              f"embed_items inside process_pending {breakdown.get('embed_items', 0):.2f} s")
        print(f"  stance: spaCy on the {diag['distinct']} distinct matched items ({pairs} pairs): nlp(text) once per pair "
              f"{diag['spacy per pair']:.2f} s, once per item {diag['spacy per distinct item']:.2f} s, "
              f"nlp.pipe(batch_size=64) {diag['spacy pipe distinct']:.2f} s (what StanceReader.prime does)")
        print(f"  match: gaz.find over all {n} bodies {diag['gaz.find all bodies']:.2f} s of the match stage's "
              f"{stages['match'][1]:.2f} s (once per item in match_item, once per matched item in StanceReader.prime)")
    print(f"peak RSS of this process (VmHWM): {rss_mb():.0f} MB")
    if cold:
        wall, parts = cold
        inner = " + ".join(f"{k} {parts[k]:.2f}" for k in ("imports", "gazetteer+rules", "model load", "topic profiles", "spaCy load", "first item"))
        print(f"cold start to first processed item (fresh subprocess, wall): {wall:.2f} s  "
              f"[{inner} s; interpreter start and exit are the rest]; "
              f"processed {parts['processed']}, matched {parts['matched']}, stances {parts['stances']}; peak RSS {parts['first_rss']:.0f} MB")
        print(f"the bot's footprint (same subprocess, then all {parts['rest']} items through process_pending in "
              f"{parts['rest_s']:.1f} s = {parts['rest'] / parts['rest_s']:.0f} items/s): peak RSS {parts['rss']:.0f} MB (goal < 1,200 MB)")
    other = others_cpu(run_start)
    wall = time.perf_counter() - wall_start
    print(f"other processes used {other:.1f} CPU-seconds during this run ({other / wall:.2f} cores on average over {wall:.0f} s)"
          + ("  <- numbers are disturbed; rerun on a quiet machine" if other / wall > 0.1 else ""))


if __name__ == "__main__":
    main()

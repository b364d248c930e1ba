"""Feed parsers compared: feedparser (what bot/items.py uses) against feedparser-rs, if installed.

What it measures, per parser:
  * speed on feedparser's own test fixtures (~2,100 small XML files in
    ../shared/data/feedparser-tests, or --fixtures DIR): total and median ms per file;
  * speed on one synthetic 200-item RSS 2.0 feed (median of --repeat runs), and for context the
    bot's whole `bot.ingest.items.parse_feed` (feedparser + Item building) on the same feed;
  * agreement with feedparser on the fixtures: for each file the entries' (title, link, id,
    published_parsed, updated_parsed) are compared with feedparser's; counts of equal files, of
    files where the parser found nothing while feedparser found entries, per-field mismatches
    and a few example differences;
  * the fixtures' own "Expect:" lines evaluated against each parser's result (approximate:
    feedparser's test harness does the same; a type the other parser returns differently, such
    as a Tag object instead of a dict, counts as a failure);
  * a few malformed inputs (truncated XML, an HTML page served as a feed, undeclared latin-1,
    mislabelled UTF-16, an empty body): entries found, bozo flag, time.

feedparser-rs is optional: install it into the venv by hand (`.venv/bin/pip install feedparser-rs`;
it is NOT a project dependency). Without it the script says so and times feedparser alone.
Inputs are always passed as bytes: feedparser-rs fetches a URL when given a str that looks like one.

Run:  .venv/bin/python bench/parsers.py [--fixtures DIR] [--repeat 5] [--examples 8]
Takes about half a minute on a 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402

from bot.ingest.items import MAX_TITLE_CHARS, clean_text, parse_feed  # noqa: E402

DEFAULT_FIXTURES = ROOT.parent / "shared" / "data" / "feedparser-tests"
FIELDS = ("title", "link", "id", "published_parsed", "updated_parsed")

try:
    import feedparser_rs
except ImportError as exc:  # optional
    feedparser_rs = None
    RS_IMPORT_ERROR = f"{type(exc).__name__}: {exc}"
else:
    RS_IMPORT_ERROR = ""


# -- adapters: each returns a plain view {bozo, version, entries: [dict of FIELDS], raw} --------------

def _date(value: Any) -> tuple | None:
    """A struct_time (or 9-tuple) as (Y, M, D, h, m, s), the part both parsers should agree on."""
    if not value:
        return None
    try:
        return tuple(value)[:6]
    except TypeError:
        return None


def _entry_view(entry: Any) -> dict:
    get = entry.get if hasattr(entry, "get") else (lambda k, d=None: getattr(entry, k, d))
    out = {}
    for name in FIELDS:
        value = get(name, None)
        out[name] = _date(value) if name.endswith("_parsed") else (value if value not in ("", None) else None)
    # What bot/items.py would keep: cleaned title, link, id, and the first of published/updated/created.
    when = next((_date(get(k, None)) for k in ("published_parsed", "updated_parsed", "created_parsed") if get(k, None)), None)
    out["bot"] = (clean_text(out["title"] or "", MAX_TITLE_CHARS), out["link"], out["id"], when)
    return out


def strict(entries: list[dict]) -> list[tuple]:
    return [tuple(e[f] for f in FIELDS) for e in entries]


def as_bot_sees(entries: list[dict]) -> list[tuple]:
    return [e["bot"] for e in entries]


def parse_with_feedparser(body: bytes) -> dict:
    raw = feedparser.parse(body)
    return {"bozo": bool(raw.get("bozo")), "version": raw.get("version") or "",
            "entries": [_entry_view(e) for e in raw.entries], "raw": raw}


def parse_with_rs(body: bytes) -> dict:
    raw = feedparser_rs.parse(body)  # bytes: never treated as a URL
    return {"bozo": bool(getattr(raw, "bozo", False)), "version": getattr(raw, "version", "") or "",
            "entries": [_entry_view(e) for e in (getattr(raw, "entries", None) or [])], "raw": raw}


def expect_namespace(raw: Any) -> dict:
    """The names a fixture's Expect: expression uses (feed, entries, bozo, ...), from either parser's result."""
    names = ("bozo", "bozo_exception", "feed", "entries", "encoding", "version", "namespaces", "headers",
             "status", "href", "etag", "modified", "modified_parsed")
    ns = {}
    for name in names:
        try:
            ns[name] = raw[name] if hasattr(raw, "keys") and name in raw else getattr(raw, name)
        except (AttributeError, KeyError, TypeError):
            continue
    return ns


def expect_of(body: bytes) -> str | None:
    head = body[:2000].decode("utf-8", "replace")
    for line in head.splitlines():
        if line.strip().startswith("Expect:"):
            return line.split("Expect:", 1)[1].strip()
    return None


def expect_holds(expr: str, raw: Any) -> bool:
    import datetime as _dt
    import time as _time
    env = {"__builtins__": __builtins__, "time": _time, "datetime": _dt.datetime, "timedelta": _dt.timedelta,
           "tzinfo": _dt.tzinfo}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return bool(eval(expr, env, expect_namespace(raw)))  # noqa: S307 - feedparser's own test harness does this
    except Exception:
        return False


# -- inputs -------------------------------------------------------------------------------------

def synthetic_feed(n: int = 200, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    now = datetime(2026, 11, 14, 12, tzinfo=UTC)
    words = ("naval deployment Caribbean strike boat ministry statement government condemned welcomed "
             "troops Sahel instructors junta talks ceasefire election parliament budget oil prices").split()
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
             "<channel><title>Synthetic Wire</title><link>https://wire.example/</link><description>bench</description>"]
    for i in range(n):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(6, 12))).capitalize()
        body = " ".join(" ".join(rng.choice(words) for _ in range(rng.randint(10, 25))).capitalize() + "."
                        for _ in range(rng.randint(1, 5)))
        if i % 3 == 0:
            body = f"<p>{body}</p><p>Read more on <a href='https://wire.example/'>Synthetic Wire</a>.</p>"
        when = now - timedelta(minutes=37 * i)
        parts.append(
            f"<item><title>{escape(title)} &amp; more</title><link>https://wire.example/news/{i}.html?utm_source=rss</link>"
            f"<guid isPermaLink=\"false\">tag:wire.example,2026:{i}</guid><pubDate>{format_datetime(when)}</pubDate>"
            f"<dc:creator>Desk {i % 7}</dc:creator><description>{escape(body)}</description></item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def malformed_inputs(good: bytes) -> dict[str, bytes]:
    latin = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Caf\u00e9</title>'
             "<item><title>Bogot\u00e1 condena los ataques</title><link>https://x.example/1</link>"
             "<description>Se\u00f1al de alarma en el Caribe</description></item></channel></rss>").encode("latin-1")
    utf16_labelled_utf8 = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
                           "<item><title>Mislabelled UTF-16</title><link>https://x.example/2</link></item>"
                           "</channel></rss>").encode("utf-16-le")
    html = (b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><h1>Checking your browser"
            b"</h1><p>Enable JavaScript and cookies to continue</p><a href='/news'>News</a></body></html>")
    return {
        "truncated XML (200-item feed cut at 55%)": good[: int(len(good) * 0.55)],
        "HTML page served as a feed": html,
        "latin-1 bytes, no encoding declared": latin,
        "UTF-16LE bytes declared utf-8, no BOM": utf16_labelled_utf8,
        "empty body": b"",
    }


# -- runs ---------------------------------------------------------------------------------------

def timed(fn: Callable[[bytes], dict], body: bytes) -> tuple[dict | None, float, str]:
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = fn(body)
        error = ""
    except Exception as exc:  # a parser that raises is a finding, not a crash of the bench
        result, error = None, f"{type(exc).__name__}: {exc}"[:120]
    return result, (time.perf_counter() - start) * 1000, error


def short(value: Any, limit: int = 70) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pair(a: Any, b: Any, limit: int = 60) -> str:
    """Two differing values side by side; long strings are cut around where they first differ."""
    if isinstance(a, str) and isinstance(b, str) and max(len(a), len(b)) > limit:
        i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        lo = max(0, i - 15)
        return f"{'…' if lo else ''}{a[lo:lo + 35]!r} vs {'…' if lo else ''}{b[lo:lo + 35]!r}"
    return f"{short(a, limit)} vs {short(b, limit)}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    ap.add_argument("--repeat", type=int, default=5, help="runs of the 200-item feed per parser (median reported)")
    ap.add_argument("--examples", type=int, default=8, help="example differences to print")
    args = ap.parse_args()

    parsers: dict[str, Callable[[bytes], dict]] = {f"feedparser {feedparser.__version__}": parse_with_feedparser}
    if feedparser_rs is not None:
        parsers[f"feedparser-rs {getattr(feedparser_rs, '__version__', '?')}"] = parse_with_rs
        print(f"parsers: {', '.join(parsers)}")
    else:
        print(f"parsers: {', '.join(parsers)} only; feedparser-rs is not importable ({RS_IMPORT_ERROR}).")
        print("  try `.venv/bin/pip install feedparser-rs` (not a project dependency) and run again.")
    names = list(parsers)
    reference = names[0]

    files = sorted(p for p in args.fixtures.rglob("*.xml")) if args.fixtures.is_dir() else []
    print(f"fixtures: {len(files)} XML files under {args.fixtures}" + ("" if files else "  (none found: skipped)"))
    bodies = [(p, p.read_bytes()) for p in files]

    # Fixtures: time every file with every parser; keep the plain views for comparison.
    times: dict[str, list[float]] = {n: [] for n in names}
    views: dict[str, list[dict | None]] = {n: [] for n in names}
    errors: dict[str, list[str]] = {n: [] for n in names}
    expect_ok: dict[str, int] = dict.fromkeys(names, 0)
    with_expect = 0
    for path, body in bodies:
        expr = expect_of(body)
        with_expect += expr is not None
        for n in names:
            view, ms, err = timed(parsers[n], body)
            times[n].append(ms)
            views[n].append(view)
            if err:
                errors[n].append(f"{path.relative_to(args.fixtures)}: {err}")
            if expr and view is not None and expect_holds(expr, view["raw"]):
                expect_ok[n] += 1

    if bodies:
        print("\n== fixtures: speed")
        base_total = sum(times[reference])
        for n in names:
            total = sum(times[n])
            print(f"  {n:24s} total {total:8.1f} ms  median {statistics.median(times[n]):6.3f} ms/file  "
                  f"p95 {sorted(times[n])[int(0.95 * len(times[n]))]:6.3f} ms  "
                  f"({base_total / total:5.1f}x feedparser)  raised on {len(errors[n])} files")
        print("\n== fixtures: the files' own Expect: lines (approximate, see docstring)")
        for n in names:
            print(f"  {n:24s} {expect_ok[n]:5d} / {with_expect} hold")

    # Agreement with feedparser.
    if bodies and len(names) > 1:
        ref = views[reference]
        with_entries = sum(1 for v in ref if v and v["entries"])
        for n in names[1:]:
            equal = equal_nonempty = empty_where_ref_found = count_differs = bot_equal_nonempty = 0
            field_diffs = dict.fromkeys(FIELDS, 0)
            examples: dict[str, list[str]] = {f: [] for f in (*FIELDS, "count", "empty")}
            for (path, _), rv, ov in zip(bodies, ref, views[n]):
                rel = str(path.relative_to(args.fixtures))
                r_entries = rv["entries"] if rv else []
                o_entries = ov["entries"] if ov else []
                bot_equal_nonempty += bool(r_entries) and as_bot_sees(r_entries) == as_bot_sees(o_entries)
                if strict(r_entries) == strict(o_entries):
                    equal += 1
                    equal_nonempty += bool(r_entries)
                    continue
                if r_entries and not o_entries:
                    empty_where_ref_found += 1
                    examples["empty"].append(f"{rel}: feedparser {len(r_entries)} entries, {n.split()[0]} none")
                    continue
                if len(r_entries) != len(o_entries):
                    count_differs += 1
                    examples["count"].append(f"{rel}: {len(r_entries)} vs {len(o_entries)} entries")
                    continue
                for re_, oe in zip(r_entries, o_entries):
                    for f in FIELDS:
                        if re_[f] != oe[f]:
                            field_diffs[f] += 1
                            examples[f].append(f"{rel}: {f} {pair(re_[f], oe[f])}")
            print(f"\n== fixtures: {n} entries vs {reference} (title, link, id, published_parsed, updated_parsed)")
            print(f"  files with identical entries:             {equal} / {len(bodies)}")
            print(f"  ... of the {with_entries} where feedparser found entries: {equal_nonempty} "
                  f"({100 * equal_nonempty / max(with_entries, 1):.1f}%)")
            print(f"  ... equal as the bot would store them (title after clean_text, link, id, first date): "
                  f"{bot_equal_nonempty} ({100 * bot_equal_nonempty / max(with_entries, 1):.1f}%)")
            print(f"  {n.split()[0]} found nothing, feedparser found entries: {empty_where_ref_found}")
            print(f"  different number of entries:              {count_differs}")
            print("  entries differing per field:              " + ", ".join(f"{f} {c}" for f, c in field_diffs.items()))
            print("  example differences (feedparser vs other):")
            shown = 0
            pools = [examples[k] for k in ("empty", "count", *FIELDS) if examples[k]]
            while shown < args.examples and any(pools):
                for pool in pools:
                    if pool and shown < args.examples:
                        print("    - " + pool.pop(0))
                        shown += 1
            for line in errors[n][:3]:
                print(f"  raised: {line}")

    # The synthetic 200-item feed.
    feed = synthetic_feed()
    print(f"\n== synthetic 200-item RSS feed ({len(feed) / 1024:.0f} KiB), median of {args.repeat} runs")
    base_ms = ref_view = None
    for n in names:
        runs = [timed(parsers[n], feed) for _ in range(args.repeat)]
        ms = statistics.median(r[1] for r in runs)
        base_ms = base_ms or ms
        view = runs[0][0]
        agree = ""
        if n != reference and view and ref_view:
            agree = (f", entries equal to feedparser's: {sum(a == b for a, b in zip(strict(ref_view['entries']), strict(view['entries'])))}"
                     f" strict, {sum(a == b for a, b in zip(as_bot_sees(ref_view['entries']), as_bot_sees(view['entries'])))}"
                     " as the bot sees them")
            diff = next(((a, b) for a, b in zip(strict(ref_view["entries"]), strict(view["entries"])) if a != b), None)
            if diff:
                field = next(f for f, x, y in zip(FIELDS, *diff) if x != y)
                agree += f"\n{'':28s}first difference: {field} {pair(diff[0][FIELDS.index(field)], diff[1][FIELDS.index(field)])}"
        ref_view = ref_view or view
        print(f"  {n:24s} {ms:8.2f} ms  ({1000 * 200 / ms:8.0f} items/s, {base_ms / ms:5.1f}x feedparser)  "
              f"entries {len(view['entries']) if view else 'ERR'}{agree}")
    now = datetime(2026, 11, 15, tzinfo=UTC)
    runs = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        parsed = parse_feed(feed, feed="bench", now=now)
        runs.append((time.perf_counter() - start) * 1000)
    ms = statistics.median(runs)
    print(f"  {'bot.ingest.items.parse_feed':24s} {ms:8.2f} ms  ({1000 * 200 / ms:8.0f} items/s)  items {len(parsed.items)}"
          "  [feedparser + clean_text + Item; for context]")

    # Malformed inputs.
    print("\n== malformed inputs: entries found / bozo / ms")
    for label, body in malformed_inputs(feed).items():
        cells = []
        for n in names:
            view, ms, err = timed(parsers[n], body)
            cells.append(f"{n.split()[0]}: " + (f"raised {err}" if err else
                                                 f"{len(view['entries']):3d} entries, bozo={str(view['bozo']):5s}, {ms:6.2f} ms"
                                                 + (f", first title {short(view['entries'][0]['title'], 40)}" if view["entries"] else "")))
        print(f"  {label}\n      " + "\n      ".join(cells))


if __name__ == "__main__":
    main()

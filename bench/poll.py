"""Polling cost: `bot.pipeline.poll_feeds` against many local feeds with ETags, three cycles.

A child process runs --hosts ThreadingHTTPServer instances on 127.0.0.1 (one port per emulated
host; --feeds are spread evenly over them) serving RSS 2.0 feeds of --items-per-feed items with
an ETag, honouring If-None-Match (304). This process polls them with the real
`bot.ingest.fetch.make_client(...)` client into a `Store(':memory:')`, with force=True so every feed is
requested in every cycle:

  cycle 1  every feed is new: 200 with a body, every item parsed and stored
  cycle 2  nothing changed: every feed should answer 304
  cycle 3  --changed (default 5%) of the feeds have 2 new items: 200 for those, 304 for the rest

Printed per cycle: wall time, CPU time of this (client) process (time.process_time, all its
threads) and of the server process, requests served and their statuses, new items stored, the
maximum number of requests in flight at once overall and per host (counted in the server's
handler under a lock), and how the wall time splits between the fetching phase (until the last
response is read) and the rest of poll_feeds (parsing, storing, feed state). The servers run in
a separate process so that the client's CPU time is its own.

--order grouped lists the feeds host by host (as a feeds.yaml written outlet by outlet would);
--order interleaved lists them round-robin over the hosts. --latency-ms adds a server-side delay
to every response, to emulate remote hosts (0: loopback speed).

Run:  .venv/bin/python bench/poll.py [--feeds 500] [--hosts 10] [--items-per-feed 20]
                                     [--changed 0.05] [--latency-ms 20] [--order grouped|interleaved]
About 30 s on a 2-core machine with the defaults.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing as mp
import random
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.ingest.fetch import fetch_feed, make_client  # noqa: E402
from bot.pipeline import poll_feeds  # noqa: E402
from bot.rules import Feed  # noqa: E402
from bot.store import Store  # noqa: E402

SUBJECTS = ["Colombia's foreign ministry", "Mexico's president", "Mali's junta", "South Korea's unification ministry",
            "The European Commission", "Brazil's government", "Japan's defence ministry", "Niger's prime minister"]
VERBS = ["condemned", "welcomed", "criticised", "defended", "called for calm over", "rejected", "praised"]
OBJECTS = ["the US strikes on boats in the Caribbean", "the arrival of Russian instructors in Bamako",
           "North Korea's latest missile launch", "the new fisheries agreement", "the deportation flights to Caracas",
           "the election results", "the central bank's rate decision", "the joint naval exercise"]
FILLER = ["Officials gave no further details.", "The statement was released late on Tuesday.",
          "Analysts said the move was widely expected.", "Talks are due to resume next week in Geneva.",
          "Markets reacted calmly to the news.", "Rights groups called for an independent investigation."]


# -- the server side (child process) --------------------------------------------------------------

class FeedBook:
    """Every feed's items and version; the RSS document and ETag are rebuilt when a feed changes."""

    def __init__(self, hosts: int, per_host: list[int], items_per_feed: int, seed: int):
        self.rng = random.Random(seed)
        self.items_per_feed = items_per_feed
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.items: dict[tuple[int, int], list[str]] = {}
        self.version: dict[tuple[int, int], int] = {}
        self.docs: dict[tuple[int, int], tuple[bytes, str]] = {}
        self.serial = 0
        for h in range(hosts):
            for f in range(per_host[h]):
                key = (h, f)
                self.items[key] = [self._item(h, f) for _ in range(items_per_feed)]
                self.version[key] = 1
                self._render(key)

    def _item(self, h: int, f: int) -> str:
        self.serial += 1
        r = self.rng
        title = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)}"
        body = " ".join([f"{title} on {r.choice(['Monday', 'Tuesday', 'Wednesday', 'Thursday'])}."]
                        + r.sample(FILLER, r.randint(1, 4)))
        when = self.now - timedelta(minutes=r.randint(0, 60 * 24 * 5))
        link = f"https://host{h}.example/news/{f}/{self.serial}.html"
        return (f"<item><title>{escape(title)}</title><link>{link}</link><guid>{link}</guid>"
                f"<pubDate>{format_datetime(when)}</pubDate><description>{escape(body)}</description></item>")

    def _render(self, key: tuple[int, int]) -> None:
        h, f = key
        doc = (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Host {h} feed {f}</title>'
               f"<link>https://host{h}.example/</link><description>bench</description>"
               + "".join(self.items[key]) + "</channel></rss>").encode()
        self.docs[key] = (doc, f'"h{h}-f{f}-v{self.version[key]}"')

    def bump(self, keys: list[tuple[int, int]], new_items: int = 2) -> None:
        for key in keys:
            self.items[key] = ([self._item(*key) for _ in range(new_items)] + self.items[key])[: self.items_per_feed]
            self.version[key] += 1
            self._render(key)


class Stats:
    def __init__(self, hosts: int):
        self.lock = threading.Lock()
        self.hosts = hosts
        self.reset()

    def reset(self) -> None:
        with getattr(self, "lock", threading.Lock()):
            self.in_flight = 0
            self.max_in_flight = 0
            self.host_in_flight = [0] * self.hosts
            self.host_max = [0] * self.hosts
            self.requests = 0
            self.statuses: Counter = Counter()
            self.cpu_start = time.process_time()

    def snapshot(self) -> dict:
        with self.lock:
            return {"requests": self.requests, "statuses": dict(self.statuses), "max_in_flight": self.max_in_flight,
                    "host_max": list(self.host_max), "server_cpu_s": time.process_time() - self.cpu_start}


def make_handler(book: FeedBook, stats: Stats, host: int, latency_s: float):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real feed hosts do
        # Buffered: headers and body leave in one write when the handler returns (unbuffered, the
        # body follows the headers in a second small segment and Nagle + delayed ACK stall every
        # response by ~40 ms). It also makes the in-flight count drop before the client can see
        # the response, so the counter never overstates concurrency.
        wbufsize = 1 << 16
        disable_nagle_algorithm = True

        def do_GET(self) -> None:  # noqa: N802
            with stats.lock:
                stats.requests += 1
                stats.in_flight += 1
                stats.host_in_flight[host] += 1
                stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
                stats.host_max[host] = max(stats.host_max[host], stats.host_in_flight[host])
            try:
                self._respond()
            finally:
                with stats.lock:
                    stats.in_flight -= 1
                    stats.host_in_flight[host] -= 1

        def _respond(self) -> None:
            if latency_s:
                time.sleep(latency_s)
            try:
                feed = int(self.path.rsplit("/", 1)[-1].removesuffix(".xml"))
                doc, etag = book.docs[(host, feed)]
            except (ValueError, KeyError):
                self._send(404, b"not found", {})
                return
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", {"ETag": etag})
            else:
                self._send(200, doc, {"ETag": etag, "Content-Type": "application/rss+xml; charset=utf-8"})

        def _send(self, status: int, body: bytes, headers: dict) -> None:
            with stats.lock:
                stats.statuses[status] += 1
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    return Handler


def serve(conn, hosts: int, per_host: list[int], items_per_feed: int, latency_s: float, seed: int) -> None:
    book = FeedBook(hosts, per_host, items_per_feed, seed)
    stats = Stats(hosts)
    servers = []
    for h in range(hosts):
        server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(book, stats, h, latency_s))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    conn.send([s.server_address[1] for s in servers])
    while True:
        cmd, *arg = conn.recv()
        if cmd == "reset":
            stats.reset()
            conn.send(True)
        elif cmd == "bump":
            book.bump(arg[0])
            conn.send(True)
        elif cmd == "stats":
            conn.send(stats.snapshot())
        elif cmd == "stop":
            for s in servers:
                s.shutdown()
            conn.send(True)
            return


# -- the client side (this process) ---------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=500)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--items-per-feed", type=int, default=20)
    ap.add_argument("--changed", type=float, default=0.05, help="share of feeds with new items in cycle 3")
    ap.add_argument("--latency-ms", type=float, default=20.0, help="server-side delay per response (0: loopback speed)")
    ap.add_argument("--order", choices=("grouped", "interleaved"), default="grouped")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    per_host = [args.feeds // args.hosts + (1 if h < args.feeds % args.hosts else 0) for h in range(args.hosts)]
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    server = ctx.Process(target=serve, args=(child, args.hosts, per_host, args.items_per_feed, args.latency_ms / 1000, args.seed),
                         daemon=True)
    server.start()
    ports = parent.recv()

    def call(*msg):
        parent.send(msg)
        return parent.recv()

    has_allow_private = any(f.name == "allow_private" for f in dataclasses.fields(Feed))
    extra = {"allow_private": True} if has_allow_private else {}
    by_host = [[Feed(name=f"host{h}-feed{f:03d}", url=f"http://127.0.0.1:{ports[h]}/feed/{f}.xml", **extra)
                for f in range(per_host[h])] for h in range(args.hosts)]
    if args.order == "grouped":
        feeds = [f for group in by_host for f in group]
    else:
        feeds = [group[i] for i in range(max(per_host)) for group in by_host if i < len(group)]
    keys = [(h, f) for h in range(args.hosts) for f in range(per_host[h])]
    changed = random.Random(args.seed).sample(keys, max(1, round(args.changed * len(keys))))

    print(f"{len(feeds)} feeds on {args.hosts} hosts (127.0.0.1, one port each; {per_host[0]} feeds per host), "
          f"{args.items_per_feed} items per feed, order {args.order}, server latency {args.latency_ms:g} ms"
          + ("" if has_allow_private else "  [Feed has no allow_private field]"))
    client = make_client("stancebot-bench/0.1")
    store = Store(":memory:")
    rng = random.Random(args.seed)
    rows = []
    try:
        for cycle, label in ((1, "all new (200)"), (2, "unchanged (304)"), (3, f"{len(changed)} feeds changed")):
            if cycle == 3:
                call("bump", changed)
            call("reset")
            last_done = [0.0]
            done_lock = threading.Lock()

            def timed_fetch(client_, feed, state, done_lock=done_lock, last_done=last_done):
                result = fetch_feed(client_, feed, state)
                with done_lock:
                    last_done[0] = max(last_done[0], time.perf_counter())
                return result

            now = datetime.now(UTC)
            cpu0, wall0 = time.process_time(), time.perf_counter()
            report = poll_feeds(store, client, feeds, now=now, rng=rng, force=True, fetch=timed_fetch)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            stats = call("stats")
            fetch_phase = last_done[0] - wall0
            rows.append((cycle, label, wall, cpu, stats, report, fetch_phase))
            host_max = stats["host_max"]
            print(f"\ncycle {cycle}: {label}")
            print(f"  wall {wall:6.2f} s   client CPU {cpu:6.2f} s ({100 * cpu / wall:.0f}% of one core)   "
                  f"server CPU {stats['server_cpu_s']:5.2f} s")
            print(f"  fetching phase {fetch_phase:6.2f} s ({100 * fetch_phase / wall:.0f}%), "
                  f"after it (parse + store + feed state) {wall - fetch_phase:6.2f} s")
            print(f"  requests served {stats['requests']}  statuses {dict(sorted(stats['statuses'].items()))}   "
                  f"polled {report.polled}, not modified {report.not_modified}, failed {len(report.failed)}, "
                  f"new items {report.new_items}")
            print(f"  max in flight: overall {stats['max_in_flight']}, per host max {max(host_max)} "
                  f"(per host: {' '.join(map(str, host_max))})")
            print(f"  {len(feeds) / wall:7.1f} feeds/s" + (f", {report.new_items / wall:7.1f} new items/s" if report.new_items else ""))
            if report.failed:
                print(f"  first failure: {next(iter(report.failed.items()))}")
    finally:
        client.close()
        store.close()
        call("stop")
        server.join(timeout=5)

    print("\nsummary (cycle: wall s, client CPU s, requests, max in flight overall / per host)")
    for cycle, label, wall, cpu, stats, _report, _ in rows:
        print(f"  {cycle} {label:18s} {wall:6.2f} {cpu:6.2f} {stats['requests']:5d}  {stats['max_in_flight']} / {max(stats['host_max'])}")
    c1, c2 = rows[0], rows[1]
    print(f"  304 cycle costs {c2[2] / c1[2]:.2f}x the wall time and {c2[3] / c1[3]:.2f}x the CPU of the all-new cycle")


if __name__ == "__main__":
    main()

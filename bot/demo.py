"""`stancebot demo`: the whole pipeline over shipped sample feeds, on a simulated clock."""

from __future__ import annotations

import hashlib
import random
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.app import build_app
from bot.config import Settings
from bot.deliver.terminal import TerminalNotifier
from bot.labels import Label
from bot.read.embed import Embedder
from bot.read.gazetteer import load_gazetteer
from bot.rules import Feed, Rules, load_watchlist
from bot.store import Store

ATOM = "{http://www.w3.org/2005/Atom}"
DEMO_START = datetime(2026, 11, 1, tzinfo=UTC)
DEMO_END = datetime(2026, 11, 15, tzinfo=UTC)
STEP = timedelta(hours=6)


def demo_dir() -> Path:
    return Path(str(resources.files("bot").joinpath("demo_data")))


def _published(element: ET.Element) -> datetime | None:
    for tag in ("pubDate", f"{ATOM}published", f"{ATOM}updated"):
        node = element.find(tag)
        if node is not None and node.text:
            text = node.text.strip()
            try:
                return parsedate_to_datetime(text) if tag == "pubDate" else datetime.fromisoformat(text.replace("Z", "+00:00"))
            except (TypeError, ValueError):
                return None
    return None


def feed_as_of(xml: bytes, now: datetime) -> bytes:
    """The feed as its publisher would have served it at `now`: later items removed."""
    ET.register_namespace("", "http://www.w3.org/2005/Atom")
    ET.register_namespace("atom", "http://www.w3.org/2005/Atom")
    ET.register_namespace("dc", "http://purl.org/dc/elements/1.1/")
    root = ET.fromstring(xml)
    parent = root.find("channel") if root.tag == "rss" else root
    tag = "item" if root.tag == "rss" else f"{ATOM}entry"
    for element in list(parent.findall(tag)):
        when = _published(element)
        if when and when > now:
            parent.remove(element)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


FULLTEXT_FEEDS = {"harbor-times.xml": "auto"}  # the demo reads the article behind a story of this feed's
_ARTICLE_LINK = re.compile(rb"https://[a-z.-]+\.example/[^<\"]*/([a-z0-9-]+\.html)")


@dataclass
class DemoFeedServer:
    """Serves the sample feeds on 127.0.0.1 as of a settable simulated time, with ETags, and the sample article pages
    (feed links to a page it holds are pointed at it)."""

    files: dict[str, bytes]
    now: datetime = DEMO_START
    requests: int = 0
    not_modified: int = 0
    articles: dict[str, bytes] = field(default_factory=dict)

    @contextmanager
    def running(self) -> Iterator[str]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.requests += 1
                name = self.path.strip("/")
                if name.startswith("articles/") and name.removeprefix("articles/") in server.articles:
                    self._send(server.articles[name.removeprefix("articles/")], "text/html; charset=utf-8")
                    return
                if name not in server.files:
                    self.send_error(404)
                    return
                base = f"http://127.0.0.1:{self.server.server_address[1]}/articles/".encode()
                body = _ARTICLE_LINK.sub(lambda m: base + m.group(1) if m.group(1).decode() in server.articles else m.group(0),
                                         feed_as_of(server.files[name], server.now))
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    server.not_modified += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/xml; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _send(self, body: bytes, kind: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}"
        finally:
            httpd.shutdown()
            httpd.server_close()


def demo_rules(base_url: str, names: list[str]) -> Rules:
    gaz = load_gazetteer(None)
    folder = demo_dir() / "watchlists"
    watchlists = tuple(load_watchlist(p, f"demo_data/watchlists/{p.name}", gaz.names) for p in sorted(folder.glob("*.yaml")))
    feeds = tuple(Feed(name=n.removesuffix(".xml").replace("-", " ").title(), url=f"{base_url}/{n}", interval_s=3600, allow_private=True,
                       fulltext=FULLTEXT_FEEDS.get(n, "off")) for n in names)
    return Rules(folder, feeds, watchlists)


def run_demo(*, db_path: Path, console: Console, embedder: Embedder | None = None, step: timedelta = STEP,
             settings: Settings | None = None) -> Path:
    """Replay two weeks of sample news through the real pipeline; return the database path.

    `settings` (the environment's) supply the models, threads and export cache; the rules, database,
    channel and Slack are the demo's own.
    """
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    files = {p.name: p.read_bytes() for p in sorted(demo_dir().glob("*.xml"))}
    server = DemoFeedServer(files, articles={p.name: p.read_bytes() for p in sorted((demo_dir() / "articles").glob("*.html"))})
    console.rule("[bold]stancebot demo[/bold]")
    console.print(f"Replaying {len(files)} sample feeds from {DEMO_START:%d %b} to {DEMO_END:%d %b %Y}, "
                  f"one poll every {int(step.total_seconds() // 3600)} simulated hours. No network, no Slack token: "
                  "messages are printed as Slack would show them.\n")
    with server.running() as base_url:
        rules = demo_rules(base_url, list(files))
        clock = [DEMO_START]
        settings = replace(settings or Settings(), rules_dir=rules.root, db_path=db_path,
                           default_channel="#stancebot-demo", slack_token=None)
        app = build_app(settings, rules=rules, notifier=TerminalNotifier(console), embedder=embedder,
                        clock=lambda: clock[0], rng=random.Random(7))
        with console.status("Loading the embedding model (once)…"):
            _ = app.profiles
        try:
            while clock[0] <= DEMO_END:
                server.now = clock[0]
                report = app.tick(now=clock[0], digests=False)
                if report.poll.new_items:
                    console.print(f"[dim]{clock[0]:%a %d %b %H:%M} UTC · {report.poll.new_items} new items, "
                                  f"{report.process.matched} matched[/dim]")
                clock[0] += step
            _final_digest(app, console, now=DEMO_END)
        finally:
            app.close()
    _summary(console, db_path, rules, server, app.gazetteer)
    return db_path


def _final_digest(app, console: Console, *, now: datetime) -> None:
    """The morning digest an analyst would have read on the last day."""
    from bot.digest.queue import build_digest
    from bot.digest.schedule import scheduled_before

    console.rule("[bold]The last morning's digest[/bold]")
    with app.open_store() as store:
        for watchlist in app.rules.watchlists:
            if watchlist.digest is None:
                continue
            end = scheduled_before(watchlist.digest, now)
            messages, chart = build_digest(store, watchlist, app.rules, app.gazetteer, start=end - timedelta(days=1),
                                           end=end, now=now, default_channel="#stancebot-demo")
            for message in messages:
                if chart is not None and message is messages[0]:
                    path = app.notifier.upload(f"demo-stances-{watchlist.id}.png", chart, title="chart")
                    image = {"type": "image", "image_url": path, "alt_text": message.payload["chart_alt"]}
                    message = type(message)(**{**message.__dict__, "blocks": [*message.blocks[:2], image, *message.blocks[2:]]})
                app.notifier.send(message)


def _summary(console: Console, db_path: Path, rules: Rules, server: DemoFeedServer, gaz) -> None:
    with Store(db_path) as store:
        counts = store.counts()
        board = Table(title="Who stands where at the end (settled stances)")
        for column in ("topic", Label.SUPPORTIVE, Label.NEUTRAL, Label.OPPOSED):
            board.add_column(column, overflow="fold")
        for topic in rules.topics:
            by_state: dict[str, list[str]] = {}
            for p in store.positions(topic.id):
                if p.state:
                    by_state.setdefault(p.state, []).append(gaz.country_name(p.country))
            if by_state:
                board.add_row(topic.name, *(", ".join(sorted(by_state.get(s, []))) for s in (Label.SUPPORTIVE, Label.NEUTRAL, Label.OPPOSED)))
        console.print(board)
        table = Table(title="What the demo stored", show_lines=False)
        table.add_column("topic")
        table.add_column("matched items", justify="right")
        table.add_column("stories (after dedup)", justify="right")
        for topic in rules.topics:
            matched, stories = store.topic_counts(topic.id)
            table.add_row(topic.name, str(matched), str(stories))
        console.print(table)
        for line in _reading_notes(store, rules):
            console.print(line)
        console.print(f"{counts['items']} items from {counts['feeds']} feeds, {counts['embeddings']} embeddings, "
                      f"{counts['stances']} country stances, {counts['outbox']} messages; "
                      f"{server.requests} HTTP requests, {server.not_modified} answered 304.")
    console.print(f"\nThe database is at [bold]{db_path.resolve()}[/bold]; browse it without SQL with "
                  f"[cyan]stancebot editor --db {db_path}[/cyan] (the stance board, why an item matched or not, feed health).")


def _reading_notes(store: Store, rules: Rules) -> list[str]:
    """What full-text reading did per feed, and the items in languages the models do not read."""
    from bot.admin import article_summary
    from bot.digest.collect import unread_lines

    counts = store.article_counts()
    lines = [f"Full articles, {feed.name}: {article_summary(feed.fulltext, counts.get(feed.name, {}))}"
             for feed in rules.feeds if feed.fulltext != "off"]
    read = [s for s in store.stances() if s.from_article]
    for item_id in dict.fromkeys(s.item_id for s in read):
        lines.append(f"Read from the article: [bold]{escape(store.item(item_id).title)}[/bold]")
        lines += [f"  {s.country} {s.label} on {s.topic_id}: \u201c{escape(s.quote)}\u201d (from the article)" for s in read if s.item_id == item_id]
    return lines + [f"Not read: {line}" for line in unread_lines(store, start=DEMO_START - timedelta(days=30), end=DEMO_END + timedelta(days=1))]

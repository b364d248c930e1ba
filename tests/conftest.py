"""Shared fixtures: an in-memory store, a fixed clock, embedders, feed builders."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
# The ONNX export of the model is made once and reused by later runs (and by the CLI subprocesses).
os.environ.setdefault("STANCEBOT_CACHE_DIR", str(Path(__file__).resolve().parents[1] / ".pytest_cache" / "stancebot-onnx"))

from doubles import HashingEmbedder  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.models import embedder_for  # noqa: E402
from bot.read.gazetteer import default_gazetteer  # noqa: E402
from bot.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def fresh_store():
    store = Store(":memory:")
    yield store
    store.close()


@pytest.fixture
def hashing_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    """The embedder the bot uses by default (ONNX int8 MiniLM), as the settings select it."""
    return embedder_for(load_settings())


@pytest.fixture(scope="session")
def gaz():
    return default_gazetteer()


def rss(items: list[dict], *, title: str = "Test Feed") -> bytes:
    """An RSS 2.0 document from dicts with title, link, guid, summary, published (datetime)."""
    parts = []
    for it in items:
        fields = [f"<title>{escape(it['title'])}</title>"]
        if it.get("link"):
            fields.append(f"<link>{escape(it['link'])}</link>")
        if it.get("guid"):
            fields.append(f'<guid isPermaLink="false">{escape(it["guid"])}</guid>')
        if it.get("summary"):
            fields.append(f"<description>{escape(it['summary'])}</description>")
        if it.get("published"):
            fields.append(f"<pubDate>{format_datetime(it['published'])}</pubDate>")
        parts.append("<item>" + "".join(fields) + "</item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>https://example.org/</link><description>t</description>{''.join(parts)}</channel></rss>").encode()


def story(n: int, title: str, summary: str = "", *, hours_ago: int = 1, host: str = "news.example") -> dict:
    return {"title": title, "summary": summary, "guid": f"{host}-{n}", "link": f"https://{host}/story/{n}",
            "published": NOW - timedelta(hours=hours_ago)}


def write_rules(root: Path, watchlist: str, feeds: str | None = None) -> Path:
    """A rules folder with one watchlist file (and feeds.yaml when given)."""
    (root / "watchlists").mkdir(parents=True, exist_ok=True)
    (root / "watchlists" / "desk.yaml").write_text(watchlist, encoding="utf-8")
    if feeds is not None:
        (root / "feeds.yaml").write_text(feeds, encoding="utf-8")
    return root


CARIBBEAN_WATCHLIST = """\
channel: "#latam-desk"
topics:
  - id: us-caribbean-naval
    name: US naval activity in the Caribbean
    description: US warships, strikes on boats said to carry drugs, and troop deployments in the Caribbean near Venezuela.
    examples: [US destroyer moves closer to the Venezuelan coast, Strike on a suspected drug boat kills its crew off Venezuela]
    stance: {target: the US naval deployment and strikes in the Caribbean}
    alerts: {stories: true}
"""


@pytest.fixture(scope="module")
def servers():
    """Two threaded local HTTP servers (a slow page must not hold the others), started once per module: stopping
    one takes 0.5 s. Feeds, article pages and robots.txt are served from them."""
    from pytest_httpserver import HTTPServer

    started = [HTTPServer(threaded=True), HTTPServer(threaded=True)]
    for server in started:
        server.start()
    yield started
    for server in started:
        server.stop()

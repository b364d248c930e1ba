"""The demo runs the real pipeline over the shipped sample feeds (real model)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rich.console import Console

from bot.demo import DEMO_START, demo_dir, feed_as_of
from bot.ingest.items import parse_feed
from bot.store import Store

pytestmark = pytest.mark.model


def test_feed_as_of_hides_future_items():
    """The demo server serves only items published by the simulated time."""
    body = (demo_dir() / "meridian-wire.xml").read_bytes()
    now = datetime(2026, 11, 5, tzinfo=UTC)
    items = parse_feed(feed_as_of(body, now), feed="M", now=now).items
    assert items and all(i.published <= now for i in items)
    assert len(parse_feed(feed_as_of(body, DEMO_START), feed="M", now=DEMO_START).items) < len(items)


def test_demo_end_to_end(tmp_path, real_embedder):
    """The demo stores every sample item, matches the storylines, skips hard negatives and prints messages."""
    from bot.demo import run_demo

    console = Console(record=True, width=140)
    db = run_demo(db_path=tmp_path / "demo.db", console=console, embedder=real_embedder)
    out = console.export_text()
    assert "Slack #latam-desk" in out and str(tmp_path / "demo.db") in out
    with Store(db) as store:
        assert store.counts()["items"] >= 40
        titles = {store.item(m.item_id).title: m.topic_id for m in store.matches()}
        rows = store.outbox()
        matched, stories = store.topic_counts("us-caribbean-naval")
    assert not any("Taiwan Strait" in t or "baseball" in t.lower() for t in titles)
    assert not any(t.startswith("Nicaraguan police") for t in titles)
    assert {"us-caribbean-naval", "venezuela-opposition-arrests", "sahel-russian-forces"} <= set(titles.values())
    # Syndicated copies fold into one story, and no move of a stance is announced twice.
    assert stories < matched
    moves = [(r.payload["topic"], r.payload["country"], r.payload["from"], r.payload["to"]) for r in rows if r.kind == "shift"]
    assert moves and len(set(moves)) == len(moves)
    assert all(r.status == "printed" for r in rows)
    # One story is read from the article behind it (boilerplate and comments left out); one Spanish item is not read.
    assert "Full articles, Harbor Times: auto: 1 read" in out and "Not read: 1 Spanish item not read (Andes Courier 1)" in out
    with Store(db) as store:
        from_article = {s.country: s.label for s in store.stances() if s.from_article}
    assert {c: from_article.get(c) for c in ("BRB", "JAM", "DOM")} == {"BRB": "opposed", "JAM": "supportive", "DOM": "supportive"}
    assert not {"RUS", "CHN", "CUB", "HTI", "CAN"} & set(from_article)
    assert "1 Spanish item not read (Andes Courier 1)" in out.split("The last morning's digest")[1]


def test_demo_uses_the_environments_model_settings(tmp_path, hashing_embedder):
    """The demo's own rules, database and channel, but the models the settings name (here a missing spaCy one)."""
    from bot.config import Settings
    from bot.demo import run_demo
    from bot.errors import ConfigError

    settings = Settings(spacy_model="no_such_spacy_pipeline", slack_token=None)
    with pytest.raises(ConfigError, match="no_such_spacy_pipeline"):
        run_demo(db_path=tmp_path / "demo.db", console=Console(record=True), embedder=hashing_embedder, settings=settings)

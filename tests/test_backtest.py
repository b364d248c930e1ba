"""Backtest: replays go through the same code as the live run, with the live run's model only."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from conftest import CARIBBEAN_WATCHLIST, NOW, rss, story, write_rules

from bot.backtest import run_backtest, stored_items
from bot.ingest.items import parse_feed
from bot.rules import load_rules


def test_replay_of_a_database_uses_only_the_current_models_vectors(fresh_store, hashing_embedder, gaz, tmp_path):
    """After STANCEBOT_EMBEDDER changed, `backtest --db` embeds items again instead of reusing another model's vectors."""
    rules = load_rules(write_rules(tmp_path, CARIBBEAN_WATCHLIST), gaz.codes)
    body = rss([story(1, "Strike on a suspected drug boat kills its crew off Venezuela", hours_ago=5),
                story(2, "Baseball season opens in Valencia", hours_ago=4)])
    added = fresh_store.add_items(parse_feed(body, feed="Wire", now=NOW).items, now=NOW)
    stale = np.zeros(hashing_embedder.dim, dtype=np.float32)
    stale[-1] = 1.0  # another model's vectors: not comparable with this one's topic profiles
    fresh_store.save_embeddings({i.id: stale for i in added}, "another-model")

    items, vectors = stored_items(fresh_store, since=NOW - timedelta(days=1), model=hashing_embedder.name)
    assert len(items) == 2 and vectors == {}
    replay = run_backtest(items, rules, embedder=hashing_embedder, reader=None, gaz=gaz, vectors=vectors)
    from_scratch = run_backtest(items, rules, embedder=hashing_embedder, reader=None, gaz=gaz)
    assert replay.matched == from_scratch.matched == 1

"""Reaction stories inheriting a topic from stories matched before them (pure; cheap embedder, real gazetteer)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bot.read.match import Match, build_profiles
from bot.read.neighbours import Neighbour, inherit
from bot.rules import Topic

DAY0 = datetime(2025, 9, 1, tzinfo=UTC)


def topic(tid: str, name: str, owners: tuple[str, ...]) -> Topic:
    return Topic(id=tid, name=name, description=name, examples=(name,), target=name, watchlist="w", owners=owners,
                 threshold=0.5)


@pytest.fixture
def profiles(hashing_embedder, gaz):
    return build_profiles([topic("strikes", "US strikes on drug boats in the Caribbean", ("USA",)),
                           topic("arrests", "Arrests of opposition figures in Venezuela", ("VEN",))], hashing_embedder, gaz)


def strike_story(days: int) -> Neighbour:
    return Neighbour("s1", "strikes", DAY0 + timedelta(days=days), np.zeros(4), "US strike on a drug boat kills three",
                     lambda: {"strike", "boat"})


def unmatched(score: float) -> list[Match]:
    return [Match("strikes", score, False, f"score {score:.3f} < threshold 0.50"),
            Match("arrests", 0.1, False, "score 0.100 < threshold 0.50")]


@pytest.mark.parametrize("headline, named, score, days_later, inherits", [
    ("Colombia recalls its ambassador from Washington", {"COL", "USA"}, 0.40, 3, True),
    ("Colombia recalls its ambassador from Washington", {"COL", "USA"}, 0.40, 20, False),  # the topic went quiet
    ("Colombia recalls its ambassador from Washington", {"COL", "USA"}, 0.30, 3, False),  # too far below
    ("Colombia and Washington sign a coffee deal", {"COL", "USA"}, 0.40, 3, False),  # no diplomatic answer
    ("Colombia recalls its ambassador from Panama", {"COL", "PAN"}, 0.40, 3, False),  # the owner is not named
])
def test_a_diplomatic_answer_naming_the_owner_inherits_a_topic_in_the_news(profiles, headline, named, score, days_later,
                                                                           inherits):
    out = inherit(unmatched(score), np.ones(4) / 2, set(), DAY0 + timedelta(days=days_later), [strike_story(0)], profiles,
                  named=frozenset(named), headline=headline)
    got = {m.topic_id for m in out if m.matched}
    assert got == ({"strikes"} if inherits else set())
    if inherits:
        (m,) = [m for m in out if m.matched]
        assert m.via == "s1" and m.reason.startswith("a reaction naming USA while the topic is in the news")


def test_the_owner_of_two_topics_in_the_news_is_not_told_apart(profiles):
    """Both topics live and both owners named: no telling which the answer is about, so neither is inherited."""
    arrests = Neighbour("a1", "arrests", DAY0, np.zeros(4), "Venezuela arrests an opposition leader", lambda: {"arrest"})
    matches = [Match("strikes", 0.4, False, "score 0.400 < threshold 0.50"), Match("arrests", 0.4, False, "score 0.400 < threshold 0.50")]
    out = inherit(matches, np.ones(4) / 2, set(), DAY0 + timedelta(days=2), [strike_story(0), arrests], profiles,
                  named=frozenset({"USA", "VEN"}), headline="Caracas summons the US charge d'affaires")
    assert not any(m.matched for m in out)

"""Topic precision and reaction recall, unit by unit: owners, competition, counter-examples, inheritance, passages."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from doubles import FixedEmbedder

from bot.read.match import COMPETE_MARGIN, OWNER_MARGIN, Match, build_profiles, compete, excluded, match_item
from bot.read.neighbours import MARGIN, WINDOW, Neighbour, inherit, needed
from bot.read.passages import assign_passages
from bot.rules import Topic

T0 = datetime(2025, 10, 1, tzinfo=UTC)


def topic(tid: str, name: str, target: str, examples=(), **kw) -> Topic:
    return Topic(id=tid, name=name, description=name + ".", examples=tuple(examples) or (name,), target=target, watchlist="w", **kw)


def test_owners_come_from_the_target(hashing_embedder, gaz):
    """'China's drills around Taiwan': China owns the drills; Taiwan is where they are aimed."""
    [p] = build_profiles([topic("tw", "Chinese drills around Taiwan", "China's military drills around Taiwan")], hashing_embedder, gaz)
    assert p.owners == {"CHN"}
    [given] = build_profiles([topic("tw", "x", "the drills", owners=("CHN", "RUS"))], hashing_embedder, gaz)
    assert given.owners == {"CHN", "RUS"}


def test_a_story_naming_no_owner_needs_a_higher_score(hashing_embedder, gaz):
    """Taiwan's own exercises are set in the same place as China's drills; without China named they must score higher."""
    t = topic("tw", "military drills around Taiwan", "China's military drills around Taiwan", context=("TWN",))
    profiles = build_profiles([t], hashing_embedder, gaz)
    text = "Military drills around Taiwan enter a second day"
    [m] = match_item(text, hashing_embedder.encode([text])[0], profiles, gaz)
    assert "names none of CHN" in m.reason and f"{profiles[0].threshold + OWNER_MARGIN:.2f}" in m.reason
    named = "China begins military drills around Taiwan"
    [m2] = match_item(named, hashing_embedder.encode([named])[0], profiles, gaz)
    assert "names none" not in m2.reason


def test_topics_compete_for_an_item():
    """The closest matched topic keeps the item; one well behind loses it unless it is clearly met on its own."""
    won = Match("a", 0.70, True, "score")
    behind = Match("b", 0.70 - COMPETE_MARGIN - 0.01, True, "score")
    close = Match("c", 0.70 - COMPETE_MARGIN / 2, True, "score")
    out = {m.topic_id: m for m in compete([won, behind, close], {"a": 0.48, "b": 0.6, "c": 0.48})}
    assert out["a"].matched and out["c"].matched and not out["b"].matched and "a is closer" in out["b"].reason
    clear = {m.topic_id: m for m in compete([won, behind], {"a": 0.48, "b": 0.48})}  # 0.64 >= 0.48 + 0.15
    assert clear["b"].matched
    # met on its own, but far behind a story squarely about another topic ("Japan voices concern over planned drills
    # near Taiwan": the drills at 0.87, the row over Tokyo's remarks at 0.64)
    squarely = Match("a", 0.87, True, "score")
    far = {m.topic_id: m for m in compete([squarely, Match("b", 0.64, True, "score")], {"a": 0.48, "b": 0.48})}
    assert not far["b"].matched
    # a topic whose actor the story never names yields to a closer one whose actor it names, however near ("Manila
    # summons China's envoy over the collisions": the sea dispute, not the row over Tokyo's remarks)
    near = compete([Match("a", 0.66, True, "score"), Match("b", 0.64, True, "score", ownerless=True)], {"a": 0.48, "b": 0.58})
    assert [m.matched for m in near] == [True, False]
    # ... even a little ahead of it ("EU chief decries China's response to the Taiwan trip": the drills, named as
    # China's, at 0.55; the row over Tokyo's remarks, naming no Japanese actor, at 0.60)
    ahead = compete([Match("a", 0.55, True, "score"), Match("b", 0.60, True, "score", ownerless=True)], {"a": 0.48, "b": 0.58})
    assert [m.matched for m in ahead] == [True, False] and "a names its actor" in ahead[1].reason


def test_counter_examples_exclude_their_kind(hashing_embedder, gaz):
    """A story closer to an `exclude:` counter-example than to any example is not the topic."""
    t = topic("ess", "Venezuela claims Guyana's Essequibo region", "Venezuela's claim to Essequibo",
              examples=("Venezuela names a governor for Essequibo",), exclude=("oil output starts at a new offshore project",))
    [p] = build_profiles([t], hashing_embedder, gaz)
    oil = hashing_embedder.encode(["new offshore oil project starts output"])[0]
    assert "exclude: closer to 'oil output starts" in (excluded(p, oil) or "")
    claim = hashing_embedder.encode(["Venezuela names a governor for Essequibo state"])[0]
    assert excluded(p, claim) is None
    assert excluded(replace(p, counter=None), oil) is None


def _neighbour(vector, *, days: float = 1, topic_id: str = "car", stems=frozenset({"strike", "boat"})) -> Neighbour:
    return Neighbour("n1", topic_id, T0 - timedelta(days=days), vector, "US strike on a boat", lambda: set(stems))


def _unit(*xs):
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture
def profiles(hashing_embedder, gaz):
    return build_profiles([topic("car", "US strikes on boats in the Caribbean", "the US strikes")], hashing_embedder, gaz)


def _near_miss(profile, **kw):
    return Match("car", profile.threshold - MARGIN / 2, False, "score below threshold", **kw)


def test_a_reaction_story_inherits_from_a_recent_match(profiles):
    """Nearly close enough on its own, close to last week's strike story, sharing an event word: it inherits."""
    v = _unit(1, 0.2, 0)
    [m] = inherit([_near_miss(profiles[0])], v, {"strike", "ambassador"}, T0, [_neighbour(_unit(1, 0, 0))], profiles)
    assert m.matched and m.via == "n1" and m.reason.startswith("inherited from 'US strike on a boat'")


@pytest.mark.parametrize("case", ["far below", "set elsewhere", "old", "only places shared", "not similar", "other topic", "already matched"])
def test_inheritance_is_guarded(profiles, case):
    """No inheritance from far below the threshold, from outside the gates, after the window, from place names alone,
    from a dissimilar story, from another topic's story, or when the item matched a topic of its own."""
    p = profiles[0]
    match, v, stems, nb = _near_miss(p), _unit(1, 0.2, 0), {"strike"}, _neighbour(_unit(1, 0, 0))
    if case == "far below":
        match = replace(match, score=p.threshold - MARGIN - 0.01)
    elif case == "set elsewhere":
        match = replace(match, reason="context: set in Taiwan Strait, not Caribbean")
    elif case == "old":
        nb = _neighbour(_unit(1, 0, 0), days=WINDOW.days + 1)
    elif case == "only places shared":
        stems = {"venezuela"} - {"venezuela"}
    elif case == "not similar":
        v = _unit(0, 1, 0)
    elif case == "other topic":
        nb = _neighbour(_unit(1, 0, 0), topic_id="arrests")
    matches = [match] if case != "already matched" else [match, Match("other", 0.9, True, "score")]
    out = inherit(matches, v, stems, T0, [nb], profiles)
    assert not out[0].matched and out[0].via is None


def test_older_neighbours_must_be_closer():
    assert needed(timedelta(0)) < needed(WINDOW / 2) < needed(WINDOW) == needed(WINDOW * 2)


def test_inherited_matches_are_not_passed_on(gaz):
    """A chain of ever more distant stories cannot drag a topic along: only stories matched on their own lend it.
    Item 2 is close enough to item 1 (which inherited) and shares a word with it, but not with item 0."""
    from bot.ingest.items import make_item
    from bot.read.reading import matched_in_order

    texts = ["alpha strike.", "beta ambassador strike.", "gamma ambassador trade."]
    embedder = FixedEmbedder({texts[0]: (1, 0, 0), texts[1]: (0.42, 0.91, 0), texts[2]: (0.40, 0.3, 0.866)})
    profiles = build_profiles([topic("alpha", "alpha", "the alpha", examples=("alpha",))], embedder, gaz)
    items = [make_item(feed="f", identity=str(n), title=x, published=T0 + timedelta(days=n)) for n, x in enumerate(texts)]
    found = matched_in_order(items, embedder.encode([i.body for i in items]), profiles, gaz, [])
    (_, [first]), (_, [second]), (_, [third]) = found
    assert first.matched and first.via is None
    assert second.matched and second.via == items[0].id
    assert not third.matched and third.via is None


def test_passages_keep_to_their_topic_until_clearly_elsewhere():
    """A sentence only a little closer to another topic stays with the passage; 'Separately, ...' opens a new one."""
    topics = np.eye(2, dtype=np.float32)
    sents = np.array([_unit(1, 0), _unit(1, 0.3), _unit(0.85, 1), _unit(0.2, 1), _unit(1, 0.9)], dtype=np.float32)
    terms = [set()] * 5
    kept = assign_passages(sents, terms, topics, [frozenset(), frozenset()])
    assert kept[:3] == [{0}, {0}, {0}] and kept[3] == {1}
    opened = assign_passages(sents, terms, topics, [frozenset(), frozenset()],
                             ["The buildup", "Colombia warned", "Separately, police", "Argentina", "In other news"])
    assert opened[2] == {1}

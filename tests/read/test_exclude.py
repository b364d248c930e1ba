"""Counter-examples: a story like one taken off a topic does not match it; one plainly about the topic still does."""

from __future__ import annotations

import numpy as np
import pytest

from bot.read.exclude import counter_example


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


EXAMPLES = np.stack([unit(1, 0, 0), unit(0.9, 0.1, 0)])
COUNTERS = np.stack([unit(0, 1, 0)])


@pytest.mark.parametrize(("vector", "excluded"), [
    (unit(0.05, 1, 0), True),      # nearly the counter-example itself
    (unit(0.3, 1, 0.2), True),     # like it, and further from every example
    (unit(1, 0.8, 0), False),      # as near an example as the counter-example: the topic's own
    (unit(0, 0.5, 1), False),      # far from the counter-example
])
def test_counter_example_needs_similarity_and_to_be_nearer_than_the_examples(vector, excluded):
    """An item is excluded only when it is close to a counter-example and closer to it than to the topic's examples."""
    assert (counter_example(vector, COUNTERS, EXAMPLES, min_similarity=0.72) is not None) is excluded


def test_no_counter_examples_exclude_nothing():
    """An empty set of counter-examples (any source) excludes nothing."""
    assert counter_example(unit(0, 1, 0), np.zeros((0, 3), dtype=np.float32), EXAMPLES) is None


def test_marked_stories_turn_the_match_into_a_miss(hashing_embedder, gaz):
    """A story like one analysts took off a topic misses it (with the reason); other topics are untouched."""
    from bot.read.match import build_profiles, match_item, with_counter_examples
    from bot.rules import Topic

    topics = [Topic(id=t, name=f"{t} strikes on boats", description=f"{t} strikes on boats.", examples=(f"{t} strikes on boats",),
                    target="the strikes", watchlist="w", context=()) for t in ("naval", "other")]
    text = "naval other strikes on boats near the coast"
    vector = hashing_embedder.encode([text])[0]
    profiles = with_counter_examples(build_profiles(topics, hashing_embedder, gaz), {"naval": vector[None, :]})
    matches = {m.topic_id: m for m in match_item(text, vector, profiles, gaz)}
    assert not matches["naval"].matched and matches["naval"].reason.startswith("counter-example: 1.00 like a story marked")
    assert matches["other"].matched

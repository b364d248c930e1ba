"""Counter-examples: a story like one taken off a topic does not match it; one plainly about the topic still does."""

from __future__ import annotations

import numpy as np
import pytest

from bot.read.exclude import counter_example, drop_counter_examples
from bot.read.match import Match
from bot.read.reading import Reading


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


def test_drop_counter_examples_turns_the_match_into_a_miss_and_drops_its_stances():
    """Only the excluded topic's match becomes a miss with the reason; other topics are untouched."""
    from types import SimpleNamespace

    profiles = [SimpleNamespace(topic=SimpleNamespace(id="naval"), vectors=EXAMPLES),
                SimpleNamespace(topic=SimpleNamespace(id="other"), vectors=EXAMPLES)]
    reading = Reading(item=None, matches=(Match("naval", 0.7, True, "score"), Match("other", 0.6, True, "score")),  # type: ignore[arg-type]
                      stances={"naval": ["x"], "other": ["y"]})
    out = drop_counter_examples([reading], [unit(0.05, 1, 0)], profiles, {"naval": COUNTERS})[0]  # type: ignore[arg-type]
    assert [(m.topic_id, m.matched) for m in out.matches] == [("naval", False), ("other", True)]
    assert out.matches[0].reason.startswith("counter-example: 1.00 like a story marked not about this topic")
    assert out.stances == {"other": ["y"]}

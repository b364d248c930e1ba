"""Counter-examples: stories said not to be about a topic keep similar stories from matching it (pure).

Counter-examples come from any source as vectors: an analyst's 'Not this topic' in Slack (the story's own
embedding), or a topic's `exclude:` texts in YAML, embedded like its examples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Two reports of one kind of event (the same dispute, another day) score about 0.6-0.8 with MiniLM; the
# same story rewritten scores above 0.85. An item also has to be closer to the counter-example than to
# any of the topic's own examples, so a story that is plainly the topic's is never excluded.
COUNTER_SIMILARITY = 0.72
# A topic's `exclude:` texts are short descriptions of a kind of story ("oil output starts at a new offshore
# project"), not stories: a story of that kind scores about 0.5-0.7 with one.
DESCRIBED_SIMILARITY = 0.5


@dataclass(frozen=True)
class Exclusion:
    """The counter-example an item resembles: its index, the similarity, and the item's best example similarity."""

    index: int
    similarity: float
    example_similarity: float

    @property
    def reason(self) -> str:
        return (f"counter-example: {self.similarity:.2f} like a story marked not about this topic "
                f"(closest topic example {self.example_similarity:.2f})")


def counter_example(vector: np.ndarray, counters: np.ndarray, examples: np.ndarray, *,
                    min_similarity: float = COUNTER_SIMILARITY) -> Exclusion | None:
    """The counter-example that excludes an item from a topic, if any.

    `counters` and `examples` hold unit vectors as rows. An item is excluded when its nearest counter-example is at
    least `min_similarity` and nearer than the topic's nearest example (its description or an example headline).
    """
    if counters.size == 0:
        return None
    sims = counters @ vector
    best = int(np.argmax(sims))
    nearest_example = float(np.max(examples @ vector)) if examples.size else -1.0
    if sims[best] >= min_similarity and sims[best] > nearest_example:
        return Exclusion(best, float(sims[best]), nearest_example)
    return None

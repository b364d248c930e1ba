"""Which sentences of an item are about which of its topics (pure, given sentence and topic vectors).

An item matched to several topics ("a paragraph on the buildup, then one on arrests") must not lend the
stances voiced about one topic to the other. Each sentence goes to the topic it is closest to; one that is
not clearly about any continues the previous sentence's topic ("A and B warned of destabilisation" after "the
buildup has split the region"); a headline that leans to no single topic counts for every close one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MARGIN = 0.08  # a sentence this much closer to one topic than to the others is about it
# Reports keep to a topic for a while: leaving the one just covered takes more ("Washington said the operation
# would go on, and Maduro answered defiantly" still belongs to the buildup) unless the text marks a new passage.
SWITCH = 0.14
NEW_PASSAGE = ("separately", "in a separate", "meanwhile", "elsewhere", "in other news", "also on", "in another")
TERM_BONUS = 0.04  # each shared topic term (up to three) counts like this much similarity


def assign_passages(sentence_vectors: np.ndarray, sentence_terms: Sequence[set[str]], topic_vectors: np.ndarray,
                    topic_terms: Sequence[frozenset[str]], openings: Sequence[str] = ()) -> list[set[int]]:
    """For each sentence, the indices of the topics it is about (at least one); `openings`: each sentence's first
    words, where a new passage announces itself ("Separately, ...")."""
    k = topic_vectors.shape[0]
    if k == 1:
        return [{0} for _ in range(len(sentence_terms))]
    sims = sentence_vectors @ topic_vectors.T
    bonus = np.array([[TERM_BONUS * min(3, len(terms & topic)) for topic in topic_terms] for terms in sentence_terms])
    scores = sims + bonus if len(sentence_terms) else sims
    out: list[set[int]] = []
    for n, row in enumerate(scores):
        order = np.argsort(-row)
        best, second = row[order[0]], row[order[1]]
        fresh = n < len(openings) and openings[n].lower().startswith(NEW_PASSAGE)
        current = next(iter(out[-1])) if out and len(out[-1]) == 1 else None
        if current is not None and not fresh and current != int(order[0]) and best - row[current] < SWITCH:
            out.append({current})  # not far enough from what it was covering to leave it
        elif best - second >= MARGIN:
            out.append({int(order[0])})
        elif out:
            out.append(set(out[-1]))  # not clearly about one: it goes on with what came before
        else:
            out.append({int(i) for i in order if row[i] >= best - MARGIN})  # a headline about both
    return out

"""Which articles are worth fetching, their lead, and the passages worth parsing (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from bot.ingest.items import make_item
from bot.read.article import (
    Article,
    decide_article,
    from_article,
    is_candidate,
    lead,
    paragraphs,
    reading_text,
    select_passages,
    sentences,
)
from bot.read.match import Match, Profile, content_stems
from bot.rules import Topic

T = datetime(2026, 11, 20, tzinfo=UTC)
ONE = "A US warship struck a speedboat in the southern Caribbean on Tuesday."
FOUR = "First sentence here. Second one follows. Third is longer than that. Fourth ends it."
LONG = " ".join(["The port reported normal traffic at its terminals this week."] * 20)  # 200 words


def item(summary: str = ONE, text: str = ""):
    return make_item(feed="Wire", title="US strike deepens a regional split", summary=summary, text=text,
                     link="https://x.example/a", published=T)


@pytest.mark.parametrize("mode, summary, text, decision", [
    ("off", ONE, "", None),
    ("on", ONE, "", "fetch"),
    ("auto", ONE, "", "fetch"),
    ("on", FOUR, "", "fetch"),
    ("auto", FOUR, "", "enough"),
    ("auto", ONE, "Second. Third one. A fourth.", "enough"),
    ("on", ONE, LONG, "feed"),
    ("auto", ONE, LONG, "feed"),
])
def test_decide_article(mode, summary, text, decision):
    """`auto` fetches only for an entry of fewer than a few sentences; a feed's own full text is used without a fetch."""
    assert decide_article(mode, item(summary, text)) == decision


def profile(tid: str, threshold: float = 0.5) -> Profile:
    topic = Topic(tid, tid, "d", ("e",), "t", "w")
    return Profile(topic, np.zeros((1, 2)), np.zeros(2), None, threshold)  # type: ignore[arg-type]


@pytest.mark.parametrize("matches, candidate", [
    ([Match("a", 0.6, True, "score")], True),
    ([Match("a", 0.45, False, "score 0.450 < threshold 0.50")], True),
    ([Match("a", 0.41, False, "score 0.410 < threshold 0.50")], False),
    ([Match("a", 0.49, False, "context: set in Taiwan, not Venezuela")], False),
    ([Match("a", 0.49, False, "keywords.none: contains baseball")], False),
    ([Match("a", 0.49, False, "keywords.any: none of strike")], True),
    ([Match("a", 0.2, False, "score"), Match("b", 0.48, False, "score")], True),
])
def test_candidates_are_matches_and_near_misses_with_their_place_gate_met(matches, candidate):
    """Matched, or within CANDIDATE_MARGIN of a threshold, unless set elsewhere or holding an excluded keyword."""
    assert is_candidate(matches, [profile("a"), profile("b")]) is candidate


def test_paragraphs_and_lead():
    """Paragraphs come from line breaks, or groups of sentences for flattened text; the lead is whole paragraphs."""
    text = "\n".join(f"Paragraph {n} has exactly six words." for n in range(10))
    assert len(paragraphs(text)) == 10
    assert lead(text, words=20) == " ".join(f"Paragraph {n} has exactly six words." for n in range(3))
    assert lead("One enormous paragraph " * 100, words=10).startswith("One enormous")  # at least one paragraph
    flat = " ".join(f"Sentence number {n} is here." for n in range(7))
    assert [len(sentences(p)) for p in paragraphs(flat)] == [3, 3, 1]


def test_passages_name_a_voice_and_touch_the_topic(gaz):
    """Only paragraphs naming a country's voice that touch the topic's words (or follow one that does) are read."""
    terms = frozenset(content_stems("strikes on drug boats naval deployment"))
    text = "\n".join([
        "Brazil condemned the strikes as dangerous.",              # voice + terms
        "Fuel prices rose in the region this week.",              # neither
        "The deployment has lasted three months.",                # terms, no voice
        "Colombia said it would raise the matter at the UN.",    # voice, follows a paragraph with terms
        "Mexico hosted a football tournament.",                   # voice, no terms nearby
    ])
    chosen = select_passages(text, gaz, terms, max_chars=10_000)
    assert chosen == ["Brazil condemned the strikes as dangerous.", "Colombia said it would raise the matter at the UN."]
    assert select_passages(text, gaz, terms, max_chars=50) == ["Brazil condemned the strikes as dangerous."]


def test_reading_text_and_quotes_from_the_article():
    """The reader gets headline, summary and passages; a quote not in the headline or summary is from the article."""
    it = item(text=LONG)
    text = reading_text(it, ["Brazil condemned the strikes."])
    assert text.startswith("US strike deepens a regional split.") and LONG not in text and text.endswith("Brazil condemned the strikes.")
    assert from_article("Brazil condemned the strikes.", it)
    assert not from_article("US strike deepens a regional split.", it)
    assert not from_article(ONE, it)


def test_article_usable():
    assert Article("i", "f", "ok").usable and Article("i", "f", "feed").usable
    assert not any(Article("i", "f", s).usable for s in ("paywall", "robots", "refused", "timeout", "enough", "language"))

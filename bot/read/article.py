"""Reading the article behind an item (pure): when it is worth fetching, its lead for matching, the passages worth parsing.

Parsing a whole article costs ~0.15 s; the statements that carry stances are a few passages that name a
country's voice and touch a watched topic's words. Only those (with the headline and summary) are read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.ingest.items import Item
from bot.read.cues import ANAPHORS
from bot.read.gazetteer import Gazetteer
from bot.read.match import Match, Profile, content_stems, without_places
from bot.read.stance import names_a_speaker

AUTO_MIN_SENTENCES = 3  # `fulltext: auto` fetches only when the entry carries fewer sentences than this ("a few")
FEED_FULL_TEXT_WORDS = 150  # an entry's own content this long is the article: used without a fetch
CANDIDATE_MARGIN = 0.08  # an item this close under a topic's threshold (its place gate met) is worth its article
LEAD_WORDS = 120  # the lead paragraphs matching reads, at least
GROUP_SENTENCES = 3  # text without paragraph breaks is read in groups of this many sentences
USABLE = ("ok", "feed")  # statuses whose text is read; every other status keeps the summary
_SENTENCE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class Article:
    """The article behind an item, or why it was not read.

    status: "ok" (fetched and extracted), "feed" (the feed shipped it), "enough" (`auto`: the entry said enough),
    "paywall" (shorter than the summary), "empty", "language" (not a language the models read), "robots",
    "refused" (the address guard), "timeout", "too-large", "not-html", "no-link" or "failed" (see `error`).
    """

    item_id: str
    feed: str
    status: str
    text: str = ""
    url: str = ""
    final_url: str = ""
    error: str | None = None
    chars: int = 0
    lang: str | None = None
    fetched_at: datetime | None = None

    @property
    def usable(self) -> bool:
        return self.status in USABLE


def sentences(text: str) -> list[str]:
    """Sentences, split at end punctuation followed by a capital (crude, but cheap and good enough to count)."""
    return [s for s in _SENTENCE.split(text.strip()) if s]


def decide_article(mode: str, item: Item) -> str | None:
    """What an item of a feed with `fulltext: mode` needs: None (nothing), "feed" (its own content is the article),
    "enough" (`auto`, and the entry already carries a few sentences) or "fetch"."""
    if mode == "off":
        return None
    if len(item.text.split()) >= FEED_FULL_TEXT_WORDS:
        return "feed"
    if mode == "auto" and len(sentences(item.summary)) + len(sentences(item.text)) >= AUTO_MIN_SENTENCES:
        return "enough"
    return "fetch"


def is_candidate(matches: Sequence[Match], profiles: Sequence[Profile]) -> bool:
    """Whether an item's article can matter: it matched a topic, or came within CANDIDATE_MARGIN of one's threshold
    with that topic's place gate met (a missing keyword may be in the article; an excluded one stays)."""
    thresholds = {p.topic.id: p.threshold for p in profiles}
    for m in matches:
        if m.matched:
            return True
        blocked = m.reason.startswith(("context:", "keywords.none"))
        if not blocked and m.score >= thresholds.get(m.topic_id, 1.0) - CANDIDATE_MARGIN:
            return True
    return False


def paragraphs(text: str) -> list[str]:
    """An article's paragraphs; text without breaks (a feed's flattened content) in groups of a few sentences."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    if len(parts) > 1:
        return parts
    said = sentences(text)
    return [" ".join(said[i:i + GROUP_SENTENCES]) for i in range(0, len(said), GROUP_SENTENCES)]


def lead(text: str, *, words: int = LEAD_WORDS) -> str:
    """The first paragraphs of an article, whole, up to about `words` words (at least one paragraph)."""
    out: list[str] = []
    count = 0
    for p in paragraphs(text):
        if out and count + len(p.split()) > words:
            break
        out.append(p)
        count += len(p.split())
    return " ".join(out)


def select_passages(text: str, gaz: Gazetteer, terms: frozenset[str], *, max_chars: int) -> list[str]:
    """The paragraphs worth parsing for stances, in article order: those that name a country's voice and touch a
    topic's words (`terms`, as match.content_stems makes them) or refer back to it ("the operation"), in themselves or
    in the paragraph just before."""
    out: list[str] = []
    used = 0
    touched_before = False
    for p in paragraphs(text):
        mentions = gaz.find(p)
        words = content_stems(without_places(p, gaz, mentions))
        touches = bool(words & terms or words & ANAPHORS)  # "the operation", "the move": the topic, referred back to
        if names_a_speaker(mentions) and (touches or touched_before) and used + len(p) + 1 <= max_chars:
            out.append(p)
            used += len(p) + 1
        touched_before = touches
    return out


def reading_text(item: Item, passages: Sequence[str]) -> str:
    """What the stance reader reads for an item with an article: headline, summary, then the chosen passages."""
    head = replace(item, text="").body
    return "\n".join([head, *passages]).strip()


def from_article(quote: str, item: Item) -> bool:
    """Whether a stance's quote came from the article rather than the feed entry's headline or summary."""
    quote = quote.strip().rstrip(".!?\"'”’ ")
    return bool(quote) and quote not in item.title and quote not in item.summary

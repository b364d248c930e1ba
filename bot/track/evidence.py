"""What tracking is fed: stances found in stored items, and the evidence they become (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.labels import Label

NEUTRAL_WEIGHT = 0.6  # neutral evidence carries no signed score; this is its confidence


@dataclass(frozen=True)
class StanceRecord:
    """One country's stance toward one topic in one stored item: what reading hands to tracking."""

    item_id: str
    topic_id: str
    country: str
    label: Label
    score: float
    quote: str
    feed: str
    cluster_id: str
    published: datetime
    from_article: bool = False  # the quote is from the article behind the item, not its headline or summary


@dataclass(frozen=True)
class Evidence:
    """One story's stance of one country toward one topic."""

    cluster_id: str
    item_id: str
    country: str
    label: str
    confidence: float
    outlet: str  # the outlet that first carried the story
    published: datetime
    quote: str = ""
    link: str = ""
    title: str = ""
    from_article: bool = False


def make_evidence(*, item_id: str, cluster_id: str, country: str, label: str, score: float, outlet: str,
                  published: datetime, quote: str = "", link: str = "", title: str = "", from_article: bool = False) -> Evidence:
    """Tracked evidence from a stance: neutral carries a fixed weight, the others their score's size."""
    confidence = abs(score) if label != Label.NEUTRAL else NEUTRAL_WEIGHT
    return Evidence(cluster_id, item_id, country, Label(label), confidence or NEUTRAL_WEIGHT, outlet, published, quote,
                    link or "", title or "", from_article)

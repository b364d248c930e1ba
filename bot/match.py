"""Topic matching: embedding similarity, place context and keyword gates (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from bot.embed import Embedder
from bot.gazetteer import Gazetteer, Mention
from bot.rules import Keywords, Topic

DEFAULT_THRESHOLD = 0.45
# Prepositions that make a following country the story's location, not its actor.
_LOCATIVE = re.compile(r"\b(in|off|near|across|around|into|inside|within|along|over|at|between|to|toward|towards|from|through)\s+(the\s+)?$", re.I)


@dataclass(frozen=True)
class Context:
    """Where a topic's stories happen: any of these places is required."""

    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.countries or self.regions)

    def describe(self, gaz: Gazetteer) -> str:
        names = [gaz.country_name(c) for c in sorted(self.countries)]
        names += [gaz.regions[r].names[0] if r in gaz.regions and gaz.regions[r].names else r for r in sorted(self.regions)]
        return ", ".join(names)


@dataclass(frozen=True)
class Profile:
    """A topic prepared for matching: its example vectors and its context."""

    topic: Topic
    vectors: np.ndarray
    centroid: np.ndarray
    context: Context
    threshold: float


@dataclass(frozen=True)
class Match:
    """How one item relates to one topic, and why."""

    topic_id: str
    score: float
    matched: bool
    reason: str


def topic_texts(topic: Topic) -> list[str]:
    return [f"{topic.name}. {topic.description}", *topic.examples]


def derive_context(topic: Topic, gaz: Gazetteer) -> Context:
    """Places a topic's stories must mention: explicit `context:`, else read from its name and description."""
    if topic.context is not None:
        countries, regions = set(), set()
        for entry in topic.context:
            if entry in gaz.countries:
                countries.add(entry)
            elif entry in gaz.regions:
                regions.add(entry)
            else:
                for m in gaz.find(entry):
                    (regions if m.kind in ("region", "place") else countries).add(m.ref)
        return Context(frozenset(countries), frozenset(regions))
    text = f"{topic.name}. {topic.description}"
    mentions = [m for m in gaz.find(text) if m.kind != "organization"]
    regions = {m.ref for m in mentions if m.kind in ("region", "place")}
    located = {m.ref for m in mentions if m.kind not in ("region", "place") and _LOCATIVE.search(text[:m.start])}
    if regions or located:
        return Context(frozenset(located), frozenset(regions))
    return Context(frozenset(m.ref for m in mentions if m.kind not in ("region", "place")), frozenset())


def build_profiles(topics: Sequence[Topic], embedder: Embedder, gaz: Gazetteer, *, default_threshold: float = DEFAULT_THRESHOLD) -> list[Profile]:
    """Embed every topic's description and examples once."""
    profiles = []
    for topic in topics:
        vectors = embedder.encode(topic_texts(topic))
        centroid = vectors.mean(axis=0)
        centroid = centroid / (np.linalg.norm(centroid) or 1.0)
        threshold = topic.threshold if topic.threshold is not None else default_threshold
        profiles.append(Profile(topic, vectors, centroid.astype(np.float32), derive_context(topic, gaz), threshold))
    return profiles


def similarity(profile: Profile, vector: np.ndarray) -> float:
    """Half the best example similarity, half the similarity to the topic's centroid."""
    return float(0.5 * np.max(profile.vectors @ vector) + 0.5 * (profile.centroid @ vector))


@lru_cache(maxsize=4096)
def _keyword_re(word: str) -> re.Pattern:
    body = re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else "")
    return re.compile(rf"(?<!\w){body}(?!\w)", re.I)


def keyword_gate(keywords: Keywords, text: str) -> str | None:
    """None when the gates pass, else which gate failed and on what."""
    if keywords.any and not any(_keyword_re(k).search(text) for k in keywords.any):
        return f"keywords.any: none of {', '.join(keywords.any)}"
    missing = [k for k in keywords.all if not _keyword_re(k).search(text)]
    if missing:
        return f"keywords.all: missing {', '.join(missing)}"
    present = [k for k in keywords.none if _keyword_re(k).search(text)]
    if present:
        return f"keywords.none: contains {', '.join(present)}"
    return None


def context_gate(context: Context, mentions: Sequence[Mention], gaz: Gazetteer) -> str | None:
    """None when the item is set where the topic is, else why not.

    A direct hit (a required country, or a required region named) passes. A member
    state of a required region passes unless the item also names a specific place
    elsewhere ("US destroyers in the Taiwan Strait" is not the Caribbean).
    """
    if context.empty:
        return None
    direct = weak = False
    elsewhere: list[str] = []
    for m in mentions:
        if m.kind == "organization":
            continue
        if m.kind in ("region", "place"):
            if m.ref in context.regions:
                direct = True
            elif gaz.regions.get(m.ref) and gaz.regions[m.ref].specific and not (gaz.regions[m.ref].members & context.countries):
                elsewhere.append(m.text)
            continue
        if m.ref in context.countries:
            direct = True
        elif any(m.ref in gaz.regions[r].members and not gaz.regions[r].water for r in context.regions if r in gaz.regions):
            weak = True
    if direct or (weak and not elsewhere):
        return None
    needed = context.describe(gaz)
    if weak and elsewhere:
        return f"context: set in {', '.join(sorted(set(elsewhere)))}, not {needed}"
    return f"context: mentions none of {needed}"


def match_item(text: str, vector: np.ndarray, profiles: Sequence[Profile], gaz: Gazetteer, *, mentions: Sequence[Mention] | None = None) -> list[Match]:
    """Score one item against every topic."""
    mentions = gaz.find(text) if mentions is None else mentions
    out = []
    for p in profiles:
        score = similarity(p, vector)
        failed = keyword_gate(p.topic.keywords, text) or context_gate(p.context, mentions, gaz)
        if failed:
            out.append(Match(p.topic.id, score, False, failed))
        elif score >= p.threshold:
            out.append(Match(p.topic.id, score, True, f"score {score:.3f} >= threshold {p.threshold:.2f}"))
        else:
            out.append(Match(p.topic.id, score, False, f"score {score:.3f} < threshold {p.threshold:.2f}"))
    return out

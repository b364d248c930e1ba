"""Topic matching: embedding similarity, place context and keyword gates (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from bot.read.embed import Embedder
from bot.read.exclude import DESCRIBED_SIMILARITY, counter_example
from bot.read.gazetteer import PLACE_KINDS, Gazetteer, Mention
from bot.read.parties import COUNTRY_KINDS, parties
from bot.rules import Keywords, Topic

DEFAULT_THRESHOLD = 0.48
# A dense score misses exact topic words ("deportation", "coast guard"); each shared
# content word adds a little, up to a cap (measured on tests/data/topic_eval).
LEXICAL_WEIGHT = 0.045
LEXICAL_CAP = 3
# A story that names none of the parties whose action the topic is about ("the US deployment": the US, its
# officials, its capital) is usually about something else in the same place; it must score this much higher.
OWNER_MARGIN = 0.1
# Topics whose places overlap compete: a story goes to the closest one, and to another only if that one is
# nearly as close (measured on the real-style items of tests/data/real).
COMPETE_MARGIN = 0.05
CLEARLY_MET = 0.15  # ... unless it is clearly about that one too (an article with a passage on each)
FAR_BEHIND = 0.15  # ... and not far behind the closest (a story squarely about one topic that only touches another)
_STOP = frozenset("""the a an of in on at to for from by with and or as is are was were be been its their his her after
    before over under into near off than that this these those new says say said will would could has have had not no more
    most about against between during through amid also other who which what when where while them they it how
    goes government governments react reacts reaction reactions leader leaders official officials chief week day""".split())
# Prepositions that make a following country the story's location, not its actor.
_LOCATIVE = re.compile(r"\b(in|off|near|across|around|into|inside|within|along|over|at|between|to|toward|towards|from|through)\s+(the\s+)?$", re.I)


@dataclass(frozen=True)
class Context:
    """Where a topic's stories happen.

    `countries` and `regions` are the setting (any one of them qualifies a story);
    `related` countries are named by the topic without being its setting (the US in
    "US naval activity in the Caribbean"): naming them is neither a hit nor a miss.
    """

    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    related: frozenset[str] = frozenset()

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
    terms: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()  # countries whose action the topic is about
    rivals: frozenset[str] = frozenset()  # countries it is aimed at (given, or read from the target: "strikes on Iran")
    counter: np.ndarray | None = None  # the vectors of the topic's counter-examples (exclude:), if any
    marked: np.ndarray | None = None  # the vectors of stories analysts said are not about it (Slack 'Not this topic')


@dataclass(frozen=True)
class Match:
    """How one item relates to one topic, and why."""

    topic_id: str
    score: float
    matched: bool
    reason: str
    via: str | None = None  # the earlier story this match was inherited from (bot.read.neighbours), if it was
    ownerless: bool = False  # the story names none of the parties whose action the topic is about


def content_stems(text: str) -> set[str]:
    """Crudely stemmed content words: enough to see that two texts share vocabulary."""
    out = set()
    for word in re.findall(r"[a-z][a-z-]+", text.lower()):
        if word in _STOP or len(word) < 3:
            continue
        for suffix in ("ings", "ing", "ied", "ies", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        out.add(word)
    return out


def topic_texts(topic: Topic) -> list[str]:
    return [f"{topic.name}. {topic.description}", *topic.examples]


def derive_context(topic: Topic, gaz: Gazetteer) -> Context:
    """Places a topic's stories must be set in: explicit `context:`, else read from its name and description."""
    named = {m.ref for t in topic_texts(topic) for m in gaz.find(t) if m.kind in PLACE_KINDS}
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
        return Context(frozenset(countries), frozenset(regions), frozenset(named - countries))
    text = f"{topic.name}. {topic.description}"
    mentions = [m for m in gaz.find(text) if m.kind != "organization"]
    regions = {m.ref for m in mentions if m.kind in ("region", "place")}
    located = {m.ref for m in mentions if m.kind not in ("region", "place") and _LOCATIVE.search(text[:m.start])}
    if not (regions or located):
        located = {m.ref for m in mentions if m.kind not in ("region", "place")}
    return Context(frozenset(located), frozenset(regions), frozenset(named - located))


def build_profiles(topics: Sequence[Topic], embedder: Embedder, gaz: Gazetteer, *, default_threshold: float = DEFAULT_THRESHOLD) -> list[Profile]:
    """Embed every topic's description and examples once."""
    texts = [topic_texts(t) for t in topics]
    flat = embedder.encode([x for topic, own in zip(topics, texts, strict=True) for x in (*own, *topic.exclude)])
    profiles, at = [], 0
    for topic, own in zip(topics, texts, strict=True):
        vectors, counter = flat[at: at + len(own)], flat[at + len(own): at + len(own) + len(topic.exclude)]
        at += len(own) + len(topic.exclude)
        centroid = vectors.mean(axis=0)
        centroid = centroid / (np.linalg.norm(centroid) or 1.0)
        threshold = topic.threshold if topic.threshold is not None else default_threshold
        terms = frozenset(content_stems(without_places(" ".join(own), gaz)))
        owners, rivals = parties(topic.target, (), gaz, owners=topic.owners, rivals=topic.rivals)
        profiles.append(Profile(topic, vectors, centroid.astype(np.float32), derive_context(topic, gaz), threshold, terms,
                                owners, rivals, counter if topic.exclude else None))
    return profiles


def without_places(text: str, gaz: Gazetteer, mentions: Sequence[Mention] | None = None) -> str:
    """The text with every gazetteer name blanked out: places are the context gate's business, not vocabulary."""
    chars = list(text)
    for m in gaz.find(text) if mentions is None else mentions:
        chars[m.start:m.end] = " " * (m.end - m.start)
    return "".join(chars)


def similarity(profile: Profile, vector: np.ndarray) -> float:
    """Half the best example similarity, half the similarity to the topic's centroid."""
    return float(0.5 * np.max(profile.vectors @ vector) + 0.5 * (profile.centroid @ vector))


def shared_terms(profile: Profile, stems: set[str]) -> int:
    return len(profile.terms & stems)


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


# A story naming no place of the setting (only the acting state, a neighbour, or nothing) is more often that state's
# other news ("Venezuela's top court ..." for the Essequibo claim): it must score as much higher as one naming none of
# the action's owners (0.03 before; measured on tests/data/real/topic and the real headlines).
SOFT_MARGIN = 0.1
# A story this far above the threshold that names the action's owner is about the topic even when it is told from
# elsewhere (a capital reacting); one naming only other countries is still set elsewhere ("Nicaragua arrests ...").
CONTEXT_OVERRIDE = 0.2


def context_gate(context: Context, mentions: Sequence[Mention], gaz: Gazetteer) -> tuple[str | None, float]:
    """(why the item is set elsewhere, or None; extra threshold margin to apply).

    A direct hit (a setting country, or a setting region or place named) passes. A member
    state of a setting region passes unless the item also names a specific place elsewhere
    ("US destroyers in the Taiwan Strait" is not the Caribbean). An item naming only
    neighbours of the setting, or no place at all, passes but must score higher. An item
    set only in other countries fails.
    """
    if context.empty:
        return None, 0.0
    near_regions = set(context.regions) | {r.id for r in gaz.regions.values() if r.specific and r.members & context.countries}
    region_neighbours = {c for r in near_regions if r in gaz.regions and gaz.regions[r].specific for c in gaz.regions[r].members}
    near_countries = set(context.related) | region_neighbours
    setting_members = {c for r in context.regions if r in gaz.regions for c in gaz.regions[r].members}
    direct = weak = near = False
    places_elsewhere: list[str] = []
    countries_elsewhere: list[str] = []
    for m in mentions:
        if m.kind in ("region", "place"):
            regions = gaz.regions_of(m)
            if regions & context.regions:
                direct = True
            elif regions & near_regions:
                near = True
            elif any(gaz.regions[r].specific for r in regions if r in gaz.regions):
                places_elsewhere.append(m.text)
            continue
        if m.kind not in PLACE_KINDS:
            continue
        if m.ref in context.countries:
            direct = True
        elif m.ref in setting_members:
            weak = True
        elif m.kind == "locality" and m.ref not in region_neighbours:
            places_elsewhere.append(m.text)  # "near Alaska" sets a story as firmly as a sea does
        elif m.ref in near_countries:
            near = True
        else:
            countries_elsewhere.append(m.text)
    if direct or (weak and not places_elsewhere):
        return None, 0.0
    needed = context.describe(gaz)
    if places_elsewhere:
        return f"context: set in {', '.join(sorted(set(places_elsewhere)))}, not {needed}", 0.0
    if near or not countries_elsewhere:
        return None, SOFT_MARGIN
    return f"context: set in {', '.join(sorted(set(countries_elsewhere)))}, not {needed}", 0.0


def match_item(text: str, vector: np.ndarray, profiles: Sequence[Profile], gaz: Gazetteer, *,
               mentions: Sequence[Mention] | None = None) -> list[Match]:
    """Score one item against every topic; topics that match compete for it (the closest wins, a second one only
    when nearly as close)."""
    mentions = gaz.find(text) if mentions is None else mentions
    stems = content_stems(without_places(text, gaz, mentions))
    named = {m.ref for m in mentions if m.kind in COUNTRY_KINDS}
    out = []
    for p in profiles:
        shared = shared_terms(p, stems)
        closest = similarity(p, vector)
        score = min(1.0, closest + LEXICAL_WEIGHT * min(shared, LEXICAL_CAP))
        elsewhere, margin = context_gate(p.context, mentions, gaz)
        if elsewhere and score >= p.threshold + CONTEXT_OVERRIDE and p.owners & named:
            elsewhere = None  # a reaction told from the reacting capital ("Kenya calls Russia's grain deal exit a stab in the back")
        failed = keyword_gate(p.topic.keywords, text) or elsewhere or someone_elses_act(p, text, mentions, named) \
            or excluded(p, vector)
        notes = [" (no place named: stricter threshold)"] if margin else []
        ownerless = bool(p.owners) and not p.owners & named
        if ownerless:
            margin += OWNER_MARGIN
            notes.append(f" (names none of {', '.join(sorted(p.owners))}, whose action it is: stricter threshold)")
        threshold = p.threshold + margin
        note = "".join(notes)
        if failed:
            out.append(Match(p.topic.id, score, False, failed))
        elif score >= threshold:
            out.append(Match(p.topic.id, score, True, f"score {score:.3f} >= threshold {threshold:.2f}{note}",
                             ownerless=ownerless))
        else:
            out.append(Match(p.topic.id, score, False, f"score {score:.3f} < threshold {threshold:.2f}{note}"))
    return compete(out, {p.topic.id: p.threshold for p in profiles})


# Words for the kinds of act a topic can be about; a headline giving one of them to a state other than the topic's
# owner ("Israeli jets strike Hodeidah port" for the US strikes on the Houthis) is about someone else's act.
ACT_FAMILIES = {family: content_stems(words) for family, words in {
    "hit": "strike strikes struck airstrike airstrikes attack attacks attacked bomb bombs bombed bombing raid raids "
           "raided shelling killing killings assassination",
    "drill": "drill drills exercise exercises",
    "launch": "launch launches launched missile missiles",
    "deploy": "deploy deploys deployed deployment warship warships buildup",
    "incursion": "drone drones incursion incursions",
    "blockade": "blockade blockades",
}.items()}


def act_families(stems: set[str]) -> set[str]:
    """The kinds of act (hit, drill, launch, ...) some words name: "strikes" and "attack" are the same kind."""
    return {family for family, words in ACT_FAMILIES.items() if stems & words}


AGENT_WINDOW = 4  # words from the state to the act: "Israeli jets strike", "China's coast guard fires"
ARMS = {"s", "jets", "warplanes", "planes", "aircraft", "forces", "troops", "army", "navy", "military", "coast", "guard",
        "air", "force", "ships", "warships", "vessels", "drones", "missiles", "artillery", "fighter", "fighters"}


# Verbs between a state and an act that is its own: "Taiwan holds drills", "Taiwan stages its own exercises".
DOING = {"holds", "held", "stages", "staged", "conducts", "conducted", "begins", "began", "starts", "started", "launches",
         "launched", "kicks", "plans", "its", "own"}


def someone_elses_act(profile: Profile, text: str, mentions: Sequence[Mention], named: set[str]) -> str | None:
    """Why the headline's act is not the topic's: it hits a state the topic is not aimed at, when the item names none
    of those it is ("Israeli attack on Qatar" for the strikes on Iran), or it is done by a state other than the
    topic's owner, which the item does not name at all ("Israeli jets strike Hodeidah" for the US strikes). None when
    neither (an owner or a target named, a reaction with no act of its own)."""
    acts = act_families(set(profile.terms))
    end = next((i for i, ch in enumerate(text) if ch in ".!?\n"), len(text))
    if profile.rivals and not profile.rivals & named:
        for m in mentions:  # "Israeli attack on Qatar" for the strikes on Iran: another state is hit
            if m.kind in COUNTRY_KINDS and m.start < end and m.ref not in profile.owners and m.ref not in profile.context.countries:
                before = re.findall(r"[A-Za-z][\w'-]*", text[max(0, m.start - 40):m.start])[-2:]
                if len(before) == 2 and before[1].lower() in ("on", "against", "into") and \
                        act_families(content_stems(before[0])) & acts:
                    return (f"someone else's act: {before[0]} {before[1]} {m.text} (the topic is aimed at "
                            f"{', '.join(sorted(profile.rivals))})")
    if not profile.owners or profile.owners & {m.ref for m in mentions if m.start < end and m.kind in COUNTRY_KINDS}:
        return None  # (an owner named only further on is often the foe the drills imagine)
    for m in mentions:
        if m.kind not in COUNTRY_KINDS or m.start >= end or m.ref in profile.owners:
            continue
        words = re.findall(r"[A-Za-z][\w'-]*", re.split(r"[:,;—–]", text[m.end:end])[0])[:AGENT_WINDOW]
        for n, word in enumerate(words):
            if act_families(content_stems(word)) & acts:
                return (f"someone else's act: {m.text} {' '.join(words[:n + 1])} (the topic is about "
                        f"{', '.join(sorted(profile.owners))})")
            if word.lower() not in ARMS | DOING:
                break  # "Oman condemns ...": the words after it are not its forces
    return None


def excluded(profile: Profile, vector: np.ndarray) -> str | None:
    """Why the item is one of the topic's excluded kinds of story (`exclude:`), or like a story analysts took off
    the topic; None when it is neither."""
    if profile.counter is not None:
        found = counter_example(vector, profile.counter, profile.vectors, min_similarity=DESCRIBED_SIMILARITY)
        if found is not None:
            return (f"exclude: closer to {profile.topic.exclude[found.index]!r} ({found.similarity:.2f}) "
                    f"than to any example ({found.example_similarity:.2f})")
    if profile.marked is not None:
        found = counter_example(vector, profile.marked, profile.vectors)
        if found is not None:
            return found.reason
    return None


def with_counter_examples(profiles: Sequence[Profile], marked: Mapping[str, np.ndarray]) -> list[Profile]:
    """The profiles with the stories analysts took off each topic as counter-examples."""
    return [replace(p, marked=marked[p.topic.id]) if p.topic.id in marked else p for p in profiles]


def compete(matches: list[Match], thresholds: dict[str, float]) -> list[Match]:
    """Only the closest matched topic, those nearly as close and those clearly met on their own keep the item."""
    won = [m for m in matches if m.matched]
    if len(won) < 2:
        return matches
    best = max(won, key=lambda m: m.score)
    named = max((m for m in won if not m.ownerless), key=lambda m: m.score, default=None)

    def beaten_by(m: Match) -> str | None:
        if named is not None and m.ownerless and m.score < named.score + OWNER_MARGIN:
            return f"{named.topic_id} names its actor"
        if m.score < best.score - COMPETE_MARGIN and (m.score < thresholds[m.topic_id] + CLEARLY_MET
                                                      or m.score < best.score - FAR_BEHIND):
            return f"{best.topic_id} is closer ({best.score:.3f})"
        return None

    return [replace(m, matched=False, reason=f"{m.reason}, but {why}") if m.matched and (why := beaten_by(m)) else m
            for m in matches]

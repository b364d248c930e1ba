"""Who stands where: country stances toward a topic's target, from a dependency parse (pure given a parser)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.labels import Label
from bot.read.clause import (
    clause_tokens,
    climb_to_predicate,
    is_background,
    is_non_state_speaker,
    judge_clause,
    reported_about_other,
    span_for,
)
from bot.read.cues import ANAPHORS, EARLIER_MARKERS, ECHO, NEUTRAL, NEUTRAL_PHRASES, NOW_MARKERS, OPPOSE, REPORTING, SPEAKERS, SUPPORT
from bot.read.gazetteer import Gazetteer

POLARITY_LABEL = {SUPPORT: Label.SUPPORTIVE, OPPOSE: Label.OPPOSED, NEUTRAL: Label.NEUTRAL}
COUNTRY_KINDS = ("country", "capital", "demonym", "person", "institution")
NOT_A_SPEAKER_ROLES = {"opposition", "former"}

@dataclass(frozen=True)
class Stance:
    """One country's stance in one item."""

    country: str
    label: str
    score: float
    evidence: str

    def as_dict(self) -> dict:
        return {"country": self.country, "label": self.label, "score": round(self.score, 3), "evidence": self.evidence}


@dataclass(frozen=True)
class StanceTopic:
    """What stance extraction needs to know about a topic."""

    target: str
    terms: frozenset[str]
    actors: frozenset[str]


@dataclass(frozen=True)
class ClauseVerdict:
    """The stance one clause gives one country, before a text's clauses are combined."""

    country: str
    polarity: int
    confidence: float
    sentence: str
    order: int
    now: bool = False
    earlier: bool = False


def stance_topic(target: str, texts: Iterable[str], gaz: Gazetteer, nlp) -> StanceTopic:
    """Target terms (content lemmas) and actor countries (named in the target) for a topic."""
    terms: set[str] = set()
    for doc in nlp.pipe([target, *texts]):
        for tok in doc:
            if tok.pos_ in ("NOUN", "VERB", "ADJ", "PROPN") and not tok.is_stop and len(tok.text) > 2:
                if not gaz.find(tok.text):
                    terms.add(tok.lemma_.lower())
    terms -= {"say", "government", "country", "region", "reaction", "react", "new", "official", "leader", "news"}
    actors = {m.ref for m in gaz.find(target) if m.kind in COUNTRY_KINDS}
    return StanceTopic(target, frozenset(terms), frozenset(actors))


Fallback = Callable[[str], tuple[int, float] | None]


def names_a_speaker(mentions) -> bool:
    """Whether any mention can speak for a country; find_stances finds nothing in a text without one."""
    return any(m.kind in COUNTRY_KINDS for m in mentions)


def find_stances(text: str, topic: StanceTopic, *, nlp, gaz: Gazetteer, fallback: Fallback | None = None,
                 short_item_sentences: int = 2, parsed: tuple | None = None) -> list[Stance]:
    """Every country taking a stance toward the topic's target in `text` (`parsed`: its (doc, mentions), if known)."""
    doc, found = parsed if parsed is not None else (nlp(text), gaz.find(text))
    mentions = [m for m in found if m.kind in COUNTRY_KINDS]
    short = len(list(doc.sents)) <= short_item_sentences
    spans = [(m, span_for(doc, m)) for m in mentions]
    spans = [(m, s) for m, s in spans if s is not None]
    owner = {t.i: m.ref for m, s in spans for t in s}
    verdicts: list[ClauseVerdict] = []
    last_polar: dict[int, tuple[int, float]] = {}  # sentence start -> the last stance voiced in it
    for order, (mention, span) in enumerate(spans):
        if mention.kind == "person" and mention.role in NOT_A_SPEAKER_ROLES:
            continue
        pred = climb_to_predicate(span.root, set(owner))
        if pred is None or pred.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "compound") or is_background(pred) \
                or reported_about_other(pred, mention.ref, owner):
            continue  # (a "predicate" that is itself a subject or object is a noun the tagger took for a verb)
        subject_tokens = [t for t in pred.children if t.dep_ in ("nsubj", "nsubjpass")]
        if any(is_non_state_speaker(t.subtree) and t.i not in owner for t in subject_tokens) and not any(
                t.i in owner or t.lemma_.lower() in SPEAKERS for t in subject_tokens):
            continue
        same = {i for i, ref in owner.items() if ref == mention.ref}
        tokens = clause_tokens(pred, same, set(owner) - same)
        lowered = " " + " ".join(t.lower_ for t in tokens) + " "
        if not ((short and "separately" not in lowered) or _relevant(tokens, topic)):
            continue
        verdict = judge_clause(tokens, lowered, topic.terms)
        sent_key = span.sent.start
        if (verdict is None or verdict[0] == NEUTRAL and not any(p in lowered for p in NEUTRAL_PHRASES)) \
                and pred.lemma_.lower() in ECHO and sent_key in last_polar:
            verdict = last_polar[sent_key]  # "Cuba echoed the charge": the stance just voiced
        speaks = pred.lemma_.lower() in REPORTING
        if mention.ref in topic.actors and speaks and (verdict is None or verdict[0] == OPPOSE and verdict[1] < 0.5):
            verdict = (SUPPORT, 0.6)  # the actor of the watched action, speaking of it, stands by it
        if verdict is None and fallback is not None:
            verdict = fallback(" ".join(t.text for t in tokens))
        if verdict is None:
            continue
        polarity, confidence = verdict
        if polarity != NEUTRAL:
            last_polar[sent_key] = verdict
        words = {t.lower_ for t in tokens}
        verdicts.append(ClauseVerdict(mention.ref, polarity, confidence, span.sent.text.strip(), order,
                                 now=bool(words & NOW_MARKERS), earlier=bool(words & EARLIER_MARKERS)))
    return _combine(verdicts)


def _relevant(tokens, topic: StanceTopic) -> bool:
    words = {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}
    if words & topic.terms or words & ANAPHORS:
        return True
    stems = {w[:5] for w in words if len(w) >= 5}
    return any(t[:5] in stems for t in topic.terms if len(t) >= 5)


def _combine(verdicts: Sequence[ClauseVerdict]) -> list[Stance]:
    """One stance per country: the current one wins over an earlier one, else the strongest."""
    by_country: dict[str, list[ClauseVerdict]] = {}
    for e in verdicts:
        by_country.setdefault(e.country, []).append(e)
    out = []
    for country, items in by_country.items():
        current = [e for e in items if e.now] or [e for e in items if not e.earlier] or items
        polar = [e for e in current if e.polarity != NEUTRAL]
        if polar:
            total = sum(e.polarity * e.confidence for e in polar)
            if total == 0:
                best = polar[-1]
            else:
                best = max((e for e in polar if e.polarity == (1 if total > 0 else -1)), key=lambda e: e.confidence)
        else:
            best = max(current, key=lambda e: e.confidence)
        score = best.polarity * best.confidence if best.polarity != NEUTRAL else 0.0
        out.append(Stance(country, POLARITY_LABEL[best.polarity], float(np.clip(score, -1, 1)), best.sentence))
    return sorted(out, key=lambda s: s.country)



"""Who stands where: country stances toward a topic's target, from a dependency parse (pure given a parser)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

import re

from bot.read.cues import (BACKGROUND_MARKS, BLOCKERS, ECHO, EARLIER_MARKERS, NEITHER_NOR, NEUTRAL, NEUTRAL_PHRASES,
                      NOW_MARKERS, OPPOSE, OPPOSE_PHRASES, REFUSAL, REPORTING, STATE_OF_OPPOSITION, SUPPORT,
                      SUPPORT_PHRASES, VERB_OBJECT, WORDS)
from bot.read.gazetteer import Gazetteer, Mention

LABELS = {SUPPORT: "supportive", OPPOSE: "opposed", NEUTRAL: "neutral"}
COUNTRY_KINDS = ("country", "capital", "demonym", "person", "institution")
NOT_A_SPEAKER_ROLES = {"opposition", "former"}

# Nouns through which a country speaks or acts ("Brazil's foreign ministry", "Turkish officials").
SPEAKERS = set("""government ministry minister president premier chancellor spokesperson spokesman spokeswoman
    official officials diplomat diplomats embassy ambassador envoy office leader king queen emir sultan prince junta
    authorities authority administration cabinet navy army military force forces troops guard defence defense
    department secretary delegation mission representative delegate council presidency palace chancellery kremlin
    police prosecutor prosecutors attorney court regime state ministers leadership command commander general
    foreign interior coastguard parliament legislature congress senate assembly junta head counterpart side
    capital mfa agency service services""".split())
# Nouns that speak for someone other than the state.
NON_STATE = set("""opposition senator senators lawmaker lawmakers legislator mp mps deputy deputies analyst analysts
    expert experts scholar academic researcher company firm corporation newspaper media outlet press
    activist activists protester protesters citizen citizens resident residents fan fans business businesses
    group party candidate critic critics commentator columnist journalist union student students fisherman
    fishermen family families relative relatives rebel rebels militia militant militants exile exiles diaspora
    victim victims survivor worker workers shipowner shipowners insurer insurers trader traders investor investors
    former ex retired exiled""".split())
ANAPHORS = {"move", "operation", "action", "decision", "step", "plan", "it", "them", "this", "that", "campaign",
            "policy", "initiative", "measure", "measures", "attack", "raid", "effort", "deal", "one"}


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
class Evidence:
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


def _span_for(doc, mention: Mention):
    return doc.char_span(mention.start, mention.end, alignment_mode="expand")


def _climb_to_predicate(tok, mention_tokens: set[int]):
    """The predicate a mention is the (government) subject of, or None when it only owns, locates or receives."""
    node = tok
    for _ in range(10):
        dep, head = node.dep_, node.head
        if head is node:
            return None
        if head.i in mention_tokens and dep in ("poss", "compound", "amod", "nmod", "appos", "flat", "conj", "pobj", "prep"):
            node = head  # "Chile's Boric", "Kremlin spokesman Peskov": one speaker
            continue
        if dep == "conj" and head.pos_ in ("PROPN", "NOUN", "PRON"):
            node = head
            continue
        if dep in ("appos", "flat") and head.pos_ in ("PROPN", "NOUN"):
            node = head
            continue
        if dep in ("poss", "amod", "nmod", "compound") or (dep == "pobj" and head.lower_ in ("of", "in", "from") and head.head.lemma_.lower() in SPEAKERS):
            owner = head if dep != "pobj" else head.head
            lemma = owner.lemma_.lower()
            if lemma in NON_STATE or any(c.lemma_.lower() in NON_STATE for c in owner.children):
                return None
            if lemma not in SPEAKERS:
                return None
            node = owner
            continue
        if dep in ("nsubj", "csubj"):
            return head
        if dep == "pobj" and head.dep_ == "agent":
            return head.head
        if dep == "pobj" and head.lower_ == "by":
            verb = _passive_ancestor(head)  # the parser hung "by X" on a noun: "denounced as aggression by X"
            if verb is not None:
                return verb
        if dep == "dobj" and head.lemma_.lower() == "join" and any(c.dep_ == "prep" and c.lower_ == "in" for c in head.children):
            return head  # "joined Japan and South Korea in condemning": they condemn too
        return None
    return None


def _passive_ancestor(tok):
    node = tok
    for _ in range(4):
        node = node.head
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in node.children):
            return node
        if node.head is node:
            return None
    return None


def _is_non_state_speaker(subject_tokens) -> bool:
    return any(t.lemma_.lower() in NON_STATE for t in subject_tokens)


def _own_subject(tok, same: set[int]) -> bool:
    """Whether a clause head has a subject (or passive agent) of its own, other than `same` tokens."""
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj") and c.pos_ != "PRON" and c.i not in same:
            return True
        if c.dep_ == "agent":
            return True
    return False


def _foreign_subject(tok, same: set[int], others: set[int]) -> bool:
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.i in others and t.i not in same for t in tok.subtree)


def _clause(pred, same: set[int], others: set[int] = frozenset()):
    """Tokens of a predicate's clause, without coordinated or adverbial clauses that have subjects of their own."""
    out = []
    stack = [pred]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for child in tok.children:
            if child.dep_ in ("conj", "advcl", "parataxis", "relcl", "acl") and (
                    _own_subject(child, same) or _foreign_subject(child, same, others)):
                continue
            if child.dep_ == "ccomp" and child.i < pred.i and _foreign_subject(child, same, others):
                continue  # "A welcomed it; B rejected it" parsed as if B reported A
            if child.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in child.children):
                continue
            if child.dep_ == "relcl" or (child.dep_ in ("cc", "punct") and child.i > pred.i and tok is pred and child.lower_ in (";",)):
                continue
            stack.append(child)
    return sorted(out, key=lambda t: t.i)


def _negated(tok) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in tok.children):
        return True
    if tok.dep_ in ("xcomp", "ccomp", "dobj", "pobj", "acomp", "attr") and any(c.dep_ == "neg" for c in tok.head.children):
        return True
    return any(c.lower_ == "no" and c.dep_ == "det" for c in tok.head.children) and tok.dep_ in ("acl", "relcl", "xcomp")


def _relevant_object(tok, terms: frozenset[str]) -> bool:
    objs = [c for c in tok.children if c.dep_ in ("dobj", "pobj", "prep", "attr")]
    if not objs:
        return True
    words = {t.lemma_.lower() for o in objs for t in o.subtree} | {t.lower_ for o in objs for t in o.subtree}
    return bool(words & terms) or bool(words & ANAPHORS)


def _cues(tokens, pred, terms: frozenset[str]) -> list[tuple[int, float, int, bool]]:
    """(polarity, confidence, token index, negated) for every cue in a clause."""
    found = []
    inside = {t.i for t in tokens}
    nested: set[int] = set()
    for t in tokens:
        lemma = t.lemma_.lower()
        if t.i in nested:
            continue
        pair = None
        for child in t.children:
            obj = child.lemma_.lower()
            if (lemma, obj) in VERB_OBJECT:
                pair = VERB_OBJECT[(lemma, obj)]
            for gc in child.children:
                if child.dep_ in ("prep", "prt", "dobj", "pobj") and (lemma, gc.lemma_.lower()) in VERB_OBJECT:
                    pair = VERB_OBJECT[(lemma, gc.lemma_.lower())]
        if pair is not None:
            found.append((pair, 0.7, t.i, _negated(t)))
            continue
        if lemma in BLOCKERS:
            inner = [u for c in t.children if c.dep_ in ("dobj", "xcomp") for u in c.subtree
                     if u.i in inside and u is not t and WORDS.get(u.lemma_.lower()) == OPPOSE]
            if inner:  # "blocked a statement condemning the launches"
                nested.update(u.i for c in t.children for u in c.subtree)
                found.append((SUPPORT, 0.8, t.i, _negated(t)))
                continue
        if lemma in ("join", "lead", "continue") and any(WORDS.get(u.lemma_.lower()) is not None for c in t.children
                                                         if c.dep_ in ("prep", "xcomp") for u in c.subtree):
            continue  # "joined Japan in condemning": the stance is the complement's
        if lemma in WORDS and not (t.dep_ in ("dobj", "pobj") and t.head.lemma_.lower() in ("withdraw", "drop", "lift")):
            polarity = WORDS[lemma]
            conf = 0.8 if t.pos_ == "VERB" else 0.6
            if t.pos_ == "VERB" and polarity != NEUTRAL and not _relevant_object(t, terms):
                conf = 0.35  # "defended freedom of navigation" is not about the target
            found.append((polarity, conf, t.i, _negated(t)))
    return found


def _refused(tok, pred) -> bool:
    """Whether `tok` is the infinitive complement of a refusal ("declined to endorse")."""
    node = tok
    for _ in range(4):
        if node.dep_ not in ("xcomp", "dobj", "acl", "pobj", "prep", "pcomp") or node.head is node:
            return False
        if node.head.lemma_.lower() in REFUSAL:
            return True
        node = node.head
    return False


def _too_to(tok) -> bool:
    head = tok.head
    return tok.dep_ == "xcomp" and any(c.lower_ == "too" for c in head.children)


def judge_clause(tokens, pred, text_lower: str, terms: frozenset[str] = frozenset()) -> tuple[int, float] | None:
    """The stance a clause expresses: (polarity, confidence), or None when it shows none."""
    if re.search(NEITHER_NOR, text_lower):
        return NEUTRAL, 0.8
    if any(p in text_lower for p in SUPPORT_PHRASES):
        return SUPPORT, 0.7
    neutral_phrase = any(p in text_lower for p in NEUTRAL_PHRASES)
    oppose_phrase = any(p in text_lower for p in OPPOSE_PHRASES)
    cues = _cues(tokens, pred, terms)
    now_at = [t.i for t in tokens if t.lower_ in ("now", "later")]
    if now_at and any(i > now_at[0] for _, _, i, _ in cues):
        cues = [c for c in cues if c[2] > now_at[0]]  # "had long objected but now supports": the current stance
    votes: list[tuple[int, float]] = []
    doc = tokens[0].doc
    for polarity, conf, idx, negated in cues:
        tok = doc[idx]
        if _refused(tok, pred):
            if polarity == SUPPORT:
                polarity, conf = NEUTRAL, conf * 0.9   # "declined to endorse": no side
            elif polarity == OPPOSE:
                polarity, conf = SUPPORT, conf * 0.9   # "refused to condemn": sides with it
        elif polarity == SUPPORT and _too_to(tok):
            polarity = OPPOSE                          # "too vague to back"
        elif negated:
            if polarity == SUPPORT:
                polarity, conf = OPPOSE, conf * 0.85   # "does not back"
            elif polarity == OPPOSE and tok.lemma_.lower() in STATE_OF_OPPOSITION:
                polarity, conf = SUPPORT, conf * 0.8   # "was not opposed to", "saw no reason to criticise"
            elif polarity == OPPOSE:
                polarity, conf = NEUTRAL, conf * 0.7   # "did not condemn": no side taken
        votes.append((polarity, conf))
    if oppose_phrase:
        votes.append((OPPOSE, 0.7))
    polar = [v for v in votes if v[0] != NEUTRAL]
    if polar:
        score = sum(p * c for p, c in polar)
        if neutral_phrase and not any(c >= 0.7 and p == OPPOSE for p, c in polar) and abs(score) < 1.2:
            return NEUTRAL, 0.7
        if score == 0:
            return NEUTRAL, 0.5
        return (SUPPORT if score > 0 else OPPOSE), min(0.95, max(c for _, c in polar))
    if neutral_phrase or votes:
        return NEUTRAL, 0.7
    return None


Fallback = Callable[[str], tuple[int, float] | None]


def _reported_about_other(pred, country: str, owner: dict[int, str]) -> bool:
    """Whether `pred` is only what someone else said ("Lavrov said China's coast guard was...",
    "analysts said the Kremlin could accept")."""
    node = pred
    for _ in range(6):
        if node.dep_ not in ("ccomp", "xcomp") or node.head is node:
            return False
        child, node = node, node.head
        quoted = any(t.text in ('"', "“", "”") for t in child.doc[min(child.i, node.i):max(child.i, node.i)])
        head_lemma = node.lemma_.lower()
        if child.i < node.i and not quoted:
            return False  # "Antigua opposed ..., Saint Vincent said ...": a list, not reported speech
        if head_lemma not in REPORTING and head_lemma not in WORDS:
            return False
        # "X said Y..." is X's speech; "X rejected the US strikes" (misparsed as a clause) is X's object.
        for c in node.children:
            if c.dep_ not in ("nsubj", "nsubjpass"):
                continue
            words = list(c.subtree)
            if any(t.lemma_.lower() in NON_STATE for t in words):
                return True
            others = {owner[t.i] for t in words if t.i in owner}
            if others and country not in others:
                return True
            if not others and c.pos_ != "PRON" and pred.lemma_.lower() not in WORDS and pred.lemma_.lower() not in ECHO:
                return True  # "it would only let Ukrainian forces regroup": not Ukraine speaking
    return False


def _background(pred) -> bool:
    """Whether a predicate only sets the scene: "after X arrested...", "the corridor agreed by X"."""
    node = pred
    for _ in range(4):
        if node.dep_ in ("acl", "relcl"):
            return True
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in node.children):
            return True
        if node.dep_ == "pcomp" and node.head.lower_ in BACKGROUND_MARKS:
            return True
        if node.dep_ not in ("conj", "xcomp") or node.head is node:
            return False
        node = node.head
    return False


def names_a_speaker(mentions) -> bool:
    """Whether any mention can speak for a country; find_stances finds nothing in a text without one."""
    return any(m.kind in COUNTRY_KINDS for m in mentions)


def find_stances(text: str, topic: StanceTopic, *, nlp, gaz: Gazetteer, fallback: Fallback | None = None,
                 short_item_sentences: int = 2, parsed: tuple | None = None) -> list[Stance]:
    """Every country taking a stance toward the topic's target in `text` (`parsed`: its (doc, mentions), if known)."""
    doc, found = parsed if parsed is not None else (nlp(text), gaz.find(text))
    mentions = [m for m in found if m.kind in COUNTRY_KINDS]
    short = len(list(doc.sents)) <= short_item_sentences
    spans = [(m, _span_for(doc, m)) for m in mentions]
    spans = [(m, s) for m, s in spans if s is not None]
    owner = {t.i: m.ref for m, s in spans for t in s}
    evidence: list[Evidence] = []
    last_polar: dict[int, tuple[int, float]] = {}  # sentence start -> the last stance voiced in it
    for order, (mention, span) in enumerate(spans):
        if mention.kind == "person" and mention.role in NOT_A_SPEAKER_ROLES:
            continue
        pred = _climb_to_predicate(span.root, set(owner))
        if pred is None or pred.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "compound") or _background(pred) \
                or _reported_about_other(pred, mention.ref, owner):
            continue  # (a "predicate" that is itself a subject or object is a noun the tagger took for a verb)
        subject_tokens = [t for t in pred.children if t.dep_ in ("nsubj", "nsubjpass")]
        if any(_is_non_state_speaker(t.subtree) and t.i not in owner for t in subject_tokens) and not any(
                t.i in owner or t.lemma_.lower() in SPEAKERS for t in subject_tokens):
            continue
        same = {i for i, ref in owner.items() if ref == mention.ref}
        tokens = _clause(pred, same, set(owner) - same)
        lowered = " " + " ".join(t.lower_ for t in tokens) + " "
        if not ((short and "separately" not in lowered) or _relevant(tokens, topic)):
            continue
        verdict = judge_clause(tokens, pred, lowered, topic.terms)
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
        evidence.append(Evidence(mention.ref, polarity, confidence, span.sent.text.strip(), order,
                                 now=bool(words & NOW_MARKERS), earlier=bool(words & EARLIER_MARKERS)))
    return _combine(evidence)


def _relevant(tokens, topic: StanceTopic) -> bool:
    words = {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}
    if words & topic.terms or words & ANAPHORS:
        return True
    stems = {w[:5] for w in words if len(w) >= 5}
    return any(t[:5] in stems for t in topic.terms if len(t) >= 5)


def _combine(evidence: Sequence[Evidence]) -> list[Stance]:
    """One stance per country: the current one wins over an earlier one, else the strongest."""
    by_country: dict[str, list[Evidence]] = {}
    for e in evidence:
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
        out.append(Stance(country, LABELS[best.polarity], float(np.clip(score, -1, 1)), best.sentence))
    return sorted(out, key=lambda s: s.country)



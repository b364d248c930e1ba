"""Who stands where: country stances toward a topic's target, from a dependency parse (pure given a parser)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np

from bot.labels import Label
from bot.read.clause import (
    clause_tokens,
    climb_to_predicate,
    is_background,
    is_non_state_speaker,
    reported_about_other,
    span_for,
    unreal,
)
from bot.read.coref import PLURAL, group_subject, pronoun_mentions
from bot.read.cues import (
    ANAPHORS,
    EARLIER_MARKERS,
    ECHO,
    NEUTRAL,
    NEUTRAL_PHRASES,
    NON_STATE,
    NOW_MARKERS,
    OPPOSE,
    OWNER_ACTS,
    REPORTING,
    RETREAT,
    SPEAKERS,
    SUPPORT,
    WORDS,
)
from bot.read.gazetteer import Gazetteer, Mention
from bot.read.judge import judge_clause, others_support
from bot.read.parties import COUNTRY_KINDS, hosts_of, parties

POLARITY_LABEL = {SUPPORT: Label.SUPPORTIVE, OPPOSE: Label.OPPOSED, NEUTRAL: Label.NEUTRAL}
NOT_A_SPEAKER_ROLES = {"opposition", "former", "international"}
# Titles of international bodies: whoever holds one speaks for the body ("NATO Secretary General Jens Stoltenberg").
INTERNATIONAL_TITLE = re.compile(r"\b(UN|U\.N\.|United Nations|NATO|EU|European|IAEA|WHO|IMF|World Bank|African Union|AU|ECOWAS|"
                                 r"ASEAN|OAS|Arab League|OSCE|ICC|ICJ|IGAD|SADC|G7|G20)\b[\w .'-]{0,40}$")
PRONOUN_DISCOUNT = 0.75
SILENT = {"respond", "reply", "answer", "comment", "confirm", "say", "react", "return"}  # not doing so is no stance

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
    actors: frozenset[str]  # the owners: whose action or claim the target is
    rivals: frozenset[str] = frozenset()  # whom it is aimed at or disputed with
    hosts: frozenset[str] = frozenset()  # rivals that are only where it happens ("the mission in Haiti"): backing them is no side
    texts: tuple[str, ...] = ()  # target, name, description, examples: what a passage about it reads like


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


def stance_topic(target: str, texts: Iterable[str], gaz: Gazetteer, nlp, *, owners: Iterable[str] | None = None,
                 rivals: Iterable[str] | None = None) -> StanceTopic:
    """Target terms (content lemmas), owners and rivals of a topic.

    Owners are the countries the target names as doing or claiming ("China's drills", "the US deployment"), unless
    given; rivals those it names as the place or object of the action ("around Taiwan", "the Essequibo region",
    "strikes on Iran") or the topic's texts name as what it is against or disputed with ("against Philippine vessels",
    "the dispute with Egypt and Sudan"), unless given.
    """
    texts = list(texts)
    terms: set[str] = set()
    for doc in nlp.pipe([target, *texts]):
        for tok in doc:
            if tok.pos_ in ("NOUN", "VERB", "ADJ", "PROPN") and not tok.is_stop and len(tok.text) > 2:
                if not gaz.find(tok.text):
                    terms.add(tok.lemma_.lower())
    terms -= {"say", "government", "country", "region", "reaction", "react", "new", "official", "leader", "news"}
    owned, rivals = parties(target, texts[1:2], gaz, owners=owners, rivals=rivals)
    return StanceTopic(target, frozenset(terms), owned, rivals, hosts=hosts_of(target, gaz) & rivals, texts=(target, *texts))


@dataclass(frozen=True)
class FallbackQuery:
    """A clause the rules found no cue in, for the embedding fallback: the clause's words, its sentence, and the
    speaker's part in the topic (owner, rival or other)."""

    country: str
    clause: str
    sentence: str
    role: str


Fallback = Callable[[FallbackQuery], tuple[int, float] | None]


def names_a_speaker(mentions) -> bool:
    """Whether any mention can speak for a country; find_stances finds nothing in a text without one."""
    return any(m.kind in COUNTRY_KINDS for m in mentions)


def find_stances(text: str, topic: StanceTopic, *, nlp, gaz: Gazetteer, fallback: Fallback | None = None,
                 short_item_sentences: int = 2, parsed: tuple | None = None,
                 trace: Callable[[str, str, str], None] | None = None, passages: AbstractSet[int] | None = None) -> list[Stance]:
    """Every country taking a stance toward the topic's target in `text` (`parsed`: its (doc, mentions), if known).

    `trace(country, stage, detail)` hears why each mention of a country did or did not give a stance. `passages`:
    the start tokens of the sentences about this topic, when the item is also about others (see read.passages).
    """
    note = trace or (lambda country, stage, detail: None)
    doc, found = parsed if parsed is not None else (nlp(text), gaz.find(text))
    mentions = [m for m in found if m.kind in COUNTRY_KINDS]
    short = len(list(doc.sents)) <= short_item_sentences
    spans = [(m, span_for(doc, m)) for m in mentions]
    spans = [(m, s) for m, s in spans if s is not None]
    owner = {t.i: m.ref for m, s in spans for t in s}
    coref = pronoun_mentions(doc, owner, {t.i for m, s in spans if m.kind == "person" for t in s})
    owner.update((s[0].i, m.ref) for m, s in coref)
    spans = sorted(spans + coref, key=lambda ms: ms[0].start)
    groups: dict[int, tuple[int, float] | None] = {}  # sentence start -> what states it does not name said in it
    verdicts: list[ClauseVerdict] = []
    last_polar: dict[int, tuple[int, float]] = {}  # sentence start -> the last stance voiced in it
    datelines = dateline_spans(text)
    allies: dict[str, tuple[str, str]] = {}  # country -> (the country it sides with, the sentence saying so)
    for order, (mention, span) in enumerate(spans):
        if any(start <= mention.start < end for start, end in datelines):
            note(mention.ref, "dateline", mention.text)
            continue  # "CALI, Colombia —": where it was written, not who speaks
        if mention.kind == "person" and (mention.role in NOT_A_SPEAKER_ROLES and not _in_office_then(text, mention)
                                         or INTERNATIONAL_TITLE.search(text[max(0, mention.start - 50):mention.start])):
            note(mention.ref, "not a speaker", f"{mention.text} ({mention.role})")
            continue
        climb = climb_to_predicate(span.root, set(owner))
        if climb is None:
            note(mention.ref, "no predicate", f"{mention.text}: {span.root.dep_} of {span.root.head.text}")
            continue
        pred = climb.pred
        ally = aligned_with(span.root, pred, owner, mention.ref)
        if ally is not None:  # its stance is the one it backs, once every voice is read (else its own clause's)
            allies[mention.ref] = (ally, span.sent.text.strip())
            note(mention.ref, "sides with", f"{gaz.country_name(ally)} ({pred.text})")
        if climb.how == "subject" and (pred.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "compound")
                                       or (is_background(pred) and not _speech(pred))
                                       or reported_about_other(pred, mention.ref, owner)):
            note(mention.ref, "not its voice", f"{mention.text} -> {pred.text} ({pred.dep_})")
            continue  # (a "predicate" that is itself a subject or object is a noun the tagger took for a verb)
        if climb.how == "subject" and unreal(pred):
            note(mention.ref, "not its voice", f"{mention.text} -> {pred.text} (supposed or asked for)")
            continue
        subject_tokens = [t for t in pred.children if t.dep_ in ("nsubj", "nsubjpass")]
        if climb.how == "subject" and any(is_non_state_speaker(t.subtree) and t.i not in owner for t in subject_tokens) and not any(
                t.i in owner or t.lemma_.lower() in SPEAKERS and not _aid_body(t) for t in subject_tokens):
            note(mention.ref, "non-state speaker", pred.text)
            continue
        same = {i for i, ref in owner.items() if ref == mention.ref}
        tokens = list(pred.subtree) if climb.how == "nominal" else clause_tokens(pred, same, set(owner) - same)
        if pred.lemma_.lower() not in ALIGN:
            dropped = others_support(tokens, same, set(owner) - same)
            tokens = [t for t in tokens if t.i not in dropped] or tokens
        lowered = " " + " ".join(t.lower_ for t in tokens) + " "
        if passages is not None and span.sent.start not in passages:
            note(mention.ref, "not about the topic", f"a passage about another topic: {span.sent.text[:100]}")
            continue
        if passages is None and not ((short and "separately" not in lowered) or _relevant(tokens, topic)
                                     or _relevant(list(pred.sent), topic)):
            note(mention.ref, "not about the topic", lowered.strip()[:120])
            continue
        verdict = judge_clause(tokens, lowered, topic.terms)
        sent_key = span.sent.start
        if climb.how == "companion":
            partners = {owner[t.i] for s in _subjects_up(pred) for t in s.subtree if t.i in owner}
            if not (verdict is not None and verdict[0] != NEUTRAL):
                verdict = last_polar.get(sent_key)
            if mention.ref in topic.actors or not (partners & topic.actors or verdict is not None and _beside(span.root)):
                note(mention.ref, "not its voice", f"alongside {pred.text}")
                continue
            # acting with the owner of the watched action; else doing what its partner does ("flew in for the opening
            # alongside Kenya's Ruto")
            verdict = (SUPPORT, 0.6) if partners & topic.actors else verdict
        echoes = climb.how == "echo" or pred.lemma_.lower() in ECHO or (pred.lemma_.lower() == "do" and " same " in lowered)
        previous = doc[span.sent.start - 1].sent.start if span.sent.start > 0 else -1
        voiced = last_polar.get(sent_key) or last_polar.get(previous)
        if (verdict is None or verdict[0] == NEUTRAL and not any(p in lowered for p in NEUTRAL_PHRASES)) \
                and echoes and voiced is not None:
            verdict = voiced  # "Cuba echoed the charge", "the US had done the same": the stance just voiced
        if mention.ref in topic.actors and climb.how != "companion" and _asserts(pred, tokens, climb.how):
            verdict = owner_verdict(tokens, lowered, topic, verdict)  # the owner of the action, speaking of it
        elif mention.ref in topic.rivals and verdict is not None and verdict[0] == SUPPORT \
                and not any(owner.get(t.i) in topic.actors for t in tokens):
            verdict = (OPPOSE, verdict[1])  # a rival asserting its own side ("pledged to defend the island") opposes
        elif mention.ref in topic.rivals and verdict is None and climb.how != "companion" and _speech(pred):
            verdict = (OPPOSE, 0.5)  # a rival speaking of the action it is aimed at: "the coast guard said a cutter rammed"
        elif mention.ref not in topic.actors and _demands_owner_stop(tokens, owner, topic):
            verdict = (OPPOSE, 0.7)  # "Azerbaijan has to stop the shelling", "China must halt the drills"
        elif verdict is not None and verdict[0] == SUPPORT and mention.ref not in topic.actors \
                and (backs_a_rival(tokens, owner, topic) or _against_owner(tokens, owner, topic)):
            verdict = (OPPOSE, verdict[1])  # "backed Guyana's sovereignty", "declared their backing for Cairo's efforts"
        if verdict is None and climb.how == "subject" and any(t.lower_ in PLURAL for t in subject_tokens):
            verdict = _group_voice(span.sent, doc, groups, owner, topic)  # "Fifteen countries condemned it. In a
            # statement signed by A, B and C, they said ...": the signatories are those countries
        if verdict is None and _negated_simple(pred) and pred.lemma_.lower() in SILENT:
            note(mention.ref, "no stance cue", f"{pred.text}: kept silent")
            continue
        if verdict is None and fallback is not None:
            role = "owner" if mention.ref in topic.actors else "rival" if mention.ref in topic.rivals else "other"
            verdict = fallback(FallbackQuery(mention.ref, " ".join(t.text for t in tokens), span.sent.text.strip(), role))
        if verdict is None:
            note(mention.ref, "no stance cue", f"{climb.how} {pred.text}: {lowered.strip()[:120]}")
            continue
        polarity, confidence = verdict
        if mention.kind == "pronoun":
            confidence *= PRONOUN_DISCOUNT  # who "he" or "they" is was inferred: the speaker's own words count more
        note(mention.ref, POLARITY_LABEL[polarity], f"{climb.how} {pred.text} {confidence:.2f}: {lowered.strip()[:120]}")
        if polarity != NEUTRAL:
            last_polar[sent_key] = verdict
        words = {t.lower_ for t in tokens}
        verdicts.append(ClauseVerdict(mention.ref, polarity, confidence, span.sent.text.strip(), order,
                                      now=bool(words & NOW_MARKERS), earlier=bool(words & EARLIER_MARKERS)))
    return _with_allies(_combine(verdicts), allies)


ALIGN = {"back", "support", "endorse", "join", "side", "stand", "defend", "echo", "second"}


def aligned_with(root, pred, owner: dict[int, str], ref: str) -> str | None:
    """The country this mention sides with, when its clause is about siding with one ("was backed by Russia and
    China", "Moscow sided with Caracas", "Cuba stood with Venezuela"): it takes that country's stance."""
    if pred.lemma_.lower() not in ALIGN or _negated_simple(pred):
        return None
    head = root
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    if head.dep_ == "pobj" and head.head.dep_ == "agent" and head.head.head.i == pred.i:
        patients = [t for t in pred.children if t.dep_ == "nsubjpass"]
        if not patients and pred.dep_ == "conj":
            patients = [t for t in pred.head.children if t.dep_ in ("nsubj", "nsubjpass")]
    elif head.dep_ == "nsubj" and head.head.i == pred.i:
        patients = [t for t in pred.children if t.dep_ == "dobj"]
        patients += [g for c in pred.children if c.dep_ == "prep" and c.lower_ in ("with", "behind", "by")
                     for g in c.children if g.dep_ == "pobj"]
    else:
        return None
    for patient in patients:  # the country itself, not a thing of its ("backed the US strikes")
        if patient.i in owner and owner[patient.i] != ref:
            return owner[patient.i]
    return None


def backs_a_rival(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether the clause's support goes to a side the watched action is aimed at, not to the action or its owner."""
    inside = {t.i for t in tokens}
    for t in tokens:
        if WORDS.get(t.lemma_.lower()) != SUPPORT:
            continue
        objects = [c for c in t.children if c.dep_ in ("dobj", "attr")]
        objects += [g for c in t.children if c.dep_ == "prep" and c.lower_ in ("for", "with", "behind", "of", "to")
                    for g in c.children if g.dep_ == "pobj"]
        refs = {owner[u.i] for o in objects for u in o.subtree if u.i in owner and u.i in inside}
        if refs & (topic.rivals - topic.hosts) and not refs & topic.actors:
            return True
    return False


STOPPING = {"stop", "halt", "end", "cease", "withdraw", "suspend", "reverse", "abandon", "scrap", "pull", "refrain"}


# What a demand to stop is about when it does not name the owner: "the acts of war had to end immediately".
ACTION_NOUNS = {"it", "operation", "fighting", "hostilities", "offensive", "attack", "attacks", "strike", "strikes",
                "violence", "war", "act", "acts", "shelling", "bombing", "bombardment", "deployment", "buildup",
                "build-up", "drill", "drills", "exercise", "exercises", "launch", "launches", "expulsion", "expulsions",
                "deportation", "deportations", "discharge", "release", "filling", "blockade", "assault", "incursion"}


def _demands_owner_stop(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether the clause says the action's owner must stop ("Azerbaijan has to stop the shelling", "Japan should
    halt the discharge", "Beijing must pull back its ships")."""
    inside = {t.i for t in tokens}
    for t in tokens:
        if t.lemma_.lower() not in STOPPING or t.pos_ != "VERB":
            continue
        subject = [c for c in t.children if c.dep_ == "nsubj"] or (
            [c for c in t.head.children if c.dep_ == "nsubj"] if t.dep_ == "xcomp" and t.head.lemma_.lower() in ("have", "need") else [])
        must = any(c.dep_ == "aux" and c.lower_ in ("must", "should", "needs", "ought") for c in t.children) or (
            t.dep_ == "xcomp" and t.head.lemma_.lower() in ("have", "need"))
        if must and any(owner.get(u.i) in topic.actors for s in subject for u in s.subtree if u.i in inside):
            return True
        if must and any(s.lemma_.lower() in ACTION_NOUNS | topic.terms and all(
                owner[u.i] in topic.actors | topic.rivals for u in s.subtree if u.i in owner) for s in subject):
            return True  # "the acts of war had to end immediately", "the discharge must stop"
    return False


def _against_owner(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether what the clause welcomes is aimed against the action's owner ("welcomed the tribunal's ruling against
    Beijing's claims", "backed sanctions against Moscow")."""
    inside = {t.i for t in tokens}
    return any(t.lower_ == "against" and any(owner.get(u.i) in topic.actors for u in t.subtree if u.i in inside)
               and any(WORDS.get(a.lemma_.lower()) == SUPPORT for a in t.ancestors if a.i in inside) for t in tokens)


def _with_allies(stances: list[Stance], allies: dict[str, tuple[str, str]]) -> list[Stance]:
    """Countries that side with another take its stance, when it has one."""
    by_country = {s.country: s for s in stances}
    for country, (ally, sentence) in allies.items():
        if ally in by_country and ally not in allies:
            backed = by_country[ally]
            by_country[country] = Stance(country, backed.label, round(backed.score * 0.9, 3), sentence)
    return sorted(by_country.values(), key=lambda s: s.country)


_DATELINE = re.compile(r"(?:^|(?<=[.!?\n])\s*)([A-Z][A-Z .'’-]{2,}(?:,\s*[A-Z][\w .'’-]{1,40})?)\s*(?:\([^)]{1,40}\)\s*)?[—–]{1,2}\s")


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Where datelines ("CAIRO —", "MANAUS, Brazil —") are: places an item was written from, never speakers."""
    return [m.span(1) for m in _DATELINE.finditer(text)]


def owner_verdict(tokens, lowered: str, topic: StanceTopic, verdict: tuple[int, float] | None) -> tuple[int, float]:
    """What the owner of the watched action says about it: it stands by it (announcing, defending, warning its critics,
    rejecting their complaints), unless it retreats from it or only calls for talks."""
    for t in tokens:
        if t.lemma_.lower() in RETREAT and not _negated_simple(t) and _about_target(t, topic):
            return OPPOSE, 0.7  # "halted the filling", "suspended the flights", "pulled its troops out"
    if verdict is not None and verdict[0] == NEUTRAL and any(p in lowered for p in NEUTRAL_PHRASES):
        return verdict  # "wanted peace and should sit down and talk"
    return SUPPORT, max(0.6, verdict[1] if verdict else 0.6)


def _negated_simple(tok) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _about_target(tok, topic: StanceTopic) -> bool:
    words = {w.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "prt", "prep", "nsubjpass") for w in c.subtree}
    return bool(words & topic.terms or words & ANAPHORS) or tok.dep_ in ("ROOT", "ccomp") and not words


def _asserts(pred, tokens, how: str) -> bool:
    """Whether an owner's predicate voices or announces something (said, defended, announced, opened), or is its
    own claim or reaction ("Ethiopia's claim"), as opposed to only being reported acting ("ships fired water cannon")."""
    if how != "nominal" and _negated_simple(pred) and pred.lemma_.lower() in SILENT:
        return False  # "the White House did not respond", "Beijing did not confirm the drills"
    return how == "nominal" or _speech(pred) or pred.lemma_.lower() in OWNER_ACTS or any(
        t.pos_ == "VERB" and (t.lemma_.lower() in REPORTING or t.lemma_.lower() in OWNER_ACTS) for t in tokens)


def _subjects_up(pred) -> list:
    """The subjects of a predicate, or of the verbs above it when it has none ("US forces, operating with ..., hit")."""
    node = pred
    for _ in range(4):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects or node.head is node:
            return subjects
        node = node.head
    return []


AID_BODIES = {"council", "committee", "organisation", "organization", "agency", "society", "federation", "foundation"}


def _aid_body(tok) -> bool:
    """Whether a subject is a relief or rights body, not an arm of a state ("the Norwegian Refugee Council")."""
    return tok.lemma_.lower() in AID_BODIES and any(c.lemma_.lower() in NON_STATE for c in tok.children)


def _beside(tok) -> bool:
    """Whether a mention stands beside the subject ("alongside Kenya's Ruto", "with help from A and B"), rather than
    being what the act is with ("pledged solidarity with Denmark")."""
    node = tok
    for _ in range(48):
        if node.dep_ not in ("conj", "appos", "poss", "compound", "nmod") or node.head is node:
            break
        node = node.head
    return node.dep_ == "pobj" and node.head.lower_ in ("alongside", "beside", "from")


def _speech(pred) -> bool:
    """Whether a predicate voices something (said, condemned) rather than only tells of an act (arrested, struck)."""
    lemma = pred.lemma_.lower()
    return lemma in REPORTING or lemma in WORDS


_TITLES = re.compile(r"\b(president|minister|secretary|chancellor|premier|spokes(?:man|woman|person)|ambassador|envoy|"
                     r"foreign|defen[cs]e|prime|vice|king|emir|general|admiral)\b[\w .'-]{0,40}$", re.I)


def _in_office_then(text: str, mention: Mention) -> bool:
    """Whether a person the gazetteer lists as former is given an office title right before the name (and not
    "former"): then the text was written while they held it ("Secretary of State Antony Blinken said")."""
    before = text[max(0, mention.start - 60):mention.start]
    if mention.role == "former" and _TITLE_AFTER.match(text[mention.end:mention.end + 60]):
        return True  # "Annalena Baerbock, Germany's foreign minister, said"
    return mention.role == "former" and bool(_TITLES.search(before)) and not re.search(r"\b(former|ex-|erstwhile)\s*[\w ]{0,30}$", before, re.I)


_TITLE_AFTER = re.compile(r"^,\s+(the\s+|[\w .'-]{1,30}'s\s+)?(\w+\s+){0,2}(president|minister|secretary|chancellor|premier|"
                          r"spokes(?:man|woman|person)|ambassador|envoy)\b", re.I)


def _relevant(tokens, topic: StanceTopic) -> bool:
    words = {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}
    if words & topic.terms or words & ANAPHORS:
        return True
    stems = {w[:5] for w in words if len(w) >= 5}
    return any(t[:5] in stems for t in topic.terms if len(t) >= 5)


def _group_voice(sent, doc, groups: dict, owner: dict[int, str], topic: StanceTopic) -> tuple[int, float] | None:
    """The stance voiced in the sentence before `sent` by states it does not name, at half confidence."""
    if sent.start not in groups:
        groups[sent.start] = None
        if sent.start > 0:
            prev = doc[sent.start - 1].sent
            if group_subject(prev):
                tokens = clause_tokens(prev.root, set(), set(owner))
                verdict = judge_clause(tokens, " " + " ".join(t.lower_ for t in tokens) + " ", topic.terms)
                if verdict is not None and verdict[0] != NEUTRAL:
                    groups[sent.start] = (verdict[0], 0.5)
    return groups[sent.start]


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



"""Which side a clause takes relative to the watched action (its owner's, or that of those it is aimed at), and whether
the owner speaks of it or only acts (pure)."""

from __future__ import annotations

import re

from bot.read.clause import DECISIONS, PARTISANS, TAKING_SIDES, voices
from bot.read.cues import (
    ANAPHORS,
    DRAFTS,
    NEUTRAL,
    NEUTRAL_PHRASES,
    OPPOSE,
    OWNER_ACTS,
    REFUSAL,
    REPORTING,
    RETREAT,
    SAYING_NOUNS,
    STANCE_NOUNS,
    SUPPORT,
    VEHICLES,
    WORDS,
)
from bot.read.demands import ASKING, negated_simple
from bot.read.judge import PLEDGING, action_words, names_the_act
from bot.read.target import StanceTopic

ALIGN = {"back", "support", "endorse", "join", "side", "stand", "defend", "echo", "second"}


def aligned_with(root, pred, owner: dict[int, str], ref: str) -> str | None:
    """The country this mention sides with, when its clause is about siding with one ("was backed by Russia and
    China", "Moscow sided with Caracas", "Cuba stood with Venezuela"): it takes that country's stance."""
    if pred.lemma_.lower() not in ALIGN or negated_simple(pred):
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


# What a side holds, whose backing backs that side: "backing for the sovereignty and security of Qatar".
SIDE_NOUNS = {"sovereignty", "integrity", "independence", "security", "people", "territory", "right", "rights"}

ALLIES = {"ally", "allies", "partner", "partners", "friend", "friends"}
OFFERING = {"express", "voice", "offer", "show", "extend", "pledge", "reaffirm", "declare", "convey", "send"}
GESTURES = {"show", "gesture", "expression", "message", "sign", "demonstration", "display", "token"}


def _carriers(tok) -> set:
    """The words whose prepositions say whom a supporting word backs: the word itself, the offering verb or gesture
    that carries it ("expressed solidarity with Doha", "a token of solidarity with Doha") and the act that gesture
    goes with ("sent its prince to Doha as a gesture of solidarity")."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in GESTURES:
        carrier = tok.head.head
    elif tok.dep_ == "dobj" and tok.head.lemma_.lower() in OFFERING:
        carrier = tok.head
    else:
        return {tok}
    act = carrier.head.head if carrier.dep_ == "pobj" and carrier.head.lower_ in ("as", "in") else carrier
    return {tok, carrier, act}


def backs_a_rival(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether the clause's support goes to a side the watched action is aimed at, not to the action or its owner."""
    inside = {t.i for t in tokens}
    for t in tokens:
        if WORDS.get(t.lemma_.lower()) != SUPPORT and t.lemma_.lower() not in ("stand", "side"):
            continue  # (standing with, by or behind someone, siding with them: support through a preposition)
        if any(c.dep_ == "poss" and owner.get(c.i) in topic.actors for c in t.children):
            continue  # "endorsed Moscow's recognition of the two regions of Ukraine": the owner's act
        objects = [c for c in t.children if c.dep_ in ("dobj", "attr", "nsubjpass") or c.dep_ == "poss" and t.pos_ == "NOUN"
                   and t.lemma_.lower() in PARTISANS]  # (+ "for Sweden to be admitted", "Maduro's backers")
        objects += [g for w in _carriers(t) for c in w.children
                    if c.dep_ in ("prep", "dative") and c.lower_ in ("for", "with", "behind", "of", "to", "by")
                    for g in c.children if g.dep_ == "pobj" and g.i != t.i]
        # whom it backs: the object and its own modifiers, not what a phrase hung on it adds ("its allies in the
        # face of China's actions")
        named = [u for o in objects for u in [o, *(w for c in o.children if c.dep_ in ("amod", "poss", "compound", "nmod",
                                                                                         "appos", "conj", "det", "cc")
                                                   and not (c.dep_ == "conj" and c.lemma_.lower() in WORDS)
                                                   for w in c.subtree)]]  # (not "support to Manila and concern over
        # China's actions" parsed as one list)
        named += [g for o in objects if o.lemma_.lower() in SIDE_NOUNS for c in [o, *(w for w in o.children if w.dep_ == "conj")]
                  for p in c.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.subtree]  # "the sovereignty of Qatar"
        refs = {owner[u.i] for u in named if u.i in owner and u.i in inside}
        if refs & (topic.rivals - topic.hosts) and not refs & topic.actors:
            return True
        if not refs and any(o.lemma_.lower() in ALLIES and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in o.children)
                            for o in objects) and {owner[u.i] for u in t.sent if u.i in owner} & (topic.rivals - topic.hosts):
            return True  # "stood ready to defend its treaty ally if Philippine ships came under attack": the ally is the rival
    return False


# The owner backing away, as a noun: "welcomed the first signs of a Serbian pullback" opposes the buildup.
RETREAT_NOUNS = {"pullback", "pull-back", "withdrawal", "drawdown", "retreat", "reversal", "u-turn", "cancellation",
                 "suspension", "halt", "pullout", "pull-out"}


def welcomes_owner_retreat(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether what the clause welcomes is the owner backing away ("called the first signs of a Serbian pullback an
    important step", "welcomed Japan's suspension of the release"): that sides against the action."""
    for t in tokens:
        if t.lemma_.lower() in FREEING and t.pos_ == "NOUN" and CAPTIVITY.search(topic.target):
            return True  # "welcomed the release of the opposition leader": the arrests undone, whoever did it
        if t.lemma_.lower() not in RETREAT_NOUNS or t.pos_ != "NOUN" or names_the_act(t, action_words(topic.target)):
            continue  # (not "welcomed the US withdrawal from the deal" when that withdrawal is what the topic watches)
        if any(owner.get(u.i) in topic.actors for u in t.subtree):
            return True
    return False


FREEING = {"release", "freeing", "pardon", "amnesty", "acquittal"}
CAPTIVITY = re.compile(r"\b(?:arrest|detention|detain|jail|imprison|prisoner|abduct|hostage|kidnap)", re.I)


ACCORDS = {"agreement", "declaration", "accord", "deal", "pact", "memorandum", "treaty", "framework"}  # signed together
# What two sides of a dispute agree on that takes neither side: talks, peace, not using force.
SETTLING = re.compile(r"\b(?:talks|negotiat\w*|dialogue|diplomac\w*|not (?:to )?(?:threaten|use|resort|attack)|refrain\w*|"
                      r"(?:resort to|use of|use|using) force|peaceful\w*|de-?escalat\w*|meet again|resolve|resolution|settle\w*)\b")


def agreed_with_the_other_side(pred, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether the owner of the watched action and another country, together the subject, agree on talks or on
    not using force ("Ali and Maduro agreed not to threaten each other", "Sisi and Abiy agreed to resume talks"), or
    sign an accord together ("Sudan, Ethiopia and Egypt sign a declaration of principles"): a joint step that takes
    neither side."""
    signed = pred.lemma_.lower() == "sign" and any(c.dep_ == "dobj" and c.lemma_.lower() in ACCORDS for c in pred.children)
    if pred.lemma_.lower() not in PLEDGING and not signed:
        return False
    named = {owner[t.i] for c in pred.children if c.dep_ == "nsubj" for t in c.subtree if t.i in owner}
    if not (named & topic.actors and named - topic.actors):
        return False
    return signed or bool(SETTLING.search(" ".join(t.lower_ for c in pred.children if c.dep_ not in ("nsubj", "punct")
                                         for t in c.subtree)))


def owner_verdict(tokens, lowered: str, topic: StanceTopic, verdict: tuple[int, float] | None,
                  owner: dict[int, str] | None = None) -> tuple[int, float]:
    """What the owner of the watched action says about it: it stands by it (announcing, defending, warning its critics,
    rejecting their complaints), unless it retreats from it or only calls for talks."""
    for t in tokens:
        if t.lemma_.lower() in RETREAT and not negated_simple(t) and t.head.lemma_.lower() not in REFUSAL \
                and not _purpose(t) and not _others_words(t) and not _someone_elses(t, owner or {}, topic) \
                and not (t.dep_ == "acl" and t.head.lemma_.lower() in OTHERS_WORDS | DRAFTS) \
                and about_target(t, topic) and not names_the_act(t, action_words(topic.target)):
            # (not "declined to withdraw it", a refusal to retreat; nor "regretted the bloc's biased position")
            return OPPOSE, 0.7  # "halted the filling", "suspended the flights", "pulled its troops out"
    if verdict is not None and verdict[0] == NEUTRAL and any(p in lowered for p in NEUTRAL_PHRASES):
        return verdict  # "wanted peace and should sit down and talk"
    return SUPPORT, max(0.6, verdict[1] if verdict else 0.6)


PURPOSE = {"design", "aim", "intend", "mean", "plan", "target"}


def _purpose(tok) -> bool:
    """Whether a verb is what the act is for ("the strikes are meant to keep the drugs from ...", "struck in order
    to halt the smuggling"), not the owner stopping its own act."""
    return tok.dep_ == "xcomp" and tok.head.lemma_.lower() in PURPOSE or tok.dep_ == "advcl" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _someone_elses(tok, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether a verb's subject is another country ("pushed back against reports that Britain had suspended ..."):
    its act, not the owner's retreat."""
    asked = tok  # "urges its rival to give up its unlawful moves": the rival is the one asked
    for _ in range(4):
        if asked.lemma_.lower() in ASKING or asked.dep_ not in ("conj", "xcomp", "advcl") or asked.head.i == asked.i:
            break
        asked = asked.head
    doers = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")] + (
        [c for c in asked.children if c.dep_ == "dobj"] if asked.lemma_.lower() in ASKING and asked.i != tok.i else [])
    return any(any(owner.get(u.i) not in (None, *topic.actors) for u in c.subtree) for c in doers)


OTHERS_WORDS = STANCE_NOUNS | SAYING_NOUNS | VEHICLES | {"remark", "comment", "decision"}


def _others_words(tok) -> bool:
    """Whether what a retreating verb takes is someone's words or position ("regretted the biased position taken by
    the bloc"), not the owner's own act."""
    return any(c.dep_ == "dobj" and c.lemma_.lower() in OTHERS_WORDS for c in tok.children)


def about_target(tok, topic: StanceTopic) -> bool:
    words = {w.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "prt", "prep", "nsubjpass") for w in c.subtree}
    return bool(words & topic.terms or words & ANAPHORS) or tok.dep_ in ("ROOT", "ccomp") and not words


def supports_the_owner(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether a supportive word in the clause is aimed at the owner or its act ("welcomed Venezuela's pledge"), not
    only said beside it ("says Venezuela's referendum has no standing, vows to defend every inch of territory")."""
    return any(WORDS.get(t.lemma_.lower()) == SUPPORT and any(owner.get(u.i) in topic.actors for u in t.subtree)
               for t in tokens) or not any(WORDS.get(t.lemma_.lower()) == SUPPORT for t in tokens) and any(
        owner.get(t.i) in topic.actors for t in tokens)


SILENT = {"respond", "reply", "answer", "comment", "confirm", "say", "react", "return"}  # not doing so is no stance


def asserts(pred, tokens, how: str) -> bool:
    """Whether an owner's predicate voices or announces something (said, defended, announced, opened), or is its
    own claim or reaction ("Ethiopia's claim"), as opposed to only being reported acting ("ships fired water cannon")."""
    if how != "nominal" and kept_silent(pred):
        return False  # "the White House did not respond", "Beijing did not confirm the drills"
    if pred.lemma_.lower() in REFUSAL and any(c.dep_ == "xcomp" and (c.lemma_.lower() in RETREAT | {"retract", "apologise", "apologize"}
                                                                     or any(p.dep_ in ("prt", "advmod") and p.lower_ == "back" for p in c.children))
                                                for c in pred.children):
        return True  # "declined to take back the remark", "refused to halt the drills": it stands by it
    if pred.lemma_.lower() in ANSWERING_BACK and any(c.dep_ in ("prt", "advmod") and c.lower_ == "back" for c in pred.children):
        return True  # "fired back at Rubio's speeches", "hit back at the critics": it answers them
    return how == "nominal" or voices(pred) or pred.lemma_.lower() in OWNER_ACTS | REACTING or any(
        t.pos_ == "VERB" and (t.lemma_.lower() in REPORTING or t.lemma_.lower() in OWNER_ACTS) for t in tokens)


# What an owner does rather than says: "cut ties with Qatar", "joined Riyadh in boycotting Doha" carry out the action.
DEEDS = {"join", "cut", "sever", "break", "downgrade", "boycott", "expel", "sanction", "ban", "embargo", "block", "fund"}


def only_acting(pred, tokens, how: str, action: frozenset[str]) -> bool:
    """Whether an owner's predicate is its decision to act ("Japan's decision to release the water") or a deed of its
    action ("cut ties with Qatar", or the act's own name: "Putin recognised the republics" when the recognition is
    watched; `action`: the target's words) and nothing in its clause reports words about it ("Canada now recognises
    the State of Palestine, the prime minister's office said" announces it)."""
    if how == "nominal":
        return pred.lemma_.lower() in DECISIONS
    return how == "subject" and (pred.lemma_.lower() in DEEDS or names_the_act(pred, action)) and not any(
        t.lemma_.lower() in REPORTING for t in [*tokens, pred.head] if t.pos_ == "VERB")


REACTING = {"react", "respond", "reply", "retort"}  # "the coast guard reacted strongly, stating that ...": it speaks
ANSWERING_BACK = {"fire", "hit", "strike", "push", "fight", "shoot", "snap", "lash"}
UNSAID = {"say", "disclose", "reveal", "specify", "elaborate", "discuss", "detail", "explain"}


def kept_silent(pred) -> bool:
    """"did not respond", "would not comment": saying nothing, which is no stance."""
    if pred.lemma_.lower() in REFUSAL and any(c.dep_ == "xcomp" and c.lemma_.lower() in SILENT | UNSAID for c in pred.children):
        return True  # "declined to comment", "refused to say how long the drills would last"
    return negated_simple(pred) and pred.lemma_.lower() in SILENT


def only_a_fact(pred, owner: dict[int, str]) -> str | None:
    """Why a clause states a fact rather than a view of the action, or None:
    - its speakers' own failure ("ministers from A, B and C failed to agree on the filling");
    - a claim several states hold ("a reef claimed by China, Vietnam and the Philippines", "which both Manila and
      Beijing claim"): background on whose a place is, not a view (one state's claim "that ..." is its words);
    - a statement not (yet) made ("the ministry has not issued any statement"), which is no stance;
    - being at a meeting ("ministers from A and B also attended")."""
    lemma = pred.lemma_.lower()
    if lemma == "fail" and not negated_simple(pred) and not any(
            c.dep_ == "xcomp" and c.lemma_.lower() in TAKING_SIDES | {"criticise", "criticize", "denounce", "welcome"}
            for c in pred.children):
        return "its own failure, a fact"  # (not "failed to condemn the coup": declining to take a side)
    if lemma == "claim" and not any(c.dep_ in ("ccomp", "xcomp") for c in pred.children):
        holders = [c for c in pred.children if c.dep_ in ("nsubj", "nsubjpass", "agent")]
        states = {owner[t.i] for h in holders for t in h.subtree if t.i in owner}
        if len(states) >= 2 or any(t.lower_ in ("both", "all") for h in holders for t in h.subtree) or any(
                c.dep_ == "advmod" and c.lower_ in ("both", "all", "also") for c in pred.children):
            return "a claim several states hold: whose the place is"
    if lemma in ("attend", "participate") and not any(c.dep_ in ("advcl", "xcomp", "ccomp", "conj") for c in pred.children):
        return "present, which is no view"  # "foreign ministers from A and B also attended the meeting"
    if lemma in ("issue", "make", "release", "publish") and negated_simple(pred) and any(
            c.dep_ == "dobj" and c.lemma_.lower() in STATEMENT_NOUNS | {"comment", "response", "reaction"}
            for c in pred.children):
        return "no statement made"
    return None


STATEMENT_NOUNS = {"statement", "declaration", "communique", "communiqué", "letter", "text"}

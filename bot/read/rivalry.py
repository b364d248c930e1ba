"""Whom a clause's words are aimed at, among the parties to the watched action: both sides at once, only the rival
the action is aimed at, or the owner (pure)."""

from __future__ import annotations

from bot.read.cues import ACCUSATIONS, BLOCKERS, DISMISSIVE, OPPOSE, SUPPORT, WORDS
from bot.read.judge import action_words, censured, names_the_act
from bot.read.target import StanceTopic

# Cutting ties with someone: "downgraded its ties with Doha", "a break in relations with Qatar".
BREAKS = {"break", "sever", "severance", "cut", "downgrade", "suspend", "suspension", "freeze", "rupture", "end"}
TIES = {"tie", "relation", "relationship", "link"}
AIMED = ("against", "at")
# Words that blame someone: aimed at the rival itself ("accused Qatar of backing terrorism"), they echo the action's case.
BLAME_VERBS = {"accuse", "blame", "condemn", "criticise", "criticize", "denounce", "slam", "blast", "rebuke", "lambast"}
# What is done in answer to an act ("offered visas in response to the law") and cases brought over it.
ANSWERS = {"response", "retaliation", "reaction", "answer", "reply"}
CASES = {"case", "complaint", "lawsuit", "suit", "probe", "investigation", "inquiry", "resolution", "motion", "petition"}


def supports_both_sides(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether a supporting verb backs the owner and another country together ("supported Venezuela and Guyana in
    resolving their border issues"): no side taken."""
    for t in tokens:
        if WORDS.get(t.lemma_.lower()) == SUPPORT and t.pos_ == "VERB":
            backed = {owner[u.i] for c in t.children if c.dep_ == "dobj" for u in c.subtree if u.i in owner
                      and not _acting_or_hit(u) and not _described(u, c) and not _naming_the_act(u, topic)}
            if backed & topic.actors and backed - topic.actors:
                return True
    return False


def _acting_or_hit(tok) -> bool:
    """Whether a country's word names the one doing an act or the one it hits ("Israel's strikes on Iran"), not one
    of those backed."""
    head = tok.head if tok.dep_ == "compound" else tok
    return head.dep_ == "poss" or head.dep_ == "pobj" and head.head.lower_ in ("on", "against", "into", "at")


def _naming_the_act(tok, topic: StanceTopic) -> bool:
    """Whether a country's word is part of the watched act's name ("the US withdrawal from the Iran deal" when the
    topic watches that withdrawal), not one of those backed."""
    noun = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" else tok.head  # (also "the accord with Iran")
    if tok.dep_ not in ("poss", "det", "compound", "amod", "pobj") or noun.pos_ not in ("NOUN", "PROPN"):
        return False
    action = action_words(topic.target)
    return noun.lemma_.lower() in topic.terms | action or names_the_act(noun, action)


def _described(tok, top) -> bool:
    """Whether a token lies in a relative clause below `top` ("Somalia, which is in a dispute with Ethiopia"): a
    description of what is backed, not one of those backed."""
    return any(a.dep_ == "relcl" for a in tok.ancestors if a.i != top.i and top.is_ancestor(a))


def against_a_rival(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether the clause cuts ties with the rival the watched action is aimed at, or blames that rival itself, and says
    nothing else against anyone ("Jordan downgraded its ties with Qatar", "accused Doha of ..." in a topic about the
    blockade of Qatar), so that it stands with the action. Not when the rival is only the victim of the act named
    ("condemned the attack on Qatar") or owns the act condemned ("condemned Kosovo's move")."""
    if not topic.rivals:
        return False
    aimed = False
    for t in tokens:
        lemma = t.lemma_.lower()
        if lemma in BREAKS and any(u.lemma_.lower() in TIES for u in t.subtree):
            whom = _partners(t)
        elif WORDS.get(lemma) == OPPOSE and lemma in BLAME_VERBS and t.pos_ == "VERB":
            whom = _acted_on(t)
        elif WORDS.get(lemma) == OPPOSE:
            return False
        else:
            continue
        refs = {owner[u.i] for u in whom if u.i in owner}
        if not refs or refs - topic.rivals:
            return False
        aimed = True
    return aimed


# Steps taken against the owner of an act, which condemning or regretting takes the owner's side.
COUNTERS = {"suspend", "suspension", "sanction", "ban", "boycott", "embargo", "restriction", "expel", "expulsion",
            "isolate", "isolation", "punish", "punishment"}
CENSURING = {"condemn", "denounce", "criticise", "criticize", "deplore", "decry", "regret", "slam", "blast", "reject"}


def censures_a_countermeasure(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether the clause condemns or regrets a step taken against the owner ("regretted the bloc's move to ban
    Belarusian carriers", "condemned the sanctions on Minsk"): that sides with the owner."""
    return any(u.lemma_.lower() in COUNTERS and any(owner.get(w.i) in topic.actors for w in u.subtree if w.i != u.i)
               for t in tokens for u in censured(t, CENSURING))


def _acted_on(tok) -> list:
    """Whom a word of blame is aimed at: its objects and those it is "against" or "at" ("accused Qatar", "lashed out at
    Doha"); not the possessor of an act it condemns ("condemned Kosovo's move" blames the move, and takes no side on
    another's act)."""
    heads = [u for c in tok.children if c.dep_ == "dobj" for u in [c, *c.conjuncts]]
    heads += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in AIMED for g in c.children if g.dep_ == "pobj"]
    return [u for h in heads for u in [h, *h.children] if u is h or u.dep_ == "compound" and h.pos_ == "PROPN"]


def _partners(tok) -> list:
    """Whom ties are cut with ("downgraded ties with Qatar", "a break in the ties with Doha")."""
    return [g for u in tok.subtree if u.lower_ == "with" and u.dep_ == "prep" for g in u.children if g.dep_ == "pobj"]


def against_owner(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether what the clause welcomes is aimed against the action's owner ("welcomed the tribunal's ruling against
    Beijing's claims", "backed sanctions against Moscow", "to back the WTO case over China's curbs"), or done in answer
    to the owner's act ("offered residency in answer to Beijing's law")."""
    inside = {t.i for t in tokens}
    return any((t.lower_ == "against" or _answer(t) or t.lower_ in ("over", "into") and t.head.lemma_.lower() in CASES)
               and any(owner.get(u.i) in topic.actors for u in t.subtree if u.i in inside)
               and any(WORDS.get(a.lemma_.lower()) == SUPPORT for a in t.ancestors if a.i in inside) for t in tokens)


def answers_the_owner(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether the clause's act is done in answer to the owner's ("would offer work permits in response to Beijing's
    law"): a countermeasure, whatever the act."""
    inside = {t.i for t in tokens}
    return any(_answer(t) and any(owner.get(u.i) in topic.actors for u in t.subtree if u.i in inside) for t in tokens)


def _answer(tok) -> bool:
    """Whether a word is the "response" of "in response to" or "as a reply to"."""
    return tok.lemma_.lower() in ANSWERS and tok.dep_ == "pobj" and tok.head.lower_ in ("in", "as")


# What critics say, and the verbs that answer it: "Venezuela rejects Guyana's statement"; claims only when they are
# about something ("claims about the accord"), for a claim is as often a territorial one ("rejects Beijing's claim").
CRITIQUES = ACCUSATIONS | {"statement", "concern", "remark", "comment"}
REBUTTING = BLOCKERS | {"refute", "rebut", "dispute", "deny", "counter"}


def rebutted_critique(noun) -> bool:
    """Whether a noun is critics' words that a rejection answers ("rejects Guyana's statement", "Somalia's claims were
    refuted"): its owner spoke against what the rejecter defends."""
    said = noun.lemma_.lower() in CRITIQUES or noun.lemma_.lower() == "claim" and any(
        c.dep_ in ("acl", "ccomp") and c.tag_ != "VBG" or c.dep_ == "prep" and c.lower_ == "about" for c in noun.children)
    if noun.lemma_.lower() in ACCUSATIONS and noun.dep_ == "nsubj" and noun.head.lemma_.lower() == "be" and any(
            c.dep_ in ("acomp", "attr") and c.lemma_.lower() in DISMISSIVE for c in noun.head.children):
        return True  # "Warsaw's accusations were baseless": dismissed as the critics' words
    return said and noun.dep_ in ("dobj", "nsubjpass") \
        and noun.head.lemma_.lower() in REBUTTING and not any(c.dep_ == "prep" and c.lower_ == "to" for c in noun.children)

"""One clause of a parsed sentence: the predicate a country's mention speaks through (its tokens: read.scope)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.read.blocs import SHARES, STATE_GROUPS, along_with, among_those_who, bloc_of, relative_subject, voice_after_heading
from bot.read.cues import (
    ACCUSATIONS,
    COMPANION_NOUNS,
    DRAFTS,
    NAMING,
    NON_STATE,
    OPPOSE,
    REPORTING,
    SAYING_NOUNS,
    SPEAKERS,
    STANCE_NOUNS,
    UTTERING,
    VEHICLES,
    WORDS,
)
from bot.read.gazetteer import Mention
from bot.read.nlp import headline_speaker
from bot.read.rivalry import rebutted_critique
from bot.read.scope import governing_verb, passive_ancestor
from bot.read.speakers import non_state_word, office_held


def span_for(doc, mention: Mention):
    return doc.char_span(mention.start, mention.end, alignment_mode="expand")


@dataclass(frozen=True)
class Climb:
    """Where a country's mention leads: the predicate it speaks through, and how.

    how: "subject" (it is the predicate's subject or agent), "nominal" (the predicate is a reaction noun it owns:
    "Tehran's condemnation", "condemnation from Tehran", "drew rebukes from A and B"), or "companion" (it acts
    alongside the predicate's subject: "with help from Australia", "with the presidents of A and B looking on"),
    or "echo" (it took the same step as the one just reported: "citing the UK's similar step"), or "member" (it
    speaks through a relative clause: "were among the countries that condemned", "the governments of A, which said").
    """

    pred: Any
    how: str = "subject"


PARTISANS = {"backer", "supporter", "defender"}  # "Maduro's backers include A and B"
SIGNERS = {"signatory", "signatories", "sponsor", "sponsors", "co-sponsor", "cosponsor", "signer", "member", "members"}
STEP_NOUNS = {"step", "move", "measure", "decision", "action", "approach", "stance", "position", "line"}
DECISIONS = {"decision", "move", "choice"}  # a country's decision to back or to condemn something is its stance
TAKING_SIDES = {"back", "support", "endorse", "recognise", "recognize", "condemn", "reject", "oppose", "boycott", "join"}


def _coordinated(tok) -> list:
    """A noun and the nouns coordinated with it ("concern ... and open backing"), in text order."""
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_coordinated(c))
    return sorted(out, key=lambda t: t.i)


BACKING = {"back", "support", "join", "assist", "help", "accompany", "aid", "escort"}
FORCES = {"ship", "vessel", "warship", "navy", "force", "troop", "jet", "aircraft", "plane", "unit", "soldier", "frigate",
          "destroyer", "submarine", "military", "army", "air"}


QUOTED = {"quote", "cite", "report"}  # "was quoted as saying", "was cited as saying"


def _backing_agent(prep) -> bool:
    """Whether a preposition is "by" naming who backs the subject's act: "the navy, backed by A and B, held ..."."""
    return prep.lower_ == "by" and prep.dep_ == "agent" and prep.head.lemma_.lower() in BACKING and prep.head.dep_ in ("acl", "relcl")


def climb_to_predicate(tok, mention_tokens: set[int]) -> Climb | None:
    """The predicate a mention speaks through, or None when it only owns, locates or receives."""
    node = tok
    for _ in range(48):  # long lists: "the governments of A, B, ... and O" (each conj one step)
        own = _own_relative(node, mention_tokens)
        if own is not None:
            return Climb(own, "member")  # "backed by the governments of A and B, which condemned ...": their own words
        dep, head = node.dep_, node.head
        if head.i == node.i:
            heading = headline_speaker(node)  # "Macron: Putin made a huge mistake"
            if heading is None and node.i in mention_tokens:
                listed = _listed_in_a_headline(node, mention_tokens)
                if listed is not None:
                    return listed
            return Climb(heading) if heading is not None else _misparsed_voice(node)
        if dep == "npadvmod" and node.i in mention_tokens:
            listed = _listed_in_a_headline(node, mention_tokens)  # "Egypt, Sudan reject ...": the first one hangs loose
            if listed is not None:
                return listed
        if head.i in mention_tokens and dep in ("poss", "compound", "amod", "nmod", "appos", "flat", "conj", "pobj", "prep"):
            node = head  # "Chile's Boric", "Kremlin spokesman Peskov": one speaker
            continue
        if dep == "pobj" and head.lower_ == "as" and any(c.lower_ == "such" for c in head.children) \
                and head.head.pos_ in ("NOUN", "PROPN"):
            node = head.head  # "allies such as China and Russia pushed back": they are the allies
            if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.pos_ == "NOUN":
                node = node.head.head  # ("allies of Minsk, such as China and Russia": hung on the nearer noun)
            continue
        if dep == "conj" and head.pos_ in ("PROPN", "NOUN", "PRON") or dep in ("nmod", "compound") and head.tag_ == "NNS" \
                and head.lemma_.lower() in STATE_GROUPS:  # ("Britain, the U.S., several Gulf countries and Chile said", one noun)
            node = head
            continue
        if dep in ("appos", "flat") and head.pos_ in ("PROPN", "NOUN", "PRON"):
            node = head
            continue
        bloc = bloc_of(node)
        if bloc is not None:
            node = bloc  # the bloc speaks for the states it names
            continue
        if dep == "pobj" and head.lower_ in ("by", "of", "from") and head.head.lemma_.lower() in VEHICLES \
                and (voice := voice_after_heading(head.head)) is not None:
            return Climb(voice)  # "Joint statement by A and B. We are concerned ...": its authors speak
        office_of = office_held(node)
        if office_of is not None:
            return Climb(office_of)  # "Armen Grigorian, who heads Armenia's Security Council, said": he speaks for it
        if dep in ("amod", "compound", "poss") and head.lemma_.lower() in FORCES and head.dep_ == "pobj" and _backing_agent(head.head):
            node = head  # "backed by Russian and Cambodian ships": their navies' backing
            continue
        if dep in ("poss", "compound", "amod") and head.lemma_.lower() in STEP_NOUNS and any(
                c.dep_ == "amod" and c.lower_ in ("similar", "same", "identical", "parallel") for c in head.children):
            return Climb(head, "echo")  # "citing the UK's similar step": it did what the sentence just reported
        if dep == "poss" and head.lemma_.lower() in SAYING_NOUNS and head.pos_ == "NOUN" and (
                head.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() != "claim"
                or any(c.dep_ in ("acl", "ccomp") and c.tag_ != "VBG" for c in head.children)):  # not "backed China's
            # position", "its claim to", "rejects China's claim, saying ..." (the rejecter's words)
            return None if _non_state(head) else Climb(head, "nominal")  # "Cairo's insistence that ...", "Beijing's version"
        if dep == "poss" and rebutted_critique(head):
            return None if _non_state(head) else Climb(head, "nominal")  # "Venezuela rejects Guyana's statement"
        if dep == "poss" and head.lemma_.lower() in DECISIONS and any(
                c.dep_ in ("acl", "xcomp") and c.lemma_.lower() in TAKING_SIDES for c in head.children):
            return None if _non_state(head) else Climb(head, "nominal")  # "Spain's decision to back the plan"
        if dep in ("poss", "amod", "nmod", "compound") and head.lemma_.lower() in STANCE_NOUNS and head.pos_ == "NOUN":
            return None if _non_state(head) else Climb(head, "nominal")  # "Tehran's condemnation", "Egyptian protests"
        if dep in ("poss", "amod", "nmod", "compound") or (dep == "det" and head.lemma_.lower() in SPEAKERS) or (
                dep == "pobj" and head.lower_ in ("of", "in", "from", "at", "for") and _speaks_through(head.head, node)):
            owner = head if dep != "pobj" else head.head
            if _non_state(owner) or not _speaks_through(owner, node):
                return None
            if dep == "pobj" and head.lower_ in ("in", "at") and any(
                    c.dep_ in ("amod", "poss", "compound") and (c.i in mention_tokens or c.lower_ in ("its", "their"))
                    for c in owner.children):
                return None  # "the Israeli embassy in Washington", "its embassy in Manila": where it sits, not whom it speaks for
            node = owner
            continue
        if dep == "pobj" and head.lower_ == "to" and head.head.lower_ == "according" and (
                node.lemma_.lower() not in VEHICLES or any(c.dep_ == "prep" and c.lower_ == "by" for c in node.children)):
            verb = head.head.head  # "the filling breaks the law, according to Egypt's ministry": its words
            return Climb(verb if verb.pos_ in ("VERB", "AUX") else node.sent.root)
        if dep == "pobj" and head.lower_ == "by" and head.head.lemma_.lower() in VEHICLES and head.head.dep_ == "pobj" \
                and head.head.head.lower_ == "to" and head.head.head.head.lower_ == "according":
            node = head.head  # "according to a statement by Colombia's ministry"
            continue
        if dep == "pobj" and head.lower_ == "in" and (head.i == head.sent.start or _after(head, (";", ",", "—"))) \
                and head.head.pos_ in ("VERB", "AUX") and any(
                s.dep_ in ("nsubj", "nsubjpass") and titled(s) and not any(t.i in mention_tokens for t in s.subtree)
                for s in head.head.children):
            return Climb(head.head)  # "In Cairo, the foreign ministry said ...": the capital names whose ministry speaks
        if dep == "pobj" and (head.lower_ in ("including", "among", "like") or head.lower_ == "as" and any(
                c.lower_ == "such" for c in list(head.children) + list(head.head.children))) and (
                head.head.pos_ in ("NOUN", "PROPN") or head.head.lemma_.lower() in SHARES):
            if head.head.lemma_.lower() in STANCE_NOUNS and {"from", "by"} & {
                    c.lower_ for c in [*head.head.children, *head.head.head.children] if c.dep_ == "prep"}:
                return Climb(head.head, "nominal")  # "condemnation from the Muslim world, including A and B"
            node = head.head  # "13 council members including Japan and France said": the members speak
            if node.dep_ == "pobj" and node.head.lower_ in ("in", "from") and node.head.head.lemma_.lower() in STATE_GROUPS:
                node = node.head.head  # "states in the Pacific, including Fiji and Samoa, spoke up"
            continue
        if dep == "pobj" and head.lower_ == "among" and head.head.pos_ == "VERB" and any(
                c.dep_ == "pobj" and c.lower_ == "them" for c in head.children):
            return Climb(head.head)  # "was denounced by its friends, among them A and B": they denounced it
        if dep == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in SHARES and head.head.dep_ != "poss":
            node = head.head  # "condemned by many of its partners, among them A and B": the many speak
            continue
        if dep == "pobj" and head.lower_ in ("from", "by") and head.head.lemma_.lower() in STANCE_NOUNS:
            nearest = [r for r in _coordinated(head.head) if r.lemma_.lower() in STANCE_NOUNS and r.i < head.i][-1:]
            return Climb((nearest or [head.head])[0], "nominal")  # "condemnation from Tehran", "a rebuke by Manila"
        if dep == "pobj" and head.lower_ == "from" and head.head.pos_ in ("VERB", "AUX"):
            reactions = [r for c in head.head.children if c.dep_ in ("dobj", "attr", "nsubj") for r in _coordinated(c)
                         if r.lemma_.lower() in STANCE_NOUNS and r.i < head.i]  # (also "condemnation came from A and B")
            if reactions:  # "drew sharp condemnation from Tehran"; "drew concern from Tokyo and open backing from
                return Climb(reactions[-1], "nominal")  # Moscow": the reaction named just before it is its own
        if dep == "pobj" and _backing_agent(head):
            verb = governing_verb(head.head.head)
            return Climb(verb, "companion") if verb is not None else None  # "the US navy, backed by Canada, struck ..."
        if dep == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() == "presence":
            return _in_the_presence(head.head)
        if dep == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in COMPANION_NOUNS \
                and head.head.dep_ == "pobj" and head.head.head.lower_ == "with":
            verb = governing_verb(head.head.head)
            return Climb(verb, "companion") if verb is not None else None  # "forces, with the support of A and B, struck"
        if dep == "pobj" and head.lower_ == "from" and head.head.lemma_.lower() in COMPANION_NOUNS:
            verb = governing_verb(head.head)
            return Climb(verb, "companion") if verb is not None else None  # "with help from Australia"
        if dep == "pobj" and head.lower_ == "with" and head.head.lemma_.lower() == "join" and any(
                c.dep_ == "prep" and c.lower_ == "in" for c in head.head.children):
            return Climb(head.head)  # "joined with Guyana in condemning the move": Guyana condemns it too
        if dep == "pobj" and (head.lower_ in ("alongside", "beside") or along_with(head)) or (
                dep == "pobj" and head.lower_ == "with" and head.head.pos_ == "VERB" and head.dep_ == "prep"):
            verb = head.head if head.head.pos_ in ("VERB", "AUX") else governing_verb(head.head)
            return Climb(verb, "companion") if verb is not None else None  # "operating with Britain", "alongside Kenya's Ruto"
        if dep == "pobj" and node.lemma_.lower() in VEHICLES and head.lower_ in ("in", "through", "with") and head.head.pos_ in ("VERB", "AUX"):
            return Climb(head.head)  # "In a statement signed by A and B, fifteen countries condemned ..."
        if dep == "attr" and head.lemma_.lower() == "be" and (doing := next((
                d for c in head.children if c.dep_ == "nsubj" and c.lemma_.lower() in STATE_GROUPS for d in c.children
                if (d.dep_ in ("acl", "relcl") or d.dep_ == "amod" and d.tag_ == "VBG") and (
                    any(True for _ in d.children) or d.lemma_.lower() in ("abstain", "refrain"))), None)) is not None:
            if doing.lemma_.lower() == "sign" and any(c.dep_ == "dobj" and c.lemma_.lower() in VEHICLES for c in doing.children):
                return Climb(head, "echo")  # "The fifty states that signed the statement are A, B ...": what it says
            return Climb(doing, "member")  # "Other abstaining countries were A and B", "Nations voting against it were C"
            # (not a bare "Opposing nations were ...": opposing what, the sentence does not say)
        if dep == "attr" and head.lemma_.lower() == "be" and any(
                c.dep_ == "nsubj" and c.lemma_.lower() in SIGNERS for c in head.children):
            return Climb(head, "echo")  # "The signatories were A, B and C": they said what was just reported
        if dep == "dobj" and head.lemma_.lower() == "include" and any(
                c.dep_ == "nsubj" and c.lower_ in ("these", "they", "those", "which", *SIGNERS) for c in head.children):
            return Climb(head, "echo")  # "Nearly 50 nations signed it. These included A, B and C": they are those nations
        if dep == "dobj" and head.lemma_.lower() == "include" and (holder := next((c for c in head.children if c.dep_ == "nsubj"
                                                                                and c.lemma_.lower() in PARTISANS), None)) is not None:
            return Climb(holder, "nominal")  # "Maduro's backers abroad include China and Russia": they back him
        if dep == "dobj" and head.lemma_.lower() == "include":
            verb = next((r for c in head.children if c.dep_ == "nsubj" and c.lemma_.lower() in STATE_GROUPS
                         for r in c.children if r.dep_ == "relcl" and relative_subject(r)), None)
            if verb is not None:
                return Climb(verb, "member")  # "The countries that suspended arms sales include A and B": they did
        if dep in ("nsubj", "csubj") and head.lemma_.lower() == "be":
            among = among_those_who(head)
            if among is not None:
                return Climb(among, "member")  # "A and B were among the countries that condemned ...": they condemned
        if dep == "dobj" and head.lemma_.lower() in REPORTING and node.lemma_.lower() in SPEAKERS and head.i > 0 \
                and head.nbor(-1).is_punct and any(c.dep_ == "ccomp" and c.i < head.i for c in head.children):
            return Climb(head)  # "'... cannot stand,' declared Venezuela's ministry": the speaker put last
        if dep == "nsubj" and head.dep_ == "relcl" and {w.lemma_.lower() for w in (head, *head.children)} & UTTERING and (
                head.head.lemma_.lower() in SAYING_NOUNS | STANCE_NOUNS | ACCUSATIONS):
            return Climb(head.head, "nominal")  # "the charges Guyana keeps levelling": its own charges
        if dep == "nsubjpass" and head.lemma_.lower() in FELT:
            return Climb(head)  # "UK is concerned by the ramming", "Tokyo was alarmed by": a feeling is a view
        if dep == "nsubjpass" and head.lemma_.lower() in QUOTED:
            said = [c for p in head.children if p.dep_ == "prep" and p.lower_ == "as" for c in p.children
                    if c.dep_ == "pcomp" and c.pos_ == "VERB"]
            if said:
                return Climb(said[0])  # "X was quoted by the paper as saying ...": X's own words
        if dep in ("nsubj", "csubj"):
            if head.dep_ == "pcomp" and head.head.lower_ == "with" and head.head.head.pos_ in ("VERB", "AUX") \
                    and not (head.lemma_.lower() in REPORTING and any(c.lower_ == "what" for c in head.children)):
                return Climb(head.head.head, "companion")  # "opened the dam, with A's president looking on" (not "with what
                # the US called a reckless attack": the US's own words)
            return Climb(_their_relative(head) or head)
        if dep == "dobj" and head.lemma_.lower() == "thank":
            thanked_for = [g for c in head.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children
                           if g.dep_ == "pcomp" or g.dep_ == "pobj" and g.lemma_.lower() in STANCE_NOUNS | COMPANION_NOUNS]
            if thanked_for:  # "thanked Russia's ministry for backing Caracas", "thanked China for its support"
                return Climb(thanked_for[0], "nominal" if thanked_for[0].dep_ == "pobj" else "subject")
        if dep == "pobj" and head.dep_ == "agent" and head.head.dep_ in ("acl", "relcl"):
            noun = head.head.head  # "concerns voiced by Japan", "a statement signed by France, Germany and ..."
            if noun.lemma_.lower() in STANCE_NOUNS:
                return Climb(noun, "nominal")
            if noun.lemma_.lower() in DRAFTS and any(c.dep_ in ("acl", "relcl") and c.i != head.head.i for c in noun.children):
                return Climb(noun, "nominal")  # "a resolution drafted by the US that would have tightened sanctions"
            if noun.lemma_.lower() in VEHICLES | DRAFTS:
                node = noun  # the statement speaks for those who signed it: climb on from it
                continue
            if head.head.lemma_.lower() in NAMING | PRAISING or WORDS.get(head.head.lemma_.lower()) == OPPOSE:
                return Climb(head.head)  # "the vote, described by Guyana's president as a sham": its own words
            return None
        if dep == "pobj" and head.dep_ == "agent":
            return Climb(head.head)
        named_as = head.head.head if head.lower_ == "by" and head.head.dep_ == "pobj" else None
        if dep == "pobj" and named_as is not None and named_as.lower_ == "as" and named_as.head.dep_ in ("acl", "relcl") and (
                named_as.head.lemma_.lower() in NAMING | PRAISING or WORDS.get(named_as.head.lemma_.lower()) == OPPOSE):
            return Climb(named_as.head)  # "a tanker seized off Venezuela, decried as piracy by Caracas" (the "by" on the noun)
        if dep == "pobj" and head.lower_ == "by":
            verb = passive_ancestor(head)  # the parser hung "by X" on a noun: "denounced as aggression by X"
            if verb is not None:
                return Climb(verb)
        if dep == "dobj" and head.lemma_.lower() == "join" and any(c.dep_ == "prep" and c.lower_ == "in" for c in head.children):
            return Climb(head)  # "joined Japan and South Korea in condemning": they condemn too
        heading = headline_speaker(node)
        return Climb(heading) if heading is not None else _misparsed_voice(node)
    return None


# Feelings a state has "by" or "at" something, which the parser may make passives ("is concerned by the drills").
FELT = {"concern", "alarm", "worry", "disappoint", "dismay", "trouble", "disturb", "shock", "outrage", "appal", "appall",
        "anger", "frustrate", "encourage", "hearten", "please", "reassure", "gratify", "satisfy", "delight"}
# Verbs of praise that, like naming and condemning, voice a view when the parser makes them a reduced relative ("the
# decision, welcomed by A as a step forward"); others there are only acts ("the corridor agreed by A and B").
PRAISING = {"welcome", "praise", "hail", "applaud", "endorse", "laud", "commend"}
def _their_relative(verb):
    """The verb of a relative clause on the predicate's object in which the subjects speak again as "they" ("A and B
    held a call during which they voiced concern ...": what they voiced), or None."""
    for obj in verb.children:
        if obj.dep_ in ("dobj", "attr"):
            for rel in obj.children:
                if rel.dep_ == "relcl" and voices(rel) and any(c.dep_ == "nsubj" and c.lower_ in ("they", "both")
                                                                for c in rel.children):
                    return rel
    return None


def _in_the_presence(presence) -> Climb | None:
    """Where "in the presence of X" puts X: behind a statement issued before it ("the final statement, issued in the
    presence of A's president and B's king, condemned ..."; "the statement was issued in the presence of ..."), or
    beside whoever acts ("Ethiopia opened the dam in the presence of the presidents of Kenya and Somalia")."""
    verb = governing_verb(presence)
    if verb is None:
        return None
    if verb.dep_ == "acl" and verb.head.lemma_.lower() in VEHICLES and verb.head.dep_ in ("nsubj", "nsubjpass") \
            and verb.head.head.pos_ in ("VERB", "AUX"):
        return Climb(verb.head.head)  # the statement's own verb: they put their weight behind what it says
    if any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in VEHICLES for c in verb.children):
        return Climb(verb)
    return Climb(verb, "companion")


def _listed_in_a_headline(node, mention_tokens: set[int]) -> Climb | None:
    """The predicate of the country named next, when the parser cut a headline's list of subjects and left this one
    as a sentence of its own ("Philippines, Japan voice alarm over ...": the Philippines voice it too)."""
    doc = node.doc
    after = node.i + 1
    while after < len(doc) and after in mention_tokens:
        after += 1  # (the rest of the name: "Philippines", "South Korea")
    if after + 1 >= len(doc) or doc[after].text != "," or after + 1 not in mention_tokens or node.i != node.sent.start:
        return None
    return climb_to_predicate(doc[after + 1], mention_tokens - set(range(node.i, after)))


def voices(pred) -> bool:
    """Whether a predicate voices something (said, condemned) rather than only tells of an act (arrested, struck)."""
    lemma = pred.lemma_.lower()
    return lemma in REPORTING or lemma in WORDS


def _after(tok, marks: tuple[str, ...]) -> bool:
    return tok.i > 0 and tok.doc[tok.i - 1].text in marks


def titled(subject) -> bool:
    """Whether a subject is an office or someone named with one ("foreign ministry spokesman Zhao Lijian")."""
    return subject.lemma_.lower() in SPEAKERS or any(
        c.dep_ in ("compound", "appos", "amod") and c.lemma_.lower() in SPEAKERS for c in subject.children)


def _own_relative(node, mention_tokens: set[int]):
    """The verb of a relative clause in which a country or its office, named as an object, speaks ("backed by the
    governments of A and B, which condemned ..."), or None."""
    if not (node.i in mention_tokens or node.lemma_.lower() in SPEAKERS) or node.dep_ not in ("pobj", "dobj", "appos", "conj"):
        return None  # a subject speaks through its own verb: "France, which had first welcomed it, now calls ..."
    for child in node.children:
        if child.dep_ == "relcl" and voices(child) and relative_subject(child):
            return child  # ("talks with Rabat and Paris, which endorses the plan")
    for child in node.children:  # "signed by ministers of A, B and C – states that have spoken out against it"
        if child.dep_ == "appos" and child.lemma_.lower() in STATE_GROUPS and child.tag_ == "NNS":
            return next((r for r in child.children if r.dep_ == "relcl" and voices(r) and relative_subject(r)), None)
    return None


def _misparsed_voice(node):
    """The verb a speaking noun voices when the parser hung it below the noun as a relative clause with no
    relative pronoun ("..., and the envoys of A, B and C called for restraint": "called" read as "envoys who
    called"), or None."""
    if node.lemma_.lower() not in SPEAKERS | VEHICLES | STATE_GROUPS or node.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
        return None
    for child in node.children:
        if child.dep_ in ("relcl", "acl") and child.i > node.i and (child.tag_ in ("VBD", "VBZ", "VBP") or child.tag_ == "VBN" and not any(
                c.dep_ in ("agent", "auxpass") for c in child.children)) and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in child.children) and voices(child):
            return Climb(child)
    return None


def _non_state(owner) -> bool:
    """Whether a noun speaks for someone other than the state ("opposition lawmakers"); a deputy office holder
    ("Singapore's deputy prime minister") still speaks for it (see speakers.non_state_word)."""
    return owner.lemma_.lower() in NON_STATE or any(non_state_word(c) for c in owner.children)


def _speaks_through(owner, came_from) -> bool:
    """Whether a noun a country's mention hangs from still speaks for that country: an office ("ministry", "envoy"),
    a vehicle ("statement", "letter", "mission"), or a named person carrying an office title ("UN ambassador Zhang Jun")."""
    lemma = owner.lemma_.lower()
    if owner.pos_ in ("VERB", "AUX"):
        return False  # "posted", "noted": the verb, not the noun
    if lemma in SPEAKERS or lemma in VEHICLES:
        return True
    if owner.pos_ == "PROPN":
        return came_from.lemma_.lower() in SPEAKERS or any(
            c.dep_ == "compound" and c.lemma_.lower() in SPEAKERS for c in owner.children) or (
            owner.dep_ == "pobj" and owner.head.lower_ == "of" and owner.head.head.lemma_.lower() in SPEAKERS)
            # ("President of Guyana Ali": the name under a title)
    return False

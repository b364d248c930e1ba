"""How a clause's own words lean: the cues it carries, negated, refused or nested, and the stance they add up to."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from functools import lru_cache

from bot.read.cues import (
    ACCUSATIONS,
    ANAPHORS,
    BLOCKERS,
    DISMISSIVE,
    EVERYONE,
    LEGAL_PHRASES,
    NAMING,
    NEITHER_NOR,
    NEUTRAL,
    NEUTRAL_PHRASES,
    NOUN_CUES,
    OPPOSE,
    OPPOSE_PHRASES,
    REFUSAL,
    SHIELDED,
    STANCE_NOUNS,
    STATE_OF_OPPOSITION,
    SUPPORT,
    SUPPORT_PHRASES,
    SUSPENDING,
    VEHICLES,
    VERB_OBJECT,
    WORDS,
)
from bot.read.scope import governing_verb
from bot.read.worry import BOTH_SIDES_TENSION, WORRY, watching, worry_about_things


def others_support(tokens, same: set[int], others: AbstractSet[int]) -> set[int]:
    """Supportive words in what another country does within the clause ("said the Russian government was providing
    support for the deployment"): that country's act, not the speaker's view. Critical ones stay: accusing another
    is the speaker's view ("said China violated the law")."""
    out = set()
    for t in tokens:
        if WORDS.get(t.lemma_.lower()) != SUPPORT:
            continue
        verb = governing_verb(t)
        doers = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")] if verb is not None else []
        doers += [g for c in t.children if c.dep_ == "agent" for g in c.children]  # "raids supported by Washington"
        if any(any(u.i in others or u.lower_ in STATES for u in c.subtree) and not any(u.i in same for u in c.subtree)
               for c in doers) or _blamed_for(t, same):  # (also "several other capitals supported the request")
            out.add(t.i)
    return out


STATES = {"countries", "nations", "states", "governments", "capitals", "allies", "partners"}
BLAMING = {"condemn", "accuse", "blame", "criticize", "criticise", "denounce", "fault", "rebuke", "censure", "slam", "chide"}


def _blamed_for(tok, same: set[int]) -> bool:
    """A supporting word that is what someone is blamed for ("condemned Moscow for facilitating the deployment",
    "accused Moscow of supplying the fighters"): the blamed one's act, which the blaming opposes."""
    node = tok
    for _ in range(5):
        if node.dep_ not in ("pcomp", "pobj", "dobj", "prep", "xcomp") or node.head.i == node.i:
            return False
        if node.dep_ == "prep" and node.lower_ in ("for", "of") and node.head.lemma_.lower() in BLAMING:
            return any(c.dep_ == "dobj" and c.i not in same for c in node.head.children)
        node = node.head
    return False


def _negated(tok) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in tok.children):
        return True
    if tok.dep_ in ("xcomp", "ccomp", "dobj", "pobj", "acomp", "attr") and any(c.dep_ == "neg" for c in tok.head.children):
        return True
    if any(c.lower_ == "no" and c.dep_ == "det" for c in tok.head.children) and tok.dep_ in ("acl", "relcl", "xcomp"):
        return True
    node = tok  # "would not wish its radar data put to use backing the raids": the wish is negated
    for _ in range(4):
        if node.dep_ not in ("xcomp", "ccomp", "advcl", "acl", "dobj") or node.head.i == node.i:
            return False
        node = node.head
        if node.lemma_.lower() in WANTING and any(c.dep_ == "neg" for c in node.children):
            return True
    return False


# A step put off rather than refused or taken: "not at this time", "a matter of when, not if", "only once ...".
DEFERRAL = (r"\b(?:at this (?:time|stage|point)|for now|for the time being|not yet|when,? not if|not whether but when|"
            r"only (?:once|after)|at the end of (?:the|a) process|in due course|at a later (?:date|stage)|at the right time)\b")
# Measures that are harsh words elsewhere but may be the watched action itself ("the snapback of sanctions").
ACTION_TERMS = {"sanction", "restriction", "embargo", "blockade", "ban", "tariff", "boycott"}
# Cue words that name an act a topic may watch, with the target's words that say it is that act.
NAMING_THE_ACT = {w: frozenset({"recognise", "recognize", "recognition"}) for w in ("recognise", "recognize", "recognition")} \
    | {w: frozenset({"annex", "annexation", "annexe"}) for w in ("annex", "annexation")} \
    | {w: frozenset({"suspend", "suspension"}) for w in ("suspend", "suspension")} \
    | {w: frozenset({"withdraw", "withdrawal", "pullout", "pull-out", "exit"}) for w in ("withdraw", "withdrawal", "pullout",
                                                                                       "pull-out", "exit")}
TIE = (NEUTRAL, 0.5)  # what a clause with as many words for the action as against it shows
# Prepositions of what goes on beside a verb, not what it acts on ("rejected the plans, with its president saying ...").
ASIDES = {"with", "after", "despite", "amid", "while", "before"}
VERB_CUES = {"worry", "question", "initial", "permit", "dispute", "understand"}  # (a "border question" is no doubt about it, "initial strikes" no
# deal initialled, "work permits" no leave given, a "border dispute" no disputing, "an understanding" no backing)
QUARRELS = {"dispute", "crisis", "standoff", "tension", "row", "impasse", "deadlock", "stalemate", "quarrel", "spat", "feud",
            "disagreement"}
PLEDGING = {"agree", "pledge", "commit", "vow", "promise", "resolve"}  # what one undertakes to do is the stance
WANTING = {"want", "wish", "allow", "permit", "let", "intend", "plan", "mean"}


def _relevant_object(tok, terms: frozenset[str]) -> bool:
    objs = [c for c in tok.children if c.dep_ in ("dobj", "pobj", "prep", "attr")]
    if not objs:
        return True
    words = {t.lemma_.lower() for o in objs for t in o.subtree} | {t.lower_ for o in objs for t in o.subtree}
    return bool(words & terms) or bool(words & ANAPHORS) or any(
        w.endswith(term) for w in words for term in terms if len(term) >= 5)  # "airstrikes" for "strike"


def _cues(tokens, terms: frozenset[str], action: frozenset[str] = frozenset()) -> list[tuple[int, float, int, bool]]:
    """(polarity, confidence, token index, negated) for every cue in a clause; `action`: the words naming the watched
    action (its target's words, singular)."""
    found = []
    inside = {t.i for t in tokens}
    nested: set[int] = set()
    feared = {u.i for t in tokens if t.lemma_.lower() in FEARS for c in t.children if c.dep_ in ("acl", "ccomp")
              for u in c.subtree}  # "out of concern that it could help select targets": what is feared, not backed
    backed_in_censure = {u.i for t in tokens for u in censured(t) if WORDS.get(u.lemma_.lower()) == SUPPORT}
    backed_in_censure |= {t.i for t in tokens if WORDS.get(t.lemma_.lower()) == SUPPORT and t.lemma_.lower() not in BLOCKERS and any(
        WORDS.get(u.lemma_.lower()) == OPPOSE and u.lemma_.lower() in CENSURE and u.pos_ == "VERB"
        for a in _supported(t) for u in a.subtree)}  # "approved a resolution condemning the operation": it backs the censure
    for t in tokens:
        lemma = t.lemma_.lower()
        if t.i in nested or (t.i in feared or t.i in backed_in_censure) and WORDS.get(lemma) == SUPPORT:
            continue  # ("condemned Spain's decision to back the plan": the backing is what is condemned)
        if (general := worry_about_things(t)) is not None:
            nested.update(general)  # "worried about the rising tension": how things stand, not against anyone
            found.append((NEUTRAL, 0.6, t.i, False))
            continue
        pair = None
        for child in t.children:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj", "aux", "auxpass", "punct", "mark"):
                continue  # "the envoy called ...": a subject is not what the verb does ("called in the envoy")
            obj = child.lemma_.lower()
            if any(c.dep_ == "dobj" and c.lemma_.lower() in QUARRELS for c in child.children):
                continue  # "called for dialogue to end the dispute": an end to a quarrel between two, not to the act
            if (lemma, obj) in VERB_OBJECT:
                pair = VERB_OBJECT[(lemma, obj)]
            for gc in child.children:
                if child.dep_ in ("prep", "prt", "dobj", "pobj") and (lemma, gc.lemma_.lower()) in VERB_OBJECT:
                    pair = VERB_OBJECT[(lemma, gc.lemma_.lower())]
        if pair is not None:
            found.append((pair, 0.7, t.i, _negated(t)))
            continue
        if lemma in NAMING and any(c.dep_ == "dobj" and c.lemma_.lower() in CRITIQUE_NOUNS | STANCE_NOUNS for c in t.children) \
                and any(u.lemma_.lower() in DISMISSIVE for u in t.subtree if u.i in inside):
            nested.update(u.i for u in t.subtree)  # "called the criticism hypocritical": it answers the critics
            found.append((SUPPORT, 0.8, t.i, _negated(t)))
            continue
        if lemma in BLOCKERS or (lemma == "vote" and any(c.lower_ == "against" for c in t.children)) or (
                lemma in ("push", "hit", "fire") and any(c.lower_ == "back" for c in t.children)):  # ("hit back at the outcry")
            inner = [u for c in t.children if c.dep_ in ("dobj", "xcomp", "prep") and c.lower_ not in ASIDES for u in c.subtree
                     if u.i in inside and u.i != t.i and (WORDS.get(u.lemma_.lower()) == OPPOSE and _critique(u)
                                                          or u.lemma_.lower() in ACCUSATIONS)]
            shielding = lemma in ("block", "veto") and any(c.dep_ == "dobj" and c.lemma_.lower() in SHIELDED for c in t.children) \
                or any(c.dep_ == "dobj" and c.lemma_.lower() in SHIELDED and any(  # "opposed a statement that would have
                    u.lemma_.lower() in CENSURE and u.pos_ == "VERB" for u in c.subtree) for c in t.children)  # condemned it"
            if inner or shielding:  # "blocked a statement condemning the launches", "rejected the criticism", "vetoed the resolution"
                nested.update(u.i for c in t.children for u in c.subtree)
                found.append((SUPPORT, 0.8, t.i, _negated(t)))
                continue
        if lemma in ("join", "lead", "continue") and any(WORDS.get(u.lemma_.lower()) is not None for c in t.children
                                                         if c.dep_ in ("prep", "xcomp") for u in c.subtree):
            continue  # "joined Japan in condemning": the stance is the complement's
        if t.dep_ == "prt":
            continue  # "pull back", "back down": a particle, not backing
        if WORDS.get(lemma) == SUPPORT and t.i > 0 and t.nbor(-1).text == "-" and t.dep_ in ("amod", "compound"):
            continue  # "the Russia-backed Wagner Group", "Kremlin-funded media": a name for someone, not a judgement
        if lemma in NOUN_CUES and t.pos_ != "NOUN" or lemma in VERB_CUES and t.pos_ != "VERB" or lemma == "understand" and any(
                c.dep_ in ("auxpass", "nsubjpass", "csubjpass") or c.dep_ == "dobj" and c.lemma_.lower() in FEARS | CRITIQUE_NOUNS
                for c in t.children):  # ("it is understood that": reportedly; "understood the worries of": the critics')
            continue  # "lies" told, not where a shoal lies; nations that worry, not "understood the worries of"
        if WORDS.get(lemma) == SUPPORT and (t.pos_ == "ADJ" and t.dep_ == "amod" and t.head.dep_ == "pobj"
                                            and t.head.head.lower_ != "as" and t.head.lemma_.lower() not in terms
                                            or lemma == "right" and t.pos_ == "NOUN" and t.dep_ in ("pobj", "dobj")):
            continue  # "beyond reasonable limits", "the right to life": a word of the phrase, not a judgement of the action
        if lemma in ("escalate", "heighten", "intensify") and t.dep_ == "amod":
            continue  # "an escalating quarrel", "heightened tensions": how things stand, not anyone's view
        if t.dep_ == "amod" and t.head.lemma_.lower() in ("measure", "action", "step") and t.head.dep_ == "dobj" \
                and t.head.head.lemma_.lower() == "take":
            continue  # "will take the necessary measures": its own response, not a view of the action
        if WORDS.get(lemma) == SUPPORT:
            for act in _supported(t):
                if not _critique(act):  # "support for the US crackdown on the illegal trade", "for the actions aimed at
                    # combating illegal trafficking": what is backed, not words against it
                    nested.update(u.i for u in act.subtree if WORDS.get(u.lemma_.lower()) == OPPOSE and not _critique(u))
        if WORDS.get(lemma) == OPPOSE and t.pos_ == "NOUN" and lemma in ACTION_TERMS and (
                lemma in action or t.dep_ == "conj" and t.head.lemma_.lower() in action & ACTION_TERMS):
            continue  # "to complete the snapback of sanctions", where the sanctions are the watched action: its name
        if names_the_act(t, action):
            continue  # "Russia's decision to recognise the republics", where the recognition is the watched action
        if lemma == "fail" and any(c.dep_ == "xcomp" for c in t.children):
            continue  # "failed to condemn the coup": what was not done is the cue (see _refused)
        if lemma == "sign" and any(c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in VEHICLES for c in t.children):
            continue  # "the letter was signed by ministers from A and B": what it says is their stance, not the signing
        if lemma in WORDS and not (t.dep_ in ("dobj", "pobj") and t.head.lemma_.lower() in ("withdraw", "drop", "lift")):
            polarity = WORDS[lemma]
            conf = 0.8 if t.pos_ == "VERB" else 0.6
            if t.pos_ == "VERB" and polarity != NEUTRAL and not _relevant_object(t, terms):
                conf = 0.35  # "defended freedom of navigation" is not about the target
            found.append((polarity, conf, t.i, _negated(t)))
            if polarity == OPPOSE and t.pos_ == "NOUN" and lemma in SUSPENDING:
                nested.update(u.i for c in t.children if c.lower_ == "of" for u in c.subtree)  # "a suspension of aid"
    return found


CENSURE = {"condemn", "denounce", "criticise", "criticize", "deplore", "decry", "slam", "blast", "lambast", "censure",
           "rebuke", "regret", "protest", "condemnation", "denunciation", "criticism"}


def censured(tok, words: AbstractSet[str] = CENSURE) -> list:
    """What a word of censure (one of `words`) is aimed at: its object, or the object of the verb that voices it
    ("expressed regret regarding X's decision to recognise it")."""
    if tok.lemma_.lower() not in words or WORDS.get(tok.lemma_.lower()) != OPPOSE:
        return []
    holders = [tok] + ([tok.head] if tok.dep_ in ("dobj", "conj") and tok.head.pos_ == "VERB" else [])
    return [u for h in holders for c in h.children if c.dep_ in ("dobj", "prep") and c.lower_ not in ASIDES
            for u in c.subtree]


def _supported(tok) -> list:
    """What a supporting word backs: its object ("backed the crackdown"), or the noun after its "for" ("support for
    the crackdown")."""
    out = [c for c in tok.children if c.dep_ == "dobj"]
    return out + [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children if g.dep_ == "pobj"]


def _critique(tok) -> bool:
    """Whether an opposing word is someone's criticism ("condemning", "the criticism", "complaints"), which blocking or
    rejecting answers, rather than a harsh name for the action itself ("rejected the harassment of X" opposes X's harassers)."""
    return tok.pos_ == "VERB" and tok.dep_ != "amod" and tok.lemma_.lower() not in HARMS \
        or tok.lemma_.lower() in STANCE_NOUNS | CRITIQUE_NOUNS  # (not "the disputed territory")


# Opposing verbs that name a harmful act, not someone's criticism: rejecting "attempts to undermine its integrity"
# rejects the act.
HARMS = {"undermine", "violate", "breach", "threaten", "destabilise", "destabilize", "jeopardize", "jeopardise",
         "endanger", "imperil", "militarise", "militarize", "escalate", "inflame", "kidnap", "sabotage", "torpedo",
         "trample", "weaponise", "weaponize", "blackmail", "wreck", "heighten"}


RESTRAINT = ("urged restraint", "urges restraint", "called for restraint", "calls for restraint", "urged calm", "urges calm",
             "called for calm", "calls for calm")
FEARS = {"concern", "fear", "worry", "worried", "concerned", "alarm", "alarmed", "anxiety", "warn", "warning"}
CRITIQUE_NOUNS = {"accusation", "allegation", "claim", "charge", "criticism", "condemnation", "complaint", "objection",
                  "protest", "statement", "resolution", "remark", "comment", "rhetoric", "campaign", "narrative", "outcry",
                  "reaction", "backlash", "uproar"}


def _refused(tok) -> str | None:
    """The refusal `tok` is the infinitive complement of ("declined to endorse": "decline"), or None."""
    node = tok
    for _ in range(4):
        if node.dep_ not in ("xcomp", "dobj", "acl", "pobj", "prep", "pcomp") or node.head.i == node.i:
            return None
        if node.head.lemma_.lower() in REFUSAL:
            return node.head.lemma_.lower()
        node = node.head
    return None


def _without(tok) -> bool:
    """Whether a word is what is done "without" ("without explicitly backing its call")."""
    return tok.dep_ in ("pcomp", "pobj") and tok.head.lower_ == "without"


def _too_to(tok) -> bool:
    head = tok.head
    return tok.dep_ == "xcomp" and any(c.lower_ == "too" for c in head.children)


def names_the_act(tok, action: frozenset[str]) -> bool:
    """Whether a cue word is the watched act's own name ("Putin recognised the republics" when the topic watches
    that recognition; `action`: the target's words, see action_words), not a judgement of it."""
    lemma = tok.lemma_.lower()
    return lemma in NAMING_THE_ACT and bool(NAMING_THE_ACT[lemma] & action) and not _negated(tok) and not _refused(tok)


@lru_cache(maxsize=256)
def action_words(target: str) -> frozenset[str]:
    """The words of a topic's target, singular ("sanctions" -> "sanction"): what names the watched action."""
    return frozenset(w.removesuffix("s") for w in re.findall(r"[a-z]+", target.lower()))


def judge_clause(tokens, text_lower: str, terms: frozenset[str] = frozenset(), target: str = "") -> tuple[int, float] | None:
    """The stance a clause expresses: (polarity, confidence), or None when it shows none (`target`: what the topic
    watches, whose own name is no judgement of it)."""
    text_lower = text_lower.replace(" n't ", " not ").replace(" n’t ", " not ")  # "would n't take sides"
    if re.search(NEITHER_NOR, text_lower) or any(t.lemma_.lower() == "abstain" and not _negated(t) and (
            t.dep_ == "ROOT" or t.head.i not in {u.i for u in tokens}) for t in tokens):
        return NEUTRAL, 0.8  # (also "abstained from the vote on a text condemning it, as it rejects confrontation")
    if any(p in text_lower for p in SUPPORT_PHRASES):
        return SUPPORT, 0.7
    neutral_phrase = any(p in text_lower for p in NEUTRAL_PHRASES) or watching(tokens)
    # ("has failed" is a phrase of opposition, "has failed to condemn" a refusal: see _refused)
    oppose_phrase = any(p in text_lower.replace(" failed to ", " did not get to ") for p in OPPOSE_PHRASES)
    cues = _cues(tokens, terms, action_words(target))
    now_at = [t.i for t in tokens if t.lower_ in ("now", "later")]
    if now_at and any(i > now_at[0] for _, _, i, _ in cues):
        cues = [c for c in cues if c[2] > now_at[0]]  # "had long objected but now supports": the current stance
    votes: list[tuple[int, float]] = []
    doc = tokens[0].doc
    deferred = re.search(DEFERRAL, text_lower) is not None
    calming = {i for p, _, i, _ in cues if p == NEUTRAL}
    for polarity, conf, idx, negated in cues:
        tok = doc[idx]
        refusal = _refused(tok)
        if refusal:
            if polarity == SUPPORT or (polarity == OPPOSE and refusal != "refuse"):
                polarity, conf = NEUTRAL, conf * 0.9   # "declined to endorse", "declined to condemn": no side
            elif polarity == OPPOSE:
                polarity, conf = SUPPORT, conf * 0.9   # "refused to condemn": sides with it
        elif polarity == SUPPORT and _too_to(tok):
            polarity = OPPOSE                          # "too vague to back"
        elif polarity == SUPPORT and tok.lemma_.lower() in PLEDGING and any(
                u.i in calming for u in tok.subtree if u.i > tok.i):
            polarity = NEUTRAL                         # "pledged to help calm tempers": a promise to calm
        elif negated:
            if polarity == SUPPORT and deferred:
                polarity, conf = NEUTRAL, conf * 0.85  # "will not recognise it at this time": not yet, not never
            elif polarity == SUPPORT:
                polarity, conf = OPPOSE, conf * 0.85   # "does not back"
            elif polarity == OPPOSE and tok.lemma_.lower() in STATE_OF_OPPOSITION:
                polarity, conf = SUPPORT, conf * 0.8   # "was not opposed to", "saw no reason to criticise"
            elif polarity == OPPOSE:
                polarity, conf = NEUTRAL, conf * 0.7   # "did not condemn": no side taken
        votes.append((polarity, conf))
    if oppose_phrase:
        votes.append((OPPOSE, 0.7))
    elif any(p in text_lower.replace(" un security council", " security council") for p in LEGAL_PHRASES):
        votes.append((OPPOSE, 0.6))
    polar = [v for v in votes if v[0] != NEUTRAL]
    hedged = {u.i for p, _, i, _ in cues if p == SUPPORT and _without(doc[i]) for u in doc[i].subtree}
    if hedged and not any(p == OPPOSE and i not in hedged for p, _, i, _ in cues):
        return NEUTRAL, 0.7  # "voiced support for the bloc's efforts without backing its call for force": stops short
    if polar and deferred and all(p == SUPPORT for p, _ in polar) and not oppose_phrase:
        return NEUTRAL, 0.7  # "recognition would follow only once the hostages are freed": a condition, not a yes
    if polar:
        score = sum(p * c for p, c in polar)
        censures = any(p == OPPOSE and c >= 0.8 and not n and doc[i].lemma_.lower() in CENSURE for p, c, i, n in cues)
        if any(p in text_lower for p in EVERYONE) and abs(score) < 1.5 and not censures:
            return NEUTRAL, 0.7  # "urged all sides to refrain from escalation": no side taken (unless "condemned the
            # strike and urged all parties to show restraint")
        if re.search(BOTH_SIDES_TENSION, text_lower) and max(c for _, c in polar) <= WORRY \
                and any(t.lemma_.lower() in FEARS for t in tokens):  # (worried by it, not "escalating tensions between")
            return NEUTRAL, 0.6  # "worried by the rising tension between Caracas and Georgetown"
        # a call for restraint addressed to no one in particular, beside a criticism ("called the drills unwarranted
        # and urged restraint"), is aimed at the one criticised
        restraint = any(p in text_lower for p in RESTRAINT) and not any(p in text_lower for p in NEUTRAL_PHRASES if p not in RESTRAINT)
        floor = 0.6 if restraint else 0.7
        if neutral_phrase and not any(c >= floor and p == OPPOSE for p, c in polar) and abs(score) < 1.2:
            return NEUTRAL, 0.7
        if score == 0:
            return TIE  # as much for as against
        return (SUPPORT if score > 0 else OPPOSE), min(0.95, max(c for _, c in polar))
    if neutral_phrase or votes or watching(tokens, interest=True):
        return NEUTRAL, 0.7
    return None

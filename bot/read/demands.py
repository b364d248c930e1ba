"""What a clause asks of a side of the watched action: its owner to stop, back down or show restraint, or to carry on;
the side it is aimed at to end its own attacks (pure)."""

from __future__ import annotations

from bot.read.cues import OPPOSE, SUPPORT
from bot.read.target import StanceTopic


def negated_simple(tok) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _addressed(verb, preps: tuple[str, ...]) -> list:
    """Whom a verb of asking addresses: its object, or the object of one of `preps` ("called on Beijing to ...")."""
    return [c for c in verb.children if c.dep_ == "dobj"] + [
        g for c in verb.children if c.dep_ == "prep" and c.lower_ in preps for g in c.children if g.dep_ == "pobj"]


def _parties(nodes, owner: dict[int, str], inside: set[int]) -> set[str]:
    """The countries named under `nodes`, within the clause."""
    return {owner[u.i] for a in nodes for u in a.subtree if u.i in owner and u.i in inside}


def restrains_the_owner(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether a call for restraint or calm is addressed to the action's owner alone ("urged Beijing to exercise
    restraint"), which opposes the action, rather than to all sides (neutral)."""
    inside = {t.i for t in tokens}
    for t in tokens:
        if t.lemma_.lower() not in ("urge", "call", "ask", "press", "tell"):
            continue
        refs = _parties(_addressed(t, ("on",)), owner, inside)
        if refs and refs <= topic.actors:
            return True
    return False


STOPPING = {"stop", "halt", "end", "cease", "withdraw", "suspend", "reverse", "abandon", "scrap", "pull", "refrain"}


# What a demand to stop is about when it does not name the owner: "the acts of war had to end immediately".
ACTION_NOUNS = {"it", "operation", "fighting", "hostilities", "offensive", "attack", "attacks", "strike", "strikes",
                "violence", "war", "act", "acts", "shelling", "bombing", "bombardment", "deployment", "buildup",
                "build-up", "drill", "drills", "exercise", "exercises", "launch", "launches", "expulsion", "expulsions",
                "deportation", "deportations", "discharge", "release", "filling", "blockade", "assault", "incursion"}


# Asking someone to do something: "urged Serbia to pull back", "called on Beijing to halt", "appealed to Japan to ...".
ASKING = {"urge", "call", "ask", "appeal", "press", "tell", "demand", "implore", "request", "encourage", "push", "plead",
          "exhort"}
# Backing down, besides stopping: "reduce its troops", "scale down", "pull back", "reconsider the plan".
BACKING_DOWN = STOPPING | {"reduce", "cut", "lift", "rescind", "reconsider", "revoke", "de-escalate", "deescalate", "drop",
                           "postpone", "delay", "defer", "lower", "return"}
PARTICLES = {"back", "down", "out", "off"}
EFFORT = {"do", "take", "make"}  # "pressed Belgrade to do more to calm things": what the effort is for is what is asked


def _backs_down(verb) -> bool:
    """"withdraw", "reduce", "pull back", "scale down", "stand down": a verb of stopping or backing down."""
    return verb.lemma_.lower() in BACKING_DOWN or any(c.dep_ == "prt" and c.lower_ in PARTICLES for c in verb.children)


def asks_owner_stop(tokens, owner: dict[int, str], topic: StanceTopic, *, rival: bool = False) -> bool:
    """Whether the clause asks the action's owner, and only it, to stop or back down ("urged Serbia to pull back its
    troops", "called on Beijing to halt the drills", "appealed to Japan to reconsider the release"); with `rival`,
    whether it asks the side the action is aimed at, and only it ("called on Tehran to halt its missile fire at Israel")."""
    inside = {t.i for t in tokens}
    asked = topic.rivals if rival else topic.actors
    for t in tokens:
        if t.lemma_.lower() not in ASKING or negated_simple(t):
            continue
        addressed = _addressed(t, ("on", "to", "upon"))
        refs = _parties(addressed, owner, inside)
        if not refs or not refs <= asked:
            continue
        wanted = [c for c in t.children if c.dep_ in ("xcomp", "advcl", "ccomp")] + [
            g for a in addressed for g in a.children if g.dep_ in ("acl", "relcl") and g.i > a.i]
        wanted += [g for w in wanted if w.lemma_.lower() in EFFORT for g in w.children if g.dep_ in ("advcl", "xcomp")]
        if any((_ceases_hostilities(w) if rival else _backs_down(w)) and any(c.dep_ == "aux" and c.lower_ == "to" for c in w.children)
               for w in wanted):
            return True
    return False


def _ceases_hostilities(verb) -> bool:
    """"halt the raids", "stop firing": the end of hostile acts (not "calm things down")."""
    return verb.lemma_.lower() in ("stop", "cease", "halt", "end") and any(
        c.dep_ in ("dobj", "xcomp") and c.lemma_.lower() in ACTION_NOUNS | {"fire", "firing", "shoot"} for c in verb.children)


def demands_owner_stop(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether the clause says the action's owner must stop ("Azerbaijan has to stop the shelling", "Japan should
    halt the discharge", "Beijing must pull back its ships"), or asks it to (see asks_owner_stop)."""
    inside = {t.i for t in tokens}
    if asks_owner_stop(tokens, owner, topic):
        return True
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


def _owner_subject(verb, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether a verb's subject names the owner of the watched action ("Beijing had ...", "the US military should")."""
    return any(c.dep_ == "nsubj" and any(owner.get(u.i) in topic.actors for u in c.subtree) for c in verb.children)


def owner_right(tokens, owner: dict[int, str], topic: StanceTopic) -> int | None:
    """SUPPORT when the clause grants the owner of the watched action the right to it ("Beijing had every right to
    hold the drills"), OPPOSE when it denies it ("Caracas has no right to annex ..."), else None."""
    for t in tokens:
        if t.lemma_.lower() != "right" or t.pos_ != "NOUN" or t.head.lemma_.lower() != "have":
            continue
        if not _owner_subject(t.head, owner, topic):
            continue
        denied = negated_simple(t.head) or any(c.dep_ == "det" and c.lower_ == "no" for c in t.children)
        return OPPOSE if denied else SUPPORT
    return None


# What the owner may be urged to go on doing: "the US navy should sink every one of their boats", "Israel must finish the job".
CARRY_ON = {"kill", "strike", "hit", "continue", "keep", "finish", "destroy", "pursue", "attack", "bomb", "sink",
            "eliminate", "intensify", "expand"}


def urges_owner_on(tokens, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether the clause says the owner of the watched action should or must carry on with it."""
    return any(t.lemma_.lower() in CARRY_ON and t.pos_ == "VERB" and not negated_simple(t)
               and any(c.dep_ == "aux" and c.lower_ in ("should", "must") for c in t.children)
               and _owner_subject(t, owner, topic) for t in tokens)

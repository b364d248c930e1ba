"""Worry and watching that take no side: concern about how things stand or about fighting between two, following
events closely (pure)."""

from __future__ import annotations

WORRIES = {"concern", "worry", "worried", "concerned", "alarm", "alarmed", "anxiety", "anxious"}
# How things stand in a region, which a worry may be about without blaming anyone.
STATES_OF_AFFAIRS = {"tension", "tensions", "situation", "escalation", "development", "developments", "instability",
                     "aggravation", "deterioration", "worsening"}
# Fighting, which a worry is about without blaming anyone when it is between two ("the clashes between A and B").
CLASHES = {"clash", "confrontation", "hostility", "hostilities", "fighting", "conflict", "altercation", "standoff"}


def _two_sided(noun) -> bool:
    """Whether fighting is told as between two ("clashes between A and B", "the India-Pakistan clashes")."""
    return any(t.lower_ in ("between", "involving") for t in noun.subtree) or sum(
        1 for t in noun.subtree if t.i < noun.i and t.dep_ in ("compound", "amod", "nmod") and t.pos_ == "PROPN") >= 2


def worry_about_things(tok) -> set[int] | None:
    """The tokens of a worry about how things stand ("voiced worry about the tense situation at sea",
    "concerned about the situation"), or None when the worry is about someone's act or is no worry."""
    worry = tok if tok.lemma_.lower() in WORRIES else next(
        (c for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() in WORRIES), None)
    if worry is None:
        return None
    about = [g for c in worry.children if c.dep_ == "prep" and c.lower_ in ("over", "about", "at", "by", "regarding", "with")
             for g in c.children if g.dep_ == "pobj"]
    if not about or not all((o.lemma_.lower() in STATES_OF_AFFAIRS or o.lemma_.lower() in CLASHES and _two_sided(o)) and not any(
            c.dep_ == "poss" or c.dep_ == "prep" and c.lower_ in ("by", "from") for c in o.children) for o in about):
        return None
    return {worry.i} | {u.i for o in about for u in o.subtree}


WATCH = {"follow", "watch", "monitor", "track"}
# Worry about tension between two sides, with nothing stronger than worry, takes neither side.
BOTH_SIDES_TENSION = r"\btensions? (?:\w+ )?(?:between|involving)\b"
WORRY = 0.7


def watching(tokens, *, interest: bool = False) -> bool:
    """"was following the incident at the shoal closely", "is monitoring events there very closely": the watching
    phrases of NEUTRAL_PHRASES with their object in between; with `interest`, also "has been following the drills
    with great interest" (which a worry in the same clause outweighs)."""
    return any(t.lemma_.lower() in WATCH and (
        any(c.dep_ == "advmod" and c.lower_ == "closely" for c in t.children)
        or interest and any(c.dep_ == "prep" and c.lower_ == "with" and any(g.lemma_.lower() in ("interest", "attention")
                                                                            for g in c.children)
                            for c in t.subtree)) for t in tokens)  # (the parser may hang "with interest" on the object)

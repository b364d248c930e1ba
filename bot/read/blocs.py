"""Several states speaking as one: a bloc naming its members, a share of a group ("many of its partners"), nouns
for several states at once, "among the countries that condemned ...", "along with" and the authors a statement's
heading names (pure)."""

from __future__ import annotations

# A bloc of named states speaks for them ("the alliance of Mali, Burkina Faso and Niger recalled ...", "a grouping made
# up of A, B and C", "the bloc, which brings together A and B, said ..."). ("group" and "union" are too often a
# rights group or a trade union.)
BLOCS = {"alliance", "bloc", "coalition", "confederation", "grouping", "quartet", "trio", "axis", "partnership", "club",
         "pact", "league", "federation"}
MEMBERSHIP = {"make", "comprise", "include", "bring", "group", "unite", "gather", "link", "join", "form", "compose"}


def bloc_of(node):
    """The bloc noun a mention is listed as a member of, or None."""
    head = node.head
    if node.dep_ == "pobj" and head.lower_ == "of":
        if head.head.lemma_.lower() in BLOCS:
            return head.head  # "the alliance of A, B and C"
        verb = head.head  # "a bloc made up of A and B", "formed of"
    elif node.dep_ == "dobj":
        verb = head  # "comprising A and B", "which brings together A and B"
    else:
        return None
    if verb.pos_ == "VERB" and verb.dep_ in ("acl", "relcl") and verb.lemma_.lower() in MEMBERSHIP \
            and verb.head.lemma_.lower() in BLOCS:
        return verb.head
    return None


# Words for a share of a group: "many of its partners", "several of the council's members".
SHARES = {"many", "some", "most", "several", "all", "few", "both", "each", "one", "two", "three", "four", "five",
          "dozens", "majority", "number", "handful"}


# Nouns for several states at once: "Fifteen Western countries - including A and B - condemned ...".
STATE_GROUPS = {"country", "nation", "state", "government", "ally", "neighbour", "neighbor"}


def relative_subject(verb) -> bool:
    """Whether a relative clause's subject is its relative pronoun ("the countries that condemned ...")."""
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("that", "which", "who") for c in verb.children)


def among_those_who(copula):
    """The verb of "(were) among the countries that condemned ..." / "one of the states that signed ...", or None."""
    for prep in copula.children:
        if prep.dep_ == "prep" and prep.lower_ in ("among", "of"):
            for noun in prep.children:
                for verb in noun.children:
                    if verb.dep_ == "relcl" and relative_subject(verb):
                        return verb
    return None


def voice_after_heading(heading):
    """The verb of the first-person sentence that follows a verbless heading naming a statement's authors ("Joint
    statement by A, B and C (Paris, 12 May). We are deeply concerned ..."), given the heading's noun, or None."""
    if heading.dep_ != "ROOT" or heading.pos_ not in ("NOUN", "PROPN") or heading.sent.end >= len(heading.doc):
        return None
    following = heading.doc[heading.sent.end].sent
    if any(t.lower_ in ("we", "our") and t.dep_ in ("nsubj", "nsubjpass", "poss") for t in following):
        return following.root
    return None


def along_with(prep) -> bool:
    """Whether a preposition is the "with" of "along with" / "together with" ("Manila, along with its ally, the
    United States, condemned ...")."""
    return prep.lower_ == "with" and prep.head.lower_ in ("along", "together")

"""Whether a clause is its subject's own voice: not another's report of it, not only supposed or asked for, not
background (pure given a parse)."""

from __future__ import annotations

from bot.read.cues import BACKGROUND_MARKS, ECHO, REPORTING, WORDS
from bot.read.speakers import non_state_word

SAYING = {"say", "tell", "add", "write", "state", "declare", "insist", "argue", "note", "post", "tweet"}


def has_own_content(verb, besides) -> bool:
    """Whether a reporting verb says something besides a clause before it ("A opposed it, B said it would wait")."""
    return any(c.dep_ in ("ccomp", "xcomp", "dobj") and c.i != besides.i and c.i > verb.i for c in verb.children)


QUOTE_MARKS = ('"', "“", "”", "‘", "'")


def _fronted_report_of_other(pred, country: str, owner: dict[int, str]) -> bool:
    """Whether `pred` is what someone else said, the report coming after it ("Azerbaijan has to stop the shelling,
    Germany's foreign minister said"), and not a list of speakers ("A opposed it, B said it was studying it")."""
    for verb in pred.children:
        if verb.dep_ not in ("parataxis", "ccomp") or verb.i < pred.i or verb.lemma_.lower() not in SAYING:
            continue
        if any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in verb.children):
            continue  # the report has content of its own: a list
        for subject in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
            words = list(subject.subtree)
            speakers = {owner[t.i] for t in words if t.i in owner}
            if speakers and country not in speakers or any(non_state_word(t) for t in words):
                return True  # (an unnamed "supply minister" may well be the country's own)
    return False


def reported_about_other(pred, country: str, owner: dict[int, str]) -> bool:
    """Whether `pred` is only what someone else said ("Lavrov said China's coast guard was...",
    "analysts said the Kremlin could accept", "Trump stepped up the pressure, writing that Venezuela had to...",
    "Azerbaijan has to stop the shelling, Germany's foreign minister said")."""
    if _fronted_report_of_other(pred, country, owner):
        return True
    node = pred
    for _ in range(6):
        if node.dep_ not in ("ccomp", "xcomp", "csubj") or node.head.i == node.i:
            return False
        child, node = node, node.head
        first = min(t.i for t in child.subtree)  # a quotation opens the clause; quoted words inside it do not make it one
        quoted = child.doc[first].text in QUOTE_MARKS or first > 0 and child.doc[first - 1].text in QUOTE_MARKS
        head_lemma = node.lemma_.lower()
        if head_lemma not in REPORTING and head_lemma not in WORDS:
            if child.dep_ == "csubj":
                continue  # "Caracas taking its nationals back will make removals quicker, said a fellow at ...": climb on
            return False
        # "Antigua opposed ..., Saint Vincent said ...": a list, unless the one who said it is not a state.
        fronted = child.i < node.i and not quoted
        listed = fronted and (head_lemma not in SAYING or has_own_content(node, child))
        for c in [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")] or _inherited_subjects(node):
            words = list(c.subtree)
            if any(non_state_word(t) for t in words):
                return True
            if listed:
                continue
            # "X said Y..." is X's speech; "X rejected the US strikes" (misparsed as a clause) is X's object.
            others = {owner[t.i] for t in words if t.i in owner and not _where_a_mission_sits(t)}
            if fronted and others & {owner[t.i] for s in child.children if s.dep_ in ("nsubj", "nsubjpass")
                                     for t in s.subtree if t.i in owner}:
                continue  # "The Philippines joined Japan in condemning it, Manila said": its report of itself
            if others and country not in others:
                return True
            if fronted:
                continue  # "Serbia ordered ..., the defence ministry said": an unnamed office may well be its own
            if not others and c.pos_ != "PRON" and pred.lemma_.lower() not in WORDS and pred.lemma_.lower() not in ECHO:
                return True  # "it would only let Ukrainian forces regroup": not Ukraine speaking
        if fronted:
            return False
    return False


def _where_a_mission_sits(tok) -> bool:
    """"its embassy in Manila": the host country of the one who speaks, not the speaker."""
    return tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at") and tok.head.head.lemma_.lower() in MISSIONS


MISSIONS = {"embassy", "mission", "consulate", "delegation", "legation", "office"}


def _inherited_subjects(verb) -> list:
    """The subject a subject-less verb shares with the verb it hangs from ("Trump stepped up ..., writing that ...")."""
    if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head.i != verb.i:
        return [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return []


MANDATIVE = {"demand", "urge", "ask", "insist", "request", "call", "propose", "recommend", "suggest", "require"}


def unreal(pred) -> bool:
    """Whether a predicate is only supposed or asked for, not done or said: "should Caracas ever attack", "if Moscow
    sends troops", "demanded that Beijing investigate" (the country there is addressed, not speaking)."""
    node = pred
    for _ in range(4):
        if _inverted_should(node) or node.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in node.children):
            return True  # "should X ever ...": a condition or a question, wherever the parser hung it
        if any(c.dep_ == "mark" and c.lower_ == "for" for c in node.children) and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
            return True  # "it was important for Serbia to cut its troops": what is wanted of it
        if node.dep_ == "ccomp" and node.tag_ == "VB" and node.head.lemma_.lower() in MANDATIVE \
                and not any(c.dep_ == "aux" for c in node.children):
            return True
        if node.dep_ != "conj" or node.head.i == node.i:
            return False
        node = node.head
    return False


def _inverted_should(verb) -> bool:
    subjects = [c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(c.dep_ == "aux" and c.lower_ == "should" and subjects and c.i < min(subjects) for c in verb.children)


def is_background(pred) -> bool:
    """Whether a predicate only sets the scene: "after X arrested...", "the corridor agreed by X"."""
    node = pred
    for _ in range(4):
        if node.dep_ in ("acl", "relcl"):
            return True
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in node.children):
            return True
        if node.dep_ == "pcomp" and node.head.lower_ in BACKGROUND_MARKS:
            return True
        if node.dep_ not in ("conj", "xcomp") or node.head.i == node.i:
            return False
        node = node.head
    return False

"""Which tokens of a parsed sentence are a clause's own: its predicate's subtree, without the clauses that have
subjects of their own or only give background (pure given a parse)."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from bot.read.cues import BACKGROUND_MARKS, REPORTING
from bot.read.voice import SAYING, has_own_content


def _own_subject(tok, same: set[int]) -> bool:
    """Whether a clause head has a subject (or passive agent) of its own, other than `same` tokens."""
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj") and c.pos_ != "PRON" and c.i not in same:
            return True
        if c.dep_ == "agent":
            return True
    return False


def _foreign_subject(tok, same: set[int], others: AbstractSet[int]) -> bool:
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.i in others and t.i not in same for t in tok.subtree)


# Nouns whose "that"-clause is what the speaker holds: "confidence that ...", "the hope that ...".
CONTENT_NOUNS = {"confidence", "hope", "concern", "fear", "belief", "conviction", "view", "insistence", "assurance",
                 "expectation", "wish", "worry", "trust", "certainty", "determination"}


def clause_tokens(pred, same: set[int], others: AbstractSet[int] = frozenset()):
    """Tokens of a predicate's clause, without coordinated or adverbial clauses that have subjects of their own.

    A reporting verb hung off its quote ("'Rivers are shared property,' the spokesman said") brings the quote along.
    """
    out = []
    stack = [pred]
    if pred.dep_ in ("parataxis", "ccomp") and pred.lemma_.lower() in REPORTING and pred.head.i < pred.i:
        quote = pred.head
        out += [t for t in quote.subtree if t.i < pred.i and not (t.i in others and t.dep_ in ("nsubj", "nsubjpass"))
                and t not in pred.subtree]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for child in tok.children:
            if child.dep_ == "acl" and tok.lemma_.lower() in CONTENT_NOUNS and any(c.dep_ == "mark" for c in child.children):
                stack.append(child)  # "expressed confidence that the differences will be settled by dialogue": its view
                continue
            if child.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "for" for c in child.children) and any(
                    c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
                stack.append(child)  # "calls for dialogue to end the dispute": what it calls for, however parsed
                continue
            if child.dep_ in ("conj", "advcl", "parataxis", "relcl", "acl") and (
                    _own_subject(child, same) or _foreign_subject(child, same, others)):
                continue
            if child.dep_ == "ccomp" and child.i < pred.i and _foreign_subject(child, same, others) and (
                    tok.lemma_.lower() not in SAYING or has_own_content(tok, child)):
                continue  # "A welcomed it; B rejected it" parsed as if B reported A
            if child.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in child.children):
                continue
            if child.dep_ == "relcl" or (child.dep_ in ("cc", "punct") and child.i > pred.i and tok.i == pred.i and child.lower_ in (";",)):
                continue
            stack.append(child)
    return sorted(out, key=lambda t: t.i)


def governing_verb(tok):
    """The nearest verb above a token (itself if it is one), or None within five steps."""
    node = tok
    for _ in range(5):
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def passive_ancestor(tok):
    """The nearest passive verb above a token, or None within four steps."""
    node = tok
    for _ in range(4):
        node = node.head
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in node.children):
            return node
        if node.head.i == node.i:
            return None
    return None

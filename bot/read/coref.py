"""Who a pronoun speaks for: "... Maduro said. He also accused ..." (pure given a parse).

A sentence led by "he", "she", "it", "they" or "we" carries on the voice of the previous sentence's speaker when
that speaker is a country or someone speaking for one. Only the previous sentence is looked at, and only its main
clause's subject, so that a pronoun never reaches a country that was only a place, a victim or an object.
"The two governments" or "both", after a sentence naming exactly two countries, speaks for both of them.
A sentence that is nothing but a quotation ("... the Kremlin's spokesman said. \"Beijing may hold exercises ...\"") goes on quoting
the speaker of the sentence before it.
An office that names no country, leading the sentence of a dateline ("DAKAR — Foreign Minister X said", "BAKU — the
defence ministry said"), speaks for the country of the dateline's city.
"""

from __future__ import annotations

from typing import Any

from bot.read.clause import titled
from bot.read.cues import NEUTRAL, OPPOSE, REPORTING, SPEAKERS, SUPPORT, VEHICLES
from bot.read.gazetteer import Mention
from bot.read.judge import judge_clause
from bot.read.scope import clause_tokens
from bot.read.sides import backs_a_rival
from bot.read.speakers import non_state_word

PERSONAL = {"he", "she"}
PLURAL = {"they", "we"}
# Subjects that stand for a group of states without naming them: "Fifteen countries condemned ...".
GROUP_NOUNS = {"country", "countries", "government", "governments", "nation", "nations", "state", "states", "ally",
               "allies", "member", "members", "signatory", "signatories", "minister", "ministers", "leader", "leaders",
               "capital", "capitals", "partner", "partners", "neighbour", "neighbours", "neighbor", "neighbors",
               # a text several states put their names to: "A joint statement condemned it. The signatories were ..."
               "statement", "declaration", "communique", "communiqué", "letter", "resolution"}


def _main_subjects(sent) -> list:
    """The subjects of a sentence's main predicate and of the predicates coordinated with it."""
    root = sent.root
    preds = [root, *(c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))]
    return [c for p in preds for c in p.children if c.dep_ in ("nsubj", "nsubjpass")]


def _pronoun_subject(sent):
    """The pronoun leading a sentence's main clause, if one does ("He also accused ...", "They called ...")."""
    for subj in _main_subjects(sent):
        if subj.lower_ in PERSONAL | PLURAL | {"it"}:
            return subj
    return None


PERSON_TITLES = {"minister", "president", "premier", "chancellor", "spokesman", "spokeswoman", "spokesperson",
                 "ambassador", "envoy", "secretary", "leader", "king", "queen", "emir", "sultan", "prince", "commander",
                 "general", "prosecutor", "attorney", "diplomat", "official", "representative", "delegate", "head"}


def antecedents(subject, owner: dict[int, str], person: set[int]) -> tuple[list[str], str]:
    """The countries a sentence subject speaks for, as a later pronoun would take them up, and whether it is a
    "person" (he, she) or a "body" (it); they/we take up either."""
    refs = list(dict.fromkeys(owner[t.i] for t in subject.subtree if t.i in owner))
    head = subject.lemma_.lower()
    if not refs or not (subject.i in owner or head in SPEAKERS or head in VEHICLES):
        return [], ""
    return refs, "person" if subject.i in person or head in PERSON_TITLES else "body"


def pronoun_mentions(doc, owner: dict[int, str], person: set[int]) -> list[tuple[Mention, Any]]:
    """Mentions standing for the countries that the pronouns leading sentences refer back to.

    `owner`: token index -> country of every mention token; `person`: indices of the tokens of person mentions.
    """
    out: list[tuple[Mention, Any]] = []
    sents = list(doc.sents)
    carried: tuple[list[str], str] = ([], "")  # the previous sentence's voice: its speakers' countries, and kind
    for n, sent in enumerate(sents):
        pronoun = _pronoun_subject(sent)
        found = [a for a in (antecedents(s, owner, person) for s in _main_subjects(sent) if pronoun is None or s.i != pronoun.i) if a[0]]
        own = (list(dict.fromkeys(r for refs, _ in found for r in refs)), found[0][1] if len(found) == 1 else "body")
        if pronoun is not None and not own[0] and carried[0]:
            word = pronoun.lower_
            refs, kind = carried
            fits = (len(refs) == 1 and kind == ("person" if word in PERSONAL else "body")) if word in PERSONAL | {"it"} else True
            fits = fits or word == "it" and n > 0 and _issued_a_text(sents[n - 1])  # "A and B issued a joint
            # statement. It said ...": the statement speaks for them
            if fits and pronoun.i not in owner:
                span = doc[pronoun.i:pronoun.i + 1]
                out += [(Mention(pronoun.idx, pronoun.idx + len(pronoun.text), pronoun.text, "pronoun", ref), span)
                        for ref in refs]
                continue  # the voice carries on to the next sentence too: "He said ... He added ..."
        carried = own
    return out + _pairs(sents, owner)


ISSUING = {"issue", "release", "publish", "sign", "adopt", "circulate", "send", "put"}


def _issued_a_text(sent) -> bool:
    """Whether a sentence's main verb puts out a statement, letter or declaration ("have released a joint statement")."""
    root = sent.root
    return root.lemma_.lower() in ISSUING and any(c.dep_ == "dobj" and c.lemma_.lower() in VEHICLES for c in root.children)


def _a_pair(subject) -> bool:
    """"both", "the two", "the two governments"."""
    said = {(c.dep_, c.lower_) for c in subject.children}
    if subject.lower_ == "both":
        return True
    if subject.lower_ == "two":
        return any(word == "the" for _, word in said)
    return ("nummod", "two") in said and ("det", "the") in said


def _pairs(sents, owner: dict[int, str]) -> list[tuple[Mention, Any]]:
    """Mentions for "the two governments said ..." / "Both rejected ...": the two countries the sentence before
    named, when it named exactly two."""
    out: list[tuple[Mention, Any]] = []
    for before, sent in zip(sents, sents[1:], strict=False):
        for subject in _main_subjects(sent):
            if not _a_pair(subject) or any(t.i in owner for t in subject.subtree):
                continue
            named = list(dict.fromkeys(owner[t.i] for t in before if t.i in owner))
            if len(named) == 2:
                span = subject.doc[subject.i:subject.i + 1]
                out += [(Mention(subject.idx, subject.idx + len(subject.text), subject.text, "pronoun", ref), span)
                        for ref in named]
    return out


def group_voice(sent, doc, groups: dict, owner: dict[int, str], topic) -> tuple[int, float] | None:
    """The stance voiced in the sentence before `sent` by states it does not name ("Fifteen countries condemned it. In
    a statement signed by A, B and C, they said ..."), at half confidence; `groups` caches it per sentence."""
    if sent.start not in groups:
        groups[sent.start] = None
        pred = group_subject(doc[sent.start - 1].sent) if sent.start > 0 else None
        if pred is not None:
            tokens = clause_tokens(pred, set(), set(owner))
            verdict = judge_clause(tokens, " " + " ".join(t.lower_ for t in tokens) + " ", topic.terms, topic.target)
            if verdict is not None and verdict[0] == SUPPORT and backs_a_rival(tokens, owner, topic):
                verdict = (OPPOSE, verdict[1])  # "put their names to a text backing Poland"
            if verdict is not None and verdict[0] != NEUTRAL:
                groups[sent.start] = (verdict[0], 0.5)
    return groups[sent.start]


def group_subject(sent):
    """The predicate of a sentence voiced by states it does not name ("Fifteen countries condemned ...", "the minister
    said some forty states had put their names to ..."), or None."""
    root = sent.root
    for pred in (root, *(c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX"))):
        preds = [pred, *(c for c in pred.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))]
        if any(c.dep_ in ("nsubj", "nsubjpass") and (c.lemma_.lower() in GROUP_NOUNS or c.lower_ in GROUP_NOUNS)
               for p in preds for c in p.children):
            return pred
    return None


def dateline_voices(doc, dateline_end: int, ref: str, owner: dict[int, str], international) -> list[tuple[Mention, Any]]:
    """Mentions of `ref`, the country of a dateline's city, for the offices that lead the dateline's own sentence
    without naming a country of their own ("DAKAR — Foreign Minister X told a briefing ..."). The first sentence
    only: later ones may quote anyone. `international(tok)`: whether a subject holds an international body's title."""
    sent = next((s for s in doc.sents if s.end_char > dateline_end and s.root.idx > dateline_end), None)
    if sent is None:
        return []
    out: list[tuple[Mention, Any]] = []
    for subject in _main_subjects(sent):
        words = list(subject.subtree)
        if subject.idx < dateline_end or any(t.i in owner for t in words) or international(subject) \
                or any(c.dep_ == "poss" for c in subject.children) or _reports_a_named_country(subject.head, owner, ref):
            continue  # ("Riyadh urged restraint, the kingdom's / the foreign ministry said": that country's, not the dateline's)
        if titled(subject) and not any(non_state_word(t) for t in words):
            span = doc[subject.i:subject.i + 1]
            out.append((Mention(subject.idx, subject.idx + len(subject.text), subject.text, "dateline", ref), span))
    return out


def _reports_a_named_country(verb, owner: dict[int, str], ref: str) -> bool:
    """Whether a verb of saying comes after what it reports, and a country other than `ref` is that report's subject."""
    return any(c.dep_ in ("ccomp", "parataxis") and c.i < verb.i and any(
        s.dep_ in ("nsubj", "nsubjpass") and any(owner.get(t.i, ref) != ref for t in s.subtree) for s in c.children)
        for c in verb.children)


OPENING = ('"', "\u201c", "\u2018", "'")
CLOSING = ('"', "\u201d", "\u2019", "'")


def quote_continuations(doc, owner: dict[int, str], person: set[int]) -> dict[int, list[str]]:
    """Sentence start -> the countries whose speaker goes on talking in it: a sentence that is only a quotation,
    after a sentence in which someone speaking for a country says something ("...," the Kremlin's spokesman told
    reporters. "Beijing may hold exercises on its own territory.")."""
    out: dict[int, list[str]] = {}
    sents = list(doc.sents)
    for before, sent in zip(sents, sents[1:], strict=False):
        text = sent.text.strip()
        if len(text) < 3 or not text.startswith(OPENING) or not text.rstrip(".!?").endswith(CLOSING):
            continue
        speakers = [antecedents(c, owner, person)[0] for t in before if t.pos_ == "VERB" and t.lemma_.lower() in REPORTING
                    for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
        refs = next((r for r in speakers if r), [])
        if refs:
            out[sent.start] = refs
    return out

"""Who may speak for a country: people in office, not heads of international bodies or relief groups (pure)."""

from __future__ import annotations

import re

from bot.read.cues import NON_STATE, SPEAKERS
from bot.read.gazetteer import Mention

NOT_A_SPEAKER_ROLES = {"opposition", "former", "international"}
# Titles of international bodies: whoever holds one speaks for the body ("NATO Secretary General Jens Stoltenberg").
INTERNATIONAL_TITLE = re.compile(r"\b(UN|U\.N\.|United Nations|NATO|EU|European|IAEA|WHO|IMF|World Bank|African Union|AU|ECOWAS|"
                                 r"ASEAN|OAS|Arab League|OSCE|ICC|ICJ|IGAD|SADC|G7|G20)\b"
                                 # a country's own envoy to the body speaks for the country: "Russia's UN envoy Nebenzia"
                                 r"(?!\s+(?:deputy\s+|permanent\s+)?(?:ambassador|envoy|representative|delegate|mission))"
                                 r"[\w .'-]{0,40}$")


AID_BODIES = {"council", "committee", "organisation", "organization", "agency", "society", "federation", "foundation"}


def aid_body(tok) -> bool:
    """Whether a subject is a relief or rights body, not an arm of a state ("the Norwegian Refugee Council")."""
    return tok.lemma_.lower() in AID_BODIES and any(c.lemma_.lower() in NON_STATE for c in tok.children)


_TITLES = re.compile(r"\b(president|minister|secretary|chancellor|premier|spokes(?:man|woman|person)|ambassador|envoy|advis[eo]r|"
                     r"foreign|defen[cs]e|prime|vice|king|emir|general|admiral)\b[\w .'-]{0,40}$", re.I)


def _in_office_then(text: str, mention: Mention) -> bool:
    """Whether a person the gazetteer lists as former is given an office title right before the name (and not
    "former"): then the text was written while they held it ("Secretary of State Antony Blinken said")."""
    before = text[max(0, mention.start - 60):mention.start]
    if mention.role == "former" and _TITLE_AFTER.match(text[mention.end:mention.end + 60]):
        return True  # "Annalena Baerbock, Germany's foreign minister, said"
    return mention.role == "former" and bool(_TITLES.search(before)) and not re.search(r"\b(former|ex-|erstwhile)\s*[\w ]{0,30}$", before, re.I)


_TITLE_AFTER = re.compile(r"^,\s+(the\s+|[\w .'-]{1,30}'s\s+)?(\w+\s+){0,2}(president|minister|secretary|chancellor|premier|"
                          r"spokes(?:man|woman|person)|ambassador|envoy)\b", re.I)




def not_a_speaker(text: str, mention: Mention) -> bool:
    """Whether a person named in `text` does not speak for the country the gazetteer gives: an opposition figure,
    someone out of office (unless titled as in office then), or anyone holding an international body's title."""
    return mention.kind == "person" and (mention.role in NOT_A_SPEAKER_ROLES and not _in_office_then(text, mention)
                                         or bool(INTERNATIONAL_TITLE.search(text[max(0, mention.start - 50):mention.start])))


def is_non_state_speaker(subject_tokens) -> bool:
    return any(non_state_word(t) for t in subject_tokens)


def non_state_word(tok) -> bool:
    """Whether a word names someone who does not speak for the state ("opposition", "lawmakers", "a deputy"); the
    "deputy" of an office title does ("Deputy Foreign Minister X", "the deputy prime minister")."""
    if tok.lemma_.lower() not in NON_STATE or tok.lower_ == "firm" and tok.dep_ in ("amod", "advmod", "acomp"):
        return False  # (a "firm protest" is no company's)
    if tok.lower_ != "deputy":
        return True
    doc = tok.doc
    return not (tok.head.lemma_.lower() in SPEAKERS or tok.i + 1 < len(doc) and doc[tok.i + 1].lemma_.lower() in SPEAKERS | {"prime"})


def described(subject) -> list:
    """A subject's own words, without the clauses that describe it ("a neighbouring country whose fishermen
    died in the strikes, Guyana": a country, not its fishermen)."""
    skipped = {t.i for c in subject.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
    return [t for t in subject.subtree if t.i not in skipped]


LEADS = {"head", "lead", "run", "chair", "speak", "represent", "command", "direct"}
def office_held(node):
    """The verb whose subject holds the office `node` names in a relative clause ("X, who heads Armenia's Security
    Council, said ...", "Y, who speaks for the ministry of refugees in Kabul, rejected ..."), or None."""
    if node.dep_ == "dobj":
        verb = node.head
    elif node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.lower_ in ("for", "in", "of"):
        verb = node.head.head
    else:
        return None
    if verb.dep_ != "relcl" or verb.lemma_.lower() not in LEADS or not any(
            c.dep_ == "nsubj" and c.lower_ in ("who", "that") for c in verb.children):
        return None
    holder = verb.head
    if holder.dep_ in ("nsubj", "nsubjpass") and holder.head.pos_ in ("VERB", "AUX") and holder.pos_ == "PROPN":
        return holder.head
    return None

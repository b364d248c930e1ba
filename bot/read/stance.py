"""Who stands where: country stances toward a topic's target, from a dependency parse (pure given a parser)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np

from bot.labels import Label
from bot.read import rivalry
from bot.read.blocs import along_with
from bot.read.clause import climb_to_predicate, span_for, voices
from bot.read.coref import PLURAL, dateline_voices, group_voice, pronoun_mentions, quote_continuations
from bot.read.cues import (
    ANAPHORS,
    EARLIER_MARKERS,
    ECHO,
    EVERYONE,
    NEUTRAL,
    NEUTRAL_PHRASES,
    NOW_MARKERS,
    OPPOSE,
    SPEAKERS,
    SUPPORT,
    VEHICLES,
)
from bot.read.datelines import at_home, dateline_country, dateline_spans, international
from bot.read.demands import asks_owner_stop, demands_owner_stop, owner_right, restrains_the_owner, urges_owner_on
from bot.read.gazetteer import Gazetteer
from bot.read.judge import DEFERRAL, TIE, action_words, judge_clause, names_the_act, others_support
from bot.read.nlp import as_written, parse
from bot.read.parties import COUNTRY_KINDS, hosts_of, parties
from bot.read.scope import clause_tokens
from bot.read.sides import (
    ALIGN,
    STATEMENT_NOUNS,
    agreed_with_the_other_side,
    aligned_with,
    asserts,
    backs_a_rival,
    kept_silent,
    only_a_fact,
    only_acting,
    owner_verdict,
    supports_the_owner,
    welcomes_owner_retreat,
)
from bot.read.speakers import aid_body, described, is_non_state_speaker, not_a_speaker
from bot.read.target import StanceTopic
from bot.read.voice import is_background, reported_about_other, unreal

POLARITY_LABEL = {SUPPORT: Label.SUPPORTIVE, OPPOSE: Label.OPPOSED, NEUTRAL: Label.NEUTRAL}
PRONOUN_DISCOUNT = 0.75


@dataclass(frozen=True)
class Stance:
    """One country's stance in one item."""

    country: str
    label: str
    score: float
    evidence: str

    def as_dict(self) -> dict:
        return {"country": self.country, "label": self.label, "score": round(self.score, 3), "evidence": self.evidence}


@dataclass(frozen=True)
class ClauseVerdict:
    """The stance one clause gives one country, before a text's clauses are combined."""

    country: str
    polarity: int
    confidence: float
    sentence: str
    order: int
    now: bool = False
    earlier: bool = False


def stance_topic(target: str, texts: Iterable[str], gaz: Gazetteer, nlp, *, owners: Iterable[str] | None = None,
                 rivals: Iterable[str] | None = None) -> StanceTopic:
    """Target terms (content lemmas), owners and rivals of a topic.

    Owners are the countries the target names as doing or claiming ("China's drills", "the US deployment"), unless
    given; rivals those it names as the place or object of the action ("around Taiwan", "the Essequibo region",
    "strikes on Iran") or the topic's texts name as what it is against or disputed with ("against Philippine vessels",
    "the dispute with Egypt and Sudan"), unless given.
    """
    texts = list(texts)
    terms: set[str] = set()
    for doc in nlp.pipe([target, *texts]):
        for tok in doc:
            if tok.pos_ in ("NOUN", "VERB", "ADJ", "PROPN") and not tok.is_stop and len(tok.text) > 2:
                if not gaz.find(tok.text):
                    terms.add(tok.lemma_.lower())
    terms -= {"say", "government", "country", "region", "reaction", "react", "new", "official", "leader", "news"}
    owned, rivals = parties(target, texts[1:2], gaz, owners=owners, rivals=rivals)
    return StanceTopic(target, frozenset(terms), owned, rivals, hosts=hosts_of(target, gaz) & rivals, texts=(target, *texts))


Fallback = Callable[[str, str], tuple[int, float] | None]  # (clause, country) -> (polarity, confidence)


def names_a_speaker(mentions) -> bool:
    """Whether any mention can speak for a country; find_stances finds nothing in a text without one."""
    return any(m.kind in COUNTRY_KINDS for m in mentions)


def find_stances(text: str, topic: StanceTopic, *, nlp, gaz: Gazetteer, fallback: Fallback | None = None,
                 short_item_sentences: int = 2, parsed: tuple | None = None,
                 trace: Callable[[str, str, str], None] | None = None, passages: AbstractSet[int] | None = None,
                 clauses: Callable[[str, str], None] | None = None) -> list[Stance]:
    """Every country taking a stance toward the topic's target in `text` (`parsed`: its (doc, mentions), if known).

    `trace(country, stage, detail)` hears why each mention of a country did or did not give a stance; `clauses(clause,
    country)` hears every clause judged for a country (what the clause model learns from). `passages`: the start
    tokens of the sentences about this topic, when the item is also about others (see read.passages).
    """
    note = trace or (lambda country, stage, detail: None)
    if parsed is None:
        found = gaz.find(text)
        parsed = parse(nlp, text, found), found
    doc, found = parsed
    datelines = dateline_spans(text)
    home = next((dateline_country(text[start:end], gaz) for start, end in datelines[:1]), None)
    mentions = at_home([m for m in found if m.kind in COUNTRY_KINDS], home, text)
    short = len(list(doc.sents)) - len(datelines) <= short_item_sentences  # (a dateline is a sentence of its own)
    spans = [(m, span_for(doc, m)) for m in mentions]
    spans = [(m, s) for m, s in spans if s is not None]
    owner = {t.i: m.ref for m, s in spans if m.role != "opposition" for t in s}  # (backing Guaidó is not backing Caracas)
    if home is not None:
        spans += dateline_voices(doc, datelines[0][1], home, owner, lambda tok: international(text, tok))
        owner.update((s[0].i, m.ref) for m, s in spans if m.kind == "dateline")
    people = {t.i for m, s in spans if m.kind == "person" for t in s}
    coref = pronoun_mentions(doc, owner, people)
    quoted = quote_continuations(doc, owner, people)  # sentence start -> whose quotation it goes on with
    owner.update((s[0].i, m.ref) for m, s in coref)
    spans = sorted(spans + coref, key=lambda ms: ms[0].start)
    groups: dict[int, tuple[int, float] | None] = {}  # sentence start -> what states it does not name said in it
    verdicts: list[ClauseVerdict] = []
    last_polar: dict[int, tuple[int, float]] = {}  # sentence start -> the last stance voiced in it
    allies: dict[str, tuple[str, str]] = {}  # country -> (the country it sides with, the sentence saying so)
    for order, (mention, span) in enumerate(spans):
        if any(start <= mention.start < end for start, end in datelines):
            note(mention.ref, "dateline", mention.text)
            continue  # "CALI, Colombia —": where it was written, not who speaks
        if span.sent.start in quoted:
            note(mention.ref, "not its voice", f"{mention.text}: in a quotation of {', '.join(quoted[span.sent.start])}")
            continue  # "Beijing has every right ...", quoted on from a Kremlin spokesman: Russia's words about China
        if not_a_speaker(text, mention):
            note(mention.ref, "not a speaker", f"{mention.text} ({mention.role})")
            continue
        climb = climb_to_predicate(span.root, set(owner))
        if climb is None:
            note(mention.ref, "no predicate", f"{mention.text}: {span.root.dep_} of {span.root.head.text}")
            continue
        pred = climb.pred
        ally = aligned_with(span.root, pred, owner, mention.ref)
        if ally is not None:  # its stance is the one it backs, once every voice is read (else its own clause's)
            allies[mention.ref] = (ally, as_written(text, span.sent))
            note(mention.ref, "sides with", f"{gaz.country_name(ally)} ({pred.text})")
        if climb.how == "subject" and (pred.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "compound")
                                       or (is_background(pred) and not voices(pred))
                                       or reported_about_other(pred, mention.ref, owner)):
            note(mention.ref, "not its voice", f"{mention.text} -> {pred.text} ({pred.dep_})")
            continue  # (a "predicate" that is itself a subject or object is a noun the tagger took for a verb)
        if climb.how == "subject" and unreal(pred):
            note(mention.ref, "not its voice", f"{mention.text} -> {pred.text} (supposed or asked for)")
            continue
        subject_tokens = [t for t in pred.children if t.dep_ in ("nsubj", "nsubjpass")]
        if climb.how == "subject" and any(is_non_state_speaker(described(t)) and t.i not in owner for t in subject_tokens) and not any(
                t.i in owner or t.lemma_.lower() in SPEAKERS | STATEMENT_NOUNS and not aid_body(t) for t in subject_tokens) and not any(
                span.root in c.subtree for t in subject_tokens for c in t.conjuncts):  # ("the EU and countries including A")
            note(mention.ref, "non-state speaker", pred.text)
            continue
        fact = only_a_fact(pred, owner) if climb.how in ("subject", "member") else None
        if fact is not None:
            note(mention.ref, "no stance cue", f"{pred.text}: {fact}")
            continue
        same = {i for i, ref in owner.items() if ref == mention.ref}
        tokens = list(pred.subtree) if climb.how == "nominal" else clause_tokens(pred, same, set(owner) - same)
        whole = tokens
        if pred.lemma_.lower() not in ALIGN:
            dropped = others_support(tokens, same, set(owner) - same) - ({pred.i} if climb.how == "nominal" else set())
            tokens = [t for t in tokens if t.i not in dropped] or tokens
        lowered = " " + " ".join(t.lower_ for t in tokens) + " "
        if passages is not None and span.sent.start not in passages:
            note(mention.ref, "not about the topic", f"a passage about another topic: {span.sent.text[:100]}")
            continue
        carried = False  # about the topic only as the next sentence of a passage about it (see _goes_on)
        if passages is None and not ((short and "separately" not in lowered) or _relevant(tokens, topic)
                                     or _relevant(list(pred.sent), topic)
                                     or (carried := _goes_on(pred.sent, doc, owner, topic))
                                     or climb.how == "echo" and span.sent.start > 0
                                     and _relevant(list(doc[span.sent.start - 1].sent), topic)):
            note(mention.ref, "not about the topic", lowered.strip()[:120])
            continue
        verdict = judge_clause(tokens, lowered, topic.terms, topic.target)
        if climb.how == "nominal" and rivalry.rebutted_critique(pred) and (verdict is None or verdict[0] != OPPOSE):
            verdict = (OPPOSE, 0.6)  # "rejects Guyana's statement": Guyana's words against the action
        sent_key = span.sent.start
        if climb.how == "companion":
            partners = {owner[t.i] for s in _subjects_up(pred) for t in s.subtree if t.i in owner}
            if not (verdict is not None and verdict[0] != NEUTRAL):
                verdict = last_polar.get(sent_key)
            if mention.ref in topic.actors or not (partners & topic.actors or verdict is not None and _beside(span.root)):
                note(mention.ref, "not its voice", f"alongside {pred.text}")
                continue
            # acting with the owner of the watched action; else doing what its partner does ("flew in for the opening
            # alongside Kenya's Ruto")
            verdict = (SUPPORT, 0.6) if partners & topic.actors else verdict
        echoes = climb.how == "echo" or pred.lemma_.lower() in ECHO or (pred.lemma_.lower() == "do" and " same " in lowered)
        previous = doc[span.sent.start - 1].sent.start if span.sent.start > 0 else -1
        voiced = last_polar.get(sent_key) or last_polar.get(previous)
        if (verdict is None or verdict[0] == NEUTRAL and not any(p in lowered for p in NEUTRAL_PHRASES)) \
                and echoes and voiced is not None:
            verdict = voiced  # "Cuba echoed the charge", "the US had done the same": the stance just voiced
        if climb.how == "subject" and agreed_with_the_other_side(pred, owner, topic):
            verdict = (NEUTRAL, 0.7)  # "Ali and Maduro agreed not to use force": both sides, neither taken
        elif mention.ref in topic.actors and only_acting(pred, tokens, climb.how, action_words(topic.target)):
            note(mention.ref, "no stance cue", f"the owner only acting: its {pred.text}")
            continue  # "Japan's decision to release the water", "cut ties with Qatar": the act others react to
        elif mention.ref in topic.actors and climb.how != "companion" and (asserts(pred, tokens, climb.how)
                                                                        or _under_a_statement(span.sent, doc)):
            verdict = owner_verdict(tokens, lowered, topic, verdict, owner)  # the owner of the action, speaking of it
        elif mention.ref in topic.actors and climb.how == "subject":
            note(mention.ref, "no stance cue", f"the owner only acting: {pred.text}")
            continue  # "North Korea launched a missile ... and a warning": the act others react to, not a view of it
        elif mention.ref in topic.rivals and verdict is not None and verdict[0] == SUPPORT \
                and not supports_the_owner(tokens, owner, topic):
            verdict = (OPPOSE, verdict[1])  # a rival asserting its own side ("pledged to defend the island") opposes
        elif mention.ref in topic.rivals and verdict is None and climb.how != "companion" and voices(pred) \
                and pred.lemma_.lower() != "confirm":  # (confirming a death toll or a pullback states a fact)
            verdict = (OPPOSE, 0.5)  # a rival speaking of the action it is aimed at: "the coast guard said a cutter rammed"
        elif verdict is None and mention.ref not in topic.actors and climb.how in ("subject", "member") \
                and names_the_act(pred, action_words(topic.target)):
            verdict = (NEUTRAL, 0.7) if re.search(DEFERRAL, lowered) else (SUPPORT, 0.7)  # "Canada and Brazil
            # recognised Guaidó too": doing the watched act joins it (unless only later)
        elif (verdict is None or verdict[0] != OPPOSE) and mention.ref not in topic.actors \
                and rivalry.supports_both_sides(tokens, owner, topic):
            verdict = (NEUTRAL, 0.6)  # "supported Venezuela and Guyana in resolving their border issues"
        elif mention.ref not in topic.actors | topic.rivals and (verdict is None and climb.how != "companion"
                                                              or verdict is not None and verdict[0] == OPPOSE) \
                and (rivalry.against_a_rival(tokens, owner, topic) or rivalry.censures_a_countermeasure(tokens, owner, topic)):
            verdict = (SUPPORT, verdict[1] if verdict else 0.6)  # "Jordan downgraded its ties with Qatar": with the blockade
        elif mention.ref not in topic.actors | topic.rivals and verdict is None and climb.how == "subject" \
                and rivalry.answers_the_owner(tokens, owner, topic):
            verdict = (OPPOSE, 0.6)  # "would offer work permits in response to Beijing's law": a countermeasure
        elif mention.ref not in topic.actors and verdict is not None and verdict[0] == NEUTRAL \
                and restrains_the_owner(tokens, owner, topic) and not any(p in lowered for p in EVERYONE):
            verdict = (OPPOSE, 0.6)  # "urged Beijing to exercise restraint": the call is on the owner alone
        elif mention.ref not in topic.actors and (granted := owner_right(list(pred.subtree), owner, topic)) is not None:
            verdict = (granted, 0.7)  # "said Beijing had every right to hold the drills"
        elif mention.ref not in topic.actors and urges_owner_on(whole, owner, topic):
            verdict = (SUPPORT, 0.7)  # "the US navy should sink every one of their boats", the president said
        elif mention.ref not in topic.actors and demands_owner_stop(tokens, owner, topic):
            verdict = (OPPOSE, 0.7)  # "Azerbaijan has to stop the shelling", "China must halt the drills"
        elif mention.ref not in topic.actors | topic.rivals and asks_owner_stop(tokens, owner, topic, rival=True):
            verdict = (SUPPORT, 0.7)  # "called on Tehran to halt its missile fire": the side aimed at must stop
        elif verdict is not None and (verdict[0] == SUPPORT or verdict == TIE) and mention.ref not in topic.actors \
                and (backs_a_rival(tokens, owner, topic) or rivalry.against_owner(tokens, owner, topic)
                     or welcomes_owner_retreat(tokens, owner, topic)) or verdict is not None and verdict[0] == NEUTRAL \
                and mention.ref not in topic.actors and backs_a_rival(tokens, owner, topic):  # (+ "a peaceful solution")
            verdict = (OPPOSE, verdict[1])  # "backed Guyana's sovereignty", "declared their backing for Cairo's efforts"
        if verdict is None and (climb.how == "subject" and any(t.lower_ in PLURAL for t in subject_tokens) or climb.how == "echo"):
            verdict = group_voice(span.sent, doc, groups, owner, topic)  # "Fifteen countries condemned it. In a
            # statement signed by A, B and C, they said ...": the signatories are those countries
        if verdict is None and climb.how == "subject" and any(t.lemma_.lower() in STATEMENT_NOUNS for t in subject_tokens) \
                and span.root.i > min(t.i for t in subject_tokens):  # (named after it: "issued by A and B")
            verdict = group_voice(span.sent, doc, groups, owner, topic) or voiced  # "The G7 ministers were deeply
            # concerned by the drills. The statement, issued by Japan, the US and Canada, ...": its authors said so
        if verdict is None and kept_silent(pred):
            note(mention.ref, "no stance cue", f"{pred.text}: kept silent")
            continue
        clause = " ".join(t.text for t in tokens)
        if clauses is not None:
            clauses(clause, mention.ref)
        if verdict is None and fallback is not None:
            verdict = fallback(clause, mention.ref)
        if verdict is None:
            note(mention.ref, "no stance cue", f"{climb.how} {pred.text}: {lowered.strip()[:120]}")
            continue
        polarity, confidence = verdict
        if carried and polarity == NEUTRAL:
            note(mention.ref, "not about the topic", f"a call for calm after it, not about it: {lowered.strip()[:100]}")
            continue
        if mention.kind in ("pronoun", "dateline"):
            confidence *= PRONOUN_DISCOUNT  # who "he" or "they" is was inferred: the speaker's own words count more
        note(mention.ref, POLARITY_LABEL[polarity], f"{climb.how} {pred.text} {confidence:.2f}: {lowered.strip()[:120]}")
        if polarity != NEUTRAL:
            last_polar[sent_key] = verdict
        words = {t.lower_ for t in tokens}
        verdicts.append(ClauseVerdict(mention.ref, polarity, confidence, as_written(text, span.sent), order,
                                      now=bool(words & NOW_MARKERS), earlier=bool(words & EARLIER_MARKERS)))
    for start, refs in quoted.items():
        sent = doc[start].sent
        if passages is not None and start not in passages or passages is None and not (
                short or _relevant(list(sent), topic) or start > 0 and _relevant(list(doc[start - 1].sent), topic)):
            continue
        tokens = list(sent)
        lowered = " " + " ".join(t.lower_ for t in tokens) + " "
        said = judge_clause(tokens, lowered, topic.terms, topic.target)
        granted = owner_right(tokens, owner, topic)
        if granted is not None:
            said = (granted, 0.7)
        for ref in refs:
            verdict = owner_verdict(tokens, lowered, topic, said, owner) if ref in topic.actors else said
            if verdict is None and fallback is not None:
                verdict = fallback(" ".join(t.text for t in tokens), ref)
            if verdict is None:
                note(ref, "no stance cue", f"quoted on: {sent.text.strip()[:120]}")
                continue
            note(ref, POLARITY_LABEL[verdict[0]], f"quoted on {verdict[1] * PRONOUN_DISCOUNT:.2f}: {sent.text.strip()[:120]}")
            verdicts.append(ClauseVerdict(ref, verdict[0], verdict[1] * PRONOUN_DISCOUNT, as_written(text, sent), len(spans)))
    return _with_allies(_combine(verdicts), allies)


def _with_allies(stances: list[Stance], allies: dict[str, tuple[str, str]]) -> list[Stance]:
    """Countries that side with another take its stance, when it has one."""
    by_country = {s.country: s for s in stances}
    for country, (ally, sentence) in allies.items():
        if ally in by_country and ally not in allies:
            backed = by_country[ally]
            by_country[country] = Stance(country, backed.label, round(backed.score * 0.9, 3), sentence)
    return sorted(by_country.values(), key=lambda s: s.country)


def _under_a_statement(sent, doc) -> bool:
    """Whether a sentence is a statement's text, a short label saying so before it ("Joint statement: the American
    and British militaries carried out ..."): its subjects speak, though only acting in it."""
    if sent.start == 0:
        return False
    label = doc[sent.start - 1].sent
    return len(label) <= 4 and label[-1].text == ":" and any(t.lemma_.lower() in VEHICLES for t in label)


def _subjects_up(pred) -> list:
    """The subjects of a predicate, or of the verbs above it when it has none ("US forces, operating with ..., hit")."""
    node = pred
    for _ in range(4):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects or node.head.i == node.i:
            return subjects
        node = node.head
    return []


def _beside(tok) -> bool:
    """Whether a mention stands beside the subject ("alongside Kenya's Ruto", "with help from A and B"), rather than
    being what the act is with ("pledged solidarity with Denmark")."""
    node = tok
    for _ in range(48):
        if node.dep_ not in ("conj", "appos", "poss", "compound", "nmod") or node.head.i == node.i:
            break
        node = node.head
    return node.dep_ == "pobj" and (node.head.lower_ in ("alongside", "beside", "from") or along_with(node.head))


def _goes_on(sent, doc, owner: dict[int, str], topic: StanceTopic) -> bool:
    """Whether a sentence carries on the one before it about the topic, naming a party to it ("Russia denounced the
    raid. Oman and Bahrain voiced solidarity with Qatar."): the discourse's topic, not a new one."""
    if sent.start == 0 or sent[0].lower_ in ("separately", "elsewhere") or not any(
            owner.get(t.i) in topic.actors | topic.rivals for t in sent):
        return False  # ("Separately, Iran and Venezuela signed a refinery deal": another story)
    return _relevant(list(doc[sent.start - 1].sent), topic)


def _relevant(tokens, topic: StanceTopic) -> bool:
    words = {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}
    if words & topic.terms or words & ANAPHORS:
        return True
    stems = {w[:5] for w in words if len(w) >= 5}
    return any(t[:5] in stems for t in topic.terms if len(t) >= 5)


def _combine(verdicts: Sequence[ClauseVerdict]) -> list[Stance]:
    """One stance per country: the current one wins over an earlier one, else the strongest."""
    by_country: dict[str, list[ClauseVerdict]] = {}
    for e in verdicts:
        by_country.setdefault(e.country, []).append(e)
    out = []
    for country, items in by_country.items():
        current = [e for e in items if e.now] or [e for e in items if not e.earlier] or items
        polar = [e for e in current if e.polarity != NEUTRAL]
        if polar:
            total = sum(e.polarity * e.confidence for e in polar)
            if total == 0:
                best = polar[-1]
            else:
                best = max((e for e in polar if e.polarity == (1 if total > 0 else -1)), key=lambda e: e.confidence)
        else:
            best = max(current, key=lambda e: e.confidence)
        score = best.polarity * best.confidence if best.polarity != NEUTRAL else 0.0
        out.append(Stance(country, POLARITY_LABEL[best.polarity], float(np.clip(score, -1, 1)), best.sentence))
    return sorted(out, key=lambda s: s.country)

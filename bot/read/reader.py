"""Stance extraction with its models attached: spaCy parse, gazetteer, embedding fallback."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.read.cues import NEUTRAL, OPPOSE, SUPPORT
from bot.read.embed import Embedder
from bot.read.gazetteer import Gazetteer
from bot.read.learned import ClauseModel, shipped_clause_model
from bot.read.nlp import for_the_parser, is_dateline, parse
from bot.read.passages import assign_passages
from bot.read.stance import Stance, StanceTopic, find_stances, names_a_speaker, stance_topic

MAX_CHARS = 6000
MAX_CLAUSES = 20_000  # clause vectors kept between batches (1.5 kB each)
FALLBACK_MIN_SIM = 0.30
FALLBACK_MARGIN = 0.05
PROTOTYPES = {
    SUPPORT: ("The government supports {t}.", "Officials welcomed {t} as necessary.", "The minister defended {t}."),
    OPPOSE: ("The government condemns {t}.", "Officials rejected {t} as illegal and dangerous.", "The minister criticised {t}."),
    NEUTRAL: ("The government called for calm and dialogue about {t}.", "Officials would not take sides on {t}."),
}


class StanceReader:
    """Finds country stances in items; one per process, shared by jobs."""

    def __init__(self, *, nlp, gaz: Gazetteer, embedder: Embedder | None = None, clause_model: ClauseModel | None = None,
                 learned: bool = True):
        """`clause_model`: the fallback's learned clause judge (the shipped one unless given, none if not `learned`);
        it is used only with the embedder it was learned on, and the prototypes judge otherwise."""
        self.nlp, self.gaz, self.embedder = nlp, gaz, embedder
        model = (clause_model or shipped_clause_model()) if learned else None
        self.clause_model = model if model is not None and embedder is not None and model.fits(embedder.name) else None
        self._topics: dict[tuple, StanceTopic] = {}
        self._prototypes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._last: tuple[str, tuple] | None = None
        self._parsed: dict[str, tuple | None] = {}
        self._clauses: dict[str, np.ndarray] = {}  # clause and sentence vectors
        self._topic_vectors: dict[StanceTopic, np.ndarray] = {}
        self._passages: dict[tuple, frozenset[int]] = {}

    def topic(self, target: str, texts: tuple[str, ...], *, owners: tuple[str, ...] | None = None,
              rivals: tuple[str, ...] | None = None) -> StanceTopic:
        key = (target, texts, owners, rivals)
        if key not in self._topics:
            self._topics[key] = stance_topic(target, texts, self.gaz, self.nlp, owners=owners, rivals=rivals)
        return self._topics[key]

    def topic_for(self, topic) -> StanceTopic:
        """The StanceTopic of a rules Topic."""
        return self.topic(topic.target, (topic.name, topic.description, *topic.examples),
                          owners=getattr(topic, "owners", None), rivals=getattr(topic, "rivals", None))

    def find(self, text: str, topic: StanceTopic, *, among: Sequence[StanceTopic] = ()) -> list[Stance]:
        """The stances in `text` toward `topic`; `among`: every topic the item is about (this one included), whose
        passages are told apart so that one topic's stances are not read onto another."""
        text = text[:MAX_CHARS]
        parsed = self._parse(text)
        if parsed is None:
            return []
        passages = self.passages(text, topic, among)
        fallback = self._fallback(topic, learned=passages is None) if self.embedder is not None else None
        return find_stances(text, topic, nlp=self.nlp, gaz=self.gaz, fallback=fallback, parsed=parsed, passages=passages)

    def passages(self, text: str, topic: StanceTopic, among: Sequence[StanceTopic]) -> frozenset[int] | None:
        """Start tokens of the sentences of `text` about `topic` rather than the other topics `among`, or None
        when there is nothing to tell apart."""
        others = [t for t in dict.fromkeys(among) if t != topic]
        parsed = self._parse(text[:MAX_CHARS])
        if not others or parsed is None or self.embedder is None:
            return None
        key = (text[:MAX_CHARS], (topic, *others))
        if key not in self._passages:
            units = _with_datelines_joined(list(parsed[0].sents))
            vectors = np.stack([self._clause_vector(" ".join(s.text for s in unit)) for unit in units])
            terms = [{t.lemma_.lower() for s in unit for t in s} for unit in units]
            topics = [topic, *others]
            assigned = assign_passages(vectors, terms, np.stack([self._topic_vector(t) for t in topics]), [t.terms for t in topics],
                                       [unit[-1].text[:40] for unit in units])
            self._passages[key] = frozenset(s.start for unit, chosen in zip(units, assigned, strict=True) if 0 in chosen
                                            for s in unit)
        return self._passages[key]

    def _topic_vector(self, topic: StanceTopic) -> np.ndarray:
        if topic not in self._topic_vectors:
            vectors = self.embedder.encode(list(topic.texts or (topic.target,)))
            centroid = vectors.mean(axis=0)
            self._topic_vectors[topic] = centroid / (np.linalg.norm(centroid) or 1.0)
        return self._topic_vectors[topic]

    def prime(self, pairs: Sequence[tuple[str, StanceTopic]]) -> None:
        """Get a batch of (text, topic) pairs ready for find(): one nlp.pipe call for the texts, one encode call for
        the sentences of texts about several topics and for every clause the embedding fallback will judge."""
        found = {t: self.gaz.find(t) for t in dict.fromkeys(t[:MAX_CHARS] for t, _ in pairs)}
        texts = [t for t, mentions in found.items() if names_a_speaker(mentions)]
        self._parsed = dict.fromkeys(found)  # None: names no speaker, so there is nothing to parse
        cased = [for_the_parser(t, found[t]) for t in texts]
        self._parsed.update((t, (doc, found[t])) for t, doc in zip(texts, self.nlp.pipe(cased, batch_size=64), strict=True))
        self._passages.clear()
        if self.embedder is None:
            return
        among: dict[str, list[StanceTopic]] = {}
        for text, topic in pairs:
            among.setdefault(text[:MAX_CHARS], []).append(topic)
        sentences = [s.text for text, topics in among.items() if len(set(topics)) > 1 and self._parsed[text] is not None
                     for s in self._parsed[text][0].sents]
        self._remember([s for s in dict.fromkeys(sentences) if s not in self._clauses])
        wanted = [clause for text, topic in pairs for clause, _, left in self.clauses(text, topic, among=among[text[:MAX_CHARS]])
                  if left]
        self._remember([c for c in dict.fromkeys(wanted) if c not in self._clauses])

    def clauses(self, text: str, topic: StanceTopic, *, among: Sequence[StanceTopic] = ()) -> list[tuple[str, str, bool]]:
        """(clause, country, left to the fallback) for every clause of `text` judged for a country.

        A dry run whose fallback records and abstains. Abstaining leaves later clauses more undecided, never less,
        so it meets every clause the real run leaves to the fallback."""
        text = text[:MAX_CHARS]
        parsed = self._parse(text)
        if parsed is None:
            return []
        heard: list[tuple[str, str]] = []
        left: set[tuple[str, str]] = set()

        def record(clause: str, country: str) -> None:
            left.add((clause, country))

        find_stances(text, topic, nlp=self.nlp, gaz=self.gaz, fallback=record, parsed=parsed,
                     passages=self.passages(text, topic, among), clauses=lambda clause, country: heard.append((clause, country)))
        return [(clause, country, (clause, country) in left) for clause, country in heard]

    def _remember(self, fresh: list[str]) -> None:
        """Embed texts not seen yet in one call, and keep their vectors (up to MAX_CLAUSES)."""
        if len(self._clauses) + len(fresh) > MAX_CLAUSES:
            self._clauses.clear()
        if fresh and self.embedder is not None:
            self._clauses.update(zip(fresh, self.embedder.encode(fresh), strict=True))

    def _parse(self, text: str) -> tuple | None:
        """(spaCy doc, gazetteer mentions) of `text`, or None when it names no one who speaks for a country."""
        if text in self._parsed:  # an item matched to several topics is parsed once, not once per topic
            return self._parsed[text]
        if self._last is None or self._last[0] != text:
            mentions = self.gaz.find(text)
            self._last = (text, (parse(self.nlp, text, mentions), mentions) if names_a_speaker(mentions) else None)
        return self._last[1]

    def _clause_vector(self, clause: str) -> np.ndarray:
        if clause not in self._clauses:
            if len(self._clauses) >= MAX_CLAUSES:
                self._clauses.clear()
            self._clauses[clause] = self.embedder.encode([clause])[0]
        return self._clauses[clause]

    def _fallback(self, topic: StanceTopic, *, learned: bool = True):
        prototypes = self._prototype_judge(topic)
        model = self.clause_model
        if model is None or not learned:
            return lambda clause, country: prototypes(clause)

        def judge(clause: str, country: str) -> tuple[int, float] | None:
            verdict = model.judge(self._clause_vector(clause), role_of(country, topic))
            if verdict is None:  # the prototypes still tell a call for calm or a refusal to take sides
                verdict = prototypes(clause)
                return verdict if verdict is not None and verdict[0] == NEUTRAL else None
            return verdict

        return judge

    def _prototype_judge(self, topic: StanceTopic):
        if topic.target not in self._prototypes:
            labels, texts = [], []
            for label, patterns in PROTOTYPES.items():
                for p in patterns:
                    labels.append(label)
                    texts.append(p.format(t=topic.target))
            self._prototypes[topic.target] = (np.array(labels), self.embedder.encode(texts))
        labels, vectors = self._prototypes[topic.target]
        return lambda clause: judge_by_prototypes(vectors @ self._clause_vector(clause), labels)


def role_of(country: str, topic: StanceTopic) -> str:
    """A country's part in a topic, as the clause model knows it: "owner", "rival" or "other"."""
    return "owner" if country in topic.actors else "rival" if country in topic.rivals else "other"


def judge_by_prototypes(sims: np.ndarray, labels: np.ndarray) -> tuple[int, float] | None:
    """The stance whose prototypes a clause is most similar to, or None when it is not clearly one."""
    best = {label: float(sims[labels == label].max()) for label in PROTOTYPES}
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    (label, top), (_, second) = ranked[0], ranked[1]
    if top < FALLBACK_MIN_SIM or top - second < FALLBACK_MARGIN:
        return None  # abstain: the clause does not read clearly as any stance
    return label, min(0.5, 0.3 + (top - second))


def _with_datelines_joined(sents: list) -> list[list]:
    """Sentences, a dateline ("NUUK, Greenland —", a sentence of its own) joined to the one it opens."""
    units: list[list] = []
    pending: list = []
    for sent in sents:
        pending.append(sent)
        if not is_dateline(sent):
            units.append(pending)
            pending = []
    if pending:
        units.append(pending)
    return units

"""Scoring stance extraction against the labelled set (per-class P/R/F1, macro-F1, no-stance leaks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.labels import LABELS, Label
from quality.labelled import Counts

CLASSES = LABELS


@dataclass
class StanceEval:
    per_class: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CLASSES})
    none_total: int = 0
    none_given: int = 0
    cases: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        """Macro-F1 over supportive and opposed."""
        return (self.per_class[Label.SUPPORTIVE].f1 + self.per_class[Label.OPPOSED].f1) / 2

    @property
    def none_rate(self) -> float:
        return self.none_given / self.none_total if self.none_total else 0.0


def score_cases(cases: list[dict], predict) -> StanceEval:
    """`predict(case) -> {ISO3: label}`; compare with the gold labels."""
    result = StanceEval()
    for case in cases:
        gold: dict[str, str] = case.get("stances") or {}
        none = set(case.get("none") or [])
        got = predict(case)
        if "judged" in case:  # an analyst's correction judges only the countries it names
            got = {c: label for c, label in got.items() if c in case["judged"]}
        result.cases += len(gold) + len(none)
        result.none_total += len(none)
        result.none_given += sum(1 for c in none if c in got)
        for country in set(gold) | set(got):
            g, p = gold.get(country), got.get(country)
            if g == p:
                result.per_class[g].tp += 1
                continue
            if p:
                result.per_class[p].fp += 1
            if g:
                result.per_class[g].fn += 1
            result.errors.append({"id": case["id"], "country": country, "gold": g, "got": p, "text": case["text"]})
    return result


def topics_from(path: Path, gaz, nlp) -> dict:
    """StanceTopics for every topic of a topics.yaml / watchlist file."""
    from bot.read.stance import stance_topic
    from bot.rules import load_watchlist

    watchlist = load_watchlist(path, str(path))
    return {t.id: stance_topic(t.target, [t.name, t.description, *t.examples], gaz, nlp) for t in watchlist.topics}



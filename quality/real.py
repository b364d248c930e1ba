"""Scoring the reader on the real-style sets (tests/data/real): stances, articles and topics, per slice and dispute."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.ingest.items import make_item
from bot.labels import Label
from bot.read.gazetteer import Gazetteer
from bot.read.match import build_profiles
from bot.read.reading import match_and_read
from bot.rules import Rules, Topic, load_rules
from quality.labelled import Counts, load_jsonl
from quality.stances import StanceEval, score_cases

REAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "real"
SLICES = ("tune", "measure", "fresh", "fresh2", "fresh3")
TUNING_SLICES = ("tune", "fresh", "fresh2")  # the others (measure, fresh3) are measure-only: never tuned or trained on


def slices() -> dict[str, str]:
    """Topic (dispute) id -> the slice it belongs to (tune, measure, fresh, ...)."""
    data = yaml.safe_load((REAL / "slices.yaml").read_text(encoding="utf-8"))
    return {topic: name for name in SLICES for topic in data.get(name) or ()}


def real_rules(gaz: Gazetteer) -> Rules:
    return load_rules(REAL / "rules", gaz.names)


def stance_cases(kind: str = "stance") -> list[dict]:
    """Every case of one folder (stance, topic or articles), in file order."""
    return [case for path in sorted((REAL / kind).glob("*.jsonl")) for case in load_jsonl(path)]


Predict = Callable[..., dict[str, str]]  # (text, topic, among=[topics the text is about]) -> {ISO3: label}


@dataclass
class SliceReport:
    """A slice's stance scores, overall and per dispute."""

    overall: StanceEval
    per_dispute: dict[str, StanceEval] = field(default_factory=dict)


def evaluate_stances(cases: list[dict], topics: dict[str, Topic], predict: Predict) -> dict[str, SliceReport]:
    """Stance scores per slice (and per dispute within it)."""
    of_slice = slices()
    out: dict[str, SliceReport] = {}
    for name in SLICES:
        chosen = [c for c in cases if of_slice.get(c["topic"]) == name]
        if not chosen:
            continue

        def predicted(case: dict) -> dict[str, str]:
            return predict(case["text"], topics[case["topic"]])

        report = SliceReport(score_cases(chosen, predicted))
        for dispute in sorted({c["topic"] for c in chosen}):
            report.per_dispute[dispute] = score_cases([c for c in chosen if c["topic"] == dispute], predicted)
        out[name] = report
    return out


@dataclass
class ArticleReport:
    """Stances read from whole articles for each of their two topics; `copies` are stances given on one topic
    to a country that took none on it (most often its stance on the other topic, copied)."""

    scores: StanceEval
    copies: list[dict] = field(default_factory=list)


def evaluate_articles(articles: list[dict], topics: dict[str, Topic], predict: Predict) -> dict[str, ArticleReport]:
    of_slice = slices()
    flat = []
    for article in articles:
        text = f"{article['title']}. {article['text']}" if article.get("title") else article["text"]
        for topic_id, labels in article["labels"].items():
            flat.append({"id": f"{article['id']}/{topic_id}", "topic": topic_id, "text": text, "stances": labels.get("stances") or {},
                         "none": labels.get("none") or [], "among": list(article["labels"])})
    out = {}
    for name in SLICES:
        chosen = [c for c in flat if of_slice.get(c["topic"]) == name]
        if not chosen:
            continue
        copies = []

        def predicted(case: dict, copies: list = copies) -> dict[str, str]:
            got = predict(case["text"], topics[case["topic"]], among=[topics[t] for t in case["among"]])
            copies += [{"id": case["id"], "country": c, "got": label} for c, label in got.items() if c not in case["stances"]]
            return got

        out[name] = ArticleReport(score_cases(chosen, predicted), copies)
    return out


@dataclass
class TopicReport:
    """Topic matching on the real-style items: micro P/R/F1, recall per kind, and the errors."""

    overall: Counts = field(default_factory=Counts)
    per_kind: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    per_topic: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    errors: list[dict] = field(default_factory=list)


def score_topic_items(items: list[dict], matched: dict[str, set[str]], topic_ids: list[str]) -> dict[str, TopicReport]:
    """`matched`: item id -> the topic ids the bot matched it to. Scored per slice of the item's dispute."""
    of_slice = slices()
    out: dict[str, TopicReport] = {name: TopicReport() for name in SLICES}
    for item in items:
        report = out[of_slice[item["dispute"]]]
        gold, got = set(item.get("topics") or []), matched.get(item["id"], set())
        for topic in topic_ids:
            counts = [report.overall, report.per_topic[topic], report.per_kind[item.get("kind", "?")]]
            if topic in gold and topic in got:
                for c in counts:
                    c.tp += 1
            elif topic in got:
                for c in counts:
                    c.fp += 1
                report.errors.append({"id": item["id"], "topic": topic, "error": "false match", "kind": item.get("kind"),
                                      "title": item.get("title")})
            elif topic in gold:
                for c in counts:
                    c.fn += 1
                report.errors.append({"id": item["id"], "topic": topic, "error": "missed", "kind": item.get("kind"),
                                      "title": item.get("title")})
    return out


def labels_of(stances) -> dict[str, str]:
    """{ISO3: label} from the reader's stances."""
    return {s.country: str(Label(s.label)) for s in stances}


EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def reader_predict(reader) -> Predict:
    """How the bot reads a case: the text as an item body, the topic (and the topics it shares the text with)."""

    def predict(text: str, topic: Topic, among=()) -> dict[str, str]:
        body = make_item(feed="eval", title="", summary=text, published=EPOCH).body  # (a title is cut at 500 characters)
        return labels_of(reader.find(body, reader.topic_for(topic), among=[reader.topic_for(t) for t in among]))

    return predict


def match_topic_items(items: list[dict], rules: Rules, embedder, gaz: Gazetteer) -> dict[str, set[str]]:
    """Item id -> the topics the bot matches it to, the items seen in publication order (so that reaction stories
    may inherit a topic from stories matched before them, as in a running bot)."""
    profiles = build_profiles(rules.topics, embedder, gaz)
    built = [make_item(feed="eval", identity=i["id"], title=i["title"], summary=i.get("summary", ""),
                       published=datetime.fromisoformat(i["published"]).replace(tzinfo=UTC)) for i in items]
    readings = match_and_read(built, embedder.encode([b.body for b in built]), profiles, gaz, None)
    return {i["id"]: {m.topic_id for m in r.matches if m.matched} for i, r in zip(items, readings, strict=True)}

"""A real-style timeline judged against its own labels: what the bot alerts and settles, next to what the
same tracker makes of the labelled stances (the oracle), and how well the bot matched the items to topics.

A timeline item carries `gold: {topic: {ISO3: label}}`: the topics it is about (an empty mapping when it is
on the topic without stances) and the stances it takes. Replaying the labels through the real tracker, with
every item matched to its labelled topics, gives the alerts and the board a perfect reader would produce;
the bot must give no alert the oracle does not, never flap, and settle the same board.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from bot.backtest import BacktestResult, run_backtest
from bot.labels import Label
from bot.read.stance import Stance
from bot.rules import Rules
from quality.labelled import Counts
from quality.timelines import timeline_items


class GoldReader:
    """Stands in for the stance reader during the oracle replay: returns an item's labelled stances."""

    def __init__(self, gold_by_body: dict[str, dict[str, dict[str, str]]]):
        self.gold_by_body = gold_by_body

    def prime(self, pairs) -> None:
        """Nothing to prepare: the labels are known."""

    def topic_for(self, topic) -> str:
        return topic.id

    def find(self, text: str, topic: str, *, among=()) -> list[Stance]:
        labels = self.gold_by_body.get(text, {}).get(topic) or {}
        return [Stance(country, str(Label(label)), 1.0, "(labelled)") for country, label in sorted(labels.items())]


@dataclass
class TimelineJudgement:
    bot: BacktestResult
    oracle: BacktestResult
    topics: Counts = field(default_factory=Counts)
    wrong_alerts: list[dict] = field(default_factory=list)  # alerts the oracle does not give
    missed_alerts: list[dict] = field(default_factory=list)  # oracle alerts the bot does not give
    flaps: list[tuple[str, str]] = field(default_factory=list)  # (topic, country) alerted more often than the oracle
    board_wrong: dict[tuple[str, str], tuple[str | None, str | None]] = field(default_factory=dict)  # key -> (bot, oracle)
    topic_errors: list[str] = field(default_factory=list)


def _key(alert: dict) -> tuple[str, str, str]:
    return alert["topic"], alert["country"], alert["to"]


def judge_timeline(timeline: dict, rules: Rules, *, embedder, reader, gaz) -> TimelineJudgement:
    """The bot against the timeline's labels. A timeline naming `watchlists` was labelled for those topics only: the
    analyst's watchlist then; other topics added later would match stories its labels never considered."""
    if timeline.get("watchlists"):
        rules = replace(rules, watchlists=tuple(w for w in rules.watchlists if w.id in timeline["watchlists"]))
    items = timeline_items(timeline)
    gold = {str(i["id"]): i.get("gold") or {} for i in timeline["items"]}
    gold_by_body = {item.body: gold[item.guid] for item in items}
    bot = run_backtest(items, rules, embedder=embedder, reader=reader, gaz=gaz)
    oracle = run_backtest(items, rules, embedder=embedder, reader=GoldReader(gold_by_body), gaz=gaz, force_match=True)
    out = TimelineJudgement(bot, oracle)
    for item in items:
        want, got = set(gold[item.guid]), bot.topics_of.get(item.id, set())
        out.topics.tp += len(want & got)
        out.topics.fp += len(got - want)
        out.topics.fn += len(want - got)
        if want != got:
            out.topic_errors.append(f"{item.guid}: labelled {sorted(want)}, matched {sorted(got)} | {item.title}")
    expected = Counter(_key(a) for a in oracle.alerts)
    given = Counter(_key(a) for a in bot.alerts)
    out.wrong_alerts = [a for a in bot.alerts if _key(a) not in expected]
    out.missed_alerts = [a for a in oracle.alerts if _key(a) not in given]
    per_country_bot = Counter((a["topic"], a["country"]) for a in bot.alerts)
    per_country_oracle = Counter((a["topic"], a["country"]) for a in oracle.alerts)
    out.flaps = sorted(k for k, n in per_country_bot.items() if n > max(1, per_country_oracle.get(k, 0)))
    for key in set(bot.board) | set(oracle.board):
        if bot.board.get(key) != oracle.board.get(key):
            out.board_wrong[key] = (bot.board.get(key), oracle.board.get(key))
    return out

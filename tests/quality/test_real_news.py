"""The reader on real-style reporting (tests/data/real), with the real models: floors under today's scores, the
origin story read right, and a three-month timeline that settles the board its labels settle."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.ingest.items import make_item
from bot.read.match import build_profiles
from bot.read.nlp import load_nlp
from bot.read.reader import StanceReader
from bot.read.reading import match_and_read
from bot.rules import load_rules
from quality.oracle import judge_timeline
from quality.real import (
    REAL,
    evaluate_articles,
    evaluate_stances,
    match_topic_items,
    reader_predict,
    real_rules,
    score_topic_items,
    stance_cases,
)
from quality.timelines import load_timeline

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[2]

# Measured with bench/real_eval.py when these floors were set; a change that costs more than 0.02 fails.
# Floors are today's numbers less 0.02 (topics: precision and F1 less about 0.02-0.03). Topic precision fell on every
# slice when the fresh2 and fresh3 slices' sixteen topics joined the rules in session 5 (more topics compete for each
# item, some on the same places and weeks), not from a change of code: the session's starting code loses as much.
# fresh3 was read once, with the session's final code, and is measure-only like `measure`. Session 6: the learned
# clause judge (bot/read/learned.py) and rules from real reports took stances to tune 0.836, measure 0.694, fresh 0.736,
# fresh2 0.758, fresh3 0.684
# (it learns from tune, fresh and fresh2, so those three gains are partly circular; measure and fresh3 are not).
# Session 7: rules from three more rounds of real reports (read in /tmp, never kept) took them to tune 0.846, measure
# 0.717, fresh 0.745, fresh2 0.758, fresh3 0.689.
# Session 8: two more rounds (headline case, accents, "according to", shared claims, ...) took them to tune 0.848,
# measure 0.718, fresh 0.748, fresh2 0.761, fresh3 0.693; a stricter threshold for stories naming no place of the setting
# took topic F1 to tune 0.777, measure 0.863, fresh 0.855, fresh2 0.827, fresh3 0.811. Floors: today's less 0.02.
# Session 9 (another machine: topic figures move by up to 0.015 between CPUs): stances tune 0.848, measure 0.725,
# fresh 0.746, fresh2 0.763, fresh3 0.690; topic F1 tune 0.775, measure 0.853, fresh 0.848, fresh2 0.825, fresh3 0.808.
# Session 10 (whom a clause's words are aimed at, the act's own name, an owner's deeds): stances tune 0.852, measure
# 0.726, fresh 0.743, fresh2 0.771, fresh3 0.689; topics unchanged but for three relabelled items.
# Session 11 (lists of members, votes and signers; doing the act joins it; calls that take no side): stances tune
# 0.853, measure 0.726, fresh 0.745, fresh2 0.771, fresh3 0.691; topics unchanged.
STANCE_FLOORS = {"tune": 0.833, "measure": 0.706, "fresh": 0.725, "fresh2": 0.751, "fresh3": 0.671}
TOPIC_FLOORS = {"tune": (0.79, 0.75), "measure": (0.83, 0.83), "fresh": (0.85, 0.83), "fresh2": (0.78, 0.80),
                "fresh3": (0.81, 0.79)}  # (P, F1)


@pytest.fixture(scope="module")
def reader(real_embedder, gaz):
    return StanceReader(nlp=load_nlp(), gaz=gaz, embedder=real_embedder)


@pytest.fixture(scope="module")
def rules(gaz):
    return real_rules(gaz)


def test_the_sets_are_the_size_the_issue_asks(rules):
    """600 stance cases, 400 topic items (half hard negatives or oblique reactions), 40 two-topic articles, two slices
    on different disputes."""
    topic_items = stance_cases("topic")
    assert len(stance_cases("stance")) >= 600 and len(topic_items) >= 400 and len(stance_cases("articles")) >= 40
    hard = [i for i in topic_items if i["kind"] in ("negative", "reaction")]
    assert len(hard) >= len(topic_items) / 2
    disputes = {t.id for t in rules.topics}
    assert len(disputes) >= 10


@pytest.fixture(scope="module")
def stance_reports(reader, rules):
    """Every slice's stance scores, read once for the five floors."""
    return evaluate_stances(stance_cases("stance"), {t.id: t for t in rules.topics}, reader_predict(reader))


@pytest.fixture(scope="module")
def topic_reports(real_embedder, gaz, rules):
    """Every slice's topic scores, matched once for the five floors."""
    items = stance_cases("topic")
    return score_topic_items(items, match_topic_items(items, rules, real_embedder, gaz), [t.id for t in rules.topics])


@pytest.mark.parametrize("slice_name", ["tune", "measure", "fresh", "fresh2", "fresh3"])
def test_stance_floor(slice_name, stance_reports):
    assert stance_reports[slice_name].overall.macro_f1 >= STANCE_FLOORS[slice_name]


def test_the_harness_reads_a_case_whole(reader, rules):
    """A long case is read to its end (the harness once passed cases as an item's title, which is cut at 500
    characters, and lost the stances of long texts)."""
    taiwan = {t.id: t for t in rules.topics}["taiwan-drills"]
    filler = "Ships and aircraft moved through the strait during the day, officials said. " * 8
    got = reader_predict(reader)(filler + "Japan condemned China's drills around Taiwan as dangerous.", taiwan)
    assert len(filler) > 500 and got.get("JPN") == "opposed", got


def test_article_stances_stay_on_their_topic(reader, rules):
    """Two-topic articles: few stances are copied from one topic onto the other."""
    reports = evaluate_articles(stance_cases("articles"), {t.id: t for t in rules.topics}, reader_predict(reader))
    assert sum(len(r.copies) for r in reports.values()) <= 21  # 18 today (19 in session 8) with fresh3's articles (14 when the harness cut
    # texts at 500 characters)


@pytest.mark.parametrize("slice_name", ["tune", "measure", "fresh", "fresh2", "fresh3"])
def test_topic_floor(slice_name, topic_reports):
    report = topic_reports[slice_name]
    precision, f1 = TOPIC_FLOORS[slice_name]
    assert report.overall.precision >= precision and report.overall.f1 >= f1


# The bot's own origin story, in our words: two countries warn, two cheer, two condemn "it" as interference, the
# owner of the deployment says it goes on, a leader answers defiantly; a separate passage covers opposition arrests.
ORIGIN_TITLE = "US buildup in the Caribbean divides the region"
ORIGIN = (
    "The arrival of American warships and F-35 jets off Venezuela has split governments across the hemisphere. Colombia "
    "and Brazil warned that the deployment risked destabilising South America, while Trinidad and Tobago and Guyana cheered "
    "the move as a blow to the drug cartels. Cuba and Russia condemned it as interference in Venezuela's internal affairs. "
    "Washington said the operation would go on for as long as it took, and Nicolás Maduro answered defiantly that "
    "Venezuelans would never bow to the empire's threats. In a separate development, Venezuelan intelligence agents "
    "detained two aides of opposition leader María Corina Machado on Tuesday; Argentina and Panama demanded their "
    "immediate release.")
ORIGIN_STANCES = {"COL": "opposed", "BRA": "opposed", "TTO": "supportive", "GUY": "supportive", "CUB": "opposed",
                  "RUS": "opposed", "USA": "supportive", "VEN": "opposed"}


def test_the_origin_story_is_read_right_and_not_copied(real_embedder, gaz, reader):
    """All eight stances on the deployment; none of the eight on the arrests topic it also covers, or on deportations."""
    rules = load_rules(ROOT / "rules", gaz.codes)
    item = make_item(feed="wire", title=ORIGIN_TITLE, summary=ORIGIN, published=datetime(2025, 10, 1, tzinfo=UTC))
    [reading] = match_and_read([item], real_embedder.encode([item.body]), build_profiles(rules.topics, real_embedder, gaz), gaz, reader)
    matched = {m.topic_id for m in reading.matches if m.matched}
    assert {"us-caribbean-naval", "venezuela-opposition-arrests"} <= matched
    got = {t: {s.country: str(s.label) for s in stances} for t, stances in reading.stances.items()}
    assert got["us-caribbean-naval"] == ORIGIN_STANCES
    for other, stances in got.items():
        if other != "us-caribbean-naval":
            assert not set(stances) & set(ORIGIN_STANCES), (other, stances)
    assert got["venezuela-opposition-arrests"] == {"ARG": "opposed", "PAN": "opposed"}


@pytest.mark.parametrize("path", sorted((REAL / "timelines").glob("*.yaml")), ids=lambda p: p.stem)
def test_a_real_style_timeline_settles_the_right_board(path, real_embedder, gaz, reader, rules):
    """Against its labels replayed through the same tracker: no alert they do not give, no flapping, the same board."""
    timeline = load_timeline(path)
    assert len(timeline["items"]) >= 80 and len({i["feed"] for i in timeline["items"]}) >= 10
    judged = judge_timeline(timeline, rules, embedder=real_embedder, reader=reader, gaz=gaz)
    assert judged.oracle.alerts, "the labels settle something"
    assert judged.wrong_alerts == [] and judged.flaps == []
    assert judged.board_wrong == {}
    # P 0.883 R 0.907 today, judged with the watchlist it was labelled for (the timeline's `watchlists`)
    assert judged.topics.precision >= 0.86 and judged.topics.recall >= 0.88


def test_the_shipped_watchlists_read_the_caribbean_timeline(real_embedder, gaz, reader):
    """The watchlists we ship (rules/), with their `exclude:` stories from the same places, on the Caribbean timeline:
    no wrong alert, no flapping (without the excludes a story about something else gave one), precision 0.94."""
    rules = load_rules(ROOT / "rules", gaz.codes)
    timeline = load_timeline(REAL / "timelines" / "caribbean_buildup.yaml")
    timeline.pop("watchlists", None)  # (its labels use the shipped topics' ids)
    judged = judge_timeline(timeline, rules, embedder=real_embedder, reader=reader, gaz=gaz)
    assert judged.wrong_alerts == [] and judged.flaps == []
    assert judged.topics.precision >= 0.92 and judged.topics.recall >= 0.83

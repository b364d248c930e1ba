"""Corrections applied: relabelled or dropped evidence, stories taken off a topic, positions recomputed, exported cases."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from conftest import NOW, write_rules
from doubles import HashingEmbedder

from bot.backtest import run_backtest
from bot.deliver.review import NOT_TOPIC, WRONG_STANCE
from bot.ingest.items import make_item
from bot.labelled import labelled_cases, write_cases
from bot.labels import Label
from bot.pipeline import process_pending
from bot.read.gazetteer import default_gazetteer
from bot.read.match import build_profiles
from bot.rules import load_rules
from bot.store import Store
from bot.track.corrections import Correction
from bot.track.evidence import StanceRecord
from bot.track.positions import update_positions
from bot.track.review import Analyst, ReviewError, apply_pending, apply_request, corrections_for_press
from quality.stances import score_cases
from quality.topics import evaluate_topics

TOPIC = "naval"
WATCHLIST = """\
channel: "#desk"
topics:
  - id: naval
    name: US naval activity in the Caribbean
    description: US warships and strikes on drug boats in the Caribbean.
    examples: [US destroyer strikes drug boat in the Caribbean, Warships sail toward Venezuela]
    stance: {target: the US naval deployment}
    threshold: 0.3
    alerts: {stories: true}
"""
ANA = Analyst("U0ANA", "ana")
ON_TOPIC = "US destroyer strikes another drug boat in the Caribbean"
OFF_TOPIC = "US warships join Caribbean boat festival parade for tourists"
LIKE_OFF_TOPIC = "US warships join Caribbean boat festival parade for more tourists"


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


@pytest.fixture
def desk(tmp_path, gaz):
    rules = load_rules(write_rules(tmp_path / "rules", WATCHLIST), gaz.names)
    store = Store(":memory:")
    yield store, rules
    store.close()


def item(n: int, title: str, *, feed="Wire", hours=0):
    return make_item(feed=feed, identity=f"{feed}-{n}", title=title, link=f"https://{feed.lower()}.example/{n}",
                     published=NOW - timedelta(hours=10 - hours))


def process(store, rules, gaz, items):
    store.add_items(items, now=NOW)
    embedder = HashingEmbedder()
    return process_pending(store, embedder, build_profiles(rules.topics, embedder, gaz), rules, gaz, now=NOW,
                           default_channel="#desk")


def settle(store, rules, gaz, country, label, n, *, start=0):
    """`n` stories from `n` outlets in which `country` takes `label`; positions updated."""
    items = [item(start + k, f"Report {start + k} from the Caribbean", feed=f"Outlet{start + k}", hours=start + k) for k in range(n)]
    store.add_items(items, now=NOW)
    records = [StanceRecord(i.id, TOPIC, country, label, 0.8 if label == Label.SUPPORTIVE else -0.8, "quote", i.feed,
                            store.cluster_of(i.id), i.published) for i in items]
    positions, messages, shifts = update_positions(store, records, {TOPIC: rules.topic(TOPIC)}, gaz=gaz,
                                                   channel_of=lambda t: "#desk", now=NOW)
    store.record_processed([i.id for i in items], [], messages, now=NOW, stances=records, positions=positions, changes=shifts)
    return items, messages


def test_not_this_topic_stops_similar_stories_matching_and_leaves_the_topic_own(desk, gaz):
    """A story taken off the topic leaves its stories; a near copy no longer matches; a plain topic story still does."""
    store, rules = desk
    process(store, rules, gaz, [item(1, OFF_TOPIC)])
    story = next(m for m in store.outbox() if m.kind == "match")
    corrections = corrections_for_press(store, story, action=NOT_TOPIC, value="not_topic", request="U0ANA:1", analyst=ANA,
                                        rules=rules, now=NOW)
    store.record_corrections(corrections, now=NOW)
    apply_request(store, "U0ANA:1", rules, gaz, now=NOW)
    assert store.topic_counts(TOPIC) == (0, 0)
    process(store, rules, gaz, [item(2, LIKE_OFF_TOPIC, feed="Paper", hours=1), item(3, ON_TOPIC, feed="Daily", hours=2)])
    matched = {r.item_id: r for r in store.matches(topic_id=TOPIC, matched_only=False)}
    assert not matched[item(2, LIKE_OFF_TOPIC, feed="Paper", hours=1).id].matched
    assert matched[item(2, LIKE_OFF_TOPIC, feed="Paper", hours=1).id].reason.startswith("counter-example")
    assert matched[item(3, ON_TOPIC, feed="Daily", hours=2).id].matched
    assert [m.kind for m in store.outbox()].count("match") == 2  # the off-topic story's own, and the on-topic one


def test_a_story_level_correction_relabels_that_story_only(desk, gaz):
    """'Wrong stance' on a story message changes that story's stance of that country, nothing else."""
    store, rules = desk
    items, _ = settle(store, rules, gaz, "BRA", Label.OPPOSED, 3)
    story = store.message("match:naval:x") or _story_row(store, items[0])
    corrections = corrections_for_press(store, story, action=WRONG_STANCE, value="BRA|none", request="U0ANA:2", analyst=ANA,
                                        rules=rules, now=NOW)
    store.record_corrections(corrections, now=NOW)
    assert [(s.item_id, s.label) for s in store.stances(topic_id=TOPIC)] == [(i.id, "opposed") for i in items[1:]]
    assert len(store.stances(topic_id=TOPIC, judged=False)) == 3  # the bot's own reading is kept
    (outcome,) = apply_request(store, "U0ANA:2", rules, gaz, now=NOW)
    assert (outcome.before, outcome.after) == ("opposed", "opposed")  # two stories from two outlets still settle it


def _story_row(store, first):
    from bot.deliver.outbox import OutboxRow

    row = OutboxRow("match:naval:x", "match", TOPIC, "#desk", "story", [], "sent", ts="1.1",
                    payload={"kind": "story", "topic": TOPIC, "item": first.id, "stances": {"BRA": "opposed"}})
    store.enqueue(row, now=NOW)
    return row


def test_an_alert_correction_moves_the_position_once_and_survives_a_restart(tmp_path, desk, gaz):
    """Corrections applied by the next cycle (the handler was busy) move the stance once; a second apply does nothing."""
    _, rules = desk
    with Store(tmp_path / "bot.db") as store:
        _, messages = settle(store, rules, gaz, "BRA", Label.OPPOSED, 3)
        alert = store.message(next(m.id for m in messages if m.kind == "shift"))
        store.mark_message(alert.id, status="sent", now=NOW, ts="1700000000.000001")
        store.record_corrections(corrections_for_press(store, alert, action=WRONG_STANCE, value="BRA|supportive",
                                                       request="U0ANA:3", analyst=ANA, rules=rules, now=NOW), now=NOW)
    with Store(tmp_path / "bot.db") as store:  # a restart: the correction waits, recorded
        (outcome,) = apply_pending(store, rules, gaz, now=NOW + timedelta(minutes=1))
        assert (outcome.before, outcome.after, outcome.stories) == ("opposed", "supportive", 3)
        assert apply_pending(store, rules, gaz, now=NOW + timedelta(minutes=2)) == []
        replies = [m for m in store.outbox() if m.kind == "correction"]
        assert [(r.parent_id, r.channel) for r in replies] == [(alert.id, "#desk")]
        assert store.position(TOPIC, "BRA").state == "supportive"
        assert [(c.before, c.after) for c in store.position_changes(topic_id=TOPIC)][-1] == ("opposed", "supportive")


def test_a_press_on_an_alert_with_nothing_left_to_correct_is_refused(desk, gaz):
    """When no story is read as the alert's stance any more, the analyst is told so."""
    store, rules = desk
    _, messages = settle(store, rules, gaz, "BRA", Label.OPPOSED, 3)
    alert = next(m for m in messages if m.kind == "shift")
    store.record_corrections(corrections_for_press(store, alert, action=WRONG_STANCE, value="BRA|neutral", request="a",
                                                   analyst=ANA, rules=rules, now=NOW), now=NOW)
    with pytest.raises(ReviewError, match="no story of the last 30 days is read as opposed"):
        corrections_for_press(store, alert, action=WRONG_STANCE, value="BRA|supportive", request="b", analyst=ANA, rules=rules,
                              now=NOW)


def test_exported_corrections_are_labelled_cases_the_quality_scorers_read(tmp_path, desk, gaz):
    """The export writes stance cases and topic items, each scored only on what it judged."""
    store, rules = desk
    items, _ = settle(store, rules, gaz, "BRA", Label.OPPOSED, 2)
    store.record_corrections([Correction(0, "r1", "stance", TOPIC, "BRA", items[0].id, "supportive", "opposed", "U0ANA", "ana", NOW),
                              Correction(0, "r1", "stance", TOPIC, "COL", items[0].id, "none", "opposed", "U0ANA", "ana", NOW),
                              Correction(0, "r2", "topic", TOPIC, "", items[1].id, "", "", "U0BEN", "ben", NOW)], now=NOW)
    out = io.StringIO()
    assert write_cases(labelled_cases(store, store.corrections()), out) == 2
    stance, topic = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {k: stance[k] for k in ("set", "topic", "stances", "none", "judged", "read")} == {
        "set": "stance", "topic": TOPIC, "stances": {"BRA": "supportive"}, "none": ["COL"], "judged": ["BRA", "COL"],
        "read": {"BRA": "opposed", "COL": "opposed"}}
    assert stance["text"] == items[0].body and stance["corrected_by"] == ["ana"]
    assert {k: topic[k] for k in ("set", "topics", "not_topics", "judged", "kind")} == {
        "set": "topic", "topics": [], "not_topics": [TOPIC], "judged": [TOPIC], "kind": "negative"}
    # A reader that finds USA too is scored on Brazil and Colombia only.
    scored = score_cases([stance], lambda case: {"BRA": "supportive", "USA": "opposed"})
    assert (scored.per_class["supportive"].tp, scored.per_class["opposed"].fp, scored.none_given) == (1, 0, 0)
    (tmp_path / "topics.jsonl").write_text(json.dumps(topic) + "\n", encoding="utf-8")
    result = evaluate_topics(tmp_path / "rules", tmp_path / "topics.jsonl", HashingEmbedder(), gaz, threshold=0.0)
    assert (result.overall.tp, result.overall.fn) == (0, 0) and result.overall.fp <= 1


def test_backtest_honours_the_databases_corrections(desk, gaz):
    """A replay with the analysts' corrections leaves out the story taken off the topic and the stories like it."""
    store, rules = desk
    items = [item(1, OFF_TOPIC), item(2, LIKE_OFF_TOPIC, feed="Paper", hours=1), item(3, ON_TOPIC, feed="Daily", hours=2)]
    embedder = HashingEmbedder()
    plain = run_backtest(items, rules, embedder=embedder, reader=None, gaz=gaz)
    corrected = run_backtest(items, rules, embedder=embedder, reader=None, gaz=gaz, corrections=[
        Correction(1, "r", "topic", TOPIC, "", items[0].id, "", "", "U0ANA", "ana", NOW)])
    assert (plain.matched, corrected.matched) == (3, 1)

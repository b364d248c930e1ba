"""Delivering the outbox to a local Slack API server with the real WebClient."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

import pytest
from conftest import NOW
from slack_server import FakeSlack

from bot.deliver.dispatch import deliver_due
from bot.deliver.outbox import OutboxRow
from bot.deliver.slack import SlackNotifier, make_slack_client
from bot.deliver.terminal import TerminalNotifier

TOKEN = "xoxb-test-token-0001"


def queue(store, n=1, channel="#desk"):
    for i in range(n):
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": f"hi {i}"}}]
        store.enqueue(OutboxRow(f"m{i}", "match", "t", channel, f"fallback {i}", blocks, "pending"), now=NOW)


@pytest.fixture
def slack(httpserver):
    fake = FakeSlack()
    url = fake.install(httpserver)
    return fake, SlackNotifier(make_slack_client(TOKEN, url))


def test_sent_with_blocks_text_and_metadata(fresh_store, slack):
    """A message goes out once with blocks, fallback text and its id in metadata, and is marked sent with Slack's ts."""
    fake, notifier = slack
    queue(fresh_store)
    assert deliver_due(fresh_store, notifier, now=NOW)["sent"] == 1
    (call,) = fake.calls
    assert call["auth"] == f"Bearer {TOKEN}" and call["channel"] == "#desk" and call["text"] == "fallback 0"
    assert call["blocks"][0]["text"]["text"] == "hi 0" and call["metadata"]["event_payload"]["id"] == "m0"
    (row,) = fresh_store.outbox()
    assert (row.status, row.ts) == ("sent", "1700000000.000001")
    assert deliver_due(fresh_store, notifier, now=NOW + timedelta(hours=1))["sent"] == 0 and len(fake.calls) == 1


def test_rate_limit_is_retried_by_the_client(fresh_store, slack):
    """A 429 with Retry-After is retried by the client's handler and then succeeds."""
    fake, notifier = slack
    fake.errors.append((429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"}))
    queue(fresh_store)
    assert deliver_due(fresh_store, notifier, now=NOW)["sent"] == 1 and len(fake.calls) == 2


def test_channel_error_kept_as_failed(fresh_store, slack, caplog):
    """channel_not_found fails that message (kept in the outbox, logged with the channel) and others still go."""
    fake, notifier = slack
    fake.errors.append((200, {"ok": False, "error": "channel_not_found"}, {}))
    queue(fresh_store, 2)
    with caplog.at_level(logging.ERROR):
        counts = deliver_due(fresh_store, notifier, now=NOW)
    assert counts["failed"] == 1 and counts["sent"] == 1
    assert [r.status for r in fresh_store.outbox()] == ["failed", "sent"]
    assert "#desk" in caplog.text and "channel_not_found" in caplog.text


def test_bad_token_holds_everything(fresh_store, slack, caplog):
    """invalid_auth holds all messages without burning them, and they go once the token works."""
    fake, notifier = slack
    fake.errors.append((200, {"ok": False, "error": "invalid_auth"}, {}))
    queue(fresh_store, 3)
    with caplog.at_level(logging.ERROR):
        assert deliver_due(fresh_store, notifier, now=NOW)["held"] == 3
    assert len(fake.calls) == 1 and all(r.status == "pending" for r in fresh_store.outbox())
    assert TOKEN not in caplog.text
    assert deliver_due(fresh_store, notifier, now=NOW + timedelta(hours=2))["sent"] == 3
    assert len(fake.calls) == 4


def test_server_error_retried_later(fresh_store, slack):
    """A 500 leaves the message pending with a later retry time."""
    fake, notifier = slack
    fake.errors.append((500, {"ok": False, "error": "fatal_error"}, {}))
    queue(fresh_store)
    assert deliver_due(fresh_store, notifier, now=NOW, rng=random.Random(0))["retry"] == 1
    assert fresh_store.due_messages(now=NOW) == []
    assert deliver_due(fresh_store, notifier, now=NOW + timedelta(minutes=5))["sent"] == 1


def test_terminal_notifier_prints_and_marks_printed(fresh_store):
    """Without a token, messages are printed and marked printed (not sent)."""
    from rich.console import Console

    console = Console(record=True, width=120)
    queue(fresh_store)
    deliver_due(fresh_store, TerminalNotifier(console), now=NOW)
    assert "hi 0" in console.export_text() and fresh_store.outbox()[0].status == "printed"


def test_terminal_shows_where_the_chart_is():
    """A digest's chart prints as its alt text and the file it was written to (not swallowed as rich markup)."""
    from rich.console import Console

    console = Console(record=True, width=200)
    image = {"type": "image", "image_url": "/tmp/stancebot-charts/c.png", "alt_text": "Chart. latam: settled stances"}
    TerminalNotifier(console).send(OutboxRow("d", "digest", None, "#d", "digest", [image], "pending"))
    assert "[chart: Chart. latam: settled stances → /tmp/stancebot-charts/c.png]" in console.export_text()


def test_followup_waits_for_parent_and_goes_into_its_thread(fresh_store, slack):
    """A thread reply is held while its alert is still undelivered, then posted with the alert's thread_ts."""
    fake, notifier = slack
    fake.errors.append((500, {"ok": False, "error": "fatal_error"}, {}))
    fresh_store.enqueue(OutboxRow("alert", "shift", "t", "#desk", "shift", [], "pending"), now=NOW)
    fresh_store.enqueue(OutboxRow("reply", "followup", "t", "#desk", "more", [], "pending", parent_id="alert"), now=NOW)
    assert deliver_due(fresh_store, notifier, now=NOW, rng=random.Random(0))["sent"] == 0
    assert [c["text"] for c in fake.calls] == ["shift"]
    deliver_due(fresh_store, notifier, now=NOW + timedelta(hours=1))
    deliver_due(fresh_store, notifier, now=NOW + timedelta(hours=2))
    assert [c["text"] for c in fake.calls] == ["shift", "shift", "more"]
    assert fake.calls[2]["thread_ts"] == fake.calls[1]["ts"]


def test_an_answer_lost_after_slack_posted_is_not_posted_again(fresh_store, httpserver):
    """Slack posts the message but the answer never arrives: the next run finds it in the channel instead of posting twice."""
    import threading

    fake, release = FakeSlack(), threading.Event()
    fake.on_post = lambda call: release.wait(10)  # Slack has the message; its answer is late
    notifier = SlackNotifier(make_slack_client(TOKEN, fake.install(httpserver), timeout_s=0.5))
    queue(fresh_store)
    first = deliver_due(fresh_store, notifier, now=NOW)
    release.set()
    fake.answered.wait(10)
    second = deliver_due(fresh_store, notifier, now=NOW + timedelta(minutes=5))
    (row,) = fresh_store.outbox()
    assert (first["retry"], second["recovered"], len(fake.calls)) == (1, 1, 1)
    assert (row.status, row.ts) == ("sent", fake.calls[0]["ts"])


def test_a_long_rate_limit_waits_in_the_outbox_and_the_run_goes_on(fresh_store, httpserver):
    """Retry-After: 3600 is not slept through: the message waits an hour in the outbox and delivery pauses."""
    from bot.deliver.dispatch import Hold

    waits: list[float] = []
    hold = Hold()  # the running process's
    fake = FakeSlack(errors=[(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "3600"})])
    notifier = SlackNotifier(make_slack_client(TOKEN, fake.install(httpserver), sleep=waits.append))
    queue(fresh_store, 2)
    counts = deliver_due(fresh_store, notifier, now=NOW, hold=hold)
    assert waits == [] and counts["held"] == 2 and len(fake.calls) == 1
    assert deliver_due(fresh_store, notifier, now=NOW + timedelta(minutes=59), hold=hold)["held"] == 2 and len(fake.calls) == 1
    assert deliver_due(fresh_store, notifier, now=NOW + timedelta(hours=1, seconds=1), hold=hold)["sent"] == 2


def test_a_short_rate_limit_is_retried_once_in_the_call(fresh_store, httpserver):
    """Retry-After: 2 is waited out once by the client, through the sleep it was given."""
    waits: list[float] = []
    fake = FakeSlack(errors=[(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "2"})])
    notifier = SlackNotifier(make_slack_client(TOKEN, fake.install(httpserver), sleep=waits.append))
    queue(fresh_store)
    assert deliver_due(fresh_store, notifier, now=NOW)["sent"] == 1 and waits == [2.0] and len(fake.calls) == 2


def test_delivery_stops_at_its_time_budget(fresh_store, slack):
    """A slow Slack cannot hold a run: after the budget, what is left waits for the next run."""
    fake, notifier = slack
    queue(fresh_store, 10)
    ticks = iter(range(0, 10_000, 31))  # every look at the clock finds 31 s more gone
    counts = deliver_due(fresh_store, notifier, now=NOW, budget_s=120, clock=lambda: next(ticks))
    assert (counts["sent"], counts["deferred"]) == (3, 7) and len(fake.calls) == 3  # at 31, 62 and 93 s; not at 124
    assert len(fresh_store.due_messages(now=NOW)) == 7


def test_held_messages_go_out_oldest_first_once_the_token_works(fresh_store, httpserver):
    """Messages tried while the token was bad keep no backoff of their own: a fixed token sends them all, in order."""
    from bot.deliver.dispatch import Hold

    fake = FakeSlack(errors=[(200, {"ok": False, "error": "invalid_auth"}, {})] * 100)
    notifier = SlackNotifier(make_slack_client(TOKEN, fake.install(httpserver)))
    hold = Hold()
    for minute in range(0, 60, 2):  # a bad token for an hour, ticks every two minutes, a message every ten
        if minute % 10 == 0:
            fresh_store.enqueue(OutboxRow(f"m{minute:02}", "shift", "t", "#desk", f"m{minute}", [], "pending"),
                                now=NOW + timedelta(minutes=minute))
        deliver_due(fresh_store, notifier, now=NOW + timedelta(minutes=minute), hold=hold)
    assert len(fake.calls) < 15 and all(r.status == "pending" for r in fresh_store.outbox())  # no hammering either
    fake.errors.clear()
    fixed = Hold()  # the operator restarts with a working token
    counts = deliver_due(fresh_store, notifier, now=NOW + timedelta(minutes=61), hold=fixed)
    assert counts["sent"] == 6
    assert [c["text"] for c in fake.calls[-6:]] == ["m0", "m10", "m20", "m30", "m40", "m50"]


def test_a_retry_time_far_ahead_after_the_clock_stepped_back_is_due(fresh_store, slack):
    """A retry scheduled while the clock ran a day ahead is further out than delivery ever waits: it is due now."""
    fake, notifier = slack
    queue(fresh_store)
    fresh_store.mark_message("m0", status="pending", now=NOW, error="boom", retry_at=NOW + timedelta(days=1, minutes=1))
    assert deliver_due(fresh_store, notifier, now=NOW)["sent"] == 1 and len(fake.calls) == 1

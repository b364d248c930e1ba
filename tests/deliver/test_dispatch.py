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
        assert deliver_due(fresh_store, notifier, now=NOW)["held"] == 1
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

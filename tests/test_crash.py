"""Exactly-once delivery across a process killed between posting to Slack and recording it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from conftest import NOW, ROOT, write_rules
from slack_server import FakeSlack
from test_rules import GOOD

from bot.deliver.outbox import OutboxRow
from bot.store import Store

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "Colombia: neutral → opposed"}}]


def run_once(rules, db, api, **popen):
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-crash-test", "SLACK_API_URL": api, "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen([sys.executable, "-m", "bot", "run", "--once", "--rules", str(rules), "--db", str(db)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def queued_store(tmp_path):
    db = tmp_path / "bot.db"
    with Store(db) as store:
        store.enqueue(OutboxRow("shift:t:COL:1", "shift", "caribbean", "#latam-desk", "Colombia: neutral → opposed", BLOCKS, "pending"), now=NOW)
    return db


def test_killed_after_send_is_not_sent_twice(tmp_path, httpserver):
    """A process SIGKILLed after Slack accepted a message leaves it 'sending'; the restart finds it in history and does not resend."""
    rules, db = write_rules(tmp_path / "rules", GOOD), queued_store(tmp_path)
    fake = FakeSlack()
    api = fake.install(httpserver)
    proc = run_once(rules, db, api)
    fake.on_post = lambda call: os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    with Store(db) as store:
        assert store.message("shift:t:COL:1").status == "sending"
    fake.on_post = None
    again = run_once(rules, db, api)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert len([c for c in fake.calls if c.get("channel") == "#latam-desk"]) == 1
    with Store(db) as store:
        row = store.message("shift:t:COL:1")
    assert (row.status, row.ts) == ("sent", fake.calls[0]["ts"])
    assert "xoxb-crash-test" not in out + err


def test_lost_before_send_is_sent_once_after_restart(tmp_path, httpserver):
    """A message marked 'sending' that never reached Slack is sent once after the restart."""
    rules, db = write_rules(tmp_path / "rules", GOOD), queued_store(tmp_path)
    with Store(db) as store:
        store.mark_message("shift:t:COL:1", status="sending", now=NOW)
    fake = FakeSlack()
    api = fake.install(httpserver)
    proc = run_once(rules, db, api)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert len(fake.calls) == 1 and fake.calls[0]["metadata"]["event_payload"]["id"] == "shift:t:COL:1"
    with Store(db) as store:
        assert store.message("shift:t:COL:1").status == "sent"

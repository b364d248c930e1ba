"""What the operator sees: exit codes for cron, the healthcheck, the outbox commands, broken databases, overlapping runs."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from click.testing import CliRunner
from conftest import NOW, ROOT, rss, story, write_rules
from slack_server import FakeSlack
from test_rules import GOOD

from bot.admin import LAST_TICK_KEY
from bot.cli import cli
from bot.deliver.outbox import OutboxRow
from bot.store import MIGRATIONS, Store, StoreError
from bot.store.lock import Busy, exclusive

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "Colombia: neutral → opposed"}}]


def env_for(api: str, **extra: str) -> dict:
    return {**os.environ, "SLACK_BOT_TOKEN": "xoxb-ops-test", "SLACK_API_URL": api, "HF_HUB_OFFLINE": "1", **extra}


def run_once(rules, db, api, **popen):
    return subprocess.Popen([sys.executable, "-m", "bot", "run", "--once", "--rules", str(rules), "--db", str(db)],
                            cwd=ROOT, env=env_for(api), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def invoke(*args, env=None):
    return CliRunner().invoke(cli, list(map(str, args)), env=env, catch_exceptions=False)


def test_run_once_exits_1_when_the_cycle_had_failures(tmp_path, httpserver):
    """cron sees a failing feed and a refused message as a non-zero exit, with one line each."""
    httpserver.expect_request("/dead.xml").respond_with_data("gone", status=500)
    fake = FakeSlack(errors=[(200, {"ok": False, "error": "channel_not_found"}, {})])
    api = fake.install(httpserver)
    feeds = f"feeds:\n  - name: Dead\n    url: {httpserver.url_for('/dead.xml')}\n    allow_private: true\n"
    rules, db = write_rules(tmp_path / "rules", GOOD, feeds), tmp_path / "bot.db"
    with Store(db) as store:
        store.enqueue(OutboxRow("shift:t:COL:1", "shift", "caribbean", "#nowhere", "x", BLOCKS, "pending"), now=NOW)
    proc = run_once(rules, db, api)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert "problem: feed Dead: HTTP 500" in err and "problem: 1 Slack messages were refused" in err


def test_an_overlapping_run_does_nothing_and_nothing_is_posted_twice(tmp_path, httpserver):
    """A cron run started while another is still delivering leaves the database to it: one post, a clear message."""
    fake, posting, release = FakeSlack(), threading.Event(), threading.Event()

    def slow_post(call):
        posting.set()
        release.wait(60)

    fake.on_post = slow_post
    api = fake.install(httpserver)
    rules, db = write_rules(tmp_path / "rules", GOOD), tmp_path / "bot.db"
    with Store(db) as store:
        store.enqueue(OutboxRow("shift:t:COL:1", "shift", "caribbean", "#latam-desk", "x", BLOCKS, "pending"), now=NOW)
    first = run_once(rules, db, api)
    assert posting.wait(60), "the first run reached Slack"
    second = run_once(rules, db, api)
    _, err2 = second.communicate(timeout=120)
    release.set()
    _, err1 = first.communicate(timeout=120)
    assert (first.returncode, second.returncode) == (0, 0), err1 + err2
    assert "nothing done: another stancebot process (pid" in err2
    assert len(fake.calls) == 1
    with Store(db) as store:
        assert store.message("shift:t:COL:1").status == "sent"


def test_the_lock_is_released_when_its_holder_dies(tmp_path):
    """A SIGKILLed holder leaves no stale lock: the next process takes it at once."""
    db = tmp_path / "bot.db"
    code = (f"from bot.store.lock import exclusive; from datetime import datetime, timezone; import os, signal\n"
            f"with exclusive({str(db)!r}, what='t', now=datetime.now(timezone.utc)): os.kill(os.getpid(), signal.SIGKILL)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == -9
    with exclusive(db, what="after", now=NOW):
        with pytest.raises(Busy, match="after since"), exclusive(db, what="second", now=NOW):
            pass


def test_health_says_whether_a_cycle_completed_recently(tmp_path):
    """The healthcheck is 0 after a recent cycle, 1 when the last one is old, there was none, or there is no database."""
    db = tmp_path / "bot.db"
    assert invoke("health", "--db", db).exit_code == 1  # and no empty database was made
    assert not db.exists()
    with Store(db) as store:
        store.set_state("created", "1", now=NOW)
    result = invoke("health", "--db", db)
    assert result.exit_code == 1 and "no cycle has completed yet" in result.output
    from bot.app import utcnow

    with Store(db) as store:
        store.set_state(LAST_TICK_KEY, (utcnow() - timedelta(seconds=30)).isoformat(), now=NOW)
    assert invoke("health", "--db", db).exit_code == 0
    with Store(db) as store:
        store.set_state(LAST_TICK_KEY, (utcnow() - timedelta(hours=2)).isoformat(), now=NOW)
    assert invoke("health", "--db", db).exit_code == 1


@pytest.mark.parametrize("command", [["feeds"], ["outbox"]])
def test_a_wrong_db_path_is_an_error_not_a_new_database(tmp_path, command):
    """feeds/outbox on a missing file say so (naming STANCEBOT_DB) and create nothing."""
    write_rules(tmp_path / "rules", GOOD)
    missing = tmp_path / "typo.db"
    args = [*command, "--db", missing] + (["--rules", tmp_path / "rules"] if command[0] == "feeds" else [])
    result = invoke(*args)
    assert result.exit_code == 2 and "STANCEBOT_DB: no database here" in result.output
    assert not missing.exists()


def queued(db, *rows):
    with Store(db) as store:
        for row in rows:
            store.enqueue(row, now=NOW)
            if row.status != "pending":
                store.mark_message(row.id, status=row.status, now=NOW, ts="1.0" if row.status == "sent" else None, error="x")


def test_outbox_retry_refuses_a_sent_message_without_force(tmp_path):
    """Re-queuing a message already in Slack would post it twice: refused, unless --force."""
    db = tmp_path / "bot.db"
    queued(db, OutboxRow("m1", "shift", "caribbean", "#latam-desk", "x", BLOCKS, "sent"))
    result = invoke("outbox", "--db", db, "--retry", "m1")
    assert result.exit_code == 2 and "already sent" in result.output and "--force" in result.output
    with Store(db) as store:
        assert store.message("m1").status == "sent"
    assert invoke("outbox", "--db", db, "--retry", "m1", "--force").exit_code == 0
    with Store(db) as store:
        assert store.message("m1").status == "pending"


def test_outbox_retry_goes_to_the_channel_the_rules_give_now(tmp_path):
    """After the operator fixed a topic's channel in YAML, --all-failed re-queues every failed message to it."""
    db = tmp_path / "bot.db"
    rules = write_rules(tmp_path / "rules", GOOD.replace("topics:", 'channel: "#fixed-desk"\ntopics:'))
    queued(db, OutboxRow("m1", "shift", "caribbean", "#typo-desk", "x", BLOCKS, "failed"),
           OutboxRow("m2", "shift", "caribbean", "#typo-desk", "y", BLOCKS, "failed"))
    result = invoke("outbox", "--db", db, "--rules", rules, "--all-failed")
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert [(m.status, m.channel) for m in store.outbox()] == [("pending", "#fixed-desk")] * 2
    assert "(it was queued for #typo-desk)" in result.output


def broken_databases(tmp_path):
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not sqlite" * 100)
    future = tmp_path / "future.db"
    with Store(future) as store:
        store.db.execute(f"PRAGMA user_version={len(MIGRATIONS) + 3}")
    return {"corrupt": (corrupt, "is not a usable SQLite database"), "future": (future, "written by a newer stancebot")}


@pytest.mark.parametrize("kind", ["corrupt", "future"])
def test_an_unusable_database_is_one_line_naming_stancebot_db(tmp_path, kind):
    """A corrupt file or one from a newer version stops a command with exit 2 and one line, no traceback."""
    db, message = broken_databases(tmp_path)[kind]
    write_rules(tmp_path / "rules", GOOD)
    for args in (["outbox", "--db", db], ["run", "--once", "--rules", tmp_path / "rules", "--db", db]):
        result = invoke(*args, env={"SLACK_BOT_TOKEN": ""})
        assert result.exit_code == 2 and "STANCEBOT_DB" in result.output and message in result.output, result.output
        assert "Traceback" not in result.output


def test_a_full_disk_is_reported_not_raised(tmp_path):
    """A write that hits a full disk raises StoreError naming STANCEBOT_DB (the CLI prints it and exits 2)."""
    with Store(tmp_path / "bot.db") as store:
        store.db.execute("PRAGMA max_page_count = 1")  # the database cannot grow: SQLite reports a full disk
        with pytest.raises(StoreError, match="STANCEBOT_DB: cannot be written: the disk is full"):
            store.enqueue(OutboxRow("m", "shift", "t", "#c", "x" * 10_000, BLOCKS, "pending"), now=NOW)


def test_a_read_only_database_is_reported_not_raised(tmp_path):
    """A database that refuses writes (SQLITE_READONLY) raises StoreError naming STANCEBOT_DB."""
    with Store(tmp_path / "bot.db") as store:
        store.db.execute("PRAGMA query_only = ON")  # the same error SQLite gives for a read-only file
        with pytest.raises(StoreError, match="STANCEBOT_DB: cannot be written"):
            store.set_state("k", "v", now=NOW)


def test_an_immutable_database_file_through_the_cli(tmp_path):
    """A real read-only file (chattr +i, which even root cannot write) gives one line and exit 2."""
    db = tmp_path / "bot.db"
    queued(db, OutboxRow("m", "shift", "caribbean", "#c", "x", BLOCKS, "failed"))
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available on this file system")
    try:
        write_rules(tmp_path / "rules", GOOD)
        result = invoke("outbox", "--db", db, "--retry", "m")
        assert result.exit_code == 2 and "STANCEBOT_DB: cannot be written" in result.output, result.output
    finally:
        subprocess.run(["chattr", "-i", str(db)])


def test_concurrent_inserts_of_the_same_item_keep_one(tmp_path):
    """Two processes storing the same feed's items at once keep each item once, without a UNIQUE error."""
    db = tmp_path / "bot.db"
    Store(db).close()
    body = rss([story(n, f"Story {n}") for n in range(200)])
    code = ("import sys; from datetime import datetime, timezone; from bot.store import Store; from bot.ingest.items import parse_feed\n"
            "now = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)\n"
            f"items = parse_feed(open({str(tmp_path / 'feed.xml')!r}, 'rb').read(), feed='F', now=now).items\n"
            f"with Store({str(db)!r}) as s: print(len(s.add_items(items, now=now)))")
    (tmp_path / "feed.xml").write_bytes(body)
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outs]
    assert sorted(int(o) for o, _ in outs) == [0, 0, 200]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 200

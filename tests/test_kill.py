"""SIGKILL in the middle of a poll cycle and of delivery: no item lost or processed twice, no alert lost or doubled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from conftest import CARIBBEAN_WATCHLIST, ROOT, rss, write_rules
from slack_server import FakeSlack

from bot.store import Store

pytestmark = pytest.mark.model

WATCHLIST = CARIBBEAN_WATCHLIST

A = [("Brazil condemns US strike on boat off Venezuela", "Brazil's foreign ministry condemned the latest US strike on a boat in the Caribbean."),
     ("Guyana welcomes US warships near Venezuela", "Guyana's president welcomed the US naval deployment in the Caribbean.")]
B = [("Brasília denounces US naval strikes in Caribbean", "Brasília denounced the US strikes on boats near Venezuela as illegal."),
     ("Georgetown backs US naval operation off Venezuela", "Georgetown backed the US naval operation in the Caribbean.")]


def feed(host: str, stories):
    # Dated from the wall clock the subprocesses run on: fresh news, which is alerted (a days-old backlog is not).
    now = datetime.now(UTC).replace(microsecond=0)
    return rss([{"title": t, "summary": s, "guid": f"{host}-{n}", "link": f"https://{host}/{n}",
                 "published": now - timedelta(hours=10 - n)} for n, (t, s) in enumerate(stories)])


def start(rules, db, api):
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-kill-test", "SLACK_API_URL": api, "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen([sys.executable, "-m", "bot", "run", "--once", "--rules", str(rules), "--db", str(db)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_sigkill_mid_poll_and_mid_delivery(tmp_path, httpserver):
    """Killed while fetching, then killed at the first Slack post, the third run finishes with every item and alert exactly once."""
    proc = {"p": None, "kill_on": "b"}

    def serve(name, body):
        def handler(request):
            from werkzeug import Response

            if proc["kill_on"] == name and proc["p"] is not None:
                proc["p"].kill()
            return Response(body, content_type="application/rss+xml")
        return handler

    httpserver.expect_request("/a.xml").respond_with_handler(serve("a", feed("a.example", A)))
    httpserver.expect_request("/b.xml").respond_with_handler(serve("b", feed("b.example", B)))
    fake = FakeSlack()
    api = fake.install(httpserver)
    feeds = "".join(f"  - name: {n}\n    url: {httpserver.url_for(f'/{n}.xml')}\n    allow_private: true\n" for n in ("a", "b"))
    rules = write_rules(tmp_path / "rules", WATCHLIST, "feeds:\n" + feeds)
    db = tmp_path / "bot.db"

    proc["p"] = start(rules, db, api)                      # 1: killed while fetching feed b
    proc["p"].communicate(timeout=300)
    assert proc["p"].returncode == -signal.SIGKILL

    proc["kill_on"] = None
    fake.on_post = lambda call: proc["p"].kill()            # 2: killed as Slack receives the first message
    proc["p"] = start(rules, db, api)
    proc["p"].communicate(timeout=300)
    assert proc["p"].returncode == -signal.SIGKILL and len(fake.calls) == 1

    fake.on_post = None                                     # 3: runs to the end
    proc["p"] = start(rules, db, api)
    _, err = proc["p"].communicate(timeout=300)
    assert proc["p"].returncode == 0, err

    with Store(db) as store:
        items = store.db.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM items").fetchone()
        assert items == (4, 4) and store.pending_items() == []
        rows = store.outbox()
        assert rows and all(r.status == "sent" for r in rows)
        assert {r.kind for r in rows} >= {"match", "shift"}
    posted = [c["metadata"]["event_payload"]["id"] for c in fake.calls]
    assert sorted(posted) == sorted(r.id for r in rows)       # each message reached Slack exactly once

"""The editor's view: Datasette with the shipped metadata answers every canned query on a real database."""

from __future__ import annotations

import asyncio
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
import yaml
from click.testing import CliRunner
from conftest import NOW, ROOT
from stocked import BASEBALL, COLOMBIA, FAILED_ID, STRIKE, TOPIC, stock

from bot.cli import cli
from bot.editor import metadata_file, metadata_for
from bot.store import Store
from bot.store.views import VIEWS

pytest.importorskip("datasette")

# Each canned query: its parameters, the columns it must return, and what its rows must show for the stocked store.
QUERIES = {
    "stance_board": ({"topic": ""}, ["mark", "stance", "topic_id", "country", "settled_since", "was", "stories", "outlets",
                                     "latest_quote", "quoted_in", "quote_link"],
                     lambda rows: [(r["country"], r["stance"]) for r in rows] == [("COL", "opposed"), ("VEN", "no settled stance")]),
    "stance_history": ({"topic": TOPIC}, ["at", "topic_id", "country", "was", "became", "alert"],
                       lambda rows: [(r["country"], r["was"], r["became"], r["alert"]) for r in rows]
                       == [("COL", "no settled stance", "opposed", "sent")]),
    "stance_evidence": ({"topic": TOPIC, "country": "COL"}, ["published", "country", "stance", "score", "quote", "feed", "title",
                                                             "link", "story", "item_id"],
                        lambda rows: [(r["title"], r["stance"]) for r in rows] == [(COLOMBIA, "opposed")]),
    "why_item": ({"words": "boats strike", "topic": ""}, ["published", "feed", "title", "topic_id", "verdict", "score", "reason",
                                                          "stances", "flags", "link", "item_id"],
                 lambda rows: [(r["title"], r["verdict"], r["stances"]) for r in rows] == [(STRIKE, "matched", "USA supportive")]),
    "near_misses": ({"topic": TOPIC}, ["score", "reason", "published", "feed", "title", "link", "item_id"],
                    lambda rows: [(r["title"], r["reason"]) for r in rows] == [(BASEBALL, "score 0.210 < threshold 0.48")]),
    "feed_health": ({}, ["name", "status", "failing_since", "failures_in_a_row", "last_error", "last_problem", "last_polled_at",
                         "last_success_at", "next_poll_at", "items_stored", "newest_item", "items_matched", "url"],
                    lambda rows: [(r["name"], r["status"]) for r in rows] == [("Paper", "failing"), ("Wire", "ok")]),
    "failed_messages": ({}, ["status", "kind", "topic_id", "channel", "attempts", "last_error", "created_at", "updated_at",
                             "next_attempt_at", "text", "retry_with", "id"],
                        lambda rows: [(r["id"], r["status"]) for r in rows] == [(FAILED_ID, "failed")]),
}


def fetch_json(path: Path, metadata: dict, urls: list[str]) -> list[dict]:
    """GET each URL from Datasette's in-process client, as the JSON it answers."""
    from datasette.app import Datasette

    async def go() -> list[dict]:
        ds = Datasette([str(path)], metadata=metadata)
        await ds.invoke_startup()
        out = []
        for url in urls:
            response = await ds.client.get(url)
            assert response.status_code == 200, (url, response.text[:500])
            out.append(response.json())
        return out

    return asyncio.run(go())


def query_url(db: str, name: str, params: dict) -> str:
    return f"/{db}/{name}.json?" + urlencode({**params, "_shape": "objects"})


@pytest.fixture
def stocked_db(tmp_path) -> Path:
    path = tmp_path / "newsdesk.db"
    with Store(path) as store:
        stock(store, NOW)
    return path


def test_every_canned_query_answers_with_its_columns_and_rows(stocked_db):
    """Each canned query returns the columns it promises and the rows the stocked database holds."""
    answers = fetch_json(stocked_db, metadata_for(stocked_db), [query_url("newsdesk", n, p) for n, (p, _, _) in QUERIES.items()])
    for (name, (_, columns, check)), answer in zip(QUERIES.items(), answers, strict=True):
        assert answer["ok"] and answer["columns"] == columns, name
        assert check(answer["rows"]), (name, answer["rows"])


def test_why_item_takes_any_words(stocked_db):
    """Words with quotes, hyphens or FTS operators are searched as words, never a syntax error; none means every item."""
    urls = [query_url("newsdesk", "why_item", {"words": words, "topic": TOPIC})
            for words in ('"boats', "us-strikes", "NEAR( AND *", "Bogotá", "")]
    quoted, hyphen, operators, accent, everything = (a["rows"] for a in fetch_json(stocked_db, metadata_for(stocked_db), urls))
    assert [r["title"] for r in quoted] == [STRIKE] == [r["title"] for r in hyphen]  # 'US strikes'
    assert [r["title"] for r in accent] == [COLOMBIA] and operators == []
    assert len(everything) == 3


def test_tables_link_and_search(stocked_db):
    """Datasette follows the links (a stance shows its item's headline) and searches the items' full text."""
    stances, found = fetch_json(stocked_db, metadata_for(stocked_db), [
        "/newsdesk/stances.json?_shape=objects&_labels=on&country=COL", "/newsdesk/items.json?_shape=objects&_search=condemn"])
    assert stances["rows"][0]["item_id"]["label"] == COLOMBIA
    assert [r["title"] for r in found["rows"]] == [COLOMBIA]


def test_shipped_metadata_serves_the_usual_names_alike():
    """The file serves stancebot.db and the demo's stancebot-demo.db with one definition; any other name gets the same."""
    shipped = yaml.safe_load(metadata_file().read_text(encoding="utf-8"))
    assert set(shipped["databases"]) == {"stancebot", "stancebot-demo"}
    assert shipped["databases"]["stancebot"] == shipped["databases"]["stancebot-demo"]
    assert set(shipped["databases"]["stancebot"]["queries"]) == set(QUERIES)
    assert metadata_for(Path("/var/lib/bot/desk.db"))["databases"] == {"desk": shipped["databases"]["stancebot"]}


def test_every_view_and_query_is_described_and_reachable():
    """An editor reads what each view and query answers: each has a description, each query a title; no query shares a
    view's or table's name (Datasette would show the query in its place)."""
    entry = yaml.safe_load(metadata_file().read_text(encoding="utf-8"))["databases"]["stancebot"]
    assert all(entry["tables"][name]["description"] for name in VIEWS)
    assert all(q["title"] and q["description"] for q in entry["queries"].values())
    with Store(":memory:") as store:
        names = set(store.db.table_names()) | set(store.db.view_names())
    assert set(VIEWS) <= names and names.isdisjoint(entry["queries"])


def test_editor_command_without_datasette_is_one_clear_message(stocked_db, monkeypatch):
    """Without Datasette installed the command says how to install it, in one line, exit 2."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "datasette" else real(name, *a))
    result = CliRunner().invoke(cli, ["editor", "--db", str(stocked_db)])
    assert result.exit_code == 2
    assert result.output.strip() == "error: datasette: not installed; install it with: pip install 'stancebot[editor]'"


def test_editor_command_needs_an_existing_database(tmp_path):
    """A wrong --db is one line naming the file, and no database is created."""
    result = CliRunner().invoke(cli, ["editor", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 2 and "no database here" in result.output
    assert not (tmp_path / "missing.db").exists()


def test_editor_command_prints_the_metadata_path():
    """--metadata prints the shipped file's path, for `datasette stancebot.db -m "$(stancebot editor --metadata)"`."""
    result = CliRunner().invoke(cli, ["editor", "--metadata"])
    assert result.exit_code == 0 and Path(result.output.strip()) == metadata_file() and metadata_file().is_file()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_output(process: subprocess.Popen, needle: str, *, timeout_s: float) -> str:
    """Read the process's stderr until it holds `needle` (no sleeping: select on the raw pipe), or fail at the deadline."""
    deadline = time.monotonic() + timeout_s
    seen = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stderr, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0 and selector.select(timeout=left):
            chunk = os.read(process.stderr.fileno(), 65536)
            if not chunk:
                break
            seen += chunk
            if needle.encode() in seen:
                return seen.decode("utf-8", "replace")
    raise AssertionError(f"no {needle!r} within {timeout_s} s; stderr: {seen.decode('utf-8', 'replace')[-2000:]}")


def test_editor_serves_the_queries_over_http_on_localhost(stocked_db):
    """`stancebot editor` serves the database on 127.0.0.1; the stance board's JSON comes back over real HTTP."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bot", "editor", "--db", str(stocked_db), "--port", str(port)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        assert f"http://127.0.0.1:{port}" in wait_for_output(process, "running on", timeout_s=60)
        response = httpx.get(f"http://127.0.0.1:{port}" + query_url("newsdesk", "stance_board", {"topic": TOPIC}), timeout=30)
        assert response.status_code == 200
        rows = response.json()["rows"]
        assert [(r["mark"], r["country"], r["stance"]) for r in rows][0] == ("🟠", "COL", "opposed")
    finally:
        os.killpg(process.pid, signal.SIGINT)  # the editor and the Datasette it started: one process group, ours
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stderr.close()


@pytest.mark.model
def test_canned_queries_on_the_demo_database(tmp_path, real_embedder):
    """On the database the demo leaves (stancebot-demo.db, served by the shipped file as it is) every query gives
    plausible rows: Colombia opposed on the Caribbean, the Taiwan Strait item a near miss for its place, four healthy feeds."""
    from rich.console import Console

    from bot.demo import run_demo

    db = run_demo(db_path=tmp_path / "stancebot-demo.db", console=Console(record=True), embedder=real_embedder)
    metadata = yaml.safe_load(metadata_file().read_text(encoding="utf-8"))
    params = {"stance_board": {"topic": TOPIC}, "stance_history": {"topic": ""}, "stance_evidence": {"topic": TOPIC, "country": "COL"},
              "why_item": {"words": "strike", "topic": TOPIC}, "near_misses": {"topic": TOPIC}, "feed_health": {},
              "failed_messages": {}}
    answers = dict(zip(params, fetch_json(db, metadata, [query_url("stancebot-demo", n, p) for n, p in params.items()]), strict=True))
    for name, answer in answers.items():
        assert answer["columns"] == QUERIES[name][1], name
    board = {r["country"]: r for r in answers["stance_board"]["rows"]}
    assert board["COL"]["stance"] == "opposed" and board["COL"]["latest_quote"] and board["USA"]["stance"] == "supportive"
    assert answers["stance_history"]["rows"] and answers["stance_evidence"]["rows"][0]["country"] == "COL"
    assert any(r["verdict"] == "matched" for r in answers["why_item"]["rows"])
    assert any("Taiwan" in r["title"] and r["reason"].startswith("context:") for r in answers["near_misses"]["rows"])
    assert [r["status"] for r in answers["feed_health"]["rows"]] == ["ok"] * 4
    assert answers["failed_messages"]["rows"] == []

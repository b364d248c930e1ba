"""The command line: help, exit codes, check and analyze."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import ROOT, write_rules
from test_rules import GOOD

from bot.cli import cli

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", [[]] + [[c] for c in COMMANDS])
def test_help_has_an_example(command):
    """The group and every command explain themselves and end with an example."""
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "stancebot" in result.output


def test_check_shipped_rules():
    """check lists the shipped topics with their place context."""
    result = CliRunner().invoke(cli, ["check", "--rules", str(ROOT / "rules")])
    assert result.exit_code == 0, result.output
    assert "us-caribbean-naval" in result.output and "Caribbean" in result.output


def test_check_bad_rules_exits_2_naming_file_and_line(tmp_path):
    """A mistyped key stops with exit status 2 and a file:line: key message on stderr."""
    write_rules(tmp_path, GOOD.replace("description:", "descripton:"))
    result = CliRunner().invoke(cli, ["check", "--rules", str(tmp_path)])
    assert result.exit_code == 2
    assert "desk.yaml:4: topics[0].descripton: unknown key (did you mean \"description\"?)" in result.output


def test_run_with_bad_rules_exits_2_before_anything(tmp_path):
    """run refuses to start on invalid rules, and creates no database."""
    write_rules(tmp_path, "topics: nope\n")
    result = CliRunner().invoke(cli, ["run", "--once", "--rules", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "topics" in result.output and not (tmp_path / "x.db").exists()


@pytest.mark.model
def test_run_with_a_model_that_cannot_load_exits_2_at_start(tmp_path, monkeypatch):
    """The long-running bot loads its models before scheduling anything; one that fails is named, exit 2."""
    from bot.app import App

    def scheduler_started(self):
        raise AssertionError("the scheduler started before the models were loaded")

    write_rules(tmp_path, GOOD)
    monkeypatch.setenv("STANCEBOT_SPACY_MODEL", "no_such_spacy_pipeline")
    monkeypatch.setattr(App, "run_forever", scheduler_started)
    result = CliRunner().invoke(cli, ["run", "--rules", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "STANCEBOT_SPACY_MODEL" in result.output and "no_such_spacy_pipeline" in result.output


@pytest.mark.model
def test_run_once_with_a_model_that_cannot_load_exits_2(tmp_path, monkeypatch):
    """With an item waiting, --once needs the models; one that fails is named, exit 2, and the item stays pending."""
    from conftest import NOW, rss, story

    from bot.ingest.items import parse_feed
    from bot.store import Store

    write_rules(tmp_path, GOOD)
    with Store(tmp_path / "x.db") as store:
        store.add_items(parse_feed(rss([story(1, "Guyana welcomes US warships near Venezuela")]), feed="F", now=NOW).items, now=NOW)
    monkeypatch.setenv("STANCEBOT_SPACY_MODEL", "no_such_spacy_pipeline")
    result = CliRunner().invoke(cli, ["run", "--once", "--rules", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "STANCEBOT_SPACY_MODEL" in result.output
    with Store(tmp_path / "x.db") as store:
        assert store.has_pending_items()


def test_bad_environment_exits_2(monkeypatch):
    """A malformed environment variable is named and stops the command."""
    monkeypatch.setenv("STANCEBOT_TICK", "often")
    result = CliRunner().invoke(cli, ["check", "--rules", str(ROOT / "rules")])
    assert result.exit_code == 2 and "STANCEBOT_TICK" in result.output


def test_analyze_unknown_topic(tmp_path):
    """--topic with a typo names the topic and suggests the right one."""
    write_rules(tmp_path, GOOD)
    result = CliRunner().invoke(cli, ["analyze", "--rules", str(tmp_path), "--topic", "carribean"], input="")
    assert result.exit_code == 2 and 'did you mean "caribbean"' in result.output


@pytest.mark.model
def test_analyze_contract(tmp_path):
    """analyze keeps order, emits the documented shape, and turns bad lines into error lines."""
    write_rules(tmp_path, GOOD)
    lines = [
        json.dumps({"id": "a", "title": "US destroyer moves off Venezuela's coast", "summary": "Warships gather in the Caribbean."}),
        "{not json",
        json.dumps({"id": 7, "summary": "Football results from Europe"}),
        json.dumps({"id": "empty"}),
    ]
    result = CliRunner().invoke(cli, ["analyze", "--rules", str(tmp_path)], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 2, 7, "empty"]
    first = out[0]["topics"][0]
    assert set(first) == {"id", "score", "matched", "stances"} and first["id"] == "caribbean" and first["matched"] is True
    assert isinstance(first["score"], float) and first["stances"] == [] or isinstance(first["stances"], list)
    assert out[2]["topics"][0]["matched"] is False
    assert "error" in out[1] and "error" in out[3] and "line 2" in result.stderr


@pytest.mark.model
def test_analyze_with_topic_forces_match(tmp_path):
    """--topic returns only that topic, treated as matched."""
    write_rules(tmp_path, GOOD)
    result = CliRunner().invoke(cli, ["analyze", "--rules", str(tmp_path), "--topic", "caribbean"],
                                                input=json.dumps({"id": 1, "title": "Football results"}) + "\n")
    (line,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(t["id"], t["matched"]) for t in line["topics"]] == [("caribbean", True)]


@pytest.mark.model
def test_analyze_explain_says_why(tmp_path):
    """--explain gives each topic's reason: the score against the threshold, or the gate that stopped it."""
    write_rules(tmp_path, GOOD)
    lines = [json.dumps({"id": "in", "title": "US destroyer moves off Venezuela's coast"}),
             json.dumps({"id": "out", "title": "US destroyers sail through the Taiwan Strait"})]
    result = CliRunner().invoke(cli, ["analyze", "--rules", str(tmp_path), "--explain"], input="\n".join(lines) + "\n")
    why = {o["id"]: o["topics"][0]["why"] for o in map(json.loads, result.stdout.splitlines())}
    assert why["in"].startswith("score ") and ">= threshold" in why["in"]
    assert why["out"].startswith("context: set in Taiwan Strait")
    plain = CliRunner().invoke(cli, ["analyze", "--rules", str(tmp_path)], input=lines[0] + "\n")
    assert "why" not in json.loads(plain.stdout)["topics"][0]


def test_feeds_and_outbox_commands(tmp_path):
    """feeds shows each feed's health and outbox lists and re-queues messages."""
    from conftest import NOW

    from bot.deliver.outbox import OutboxRow
    from bot.ingest.fetch import FeedState
    from bot.store import Store

    write_rules(tmp_path, GOOD, "feeds:\n  - name: Wire\n    url: https://wire.example/rss\n")
    db = tmp_path / "bot.db"
    with Store(db) as store:
        store.save_feed_state("https://wire.example/rss", FeedState("Wire", failures=3, last_error="HTTP 503 from wire"), now=NOW)
        store.enqueue(OutboxRow("m1", "shift", "t", "#gone", "x", [], "pending"), now=NOW)
        store.mark_message("m1", status="failed", now=NOW, error="channel_not_found")
    out = CliRunner().invoke(cli, ["feeds", "--rules", str(tmp_path), "--db", str(db)], terminal_width=200).output
    assert "Wire" in out and "failing" in out and "HTTP 503" in out
    out = CliRunner().invoke(cli, ["outbox", "--db", str(db), "--status", "failed"], terminal_width=200).output
    assert "m1" in out and "channel_not_found" in out
    CliRunner().invoke(cli, ["outbox", "--db", str(db), "--retry", "m1"])
    with Store(db) as store:
        assert store.message("m1").status == "pending"


@pytest.mark.model
def test_backtest_jsonl_contract(tmp_path):
    """backtest replays JSONL items and writes one documented JSON line per alert, in order."""
    import yaml
    from conftest import DATA

    timeline = yaml.safe_load((DATA / "timelines" / "clean_flip.yaml").read_text(encoding="utf-8"))
    items = tmp_path / "items.jsonl"
    items.write_text("\n".join(json.dumps({**i, "published": str(i["published"])}) for i in timeline["items"])
                     + "\n{broken\n", encoding="utf-8")
    out = tmp_path / "alerts.jsonl"
    result = CliRunner().invoke(cli, ["backtest", "--rules", str(DATA / "timelines" / "rules"), "--items", str(items),
                                      "--alerts-out", str(out)])
    assert result.exit_code == 0, result.output
    alerts = [json.loads(line) for line in out.read_text().splitlines()]
    assert alerts and all(list(a) == ["kind", "topic", "country", "from", "to", "at", "evidence"] for a in alerts)
    assert [(a["country"], a["from"], a["to"]) for a in alerts] == [("COL", None, "neutral"), ("COL", "neutral", "opposed")]
    assert all(a["kind"] == "stance_shift" and a["evidence"] for a in alerts) and alerts == sorted(alerts, key=lambda a: a["at"])
    assert "line" in result.output  # the broken line is reported, the rest goes on


HOSTILE_LINES = [
    b'{"id": "ok-1", "title": "US destroyer moves off Venezuela\'s coast", "published": "2026-11-10T10:00:00Z"}',
    b'{"id": "latin1", "title": "Bogot\xe1 reacts", "published": "2026-11-10T10:00:00Z"}',  # not UTF-8
    b"[" * 100_000 + b"]" * 100_000,  # nested deeper than any parser recurses
    b'{"id": ' + b"9" * 5000 + b', "title": "x"}',  # an integer past Python's 4,300-digit limit
    b'{"id": "year-1", "title": "Ancient", "published": "0001-01-01T00:00:00Z"}',
    b'{"id": "year-9999", "title": "Far", "published": "9999-12-31T23:59:59Z"}',
    b'{"id": "ok-2", "title": "Strike on a suspected drug boat off Venezuela", "published": "2026-11-11T10:00:00Z"}',
]


@pytest.mark.model
def test_analyze_turns_hostile_lines_into_error_lines(tmp_path):
    """Invalid UTF-8, deep nesting and a 5,000-digit number are error lines; every other line is still analysed."""
    write_rules(tmp_path, GOOD)
    result = CliRunner().invoke(cli, ["analyze", "--rules", str(tmp_path)], input=b"\n".join(HOSTILE_LINES) + b"\n")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["ok-1", 2, 3, 4, "year-1", "year-9999", "ok-2"]
    assert [("error" in o) for o in out] == [False, True, True, True, False, False, False]
    assert "line 2: not UTF-8" in result.stderr and "line 3: JSON nested too deeply" in result.stderr


@pytest.mark.model
def test_backtest_reports_hostile_lines_and_writes_an_empty_alerts_file(tmp_path):
    """backtest lists each bad line (encoding, nesting, size, years 1 and 9999), replays the rest, writes an empty file."""
    write_rules(tmp_path, GOOD)
    items = tmp_path / "items.jsonl"
    items.write_bytes(b"\n".join(HOSTILE_LINES) + b"\n")
    alerts = tmp_path / "alerts.jsonl"
    result = CliRunner().invoke(cli, ["backtest", "--rules", str(tmp_path), "--items", str(items), "--alerts-out", str(alerts)])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    for n in (2, 3, 4, 5, 6):
        assert f"line {n}:" in result.stderr, (n, result.stderr)
    assert alerts.exists() and alerts.read_text() == ""


def test_digest_date_out_of_range_is_a_usage_error(tmp_path):
    """`digest --date 0001-01-01` says the date is out of range instead of overflowing."""
    write_rules(tmp_path, 'digest: {time: "08:00", timezone: America/Caracas}\n' + GOOD)
    result = CliRunner().invoke(cli, ["digest", "--rules", str(tmp_path), "--db", str(tmp_path / "b.db"), "--date", "0001-01-01",
                                      "--dry-run"], env={"SLACK_BOT_TOKEN": ""})
    assert result.exit_code == 2 and "out of range" in result.output and "Traceback" not in result.output

"""The real bolt app against local servers: signed HTTP requests, Socket Mode over a local websocket, a local Web API."""

from __future__ import annotations

import dataclasses
import http.client
import json
import logging
import random
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlencode

import pytest
from conftest import CARIBBEAN_WATCHLIST, NOW, write_rules
from doubles import HashingEmbedder
from slack_sdk.signature import SignatureVerifier
from slack_server import FakeSlack, SocketModeStandIn

from bot.app import build_app
from bot.config import Secret, Settings
from bot.deliver.dispatch import deliver_due
from bot.deliver.review import BLOCK_PREFIX, MUTE, WRONG_STANCE
from bot.deliver.slack import SlackNotifier, make_slack_client
from bot.ingest.items import make_item
from bot.labels import Label
from bot.track.evidence import StanceRecord
from bot.track.positions import update_positions

TOPIC = "us-caribbean-naval"
SECRET = "s3cret-signing-value"
OUTLETS = ("Wire", "Paper", "Daily", "Gazette", "Post", "Herald", "Times", "Courier", "Ledger")
WAIT_S = 10  # the longest a test waits for a handler thread; it returns as soon as the answer is there


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def add_stories(app, country: str, label: Label, *, start, outlets=("Wire", "Paper", "Daily"), quote="Brasília condemned the strikes"):
    """Stories from several outlets in which `country` takes `label`; positions updated and messages delivered."""
    with app.open_store() as store:
        items = [make_item(feed=o, identity=f"{o}-{label}-{start.isoformat()}", title=f"{o} report {n} on the Caribbean {label}",
                           link=f"https://{o.lower()}.example/{label}/{start:%d%H}/{n}", published=start + timedelta(hours=n))
                 for n, o in enumerate(outlets)]
        store.add_items(items, now=start + timedelta(hours=len(outlets)))
        records = [StanceRecord(i.id, TOPIC, country, label, -0.8 if label == Label.OPPOSED else 0.8, quote, i.feed,
                                store.cluster_of(i.id), i.published) for i in items]
        topics = {t.id: t for t in app.rules.topics}
        positions, messages, shifts = update_positions(store, records, topics, gaz=app.gazetteer,
                                                       channel_of=lambda t: "#latam-desk", now=app.clock())
        store.record_processed([i.id for i in items], [], messages, now=app.clock(), stances=records, positions=positions,
                               changes=shifts)
        deliver_due(store, app.notifier, now=app.clock(), rng=random.Random(1))
    return items


@pytest.fixture
def desk(tmp_path, httpserver):
    """A bot whose Brazil settled on opposed (one alert sent), its Slack app listening on 127.0.0.1."""
    fake = FakeSlack()
    api = fake.install(httpserver)
    rules = write_rules(tmp_path / "rules", CARIBBEAN_WATCHLIST)
    settings = Settings(rules_dir=rules, db_path=tmp_path / "bot.db", slack_token=Secret("xoxb-test-token"), slack_api_url=api,
                        signing_secret=Secret(SECRET), http_port=0, http_host="127.0.0.1")
    clock = Clock(NOW)
    app = build_app(settings, notifier=SlackNotifier(make_slack_client(settings.slack_token, api)), embedder=HashingEmbedder(),
                    clock=clock, rng=random.Random(1))
    add_stories(app, "BRA", Label.OPPOSED, start=NOW - timedelta(hours=6))
    surface = app.start_surface()
    yield app, fake, surface, httpserver
    surface.close()
    app.close()


def post(surface, body: str, *, timestamp: float | None = None, secret: str = SECRET, path: str = "/slack/events"):
    stamp = str(int(timestamp if timestamp is not None else time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    conn = http.client.HTTPConnection("127.0.0.1", surface.port, timeout=WAIT_S)
    conn.request("POST", path, body=body.encode(), headers={"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature,
                                                            "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    return response.status, response.read().decode()


def command(text: str, httpserver, user="U0ANA") -> str:
    return urlencode({"command": "/stancebot", "text": text, "user_id": user, "user_name": "ana", "team_id": "T1",
                      "channel_id": "CLATAMDESK", "response_url": httpserver.url_for("/response"), "trigger_id": "t1"})


def press(message_id: str, action_id: str, value: str, httpserver, *, user="U0ANA", action_ts="1700000100.000100") -> str:
    payload = {"type": "block_actions", "user": {"id": user, "username": "ana", "name": "ana", "team_id": "T1"},
               "team": {"id": "T1"}, "api_app_id": "A1", "trigger_id": "t2", "channel": {"id": "CLATAMDESK"},
               "container": {"type": "message", "channel_id": "CLATAMDESK"}, "response_url": httpserver.url_for("/response"),
               "actions": [{"type": "static_select", "action_id": action_id, "block_id": BLOCK_PREFIX + message_id,
                            "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value},
                            "action_ts": action_ts}]}
    return urlencode({"payload": json.dumps(payload)})


def alert_of(app, country="BRA"):
    with app.open_store() as store:
        return next(m for m in store.outbox() if m.kind == "shift" and m.payload["country"] == country)


def board_text(status_body) -> str:
    status, body = status_body
    assert status == 200
    return json.dumps(json.loads(body)["blocks"], ensure_ascii=False)


def test_wrong_stance_on_an_alert_changes_the_board_and_posts_one_thread_reply(desk):
    """Correcting Brazil from opposed to supportive moves its settled stance and answers once in the alert's thread."""
    app, fake, surface, server = desk
    alert = alert_of(app)
    assert alert.status == "sent" and any(b["type"] == "actions" for b in alert.blocks)
    assert "opposed" in board_text(post(surface, command("board", server)))
    posted = len(fake.calls)
    status, _ = post(surface, press(alert.id, WRONG_STANCE, "BRA|supportive", server))
    assert status == 200
    answer = fake.responded.get(timeout=WAIT_S)
    assert "Brazil is now *supportive*" in answer["text"] and answer["response_type"] == "ephemeral"
    replies = fake.calls[posted:]
    assert len(replies) == 1 and replies[0]["thread_ts"] == alert.ts and "Corrected by ana" in replies[0]["blocks"][0]["text"]["text"]
    board = board_text(post(surface, command(f"board {TOPIC}", server)))
    assert "*Brazil*: supportive ★ 24h" in board and "opposed" not in board.split("Brazil")[1].split("outlets")[0]
    # The same press delivered again (a retry) changes nothing and posts nothing.
    post(surface, press(alert.id, WRONG_STANCE, "BRA|supportive", server))
    fake.responded.get(timeout=WAIT_S)
    assert len(fake.calls) == posted + 1
    with app.open_store() as store:
        assert store.position(TOPIC, "BRA").state == "supportive"
        assert {(c.user_id, c.user_name, c.was, c.label) for c in store.corrections()} == {("U0ANA", "ana", "opposed", "supportive")}


def test_why_shows_the_quotes_outlets_and_dates_behind_a_stance(desk):
    """`why Brazil` answers with the stories behind the settled stance, ephemerally."""
    app, fake, surface, server = desk
    status, body = post(surface, command("why brazil", server))
    answer = json.loads(body)
    text = json.dumps(answer["blocks"], ensure_ascii=False)
    assert status == 200 and answer["response_type"] == "ephemeral"
    assert "*opposed* since" in text and "Brasília condemned the strikes" in text
    assert "https://wire.example/opposed/" in text and "|Wire>" in text and NOW.strftime("%b %Y") in text
    shared = json.loads(post(surface, command("why BRA share", server))[1])
    assert shared["response_type"] == "in_channel"


def test_a_command_it_cannot_read_says_how_to_write_it(desk):
    """A mistyped verb or country gets one ephemeral line naming the problem."""
    _, _, surface, server = desk
    blocks = board_text(post(surface, command("borad", server)))
    assert "unknown command" in blocks and "did you mean" in blocks and "board" in blocks
    assert "no country or topic called `Narnia`" in board_text(post(surface, command("why Narnia", server)))


def test_a_mute_stops_that_countrys_alerts_until_it_expires(desk):
    """Muting Brazil on the topic for a day: its next alert is recorded as muted, never sent; after expiry alerts flow."""
    app, fake, surface, server = desk
    post(surface, press(alert_of(app).id, MUTE, "BRA|1d", server))
    assert "Muted Brazil on US naval activity" in fake.responded.get(timeout=WAIT_S)["text"]
    posted = len(fake.calls)
    app.clock.now = NOW + timedelta(hours=23)  # Brazil turns supportive while muted (past the shift cooldown)
    add_stories(app, "BRA", Label.SUPPORTIVE, start=NOW + timedelta(hours=20), outlets=OUTLETS[:6])
    muted = [m for m in alert_of_all(app) if m.payload.get("to") == "supportive"]
    assert len(fake.calls) == posted and [m.status for m in muted] == ["muted"]
    assert "supportive" in board_text(post(surface, command("board", server)))  # the board shows it all the same
    app.clock.now = NOW + timedelta(days=3)  # the mute has expired: a new shift is alerted, the muted one stays unsent
    add_stories(app, "BRA", Label.OPPOSED, start=NOW + timedelta(days=2, hours=12), outlets=OUTLETS[:9],
                quote="Brazil again condemned the strikes")
    sent = [c for c in fake.calls[posted:] if "Brazil" in c.get("text", "")]
    assert len(sent) == 1 and "supportive → opposed" in sent[0]["text"]
    assert [m.status for m in alert_of_all(app) if m.payload.get("to") == "supportive"] == ["muted"]


def alert_of_all(app):
    with app.open_store() as store:
        return [m for m in store.outbox() if m.kind == "shift"]


def test_mute_and_unmute_by_command(desk):
    """`mute Russia TOPIC 7d` is listed by `mute` and ended by `unmute`."""
    app, _, surface, server = desk
    assert "Muted Russia on US naval activity" in board_text(post(surface, command(f"mute russia {TOPIC} 7d", server)))
    assert "Russia on US naval activity" in board_text(post(surface, command("mute", server)))
    assert "no longer muted" in board_text(post(surface, command(f"unmute RUS {TOPIC}", server)))
    with app.open_store() as store:
        assert store.mutes(now=NOW) == []


@pytest.mark.parametrize("case", ["bad signature", "stale timestamp"])
def test_a_bad_or_stale_signature_gets_401_and_one_log_line(desk, caplog, case):
    """A request not signed with the secret, or signed long ago (a replay), is refused and logged once, without secrets."""
    app, fake, surface, server = desk
    body = press(alert_of(app).id, WRONG_STANCE, "BRA|supportive", server)
    caplog.set_level(logging.INFO)
    if case == "bad signature":
        status, _ = post(surface, body, secret="not-the-secret")
    else:
        status, _ = post(surface, body, timestamp=time.time() - 600)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert status == 401 and len(warnings) == 1
    assert ("stale timestamp" if case == "stale timestamp" else "does not match") in warnings[0].getMessage()
    assert all(SECRET not in r.getMessage() and "xoxb-test-token" not in r.getMessage() for r in caplog.records)
    with app.open_store() as store:
        assert store.corrections() == [] and store.position(TOPIC, "BRA").state == "opposed"


def test_healthz_reports_the_last_cycle(desk):
    """GET /healthz is 503 before a cycle completed and 200 after one."""
    app, _, surface, _ = desk

    def get():
        conn = http.client.HTTPConnection("127.0.0.1", surface.port, timeout=WAIT_S)
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        return response.status, response.read().decode()

    assert get()[0] == 503
    app.tick(now=NOW, digests=False)
    status, text = get()
    assert status == 200 and text.startswith("ok")


def test_socket_mode_answers_a_command_and_a_button_over_a_local_websocket(desk, httpserver):
    """With SLACK_APP_TOKEN the app connects to the URL apps.connections.open gives and acks each envelope."""
    app, fake, surface, server = desk
    stand_in = SocketModeStandIn()
    fake.socket_url = stand_in.url
    settings = dataclasses.replace(app.settings, slack_app_token=Secret("xapp-1-test"), http_port=None)
    socket_app = build_app(settings, notifier=app.notifier, embedder=HashingEmbedder(), clock=app.clock)
    socket_surface = socket_app.start_surface()
    try:
        assert stand_in.connected.wait(WAIT_S)
        fields = {k: v[0] for k, v in parse_qs(command("board", server)).items()}
        stand_in.send({"envelope_id": "e1", "type": "slash_commands", "accepts_response_payload": True, "payload": fields})
        ack = stand_in.acks.get(timeout=WAIT_S)
        assert ack["envelope_id"] == "e1" and "Brazil" in json.dumps(ack["payload"]["blocks"], ensure_ascii=False)
        posted = len(fake.calls)
        payload = json.loads(parse_qs(press(alert_of(app).id, WRONG_STANCE, "BRA|neutral", server))["payload"][0])
        stand_in.send({"envelope_id": "e2", "type": "interactive", "accepts_response_payload": False, "payload": payload})
        assert stand_in.acks.get(timeout=WAIT_S)["envelope_id"] == "e2"
        assert "Brazil is now *neutral*" in fake.responded.get(timeout=WAIT_S)["text"]
        assert len(fake.calls) == posted + 1 and fake.calls[-1]["thread_ts"] == alert_of(app).ts
    finally:
        socket_surface.close()
        stand_in.close()
        socket_app.close()

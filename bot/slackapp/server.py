"""The Slack app in the bot's process: a slack-bolt App over Socket Mode and/or a verified HTTP endpoint.

Handlers run in bolt's worker threads: each opens its own database connection, and work that moves
positions takes the same lock as a scheduler cycle (`Desk.work`), so the two never interleave.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from slack_bolt import App as BoltApp
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from bot.config import Settings
from bot.deliver.review import MUTE, NOT_TOPIC, WRONG_STANCE, message_of_block
from bot.read.gazetteer import Gazetteer
from bot.rules import Rules
from bot.slackapp.answers import answer, parse_error
from bot.slackapp.commands import CommandError, parse_command
from bot.store import Store, StoreError
from bot.track.review import Analyst, ReviewError, apply_request, corrections_for_press, describe, mute_for_press

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1_000_000  # Slack's payloads are a few kB
STALE_AFTER_S = 300  # Slack's rule: a request signed longer ago than this is refused (a replay)


@dataclass
class Desk:
    """What the handlers need from the running bot; the app wires it, tests too."""

    settings: Settings
    rules: Rules
    gaz: Gazetteer
    clock: Callable[[], datetime]
    open_store: Callable[[], Store]
    work: Callable[[datetime], AbstractContextManager[Store | None]]  # a store under the cycle lock, or None when busy
    deliver: Callable[[Store, datetime], object]  # send what is due now (a correction's thread reply)
    health: Callable[[], tuple[bool, str]]

    def may_correct(self, user_id: str) -> bool:
        return not self.settings.correctors or user_id in self.settings.correctors


def build_bolt_app(desk: Desk, client: WebClient) -> BoltApp:
    """The bolt App with `/stancebot` and the review actions; every value comes from `desk.settings`, none from the environment."""
    # The client carries the bot token; the signing secret is given even when empty, so bolt never reads the environment
    # for it (an empty one refuses every HTTP request, and Socket Mode needs none).
    app = BoltApp(client=client, signing_secret=str(desk.settings.signing_secret or ""), token_verification_enabled=False,
                  logger=logging.getLogger("slack_bolt.App"))

    @app.command("/stancebot")
    def on_command(ack, command) -> None:
        ack(**command_answer(desk, command))

    @app.action(WRONG_STANCE)
    @app.action(NOT_TOPIC)
    @app.action(MUTE)
    def on_review(ack, body, action, respond) -> None:
        ack()  # within Slack's 3 seconds; the answer follows through response_url
        text = review(desk, body, action)
        respond(text=text, response_type="ephemeral", replace_original=False)

    return app


def command_answer(desk: Desk, command: dict) -> dict:
    """The ack() arguments answering one `/stancebot` command."""
    analyst = Analyst(command.get("user_id", ""), command.get("user_name", ""))
    text = command.get("text", "") or ""
    share = False
    try:
        parsed = parse_command(text, topics=desk.rules.topics, countries=desk.gaz.names)
        share = parsed.share
        with desk.open_store() as store:
            blocks = answer(store, parsed, desk.rules, desk.gaz, analyst=analyst, now=desk.clock(),
                            may_mute=desk.may_correct(analyst.id))
        log.info("/stancebot %s by %s (%s)", parsed.verb, analyst.name, analyst.id)
    except CommandError as exc:
        blocks = parse_error(exc)
    except StoreError as exc:
        log.error("/stancebot %s: %s", text[:40], exc)
        blocks = parse_error(CommandError("the bot's database cannot be read right now; the operator has the details in the log"))
    fallback = " ".join(b.get("text", {}).get("text", "") for b in blocks if b.get("type") == "section")[:3000] or "stancebot"
    return {"blocks": blocks, "text": fallback, "response_type": "in_channel" if share else "ephemeral"}


def review(desk: Desk, body: dict, action: dict) -> str:
    """Handle one press of a review element; returns the analyst's confirmation (mrkdwn)."""
    now = desk.clock()
    user = body.get("user") or {}
    analyst = Analyst(user.get("id", ""), user.get("username") or user.get("name") or "")
    action_id = action.get("action_id", "")
    value = (action.get("selected_option") or {}).get("value") or action.get("value") or ""
    if not desk.may_correct(analyst.id):
        log.warning("%s (%s) pressed %s but is not in STANCEBOT_CORRECTORS; ignored", analyst.name, analyst.id, action_id)
        return "⚠️ Only the analysts listed in STANCEBOT_CORRECTORS may correct or mute; ask one of them."
    message_id = message_of_block(action.get("block_id", ""))
    request = f"{analyst.id}:{action.get('action_ts') or body.get('trigger_id', '')}"
    try:
        with desk.open_store() as store:
            message = store.message(message_id) if message_id else None
            if message is None:
                raise ReviewError("this message is not in the bot's outbox (was the database replaced?)")
            if action_id == MUTE:
                mute = store.add_mute(mute_for_press(message, value=value, analyst=analyst, now=now), now=now)
                log.info("mute by %s (%s): topic %s, country %s, until %s", analyst.name, analyst.id, mute.topic_id or "*",
                         mute.country or "*", mute.until.isoformat())
                scope = mute.describe(desk.rules.topic(mute.topic_id).name if mute.topic_id in {t.id for t in desk.rules.topics}
                                      else None, desk.gaz.country_name(mute.country) if mute.country else None)
                return (f"🔕 Muted {scope} until {mute.until:%Y-%m-%d %H:%M} UTC: its alerts are recorded, not sent. "
                        "`/stancebot unmute` ends it sooner.")
            corrections = corrections_for_press(store, message, action=action_id, value=value, request=request, analyst=analyst,
                                                rules=desk.rules, now=now)
            if not corrections:
                return "Nothing to change: that is already the label."
            store.record_corrections(corrections, now=now)
        log.info("correction by %s (%s) under %s: %s", analyst.name, analyst.id, message_id,
                 ", ".join(f"{c.kind} {c.country or ''} {c.was or ''}->{c.label or 'off-topic'} ({c.item_id})" for c in corrections))
        with desk.work(now) as locked:
            if locked is None:
                return "Recorded. The bot is busy with a cycle; the correction is applied at the end of it."
            outcomes = apply_request(locked, request, desk.rules, desk.gaz, now=now)
            desk.deliver(locked, now)
        return describe(outcomes, desk.gaz, desk.rules)
    except ReviewError as exc:
        return f"⚠️ {exc}"
    except StoreError as exc:
        log.error("review action %s by %s: %s", action_id, analyst.id, exc)
        return "⚠️ The bot's database cannot be written right now; the operator has the details in the log."


class SlackSurface:
    """Socket Mode and/or the HTTP endpoint, started beside the scheduler and closed with it."""

    def __init__(self, desk: Desk, client: WebClient):
        self.desk = desk
        self.app = build_bolt_app(desk, client)
        self.client = client
        self.socket = None
        self.http: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        settings = self.desk.settings
        if settings.slack_app_token:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            self.socket = SocketModeHandler(self.app, app_token=str(settings.slack_app_token), web_client=self.client)
            self.socket.connect()
            log.info("Slack app connected over Socket Mode")
        if settings.http_port is not None:
            self.http = ThreadingHTTPServer((settings.http_host, settings.http_port), _handler(self.app, self.desk))
            self.http.daemon_threads = True
            self._thread = threading.Thread(target=self.http.serve_forever, name="slack-http", daemon=True)
            self._thread.start()
            log.info("Slack app listening on http://%s:%d%s (and %s)", settings.http_host, self.port, EVENTS_PATH, HEALTH_PATH)

    @property
    def port(self) -> int | None:
        return self.http.server_address[1] if self.http else None

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()
        if self.http is not None:
            self.http.shutdown()
            self.http.server_close()


def _handler(app: BoltApp, desk: Desk) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "stancebot"

        def do_GET(self) -> None:
            if self.path.split("?")[0] != HEALTH_PATH:
                return self._send(404, b"not found\n")
            ok, line = desk.health()
            self._send(200 if ok else 503, (line + "\n").encode())

        def do_POST(self) -> None:
            if self.path.split("?")[0] != EVENTS_PATH:
                return self._send(404, b"not found\n")
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                return self._send(413, b"too large\n")
            body = self.rfile.read(length).decode("utf-8", "replace")
            headers = {k.lower(): [v] for k, v in self.headers.items()}
            response = app.dispatch(BoltRequest(body=body, headers=headers, query=self.path.partition("?")[2]))
            if response.status == 401:
                log.warning("refused a request to %s from %s: %s (check SLACK_SIGNING_SECRET)", EVENTS_PATH,
                            self.client_address[0], refusal(headers, now_s=time.time()))
            out = response.body.encode() if isinstance(response.body, str) else (response.body or b"")
            self._send(response.status, out, (response.headers.get("content-type") or ["text/plain"])[0])

        def _send(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
            log.debug("http %s", format % args)

    return Handler


def refusal(headers: dict[str, list[str]], *, now_s: float) -> str:
    """Why a request's signature was refused, in words that never repeat the signature or the secret."""
    stamp = (headers.get("x-slack-request-timestamp") or [""])[0]
    if not stamp or not (headers.get("x-slack-signature") or [""])[0]:
        return "no Slack signature"
    if not stamp.isdigit():
        return "an unreadable timestamp"
    age = now_s - int(stamp)  # against the wall clock, as bolt's verifier judges it
    if abs(age) > STALE_AFTER_S:
        return f"a stale timestamp ({age:.0f}s old)"
    return "a signature that does not match"

"""Local stand-ins for Slack: the Web API (served by pytest-httpserver), response_url, and Socket Mode's websocket."""

from __future__ import annotations

import json
import queue
import threading
from dataclasses import dataclass, field

from werkzeug import Request, Response


@dataclass
class FakeSlack:
    """Records chat.postMessage calls; answers with queued errors first, then ok."""

    calls: list[dict] = field(default_factory=list)
    errors: list[tuple[int, dict, dict]] = field(default_factory=list)  # (status, body, headers)
    ts_counter: int = 0

    on_post: object = None  # called with the request before answering (a test can kill the client here)
    answered: threading.Event = field(default_factory=threading.Event)  # set after each chat.postMessage answer

    responses: list = field(default_factory=list)  # what the app answered through response_url
    responded: queue.Queue = field(default_factory=queue.Queue)
    socket_url: str = ""  # what apps.connections.open hands out (Socket Mode)

    def install(self, httpserver) -> str:
        httpserver.expect_request("/api/chat.postMessage", method="POST").respond_with_handler(self.post_message)
        httpserver.expect_request("/api/auth.test").respond_with_handler(
            lambda r: self._json({"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "stancebot"}))
        httpserver.expect_request("/api/apps.connections.open").respond_with_handler(
            lambda r: self._json({"ok": True, "url": self.socket_url}))
        httpserver.expect_request("/response", method="POST").respond_with_handler(self.response_url)
        httpserver.expect_request("/api/conversations.list").respond_with_handler(self.conversations_list)
        httpserver.expect_request("/api/conversations.history").respond_with_handler(self.conversations_history)
        httpserver.expect_request("/api/files.getUploadURLExternal").respond_with_handler(
            lambda r: self._json({"ok": True, "upload_url": httpserver.url_for(f"/upload/F{len(self.uploads) + 1}"),
                                  "file_id": f"F{len(self.uploads) + 1}"}))
        httpserver.expect_request("/upload/F1", method="POST").respond_with_handler(self.upload)
        httpserver.expect_request("/upload/F2", method="POST").respond_with_handler(self.upload)
        httpserver.expect_request("/api/files.completeUploadExternal").respond_with_handler(
            lambda r: self._json({"ok": True, "files": [{"id": f"F{len(self.uploads)}", "title": "chart"}]}))
        return httpserver.url_for("/api/")

    uploads: list = field(default_factory=list)

    def upload(self, request: Request) -> Response:
        self.uploads.append(request.get_data())
        return Response("OK - 1234")

    @staticmethod
    def _json(payload: dict) -> Response:
        return Response(json.dumps(payload), content_type="application/json")

    def response_url(self, request: Request) -> Response:
        body = request.get_json(silent=True) or {}
        self.responses.append(body)
        self.responded.put(body)
        return Response("ok")

    def conversations_list(self, request: Request) -> Response:
        names = sorted({c["channel"].lstrip("#") for c in self.calls})
        channels = [{"id": f"C{n.upper().replace('-', '')}", "name": n} for n in names]
        return Response(json.dumps({"ok": True, "channels": channels, "response_metadata": {"next_cursor": ""}}),
                        content_type="application/json")

    def conversations_history(self, request: Request) -> Response:
        params = {**request.args, **(request.form or {}), **(request.get_json(silent=True) or {})}
        channel = params.get("channel", "")
        messages = [{"ts": c["ts"], "text": c.get("text"), "metadata": c.get("metadata")} for c in self.calls
                    if c.get("ts") and f"C{c['channel'].lstrip('#').upper().replace('-', '')}" == channel]
        return Response(json.dumps({"ok": True, "messages": messages[::-1], "has_more": False}), content_type="application/json")

    def post_message(self, request: Request) -> Response:
        body = request.get_json(silent=True) or dict(request.form)
        call = {"auth": request.headers.get("Authorization"), **body}
        self.calls.append(call)
        if self.on_post is not None:
            self.on_post(call)
        if self.errors:
            status, payload, headers = self.errors.pop(0)
            return Response(json.dumps(payload), status=status, headers=headers, content_type="application/json")
        self.ts_counter += 1
        ts = f"1700000000.{self.ts_counter:06d}"
        call["ts"] = ts
        self.answered.set()
        return Response(json.dumps({"ok": True, "channel": "C123", "ts": ts}), content_type="application/json")


class SocketModeStandIn:
    """Slack's Socket Mode end on 127.0.0.1: hands envelopes to the connected app and collects its acks."""

    def __init__(self):
        from websockets.sync.server import serve

        self.acks: queue.Queue = queue.Queue()
        self.connected = threading.Event()
        self._connection = None
        self._server = serve(self._session, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _session(self, connection) -> None:
        self._connection = connection
        connection.send(json.dumps({"type": "hello", "num_connections": 1, "debug_info": {"host": "local"}}))
        self.connected.set()
        for message in connection:
            self.acks.put(json.loads(message))

    def send(self, envelope: dict) -> None:
        assert self._connection is not None
        self._connection.send(json.dumps(envelope))

    def close(self) -> None:
        self._server.shutdown()

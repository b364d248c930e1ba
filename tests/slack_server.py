"""A local stand-in for the Slack Web API, served by pytest-httpserver."""

from __future__ import annotations

import json
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

    def install(self, httpserver) -> str:
        httpserver.expect_request("/api/chat.postMessage", method="POST").respond_with_handler(self.post_message)
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

"""A local stand-in for the Slack Web API, served by pytest-httpserver."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from werkzeug import Request, Response


@dataclass
class FakeSlack:
    """Records chat.postMessage calls; answers with queued errors first, then ok."""

    calls: list[dict] = field(default_factory=list)
    errors: list[tuple[int, dict, dict]] = field(default_factory=list)  # (status, body, headers)
    ts_counter: int = 0

    def install(self, httpserver) -> str:
        httpserver.expect_request("/api/chat.postMessage", method="POST").respond_with_handler(self.post_message)
        return httpserver.url_for("/api/")

    def post_message(self, request: Request) -> Response:
        body = request.get_json(silent=True) or dict(request.form)
        self.calls.append({"auth": request.headers.get("Authorization"), **body})
        if self.errors:
            status, payload, headers = self.errors.pop(0)
            return Response(json.dumps(payload), status=status, headers=headers, content_type="application/json")
        self.ts_counter += 1
        ts = f"1700000000.{self.ts_counter:06d}"
        return Response(json.dumps({"ok": True, "channel": "C123", "ts": ts}), content_type="application/json")

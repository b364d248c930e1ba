"""The terminal as a notifier: what Slack would have shown, printed (no token set, the demo, dry runs)."""

from __future__ import annotations

import re
import tempfile
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from bot.deliver.outbox import Delivery, OutboxRow


class TerminalNotifier:
    """Prints what Slack would have received; used when no token is configured."""

    printed = True

    def __init__(self, console: Console | None = None, chart_dir: Path | None = None):
        self.console = console or Console()
        self.chart_dir = chart_dir or Path(tempfile.gettempdir()) / "stancebot-charts"

    def find_delivered(self, message: OutboxRow, *, oldest: datetime) -> str | None:
        return None  # the terminal keeps no history: a printed message is never looked for

    def upload(self, name: str, content: bytes, *, title: str) -> str:
        self.chart_dir.mkdir(parents=True, exist_ok=True)
        path = self.chart_dir / name
        path.write_bytes(content)
        return str(path)

    def send(self, message: OutboxRow, *, thread_ts: str | None = None) -> Delivery:
        where = f"Slack {message.channel}" + (" · in thread" if thread_ts else "")
        style = {"shift": "magenta", "followup": "dim", "digest": "green"}.get(message.kind, "cyan")
        self.console.print(Panel(render_blocks(message.blocks) or message.text, title=where,
                                 subtitle=message.kind, border_style=style, expand=False, width=100))
        return Delivery(True, ts="terminal")


def render_blocks(blocks: list[dict]) -> str:
    """Block Kit as readable terminal text (rich markup escaped)."""
    lines = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"[bold]{escape(block['text']['text'])}[/bold]")
        elif kind == "section":
            lines.append(escape(_unslack(block.get("text", {}).get("text", ""))))
            for field in block.get("fields") or []:
                lines.append(escape(_unslack(field.get("text", ""))))
        elif kind == "context":
            lines.append("[dim]" + escape(" ".join(_unslack(e.get("text", "")) for e in block.get("elements", []))) + "[/dim]")
        elif kind == "divider":
            lines.append("─" * 40)
        elif kind == "image":
            where = (block.get("slack_file") or {}).get("id") or block.get("image_url", "")
            lines.append(escape(f"[chart: {block.get('alt_text', '')} → {where}]"))  # escaped whole: rich would read [chart: …] as markup
    return "\n".join(lines)


def _unslack(text: str) -> str:
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

"""Slack messages rendered from plain values (pure): Block Kit built and checked by slack-sdk."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.items import Item
from bot.match import Match
from bot.rules import Topic
from bot.store import OutboxRow

SECTION_MAX = 3000
HEADER_MAX = 150
_MENTION = re.compile(r"@(channel|here|everyone)\b", re.I)


def escape_mrkdwn(text: str) -> str:
    """Feed text made inert for Slack mrkdwn: no markup, no links, no @channel pings."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A zero-width joiner after "@" keeps the text readable but never notifies anyone.
    return _MENTION.sub(lambda m: "@\u2060" + m.group(1), text)


def safe_link(url: str, label: str) -> str:
    """A mrkdwn link whose URL and label cannot break out of the <url|label> syntax."""
    label = escape_mrkdwn(label).replace("|", "\u2223") or "link"
    if not re.match(r"^https?://", url or ""):
        return label
    return f"<{quote(url, safe=':/?#[]@!$&()*+,;=%~.-_')}|{label}>"


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def match_message(item: Item, match: Match, topic: Topic, *, channel: str, outlets: list[str], message_id: str) -> OutboxRow:
    """The Slack message for a newly matched story."""
    when = _when(item.published)
    summary = clip(escape_mrkdwn(item.summary), 600)
    title = safe_link(item.link, clip(item.title or item.summary[:120], 280))
    others = [o for o in outlets if o != item.feed]
    outlets_line = escape_mrkdwn(item.feed) + (f" (+{len(others)} more: {escape_mrkdwn(', '.join(others))})" if others else "")
    blocks = [
        HeaderBlock(text=clip(f"{topic.name}", HEADER_MAX)),
        SectionBlock(text=MarkdownTextObject(text=clip(f"*{title}*\n{summary}", SECTION_MAX))),
        ContextBlock(elements=[MarkdownTextObject(text=clip(
            f"{outlets_line} · {when} · match {match.score:.2f} · topic `{topic.id}`", SECTION_MAX))]),
    ]
    text = clip(f"[{topic.name}] {item.title} ({item.feed})", 3000)
    return OutboxRow(message_id, "match", topic.id, channel, text, [b.to_dict() for b in blocks], "pending")


def _when(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M UTC")

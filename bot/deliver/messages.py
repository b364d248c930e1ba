"""Slack messages rendered from plain values (pure): Block Kit built and checked by slack-sdk."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import quote

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.deliver.outbox import OutboxRow
from bot.deliver.review import review_actions
from bot.ingest.items import Item
from bot.labels import Label
from bot.read.match import Match
from bot.rules import Topic
from bot.track.shifts import Evidence, Shift

SECTION_MAX = 3000
HEADER_MAX = 150
_MENTION = re.compile(r"@(channel|here|everyone)\b", re.I)


# Look-alikes for the characters Slack reads as formatting (bold, italic, strike, code, quote).
_INERT = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})


def escape_mrkdwn(text: str) -> str:
    """Feed text made inert for Slack mrkdwn: no markup, no links, no @channel pings."""
    text = text.translate(_INERT)
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


# One symbol per stance wherever one is shown (alerts, the digest's board, the editor's view), matching the chart's
# colours: blue and orange, which red-green colour-blind readers tell apart, and a grey-white circle for neutral.
STANCE_MARK: dict[str, str] = {Label.SUPPORTIVE: "🔵", Label.OPPOSED: "🟠", Label.NEUTRAL: "⚪"}
UNSETTLED_MARK = "▫️"  # no settled stance
LABEL_MARK: dict[str, str] = {label: f"{mark} {label}" for label, mark in STANCE_MARK.items()}
FROM_ARTICLE = "from the article"  # said of a quote read in the article behind an item, not its headline or summary
Named = tuple[str, str, str] | tuple[str, str, str, bool]  # (country name, label, quote[, from the article])


STANCE_LINES = 8


def stance_lines(stances: Sequence[Named], limit: int = STANCE_LINES) -> str:
    """'Brazil: opposed — "quote"' lines, evidence clipped and escaped, '(from the article)' where it came from."""
    lines = [f"*{escape_mrkdwn(s[0])}*: {LABEL_MARK.get(s[1], s[1])} — _\u201c{clip(escape_mrkdwn(s[2]), 240)}\u201d_"
             + (f" ({FROM_ARTICLE})" if any(s[3:]) else "") for s in stances[:limit]]
    if len(stances) > limit:
        lines.append(f"…and {len(stances) - limit} more")
    return "\n".join(lines)


def match_message(item: Item, match: Match, topic: Topic, *, channel: str, outlets: list[str], message_id: str,
                  stances: Sequence[Named] = (), countries: Sequence[str] = ()) -> OutboxRow:
    """The Slack message for a newly matched story, with the stances it reports ((name, label, quote[, from the
    article]), and the countries' codes in the same order) and the buttons that correct them."""
    when = _when(item.published)
    summary = clip(escape_mrkdwn(item.summary), 600)
    title = safe_link(item.link, clip(item.title or item.summary[:120], 280))
    others = [o for o in outlets if o != item.feed]
    outlets_line = escape_mrkdwn(item.feed) + (f" (+{len(others)} more: {escape_mrkdwn(', '.join(others))})" if others else "")
    blocks = [
        HeaderBlock(text=clip(f"{topic.name}", HEADER_MAX)),
        SectionBlock(text=MarkdownTextObject(text=clip(f"*{title}*\n{summary}", SECTION_MAX))),
    ]
    if stances:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(stance_lines(list(stances)), SECTION_MAX))))
    blocks += [
        ContextBlock(elements=[MarkdownTextObject(text=clip(
            f"{outlets_line} · {when} · match {match.score:.2f} · topic `{topic.id}`", SECTION_MAX))]),
    ]
    text = clip(escape_mrkdwn(f"[{topic.name}] {item.title} ({item.feed})"), 3000)  # notifications read it: inert too
    read = [(country, s[0], s[1]) for country, s in zip(countries, stances, strict=False)]
    payload = {"kind": "story", "topic": topic.id, "item": item.id, "stances": {c: label for c, _, label in read}}
    rendered = [b.to_dict() for b in blocks] + [review_actions(message_id, read[:STANCE_LINES], None)]
    return OutboxRow(message_id, "match", topic.id, channel, text, rendered, "pending", payload=payload)


def _when(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M UTC")


def flag(iso2: str | None) -> str:
    """The flag emoji of an ISO 3166-1 alpha-2 code (regional indicator pair)."""
    if not iso2 or len(iso2) != 2 or not iso2.isalpha():
        return "🏳️"
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in iso2.upper())


def _label(label: str | None) -> str:
    return label if label else "no settled stance"


def shift_message(shift: Shift, topic: Topic, *, country_name: str, iso2: str | None, channel: str) -> OutboxRow:
    """The Slack alert for a settled stance that moved: before → after, quotes, outlets."""
    head = f"{flag(iso2)} {country_name}: {_label(shift.before)} → {shift.after}"
    outlets = ", ".join(shift.outlets)
    lines = [f"*{escape_mrkdwn(topic.name)}*",
             f"{escape_mrkdwn(country_name)} is now *{shift.after}* on {escape_mrkdwn(topic.target)}"
             + (f" (was {shift.before})." if shift.before else " (first settled stance)."),
             f"Confidence {shift.confidence:.0%} of the weighted evidence · {len(shift.outlets)} outlets agree: {escape_mrkdwn(outlets)}"]
    quotes = []
    for e in shift.evidence[:3]:
        source = safe_link(e.link, e.outlet) if e.link else escape_mrkdwn(e.outlet)
        quotes.append(f"> _\u201c{clip(escape_mrkdwn(e.quote), 400)}\u201d_\n> — {source}, {e.published:%d %b %Y}"
                      + (f" ({FROM_ARTICLE})" if e.from_article else ""))
    blocks = [HeaderBlock(text=clip(head, HEADER_MAX)),
              SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines), SECTION_MAX)))]
    if quotes:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip("\n".join(quotes), SECTION_MAX))))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=clip(
        f"topic `{topic.id}` · settled {shift.at:%Y-%m-%d %H:%M} UTC · stancebot", SECTION_MAX))]))
    text = clip(escape_mrkdwn(f"{country_name}: {_label(shift.before)} → {shift.after} on {topic.name}"), 3000)
    payload = {"kind": "stance_shift", "topic": topic.id, "country": shift.country, "from": shift.before, "to": shift.after,
               "at": shift.at.isoformat(), "evidence": [e.link for e in shift.evidence if e.link],
               "confidence": shift.confidence, "outlets": list(shift.outlets), "items": [e.item_id for e in shift.evidence]}
    rendered = [b.to_dict() for b in blocks] + [review_actions(shift.id, [(shift.country, country_name, shift.after)], country_name)]
    return OutboxRow(shift.id, "shift", topic.id, channel, text, rendered, "pending", payload=payload)


def followup_message(evidence: Evidence, parent_id: str, topic: Topic, *, country_name: str, label: str, channel: str) -> OutboxRow:
    """A thread reply under a shift alert: one more story that agrees with it."""
    source = safe_link(evidence.link, evidence.outlet) if evidence.link else escape_mrkdwn(evidence.outlet)
    where = f" ({FROM_ARTICLE})" if evidence.from_article else ""
    text = clip(f"More evidence: {escape_mrkdwn(country_name)} {label} — _\u201c{escape_mrkdwn(evidence.quote)}\u201d_ — {source}{where}",
                SECTION_MAX)
    blocks = [SectionBlock(text=MarkdownTextObject(text=text))]
    return OutboxRow(f"followup:{parent_id}:{evidence.cluster_id}", "followup", topic.id, channel,
                     clip(escape_mrkdwn(f"More evidence: {country_name} {label} ({evidence.outlet})"), 3000),
                     [b.to_dict() for b in blocks], "pending", parent_id=parent_id, payload={"country": evidence.country})


def feed_health_message(feed, *, down: bool, since: datetime, error: str | None, failures: int, channel: str) -> OutboxRow:
    """One message when a feed goes down for long, one when it comes back."""
    if down:
        text = (f"Feed *{escape_mrkdwn(feed.name)}* has been failing since {since:%Y-%m-%d %H:%M} UTC "
                f"({failures} polls in a row): {escape_mrkdwn(error or 'unknown error')}\n{escape_mrkdwn(feed.shown_url)}")
        summary = f"Feed {feed.name} is failing: {error}"
    else:
        text = f"Feed *{escape_mrkdwn(feed.name)}* works again (it had been failing since {since:%Y-%m-%d %H:%M} UTC)."
        summary = f"Feed {feed.name} works again"
    block = SectionBlock(text=MarkdownTextObject(text=clip(("⚠️ " if down else "✅ ") + text, SECTION_MAX)))
    kind = "feed_down" if down else "feed_up"
    return OutboxRow(f"{kind}:{feed.name}:{since.isoformat()}", kind, None, channel, clip(escape_mrkdwn(summary), 3000),
                     [block.to_dict()], "pending")


def correction_message(*, message_id: str, parent_id: str | None, topic_id: str, topic_name: str, channel: str, country: str,
                       country_name: str, before: str | None, after: str | None, stories: int, user_name: str,
                       off_topic: bool = False) -> OutboxRow:
    """The short thread reply when a correction moves a settled stance."""
    now_text = f"*{after}*" if after else "*no settled stance*"
    what = (f"{stories} stor{'y' if stories == 1 else 'ies'} taken off this topic" if off_topic
            else f"{stories} stor{'y' if stories == 1 else 'ies'} relabelled")
    line = (f"✏️ Corrected by {escape_mrkdwn(user_name)}: {escape_mrkdwn(country_name)} is now {now_text} on "
            f"{escape_mrkdwn(topic_name)} (was {before or 'no settled stance'}; {what}).")
    text = clip(escape_mrkdwn(f"Correction: {country_name} is now {after or 'without a settled stance'} on {topic_name} "
                              f"(was {before or 'no settled stance'})"), 3000)
    block = {"type": "section", "text": {"type": "mrkdwn", "text": clip(line, 3000)}}
    payload = {"kind": "correction", "topic": topic_id, "country": country, "from": before, "to": after}
    return OutboxRow(message_id, "correction", topic_id, channel, text, [block], "pending", parent_id=parent_id, payload=payload)

"""`/stancebot`: what a command says, and the Block Kit answers (pure).

    /stancebot board [topic]                      who stands where now, with the change arrows
    /stancebot why COUNTRY [topic]                the evidence behind a settled stance
    /stancebot mute COUNTRY|TOPIC [topic] [7d]    no alerts about it until then; `mute` alone lists the mutes
    /stancebot unmute COUNTRY|TOPIC [topic]
    /stancebot help

Answers are ephemeral; `share` at the end of `board` or `why` posts the answer in the channel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.deliver.messages import SECTION_MAX, clip, escape_mrkdwn, flag, safe_link
from bot.deliver.mutes import DEFAULT_MUTE, Mute, parse_duration
from bot.digest.render import MARK, UNSETTLED, BoardRow, arrow, symbol_legend
from bot.rules import Topic
from bot.track.evidence import Evidence
from bot.yamlsource import suggest

VERBS = ("board", "why", "mute", "unmute", "help")
MAX_BLOCKS = 48  # Slack allows 50 blocks a message
WHY_STORIES = 8
USAGE = ("*/stancebot* commands:\n"
         "• `board [topic]` — who stands where now, with changes since yesterday and over 7 days\n"
         "• `why COUNTRY [topic]` — the stories behind a country's settled stance: quotes, outlets, dates\n"
         "• `mute COUNTRY|TOPIC [topic] [7d]` — no alerts about it for a while (`12h`, `7d`, `2w`; default 7d); "
         "`mute` alone lists the mutes\n"
         "• `unmute COUNTRY|TOPIC [topic]` — alerts again from now on (muted ones are not sent late)\n"
         "• `help` — this list\n"
         "Answers only you see; add `share` to `board` or `why` to post it in the channel. "
         "Under each alert: *Wrong stance*, *Not this topic* and *Mute*.")


class CommandError(ValueError):
    """A command that cannot be understood; the message says what was wrong and how to write it."""


@dataclass(frozen=True)
class Command:
    verb: str
    country: str = ""  # ISO3
    topic_id: str = ""
    duration: timedelta | None = None
    share: bool = False


def parse_command(text: str, *, topics: Sequence[Topic], countries: Mapping[str, str]) -> Command:
    """A `/stancebot` command's text as a Command; `countries` maps ISO3 codes to names."""
    words = text.split()
    if not words or words[0].lower() in ("help", "?"):
        return Command("help")
    verb, rest = words[0].lower(), words[1:]
    if verb not in VERBS:
        raise CommandError(f"unknown command `{escape_mrkdwn(words[0])}`{suggest(verb, VERBS)}. Try `/stancebot help`.")
    share = bool(rest) and rest[-1].lower() == "share" and verb in ("board", "why")
    rest = rest[:-1] if share else rest
    duration = None
    if verb == "mute" and rest and parse_duration(rest[-1]) is not None:
        duration, rest = parse_duration(rest[-1]), rest[:-1]
    elif verb == "mute" and rest and rest[-1][:1].isdigit():
        raise CommandError(f"`{escape_mrkdwn(rest[-1])}` is not a duration: write `12h`, `7d` or `2w` (at most a year).")
    ids = {t.id.lower(): t.id for t in topics}
    topic_id = ""
    if rest and rest[-1].lower() in ids:
        topic_id, rest = ids[rest[-1].lower()], rest[:-1]
    country = find_country(" ".join(rest), countries) if rest else ""
    if rest and not country:
        raise CommandError(f"no country or topic called `{escape_mrkdwn(' '.join(rest))}`"
                           f"{suggest(' '.join(rest).lower(), list(ids))}. Topics: {', '.join(f'`{t.id}`' for t in topics)}.")
    if verb == "why" and not country:
        raise CommandError("which country? e.g. `/stancebot why Brazil`" + (f" `{topics[0].id}`" if topics else ""))
    if verb == "unmute" and not (country or topic_id):
        raise CommandError("unmute what? e.g. `/stancebot unmute Brazil` or `/stancebot unmute TOPIC`")
    return Command(verb, country, topic_id, duration or (DEFAULT_MUTE if verb == "mute" else None), share)


def find_country(text: str, countries: Mapping[str, str]) -> str:
    """The ISO3 code a user means by a code or a name ("bra", "Brazil", "trinidad and tobago"), else ""."""
    wanted = " ".join(text.split()).casefold()
    if wanted.upper() in countries:
        return wanted.upper()
    for code, name in countries.items():
        if name.casefold() == wanted or name.casefold().removeprefix("the ") == wanted:
            return code
    return ""


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_MAX)}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, SECTION_MAX)}]}


def _packed(title: str, lines: Sequence[str]) -> list[dict]:
    """Lines under a title, in as few sections as the 3,000-character limit allows."""
    out, current = [], title
    for line in lines:
        line = clip(line, 1000)
        if len(current) + 1 + len(line) > SECTION_MAX:
            out.append(_section(current))
            current = line
        else:
            current += "\n" + line
    out.append(_section(current))
    return out


def _fit(blocks: list[dict], more: str) -> list[dict]:
    """At most MAX_BLOCKS blocks; the last one says what was left out."""
    return blocks if len(blocks) <= MAX_BLOCKS else [*blocks[:MAX_BLOCKS - 1], _context(more)]


def board_blocks(boards: Sequence[tuple[Topic, Sequence[BoardRow]]], *, now: datetime) -> list[dict]:
    """Who stands where on each topic now: settled stance, arrows since yesterday and over 7 days, stories behind it."""
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": "Who stands where"}}]
    for topic, rows in boards:
        lines = [f"{MARK[r.state]} {flag(r.iso2)} *{escape_mrkdwn(r.name)}*: {r.state or UNSETTLED} "
                 f"{arrow(r.at_start, r.state)} 24h · {arrow(r.week_ago, r.state)} 7d · {r.stories} stories, {r.outlets} outlets"
                 for r in rows]
        blocks.append({"type": "divider"})
        blocks += _packed(f"*{escape_mrkdwn(topic.name)}* (`{topic.id}`)", lines or ["_No country has a settled stance yet._"])
    blocks.append(_context(f"as of {now:%Y-%m-%d %H:%M} UTC · arrows: in the last 24 hours and over 7 days · "
                           f"{symbol_legend()} · `/stancebot why COUNTRY` for the evidence"))
    return _fit(blocks, "…more topics than one message holds: `/stancebot board TOPIC` shows one.")


@dataclass(frozen=True)
class Why:
    """A country's settled stance on one topic, and the stories behind it."""

    topic: Topic
    country: str
    name: str
    iso2: str | None
    state: str | None
    since: datetime | None
    support: tuple[Evidence, ...]  # the stories carrying the settled stance, newest first
    against: dict[str, int]  # other labels -> stories


def why_blocks(answers: Sequence[Why], *, window_days: int) -> list[dict]:
    """The evidence behind each settled stance: quotes, outlets, dates, links."""
    blocks: list[dict] = []
    for a in answers:
        head = (f"{flag(a.iso2)} *{escape_mrkdwn(a.name)}* on *{escape_mrkdwn(a.topic.name)}*: "
                + (f"*{a.state}* since {a.since:%d %b %Y}" if a.state and a.since else "no settled stance"))
        lines = []
        for e in a.support[:WHY_STORIES]:
            source = safe_link(e.link, e.outlet) if e.link else escape_mrkdwn(e.outlet)
            lines.append(f"> _“{clip(escape_mrkdwn(e.quote), 300)}”_\n> — {source}, {e.published:%d %b %Y} ({e.label})")
        if len(a.support) > WHY_STORIES:
            lines.append(f"…and {len(a.support) - WHY_STORIES} more stories")
        if not lines:
            lines.append(f"_No story in the last {window_days} days carries a stance of {escape_mrkdwn(a.name)}._")
        blocks += _packed(head, lines)
        other = ", ".join(f"{n} {label}" for label, n in sorted(a.against.items()) if n)
        blocks.append(_context(f"topic `{a.topic.id}` · last {window_days} days · corrections applied"
                               + (f" · against it: {other}" if other else "")))
    return _fit(blocks or [_section("Nothing to show.")], "…more than one message holds: name a topic.")


def mutes_blocks(mutes: Sequence[Mute], describe: Mapping[int, str]) -> list[dict]:
    """The mutes in force, each with who set it and until when."""
    if not mutes:
        return [_section("Nothing is muted.")]
    lines = [f"• {escape_mrkdwn(describe[m.id])} until {m.until:%Y-%m-%d %H:%M} UTC (by {escape_mrkdwn(m.user_name or m.user_id)})"
             for m in mutes]
    return _fit(_packed("*Muted* (alerts recorded, not sent; the board and digest still show them):", lines), "…")


def text_blocks(text: str) -> list[dict]:
    return [_section(text)]

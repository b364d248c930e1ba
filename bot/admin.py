"""What an operator asks of a bot's database: feed health, the outbox, sending a message again, the healthcheck."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.table import Table

from bot.deliver.outbox import OutboxRow
from bot.read.language import language_name
from bot.rules import Rules
from bot.store import FeedRecord, Store, StoreError, parse_iso

LAST_TICK_KEY = "last_tick_at"  # when the last cycle completed; the app writes it, the healthcheck reads it
HEALTHY_WITHIN = timedelta(minutes=15)  # at least: a first cycle over a backlog takes a while


class AdminError(ValueError):
    """A request the outbox cannot honour (unknown id, already sent); the message says why."""


def retry_messages(store: Store, ids: list[str], *, all_failed: bool, force: bool, rules: Rules | None,
                   default_channel: str, now: datetime) -> list[str]:
    """Queue messages again, to the channel the current rules give them; one line per message on what was done.

    A message already sent is refused unless `force` (it would be posted twice); a failed or printed one is queued.
    """
    targets = [store.message(i) or _unknown(i) for i in ids]
    if all_failed:
        targets += [m for m in store.outbox(status="failed") if m.id not in ids]
    if not targets:
        return ["no failed messages to retry"]
    lines = []
    for message in targets:
        if message.status in ("pending", "sending"):
            lines.append(f"{message.id} is already waiting to be sent")
            continue
        if message.status == "sent" and not force:
            raise AdminError(f"{message.id} was already sent to {message.channel} (ts {message.ts}); "
                             "--force posts it again")
        channel = rules.channel_of(message, default_channel) if rules else message.channel
        store.requeue_message(message.id, channel=channel, now=now)
        moved = f" (it was queued for {message.channel})" if channel != message.channel else ""
        lines.append(f"queued {message.id} again for {channel}{moved}")
    return lines


def _unknown(message_id: str) -> OutboxRow:
    raise AdminError(f"no message {message_id!r} in the outbox")


def health_of(db_path, *, now: datetime, tick_s: int) -> tuple[bool, str]:
    """The healthcheck of the bot using `db_path`; a missing or unusable database is unhealthy, not a usage error
    (Docker reserves exit status 2 in health checks)."""
    try:
        with Store(db_path, create=False) as store:
            return health(store, now=now, tick_s=tick_s)
    except StoreError as exc:
        return False, str(exc.problems[0])


def health(store: Store, *, now: datetime, tick_s: int) -> tuple[bool, str]:
    """Whether the bot completed a cycle recently (the container's HEALTHCHECK), and a line saying so."""
    last = parse_iso(store.get_state(LAST_TICK_KEY))
    if last is None:
        return False, "no cycle has completed yet"
    limit = max(timedelta(seconds=3 * tick_s), HEALTHY_WITHIN)
    ago = now - last
    if ago > limit:
        return False, f"the last cycle completed {ago.total_seconds() / 60:.0f} minutes ago (more than {limit.total_seconds() / 60:.0f})"
    hold = store.get_state("slack_hold")
    return True, f"ok: the last cycle completed {max(ago.total_seconds(), 0):.0f}s ago" + (
        f"; Slack delivery is held ({hold})" if hold else "")


def feeds_table(rules: Rules, records: list[FeedRecord], *, title: str, articles: dict[str, dict[str, int]] | None = None,
                unread: dict[str, dict[str, int]] | None = None) -> Table:
    """Each feed's health: status, last success, failures in a row, items, next poll, last error or note; with
    `articles` (store.article_counts) and `unread` (store.unread_languages), what full-text reading did and which
    items were in languages the models do not read."""
    stored = {r.name: r for r in records}
    table = Table(title=title)
    for column in ("feed", "status", "last success (UTC)", "failures", "items", "next poll (UTC)", "last error / note"):
        table.add_column(column, overflow="fold")
    for feed in rules.feeds:
        record = stored.get(feed.name)
        status = "never polled" if record is None else ("failing" if record.failures else "ok")
        style = {"failing": "red", "ok": "green"}.get(status, "yellow")
        note = "" if record is None else (record.last_error or record.last_problem or "")
        languages = ", ".join(f"{count} {language_name(lang)}" for lang, feeds in (unread or {}).items()
                              for name, count in feeds.items() if name == feed.name)
        items = str(record.items_seen if record else 0) + (f"\n[yellow]{languages} not read[/yellow]" if languages else "")
        full = article_summary(feed.fulltext, (articles or {}).get(feed.name, {}))
        table.add_row(f"{feed.name}\n[dim]{feed.shown_url}[/dim]" + (f"\n[cyan]full text {full}[/cyan]" if full else ""),
                      f"[{style}]{status}[/{style}]", _when(record and record.last_success_at),
                      str(record.failures if record else 0), items, _when(record and record.next_poll_at), note)
    return table


def article_summary(mode: str, counts: dict[str, int]) -> str:
    """'auto: 12 read, 3 summary enough, 2 kept the summary (robots 1, paywall 1)': what full-text reading did for a feed."""
    if mode == "off":
        return f"off ({sum(counts.values())} articles earlier)" if counts else ""
    read, shipped, enough = counts.get("ok", 0), counts.get("feed", 0), counts.get("enough", 0)
    failed = {k: v for k, v in sorted(counts.items()) if k not in ("ok", "feed", "enough")}
    bits = [f"{read} read"] + ([f"{shipped} in the feed"] if shipped else []) + ([f"{enough} summary enough"] if enough else [])
    if failed:
        bits.append(f"{sum(failed.values())} kept the summary ({', '.join(f'{k} {v}' for k, v in failed.items())})")
    return f"{mode}: " + ", ".join(bits)


def rules_summary(root, rules: Rules, gaz) -> list[str]:
    """What `stancebot check` prints: counts, the feeds that read full articles, and each topic with its context."""
    from bot.read.match import derive_context

    lines = [f"{root}: {len(rules.feeds)} feeds, {len(rules.watchlists)} watchlists, {len(rules.topics)} topics"]
    full = [f for f in rules.feeds if f.fulltext != "off"]
    if full:
        lines.append(f"  full articles read for {len(full)} feeds: " + ", ".join(f"{f.name} ({f.fulltext})" for f in full))
    for topic in rules.topics:
        context = derive_context(topic, gaz).describe(gaz) or "anywhere"
        lines.append(f"  {topic.id}: {topic.name} (context: {context}; source {topic.source})")
    return lines


def outbox_table(rows: list[OutboxRow], *, title: str) -> Table:
    table = Table(title=title)
    for column in ("id", "kind", "channel", "status", "attempts", "ts", "last error"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(r.id, r.kind, r.channel, r.status, str(r.attempts), r.ts or "", r.last_error or "")
    return table


def _when(dt: datetime | None) -> str:
    return dt.isoformat()[:16] if dt else "-"

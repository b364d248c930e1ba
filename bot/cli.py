"""The `stancebot` command line; the only place that turns errors into exit codes."""

from __future__ import annotations

import logging
import sys
from datetime import timedelta
from pathlib import Path

import click

from bot.config import ENV_VARS, Settings, load_settings
from bot.yamlsource import ConfigError

EXIT_CONFIG = 2


class RedactSecrets(logging.Filter):
    """Replaces any secret that reaches a log record with '***'."""

    def __init__(self, secrets: list[str]):
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            if any(s in message for s in self.secrets):
                for s in self.secrets:
                    message = message.replace(s, "***")
                record.msg, record.args = message, None
        return True


def setup_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets([settings.slack_token or ""]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level if settings.log_level in logging.getLevelNamesMapping() else "INFO")
    for noisy in ("httpx", "httpcore", "apscheduler.executors", "sentence_transformers", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _settings(**overrides: object) -> Settings:
    try:
        return load_settings().with_overrides(**overrides)
    except ConfigError as exc:
        _fail(exc)


def _fail(exc: ConfigError) -> None:
    for problem in exc.problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(EXIT_CONFIG)


ENV_HELP = "\n".join(f"  {k:22} {v}" for k, v in ENV_VARS.items())


@click.group(epilog=f"Settings come from environment variables:\n\n{ENV_HELP}\n\nExample:\n\n  stancebot demo")
@click.version_option(package_name="stancebot")
def cli() -> None:
    """Watch news feeds and tell Slack when a country's stance on a watched issue shifts."""


@cli.command()
@click.option("--once", is_flag=True, help="Poll every feed once, process and deliver, then exit (for cron).")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), help="Rules folder (default $STANCEBOT_RULES or ./rules).")
@click.option("--db", "db_path", type=click.Path(path_type=Path), help="SQLite file (default $STANCEBOT_DB or ./stancebot.db).")
def run(once: bool, rules_dir: Path | None, db_path: Path | None) -> None:
    """Run the bot: poll feeds on schedule, match topics, send Slack messages.

    Stops cleanly on SIGTERM or Ctrl-C; a restart picks up where it stopped.

    Example:

      SLACK_BOT_TOKEN=xoxb-... stancebot run --rules rules --db /var/lib/stancebot/stancebot.db
    """
    from bot.app import build_app

    settings = _settings(rules_dir=rules_dir, db_path=db_path)
    setup_logging(settings)
    try:
        app = build_app(settings)
    except ConfigError as exc:
        _fail(exc)
    try:
        if once:  # the models load only if there is something new to read (a quiet cron run stays cheap)
            report = app.tick(force=True)
            click.echo(f"polled {report.poll.polled} feeds ({len(report.poll.failed)} failed), "
                       f"{report.poll.new_items} new items, {report.process.matched} matches, "
                       f"{report.delivery['sent']} messages delivered", err=True)
        else:
            app.load_models()  # a model that cannot load stops the bot now, not in every cycle's log
            app.run_forever()
    except ConfigError as exc:
        _fail(exc)
    finally:
        app.close()


@cli.command()
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=Path("stancebot-demo.db"), show_default=True,
              help="Where to leave the demo database (replaced on each run).")
def demo(db_path: Path) -> None:
    """Replay two weeks of sample news through the real pipeline, offline.

    Needs no Slack token and no network: sample feeds are served from
    127.0.0.1 on a simulated clock, and Slack messages are printed here.

    Example:

      stancebot demo --db /tmp/demo.db
    """
    from rich.console import Console

    from bot.demo import run_demo

    settings = _settings()
    setup_logging(settings.with_overrides(log_level="ERROR"))
    run_demo(db_path=db_path, console=Console(), settings=settings)


@cli.command()
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), help="Rules folder (default $STANCEBOT_RULES or ./rules).")
def check(rules_dir: Path | None) -> None:
    """Validate a rules folder and print what it holds; exit 2 on any error.

    Example:

      stancebot check --rules rules
    """
    from bot.read.gazetteer import load_gazetteer
    from bot.rules import load_rules

    settings = _settings(rules_dir=rules_dir)
    try:
        gaz = load_gazetteer(settings.rules_dir)
        rules = load_rules(settings.rules_dir, gaz.codes)
    except ConfigError as exc:
        _fail(exc)
    from bot.read.match import derive_context

    click.echo(f"{settings.rules_dir}: {len(rules.feeds)} feeds, {len(rules.watchlists)} watchlists, {len(rules.topics)} topics")
    for topic in rules.topics:
        context = derive_context(topic, gaz).describe(gaz) or "anywhere"
        click.echo(f"  {topic.id}: {topic.name} (context: {context}; source {topic.source})")


@cli.command()
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), help="Rules folder holding watchlists/*.yaml.")
@click.option("--topic", "topic_id", help="Only this topic, treated as matched.")
@click.option("--input", "input_file", type=click.File("r", encoding="utf-8"), default="-", help="JSONL input (default stdin).")
@click.option("--output", "output_file", type=click.File("w", encoding="utf-8"), default="-", help="JSONL output (default stdout).")
def analyze(rules_dir: Path | None, topic_id: str | None, input_file, output_file) -> None:
    """Match JSONL items against topics and find country stances.

    Each input line: {"id", "title", "summary", "text"} (any text field may be
    missing). Each output line, in the same order:
    {"id", "topics": [{"id", "score", "matched", "stances": [...]}]}.
    A malformed line gives {"id", "error"} and a message on stderr.

    Example:

      stancebot analyze --rules rules < items.jsonl > results.jsonl
    """
    from bot.analyze import run_analyze
    from bot.read.embed import embedder_for
    from bot.read.gazetteer import load_gazetteer
    from bot.read.match import build_profiles
    from bot.rules import load_rules

    settings = _settings(rules_dir=rules_dir)
    setup_logging(settings.with_overrides(log_level="WARNING"))
    try:
        gaz = load_gazetteer(settings.rules_dir)
        rules = load_rules(settings.rules_dir, gaz.codes)
        topics = rules.topics
        if topic_id:
            topics = tuple(t for t in topics if t.id == topic_id)
            if not topics:
                raise ConfigError([_unknown_topic(topic_id, rules)])
        embedder = embedder_for(settings)
    except ConfigError as exc:
        _fail(exc)
    from bot.read.nlp import load_nlp
    from bot.read.reader import Stancer

    try:
        stancer = Stancer(nlp=load_nlp(settings.spacy_model), gaz=gaz, embedder=embedder)
    except ConfigError as exc:
        _fail(exc)
    profiles = build_profiles(topics, embedder, gaz)
    run_analyze(input_file, output_file, sys.stderr, embedder=embedder, profiles=profiles, gaz=gaz,
                force_match=bool(topic_id), stancer=stancer)


@cli.command()
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), help="Rules folder holding watchlists/*.yaml.")
@click.option("--items", "items_file", type=click.File("r", encoding="utf-8"), help="JSONL items to replay.")
@click.option("--db", "db_path", type=click.Path(path_type=Path, exists=True, dir_okay=False), help="Replay items stored in this bot database instead.")
@click.option("--since", default="30d", show_default=True, help="With --db: how far back (30d, 12h, 2w or YYYY-MM-DD).")
@click.option("--alerts-out", type=click.File("w", encoding="utf-8"), help="Write one JSON line per alert here.")
def backtest(rules_dir: Path | None, items_file, db_path: Path | None, since: str, alerts_out) -> None:
    """Replay items through dedup, matching, stances and shift detection, offline.

    Prints the alerts the watchlists would have sent, in order. Nothing is
    fetched and nothing goes to Slack. Input lines: {"id", "feed",
    "published", "link", "title", "summary", "text"?}.

    Example:

      stancebot backtest --rules rules --items last-month.jsonl --alerts-out alerts.jsonl
    """
    from rich.console import Console
    from rich.table import Table

    from bot.app import utcnow
    from bot.backtest import parse_input, parse_since, run_backtest, stored_items, write_alerts
    from bot.read.embed import embedder_for
    from bot.read.gazetteer import load_gazetteer
    from bot.read.nlp import load_nlp
    from bot.rules import load_rules
    from bot.read.reader import Stancer
    from bot.store import Store

    if bool(items_file) == bool(db_path):
        raise click.UsageError("give exactly one of --items FILE or --db FILE")
    settings = _settings(rules_dir=rules_dir)
    setup_logging(settings.with_overrides(log_level="WARNING"))
    try:
        gaz = load_gazetteer(settings.rules_dir)
        rules = load_rules(settings.rules_dir, gaz.codes)
        embedder = embedder_for(settings)
        stancer = Stancer(nlp=load_nlp(settings.spacy_model), gaz=gaz, embedder=embedder)
    except ConfigError as exc:
        _fail(exc)
    vectors = None
    if items_file:
        items, problems = parse_input(items_file)
        for problem in problems:
            click.echo(f"stancebot backtest: {items_file.name}: {problem}", err=True)
    else:
        try:
            start = parse_since(since, utcnow())
        except ValueError:
            raise click.BadParameter(f"expected 30d, 12h, 2w or YYYY-MM-DD, got {since!r}", param_hint="--since")
        with Store(db_path) as db:
            items, vectors = stored_items(db, since=start)
    result = run_backtest(items, rules, embedder=embedder, stancer=stancer, gaz=gaz, vectors=vectors)
    console = Console(stderr=alerts_out is None or alerts_out.name == "<stdout>")
    table = Table(title=f"{len(result.alerts)} alerts from {result.items} items ({result.matched} matches, {result.stances} stances)")
    for column in ("when (UTC)", "topic", "country", "from", "to", "evidence"):
        table.add_column(column)
    for a in result.alerts:
        table.add_row(a["at"][:16].replace("T", " "), a["topic"], f"{gaz.country_name(a['country'])} ({a['country']})",
                      a["from"] or "-", a["to"], str(len(a["evidence"])))
    console.print(table)
    if alerts_out:
        write_alerts(result.alerts, alerts_out)


@cli.command()
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), help="Rules folder (default $STANCEBOT_RULES or ./rules).")
@click.option("--db", "db_path", type=click.Path(path_type=Path), help="SQLite file (default $STANCEBOT_DB or ./stancebot.db).")
def feeds(rules_dir: Path | None, db_path: Path | None) -> None:
    """Show every feed's health: last success, failures in a row, last error, next poll.

    Example:

      stancebot feeds --db /var/lib/stancebot/stancebot.db
    """
    from rich.console import Console
    from rich.table import Table

    from bot.read.gazetteer import load_gazetteer
    from bot.rules import load_rules
    from bot.store import Store

    settings = _settings(rules_dir=rules_dir, db_path=db_path)
    try:
        rules = load_rules(settings.rules_dir, load_gazetteer(settings.rules_dir).codes)
    except ConfigError as exc:
        _fail(exc)
    with Store(settings.db_path) as store:
        stored = {row["name"]: row for row in store.feeds()}
    table = Table(title=f"{len(rules.feeds)} feeds in {settings.rules_dir}")
    for column in ("feed", "status", "last success (UTC)", "failures", "items", "next poll (UTC)", "last error"):
        table.add_column(column, overflow="fold")
    for feed in rules.feeds:
        row = stored.get(feed.name) or {}
        status = "never polled" if not row else ("failing" if row.get("failures") else "ok")
        style = {"failing": "red", "ok": "green"}.get(status, "yellow")
        table.add_row(f"{feed.name}\n[dim]{feed.url}[/dim]", f"[{style}]{status}[/{style}]",
                      (row.get("last_success_at") or "-")[:16], str(row.get("failures") or 0), str(row.get("items_seen") or 0),
                      (row.get("next_poll_at") or "-")[:16], row.get("last_error") or "")
    Console().print(table)


@cli.command()
@click.option("--db", "db_path", type=click.Path(path_type=Path), help="SQLite file (default $STANCEBOT_DB or ./stancebot.db).")
@click.option("--status", type=click.Choice(["pending", "sending", "sent", "printed", "failed"]), help="Only messages in this state.")
@click.option("--retry", "retry_ids", multiple=True, metavar="ID", help="Queue a failed message again (after fixing its channel).")
def outbox(db_path: Path | None, status: str | None, retry_ids: tuple[str, ...]) -> None:
    """List the Slack outbox: what was sent, what waits, what failed and why.

    Example:

      stancebot outbox --status failed
      stancebot outbox --retry 'shift:us-caribbean-naval:COL:2026-11-07T09:30:00+00:00:opposed'
    """
    from rich.console import Console
    from rich.table import Table

    from bot.app import utcnow
    from bot.store import Store

    settings = _settings(db_path=db_path)
    with Store(settings.db_path) as store:
        for message_id in retry_ids:
            row = store.message(message_id)
            if row is None:
                raise click.BadParameter(f"no message {message_id!r} in {settings.db_path}", param_hint="--retry")
            store.mark_message(message_id, status="pending", now=utcnow(), retry_at=utcnow(), error=row.last_error)
            click.echo(f"queued {message_id} again", err=True)
        rows = store.outbox(status=status)
    table = Table(title=f"{len(rows)} messages in {settings.db_path}")
    for column in ("id", "kind", "channel", "status", "attempts", "ts", "last error"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(r.id, r.kind, r.channel, r.status, str(r.attempts), r.ts or "", r.last_error or "")
    Console().print(table)


@cli.command()
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), help="Rules folder (default $STANCEBOT_RULES or ./rules).")
@click.option("--db", "db_path", type=click.Path(path_type=Path), help="SQLite file (default $STANCEBOT_DB or ./stancebot.db).")
@click.option("--date", "date_text", help="The digest of this local date (YYYY-MM-DD); default: the latest one due.")
@click.option("--watchlist", "watchlist_id", help="Only this watchlist.")
@click.option("--dry-run", is_flag=True, help="Render in the terminal and write the chart; record and send nothing.")
def digest(rules_dir: Path | None, db_path: Path | None, date_text: str | None, watchlist_id: str | None, dry_run: bool) -> None:
    """Render each watchlist's daily digest (stance board, shifts, top stories, chart).

    Without --dry-run the digest is queued and delivered like any alert (at most
    once per period). The chart PNG is written to a path this command prints.

    Example:

      stancebot digest --rules rules --date 2026-11-14 --dry-run
    """
    from datetime import date, datetime, time
    from zoneinfo import ZoneInfo

    from rich.console import Console

    from bot.app import build_app, utcnow
    from bot.digest.queue import build_digest, last_end_key
    from bot.deliver.notify import TerminalNotifier, deliver_due
    from bot.store import iso

    settings = _settings(rules_dir=rules_dir, db_path=db_path)
    setup_logging(settings.with_overrides(log_level="WARNING"))
    console = Console()
    try:
        app = build_app(settings, notifier=TerminalNotifier(console) if dry_run else None)
    except ConfigError as exc:
        _fail(exc)
    watchlists = [w for w in app.rules.watchlists if w.digest and (not watchlist_id or w.id == watchlist_id)]
    if not watchlists:
        raise click.UsageError("no watchlist with a `digest:` section" + (f" called {watchlist_id!r}" if watchlist_id else ""))
    from bot.digest.render import scheduled_before

    now = utcnow()
    with app.open_store() as store:
        for w in watchlists:
            if date_text:
                try:
                    day = date.fromisoformat(date_text)
                except ValueError:
                    raise click.BadParameter(f"expected YYYY-MM-DD, got {date_text!r}", param_hint="--date")
                hour, minute = (int(x) for x in w.digest.time.split(":"))
                end = datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(w.digest.timezone)).astimezone(now.tzinfo)
            else:
                end = scheduled_before(w.digest, now)
            start = end - timedelta(days=1)
            messages, chart = build_digest(store, w, app.rules, app.gazetteer, start=start, end=end, now=now,
                                           default_channel=settings.default_channel)
            if not messages:
                console.print(f"{w.id}: quiet period and `quiet: none`: no digest.")
                continue
            if dry_run:
                notifier = TerminalNotifier(console)
                for m in messages:
                    notifier.send(m)
                if chart:
                    path = notifier.upload(f"stances-{w.id}-{end:%Y%m%d}.png", chart, title="chart")
                    console.print(f"chart written to [bold]{path}[/bold]")
            else:
                store.enqueue_all(messages, now=now, state={last_end_key(w): iso(end)})
        if not dry_run:
            counts = deliver_due(store, app.notifier, now=now, rng=app.rng)
            click.echo(f"delivered {counts['sent']} messages", err=True)
    app.close()


def _unknown_topic(topic_id: str, rules):
    from bot.yamlsource import Problem, suggest

    return Problem("--topic", 0, topic_id, f"no such topic{suggest(topic_id, [t.id for t in rules.topics])}")


def main() -> None:
    cli(prog_name="stancebot")

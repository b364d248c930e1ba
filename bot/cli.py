"""The `stancebot` command line: thin commands over the library; the only place that turns errors into exit codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from bot.cli_options import db_option, load_rules_for, rules_option, settings_for
from bot.config import ENV_VARS, set_library_defaults
from bot.deliver.outbox import STATUSES
from bot.errors import ConfigError, Problem
from bot.logs import setup_logging

EXIT_PROBLEMS = 1  # `run --once`: a feed or a message failed in this cycle (cron reports it)
EXIT_CONFIG = 2
ENV_HELP = "\n".join(f"  {k:22} {v}" for k, v in ENV_VARS.items())


def fail(exc: ConfigError) -> NoReturn:
    """One line per problem on stderr, then exit status 2."""
    for problem in exc.problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(EXIT_CONFIG)


class Commands(click.Group):
    """A group whose commands report a ConfigError (bad settings, rules or models) as `error: file:line: ...`, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            fail(exc)


@click.group(cls=Commands, epilog=f"Settings come from environment variables:\n\n{ENV_HELP}\n\nExample:\n\n  stancebot demo")
@click.version_option(package_name="stancebot")
def cli() -> None:
    """Watch news feeds and tell Slack when a country's stance on a watched issue shifts."""


@cli.command()
@click.option("--once", is_flag=True, help="Poll every feed once, process and deliver, then exit (for cron).")
@rules_option
@db_option
def run(once: bool, rules_dir: Path | None, db_path: Path | None) -> None:
    """Run the bot: poll feeds on schedule, match topics, send Slack messages.

    Stops cleanly on SIGTERM or Ctrl-C; a restart picks up where it stopped.

    Example:

      SLACK_BOT_TOKEN=xoxb-... stancebot run --rules rules --db /var/lib/stancebot/stancebot.db
    """
    from bot.app import build_app

    settings = settings_for(rules_dir=rules_dir, db_path=db_path)
    setup_logging(settings)
    app = build_app(settings)
    try:
        if once:  # the models load only if there is something new to read (a quiet cron run stays cheap)
            report = app.tick(force=True)
            if report.skipped:
                click.echo(f"nothing done: {report.skipped}", err=True)
                return
            click.echo(f"polled {report.poll.polled} feeds ({len(report.poll.failed)} failed), {report.poll.new_items} new items "
                       f"({report.process.unread} in languages not read), {report.process.matched} matches "
                       f"({report.process.articles} items read with their article), "
                       f"{report.delivery.get('sent', 0)} messages delivered", err=True)
            for line in report.failures:
                click.echo(f"problem: {line}", err=True)
            if report.failures:
                sys.exit(EXIT_PROBLEMS)
        else:
            app.load_models()  # a model that cannot load stops the bot now, not in every cycle's log
            app.run_forever()
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

    settings = settings_for()
    setup_logging(settings.with_overrides(log_level="ERROR"))
    run_demo(db_path=db_path, console=Console(), settings=settings)


@cli.command()
@rules_option
def check(rules_dir: Path | None) -> None:
    """Validate a rules folder and print what it holds; exit 2 on any error.

    Example:

      stancebot check --rules rules
    """
    from bot.admin import rules_summary

    settings = settings_for(rules_dir=rules_dir)
    gaz, rules = load_rules_for(settings)
    click.echo("\n".join(rules_summary(settings.rules_dir, rules, gaz)))


@cli.command()
@rules_option
@click.option("--topic", "topic_id", help="Only this topic, treated as matched.")
@click.option("--input", "input_file", type=click.File("rb"), default="-", help="JSONL input (default stdin).")
@click.option("--output", "output_file", type=click.File("w", encoding="utf-8"), default="-", help="JSONL output (default stdout).")
@click.option("--explain", is_flag=True, help="Say why each topic matched or not (score, threshold, gates, counter-examples).")
def analyze(rules_dir: Path | None, topic_id: str | None, input_file, output_file, explain: bool) -> None:
    """Match JSONL items against topics and find country stances.

    Each input line: {"id", "title", "summary", "text"} (any text field may be
    missing). Each output line, in the same order:
    {"id", "topics": [{"id", "score", "matched", "stances": [...], "why"?}]}.
    A malformed line gives {"id", "error"} and a message on stderr.

    Example:

      stancebot analyze --rules rules < items.jsonl > results.jsonl
    """
    from bot.analyze import run_analyze
    from bot.models import embedder_for, reader_for
    from bot.read.match import build_profiles

    settings = settings_for(rules_dir=rules_dir)
    setup_logging(settings.with_overrides(log_level="WARNING"))
    gaz, rules = load_rules_for(settings)
    topics = rules.topics
    if topic_id:
        topics = tuple(t for t in topics if t.id == topic_id)
        if not topics:
            raise ConfigError([unknown_topic(topic_id, rules)])
    embedder = embedder_for(settings)
    reader = reader_for(settings, gaz, embedder)
    run_analyze(input_file, output_file, sys.stderr, embedder=embedder, profiles=build_profiles(topics, embedder, gaz), gaz=gaz,
                force_match=bool(topic_id), reader=reader, explain=explain)


@cli.command()
@rules_option
@click.option("--items", "items_file", type=click.File("rb"), help="JSONL items to replay.")
@click.option("--db", "db_path", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Replay items stored in this bot database instead.")
@click.option("--since", default="30d", show_default=True, help="With --db: how far back (30d, 12h, 2w or YYYY-MM-DD).")
@click.option("--alerts-out", type=click.File("w", encoding="utf-8", lazy=False),
              help="Write one JSON line per alert here (an empty file when there are none).")
def backtest(rules_dir: Path | None, items_file, db_path: Path | None, since: str, alerts_out) -> None:
    """Replay items through dedup, matching, stances and shift detection, offline.

    Prints the alerts the watchlists would have sent, in order. Nothing is
    fetched and nothing goes to Slack. Input lines: {"id", "feed",
    "published", "link", "title", "summary", "text"?}. With --db, the
    analysts' corrections in that database are honoured.

    Example:

      stancebot backtest --rules rules --items last-month.jsonl --alerts-out alerts.jsonl
    """
    from bot.backtest import backtest_command

    if bool(items_file) == bool(db_path):
        raise click.UsageError("give exactly one of --items FILE or --db FILE")
    settings = settings_for(rules_dir=rules_dir)
    setup_logging(settings.with_overrides(log_level="WARNING"))
    backtest_command(settings, *load_rules_for(settings), items_file=items_file, db_path=db_path, since=since, alerts_out=alerts_out)


@cli.command()
@rules_option
@db_option
def feeds(rules_dir: Path | None, db_path: Path | None) -> None:
    """Show every feed's health: last success, failures, items (and those in languages not read), full-text reading, next poll.

    Example:

      stancebot feeds --db /var/lib/stancebot/stancebot.db
    """
    from rich.console import Console

    from bot.admin import feeds_table
    from bot.read.language import READABLE
    from bot.store import Store

    settings = settings_for(rules_dir=rules_dir, db_path=db_path)
    _, rules = load_rules_for(settings)
    with Store(settings.db_path, create=False) as store:
        records, articles, unread = store.feeds(), store.article_counts(), store.unread_languages(READABLE)
    Console().print(feeds_table(rules, records, title=f"{len(rules.feeds)} feeds in {settings.rules_dir}", articles=articles,
                                unread=unread))


@cli.command()
@rules_option
@db_option
@click.option("--status", type=click.Choice(STATUSES), help="Only messages in this state.")
@click.option("--retry", "retry_ids", multiple=True, metavar="ID", help="Queue a failed or printed message again.")
@click.option("--all-failed", is_flag=True, help="Queue every failed message again.")
@click.option("--force", is_flag=True, help="With --retry: also a message already sent (it is posted a second time).")
def outbox(rules_dir: Path | None, db_path: Path | None, status: str | None, retry_ids: tuple[str, ...], all_failed: bool,
           force: bool) -> None:
    """List the Slack outbox: what was sent, what waits, what failed and why; queue messages again.

    A message queued again goes to the channel the current rules give it (after you fixed a channel), and is sent
    by the running bot or the next `stancebot run --once`.

    Example:

      stancebot outbox --status failed
      stancebot outbox --retry 'shift:us-caribbean-naval:COL:2026-11-07T09:30:00+00:00:opposed'
      stancebot outbox --all-failed
    """
    from rich.console import Console

    from bot.admin import AdminError, outbox_table, retry_messages
    from bot.app import utcnow
    from bot.store import Store

    settings = settings_for(rules_dir=rules_dir, db_path=db_path)
    rules = None
    if retry_ids or all_failed:
        try:
            _, rules = load_rules_for(settings)
        except ConfigError as exc:
            click.echo(f"warning: cannot read the rules ({exc.problems[0]}); keeping each message's channel", err=True)
    with Store(settings.db_path, create=False) as store:
        if retry_ids or all_failed:
            try:
                lines = retry_messages(store, list(retry_ids), all_failed=all_failed, force=force, rules=rules,
                                       default_channel=settings.default_channel, now=utcnow())
            except AdminError as exc:
                raise click.BadParameter(str(exc), param_hint="--retry") from exc
            for line in lines:
                click.echo(line, err=True)
        rows = store.outbox(status=status)
    Console().print(outbox_table(rows, title=f"{len(rows)} messages in {settings.db_path}"))


@cli.command()
@db_option
@click.option("--export", "export_file", type=click.File("w", encoding="utf-8", lazy=False),
              help="Write them as labelled cases (JSONL, the quality sets' formats) to this file.")
def corrections(db_path: Path | None, export_file) -> None:
    """List the corrections analysts made in Slack (who, when, what), or export them as labelled cases.

    Each exported line is a stance case ("set": "stance") or a topic item ("set": "topic"), scored only on
    the countries or topics in its "judged" list.

    Example:

      stancebot corrections --export corrections.jsonl
    """
    from bot.labelled import corrections_command

    click.echo(corrections_command(settings_for(db_path=db_path).db_path, export_file), err=True)


@cli.command()
@db_option
def health(db_path: Path | None) -> None:
    """Exit 0 when the bot completed a cycle recently, 1 otherwise, also without a database (the container's HEALTHCHECK).

    Example:

      stancebot health --db /data/stancebot.db
    """
    from bot.admin import health_of
    from bot.app import utcnow

    settings = settings_for(db_path=db_path)
    ok, line = health_of(settings.db_path, now=utcnow(), tick_s=settings.tick_s)
    click.echo(line)
    sys.exit(0 if ok else EXIT_PROBLEMS)


@cli.command()
@db_option
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True, help="Serve on 127.0.0.1 at this port.")
@click.option("--metadata", "metadata_path", is_flag=True, help="Only print the path of the shipped Datasette metadata file.")
def editor(db_path: Path | None, port: int, metadata_path: bool) -> None:
    """Browse the database in Datasette on 127.0.0.1, with queries that need no SQL: the stance board, why an item
    matched or not, what a topic almost matched, feed health, Slack messages that did not go out.

    Needs Datasette: pip install 'stancebot[editor]'. Stop it with Ctrl-C.

    Example:

      stancebot editor --db stancebot.db --port 8001
    """
    from bot.editor import metadata_file, run_editor

    if metadata_path:
        click.echo(metadata_file())
        return
    sys.exit(run_editor(settings_for(db_path=db_path).db_path, port=port))


@cli.command()
@rules_option
@db_option
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
    from datetime import date

    from rich.console import Console

    from bot.app import build_app, utcnow
    from bot.deliver.dispatch import deliver_due
    from bot.deliver.terminal import TerminalNotifier
    from bot.digest.queue import digest_of_day, last_end_key
    from bot.store import iso
    from bot.store.lock import Busy, exclusive

    settings = settings_for(rules_dir=rules_dir, db_path=db_path)
    setup_logging(settings.with_overrides(log_level="WARNING"))
    console = Console()
    app = build_app(settings, notifier=TerminalNotifier(console) if dry_run else None)
    watchlists = [w for w in app.rules.watchlists if w.digest and (not watchlist_id or w.id == watchlist_id)]
    if not watchlists:
        raise click.UsageError("no watchlist with a `digest:` section" + (f" called {watchlist_id!r}" if watchlist_id else ""))
    day = None
    if date_text:
        try:
            day = date.fromisoformat(date_text)
        except ValueError as exc:
            raise click.BadParameter(f"expected YYYY-MM-DD, got {date_text!r}", param_hint="--date") from exc
    now = utcnow()
    with app.open_store() as store:
        for w in watchlists:
            try:
                end, messages, chart = digest_of_day(store, w, app.rules, app.gazetteer, day=day, now=now,
                                                     default_channel=settings.default_channel)
            except (OverflowError, ValueError) as exc:
                raise click.BadParameter(f"{date_text!r} is out of range", param_hint="--date") from exc
            if not messages:
                console.print(f"{w.id}: quiet period and `quiet: none`: no digest.")
            elif dry_run:
                for m in messages:
                    app.notifier.send(m)
                if chart:
                    path = app.notifier.upload(f"stances-{w.id}-{end:%Y%m%d}.png", chart, title="chart")
                    console.print(f"chart written to [bold]{path}[/bold]")
            else:
                store.enqueue_all(messages, now=now, state={last_end_key(w): iso(end)})
        if not dry_run:
            try:
                with exclusive(settings.db_path, what="sending a digest", now=now):
                    counts = deliver_due(store, app.notifier, now=now, rng=app.rng)
                click.echo(f"delivered {counts['sent']} messages", err=True)
            except Busy as exc:
                click.echo(f"queued; {exc}, which will deliver it", err=True)
    app.close()


def unknown_topic(topic_id: str, rules) -> Problem:
    from bot.yamlsource import suggest

    return Problem("--topic", 0, topic_id, f"no such topic{suggest(topic_id, [t.id for t in rules.topics])}")


def main() -> None:
    set_library_defaults()
    cli(prog_name="stancebot")

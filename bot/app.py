"""Wiring: settings, rules, model, HTTP and Slack clients, and the scheduler."""

from __future__ import annotations

import logging
import random
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from bot.config import Settings
from bot.deliver.dispatch import deliver_due
from bot.deliver.outbox import Notifier
from bot.deliver.slack import SlackNotifier, make_slack_client
from bot.deliver.terminal import TerminalNotifier
from bot.digest.queue import queue_due_digests
from bot.ingest.fetch import make_client
from bot.models import embedder_for, reader_for
from bot.pipeline import PollReport, ProcessReport, poll_feeds, process_pending
from bot.read.embed import Embedder
from bot.read.gazetteer import Gazetteer, load_gazetteer
from bot.read.match import Profile, build_profiles
from bot.read.reader import StanceReader
from bot.rules import Rules, load_rules
from bot.store import Store

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class TickReport:
    poll: PollReport
    process: ProcessReport
    delivery: dict[str, int]


@dataclass
class App:
    """The running bot: everything it touches comes in here, so tests can swap any of it."""

    settings: Settings
    rules: Rules
    gazetteer: Gazetteer
    notifier: Notifier
    http: httpx.Client
    embedder_factory: Callable[[], Embedder]
    clock: Callable[[], datetime] = utcnow
    rng: random.Random = field(default_factory=random.Random)
    _embedder: Embedder | None = None
    _profiles: list[Profile] | None = None
    _reader: StanceReader | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self.embedder_factory()
        return self._embedder

    @property
    def profiles(self) -> list[Profile]:
        if self._profiles is None:
            self._profiles = build_profiles(self.rules.topics, self.embedder, self.gazetteer)
        return self._profiles

    @property
    def reader(self) -> StanceReader:
        if self._reader is None:
            self._reader = reader_for(self.settings, self.gazetteer, self.embedder)
        return self._reader

    def load_models(self) -> None:
        """Load the embedder, topic profiles and spaCy now (raising ConfigError), not at the first new item."""
        _ = self.profiles, self.reader

    def open_store(self) -> Store:
        # One connection per job: sqlite connections stay on the thread that made them.
        return Store(self.settings.db_path)

    def tick(self, *, now: datetime | None = None, force: bool = False, digests: bool = True) -> TickReport:
        """One cycle: poll due feeds, process new items, queue due digests, deliver due messages."""
        with self._lock, self.open_store() as store:
            now = now or self.clock()
            poll = poll_feeds(store, self.http, self.rules.feeds, now=now, rng=self.rng, force=force,
                              health_channel=self.settings.default_channel)
            processed = ProcessReport()
            if store.has_pending_items():  # the model loads only when there is something to read
                processed = process_pending(store, self.embedder, self.profiles, self.rules, self.gazetteer,
                                            now=now, default_channel=self.settings.default_channel, reader=self.reader)
            if digests:
                queue_due_digests(store, self.rules, self.gazetteer, now=now, default_channel=self.settings.default_channel)
            delivery = deliver_due(store, self.notifier, now=now, rng=self.rng)
        if poll.polled or processed.processed or any(delivery.values()):
            log.info("tick: polled %d feeds (%d unchanged, %d failed), %d new items, %d matched, %d messages sent",
                     poll.polled, poll.not_modified, len(poll.failed), poll.new_items, processed.matched, delivery["sent"])
        return TickReport(poll, processed, delivery)

    def run_forever(self) -> None:
        """Tick on a schedule until SIGTERM or SIGINT, then finish the running tick and exit."""
        from apscheduler.schedulers.blocking import BlockingScheduler

        scheduler = BlockingScheduler(timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None})
        scheduler.add_job(self._safe_tick, "interval", seconds=self.settings.tick_s, id="poll",
                          next_run_time=self.clock(), coalesce=True, max_instances=1)
        for trigger in digest_triggers(self.rules):
            # On the minute, in the watchlist's own zone; the tick job also catches up after downtime.
            scheduler.add_job(self._safe_tick, trigger, id=f"digest:{trigger}", coalesce=True, max_instances=1)

        def stop(signum: int, _frame: object) -> None:
            log.info("received %s, finishing the current cycle and stopping", signal.Signals(signum).name)
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log.info("stancebot running: %d feeds, %d topics, tick every %ds, database %s",
                 len(self.rules.feeds), len(self.rules.topics), self.settings.tick_s, self.settings.db_path)
        scheduler.start()

    def _safe_tick(self) -> None:
        try:
            self.tick()
        except Exception:  # a failed cycle is logged and the next one tries again; the scheduler must live on
            log.exception("poll cycle failed")

    def close(self) -> None:
        self.http.close()


def digest_triggers(rules: Rules) -> list:
    """An APScheduler cron trigger per distinct digest time and zone."""
    from zoneinfo import ZoneInfo

    from apscheduler.triggers.cron import CronTrigger

    seen = {(w.digest.time, w.digest.timezone) for w in rules.watchlists if w.digest}
    return [CronTrigger(hour=int(t.split(":")[0]), minute=int(t.split(":")[1]), timezone=ZoneInfo(z)) for t, z in sorted(seen)]


def build_app(settings: Settings, *, rules: Rules | None = None, notifier: Notifier | None = None,
              embedder: Embedder | None = None, http: httpx.Client | None = None,
              clock: Callable[[], datetime] = utcnow, rng: random.Random | None = None) -> App:
    """Assemble the App from settings; anything passed in replaces the default."""
    gazetteer = load_gazetteer(settings.rules_dir)
    rules = rules or load_rules(settings.rules_dir, gazetteer.names)
    if notifier is None:
        if settings.slack_token:
            notifier = SlackNotifier(make_slack_client(settings.slack_token, settings.slack_api_url))
        else:
            log.warning("SLACK_BOT_TOKEN is not set: messages are printed here instead of sent to Slack")
            notifier = TerminalNotifier()
    return App(
        settings=settings, rules=rules, gazetteer=gazetteer, notifier=notifier,
        http=http or make_client(settings.user_agent),
        embedder_factory=(lambda: embedder) if embedder is not None else (lambda: embedder_for(settings)),
        clock=clock, rng=rng or random.Random(),
    )

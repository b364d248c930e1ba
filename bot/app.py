"""Wiring: settings, rules, model, HTTP and Slack clients, and the scheduler."""

from __future__ import annotations

import logging
import random
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from slack_sdk import WebClient

from bot.admin import LAST_TICK_KEY, health_of
from bot.config import Settings
from bot.deliver.dispatch import Hold, deliver_due
from bot.deliver.outbox import Notifier
from bot.deliver.slack import SlackNotifier, make_slack_client
from bot.deliver.terminal import TerminalNotifier
from bot.digest.queue import FIRST_RUN_KEY, queue_due_digests
from bot.ingest.article import ArticleFetcher
from bot.ingest.fetch import HostLimits, make_client
from bot.models import embedder_for, reader_for
from bot.pipeline import PollReport, ProcessReport, poll_feeds, process_pending
from bot.read.embed import Embedder
from bot.read.gazetteer import Gazetteer, load_gazetteer
from bot.read.language import LanguageDetector
from bot.read.match import Profile, build_profiles
from bot.read.reader import StanceReader
from bot.rules import Rules, load_rules
from bot.slackapp.server import Desk, SlackSurface
from bot.store import Store, iso
from bot.store.lock import Busy, exclusive
from bot.track.review import apply_pending

log = logging.getLogger(__name__)
WORK_WAIT_S = 2.0  # a Slack handler waits this long for a running cycle before leaving its correction to the next one

def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class TickReport:
    poll: PollReport
    process: ProcessReport
    delivery: dict[str, int]
    skipped: str | None = None  # why nothing was done (another process holds the database)

    @property
    def failures(self) -> list[str]:
        """What went wrong in this cycle, one line each (cron reports a non-zero exit)."""
        out = [f"feed {name}: {error}" for name, error in self.poll.failed.items()]
        if self.process.failed:
            out.append(f"{self.process.failed} items could not be processed (see the items table's error column)")
        if self.delivery.get("failed"):
            out.append(f"{self.delivery['failed']} Slack messages were refused (stancebot outbox --status failed)")
        if self.delivery.get("held"):
            out.append(f"{self.delivery['held']} Slack messages held: Slack rejected the token (check SLACK_BOT_TOKEN)")
        if self.delivery.get("retry"):
            out.append(f"{self.delivery['retry']} Slack messages will be retried")
        return out


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
    hold: Hold = field(default_factory=Hold)  # delivery paused in this process (a rejected token, a long rate limit)
    _replayed: bool = False
    limits: HostLimits = field(default_factory=HostLimits)  # per-host request limits, shared by feeds and articles
    articles: ArticleFetcher | None = None  # made from `http` and `limits` when None
    _detector: LanguageDetector | None = None

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

    @property
    def detector(self) -> LanguageDetector:
        if self._detector is None:
            self._detector = LanguageDetector()
        return self._detector

    @property
    def article_fetcher(self) -> ArticleFetcher:
        if self.articles is None:
            self.articles = ArticleFetcher(self.http, user_agent=self.settings.user_agent, limits=self.limits)
        return self.articles

    def load_models(self) -> None:
        """Load the embedder, topic profiles, spaCy and the language detector now (raising ConfigError), not at the first new item."""
        _ = self.profiles, self.reader, self.detector

    def open_store(self) -> Store:
        # One connection per job: sqlite connections stay on the thread that made them.
        return Store(self.settings.db_path)

    @contextmanager
    def work(self, now: datetime, *, wait_s: float = WORK_WAIT_S) -> Iterator[Store | None]:
        """A store under this process's cycle lock and the database's lock, for work beside the cycles (a Slack
        correction); None when a cycle holds them for longer than `wait_s`."""
        if not self._lock.acquire(timeout=wait_s):
            yield None
            return
        try:
            with ExitStack() as stack:
                try:
                    stack.enter_context(exclusive(self.settings.db_path, what="applying a correction", now=now))
                except Busy:
                    yield None
                    return
                yield stack.enter_context(self.open_store())
        finally:
            self._lock.release()

    def deliver(self, store: Store, now: datetime) -> dict[str, int]:
        """Send what is due now (under `work`): a correction's thread reply goes out at once, not at the next cycle."""
        return deliver_due(store, self.notifier, now=now, rng=self.rng, hold=self.hold)

    def desk(self) -> Desk:
        """What the Slack app's handlers need from this bot."""
        def health() -> tuple[bool, str]:
            return health_of(self.settings.db_path, now=self.clock(), tick_s=self.settings.tick_s)

        return Desk(self.settings, self.rules, self.gazetteer, self.clock, self.open_store, self.work, self.deliver, health)

    def start_surface(self, client: WebClient | None = None) -> SlackSurface | None:
        """Start the Slack app (Socket Mode with SLACK_APP_TOKEN, the HTTP endpoint with STANCEBOT_HTTP_PORT), if configured."""
        if not (self.settings.slack_app_token or self.settings.http_port is not None) or not self.settings.slack_token:
            return None
        surface = SlackSurface(self.desk(), client or make_slack_client(self.settings.slack_token, self.settings.slack_api_url))
        surface.start()
        return surface

    def tick(self, *, now: datetime | None = None, force: bool = False, digests: bool = True) -> TickReport:
        """One cycle: poll due feeds, process new items, queue due digests, deliver due messages."""
        now = now or self.clock()
        try:
            with self._lock, exclusive(self.settings.db_path, what="a cycle", now=now), self.open_store() as store:
                if store.get_state(FIRST_RUN_KEY) is None:
                    store.set_state(FIRST_RUN_KEY, iso(now), now=now)
                apply_pending(store, self.rules, self.gazetteer, now=now)  # corrections a Slack handler could not apply
                poll = poll_feeds(store, self.http, self.rules.feeds, now=now, rng=self.rng, force=force,
                                  health_channel=self.settings.default_channel, limits=self.limits)
                processed = ProcessReport()
                if store.has_pending_items():  # the model loads only when there is something to read
                    processed = process_pending(store, self.embedder, self.profiles, self.rules, self.gazetteer, now=now,
                                                default_channel=self.settings.default_channel, reader=self.reader,
                                                fresh_for=timedelta(seconds=self.settings.alert_freshness_s),
                                                articles=self.article_fetcher, detector=self.detector)
                if digests:
                    queue_due_digests(store, self.rules, self.gazetteer, now=now, default_channel=self.settings.default_channel)
                self._replay_printed(store, now=now)
                delivery = deliver_due(store, self.notifier, now=now, rng=self.rng, hold=self.hold)
                store.set_state(LAST_TICK_KEY, iso(now), now=now)
        except Busy as exc:
            log.warning("%s; skipping this cycle", exc)
            return TickReport(PollReport(), ProcessReport(), {}, skipped=str(exc))
        if poll.polled or processed.processed or any(delivery.values()):
            log.info("tick: polled %d feeds (%d unchanged, %d failed), %d new items (%d in languages not read), %d matched "
                     "(%d read with their article), %d messages sent", poll.polled, poll.not_modified, len(poll.failed),
                     poll.new_items, processed.unread, processed.matched, processed.articles, delivery["sent"])
        return TickReport(poll, processed, delivery)

    def _replay_printed(self, store: Store, *, now: datetime) -> None:
        """Once per process with a Slack token: recent messages that were only printed go to Slack after all."""
        if self._replayed or self.notifier.printed:
            return
        self._replayed = True
        since = now - timedelta(seconds=self.settings.replay_window_s)
        ids, older = store.replay_printed(since=since, now=now)
        if ids:
            log.warning("sending %d messages to Slack that were only printed (no SLACK_BOT_TOKEN was set)", len(ids))
        if older:
            log.warning("%d messages older than %s were only printed and will not be sent; `stancebot outbox --status printed` "
                        "lists them and `stancebot outbox --retry ID` sends one", older, since.isoformat(timespec="minutes"))

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
        surface = self.start_surface()
        try:
            scheduler.start()
        finally:
            if surface is not None:
                surface.close()

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
              clock: Callable[[], datetime] = utcnow, rng: random.Random | None = None,
              articles: ArticleFetcher | None = None) -> App:
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
        clock=clock, rng=rng or random.Random(), articles=articles,
    )

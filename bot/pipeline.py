"""One cycle of work: poll due feeds, process new items, queue messages."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial

import httpx
import numpy as np

from bot.deliver.messages import feed_health_message, match_message
from bot.deliver.outbox import OutboxRow
from bot.errors import ConfigError
from bot.fulltext import article_inputs, gather_articles, text_for_reading
from bot.ingest.article import ArticleFetcher
from bot.ingest.fetch import FeedState, FetchResult, HostLimits, fetch_feed, fetch_many, is_due, next_state, rescheduled
from bot.ingest.items import Item, parse_feed
from bot.read.article import from_article
from bot.read.embed import Embedder
from bot.read.gazetteer import Gazetteer
from bot.read.language import READABLE, UNKNOWN, LanguageDetector
from bot.read.match import Match, Profile, with_counter_examples
from bot.read.neighbours import WINDOW as NEIGHBOUR_WINDOW
from bot.read.neighbours import Neighbour
from bot.read.reader import StanceReader
from bot.read.reading import match_and_read, neighbour_of
from bot.read.stance import Stance
from bot.rules import Feed, Rules, Topic
from bot.store import Store
from bot.track.corrections import judge_all
from bot.track.evidence import StanceRecord
from bot.track.positions import DEFAULT_FRESHNESS, update_positions

log = logging.getLogger(__name__)

NEAR_DUPLICATE_COSINE = 0.94
NEAR_DUPLICATE_WINDOW = timedelta(days=2)


@dataclass
class PollReport:
    """What one poll cycle did."""

    polled: int = 0
    not_modified: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    new_items: int = 0
    problems: dict[str, str] = field(default_factory=dict)


@dataclass
class ProcessReport:
    processed: int = 0
    embedded: int = 0
    matched: int = 0
    queued: int = 0
    stances: int = 0
    articles: int = 0  # items read with the article behind them
    unread: int = 0  # items in a language the models do not read (stored and counted, not matched)
    failed: int = 0  # items that could not be processed (recorded with their error)
    shifts: list = field(default_factory=list)


def poll_feeds(store: Store, client: httpx.Client, feeds: Sequence[Feed], *, now: datetime, rng: random.Random,
               force: bool = False, fetch: Callable[[httpx.Client, Feed, FeedState], FetchResult] = fetch_feed,
               health_channel: str = "#stancebot", limits: HostLimits | None = None) -> PollReport:
    """Fetch every due feed (all of them with `force`), store new items, record feed health."""
    report = PollReport()
    due = []
    for feed in feeds:
        state = store.feed_state(feed.name)
        clamped = rescheduled(feed, state, now)
        if clamped is not state:
            log.warning("feed %s was next due at %s, past what the bot schedules: the clock stepped back; polling at %s",
                        feed.name, state.next_poll_at, clamped.next_poll_at)
            store.set_next_poll(feed.name, clamped.next_poll_at)
        if force or is_due(clamped, now):
            due.append((feed, clamped))
    for feed, state, result in fetch_many(client, due, fetch=fetch, limits=limits):
        report.polled += 1
        new: list[Item] = []
        problem = None
        if result.error is None and not result.not_modified:
            parsed = parse_feed(result.body, feed=feed.name, now=now, headers=result.headers)
            problem = parsed.problem
            if parsed.problem:
                report.problems[feed.name] = parsed.problem
                log.warning("feed %s (%s): %s", feed.name, feed.shown_url, parsed.problem)
            if not parsed.items and parsed.problem:
                result = FetchResult(feed.name, result.status, error=parsed.problem)
            new = store.add_items(parsed.items, now=now)
        elif result.not_modified:
            report.not_modified += 1
        if result.error:
            report.failed[feed.name] = result.error
            log.warning("feed %s failed: %s", feed.name, result.error)
        after = next_state(feed, state, result, now=now, rng=rng)
        store.save_feed_state(feed.shown_url, after, now=now, new_items=len(new), problem=problem)
        _feed_health(store, feed, state, after, now=now, channel=health_channel)
        report.new_items += len(new)
    return report


def _feed_health(store: Store, feed: Feed, before: FeedState, after: FeedState, *, now: datetime, channel: str) -> None:
    """One alert when a feed has failed for longer than its alert_after, one message when it recovers."""
    alerted = store.feed_alerted_at(feed.name)
    if after.failing_since and not alerted and now - after.failing_since >= timedelta(seconds=feed.alert_after_s):
        store.enqueue(feed_health_message(feed, down=True, since=after.failing_since, error=after.last_error,
                                          failures=after.failures, channel=channel), now=now)
        store.set_feed_alerted(feed.name, now)
        log.error("feed %s has been failing since %s: %s", feed.name, after.failing_since.isoformat(), after.last_error)
    elif alerted and after.failing_since is None:
        store.enqueue(feed_health_message(feed, down=False, since=before.failing_since or alerted, error=None,
                                          failures=0, channel=channel), now=now)
        store.set_feed_alerted(feed.name, None)
        log.info("feed %s works again", feed.name)


def embed_items(store: Store, embedder: Embedder, items: Sequence[Item]) -> dict[str, np.ndarray]:
    """Vectors for `items`: stored ones reused, missing ones computed in one batch and stored."""
    vectors = store.embeddings([i.id for i in items], embedder.name)
    missing = [i for i in items if i.id not in vectors]
    if missing:
        computed = embedder.encode([i.body for i in missing])
        fresh = {item.id: computed[n] for n, item in enumerate(missing)}
        store.save_embeddings(fresh, embedder.name)
        vectors.update(fresh)
    return vectors


def link_near_duplicates(store: Store, items: Sequence[Item], vectors: dict[str, np.ndarray], embedder: Embedder) -> None:
    """Put near-identical copies of one story from different outlets in one cluster."""
    if not items:
        return
    oldest = min(i.published for i in items) - NEAR_DUPLICATE_WINDOW
    earlier = store.recent_items(since=oldest)
    if len(earlier) < 2:
        return
    known = store.embeddings([r.id for r in earlier], embedder.name)
    stale = [store.item(r.id) for r in earlier if r.id not in known and r.processed and (r.lang or UNKNOWN) in READABLE]
    if stale:  # processed, but embedded by another model (STANCEBOT_EMBEDDER changed): embed them again
        known.update(embed_items(store, embedder, stale))
    rows = [r for r in earlier if r.id in known]
    if not rows:
        return
    matrix = np.stack([known[r.id] for r in rows])
    for item in items:
        sims = matrix @ vectors[item.id]
        for idx in np.argsort(-sims):
            row = rows[idx]
            if sims[idx] < NEAR_DUPLICATE_COSINE:
                break
            if row.id != item.id and row.feed != item.feed and row.published <= item.published:
                store.set_cluster(item.id, row.cluster_id)
                break


def counter_vectors(store: Store, embedder: Embedder) -> dict[str, np.ndarray]:
    """Per topic, the vectors of the stories analysts said are not about it (embedded again after a change of model)."""
    ids = store.counter_examples()
    if not ids:
        return {}
    vectors = embed_items(store, embedder, list(store.items(i for found in ids.values() for i in found).values()))
    return {topic: np.stack([vectors[i] for i in found]) for topic, found in ids.items()}


def stance_records(stances: Sequence[Stance], item: Item, topic_id: str, cluster_id: str, *,
                   with_article: bool = False) -> list[StanceRecord]:
    """The stances an item takes toward a topic, as records for tracking and the stances table (`with_article`: read
    with the article behind it, whose quotes say so)."""
    return [StanceRecord(item.id, topic_id, st.country, st.label, round(st.score, 3), st.evidence, item.feed, cluster_id,
                         item.published, with_article and from_article(st.evidence, item)) for st in stances]


def process_pending(store: Store, embedder: Embedder, profiles: Sequence[Profile], rules: Rules, gaz: Gazetteer,
                    *, now: datetime, default_channel: str, batch: int = 1024, reader: StanceReader | None = None,
                    fresh_for: timedelta = DEFAULT_FRESHNESS, force_match: bool = False, articles: ArticleFetcher | None = None,
                    detector: LanguageDetector | None = None) -> ProcessReport:
    """Embed, cluster, match and read stances of every stored-but-unprocessed item; queue one message per new story.

    With a `detector`, items in a language the models do not read are stored and counted, not matched. Items of feeds
    with `fulltext:` that are topic candidates are read with the article behind them (fetched by `articles`, once).
    An item that cannot be processed is recorded as failed (with why) instead of stopping this run and every later one.
    """
    report = ProcessReport()
    while True:
        items = store.pending_items(limit=batch)
        if not items:
            return report
        work = partial(_process_batch, store, embedder=embedder, profiles=profiles, rules=rules, gaz=gaz, now=now,
                       default_channel=default_channel, reader=reader, report=report, fresh_for=fresh_for,
                       force_match=force_match, articles=articles, detector=detector)
        try:
            work(items)
        except ConfigError:
            raise  # a model that cannot load is the operator's to fix, not an item's fault
        except Exception:  # the boundary between items: find the one that breaks the batch, record it, go on
            log.exception("a batch of %d items failed; processing them one by one", len(items))
            for item in items:
                try:
                    work([item])
                except ConfigError:
                    raise
                except Exception as exc:
                    log.exception("item %s from %s could not be processed; recorded as failed", item.id, item.feed)
                    store.mark_failed(item.id, error=f"{type(exc).__name__}: {exc}"[:300], now=now)
                    report.failed += 1


def _process_batch(store: Store, items: list[Item], *, embedder: Embedder, profiles: Sequence[Profile], rules: Rules,
                   gaz: Gazetteer, now: datetime, default_channel: str, reader: StanceReader | None, report: ProcessReport,
                   fresh_for: timedelta, force_match: bool = False, articles: ArticleFetcher | None = None,
                   detector: LanguageDetector | None = None) -> None:
    topics = {p.topic.id: p.topic for p in profiles}
    languages = {i.id: detector.detect(i.body) for i in items} if detector is not None else {}
    readable = [i for i in items if languages.get(i.id, UNKNOWN) in READABLE]
    vectors = embed_items(store, embedder, readable)
    link_near_duplicates(store, readable, vectors, embedder)
    full = gather_articles(store, readable, vectors, profiles, gaz, {f.name: f for f in rules.feeds}, fetcher=articles,
                           detector=detector, now=now)
    inputs, input_vectors = article_inputs(readable, vectors, full, embedder)
    match_rows: list[tuple[str, Match]] = []
    stances: list[StanceRecord] = []
    messages: list[OutboxRow] = []
    matched = 0
    # Analysts' 'Not this topic': stories like those they took off a topic do not match it (nor lend it to others).
    profiles = with_counter_examples(profiles, counter_vectors(store, embedder))
    neighbours = recent_neighbours(store, embedder, readable, gaz, topics)
    verdicts = store.verdicts(topics)  # analysts' corrections of stories seen before (a late copy of one)
    originals = {i.id: i for i in readable}
    for reading in match_and_read(inputs, input_vectors, profiles, gaz, reader, neighbours=neighbours, force_match=force_match,
                                  texts=lambda item, chosen: text_for_reading(item, chosen, full, profiles, gaz)):
        item = originals[reading.item.id]
        for m in reading.matches:
            match_rows.append((item.id, replace(m, reason=f"{m.reason} (with the article's lead)") if item.id in full else m))
            if m.matched or force_match:
                matched += 1
                topic = topics[m.topic_id]
                cluster = store.cluster_of(item.id)
                found = stance_records(reading.stances[m.topic_id], item, topic.id, cluster, with_article=item.id in full)
                stances += found
                if topic.story_alerts:
                    shown = judge_all(found, verdicts)
                    messages.append(_story_message(store, item, cluster, m, topic, rules, default_channel, shown, gaz))
    positions, shift_messages, shifts = update_positions(
        store, judge_all(stances, verdicts), topics, gaz=gaz, channel_of=lambda t: rules.channel_for(t, default_channel),
        now=now, fresh_for=fresh_for)
    store.record_processed([i.id for i in items], match_rows, messages + shift_messages, now=now,
                           stances=stances, positions=positions, changes=shifts, languages=languages)
    report.articles += len(full)
    report.unread += len(items) - len(readable)
    report.embedded += len(readable)
    report.matched += matched
    report.stances += len(stances)
    report.shifts += shifts
    report.processed += len(items)
    report.queued += len(messages) + len(shift_messages)


def recent_neighbours(store: Store, embedder: Embedder, items: Sequence[Item], gaz: Gazetteer, topics: dict) -> list[Neighbour]:
    """Stories matched on their own in the weeks before the oldest of `items`: reaction stories may inherit their topics."""
    if not items:
        return []
    since = min(i.published for i in items) - NEIGHBOUR_WINDOW
    pairs = [(item_id, topic_id) for item_id, topic_id in store.matched_on_their_own(since=since) if topic_id in topics]
    vectors = store.embeddings({item_id for item_id, _ in pairs}, embedder.name)
    stored = store.items(vectors)
    return [neighbour_of(stored[item_id], topic_id, vectors[item_id], gaz) for item_id, topic_id in pairs if item_id in stored]


def _story_message(store: Store, item: Item, cluster: str, match: Match, topic: Topic, rules: Rules,
                   default_channel: str, stances: list[StanceRecord], gaz: Gazetteer) -> OutboxRow:
    outlets = store.cluster_outlets(cluster)
    # One message per (topic, story): syndicated copies share the cluster, so the id dedups them.
    named = [(gaz.country_name(st.country), st.label, st.quote, st.from_article) for st in stances]
    return match_message(item, match, topic, channel=rules.channel_for(topic, default_channel),
                         outlets=outlets, message_id=f"match:{topic.id}:{cluster}", stances=named,
                         countries=[st.country for st in stances])

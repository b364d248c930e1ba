"""The articles behind a batch of items: which can matter, each fetched once and stored, extracted, judged and read.

Only topic candidates of feeds with `fulltext:` get an article: items that matched a topic, or came close to one's
threshold with its place gate met. Every decision (fetched, shipped by the feed, not needed, or why it failed) is
stored with the item, so a restart fetches nothing again and a failure falls back to the summary for good.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np

from bot.ingest.article import ArticleFetch, ArticleFetcher
from bot.ingest.extract import extract_text, judge_extraction
from bot.ingest.items import Item
from bot.ingest.robots import origin_of
from bot.read.article import Article, decide_article, is_candidate, lead, reading_text, select_passages
from bot.read.embed import Embedder
from bot.read.gazetteer import Gazetteer
from bot.read.language import READ_LANGUAGES, UNKNOWN, LanguageDetector, language_name
from bot.read.match import Match, Profile, match_item
from bot.read.reader import MAX_CHARS
from bot.rules import Feed
from bot.store import Store

log = logging.getLogger(__name__)


def gather_articles(store: Store, items: Sequence[Item], vectors: Mapping[str, np.ndarray], profiles: Sequence[Profile],
                    gaz: Gazetteer, feeds: Mapping[str, Feed], *, fetcher: ArticleFetcher | None,
                    detector: LanguageDetector | None, now: datetime) -> dict[str, Article]:
    """The readable articles of those `items` whose article can matter, by item id (text filled in).

    Without a `fetcher` (analyze, backtest) only articles the feeds shipped are read, and nothing new is recorded.
    """
    wanted: dict[str, tuple[Item, Feed, str]] = {}
    for item in items:
        feed = feeds.get(item.feed)
        decision = decide_article(feed.fulltext, item) if feed else None
        if feed and decision and is_candidate(match_item(item.body, vectors[item.id], profiles, gaz), profiles):
            wanted[item.id] = (item, feed, decision)
    if not wanted:
        return {}
    stored = store.articles(wanted)
    out: dict[str, Article] = {}
    jobs: list[tuple[str, str, Feed]] = []
    for item_id, (item, feed, decision) in wanted.items():
        article = stored.get(item_id)
        if article is None:
            if decision == "fetch" and item.link and fetcher is not None:
                jobs.append((item_id, item.link, feed))
                continue
            if decision == "fetch" and fetcher is None:
                continue
            status = "no-link" if decision == "fetch" else decision
            article = Article(item_id, item.feed, status, url=item.link, chars=len(item.text) if status == "feed" else 0,
                              fetched_at=now)
            store.save_article(article)
        if article.usable:
            out[item_id] = replace(article, text=article.text or item.text)
    if jobs and fetcher is not None:
        fetcher.robots.load(store.robots(origin_of(url) for _, url, _ in jobs))
        try:
            for item_id, fetched in fetcher.fetch_each(jobs, now=now):
                article = judge_article(wanted[item_id][0], fetched, detector=detector, now=now)
                store.save_article(article)  # at once: a crash later in the batch must not fetch it again
                if article.usable:
                    out[item_id] = article
                else:
                    log.info("article of %s not read (%s): %s", item_id, article.status, article.error)
        finally:
            store.save_robots(fetcher.robots.fetched())
    return out


def judge_article(item: Item, fetched: ArticleFetch, *, detector: LanguageDetector | None, now: datetime) -> Article:
    """The stored article from a fetch: extracted, and judged against the item's summary and the languages we read."""
    base = Article(item.id, item.feed, fetched.status, url=item.link, final_url=fetched.final_url, error=fetched.error,
                   fetched_at=now)
    if fetched.status != "fetched":
        return base
    text = extract_text(fetched.body, url=fetched.final_url or item.link)
    status = judge_extraction(text, item.summary)
    if status == "paywall":
        return replace(base, status=status, chars=len(text),
                       error=f"the page's text ({len(text)} chars) is shorter than the feed's summary ({len(item.summary)}): "
                             "kept the summary")
    if status == "empty":
        return replace(base, status=status, error="no article text found on the page: kept the summary")
    lang = detector.detect(text) if detector is not None else None
    if lang and lang not in READ_LANGUAGES and lang != UNKNOWN:
        return replace(base, status="language", chars=len(text), lang=lang,
                       error=f"the article is in {language_name(lang)}, which the models do not read: kept the summary")
    return replace(base, status="ok", text=text, chars=len(text), lang=lang)


def article_inputs(items: Sequence[Item], vectors: Mapping[str, np.ndarray], articles: Mapping[str, Article],
                   embedder: Embedder) -> tuple[list[Item], list[np.ndarray]]:
    """What matching reads: an item with an article carries its lead paragraphs (embedded together, in one call);
    the others are unchanged."""
    leads = {i.id: replace(i, text=lead(articles[i.id].text)) for i in items if i.id in articles}
    fresh = embedder.encode([leads[k].body for k in leads]) if leads else []
    lead_vectors = dict(zip(leads, fresh, strict=True))
    return [leads.get(i.id, i) for i in items], [lead_vectors.get(i.id, vectors[i.id]) for i in items]


def text_for_reading(item: Item, matches: Sequence[Match], articles: Mapping[str, Article], profiles: Sequence[Profile],
                     gaz: Gazetteer) -> str:
    """What the stance reader reads: the item's body, or for an item with an article its headline, summary and the
    article's passages that name a country's voice and touch one of the matched topics' words."""
    article = articles.get(item.id)
    if article is None:
        return item.body
    chosen = {m.topic_id for m in matches}
    terms = frozenset().union(*(p.terms for p in profiles if p.topic.id in chosen))
    head = reading_text(item, ())
    return reading_text(item, select_passages(article.text, gaz, terms, max_chars=MAX_CHARS - len(head) - 1))

"""What a fetched page becomes: an article read, or the summary kept and why (trafilatura and the language model, no network)."""

from __future__ import annotations

import pytest
from conftest import NOW

from bot.fulltext import judge_article
from bot.ingest.article import ArticleFetch, ArticleFetcher
from bot.ingest.items import make_item
from bot.read.language import LanguageDetector
from bot.rules import Feed
from quality.articles import article_page

ITEM = make_item(feed="Wire", title="US strike deepens a regional split", link="https://x.example/a", published=NOW,
                 summary="A US warship struck a speedboat in the southern Caribbean on Tuesday, the Pentagon said, in the latest "
                         "of a series of strikes that governments across the region have condemned or welcomed.")
SPANISH = ("<html><body><article>" + "".join(
    f"<p>El gobierno de Colombia condenó los ataques de Estados Unidos contra lanchas en el Caribe y pidió pruebas {n}.</p>"
    for n in range(12)) + "</article></body></html>")
PAYWALL = ("<html><body><article><h1>Strike</h1><p>Subscribe to keep reading.</p></article>"
           "<div class='paywall'>Already a subscriber? Log in.</div></body></html>")


@pytest.fixture(scope="module")
def detector():
    return LanguageDetector()


@pytest.mark.parametrize("page, status, reason", [
    (article_page(3).html, "ok", None),
    (SPANISH, "language", "the article is in Spanish, which the models do not read: kept the summary"),
    (PAYWALL, "paywall", "shorter than the feed's summary"),
    ("<html><body></body></html>", "empty", "no article text found"),
])
def test_a_fetched_page_is_read_or_the_summary_kept(detector, page, status, reason):
    """A page is read when its main text is English and longer than the summary; otherwise the reason is recorded."""
    article = judge_article(ITEM, ArticleFetch(ITEM.link, "fetched", ITEM.link, page.encode()), detector=detector, now=NOW)
    assert article.status == status and article.usable is (status == "ok")
    assert (article.error is None) if reason is None else (reason in article.error)
    assert bool(article.text) is (status == "ok") and article.fetched_at == NOW


def test_a_failed_fetch_keeps_its_reason(detector):
    fetched = ArticleFetch(ITEM.link, "robots", error="https://x.example:443/robots.txt disallows it for stancebot")
    article = judge_article(ITEM, fetched, detector=detector, now=NOW)
    assert (article.status, article.error, article.text) == ("robots", fetched.error, "")


def test_articles_past_the_batch_budget_are_not_fetched():
    """A batch whose time for articles ran out fetches nothing more; what is left says why."""
    fetcher = ArticleFetcher(None, user_agent="stancebot/0.1", budget_s=-1)  # type: ignore[arg-type]
    feed = Feed(name="F", url="https://x.example/feed.xml")
    results = dict(fetcher.fetch_each([("a", "https://x.example/a", feed), ("b", "https://x.example/b", feed)], now=NOW))
    assert {r.status for r in results.values()} == {"failed"} and "ran out" in results["a"].error

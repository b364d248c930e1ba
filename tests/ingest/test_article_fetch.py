"""Fetching articles politely and safely against local servers: robots.txt, the address guard, size cap, deadline."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from conftest import NOW
from pytest_httpserver import HTTPServer
from werkzeug import Response

from bot.ingest.article import ArticleFetcher
from bot.ingest.fetch import HostLimits, make_client
from bot.ingest.robots import RobotsCache, RobotsEntry, origin_of, robots_entry
from bot.rules import Feed

UA = "stancebot/0.1 (+https://example.org/bot)"
PAGE = "<html><body><article><p>Brazil condemned the strikes.</p></article></body></html>"


@pytest.fixture
def site(servers):
    """A local site that allows everything but /private/."""
    server = servers[0]
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    return server


@pytest.fixture
def client():
    with make_client(UA) as c:
        yield c


def feed_on(server: HTTPServer, *, allow_private: bool = True) -> Feed:
    return Feed(name="Site", url=server.url_for("/feed.xml"), allow_private=allow_private, fulltext="on")


def paths(server: HTTPServer) -> list[str]:
    return [request.path for request, _ in server.log]


def test_article_fetched_as_a_web_page_with_the_bots_user_agent(site, client):
    """The page comes back with the identifying User-Agent and an HTML Accept header; robots.txt is read first."""
    site.expect_request("/news/1").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    result = ArticleFetcher(client, user_agent=UA).fetch(site.url_for("/news/1"), feed_on(site), now=NOW)
    assert (result.status, result.error) == ("fetched", None) and b"Brazil condemned" in result.body
    assert paths(site) == ["/robots.txt", "/news/1"]
    request = site.log[-1][0]
    assert request.headers["User-Agent"] == UA and request.headers["Accept"].startswith("text/html")


def test_feed_headers_are_never_sent_with_article_requests(site, client):
    """A feed's credentials stay with the feed."""
    site.expect_request("/news/1").respond_with_data(PAGE, content_type="text/html")
    feed = Feed(name="Site", url=site.url_for("/feed.xml"), headers={"Authorization": "Bearer secret"}, allow_private=True)
    ArticleFetcher(client, user_agent=UA).fetch(site.url_for("/news/1"), feed, now=NOW)
    assert all("Authorization" not in request.headers for request, _ in site.log)


def test_robots_disallowed_path_is_never_requested(site, client):
    """robots.txt disallows /private/ for every bot: the page is not requested and the status says why."""
    site.expect_request("/private/story").respond_with_data(PAGE, content_type="text/html")
    result = ArticleFetcher(client, user_agent=UA).fetch(site.url_for("/private/story"), feed_on(site), now=NOW)
    assert result.status == "robots" and "disallows" in result.error
    assert "/private/story" not in paths(site)


def test_robots_group_for_the_bot_is_the_one_obeyed(site, client):
    """A group naming the bot's product token wins over the '*' group."""
    site.clear()
    site.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n\nUser-agent: stancebot\nDisallow: /news/\n")
    site.expect_request("/news/1").respond_with_data(PAGE, content_type="text/html")
    assert ArticleFetcher(client, user_agent=UA).fetch(site.url_for("/news/1"), feed_on(site), now=NOW).status == "robots"


def test_robots_txt_is_read_once_per_origin_and_kept(site, client):
    """Two articles on one site cost one robots.txt request; a fresh stored answer is not asked again."""
    for n in (1, 2):
        site.expect_request(f"/news/{n}").respond_with_data(PAGE, content_type="text/html")
    fetcher = ArticleFetcher(client, user_agent=UA)
    jobs = [(str(n), site.url_for(f"/news/{n}"), feed_on(site)) for n in (1, 2)]
    assert {key: r.status for key, r in fetcher.fetch_each(jobs, now=NOW)} == {"1": "fetched", "2": "fetched"}
    assert paths(site).count("/robots.txt") == 1
    kept = fetcher.robots.fetched()
    later = ArticleFetcher(client, user_agent=UA, robots=RobotsCache(UA, kept))
    later.fetch(site.url_for("/news/1"), feed_on(site), now=NOW + timedelta(hours=2))
    assert paths(site).count("/robots.txt") == 1
    later.fetch(site.url_for("/news/1"), feed_on(site), now=NOW + timedelta(hours=25))
    assert paths(site).count("/robots.txt") == 2


@pytest.mark.parametrize("status, allowed", [(404, True), (403, True), (500, False), (503, False), (429, False)])
def test_robots_status_as_rfc_9309_reads_it(status, allowed):
    """4xx: no rules, everything allowed; 5xx and 429: the site is unreachable, nothing allowed for now."""
    entry = robots_entry("http://x.example:80", status=status, body=b"", now=NOW)
    cache = RobotsCache(UA, [entry])
    assert cache.allows("http://x.example/news/1", now=NOW, fetch=lambda origin: entry)[0] is allowed


def test_unreachable_robots_is_asked_again_after_an_hour():
    """A robots.txt that failed is not trusted for a day: the site is asked again after UNREACHABLE_FOR."""
    failed = RobotsEntry("http://x.example:80", "unreachable", "", NOW)
    asked = []
    cache = RobotsCache(UA, [failed])
    fetch = lambda origin: asked.append(origin) or RobotsEntry(origin, "none", "", NOW)  # noqa: E731
    assert cache.allows("http://x.example/a", now=NOW + timedelta(minutes=30), fetch=fetch)[0] is False
    assert cache.allows("http://x.example/a", now=NOW + timedelta(minutes=61), fetch=fetch)[0] is True
    assert asked == ["http://x.example:80"]


def test_oversized_page_is_never_read_past_the_cap(site, client):
    """A 50 MB page is cut off while streaming: the server never gets to send more than a few MB of it."""
    sent = [0]

    def huge(_request):
        def body():
            for _ in range(50 * 16):  # 50 MB in 64 kB chunks
                sent[0] += 65536
                yield b"<p>" + b"x" * 65530 + b"</p>"
        return Response(body(), content_type="text/html")

    site.expect_request("/huge").respond_with_handler(huge)
    fetcher = ArticleFetcher(client, user_agent=UA, max_bytes=1_000_000)
    result = fetcher.fetch(site.url_for("/huge"), feed_on(site), now=NOW)
    assert result.status == "too-large" and result.body == b""
    assert sent[0] < 16 * 1024 * 1024  # the cap plus what socket buffers took before the connection closed


def test_declared_oversized_page_is_refused_before_reading(site, client):
    """A Content-Length over the cap is refused from the headers alone."""
    site.expect_request("/huge").respond_with_data("x" * 2_000_000, content_type="text/html")
    result = ArticleFetcher(client, user_agent=UA, max_bytes=1_000_000).fetch(site.url_for("/huge"), feed_on(site), now=NOW)
    assert result.status == "too-large" and "2,000,000 bytes" in result.error


def test_slow_page_is_cut_off_by_the_total_deadline(site, client):
    """A page that does not answer within the article's deadline is a timeout (the test waits only for the deadline)."""
    release = threading.Event()

    def slow(_request):
        release.wait(10)  # the server is slow; the fetch gives up at its deadline
        return Response(PAGE, content_type="text/html")

    site.expect_request("/slow").respond_with_handler(slow)
    try:
        result = ArticleFetcher(client, user_agent=UA, deadline_s=0.3).fetch(site.url_for("/slow"), feed_on(site), now=NOW)
    finally:
        release.set()
    assert result.status == "timeout" and "longer than 0.3s" in result.error


@pytest.fixture
def other(servers):
    """Another local service, on another port: what a redirect must not reach."""
    server = servers[1]
    server.clear()
    server.expect_request("/secret").respond_with_data("internal data", content_type="text/html")
    return server


@pytest.mark.parametrize("target", ["127.0.0.1:{other}", "localhost:{other}", "127.0.0.2:{own}", "[::1]:{own}"])
def test_redirect_to_another_private_host_is_refused(site, client, other, target):
    """allow_private covers the feed's own host and port only: a redirect to another loopback service is refused."""
    location = "http://" + target.format(other=other.port, own=site.port) + "/secret"
    site.expect_request("/news/1").respond_with_data("", status=302, headers={"Location": location})
    result = ArticleFetcher(client, user_agent=UA).fetch(site.url_for("/news/1"), feed_on(site), now=NOW)
    assert result.status == "refused" and "not a public address" in result.error
    assert other.log == []


def test_redirect_within_the_feeds_own_host_is_followed(site, client):
    """A redirect on the feed's own host (allowed private) is followed, robots.txt checked on the way."""
    site.expect_request("/news/1").respond_with_data("", status=301, headers={"Location": "/news/one"})
    site.expect_request("/news/one").respond_with_data(PAGE, content_type="text/html")
    result = ArticleFetcher(client, user_agent=UA).fetch(site.url_for("/news/1"), feed_on(site), now=NOW)
    assert result.status == "fetched" and result.final_url.endswith("/news/one")


def test_redirect_into_a_disallowed_path_is_not_followed(site, client):
    """Each hop is checked against robots.txt."""
    site.expect_request("/news/1").respond_with_data("", status=302, headers={"Location": "/private/x"})
    site.expect_request("/private/x").respond_with_data(PAGE, content_type="text/html")
    assert ArticleFetcher(client, user_agent=UA).fetch(site.url_for("/news/1"), feed_on(site), now=NOW).status == "robots"
    assert "/private/x" not in paths(site)


def test_feed_that_does_not_allow_private_cannot_reach_a_loopback_article(site, client):
    """An article link is checked like a feed URL: a public feed's item pointing at loopback is refused unrequested."""
    site.expect_request("/news/1").respond_with_data(PAGE, content_type="text/html")
    result = ArticleFetcher(client, user_agent=UA).fetch(site.url_for("/news/1"), feed_on(site, allow_private=False), now=NOW)
    assert result.status == "refused" and site.log == []


def test_pooled_connection_is_no_way_around_the_guard(site, client):
    """After a feed allowed on this host opened a connection, another feed's link to the same host is still refused."""
    site.expect_request("/news/1").respond_with_data(PAGE, content_type="text/html")
    fetcher = ArticleFetcher(client, user_agent=UA)
    assert fetcher.fetch(site.url_for("/news/1"), feed_on(site), now=NOW).status == "fetched"
    stranger = Feed(name="Stranger", url="https://news.example/feed.xml")
    assert fetcher.fetch(site.url_for("/news/1"), stranger, now=NOW).status == "refused"
    assert paths(site).count("/news/1") == 1


@pytest.mark.parametrize("url", ["ftp://example.org/a", "javascript:alert(1)", "file:///etc/passwd", "http://169.254.169.254/x"])
def test_other_schemes_and_metadata_are_refused(client, url):
    """Only http(s), and never a metadata address."""
    feed = Feed(name="F", url="https://news.example/feed.xml", allow_private=True)
    result = ArticleFetcher(client, user_agent=UA).fetch(url, feed, now=NOW)
    assert result.status == "refused"


def test_a_pdf_is_not_a_web_page(site, client):
    """Only HTML is read."""
    site.expect_request("/report.pdf").respond_with_data(b"%PDF-1.7", content_type="application/pdf")
    result = ArticleFetcher(client, user_agent=UA).fetch(site.url_for("/report.pdf"), feed_on(site), now=NOW)
    assert result.status == "not-html"


def test_http_errors_are_failures_naming_the_status(site, client):
    site.expect_request("/gone").respond_with_data("no", status=410, content_type="text/html")
    result = ArticleFetcher(client, user_agent=UA).fetch(site.url_for("/gone"), feed_on(site), now=NOW)
    assert result.status == "failed" and "HTTP 410" in result.error


def test_article_requests_count_against_the_shared_host_limits(site, client):
    """Articles and their robots.txt go through the same per-host limits as feed polling."""
    seen: list[str] = []

    class Recording(HostLimits):
        def of(self, url: str) -> threading.Semaphore:
            seen.append(url)
            return super().of(url)

    site.expect_request("/news/1").respond_with_data(PAGE, content_type="text/html")
    limits = Recording(per_host=1)
    ArticleFetcher(client, user_agent=UA, limits=limits).fetch(site.url_for("/news/1"), feed_on(site), now=NOW)
    assert seen == [site.url_for("/robots.txt"), site.url_for("/news/1")]
    assert limits.of("http://A.example/x") is limits.of("https://a.example:8443/y")


def test_origin_of():
    assert origin_of("https://News.Example/a?b") == "https://news.example:443"
    assert origin_of("http://x.example:8080/") == "http://x.example:8080"


def test_crawl_delay_paces_article_requests_to_a_site(site, client):
    """A site's robots.txt Crawl-delay spaces the bot's article requests to it (capped at 10 s); the clock is a fake."""
    site.clear()
    site.expect_request("/robots.txt").respond_with_data("User-agent: *\nCrawl-delay: 4\n\nUser-agent: slowbot\nCrawl-delay: 600\n")
    for n in (1, 2, 3):
        site.expect_request(f"/news/{n}").respond_with_data(PAGE, content_type="text/html")
    waits: list[float] = []
    clock = [100.0]
    limits = HostLimits(sleep=waits.append, clock=lambda: clock[0])
    fetcher = ArticleFetcher(client, user_agent=UA, limits=limits)
    for n in (1, 2, 3):
        assert fetcher.fetch(site.url_for(f"/news/{n}"), feed_on(site), now=NOW).status == "fetched"
        clock[0] += 1.0  # each request took a second of the fake clock
    assert waits == [3.0, 6.0]  # the 2nd waits 4 - 1 s, the 3rd 8 - 2 s after the 1st started
    assert RobotsCache("slowbot/1.0", [robots_entry("http://x.example:80", status=200, body=b"User-agent: slowbot\nCrawl-delay: 600\n",
                                                   now=NOW)]).crawl_delay("http://x.example/a") == 0.0  # not parsed yet
    slow = RobotsCache("slowbot/1.0", [robots_entry("http://x.example:80", status=200, body=b"User-agent: slowbot\nCrawl-delay: 600\n", now=NOW)])
    slow.allows("http://x.example/a", now=NOW, fetch=lambda origin: None)  # type: ignore[arg-type,return-value]
    assert slow.crawl_delay("http://x.example/a") == 10.0

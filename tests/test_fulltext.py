"""Reading whole articles end to end: a local site serves feeds and article pages with boilerplate, robots.txt, a
50 MB page, a slow page and a redirect to another loopback service; the real models read what comes back."""

from __future__ import annotations

import random
import threading
from datetime import timedelta
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner
from conftest import CARIBBEAN_WATCHLIST, NOW, rss, story, write_rules
from pytest_httpserver import HTTPServer
from slack_server import FakeSlack
from werkzeug import Response

from bot.app import build_app
from bot.config import Secret, Settings
from bot.deliver.slack import SlackNotifier, make_slack_client
from bot.errors import ConfigError, Problem
from bot.ingest.article import ArticleFetcher
from bot.read.language import READABLE
from quality.articles import BODY_COUNTRIES, BOILERPLATE_COUNTRIES, STANCES, SUMMARY, TITLE, article_page

pytestmark = pytest.mark.model

LONG_SUMMARY = ("The US Navy struck another boat off Venezuela. Officials in Caracas protested. The Pentagon said the crew "
                "carried drugs. Regional governments are divided over the campaign.")
HARBOR = [
    story(1, TITLE, SUMMARY, hours_ago=9, host="harbor.example"),
    story(2, "US warships gather off Venezuela as the Caribbean strikes go on", "Three more destroyers arrived on Monday.", hours_ago=8),
    story(3, "Pentagon expands strikes on drug boats in the Caribbean", "The campaign now covers the eastern Caribbean.", hours_ago=7),
    story(4, "US Navy adds destroyers near Venezuela's coast", "A fourth destroyer joined the deployment.", hours_ago=6),
    story(5, "Caribbean boat strikes: what we know", "The strikes began in September.", hours_ago=5),
    story(6, "Venezuelan baseball league opens its winter season", "Fans filled the stadium in Valencia.", hours_ago=4),
    story(7, "US strike on a boat off Venezuela draws protests", LONG_SUMMARY, hours_ago=3),
    story(8, "Petro condena el ataque de Estados Unidos contra una lancha en el Caribe",
          "El presidente colombiano dijo que el bombardeo viola el derecho internacional y pidió una investigación.", hours_ago=2),
    story(9, "Le Brésil condamne les frappes américaines dans les Caraïbes",
          "Le ministère des Affaires étrangères a dénoncé une escalade dangereuse pour la région.", hours_ago=1),
]
PATHS = ["/news/strike", "/private/warships", "/news/huge", "/news/slow", "/news/moved", "/news/baseball", "/news/long",
         "/news/es", "/news/fr"]
COURIER_TITLE = "A week on the Caribbean coast as US warships patrol"
COURIER_TEXT = " ".join(["Guyana welcomed the US naval deployment in the Caribbean as a necessary step against traffickers."]
                        + ["The port of Georgetown reported normal traffic this week and ferries ran on time."] * 12)


def atom(title: str, summary: str, content: str, link: str) -> bytes:
    """An Atom feed with one entry whose <content> is the whole article."""
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Courier</title>'
            f"<id>urn:courier</id><updated>{NOW.isoformat()}</updated><entry><id>urn:courier:1</id><title>{escape(title)}</title>"
            f'<link href="{escape(link)}"/><updated>{(NOW - timedelta(hours=2)).isoformat()}</updated>'
            f"<summary>{escape(summary)}</summary><content type=\"html\">{escape('<p>' + content + '</p>')}</content></entry></feed>").encode()


@pytest.fixture
def site(servers, tmp_path):
    """The publisher's site, the other loopback service, and the record of what was sent of the 50 MB page."""
    server, other = servers
    for s in servers:
        s.clear()
    release = threading.Event()
    sent = [0]

    def huge(_request):
        def body():
            for _ in range(800):  # 50 MB in 64 kB chunks
                sent[0] += 65536
                yield b"<p>" + b"x" * 65530 + b"</p>"
        return Response(body(), content_type="text/html")

    def slow(_request):
        release.wait(10)  # answers only after the test; the fetch gives up at its 0.5 s deadline
        return Response("<html><body><p>late</p></body></html>", content_type="text/html")

    items = [dict(s, link=server.url_for(path)) for s, path in zip(HARBOR, PATHS, strict=True)]
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    server.expect_request("/harbor.xml").respond_with_data(rss(items), content_type="application/rss+xml")
    server.expect_request("/courier.xml").respond_with_data(
        atom(COURIER_TITLE, "How the deployment looks from the shore.", COURIER_TEXT, server.url_for("/courier/1")),
        content_type="application/atom+xml")
    server.expect_request("/news/strike").respond_with_data(article_page(1).html, content_type="text/html; charset=utf-8")
    server.expect_request("/news/huge").respond_with_handler(huge)
    server.expect_request("/news/slow").respond_with_handler(slow)
    server.expect_request("/news/moved").respond_with_data("", status=302, headers={"Location": other.url_for("/secret")})
    other.expect_request("/secret").respond_with_data("internal", content_type="text/html")
    feeds = (f"feeds:\n  - name: Harbor\n    url: {server.url_for('/harbor.xml')}\n    allow_private: true\n    fulltext: auto\n"
             f"  - name: Courier\n    url: {server.url_for('/courier.xml')}\n    allow_private: true\n    fulltext: true\n")
    rules = write_rules(tmp_path / "rules", CARIBBEAN_WATCHLIST, feeds)
    fake = FakeSlack()
    yield server, other, rules, sent, fake, fake.install(server)
    release.set()


def make_app(tmp_path, rules, api: str, embedder, *, deadline_s: float = 0.5):
    settings = Settings(rules_dir=rules, db_path=tmp_path / "bot.db", slack_token=Secret("xoxb-ft"), slack_api_url=api)
    app = build_app(settings, notifier=SlackNotifier(make_slack_client(settings.slack_token, api)), embedder=embedder,
                    rng=random.Random(5))
    app.articles = ArticleFetcher(app.http, user_agent=settings.user_agent, limits=app.limits, deadline_s=deadline_s)
    return app


def requested(server: HTTPServer) -> list[str]:
    return [request.path for request, _ in server.log]


def test_run_reads_the_article_and_alerts_on_its_stances(site, tmp_path, real_embedder):
    """Stances come from the article body only; what may not or cannot be read is recorded and kept to the summary."""
    server, other, rules, sent, fake, api = site
    app = make_app(tmp_path, rules, api, real_embedder)
    report = app.tick(now=NOW)
    app.close()
    assert report.process.unread == 2 and report.process.articles == 2  # the strike page, and the Courier's own text
    with app.open_store() as store:
        ids = {store.item(i).title: i for i in store.item_ids(since=NOW - timedelta(days=1))}
        by_title = {title: store.articles([i]).get(i) for title, i in ids.items()}
        statuses = {title: (a.status if a else None) for title, a in by_title.items()}
        stances = store.stances()
        unread = store.unread_languages(READABLE)
        matched = {store.item(m.item_id).title for m in store.matches()}
    assert statuses == {
        HARBOR[0]["title"]: "ok", HARBOR[1]["title"]: "robots", HARBOR[2]["title"]: "too-large", HARBOR[3]["title"]: "timeout",
        HARBOR[4]["title"]: "refused", HARBOR[5]["title"]: None, HARBOR[6]["title"]: "enough", HARBOR[7]["title"]: None,
        HARBOR[8]["title"]: None, COURIER_TITLE: "feed"}
    strike = {s.country: s.label for s in stances if s.item_id == ids[TITLE]}
    assert {c: strike.get(c) for c in BODY_COUNTRIES} == BODY_COUNTRIES
    assert not BOILERPLATE_COUNTRIES & {s.country for s in stances}
    assert all(s.from_article for s in stances if s.item_id == ids[TITLE] and s.country in BODY_COUNTRIES)
    assert {s.quote for s in stances if s.item_id == ids[TITLE]} >= set(STANCES)
    assert any(s.country == "GUY" and s.label == "supportive" and s.from_article for s in stances
               if s.item_id == ids[COURIER_TITLE])
    assert unread == {"es": {"Harbor": 1}, "fr": {"Harbor": 1}}
    assert not any(t.startswith(("Petro", "Le Brésil")) for t in matched) and "Venezuelan baseball" not in " ".join(matched)
    paths = requested(server)
    for never in ("/private/warships", "/news/baseball", "/news/long", "/news/es", "/news/fr"):
        assert never not in paths
    assert other.log == [] and sent[0] < 16 * 1024 * 1024
    assert paths.count("/robots.txt") == 1
    story_alert = next(c for c in fake.calls if TITLE in c["text"])
    assert "(from the article)" in str(story_alert["blocks"]) and "Brazil" in str(story_alert["blocks"])


def test_restart_fetches_nothing_again(site, tmp_path, real_embedder):
    """Articles fetched before a crash are not fetched again by the next run, nor robots.txt within its day."""
    server, _, rules, _, fake, api = site

    class Failing:
        """The real embedder until the articles have been fetched, then a crash (before anything is recorded)."""

        name = real_embedder.name

        def encode(self, texts):
            if "/news/strike" in requested(server):
                raise ConfigError([Problem("environment", 0, "STANCEBOT_EMBEDDER", "gone")])
            return real_embedder.encode(texts)

    first = make_app(tmp_path, rules, api, Failing())
    with pytest.raises(ConfigError):
        first.tick(now=NOW)
    first.close()
    fetched = [p for p in requested(server) if p.startswith(("/news", "/robots"))]
    assert "/news/strike" in fetched and fake.calls == []
    again = make_app(tmp_path, rules, api, real_embedder)
    report = again.tick(now=NOW + timedelta(minutes=15), force=True)
    again.tick(now=NOW + timedelta(hours=2), force=True)
    again.close()
    assert [p for p in requested(server) if p.startswith(("/news", "/robots"))] == fetched
    assert report.process.processed == 10 and report.process.articles == 2
    assert any("(from the article)" in str(c["blocks"]) for c in fake.calls)


def test_cli_run_once_reads_the_article(site, tmp_path, monkeypatch):
    """`stancebot run --once` over a full-text feed finds the article's stances and prints the alert with them."""
    from bot.cli import cli

    server = site[0]
    items = [dict(HARBOR[0], link=server.url_for("/news/strike"))]
    server.expect_request("/one.xml").respond_with_data(rss(items), content_type="application/rss+xml")
    rules = write_rules(tmp_path / "one", CARIBBEAN_WATCHLIST,
                        f"feeds:\n  - name: Harbor\n    url: {server.url_for('/one.xml')}\n    allow_private: true\n    fulltext: auto\n")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    result = CliRunner().invoke(cli, ["run", "--once", "--rules", str(rules), "--db", str(tmp_path / "one.db")], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Trinidad and Tobago" in result.output and "(from the article)" in result.output and "Russia" not in result.output

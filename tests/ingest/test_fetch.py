"""Polite fetching against a local feed server."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from conftest import NOW, rss, story
from werkzeug import Response

from bot.ingest.fetch import FeedState, fetch_feed, fetch_many, make_client, next_state
from bot.ingest.items import parse_feed
from bot.rules import Feed

UA = "stancebot-test/1.0"


def feed_for(httpserver, path="/feed.xml", **kw) -> Feed:
    return Feed(name="Local", url=httpserver.url_for(path), interval_s=600, allow_private=True, **kw)


def test_user_agent_and_body(httpserver):
    """The fetcher identifies itself and returns the body with its validators."""
    httpserver.expect_request("/feed.xml", headers={"User-Agent": UA}).respond_with_data(
        rss([story(1, "A")]), headers={"ETag": '"v1"', "Last-Modified": "Fri, 20 Nov 2026 10:00:00 GMT"})
    with make_client(UA) as client:
        result = fetch_feed(client, feed_for(httpserver), FeedState("Local"))
    assert (result.status, result.etag, result.last_modified, result.error) == (200, '"v1"', "Fri, 20 Nov 2026 10:00:00 GMT", None)
    assert b"<rss" in result.body


def test_conditional_get_gets_304(httpserver):
    """Stored validators are sent back and a 304 is understood."""
    conditional = {"If-None-Match": '"v1"', "If-Modified-Since": "Fri, 20 Nov 2026 10:00:00 GMT"}
    httpserver.expect_request("/feed.xml", headers=conditional).respond_with_data("", status=304)
    state = FeedState("Local", etag='"v1"', last_modified="Fri, 20 Nov 2026 10:00:00 GMT")
    with make_client(UA) as client:
        result = fetch_feed(client, feed_for(httpserver), state)
    assert result.not_modified and result.error is None and result.etag == '"v1"'


def test_custom_headers_sent(httpserver):
    """Per-feed headers from feeds.yaml go out with the request."""
    httpserver.expect_request("/feed.xml", headers={"Authorization": "Bearer t"}).respond_with_data(rss([]))
    with make_client(UA) as client:
        assert fetch_feed(client, feed_for(httpserver, headers={"Authorization": "Bearer t"}), FeedState("Local")).error is None


def test_http_error_recorded_with_retry_after(httpserver):
    """A 429 is an error carrying the server's Retry-After."""
    httpserver.expect_request("/feed.xml").respond_with_data("slow down", status=429, headers={"Retry-After": "3600"})
    with make_client(UA) as client:
        result = fetch_feed(client, feed_for(httpserver), FeedState("Local"))
    assert result.status == 429 and "HTTP 429" in result.error and result.retry_after == "3600"


def test_unreachable_feed_is_an_error_not_an_exception():
    """A refused connection is a recorded error naming the URL."""
    feed = Feed(name="Dead", url="http://127.0.0.1:9/feed.xml")
    with make_client(UA) as client:
        result = fetch_feed(client, feed, FeedState("Dead"))
    assert result.status is None and "127.0.0.1:9/feed.xml" in result.error


def test_body_size_limit(httpserver):
    """A body over the limit is refused while streaming."""
    httpserver.expect_request("/feed.xml").respond_with_handler(lambda r: Response(iter([b"x" * 4096] * 10)))
    with make_client(UA) as client:
        result = fetch_feed(client, feed_for(httpserver), FeedState("Local"), max_bytes=10_000)
    assert "too large" in result.error


def test_backoff_grows_and_resets():
    """Failures push the next poll out exponentially (with jitter); a success resets it."""
    from bot.ingest.fetch import FetchResult

    feed, rng = Feed(name="F", url="https://x.example/f", interval_s=600), random.Random(1)
    state = FeedState("F")
    gaps = []
    for _ in range(3):
        state = next_state(feed, state, FetchResult("F", 500, error="HTTP 500"), now=NOW, rng=rng)
        gaps.append(state.next_poll_at - NOW)
    assert timedelta(minutes=10) <= gaps[0] < gaps[1] < gaps[2] and state.failures == 3
    ok = next_state(feed, state, FetchResult("F", 200, etag='"e"'), now=NOW, rng=rng)
    assert (ok.failures, ok.next_poll_at, ok.last_success_at, ok.etag) == (0, NOW + timedelta(minutes=10), NOW, '"e"')


def test_retry_after_respected():
    """A Retry-After longer than the backoff wins."""
    from bot.ingest.fetch import FetchResult

    feed = Feed(name="F", url="https://x.example/f", interval_s=600)
    state = next_state(feed, FeedState("F"), FetchResult("F", 429, error="HTTP 429", retry_after="7200"), now=NOW, rng=random.Random(1))
    assert state.next_poll_at - NOW >= timedelta(hours=2)


def test_retry_after_date_counts_from_the_polls_now():
    """A Retry-After given as an HTTP date is read against the poll's `now`, not the machine's clock."""
    from bot.ingest.fetch import retry_after_s

    assert retry_after_s("Fri, 20 Nov 2026 13:00:00 GMT", now=NOW) == 3600
    assert retry_after_s("120", now=NOW) == 120 and retry_after_s("soon", now=NOW) is None


def test_per_host_limit():
    """No more than the per-host limit of requests run at once against one host."""
    import threading

    active, peak, lock = [0], [0], threading.Lock()
    gate = threading.Barrier(2, timeout=5)

    def fake_fetch(client, feed, state):
        from bot.ingest.fetch import FetchResult

        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            gate.wait()  # two in flight at once must be possible...
        except threading.BrokenBarrierError:
            pass
        with lock:
            active[0] -= 1
        return FetchResult(feed.name, 304)

    feeds = [(Feed(name=f"f{i}", url=f"https://one.example/{i}"), FeedState(f"f{i}")) for i in range(6)]
    results = fetch_many(None, feeds, workers=6, per_host=2, fetch=fake_fetch)
    assert len(results) == 6 and peak[0] == 2  # ...but never three


def test_gzip_bomb_stopped(httpserver):
    """A small gzip body that inflates past the limit is refused once decompressed."""
    import gzip

    bomb = gzip.compress(b"<rss>" + b" " * 2_000_000)
    httpserver.expect_request("/feed.xml").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    with make_client(UA) as client:
        result = fetch_feed(client, feed_for(httpserver), FeedState("Local"), max_bytes=100_000)
    assert len(bomb) < 100_000 and "once decompressed" in result.error


def test_slow_drip_hits_total_deadline(httpserver):
    """A server that keeps sending a byte at a time is cut off by the total deadline."""
    import time as _time

    def drip(_request):
        def body():
            for _ in range(50):
                _time.sleep(0.05)  # the server is slow; the test itself does not wait on a clock
                yield b" "
        return Response(body())

    httpserver.expect_request("/feed.xml").respond_with_handler(drip)
    with make_client(UA) as client:
        result = fetch_feed(client, feed_for(httpserver), FeedState("Local"), deadline_s=0.3)
    assert "longer than 0.3s" in result.error


def test_redirects_followed_then_limited(httpserver):
    """Redirects are followed (and re-checked), but a loop ends with a clear error."""
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/feed.xml"})
    httpserver.expect_request("/feed.xml").respond_with_data(rss([story(1, "A")]))
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    with make_client(UA) as client:
        assert fetch_feed(client, feed_for(httpserver, "/old"), FeedState("Local")).error is None
        assert "too many redirects" in fetch_feed(client, feed_for(httpserver, "/loop"), FeedState("Local")).error


@pytest.mark.parametrize("url, resolved, message", [
    ("http://127.0.0.1:8080/feed", "127.0.0.1", "not a public address"),
    ("http://intranet.example/feed", "10.1.2.3", "not a public address"),
    ("http://cgnat.example/feed", "100.64.1.1", "not a public address"),
    ("http://cloud.example/latest", "100.100.100.200", "metadata"),
    ("http://ietf.example/latest", "192.0.0.192", "not a public address"),
    ("http://cloud.example/latest", "169.254.169.254", "metadata"),
    ("http://[::1]/feed", "::1", "not a public address"),
    ("http://mapped.example/feed", "::ffff:127.0.0.1", "not a public address"),
    ("http://metadata.google.internal/x", "8.8.8.8", "metadata host"),
    ("ftp://files.example/feed", "8.8.8.8", "scheme 'ftp'"),
    ("file:///etc/passwd", "8.8.8.8", "scheme 'file'"),
    ("http://example.org:99999/feed", "8.8.8.8", "out of range"),
    ("http://[::1/feed", "8.8.8.8", "malformed URL"),
])
def test_ssrf_guard(url, resolved, message):
    """Feeds resolving to any address that is not public (or to a metadata service), or not http(s), are refused unconnected."""
    def fake_resolve(host, port, **kwargs):
        return [(0, 0, 0, "", (resolved, port))]

    with make_client(UA, resolve=fake_resolve) as client:
        result = fetch_feed(client, Feed(name="F", url=url), FeedState("F"))
    assert result.error.startswith("refused") and message in result.error


def test_allow_private_still_refuses_metadata_on_a_redirect(httpserver):
    """A feed allowed onto the private network cannot be redirected to the cloud metadata service."""
    httpserver.expect_request("/feed.xml").respond_with_data(
        "", status=302, headers={"Location": "http://instance.test/latest/meta-data/"})

    def fake_resolve(host, port, **kwargs):
        return [(0, 0, 0, "", ("169.254.169.254" if host == "instance.test" else "127.0.0.1", port))]

    with make_client(UA, resolve=fake_resolve) as client:
        result = fetch_feed(client, feed_for(httpserver), FeedState("Local"))
    assert result.error.startswith("refused") and "metadata" in result.error


def test_connection_goes_to_the_address_that_was_checked(httpserver):
    """DNS rebinding: the name is resolved once per connection and the socket opens to the checked address."""
    httpserver.expect_request("/feed.xml").respond_with_data(rss([story(1, "A")]))
    answers = iter(["127.0.0.1", "169.254.169.254", "169.254.169.254"])
    calls = []

    def rebinding(host, port, **kwargs):
        calls.append(host)
        return [(0, 0, 0, "", (next(answers), port))]

    url = httpserver.url_for("/feed.xml").replace("localhost", "feeds.rebind.test").replace("127.0.0.1", "feeds.rebind.test")
    with make_client(UA, resolve=rebinding) as client:
        result = fetch_feed(client, Feed(name="F", url=url, allow_private=True), FeedState("F"))
    assert result.error is None and len(parse_feed(result.body, feed="F", now=NOW).items) == 1
    assert calls == ["feeds.rebind.test"]


def raw_server(response: bytes):
    """A one-connection HTTP server that answers any request with `response` as is (werkzeug refuses some headers)."""
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))

    def answer():
        conn, _ = server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(response)
        server.close()

    threading.Thread(target=answer, daemon=True).start()
    return f"http://127.0.0.1:{server.getsockname()[1]}/feed.xml"


@pytest.mark.parametrize("location", ["javascript:alert(1)", "http://localhost:99999/feed", "http://localhost:-1/feed",
                                      "http://[::1/feed", "data:text/html,hi", "http://caf\u00e9.example:0/feed"])
def test_hostile_redirect_is_a_recorded_error(location):
    """A redirect to another scheme or an impossible port is this feed's error, never an exception."""
    url = raw_server(b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\nLocation: " + location.encode() + b"\r\n\r\n")
    with make_client(UA) as client:
        result = fetch_feed(client, Feed(name="Local", url=url, allow_private=True), FeedState("Local"))
    assert result.error and (result.error.startswith("refused") or "location header" in result.error)


def test_non_ascii_validators_are_never_sent_back(httpserver):
    """An ETag or Last-Modified that HTTP cannot carry is not kept, and one stored by an older version is not sent."""
    body = rss([story(1, "A")])
    url = raw_server(b"HTTP/1.1 200 OK\r\nContent-Length: " + str(len(body)).encode() +
                     b"\r\nETag: \"caf\xc3\xa9\"\r\nLast-Modified: Fri\xa0, 20 Nov 2026\r\n\r\n" + body)
    httpserver.expect_request("/feed.xml").respond_with_data(body)
    with make_client(UA) as client:
        first = fetch_feed(client, Feed(name="Raw", url=url, allow_private=True), FeedState("Raw"))
        state = next_state(feed_for(httpserver), FeedState("Raw"), first, now=NOW, rng=random.Random(1))
        stored_earlier = FeedState("Local", '"caf\u00c3\u00a9"', "Fri\u00a0, 20 Nov 2026")
        second = fetch_feed(client, feed_for(httpserver), stored_earlier)
    assert first.error is None and (state.etag, state.last_modified) == (None, None)
    assert second.error is None and "If-None-Match" not in httpserver.log[-1][0].headers


def test_header_drip_hits_the_total_deadline():
    """A server that drips its status line and headers a byte at a time cannot hold a fetch past the deadline."""
    import socket
    import threading

    stop = threading.Event()
    server = socket.create_server(("127.0.0.1", 0))

    def drip():
        conn, _ = server.accept()
        with conn:
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000:
                if stop.wait(0.02):  # the server drips; the test itself waits on nothing but the fetch
                    return
                conn.sendall(bytes([byte]))

    threading.Thread(target=drip, daemon=True).start()
    feed = Feed(name="Drip", url=f"http://127.0.0.1:{server.getsockname()[1]}/feed.xml", allow_private=True)
    with make_client(UA, timeout_s=5) as client:
        result = fetch_feed(client, feed, FeedState("Drip"), deadline_s=0.5)
    stop.set()
    server.close()
    assert "longer than 0.5s in total" in result.error

"""Downloading sources: a real HTTP server on 127.0.0.1 serves fixture pages.

The server (``WebServer``) is also used by tests/test_feeds.py.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from briefing import fetch
from briefing.errors import SourceError, UsageError
from briefing.fetch import (
    DEFAULT_USER_AGENT,
    FetchOptions,
    cache_key,
    default_cache_dir,
    fetch_all,
    fetch_url,
    is_feed,
    is_public_address,
    looks_like_feed,
    parse_max_age,
)
from briefing.ingest import RawDocument, load_sources, to_source

FIXTURES = Path(__file__).parent / "fixtures" / "web"
PAGE_TYPE = "text/html; charset=utf-8"
FEED_TYPES = {
    ".rss": "application/rss+xml", ".atom": "application/atom+xml", ".xml": "application/rss+xml",
}
#: Tests cap bodies at this so oversize cases stay small and fast.
TEST_MAX_BYTES = 100 * 1024


@dataclass
class Reply:
    """What the test server sends for one path."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    #: False: no Content-Length, the body ends when the connection closes.
    send_length: bool = True


Route = Reply | Callable[[], Reply]


class WebServer:
    """A ThreadingHTTPServer on 127.0.0.1 (port 0) serving fixture pages and feeds.

    Pages are at ``/news/<fixture>.html``; feeds at ``/<fixture>`` with
    ``{{BASE}}`` replaced by the server's own base URL.
    """

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.user_agents: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                server.hits[path] += 1
                server.user_agents.append(self.headers.get("User-Agent", ""))
                route = server.routes.get(path)
                if route is None:
                    reply = Reply(404, {"Content-Type": PAGE_TYPE}, b"<h1>Not found</h1>")
                else:
                    reply = route() if callable(route) else route
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.send_length:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the client gave up (timeouts, size caps): expected here

            def log_message(self, format: str, *args: object) -> None:
                pass

        class QuietServer(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.port = int(self.httpd.server_address[1])
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.running = False
        for page in FIXTURES.glob("*.html"):
            self.routes[f"/news/{page.name}"] = Reply(
                headers={"Content-Type": PAGE_TYPE}, body=page.read_bytes()
            )
        for feed in [*FIXTURES.glob("*.rss"), *FIXTURES.glob("*.atom"), *FIXTURES.glob("*.xml")]:
            body = feed.read_bytes().replace(b"{{BASE}}", self.base.encode())
            self.routes[f"/{feed.name}"] = Reply(
                headers={"Content-Type": FEED_TYPES[feed.suffix]}, body=body
            )

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> WebServer:
        self.thread.start()
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            self.running = False
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join(timeout=5)


@pytest.fixture
def server() -> Iterator[WebServer]:
    web = WebServer().start()
    try:
        yield web
    finally:
        web.stop()


@pytest.fixture
def options(tmp_path: Path) -> FetchOptions:
    """Short timeouts, small caps, loopback allowed, a private cache."""
    return FetchOptions(
        connect_timeout=2.0, read_timeout=0.4, total_timeout=10.0, max_bytes=TEST_MAX_BYTES,
        backoff=0.01, cache_dir=tmp_path / "cache", allow_private=True,
    )


ARTICLE = "/news/meridian-blinken-wang.html"


# --------------------------------------------------------------------------- happy path


def test_article_is_fetched_and_extracted_with_metadata(
    server: WebServer, options: FetchOptions
) -> None:
    doc = fetch_url(server.url(ARTICLE), options)
    assert doc.url == server.url(ARTICLE)
    assert doc.content_type == PAGE_TYPE
    assert doc.data == (FIXTURES / "meridian-blinken-wang.html").read_bytes()
    assert server.user_agents == [DEFAULT_USER_AGENT]

    source = to_source(doc, "s1")
    assert source.title == "Blinken meets Wang Yi on second day of Beijing visit"
    # The page says it is The Daily Meridian at dailymeridian.example, but it came
    # from 127.0.0.1: the outlet shown is where it was fetched from (issue 14).
    assert source.name == "127.0.0.1"
    assert source.url == server.url(ARTICLE)
    assert source.published == "2023-06-19"
    assert "Blinken spoke with Qin for seven and a half hours" in source.text
    assert source.text.rstrip().endswith("does not include a meeting with Xi.")
    for junk in ("LEAVE A REPLY", "Please enter your comment", "Related Posts", "RiverReader",
                 "cookies", "All rights reserved", "Subscribe", "Chip export curbs"):
        assert junk not in source.text


def test_user_agent_names_briefing_and_version() -> None:
    from briefing import __version__

    assert f"Briefing/{__version__} (+offline news brief)" == DEFAULT_USER_AGENT


def test_gzip_body_is_decoded(server: WebServer, options: FetchOptions) -> None:
    page = (FIXTURES / "harbour-blinken-xi.html").read_bytes()
    server.routes["/gz"] = Reply(
        headers={"Content-Type": PAGE_TYPE, "Content-Encoding": "gzip"}, body=gzip.compress(page)
    )
    assert fetch_url(server.url("/gz"), options).data == page


def test_redirect_is_followed_and_every_hop_is_checked(
    server: WebServer, options: FetchOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.routes["/old"] = Reply(301, {"Location": ARTICLE})
    checked: list[str] = []
    original = fetch.check_url

    def recording(url: str, *, allow_private: bool, where: str | None = None) -> None:
        checked.append(url)
        original(url, allow_private=allow_private, where=where)

    monkeypatch.setattr(fetch, "check_url", recording)
    doc = fetch_url(server.url("/old"), options)
    assert doc.url == server.url(ARTICLE)
    assert server.url(ARTICLE) in checked


# --------------------------------------------------------------------------- failures


def _gzip_bomb() -> bytes:
    return gzip.compress(b"\0" * (8 * 1024 * 1024), compresslevel=9)


def _failure_routes(server: WebServer) -> dict[str, tuple[Route, str]]:
    """path → (reply, the reason expected in the warning)."""
    big = b"<html><body>" + b"<p>filler text</p>" * 8000 + b"</body></html>"
    assert len(big) > TEST_MAX_BYTES and len(_gzip_bomb()) < TEST_MAX_BYTES
    return {
        "/missing": (Reply(404, {"Content-Type": PAGE_TYPE}, b"gone"), "HTTP 404 Not Found"),
        "/slow": (Reply(headers={"Content-Type": PAGE_TYPE}, body=b"<p>late</p>", delay=1.5),
                  "no response within 0.4 s (read timeout)"),
        "/loop-a": (Reply(302, {"Location": "/loop-b"}), f"redirect loop at {server.base}/loop-a"),
        "/loop-b": (Reply(302, {"Location": "/loop-a"}), f"redirect loop at {server.base}/loop-b"),
        "/chain": (lambda: Reply(302, {"Location": f"/chain?n={time.monotonic_ns()}"}),
                   "too many redirects (more than 5)"),
        "/big": (Reply(headers={"Content-Type": PAGE_TYPE}, body=big),
                 "141 KB is over the 100 KB limit per source"),
        "/big-streamed": (Reply(headers={"Content-Type": PAGE_TYPE}, body=big, send_length=False),
                          "over the 100 KB limit per source"),
        "/bomb": (Reply(headers={"Content-Type": PAGE_TYPE, "Content-Encoding": "gzip"},
                        body=_gzip_bomb()),
                  "over the 100 KB limit per source (decompressed)"),
        "/photo.png": (Reply(headers={"Content-Type": "image/png"}, body=b"\x89PNG\r\n\x1a\n"),
                       "not an article (content-type image/png)"),
        "/report.pdf": (Reply(headers={"Content-Type": "application/pdf"}, body=b"%PDF-1.7"),
                        "not an article (content-type application/pdf)"),
        "/bundle.zip": (Reply(headers={"Content-Type": "application/zip"}, body=b"PK\x03\x04"),
                        "not an article (content-type application/zip)"),
        "/download": (Reply(headers={"Content-Type": "application/octet-stream"},
                            body=b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
                      "not an article (content-type application/octet-stream, binary content)"),
        "/sitemap.xml": (Reply(headers={"Content-Type": "application/xml"},
                               body=b'<?xml version="1.0"?><urlset><url/></urlset>'),
                         "not an article (content-type application/xml, not a feed)"),
        "/to-file": (Reply(302, {"Location": "file:///etc/passwd"}),
                     "unsupported URL scheme 'file:' (only http and https)"),
        "/busy": (Reply(503, {"Retry-After": "3600"}), "HTTP 503 Service Unavailable"),
        "/broken": (Reply(500), "HTTP 500 Internal Server Error"),
    }


FAILURES = [
    "/missing", "/slow", "/loop-a", "/chain", "/big", "/big-streamed", "/bomb", "/photo.png",
    "/report.pdf", "/bundle.zip", "/download", "/sitemap.xml", "/to-file", "/busy", "/broken",
]


@pytest.mark.parametrize("path", FAILURES)
def test_a_failing_url_is_skipped_with_its_reason_and_the_rest_go_on(
    server: WebServer, options: FetchOptions, path: str
) -> None:
    routes = _failure_routes(server)
    for route_path, (reply, _) in routes.items():
        server.routes[route_path] = reply
    warnings: list[str] = []
    bad, good = server.url(path), server.url(ARTICLE)
    docs = fetch_all([bad, good], options, warn=warnings.append)
    assert warnings == [f"skipped {bad}: {routes[path][1]}"]
    assert [d.url for d in docs] == [good]


def test_retries_honour_a_small_retry_after(server: WebServer, options: FetchOptions) -> None:
    replies = iter([Reply(503, {"Retry-After": "0"}), Reply(429, {"Retry-After": "0"})])
    page = Reply(headers={"Content-Type": PAGE_TYPE}, body=b"<html><p>finally</p></html>")
    server.routes["/flaky"] = lambda: next(replies, page)
    assert fetch_url(server.url("/flaky"), options).data == page.body
    assert server.hits["/flaky"] == 3


def test_retries_stop_at_the_limit_and_a_long_retry_after_is_not_awaited(
    server: WebServer, options: FetchOptions
) -> None:
    server.routes["/broken"] = Reply(500)
    server.routes["/busy"] = Reply(503, {"Retry-After": "3600"})
    started = time.monotonic()
    fetch_all([server.url("/broken"), server.url("/busy")], options)
    assert server.hits["/broken"] == 1 + options.retries
    assert server.hits["/busy"] == 1
    assert time.monotonic() - started < 2


def test_connection_refused(options: FetchOptions) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SourceError, match="connection refused"):
        fetch_url(f"http://127.0.0.1:{port}/x", options)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://127.0.0.1/pub/a.html", "unsupported URL scheme 'ftp:'"),
        ("file:///etc/passwd", "unsupported URL scheme 'file:'"),
        ("javascript:alert(1)", "unsupported URL scheme 'javascript:'"),
        ("data:text/html,<p>x</p>", "unsupported URL scheme 'data:'"),
        ("http:///no-host", "invalid URL (no host)"),
        ("http://127.0.0.1:99999/", "invalid URL"),
    ],
)
def test_only_http_and_https_are_fetched(options: FetchOptions, url: str, reason: str) -> None:
    with pytest.raises(SourceError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        fetch_url(url, options)


def test_an_empty_main_text_is_skipped_after_fetching(
    server: WebServer, options: FetchOptions
) -> None:
    shell, good = server.url("/news/js-shell.html"), server.url(ARTICLE)
    warnings: list[str] = []
    sources = load_sources(fetch_all([shell, good], options), warn=warnings.append)
    assert warnings == [f"skipped {shell}: no article text found in the HTML"]
    assert [s.name for s in sources] == ["127.0.0.1"]  # its canonical address is elsewhere


def test_a_noscript_notice_is_not_an_article() -> None:
    shell = (FIXTURES / "js-shell.html").read_bytes().replace(
        b"<body>", b"<body><noscript>You need to enable JavaScript to run this app.</noscript>"
    )
    with pytest.raises(SourceError):
        to_source(RawDocument(data=shell, url="http://127.0.0.1/x", content_type=PAGE_TYPE), "s1")


# --------------------------------------------------------------------------- private addresses


def test_loopback_is_refused_without_allow_private(server: WebServer, tmp_path: Path) -> None:
    strict = FetchOptions(cache_dir=tmp_path, read_timeout=1.0)
    warnings: list[str] = []
    assert fetch_all([server.url(ARTICLE)], strict, warn=warnings.append) == []
    assert warnings == [
        f"skipped {server.url(ARTICLE)}: refused non-public address 127.0.0.1 for host "
        "127.0.0.1 (allow with --allow-private)"
    ]
    assert server.hits[ARTICLE] == 0


def test_the_connected_address_is_checked_too(
    server: WebServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If DNS answered "public" and then connected to loopback, the socket check still refuses."""
    original = fetch.check_url

    def lying_dns(url: str, *, allow_private: bool, where: str | None = None) -> None:
        original(url, allow_private=True, where=where)  # scheme checks only

    monkeypatch.setattr(fetch, "check_url", lying_dns)
    with pytest.raises(SourceError, match=r"refused non-public address 127\.0\.0\.1"):
        fetch_url(server.url(ARTICLE), FetchOptions(cache_dir=tmp_path, read_timeout=1.0))
    assert server.hits[ARTICLE] == 0


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.5.4", False), ("192.168.1.1", False),
        ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False),
        ("224.0.0.251", False), ("240.0.0.1", False), ("255.255.255.255", False),
        ("::1", False), ("fe80::1%eth0", False), ("fd00::1", False), ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False), ("8.8.8.8", True), ("93.184.216.34", True),
        ("2606:4700:4700::1111", True), ("::ffff:8.8.8.8", True),
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(address) is public


# --------------------------------------------------------------------------- cache


def test_cache_serves_the_same_bytes_when_the_server_is_gone(
    server: WebServer, options: FetchOptions
) -> None:
    url = server.url("/news/harbour-blinken-xi.html")
    first = fetch_url(url, options)
    server.stop()
    again = fetch_url(url, options)
    assert again == first
    meta = json.loads((options.cache_dir / "http" / f"{cache_key(url)}.json").read_text())
    assert meta["url"] == url and meta["final_url"] == url
    assert meta["status"] == 200 and meta["content_type"] == PAGE_TYPE
    assert meta["fetched_at"].endswith("+00:00")
    assert not list((options.cache_dir / "http").glob("*.tmp"))
    with pytest.raises(SourceError, match="connection refused"):
        fetch_url(url, replace(options, refresh=True))


def test_refresh_refetches_and_updates_the_cache(server: WebServer, options: FetchOptions) -> None:
    versions = iter([b"<html><p>first edition</p></html>", b"<html><p>second edition</p></html>"])
    server.routes["/live"] = lambda: Reply(headers={"Content-Type": PAGE_TYPE}, body=next(versions))
    url = server.url("/live")
    assert fetch_url(url, options).data == b"<html><p>first edition</p></html>"
    assert fetch_url(url, options).data == b"<html><p>first edition</p></html>"
    assert server.hits["/live"] == 1
    refreshed = fetch_url(url, replace(options, refresh=True))
    assert refreshed.data == b"<html><p>second edition</p></html>"
    assert server.hits["/live"] == 2
    assert fetch_url(url, options).data == b"<html><p>second edition</p></html>"


def _age_cache_entry(options: FetchOptions, url: str, *, hours: float) -> None:
    meta_path = options.cache_dir / "http" / f"{cache_key(url)}.json"
    meta = json.loads(meta_path.read_text())
    fetched = datetime.fromisoformat(meta["fetched_at"]) - timedelta(hours=hours)
    meta["fetched_at"] = fetched.isoformat(timespec="seconds")
    meta_path.write_text(json.dumps(meta))


def test_a_cached_feed_expires_after_a_day_an_article_never(
    server: WebServer, options: FetchOptions
) -> None:
    feed, page = server.url("/feed.rss"), server.url(ARTICLE)
    for url in (feed, page):
        fetch_url(url, options)
        _age_cache_entry(options, url, hours=23)
        fetch_url(url, options)
    assert (server.hits["/feed.rss"], server.hits[ARTICLE]) == (1, 1)
    for url in (feed, page):
        _age_cache_entry(options, url, hours=2)  # 25 hours old now
        fetch_url(url, options)
    assert (server.hits["/feed.rss"], server.hits[ARTICLE]) == (2, 1)
    # --max-age sets both: a 2-hour-old article is downloaded again under 1h.
    _age_cache_entry(options, page, hours=2)
    fetch_url(page, replace(options, article_max_age=parse_max_age("1h")))
    assert server.hits[ARTICLE] == 2


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90.0), ("30m", 1800.0), ("6h", 21600.0), ("2d", 172800.0), ("0", 0.0)]
)
def test_max_age_takes_seconds_minutes_hours_days(text: str, seconds: float) -> None:
    assert parse_max_age(text) == seconds


@pytest.mark.parametrize("text", ["", "-1h", "two days", "3w"])
def test_a_bad_max_age_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="is not a duration such as 30m, 6h or 2d"):
        parse_max_age(text)


def test_a_damaged_cache_entry_is_a_miss(server: WebServer, options: FetchOptions) -> None:
    url = server.url(ARTICLE)
    fetch_url(url, options)
    (options.cache_dir / "http" / f"{cache_key(url)}.body").write_bytes(b"truncat")
    assert fetch_url(url, options).data == (FIXTURES / "meridian-blinken-wang.html").read_bytes()
    assert server.hits[ARTICLE] == 2


def test_failures_are_not_cached(server: WebServer, options: FetchOptions) -> None:
    url = server.url("/missing")
    for _ in range(2):
        with pytest.raises(SourceError, match="HTTP 404"):
            fetch_url(url, options)
    assert server.hits["/missing"] == 2


def test_default_cache_dir_honours_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "briefing"
    assert FetchOptions().cache_dir == tmp_path / "briefing"


# --------------------------------------------------------------------------- batches


def test_fetch_all_keeps_input_order_and_reports_progress(
    server: WebServer, options: FetchOptions
) -> None:
    a, b = server.url(ARTICLE), server.url("/news/harbour-blinken-xi.html")
    missing = server.url("/missing")
    progress: list[tuple[int, int, int]] = []
    warnings: list[str] = []
    docs = fetch_all([b, missing, a, b], options, warn=warnings.append,
                     progress=lambda *p: progress.append(p))
    assert [d.url for d in docs] == [b, a]
    assert warnings == [f"skipped {missing}: HTTP 404 Not Found"]
    assert sorted(p[0] for p in progress) == [1, 2, 3]
    assert progress[-1] == (3, 3, 1)
    assert server.hits["/news/harbour-blinken-xi.html"] == 1


def test_concurrency_is_bounded(server: WebServer, options: FetchOptions) -> None:
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    def slow_page() -> Reply:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.1)
        with lock:
            in_flight -= 1
        return Reply(headers={"Content-Type": PAGE_TYPE}, body=b"<p>x</p>")

    for k in range(6):
        server.routes[f"/p{k}"] = slow_page
    docs = fetch_all([server.url(f"/p{k}") for k in range(6)], replace(options, concurrency=2))
    assert len(docs) == 6
    assert peak == 2


# --------------------------------------------------------------------------- small parts


def test_feeds_are_recognised_by_type_or_by_their_root_element() -> None:
    rss = (FIXTURES / "feed.rss").read_bytes()
    atom = (FIXTURES / "feed.atom").read_bytes()
    page = (FIXTURES / "harbour-blinken-xi.html").read_bytes()
    assert looks_like_feed(rss) and looks_like_feed(atom)
    assert not looks_like_feed(page)
    assert is_feed(RawDocument(data=rss, url="http://x/f", content_type="text/xml"))
    assert is_feed(RawDocument(data=b"", url="http://x/f", content_type="application/atom+xml"))
    assert not is_feed(RawDocument(data=page, url="http://x/p", content_type="text/xml"))
    # A page that merely mentions <rss> in its text is not a feed.
    assert not looks_like_feed(b"<!doctype html><p>Subscribe via <rss> here</p>")


@pytest.mark.parametrize(
    "changes",
    [{"read_timeout": 0}, {"connect_timeout": -1}, {"max_bytes": 0}, {"concurrency": 0},
     {"max_redirects": -1}, {"retries": -1}, {"backoff": -0.5}],
)
def test_fetch_options_reject_impossible_values(tmp_path: Path, changes: dict[str, float]) -> None:
    with pytest.raises(UsageError):
        FetchOptions(cache_dir=tmp_path, **changes)  # type: ignore[arg-type]


def test_ctrl_c_during_a_batch_returns_at_once(server: WebServer, options: FetchOptions) -> None:
    server.routes["/slow"] = Reply(headers={"Content-Type": PAGE_TYPE}, body=b"<p>x</p>", delay=1.5)

    def interrupt(done: int, total: int, failed: int) -> None:
        raise KeyboardInterrupt

    urls = [server.url(ARTICLE), *(server.url(f"/slow?{k}") for k in range(6))]
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        fetch.fetch_many(urls, replace(options, read_timeout=3.0, concurrency=2),
                         progress=interrupt)
    assert time.monotonic() - started < 1.0


_FIRST_BATCH = """
import sys, tempfile, time
from pathlib import Path
from briefing import fetch
options = fetch.FetchOptions(cache_dir=Path(tempfile.mkdtemp()), allow_private=True, read_timeout=3.0,
                             concurrency=4)
before = set(sys.modules)
started = time.monotonic()
fetch.fetch_many([sys.argv[1] + f"/slow?{k}" for k in range(4)], options)
print(round(time.monotonic() - started, 2))
print(" ".join(sorted(m for m in set(sys.modules) - before if m.startswith("briefing"))))
"""


def test_the_first_batch_of_a_process_downloads_in_parallel(server: WebServer) -> None:
    """A fresh process, as the CLI is: no download thread imports a module while the others wait.

    The cache write used to import briefing.output (and, through it, the NLP
    stack) inside the threads: four 1-second pages at concurrency 4 took 2.1 s.
    """
    import subprocess
    import sys

    server.routes["/slow"] = Reply(headers={"Content-Type": PAGE_TYPE}, body=b"<p>x</p>", delay=1.0)
    done = subprocess.run([sys.executable, "-c", _FIRST_BATCH, server.base], capture_output=True,
                          text=True, timeout=60, check=True)
    elapsed, imported = [*done.stdout.splitlines(), ""][:2]
    assert imported == ""
    assert float(elapsed) < 1.6
    assert server.hits["/slow"] == 4


@pytest.mark.parametrize(
    ("header", "expected"),
    [(None, 0.01), ("0", 0.0), ("3", 3.0), ("3600", None), ("soon", 0.01),
     ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)
def test_retry_after_is_seconds_or_a_date(
    options: FetchOptions, header: str | None, expected: float | None
) -> None:
    assert fetch._retry_delay(header, 0, options) == expected


def test_an_unwritable_cache_costs_the_cache_not_the_source(
    server: WebServer, options: FetchOptions, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    doc = fetch_url(server.url(ARTICLE), replace(options, cache_dir=blocker))
    assert doc.data == (FIXTURES / "meridian-blinken-wang.html").read_bytes()

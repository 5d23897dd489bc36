"""Feeds: parsing, choosing entries, expanding sources, and the CLI on live URLs.

Web tests use the 127.0.0.1 server from tests/test_fetch.py.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import SourceError, UsageError
from briefing.feeds import (
    TOPIC_THRESHOLD,
    FeedEntry,
    parse_feed,
    select_entries,
    topic_scores,
)
from briefing.fetch import FetchOptions
from briefing.ingest import expand_sources
from tests import test_fetch
from tests.helpers import SEEDS
from tests.test_fetch import FIXTURES, WebServer

BASE = "http://news.example"


def fixture_feed(name: str, base: str = BASE) -> bytes:
    return (FIXTURES / name).read_bytes().replace(b"{{BASE}}", base.encode())


@pytest.fixture
def rss_entries() -> list[FeedEntry]:
    return parse_feed(fixture_feed("feed.rss"), f"{BASE}/feed.rss")


# The 127.0.0.1 server and the short-timeout options of tests/test_fetch.py.
server = test_fetch.server
options = test_fetch.options


# --------------------------------------------------------------------------- parse_feed


def test_rss_entries_come_out_in_feed_order_with_plain_summaries_and_dates() -> None:
    warnings: list[str] = []
    entries = parse_feed(fixture_feed("feed.rss"), f"{BASE}/feed.rss", warn=warnings.append)
    assert [e.link for e in entries] == [
        f"{BASE}/news/harbour-blinken-xi.html?CMP=rss",  # the #comments fragment is dropped
        f"{BASE}/news/ledger-blinken-diplomat.html",
        f"{BASE}/news/harbour-heatwave.html",
        f"{BASE}/news/meridian-blinken-wang.html",
    ]
    first = entries[0]
    assert first.title == "Antony Blinken meets Xi Jinping in Beijing"
    assert first.summary.startswith("US secretary of state holds talks with Chinese president")
    assert "<" not in first.summary
    assert [e.published for e in entries] == ["2023-06-19", "2023-06-19", "2023-06-18", None]


def test_javascript_and_file_links_are_dropped_with_a_warning_naming_the_entry() -> None:
    warnings: list[str] = []
    entries = parse_feed(fixture_feed("feed.rss"), f"{BASE}/feed.rss", warn=warnings.append)
    assert warnings == [
        f"skipped feed entry 'Click here to read the full Blinken story' in {BASE}/feed.rss: "
        "link is not http(s) (javascript:)",
        f"skipped feed entry 'Local copy of the Blinken visit notes' in {BASE}/feed.rss: "
        "link is not http(s) (file:)",
    ]
    assert all(e.link.startswith(BASE) for e in entries)


def test_atom_links_resolve_against_the_feed_url_and_dates_fall_back_to_updated() -> None:
    entries = parse_feed(fixture_feed("feed.atom"), "http://wire.example/feeds/asia.atom")
    assert entries[0].link == "http://wire.example/feeds/news/wire-gulf-courier.html"
    assert entries[1].link == f"{BASE}/news/wire-coastal-post.html"
    assert [e.published for e in entries] == ["2023-06-19", "2023-06-19", "2023-06-12"]
    assert entries[0].summary == (
        "Blinken met China's top diplomat Wang Yi on the final day of a rare visit to Beijing."
    )


def test_an_unreadable_feed_is_one_line_invalid_feed() -> None:
    with pytest.raises(SourceError) as caught:
        parse_feed((FIXTURES / "invalid-feed.xml").read_bytes(), f"{BASE}/invalid-feed.xml")
    assert str(caught.value) == f"skipped {BASE}/invalid-feed.xml: invalid feed"


def test_a_feed_broken_after_some_entries_keeps_those_entries() -> None:
    data = fixture_feed("feed.rss").split(b"<item>\n    <title>Heatwave")[0] + b"<item><title>cut &"
    entries = parse_feed(data, f"{BASE}/feed.rss")
    assert [e.title for e in entries[:2]] == [
        "Antony Blinken meets Xi Jinping in Beijing",
        "Blinken meets China’s top diplomat Wang Yi as Beijing trip nears its end",
    ]


def test_bytes_are_never_taken_for_a_path_or_url(server: WebServer) -> None:
    # feedparser opens a string or bytes that names a file or URL; parse_feed must not.
    for data in (b"/etc/passwd", server.url("/feed.rss").encode()):
        with pytest.raises(SourceError, match="invalid feed"):
            parse_feed(data, f"{BASE}/feed.rss")
    assert server.hits["/feed.rss"] == 0


# --------------------------------------------------------------------------- select_entries


def test_topic_keeps_relevant_entries_best_first(rss_entries: list[FeedEntry]) -> None:
    chosen = select_entries(rss_entries, topic="Blinken China talks")
    assert not any(e.title.startswith("Heatwave") for e in chosen)
    assert len(chosen) == 3
    scores = dict(zip(rss_entries, topic_scores(rss_entries, "Blinken China talks"), strict=True))
    assert [scores[e] for e in chosen] == sorted((scores[e] for e in chosen), reverse=True)
    assert min(scores[e] for e in chosen) >= TOPIC_THRESHOLD

    heat = select_entries(rss_entries, topic="heatwave in Europe")
    assert [e.title for e in heat] == ["Heatwave grips southern Europe as temperatures pass 40C"]


def test_topic_scores_are_cosines_over_stems(rss_entries: list[FeedEntry]) -> None:
    scores = topic_scores(rss_entries, "meetings")  # stems to "meet", as does "meets"
    assert scores[0] > TOPIC_THRESHOLD
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert topic_scores(rss_entries, "volcano eruption") == [0.0] * len(rss_entries)
    assert topic_scores(rss_entries, "the and of") == [0.0] * len(rss_entries)


def test_date_window_keeps_undated_entries_and_says_so(rss_entries: list[FeedEntry]) -> None:
    warnings: list[str] = []
    kept = select_entries(rss_entries, since=dt.date(2023, 6, 19), warn=warnings.append)
    assert [e.published for e in kept] == ["2023-06-19", "2023-06-19", None]
    assert warnings == [
        "feed entry 'Live: Blinken in Beijing, the visit as it happened' has no date; "
        "kept despite --since/--until"
    ]
    kept = select_entries(rss_entries, since=dt.date(2023, 6, 18), until=dt.date(2023, 6, 18))
    assert [e.published for e in kept] == ["2023-06-18", None]


def test_no_window_no_warning(rss_entries: list[FeedEntry]) -> None:
    warnings: list[str] = []
    assert select_entries(rss_entries, warn=warnings.append) == rss_entries
    assert warnings == []


def test_max_sources_keeps_feed_order_or_the_most_relevant(rss_entries: list[FeedEntry]) -> None:
    assert select_entries(rss_entries, max_sources=2) == rss_entries[:2]
    best = select_entries(rss_entries, topic="Xi Jinping", max_sources=1)
    assert [e.title for e in best] == ["Antony Blinken meets Xi Jinping in Beijing"]


# --------------------------------------------------------------------------- expand_sources


def test_mixed_inputs_expand_in_input_order(
    server: WebServer, options: FetchOptions, tmp_path: Path
) -> None:
    local_feed = tmp_path / "wire.atom"
    local_feed.write_bytes(fixture_feed("feed.atom", server.base))
    seed = sorted(SEEDS.glob("*.txt"))[0]
    article = server.url("/news/meridian-blinken-wang.html")
    warnings: list[str] = []
    progress: list[tuple[int, int, int]] = []
    docs = expand_sources(
        [article, server.url("/feed.rss"), str(seed), str(local_feed)], options,
        topic="Blinken Beijing", warn=warnings.append, progress=lambda *p: progress.append(p),
    )
    where = [d.url or d.path for d in docs]
    assert where[0] == article
    # From feed.rss, most relevant first: heatwave is off topic, "Live" is the article above.
    assert set(where[1:3]) == {
        server.url("/news/harbour-blinken-xi.html?CMP=rss"),
        server.url("/news/ledger-blinken-diplomat.html"),
    }
    assert where[3:] == [
        str(seed),
        # From wire.atom: its first link is relative, which a local file cannot resolve;
        # the Japan entry is off topic.
        server.url("/news/wire-coastal-post.html"),
    ]
    from_feed = docs[where.index(server.url("/news/ledger-blinken-diplomat.html"))]
    assert from_feed.title == (
        "Blinken meets China’s top diplomat Wang Yi as Beijing trip nears its end"
    )
    assert from_feed.published == "2023-06-19"
    assert from_feed.content_type == "text/html; charset=utf-8"
    titles = [
        "Click here to read the full Blinken story",
        "Local copy of the Blinken visit notes",
        "Blinken to wrap up talks in China, may meet Xi before leaving",
    ]
    assert len(warnings) == len(titles)
    for warning, title in zip(warnings, titles, strict=True):
        assert warning.startswith(f"skipped feed entry '{title}' in ")
    assert warnings[-1].endswith(
        "relative link 'news/wire-gulf-courier.html' and no web address for the feed"
    )
    assert server.hits["/news/harbour-heatwave.html"] == 0
    assert server.hits["/news/meridian-blinken-wang.html"] == 1
    assert progress[-1] == (3, 3, 0)


def test_feed_problems_are_warnings_and_the_rest_go_on(
    server: WebServer, options: FetchOptions
) -> None:
    warnings: list[str] = []
    docs = expand_sources(
        [server.url(p) for p in ("/invalid-feed.xml", "/feed.atom", "/news/harbour-heatwave.html")],
        options, warn=warnings.append,
    )
    assert warnings == [
        f"skipped {server.url('/invalid-feed.xml')}: invalid feed",
        f"skipped {server.url('/news/japan-defence.html')}: HTTP 404 Not Found",
    ]
    assert [d.url for d in docs] == [
        server.url("/news/wire-gulf-courier.html"), server.url("/news/wire-coastal-post.html"),
        server.url("/news/harbour-heatwave.html"),
    ]


def test_max_sources_caps_articles_taken_from_feeds(
    server: WebServer, options: FetchOptions
) -> None:
    docs = expand_sources(
        [server.url(p) for p in ("/news/harbour-heatwave.html", "/feed.rss", "/feed.atom")],
        options, topic="Blinken Beijing", max_sources=2,
    )
    assert len(docs) == 3  # the named article, plus two from the feeds


def test_a_topic_that_matches_nothing_says_so(server: WebServer, options: FetchOptions) -> None:
    warnings: list[str] = []
    docs = expand_sources([server.url("/feed.atom")], options, topic="volcano eruption",
                          warn=warnings.append)
    assert docs == []
    assert warnings == ["no feed entry chosen: none of 3 matched --topic/--since/--until"]
    assert sum(server.hits.values()) == 1  # the feed itself, no article


def test_a_missing_path_or_a_backwards_window_fails_before_any_download(
    server: WebServer, options: FetchOptions, tmp_path: Path
) -> None:
    with pytest.raises(UsageError, match="no such file or directory"):
        expand_sources([server.url("/feed.rss"), str(tmp_path / "nope.txt")], options)
    with pytest.raises(UsageError, match="--since 2023-06-20 is after --until 2023-06-19"):
        expand_sources([server.url("/feed.rss")], options,
                       since=dt.date(2023, 6, 20), until=dt.date(2023, 6, 19))
    assert sum(server.hits.values()) == 0


# --------------------------------------------------------------------------- CLI end to end


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _brief(out: Path) -> dict[str, Any]:
    brief: dict[str, Any] = json.loads((out / "brief.json").read_text("utf-8"))
    return brief


@pytest.mark.slow
def test_build_from_an_article_url_and_a_feed_then_again_from_the_cache(
    server: WebServer, tmp_path: Path
) -> None:
    cache, first, second = tmp_path / "cache", tmp_path / "first", tmp_path / "second"
    article, feed = server.url("/news/meridian-blinken-wang.html"), server.url("/feed.rss")
    result = run("build", article, feed, "--allow-private", "--cache-dir", str(cache),
                 "--out", str(first))
    assert result.exit_code == 0, result.stderr
    assert "fetched 2/2 URLs" in result.stderr and "fetched 3/3 URLs" in result.stderr
    assert "warning: skipped feed entry 'Click here to read the full Blinken" in result.stderr
    assert "warning: skipped feed entry 'Local copy of the Blinken visit notes'" in result.stderr
    brief = _brief(first)
    assert [(s["name"], s["url"]) for s in brief["sources"]] == [
        # The URL fetched, never the page's canonical claim; a page claiming an
        # address on another site is named by the host it came from (issue 14).
        ("127.0.0.1", article),
        ("127.0.0.1", server.url("/news/harbour-blinken-xi.html?CMP=rss")),
        ("Pacific Ledger", server.url("/news/ledger-blinken-diplomat.html")),
        ("Harbour Times", server.url("/news/harbour-heatwave.html")),
    ]
    assert all(s["path"] is None for s in brief["sources"])
    assert brief["date"] == "2023-06-19"

    server.stop()
    result = run("build", article, feed, "--allow-private", "--cache-dir", str(cache),
                 "--out", str(second), "-q")
    assert result.exit_code == 0, result.stderr
    assert "fetched" not in result.stderr  # -q hides progress, not warnings
    assert "warning: skipped feed entry 'Click here" in result.stderr
    assert (second / "brief.json").read_bytes() == (first / "brief.json").read_bytes()


@pytest.mark.slow
def test_syndicated_copies_are_cited_but_count_once(server: WebServer, tmp_path: Path) -> None:
    names = ["wire-gulf-courier", "wire-coastal-post", "harbour-blinken-xi",
             "ledger-blinken-diplomat"]
    urls = [server.url(f"/news/{name}.html") for name in names]
    out = tmp_path / "out"
    result = run("build", *urls, "--allow-private", "--cache-dir", str(tmp_path / "cache"),
                 "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.stderr
    brief = _brief(out)
    assert [s["name"] for s in brief["sources"]] == [
        # harbour-blinken-xi claims a canonical address on harbourtimes.example (issue 14)
        "Gulf Courier", "Coastal Post", "127.0.0.1", "Pacific Ledger"]
    assert brief["stats"]["independent_sources"] == 3
    items = [item for section in brief["sections"] for item in section["items"]]
    wire = {"s1", "s2"}
    shared = [item for item in items if wire <= set(item["citations"])]
    assert shared, "no item cites both copies of the wire story"
    for item in shared:
        # Both outlets are cited, but the copy adds no independent support (nor does another outlet's
        # sentence that rewrites the wire's wording: the count may be lower still).
        assert 1 <= item["support"] <= len(item["citations"]) - 1
        assert item["of"] == 3


def test_a_loopback_url_without_allow_private_is_refused_by_name(
    server: WebServer, tmp_path: Path
) -> None:
    url = server.url("/news/meridian-blinken-wang.html")
    result = run("build", url, "--cache-dir", str(tmp_path / "cache"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert (f"warning: skipped {url}: refused non-public address 127.0.0.1 for host 127.0.0.1 "
            "(allow with --allow-private)") in result.stderr
    assert "error: no usable source" in result.stderr
    assert server.hits["/news/meridian-blinken-wang.html"] == 0
    assert not (tmp_path / "o" / "brief.json").exists()


def test_summarize_reads_urls(server: WebServer, tmp_path: Path) -> None:
    url = server.url("/news/harbour-blinken-xi.html")
    result = run("summarize", url, "--allow-private", "--cache-dir", str(tmp_path), "--words", "40")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().split("\n")
    assert len(" ".join(lines).split()) <= 40
    page = (FIXTURES / "harbour-blinken-xi.html").read_text("utf-8")
    assert lines and all(line in page for line in lines)  # verbatim from the article

"""Feeds: read RSS/Atom feeds and keep the entries on a topic (:func:`briefing.ingest.read_sources` routes feeds here).

Feeds are parsed with feedparser from bytes only: given a string, feedparser
would fetch a URL or open a local path itself, without our size caps,
timeouts or address checks. Downloads go through :mod:`briefing.fetch`.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from briefing.errors import SourceError
from briefing.fetch import (
    ALLOWED_SCHEMES,
    media_type,
)
from briefing.raw import WarnFn
from briefing.segment import content_stems

#: Feed entries taken when ``max_sources`` is not given: a feed of 10,000 entries
#: (or one page under 10,000 query strings) must not mean 10,000 downloads and a
#: similarity graph that outgrows memory. Fifty is several times what a one-page
#: brief can cite; ``--max-sources`` / ``max_sources`` raise or lower it.
#: (settings.MAX_FEED_SOURCES)


#: An entry is on the topic when the TF-IDF cosine between the topic's stems and
#: its title + summary stems reaches this. Lenient on purpose: an off-topic
#: article that slips in costs little (its sentences find no corroboration and
#: rank low), an on-topic one left out is a lost source. On the fixture feeds
#: (tests/fixtures/web), entries about a 2–3 word topic score 0.09–0.6 and
#: unrelated ones 0; an entry sharing one topic word that most other entries
#: also share, in a two-sentence summary, scores about 0.09.
TOPIC_THRESHOLD = 0.08

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class FeedEntry:
    """One feed item: where the article is and what the feed says about it."""

    title: str
    link: str
    summary: str
    #: ISO date (YYYY-MM-DD, UTC) of publication or last update, when the feed gives one.
    published: str | None


def _plain(text: str) -> str:
    """Feed HTML (already sanitised by feedparser) reduced to one line of text."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()


def _entry_name(title: str, link: str) -> str:
    name = _plain(title) or link or "(untitled)"
    return repr(name if len(name) <= 80 else name[:77] + "...")


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
            except (AttributeError, ValueError):
                continue
    return None


def parse_feed(
    data: bytes, feed_url: str, *, content_type: str | None = None, warn: WarnFn | None = None
) -> list[FeedEntry]:
    """Entries of an RSS or Atom feed, in feed order.

    ``feed_url`` resolves relative links and names the feed in messages; it is
    never opened. A partly broken feed (feedparser's ``bozo``) still yields the
    entries read before the error. Entries whose link is missing or not
    http(s) (``javascript:``, ``file:``) are dropped with a warning naming
    them. Raises :class:`SourceError` "invalid feed" when nothing could be read.
    """
    import feedparser

    kind = media_type(content_type)
    # feedparser reads the charset from the type, and flags bozo without one.
    headers = {"content-type": content_type if kind.endswith("xml") else "application/xml"}
    if urlsplit(feed_url).scheme.lower() in ALLOWED_SCHEMES:
        # A file path is no base for a link: a relative link in a local file stays unresolved.
        headers["content-location"] = feed_url
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    raw_entries = [e for e in parsed.entries if e.get("title") or e.get("link")]
    if not raw_entries and parsed.bozo:
        raise SourceError(feed_url, "invalid feed")
    entries: list[FeedEntry] = []
    for entry in raw_entries:
        title = _plain(str(entry.get("title") or ""))
        given = str(entry.get("link") or "").strip()
        link = urldefrag(urljoin(feed_url, given)).url
        scheme = urlsplit(link).scheme.lower()
        if scheme not in ALLOWED_SCHEMES or not urlsplit(link).hostname:
            if warn is not None:
                if not given:
                    why = "no link"
                elif scheme:
                    why = f"link is not http(s) ({scheme}:)"
                else:  # a relative link in a local feed file: nothing to resolve it against
                    why = f"relative link {given!r} and no web address for the feed"
                warn(f"skipped feed entry {_entry_name(title, '')} in {feed_url}: {why}")
            continue
        summary = _plain(str(entry.get("summary") or ""))
        entries.append(FeedEntry(title, link, summary, _entry_date(entry)))
    return entries


def topic_scores(entries: Sequence[FeedEntry], topic: str) -> list[float]:
    """TF-IDF cosine of each entry's title + summary with the topic, in [0, 1].

    Stems come from :func:`briefing.segment.content_stems`, so "meets" matches
    "meeting" and stop words never count. The idf is computed over the given
    entries (smoothed, ``ln((1+n)/(1+df)) + 1``), so a word every entry shares
    weighs least. Not :func:`briefing.corroborate.tfidf_matrix`: it zeroes
    terms found in over 5% of a large corpus, which would drop the topic
    word itself from a long single-subject feed.
    """
    query = set(content_stems(topic))
    docs = [Counter(content_stems(f"{e.title}. {e.summary}")) for e in entries]
    if not query or not docs:
        return [0.0] * len(entries)
    n = len(docs)
    df = Counter(term for doc in docs for term in doc)

    def idf(term: str) -> float:
        return math.log((1 + n) / (1 + df[term])) + 1.0

    query_norm = math.sqrt(sum(idf(t) ** 2 for t in query))
    scores: list[float] = []
    for doc in docs:
        weights = {t: (1.0 + math.log(c)) * idf(t) for t, c in doc.items()}
        doc_norm = math.sqrt(sum(w * w for w in weights.values()))
        dot = sum(idf(t) * weights[t] for t in query if t in weights)
        scores.append(dot / (query_norm * doc_norm) if doc_norm else 0.0)
    return scores


def select_entries(
    entries: Sequence[FeedEntry],
    *,
    topic: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    max_sources: int | None = None,
    threshold: float = TOPIC_THRESHOLD,
    warn: WarnFn | None = None,
) -> list[FeedEntry]:
    """The entries on ``topic`` within ``since``..``until`` (inclusive), at most ``max_sources``.

    An entry without a date is kept (with a warning saying so) when a date
    window is given: a missing date is not evidence of being off the window.
    With a topic the result is ordered by relevance, best first (ties in feed
    order); without one, feed order is kept and ``max_sources`` keeps the first.
    """
    kept: list[FeedEntry] = []
    for entry in entries:
        if since is None and until is None:
            kept.append(entry)
        elif entry.published is None:
            if warn is not None:
                warn(f"feed entry {_entry_name(entry.title, entry.link)} has no date; "
                     "kept despite --since/--until")
            kept.append(entry)
        else:
            day = dt.date.fromisoformat(entry.published)
            if (since is None or day >= since) and (until is None or day <= until):
                kept.append(entry)
    if topic is not None and topic.strip():
        scores = topic_scores(kept, topic)
        ranked = sorted(range(len(kept)), key=lambda i: (-scores[i], i))
        kept = [kept[i] for i in ranked if scores[i] >= threshold]
    if max_sources is not None:
        kept = kept[:max(0, max_sources)]
    return kept

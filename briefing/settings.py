"""Defaults a user can see or change, in one place (issue 17).

Page sizes, item counts, word budgets, timeouts, retry counts and size caps:
the values an option, a config key or the docs name. The modules that use
them import them from here (the CLI's ``--help`` shows them through click's
``show_default``), so a default changes in one line.

What is *not* here, on purpose: the constants of an algorithm (similarity
thresholds, the claim test's weights, the page model's font scaling and
estimate coefficients, the story clustering's distance threshold), which
were measured for their module and are documented beside the measurement in
docs/method.md; file names of the output layout (``run.json``); and format
limits of a template (how many characters of a title are shown).
"""

from __future__ import annotations

# --------------------------------------------------------------------- one brief

#: Paper sizes of the PDF (``--page``, config ``page``): key -> CSS @page size.
PAGE_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}
#: The paper size when none is given.
PAGE = "a4"
#: Output formats of ``briefing build`` (``--format``), in the order they are written.
FORMATS: tuple[str, ...] = ("pdf", "html", "json", "md")
#: Most items before fitting to one page (``--max-items``, config ``max_items``).
MAX_ITEMS = 16
#: Word budget of ``briefing summarize`` (``--words``).
SUMMARY_WORDS = 250
#: At most this many "Where sources differ" notes: they share the page with the items.
MAX_DISCREPANCIES = 3
#: Font sizes tried, largest first, before items are dropped. 9 pt is the
#: smallest we consider comfortably readable on paper.
FONT_SIZES_PT: tuple[float, ...] = (10.0, 9.5, 9.0)
#: Citations printed per item; "+N" stands for the rest (all are in brief.json).
CITATIONS_SHOWN = 8
#: Up to this many sources the endnotes list every one; beyond, the cited ones.
ALL_SOURCES_LISTED = 12
#: Dropped claims listed on the page and in the email (all are in brief.json):
#: the list must not crowd out today's items on a one-page brief.
DROPPED_SHOWN = 4

# ----------------------------------------------------------------------- sources

#: Largest source file or download, in bytes (5 MB).
MAX_SOURCE_BYTES = 5 * 1024 * 1024
#: Articles taken from feeds when ``--max-sources`` (config ``max_sources``) is not given.
MAX_FEED_SOURCES = 50
#: Word-for-word copies of one document kept (a wire story filed by many outlets).
MAX_IDENTICAL_COPIES = 3
#: Near-copies of one text kept (issue 14: a flood of them grows the graph with its square).
MAX_NEAR_COPIES = 5

# --------------------------------------------------------------------- downloads

#: Seconds to wait for a web server (``--timeout``, config ``[fetch] timeout``):
#: the connect and read timeouts of a command.
FETCH_TIMEOUT = 20.0
#: Library defaults of :class:`briefing.fetch.FetchOptions` (seconds).
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 20.0
#: Longest time one URL may take, redirects, retries and body included (at least;
#: a command makes it three times its ``--timeout`` when that is longer).
TOTAL_TIMEOUT = 60.0
MAX_REDIRECTS = 5
#: Downloads in flight at once.
FETCH_CONCURRENCY = 4
#: Extra attempts after a 429 or 5xx answer, the first back-off (doubled each
#: time), and the longest Retry-After honoured, in seconds.
FETCH_RETRIES = 2
FETCH_BACKOFF = 0.5
MAX_RETRY_AFTER = 10.0
#: A cached feed older than this is downloaded again (one day); a cached article is kept.
FEED_MAX_AGE = 86400.0

# ------------------------------------------------------------ daily runs, stories

#: Where ``briefing daily`` writes when the config names no ``output_root``.
OUTPUT_ROOT = "out"
#: A daily run compares with the latest brief of the same topic at most this many days back.
LOOKBACK_DAYS = 7
#: ``briefing stories`` briefs a story with at least this many independent outlets (``--min-sources``).
MIN_SOURCES = 3
#: Briefs built at once (``--jobs``).
JOBS = 1
#: Seconds to wait for a Dask scheduler to answer (``--scheduler``) before giving up.
SCHEDULER_TIMEOUT = 20.0

# ------------------------------------------------------------------------- email

#: SMTP port per security mode, and the seconds to wait for the server.
SMTP_PORTS: dict[str, int] = {"starttls": 587, "tls": 465, "none": 25}
SMTP_TIMEOUT = 10.0
#: Gmail clips message bodies above ~102 KB; stay well under it.
EMAIL_HTML_LIMIT = 100_000
#: Longest title in a default subject (the brief's own title may be a 2,000-character <title>).
SUBJECT_TITLE_CHARS = 150
#: Columns of the plain-text part.
TEXT_WIDTH = 72

"""Render: restricted fetcher, escaping, one-page fit, page sizes."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.display import number_sources
from briefing.fit import fit_to_page
from briefing.model import Brief, Changes, DroppedClaim, Item, Source
from briefing.plan import group_sections
from briefing.render import (
    AssetsOnlyFetcher,
    assets_dir,
    quote_sentence,
    render_html,
    render_markdown,
    render_page_html,
    render_pdf,
    safe_link,
    support_title,
)

SOURCES = (
    Source("s1", "Coastal Post", "Port strike ends", "https://coastal.example/strike", None, "2024-03-05", "t"),
    Source("s2", "Harbour News", "Strike over", None, "in/harbour.txt", None, "t"),
)


def make_brief(texts: list[str], **changes: object) -> Brief:
    items = [
        Item(text=t, source="s1", citations=("s1", "s2"), support=2, score=2.5 - k / 100, rank=k + 1,
             section=("meetings", "background", "open_issues", "outlook")[k % 4])
        for k, t in enumerate(texts)
    ]
    brief = Brief("Port strike", "2024-03-05", SOURCES, group_sections(items), independent=2)
    return replace(brief, **changes)  # type: ignore[arg-type]


@pytest.fixture
def http_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_fetcher_blocks_everything_but_assets_and_data(tmp_path: Path, http_server: str) -> None:
    fetcher = AssetsOnlyFetcher()
    assets = assets_dir().resolve()
    link = assets / "zz-test-link.css"
    try:
        link.symlink_to("/etc/hostname")
    except OSError:  # read-only install: skip the symlink case only
        link = None  # type: ignore[assignment]
    blocked = [
        "file:///etc/passwd",
        (assets / ".." / "brief.html.j2").as_uri(),
        assets.as_uri() + "/%2e%2e/brief.html.j2",
        http_server,
        "https://example.org/x.png",
        "ftp://example.org/x",
    ]
    if link is not None:
        blocked.append(link.as_uri())
    try:
        for url in blocked:
            with pytest.raises(ValueError, match="blocked"):
                fetcher.fetch(url)
    finally:
        if link is not None:
            link.unlink()
    ok = fetcher.fetch((assets / "brief.css").as_uri())
    assert b"Briefing" in ok.read()
    ok.close()
    data = fetcher.fetch("data:text/plain;base64,aGk=")
    assert data.read() == b"hi"


HOSTILE = [
    '<img src="file:///etc/hostname"> and <a rel="attachment" href="file:///etc/passwd">x</a> appeared.',
    '<link rel=stylesheet href="file:///etc/passwd"> <style>@import url(file:///etc/passwd);</style> was quoted.',
    "The template {{ 7*7 }} and {% for x in y %} and <script>alert(1)</script> were printed.",
]


def test_article_text_never_becomes_markup() -> None:
    brief = make_brief(HOSTILE)
    html = render_html(brief)
    assert "<img" not in html and "<script>" not in html and "<link" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html
    md = render_markdown(brief)
    assert "{{ 7*7 }}" in md and "{% for x in y %}" in md


def test_hostile_text_never_pulls_local_files_into_the_pdf(tmp_path: Path) -> None:
    fitted = fit_to_page(make_brief(HOSTILE))
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(fitted.pdf)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    assert not reader.attachments
    text = reader.pages[0].extract_text()
    assert "root:x:0:0" not in text
    assert Path("/etc/hostname").read_text().strip() not in text.replace("hostname", "")


def test_only_http_links() -> None:
    assert safe_link("https://a.example/x") == "https://a.example/x"
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", None, ""):
        assert safe_link(bad) is None
    html = render_html(make_brief(["The port reopened on Tuesday after the deal."]))
    assert 'href="https://coastal.example/strike"' in html
    assert 'href="in/harbour.txt"' not in html


def test_rendering_logs_no_weasyprint_warnings() -> None:
    rendered = render_pdf(render_html(make_brief(["The port reopened on Tuesday after the deal."])))
    assert rendered.pages == 1
    assert rendered.warnings == ()


LONG = (
    "Dock workers at the northern port ended a nine-day strike on Tuesday after union leaders accepted "
    "a revised pay offer from the port authority, officials said in a statement item {k}."
)


@pytest.mark.parametrize(("page", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_sixty_items_fit_on_one_page(tmp_path: Path, page: str, size: tuple[int, int]) -> None:
    brief = make_brief([LONG.format(k=k) for k in range(60)])
    fitted = fit_to_page(brief, page=page)
    reader = PdfReader(__import__("io").BytesIO(fitted.pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    kept = fitted.brief.items
    assert 5 < len(kept) < 60
    assert len(kept) + len(fitted.brief.omitted) == 60
    # the kept items are exactly the best-ranked ones
    assert sorted(it.rank for it in kept) == list(range(1, len(kept) + 1))
    assert fitted.font_pt == 9.0
    assert fitted.renders <= 3 + 7  # three font sizes, then a binary search over 60


def test_a_short_brief_keeps_the_largest_font() -> None:
    fitted = fit_to_page(make_brief(["The port reopened on Tuesday after the deal."]))
    assert fitted.font_pt == 10.0 and fitted.renders == 1 and not fitted.brief.omitted


# --- Fitting from predicted heights ------------------------------------------


def _most_that_fit(brief: Brief, page: str = "a4") -> tuple[int, float]:
    """The answer by brute force: every item at the largest size that fits, else a
    linear scan of the item count at the smallest size (many layouts)."""
    from briefing.fit import keep_top_items
    from briefing.render import layout_pdf
    from briefing.settings import FONT_SIZES_PT

    total = len(brief.items)
    for font_pt in FONT_SIZES_PT:
        if layout_pdf(render_html(brief, page=page, font_pt=font_pt)).pages == 1:
            return total, font_pt
    keep = total - 1
    while layout_pdf(render_html(keep_top_items(brief, keep), page=page, font_pt=FONT_SIZES_PT[-1])).pages > 1:
        keep -= 1
    return keep, FONT_SIZES_PT[-1]


LONG = (
    "The port authority said on Tuesday that the strike, which had closed the container terminals for "
    "eleven days and left more than two hundred ships waiting offshore, ended after the unions accepted "
    "a pay rise of {k} percent over three years and a review of night-shift rules."
)


@pytest.mark.parametrize(
    ("count", "page"), [(12, "a4"), (18, "a4"), (30, "letter")], ids=["fits-smaller-font", "drops-a-few", "drops-many"]
)
def test_fit_finds_what_brute_force_finds_in_fewer_layouts(count: int, page: str) -> None:
    brief = make_brief([LONG.format(k=k) for k in range(count)])
    fitted = fit_to_page(brief, page=page)
    expected_items, expected_font = _most_that_fit(brief, page)
    assert (len(fitted.brief.items), fitted.font_pt) == (expected_items, expected_font)
    assert len(PdfReader(io.BytesIO(fitted.pdf)).pages) == 1
    assert fitted.renders <= 3


@pytest.mark.parametrize(("kind", "tolerance"), [("seeds", 0.10), ("synthetic", 0.25)])
def test_the_estimate_is_close_to_the_layout(kind: str, tolerance: float) -> None:
    # Fitted on real briefs (±9 % there); made-up four-line items are further off.
    from briefing.fit import estimate
    from briefing.ingest import collect_paths, read_file
    from briefing.pipeline import build_brief
    from briefing.render import layout_pdf
    from tests.helpers import SEEDS

    if kind == "seeds":
        brief = build_brief([read_file(path) for path in collect_paths([str(SEEDS)])])
    else:
        brief = make_brief([LONG.format(k=k) for k in range(14)])
    measured = layout_pdf(render_html(brief)).measure()
    assert measured is not None
    guess = estimate(brief)
    assert guess.capacity == pytest.approx(measured.capacity)
    assert abs(guess.height - measured.height) / measured.height < tolerance
    assert set(guess.items) == set(measured.items) == {item.rank for item in brief.items}


def test_a_layout_measures_every_item_and_its_overflow() -> None:
    from briefing.render import layout_pdf

    layout = layout_pdf(render_html(make_brief([LONG.format(k=k) for k in range(30)])))
    measured = layout.measure()
    assert layout.pages > 1 and measured is not None
    assert measured.height > measured.capacity  # it overflowed
    assert len(measured.items) == 30 and all(height > 10 for height in measured.items.values())
    assert 0 < measured.footer < measured.height


def test_predicted_item_count_is_within_one_of_the_truth() -> None:
    from briefing.fit import predict_keep
    from briefing.render import layout_pdf
    from briefing.settings import FONT_SIZES_PT

    brief = make_brief([LONG.format(k=k) for k in range(24)])
    measured = layout_pdf(render_html(brief, font_pt=FONT_SIZES_PT[-1])).measure()
    assert measured is not None
    truth, _ = _most_that_fit(brief)
    assert abs(predict_keep(brief, measured) - truth) <= 1


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("calling their conversation as “productive.”", "“calling their conversation as ‘productive.’”"),
        ('He said "we are close" and left.', "“He said ‘we are close’ and left.”"),
        ("It is Blinken’s first trip.", "“It is Blinken’s first trip.”"),
    ],
)
def test_a_quoted_sentence_never_ends_in_two_closing_quotes(text: str, quoted: str) -> None:
    assert quote_sentence(text) == quoted


def test_dropped_claims_are_quoted_once_in_markdown_and_html() -> None:
    said = "Blinken called the talks “productive.”"
    brief = make_brief(["The strike ended on Tuesday."],
                       changes=Changes(since="2024-03-04", dropped=(DroppedClaim(said, ("s1",), ("Coastal Post",)),)))
    for rendered in (render_markdown(brief), render_html(brief)):
        assert "“Blinken called the talks ‘productive.’”" in rendered
        assert "”””" not in rendered and "productive.””" not in rendered


def test_the_html_page_shows_every_item_and_marks_those_left_out_of_the_pdf() -> None:
    texts = [f"Item number {k} about the strike is here." for k in range(5)]
    full = make_brief(texts)
    fitted = replace(full, sections=group_sections([i for i in full.items if i.rank <= 3]),
                     omitted=tuple(i for i in full.items if i.rank > 3))
    page = render_page_html(fitted)
    for text in texts:
        assert text in page
    assert page.count('class="not-in-pdf"') == 2 and page.count(">Not in the PDF</span>") == 2
    assert "2 items marked “Not in the PDF” were left out of the one-page PDF to fit." in page
    printed = render_html(fitted)
    assert texts[4] not in printed and "Not in the PDF" not in printed
    assert "left out to fit one page (shown in the HTML brief)" in printed


def test_html_citations_say_where_they_land_and_lead_back() -> None:
    page = render_page_html(make_brief(["The strike ended on Tuesday.", "Ships queued outside the port."]))
    # Each citation links to its source, with the outlet and headline as its tooltip.
    assert '<a href="#src-1" title="Coastal Post — Port strike ends">1</a>' in page
    assert '<a href="#src-2" title="Harbour News — Strike over">2</a>' in page
    # The support label explains itself on hover.
    assert ('title="2 of the 2 independent sources (syndicated copies and rewrites, articles of one outlet and sources naming no'
            ' outlet count once) state this sentence') in page
    assert "corroborated: two or more independent sources report it" in page
    # The target is highlighted; each source links back to every item citing it.
    assert "li:target" in page
    # (lettered in page order: the background section comes before meetings)
    assert '<span class="back">↩ <a href="#item-2" title="Back to: Ships queued outside the port.">a</a>' in page
    assert ' <a href="#item-1" title="Back to: The strike ended on Tuesday.">b</a></span>' in page
    # One source per line: outlet, date, then the link or the file name (never its folder).
    assert ('<li id="src-1"><span class="n">1</span> <span class="outlet">Coastal Post</span> '
            '<span class="date">2024-03-05</span><br><span class="headline">Port strike ends</span><br>'
            '<a href="https://coastal.example/strike">https://coastal.example/strike</a>') in page
    assert '<span class="file">harbour.txt</span>' in page and "in/harbour.txt" not in page


def test_nothing_a_reader_sees_points_at_brief_json() -> None:
    many = make_brief([f"Item {k} about the strike." for k in range(3)])
    fitted = replace(many, sections=group_sections(many.items[:1]), omitted=many.items[1:],
                     changes=Changes(since="2024-03-04", dropped=tuple(
                         DroppedClaim(f"Old claim {k}.", ("s1",), ("Coastal Post",)) for k in range(7))))
    for rendered in (render_html(fitted), render_page_html(fitted), render_markdown(fitted)):
        assert "brief.json" not in rendered
    for rendered in (render_html(fitted), render_markdown(fitted)):
        assert "and 3 more no source reports any longer." in rendered
    # The HTML page has room for every dropped claim.
    assert "Old claim 6." in render_page_html(fitted) and " more no source" not in render_page_html(fitted)


def test_the_dropped_list_never_pushes_todays_items_off_the_page() -> None:
    texts = [f"Item {k}: the port strike left {k + 10} ships waiting outside the harbour while unions and "
             "employers argued over pay, pensions and the night shifts for another week." for k in range(40)]
    today = make_brief(texts)
    dropped = tuple(DroppedClaim(f"Old claim {k}: " + "the harbour authority said talks would resume soon. " * 3,
                                 ("s1",), ("Coastal Post",)) for k in range(6))
    daily = replace(today, changes=Changes(since="2024-03-04", dropped=dropped))
    without, with_list = fit_to_page(today), fit_to_page(daily)
    assert 0 < len(without.brief.items) < len(texts)  # the page is full
    assert [i.text for i in with_list.brief.items] == [i.text for i in without.brief.items]
    assert with_list.brief.changes == daily.changes  # brief.json keeps every dropped claim
    assert len(PdfReader(io.BytesIO(with_list.pdf)).pages) == 1
    # With room on the page, the list shows the first claims and counts the rest.
    roomy = fit_to_page(replace(daily, sections=group_sections(today.items[:3]), omitted=()))
    assert roomy.html.count("Old claim ") == 4 and "and 2 more no source reports any longer." in roomy.html


def test_sources_are_numbered_by_outlet_name_whatever_order_they_were_read_in() -> None:
    day1 = make_brief(["The strike ended on Tuesday."])
    # The next day reads the same outlets the other way round: ids swap, numbers do not.
    swapped = (replace(SOURCES[1], id="s1"), replace(SOURCES[0], id="s2"))
    item = replace(day1.items[0], source="s2", citations=("s2", "s1"))
    day2 = replace(day1, sources=swapped, sections=group_sections([item]))
    for brief in (day1, day2):
        md = render_markdown(brief)
        assert "1. Coastal Post" in md and "2. Harbour News" in md
    # Coastal Post is [1] on both days (s1 on day 1, s2 on day 2), cited first both times.
    assert "[1, 2]" in render_markdown(day1) and "[1, 2]" in render_markdown(day2)
    assert number_sources([("s1", "the Zeta Post"), ("s2", "Alpha News"), ("s3", "alpha news")]) == {
        "s2": 1, "s3": 2, "s1": 3}


def test_a_later_source_than_the_news_date_is_named_at_the_top() -> None:
    later = replace(SOURCES[1], published="2024-03-09")
    brief = make_brief(["Dock workers ended the strike on Tuesday after a new pay offer."],
                       sources=(SOURCES[0], later), dated=True)
    # The news date is the latest cited source's (2024-03-05); the page also says a later article was read.
    assert "News of 2024-03-05 (latest source 2024-03-09)" in render_markdown(brief)
    assert "News of 2024-03-05 (latest source 2024-03-09)" in render_html(brief)
    assert "(latest source" not in render_markdown(make_brief(["Dock workers ended the strike on Tuesday."]))


def test_items_say_when_they_were_reported_once_the_sources_span_more_than_a_week() -> None:
    text = "Dock workers ended the strike after a new pay offer."
    # Sources a day apart: no date on an item that names no day.
    close = make_brief([text], sources=(SOURCES[0], replace(SOURCES[1], published="2024-03-06")))
    assert "reported 2024-03-05" not in render_markdown(close)
    # Two weeks apart: every dated item says when, or old news reads as this week's.
    apart = make_brief([text], sources=(SOURCES[0], replace(SOURCES[1], published="2024-03-20")))
    assert "· reported 2024-03-05" in render_markdown(apart)
    assert "· reported 2024-03-05" in render_html(apart)


def test_the_web_page_names_sources_with_a_similar_sentence_that_are_not_counted() -> None:
    """An editor sees where else the claim may be reported: "similar wording [2]" on the web page, not in the PDF."""
    brief = make_brief(["The strike ended on Tuesday.", "Ships queued outside the port."])
    first, second = brief.items
    brief = replace(brief, sections=group_sections([replace(first, citations=("s1",), support=1, also=("s2",)),
                                                     second]))
    page = render_page_html(brief)
    assert 'similar wording [<a href="#src-2" title="Harbour News — Strike over">2</a>]' in page
    assert "not cited, not counted" in page  # the tooltip says what it means
    assert "similar wording" not in render_html(brief)  # the printed page spends no line on it
    assert "similar wording" not in render_page_html(make_brief(["The strike ended on Tuesday."]))


def test_the_support_tooltip_says_how_unnamed_sources_were_counted() -> None:
    # Sources naming no outlet count once together only when some source names one; a brief of
    # unnamed articles counts each (an editor's read of D0711B found the tooltip's rule broken).
    named = support_title(2, 8)
    unnamed = support_title(2, 8, outlets_named=False)
    assert "sources naming no outlet count once" in named
    assert "sources naming no outlet count once" not in unnamed
    assert "no source names its outlet, so each other article counts" in unnamed


def test_the_bottom_lines_own_item_is_not_counted_as_left_out() -> None:
    from briefing.fit import keep_top_items

    texts = ["The strike ended on Tuesday.", "Dockers won a pay rise of 4 percent.", "Ferries sailed again at noon."]
    full = make_brief(texts)
    kept = keep_top_items(full, 1)  # items 2 and 3 left out of the PDF
    assert len(kept.omitted) == 2
    line = kept.omitted[-1]  # the bottom line is one of them
    page = render_page_html(replace(kept, bottom_line=line))
    assert "1 item marked “Not in the PDF” was left out" in page
    assert "2 items marked" not in page
    assert "1 lower-ranked item left out" in render_html(replace(kept, bottom_line=line))


def test_fitting_keeps_the_bottom_lines_own_item() -> None:
    # The page shows it once, as the bottom line: kept in its section, it costs no room, and brief.json
    # does not list among the items left out a line the page shows (an editor's read of D0625).
    from briefing.fit import keep_top_items

    full = make_brief(["The strike ended on Tuesday.", "Dockers won a pay rise of 4 percent.",
                       "Ferries sailed again at noon."])
    line = max(full.items, key=lambda item: item.rank)
    kept = keep_top_items(replace(full, bottom_line=line), 2)
    assert [item.rank for item in kept.omitted] == [2]
    assert sorted(item.rank for item in kept.items) == [1, line.rank]
    assert "1 lower-ranked item left out" in render_html(kept)
    # It is the last to go: one item kept is the bottom line's.
    assert [item.rank for item in keep_top_items(replace(full, bottom_line=line), 1).items] == [line.rank]


def test_the_header_says_that_sources_naming_no_outlet_count_as_one() -> None:
    """ "23 sources (3 independent)" read as an error to editors (D0610, D0620) until it said why."""
    unnamed = tuple(Source(f"u{k}", "unnamed source", f"Story {k}", None, f"in/u{k}.txt", None, "t") for k in range(3))
    brief = make_brief(["The strike ended on Tuesday."], sources=SOURCES + unnamed, independent=3)
    assert "5 sources (3 independent; 3 unnamed count as one)" in render_markdown(brief)
    # one unnamed source is counted like any other: nothing to explain
    brief = make_brief(["The strike ended on Tuesday."], sources=SOURCES + unnamed[:1], independent=2)
    markdown = render_markdown(brief)
    assert "3 sources (2 independent)" in markdown and "unnamed count" not in markdown


def test_an_item_cited_by_several_unnamed_sources_says_they_count_as_one() -> None:
    """ "1 of 3 · single source" beside three citations read as an error to an editor (D0615)."""
    unnamed = tuple(Source(f"u{k}", "unnamed source", f"Story {k}", None, f"in/u{k}.txt", None, "t") for k in range(3))
    brief = make_brief(["The strike ended on Tuesday."], sources=SOURCES + unnamed, independent=3)
    item = replace(brief.items[0], citations=("u0", "u1", "u2"), support=1)
    brief = replace(brief, sections=group_sections([item]))
    assert "[3, 4, 5] (1 of 3 sources · single source · 3 unnamed count as one" in render_markdown(brief)
    assert "3 unnamed count as one" in render_html(brief)
    # cited by one unnamed source and a named one: nothing pooled to explain
    item = replace(item, citations=("s1", "u0"), support=2)
    brief = replace(brief, sections=group_sections([item]))
    assert "[1, 3] (2 of 3 sources · corroborated · reported" in render_markdown(brief)


def test_an_item_cited_by_copies_of_one_story_says_they_count_once() -> None:
    """ "[1, 5] … single source" with two outlets named read as an error to editors (D0716C, the seeds)."""
    brief = make_brief(["The strike ended on Tuesday."])
    item = replace(brief.items[0], citations=("s1", "s2"), support=1)  # two outlets, one wire story
    copies = replace(brief, sections=group_sections([item]))
    assert "[1, 2] (1 of 2 sources · single source · copies of one story count once" in render_markdown(copies)
    assert "copies of one story count once" in render_html(copies)
    # each outlet stating it on its own: nothing to explain
    both = replace(brief, sections=group_sections([replace(item, support=2)]))
    assert "copies of one story" not in render_markdown(both)


def test_an_item_of_an_older_report_gives_its_relative_dates_their_year() -> None:
    """"Last year" in a 1999 report on a page of 2024 reads as 2023: the page says which year it meant."""
    text = "Last year, the port authority opposed the merger of the two ferry lines."
    old = (replace(SOURCES[0], published="1999-06-01"), SOURCES[1])
    brief = make_brief([text], sources=old)
    for page in (render_markdown(brief), render_html(brief), render_page_html(brief)):
        assert "Last year [1998], the port authority" in page
    # the web page and the Markdown say where the bracketed words come from (the printed page has no room)
    assert "the year or month" in render_markdown(brief).replace("\n", " ")
    assert "the year or month" in render_page_html(brief)
    # a report of the page's own year: nothing to add, no note
    same = render_markdown(make_brief([text]))
    assert "[2023]" not in same and "Last year, the port authority" in same
    assert "Words in [brackets]" not in same

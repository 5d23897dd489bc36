"""Render: a Brief to HTML, Markdown and PDF bytes (what goes on the page is :mod:`briefing.fit`'s choice).

Templates are Jinja2 with autoescape on for every name and StrictUndefined, so
article text never becomes markup and a typo in a template fails loudly.
WeasyPrint renders the PDF through :class:`AssetsOnlyFetcher`, which loads
only the packaged assets and ``data:`` URIs: an article's
``<a rel=attachment href=file:///etc/passwd>`` can never pull a local file in.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from briefing import __version__
from briefing.display import (
    complete_page_names,
    dated_outlet,
    dates_every_item,
    display_text,
    earliest_source_date,
    later_source_date,
    number_sources,
    relative_dates_resolved,
    reported_note,
    safe_name,
    shorten,
    typographic,
)
from briefing.model import UNNAMED_SOURCE, Brief, Evidence, Item
from briefing.settings import ALL_SOURCES_LISTED, CITATIONS_SHOWN, DROPPED_SHOWN, FONT_SIZES_PT, PAGE_SIZES

if TYPE_CHECKING:
    import jinja2

log = logging.getLogger(__name__)

PAGE_MARGIN = "13mm 14mm 12mm"


def templates_dir() -> Path:
    """The packaged templates folder (the top-level templates/ in a checkout)."""
    return Path(str(resources.files("briefing.templates")))


def assets_dir() -> Path:
    return templates_dir() / "assets"


_OPENING_QUOTE = re.compile(r'(?:(?<=^)|(?<=[\s(\[—–-]))"')


def quote_sentence(text: str) -> str:
    """A sentence in double quotes, its own quotes made single:
    ``as “productive.”`` → ``“as ‘productive.’”``, never ``“as “productive.””``."""
    inner = _OPENING_QUOTE.sub("‘", text).replace('"', "’").replace("“", "‘").replace("”", "’")
    return f"“{inner}”"


@cache
def _environment(autoescape: bool) -> jinja2.Environment:
    # Imported here: a build that writes only brief.json fits the page from
    # font metrics (template_context) and renders no template (issue 19).
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        # default=True: our template names end in .j2, which select_autoescape's
        # extension list would not match.
        autoescape=jinja2.select_autoescape(default=autoescape, default_for_string=autoescape),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["quoted"] = quote_sentence
    return env


def html_environment() -> jinja2.Environment:
    return _environment(True)


def text_environment() -> jinja2.Environment:
    """For Markdown and plain text, where HTML escaping would corrupt the text."""
    return _environment(False)


@cache
def stylesheet() -> Markup:
    """Our packaged CSS: trusted, so not escaped (article text always is)."""
    return Markup((assets_dir() / "brief.css").read_text("utf-8"))  # noqa: S704


def safe_link(url: str | None) -> str | None:
    """Only http(s) URLs become links."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


def support_label(support: int, total: int) -> str:
    """ "4 of 5 sources · widely reported"; a one-source brief says only "1 of 1 source".

    The label after the count is :func:`briefing.model.confidence_label`
    (single source / corroborated / widely reported, docs/discrepancies.md).
    """
    from briefing.model import confidence_label

    if total <= 1:
        return f"{support} of {total} source"
    return f"{support} of {total} sources · {confidence_label(min(support, total), total)}"


#: Longest title, outlet name and source headline shown on the page (issue 14).
TITLE_CHARS = 160
SOURCE_NAME_CHARS = 60
SOURCE_TITLE_CHARS = 140


#: What each support label means: the HTML page's tooltips and the README's legend say the same.
LABEL_MEANINGS = {
    "single source": "one independent source reports it",
    "corroborated": "two or more independent sources report it",
    "widely reported": "at least three independent sources, and at least 60 % of them, report it",
}


def support_title(support: int, total: int, *, outlets_named: bool = True) -> str:
    """The tooltip of a support label: what the count and the label mean.

    ``outlets_named``: some source names its outlet. When none does, sources
    naming no outlet are not counted once together (nothing would be left to
    count), and the tooltip says so (an editor's read of D0711B, eight
    unnamed articles each counted, found the rule it stated broken).
    """
    from briefing.model import confidence_label

    label = confidence_label(min(max(support, 1), max(total, 1)), max(total, 1))
    counted = ("syndicated copies and rewrites, articles of one outlet and sources naming no outlet count once"
               if outlets_named else
               "syndicated copies and rewrites count once; no source names its outlet, so each other article counts")
    return (f"{support} of the {total} independent sources ({counted}) state this"
            f" sentence or one saying the same; {label}: {LABEL_MEANINGS[label]}")


@lru_cache(maxsize=4096)
def _source_label(name: str, title: str) -> str:
    """ "Outlet — Headline", each shortened for the page."""
    return " — ".join(part for part in (shorten(display_text(name), SOURCE_NAME_CHARS),
                                        shorten(display_text(title), SOURCE_TITLE_CHARS)) if part)


def _letter(index: int) -> str:
    """0 → "a", 25 → "z", 26 → "aa": labels for back-links."""
    return _letter(index // 26 - 1) + chr(97 + index % 26) if index >= 26 else chr(97 + index)


#: The evidence sentence in a citation's tooltip is cut to this many characters.
EVIDENCE_CHARS = 300


def template_context(brief: Brief, *, page: str = "a4", font_pt: float = FONT_SIZES_PT[0],
                     web: bool = False, dropped_shown: int = DROPPED_SHOWN) -> dict[str, Any]:
    """Plain data for the templates: numbers instead of ids, labels precomputed.

    ``web``: for the HTML page, which is not limited to one printed page: every
    item, the omitted ones marked, each source listed with links back to the
    items citing it.
    """
    number = number_sources((source.id, source.name) for source in brief.sources)
    total = brief.independent or len(brief.sources)
    in_pdf = {item.rank for item in brief.items}
    cited_by: dict[str, list[dict[str, Any]]] = {}
    if web and brief.omitted:
        from briefing.plan import group_sections  # here: the second process renders PDFs without plan's imports

        brief = replace(brief, sections=group_sections(sorted(brief.items + brief.omitted, key=lambda i: i.rank),
                                                       order=brief.order))
    for item in brief.items:
        for source_id in item.citations:
            # Back-links from a source to each item citing it, lettered a, b, c… (as Wikipedia does).
            back = cited_by.setdefault(source_id, [])
            back.append({"rank": item.rank, "letter": _letter(len(back)), "title": shorten(item.text, 80)})

    shown: set[str] = set()
    by_id = {s.id: s for s in brief.sources}

    def cite_title(source_id: str) -> str:
        """The citation link's tooltip: the outlet and headline (made for cited sources only)."""
        s = by_id[source_id]
        return _source_label(s.name, s.title)

    def cites(ids: Sequence[str], evidence: Sequence[Evidence] = ()) -> list[dict[str, Any]]:
        # A claim reported by dozens of outlets shows the first few; brief.json
        # keeps them all.
        visible = list(ids[:CITATIONS_SHOWN])
        shown.update(visible)
        backing = {e.source: e.text for e in evidence}
        # "title" is the citation's tooltip: the outlet and headline it points to,
        # and for an item the sentence of that source that states its claim.
        listed = [
            {"id": i, "number": number[i], "more": 0, "title": cite_title(i) + (
                f": “{shorten(display_text(typographic(backing[i])), EVIDENCE_CHARS)}”" if i in backing else "")}
            for i in visible
        ]
        if len(ids) > len(visible):
            listed[-1]["more"] = len(ids) - len(visible)
        return listed

    bottom_rank = brief.bottom_line.rank if brief.bottom_line is not None else None

    def earlier_entry(item: Item) -> dict[str, str] | None:
        if item.earlier is None:
            return None
        return {"text": shorten(display_text(item.earlier.text), EVIDENCE_CHARS),
                "source": dated_outlet(item.earlier.outlet, item.earlier.published)}

    always_dated = dates_every_item(s.published for s in brief.sources)
    outlets_named = names_an_outlet(s.name for s in brief.sources)
    outlet_of = {s.id: s.name for s in brief.sources}
    sections: list[dict[str, Any]] = [
        {
            "key": section.key,
            "title": section.title,
            "entries": [
                {
                    "text": item.text,
                    "rank": item.rank,
                    "citations": cites(item.citations, item.evidence),
                    "support_label": support_label(item.support, total)
                    + pooled_note(item.citations, outlet_of, outlets_named=outlets_named, support=item.support)
                    + reported_note(item.text, by_id[item.source].published, always=always_dated),
                    "support_title": support_title(item.support, total, outlets_named=outlets_named),
                    "new": item.new,
                    "in_pdf": item.rank in in_pdf,
                    "earlier": earlier_entry(item),
                    "names": item.names,
                    "published": by_id[item.source].published,
                    # On the web page: sources with a similar sentence not shown to state the claim.
                    "also": cites(item.also[:CITATIONS_SHOWN]) if web else [],
                }
                for item in section.items
                if item.rank != bottom_rank  # shown once, as the bottom line
            ],
        }
        for section in brief.sections
        if any(item.rank != bottom_rank for item in section.items)  # an empty section is not printed
    ]
    discrepancies = [
        {
            "topic": d.topic[:1].upper() + d.topic[1:],
            "variants": [
                {"text": v.text, "value": v.value, "citations": cites(v.citations)} for v in d.variants
            ],
        }
        for d in brief.discrepancies
    ]
    # Before the source list: a source cited only by the bottom line is listed too.
    bottom_line: dict[str, Any] | None = None if brief.bottom_line is None else {
        "text": brief.bottom_line.text,
        "rank": brief.bottom_line.rank,
        "citations": cites(brief.bottom_line.citations, brief.bottom_line.evidence),
        "support_label": support_label(brief.bottom_line.support, total)
        + pooled_note(brief.bottom_line.citations, outlet_of, outlets_named=outlets_named,
                      support=brief.bottom_line.support)
        + reported_note(brief.bottom_line.text, by_id[brief.bottom_line.source].published, always=always_dated),
        # The item behind the bottom line is not repeated below: its "Earlier" line comes up with it.
        "earlier": next((earlier_entry(item) for item in brief.items if item.rank == bottom_rank), None),
        "names": brief.bottom_line.names,
        "published": by_id[brief.bottom_line.source].published,
        "also": cites(brief.bottom_line.also[:CITATIONS_SHOWN]) if web else [],
    }
    entries = ([bottom_line] if bottom_line else []) + [entry for section in sections for entry in section["entries"]]
    completed = complete_entry_names(entries) or any(names_a_place(entry["text"]) for entry in entries)
    completed = complete_entry_dates(entries, brief.date) or completed
    sources = [
        {
            "number": number[s.id],
            # Shortened for the page (a 2,000-character <title> must not push every
            # item off it); brief.json keeps the full text.
            "name": shorten(display_text(s.name), SOURCE_NAME_CHARS),
            "title": shorten(display_text(s.title), SOURCE_TITLE_CHARS),
            "published": s.published,
            # "editorial" or "opinion": a paper's view, not its report.
            "opinion": s.opinion,
            "link": safe_link(s.url),
            # A file is shown by its name (its folder is a path on the server, not the
            # reader's), and not at all when the outlet is named after it.
            "location": safe_name(s.url or (Path(s.path).name if s.path and Path(s.path).stem != s.name else "")),
            "cited_by": cited_by.get(s.id, []),
        }
        for s in sorted(brief.sources, key=lambda s: number[s.id])
        # With many sources, the endnotes list the cited ones; all are in brief.json.
        if len(brief.sources) <= ALL_SOURCES_LISTED or s.id in shown
    ]
    context = {
        "brief": replace(brief, title=shorten(display_text(brief.title), TITLE_CHARS) or "News brief"),
        "changes": _changes_context(brief, len(brief.changes.dropped) if web and brief.changes else dropped_shown),
        "sections": sections,
        "discrepancies": discrepancies,
        "sources": sources,
        "unlisted": len(brief.sources) - len(sources),
        "n_sources": len(brief.sources),
        "n_independent": total,
        # Sources naming no outlet count once together when some source names one: say so, or a
        # reader counts "3 independent" among 23 sources as an error (editors' reads of D0610, D0620).
        "n_unnamed_pooled": unnamed_pooled([s.name for s in brief.sources]),
        "bottom_line": bottom_line,
        "dated": brief.dated,
        # The news date is the latest *cited* source's; a later article no item cites is said too.
        "latest_source": later_source_date((s.published for s in brief.sources), brief.date) if brief.dated else None,
        # Sources over more than a month: "Reports of … to …", not one day's news.
        "earliest_source": (earliest_source_date((s.published for s in brief.sources), brief.date)
                            if brief.dated else None),
        "built": brief.built,
        # The bottom line's own item is on the page whatever the fit left out (an editor's read of D0625
        # found "2 items marked Not in the PDF" above one such mark).
        "omitted": sum(1 for item in brief.omitted if item.rank != bottom_rank),
        "completed_names": COMPLETED_NAMES_NOTE if completed else "",
        "css": stylesheet(),
        "web": web,
        "font_pt": f"{font_pt:g}",
        "page_size": PAGE_SIZES[page],
        "page_margin": PAGE_MARGIN,
        "version": __version__,
    }
    context["meta"] = meta_line(context)
    return context


def complete_entry_names(entries: Sequence[dict[str, Any]]) -> bool:
    """Complete each entry's surnames used alone at their first use, top down (:func:`display.complete_page_names`).

    Each entry's "names" are read and removed; returns whether any name was completed.
    """
    shown = complete_page_names([(entry["text"], entry.pop("names")) for entry in entries])
    completed = False
    for entry, text in zip(entries, shown, strict=True):
        completed |= text != entry["text"]
        entry["text"] = text
    return completed


def complete_entry_dates(entries: Sequence[dict[str, Any]], today: str | None) -> bool:
    """Give each entry's relative dates ("last year") their year or month in brackets, from its report's date
    (:func:`display.relative_dates_resolved`) on a page of the date ``today``.

    Each entry's "published" is read and removed; returns whether any date was added.
    """
    completed = False
    for entry in entries:
        text = relative_dates_resolved(entry["text"], entry.pop("published"), today)
        completed |= text != entry["text"]
        entry["text"] = text
    return completed


#: The note under the sources when a name, initials, a place or a date is completed in brackets.
COMPLETED_NAMES_NOTE = ("Words in [brackets] are added from the sources: a name in full from the same article, "
                        "what initials stand for, the place a dateline gives, or, in a report of another year or "
                        "month than the brief's, the year or month that “last year” or “this month” meant.")


def names_a_place(text: str) -> bool:
    """Does an item's text name its dateline's place in brackets (:func:`briefing.claims.shown`)?"""
    return _PLACE_IN_BRACKETS.search(text) is not None


# What briefing.claims.shown adds: "here [Addis Ababa]", "the city [Buffalo]".
_PLACE_IN_BRACKETS = re.compile(r"\b(?:here|[Tt]he (?:city|capital)) \[[A-Z][^\]]*\]")


def names_an_outlet(names: Iterable[str]) -> bool:
    """Does some source name its outlet? Then the sources that name none count once together in "k of n"."""
    return any(name and name != UNNAMED_SOURCE for name in names)


def unnamed_pooled(names: Sequence[str]) -> int:
    """How many sources name no outlet, when the count groups them as one (some other source is named), else 0."""
    return sum(name == UNNAMED_SOURCE for name in names) if names_an_outlet(names) else 0


def pooled_note(
    cited: Sequence[str], names: Mapping[str, str], *, outlets_named: bool, support: int | None = None,
) -> str:
    """Why an item's citations outnumber its support, after its label: " · 4 unnamed count as one", " · copies …".

    ``names``: source id -> outlet name; ``outlets_named``: :func:`names_an_outlet`
    of the brief's sources; ``support``: the item's k. Sources naming no outlet
    count once together when some source names its outlet (an editor's read of
    D0615 found "1 of 5 sources · single source" beside four citations, right
    by the rule, but the page did not say why). Copies of one story (a
    syndicated copy, a paragraph reprinted word for word, a sentence one
    outlet rewrote from another's) count once too: when the cited outlets
    outnumber ``support``, the label says so (editors' reads of D0716C and the
    seeds: "[1, 5] … single source", two outlets printing one wire story).
    Articles of one named outlet need no note: the source list names it twice.
    """
    distinct = list(dict.fromkeys(cited))
    pooled = sum(names.get(source) == UNNAMED_SOURCE for source in distinct)
    notes = [f"{pooled} unnamed count as one"] if pooled > 1 and outlets_named else []
    if support is not None:
        named = {names.get(source) for source in distinct if names.get(source) != UNNAMED_SOURCE}
        outlets = len(named) + (min(pooled, 1) if outlets_named else pooled)
        if outlets > support:
            notes.append("copies of one story count once")
    return "".join(f" · {note}" for note in notes)


def independent_note(independent: int, context: dict[str, Any]) -> str:
    """ "3 independent", and when several sources name no outlet, that they count as one."""
    pooled = context.get("n_unnamed_pooled", 0)
    return f"{independent} independent" + (f"; {pooled} unnamed count as one" if pooled > 1 else "")


def meta_line(context: dict[str, Any]) -> str:
    """The line under the title: news date (or the span of reports), build date, sources, what is new.

    One text for the page, the Markdown and the page model's height estimate.
    """
    brief = context["brief"]
    if not context["dated"]:
        line = "Sources undated"
    elif context["earliest_source"]:
        line = f"Reports of {context['earliest_source']} to {brief.date}"
    else:
        line = f"News of {brief.date}"
    if context["dated"] and context["latest_source"]:
        line += f" (latest source {context['latest_source']})"
    built = context["built"]
    if built and (not context["dated"] or built != brief.date):
        line += f" · built {built}"
    n, k = context["n_sources"], context["n_independent"]
    line += f" · {n} source{'' if n == 1 else 's'}" + (f" ({independent_note(k, context)})" if k != n else "")
    if context["changes"]:
        line += f" · {context['changes']['new']} new since {context['changes']['since']}"
    return line + " · every sentence is quoted verbatim from the outlets cited"


#: ``dropped_shown`` for no "Dropped since" list at all (while the items are fitted to the page).
NO_DROPPED_LIST = -1


def _changes_context(brief: Brief, dropped_shown: int = DROPPED_SHOWN) -> dict[str, Any] | None:
    """The "N new / dropped since DATE" lines; ``None`` when there was no previous brief."""
    if brief.changes is None:
        return None
    dropped = brief.changes.dropped if dropped_shown != NO_DROPPED_LIST else ()
    shown = [
        {"text": d.text, "outlets": ", ".join(d.outlets or d.citations)} for d in dropped[:max(dropped_shown, 0)]
    ]
    return {
        "since": brief.changes.since,
        "new": sum(1 for item in brief.items if item.new),
        "dropped": shown,
        "more": len(dropped) - len(shown),
    }


def render_html(brief: Brief, *, page: str = "a4", font_pt: float = FONT_SIZES_PT[0],
                dropped_shown: int = DROPPED_SHOWN) -> str:
    context = template_context(brief, page=page, font_pt=font_pt, dropped_shown=dropped_shown)
    return html_environment().get_template("brief.html.j2").render(context)


def render_page_html(brief: Brief, *, page: str = "a4") -> str:
    """The HTML page (brief.html): every item, those left out of the PDF marked "Not in the PDF"."""
    context = template_context(brief, page=page, web=True)
    return html_environment().get_template("brief.html.j2").render(context)


def render_markdown(brief: Brief) -> str:
    context = template_context(brief)
    text = text_environment().get_template("brief.md.j2").render(context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# --- PDF ---------------------------------------------------------------------


@cache
def _assets_only_fetcher_class() -> type:
    """Defined on first use: importing WeasyPrint takes half a second, and a
    build that writes no PDF, or renders it in :class:`RenderWorker`, never needs it here."""
    from weasyprint.urls import URLFetcher

    class AssetsOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """A WeasyPrint URL fetcher that serves only packaged assets and data: URIs."""

        def __init__(self, root: Path | None = None) -> None:
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
            self._root = (root or assets_dir()).resolve()

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"blocked resource: {url[:80]}")
            # Resolve after unquoting, so %2e%2e and symlinks cannot leave the root.
            target = Path(unquote(parts.path)).resolve()
            if not target.is_relative_to(self._root) or not target.is_file():
                raise ValueError(f"blocked resource: {url[:80]}")
            return super().fetch(target.as_uri(), headers)

    AssetsOnlyFetcher.__module__ = __name__
    AssetsOnlyFetcher.__qualname__ = "AssetsOnlyFetcher"
    return AssetsOnlyFetcher


def __getattr__(name: str) -> Any:
    # ``briefing.render.AssetsOnlyFetcher`` without importing WeasyPrint with this module.
    if name == "AssetsOnlyFetcher":
        return _assets_only_fetcher_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _CaptureWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_warnings() -> Iterator[list[str]]:
    """Collect WeasyPrint's warnings (it logs missing assets instead of raising)."""
    handler = _CaptureWarnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous


#: Page margins in CSS pixels (top, bottom), as PAGE_MARGIN sets them.
MM_PX = 96 / 25.4
MARGIN_TOP_PX, MARGIN_BOTTOM_PX = 13 * MM_PX, 12 * MM_PX


@dataclass(frozen=True)
class Measure:
    """Where a layout put things, as if its pages were one long page.

    ``height`` is the height of all content; ``items`` maps an item's rank to
    the height it takes; ``footer`` is the height of the endnotes. Read from
    the anchors WeasyPrint records for elements with an ``id``.
    """

    capacity: float  # content height of one page
    height: float
    items: dict[int, float]
    footer: float


@dataclass(frozen=True)
class Layout:
    """A laid-out document: pages known, PDF not yet written."""

    document: Any
    pages: int
    warnings: tuple[str, ...]

    def write_pdf(self) -> bytes:
        return bytes(self.document.write_pdf())

    def measure(self) -> Measure | None:
        """Content and item heights, or ``None`` when the anchors are missing."""
        pages = self.document.pages
        if not pages:
            return None
        capacity = pages[0].height - MARGIN_TOP_PX - MARGIN_BOTTOM_PX
        positions: dict[str, float] = {}
        for number, page in enumerate(pages):
            for name, (_x, y, *_rest) in page.anchors.items():
                positions.setdefault(name, number * capacity + y - MARGIN_TOP_PX)
        if "brief-end" not in positions or "sources" not in positions:
            return None
        ordered = sorted(positions.values())
        items: dict[int, float] = {}
        for name, y in positions.items():
            if name.startswith("item-") and name[5:].isdigit():
                # An item reaches down to whatever the page shows next.
                below = bisect.bisect_right(ordered, y)
                items[int(name[5:])] = (ordered[below] if below < len(ordered) else positions["brief-end"]) - y
        return Measure(
            capacity=capacity,
            height=positions["brief-end"],
            items=items,
            footer=positions["brief-end"] - positions["sources"],
        )


def layout_pdf(html: str) -> Layout:
    """Lay out HTML for print with the restricted fetcher (no PDF bytes yet)."""
    from weasyprint import HTML

    with _weasyprint_warnings() as messages:
        document = HTML(
            string=html, base_url=assets_dir().as_uri() + "/", url_fetcher=_assets_only_fetcher_class()()
        ).render()
    return Layout(document=document, pages=len(document.pages), warnings=tuple(messages))


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    pages: int
    warnings: tuple[str, ...]


def render_pdf(html: str) -> RenderedPdf:
    """HTML to PDF with the restricted fetcher; reports page count and warnings."""
    laid = layout_pdf(html)
    return RenderedPdf(pdf=laid.write_pdf(), pages=laid.pages, warnings=laid.warnings)


# --- For the second process (briefing.worker) -------------------------------------


def warm_up() -> None:
    """Load Pango and the fonts with a one-item layout.

    Its one section is made here, not by :func:`briefing.plan.group_sections`:
    plan imports the claim and language tools (NLTK, regex; 0.05 s), which the
    second process, warming up while the first builds the brief, does not
    need to fit most briefs (issue 19).
    """
    from briefing.model import Item, Section, Source

    source = Source(id="s1", name="Warm-up", title="", url=None, path=None, published=None, text="")
    item = Item(text="A sentence to load the fonts.", source="s1", citations=("s1",), support=1,
                score=1.0, rank=1, section="background")
    layout_pdf(render_html(Brief(title="Warm-up", date="2000-01-01", sources=(source,),
                                 sections=(Section("background", "Background", (item,)),))))



"""Render: a Brief to HTML, Markdown, PDF (one page) and the brief.json dict.

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
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup

from briefing import __version__
from briefing.display import dated_outlet, display_text, reported_note, safe_name, shorten
from briefing.errors import RenderError
from briefing.model import Brief, Evidence
from briefing.plan import group_sections

if TYPE_CHECKING:
    from briefing.worker import Worker

log = logging.getLogger(__name__)

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
PAGE_MARGIN = "13mm 14mm 12mm"
#: Font sizes tried, largest first, before items are dropped. 9 pt is the
#: smallest we consider comfortably readable on paper.
FONT_SIZES_PT = (10.0, 9.5, 9.0)
#: Citations printed per item; "+N" stands for the rest (all are in brief.json).
CITATIONS_SHOWN = 8
#: Up to this many sources the endnotes list every one; beyond, the cited ones.
ALL_SOURCES_LISTED = 12
#: Dropped claims listed on the page (all are in brief.json): the list must not
#: crowd out today's items on a one-page brief.
DROPPED_SHOWN = 4


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


def support_title(support: int, total: int) -> str:
    """The tooltip of a support label: what the count and the label mean."""
    from briefing.model import confidence_label

    label = confidence_label(min(max(support, 1), max(total, 1)), max(total, 1))
    return (f"{support} of the {total} independent sources (syndicated copies count once) state this"
            f" sentence or one saying the same; {label}: {LABEL_MEANINGS[label]}")


def number_sources(sources: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Citation numbers for ``(id, outlet name)`` pairs, in outlet-name order.

    Not input order: a daily brief reads its sources in a different order each
    day, and [1] would be another outlet every morning. By name, an outlet
    keeps its number as long as the same outlets are read.
    """
    return dict(_numbering(tuple(sources)))


@lru_cache(maxsize=8)
def _numbering(sources: tuple[tuple[str, str], ...]) -> tuple[tuple[str, int], ...]:
    """:func:`number_sources`, memoised: fitting a page renders the same sources many times."""
    ordered = sorted(enumerate(sources), key=lambda pair: (display_text(pair[1][1]).casefold(), pair[0]))
    return tuple((source_id, k + 1) for k, (_, (source_id, _)) in enumerate(ordered))


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
        brief = replace(brief, sections=group_sections(sorted(brief.items + brief.omitted, key=lambda i: i.rank)))
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
                f": “{shorten(display_text(backing[i]), EVIDENCE_CHARS)}”" if i in backing else "")}
            for i in visible
        ]
        if len(ids) > len(visible):
            listed[-1]["more"] = len(ids) - len(visible)
        return listed

    bottom_rank = brief.bottom_line.rank if brief.bottom_line is not None else None
    sections = [
        {
            "key": section.key,
            "title": section.title,
            "entries": [
                {
                    "text": item.text,
                    "rank": item.rank,
                    "citations": cites(item.citations, item.evidence),
                    "support_label": support_label(item.support, total)
                    + reported_note(item.text, by_id[item.source].published),
                    "support_title": support_title(item.support, total),
                    "new": item.new,
                    "in_pdf": item.rank in in_pdf,
                    "earlier": None if item.earlier is None else {
                        "text": shorten(display_text(item.earlier.text), EVIDENCE_CHARS),
                        "source": dated_outlet(item.earlier.outlet, item.earlier.published),
                    },
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
    bottom_line = None if brief.bottom_line is None else {
        "text": brief.bottom_line.text,
        "rank": brief.bottom_line.rank,
        "citations": cites(brief.bottom_line.citations, brief.bottom_line.evidence),
        "support_label": support_label(brief.bottom_line.support, total)
        + reported_note(brief.bottom_line.text, by_id[brief.bottom_line.source].published),
    }
    sources = [
        {
            "number": number[s.id],
            # Shortened for the page (a 2,000-character <title> must not push every
            # item off it); brief.json keeps the full text.
            "name": shorten(display_text(s.name), SOURCE_NAME_CHARS),
            "title": shorten(display_text(s.title), SOURCE_TITLE_CHARS),
            "published": s.published,
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
    return {
        "brief": replace(brief, title=shorten(display_text(brief.title), TITLE_CHARS) or "News brief"),
        "changes": _changes_context(brief, len(brief.changes.dropped) if web and brief.changes else dropped_shown),
        "sections": sections,
        "discrepancies": discrepancies,
        "sources": sources,
        "unlisted": len(brief.sources) - len(sources),
        "n_sources": len(brief.sources),
        "n_independent": total,
        "bottom_line": bottom_line,
        "dated": brief.dated,
        "built": brief.built,
        "omitted": len(brief.omitted),
        "css": stylesheet(),
        "web": web,
        "font_pt": f"{font_pt:g}",
        "page_size": PAGE_SIZES[page],
        "page_margin": PAGE_MARGIN,
        "version": __version__,
    }


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
_MM = 96 / 25.4
_MARGIN_TOP_PX, _MARGIN_BOTTOM_PX = 13 * _MM, 12 * _MM


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
        capacity = pages[0].height - _MARGIN_TOP_PX - _MARGIN_BOTTOM_PX
        positions: dict[str, float] = {}
        for number, page in enumerate(pages):
            for name, (_x, y, *_rest) in page.anchors.items():
                positions.setdefault(name, number * capacity + y - _MARGIN_TOP_PX)
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


def keep_top_items(brief: Brief, keep: int) -> Brief:
    """The brief with only its ``keep`` best-ranked items; the rest are omitted."""
    ranked = sorted(brief.items + brief.omitted, key=lambda item: item.rank)
    return replace(brief, sections=group_sections(ranked[:keep]), omitted=tuple(ranked[keep:]))


@dataclass(frozen=True)
class FittedBrief:
    brief: Brief
    html: str
    pdf: bytes
    font_pt: float
    renders: int
    warnings: tuple[str, ...] = ()


#: Content height grows about as font size ** FONT_SCALING (lines get taller
#: and hold fewer words); measured 2.3–2.5 on real briefs between 9 and 10 pt.
FONT_SCALING = 2.4
#: A font size predicted to overflow by more than this share is not tried.
PREDICTION_SLACK = 0.03


def _listed_sources(brief: Brief) -> int:
    return len(template_context(brief)["sources"])


#: Height of the "N lower-ranked items left out" note, in CSS pixels at 10 pt.
_OMITTED_NOTE_PX = 16.0


def predict_keep(brief: Brief, measure: Measure, scale: float = 1.0) -> int:
    """How many top-ranked items should fit, from a measure of ``brief``'s items.

    ``measure`` is of a layout (or :func:`estimate`) of exactly the brief's
    items; ``scale`` converts its heights to another font size. Dropping an
    item saves its height; the endnotes shrink with the sources still cited;
    a note saying items were left out appears.
    """
    ranked = sorted(brief.items, key=lambda item: item.rank)
    height = measure.height * scale
    footer = measure.footer * scale
    listed_all = max(1, _listed_sources(brief))
    for keep in range(len(ranked), -1, -1):
        if keep < len(ranked):
            height -= measure.items.get(ranked[keep].rank, 0.0) * scale
        note = _OMITTED_NOTE_PX * scale if keep < len(ranked) and not brief.omitted else 0.0
        shrink = footer * (1 - _listed_sources(keep_top_items(brief, keep)) / listed_all)
        if height + note - shrink <= measure.capacity:
            return keep
    return 0


def page_capacity(page: str) -> float:
    """Height of a page's content box in CSS pixels."""
    height_mm = {"a4": 297.0, "letter": 279.4}[page]
    return height_mm * _MM - _MARGIN_TOP_PX - _MARGIN_BOTTOM_PX


#: Text-length model of the content height at 10 pt (CSS pixels): per item,
#: per 100-character line of an item, per 100 characters of endnotes and of
#: disagreement quotes, per disagreement, and a constant. Fitted by least
#: squares to the layouts of 27 real briefs (the DUC 2006 dev clusters, the
#: seeds, 1,000 articles): within ±9 % of WeasyPrint on every one.
_EST_ITEM, _EST_LINE, _EST_FOOTER, _EST_QUOTES, _EST_DISAGREEMENT, _EST_CONSTANT = (
    24.9, 14.91, 11.82, 22.23, 83.25, 1.56)
#: The largest font is not tried when the estimate overflows by more than this share.
SKIP_LARGEST_ABOVE = 0.10
#: A smaller font size predicted from the estimate to overflow by more than
#: this share is not tried. On the 54 real briefs above (A4 and letter) every
#: size that fits was predicted below 1.042: no brief got a smaller font than
#: the largest that fits, and the skipped layouts halved the layouts made.
ESTIMATE_SLACK = 0.05


def estimate(brief: Brief, page: str = "a4") -> Measure:
    """A :class:`Measure` at the largest font from the text alone, without a layout."""
    context = template_context(brief, page=page)
    items: dict[int, float] = {}
    entries = [entry for section in context["sections"] for entry in section["entries"]]
    if context["bottom_line"] is not None:
        entries.append(context["bottom_line"])  # shown above the sections, measured like an item
    for entry in entries:
        chars = len(entry["text"]) + len(entry["support_label"]) + 6 * len(entry["citations"])
        items[entry["rank"]] = _EST_ITEM + _EST_LINE * -(-chars // 100)
    footer = _EST_FOOTER * sum(
        len(s["name"]) + len(s["title"] or "") + len(s["location"]) + 12 for s in context["sources"]) / 100
    quotes = sum(len(v["text"]) + len(d["topic"]) + 20 for d in context["discrepancies"] for v in d["variants"])
    height = (sum(items.values()) + footer + _EST_QUOTES * quotes / 100
              + _EST_DISAGREEMENT * len(context["discrepancies"]) + _EST_CONSTANT)
    return Measure(capacity=page_capacity(page), height=height, items=items, footer=footer)


#: A layout confirms a predicted fit when its height is within this many CSS px of the
#: prediction; the next larger choice is laid out too when predicted this close to the page's end.
CONFIRM_PX = 0.5
NEXT_MARGIN_PX = 2.0


@dataclass(frozen=True)
class Prediction:
    """What :func:`predict_fit` expects the one-page PDF to hold, and how sure it is."""

    keep: int
    font_pt: float
    #: Predicted content height of that choice, CSS px.
    height: float
    #: Predicted height of the next larger choice (one more item, or the next font size up),
    #: ``None`` when every item fits at the largest size.
    next_height: float | None
    #: The next larger choice, as (items, font size).
    next_choice: tuple[int, float] | None


def predict_fit(brief: Brief, page: str = "a4", *, dropped_shown: int = DROPPED_SHOWN) -> Prediction | None:
    """The items and font size of the one-page PDF, from font metrics alone (no layout).

    The same rule as :func:`fit_to_page`: every item at the largest font size
    that fits, else the most top-ranked items that fit at the smallest size.
    Heights come from :mod:`briefing.pagemodel`. ``None`` when it cannot
    answer: the fonts are missing, a "Dropped since" list is to be shown
    (its box is not modelled), or nothing fits.
    """
    from briefing import pagemodel

    _check_page(page)
    if not pagemodel.available():
        return None
    if dropped_shown != NO_DROPPED_LIST and brief.changes is not None and brief.changes.dropped:
        return None
    capacity = page_capacity(page)
    total = len(brief.items) + len(brief.omitted)

    def height(keep: int, font_pt: float) -> float:
        context = template_context(keep_top_items(brief, keep), page=page, font_pt=font_pt,
                                   dropped_shown=dropped_shown)
        return pagemodel.page_height(context, page)

    # The next larger choice than the one returned, and its predicted height.
    larger: tuple[int, float] | None = None
    larger_height: float | None = None
    for font_pt in FONT_SIZES_PT:
        tall = height(total, font_pt)
        if tall <= capacity:
            return Prediction(total, font_pt, tall, larger_height, larger)
        larger, larger_height = (total, font_pt), tall
    smallest = FONT_SIZES_PT[-1]
    for keep in range(total - 1, -1, -1):
        tall = height(keep, smallest)
        if tall <= capacity:
            return Prediction(keep, smallest, tall, larger_height, larger)
        larger, larger_height = (keep, smallest), tall
    return None  # not even the header fits: the layouts say so, with the usual error


def predicted_fit(brief: Brief, page: str = "a4") -> FittedBrief | None:
    """:func:`fit_to_page`'s choice for a build that writes no PDF: no layout, no PDF bytes.

    ``None`` when :func:`predict_fit` cannot answer (lay the page out then).
    """
    if brief.changes is not None and brief.changes.dropped:
        return None  # the "Dropped since" list is fitted by layouts
    guess = predict_fit(brief, page)
    if guess is None:
        return None
    return FittedBrief(keep_top_items(brief, guess.keep), "", b"", guess.font_pt, 0)


def _check_page(page: str) -> None:
    if page not in PAGE_SIZES:
        raise RenderError(f"unknown page size {page!r} (choose a4 or letter)")


def fit_to_page(brief: Brief, *, page: str = "a4") -> FittedBrief:
    """Render so the PDF is exactly one page (see :func:`_fit_items`).

    A daily brief's "Dropped since" list never costs one of today's items: the
    items are fitted without it, then it gets the claims that still fit on the
    page (DROPPED_SHOWN at most), or only their count, or nothing.
    """
    if brief.changes is None or not brief.changes.dropped:
        return _fit_items(brief, page=page)
    fitted = _fit_items(brief, page=page, dropped_shown=NO_DROPPED_LIST)
    renders = fitted.renders
    for shown in range(min(DROPPED_SHOWN, len(brief.changes.dropped)), -1, -1):
        html = render_html(fitted.brief, page=page, font_pt=fitted.font_pt, dropped_shown=shown)
        laid = layout_pdf(html)
        renders += 1
        if laid.pages == 1:
            return FittedBrief(fitted.brief, html, laid.write_pdf(), fitted.font_pt, renders, laid.warnings)
    return replace(fitted, renders=renders)


def _fit_items(brief: Brief, *, page: str = "a4", dropped_shown: int = DROPPED_SHOWN) -> FittedBrief:
    """Render so the PDF is exactly one page, in as few layouts as it takes.

    Heights predict what to lay out: first from the text alone
    (:func:`estimate`), then from each layout made (WeasyPrint's positions of
    the items and endnotes). Every item at the largest font is tried first,
    unless the estimate overflows by more than SKIP_LARGEST_ABOVE. Then the
    largest font at which every item is predicted to fit (content height
    grows about as font size ** FONT_SCALING; sizes predicted to overflow by
    more than PREDICTION_SLACK of a measured layout, or ESTIMATE_SLACK of the
    estimate, are skipped). If none is, the most top-ranked
    items predicted to fit at the smallest size are laid out; an overflow is
    measured and predicted again (at least one item fewer), a fit is checked
    against one item more. Every answer is a real layout, so the page never
    overflows; the PDF is written once.
    """
    _check_page(page)
    renders = 0
    total = len(brief.items) + len(brief.omitted)
    full = keep_top_items(brief, total)

    def attempt(keep: int, font_pt: float) -> tuple[Brief, str, Layout, float]:
        nonlocal renders
        renders += 1
        candidate = keep_top_items(brief, keep)
        html = render_html(candidate, page=page, font_pt=font_pt, dropped_shown=dropped_shown)
        return candidate, html, layout_pdf(html), font_pt

    def fits(found: tuple[Brief, str, Layout, float]) -> bool:
        return found[2].pages == 1

    def done(found: tuple[Brief, str, Layout, float]) -> FittedBrief:
        candidate, html, laid, font_pt = found
        return FittedBrief(candidate, html, laid.write_pdf(), font_pt, renders, laid.warnings)

    # Font metrics predict the answer (briefing.pagemodel): one layout confirms it when
    # it fits at the predicted height and the next larger choice is predicted clearly
    # too tall; else that choice is laid out too. Any surprise falls back to the search below.
    guess = predict_fit(brief, page, dropped_shown=dropped_shown)
    if guess is not None:
        found = attempt(guess.keep, guess.font_pt)
        measured = found[2].measure()
        if fits(found) and measured is not None and abs(measured.height - guess.height) <= CONFIRM_PX:
            if guess.next_height is None or guess.next_choice is None:
                return done(found)
            if guess.next_height > page_capacity(page) + NEXT_MARGIN_PX:
                return done(found)
            if not fits(attempt(*guess.next_choice)):
                return done(found)
        log.debug("page model missed (%s items at %s pt); laying out", guess.keep, guess.font_pt)

    largest, smallest = FONT_SIZES_PT[0], FONT_SIZES_PT[-1]
    # `basis` measures every item at the largest font: a layout's if one was made, else the estimate's.
    basis = estimate(full, page)
    slack = ESTIMATE_SLACK
    if basis.height <= basis.capacity * (1 + SKIP_LARGEST_ABOVE):
        first = attempt(total, largest)
        if fits(first):
            return done(first)
        if (measured := first[2].measure()) is not None:
            basis, slack = measured, PREDICTION_SLACK
    at_smallest: tuple[Brief, str, Layout, float] | None = None
    for font_pt in FONT_SIZES_PT[1:]:
        predicted = basis.height * (font_pt / largest) ** FONT_SCALING
        if predicted > basis.capacity * (1 + slack):
            continue
        found = attempt(total, font_pt)
        if fits(found):
            return done(found)
        if font_pt == smallest:
            at_smallest = found

    # Not every item fits: find the most top-ranked items that fit at the smallest size.
    smallest_measure = at_smallest[2].measure() if at_smallest is not None else None
    if smallest_measure is not None:
        keep = predict_keep(full, smallest_measure)
    else:
        keep = predict_keep(full, basis, (smallest / largest) ** FONT_SCALING)
    too_many = total if at_smallest is not None else total + 1  # fewest items known to overflow
    best: tuple[Brief, str, Layout, float] | None = None
    keep = min(keep, too_many - 1)
    while True:
        found = attempt(keep, smallest)
        if fits(found):
            best = found
            if keep + 1 >= too_many:
                break
            keep += 1
            continue
        too_many = keep
        if best is not None:
            break
        if keep == 0:
            raise RenderError("the brief does not fit on one page even without items")
        measured = found[2].measure()
        again = predict_keep(found[0], measured) if measured is not None else keep - 1
        keep = max(0, min(again, keep - 1))
    return done(best)


# --- For the second process (briefing.worker) -------------------------------------


def lean(brief: Brief) -> Brief:
    """The brief without the article texts, which rendering never reads."""
    return replace(brief, sources=tuple(replace(source, text="") for source in brief.sources))


def warm_up() -> None:
    """Load Pango and the fonts with a one-item layout."""
    from briefing.model import Item, Source

    source = Source(id="s1", name="Warm-up", title="", url=None, path=None, published=None, text="")
    item = Item(text="A sentence to load the fonts.", source="s1", citations=("s1",), support=1,
                score=1.0, rank=1, section="background")
    layout_pdf(render_html(Brief(title="Warm-up", date="2000-01-01", sources=(source,),
                                 sections=group_sections([item]))))


@dataclass(frozen=True)
class Fit:
    """What :func:`fit_to_page` decided, without the brief (which the caller has)."""

    keep: int
    font_pt: float
    html: str
    pdf: bytes
    renders: int
    warnings: tuple[str, ...]

    def apply(self, brief: Brief) -> FittedBrief:
        return FittedBrief(keep_top_items(brief, self.keep), self.html, self.pdf, self.font_pt, self.renders,
                           self.warnings)


def fit_job(brief: Brief, page: str) -> Fit:
    """:func:`fit_to_page` as a job for the second process: small to send back."""
    fitted = fit_to_page(brief, page=page)
    return Fit(len(fitted.brief.items), fitted.font_pt, fitted.html, fitted.pdf, fitted.renders, fitted.warnings)


def fit_to_page_with(worker: Worker | None, brief: Brief, *, page: str = "a4", pdf: bool = True) -> FittedBrief:
    """:func:`fit_to_page`, in ``worker`` when there is one (same result).

    Without ``pdf`` (a build that writes no PDF), the choice is predicted from
    font metrics (:func:`predicted_fit`): no WeasyPrint, no layout.
    """
    if not pdf:
        _check_page(page)
        predicted = predicted_fit(brief, page)
        if predicted is not None:
            return predicted
    if worker is None:
        return fit_to_page(brief, page=page)
    _check_page(page)
    return worker.submit(fit_job, lean(brief), page).result().apply(brief)

"""Render: a Brief to HTML, Markdown, PDF (one page) and the brief.json dict.

Templates are Jinja2 with autoescape on for every name and StrictUndefined, so
article text never becomes markup and a typo in a template fails loudly.
WeasyPrint renders the PDF through :class:`AssetsOnlyFetcher`, which loads
only the packaged assets and ``data:`` URIs: an article's
``<a rel=attachment href=file:///etc/passwd>`` can never pull a local file in.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup
from weasyprint.urls import URLFetcher

from briefing import __version__
from briefing.errors import RenderError
from briefing.model import Brief
from briefing.plan import group_sections

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


@cache
def _environment(autoescape: bool) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        # default=True: our template names end in .j2, which select_autoescape's
        # extension list would not match.
        autoescape=jinja2.select_autoescape(default=autoescape, default_for_string=autoescape),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )


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

    The label after the count is :func:`briefing.discrepancies.confidence_label`
    (single source / corroborated / widely reported, docs/discrepancies.md).
    """
    from briefing.discrepancies import confidence_label

    if total <= 1:
        return f"{support} of {total} source"
    return f"{support} of {total} sources · {confidence_label(min(support, total), total)}"


def template_context(brief: Brief, *, page: str = "a4", font_pt: float = FONT_SIZES_PT[0]) -> dict[str, Any]:
    """Plain data for the templates: numbers instead of ids, labels precomputed."""
    number = {source.id: k + 1 for k, source in enumerate(brief.sources)}
    total = brief.independent or len(brief.sources)

    shown: set[str] = set()

    def cites(ids: Sequence[str]) -> list[dict[str, Any]]:
        # A claim reported by dozens of outlets shows the first few; brief.json
        # keeps them all.
        visible = list(ids[:CITATIONS_SHOWN])
        shown.update(visible)
        listed = [{"id": i, "number": number[i], "more": 0} for i in visible]
        if len(ids) > len(visible):
            listed[-1]["more"] = len(ids) - len(visible)
        return listed

    sections = [
        {
            "key": section.key,
            "title": section.title,
            "entries": [
                {
                    "text": item.text,
                    "citations": cites(item.citations),
                    "support_label": support_label(item.support, total),
                    "new": item.new,
                }
                for item in section.items
            ],
        }
        for section in brief.sections
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
    sources = [
        {
            "number": number[s.id],
            "name": s.name,
            "title": s.title,
            "published": s.published,
            "link": safe_link(s.url),
            "location": s.url or s.path or "",
        }
        for s in brief.sources
        # With many sources, the endnotes list the cited ones; all are in brief.json.
        if len(brief.sources) <= ALL_SOURCES_LISTED or s.id in shown
    ]
    return {
        "brief": brief,
        "changes": _changes_context(brief),
        "sections": sections,
        "discrepancies": discrepancies,
        "sources": sources,
        "unlisted": len(brief.sources) - len(sources),
        "n_sources": len(brief.sources),
        "n_independent": total,
        "omitted": len(brief.omitted),
        "css": stylesheet(),
        "font_pt": f"{font_pt:g}",
        "page_size": PAGE_SIZES[page],
        "page_margin": PAGE_MARGIN,
        "version": __version__,
    }


def _changes_context(brief: Brief) -> dict[str, Any] | None:
    """The "N new / dropped since DATE" lines; ``None`` when there was no previous brief."""
    if brief.changes is None:
        return None
    dropped = brief.changes.dropped
    shown = [
        {"text": d.text, "outlets": ", ".join(d.outlets or d.citations)} for d in dropped[:DROPPED_SHOWN]
    ]
    return {
        "since": brief.changes.since,
        "new": sum(1 for item in brief.items if item.new),
        "dropped": shown,
        "more": len(dropped) - len(shown),
    }


def render_html(brief: Brief, *, page: str = "a4", font_pt: float = FONT_SIZES_PT[0]) -> str:
    context = template_context(brief, page=page, font_pt=font_pt)
    return html_environment().get_template("brief.html.j2").render(context)


def render_markdown(brief: Brief) -> str:
    context = template_context(brief)
    text = text_environment().get_template("brief.md.j2").render(context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# --- PDF ---------------------------------------------------------------------


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


@dataclass(frozen=True)
class Layout:
    """A laid-out document: pages known, PDF not yet written."""

    document: Any
    pages: int
    warnings: tuple[str, ...]

    def write_pdf(self) -> bytes:
        return bytes(self.document.write_pdf())


def layout_pdf(html: str) -> Layout:
    """Lay out HTML for print with the restricted fetcher (no PDF bytes yet)."""
    from weasyprint import HTML

    with _weasyprint_warnings() as messages:
        document = HTML(
            string=html, base_url=assets_dir().as_uri() + "/", url_fetcher=AssetsOnlyFetcher()
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


def fit_to_page(brief: Brief, *, page: str = "a4") -> FittedBrief:
    """Render so the PDF is exactly one page.

    Every item at the largest font first (most briefs fit there: one layout).
    Otherwise every item at the smallest readable size; if that fits, the
    sizes between are tried largest first. If even that overflows, a binary
    search finds how many top-ranked items fit at the smallest size. Only
    layouts are made while searching; the PDF is written once.
    """
    if page not in PAGE_SIZES:
        raise RenderError(f"unknown page size {page!r} (choose a4 or letter)")
    renders = 0
    total = len(brief.items) + len(brief.omitted)

    def attempt(keep: int, font_pt: float) -> tuple[Brief, str, Layout, float]:
        nonlocal renders
        renders += 1
        candidate = keep_top_items(brief, keep)
        html = render_html(candidate, page=page, font_pt=font_pt)
        return candidate, html, layout_pdf(html), font_pt

    def done(found: tuple[Brief, str, Layout, float]) -> FittedBrief:
        candidate, html, laid, font_pt = found
        return FittedBrief(candidate, html, laid.write_pdf(), font_pt, renders, laid.warnings)

    largest, smallest = FONT_SIZES_PT[0], FONT_SIZES_PT[-1]
    first = attempt(total, largest)
    if first[2].pages == 1:
        return done(first)
    at_smallest = attempt(total, smallest)
    if at_smallest[2].pages == 1:
        for font_pt in FONT_SIZES_PT[1:-1]:
            between = attempt(total, font_pt)
            if between[2].pages == 1:
                return done(between)
        return done(at_smallest)
    low, high = 0, total - 1  # invariant: `low` items fit (checked below for 0)
    best: tuple[Brief, str, Layout, float] | None = None
    while low < high:
        mid = (low + high + 1) // 2
        found = attempt(mid, smallest)
        if found[2].pages == 1:
            low, best = mid, found
        else:
            high = mid - 1
    if best is None or len(best[0].items) != low:
        best = attempt(low, smallest)
        if best[2].pages != 1:
            raise RenderError("the brief does not fit on one page even without items")
    return done(best)

"""Page fitting: how many items, at which font size, make the PDF exactly one page.

Split from :mod:`briefing.render` (issue 17): rendering turns a brief into
HTML, Markdown and PDF bytes; this module decides what goes on the page. It
predicts the choice from font metrics (:mod:`briefing.pagemodel`), confirms it
with as few WeasyPrint layouts as it takes (:func:`fit_to_page`), and can run
that in the second process (:func:`fit_to_page_with`, :mod:`briefing.worker`).
A build that writes no PDF uses the prediction alone and never loads WeasyPrint.

Imports go one way: fit -> render, pagemodel (-> render); render imports
neither fit nor worker, so the old render <-> worker cycle is gone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from briefing.errors import RenderError
from briefing.model import Brief
from briefing.render import (
    MARGIN_BOTTOM_PX,
    MARGIN_TOP_PX,
    MM_PX,
    NO_DROPPED_LIST,
    Layout,
    Measure,
    layout_pdf,
    render_html,
    template_context,
)
from briefing.settings import DROPPED_SHOWN, FONT_SIZES_PT, PAGE_SIZES

if TYPE_CHECKING:
    from collections.abc import Callable

    from briefing.worker import Worker

log = logging.getLogger(__name__)


def keep_top_items(brief: Brief, keep: int) -> Brief:
    """The brief with only its ``keep`` best-ranked items; the rest are omitted.

    The bottom line's own item is one of them whatever its rank: the page
    shows it once, as the bottom line, so it is the last to go, and leaving
    it out listed a line the page shows among the items left out (an
    editor's read of D0625).
    """
    from briefing.plan import group_sections  # here: fitting a brief that keeps every item needs no plan

    ranked = sorted(brief.items + brief.omitted, key=lambda item: item.rank)
    line = brief.bottom_line.rank if brief.bottom_line is not None else None
    if keep and any(item.rank == line for item in ranked[keep:]):
        ranked = [item for item in ranked if item.rank == line] + [item for item in ranked if item.rank != line]
    kept = sorted(ranked[:keep], key=lambda item: item.rank)
    return replace(brief, sections=group_sections(kept, order=brief.order), omitted=tuple(ranked[keep:]),
                   page_order=brief.order)


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
    a note saying items were left out appears. The items go in the order
    :func:`keep_top_items` drops them (the bottom line's own item last).
    """
    full = len(brief.items)
    measured = {item.rank for item in brief.items}
    footer = measure.footer * scale
    listed_all = max(1, _listed_sources(brief))
    for keep in range(full, -1, -1):
        kept = keep_top_items(brief, keep)
        dropped = sum(measure.items.get(item.rank, 0.0) for item in kept.omitted if item.rank in measured)
        height = (measure.height - dropped) * scale
        note = _OMITTED_NOTE_PX * scale if keep < full and not brief.omitted else 0.0
        shrink = footer * (1 - _listed_sources(kept) / listed_all)
        if height + note - shrink <= measure.capacity:
            return keep
    return 0


def page_capacity(page: str) -> float:
    """Height of a page's content box in CSS pixels."""
    height_mm = {"a4": 297.0, "letter": 279.4}[page]
    return height_mm * MM_PX - MARGIN_TOP_PX - MARGIN_BOTTOM_PX


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


def fit_to_page(brief: Brief, *, page: str = "a4", known: tuple[Prediction | None] | None = None) -> FittedBrief:
    """Render so the PDF is exactly one page (see :func:`_fit_items`).

    A daily brief's "Dropped since" list never costs one of today's items: the
    items are fitted without it, then it gets the claims that still fit on the
    page (DROPPED_SHOWN at most), or only their count, or nothing. ``known``:
    :func:`predict_fit` of this brief and page, made already (:func:`fit_to_page_with`).
    """
    if brief.changes is None or not brief.changes.dropped:
        return _fit_items(brief, page=page, known=known)
    fitted = _fit_items(brief, page=page, dropped_shown=NO_DROPPED_LIST)
    renders = fitted.renders
    for shown in range(min(DROPPED_SHOWN, len(brief.changes.dropped)), -1, -1):
        html = render_html(fitted.brief, page=page, font_pt=fitted.font_pt, dropped_shown=shown)
        laid = layout_pdf(html)
        renders += 1
        if laid.pages == 1:
            return FittedBrief(fitted.brief, html, laid.write_pdf(), fitted.font_pt, renders, laid.warnings)
    return replace(fitted, renders=renders)


def _fit_items(brief: Brief, *, page: str = "a4", dropped_shown: int = DROPPED_SHOWN,
               known: tuple[Prediction | None] | None = None) -> FittedBrief:
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
    guess = known[0] if known is not None else predict_fit(brief, page, dropped_shown=dropped_shown)
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


# --- In the second process (briefing.worker) -----------------------------------------


def lean(brief: Brief) -> Brief:
    """The brief without the article texts, which rendering never reads."""
    return replace(brief, sources=tuple(replace(source, text="") for source in brief.sources))


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


def fit_job(brief: Brief, page: str, known: tuple[Prediction | None] | None = None) -> Fit:
    """:func:`fit_to_page` as a job for the second process: small to send back."""
    fitted = fit_to_page(brief, page=page, known=known)
    return Fit(len(fitted.brief.items), fitted.font_pt, fitted.html, fitted.pdf, fitted.renders, fitted.warnings)


def fit_to_page_with(worker: Worker | None, brief: Brief, *, page: str = "a4", pdf: bool = True,
                     meanwhile: Callable[[Brief, float], None] | None = None) -> FittedBrief:
    """:func:`fit_to_page`, in ``worker`` when there is one (same result).

    Without ``pdf`` (a build that writes no PDF), the choice is predicted from
    font metrics (:func:`predicted_fit`): no WeasyPrint, no layout.
    ``meanwhile``: called with the predicted page (its items, its font size)
    while the worker lays it out, for a caller to prepare what that page
    needs; the result, not the prediction, is what counts.
    """
    if not pdf:
        _check_page(page)
        predicted = predicted_fit(brief, page)
        if predicted is not None:
            return predicted
    if worker is None:
        return fit_to_page(brief, page=page)
    _check_page(page)
    sent = lean(brief)
    # The page model's prediction is made here, while the worker may still be loading
    # WeasyPrint (for a few articles it is the last to be ready): its job then lays out at
    # once (issue 19: 0.03 s of the seeds' build).
    known = (predict_fit(sent, page),) if brief.changes is None or not brief.changes.dropped else None
    job = worker.submit(fit_job, sent, page, known)
    if meanwhile is not None and known is not None and known[0] is not None:
        meanwhile(keep_top_items(brief, known[0].keep), known[0].font_pt)
    return job.result().apply(brief)

"""Pipeline: wires the stages together. Data flows one way (see DESIGN.md).

ingest → clean → segment → corroborate → rank/select → plan → render → output
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from briefing import clean, ingest
from briefing.acronyms import initials_to_complete
from briefing.claims import (
    compare,
    dateline_place,
    evidence_status,
    lead_in,
    main_clause,
    same_main_claim,
    shown,
    status_of,
    strip_dateline,
    view,
)
from briefing.corroborate import Corroboration, corroborate, text_groups
from briefing.display import complete_names, typographic
from briefing.errors import NoUsableSourceError, SourceError, UsageError
from briefing.ingest import RawDocument, WarnFn, file_text, locate
from briefing.known import NOTHING_KNOWN, Known, KnownMatch, known_claims, match_known
from briefing.model import Brief, Discrepancy, Earlier, Evidence, Item, Section, Sentence, Source, Variant
from briefing.plan import assign_sections, group_sections
from briefing.rank import (
    CORE_WORDS,
    MAX_WORDS,
    MIN_WORDS,
    OPEN_QUOTES,
    Ranking,
    SelectionBasis,
    article_of,
    count_claims,
    cut_from_context,
    introduced_surnames,
    introductions_order,
    introductions_ranked_first,
    leans_back,
    names_to_complete,
    orphan_reason,
    rank_sentences,
    repeated_by,
    select,
    selection_basis,
    self_containedness,
    stale_reason,
    story_words,
    surname_sets,
    toll_moves,
    topicality,
    turned_by_next,
)
from briefing.segment import concept_bigrams, content_stems, segment, stop_words, text_spans, word_count
from briefing.settings import FORMATS, MAX_DISCREPANCIES, MAX_ITEMS, MAX_NEAR_COPIES, PAGE
from briefing.timing import timed

if TYPE_CHECKING:
    from briefing.sections import CueRules
    from briefing.worker import Job, Worker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildOptions:
    """What a caller may choose about one brief."""

    title: str | None = None
    date: str | None = None
    max_items: int = MAX_ITEMS
    page: str = PAGE
    formats: tuple[str, ...] = FORMATS
    #: Section cues (a daily config's ``[sections]``); ``None``: the shipped ones.
    sections: CueRules | None = None
    #: Keep articles far from the story the others tell (``--keep-off-topic``); by default they are left out.
    keep_off_topic: bool = False

    def __post_init__(self) -> None:
        if self.max_items < 1:
            raise UsageError("--max-items must be at least 1")
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown:
            raise UsageError(f"unknown format {unknown[0]!r} (choose from {', '.join(FORMATS)})")
        if self.date is not None:
            try:
                dt.date.fromisoformat(self.date)
            except ValueError:
                raise UsageError(f"--date must be YYYY-MM-DD, got {self.date!r}") from None


@dataclass(frozen=True)
class Analysis:
    sources: tuple[Source, ...]
    sentences: tuple[Sentence, ...]
    corroboration: Corroboration
    ranking: Ranking


def _ignore(message: str) -> None:
    log.debug(message)


#: From this many raw documents, the second process (when there is one) shares ingesting and cleaning them.
PARALLEL_PREPARE_FROM = 64
#: Raw documents prepared per part of the range the two processes share (tens of milliseconds).
PREPARED_PER_PART = 16


@dataclass(frozen=True)
class PreparedRaw:
    """One raw document ingested and its text checked and cleaned, before ids and copies are settled.

    ``source`` is None when the document could not be ingested (``problem``
    is then the warning). Else ``outcome`` says what became of its text:
    ("clean", the cleaned text), ("refused", the reason), or ("unexpected",
    the error) when a library choked on it; ``trace`` is then the traceback.
    """

    source: Source | None
    problem: str = ""
    outcome: tuple[str, str] = ("", "")
    trace: str = ""


def prepare_raws(raws: Sequence[RawDocument]) -> list[PreparedRaw]:
    """Ingest, check and clean each raw document (a job for the second process: no ids, no warnings yet).

    A text seen before in ``raws`` is checked and cleaned once: both steps
    depend on the text alone (and the title of its first copy).
    """
    import traceback

    out: list[PreparedRaw] = []
    outcomes: dict[str, tuple[tuple[str, str], str]] = {}
    for raw in raws:
        try:
            source = ingest.to_source(raw, "s0")
        except SourceError as exc:
            out.append(PreparedRaw(None, problem=str(exc)))
            continue
        except Exception as exc:  # a library choking on one odd input must not stop the batch
            out.append(PreparedRaw(None, problem=f"skipped {raw.where}: unexpected {type(exc).__name__}: {exc}",
                                   trace=traceback.format_exc()))
            continue
        if source.text not in outcomes:
            outcomes[source.text] = _clean_outcome(source, raw.where)
        outcome, trace = outcomes[source.text]
        out.append(PreparedRaw(source, outcome=outcome, trace=trace))
    return out


def _clean_outcome(source: Source, where: str) -> tuple[tuple[str, str], str]:
    """What becomes of a source's text: cleaned, refused (why), or an unexpected error (and its traceback)."""
    import traceback

    try:
        # Before cleaning, which drops lines in other languages one by one.
        clean.check_language(source.text, where)
        digest = clean.digest_reason(source.text, source.title)
        if digest is not None:
            return ("refused", digest), ""
        cleaned = clean.clean_text(source.text)
        if not cleaned.text.strip():
            return ("refused", _nothing_left(cleaned.dropped)), ""
        return ("clean", cleaned.text), ""
    except SourceError as exc:
        return ("refused", exc.reason), ""
    except Exception as exc:
        return ("unexpected", f"{type(exc).__name__}: {exc}"), traceback.format_exc()


def _nothing_left(dropped: Sequence[tuple[str, str]]) -> str:
    """Why cleaning left no text, naming what most of the dropped lines were.

    A list of one-line entries ("Czech weightlifter … dropped from team
    (September 7)") is all "heading or teaser" lines: saying so tells the
    user why a real document was refused (an editor's read of D0602).
    """
    reasons = Counter(reason for _, reason in dropped)
    if not reasons:
        return "no article text left after removing boilerplate"
    reason, count = max(reasons.items(), key=lambda pair: (pair[1], pair[0]))
    lines = "its line was" if len(dropped) == 1 else f"{count} of its {len(dropped)} lines were"
    return f"no article text left after removing boilerplate: {lines} {reason}"


def prepare_sources(
    raws: Sequence[RawDocument], *, warn: WarnFn | None = None, worker: Worker | None = None,
) -> tuple[Source, ...]:
    """Ingest and clean every raw document; ids s1…sn go to the usable ones in order.

    With a ``worker`` and many documents, the two processes share them
    (:func:`prepare_raws` of parts of them, :meth:`~briefing.worker.Worker.map_shared`:
    fixed halves had one process or the other idle 0.2-0.3 s at 1,000 articles, issue 19);
    the sources and warnings are the same.
    """
    warn = warn or _ignore
    if worker is not None and len(raws) >= PARALLEL_PREPARE_FROM:
        prepared = worker.map_shared(prepare_raws, list(raws), PREPARED_PER_PART)
    else:
        prepared = prepare_raws(raws)
    sources: list[Source] = []
    # Word-for-word copies (a wire story filed by several outlets, the same
    # article saved twice) are checked and cleaned once: both steps depend
    # on the text alone. The reason a text was refused is remembered too.
    cleaned_texts: dict[str, str] = {}
    refused: dict[str, str] = {}
    for raw, ready in zip(raws, prepared, strict=True):
        if ready.source is None:
            if ready.trace:
                log.debug("unexpected error on %s\n%s", raw.where, ready.trace)
            warn(ready.problem)
            continue
        text = ready.source.text
        if text in refused:
            warn(str(SourceError(raw.where, refused[text])))
            continue
        if text not in cleaned_texts:
            kind, value = ready.outcome
            if kind == "refused":
                refused[text] = value
                warn(str(SourceError(raw.where, value)))
                continue
            if kind == "unexpected":
                log.debug("unexpected error on %s\n%s", raw.where, ready.trace)
                warn(f"skipped {raw.where}: unexpected {value}")
                continue
            cleaned_texts[text] = value
        sources.append(replace(ready.source, id=f"s{len(sources) + 1}", text=cleaned_texts[text]))
    return ingest.complete_outlet_names(sources)


#: Depth of nested :func:`spared_collector` blocks in this process.
_SPARED: list[int] = [0]


@contextmanager
def spared_collector() -> Iterator[None]:
    """Within the block, what a build keeps to its end is left out of Python's cyclic collector.

    A build of thousands of articles holds millions of objects (sources,
    sentences, their words) that live until it ends, and every full
    collection walked them all again: 13 % of the CPU time at 2,500
    articles. :func:`_keep_long_lived` (``gc.freeze``) after the steps that
    make them moves them out of the collector's reach; leaving the outermost
    block hands them back (``gc.unfreeze``). Reference counting frees objects
    as usual either way, and nothing about a brief depends on it.

    Automatic collections are also off within the outermost block: the young
    ones found a few hundred cyclic objects in a whole 1,000-article build,
    and with the full ones they cost it 1.7 s of CPU (issue 19). On leaving,
    what the block allocated goes with the rest to the oldest generation
    (``gc.freeze`` then ``gc.unfreeze``) rather than to a young collection
    that would walk it all at once, and collections resume as before.
    """
    _SPARED[0] += 1
    collecting = gc.isenabled() if _SPARED[0] == 1 else False
    if collecting:
        gc.disable()
    try:
        yield
    finally:
        _SPARED[0] -= 1
        if not _SPARED[0]:
            gc.freeze()
            gc.unfreeze()
        if collecting:
            gc.enable()


def _keep_long_lived() -> None:
    """Inside :func:`spared_collector`: every object alive now is left out of cyclic collections."""
    if _SPARED[0]:
        gc.freeze()


#: From this many sources, the second process (when there is one) finds the opinion pieces and the
#: surnames for the selection (:func:`opinion_reasons`, :func:`briefing.rank.surname_sets`).
PARALLEL_SELECT_FROM = 64

#: From this many distinct texts, the second process (when there is one) splits half of them into sentences.
PARALLEL_SEGMENT_FROM = 64


def analyse(
    sources: Sequence[Source], *, worker: Worker | None = None,
    meanwhile: Callable[[str, Sequence[Sentence]], None] | None = None,
    split: Callable[[], Spans] | None = None, grouped: Callable[[tuple[int, ...]], None] | None = None,
) -> Analysis:
    """Split, corroborate and rank the sources' sentences.

    ``split``: gives the sentence spans of the texts (of these sources and
    maybe more), when their splitting was begun already (:func:`_start_spans`).

    ``meanwhile`` is called with a moment and the sentences when the worker
    has no job of the analysis: ``"views"`` and ``"graph"`` during
    corroboration (see :func:`~briefing.corroborate.corroborate`), ``"compare"``
    when it compares claims while this process may do other work, and
    ``"corroborated"`` before ranking (it has none left then): a caller's
    moments to hand it jobs on them. ``grouped``: called with the independent
    groups once corroboration knows them (before ``"graph"``).
    """
    with timed(log, "segment"):
        sentences = segment(sources, spans=split() if split is not None else _spans_with(worker, sources))
    _keep_long_lived()
    with timed(log, "corroborate"):
        corroboration = corroborate(
            sources, sentences, worker=worker,
            meanwhile=None if meanwhile is None else lambda moment: meanwhile(moment, sentences), grouped=grouped)
    if meanwhile is not None:
        meanwhile("corroborated", sentences)
    with timed(log, "rank"):
        ranking = rank_sentences(corroboration, dates=[source.published for source in sources])
    return Analysis(tuple(sources), sentences, corroboration, ranking)


#: Up to this many distinct sentences, :func:`warm_ranking` fills ranking's memos ahead (more would push
#: one another out of them before ranking reads them: the memos hold 65,536 texts).
WARM_RANKING_UP_TO = 32_768


def warm_ranking(sentences: Sequence[Sentence]) -> bool:
    """Fill the memos that ranking reads for every sentence: its word pairs and how well it stands alone.

    Called while the worker compares claims (:func:`~briefing.corroborate.claim_verdicts`'s
    ``meanwhile``): it takes more of the pairs meanwhile, whereas after corroboration
    it has nothing to do while this process ranks (issue 19). Ranking reads the same
    values, whenever they are computed. False when there are too many sentences for the memos.
    """
    texts = dict.fromkeys(sentence.text for sentence in sentences)
    if len(texts) > WARM_RANKING_UP_TO:
        return False
    for text in texts:
        concept_bigrams(text)
        self_containedness(text)
    return True


def basis_ahead(sources: Sequence[Source], sentences: Sequence[Sentence], groups: Sequence[int]) -> SelectionBasis:
    """:func:`~briefing.rank.selection_basis` of the analysis to come, from its groups of sources.

    Computed while the worker compares claims, after :func:`warm_ranking` (the word pairs
    are in the memos then): about 0.3 s of the selection at 1,000 articles (issue 19).
    """
    position = {source.id: k for k, source in enumerate(sources)}
    return selection_basis(sentences, [concept_bigrams(s.text) for s in sentences],
                           [groups[position[s.source_id]] for s in sentences], max(groups, default=-1) + 1)


#: Sentence spans by text (:func:`~briefing.segment.text_spans`).
Spans = dict[str, tuple[tuple[int, int], ...]]


def _spans_with(worker: Worker | None, sources: Sequence[Source]) -> Spans:
    """Sentence spans of the distinct texts: ``worker`` splits the later ones while this process splits the first.

    Empty without a worker or with few texts (:func:`segment` splits them
    all); spans depend on the text alone, so the sentences are the same. At
    1,000 articles splitting was 0.6 s with the other core idle (issue 19).
    The two processes share the texts (:meth:`~briefing.worker.Worker.map_shared`).
    """
    started = _start_spans(worker, sources)
    return started() if started is not None else {}


def _start_spans(worker: Worker | None, sources: Sequence[Source]) -> Callable[[], Spans] | None:
    """:func:`_spans_with` begun: the worker starts splitting at once; calling the result joins in.

    None without a worker or with few texts. Nothing else may be shared with
    the worker until it is called (:meth:`~briefing.worker.Worker.start_map_shared`).
    """
    texts = list(dict.fromkeys(source.text for source in sources))
    if worker is None or len(texts) < PARALLEL_SEGMENT_FROM:
        return None
    finish = worker.start_map_shared(text_spans, texts, SHARED_TEXTS_PER_PART)
    return lambda: dict(zip(texts, finish(), strict=True))


#: Texts split, stemmed or signed per part of a range the two processes share (tens of milliseconds).
SHARED_TEXTS_PER_PART = 16


def _require_sources(sources: Sequence[Source], raws: Sequence[RawDocument]) -> None:
    if not sources:
        if not raws:
            raise NoUsableSourceError("no source given: name article files, folders or URLs")
        raise NoUsableSourceError.all_skipped(len(raws))


def choose_title(
    sources: Sequence[Source], items: Sequence[Item], analysis: Analysis | None = None, line: Item | None = None,
) -> str:
    """The headline of the bottom line's story, else the most central headline.

    ``line``: the bottom line. The headline of the source it is quoted from,
    when it shares at least TITLE_LINE_STEMS content words with the line,
    and at least TITLE_LINE_SHARE of the headline's: the title then
    announces what the first line says (editors' reads of D0603, D0617 and
    D0711B found the title and the bottom line on two stories months apart:
    "First talks are scheduled by mediator" above the government's rejection
    of the settlement offer that ended them). A longer headline sharing only
    the story's name and a noun says something else (stop 39, editors' reads
    of D0611 and D0617: a call to interview a pilot above a line on the
    crash's dead).

    Otherwise the most central headline: the one whose words the brief's items use most, weighted by support.
    An opinion piece's headline (``Source.opinion``) is never the title: an editor's read of D0619 found
    a page of news titled "EDITORIAL: Republicans and the gay vote".

    A headline that other outlets dispute (another status or figure: "meets
    Xi" where they say he may meet him) is passed over when another is left.
    A headline that shares no word with the items is no title of this brief
    (an editor's read of D0611, garden features on pest control, found it
    titled by one Q&A column's "Fragrant Night Bloomers"): then "".
    """
    if line is not None:
        source = next((source for source in sources if source.id == line.source), None)
        headline = _headline(source) if source is not None else None
        words = set(content_stems(headline)) if headline else set()
        shared = len(set(content_stems(line.text)) & words)
        if (headline and shared >= TITLE_LINE_STEMS and shared >= TITLE_LINE_SHARE * len(words)
                and (analysis is None or not _disputed(headline, line.source, analysis))):
            return headline
    top_words: Counter[str] = Counter()
    for item in items:
        for stem in set(content_stems(item.text)):
            top_words[stem] += item.support
    ranked: list[tuple[float, int, str]] = []
    for position, source in enumerate(sources):
        headline = _headline(source)
        if not headline:
            continue
        stems = set(content_stems(headline))
        score = sum(top_words[s] for s in stems) / max(1, len(stems)) ** 0.5
        if score > 0:
            ranked.append((-score, position, headline))
    ranked.sort()
    if analysis is not None:
        for candidate in ranked[:TITLE_CANDIDATES]:
            if not _disputed(candidate[2], sources[candidate[1]].id, analysis):
                return candidate[2]
    return ranked[0][2] if ranked else ""


# Words a whole headline does not end on: one cut short ("Survey: Large Number of Housing Units in").
_HEADLINE_CUT_TEXT = "a an the of in on at to for with from by and or but as into about"
_HEADLINE_CUT = frozenset(_HEADLINE_CUT_TEXT.split())


def _headline(source: Source) -> str | None:
    """A source's headline as a brief's title: None when it has none, it was cut short or it heads an opinion piece.

    (A wire editor's note is no part of it: :func:`briefing.ingest.headline_text`.)
    A headline in title case that ends on a lower-case function word lost
    its end ("Jordan, Israel Have Serious Differences on"); in sentence case
    the word may be its last ("Settlers asked to fence themselves in"), and
    title case capitalises a particle ("Feds Weigh In"). An opinion piece's
    headline heads its view, not the news ("EDITORIAL: …" had titled a page of news).
    """
    if source.opinion:
        return None
    headline = (source.title or "").strip()
    words = headline.split()
    if not words:
        return None
    capitalised = sum(word[:1].isupper() for word in words if word.lower() not in _HEADLINE_CUT)
    title_case = capitalised >= 0.8 * sum(word.lower() not in _HEADLINE_CUT for word in words)
    if len(words) > 1 and words[-1] in _HEADLINE_CUT and title_case:
        return None  # "… Housing Units in" (a particle of title case is capitalised: "Feds Weigh In")
    return headline


#: The bottom line's headline is the title when they share this many content words ...
TITLE_LINE_STEMS = 2
#: ... and this share of the headline's (on the 40 dev briefs it moved 2 titles, both read by editors:
#: a third; a half moved 5, one of them worse, "Matthew Shepard Show Opens" for "Judge Bars 'Gay Panic' Defense").
TITLE_LINE_SHARE = Fraction(1, 3)
#: A title made from the bottom line is cut after this many words.
TITLE_WORDS = 12


def title_from(line: Item | None) -> str:
    """With no headline at all: the bottom line's first words, verbatim ("Kenya and the World Bank …").

    Better than a generic "News brief" on an index of stories, and still only
    the outlets' words. A short sentence is the title whole; a longer one is
    cut where a phrase ends — after a word that is not a function word,
    before one that is, or at a comma ("The council on Monday began voting
    on a bill…", not "… on a bill aimed…") — and a surname the page
    completes is completed here too ("[Lucien] Bouchard").
    """
    if line is None:
        return "News brief"
    # An item keeps its dateline when it says "here"; a title does not need it ("LARAMIE, Wyo. _ Aaron …").
    text = complete_names(strip_dateline(line.text), line.names, set())
    text = _without_lead_in(text)
    words = text.split()
    if len(words) <= TITLE_WORDS + TITLE_SLACK:
        return " ".join(words).rstrip(".")
    stops = stop_words()

    def ends_well(k: int) -> bool:  # not on a function word, a verb or a dash, nor inside a name ("the West…")
        bare = words[k - 1].lower().rstrip(",;:")
        inside_name = words[k - 1][:1].isupper() and words[k][:1].isupper() and not words[k - 1].endswith(",")
        return (bare not in stops and not bare.endswith(("ed", "ing", "—", "_", "-")) and bare not in _TITLE_VERBS
                and not inside_name)

    def phrase_ends(k: int) -> bool:
        return ends_well(k) and (words[k - 1].endswith(",") or words[k].lower() in _TITLE_BREAKS)

    shorter = range(TITLE_WORDS, MIN_TITLE_WORDS - 1, -1)
    longer = range(TITLE_WORDS + 1, TITLE_WORDS + TITLE_SLACK + 1)
    cut = next((k for k in (*shorter, *longer) if phrase_ends(k)), None) or next(
        (k for k in shorter if ends_well(k)), TITLE_WORDS)
    return " ".join(words[:cut]).rstrip(",;:") + "…"


def _without_lead_in(text: str) -> str:
    """The sentence from its main clause on, when a lead-in comes first ("In a case that …, a roofer pleaded …").

    A title cut from the first words would otherwise be the lead-in alone,
    naming no one and nothing that happened (editors' reads of D0721A and
    D0601). Only a lead-in set off by a comma goes, and only the first letter
    changes, to a capital.
    """
    clause = main_clause(text)
    lead = lead_in(text, clause)
    if not lead or len(clause.split()) < MIN_TITLE_WORDS:
        return text
    rest = text[len(lead):]
    return rest[:1].upper() + rest[1:]


# Words a phrase ends before: prepositions (not "of": "the burning of …"), conjunctions, relatives.
_TITLE_BREAKS_TEXT = (
    "in on at for with after before to from by as that which who while when because since during over under "
    "into amid despite and but or than")
_TITLE_BREAKS = frozenset(_TITLE_BREAKS_TEXT.split())
# Verbs without an ending that tells them: a title does not end on them ("… maneuvers set …").
_TITLE_VERBS_TEXT = "set put cut hit let says calls makes gets puts takes gives sees"
_TITLE_VERBS = frozenset(_TITLE_VERBS_TEXT.split())
#: A title made of a sentence: this many words at most (a few more when that is the whole sentence) ...
TITLE_SLACK = 3
#: ... and, cut where a phrase ends, this many at least.
MIN_TITLE_WORDS = 6


#: Headlines checked for a dispute, most central first.
TITLE_CANDIDATES = 3


def _disputed(headline: str, source_id: str, analysis: Analysis) -> bool:
    """Does a sentence of another source give the headline's claim another status or figure?"""
    mine = view(headline)
    context = analysis.corroboration.claim_context
    for sentence in analysis.sentences:
        theirs = view(sentence.text)
        if sentence.source_id == source_id or not mine.content & theirs.content:
            continue
        if compare(mine, theirs, context).kind in ("status", "figure"):
            return True
        # A headline is short: the same verb and two of its names, asserted where
        # the other outlet hedges or denies it ("meets Xi" / "could meet with Xi").
        if (len(mine.names & theirs.names) >= 2 and mine.main & theirs.content
                and not (mine.status.possible or mine.status.negated)
                and (theirs.status_near(mine.main).possible or theirs.status_near(mine.main).negated)):
            return True
    return False


def earliest_date(sources: Sequence[Source]) -> str | None:
    """The earliest publication date of the sources (YYYY-MM-DD), when any is known."""
    dates = [s.published[:10] for s in sources if s.published]
    return min(dates) if dates else None


def choose_date(
    sources: Sequence[Source], today: Callable[[], dt.date] | None = None, *, cited: Iterable[str] | None = None,
) -> str:
    """The news date: the latest publication date of the sources, else the build date.

    ``cited``: ids of the sources the brief cites; when any of them is dated,
    only they count (a stray article that no item cites does not date the news).
    """
    wanted = set(cited or ())
    dates = [s.published[:10] for s in sources if s.published and s.id in wanted]
    if not dates:
        dates = [s.published[:10] for s in sources if s.published]
    if dates:
        return max(dates)
    return (today or build_date)().isoformat()


def build_date() -> dt.date:
    """Today, or the day ``SOURCE_DATE_EPOCH`` names (reproducible builds: the same bytes on any day)."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


#: A bottom line gives way to a later report whose score is at least this share of its own.
RECENT_SCORE_SHARE = 0.9


def bottom_line(
    items: Sequence[Item], published: Mapping[str, str | None] | None = None, *, names: frozenset[str] = frozenset(),
    known_ranks: frozenset[int] = frozenset(), update: bool = False, introduced: frozenset[str] = frozenset(),
    leads: Mapping[str, int] | None = None, opinions: frozenset[str] = frozenset(),
) -> Item | None:
    """The brief in one line: the best-supported item that stands alone, the most central first.

    An update brief's line (and any brief's when no sentence can lead by
    :func:`central_line`, which chooses the others).

    A claim the known articles already state (``known_ranks``: the ranks of
    such items) comes after every new one: an update brief leads with what is
    new (``update``: articles are known; then rank, which the update ranking
    gives what is new first, decides before the score). Then an item a
    reader understands alone (no opening pronoun or back-reference, no bare
    surname of ``names`` that neither it nor the page's brackets introduce —
    the page has introduced nothing yet, not even the person most sources
    name; ``introduced``, lower-cased: surnames the articles the reader read
    before introduced —, and nothing :func:`leans_back`); then one whose
    main clause is not hedged (a worry that sick birds might carry a virus
    further is not the news); then one from a report, not from an opinion
    piece (``opinions``: their source ids; a column's "Creationists argue …"
    over a report's findings, in an editor's re-read of D0615); among those the widest
    verified support, where an item filed under Background needs one outlet
    more than the news to lead (stop 40: editors' reads of D0612, D0620, D0622
    and D0624 found each bottom line a definition or a fact of the story's
    past, which articles repeat as context, over the news: "Autism is a
    disorder …" at 2 outlets over a first federal study of its incidence at
    1; the seeds' first visit in five years, at 4 outlets, stays), then an
    article's lead (``leads``: source id → where its lead sentence starts; a
    lead is written to be read first and alone), then the ranking's score
    (support and centrality), then rank,
    then the latest source date; and of the near equals of the one chosen
    (all but a score within RECENT_SCORE_SHARE of its own), the latest
    report. The whole sentence, never cut. On the 40 dev briefs, labelled by
    hand: 35 usable bottom lines of 40 this way; 34 without the hedge rule,
    30 with support before standing alone and without :func:`leans_back`
    (stop 26: a line on an election's final count that names the winner
    only as "his" party, "Advance ticket sales begin a week earlier."), 28
    without the lead rule,
    24 with "an event first, then rank" (13 orphans: "Henderson pleaded
    guilty", "The Army Corps determined the road …"; an off-story editorial).
    """
    if not items:
        return None
    dates = published or {}

    def key(item: Item) -> tuple[bool, int, bool, bool, int, bool, int, float, int, str]:
        whole = item.evidence[0].text if item.evidence else item.text
        # A surname the page completes in brackets ("[Antony] Blinken") is introduced right there.
        completed = introduced | {surname.lower() for surname, _ in item.names}
        # An item of two sentences (``Item.context``) is none: a bottom line is one sentence.
        alone = not item.context and orphan_reason(whole, names, completed) is None and not leans_back(whole)
        central = float(item.rank) if update else -item.score
        lead = bool(leads and item.evidence and leads.get(item.source) == item.evidence[0].start)
        hedged = status_of(main_clause(whole)).possible
        background = item.section == "background"
        return (item.rank in known_ranks, 0 if alone else 1, hedged, item.source in opinions,
                background - item.support, background, 0 if lead else 1, central, item.rank,
                _negated_date(dates.get(item.source)))

    def day(item: Item) -> str:
        return (dates.get(item.source) or "")[:10]

    keys = [key(item) for item in items]
    best_key, best = min(zip(keys, items, strict=True), key=lambda pair: pair[0])
    if update or not day(best):
        return best
    # Among its near equals (standing alone, hedged, section, support and lead alike, a score at least
    # RECENT_SCORE_SHARE of the best), the latest report: editors' reads found bottom lines
    # that were true but no longer the news (a 1995 poll atop a brief whose sources ran to 1998).
    rivals = [item for item_key, item in zip(keys, items, strict=True) if item_key[:7] == best_key[:7]
              and item.score >= RECENT_SCORE_SHARE * best.score and day(item)]
    latest = max(rivals, key=lambda item: (day(item), -item.rank))
    return latest if day(latest) > day(best) else best


#: The bottom line's weight (:func:`central_line`): a lead sentence's topicality counts this many times ...
LINE_LEAD_FACTOR = 1.3
#: ... and every independent source beyond the first that states the sentence's claim adds this share of it.
LINE_SUPPORT_SHARE = 0.25
#: A chosen sentence that the line repeats leads instead when its weight is at least this share of the line's.
LINE_TWIN_SHARE = 0.9
#: The line is one of an article's first this many sentences (the top of a news story tells it), or a chosen one.
LINE_SENTENCES = 8


def central_line(
    analysis: Analysis, chosen: Sequence[int] = (), *, names: frozenset[str] = frozenset(),
    people: frozenset[str] = frozenset(), introduced: frozenset[str] = frozenset(),
    published: Mapping[str, str | None] | None = None, opinions: frozenset[str] = frozenset(),
    leads: Mapping[str, int] | None = None, skip: Collection[int] = (),
    story: tuple[frozenset[str], Mapping[str, float]] | None = None,
) -> tuple[int, int | None] | None:
    """The sentence to lead the brief with, the one that best tells what most of the articles are about.

    Of every sentence of the sources, not only the ``chosen`` ones: the
    highest :func:`~briefing.rank.topicality` of its words (the dateline's
    aside: the story's words, those most articles use, weigh most), times
    LINE_LEAD_FACTOR for an article's lead (``leads``: source id -> where
    its lead starts; a lead is written to be read first and alone) and
    1 + LINE_SUPPORT_SHARE for each independent source beyond the first
    that states it, among the sentences that can lead (:meth:`_LineTest.can_lead`).
    ``skip``: sentences that are items only with the sentence before them.
    ``story``: :func:`~briefing.rank.story_words` of the sentences (the core
    stems and the shares), when the selection's basis has them already.

    Returns the sentence and the chosen one it replaces, if any: a chosen
    sentence that it repeats (too similar, or stating its claim or figure,
    :func:`~briefing.rank.repeated_by`) leads instead when it can and weighs
    at least LINE_TWIN_SHARE of the line, else the line takes its place
    (the page says a thing once); a line no chosen sentence repeats is added
    (None). None when no sentence can lead.

    Only sentences among their article's first LINE_SENTENCES, or chosen:
    the top of a news story tells it, and weighing every sentence cost 0.5 s
    at 1,000 articles (issue 19).

    Editors' reads of fifteen dev clusters (stop 40) found twelve bottom
    lines true but not the story's main point: the line was the page item
    with the widest support (:func:`bottom_line`), then an article's lead, and with one source per
    claim that was one article's side story (a publisher's unsold books atop
    a brief on a film's opening). By hand labels of candidate lines of the
    40 dev clusters (main point, fair, side or unusable; stop 41,
    benchmarks/labels/bottom-lines.jsonl), that rule led 21 of the 40 briefs
    with a main or fair line (4 unusable); this, 27 (1). See docs/method.md §5a.
    """
    corr = analysis.corroboration
    sentences = corr.sentences
    if not sentences:
        return None
    words = analysis.ranking.words
    core, shares = story if story is not None else story_words(sentences, analysis.ranking.concepts)
    test = _LineTest(analysis, names, people, introduced, published, core)
    starts = leads or {}
    weighed = []
    on_page = frozenset(chosen)
    topical: dict[str, float] = {}  # by text: copies and mixes of stories repeat sentences (issue 19)
    for i, sentence in enumerate(sentences):
        if (sentence.index >= LINE_SENTENCES and i not in on_page) or not MIN_WORDS <= int(words[i]) <= MAX_WORDS \
                or sentence.source_id in opinions or i in skip:
            continue  # nor is any such sentence a chosen one's stand-in, below
        told = topical.get(sentence.text)
        if told is None:
            told = topical[sentence.text] = topicality(strip_dateline(sentence.text), shares)
        weight = told * (1.0 + LINE_SUPPORT_SHARE * (int(corr.support[i]) - 1))
        if starts.get(sentence.source_id) == sentence.start:
            weight *= LINE_LEAD_FACTOR
        weighed.append((-weight, i))
    weighed.sort()
    weight_of = {i: -negative for negative, i in weighed}
    for _, i in weighed:
        if not test.can_lead(i):
            continue
        if i in chosen:
            return i, None
        twin = repeated_by(corr, i, chosen)
        if twin is None:
            return i, None
        if twin in weight_of and weight_of[twin] >= LINE_TWIN_SHARE * weight_of[i] and test.can_lead(twin):
            return twin, None
        return i, twin
    return None


class _LineTest:
    """Can a sentence lead the brief (:func:`central_line`)?"""

    def __init__(self, analysis: Analysis, names: frozenset[str], people: frozenset[str],
                 introduced: frozenset[str], published: Mapping[str, str | None] | None, core: frozenset[str]):
        self.analysis = analysis
        self.names = names
        self.people = people
        self.introduced = introduced
        self.published = published
        self.latest = max((day for day in (published or {}).values() if day), default=None)
        self.core = core
        self.labels: dict[str, tuple[tuple[int, str], ...]] = {}  # segment labels per article (rank.segment_labels)

    def can_lead(self, i: int) -> bool:
        """Not opening or inside a quotation; on the story (CORE_WORDS of the ``core`` stems, as an item);
        standing alone (no opening pronoun or back-reference, no bare surname of ``names`` that neither its
        article completes, from ``people``, nor ``introduced`` names — the page has introduced nothing
        yet —, nothing :func:`leans_back`, not a teaser its next sentence turns round:
        :func:`~briefing.rank.turned_by_next`, nor a segment's sentence without its label:
        :func:`~briefing.rank.without_its_label`); not hedged; not overtaken by a later report."""
        corr = self.analysis.corroboration
        sentences = corr.sentences
        text = sentences[i].text
        if strip_dateline(text).lstrip()[:1] in OPEN_QUOTES:
            return False
        if self.core and len(self.core.intersection(content_stems(text))) < CORE_WORDS:
            return False
        article = [s.text for s in article_of(sentences, i)]
        completed = self.introduced | {surname.lower() for surname, _ in names_to_complete(text, article, self.people)}
        if orphan_reason(text, self.names, completed) is not None or leans_back(text):
            return False
        if corr.in_a_row(i, i + 1) and turned_by_next(sentences[i + 1].text):
            return False
        if status_of(main_clause(text)).possible or cut_from_context(sentences, i, self.labels):
            return False
        return self.published is None or stale_reason(
            corr, i, self.published, latest=self.latest, names=self.names) is None


def article_order(sections: Sequence[Section]) -> tuple[Section, ...]:
    """The sections with, inside each, the items one article gives with equal support in that article's order.

    The page orders a section by support; among equals, items quoted from
    one article take the places they hold in the order the article tells
    them, so a sentence follows the one that introduces what it refers to
    (an editor's read of D0603 found an item on what "the road" had violated
    above the item, from the same article, that introduces the logging road).
    """
    placed: list[Section] = []
    for section in sections:
        items = list(section.items)
        groups: dict[tuple[str, int], list[int]] = {}
        for k, item in enumerate(items):
            groups.setdefault((item.source, item.support), []).append(k)
        for places in groups.values():
            if len(places) > 1:
                told = sorted((items[k] for k in places), key=_own_offset)
                for k, item in zip(places, told, strict=True):
                    items[k] = item
        placed.append(replace(section, items=tuple(items)) if items != list(section.items) else section)
    return tuple(placed)


def _own_offset(item: Item) -> tuple[int, int]:
    """Where an item's sentence stands in the article it is quoted from (its rank when that is not known)."""
    start = next((e.start for e in item.evidence if e.source == item.source), None)
    return (0, start) if start is not None else (1, item.rank)


def introductions_first(
    sections: Sequence[Section], names: frozenset[str], introduced: frozenset[str] = frozenset(),
) -> tuple[Section, ...]:
    """The sections with, inside each, an item that gives a person's full name before the items that use it bare.

    Selection lets "Henderson pleaded guilty" onto a page that names Russell
    Henderson somewhere; a reader goes top down, so within a section the
    introducing item moves up to just before the first item that needs it
    (the order is otherwise kept). ``introduced``: surnames the reader has met
    before the sections (the bottom line, articles read before).
    """
    placed: list[Section] = []
    seen = set(introduced)
    for section in sections:
        order = introductions_order([item.text for item in section.items], names, frozenset(seen))
        items = [section.items[k] for k in order]
        seen |= introduced_surnames([item.text for item in items], names)
        placed.append(replace(section, items=tuple(items)) if order != sorted(order) else section)
    return tuple(placed)


def lead_starts(sentences: Sequence[Sentence]) -> dict[str, int]:
    """Where each source's lead begins: its first sentence of MIN_WORDS words or more (a title line is shorter)."""
    starts: dict[str, int] = {}
    for sentence in sentences:
        if sentence.source_id not in starts and word_count(sentence.text) >= MIN_WORDS:
            starts[sentence.source_id] = sentence.start
    return starts


def _negated_date(date: str | None) -> str:
    """A sort key that puts later dates first (and undated last)."""
    if not date:
        return "~"
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in date[:10])


def relevant_discrepancies(
    analysis: Analysis, chosen: Sequence[int], *, limit: int = MAX_DISCREPANCIES,
    names_seen: frozenset[str] | None = None,
) -> tuple[Discrepancy, ...]:
    """Disagreements on what the brief reports: a variant states a chosen item's claim.

    Most cited first, at most ``limit``. A figure that differs in a sentence
    the brief does not carry is not the reader's concern here. ``names_seen``:
    see :func:`briefing.discrepancies.find_discrepancies`.
    """
    from briefing.discrepancies import find_discrepancies

    corr = analysis.corroboration
    near: set[int] = set(chosen)
    for i in chosen:
        near.update(int(j) for j in corr.neighbours(i))
    near_texts = {analysis.sentences[i].text for i in near}
    # Only sentences within two hops of a chosen item can disagree with it;
    # extracting figures from every sentence of 1,000 articles costs seconds.
    reach = set(near)
    for i in near:
        reach.update(int(j) for j in corr.neighbours(i))
    found = [
        d for d in find_discrepancies(analysis.sources, analysis.sentences, corr, only=reach, names_seen=names_seen)
        if any(v.text in near_texts for v in d.variants)
    ]
    found.sort(key=lambda d: -sum(len(v.citations) for v in d.variants))
    return tuple(found[:limit])


def item_for(analysis: Analysis, i: int, rank: int, names: frozenset[str] = frozenset(), *,
             joined: bool = False) -> Item:
    """Sentence ``i`` as an item: verified citations with their evidence, in section "meetings" until planned.

    ``names``: the build's surnames; those the sentence uses alone are given
    with the full name its own article writes (``Item.names``), and so are
    the initials it does not spell out, with the name its article (else
    another source) spells out (:func:`briefing.acronyms.initials_to_complete`).

    ``joined``: the sentence is shown after the one before it in its article
    (``Item.context``), which it needs to be understood; a source is then
    cited only when it states both (:meth:`Corroboration.passage_evidence`),
    and the others that state sentence ``i``'s claim are listed as covering it.
    """
    corr = analysis.corroboration
    sentence = corr.sentences[i].text
    source_text = next((s.text for s in analysis.sources if s.id == corr.sentences[i].source_id), "")

    def displayed(text: str) -> str:
        # Shown without a leading dateline ("ISLAMABAD, Pakistan (AP) _"); the whole sentence is the
        # first evidence entry, with its offsets. "here" gets the place of its article's dateline.
        return typographic(shown(text, dateline_place(source_text) if "here" in text else None))

    shown_text = displayed(sentence)
    context = ""
    if joined:
        context = displayed(corr.sentences[i - 1].text)
        evidence, support = corr.passage_evidence(i - 1, i, analysis.sources)
        sentence = corr.sentences[i - 1].text + " " + sentence
        shown_text = context + " " + shown_text
        cited = {e.source for e in evidence}
        stating = {e.source for e in corr.evidence(i, analysis.sources)} - cited
        order = {source.id: k for k, source in enumerate(analysis.sources)}
        also = tuple(sorted(stating | set(corr.also_covering(i, analysis.sources)), key=order.__getitem__))
    else:
        evidence, support = corr.evidence(i, analysis.sources), corr.shown_support(i)
        also = corr.also_covering(i, analysis.sources)
    article = article_of(corr.sentences, i)
    return Item(
        text=shown_text,
        source=corr.sentences[i].source_id,
        citations=tuple(e.source for e in evidence),
        support=support,
        score=float(analysis.ranking.scores[i]),
        rank=rank,
        evidence=evidence,
        also=also,
        names=names_to_complete(sentence, (s.text for s in article), names) + initials_to_complete(
            shown_text, (s.text for s in article), (s.text for s in corr.sentences)),
        context=context,
    )


def with_file_offsets(items: Sequence[Item], sources: Sequence[Source]) -> list[Item]:
    """The items with each evidence sentence's offsets in its source file, where it stands there word for word.

    An evidence sentence's ``start``/``end`` index the text Briefing read (the
    cleaned text: boilerplate, a headline line, markup left out), which no one
    else has; a reader checks a citation in the file. Each cited local file is
    read again (once) and the sentence found in it, whatever the spacing: the
    occurrence nearest its place in the cleaned text. A URL, standard input,
    or a sentence the file does not hold word for word (HTML, Markdown) gets
    none.
    """
    paths = {s.id: s.path for s in sources if s.path and not s.url and Path(s.path).is_file()}
    texts: dict[str, str | None] = {}

    def located(e: Evidence) -> Evidence:
        path = paths.get(e.source)
        if path is None:
            return e
        if path not in texts:
            texts[path] = file_text(path)
        text = texts[path]
        span = locate(e.text, text, e.start) if text is not None else None
        return replace(e, file_start=span[0], file_end=span[1]) if span else e

    return [replace(item, evidence=tuple(located(e) for e in item.evidence)) for item in items]


def status_discrepancies(analysis: Analysis, chosen: Sequence[int], *, limit: int) -> tuple[Discrepancy, ...]:
    """Items whose claim other outlets report with another status: "reported as fact [2] vs possible [1, 3]".

    A source counts on the other side only when it has a sentence about the
    same claim (matching both ways) with a different status in the same time
    frame (hedged or negated where the item asserts, or the reverse), and
    none that states the item's claim; each main clause must be covered by the
    other sentence (a figure or date in common is not enough: a sentence on
    investigators trying to find out whether a crime brought a plane down,
    giving the toll in passing, is no dispute of "all 217 people died"), and one side must assert
    it ("possible" against "expected" disputes nothing). Two sides that read the same ("possible,
    not confirmed" both) are no disagreement; and a status that changed over
    days is news, not a dispute (like a toll that rose): a hedge dated before
    every source that asserts the claim, or an assertion dated after every
    source that hedges it, is left out (an editor's read of D0617 found "all
    217 feared dead" on the crash's first days set against "killing all 217").
    """
    corr = analysis.corroboration
    sources = analysis.sources
    order = {source.id: k for k, source in enumerate(sources)}
    dates = {source.id: source.published for source in sources}
    found: list[Discrepancy] = []
    for i in chosen:
        if len(found) >= limit:
            break
        citing = set(corr.citations(i, sources))
        others: dict[str, list[int]] = {}
        mine = view(corr.sentences[i].text)
        definite = not (mine.status.possible or mine.status.future)  # as fact or denied: not hedged, not ahead
        cited_dates = [day for day in (dates.get(source_id) for source_id in citing) if day]
        for j in corr.related(i, "status").tolist():
            source_id = corr.sentences[j].source_id
            theirs = view(corr.sentences[j].text)
            status = evidence_status(mine, theirs, corr.claim_context)
            # Past against future is two time frames, not a dispute; and the claim
            # must match both ways (neither sentence only a part of the other).
            if (source_id in citing or status.future != mine.status.future
                    or status.label() == mine.status.label()
                    or not (mine.status.asserted or status.asserted)
                    or compare(theirs, mine, corr.claim_context).kind == "unrelated"
                    or not same_main_claim(mine, theirs, corr.claim_context)):
                continue
            day = dates.get(source_id)
            if day and cited_dates and (
                    (definite and status.possible and day < min(cited_dates))
                    or (not definite and not status.possible and day > max(cited_dates))):
                continue  # hedged before anyone asserted it, or asserted after the item hedged: it changed
            others.setdefault(status.label(), []).append(j)
        if not others:
            continue
        variants = [Variant(
            text=typographic(corr.sentences[i].text), citations=tuple(sorted(citing, key=order.__getitem__)),
            value=mine.status.label(),
        )]
        for label, members in sorted(others.items()):
            cited = sorted({corr.sentences[j].source_id for j in members}, key=order.__getitem__)
            first = min(members, key=lambda j: (order[corr.sentences[j].source_id], j))
            variants.append(Variant(text=typographic(corr.sentences[first].text), citations=tuple(cited),
                                    value=label))
        found.append(Discrepancy(topic=f"Status: {_topic_words(corr.sentences[i].text)}", variants=tuple(variants)))
    return tuple(found)


def _topic_words(text: str, limit: int = 8) -> str:
    """The start of a sentence's main clause, cut at a word boundary: a label for a status note."""
    clause = main_clause(text).strip(" ,.;:")
    shown = clause.split()
    return " ".join(shown[:limit]) + ("…" if len(shown) > limit else "")


def build_brief(
    raws: Sequence[RawDocument], options: BuildOptions | None = None, *, warn: WarnFn | None = None,
    worker: Worker | None = None, known: Sequence[RawDocument] = (),
) -> Brief:
    """Everything up to rendering: the sectioned, cited brief (not yet fitted to a page).

    ``worker`` (see :mod:`briefing.worker`) shares the work; the brief is the same.
    ``known``: articles the reader has already seen (``--known``, :mod:`briefing.known`):
    the brief prefers what they do not say, and an item whose claim they gave
    another figure or status carries their sentence as ``earlier``.
    """
    with spared_collector():
        return _build_brief(raws, options, warn=warn, worker=worker, known=known)


def _build_brief(
    raws: Sequence[RawDocument], options: BuildOptions | None, *, warn: WarnFn | None,
    worker: Worker | None, known: Sequence[RawDocument],
) -> Brief:
    options = options or BuildOptions()
    with timed(log, "ingest and clean"):
        sources = prepare_sources(raws, warn=warn, worker=worker)
        _keep_long_lived()
        if worker is not None and len(sources) > MAX_NEAR_COPIES:
            # Shared with the worker here, then remembered for the near-copy limit and corroboration.
            text_groups(tuple(source.text for source in sources), worker=worker)
        # Issue 14: a flood of near-copies would grow the similarity graph with its square.
        sources = ingest.limit_near_copies(sources, warn=warn)
        left_out: tuple[str, ...] = ()
        splitting: list[Callable[[], Spans]] = []
        if not options.keep_off_topic:
            ahead = sources

            def split_ahead() -> None:
                # The worker splits the texts into sentences while this process finds the articles
                # off the story, when it had nothing to do (issue 19); the few left out are split
                # for nothing.
                started = _start_spans(worker, ahead)
                if started is not None:
                    splitting.append(started)

            sources, left_out = leave_out_off_topic(sources, warn=warn, worker=worker, meanwhile=split_ahead)
    _require_sources(sources, raws)
    # From PARALLEL_SELECT_FROM sources, the worker reads the surnames and the opinion pieces the
    # selection needs, and the names the discrepancies need (issue 19). Each is sent when the
    # worker has no job of the analysis (analyse's moments): the opinion pieces (of the first
    # sources, see opinion_first) once the claim views are made, the surnames, the other opinion
    # pieces and the names once the similarity graph is (this process then screens the pairs of
    # sentences to compare, and the worker's share of the pairs adapts). Sent together once the
    # claims were compared,
    # the first two kept this process waiting 0.7 s in select at 1,000 articles; sent before
    # the sentences were split, the opinion job had delayed the worker's half of them by 0.3 s.
    parallel = worker is not None and len(sources) >= PARALLEL_SELECT_FROM
    surnames_job: list[Job[tuple[frozenset[str], frozenset[str]]]] = []
    names_job: list[Job[frozenset[str]]] = []  # the names seen mid-sentence
    opinion_job: list[Job[list[str | None]]] = []
    # How many sources the opinion job of the "views" moment reads: about as many of their
    # sentences as there are distinct ones, which this process meanwhile stems and weighs
    # (each about as long); the rest are read once the graph is made. At 10,000 articles,
    # mostly recombined, all of them had held up the worker's half of the graph 3 s.
    opinion_first = [len(sources)]
    # The independent groups, once corroboration knows them; then the selection's basis (see basis_ahead).
    groups_known: list[tuple[int, ...]] = []
    basis: list[SelectionBasis] = []

    def hand_over(moment: str, sentences: Sequence[Sentence]) -> None:
        from briefing.discrepancies import names_seen_mid_sentence
        from briefing.worker import warm_up

        if worker is None:
            return
        if moment == "views":
            budget = len({s.text for s in sentences})
            counts = Counter(s.source_id for s in sentences)
            read = 0
            for k, source in enumerate(sources):
                read += counts[source.id]
                if read > budget:
                    opinion_first[0] = k
                    break
            opinion_job.append(worker.submit(opinion_reasons, [s.text for s in sources[:opinion_first[0]]]))
        elif moment == "graph":
            texts = [s.text for s in sentences]
            surnames_job.append(worker.submit(surname_sets, texts))
            if opinion_first[0] < len(sources):
                opinion_job.append(worker.submit(opinion_reasons, [s.text for s in sources[opinion_first[0]:]]))
            names_job.append(worker.submit(names_seen_mid_sentence, texts))
        elif moment == "compare":
            if warm_ranking(sentences) and groups_known:
                basis.append(basis_ahead(sources, sentences, groups_known[0]))
        elif "pdf" in options.formats:
            # A worker started cold for many sources (briefing.cli) loads WeasyPrint now,
            # while this process ranks and selects; one started warm has nothing left to do.
            worker.submit(warm_up)

    analysis = analyse(sources, worker=worker, meanwhile=hand_over if parallel else None,
                       split=splitting[0] if splitting else None, grouped=groups_known.append if parallel else None)
    corr = analysis.corroboration
    merged: list[int] = []
    published = {s.id: s.published for s in sources}
    seen = known_sentences(known, warn=warn)
    matches = match_known(corr, seen)
    with timed(log, "select"):
        # Surnames of the whole build: the selection and the bottom line judge bare surnames by them;
        # the page completes the wider set's (``people``) in brackets.
        names, people = surnames_job[0].result() if surnames_job else surname_sets([s.text for s in corr.sentences])
        opinions = opinion_sources(sources, warn=warn, reasons=[
            reason for job in opinion_job for reason in job.result()] if opinion_job else None)
        joined: set[int] = set()
        chosen = select(corr, analysis.ranking, max_items=options.max_items, merged=merged,
                        published=published, known=seen, known_matches=matches, names=names,
                        not_items=opinions, latest_slot=True, basis=basis[0] if basis else None, joined=joined)
    # Names the known articles introduced; and ranks that keep an introduction above the items
    # needing it, since fitting the page keeps the best-ranked items.
    read_before = introduced_surnames((s.text for s in seen.sentences), names)
    chosen = introductions_ranked_first(chosen, corr.sentences, names, read_before, joined=joined)
    leads = lead_starts(analysis.sentences)
    # The bottom line: the sentence that best tells what most articles are about, chosen or not. An update
    # brief leads with what is new instead (bottom_line, among the chosen).
    with timed(log, "bottom line"):
        found = None if seen.sentences else central_line(
            analysis, chosen, names=names, people=people, introduced=read_before, published=published,
            opinions=opinions, leads=leads, skip=joined,
            story=(basis[0].core, basis[0].shares) if basis else None)
    central = None
    if found is not None:
        central, replaced = found
        if replaced is not None:  # a chosen sentence it repeats, which cannot lead
            chosen[chosen.index(replaced)] = central
            joined.discard(replaced)
        elif central not in chosen:
            chosen = [central, *chosen][:options.max_items]
    restated = known_claims(matches)
    items = with_file_offsets(assign_sections(
        [with_earlier(item_for(analysis, i, rank, people, joined=i in joined), matches.get(i), seen,
                      rising=rose_from(analysis, i, published))
         for rank, i in enumerate(chosen, start=1)], options.sections, earliest=earliest_date(sources),
        published=published,
        read_before={rank for rank, i in enumerate(chosen, start=1) if i in restated and matches[i].states}), sources)
    with timed(log, "count claims"):
        claims = count_claims(corr, analysis.ranking)
    with timed(log, "discrepancies"):
        discrepancies = relevant_discrepancies(analysis, chosen,
                                               names_seen=names_job[0].result() if names_job else None)
        discrepancies += status_discrepancies(analysis, chosen, limit=MAX_DISCREPANCIES - len(discrepancies))
    stats: dict[str, object] = {
        "sources": len(sources),
        "independent_sources": corr.n_outlets,
        "sentences": len(analysis.sentences),
        "claims": claims,
        # Candidates left out because they restate (or dispute) a chosen item's claim.
        "merged": len(set(merged)),
        # Articles far from the story the others tell, left out before ranking (--keep-off-topic keeps them).
        "off_topic": list(left_out),
        # Wall time is printed on stderr, not stored: brief.json must be
        # byte-identical for the same inputs.
        "seconds": None,
    }
    known_ranks = frozenset(rank for rank, i in enumerate(chosen, start=1) if i in restated)
    # The source list marks opinion pieces: an editorial backing an item is a paper's view of it.
    marked = tuple(replace(s, opinion=s.opinion or "opinion") if s.id in opinions else s for s in sources)
    if central is not None:  # central_line's choice, made an item above
        line = next((item for item in items if item.rank == chosen.index(central) + 1), None)
    else:
        line = bottom_line(items, published, names=names, known_ranks=known_ranks, introduced=read_before,
                           update=bool(seen.sentences), leads=leads,
                           opinions=frozenset(s.id for s in marked if s.opinion))
    return Brief(
        title=options.title or choose_title(marked, items, analysis, line) or title_from(line),
        date=options.date or choose_date(sources, cited={c for item in items for c in item.citations}),
        built=build_date().isoformat(),
        bottom_line=line,
        dated=options.date is not None or any(s.published for s in sources),
        sources=marked,
        sections=introductions_first(
            article_order(group_sections(items, dates=published)), names,
            read_before | (introduced_surnames([line.text], names) if line is not None else frozenset())),
        discrepancies=discrepancies,
        stats=stats,
        independent=corr.n_outlets,
    )


def leave_out_off_topic(
    sources: Sequence[Source], *, warn: WarnFn | None = None, worker: Worker | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[tuple[Source, ...], tuple[str, ...]]:
    """The sources without those far from the story (:mod:`briefing.offtopic`), renumbered; and who left.

    One warning names each article left out, with its similarity and the
    median article's, so that a reader can judge and ``--keep-off-topic``.
    ``meanwhile``: called when the worker has no job of this step (:func:`~briefing.offtopic.off_topic`).
    """
    from briefing.offtopic import off_topic

    far = off_topic(sources, worker=worker, meanwhile=meanwhile)
    if not far:
        return tuple(sources), ()
    names = tuple(sources[o.index].url or sources[o.index].path or sources[o.index].name for o in far)
    if warn is not None:
        for name, o in zip(names, far, strict=True):
            words = len(sources[o.index].text.split())
            # A notice left by a feed (a syndicate's sales line, an empty story's credits) is short: say so.
            short = f"; only {words} words" if words < NOTICE_WORDS else ""
            warn(f"left out {name}: far from the story the other articles tell (similarity {o.similarity:.2f}, "
                 f"the median article's {o.median:.2f}{short}); --keep-off-topic keeps it")
    dropped = {o.index for o in far}
    kept = [source for k, source in enumerate(sources) if k not in dropped]
    return tuple(replace(source, id=f"s{k}") for k, source in enumerate(kept, start=1)), names


#: An article left out as off-topic with fewer words than this has its length in the warning (an editor's
#: read of D0601: two syndicate sales notices, no story at all, were reported only as "far from the story").
NOTICE_WORDS = 60


def opinion_reasons(texts: Sequence[str]) -> list[str | None]:
    """:func:`clean.opinion_reason` of each text (a job for the second process)."""
    return [clean.opinion_reason(text) for text in texts]


def opinion_sources(
    sources: Sequence[Source], *, warn: WarnFn | None = None, reasons: Sequence[str | None] | None = None,
) -> frozenset[str]:
    """Ids of the sources written as columns, reviews, letters or interviews (:func:`clean.opinion_reason`).

    Their sentences still back other items, and are items themselves only where
    another outlet reports the same (a column may state a fact): a satire's
    praise of a junta, read as news, says the opposite of what its writer
    means. One warning names each. ``reasons``: :func:`opinion_reasons` of the
    sources' texts, when already read.
    """
    found = []
    if reasons is None:
        reasons = opinion_reasons([source.text for source in sources])
    for source, reason in zip(sources, reasons, strict=True):
        if source.opinion == "editorial":
            reason = "an editorial (its heading says so)"
        elif source.opinion == "opinion" and reason is None:
            reason = "a column, commentary or review (its heading or its writer's sign-off says so)"
        if reason is not None:
            found.append(source.id)
            if warn is not None:
                warn(f"{source.url or source.path or source.name}: {reason}; its sentences are items only "
                     "where another outlet reports them too")
    return frozenset(found)


def write_brief(
    brief: Brief, out_dir: Path, options: BuildOptions | None = None, *, worker: Worker | None = None
) -> tuple[Brief, list[Path]]:
    """Fit the brief to one page and write the chosen formats atomically (:func:`render_brief`, then write)."""
    from briefing.output import write_files

    final, files = render_brief(brief, options, worker=worker)
    return final, write_files(out_dir, files)


def render_brief(
    brief: Brief, options: BuildOptions | None = None, *, worker: Worker | None = None
) -> tuple[Brief, dict[str, bytes]]:
    """Fit the brief to one page and render the chosen formats: the fitted brief and ``brief.<fmt>`` -> bytes.

    ``worker``, when given, fits the page in the second process (see
    :mod:`briefing.worker`); the result is the same.
    """
    from briefing.fit import fit_to_page_with
    from briefing.output import brief_json
    from briefing.render import render_markdown, render_page_html

    options = options or BuildOptions()

    def finished(fitted_brief: Brief, font_pt: float) -> Brief:
        return replace(
            fitted_brief,
            stats={
                **fitted_brief.stats,
                "items": len(fitted_brief.items),
                "omitted": len(fitted_brief.omitted),
                "page": options.page,
                "font_pt": font_pt,
            },
        )

    def rendered(final: Brief) -> dict[str, bytes]:
        # Only the formats asked for are rendered (``--format json`` rendered the page and the Markdown too).
        renderers: dict[str, Callable[[], bytes]] = {
            # The HTML page is not limited to one printed page: every item (issue 18).
            "html": lambda: render_page_html(final, page=options.page).encode("utf-8"),
            "json": lambda: brief_json(final).encode("utf-8"),
            "md": lambda: render_markdown(final).encode("utf-8"),
        }
        return {f"brief.{fmt}": renderers[fmt]() for fmt in FORMATS if fmt in options.formats and fmt != "pdf"}

    # While the worker lays out the page the font metrics predict, the other formats are
    # rendered for that page, and kept if the layout confirms it (as it mostly does): 0.17 s
    # at 1,000 articles that had come after the layout (issue 19).
    guessed: list[tuple[Brief, dict[str, bytes]]] = []

    def meanwhile(candidate: Brief, font_pt: float) -> None:
        final = finished(candidate, font_pt)
        guessed.append((final, rendered(final)))

    with timed(log, "fit to one page"):
        # No PDF asked for: the page is fitted from font metrics, without WeasyPrint (issue 19).
        fitted = fit_to_page_with(worker, brief, page=options.page, pdf="pdf" in options.formats,
                                  meanwhile=meanwhile)
    final = finished(fitted.brief, fitted.font_pt)
    others = guessed[0][1] if guessed and guessed[0][0] == final else rendered(final)
    files = {f"brief.{fmt}": fitted.pdf if fmt == "pdf" else others[f"brief.{fmt}"]
             for fmt in FORMATS if fmt in options.formats}
    return final, files


def summarize(
    raws: Sequence[RawDocument], *, words: int, warn: WarnFn | None = None, known: Sequence[RawDocument] = (),
    keep_off_topic: bool = False,
) -> list[str]:
    """The ranked, non-redundant sentences, best first, cut to ``words`` words.

    ``known``: articles the reader has already seen (see :mod:`briefing.known`).
    Articles far from the story are left out as in :func:`build_brief` unless ``keep_off_topic``.
    """
    if words < 1:
        raise UsageError("--words must be at least 1")
    sources = ingest.limit_near_copies(prepare_sources(raws, warn=warn), warn=warn)  # issue 14
    if not keep_off_topic:
        sources, _ = leave_out_off_topic(sources, warn=warn)
    _require_sources(sources, raws)
    analysis = analyse(sources)
    joined: set[int] = set()
    chosen = select(analysis.corroboration, analysis.ranking, max_words=words,
                    known=known_sentences(known, warn=warn),
                    published={s.id: s.published for s in sources}, not_items=opinion_sources(sources, warn=warn),
                    latest_slot=True, joined=joined)
    # As the page shows them: without a leading dateline (which the word budget does not count either).
    # An item of two sentences (``joined``) reads as the page shows it: the sentence before, then its own.
    texts = [" ".join(shown(analysis.sentences[k].text) for k in ((i - 1, i) if i in joined else (i,)))
             for i in chosen]
    return cut_to_words(texts, words)


def with_earlier(item: Item, match: KnownMatch | None, known: Known, *, rising: Earlier | None = None) -> Item:
    """``item`` with the known sentence that gave its claim another figure or status, if any.

    Else ``rising``: an earlier-dated source's lower figure of the toll the item gives (:func:`rose_from`).
    """
    if match is None or match.kind == "known":
        return item if rising is None else replace(item, earlier=rising)
    return replace(item, earlier=known.earlier(match))


def rose_from(analysis: Analysis, i: int, published: Mapping[str, str | None]) -> Earlier | None:
    """Where a growing toll in sentence ``i`` stood before: the earliest lower figure an earlier-dated source gave.

    "at least 10,059 dead" on 21 August, with "600 people have been confirmed
    dead" on 17 August: the page shows the latest figure and, under it,
    "Earlier: “… 600 …” (Outlet, 17 Aug)" — a toll that rose across days is
    news, not a disagreement.
    """
    lower = toll_moves(analysis.corroboration, i, published, later=False)
    if not lower:
        return None
    earlier = analysis.corroboration.sentences[min(lower)[1]]
    source = next(s for s in analysis.sources if s.id == earlier.source_id)
    return Earlier(typographic(shown(earlier.text)), source.name, source.published,
                   "figure")


def known_sentences(raws: Sequence[RawDocument], *, warn: WarnFn | None = None) -> Known:
    """The sentences of the articles the reader has already seen (none: nothing known)."""
    if not raws:
        return NOTHING_KNOWN
    with timed(log, "known sources"):
        return Known.from_sources(prepare_sources(raws, warn=warn))


def summarize_documents(texts: Sequence[str], *, words: int, known: Sequence[str] = ()) -> list[str]:
    """:func:`summarize` over plain article texts (used by the benchmarks)."""
    def raws(texts: Sequence[str], prefix: str) -> list[RawDocument]:
        return [RawDocument(data=t.encode("utf-8"), path=f"{prefix}{k + 1}.txt") for k, t in enumerate(texts)]

    return summarize(raws(texts, "doc"), words=words, known=raws(known, "known"))


def cut_to_words(sentences: Sequence[str], words: int) -> list[str]:
    """Keep sentences until ``words`` whitespace words; the last one is truncated."""
    out: list[str] = []
    left = words
    for sentence in sentences:
        if left <= 0:
            break
        tokens = sentence.split()
        out.append(" ".join(tokens[:left]) if len(tokens) > left else sentence)
        left -= min(left, len(tokens))
    return out

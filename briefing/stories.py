"""Stories: a day's mixed articles grouped by event, one brief per story, and an index page.

A folder or feed that mixes events must not become one brief that mixes
them. ``run_stories`` reads every source once, groups the articles into
stories (TF-IDF over the stems of title and text, average-linkage
agglomerative clustering under a cosine-distance threshold tuned in
``benchmarks/stories.py``; scikit-learn's numbers, computed with SciPy), builds one brief per story that has at
least ``min_sources`` independent outlets (each a :mod:`briefing.jobs` job,
so ``--jobs`` and ``--scheduler`` apply), and writes::

    DIR/<story-slug>/brief.{pdf,html,json,md}
    DIR/index.json     the stories, most independent outlets first
    DIR/index.html     the same as a page linking to each brief

Publication dates are not a feature: one event is reported over days and
months (the DUC 2007 update topics span a season), and wording, not the
calendar, tells two events in one place apart. See docs/stories.md.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.articles import similarity_matrix
from briefing.errors import NoUsableSourceError
from briefing.ingest import RawDocument
from briefing.jobs import BriefRequest, BriefResult, run_jobs
from briefing.model import Brief, Source
from briefing.pipeline import BuildOptions, earliest_date, prepare_sources
from briefing.settings import MIN_SOURCES

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: Cosine distance between two groups' TF-IDF vectors (average linkage) under which they are one story.
#: Tuned on half of the benchmark's clusters (benchmarks/results/stories.md).
DISTANCE_THRESHOLD = 0.9
#: ``briefing build`` warns when its sources hold at least two groups of this many articles.
MIXED_GROUP_SIZE = 3
#: Stories named in that warning, at most.
MIXED_NAMED = 4
#: The warning looks at most this many sources, evenly spread (the similarity matrix grows with the square).
MIXED_SAMPLE = 200
#: Longest story slug, in characters (a folder name).
SLUG_LENGTH = 60

WarnFn = Callable[[str], None]


# ------------------------------------------------------------------------ grouping


def group_sources(
    sources: Sequence[Source], *, threshold: float = DISTANCE_THRESHOLD,
) -> tuple[tuple[int, ...], ...]:
    """Indices of the sources of each story, in input order; the largest story first, then by first index."""
    return _groups(similarity_matrix(sources), threshold) if len(sources) > 1 else tuple(
        (i,) for i in range(len(sources)))


#: scipy's code for average linkage (``scipy.cluster.hierarchy._LINKAGE_METHODS["average"]``).
_AVERAGE = 2


def average_linkage(condensed: npt.NDArray[np.float64], n: int) -> npt.NDArray[np.float64]:
    """``scipy.cluster.hierarchy.linkage(condensed, method="average")``, without importing that module.

    Importing it loads ``scipy.cluster`` and ``scipy.spatial`` (0.25 to 0.4 s,
    in every ``briefing build`` of enough sources for :func:`mixed_warning`,
    issue 19) for one call: ``linkage`` checks the distances and hands them
    to the compiled ``scipy.cluster._hierarchy.nn_chain``, called here
    directly on the same array (the same merges). The distances here are
    finite by construction. Should that module not load this way, the
    public function is used.
    """
    import numpy as np

    distances = np.ascontiguousarray(condensed, dtype=np.float64)
    try:
        hierarchy = _compiled_hierarchy()
        return np.asarray(hierarchy.nn_chain(distances, n, _AVERAGE), dtype=np.float64)
    except Exception:  # another scipy: the usual way
        from scipy.cluster.hierarchy import linkage

        return np.asarray(linkage(distances, method="average", metric="precomputed"), dtype=np.float64)


def _compiled_hierarchy() -> Any:
    """``scipy.cluster._hierarchy``, imported through an empty ``scipy.cluster`` package when that is not loaded.

    As :func:`briefing.segment._import_nltk_parts` does for NLTK: the empty
    package is taken out of ``sys.modules`` again, so that anyone who
    imports ``scipy.cluster`` later gets the whole package (which finds the
    compiled module already loaded).
    """
    import importlib
    import sys
    import types

    if "scipy.cluster" in sys.modules:
        return importlib.import_module("scipy.cluster._hierarchy")
    import scipy

    package = types.ModuleType("scipy.cluster")
    package.__path__ = [f"{folder}/cluster" for folder in scipy.__path__]
    sys.modules["scipy.cluster"] = package
    try:
        return importlib.import_module("scipy.cluster._hierarchy")
    finally:
        if sys.modules.get("scipy.cluster") is package:
            del sys.modules["scipy.cluster"]


def _groups(similarity: npt.NDArray[np.float64], threshold: float) -> tuple[tuple[int, ...], ...]:
    """Average-linkage clusters, merged while the merge distance is under ``threshold``.

    scikit-learn's ``AgglomerativeClustering(metric="precomputed", linkage="average",
    distance_threshold=threshold)`` builds the same scipy linkage and keeps
    its first merges, one per merge distance below the threshold; done here
    directly, without importing scikit-learn.
    """
    import numpy as np

    n = len(similarity)
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    upper_i, upper_j = np.triu_indices(n, k=1)
    merges = average_linkage(distance[upper_i, upper_j], n)
    kept = len(merges) - int(np.count_nonzero(merges[:, 2] >= threshold))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for step, (left, right) in enumerate(merges[:kept, :2].astype(int).tolist()):
        members[n + step] = members.pop(left) + members.pop(right)
    return tuple(sorted((tuple(sorted(m)) for m in members.values()), key=lambda g: (-len(g), g[0])))


def central_title(sources: Sequence[Source], group: Sequence[int], similarity: npt.NDArray[np.float64]) -> str:
    """The headline of the group's most typical article (closest to the others); the first on ties."""
    ranked = sorted(group, key=lambda i: (-float(similarity[i, list(group)].sum()), i))
    titled = [i for i in ranked if sources[i].title]
    return sources[titled[0]].title if titled else f"{len(group)} untitled articles"


def mixed_warning(sources: Sequence[Source]) -> str | None:
    """A warning naming the stories when ``sources`` look like several, else None.

    Cheap enough for every ``briefing build``: nothing is computed below
    two groups' worth of sources.
    """
    if len(sources) < 2 * MIXED_GROUP_SIZE:
        return None
    sample = list(sources)
    if len(sample) > MIXED_SAMPLE:
        step = len(sample) / MIXED_SAMPLE
        sample = [sample[int(k * step)] for k in range(MIXED_SAMPLE)]
    similarity = similarity_matrix(sample)
    big = [g for g in _groups(similarity, DISTANCE_THRESHOLD) if len(g) >= MIXED_GROUP_SIZE]
    if len(big) < 2:
        return None
    named = "; ".join(f"“{central_title(sample, g, similarity)}” ({len(g)} articles)" for g in big[:MIXED_NAMED])
    more = f"; and {len(big) - MIXED_NAMED} more" if len(big) > MIXED_NAMED else ""
    among = f" (in a sample of {len(sample)} of the {len(sources)} articles)" if len(sample) < len(sources) else ""
    return (f"the sources look like {len(big)} different stories{among}: {named}{more}. "
            "This brief mixes them; `briefing stories` writes one brief per story")


# ------------------------------------------------------------------------- the run


@dataclass(frozen=True)
class StoryEntry:
    """One story of the index: its brief's title and bottom line, outlets, dates and folder."""

    slug: str
    title: str
    bottom_line: str | None
    outlets: int
    articles: int
    first: str | None
    last: str | None

    def to_dict(self, rank: int) -> dict[str, Any]:
        return {
            "rank": rank, "slug": self.slug, "title": self.title, "bottom_line": self.bottom_line,
            "outlets": self.outlets, "articles": self.articles,
            "dates": {"first": self.first, "last": self.last},
            "link": f"{self.slug}/brief.html",
        }


@dataclass(frozen=True)
class StoriesReport:
    """What a stories run found and wrote."""

    out_dir: Path
    articles: int
    groups: int
    stories: tuple[StoryEntry, ...]
    #: Groups not briefed: fewer articles or independent outlets than ``min_sources``, or failed.
    left_out: int
    min_sources: int
    paths: tuple[Path, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles, "groups": self.groups, "min_sources": self.min_sources,
            "left_out": self.left_out,
            "stories": [story.to_dict(rank) for rank, story in enumerate(self.stories, start=1)],
        }

    def to_json(self) -> str:
        """index.json's text: no clock, no absolute path, so the same inputs give the same bytes."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def prepare_each(raws: Sequence[RawDocument], *, warn: WarnFn | None = None) -> list[tuple[RawDocument, Source]]:
    """The usable raw documents, each with its cleaned source (unusable ones are skipped with a warning)."""
    usable: list[tuple[RawDocument, Source]] = []
    for raw in raws:
        # One at a time, so each source is known to come from its own raw document.
        prepared = prepare_sources([raw], warn=warn)
        if prepared:
            usable.append((raw, prepared[0]))
    return usable


def story_requests(
    pairs: Sequence[tuple[RawDocument, Source]], groups: Sequence[Sequence[int]], options: BuildOptions,
    *, min_sources: int,
) -> list[BriefRequest]:
    """One job per group with enough articles to reach ``min_sources`` outlets, articles in input order."""
    return [
        BriefRequest(name=f"story {k}", raws=tuple(pairs[i][0] for i in sorted(group)), options=options)
        for k, group in enumerate(groups, start=1) if len(group) >= min_sources
    ]


def outlet_count(brief: Brief) -> int:
    """Independent outlets of a brief, the "n" of its "k of n": syndicated copies of one wire
    story, articles of one named outlet and sources naming no outlet each count once."""
    return brief.independent


def entry_for(brief: Brief, slug: str) -> StoryEntry:
    dates = [s.published[:10] for s in brief.sources if s.published]
    return StoryEntry(
        slug=slug, title=brief.title, bottom_line=brief.bottom_line.text if brief.bottom_line else None,
        outlets=outlet_count(brief), articles=len(brief.sources),
        first=earliest_date(brief.sources), last=max(dates) if dates else None,
    )


def rank_key(entry: StoryEntry) -> tuple[int, int, str, str]:
    """Most independent outlets first, then most articles, then the latest, then by title."""
    latest = entry.last or ""
    negated = "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in latest)
    return (-entry.outlets, -entry.articles, negated or "~", entry.title)


def slugify(title: str, *, limit: int = SLUG_LENGTH) -> str:
    """A folder name from a title: ASCII letters and digits joined by hyphens, cut at a word."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or "story"


def unique_slugs(titles: Sequence[str]) -> list[str]:
    """A slug per title, ``-2``, ``-3``… added where two stories would share a folder."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for title in titles:
        base = slugify(title)
        count = seen.get(base, 0) + 1
        seen[base] = count
        out.append(base if count == 1 else f"{base}-{count}")
    return out


def run_stories(
    raws: Sequence[RawDocument], out_dir: Path, *, options: BuildOptions | None = None,
    min_sources: int = MIN_SOURCES, jobs: int = 1, scheduler: str | None = None,
    threshold: float = DISTANCE_THRESHOLD, warn: WarnFn | None = None,
    progress: Callable[[str], None] | None = None,
) -> StoriesReport:
    """Group ``raws`` into stories, brief each story with ``min_sources`` independent outlets, write the index.

    Raises :class:`NoUsableSourceError` when no source can be read; a run
    that finds no story big enough still writes an empty index.
    """
    from briefing.output import write_files

    say = progress or (lambda message: None)
    options = options or BuildOptions()
    pairs = prepare_each(raws, warn=warn)
    if not pairs:
        raise NoUsableSourceError.all_skipped(len(raws)) if raws else NoUsableSourceError("no source given")
    groups = group_sources([source for _, source in pairs], threshold=threshold)
    requests = story_requests(pairs, groups, options, min_sources=min_sources)
    say(f"grouped {len(pairs)} articles into {len(groups)} stories; "
        f"{len(requests)} with at least {min_sources} articles to brief")
    built: list[tuple[Brief, dict[str, bytes]]] = []
    for result in run_jobs(requests, jobs=jobs, scheduler=scheduler):
        kept = _keep(result, min_sources, warn)
        if kept is not None:
            built.append(kept)
    entries = [entry_for(brief, "") for brief, _ in built]
    order = sorted(range(len(built)), key=lambda k: rank_key(entries[k]))
    slugs = unique_slugs([entries[k].title for k in order])
    ranked: list[StoryEntry] = []
    paths: list[Path] = []
    for k, slug in zip(order, slugs, strict=True):
        ranked.append(entry_for(built[k][0], slug))
        paths.extend(write_files(out_dir / slug, built[k][1]))
    report = StoriesReport(out_dir=out_dir, articles=len(pairs), groups=len(groups), stories=tuple(ranked),
                           left_out=len(groups) - len(ranked), min_sources=min_sources)
    paths.extend(write_files(out_dir, {
        "index.json": report.to_json().encode("utf-8"),
        "index.html": render_index(report).encode("utf-8"),
    }))
    return replace(report, paths=tuple(paths))


def _keep(result: BriefResult, min_sources: int, warn: WarnFn | None) -> tuple[Brief, dict[str, bytes]] | None:
    """A built story's brief and files when it has enough independent outlets; its warnings passed on."""
    for message in result.warnings:
        if warn is not None:
            warn(message)
    if result.error is not None or result.brief is None:
        if warn is not None:
            warn(f"{result.name}: not briefed: {result.error}")
        return None
    outlets = outlet_count(result.brief)
    if outlets < min_sources:
        # Several articles of one outlet, or copies of one wire story, are one outlet.
        if warn is not None:
            warn(f"{result.name}: not briefed: {outlets} independent outlet{'s' if outlets != 1 else ''} "
                 f"(--min-sources {min_sources})")
        return None
    return result.brief, dict(result.files)


def render_index(report: StoriesReport) -> str:
    """index.html: the stories as a ranked list, each linking to its brief."""
    from briefing.render import html_environment

    template = html_environment().get_template("stories.html.j2")
    return template.render(report=report, stories=list(_with_rank(report.stories)))


def _with_rank(stories: Sequence[StoryEntry]) -> Iterator[tuple[int, StoryEntry]]:
    yield from enumerate(stories, start=1)

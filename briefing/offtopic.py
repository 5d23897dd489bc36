"""Articles far from the story the others tell: reported and left out before ranking.

A folder about one event often carries strays: a news service's digest of
unrelated stories, a columnist's bio filed as its own document, a stock-index
table. Their sentences are not claims of the story, yet once chosen they look
like any other item. Articles are compared as stories are grouped
(:func:`briefing.articles.similarity_matrix`: TF-IDF over the stems of title
and text); an article whose mean cosine to the other articles is below
``OFF_TOPIC_SHARE`` of the median article's is off the story. Nothing is
judged below ``MIN_SOURCES`` articles: the median of a handful says little.
The share was chosen on the DUC clusters (docs/method.md, section 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing.model import Source

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np
    import numpy.typing as npt

    from briefing.worker import Worker

__all__ = ["MIN_SOURCES", "OFF_TOPIC_SHARE", "OffTopic", "off_topic"]

#: An article is off the story below this share of the median article's mean similarity.
OFF_TOPIC_SHARE = 0.44
#: Fewer articles than this are never judged.
MIN_SOURCES = 6


@dataclass(frozen=True)
class OffTopic:
    """One article left out: its position among the sources, its similarity and the median's."""

    index: int
    similarity: float
    median: float


#: Up to this many sources every mean is computed exactly; beyond, quick sums
#: decide and only the rows near the median or the cut are computed exactly.
EXACT_SUMS_UP_TO = 256
#: How far (a share of the largest sum) a quick sum is taken to be from the
#: exact one: rounding alone keeps them within about 1e-12 of it.
SUM_SLACK = 1e-6


def off_topic(sources: Sequence[Source], *, worker: Worker | None = None,
              meanwhile: Callable[[], None] | None = None) -> tuple[OffTopic, ...]:
    """The sources far from the story the others tell, in input order (none below ``MIN_SOURCES``).

    An article's similarity is the mean of its row of
    :func:`briefing.articles.similarity_matrix`, less its own entry. The
    matrix itself is never made (issue 19: with its sparse product, 2 GB
    and most of the time at 10,000 articles). Up to ``EXACT_SUMS_UP_TO``
    articles each row's sum is computed exactly, a block of rows at a time;
    beyond, one product with the column sums gives every sum to within
    rounding, and the exact sums, the numbers the whole matrix gives, are
    computed only for the articles whose quick sum is within ``SUM_SLACK``
    of the median's or below the cut: the same median, the same articles and
    the same similarities as reading every row. ``worker``
    (:mod:`briefing.worker`) stems half the articles; the answer is the same.
    ``meanwhile`` is called once they are stemmed: the worker has no job while
    the vectors and sums are computed here, a caller's moment to send it one.
    """
    if len(sources) < MIN_SOURCES:
        return ()
    from briefing.articles import approximate_row_sums, row_sums, unit_vectors

    n = len(sources)
    matrix = unit_vectors(sources, worker=worker, meanwhile=meanwhile)
    if matrix is None:  # no word in two sources: every similarity is 0, and so is the median
        return ()
    exact: dict[int, float] = {}

    def means(rows: Sequence[int]) -> list[float]:
        """The exact means of these rows (sums computed once)."""
        missing = [k for k in rows if k not in exact]
        exact.update(zip(missing, (total / (n - 1) for total in row_sums(matrix, missing)), strict=True))
        return [exact[k] for k in rows]

    if n <= EXACT_SUMS_UP_TO:
        candidates = list(range(n))
        median = _median(means(candidates))
    else:
        median, candidates = _median_and_candidates(approximate_row_sums(matrix), means)
    if median <= 0.0:
        return ()
    cut = OFF_TOPIC_SHARE * median
    return tuple(OffTopic(k, m, median) for k, m in zip(candidates, means(candidates), strict=True) if m < cut)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _median_and_candidates(
    quick: npt.NDArray[np.float64], means: Callable[[Sequence[int]], list[float]],
) -> tuple[float, list[int]]:
    """The exact median of the means, and the rows that may be below the cut, from quick sums.

    Every exact sum is within ``slack`` of its quick one, so each order
    statistic is too: the rows whose quick sums lie more than twice the
    slack below the middle ones are below the exact middle values (they only
    shift its rank), those more than twice above are above it, and the
    median is read from the exact means of the rows between. Dividing by
    n - 1 keeps the order. A row is a candidate unless its quick sum is
    clearly above the cut.
    """
    import numpy as np

    n = len(quick)
    slack = SUM_SLACK * (float(np.abs(quick).max()) + 2.0)
    ordered = np.sort(quick)
    middle = n // 2
    ranks = [middle] if n % 2 else [middle - 1, middle]
    low, high = float(ordered[ranks[0]]) - 2 * slack, float(ordered[ranks[-1]]) + 2 * slack
    band = np.flatnonzero((quick >= low) & (quick <= high)).tolist()
    below = int(np.count_nonzero(quick < low))
    in_band = sorted(means(band))
    median = in_band[middle - below] if n % 2 else (in_band[middle - 1 - below] + in_band[middle - below]) / 2
    cut = OFF_TOPIC_SHARE * median * (n - 1)
    return median, np.flatnonzero(quick < cut * (1.0 + 1e-9) + 2 * slack).tolist()

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


def off_topic(sources: Sequence[Source], *, worker: Worker | None = None) -> tuple[OffTopic, ...]:
    """The sources far from the story the others tell, in input order (none below ``MIN_SOURCES``).

    ``worker`` (:mod:`briefing.worker`) shares the work; the answer is the same.
    """
    if len(sources) < MIN_SOURCES:
        return ()
    from briefing.articles import similarity_sums

    n = len(sources)
    # Only the rows' sums: the whole matrix is never needed at once (issue 19).
    means = [total / (n - 1) for total in similarity_sums(sources, worker=worker)]
    ordered = sorted(means)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    if median <= 0.0:
        return ()
    return tuple(OffTopic(k, m, median) for k, m in enumerate(means) if m < OFF_TOPIC_SHARE * median)

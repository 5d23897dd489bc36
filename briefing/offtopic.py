"""Articles far from the story the others tell: reported and left out before ranking.

A folder about one event often carries strays: a news service's digest of
unrelated stories, a columnist's bio filed as its own document, a stock-index
table. Their sentences are not claims of the story, yet once chosen they look
like any other item. Each article is a TF-IDF vector of the stems of its title
(twice: a headline names the event) and text; an article whose mean cosine to
the other articles is below ``OFF_TOPIC_SHARE`` of the median article's is off
the story. Nothing is judged below ``MIN_SOURCES`` articles: the median of a
handful says little. Plain numpy/scipy (no scikit-learn import on every build).
The share was chosen on the DUC clusters (docs/method.md, section 1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.model import Source

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


def article_stems(source: Source) -> list[str]:
    """The article's content stems, its title twice."""
    from briefing.segment import content_stems

    return list(content_stems(f"{source.title}\n{source.title}\n{source.text}"))


def mean_similarities(token_lists: Sequence[Sequence[str]]) -> list[float]:
    """Each article's mean cosine to the others (sublinear tf, smoothed idf, words of one article dropped)."""
    import numpy as np
    from scipy import sparse

    n = len(token_lists)
    df: dict[str, int] = {}
    for tokens in token_lists:
        for token in set(tokens):
            df[token] = df.get(token, 0) + 1
    vocabulary = {t: k for k, t in enumerate(sorted(t for t, c in df.items() if c >= 2))}
    rows, cols, data = [], [], []
    for row, tokens in enumerate(token_lists):
        counts: dict[int, int] = {}
        for token in tokens:
            col = vocabulary.get(token)
            if col is not None:
                counts[col] = counts.get(col, 0) + 1
        for col, count in counts.items():
            term = 1.0 + math.log(count)
            rows.append(row)
            cols.append(col)
            data.append(term)
    if not vocabulary:
        return [0.0] * n
    idf = np.zeros(len(vocabulary))
    for token, col in vocabulary.items():
        idf[col] = math.log((1.0 + n) / (1.0 + df[token])) + 1.0
    matrix = sparse.csr_matrix((np.asarray(data) * idf[np.asarray(cols, dtype=np.int64)], (rows, cols)),
                               shape=(n, len(vocabulary)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)
    similarity = (matrix @ matrix.T).toarray()
    np.fill_diagonal(similarity, 0.0)
    return [float(v) for v in similarity.sum(axis=1) / max(1, n - 1)]


def off_topic(sources: Sequence[Source]) -> tuple[OffTopic, ...]:
    """The sources far from the story the others tell, in input order (none below ``MIN_SOURCES``)."""
    if len(sources) < MIN_SOURCES:
        return ()
    means = mean_similarities([article_stems(s) for s in sources])
    ordered = sorted(means)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    if median <= 0.0:
        return ()
    return tuple(OffTopic(k, m, median) for k, m in enumerate(means) if m < OFF_TOPIC_SHARE * median)

"""Whole-article similarity: what groups articles into stories and finds an article off the story.

Each article is a TF-IDF vector of the stems of its title (twice: a headline
names the event) and text, with the project's own stemmer and stop words.
:mod:`briefing.stories` clusters on it; :mod:`briefing.offtopic` reads each
article's mean similarity to the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

from briefing.model import Source

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np
    import numpy.typing as npt

    from briefing.worker import Worker

__all__ = ["approximate_row_sums", "row_sums", "similarity_matrix", "similarity_sums", "story_word_lists",
           "story_words", "unit_vectors"]


def story_words(source: Source) -> str:
    """A source as the stems of its content words, title twice (a headline names the event).

    The project's own stemmer and stop words, so that "talks" and "talked"
    count as one word, as they do when claims are compared.
    """
    return " ".join(_story_stems(source))


def _story_stems(source: Source) -> tuple[str, ...]:
    from briefing.segment import content_stems_unmemoised

    return content_stems_unmemoised(f"{source.title}\n{source.title}\n{source.text}")


def story_word_lists(sources: Sequence[Source]) -> list[list[str]]:
    """Each source's :func:`story_words`, split (a job for the second process).

    The stems themselves when ``str.split`` would cut exactly between them
    (none empty, none with a space, nothing else it cuts at: every such
    character but the space is unprintable), sharing the memoised stems
    instead of making every word again: about 200 MB less at 5,000
    articles, in each process, and smaller pickles (issue 19).
    """
    out: list[list[str]] = []
    for source in sources:
        stems = _story_stems(source)
        joined = " ".join(stems)
        if all(stems) and joined.count(" ") == max(0, len(stems) - 1) and joined.isprintable():
            out.append(list(stems))
        else:
            out.append(joined.split())
    return out


def similarity_matrix(sources: Sequence[Source]) -> npt.NDArray[np.float64]:
    """Cosine similarity of the sources' TF-IDF stem vectors (words in one source only are dropped).

    scikit-learn's ``TfidfVectorizer(sublinear_tf=True, min_df=2)`` and
    ``cosine_similarity``, computed with scipy in the same order of operations
    (the same numbers): importing scikit-learn took 1.5 s of every
    ``briefing build`` of six or more sources (:func:`mixed_warning`, issue 19).
    tests/test_stories.py compares the two.
    """
    import numpy as np

    matrix = _unit_rows(story_word_lists(sources))
    if matrix is None:  # no word in two sources: every source is a story of its own
        return np.eye(len(sources))
    similarity: npt.NDArray[np.float64] = np.asarray((matrix @ matrix.T).toarray(), dtype=np.float64)
    return similarity


#: Rows of the similarity matrix that :func:`row_sums` computes at once (bounds its memory).
ROWS_PER_BLOCK = 512
#: From this many sources, the second process (when there is one) stems half of them.
PARALLEL_SUMS_FROM = 64


def unit_vectors(sources: Sequence[Source], *, worker: Worker | None = None,
                 meanwhile: Callable[[], None] | None = None) -> Any:
    """The rows :func:`similarity_matrix` multiplies (CSR), or None when no word is in two sources.

    With a ``worker`` and many sources, the two processes share the stemming
    (:meth:`~briefing.worker.Worker.map_shared`: the second process takes the later sources).
    ``meanwhile`` is called once the sources are stemmed (the worker has no job then).
    """
    if worker is not None and len(sources) >= PARALLEL_SUMS_FROM:
        stems: list[list[str]] = worker.map_shared(story_word_lists, sources, SOURCES_PER_PART)
    else:
        stems = story_word_lists(sources)
    if meanwhile is not None:
        meanwhile()
    return _unit_rows(stems)


#: Sources stemmed per part of the range the two processes share (a few tens of milliseconds).
SOURCES_PER_PART = 16


def similarity_sums(sources: Sequence[Source], *, worker: Worker | None = None) -> list[float]:
    """Each source's row of :func:`similarity_matrix` summed, less its own entry (the same numbers)."""
    matrix = unit_vectors(sources, worker=worker)
    if matrix is None:  # the identity: each row sums to its own entry
        return [0.0] * len(sources)
    return row_sums(matrix, range(matrix.shape[0]))


def row_sums(matrix: Any, rows: Sequence[int]) -> list[float]:
    """The given rows of ``matrix @ matrix.T`` (``matrix``: :func:`unit_vectors`), each summed less its own entry.

    The numbers :func:`similarity_matrix` gives, without its n × n matrix
    (with the sparse product it is made from, about 2 GB at 10,000
    articles): a block of ``ROWS_PER_BLOCK`` rows at a time is made, summed
    and dropped, each row computed as the whole product computes it.
    """
    import numpy as np

    transposed = matrix.T.tocsr()  # as the product converts it, once
    out: list[float] = []
    chosen = np.asarray(rows, dtype=np.int64)
    for first in range(0, len(chosen), ROWS_PER_BLOCK):
        some = chosen[first:first + ROWS_PER_BLOCK]
        block = np.asarray((matrix[some] @ transposed).toarray(), dtype=np.float64)
        out.extend(float(row.sum() - row[k]) for k, row in zip(some.tolist(), block, strict=True))
    return out


def approximate_row_sums(matrix: Any) -> npt.NDArray[np.float64]:
    """What :func:`row_sums` gives for every row, to within rounding: one product with the column sums.

    Linear in the matrix's entries where the exact sums cost a product of
    the matrix with itself. All entries are non-negative, so the two differ
    by at most (rows + terms per row) units in the last place of the largest
    sum: :mod:`briefing.offtopic` decides on these and computes exactly only
    the rows near a boundary.
    """
    import numpy as np

    columns = np.asarray(matrix.sum(axis=0), dtype=np.float64).ravel()
    own = np.asarray(matrix.multiply(matrix).sum(axis=1), dtype=np.float64).ravel()
    sums: npt.NDArray[np.float64] = np.asarray(matrix @ columns, dtype=np.float64).ravel() - own
    return sums


def _unit_rows(texts: Sequence[Sequence[str]]) -> Any:
    """TF-IDF vectors of the sources' :func:`story_word_lists`, each row of unit length (CSR).

    None when no word is in two sources.
    """
    import numpy as np
    from scipy import sparse

    # Columns in scikit-learn's order: words numbered by first appearance, each row
    # stored in that order, then renumbered alphabetically without re-sorting. Each
    # row's (word, count) pairs are numbered and sorted as arrays, not word by word
    # in Python: 1 s of the 2.5 s this took at 10,000 articles (issue 19).
    vocabulary = list(dict.fromkeys(chain.from_iterable(texts)))  # by first appearance
    first_seen = {word: k for k, word in enumerate(vocabulary)}
    counts = [Counter(words) for words in texts]
    lengths = np.fromiter(map(len, counts), dtype=np.int64, count=len(counts))
    total = int(lengths.sum())
    seen = np.fromiter(map(first_seen.__getitem__, chain.from_iterable(counts)), dtype=np.int64, count=total)
    tf = np.fromiter(chain.from_iterable(row.values() for row in counts), dtype=np.float64, count=total)
    document_frequency = np.bincount(seen, minlength=len(vocabulary))  # a row counts each word once
    min_df = 2 if len(texts) > 2 else 1
    kept = sorted(word for word, df in zip(vocabulary, document_frequency.tolist(), strict=True) if df >= min_df)
    if not kept:
        return None
    kept_seen = np.fromiter(map(first_seen.__getitem__, kept), dtype=np.int64, count=len(kept))
    column = np.full(len(vocabulary), -1, dtype=np.int64)
    column[kept_seen] = np.arange(len(kept), dtype=np.int64)
    rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    present = column[seen] >= 0
    rows, seen, tf = rows[present], seen[present], tf[present]
    order = np.lexsort((seen, rows))  # by row, then by first appearance
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(texts)), out=indptr[1:])
    matrix = sparse.csr_matrix((tf[order], column[seen[order]].astype(np.int32), indptr),
                               shape=(len(texts), len(kept)))
    n_samples = float(len(texts) + 1)  # smoothed idf, as scikit-learn's default
    df = document_frequency[kept_seen].astype(np.float64) + 1.0
    idf = np.full_like(df, n_samples)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    np.log(matrix.data, matrix.data)  # sublinear tf: a word said ten times is not ten times the evidence
    matrix.data += 1.0
    matrix.data *= idf[matrix.indices]
    _normalize_rows(matrix)  # the vectoriser's l2 norm,
    _normalize_rows(matrix)  # and cosine_similarity's own
    return matrix


def _normalize_rows(matrix: Any) -> None:
    """Divide each CSR row by its l2 norm in place, summing squares in order (scikit-learn's loop)."""
    import math

    data, indptr = matrix.data, matrix.indptr
    for row in range(matrix.shape[0]):
        start, stop = int(indptr[row]), int(indptr[row + 1])
        total = 0.0
        for value in data[start:stop].tolist():
            total += value * value
        if total != 0.0:
            data[start:stop] /= math.sqrt(total)

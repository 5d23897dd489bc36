"""Corroborate: find which sentences of different sources state the same thing.

Sentences become TF-IDF vectors of stemmed content words; their cosine
similarities are computed as a sparse matrix, in row chunks, keeping only
pairs above a floor, so memory grows with the number of similar pairs, never
with n². Syndicated copies of one story (near-identical articles, found with
MinHash LSH) form one *independent* source: they are cited, but counted once.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from briefing.claims import (
    ANCHORED_ITEM_COVERAGE,
    ANCHORED_MAIN_COVERAGE,
    DATE_ANCHORED_MAIN_COVERAGE,
    DOUBLY_ANCHORED_COVERAGE,
    ITEM_COVERAGE,
    MAIN_COVERAGE,
    MIN_SHARED_CONTENT,
    REVERSE_COVERAGE,
    ClaimContext,
    ClaimView,
    adopt_views,
    compare,
    may_have_dates,
    may_have_figures,
    passage_states,
    view,
    views_of,
)
from briefing.clean import outside_quotes
from briefing.model import UNNAMED_SOURCE, Evidence, Sentence, Source
from briefing.segment import content_stems
from briefing.timing import timed

if TYPE_CHECKING:
    from briefing.worker import Worker

log = logging.getLogger(__name__)

#: Two sentences of different sources state the same thing at or above this
#: cosine. Chosen on hand-labelled cross-source pairs of the seed articles
#: (docs/method.md): about 8 in 10 pairs at or above it state the same claim
#: (every pair above 0.4 does), while just below it it is a coin flip.
CLAIM_THRESHOLD = 0.26
#: Two sentences state the same thing only if they also share this many
#: content words: one shared word ("timing") makes a short, generic sentence
#: look like half the corpus.
MIN_SHARED_TERMS = 2
#: Pairs below this similarity are not stored at all (they only add noise to
#: centrality, and at 1,000 articles there are millions of them).
SIMILARITY_FLOOR = 0.15
#: Two articles whose word 5-shingle sets have at least this Jaccard similarity
#: are copies of one story (a wire report carried by several outlets).
SYNDICATION_THRESHOLD = 0.6
#: Terms found in more than this share of sentences (and more than 50 of them)
#: are left out of the similarity: they name the event, not a claim, and their
#: quadratic pair count would dominate the cost on large inputs.
COMMON_TERM_SHARE = 0.05
_ROW_CHUNK = 2048
#: Codes of :attr:`Corroboration.verdicts`.
VERDICT_CODES = {"supports": 1, "figure": 2, "status": 3}


@dataclass(frozen=True)
class Corroboration:
    """Everything later stages need to know about cross-source agreement."""

    sentences: tuple[Sentence, ...]
    #: The similar pairs, held once per distinct TF-IDF row (:class:`SimilarityGraph`).
    graph: SimilarityGraph
    source_index: np.ndarray  # sentence -> position of its source
    group_of_source: tuple[int, ...]  # source position -> independent group
    support: np.ndarray  # sentence -> independent groups asserting its claim (verified): for ranking
    soft_support: np.ndarray  # sentence -> mean best similarity in other groups
    n_groups: int
    #: Sentence -> outlets asserting its claim, unnamed sources counted once together
    #: (nothing shows they are independent): the "k" of "k of n" a reader sees.
    outlets: np.ndarray
    n_outlets: int  # the "n": outlets in the brief, counted the same way
    #: Row i, column j: how sentence j relates to sentence i's claim (one of
    #: VERDICT_CODES: j states it, gives another figure, another status).
    verdicts: sparse.csr_matrix
    #: Cluster-wide facts for comparing claims (names every source shares, word rarity).
    claim_context: ClaimContext
    #: Sentence -> its outlet as "k of n" counts them (the grouping of ``outlets``).
    outlet_index: np.ndarray
    #: Positions of the sources whose outlet is named: of two printings of one wording, theirs counts.
    named_sources: frozenset[int] = frozenset()

    def shown_support(self, i: int) -> int:
        """``outlets[i]``, with a sentence another outlet rewrote from one printed before it counted once.

        Two sentences sharing COPIED_RUN words in a row outside quotes are one story's wording
        (:func:`_not_copied`), a named outlet's when one of them prints it (an unnamed copy of its story is
        no other outlet). Asked only of the items: reading every sentence's runs cost 0.7 s at 1,000 articles.
        """
        counted = int(self.outlets[i])
        passages = self.passage_backing(i)
        if passages:
            # Two sentences in a row of another outlet state it too: their outlets count, copies once.
            return self._uncopied_outlets({i, *self.supporters(i).tolist(), *(first for _, first, _ in passages)})
        if counted < 2:
            return counted
        return min(counted, self._uncopied_outlets({i, *self.supporters(i).tolist()}))

    @functools.cached_property
    def _passages(self) -> dict[int, tuple[tuple[int, int, int], ...]]:
        return {}

    def passage_backing(self, i: int) -> tuple[tuple[int, int, int], ...]:
        """(source position, first, second) per source whose two sentences in a row state sentence ``i``'s
        claim together (:func:`briefing.claims.passage_states`), where none of its sentences states it
        alone or gives it another figure or status; in source order.

        Asked only of the items: a pair holds a sentence similar to ``i`` (a
        stored neighbour in the graph) and the sentence before or after it in
        its article. Labelled pairs (bench-trust, stop 38): 8 more citations
        on ours and 2 on the independent dev file, all support (7 of the 10
        state the claim, 3 its main part).
        """
        found = self._passages.get(i)
        if found is not None:
            return found
        own = int(self.source_index[i])
        excluded = {own, *(int(self.source_index[j]) for j in self.supporters(i).tolist())}
        excluded.update(int(self.source_index[j])
                        for kind in ("figure", "status") for j in self.related(i, kind).tolist())
        cols, vals = self.graph.row(i)
        picked: dict[int, tuple[int, int]] = {}
        item: ClaimView | None = None
        for j in (int(j) for _, j in sorted(zip((-vals).tolist(), cols.tolist(), strict=True))):
            k = int(self.source_index[j])
            if k in excluded or k in picked:
                continue
            for first, second in ((j - 1, j), (j, j + 1)):
                if not self.in_a_row(first, second):
                    continue
                if item is None:
                    item = view(self.sentences[i].text)
                if passage_states(item, self.sentences[first].text, self.sentences[second].text, self.claim_context):
                    picked[k] = (first, second)
                    break
        found = self._passages[i] = tuple((k, *picked[k]) for k in sorted(picked))
        return found

    def in_a_row(self, first: int, second: int) -> bool:
        """Is sentence ``second`` the one right after sentence ``first`` in one article?"""
        return (first >= 0 and second < len(self.sentences)
                and self.sentences[first].source_id == self.sentences[second].source_id
                and self.sentences[second].index == self.sentences[first].index + 1)

    def _uncopied_outlets(self, ks: Iterable[int]) -> int:
        """The outlets of sentences ``ks``, a sentence that copies a run of words of another counted once:
        with the named outlet's printing when one prints it, else the first printed."""
        named = self.named_sources
        order = sorted(ks, key=lambda k: (int(self.source_index[k]) not in named, k))
        return len({int(self.outlet_index[k]) for k in _not_copied(order, self.sentences)})

    @functools.cached_property
    def similarity(self) -> sparse.csr_matrix:
        """The whole sentence graph as one sparse matrix: symmetric, zero diagonal, entries >= floor.

        Made on first use (tests, small inputs): at 10,000 articles it holds
        a hundred times the entries of :attr:`graph` (1.2 GB, issue 19), and
        nothing in a build needs it whole.
        """
        return self.graph.to_csr()

    def neighbours(self, i: int, threshold: float = CLAIM_THRESHOLD) -> np.ndarray:
        """Sentences at least ``threshold`` similar to sentence ``i``, in order."""
        return self.graph.row(i, threshold)[0]

    def related(self, i: int, kind: str) -> np.ndarray:
        """Sentences of other sources whose relation to sentence ``i``'s claim is ``kind``."""
        code = VERDICT_CODES[kind]
        row = slice(self.verdicts.indptr[i], self.verdicts.indptr[i + 1])
        return np.asarray(self.verdicts.indices[row][self.verdicts.data[row] == code])

    def supporters(self, i: int) -> np.ndarray:
        """Sentences of other sources that state sentence ``i``'s claim."""
        return self.related(i, "supports")

    def citations(self, i: int, sources: Sequence[Source]) -> tuple[str, ...]:
        """Source ids stating sentence ``i``'s claim, its own first, then in order."""
        return tuple(e.source for e in self.evidence(i, sources))

    def evidence(self, i: int, sources: Sequence[Source]) -> tuple[Evidence, ...]:
        """Per cited source, the sentence that backs sentence ``i``: its own first.

        A source is cited only when one of its sentences states the claim
        (:func:`briefing.claims.compare`); its most similar such sentence is the evidence.
        """
        single = [(k, j, j) for k, j in self._backing(i)]
        both = sorted(single[1:] + list(self.passage_backing(i)))
        return tuple(self._evidence(sources, k, first, last) for k, first, last in single[:1] + both)

    def _evidence(self, sources: Sequence[Source], k: int, first: int, last: int) -> Evidence:
        """Source ``k``'s sentences ``first`` to ``last`` (one, or two in a row) as one piece of evidence."""
        if first == last:
            sentence = self.sentences[first]
            return Evidence(sources[k].id, sentence.text, sentence.start, sentence.end)
        start, end = self.sentences[first].start, self.sentences[last].end
        return Evidence(sources[k].id, sources[k].text[start:end], start, end)

    def _backing(self, i: int, accept: Callable[[int], bool] | None = None) -> list[tuple[int, int]]:
        """(source position, sentence) per source that states sentence ``i``'s claim, its own first, then in
        order: its supporter most similar to ``i`` (of those ``accept`` takes, when given)."""
        own = int(self.source_index[i])
        best: dict[int, tuple[float, int]] = {}
        for j in self.supporters(i).tolist():
            k = int(self.source_index[j])
            if k == own or (accept is not None and not accept(j)):
                continue
            candidate = (-self.graph.value(i, j), j)
            if k not in best or candidate < best[k]:
                best[k] = candidate
        return [(own, i), *((k, best[k][1]) for k in sorted(best))]

    def passage_evidence(self, j: int, i: int, sources: Sequence[Source]) -> tuple[tuple[Evidence, ...], int]:
        """Per cited source, the two sentences in a row that back sentence ``j`` then sentence ``i``; and the support.

        An item of two sentences of one article (``j`` just before ``i``,
        :func:`briefing.rank.select`'s ``joined``) asserts both: a source is
        cited only when one of its sentences states ``i``'s claim and the
        sentence just before it states ``j``'s, and the evidence is those two
        sentences, as that source prints them (its own first). The support
        counts the outlets so cited, a rewrite of one of them once
        (:meth:`shown_support`).
        """
        backing_context = set(self.supporters(j).tolist())

        def after_context(b: int) -> bool:  # the sentence just before it in its article states j's claim
            return b - 1 in backing_context and self.in_a_row(b - 1, b)

        picked = self._backing(i, after_context)
        evidence = tuple(self._evidence(sources, k, b - 1, b) for k, b in picked)
        return evidence, self._uncopied_outlets(b for _, b in picked)

    def also_covering(self, i: int, sources: Sequence[Source]) -> tuple[str, ...]:
        """Sources with a similar sentence that does not state the claim: "also covered by".

        Similar means at the claim threshold's cosine and in words that point
        a reader somewhere (:func:`similar_wording`): a sentence that only
        names the same person ("Jacob Coin said …") or shares one word
        ("organic") is no lead (editors' reads of D0601 and D0611 found 5 of
        12 such marks). Of the labelled pairs marked so on the 40 dev briefs,
        5 that do not state the claim go and none that does.
        """
        cited = {self.sentences[j].source_id for j in self.supporters(i).tolist()}
        cited.add(self.sentences[i].source_id)
        cited.update(self.sentences[first].source_id for _, first, _ in self.passage_backing(i))
        # A source giving the claim another figure or status differs from it: no lead to the same report
        # (an editor's read of D0721A counted such entries as false leads).
        cited.update(self.sentences[j].source_id for kind in ("figure", "status")
                     for j in self.related(i, kind).tolist())
        mine = view(self.sentences[i].text)
        near = {self.sentences[int(j)].source_id for j in self.neighbours(i)
                if similar_wording(mine, view(self.sentences[int(j)].text))}
        order = {source.id: k for k, source in enumerate(sources)}
        return tuple(sorted(near - cited, key=order.__getitem__))


def similar_wording(a: ClaimView, b: ClaimView) -> bool:
    """Whether two similar sentences share words enough to point a reader from one to the other.

    At least one content word that is not a name, or a number both give
    ("18 times in the head"), and two shared words in all, names counted:
    "Mayor Lind welcomed …" and "Mayor Lind opposed …" share only a name,
    "organic chlorine" and "garden organically" one word (editors' reads of
    D0601 and D0611), while "may meet President Xi" and "will meet President
    Xi" share a verb and a name. A word written as a name in one and in lower
    case in the other ("Malaria" opening a sentence, "malaria") is a word.
    """
    # A capitalised first word may be a name ("Jacob Lind welcomed …"): a name unless the other writes it in
    # lower case.
    first_a, first_b = {a.capital_first} - {""}, {b.capital_first} - {""}
    words_a, words_b = a.content - first_a, b.content - first_b
    names_a, names_b = a.names | first_a, b.names | first_b
    words = (words_a & words_b) | (words_a & names_b) | (names_a & words_b)
    shared = len(words) + len(set(_NUMBER.findall(a.body)) & set(_NUMBER.findall(b.body)))
    return shared >= 1 and shared + len((names_a & names_b) - words) >= MIN_SHARED_CONTENT


_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def tfidf_matrix(token_lists: Sequence[Sequence[str]]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows (sublinear tf, smoothed idf) over the given tokens.

    Each distinct list of tokens is weighed once and its row copied to every
    list equal to it (sentences repeated word for word: most of them at
    thousands of articles). Every step is per row, or, for the document
    frequencies, counts each copy: the same matrix, entry for entry.
    """
    position: dict[tuple[str, ...], int] = {}
    row_of = np.fromiter((position.setdefault(tuple(tokens), len(position)) for tokens in token_lists),
                         dtype=np.int64, count=len(token_lists))
    if len(position) == len(token_lists):
        return _tfidf_rows(token_lists, None)
    copies = np.bincount(row_of, minlength=len(position))
    return sparse.csr_matrix(_tfidf_rows(list(position), copies)[row_of])


def _tfidf_rows(token_lists: Sequence[Sequence[str]], copies: np.ndarray | None) -> sparse.csr_matrix:
    """:func:`tfidf_matrix` of distinct token lists, list k standing for ``copies[k]`` lists (None: one each)."""
    # Terms numbered by first appearance; each row's (term, count) pairs counted and ordered as
    # arrays, not token by token in Python (issue 19: 0.15 s at 1,000 articles, with the other
    # core idle). The same entries in the same order as counting each row in a dict.
    vocabulary = {term: k for k, term in enumerate(dict.fromkeys(chain.from_iterable(token_lists)))}
    n, n_terms = len(token_lists), len(vocabulary)
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=n)
    terms = np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(token_lists)), dtype=np.int64,
                        count=int(lengths.sum()))
    keys, counts = np.unique(np.repeat(np.arange(n, dtype=np.int64), lengths) * max(1, n_terms) + terms,
                             return_counts=True)  # by row, then by term
    rows, indices = np.divmod(keys, max(1, n_terms))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    # Sublinear tf, 1 + log(count), from math.log as before: counts are small whole numbers.
    logs = np.asarray([1.0 + math.log(k) for k in range(1, int(counts.max(initial=0)) + 1)], dtype=np.float64)
    matrix = sparse.csr_matrix((logs[counts - 1], indices, indptr), shape=(n, max(1, n_terms)))
    if copies is None:
        n_rows = len(token_lists)
        df = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
    else:  # every copy counts (sums of whole numbers: exact)
        n_rows = int(copies.sum())
        weights = np.repeat(copies.astype(np.float64), np.diff(matrix.indptr))
        df = np.bincount(matrix.indices, weights=weights, minlength=matrix.shape[1]).astype(np.float64)
    idf = np.log((1.0 + n_rows) / (1.0 + df)) + 1.0
    common = df > max(50.0, COMMON_TERM_SHARE * n_rows)
    idf[common] = 0.0
    matrix = matrix @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def _similarity_rows(
    vectors: sparse.csr_matrix, start: int, stop: int, floor: float, min_shared: int
) -> sparse.csr_matrix:
    """Rows ``start:stop`` of :func:`similarity_graph` (diagonal not yet cleared).

    A module-level function so that the second process can compute half of
    the rows (see :mod:`briefing.worker`); ``vectors`` is as
    :func:`similarity_graph` prepares it.
    """
    factors = _row_factors(vectors)
    blocks = [_row_block(vectors, factors, chunk, min(stop, chunk + _ROW_CHUNK), floor, min_shared)
              for chunk in range(start, stop, _ROW_CHUNK)]
    if not blocks:
        return sparse.csr_matrix((0, vectors.shape[0]))
    return sparse.csr_matrix(sparse.vstack(blocks))


def _row_factors(vectors: sparse.csr_matrix) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """What every block of rows is multiplied with: the transpose; and the pattern (all weights 1)."""
    transposed = sparse.csr_matrix(vectors.T)
    # Same sparsity as `vectors`, every weight 1: products of its rows count shared terms.
    present = sparse.csr_matrix((np.ones_like(vectors.data), vectors.indices, vectors.indptr), shape=vectors.shape)
    return transposed, present


def _row_block(vectors: sparse.csr_matrix, factors: tuple[sparse.csr_matrix, sparse.csr_matrix],
               chunk: int, end: int, floor: float, min_shared: int) -> sparse.csr_matrix:
    """Rows ``chunk:end`` of the graph (each row is computed alone: the same values in any block).

    The similarities below ``floor`` go first; the shared terms are counted
    only for the pairs left (one in twenty at 1,000 articles), not for every
    pair with a term in common as a second product of the whole block did
    (issue 19: a fifth of the graph's time).
    """
    transposed, present = factors
    block = sparse.csr_matrix(vectors[chunk:end] @ transposed)
    block.data[block.data < floor] = 0.0
    block.eliminate_zeros()
    rows = np.repeat(np.arange(chunk, end, dtype=np.int64), np.diff(block.indptr))
    for start in range(0, len(rows), _SCREEN_CHUNK):
        stop = start + _SCREEN_CHUNK
        shared = present[rows[start:stop]].multiply(present[block.indices[start:stop]]).sum(axis=1)
        block.data[start:stop][np.asarray(shared).ravel() < min_shared] = 0.0
    block.eliminate_zeros()
    return block


def _front_row_blocks(vectors: sparse.csr_matrix, floor: float, min_shared: int,
                      generation: int) -> list[sparse.csr_matrix]:
    """The blocks of ``_ROW_CHUNK`` rows the worker takes from the top of a shared graph (:func:`sentence_graph`)."""
    from briefing.worker import front_chunks

    factors = _row_factors(vectors)
    d = vectors.shape[0]
    n = (d + _ROW_CHUNK - 1) // _ROW_CHUNK
    return [_row_block(vectors, factors, k * _ROW_CHUNK, min(d, (k + 1) * _ROW_CHUNK), floor, min_shared)
            for start, stop in front_chunks(generation, n, 1) for k in range(start, stop)]


def _distinct_rows(vectors: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The distinct rows of a canonical CSR matrix (first appearances, in order), and each row's position among them."""
    first: dict[tuple[bytes, bytes], int] = {}
    row_of = np.empty(vectors.shape[0], dtype=np.int64)
    indptr, indices, data = vectors.indptr, vectors.indices, vectors.data
    keep: list[int] = []
    for row in range(vectors.shape[0]):
        lo, hi = indptr[row], indptr[row + 1]
        key = (indices[lo:hi].tobytes(), data[lo:hi].tobytes())
        found = first.get(key)
        if found is None:
            found = first[key] = len(keep)
            keep.append(row)
        row_of[row] = found
    if len(keep) == vectors.shape[0]:
        return vectors, row_of
    distinct = sparse.csr_matrix(vectors[np.asarray(keep, dtype=np.int64)])
    distinct.sort_indices()
    return distinct, row_of


def _expanded(graph: sparse.csr_matrix, row_of: np.ndarray) -> sparse.csr_matrix:
    """The sentences' graph from the distinct rows' graph: row i is row ``row_of[i]``, without (i, i).

    Columns go from distinct rows to every sentence with that row by a
    membership product (each entry one term, a similarity times 1.0: the
    very same numbers); then each sentence's row is copied out of it, a few
    million entries at a time, into arrays of the final size (the graph of
    thousands of articles holds tens of millions of entries: no second copy).
    """
    n = len(row_of)
    membership = sparse.csr_matrix((np.ones(n), (row_of, np.arange(n))), shape=(graph.shape[0], n))
    by_row = sparse.csr_matrix(graph @ membership)
    by_row.sort_indices()
    # The column indices as they are (int32 up to 2**31 entries): an int64 copy was 8 bytes an entry
    # at the build's peak (issue 19); every use below widens them as it needs.
    starts, columns, values = by_row.indptr.astype(np.int64), by_row.indices, by_row.data
    # Does sentence i's row hold column i (a distinct row similar to itself)? That entry goes.
    keys = np.repeat(np.arange(by_row.shape[0], dtype=np.int64), np.diff(starts)) * n + columns
    own = row_of * n + np.arange(n, dtype=np.int64)
    found = np.minimum(np.searchsorted(keys, own), max(0, len(keys) - 1))
    has_self = (keys[found] == own) if len(keys) else np.zeros(n, dtype=bool)
    del keys, own, found
    lengths = np.diff(starts)[row_of]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths - has_self, out=indptr[1:])
    index_type = np.int32 if max(int(indptr[-1]), n) < np.iinfo(np.int32).max else np.int64
    out_columns = np.empty(int(indptr[-1]), dtype=index_type)
    out_values = np.empty(int(indptr[-1]), dtype=np.float64)
    first = 0
    while first < n:
        # Whole sentences, about ENTRIES_PER_CHUNK entries at a time.
        budget = np.cumsum(lengths[first:])
        last = min(n, first + max(1, int(np.searchsorted(budget, ENTRIES_PER_CHUNK, side="right"))))
        block = lengths[first:last]
        offsets = np.arange(int(block.sum()), dtype=np.int64) - np.repeat(np.cumsum(block) - block, block)
        taken = np.repeat(starts[row_of[first:last]], block) + offsets
        cols = columns[taken]
        keep = cols != np.repeat(np.arange(first, last, dtype=np.int64), block)
        lo, hi = int(indptr[first]), int(indptr[last])
        out_columns[lo:hi] = cols[keep]
        out_values[lo:hi] = values[taken][keep]
        first = last
    return sparse.csr_matrix((out_values, out_columns, indptr.astype(index_type)), shape=(n, n))


class SimilarityGraph:
    """The sentences' similarity graph, held once per distinct row of TF-IDF weights.

    Entry (i, j) of the sentence graph, for i != j, is entry (``row_of[i]``,
    ``row_of[j]``) of ``distinct`` (the graph of the distinct rows, their
    similarity to themselves included); (i, i) is never an entry. Sentences
    repeated word for word have equal rows and equal similarities: at 10,000
    articles (mostly recombined from 748) 275,000 sentences have 19,000
    distinct rows, and the sentence graph held 98 million entries (1.2 GB,
    issue 19) where ``distinct`` holds 455,000. The steps of a build read rows
    and values from here; :meth:`to_csr` makes the whole matrix when asked.
    """

    def __init__(self, distinct: sparse.csr_matrix, row_of: np.ndarray) -> None:
        distinct = sparse.csr_matrix(distinct)
        distinct.sort_indices()
        self.distinct = distinct
        self.row_of = np.asarray(row_of, dtype=np.int64)
        n = len(self.row_of)
        self.shape = (n, n)
        d = distinct.shape[0]
        #: Every sentence its own row (no sentence repeated): row r is sentence r.
        self.one_row_each = d == n and bool(np.array_equal(self.row_of, np.arange(n)))
        # The sentences of each distinct row, in order: members[starts[r]:starts[r + 1]].
        self.members = np.argsort(self.row_of, kind="stable")
        counts = np.bincount(self.row_of, minlength=d)
        self.member_counts = counts
        self.member_starts = np.zeros(d + 1, dtype=np.int64)
        np.cumsum(counts, out=self.member_starts[1:])

    def row(self, i: int, threshold: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Sentence ``i``'s row: the sentences similar to it (at least ``threshold``), in order, and the values."""
        r = int(self.row_of[i])
        lo, hi = int(self.distinct.indptr[r]), int(self.distinct.indptr[r + 1])
        cols, vals = self.distinct.indices[lo:hi], self.distinct.data[lo:hi]
        if threshold is not None:
            keep = vals >= threshold
            cols, vals = cols[keep], vals[keep]
        if self.one_row_each:
            keep = cols != i
            return cols[keep].astype(np.int64), vals[keep]
        counts = self.member_counts[cols]
        total = int(counts.sum())
        offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        sentences = self.members[np.repeat(self.member_starts[cols], counts) + offsets]
        values = np.repeat(vals, counts)
        order = np.argsort(sentences, kind="stable")
        sentences, values = sentences[order], values[order]
        keep = sentences != i
        return sentences[keep], values[keep]

    def value(self, i: int, j: int) -> float:
        """The similarity of sentences ``i`` and ``j`` (0.0 when they are no pair of the graph)."""
        if i == j:
            return 0.0
        r, c = int(self.row_of[i]), int(self.row_of[j])
        lo, hi = int(self.distinct.indptr[r]), int(self.distinct.indptr[r + 1])
        k = lo + int(np.searchsorted(self.distinct.indices[lo:hi], c))
        return float(self.distinct.data[k]) if k < hi and self.distinct.indices[k] == c else 0.0

    def submatrix(self, rows: Sequence[int]) -> sparse.csr_matrix:
        """``to_csr()[rows][:, rows]`` for ascending, distinct ``rows``, without the whole matrix."""
        wanted = np.asarray(rows, dtype=np.int64)
        if len(wanted) > 1 and not np.all(wanted[1:] > wanted[:-1]):
            return sparse.csr_matrix(self.to_csr()[wanted][:, wanted])
        indptr = [0]
        indices: list[np.ndarray] = []
        data: list[np.ndarray] = []
        for i in wanted.tolist():
            cols, vals = self.row(i)
            at = np.minimum(np.searchsorted(wanted, cols), max(0, len(wanted) - 1))
            keep = wanted[at] == cols if len(wanted) else np.zeros(len(cols), dtype=bool)
            indices.append(at[keep])
            data.append(vals[keep])
            indptr.append(indptr[-1] + int(keep.sum()))
        return sparse.csr_matrix(
            (np.concatenate([np.zeros(0), *data]), np.concatenate([np.zeros(0, dtype=np.int64), *indices]), indptr),
            shape=(len(wanted), len(wanted)))

    def to_csr(self) -> sparse.csr_matrix:
        """The whole sentence graph as one canonical sparse matrix (symmetric, zero diagonal)."""
        if not self.one_row_each:
            return _expanded(self.distinct, self.row_of)
        graph = self.distinct.copy()
        graph.setdiag(0.0)
        graph.eliminate_zeros()
        graph.sort_indices()
        return graph


#: From this many distinct sentences, the second process (when there is one)
#: computes half of the similarity graph.
PARALLEL_FROM_SENTENCES = 4096


def similarity_graph(
    vectors: sparse.csr_matrix, *, floor: float = SIMILARITY_FLOOR, min_shared: int = MIN_SHARED_TERMS,
    worker: Worker | None = None,
) -> sparse.csr_matrix:
    """Cosine similarities >= floor between distinct rows that share at least
    ``min_shared`` weighted terms, as a sparse matrix.

    Computed in row chunks, so memory follows the number of similar pairs,
    never n²; rows repeated word for word are computed once. With a
    ``worker``, it computes the second half of the distinct rows.
    """
    if vectors.shape[0] == 0:
        return sparse.csr_matrix((0, 0))
    return sentence_graph(vectors, floor=floor, min_shared=min_shared, worker=worker).to_csr()


def sentence_graph(
    vectors: sparse.csr_matrix, *, floor: float = SIMILARITY_FLOOR, min_shared: int = MIN_SHARED_TERMS,
    worker: Worker | None = None,
) -> SimilarityGraph:
    """:func:`similarity_graph` held once per distinct row (:class:`SimilarityGraph`): what a build keeps."""
    n = vectors.shape[0]
    if n == 0:
        return SimilarityGraph(sparse.csr_matrix((0, 0)), np.zeros(0, dtype=np.int64))
    vectors = sparse.csr_matrix(vectors)
    vectors.eliminate_zeros()
    vectors.sort_indices()
    # Equal rows (a sentence repeated word for word) have equal similarities:
    # computed once per distinct row.
    distinct, row_of = _distinct_rows(vectors)
    d = distinct.shape[0]
    share = worker.share((d + _ROW_CHUNK - 1) // _ROW_CHUNK) if worker is not None and d >= PARALLEL_FROM_SENTENCES \
        else None
    if share is not None and worker is not None:
        # Blocks of rows are shared (Worker.share): the worker takes them from the top, this
        # process from the bottom, until they meet (issue 19: with halves this process, which
        # does not pickle its rows, waited 0.1-0.17 s for the worker at 1,000 articles).
        job = worker.submit(_front_row_blocks, distinct, floor, min_shared, share.generation)
        factors = _row_factors(distinct)
        bottom: list[sparse.csr_matrix] = []
        while (part := share.take_back(1)) is not None:
            bottom.append(_row_block(distinct, factors, part[0] * _ROW_CHUNK, min(d, part[1] * _ROW_CHUNK),
                                     floor, min_shared))
        top = job.result() if share.front() > 0 else []
        # A job run here instead (the worker failed) gives every block: the top ones are taken.
        graph = sparse.csr_matrix(sparse.vstack([*top[:share.front()], *reversed(bottom)]))
    elif worker is not None and d >= PARALLEL_FROM_SENTENCES:
        half = (d // 2 + _ROW_CHUNK - 1) // _ROW_CHUNK * _ROW_CHUNK
        job = worker.submit(_similarity_rows, distinct, half, d, floor, min_shared)
        top_rows = _similarity_rows(distinct, 0, half, floor, min_shared)
        graph = sparse.csr_matrix(sparse.vstack([top_rows, job.result()]))
    else:
        graph = _similarity_rows(distinct, 0, d, floor, min_shared)
    return SimilarityGraph(graph, row_of)


def soft_support_sums(graph: SimilarityGraph, group_index: np.ndarray, n_groups: int) -> np.ndarray:
    """Per sentence: its best similarity to each other independent group, summed over the groups in their order.

    A sentence's sum depends on its distinct row and its own group alone: it
    is computed once per such pair, from the distinct graph (the sentence graph
    of thousands of articles is a hundred times larger). Each sum adds the
    same numbers in the same order (the groups' order) as summing over the
    sentence's own row of the whole graph: the same floats, bit for bit.
    """
    n = len(group_index)
    if n == 0:
        return np.zeros(0, dtype=np.float64)
    width = max(1, n_groups)
    distinct, row_of = graph.distinct, graph.row_of
    d = distinct.shape[0]
    # The (distinct row, group) pairs of the sentences, in order: which groups have each row.
    pair_keys, pair_of = np.unique(row_of * width + group_index, return_inverse=True)
    pair_groups = pair_keys % width
    pair_starts = np.searchsorted(pair_keys // width, np.arange(d + 1, dtype=np.int64))
    groups_per_row = np.diff(pair_starts)
    sums = np.zeros(len(pair_keys), dtype=np.float64)
    indptr = distinct.indptr.astype(np.int64)
    entry_rows = np.repeat(np.arange(d, dtype=np.int64), np.diff(indptr))
    # (row, group) entries each row of the distinct graph spreads into: chunks of about ENTRIES_PER_CHUNK of them.
    spread = np.bincount(entry_rows, weights=groups_per_row[distinct.indices], minlength=d)
    del entry_rows
    budget = np.cumsum(spread)
    start = 0
    while start < d:
        done = budget[start - 1] if start else 0.0
        stop = min(d, max(start + 1, int(np.searchsorted(budget, done + ENTRIES_PER_CHUNK, side="right"))))
        lo, hi = int(indptr[start]), int(indptr[stop])
        rows = np.repeat(np.arange(start, stop, dtype=np.int64), np.diff(indptr[start:stop + 1]))
        cols, vals = distinct.indices[lo:hi].astype(np.int64), distinct.data[lo:hi]
        # Each entry (r, c, v) once per group that has a sentence of row c: (r, group, v).
        counts = groups_per_row[cols]
        offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        groups = pair_groups[np.repeat(pair_starts[cols], counts) + offsets]
        keys = np.repeat(rows, counts) * width + groups
        vals = np.repeat(vals, counts)
        del rows, cols, counts, offsets, groups
        # The best value per (row, group), in key order (a stable sort, a maximum per key).
        order = np.argsort(keys, kind="stable")
        keys, vals = keys[order], vals[order]
        del order
        if len(keys):
            first = np.ones(len(keys), dtype=bool)
            first[1:] = keys[1:] != keys[:-1]
            starts = np.flatnonzero(first)
            best_keys, best_vals = keys[starts], np.maximum.reduceat(vals, starts)
            best_rows, best_groups = best_keys // width, best_keys % width
            best_starts = np.searchsorted(best_rows, np.arange(start, stop + 1, dtype=np.int64))
            del keys, vals, first, starts, best_keys, best_rows
            # Each (row, own group) pair of the chunk adds its row's bests of the other groups, in
            # order; a few million additions at a time (whole pairs).
            pairs = np.arange(int(pair_starts[start]), int(pair_starts[stop]), dtype=np.int64)
            local = pair_keys[pairs] // width - start
            taken = best_starts[local + 1] - best_starts[local]
            ends = np.cumsum(taken)
            first_pair = 0
            while first_pair < len(pairs):
                done_adds = int(ends[first_pair - 1]) if first_pair else 0
                last_pair = min(len(pairs), max(first_pair + 1, int(np.searchsorted(
                    ends, done_adds + ENTRIES_PER_CHUNK, side="right"))))
                part = taken[first_pair:last_pair]
                offsets = np.arange(int(part.sum()), dtype=np.int64) - np.repeat(np.cumsum(part) - part, part)
                at = np.repeat(best_starts[local[first_pair:last_pair]], part) + offsets
                targets = np.repeat(pairs[first_pair:last_pair], part)
                other = best_groups[at] != pair_groups[targets]
                np.add.at(sums, targets[other], best_vals[at][other])
                first_pair = last_pair
        start = stop
    return sums[pair_of]


_SHINGLE = 5
#: Up to this many sources every pair is compared exactly; beyond, MinHash LSH
#: (datasketch) proposes the candidate pairs. LSH is an index for many
#: documents: for a handful, comparing every pair is exact and quicker, and
#: spares loading datasketch, which imports scipy.integrate (half a second).
EXACT_PAIRS_UP_TO = 64


def shingles(text: str) -> frozenset[bytes]:
    """Word 5-shingles of a text, lower-cased (a short text is one shingle)."""
    lowered = text.lower()
    # Each shingle is joined from the words as bytes, not joined and then encoded (UTF-8 encodes
    # a joined text as the join of its encoded parts): a quarter of the time, issue 19. ASCII text
    # is read as bytes, where \w is the same ASCII class.
    if lowered.isascii():
        tokens = _ASCII_WORDS.findall(lowered.encode())
    else:
        tokens = [word.encode() for word in _WORDS.findall(lowered)]
    if len(tokens) < _SHINGLE:
        return frozenset((b" ".join(tokens),))
    # The runs of _SHINGLE tokens, by zipping shifted lists (no slice per position).
    shifted = [tokens[k:] for k in range(_SHINGLE)]
    return frozenset(map(b" ".join, zip(*shifted, strict=False)))


_WORDS = re.compile(r"\w+")
_ASCII_WORDS = re.compile(rb"\w+")


def jaccard(a: frozenset[bytes], b: frozenset[bytes]) -> float:
    shared = len(a & b)  # the union's size follows: no second set is built (issue 19)
    return shared / max(1, len(a) + len(b) - shared)


def _candidate_pairs(sets: Sequence[frozenset[bytes]], threshold: float,
                     signatures: Sequence[np.ndarray] | None = None) -> list[tuple[int, int]]:
    """Pairs (earlier, later) that may reach ``threshold``: all pairs, or MinHash LSH's.

    ``signatures``: the sets' MinHash values (:func:`minhash_signatures`), when already made.
    """
    n = len(sets)
    if n <= EXACT_PAIRS_UP_TO:
        return [(i, j) for j in range(n) for i in range(j)]
    if signatures is None:
        signatures = minhash_signatures(sets)
    bands = LSH_BANDS.get((threshold, _PERMUTATIONS))
    if bands is not None:
        return _banded_pairs(signatures, *bands)
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=_PERMUTATIONS)
    template = _minhash_template()
    pairs: list[tuple[int, int]] = []
    for j, values in enumerate(signatures):
        mh = MinHash(num_perm=_PERMUTATIONS, seed=1, hashfunc=zlib.crc32, hashvalues=values,
                     permutations=template.permutations, scheme=template.scheme)
        pairs.extend((int(other), j) for other in lsh.query(mh))
        lsh.insert(str(j), mh)
    return sorted(pairs)


_PERMUTATIONS = 128

#: (bands, rows per band) that datasketch's ``MinHashLSH`` chooses for a (Jaccard threshold,
#: permutations): its ``_optimal_param`` with equal weights (a test checks each against it).
#: Known, they spare importing its LSH module, which loads scipy.integrate (0.4 s, issue 19).
LSH_BANDS: dict[tuple[float, int], tuple[int, int]] = {(SYNDICATION_THRESHOLD, 128): (18, 7)}


def _banded_pairs(signatures: Sequence[np.ndarray], bands: int, rows: int) -> list[tuple[int, int]]:
    """Pairs (earlier, later) whose signatures agree on every value of some band, sorted.

    What ``MinHashLSH(params=(bands, rows))`` gives when each signature is
    queried and then inserted in turn: the same bands (``rows`` values each,
    from the first), the same candidates.
    """
    tables: list[dict[bytes, list[int]]] = [{} for _ in range(bands)]
    pairs: list[tuple[int, int]] = []
    for j, values in enumerate(signatures):
        found: set[int] = set()
        for band, table in enumerate(tables):
            key = values[band * rows:(band + 1) * rows].tobytes()
            bucket = table.get(key)
            if bucket is None:
                table[key] = [j]
            else:
                found.update(bucket)
                bucket.append(j)
        pairs.extend((i, j) for i in found)
    return sorted(pairs)


def _minhash_template() -> Any:
    return _minhash_class()(num_perm=_PERMUTATIONS, seed=1, hashfunc=zlib.crc32)


@functools.cache
def _minhash_class() -> Any:
    """datasketch's ``MinHash``, without its package ``__init__``.

    ``import datasketch`` loads every sketch it offers, its LSH indexes and,
    through them, scipy.integrate: 0.5 s in each process for one class (issue
    19). As :func:`briefing.segment._import_nltk_parts` does for NLTK, the
    package is entered as an empty package module, ``datasketch.minhash`` (and
    ``datasketch.hashfunc``) imported through it, and every ``datasketch``
    module taken out of ``sys.modules`` again: anyone else importing datasketch
    gets the whole package, loaded as usual.
    """
    import importlib
    import importlib.util
    import sys
    import types

    if "datasketch" in sys.modules:  # already loaded whole
        return importlib.import_module("datasketch").MinHash
    spec = importlib.util.find_spec("datasketch")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("datasketch is not installed")
    package = types.ModuleType("datasketch")
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules["datasketch"] = package
    try:
        return importlib.import_module("datasketch.minhash").MinHash
    finally:
        for name in [name for name in sys.modules if name == "datasketch" or name.startswith("datasketch.")]:
            del sys.modules[name]


def minhash_signatures(sets: Iterable[frozenset[bytes]]) -> list[np.ndarray]:
    """Each shingle set's MinHash values (a job for the second process: they pickle small).

    crc32 (C) instead of datasketch's default sha1 per shingle: the hashing
    was most of the cost, and any fixed 32-bit hash serves. The permutations
    are drawn once and shared (same seed, same values).
    """
    minhash = _minhash_class()
    template = _minhash_template()
    fmix = minhash.__init__.__globals__.get("_fmix")  # the minhash module's own finaliser
    if template.scheme == "affine32" and fmix is not None:
        # What update_batch computes for datasketch's default scheme (a test compares them), without
        # a MinHash object per set and a Python call per shingle: a quarter of the time (issue 19).
        a, b = template.permutations
        empty = template.hashvalues
        return [np.minimum(empty, (fmix(np.fromiter(map(zlib.crc32, shingle_set), dtype=np.uint32,
                                                    count=len(shingle_set)).reshape(-1, 1), 32) * a + b).min(axis=0))
                if shingle_set else empty.copy() for shingle_set in sets]
    out: list[np.ndarray] = []
    for shingle_set in sets:
        mh = minhash(num_perm=_PERMUTATIONS, seed=1, hashfunc=zlib.crc32, permutations=template.permutations,
                     scheme=template.scheme)
        mh.update_batch(sorted(shingle_set))
        out.append(mh.hashvalues)
    return out


#: Texts signed per part of the range the two processes share (a few tens of milliseconds).
SIGNED_PER_PART = 32


def text_signatures(texts: Sequence[str]) -> list[np.ndarray]:
    """:func:`minhash_signatures` of the texts' shingles (the job sent to the second process).

    One shingle set at a time: all of them at once were about 270 MB at 5,000 articles.
    """
    return minhash_signatures(shingles(text) for text in texts)


def syndication_groups(sources: Sequence[Source], *, threshold: float = SYNDICATION_THRESHOLD) -> tuple[int, ...]:
    """Group position of each source; near-identical articles share a group.

    Two articles are copies when the Jaccard similarity of their word
    5-shingle sets is at least ``threshold`` (always computed exactly; LSH
    only proposes pairs when there are many sources). Copies of copies join
    the same group.
    """
    return text_groups(tuple(source.text for source in sources), threshold)


#: The last texts grouped at the syndication threshold, and their groups: a build asks twice for
#: the same texts (:func:`briefing.ingest.limit_near_copies`, then :func:`corroborate`).
_LAST_GROUPS: list[tuple[tuple[str, ...], tuple[int, ...]]] = []


#: The Jaccard similarity of each pair of texts the last :func:`text_groups` call compared (one entry).
_PAIR_SIMILARITY: list[dict[tuple[str, str], float]] = []


#: The MinHash signatures of the texts of the last :func:`text_groups` call that made them (one entry).
_SIGNATURES: list[dict[str, np.ndarray]] = []


def _signed(texts: Sequence[str]) -> bool:
    """Were all of ``texts`` signed by the last :func:`text_groups` call?"""
    return bool(_SIGNATURES) and all(text in _SIGNATURES[0] for text in texts)


def _remembered_groups(texts: Sequence[str], threshold: float) -> tuple[int, ...] | None:
    """The groups of ``texts`` if they were the last texts grouped (at the default threshold)."""
    # One read of the entry: builds in threads of one process may replace it meanwhile.
    last = next(iter(_LAST_GROUPS), None)
    if threshold == SYNDICATION_THRESHOLD and last is not None and last[0] == tuple(texts):
        return last[1]
    return None


def text_groups(
    texts: Sequence[str], threshold: float = SYNDICATION_THRESHOLD, *, worker: Worker | None = None,
) -> tuple[int, ...]:
    """:func:`syndication_groups` of the texts alone (a job for the second process).

    The last result is remembered (one entry): the same texts are not shingled and compared twice.
    With a ``worker`` and many texts, it shingles and MinHashes half of them.
    """
    remembered = _remembered_groups(texts, threshold)
    if remembered is not None:
        return remembered
    groups = _text_groups(texts, threshold, worker)
    if threshold == SYNDICATION_THRESHOLD:
        _LAST_GROUPS[:] = [(tuple(texts), groups)]
    return groups


def _text_groups(texts: Sequence[str], threshold: float, worker: Worker | None = None) -> tuple[int, ...]:
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if len(texts) > 1:
        # Word-for-word copies join their first copy at once; only distinct
        # texts are shingled and compared.
        first_with_text: dict[str, int] = {}
        for position, text in enumerate(texts):
            parent[position] = first_with_text.setdefault(text, position)
        distinct = sorted(first_with_text.values())
        if worker is not None and len(distinct) > EXACT_PAIRS_UP_TO:
            # Only candidate pairs need their shingle sets here; the signatures are shared with
            # the worker (Worker.map_shared), and those of texts signed in the last call are remembered.
            known = _SIGNATURES[0] if _SIGNATURES else {}
            missing = [i for i, k in enumerate(distinct) if texts[k] not in known]
            # One shingle set at a time: the few texts of candidate pairs are shingled again below
            # (all sets at once were about 270 MB at 5,000 articles, most never needed again).
            made: dict[int, frozenset[bytes]] = {}
            fresh = dict(zip(missing, worker.map_shared(text_signatures, [texts[distinct[i]] for i in missing],
                                                        SIGNED_PER_PART), strict=True))
            signatures = [fresh[i] if i in fresh else known[texts[k]] for i, k in enumerate(distinct)]
            _SIGNATURES[:] = [{texts[k]: signatures[i] for i, k in enumerate(distinct)}]
            pairs = _candidate_pairs([frozenset()] * len(distinct), threshold, signatures)
        elif len(distinct) <= EXACT_PAIRS_UP_TO:
            made = {}  # every pair is compared: each set is made when first needed (none if all are known)
            pairs = _candidate_pairs([frozenset()] * len(distinct), threshold)
        else:
            made = dict(enumerate(shingles(texts[k]) for k in distinct))
            pairs = _candidate_pairs(list(made.values()), threshold)

        def shingle_set(i: int) -> frozenset[bytes]:
            if i not in made:
                made[i] = shingles(texts[distinct[i]])
            return made[i]

        # A build groups its texts twice, the second time without the off-topic ones: the pairs
        # compared the first time are not shingled and compared again (their values are remembered).
        known_pairs = next(iter(_PAIR_SIMILARITY), {})
        compared: dict[tuple[str, str], float] = {}
        for i, j in pairs:
            a, b = distinct[i], distinct[j]
            if find(a) != find(b):
                key = (texts[a], texts[b])
                similarity = known_pairs.get(key)
                if similarity is None:
                    similarity = jaccard(shingle_set(i), shingle_set(j))
                compared[key] = similarity
                if similarity >= threshold:
                    parent[find(b)] = find(a)
        _PAIR_SIMILARITY[:] = [compared]
    roots = [find(i) for i in range(len(texts))]
    # Renumber groups by first appearance so ids are stable.
    numbering: dict[int, int] = {}
    return tuple(numbering.setdefault(r, len(numbering)) for r in roots)


def corroborate(
    sources: Sequence[Source], sentences: Sequence[Sentence], *, worker: Worker | None = None,
    meanwhile: Callable[[str], None] | None = None, grouped: Callable[[tuple[int, ...]], None] | None = None,
) -> Corroboration:
    """Similarity graph, independent groups and support for every sentence.

    With a ``worker``, the syndicated copies are found there while this
    process stems the sentences (unless already known), and it computes half
    of the claim views and half of the graph. ``meanwhile`` is called with
    ``"views"`` once the claim views are made and with ``"graph"`` once the
    similarity graph and the syndicated copies are: the worker has no job of this step then (this
    process stems and weighs the words, then finds and screens the pairs to
    compare, 0.4 s each at 1,000 articles), a caller's moment to send it one;
    and with ``"compare"`` once the worker compares the pairs that both
    processes share (:func:`claim_verdicts`): a caller's moment to do here
    what it would do after corroboration, with the other core busy.
    ``grouped`` is called with the independent groups (``group_of_source``)
    once they are known, before ``"graph"``: what a caller does at ``"compare"``
    may need them.
    """
    position = {source.id: k for k, source in enumerate(sources)}
    source_index = np.asarray([position[s.source_id] for s in sentences], dtype=np.int64)
    texts = tuple(source.text for source in sources)
    remembered = _remembered_groups(texts, SYNDICATION_THRESHOLD)
    # Without the groups of these texts (the near-copy limit dropped some), the
    # worker finds them meanwhile, unless it made their signatures already
    # (they are remembered here: then only the candidate pairs are left to do).
    grouping = worker.submit(text_groups, texts) if (
        worker is not None and len(texts) > EXACT_PAIRS_UP_TO and remembered is None
        and not _signed(texts)) else None
    # Once per distinct text: sentences repeated word for word share their stems. With a worker,
    # those of the texts whose views it makes come with them.
    stems_of: dict[str, tuple[str, ...]] = {}
    with timed(log, "  claim views"):
        # First: with a worker, half of them are made there meanwhile.
        views = sentence_views(sentences, worker=worker, stems=stems_of)
    if meanwhile is not None:
        meanwhile("views")
    with timed(log, "  content words"):
        stems = [stems_of.get(s.text) or stems_of.setdefault(s.text, content_stems(s.text)) for s in sentences]
        del stems_of
    with timed(log, "  tf-idf"):
        vectors = tfidf_matrix(stems)
    del stems  # not needed again: held to the end, they were part of the build's peak (issue 19)
    with timed(log, "  similarity graph"):
        graph = sentence_graph(vectors, worker=worker)
    del vectors
    with timed(log, "  syndicated copies"):
        groups = grouping.result() if grouping is not None else remembered or text_groups(texts, worker=worker)
        # "k of n" counts outlets: two stories of one agency are not two confirmations.
        groups = outlet_groups(groups, [UNNAMED_SOURCE if source.syndicate and source.name == source.syndicate
                                        else source.name for source in sources])
    if grouped is not None:
        grouped(groups)
    if meanwhile is not None:
        meanwhile("graph")
    n_groups = max(groups, default=-1) + 1
    group_index = np.asarray(groups, dtype=np.int64)[source_index] if len(sentences) else source_index

    with timed(log, "  soft support"):
        soft = soft_support_sums(graph, group_index, n_groups)
    if n_groups > 1:
        soft /= n_groups - 1
    printings: list[np.ndarray] = []
    named = frozenset(source.id for source in sources if _named(_outlet_key(source.name)))

    def comparing() -> None:
        """While the worker compares the pairs: what claim_support needs, and the caller's moment."""
        printings.append(first_printings(sentences, named))
        if meanwhile is not None:
            meanwhile("compare")

    with timed(log, "  claims"):
        context = claim_context(sentences, source_index, groups, views=views)
        verdicts = claim_verdicts(sentences, graph, source_index, context, views=views, worker=worker,
                                  meanwhile=comparing)
    first = printings[0] if printings else first_printings(sentences, named)
    # The count a reader sees ("k of n", `outlets`) groups unnamed sources together; ranking's support keeps
    # them apart. A rewrite of another outlet's sentence counts once there too (:meth:`Corroboration.shown_support`).
    counted = outlet_groups(groups, [source.name for source in sources], unnamed_apart=False)
    if counted == groups:
        (support,), n_outlets = claim_support(sentences, verdicts, group_index, first=first), n_groups
        outlets, counted_index = support, group_index
    else:
        counted_index = np.asarray(counted, dtype=np.int64)[source_index] if len(sentences) else source_index
        support, outlets = claim_support(sentences, verdicts, group_index, counted_index, first=first)
        n_outlets = max(counted, default=-1) + 1
    return Corroboration(
        sentences=tuple(sentences), graph=graph, source_index=source_index,
        group_of_source=groups, support=support, soft_support=soft, n_groups=n_groups,
        outlets=outlets, n_outlets=n_outlets, verdicts=verdicts, claim_context=context, outlet_index=counted_index,
        named_sources=frozenset(k for k, source in enumerate(sources) if source.id in named),
    )


def _outlet_key(name: str) -> str:
    """An outlet's name for grouping: case and a leading "The" aside ("The Boston Globe" is "Boston Globe")."""
    key = name.strip().casefold()
    return key[4:] if key.startswith("the ") else key


def _named(key: str) -> bool:
    """Does an outlet key (:func:`_outlet_key`) name an outlet?"""
    return bool(key) and key != UNNAMED_SOURCE


def outlet_groups(groups: Sequence[int], names: Sequence[str], *, unnamed_apart: bool = True) -> tuple[int, ...]:
    """Independence groups merged by outlet: two articles of one named outlet count once.

    Syndicated copies are already one group; articles that the same outlet
    published (two AP stories of different days) join it. With
    ``unnamed_apart``, unnamed sources stay apart (for ranking: nothing says
    they share an author); without it they join one group when some source is
    named (for the count a reader sees: nothing says they are independent
    either; an editor's read found "k of n" inflated by unnamed wire copy),
    and stay apart when none is (then articles are all there is to count).
    An unnamed copy of a named outlet's story (in that outlet's group) is
    the outlet's and joins no other. Groups are renumbered in order of first
    appearance.
    """
    keys = [_outlet_key(name) for name in names]
    together = not unnamed_apart and any(_named(key) for key in keys)
    # An unnamed copy of a named outlet's story is that outlet's: it does not join the unnamed ones (an
    # editor's read of D0615 found a named outlet counted with them through its unnamed copy).
    named_groups = {group for group, key in zip(groups, keys, strict=True) if _named(key)}
    parent = list(range(max(groups, default=-1) + 1))

    def find(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    first_of_name: dict[str, int] = {}
    for group, key in zip(groups, keys, strict=True):
        if not _named(key) and (not together or group in named_groups):
            continue
        key = key or UNNAMED_SOURCE
        other = first_of_name.setdefault(key, group)
        a, b = find(group), find(other)
        if a != b:
            parent[max(a, b)] = min(a, b)
    renumber: dict[int, int] = {}
    return tuple(renumber.setdefault(find(g), len(renumber)) for g in groups)


#: From this many distinct sentences, the second process (when there is one)
#: computes the claim views of 44 % of them (their pickling costs less than that).
PARALLEL_VIEWS_FROM = 4096


#: The share of the distinct sentences whose claim views the second process makes: less than
#: half, since it also pickles them back (about 0.3 s at 1,000 articles, when this process waited
#: for it; issue 19).
WORKER_VIEWS_SHARE = 0.44


def views_split(n: int) -> int:
    """Where :func:`sentence_views` splits ``n`` distinct texts: the worker makes the views from there on."""
    return n - int(n * WORKER_VIEWS_SHARE)


def views_and_stems(texts: Sequence[str]) -> tuple[list[ClaimView], list[tuple[str, ...]]]:
    """:func:`~briefing.claims.views_of` the texts, and each text's content stems (a job for the second process).

    Making the views stems the texts' words: their content stems for the
    TF-IDF then cost the worker little, where this process would stem them
    alone, with the other core idle (issue 19).
    """
    return views_of(texts), [content_stems(text) for text in texts]


def sentence_views(sentences: Sequence[Sentence], *, worker: Worker | None = None,
                   stems: dict[str, tuple[str, ...]] | None = None) -> list[ClaimView]:
    """Each sentence's :func:`~briefing.claims.view`, computed once per distinct text.

    Sentences repeated word for word (an agency paragraph in several articles)
    share one view object; a build asks for them once, here, instead of once
    per step through a bounded cache that large inputs would thrash. With a
    ``worker`` and many distinct texts, it computes the last ones (:func:`views_split`),
    and their :func:`~briefing.segment.content_stems`, put in ``stems`` (by text) when given.
    """
    distinct = list(dict.fromkeys(sentence.text for sentence in sentences))
    half = views_split(len(distinct)) if worker is not None and len(distinct) >= PARALLEL_VIEWS_FROM else len(distinct)
    later = distinct[half:]
    job = worker.submit(views_and_stems, later) if worker is not None and later else None
    by_text = {text: view(text) for text in distinct[:half]}
    if job is not None:
        views, later_stems = job.result()
        by_text.update(zip(later, adopt_views(later, views), strict=True))
        if stems is not None:
            stems.update(zip(later, later_stems, strict=True))
    return [by_text[sentence.text] for sentence in sentences]


def claim_context(
    sentences: Sequence[Sentence], source_index: np.ndarray, groups: Sequence[int], *,
    views: Sequence[ClaimView] | None = None,
) -> ClaimContext:
    """Names and word rarity over the sentences, each independent group counted once.

    ``views``: the sentences' views (:func:`sentence_views`), when already computed.
    """
    if views is None:
        views = sentence_views(sentences)
    by_group: dict[int, list[int]] = {}
    for k, source in enumerate(source_index.tolist()):
        by_group.setdefault(groups[source], []).append(k)
    return ClaimContext.from_views([[views[k] for k in members] for _, members in sorted(by_group.items())])


#: Graph entries handled at once by the steps that walk every similar pair (bounds their memory).
ENTRIES_PER_CHUNK = 1 << 21


def graph_entries(
    graph: sparse.csr_matrix, per_chunk: int = ENTRIES_PER_CHUNK,
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The graph's entries as (rows, columns, values), whole rows at a time, in row order.

    The same entries in the same order as ``graph.tocoo()`` (a canonical
    CSR matrix), a few million at a time: at thousands of articles the graph
    holds tens of millions of pairs, and every full-length copy of them
    (rows, keys, sort orders) costs hundreds of megabytes.
    """
    indptr = graph.indptr
    n_rows = graph.shape[0]
    start = 0
    while start < n_rows:
        # At least one row per chunk, whole rows only.
        stop = max(start + 1, int(np.searchsorted(indptr, indptr[start] + per_chunk, side="right")) - 1)
        stop = min(stop, n_rows)
        lo, hi = int(indptr[start]), int(indptr[stop])
        rows = np.repeat(np.arange(start, stop, dtype=np.int64), np.diff(indptr[start:stop + 1]))
        yield rows, graph.indices[lo:hi].astype(np.int64), graph.data[lo:hi]
        start = stop


def claim_codes(
    texts: Sequence[str], items: np.ndarray, evidence: np.ndarray, context: ClaimContext,
    lent: Sequence[str] = (), views: Sequence[ClaimView] = (), screened: bool = False, generation: int = -1,
) -> np.ndarray:
    """The verdict code (:data:`VERDICT_CODES`, 0: unrelated) of each pair of ``texts`` (a job for the second process).

    Pair k is ``compare(view(texts[items[k]]), view(texts[evidence[k]]), context)``.
    ``lent`` and their ``views``: views made in the other process, taken instead of made again
    (:func:`~briefing.claims.adopt_views`). ``screened``: the pairs passed the screening
    already (:func:`_passing`), and with a ``generation`` shared by
    :meth:`~briefing.worker.Worker.share` the worker compares them from the front while the
    first process takes them from the back: the codes of the first pairs only, as many as
    the worker took (:func:`~briefing.worker.front_chunks`).
    """
    from briefing.worker import front_chunks

    if lent:
        adopt_views(lent, views)
    if not screened:
        return _verdict_codes([view(text) for text in texts], items, evidence, context)

    def claim(k: int) -> ClaimView:  # made when a pair first needs it (memoised by view)
        return view(texts[k])

    parts = [_compared_codes(claim, items[start:stop], evidence[start:stop], context)
             for start, stop in front_chunks(generation, len(items), COMPARED_PER_PART)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int8)


#: Pairs compared per part of a range shared by the two processes (a few tens of milliseconds).
COMPARED_PER_PART = 256


def _verdict_codes(claims: Sequence[ClaimView], items: np.ndarray, evidence: np.ndarray,
                   context: ClaimContext, terms: _ClaimTerms | None = None) -> np.ndarray:
    """Per pair (``claims[items[k]]``, ``claims[evidence[k]]``), past the screening: compare's verdict code.

    Most pairs fail compare's coverage and anchor tests (four in five at 1,000
    articles): :class:`_Coverages` tells them for all pairs at once, on the
    claims the pairs use, and only the rest are compared (issue 19: a call per
    pair was most of this step's time). ``terms``: the claims' :class:`_ClaimTerms`, when made already.
    """
    codes = np.zeros(len(items), dtype=np.int8)
    if not len(items):
        return codes
    keep = _passing(claims, items, evidence, context, terms)
    codes[keep] = _compared_codes(claims.__getitem__, items[keep], evidence[keep], context)
    return codes


def _passing(claims: Sequence[ClaimView], items: np.ndarray, evidence: np.ndarray,
             context: ClaimContext, terms: _ClaimTerms | None = None) -> np.ndarray:
    """The positions of the pairs that :class:`_Coverages` does not rule out (to compare).

    ``terms``: the :class:`_ClaimTerms` of ``claims``, when made already (the screening's): the
    coverages take their rows instead of making the matrices again.
    """
    if not len(items):
        return np.zeros(0, dtype=np.int64)
    used, local = np.unique(np.concatenate([items, evidence]), return_inverse=True)
    coverages = _Coverages([claims[u] for u in used.tolist()], context,
                           terms=None if terms is None else (terms, used))
    return np.flatnonzero(coverages.may_relate(local[:len(items)], local[len(items):]))


def _compared_codes(claim: Callable[[int], ClaimView], items: np.ndarray, evidence: np.ndarray,
                    context: ClaimContext) -> np.ndarray:
    """compare's verdict code of each pair (``claim(items[k])``, ``claim(evidence[k])``), no screening."""
    codes = np.zeros(len(items), dtype=np.int8)
    for k, (i, j) in enumerate(zip(items.tolist(), evidence.tolist(), strict=True)):
        codes[k] = VERDICT_CODES.get(compare(claim(i), claim(j), context).kind, 0)
    return codes


def claim_verdicts(
    sentences: Sequence[Sentence], graph: sparse.csr_matrix | SimilarityGraph, source_index: np.ndarray,
    context: ClaimContext, *, views: Sequence[ClaimView] | None = None, worker: Worker | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> sparse.csr_matrix:
    """For every similar pair of sentences of different sources, how j relates to i's claim.

    Only pairs the sparse similarity graph holds are compared (never all
    pairs); the comparison itself is :func:`briefing.claims.compare`, with the
    names that most independent sources share left out. A verdict depends on
    the two texts alone, so each pair of distinct texts with similar
    sentences is compared once, and only when it passes compare's first test
    (:func:`briefing.claims.screening_terms`), counted for all pairs at once:
    most similar pairs fail it, and a call per pair was most of the cost.
    The verdicts are then copied to every pair of sentences of different
    sources with those texts (the graph holds all of them: equal texts have
    equal similarities). With a ``worker`` and many texts, it compares the
    pairs of texts whose views it made (:func:`sentence_views`); ``meanwhile``
    is called once the worker is comparing and before this process starts to:
    the worker takes more of the pairs for as long as it runs.
    """
    n = len(sentences)
    if views is None:
        views = sentence_views(sentences)
    text_ids: dict[int, int] = {}
    distinct: list[ClaimView] = []
    texts: list[str] = []
    of_sentence = np.empty(n, dtype=np.int64)
    for k, claim in enumerate(views):
        found = text_ids.get(id(claim))
        if found is None:
            found = text_ids[id(claim)] = len(distinct)
            distinct.append(claim)
            texts.append(sentences[k].text)
        of_sentence[k] = found
    n_texts = max(1, len(distinct))
    # text x sentence: which sentences have each text.
    membership = sparse.csr_matrix((np.ones(n), (of_sentence, np.arange(n))), shape=(n_texts, n))
    items, evidence = _text_pairs(graph, membership, of_sentence, n_texts)
    terms = _ClaimTerms(distinct)  # one set of incidence matrices for the screening and the coverages
    shared = _ScreeningTerms(distinct, terms).overlap(items, evidence)
    codes = np.zeros(len(items), dtype=np.float64)
    candidates = np.flatnonzero(shared >= MIN_SHARED_CONTENT)
    # Two texts that one and the same source alone prints pair only sentences of that source,
    # which the verdicts leave out below: such pairs are not compared (5 % of them at 1,000 articles).
    sole = _sole_source(of_sentence, source_index, n_texts)
    candidates = candidates[(sole[items[candidates]] != sole[evidence[candidates]]) | (sole[items[candidates]] < 0)]
    if worker is not None and len(distinct) >= PARALLEL_VIEWS_FROM:
        # All pairs are screened here first (the worker reads the surnames meanwhile), and
        # only those left are compared, by both processes. Texts are in order of first
        # appearance, as sentence_views split them: the worker holds the views of the second
        # part (views_split). Similar texts are mostly of one story, so most pairs lie within
        # one part. The pairs are shared (Worker.share): the worker takes them from the
        # front, first those with a text of its part (with the views of their texts of the
        # first part sent along, cheaper than making them again), then, if it gets that far,
        # those of the first part; this process takes them from the back, its own first, until
        # the two meet. A fixed split had left one process or the other waiting 0.3-0.5 s (issue
        # 19). The views of every text of the first part that a shared pair uses are sent: the
        # worker took over two fifths of this process's pairs at 1,000 articles and made their
        # views again (0.3 s), where pickling and reading them back costs a twentieth of that.
        candidates = candidates[_passing(distinct, items[candidates], evidence[candidates], context, terms)]
        split = views_split(len(distinct))
        mine = (items[candidates] < split) & (evidence[candidates] < split)
        theirs, candidates = candidates[~mine], candidates[mine]
        share = worker.share(len(theirs) + len(candidates))
        shared = np.concatenate([theirs, candidates]) if share is not None else theirs
        # Only the texts its pairs use are sent, and their pairs as indexes into them.
        used, local = np.unique(np.concatenate([items[shared], evidence[shared]]), return_inverse=True)
        lent = used if share is not None else np.unique(np.concatenate([items[theirs], evidence[theirs]]))
        lent = lent[lent < split].tolist()
        job = worker.submit(claim_codes, [texts[i] for i in used.tolist()], local[:len(shared)],
                            local[len(shared):], context, [texts[i] for i in lent], [distinct[i] for i in lent],
                            True, share.generation if share is not None else -1)
        if share is None:  # nothing shared: the worker's pairs as sent, this process's here
            codes[candidates] = _compared_codes(distinct.__getitem__, items[candidates], evidence[candidates],
                                                context)
            codes[theirs] = job.result()
        else:
            if meanwhile is not None:
                # The worker compares from the front meanwhile: whatever this process does
                # now, the worker takes more of the pairs instead of waiting at the end.
                meanwhile()
            while (part := share.take_back(COMPARED_PER_PART)) is not None:
                taken = shared[part[0]:part[1]]
                codes[taken] = _compared_codes(distinct.__getitem__, items[taken], evidence[taken], context)
            if share.front() > 0:  # else this process took them all: nothing to wait for
                done = job.result()
                codes[shared[:len(done)]] = done
    else:
        codes[candidates] = _verdict_codes(distinct, items[candidates], evidence[candidates], context, terms)
    related = codes != 0
    by_text = sparse.csr_matrix((codes[related], (items[related], evidence[related])), shape=(n_texts, n_texts))
    # Every pair of sentences with those texts, then only pairs of different sources.
    expanded = sparse.csr_matrix(sparse.csr_matrix(membership.T) @ sparse.csr_matrix(by_text @ membership)).tocoo()
    rows, cols = expanded.row.astype(np.int64), expanded.col.astype(np.int64)
    cross = source_index[rows] != source_index[cols]
    matrix = sparse.csr_matrix(
        (expanded.data[cross].astype(np.int8), (rows[cross], cols[cross])), shape=(n, n))
    matrix.sort_indices()
    return matrix


def _sole_source(of_sentence: np.ndarray, source_index: np.ndarray, n_texts: int) -> np.ndarray:
    """Per text, the one source whose sentences have it, or -1 when several sources print it."""
    low = np.full(n_texts, np.iinfo(np.int64).max, dtype=np.int64)
    high = np.full(n_texts, -1, dtype=np.int64)
    np.minimum.at(low, of_sentence, source_index)
    np.maximum.at(high, of_sentence, source_index)
    return np.where(low == high, low, -1)


def _text_pairs(
    graph: sparse.csr_matrix | SimilarityGraph, membership: sparse.csr_matrix, of_sentence: np.ndarray, n_texts: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of texts (item, evidence) with a similar pair of sentences, two different sentences.

    On a :class:`SimilarityGraph` whose rows follow the texts (equal texts,
    equal TF-IDF rows: always so in a build), from its distinct graph: texts
    t and u are a pair when their rows are similar, unless t is u and only
    one sentence has it (a sentence is never its own pair). The same pairs as
    from the whole graph, without its hundred million entries.
    """
    if isinstance(graph, SimilarityGraph):
        n = len(of_sentence)
        row_of_text = np.zeros(n_texts, dtype=np.int64)
        row_of_text[of_sentence] = graph.row_of
        if n and np.array_equal(row_of_text[of_sentence], graph.row_of):
            text_rows = sparse.csr_matrix((np.ones(n_texts), (np.arange(n_texts), row_of_text)),
                                          shape=(n_texts, graph.distinct.shape[0]))
            pairs = sparse.csr_matrix(text_rows @ sparse.csr_matrix(graph.distinct @ text_rows.T)).tocoo()
            items, evidence = pairs.row.astype(np.int64), pairs.col.astype(np.int64)
            copies = np.bincount(of_sentence, minlength=n_texts)
            keep = (items != evidence) | (copies[items] > 1)
            return items[keep], evidence[keep]
        graph = graph.to_csr()
    # Similarities are positive: no entry cancels.
    pairs = sparse.csr_matrix(membership @ sparse.csr_matrix(graph @ membership.T)).tocoo()
    return pairs.row.astype(np.int64), pairs.col.astype(np.int64)


#: Pairs whose screening overlap is counted in one sparse product (bounds its memory).
_SCREEN_CHUNK = 262_144


class _ClaimTerms:
    """The claims' main-clause terms, names and content terms as incidence matrices over one vocabulary.

    Made once per build's distinct claims (:func:`claim_verdicts`), they serve
    both the screening (:class:`_ScreeningTerms`) and the coverages
    (:class:`_Coverages`, the rows of the claims its pairs use), which had
    each made their own from the same views (issue 19).
    """

    def __init__(self, claims: Sequence[ClaimView]) -> None:
        sides = ([claim.main for claim in claims], [claim.names for claim in claims],
                 [claim.content for claim in claims])
        self.vocabulary = {term: k for k, term in enumerate(set().union(*sides[0], *sides[1], *sides[2]))}
        self.main, self.names, self.content = (_incidence(sets, self.vocabulary) for sets in sides)


class _ScreeningTerms:
    """Each claim's screening terms (:func:`briefing.claims.screening_terms`) as two sparse incidence matrices.

    They are the main clause's terms that are content terms (``main & content``)
    and the content terms, taken from the claims' :class:`_ClaimTerms` (``terms``,
    when made already; the coverages use the same).
    """

    def __init__(self, claims: Sequence[ClaimView], terms: _ClaimTerms | None = None) -> None:
        terms = terms if terms is not None else _ClaimTerms(claims)
        self.as_item = sparse.csr_matrix(terms.main.multiply(terms.content))
        self.as_evidence = terms.content

    def overlap(self, items: np.ndarray, evidence: np.ndarray) -> np.ndarray:
        """Per pair (``items[k]``, ``evidence[k]``): how many screening terms they share."""
        out = np.zeros(len(items), dtype=np.int64)
        for start in range(0, len(items), _SCREEN_CHUNK):
            stop = start + _SCREEN_CHUNK
            product = self.as_item[items[start:stop]].multiply(self.as_evidence[evidence[start:stop]])
            out[start:stop] = np.asarray(product.sum(axis=1)).ravel()
        return out


def _incidence(sets: Sequence[frozenset[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """Rows: the sets; columns: ``vocabulary``'s terms; 1 where a set holds a term."""
    lengths = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(sets)), dtype=np.int64,
                          count=int(indptr[-1]))
    return sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(sets), max(1, len(vocabulary))))


#: How far below a threshold :class:`_Coverages` must find a coverage to call it failed: its sums add
#: the same weights as :func:`briefing.claims.compare` in another order (a few units in the last place).
_COVERAGE_MARGIN = 1e-9


class _Coverages:
    """The coverages :func:`briefing.claims.compare` computes, for many pairs at once (sparse products).

    Per claim, its main-clause and whole terms (cluster-wide names out) with their
    idf weights, and all its terms (names included) as an incidence matrix, as
    ``ClaimContext.prepared`` makes them.
    """

    def __init__(self, claims: Sequence[ClaimView], context: ClaimContext, *,
                 terms: tuple[_ClaimTerms, np.ndarray] | None = None) -> None:
        # Three incidence matrices (main clause, names, content) and sparse sums and masks
        # instead of a set operation per claim and side. ``terms``: the :class:`_ClaimTerms` of
        # a list of claims and the rows of these claims in it (the screening's matrices).
        if terms is None:
            made = _ClaimTerms(claims)
            vocabulary, main, names, content = made.vocabulary, made.main, made.names, made.content
        else:
            whole, rows = terms
            vocabulary = whole.vocabulary
            main, names, content = whole.main[rows], whole.names[rows], whole.content[rows]
        out = context.shared_names
        # Each term's weight, none for the names most independent sources share (left out of both sides).
        weights = np.fromiter((0.0 if term in out else context.weight(term) for term in vocabulary),
                              dtype=np.float64, count=len(vocabulary))
        weighting = sparse.diags(weights) if len(vocabulary) else sparse.csr_matrix((1, 1))
        self.terms = sparse.csr_matrix((content + names).sign())
        self.main = sparse.csr_matrix((main + names).sign() @ weighting)
        self.whole = sparse.csr_matrix(self.terms @ weighting)
        self.main_weight = np.asarray(self.main.sum(axis=1)).ravel()
        self.whole_weight = np.asarray(self.whole.sum(axis=1)).ravel()
        self.figures = np.fromiter((may_have_figures(claim) for claim in claims), dtype=bool, count=len(claims))
        self.dates = np.fromiter((may_have_dates(claim) for claim in claims), dtype=bool, count=len(claims))

    @staticmethod
    def _covered(weighted: sparse.csr_matrix, totals: np.ndarray, terms: sparse.csr_matrix,
                 rows: np.ndarray, others: np.ndarray) -> np.ndarray:
        """Per pair, the share of ``rows[k]``'s weighted terms that ``others[k]``'s terms hold."""
        out = np.zeros(len(rows), dtype=np.float64)
        for start in range(0, len(rows), _SCREEN_CHUNK):
            stop = start + _SCREEN_CHUNK
            product = weighted[rows[start:stop]].multiply(terms[others[start:stop]])
            out[start:stop] = np.asarray(product.sum(axis=1)).ravel()
        total = totals[rows]
        shares: np.ndarray = np.divide(out, total, out=np.zeros_like(out), where=total > 0)
        return shares

    def may_relate(self, items: np.ndarray, evidence: np.ndarray) -> np.ndarray:
        """Per pair: False when :func:`~briefing.claims.compare` certainly finds it "unrelated" by coverage.

        Past its first test (screening terms), compare calls a pair unrelated
        unless the evidence covers the item's main clause and the item enough
        (forward), or the item covers the evidence's main clause (reverse), or
        a figure or date they share anchors less coverage (``_anchored``). Below
        the anchored coverages that needs a date on both sides and a main
        coverage of DOUBLY_ANCHORED_COVERAGE; above them, a figure on both sides,
        or a date on both and a main coverage of DATE_ANCHORED_MAIN_COVERAGE.
        Only pairs that fail each of these by more than :data:`_COVERAGE_MARGIN`
        are ruled out (a coverage that near a threshold could be on either side
        of it); the rest are compared.
        """
        def below(values: np.ndarray, threshold: float) -> np.ndarray:
            return values < threshold - _COVERAGE_MARGIN

        main_cov = self._covered(self.main, self.main_weight, self.terms, items, evidence)
        item_cov = self._covered(self.whole, self.whole_weight, self.terms, items, evidence)
        reverse_cov = self._covered(self.main, self.main_weight, self.terms, evidence, items)
        not_forward = below(main_cov, MAIN_COVERAGE) | below(item_cov, ITEM_COVERAGE)
        not_reverse = below(reverse_cov, REVERSE_COVERAGE)
        # Either branch of _anchored unless the coverages are clear of the anchored ones.
        below_anchored = below(main_cov, ANCHORED_MAIN_COVERAGE) | below(item_cov, ANCHORED_ITEM_COVERAGE)
        above_anchored = ~below(main_cov, ANCHORED_MAIN_COVERAGE + 2 * _COVERAGE_MARGIN) & ~below(
            item_cov, ANCHORED_ITEM_COVERAGE + 2 * _COVERAGE_MARGIN)
        dates = self.dates[items] & self.dates[evidence]
        anchored_below = ~above_anchored & dates & ~below(main_cov, DOUBLY_ANCHORED_COVERAGE)
        anchored_above = ~below_anchored & (
            (self.figures[items] & self.figures[evidence]) | (dates & ~below(main_cov, DATE_ANCHORED_MAIN_COVERAGE)))
        ruled_out: np.ndarray = not_forward & not_reverse & ~anchored_below & ~anchored_above
        return ~ruled_out


_NON_WORD = re.compile(r"[^\w]+")
#: Every ASCII character that is not a word character (``\w``) -> a space.
_ASCII_NON_WORD_TO_SPACE = str.maketrans({chr(c): " " for c in range(128) if not re.match(r"\w", chr(c))})


def _normal_words(text: str) -> str:
    """The words of ``text``, lower-cased, one space between them (:func:`first_printings`).

    ASCII text is translated, one character for one (twice as fast as the substitution, issue 19).
    """
    lowered = text.lower()
    if lowered.isascii():
        return " ".join(lowered.translate(_ASCII_NON_WORD_TO_SPACE).split())
    return " ".join(_NON_WORD.sub(" ", lowered).split())


def first_printings(sentences: Sequence[Sentence], named: Collection[str] = frozenset()) -> np.ndarray:
    """Each sentence's first printing: the first sentence with its text, case, spaces and punctuation aside.

    "market-research" is "market research". Once per distinct text (issue 19:
    300,000 sentences at 10,000 articles, most of them repeats). Made while
    the worker compares claims (:func:`corroborate`): after corroboration it
    has nothing to do. ``named``: ids of the sources whose outlet is named; a
    text that one of them prints is theirs, whatever unnamed source printed it
    before (an unnamed copy of a named outlet's story is no other outlet: an
    editor's read of D0615 found a named outlet's sentence counted with the
    unnamed ones, through an unnamed copy earlier in the list).
    """
    normal_of: dict[str, str] = {}
    first_of_text: dict[str, int] = {}  # the first sentence that printed a text
    first = np.empty(len(sentences), dtype=np.int64)
    moved = False
    for k, sentence in enumerate(sentences):
        normal = normal_of.get(sentence.text)
        if normal is None:
            normal = normal_of[sentence.text] = _normal_words(sentence.text)
        first[k] = printed = first_of_text.setdefault(normal, k)
        if printed != k and named and sentence.source_id in named and sentences[printed].source_id not in named:
            first_of_text[normal] = k  # the named outlet's printing stands for the text
            moved = True
    if moved:
        # Every printing of a text points at the one that stands for it in the end.
        first = np.asarray([first_of_text[normal_of[s.text]] for s in sentences], dtype=np.int64)
    return first


def claim_support(
    sentences: Sequence[Sentence], verdicts: sparse.csr_matrix, group_index: np.ndarray,
    *more: np.ndarray, first: np.ndarray | None = None,
) -> tuple[np.ndarray, ...]:
    """Independent outlets asserting each sentence's claim, its own included: per grouping given.

    Syndicated copies are one group; a sentence repeated word for word by
    outlets of different groups (an agency's background paragraph) counts
    once too, with the group of its first printing (``first``: a named
    outlet's, when one prints it). ``more``: other groupings
    of the same sentences (the count a reader sees), counted in the same pass.
    ``first``: :func:`first_printings` of the sentences, when made already.
    """
    indexes = (group_index, *more)
    counts = tuple(np.ones(len(sentences), dtype=np.int64) for _ in indexes)
    if first is None:
        first = first_printings(sentences)
    # Only the rows with a supporter change their count; their supporters, row by row (CSR order).
    supports = verdicts.data == VERDICT_CODES["supports"]
    rows = np.repeat(np.arange(len(sentences), dtype=np.int64), np.diff(verdicts.indptr))[supports]
    firsts_of_supporters = first[verdicts.indices[supports]]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if len(rows) else np.zeros(0, dtype=np.int64)
    ends = np.r_[starts[1:], len(rows)] if len(rows) else starts
    for i, lo, hi in zip(rows[starts].tolist(), starts.tolist(), ends.tolist(), strict=True):
        firsts = set(firsts_of_supporters[lo:hi].tolist())
        firsts.add(int(first[i]))
        for count, index in zip(counts, indexes, strict=True):
            count[i] = len({int(index[k]) for k in firsts})
    return counts


#: Two sentences that share a run of this many words outside quotes are one story's wording, rewritten
#: by a second outlet (an agency's sentence on a heritage body's concerns and another agency's copy of
#: it with a few words cut): in the count a reader sees they are one outlet (an editor's read of D0716C
#: found such a pair as a bottom line's "2 of 2").
#: Quotes are left out: two outlets quoting one official is two reports.
COPIED_RUN = 10


def _word_runs(text: str) -> frozenset[int]:
    """Checksums of the runs of COPIED_RUN words of ``text`` outside quotes (lower case, no punctuation)."""
    tokens = _NON_WORD.sub(" ", outside_quotes(text).lower()).split()
    return frozenset(zlib.crc32(" ".join(tokens[k:k + COPIED_RUN]).encode())
                     for k in range(len(tokens) - COPIED_RUN + 1))


def _not_copied(ks: Sequence[int], sentences: Sequence[Sentence]) -> list[int]:
    """``ks`` (named outlets' first, then in printing order) without the sentences that copy a run of words
    of one kept before them."""
    kept: list[int] = []
    seen: set[int] = set()
    for k in ks:
        runs = _word_runs(sentences[k].text)
        if not runs & seen:
            kept.append(k)
        seen |= runs
    return kept

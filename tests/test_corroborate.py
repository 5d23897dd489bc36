"""Corroborate: paraphrases across sources count, topic words alone do not; syndication."""

from __future__ import annotations

import numpy as np
import pytest

from briefing.corroborate import CLAIM_THRESHOLD, SimilarityGraph, corroborate, syndication_groups
from briefing.segment import segment
from tests.helpers import seed_sources, sources_from_texts

A = (
    "The finance ministers met in Brussels on Tuesday for talks on the budget rules.\n"
    "They agreed to cap deficits at three percent of output from next year.\n"
    "Farmers protested outside the building against cuts to subsidies."
)
B = (
    "Finance ministers meeting in Brussels agreed on Tuesday to cap budget deficits at three percent of output.\n"
    "The talks on the budget rules lasted six hours.\n"
    "Police said the farmers' protest outside was peaceful."
)
C = "A storm closed schools across the northern region on Friday, officials said."


def _corr(*texts: str):  # type: ignore[no-untyped-def]
    sources = sources_from_texts(texts)
    sentences = segment(sources)
    return sources, sentences, corroborate(sources, sentences)


def test_paraphrase_across_sources_is_corroborated() -> None:
    sources, sentences, corr = _corr(A, B, C)
    cap = next(i for i, s in enumerate(sentences) if s.text.startswith("They agreed to cap"))
    assert corr.support[cap] == 2
    assert corr.citations(cap, sources) == ("s1", "s2")


def test_unrelated_sentence_stands_alone() -> None:
    sources, sentences, corr = _corr(A, B, C)
    storm = next(i for i, s in enumerate(sentences) if "storm" in s.text)
    assert corr.support[storm] == 1
    assert corr.citations(storm, sources) == ("s3",)
    assert corr.similarity.getrow(storm).max() < CLAIM_THRESHOLD


def test_similarity_is_sparse_symmetric_with_zero_diagonal() -> None:
    _, sentences, corr = _corr(A, B, C)
    graph = corr.similarity
    assert graph.shape == (len(sentences), len(sentences))
    assert np.allclose(graph.toarray(), graph.toarray().T)
    assert np.all(graph.diagonal() == 0)


def test_syndicated_copies_count_once_but_are_cited() -> None:
    body = (
        "Dock workers at the northern port ended a nine-day strike on Tuesday after union leaders accepted "
        "a revised pay offer.\n"
        "The agreement raises wages by six percent over two years and limits overtime shifts, the union said.\n"
        "Shipping companies said the backlog of containers would take at least a week to clear.\n"
    )
    copy_one = "Port strike ends - Coastal Post\n" + body + "Share this article\n"
    copy_two = "Strike over at port | Harbour News\nBy Wire Staff.\n" + body + "Copyright Harbour News.\n"
    other = (
        "Union leaders at the northern port accepted a revised pay offer on Tuesday, ending the strike after nine days."
    )
    sources, _, corr = _corr(copy_one, copy_two, other)
    assert syndication_groups(sources) == (0, 0, 1)
    assert corr.n_groups == 2
    first = 0
    assert corr.citations(first, sources) == ("s1", "s2", "s3")
    assert corr.support[first] == 2  # the wire copy counts once


def test_deterministic() -> None:
    _, _, one = _corr(A, B, C)
    _, _, two = _corr(A, B, C)
    assert (one.similarity != two.similarity).nnz == 0
    assert np.array_equal(one.support, two.support)


def test_exact_pairs_and_lsh_find_the_same_copies(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import briefing.corroborate as corroborate_module
    from briefing.corroborate import text_groups

    wire = " ".join(f"word{k}" for k in range(120))
    edited = wire.replace("word60", "changed") + " An added closing line from the second outlet."
    texts = (wire, A, edited, B, wire, C, A.upper())
    exact = text_groups(texts)
    monkeypatch.setattr(corroborate_module, "EXACT_PAIRS_UP_TO", 0)  # MinHash LSH proposes the pairs
    monkeypatch.setattr(corroborate_module, "_LAST_GROUPS", [])  # not the remembered result
    monkeypatch.setattr(corroborate_module, "_PAIR_SIMILARITY", [])  # nor the remembered similarities
    assert text_groups(texts) == exact == (0, 1, 0, 2, 0, 3, 1)


def test_the_lsh_bands_are_those_datasketch_chooses() -> None:
    from datasketch.lsh import _optimal_param

    from briefing.corroborate import LSH_BANDS

    for (threshold, permutations), bands in LSH_BANDS.items():
        assert _optimal_param(threshold, permutations, 0.5, 0.5) == bands


def test_banded_pairs_are_the_candidates_of_datasketch_lsh() -> None:
    import zlib

    from datasketch import MinHash, MinHashLSH

    from briefing.corroborate import _banded_pairs

    rng = np.random.default_rng(7)
    # Few distinct values per position: many bands collide, some pairs in several bands.
    signatures = [rng.integers(0, 3, 128).astype(np.uint32) for _ in range(150)]
    signatures += [signatures[5].copy(), signatures[40].copy()]
    template = MinHash(num_perm=128, seed=1, hashfunc=zlib.crc32)
    lsh = MinHashLSH(num_perm=128, params=(18, 7))
    expected: list[tuple[int, int]] = []
    for j, values in enumerate(signatures):
        mh = MinHash(num_perm=128, seed=1, hashfunc=zlib.crc32, hashvalues=values,
                     permutations=template.permutations, scheme=template.scheme)
        expected.extend((int(other), j) for other in lsh.query(mh))
        lsh.insert(str(j), mh)
    found = _banded_pairs(signatures, 18, 7)
    assert found == sorted(expected)
    assert (5, 150) in found and (40, 151) in found and len(found) < 150 * 151 // 2


def test_grouping_many_texts_loads_neither_datasketch_whole_nor_scipy_integrate() -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "import briefing.corroborate as c\n"
        "wire = ' '.join(f'word{k}' for k in range(120))\n"
        "texts = [f'{wire} story {k} ' + ' '.join(f'w{k}x{m}' for m in range(8)) for k in range(80)]\n"
        "groups = c.text_groups(texts)\n"
        "print(len(set(groups)), 'datasketch' in sys.modules, 'scipy.integrate' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # 80 texts (LSH, not every pair): one wire story with a different line each, all copies of it.
    assert done.stdout.split() == ["1", "False", "False"]


def test_the_last_texts_grouped_are_not_grouped_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import briefing.corroborate as corroborate_module
    from briefing.corroborate import text_groups

    texts = (A, B, A.upper(), C)
    first = text_groups(texts)
    calls: list[int] = []
    original = corroborate_module._text_groups

    def counted(texts: tuple[str, ...], threshold: float, worker: object = None) -> tuple[int, ...]:
        calls.append(1)
        return original(texts, threshold)

    monkeypatch.setattr(corroborate_module, "_text_groups", counted)
    assert text_groups(list(texts)) == first == (0, 1, 0, 2)
    assert calls == []
    assert text_groups((B, A)) == (0, 1)
    assert calls == [1]


def test_two_stories_of_one_named_outlet_count_once() -> None:
    from briefing.corroborate import outlet_groups

    # Two AP stories of different days, a Xinhua story, two unnamed sources.
    assert outlet_groups((0, 1, 2, 3, 4), ("AP", "Xinhua", "AP", "unnamed source", "unnamed source")) == (
        0, 1, 0, 2, 3)
    # Syndicated copies stay one group, whatever their names.
    assert outlet_groups((0, 0, 1), ("Coastal Post", "Harbour News", "Coastal Post")) == (0, 0, 0)
    assert outlet_groups((), ()) == ()
    # An outlet credited with and without "The" is one outlet.
    assert outlet_groups((0, 1, 2), ("The Harbour News", "harbour news", "Coastal Post")) == (0, 0, 1)


def test_unnamed_sources_count_once_in_the_count_a_reader_sees() -> None:
    from briefing.corroborate import outlet_groups

    names = ("AP", "unnamed source", "Xinhua", "unnamed source", "")
    # For ranking they stay apart; for "k of n" they are one group beside the named outlets.
    assert outlet_groups((0, 1, 2, 3, 4), names) == (0, 1, 2, 3, 4)
    assert outlet_groups((0, 1, 2, 3, 4), names, unnamed_apart=False) == (0, 1, 2, 1, 1)
    # With no outlet named at all, articles are all there is to count.
    assert outlet_groups((0, 1, 2), ("unnamed source",) * 3, unnamed_apart=False) == (0, 1, 2)
    # An unnamed copy of a named outlet's story (one group with it) stays that outlet's: the named outlet is
    # not pooled with the unnamed articles through its copy.
    copied = ("Knight Ridder", "unnamed source", "AP", "unnamed source")
    assert outlet_groups((0, 0, 1, 2), copied, unnamed_apart=False) == (0, 0, 1, 2)
    assert outlet_groups((0, 0, 1, 2, 3), (*copied, "unnamed source"), unnamed_apart=False) == (0, 0, 1, 2, 2)


def test_k_of_n_does_not_count_unnamed_sources_as_independent_outlets() -> None:
    claim = "Finance ministers agreed on Tuesday to cap budget deficits at three percent of output."
    named = f"BRUSSELS (AP) _ {claim}\nFarmers protested outside the building against cuts to subsidies.\n"
    others = ("Dockworkers in Antwerp walked out over pensions and shipping stalled for a second day.",
              "Spain's central bank revised its growth forecast upward after a strong tourist season.",
              "A court in Luxembourg ruled against the airline in a long dispute over landing fees.")
    leads = ("In other business,", "Meanwhile in Brussels,", "Separately,")
    # Each in its own words: the same wording would be one story rewritten, which counts once anyway.
    said = ("finance ministers agreed on Tuesday to cap their budget deficits at three percent of output.",
            "finance ministers agreed on Tuesday to cap national budget deficits at three percent of output.",
            "finance ministers agreed on Tuesday to cap annual budget deficits at three percent of output.")
    unnamed = [f"{other}\n{lead} {text}\n" for other, lead, text in zip(others, leads, said, strict=True)]
    sources, sentences, corr = _corr(named, *unnamed)
    assert [s.name for s in sources] == ["Associated Press"] + ["unnamed source"] * 3
    cap = next(i for i, s in enumerate(sentences) if "agreed on Tuesday to cap" in s.text)
    assert corr.support[cap] == 4  # ranking: four articles state it
    assert (corr.outlets[cap], corr.n_outlets) == (2, 2)  # shown: AP and the unnamed sources, "2 of 2"


def test_k_of_n_counts_outlets_not_articles() -> None:
    monday = ("BRUSSELS (AP) _ Finance ministers agreed on Tuesday to cap budget deficits at three percent of output.\n"
              "Farmers protested outside the building against cuts to subsidies.\n")
    tuesday = ("BRUSSELS (AP) _ The cap on budget deficits at three percent of output, agreed by finance ministers on "
               "Tuesday, takes effect next year.\nThe ministers will meet again in March.\n")
    xinhua = ("BRUSSELS, May 3 (Xinhua) -- Finance ministers agreed on Tuesday to cap budget deficits at three "
              "percent of output.\nThe talks lasted six hours.\n")
    sources, sentences, corr = _corr(monday, tuesday, xinhua)
    assert [s.name for s in sources][:2] == ["Associated Press", "Associated Press"]
    assert corr.n_groups == 2
    cap = next(i for i, s in enumerate(sentences) if "agreed on Tuesday to cap" in s.text)
    assert corr.support[cap] == 2  # AP (twice) and Xinhua: two outlets


def _verdicts_pair_by_pair(corr) -> dict[tuple[int, int], int]:  # type: ignore[no-untyped-def]
    """Every similar pair of different sources compared one by one, as before the screening (issue 19)."""
    from briefing.claims import compare, view
    from briefing.corroborate import VERDICT_CODES

    coo = corr.similarity.tocoo()
    out: dict[tuple[int, int], int] = {}
    for i, j in zip(coo.row.tolist(), coo.col.tolist(), strict=True):
        if corr.source_index[i] != corr.source_index[j]:
            code = VERDICT_CODES.get(compare(view(corr.sentences[i].text), view(corr.sentences[j].text),
                                             corr.claim_context).kind)
            if code is not None:
                out[(i, j)] = code
    return out


def test_screened_verdicts_equal_comparing_every_pair() -> None:
    # Repeated sentences (the second source carries A's first line) share one comparison.
    sources = (*seed_sources(), *sources_from_texts([A, B, A.splitlines()[0] + "\n" + C]))
    sentences = segment(sources)
    corr = corroborate(sources, sentences)
    coo = corr.verdicts.tocoo()
    screened = {(i, j): int(c) for i, j, c in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True)}
    assert screened == _verdicts_pair_by_pair(corr)
    assert len(screened) > 20


def test_screening_terms_never_drop_a_related_pair() -> None:
    """compare() says "unrelated" whenever the screening overlap is below MIN_SHARED_CONTENT."""
    from briefing.claims import MIN_SHARED_CONTENT, compare, screening_terms, view

    sources = seed_sources()
    sentences = segment(sources)
    corr = corroborate(sources, sentences)
    views = [view(s.text) for s in sentences]
    related = 0
    for i in range(len(views)):
        for j in range(len(views)):
            if i == j:
                continue
            overlap = len(screening_terms(views[i])[0] & screening_terms(views[j])[1])
            kind = compare(views[i], views[j], corr.claim_context).kind
            related += kind != "unrelated"
            assert overlap >= MIN_SHARED_CONTENT or kind == "unrelated"
    assert related > 10


def test_coverages_never_drop_a_related_pair() -> None:
    """compare() says "unrelated" for every screened pair that _Coverages rules out (it rules out most)."""
    from briefing.claims import MIN_SHARED_CONTENT, compare, screening_terms, view
    from briefing.corroborate import _Coverages

    # Two reports of one crash that share its toll and date more than their wording.
    crash = ("The jet crashed in the ocean on October 31, 1999, and 217 people died, the airline reported.\n"
             "Investigators are studying the flight data recorder.\n")
    told = ("Officials in Cairo confirmed on Monday that 217 people died when the EgyptAir jet went down on "
            "Oct. 31, 1999, near Nantucket.\n")
    sources = (*seed_sources(), *sources_from_texts([A, B, C, crash, told]))
    sentences = segment(sources)
    corr = corroborate(sources, sentences)
    views = list(dict.fromkeys(view(s.text) for s in sentences))
    pairs = [(i, j) for i in range(len(views)) for j in range(len(views)) if i != j
             and len(screening_terms(views[i])[0] & screening_terms(views[j])[1]) >= MIN_SHARED_CONTENT]
    items, evidence = (np.asarray(side, dtype=np.int64) for side in zip(*pairs, strict=True))
    coverages = _Coverages(views, corr.claim_context)
    may = coverages.may_relate(items, evidence)
    kinds = [compare(views[i], views[j], corr.claim_context).kind for i, j in pairs]
    assert all(kind == "unrelated" for kind, kept in zip(kinds, may.tolist(), strict=True) if not kept)
    assert sum(kind != "unrelated" for kind in kinds) > 10
    assert int((~may).sum()) > len(pairs) // 3  # it spares most calls
    # The crash reports relate by their anchor alone: without figures and dates they would be ruled out.
    coverages.figures[:] = False
    coverages.dates[:] = False
    unanchored = coverages.may_relate(items, evidence)
    anchored = [views[i].body for (i, _), kind, kept in zip(pairs, kinds, unanchored.tolist(), strict=True)
                if kind == "supports" and not kept]
    assert any(body.startswith("Officials in Cairo confirmed") for body in anchored)


@pytest.mark.parametrize("per_chunk", [1, 3, 7, 1000])
def test_graph_entries_are_tocoo_in_chunks_of_whole_rows(per_chunk: int) -> None:
    from scipy import sparse

    from briefing.corroborate import graph_entries

    dense = np.random.default_rng(3).random((40, 40))
    dense[dense < 0.8] = 0.0
    dense[5] = 0.0  # an empty row
    graph = sparse.csr_matrix(dense)
    chunks = list(graph_entries(graph, per_chunk))
    coo = graph.tocoo()
    assert np.array_equal(np.concatenate([c[0] for c in chunks]), coo.row)
    assert np.array_equal(np.concatenate([c[1] for c in chunks]), coo.col)
    assert np.array_equal(np.concatenate([c[2] for c in chunks]), coo.data)
    assert all(len(set(rows.tolist()) & set(later[0].tolist())) == 0
               for k, (rows, _, _) in enumerate(chunks) for later in chunks[k + 1:])
    assert per_chunk > 100 or len(chunks) > 3


def test_repeated_sentences_get_the_same_graph_as_computing_every_row() -> None:
    from briefing.corroborate import _similarity_rows, similarity_graph, tfidf_matrix
    from briefing.segment import content_stems

    texts = [*A.splitlines(), *B.splitlines(), C]
    repeated = [texts[k % len(texts)] for k in (0, 1, 2, 0, 3, 4, 5, 1, 6, 0, 2, 6, 3)]
    vectors = tfidf_matrix([content_stems(t) for t in repeated])
    vectors.sort_indices()
    expected = _similarity_rows(vectors, 0, vectors.shape[0], 0.15, 2)
    expected.setdiag(0.0)
    expected.eliminate_zeros()
    expected.sort_indices()
    graph = similarity_graph(vectors)
    assert np.array_equal(graph.indptr, expected.indptr)
    assert np.array_equal(graph.indices, expected.indices)
    assert np.array_equal(graph.data, expected.data)
    assert graph[0, 3] > 0.99 and graph[0, 9] > 0.99  # copies of one sentence


def test_tfidf_of_repeated_token_lists_is_the_matrix_made_row_by_row() -> None:
    import numpy as np

    from briefing import corroborate as corroborate_module

    lists = [("flood", "river", "valley"), ("river", "bank", "bank"), ("flood", "river", "valley"),
             ("storm",), (), ("river", "bank", "bank"), ("flood", "river", "valley"), ("boat", "flood")]
    fast = corroborate_module.tfidf_matrix(lists)  # each distinct list weighed once
    slow = corroborate_module._tfidf_rows(lists, None)  # every list weighed
    assert fast.shape == slow.shape == (8, 6)
    for got, want in ((fast.indptr, slow.indptr), (fast.indices, slow.indices), (fast.data, slow.data)):
        assert np.array_equal(got, want)
    assert not np.array_equal(fast[0].toarray(), fast[1].toarray())


def test_signatures_are_those_datasketch_minhash_gives() -> None:
    import zlib

    from datasketch import MinHash

    from briefing.corroborate import minhash_signatures, shingles

    texts = [" ".join(f"w{(k * 7 + m) % 53}" for m in range(40 + k)) for k in range(30)] + ["Short one.", "x"]
    sets = [shingles(text) for text in texts]
    template = MinHash(num_perm=128, seed=1, hashfunc=zlib.crc32)
    for shingle_set, found in zip(sets, minhash_signatures(sets), strict=True):
        mh = MinHash(num_perm=128, seed=1, hashfunc=zlib.crc32, permutations=template.permutations,
                     scheme=template.scheme)
        mh.update_batch(sorted(shingle_set))
        assert found.dtype == mh.hashvalues.dtype
        assert np.array_equal(found, mh.hashvalues)


def _repeated_graph() -> tuple[SimilarityGraph, list[str]]:
    """The sentence graph of sentences repeated word for word, held per distinct row (and the texts)."""
    from briefing.corroborate import sentence_graph, tfidf_matrix
    from briefing.segment import content_stems

    texts = [*A.splitlines(), *B.splitlines(), C]
    repeated = [texts[k % len(texts)] for k in (0, 1, 2, 0, 3, 4, 5, 1, 6, 0, 2, 6, 3, 3)]
    return sentence_graph(tfidf_matrix([content_stems(t) for t in repeated])), repeated


def test_sentence_graph_rows_values_and_submatrix_are_those_of_the_whole_matrix() -> None:
    graph, repeated = _repeated_graph()
    whole = graph.to_csr()
    assert graph.distinct.shape[0] < len(repeated) and not graph.one_row_each
    assert whole.nnz > graph.distinct.nnz
    for i in range(len(repeated)):
        row = slice(whole.indptr[i], whole.indptr[i + 1])
        cols, vals = graph.row(i)
        assert np.array_equal(cols, whole.indices[row]) and np.array_equal(vals, whole.data[row])
        near = graph.row(i, CLAIM_THRESHOLD)[0]
        assert np.array_equal(near, whole.indices[row][whole.data[row] >= CLAIM_THRESHOLD])
        for j in range(len(repeated)):
            assert graph.value(i, j) == whole[i, j]
    for rows in ([0, 3, 9, 10, 13], [1, 2], list(range(len(repeated))), [5]):
        expected = whole[rows][:, rows]
        got = graph.submatrix(rows)
        assert np.array_equal(got.indptr, expected.indptr)
        assert np.array_equal(got.indices, expected.indices)
        assert np.array_equal(got.data, expected.data)


def test_soft_support_sums_add_the_same_floats_as_the_whole_graph() -> None:
    from briefing.corroborate import soft_support_sums

    graph, repeated = _repeated_graph()
    whole = graph.to_csr()
    groups = np.asarray([k % 4 for k in range(len(repeated))], dtype=np.int64)
    expected = np.zeros(len(repeated))
    for i in range(len(repeated)):  # the best value per other group, added in the groups' order
        best: dict[int, float] = {}
        for j, v in zip(whole.indices[whole.indptr[i]:whole.indptr[i + 1]].tolist(),
                        whole.data[whole.indptr[i]:whole.indptr[i + 1]].tolist(), strict=True):
            if groups[j] != groups[i]:
                best[int(groups[j])] = max(best.get(int(groups[j]), 0.0), v)
        for g in sorted(best):
            expected[i] += best[g]
    got = soft_support_sums(graph, groups, 4)
    assert np.array_equal(got, expected)
    assert np.count_nonzero(got) > len(repeated) // 2


def test_claim_verdicts_from_the_distinct_graph_equal_those_of_the_whole_matrix() -> None:
    from briefing.corroborate import claim_verdicts, sentence_views

    sources = (*seed_sources(), *sources_from_texts([A, B, A, A.splitlines()[0] + "\n" + C]))
    sentences = segment(sources)
    corr = corroborate(sources, sentences)
    assert not corr.graph.one_row_each
    views = sentence_views(sentences)
    whole = claim_verdicts(sentences, corr.similarity, corr.source_index, corr.claim_context, views=views)
    held = claim_verdicts(sentences, corr.graph, corr.source_index, corr.claim_context, views=views)
    assert (whole != held).nnz == 0 and whole.nnz > 20
    assert np.array_equal(whole.indptr, corr.verdicts.indptr) and np.array_equal(whole.indices, corr.verdicts.indices)


def test_claim_codes_take_the_views_they_are_lent() -> None:
    """The worker compares pairs across the halves with views lent by the first process (issue 19)."""
    from briefing.claims import ClaimContext, compare, view, views_of
    from briefing.corroborate import VERDICT_CODES, claim_codes

    texts = ["Rescuers pulled 12 survivors from the collapsed hotel on Tuesday.",
             "Twelve survivors were pulled from the collapsed hotel by rescuers on Tuesday.",
             "The hotel collapsed on Tuesday and rescuers pulled 14 survivors from it.",
             "Rescuers searched the rubble of the collapsed hotel for survivors."]
    made = views_of(texts)
    context = ClaimContext.from_views([[v] for v in made])
    pairs = [(a, b) for a in range(len(texts)) for b in range(len(texts)) if a != b]
    expected = [VERDICT_CODES.get(compare(view(texts[a]), view(texts[b]), context).kind, 0) for a, b in pairs]
    view.cache_clear()
    lent = views_of(texts)  # other objects, as if unpickled in the worker
    view.cache_clear()
    items, evidence = (np.asarray(side, dtype=np.int64) for side in zip(*pairs, strict=True))
    assert claim_codes(texts, items, evidence, context, texts, lent).tolist() == expected
    assert all(view(text) is lent_view for text, lent_view in zip(texts, lent, strict=True))
    assert VERDICT_CODES["supports"] in expected or VERDICT_CODES["figure"] in expected
    assert 0 in expected


def test_a_wire_story_another_outlet_rewrites_counts_once_for_the_reader() -> None:
    # Xinhua's sentence keeps a long run of AP's words (an editor's read of D0716C found such a pair as
    # a bottom line's "2 of 2"): one story, one outlet in "k of n"; ranking still counts both.
    ap = ("PORTVILLE (AP) _ At its meeting in Lisbon on Saturday, the harbour board voiced deep concern about the "
          "damage the new quarry would do to the bay's fish and bird life.\nShips waited outside the port.\n")
    xinhua = ("LISBON, May 4 (Xinhua) -- At its meeting in Lisbon, the board voiced deep concern about the damage "
              "the new quarry would do to the bay's fish and bird life.\nThe quarry employs 40 people.\n")
    _, sentences, corr = _corr(ap, xinhua)
    board = next(i for i, s in enumerate(sentences) if s.text.startswith("PORTVILLE"))
    assert corr.support[board] == 2 and corr.outlets[board] == 2 and corr.shown_support(board) == 1
    # Two outlets quoting one statement word for word are two reports: quotes are left out of the runs.
    quoted = '"The damage the new quarry would do to the fish and bird life of the bay is not acceptable"'
    first = f"PORTVILLE (AP) _ Harbour board chairman Ivo Sand said on Saturday: {quoted}.\nShips waited.\n"
    second = f"LISBON, May 4 (Xinhua) -- {quoted}, board head Ivo Sand told reporters in Portville.\nIt rained.\n"
    _, sentences, corr = _corr(first, second)
    said = next(i for i, s in enumerate(sentences) if "Ivo Sand said" in s.text)
    assert corr.support[said] == corr.shown_support(said) == 2


def test_similar_wording_needs_a_shared_word_that_is_not_a_name() -> None:
    """A neighbour that only names the same person is no lead; one sharing a figure and a word is."""
    sources, sentences, corr = _corr(
        "Jacob Lindqvist welcomed the harbour vote on Monday.\nThe pier will cost two million dollars.",
        "Jacob Lindqvist opposed the new school plan.\nTeachers marched through the town.",
        "An autopsy found the sailor was struck 18 times on the head.\nThe harbour was closed for a day.",
        "The sailor was beaten 18 times around the head by two men, his mother said.\nMarkets were calm.",
    )
    welcomed = next(i for i, s in enumerate(sentences) if "welcomed" in s.text)
    autopsy = next(i for i, s in enumerate(sentences) if "autopsy" in s.text)
    assert [sentences[j].source_id for j in corr.neighbours(welcomed)] == ["s2"]  # similar words: the names
    assert corr.also_covering(welcomed, sources) == ()
    assert corr.also_covering(autopsy, sources) == ("s4",)  # "head" and "18"


def test_a_sentence_printed_again_points_at_its_first_printing() -> None:
    # first_printings (made while the worker compares, issue 19): case, spaces and punctuation aside.
    from briefing.corroborate import claim_support, first_printings

    first = "The port re-opened on Monday after the storm.\nShips waited outside.\n"
    again = "Officials met.\nThe port re opened on MONDAY, after the storm!\nShips  waited outside.\n"
    sources = sources_from_texts([first, again])
    sentences = segment(sources)
    printed = first_printings(sentences).tolist()
    texts = [s.text for s in sentences]
    assert printed == [0, 1, 2, 0, 1], texts
    corr = corroborate(sources, sentences)
    groups = np.asarray([0, 0, 1, 1, 1], dtype=np.int64)
    assert [c.tolist() for c in claim_support(sentences, corr.verdicts, groups, first=first_printings(sentences))] == [
        c.tolist() for c in claim_support(sentences, corr.verdicts, groups)]


def test_a_wording_a_named_outlet_prints_is_that_outlets_though_an_unnamed_source_printed_it_first() -> None:
    # An unnamed article (listed first) prints the Coastal Post's sentence word for word; a second unnamed
    # article and the Fjord Times state the claim in their own words. The reader's count: the Coastal Post,
    # the Fjord Times and the unnamed articles (counted once): 3 of 3, not 2 (the Post counted with the
    # unnamed ones through the copy).
    from briefing.corroborate import first_printings

    body = "The harbour board voted on Monday to close the old pier to ships after an inspection found deep cracks."
    texts = [
        "Pier shut\n\nFishermen in the town said they had feared for months that the pier would go.\n\n"
        f"{body}\n\nFerries will use the north quay until a new landing stage is built next spring.\n\n"
        "The mayor called a meeting of shop owners for Thursday evening.\n",
        "Old pier closed\n\nSource: Coastal Post\n\nTourism officials counted fewer visitors this summer than in any "
        f"year since 2001.\n\n{body}\n\nThe pier was built in 1910 and last repaired after the storm of 1987.\n",
        "Pier closes\n\nSource: Fjord Times\n\nAn inspection found deep cracks in the old pier, and the harbour board "
        "voted Monday to close it to ships.\n",
        "Cracks close pier\n\nInspectors found deep cracks in the old pier, and on Monday the harbour board voted to "
        "close the pier to ships.\n",
    ]
    sources = sources_from_texts(texts)
    assert [s.name for s in sources] == ["unnamed source", "Coastal Post", "Fjord Times", "unnamed source"]
    sentences = segment(sources)
    unnamed_copy, posts = (k for k, s in enumerate(sentences) if s.text == body)
    assert first_printings(sentences)[posts] == unnamed_copy  # by place in the list alone
    assert first_printings(sentences, {"s2"})[unnamed_copy] == posts  # the named outlet's printing stands for both
    corr = corroborate(sources, sentences)
    assert corr.n_outlets == 3
    assert int(corr.outlets[posts]) == corr.shown_support(posts) == 3
    assert corr.shown_support(unnamed_copy) == 3


def test_tfidf_rows_are_those_of_counting_each_row_in_a_dict() -> None:
    # The rows are counted as arrays (issue 19); a row counted term by term, terms numbered by
    # first appearance and each row's entries in column order, gives the same entries.
    import math

    from scipy import sparse

    from briefing.corroborate import tfidf_matrix

    def by_dict(lists: list[tuple[str, ...]]) -> sparse.csr_matrix:
        vocabulary: dict[str, int] = {}
        indptr, indices, data = [0], [], []
        for tokens in lists:
            counts: dict[int, int] = {}
            for token in tokens:
                col = vocabulary.setdefault(token, len(vocabulary))
                counts[col] = counts.get(col, 0) + 1
            for col in sorted(counts):
                indices.append(col)
                data.append(1.0 + math.log(counts[col]))
            indptr.append(len(indices))
        raw = sparse.csr_matrix((np.asarray(data), np.asarray(indices, dtype=np.int64), indptr),
                                shape=(len(lists), max(1, len(vocabulary))))
        df = np.bincount(raw.indices, minlength=raw.shape[1]).astype(np.float64)
        idf = np.log((1.0 + len(lists)) / (1.0 + df)) + 1.0
        weighted = raw @ sparse.diags(idf)
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ weighted)

    lists = [("port", "storm", "port", "ship"), (), ("ship",), ("storm", "storm", "storm", "wind", "port"),
             ("wind", "rain")]
    ours, theirs = tfidf_matrix(lists), by_dict(lists)
    assert ours.shape == theirs.shape
    assert ours.indptr.tolist() == theirs.indptr.tolist() and ours.indices.tolist() == theirs.indices.tolist()
    assert ours.data.tobytes() == theirs.data.tobytes()
    assert tfidf_matrix([]).shape == (0, 1) and tfidf_matrix([()]).nnz == 0


def test_screening_and_coverages_from_one_set_of_incidence_matrices() -> None:
    """_ClaimTerms made once gives the screening and the coverages what each made of its own (issue 19)."""
    from briefing.claims import screening_terms, view
    from briefing.corroborate import _ClaimTerms, _Coverages, _ScreeningTerms

    sources = (*seed_sources(), *sources_from_texts([A, B]))
    sentences = segment(sources)
    corr = corroborate(sources, sentences)
    claims = list(dict.fromkeys(view(s.text) for s in sentences))
    pairs = np.asarray([(i, j) for i in range(len(claims)) for j in range(len(claims)) if i != j], dtype=np.int64)
    items, evidence = pairs[:, 0], pairs[:, 1]
    terms = _ClaimTerms(claims)
    shared = _ScreeningTerms(claims, terms).overlap(items, evidence)
    # the screening's definition, pair by pair; and the same without terms made beforehand
    assert shared.tolist() == [len(screening_terms(claims[i])[0] & screening_terms(claims[j])[1])
                               for i, j in pairs.tolist()]
    assert np.array_equal(shared, _ScreeningTerms(claims).overlap(items, evidence))
    assert shared.max() >= 2
    used = np.arange(1, len(claims), 2)  # a subset, as _passing takes the claims its pairs use
    subset = [claims[k] for k in used.tolist()]
    local = np.asarray([(i, j) for i in range(len(subset)) for j in range(len(subset)) if i != j], dtype=np.int64)
    alone = _Coverages(subset, corr.claim_context).may_relate(local[:, 0], local[:, 1])
    rows = _Coverages(subset, corr.claim_context, terms=(terms, used)).may_relate(local[:, 0], local[:, 1])
    assert np.array_equal(alone, rows)
    assert alone.any() and not alone.all()


def test_graph_rows_keep_the_pairs_similar_enough_that_share_enough_terms() -> None:
    """_row_block (floor first, shared terms counted for the pairs left) against the definition, dense (issue 19)."""
    from briefing.corroborate import _row_block, _row_factors, tfidf_matrix
    from briefing.segment import content_stems

    texts = [*A.splitlines(), *B.splitlines(), C, "Talks.", "Talks resumed.", "The talks resumed in Beijing."]
    vectors = tfidf_matrix([content_stems(t) for t in texts])
    vectors.sort_indices()
    dense = vectors.toarray()
    similarity = dense @ dense.T
    shared = (dense > 0).astype(int) @ (dense > 0).astype(int).T
    for floor, min_shared in ((0.15, 2), (0.05, 1), (0.4, 2)):
        expected = np.where((similarity >= floor) & (shared >= min_shared), similarity, 0.0)
        got = _row_block(vectors, _row_factors(vectors), 0, vectors.shape[0], floor, min_shared).toarray()
        assert np.allclose(got, expected, rtol=0, atol=1e-12)
        assert np.array_equal(got > 0, expected > 0)
    # Both tests bite: pairs similar enough that share one term only, and pairs that share terms but not enough.
    assert ((similarity >= 0.15) & (shared == 1)).any()
    assert ((similarity > 0) & (similarity < 0.4) & (shared >= 2)).any()


def test_a_source_giving_another_figure_is_not_listed_as_also_covering() -> None:
    """"4,000 marched" is not also covered by a story saying 12,000 did: it differs (an editor's read of D0721A)."""
    sources, sentences, corr = _corr(
        "About 4,000 people marched through Portville on Monday to protest the quarry.\nIt rained.",
        "Some 12,000 people marched through Portville on Monday to protest the quarry, organisers said.\nShops shut.",
        "The council will vote on the quarry next week.\nShops reopened on Tuesday in the old town.",
    )
    marched = next(i for i, s in enumerate(sentences) if s.text.startswith("About 4,000"))
    other = next(i for i, s in enumerate(sentences) if s.text.startswith("Some 12,000"))
    assert other in corr.related(marched, "figure").tolist()
    assert "s2" not in corr.also_covering(marched, sources)
    assert corr.citations(marched, sources) == ("s1",)

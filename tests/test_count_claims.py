"""count_claims: the same count as leader clustering over each sentence's neighbours."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from briefing.corroborate import Corroboration
from briefing.ingest import collect_paths, read_file
from briefing.pipeline import analyse, prepare_sources
from briefing.rank import Ranking, count_claims
from tests.helpers import SEEDS


def by_neighbours(corroboration: Corroboration, order: Sequence[int]) -> int:
    """The definition: each sentence not yet taken leads a claim and takes its neighbours."""
    assigned = np.zeros(len(corroboration.sentences), dtype=bool)
    claims = 0
    for i in order:
        if assigned[i]:
            continue
        claims += 1
        assigned[i] = True
        assigned[corroboration.neighbours(i)] = True
    return claims


def test_claims_are_counted_as_the_neighbours_define_them_with_and_without_repeated_texts() -> None:
    raws = [read_file(path) for path in collect_paths([str(SEEDS)])]
    sources = prepare_sources(raws)
    # A copy of one article under another outlet's name: its sentences repeat texts (rows shared).
    copy = [raws[0].__class__(data=raws[0].data.replace(b"\n\n", b"\n\nBy a staff writer\n\n", 1),
                              path="copy.txt")]
    for chosen in (sources, prepare_sources([*raws, *copy])):
        analysis = analyse(chosen)
        corroboration, ranking = analysis.corroboration, analysis.ranking
        assert count_claims(corroboration, ranking) == by_neighbours(corroboration, ranking.order)
        # Any order, not only the ranking's: the leaders change, the definition holds.
        reverse = Ranking(ranking.scores, ranking.words, tuple(reversed(ranking.order)), ranking.concepts)
        assert count_claims(corroboration, reverse) == by_neighbours(corroboration, reverse.order)
    repeated = analyse(prepare_sources([*raws, *copy])).corroboration.graph
    assert not repeated.one_row_each  # the second case did share rows

"""Hypothesis: invariants of any brief built from any articles."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.errors import NoUsableSourceError
from briefing.ingest import RawDocument
from briefing.output import brief_json
from briefing.pipeline import build_brief, prepare_sources

WORDS = [
    "minister", "talks", "port", "strike", "union", "deal", "budget", "council", "vote", "city", "river",
    "storm", "farmers", "protest", "police", "officials", "week", "Monday", "Tuesday", "three", "hours",
    "agreed", "said", "met", "rejected", "plan", "rules", "trade", "prices", "workers", "wages", "northern",
    "capital", "election", "leader", "president",
]

sentence = st.lists(st.sampled_from(WORDS), min_size=4, max_size=18).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
article = st.lists(sentence, min_size=1, max_size=8).map(lambda ss: "\n".join(ss))
noise = st.text(alphabet=st.characters(codec="utf-8"), max_size=120)


def _raws(texts: list[str]) -> list[RawDocument]:
    return [
        RawDocument(data=t.encode("utf-8", "surrogatepass"), path=f"a{k}.txt") for k, t in enumerate(texts)
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(article, article.map(lambda a: a + "\n"), noise), min_size=1, max_size=5))
def test_items_are_verbatim_cited_and_deterministic(texts: list[str]) -> None:
    raws = _raws(texts)
    try:
        brief = build_brief(raws)
    except NoUsableSourceError:
        assert not prepare_sources(raws)
        return
    by_id = {s.id: s.text for s in brief.sources}
    for item in brief.items:
        assert item.text in by_id[item.source]
        assert item.citations[0] == item.source
        assert set(item.citations) <= set(by_id)
        assert 1 <= item.support <= len(item.citations)
    assert brief_json(build_brief(raws)) == brief_json(brief)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise_anything_but_documented_errors(data: bytes) -> None:
    with contextlib.suppress(NoUsableSourceError):
        build_brief([RawDocument(data=data, path="r.txt")])


@settings(max_examples=40, deadline=None)
@given(st.recursive(
    st.text(alphabet="abc <>&;\"'=/é", max_size=30),
    lambda children: st.tuples(st.sampled_from(["p", "div", "script", "a", "article", "nav"]), children).map(
        lambda t: f"<{t[0]}>{t[1]}</{t[0]}>"
    ),
    max_leaves=20,
))
def test_random_html_never_raises_anything_but_documented_errors(html: str) -> None:
    with contextlib.suppress(NoUsableSourceError):
        build_brief([RawDocument(data=f"<html><body>{html}</body></html>".encode(), path="r.html")])

"""Property tests (RELIABILITY row 32) beyond tests/test_properties.py.

tests/test_properties.py drives ``build_brief``, whose ``prepare_sources``
turns any exception into an "unexpected" warning, so a crash there would pass
unseen. Here the stages are called directly (only :class:`SourceError` is
allowed) and the whole-pipeline property also fails on an "unexpected" warning.
"""

from __future__ import annotations

import codecs

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from briefing.clean import normalize_whitespace
from briefing.errors import NoUsableSourceError
from briefing.ingest import RawDocument
from briefing.output import brief_json
from briefing.pipeline import build_brief
from briefing.render import render_html, render_markdown
from tests.robustness.fuzz_target import ingest_clean_segment

SUFFIXES = (".txt", ".md", ".html", ".htm", ".text")


# --- random bytes, in every encoding dress ---------------------------------------------------------

_BOMS = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_BOMS), st.binary(max_size=3000), st.sampled_from(SUFFIXES))
def test_random_bytes_through_the_stages_raise_only_source_errors(bom: bytes, data: bytes, suffix: str) -> None:
    ingest_clean_segment(bom + data, "r" + suffix)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400),
    st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1"]),
    st.sampled_from(SUFFIXES),
)
def test_random_text_in_any_encoding_raises_only_source_errors(text: str, encoding: str, suffix: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
        return
    ingest_clean_segment(data, "t" + suffix)


# --- random nested HTML ------------------------------------------------------------------------------

_TAGS = ["p", "div", "span", "article", "main", "nav", "aside", "footer", "header", "script", "style", "a", "table",
         "tr", "td", "ul", "li", "h1", "form", "textarea", "iframe", "noscript", "svg", "template", "pre", "br"]
_ATTRS = ['', ' class="content"', ' onclick="x()"', ' href="javascript:alert(1)"', ' src="file:///etc/passwd"',
          ' style="display:none"', ' id="comments"', " lang=de", ' rel="attachment"', " hidden"]
_LEAVES = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
    st.sampled_from([
        "The port reopened on Tuesday after the strike ended.", "&amp;", "&#x0;", "&#55296;", "&nbsp;", "<!--",
        "-->", "<![CDATA[x]]>", "</p>", "<p", "{{ 7*7 }}", "\u202e", "\x00", "Dr. Smith said U.S. talks went on.",
        "<?xml version='1.0'?>", "<meta charset=utf-16>", "\r\n", "\ufeff",
    ]),
)  # fmt: skip
_HTML = st.recursive(
    _LEAVES,
    lambda children: st.tuples(st.sampled_from(_TAGS), st.sampled_from(_ATTRS), st.lists(children, max_size=4)).map(
        lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>"
    ),
    max_leaves=30,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_HTML, st.sampled_from(["", "<!DOCTYPE html>", "<html><head><title>T</title></head>"]))
@example(body="<FRAME>", head="")  # found here: htmldate asserted on a parentless <frame>
def test_random_nested_html_raises_only_source_errors(body: str, head: str) -> None:
    page = f"{head}<body>{body}</body></html>"
    ingest_clean_segment(page.encode("utf-8", "surrogatepass"), "r.html")


# --- random articles through the whole pipeline ---------------------------------------------------

_WORDS = [
    "minister", "talks", "port", "strike", "union", "deal", "budget", "council", "vote", "river", "storm",
    "farmers", "protest", "police", "officials", "Monday", "Tuesday", "three", "hours", "agreed", "said", "met",
    "rejected", "plan", "trade", "prices", "workers", "wages", "the", "of", "and", "to", "in", "was", "for",
    "U.S.", "Dr.", "café", "Zürich", "€5m", "½", "“final”", "–", "7.5%", "1,200", "{{ 7*7 }}", "<b>", "&amp;",
]  # fmt: skip
_SENTENCE = st.lists(st.sampled_from(_WORDS), min_size=5, max_size=22).map(
    lambda ws: " ".join(ws)[:1].upper() + " ".join(ws)[1:] + st_end(len(ws))
)


def st_end(n: int) -> str:
    return ".!?"[n % 3]


_BOILERPLATE = st.sampled_from(["LEAVE A REPLY", "Related Posts", "Share this:", "Photo: Reuters", "READ MORE"])


@st.composite
def _articles(draw: st.DrawFn) -> list[str]:
    """2-4 articles drawing sentences from one pool, so some are shared (corroborated)."""
    pool = draw(st.lists(_SENTENCE, min_size=3, max_size=12, unique=True))
    articles = []
    for _ in range(draw(st.integers(2, 4))):
        lines = draw(st.lists(st.one_of(st.sampled_from(pool), _BOILERPLATE), min_size=1, max_size=8))
        eol = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
        articles.append(eol.join(lines) + eol)
    return articles


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_articles())
def test_random_articles_give_verbatim_cited_deterministic_briefs(texts: list[str]) -> None:
    raws = [RawDocument(data=t.encode("utf-8"), path=f"a{k}.txt") for k, t in enumerate(texts)]
    warnings: list[str] = []
    try:
        brief = build_brief(raws, warn=warnings.append)
    except NoUsableSourceError:
        assert len(warnings) == len(raws)
        assert not [w for w in warnings if "unexpected" in w], warnings
        return
    assert not [w for w in warnings if "unexpected" in w], warnings
    originals = {s.id: normalize_whitespace(texts[int(s.path.removeprefix("a").removesuffix(".txt"))])
                 for s in brief.sources if s.path}  # fmt: skip
    cleaned = {s.id: s.text for s in brief.sources}
    for item in brief.items:
        assert item.text in cleaned[item.source]
        assert item.text in originals[item.source]  # verbatim in what the outlet printed
        assert item.citations[0] == item.source
        assert len(set(item.citations)) == len(item.citations) and set(item.citations) <= set(cleaned)
        assert 1 <= item.support <= len(item.citations)
    again = build_brief(raws)
    assert brief_json(again) == brief_json(brief)
    assert render_html(again) == render_html(brief) and render_markdown(again) == render_markdown(brief)

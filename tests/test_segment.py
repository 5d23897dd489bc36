"""Segment: Punkt with our abbreviations, offsets, content stems."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.clean import clean_text
from briefing.model import Source
from briefing.segment import content_stems, sentence_spans, split_sentences


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_abbreviations_do_not_split() -> None:
    text = "U.S. Secretary of State Antony Blinken met Wang Yi on Monday. They talked for three hours."
    assert _sentences(text) == [
        "U.S. Secretary of State Antony Blinken met Wang Yi on Monday.",
        "They talked for three hours.",
    ]


def test_a_notice_in_capitals_run_into_the_text_ends_before_it() -> None:
    # "… INC." is an abbreviation to Punkt; four words in capitals before it make it a notice's end
    text = ("COPYRIGHT 2001 BY HARBOUR WIRE, INC. NO PART MAY BE USED WITHOUT CREDIT TO HARBOUR WIRE, INC. "
            "Storms may flood the coast by 2050, a study found. The authors urged new dikes.")
    assert _sentences(text) == [
        "COPYRIGHT 2001 BY HARBOUR WIRE, INC. NO PART MAY BE USED WITHOUT CREDIT TO HARBOUR WIRE, INC.",
        "Storms may flood the coast by 2050, a study found.",
        "The authors urged new dikes.",
    ]
    # fewer words in capitals: an abbreviation inside a sentence, as before
    assert len(_sentences("Shares of Harbour Wire Inc. rose; HARBOUR WIRE INC. Shares rose.")) == 1


def test_titles_and_initials() -> None:
    text = "Dr. Jane Smith and Mr. Lee spoke at 9 a.m. on Friday. Gen. Milley agreed."
    assert len(_sentences(text)) == 2


@pytest.mark.parametrize("dateline", ["TRENTON, N.J. (AP) --", "GREENVILLE, S.C. _", "PROVIDENCE, R.I. (AP) _"])
def test_a_dateline_with_a_dotted_state_stays_with_its_lead(dateline: str) -> None:
    text = f"{dateline} The state will sue the company, the governor said on Monday. Talks failed."
    assert _sentences(text) == [f"{dateline} The state will sue the company, the governor said on Monday.", "Talks failed."]


def test_initials_punkt_does_not_know_do_not_end_a_sentence() -> None:
    text = "The drug, made by the Halvorsen unit of K.T. Brandt & Co., went on sale in May. It sold well."
    assert _sentences(text) == ["The drug, made by the Halvorsen unit of K.T. Brandt & Co., went on sale in May.",
                                "It sold well."]


@pytest.mark.parametrize("text, first", [
    ("The study was praised by Ann Falk, president of Norwood Labs Inc. The company sells the test.",
     "The study was praised by Ann Falk, president of Norwood Labs Inc."),
    ("The family moved to Fresno, Calif. In June the father found work.", "The family moved to Fresno, Calif."),
    ("Farm exports to the U.S. This year they fell by half.", "Farm exports to the U.S."),
])
def test_an_abbreviation_before_a_sentence_starter_ends_the_sentence(text: str, first: str) -> None:
    assert _sentences(text) == [first, text[len(first) + 1:]]


def test_a_title_before_a_name_that_looks_like_a_starter_does_not_end_it() -> None:
    text = "Officials said Gen. He Wenli and Sen. This Phan met in Hanoi. They agreed."
    assert _sentences("Police chief Brig. Ola Berg said the raid was over. Calm returned.") == [
        "Police chief Brig. Ola Berg said the raid was over.", "Calm returned."]
    assert _sentences(text) == ["Officials said Gen. He Wenli and Sen. This Phan met in Hanoi.", "They agreed."]


def test_lowercase_continuation_is_merged() -> None:
    text = "A warship came close during a Canada–U.S. joint mission through the strait. It was unsafe."
    assert _sentences(text)[0].endswith("through the strait.")


def test_paragraphs_never_merge() -> None:
    assert _sentences("First line without a stop\nSecond line.") == ["First line without a stop", "Second line."]


@pytest.mark.parametrize(
    "page_text",
    ["The full statement is at http:\n//www.state.gov/blinken-xi and officials said more.",
     "The full statement is at https://\nwww.state.gov/blinken-xi and officials said more."],
)
def test_a_link_broken_across_lines_does_not_end_a_sentence_mid_url(page_text: str) -> None:
    text = clean_text(page_text).text
    sentences = _sentences(text)
    assert not any(s.rstrip().endswith(("http:", "https:", "//")) for s in sentences)
    assert "www.state.gov/blinken-xi and officials said more." in sentences[0]


def test_a_closing_quote_stays_with_its_sentence() -> None:
    # The item keeps its own closing quote once; the quoting of dropped claims and
    # disagreements turns it single (briefing.render.quote_sentence), never “…””.
    text = "The talks were called “productive.” The next day they met again."
    assert _sentences(text) == ["The talks were called “productive.”", "The next day they met again."]


def test_offsets_point_into_the_text() -> None:
    source = Source("s1", "x", "", None, None, None, "One sentence here.\nAnd “a quote.” Then more.")
    for sentence in split_sentences(source):
        assert source.text[sentence.start:sentence.end] == sentence.text


def test_content_stems_drop_stop_words_and_keep_the_country() -> None:
    stems = content_stems("The U.S. told us that the talks were continuing.")
    assert stems[0] == "usa"
    assert "us" not in stems and "the" not in stems
    assert "talk" in stems and "continu" in stems


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_spans_are_ordered_and_inside_the_text(text: str) -> None:
    previous_end = 0
    for start, end in sentence_spans(text):
        assert previous_end <= start < end <= len(text)
        previous_end = end


def test_nltk_is_imported_without_scipy_stats_and_still_works() -> None:
    import subprocess
    import sys

    script = (
        "import sys, briefing.segment\n"
        "print('scipy.stats' in sys.modules)\n"
        "from nltk.metrics.association import BigramAssocMeasures\n"
        "print(round(BigramAssocMeasures.fisher(5, (10, 12), 100), 4))\n"  # imports scipy.stats when called
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["False", "0.9999"]


def test_an_article_read_once_gives_the_same_stems_and_stays_out_of_the_sentence_memos() -> None:
    from briefing.segment import content_stems, content_stems_unmemoised, stem_tokens, words

    article = "Floods in the U.S. Midwest\n\nThe river's waters rose; half-staff flags flew. " * 3
    assert content_stems_unmemoised(article + " once") == content_stems(article + " once")
    fresh = article + " again"
    before = (words.cache_info().currsize, stem_tokens.cache_info().currsize)
    assert content_stems_unmemoised(fresh)
    assert (words.cache_info().currsize, stem_tokens.cache_info().currsize) == before


def test_spans_given_for_some_texts_give_the_same_sentences() -> None:
    from briefing.segment import segment, text_spans
    from tests.helpers import seed_sources

    sources = seed_sources()
    texts = [source.text for source in sources]
    half = dict(zip(texts[::2], text_spans(texts[::2]), strict=True))
    assert half and segment(sources, spans=half) == segment(sources)


def test_article_stems_memoised_by_line_are_those_of_the_whole_text() -> None:
    from briefing.segment import _WORD, _token, content_stems_unmemoised
    from tests.helpers import seed_sources

    def whole(text: str) -> tuple[str, ...]:
        return tuple(token for token, is_stop in map(_token, _WORD.findall(text)) if not is_stop)

    texts = [f"{s.title}\n{s.title}\n{s.text}" for s in seed_sources()]
    texts += ["U.S.\nA.B. line-\nbreak U.S.A.\n\nend.", "one line", "", "\n\n", "trailing\n"]
    for text in texts:
        assert content_stems_unmemoised(text) == whole(text)
        assert content_stems_unmemoised(text) == whole(text)  # memoised lines give the same
    assert len(content_stems_unmemoised(texts[0])) > 100


def test_punkt_with_the_standard_engine_splits_printable_ascii_as_nltks_does() -> None:
    import random

    from briefing.segment import _PRINTABLE_ASCII, plain_sentence_tokenizer, sentence_tokenizer

    # Issue 19: NLTK's own engine (nltk.redos) was a third of splitting; on printable ASCII the
    # standard library's gives the same spans.
    pieces = ["Mr.", "U.S.", "He", "he", "the", "The", " ", "  ", ".", "...", "!", "?", "!!", '"', "'", "(", ")",
              "[", "]", "--", "-", ",", ";", ":", "1", "2.5", "1,000", "a.", "B.", "Inc.", "St.", "Smith", "``",
              "''", "&", "#", "*", "@", "%", "Jan.", "No.", "e.g.", "etc.", "J.D.", "`"]
    rng = random.Random(19)
    texts = ['He said "It is over." Then (he left.) The U.S. Embassy in Nairobi, Kenya, closed... Why?',
             "Gen. He Yong met Sen. It Lee on Jan. 5. They talked for 7.5 hours!! No. 3 was next."]
    texts += ["".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 30)))
              for _ in range(3_000)]
    for text in texts:
        assert _PRINTABLE_ASCII.fullmatch(text)
        assert list(plain_sentence_tokenizer().span_tokenize(text)) == list(sentence_tokenizer().span_tokenize(text))
    # Anything else goes to NLTK's engine (its classes differ from re's outside printable ASCII).
    assert _PRINTABLE_ASCII.fullmatch("Café.") is None and _PRINTABLE_ASCII.fullmatch("a\tb") is None

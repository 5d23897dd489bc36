"""Initials completed with the name the sources spell out (issue 15: an item understood from the page)."""

from __future__ import annotations

from briefing.acronyms import initials_to_complete, initials_used
from briefing.display import complete_names, complete_page_names
from tests.helpers import sources_from_texts

ARTICLE = [
    "The Harbour Workers Federation called a strike at the port on Monday.",
    "The HWF said its members would stay out for a week.",
]


def test_initials_take_the_name_their_own_article_spells_out() -> None:
    assert initials_to_complete(ARTICLE[1], ARTICLE, []) == (("HWF", "Harbour Workers Federation"),)


def test_initials_take_a_name_given_in_brackets_by_another_source() -> None:
    others = ["A spokesman for the Kestrel Grain and Seed Board (KGB) said prices were fixed."]
    # the letters need not all match when the source writes the initials in brackets after the name
    assert initials_to_complete("The KGB raised the price.", ["The KGB raised the price."], others) == (
        ("KGB", "Kestrel Grain and Seed Board"),)
    # but the name starts with the first letter: "Romania's Central Bank (BNR)" says which bank, not what BNR is
    assert initials_to_complete("The BNR raised rates.", [], ["Romania's Central Bank (BNR) acted."]) == ()
    # a longer run before the brackets keeps only the words the initials stand for
    others = ["Ola Berg of the Lake District Fishing Council (LDFC) spoke."]
    assert initials_to_complete("The LDFC objected.", [], others) == (("LDFC", "Lake District Fishing Council"),)


def test_nothing_is_added_when_no_source_spells_the_initials_out_or_the_sentence_does() -> None:
    assert initials_to_complete("The HWF said so.", ["The HWF said so."], ["Nothing here."]) == ()
    assert initials_to_complete("The Harbour Workers Federation (HWF) struck.", ARTICLE, []) == ()


def test_known_initials_names_and_sentence_openers_are_not_spelled_out() -> None:
    assert initials_used("The UN and NATO met in the U.S. with AT&T and an F-16 on show.") == ()
    # two letters match too many pairs of capitalised words: only a name given in brackets counts
    assert initials_to_complete("The II said no.", [], ["If I were you, Ivo Ibsen said, I would wait."]) == ()
    # a run that goes on with a name is a longer name, not the initials' ("Communist Party Chief Jiang")
    assert initials_to_complete("The CPC met.", [], ["Communist Party Chief Jiang Wen spoke."]) == ()
    # a company's suffix does not
    assert initials_to_complete("ERA mines ore.", [], ["Energy Resources of Australia Ltd. mines ore."]) == (
        ("ERA", "Energy Resources of Australia"),)


def test_the_page_spells_out_initials_at_their_first_use_only() -> None:
    names = [("HWF", "Harbour Workers Federation")]
    page = complete_page_names([
        ("HWF Vice Chairman Ivo Sand, 61, spoke.", names),
        ("The HWF's members voted.", names),
    ])
    assert page == ["HWF [Harbour Workers Federation] Vice Chairman Ivo Sand, 61, spoke.",
                    "The HWF's members voted."]
    # a possessive keeps its ending before the brackets
    assert complete_names("The HWF's members voted.", names, set()) == (
        "The HWF's [Harbour Workers Federation] members voted.")
    # an item above that gives the name in full with the initials beside it spells them out for the page ...
    assert complete_page_names([("The Harbour Workers Federation (HWF) struck.", []), ("The HWF voted.", names)]) == [
        "The Harbour Workers Federation (HWF) struck.", "The HWF voted."]
    # ... the name alone does not: a reader cannot tell that the initials are its (an editor's read of D0716B)
    assert complete_page_names([("The Harbour Workers Federation struck.", []), ("The HWF voted.", names)]) == [
        "The Harbour Workers Federation struck.", "The HWF [Harbour Workers Federation] voted."]


def test_a_brief_carries_the_name_of_initials_in_its_items() -> None:
    from briefing.pipeline import analyse, item_for

    texts = [
        "PORTVILLE (AP) _ The Harbour Workers Federation called a strike at the port on Monday. "
        "The HWF said its members would stay out for a week, and ships waited offshore.",
        "PORTVILLE (Reuters) _ The HWF said its members would stay out for a week, and ships waited offshore. "
        "Grain prices rose.",
    ]
    analysis = analyse(sources_from_texts(texts))
    i = next(k for k, s in enumerate(analysis.corroboration.sentences) if s.text.startswith("The HWF"))
    assert ("HWF", "Harbour Workers Federation") in item_for(analysis, i, 1).names

"""Items of two sentences: a sentence that cannot stand alone, shown after the one before it (issue 15).

All sentences here are written for the tests.
"""

from __future__ import annotations

import json

from briefing.model import Evidence, Item
from briefing.output import brief_json
from briefing.pipeline import bottom_line, build_brief, summarize
from briefing.plan import assign_sections
from briefing.rank import joins
from tests.helpers import raw

OPENING = "Springfield opened a new river bridge on Monday after three years of work."
CONTEXT = "Mayor Maria Lopez cut a yellow ribbon in heavy rain."
PRONOUN = "She said the city would build a second river bridge downstream by 2030."


def _bridge_raws(*more: str) -> list:  # type: ignore[type-arg]
    texts = [
        f"Springfield opens river bridge\n\n{OPENING} {CONTEXT} {PRONOUN}",
        "New bridge for Springfield\n\nSpringfield opened a new river bridge on Monday after three years of work, "
        "the city said. The bridge cost 40 million dollars and carries four lanes of traffic.",
        "Bridge opens\n\nThe new river bridge in Springfield opened on Monday after three years of work. "
        "Engineers said the bridge cost 40 million dollars.",
        *more,
    ]
    return [raw(text, f"doc{k + 1}.txt") for k, text in enumerate(texts)]


def test_the_sentence_before_must_say_who_the_pronoun_is() -> None:
    # Who "he", "they", "those" are: the sentence before says it.
    assert joins("Matthew Rowe was found tied to a fence near Laramie on Wednesday.", "He was left to die in the cold.")
    assert joins("A group of protesters was ejected from the company's annual meeting on Thursday.",
                 "Those ejected had been protesting against the new mine for a month.")
    assert joins("Environmental groups say 82 percent of voters oppose uranium mining in national parks.",
                 "They claim the government's reply shows it is out of touch with voters.")
    # ... or who "he" is in a clause opening the sentence (an editor's read of D0610, stop 40)
    assert joins("Ann Lind was taught at home by her parents until she was 17.",
                 "When she applied to Harvard, admissions officers asked for her test scores.")
    # The sentence before must stand alone itself: it leans back ("his approval"), or points at things
    # told before it ("these young refugees").
    assert not joins("No decisions are made without his approval.", "He said the film would open in May.")
    assert not joins("Canada offered homes to 400 of these young refugees this spring.",
                     "They fled Burma after the coup in 1988.")
    # Not what "the detentions" or "the euro" are, nor "it": in hand labels of such pairs the second sentence
    # mostly did not need the first, or needed more than it said.
    assert not joins("Police detained 15 people in raids across the city on Tuesday.",
                     "The detentions follow a month of raids on gangs.")
    assert not joins("Windward Farming now grows 22 acres of organic berries.",
                     "It takes three years to convert a field, and therein lies a problem.")
    # A count of things told before: the sentence before may name fewer of them (an editor's read of D0703C).
    assert not joins("The ministers said the two smallest states may keep their own coins.",
                     "Those three must also join the customs treaty.")
    # Nothing to join: the sentence stands alone; or what it lacks is no context (contact details).
    assert not joins(CONTEXT, OPENING)
    assert not joins("The council opened a helpline for flood victims on Monday.",
                     "Callers can reach it on 555-201-3344 from 8 a.m.")


def test_a_sentence_that_needs_the_one_before_is_an_item_with_it() -> None:
    brief = build_brief(_bridge_raws())
    joined = [item for item in brief.items if item.context]
    assert len(joined) == 1
    item = joined[0]
    assert item.context == CONTEXT
    assert item.text == f"{CONTEXT} {PRONOUN}"
    assert item.claim == PRONOUN
    # The section is the item's own sentence's ("would build": what comes next), not the context's.
    assert item.section == "outlook"
    # Its evidence is both sentences as its article prints them, with their offsets.
    own = item.evidence[0]
    assert own.text == f"{CONTEXT} {PRONOUN}"
    source = next(s for s in brief.sources if s.id == item.source)
    assert source.text[own.start:own.end] == own.text
    # brief.json says which part is the context.
    data = json.loads(brief_json(brief))
    shown = [i for section in data["sections"] for i in section["items"] if i.get("context")]
    assert [i["context"] for i in shown] == [CONTEXT]


def test_another_source_is_cited_only_when_it_states_both_sentences() -> None:
    both = f"Bridge day in Springfield\n\n{CONTEXT} {PRONOUN}"
    second_only = "Second crossing planned\n\nIt will build a second river bridge downstream by 2030, she said."
    brief = build_brief(_bridge_raws(both, second_only))
    item = next(item for item in brief.items if item.context)
    by_path = {s.id: str(s.path) for s in brief.sources}
    assert sorted(by_path[c] for c in item.citations) == ["doc1.txt", "doc4.txt"]
    assert item.support == 1  # doc4 prints doc1's words: one story's wording counts once
    assert "doc5.txt" in {by_path[s] for s in item.also}  # states the second sentence only: covering, not cited
    for evidence in item.evidence:
        assert evidence.text == f"{CONTEXT} {PRONOUN}"


def test_the_summary_reads_as_the_page_does() -> None:
    summary = summarize(_bridge_raws(), words=100)
    assert f"{CONTEXT} {PRONOUN}" in summary
    assert PRONOUN not in [text for text in summary if not text.startswith(CONTEXT)]


def _item(text: str, *, context: str = "", support: int = 1, rank: int = 1) -> Item:
    return Item(text=text, source="s1", citations=("s1",), support=support, score=1.0, rank=rank,
                evidence=(Evidence("s1", text, 0, len(text)),), context=context)


def test_the_bottom_line_is_one_sentence() -> None:
    pair = _item(f"{CONTEXT} {PRONOUN}", context=CONTEXT, support=3, rank=1)
    single = _item(OPENING, support=1, rank=2)
    assert bottom_line([pair, single]) is single


def test_the_section_is_that_of_the_items_own_sentence() -> None:
    context = "The council will vote on the new budget next week."
    item = _item(f"{context} It approved the school plan on Monday.", context=context)
    (placed,) = assign_sections([item])
    assert placed.section == "developments"
    assert placed.claim == "It approved the school plan on Monday."

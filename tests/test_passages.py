"""A claim that another source states over two sentences in a row (issue 13: paraphrases count).

All sentences here are written for the tests.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.claims import ClaimContext, passage_states, view
from briefing.pipeline import build_brief
from tests.helpers import raw

ITEM = ("Since Sunday, the army has detained more than 300 members of the Harbour Party to stop it from "
        "convening the new assembly.")
FIRST = "Soldiers have detained more than 300 party members since Sunday, officials said."
SECOND = "The sweep is aimed at Harbour Party members and is meant to stop the party from convening the new assembly."


def _states(item: str, first: str, second: str, *others: Sequence[str]) -> bool:
    sources = [[item], [first, second], *others]
    context = ClaimContext.from_views([[view(text) for text in texts] for texts in sources])
    return passage_states(view(item), first, second, context)


def test_two_sentences_in_a_row_state_a_claim_neither_states_alone() -> None:
    assert _states(ITEM, FIRST, SECOND)
    # Each must bring the item's words; the second what the first does not.
    assert not _states(ITEM, FIRST, "Diplomats in the capital said they were watching the situation closely.")
    assert not _states(ITEM, FIRST, "Most of the party members detained since Sunday were held in the capital.")


def test_a_number_or_date_the_item_gives_counts_as_one_of_its_words() -> None:
    # The first sentence shares one word with the item ("detentions"), and its figure and day.
    first = "More than 300 of the detentions have taken place since Sunday."
    assert _states(ITEM.replace("detained", "made detentions of"), first, SECOND)
    # Another figure is no such anchor, nor a number the item does not give.
    assert not _states(ITEM.replace("detained", "made detentions of"), first.replace("300", "40"), SECOND)
    # The second sentence may add the item's date and nothing else.
    item = "Delegates at the harbour talks agreed on a ceasefire that begins on March 14."
    first = "Delegates at the harbour talks agreed on a ceasefire that begins soon, the mediators said."
    assert _states(item, first, "The agreed ceasefire begins on March 14.")
    assert not _states(item, first, "The agreed ceasefire begins on March 20.")


def test_a_passage_must_not_hedge_what_the_item_asserts_nor_give_another_figure() -> None:
    hedged = "Diplomats said the sweep might be meant to stop the Harbour Party from convening the new assembly."
    assert not _states(ITEM, FIRST, hedged)
    other_figure = FIRST.replace("more than 300", "about 120")
    assert not _states(ITEM, other_figure, SECOND)


def test_a_passage_must_name_whom_the_item_names() -> None:
    # "presented the rules Johnson helped write" is not stated by two sentences that never name Johnson.
    item = "Ann Brook, a board member from Fairview, presented the new science rules that Tom Johnson helped write."
    first = "The new science rules were drafted by a committee of teachers last spring."
    second = "A rival version of the new science rules was presented by board member Ann Brook of Fairview."
    assert not _states(item, first, second)
    assert _states(item, first, second.replace("of Fairview.", "of Fairview, with help from Tom Johnson."))


def _raws() -> list:  # type: ignore[type-arg]
    texts = [
        f"Army detains party members\n\n{ITEM} Diplomats said the arrests were the largest in a decade.",
        f"Crackdown widens\n\nThe capital was calm on Thursday. {FIRST} {SECOND} Shops stayed open.",
        "Party says members held\n\nThe Harbour Party said its offices were searched on Tuesday. "
        "Its leader called for calm and said the party would meet next month.",
    ]
    return [raw(text, f"doc{k + 1}.txt") for k, text in enumerate(texts)]


def test_a_source_stating_the_claim_over_two_sentences_is_cited_with_both() -> None:
    brief = build_brief(_raws())
    (item,) = [item for item in brief.items if item.text.startswith("Since Sunday")]
    cited = dict(zip(item.citations, item.evidence, strict=True))
    second = next(source.id for source in brief.sources if source.path == "doc2.txt")
    assert second in item.citations
    assert cited[second].text == f"{FIRST} {SECOND}"
    assert item.support == 2
    assert second not in item.also

"""Quantities: numbers in words and digits, bounds, units, nouns; dates are not counts."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.quantities import Quantity, extract_quantities, lemma

INF = math.inf

# (sentence, matched text, value, low, high, unit)
CASES: list[tuple[str, str, float, float, float, str]] = [
    # digits, commas, decimals
    ("The company employs 1,200 staff.", "1,200 staff", 1200, 1200, 1200, "staff"),
    ("Some 150,000 people fled.", "Some 150,000 people", 150_000, 135_000, 165_000, "person"),
    ("Growth slowed to 2.5 percent.", "2.5 percent", 2.5, 2.5, 2.5, "percent"),
    # fractions
    ("He held more than 7-1/2 hours of talks.", "more than 7-1/2 hours", 7.5, 7.5, INF, "hour"),
    ("They talked for 7 1/2 hours.", "7 1/2 hours", 7.5, 7.5, 7.5, "hour"),
    ("They talked for 7½ hours.", "7½ hours", 7.5, 7.5, 7.5, "hour"),
    ("A 7-1/2-hour session ended at dawn.", "7-1/2-hour", 7.5, 7.5, 7.5, "hour"),
    ("The queue moved ½ mile.", "½ mile", 0.5, 0.5, 0.5, "mile"),
    # spelled-out numbers and compounds
    ("They met for seven and a half hours.", "seven and a half hours", 7.5, 7.5, 7.5, "hour"),
    ("It was a five-and-a-half-hour meeting.", "five-and-a-half-hour", 5.5, 5.5, 5.5, "hour"),
    ("It was a five and a half hour meeting.", "five and a half hour", 5.5, 5.5, 5.5, "hour"),
    ("Talks lasted more than seven a half hours.", "more than seven a half hours", 7.5, 7.5, INF, "hour"),
    ("Twenty-three ships were damaged.", "Twenty-three ships", 23, 23, 23, "ship"),
    ("Police arrested two dozen protesters.", "two dozen protesters", 24, 24, 24, "protester"),
    ("A dozen villages were flooded.", "A dozen villages", 12, 12, 12, "village"),
    ("It is the first visit in half a decade.", "half a decade", 5, 5, 5, "year"),
    ("The vote took two decades to arrange.", "two decades", 20, 20, 20, "year"),
    ("A third of voters stayed home.", "A third", 100 / 3, 100 / 3, 100 / 3, "percent"),
    ("Two-thirds of the budget is spent.", "Two-thirds", 200 / 3, 200 / 3, 200 / 3, "percent"),
    ("One hundred and twenty homes burned.", "One hundred and twenty homes", 120, 120, 120, "home"),
    ("The hearing lasted an hour and a half.", "an hour and a half", 1.5, 1.5, 1.5, "hour"),
    ("They spoke for half an hour.", "half an hour", 0.5, 0.5, 0.5, "hour"),
    # a fraction of a scale, hyphenated or not (an editor's read of D0612)
    ("A half-million voters signed.", "A half-million voters", 5e5, 5e5, 5e5, "voter"),
    ("More than a half million voters signed.", "More than a half million voters", 5e5, 5e5, INF, "voter"),
    ("About a quarter-million voters signed.", "About a quarter-million voters", 2.5e5, 2.25e5, 2.75e5, "voter"),
    # scales and money
    ("The city has 3 million residents.", "3 million residents", 3e6, 3e6, 3e6, "resident"),
    ("The deal is worth $2.5bn.", "$2.5bn", 2.5e9, 2.5e9, 2.5e9, "usd"),
    ("Tickets cost €20 each.", "€20", 20, 20, 20, "eur"),
    ("The plan costs £3bn.", "£3bn", 3e9, 3e9, 3e9, "gbp"),
    ("He paid 5 million dollars.", "5 million dollars", 5e6, 5e6, 5e6, "usd"),
    ("India has 1.2 billion people.", "1.2 billion people", 1.2e9, 1.2e9, 1.2e9, "person"),
    ("A US$3 million grant was approved.", "US$3 million", 3e6, 3e6, 3e6, "usd"),
    ("He earns £45,000 a year.", "£45,000 a year", 45_000, 45_000, 45_000, "gbp/year"),
    ("The bill costs $3-5 billion.", "$3-5 billion", 4e9, 3e9, 5e9, "usd"),
    # percentages
    ("Turnout was 40%.", "40%", 40, 40, 40, "percent"),
    ("Turnout was 40 per cent.", "40 per cent", 40, 40, 40, "percent"),
    ("Rates rose by 0.5 percentage points.", "0.5 percentage points", 0.5, 0.5, 0.5, "percentage point"),
    # durations
    ("The three-hour meeting ended.", "three-hour", 3, 3, 3, "hour"),
    ("Rescuers worked for over seven hours.", "over seven hours", 7, 7, INF, "hour"),
    ("The 45-year-old was charged.", "45-year-old", 45, 45, 45, "age"),
    # people
    ("At least 12 people were killed.", "At least 12 people", 12, 12, INF, "person"),
    ("The blast left 40 injured.", "40 injured", 40, 40, 40, "person"),
    ("Thousands of people marched.", "Thousands of people", 2000, 2000, 1e5, "person"),
    # bounds and approximations
    ("It took almost six months.", "almost six months", 6, 5.4, 6, "month"),
    ("Nearly 40 people drowned.", "Nearly 40 people", 40, 36, 40, "person"),
    ("About 40 people drowned.", "About 40 people", 40, 36, 44, "person"),
    ("Talks lasted around three hours.", "around three hours", 3, 2.7, 3.3, "hour"),
    ("Roughly 300 troops remain.", "Roughly 300 troops", 300, 270, 330, "troop"),
    ("Up to 5 years in prison.", "Up to 5 years", 5, 0, 5, "year"),
    ("Fewer than 10 people came.", "Fewer than 10 people", 10, 0, 10, "person"),
    ("Inflation is less than 3%.", "less than 3%", 3, 0, 3, "percent"),
    ("The flight took under 18 hours.", "under 18 hours", 18, 0, 18, "hour"),
    ("It lasted just over two hours.", "just over two hours", 2, 2, 2.2, "hour"),
    ("Some 50 or more boats sank.", "Some 50", 50, 45, 55, ""),
    ("Forty or so boats sank.", "Forty or so", 40, 36, 44, ""),
    # ranges
    ("Talks lasted between 3 and 5 hours.", "between 3 and 5 hours", 4, 3, 5, "hour"),
    ("Repairs take 3 to 5 days.", "3 to 5 days", 4, 3, 5, "day"),
    ("Repairs take 3-5 years.", "3-5 years", 4, 3, 5, "year"),
    ("Repairs take two or three days.", "two or three days", 2.5, 2, 3, "day"),
    # dates and clock times are never counts
    ("It is the first such visit since 2018.", "2018", 2018, 2018, 2018, "date"),
    ("They met on June 19.", "June 19", 619, 619, 619, "date"),
    ("They met on 19 June 2023.", "19 June 2023", 20230619, 20230619, 20230619, "date"),
    ("Talks began at 4.30 pm.", "4.30 pm", 16.5, 16.5, 16.5, "clock"),
    ("Talks began at 0830 GMT.", "0830 GMT", 8.5, 8.5, 8.5, "clock"),
]


@pytest.mark.parametrize(("sentence", "text", "value", "low", "high", "unit"), CASES)
def test_quantity_table(sentence: str, text: str, value: float, low: float, high: float, unit: str) -> None:
    found = [q for q in extract_quantities(sentence) if q.text == text]
    assert found, f"{text!r} not found in {extract_quantities(sentence)}"
    q = found[0]
    assert q.value == pytest.approx(value)
    assert q.low == pytest.approx(low)
    assert q.high == pytest.approx(high)
    assert q.unit == unit
    assert sentence[q.start:q.end] == q.text


@pytest.mark.parametrize(
    ("sentence", "noun"),
    [
        ("Blinken held 7-1/2 hours of \"candid\" and \"constructive\" talks with Qin.", "talks"),
        ("Blinken engaged in over seven hours of “frank” discussions.", "discussions"),
        ("It was a five and a half hour meeting.", "meeting"),
        ("Blinken held talks lasting more than seven hours.", "talks"),
        ("At least 12 people were killed in the attack.", "killed"),
        ("The blast killed at least 12 people.", "killed"),
        ("The fund bought a 40% stake.", "stake"),
        ("She won 52 percent of the vote.", "vote"),
    ],
)
def test_noun_is_what_the_figure_measures(sentence: str, noun: str) -> None:
    (q,) = [q for q in extract_quantities(sentence) if q.unit not in ("date", "clock")]
    assert q.noun == noun


def test_a_share_after_of_the_whole_measures_what_the_whole_counts() -> None:
    # "of the 300 cases …, over 85 percent …": the share is of cases; of the deaths after it, of deaths.
    sentence = ("Of the estimated 300 million cases each year, over 85 percent are in the south, and of the "
                "two million deaths, over 90 percent are in the south.")
    shares = [q for q in extract_quantities(sentence) if q.unit == "percent"]
    assert [q.noun for q in shares] == ["cases", "deaths"]
    # Without "of the" before the count, the share stays of nothing named.
    plain = "Officials counted 300 cases, and over 85 percent were in the south."
    assert [q.noun for q in extract_quantities(plain) if q.unit == "percent"] == [""]


@pytest.mark.parametrize(
    "sentence",
    [
        "The US and China have one of the world’s most important relationships.",
        "Both stressed what one US official called profound differences.",
        "The two might one day clash militarily.",
        "Leaders of the G20 met in Delhi.",
        "F-16 jets flew over the COVID-19 ward.",
        # a model's number is no count of the deaths after it
        "The passengers of the Airbus 320-200 died on impact.",
        "The 3rd round starts on the second day.",
        "Music of the 1990s filled the hall.",
        "Nobody knows what happens next.",
    ],
)
def test_not_amounts(sentence: str) -> None:
    assert [q for q in extract_quantities(sentence) if q.unit] == []


def test_a_range_is_read_and_a_model_number_is_not() -> None:
    assert [(q.text, q.low, q.high) for q in extract_quantities("Prices rose 20-25 percent.")] == [
        ("20-25 percent", 20.0, 25.0)]
    assert [q.text for q in extract_quantities("All 217 aboard the Boeing 767-300 died.") if q.unit == "person"] == [
        "217 aboard"]


def test_differences_are_marked_as_changes() -> None:
    text = "Talks ran two hours longer than planned, prices were up 5% and wages rose by 2%."
    found = extract_quantities(text)
    assert [q.text for q in found] == ["two hours", "5%", "2%"]
    assert all(q.role == "change" for q in found)
    assert extract_quantities("Prices stood at 5% in May.")[0].role == "amount"
    # a rate: "of every 10,000", "in every 250" (an editor's read of D0612), as "out of 10" and "in 1,000"
    assert [q.role for q in extract_quantities("The fever strikes about 5 of every 10,000 children.")] == \
        ["amount", "ratio"]
    assert [q.role for q in extract_quantities("It strikes 2 in every 250 children.")] == ["amount", "ratio"]
    assert extract_quantities("No half-hearted vote was held.") == ()


def test_two_states_are_two_quantities_not_a_range() -> None:
    found = extract_quantities("Inflation fell from 9% to 6% last year.")
    assert [(q.value, q.low, q.high) for q in found] == [(9, 9, 9), (6, 6, 6)]


def test_score_is_not_a_range() -> None:
    found = extract_quantities("The bill passed 218 to 214 in the House.")
    assert all(q.low == q.high for q in found)


def test_year_before_a_plural_noun_is_a_count() -> None:
    (q,) = extract_quantities("More than 2018 people attended.")
    assert (q.unit, q.low) == ("person", 2018)


def test_rounding_precision_follows_the_written_digits() -> None:
    def precision(text: str) -> float:
        return extract_quantities(text)[0].precision

    assert precision("The talks lasted seven hours.") == pytest.approx(0.5)
    assert precision("The talks lasted 7.5 hours.") == pytest.approx(0.05)
    assert precision("The talks lasted three hours.") == pytest.approx(0.3)  # at most a tenth
    assert precision("12 people were killed.") == 0.0  # small counts are exact
    assert precision("The deal is worth $3 million.") == pytest.approx(3e5)


def test_quantities_are_in_reading_order_and_frozen() -> None:
    text = "On June 3, 40 people marched for three hours; 2 were arrested."
    found = extract_quantities(text)
    assert [q.start for q in found] == sorted(q.start for q in found)
    assert [q.unit for q in found] == ["date", "person", "hour", "person"]
    with pytest.raises(AttributeError):
        found[0].value = 1.0  # type: ignore[misc]


def test_sentence_without_numbers_is_cheap_and_empty() -> None:
    assert extract_quantities("Diplomats met in Beijing amid tensions.") == ()


def test_exact_property() -> None:
    exact, bound = (extract_quantities(t)[0] for t in ("It took 3 hours.", "It took over 3 hours."))
    assert isinstance(exact, Quantity)
    assert exact.exact and not bound.exact


@pytest.mark.parametrize(
    ("word", "expected"),
    [("countries", "country"), ("people", "person"), ("ships", "ship"), ("talks", "talk"),
     ("boxes", "box"), ("crisis", "crisis"), ("glass", "glass"), ("warheads", "warhead")],
)
def test_lemma(word: str, expected: str) -> None:
    assert lemma(word) == expected


_VOCABULARY = [
    "a", "an", "and", "half", "one", "two", "seven", "twenty", "-", "hundred", "thousand",
    "million", "dozen", "dozens", "of", "third", "quarter", "hours", "hour", "day", "years",
    "ago", "past", "more", "than", "at", "least", "about", "up", "to", "between", "from",
    "people", "were", "killed", "dead", "crows", "$", "€", "%", "percent", "per", "cent", "bn",
    "m", "7", "1/2", "½", "2018", "June", "19", ",", ".", "4.30", "pm", "0830", "GMT", ":",
    "30", "1,200", "2.5", "or", "so", "plus", "the", "largest", "ships", "in", "out", "a.m.",
    "US", "No.", "G20", "F-16", "“", "”", '"', "year-old", "times", "by", "every", "tens",
]


@given(st.lists(st.sampled_from(_VOCABULARY), max_size=14), st.sampled_from([" ", "", "-"]))
@settings(max_examples=400, deadline=None)
def test_any_text_gives_consistent_quantities(words: list[str], joiner: str) -> None:
    text = joiner.join(words)
    previous_end = 0
    for q in extract_quantities(text):
        assert text[q.start:q.end] == q.text
        assert q.start >= previous_end  # in reading order, never overlapping
        previous_end = q.end
        assert q.low <= q.value <= q.high or q.unit in ("date", "clock")
        assert q.precision >= 0


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_never_raises(text: str) -> None:
    for q in extract_quantities(text):
        assert text[q.start:q.end] == q.text


def test_a_plural_nationality_counts_people() -> None:
    (q,) = extract_quantities("Rheumatoid arthritis afflicts 2.1 million Americans.")
    assert (q.value, q.unit) == (2_100_000, "person")
    (q,) = extract_quantities("Troops killed 12 Iraqis on Monday.")
    assert (q.value, q.unit, q.noun) == (12, "person", "killed")
    # a nationality before a noun is an adjective: the noun is counted
    (q,) = extract_quantities("12 Egyptian passengers died.")
    assert q.unit == "passenger"


@pytest.mark.parametrize(("text", "expected"), [
    ("Rebels set off blasts, killing at least 36 servicemen and wounding 74.",
     [(36.0, "servicemen", "killing"), (74.0, "person", "wounding")]),
    ("The plane crashed on Sunday, killing all 217 aboard.", [(217.0, "person", "killing")]),
    ("The blast killed 12 and wounded 40.", [(12.0, "person", "killed"), (40.0, "person", "wounded")]),
    # the attacks are not the injured
    ("Another 74 were injured in five terrorist attacks.", [(74.0, "person", "injured"), (5.0, "attack", "attacks")]),
])
def test_counts_after_a_casualty_verb_are_people_hurt(text: str, expected: list[tuple[float, str, str]]) -> None:
    assert [(q.value, q.unit, q.noun) for q in extract_quantities(text)] == expected


@pytest.mark.parametrize(("sentence", "roles"), [
    ("The park covers almost 9,500 square miles (24,600 square kilometers) of floodplain.",
     ["amount", "conversion"]),
    ("The mill would stand just 13 miles (22 km) from the old mine.", ["amount", "conversion"]),
    ("The firm lost 5 million dollars (3 million pounds) last year.", ["amount", "conversion"]),
    ("The deposit holds 90,000 metric tons (99,000 tons) of ore.", ["amount", "conversion"]),
    # another count in brackets is a part of the first, not the same measure again
    ("The blast killed 12 people (3 children) on Monday.", ["amount", "amount"]),
    # not right after the figure, or not in brackets: two figures
    ("The road runs 13 miles, and the railway (22 km) runs beside it.", ["amount", "amount"]),
    ("The mill stands 13 miles and 22 km from the mine.", ["amount", "amount"]),
    # figures written as adjectives, converted too
    ("A towering 125-mile (200-kilometer) escarpment rings the park.", ["amount", "conversion"]),
    ("A towering 125-mile (200 kms) escarpment rings the park.", ["amount", "conversion"]),
    ("It is a 10-year (3-day) plan.", ["amount", "amount"]),
])
def test_a_figure_in_brackets_in_another_unit_is_a_conversion(sentence: str, roles: list[str]) -> None:
    """A reporter's conversion states no figure of its own (an editor's read of D0716B: an update brief showed a
    park's area as changed because one report had converted its square miles wrongly)."""
    assert [q.role for q in extract_quantities(sentence)] == roles

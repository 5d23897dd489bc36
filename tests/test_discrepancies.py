"""Discrepancies: figures that sources state differently for the same claim.

Each case is a small set of articles written for these tests (not the seeds):
a figure sentence among a few sentences of context, run through the real
segmenter and corroboration so that similarity decides as it would in a brief.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from briefing.clean import clean_text
from briefing.corroborate import corroborate
from briefing.discrepancies import confidence_label, find_discrepancies, value_label
from briefing.ingest import RawDocument, read_file, to_source
from briefing.model import Discrepancy, Source
from briefing.quantities import extract_quantities
from briefing.segment import segment

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _source(k: int, text: str) -> Source:
    return Source(id=f"s{k}", name=f"Outlet {k}", title=f"Article {k}", url=None,
                  path=None, published=None, text=text)


def discrepancies(*texts: str) -> tuple[Discrepancy, ...]:
    sources = [_source(k + 1, text) for k, text in enumerate(texts)]
    sentences = segment(sources)
    return find_discrepancies(sources, sentences, corroborate(sources, sentences))


def sides(found: tuple[Discrepancy, ...]) -> list[list[tuple[str, tuple[str, ...]]]]:
    """Each discrepancy as [(value label, citations), ...]."""
    return [[(v.value, v.citations) for v in d.variants] for d in found]


# Background sentences shared in spirit by the articles of a case: they make
# the texts realistic and give TF-IDF something besides the figure sentence.
BUS = (
    "The driver lost control on a mountain road in the Andes, officials said. "
    "Rescue teams worked through the night to reach the wreckage. "
)
STORM = (
    "Flights were grounded and schools closed as the storm swept in from the Atlantic. "
    "Forecasters warned that more snow was expected overnight. "
)
SUMMIT = (
    "The leaders discussed trade, energy and the war in Ukraine. "
    "Officials described the mood as businesslike. "
)

# (id, articles, expected sides: [[(value, citations), ...]] per discrepancy)
CASES: list[tuple[str, tuple[str, ...], list[list[tuple[str, tuple[str, ...]]]]]] = [
    (
        "death toll, exact against exact",
        (
            "Twelve people were killed when a bus plunged into a ravine in northern Peru on Tuesday. " + BUS,
            "Nineteen people died on Tuesday when their bus left the road and fell into a ravine "
            "in northern Peru, police said. Survivors were taken to hospital in Cajamarca.",
        ),
        [[("12 people", ("s1",)), ("19 people", ("s2",))]],
    ),
    (
        "death toll, lower bound against a smaller value",
        (
            "At least 30 people were killed when a bus plunged into a ravine in northern Peru. " + BUS,
            BUS + "The crash of the bus into a ravine in northern Peru killed 19 people, police said.",
        ),
        [[("19 people", ("s2",)), ("at least 30 people", ("s1",))]],
    ),
    (
        "death toll, lower bound fits a larger value",
        (
            "At least 12 people were killed when a bus plunged into a ravine in northern Peru. " + BUS,
            BUS + "The crash of the bus into a ravine in northern Peru killed 19 people, police said.",
        ),
        [],
    ),
    (
        "duration, bound fits the exact value",
        (
            "Negotiators in Geneva talked for more than three hours before breaking for dinner. " + SUMMIT,
            SUMMIT + "Negotiators in Geneva talked for three and a half hours before breaking for dinner.",
        ),
        [],
    ),
    (
        "duration, exact against exact",
        (
            "Negotiators in Geneva talked for nine hours before breaking for dinner. " + SUMMIT,
            SUMMIT + "Negotiators in Geneva talked for four hours before breaking for dinner.",
        ),
        [[("4 hours", ("s2",)), ("9 hours", ("s1",))]],
    ),
    (
        "duration, rounding: seven hours may be seven and a half",
        (
            "Negotiators in Geneva talked for seven hours before breaking for dinner. " + SUMMIT,
            SUMMIT + "Negotiators in Geneva talked for seven and a half hours before breaking for dinner.",
        ),
        [],
    ),
    (
        "three sources, two agree",
        (
            "Macron and Scholz held more than six hours of talks in Paris on Friday. " + SUMMIT,
            SUMMIT + "Macron and Scholz held seven hours of talks in Paris on Friday, aides said.",
            "In Paris on Friday, Macron and Scholz held two hours of talks. " + SUMMIT,
        ),
        [[("7 hours", ("s2", "s1")), ("2 hours", ("s3",))]],
    ),
    (
        "a bound that fits both sides is cited on both",
        (
            "Macron and Scholz held seven and a half hours of talks in Paris on Friday. " + SUMMIT,
            SUMMIT + "Macron and Scholz held five and a half hours of talks in Paris on Friday.",
            "In Paris on Friday, Macron and Scholz held more than five hours of talks. " + SUMMIT,
        ),
        [[("7½ hours", ("s1", "s3")), ("5½ hours", ("s2", "s3"))]],
    ),
    (
        "different subjects: talks with Macron against talks with Scholz",
        (
            "Biden held two hours of talks with Macron at the summit. " + SUMMIT,
            SUMMIT + "Biden held five hours of talks with Scholz at the summit.",
        ),
        [],
    ),
    (
        "different days are different events",
        (
            "On Monday, the two delegations talked for three hours in Vienna. " + SUMMIT,
            SUMMIT + "On Tuesday, the two delegations talked for eight hours in Vienna.",
        ),
        [],
    ),
    (
        "one sentence names no one: a different meeting is possible",
        (
            "Meloni met Sunak in Rome and they talked for seven hours about migration. " + SUMMIT,
            SUMMIT + "They then posed for photographs and talked for three hours.",
        ),
        [],
    ),
    (
        "different units are not compared",
        (
            "Rescuers took 18 hours to free the miners trapped in the Ohio shaft. " + STORM,
            STORM + "Rescuers took three days to free the miners trapped in the Ohio shaft.",
        ),
        [],
    ),
    (
        "approximate fits a close exact value",
        (
            "About 300 flights were cancelled at Heathrow on Sunday because of the storm. " + STORM,
            STORM + "The storm forced Heathrow to cancel 310 flights on Sunday.",
        ),
        [],
    ),
    (
        "approximate against a far value",
        (
            "About 300 flights were cancelled at Heathrow on Sunday because of the storm. " + STORM,
            STORM + "The storm forced Heathrow to cancel 120 flights on Sunday.",
        ),
        [[("120 flights", ("s2",)), ("about 300 flights", ("s1",))]],
    ),
    (
        "dates of different events are not compared",
        (
            "The foreign minister visited Kyiv on June 3 to discuss air defence. " + SUMMIT,
            SUMMIT + "The foreign minister visited Warsaw on June 19 to discuss air defence.",
        ),
        [],
    ),
    (
        "a year and a span of years agree, never a count",
        (
            "It was the first visit by a French president to Algeria since 2018. " + SUMMIT,
            SUMMIT + "It was the first visit by a French president to Algeria in five years.",
            "It was the first visit by a French president to Algeria in half a decade. " + SUMMIT,
        ),
        [],
    ),
    (
        "money, exact against exact",
        (
            "The European Commission fined Meta €1.2bn on Monday over data transfers. " + SUMMIT,
            SUMMIT + "The European Commission fined Meta €390 million on Monday over data transfers.",
        ),
        [[("€390 million", ("s2",)), ("€1.2 billion", ("s1",))]],
    ),
    (
        "a change is not an amount",
        (
            "Unemployment in Spain rose by 2 percent in the first quarter, officials said. " + STORM,
            STORM + "Unemployment in Spain stood at 12 percent in the first quarter, officials said.",
        ),
        [],
    ),
    (
        "two figures of one kind in a sentence are ambiguous",
        (
            "Prices in Argentina rose 9 percent for food and 6 percent for fuel in March. " + STORM,
            STORM + "Prices in Argentina rose 4 percent in March.",
        ),
        [],
    ),
    (
        "the starting point of a change is not the figure",
        (
            "Inflation in Argentina fell from 9 percent to 6 percent in March. " + STORM,
            STORM + "Inflation in Argentina fell to 4 percent in March.",
        ),
        [[("4%", ("s2",)), ("6%", ("s1",))]],
    ),
    (
        "percent, exact against exact",
        (
            "Turnout in the Slovak election reached 68 percent, the statistics office said. " + STORM,
            STORM + "Turnout in the Slovak election reached 52 percent, the statistics office said.",
        ),
        [[("52%", ("s2",)), ("68%", ("s1",))]],
    ),
]


@pytest.mark.parametrize(("case", "texts", "expected"), CASES, ids=[c[0] for c in CASES])
def test_discrepancy_cases(case: str, texts: tuple[str, ...], expected: list[list[tuple[str, tuple[str, ...]]]]) -> None:
    found = discrepancies(*texts)
    # Variants are ordered by support, then source: compare as sets of sides
    # where support ties, so the test checks content, not tie-breaking.
    assert [sorted(s) for s in sides(found)] == [sorted(s) for s in expected], case
    for d in found:
        for v in d.variants:
            own = v.citations[0]
            assert v.text in texts[int(own[1:]) - 1]  # verbatim from its own source


def test_same_source_does_not_disagree_with_itself() -> None:
    text = (
        "Twelve people were killed when a bus plunged into a ravine in northern Peru. " + BUS
        + "Nineteen people were killed when a bus plunged into a ravine in northern Peru."
    )
    assert discrepancies(text, STORM) == ()


def test_syndicated_copies_count_as_one_source() -> None:
    # Two copies of one wire story (shared group) that differ in one figure
    # are one source's versions, not independent sources disagreeing.
    body = BUS * 3 + "Police said the road had been closed twice this year because of landslides. "
    first = "Twelve people were killed when a bus plunged into a ravine in northern Peru. " + body
    second = "Thirteen people were killed when a bus plunged into a ravine in northern Peru. " + body
    assert discrepancies(first, second) == ()


def test_output_is_deterministic_and_sorted() -> None:
    texts = (
        "Twelve people were killed when a bus plunged into a ravine in northern Peru. " + BUS
        + "Turnout in the Slovak election reached 68 percent, the statistics office said.",
        BUS + "Nineteen people were killed when a bus plunged into a ravine in northern Peru. "
        + "Turnout in the Slovak election reached 52 percent, the statistics office said.",
    )
    first = discrepancies(*texts)
    assert first == discrepancies(*texts)
    assert [d.topic for d in first] == ["number of deaths", "percentage"]


# --- the five seed articles -----------------------------------------------------


def _seed_sources() -> list[Source]:
    sources = []
    for i, f in enumerate(sorted(SEEDS.glob("*.txt"))):
        s = to_source(read_file(f), f"s{i + 1}")
        sources.append(replace(s, text=clean_text(s.text).text))
    return sources


def test_seeds_flag_only_the_length_of_the_talks_with_qin() -> None:
    sources = _seed_sources()
    sentences = segment(sources)
    found = find_discrepancies(sources, sentences, corroborate(sources, sentences))
    assert len(found) == 1
    (d,) = found
    assert d.topic == "length of the talks with Qin Gang"
    assert [(v.value, v.citations) for v in d.variants] == [
        ("7½ hours", ("s1", "s2", "s3", "s4")),
        ("5½ hours", ("s5",)),
    ]
    assert "seven and a half hours" in d.variants[0].text
    assert "five and a half hour meeting" in d.variants[1].text
    by_id = {s.id: s for s in sources}
    for v in d.variants:
        assert v.text in by_id[v.citations[0]].text


# --- labels ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("They talked for seven and a half hours.", "7½ hours"),
        ("They talked for more than three hours.", "more than 3 hours"),
        ("The deal is worth $2.5bn.", "$2.5 billion"),
        ("Turnout was 40 per cent.", "40%"),
        ("At least 12 people were killed.", "at least 12 people"),
        ("Repairs take 3 to 5 days.", "3–5 days"),
        ("A Chinese warship came within 150 yards of the destroyer.", "150 yards"),
        ("He earns £45,000 a year.", "£45,000 a year"),
    ],
)
def test_value_label(sentence: str, label: str) -> None:
    assert value_label(extract_quantities(sentence)[0]) == label


@pytest.mark.parametrize(
    ("support", "total", "label"),
    [
        (1, 1, "single source"),
        (1, 5, "single source"),
        (2, 2, "corroborated"),
        (2, 5, "corroborated"),
        (3, 3, "widely reported"),
        (3, 5, "widely reported"),  # 3 >= max(3, ceil(3.0))
        (3, 6, "corroborated"),  # needs ceil(3.6) = 4
        (4, 6, "widely reported"),
        (5, 10, "corroborated"),
        (6, 10, "widely reported"),
        (2, 3, "corroborated"),  # 60 % of 3 is 2, but three sources are the floor
    ],
)
def test_confidence_label(support: int, total: int, label: str) -> None:
    assert confidence_label(support, total) == label


def test_confidence_label_never_says_corroborated_for_one_source() -> None:
    assert "corroborated" not in confidence_label(1, 1)


@pytest.mark.parametrize(("support", "total"), [(0, 3), (4, 3), (1, 0), (-1, 2)])
def test_confidence_label_rejects_impossible_counts(support: int, total: int) -> None:
    with pytest.raises(ValueError, match="support"):
        confidence_label(support, total)


# --- real news, for false alarms ---------------------------------------------------

DUC = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "duc2006-dev.jsonl"


@pytest.mark.slow
@pytest.mark.skipif(not DUC.exists(), reason="DUC 2006 dev clusters not present")
def test_real_news_clusters_raise_no_false_alarms() -> None:
    # 25 clusters of about 25 real articles each, one topic per cluster,
    # published over weeks or years: figures differ between them all the time
    # (tolls grow, polls ask other questions, prices are for other pills), but
    # no two sources state one fact with figures that cannot both be true.
    found: list[str] = []
    for line in DUC.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        sources = [
            replace(_source(k + 1, clean_text(f"{d['title']}\n\n{d['text']}").text),
                    published=str(d["date"])[:10])
            for k, d in enumerate(record["docs"])
        ]
        sentences = segment(sources)
        for d in find_discrepancies(sources, sentences, corroborate(sources, sentences)):
            found.append(f"{record['id']}: {d.topic}: " + " vs ".join(v.value for v in d.variants))
    assert found == []


def _status_boxes(hedge_day: str) -> list[tuple[str, ...]]:
    from briefing.pipeline import build_brief

    docs = {
        f"{hedge_day}-hedge.txt": "Cabinet news\n\nThe finance minister Ola Berg may have resigned from the cabinet on "
                                  "Sunday evening, officials said, but nothing was confirmed.\n"
                                  "Parliament meets again in March to debate the budget.",
        "2023-06-19-resigned.txt": "Minister quits\n\nThe finance minister Ola Berg resigned from the cabinet on Sunday "
                                   "evening, officials said.\nHis deputy will lead the ministry until a successor is named.",
        "2023-06-19-quits.txt": "Berg out\n\nThe finance minister Ola Berg resigned from the cabinet on Sunday evening, "
                                "aides confirmed.\nThe opposition welcomed the news in a short statement.",
    }
    brief = build_brief([RawDocument(data=text.encode(), path=name) for name, text in docs.items()])
    return [tuple(claim.value for claim in d.variants) for d in brief.discrepancies if d.topic.startswith("Status")]


def test_a_hedge_on_the_day_of_the_assertion_is_a_disagreement_one_the_day_before_is_not() -> None:
    # The same day: one outlet still hedges what two assert.
    assert _status_boxes("2023-06-19") == [("reported as fact", "possible, not confirmed")]
    # The day before anyone asserted it: the status changed over days, as a toll rises.
    assert _status_boxes("2023-06-18") == []


def test_a_sentence_that_shares_only_a_toll_with_the_item_is_no_status_dispute() -> None:
    # "… to try to determine whether a fire caused the ship to sink … killing all 140" hedges the cause, not
    # the deaths: its main clause (divers searched the engine room) is not the item's (an editor's read of D0617).
    from briefing.pipeline import build_brief

    docs = {
        "2023-05-04-a.txt": "Ferry lost\n\nAll 140 people on board died in the Nordlys ferry sinking.\n"
                            "Rescue boats returned to port at night.",
        "2023-05-04-b.txt": "Ferry sinks\n\nAll 140 people on board died in the Nordlys ferry sinking, the coast guard "
                            "said.\nThe shipping line suspended its other routes.",
        "2023-05-04-c.txt": "Divers at wreck\n\nBERGEN _ Divers, aided by two marine engineers, searched the engine room "
                            "of the Nordlys ferry Thursday to try to determine whether a fire caused the ship to sink a "
                            "week ago killing all 140 people on board.\nThe police have opened an inquiry.",
    }
    brief = build_brief([RawDocument(data=text.encode(), path=name) for name, text in docs.items()])
    assert [d.topic for d in brief.discrepancies if d.topic.startswith("Status")] == []


def test_two_conversions_of_one_figure_are_no_disagreement() -> None:
    """ "9,500 square miles (15,000 sq. kms)" and "(24,600 square kilometers)": the reporters' arithmetic differs,
    the area they report does not (D0716B); a different area in the main unit still is a disagreement."""
    park = ("The Tarrow park is almost 9,500 square miles ({} of floodplain on the north coast, rangers said. "
            "Its escarpment and wetlands draw tourists every dry season.")
    assert discrepancies(park.format("15,000 sq. kms)"), park.format("24,600 square kilometers)")) == ()
    other = park.replace("9,500", "7,000").format("18,000 square kilometers)")
    assert sides(discrepancies(park.format("24,600 square kilometers)"), other)) != []

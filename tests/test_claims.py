"""Claims: a cited source must state the item's claim (same figure, same modality, same time).

Sentences are written for the tests; each rule of briefing.claims has a case
that it accepts and one it rejects.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from briefing.claims import (
    ClaimContext,
    ClaimView,
    Status,
    compare,
    dates_agree,
    lead_in,
    main_clause,
    strip_attribution,
    strip_dateline,
    subject_missing,
    view,
)
from briefing.corroborate import corroborate
from briefing.ingest import RawDocument
from briefing.pipeline import build_brief
from briefing.segment import segment
from tests.helpers import sources_from_texts

ROOT = Path(__file__).resolve().parent.parent


def _verdict(item: str, evidence: str, *others: Sequence[str]) -> str:
    """compare(item, evidence) with a context built from both (plus any other sources)."""
    sources = [[item], [evidence], *others]
    context = ClaimContext.from_views([[view(text) for text in texts] for texts in sources])
    return compare(view(item), view(evidence), context).kind


def test_paraphrase_with_the_same_claim_supports() -> None:
    assert _verdict(
        "They agreed to cap deficits at three percent of output from next year.",
        "Finance ministers meeting in Brussels agreed on Tuesday to cap budget deficits at three percent of output.",
    ) == "supports"


@pytest.mark.parametrize(("item", "evidence"), [
    # asserted vs hedged
    ("Secretary Blinken is meeting President Xi Jinping in the Great Hall on Monday afternoon.",
     "Secretary Blinken may meet President Xi Jinping in the Great Hall on Monday afternoon."),
    ("Secretary Blinken is meeting President Xi Jinping in the Great Hall on Monday afternoon.",
     "Whether Secretary Blinken is meeting President Xi Jinping in the Great Hall on Monday afternoon is not confirmed."),
    # affirmed vs negated
    ("Governor Bush granted his first 30-day reprieve to a death row inmate in Huntsville.",
     "Governor Bush has never granted a 30-day reprieve to a death row inmate in Huntsville."),
    # done vs expected: a report that it will happen does not support that it happened
    ("The climate summit opened in Geneva with ministers from forty countries.",
     "The climate summit will open in Geneva with ministers from forty countries."),
    # done vs under way: "are being installed" (an editor's read of D0620)
    ("Video cameras already watched pupils on school buses in the district.",
     "Video cameras are being fitted on school buses in the district."),
])
def test_another_status_is_not_support(item: str, evidence: str) -> None:
    assert _verdict(item, evidence) == "status"
    assert _verdict(evidence, item) == "status"


def test_how_much_of_a_group_is_part_of_the_claim() -> None:
    """ "Most" is not "some … others" (an editor's read of D0622); "every year" is "each year"."""
    item = "Most people with the fever suffer severe headaches and aching joints for a week."
    assert _verdict(item, "While some people with the fever show no signs, others suffer severe headaches and "
                          "aching joints for a week.") == "unrelated"
    assert _verdict(item, "Most people with the fever suffer severe headaches and aching joints for a week, "
                          "doctors said.") == "supports"
    assert _verdict("Every year, parents struggle to fit about 70 models of child car seats.",
                    "Each year, parents struggle to fit about 70 models of child car seats.") == "supports"


def test_work_under_way_is_a_status_for_claims_not_a_look_ahead() -> None:
    from briefing.claims import status_of

    assert status_of("Cameras are being installed on the buses").ongoing
    assert not status_of("Cameras are being installed on the buses").future  # sections: a development
    assert status_of("New vaccines are being developed").label() == "under way"
    assert not status_of("The cameras were installed last year").ongoing
    assert _verdict("Cameras are being installed on school buses across the district.",
                    "Cameras are being installed on school buses across the district, officials said.") == "supports"


def test_a_hedged_claim_supports_a_hedged_one() -> None:
    assert _verdict(
        "Secretary Blinken may meet President Xi Jinping in the Great Hall on Monday afternoon.",
        "Secretary Blinken could meet President Xi Jinping in the Great Hall on Monday afternoon, officials said.",
    ) == "supports"


def test_a_suspicion_does_not_support_the_act() -> None:
    # An editor's read of D0624: "stabbed by white youths" cited a source where youths were only suspected of it.
    item = "The harbour guard was robbed by two dock workers at the east gate in 1997."
    evidence = ("Two dock workers suspected of robbing the harbour guard at the east gate in 1997 "
                "have never been tried.")
    assert _verdict(item, evidence) != "supports"
    assert _verdict(item.replace("was robbed by", "accused two dock workers of robbing him"),
                    evidence.replace("suspected", "accused")) != "contradicts"


def test_suspected_before_a_noun_is_no_hedge() -> None:
    from briefing.claims import status_of

    assert status_of("Police arrested two suspected militants at the east gate").asserted
    assert status_of("Two men suspected of robbing the bank were arrested").possible


def test_an_incompatible_figure_is_a_discrepancy_not_support() -> None:
    assert _verdict(
        "Blinken held seven and a half hours of talks with Qin Gang in the state guesthouse on Sunday.",
        "Blinken held five and a half hours of talks with Qin Gang in the state guesthouse on Sunday.",
    ) == "figure"
    # A figure the other allows ("more than seven hours" and 7½) is no conflict.
    assert _verdict(
        "Blinken held seven and a half hours of talks with Qin Gang in the state guesthouse on Sunday.",
        "Blinken held more than seven hours of talks with Qin Gang in the state guesthouse on Sunday.",
    ) == "supports"


def test_a_shared_dateline_and_agency_tag_are_not_support() -> None:
    item = "ISLAMABAD, Pakistan (AP) _ Some 27 aftershocks rattled the northern mountains overnight."
    other = "ISLAMABAD, Pakistan (AP) _ The prime minister met opposition leaders in the capital."
    assert strip_dateline(item) == "Some 27 aftershocks rattled the northern mountains overnight."
    assert _verdict(item, other) == "unrelated"
    xinhua = "BEIJING, Oct. 8 (Xinhua) -- Some 27 aftershocks rattled the northern mountains overnight."
    assert _verdict(item, xinhua) == "supports"


def test_attribution_phrases_are_not_content() -> None:
    item = "Floods destroyed three hundred homes in the Volga valley, the Interfax news agency reported."
    other = "The Interfax news agency reported that the regional governor resigned after the vote."
    assert "Interfax" not in strip_attribution(item)
    assert _verdict(item, other) == "unrelated"


def test_names_every_source_shares_do_not_make_a_claim() -> None:
    # Blinken, Beijing and Xi name the story: in every source.
    item = "Blinken praised the food at the banquet in Beijing hosted for Xi's guests."
    other = "Blinken criticised the weather in Beijing before meeting Xi's advisers."
    third = ["Blinken arrived in Beijing hoping to see Xi.", "Xi welcomed Blinken in Beijing."]
    assert _verdict(item, other, third) == "unrelated"


def test_a_matching_background_clause_is_not_the_claim() -> None:
    item = ("Making the first visit to China by a US secretary of state in five years, Blinken held "
            "long talks with Qin Gang about fentanyl shipments.")
    assert main_clause(item).startswith("Blinken held")
    evidence = "It was the first visit to China by a US secretary of state in five years."
    assert _verdict(item, evidence) == "unrelated"


# --- counting and evidence in the pipeline ----------------------------------------------

REPEATED = "The agency said the dam was built in 1962 and holds back the largest reservoir in the region."


@pytest.mark.parametrize(("item", "evidence"), [
    # one event in other words: "killing 217" and "217 died", "wounding 74" and "74 injured"
    ("The airliner plunged into the ocean off Nantucket, killing all 217 people on board.",
     "All 217 people on board died when the airliner plunged into the ocean off Nantucket."),
    ("Rebels attacked the garrison near the river crossing, wounding 74 soldiers.",
     "Seventy-four soldiers were injured when rebels attacked the garrison near the river crossing."),
    # "Oct." is October; "half-staff" and "half staff" are the same words
    ("The flag over the capitol was lowered to half staff on October 12 after the verdict.",
     "On Oct. 12 the flag over the capitol was lowered to half-staff after the verdict."),
    # "would" after "pledged that" is the future, as "will" is
    ("The governor pledged to the settlers that he will continue to expand the settlement.",
     "The governor pledged to the settlers that he would continue to expand the settlement."),
])
def test_the_same_claim_in_other_words_supports(item: str, evidence: str) -> None:
    assert _verdict(item, evidence) == "supports"


def test_a_flight_number_is_a_name_not_a_figure() -> None:
    # "Flight 990" and "217 dead": only 217 is compared; the evidence need not repeat 990.
    assert [f.quantity.value for f in view("EgyptAir Flight 990 crashed, killing all 217 aboard.").figures] == [217]
    assert _verdict(
        "EgyptAir Flight 990 crashed into the ocean near Nantucket, killing all 217 people aboard.",
        "The EgyptAir jet crashed into the ocean near Nantucket, killing the 217 people aboard.",
    ) == "supports"


def test_a_claim_about_one_named_person_is_not_stated_about_another() -> None:
    third = ["Farm groups asked the candidate for a meeting.", "The candidate's campaign courted rural voters."]
    item = "As part of the party's push to widen its base, Harlow met with leaders of the Riverside Growers Union."
    other = "After weeks of refusing, Delgado met privately with leaders of the Riverside Growers Union in Tulsa."
    assert _verdict(item, other, third) == "unrelated"
    same = "In line with the party's push to widen its base, Harlow met privately with Riverside Growers Union leaders."
    assert _verdict(item, same, third) == "supports"


def test_an_embedded_who_clause_is_not_the_main_clause() -> None:
    assert main_clause(
        "Ohio Sen. Mara Quill, who also is running for the post, recently met with the farmers in Denver."
    ) == "Ohio Sen. Mara Quill recently met with the farmers in Denver."
    # "where …" set off by commas before the verb is embedded too; the claim is the verb after it (an
    # editor's read of D0606 found the claim cut to its subject, a list of three places).
    assert main_clause(
        "The coasts of Norway, Iceland and Ireland, where storms are expected to worsen, could lose a tenth of "
        "their beaches -- a share that rises for some islands."
    ) == "The coasts of Norway, Iceland and Ireland could lose a tenth of their beaches"


def test_a_dash_inside_quotation_marks_does_not_end_the_main_clause() -> None:
    # A film's title with a dash in it (an editor's read of D0604: the verb after the title was lost, and with it
    # the look ahead).
    assert main_clause(
        "The toy campaign for the new ``Space Saga _ The Return,'' film is scheduled to open in May."
    ) == "The toy campaign for the new ``Space Saga _ The Return,'' film is scheduled to open in May."
    assert main_clause("The toy campaign will cost $5 million _ more than the studio planned.") \
        == "The toy campaign will cost $5 million"


def test_a_leading_clause_is_no_main_clause_whatever_its_verbs_and_figures() -> None:
    # "After learning that …, the group said …": the report it learned of is not what it said (an editor's
    # read of D0609 found the group's warning cited to a story on the tenders alone). A thousands comma
    # ("2,600") does not end the leading clause.
    item = ("After learning that the Harbour Ministry has issued permits for building 2,600 new berths for the "
            "trawler fleets of three coastal towns on the north shore, the Fishers League said the move would "
            "cause more trouble for the quota talks.")
    assert "permits" not in main_clause(item) and "trouble" in main_clause(item)
    permits = ("The Harbour Ministry has issued permits for building 2,600 new berths for the trawler fleets on "
               "the north shore, radio said.")
    assert _verdict(item, permits) == "unrelated"
    # "In 1998 there were 500 cases, …": a phrase a preposition leads may hold the main verb; it stays.
    assert main_clause("In 1998 there were 500 cases of the fever, up from 20.").startswith("In 1998")


def test_what_class_a_subject_belongs_to_needs_the_subject_in_the_evidence() -> None:
    # "Kestrel pills are a type of X" is not stated by a sentence on X alone, even where every source names
    # Kestrel pills (an editor's read of D0605: a definition cited to a story on the painkillers' side effects).
    item = "Kestrel pills are a type of nonsteroidal painkiller, such as brovane and tamorex."
    story = [["Kestrel pills went on sale in May."], ["Kestrel pills cost more than older drugs."]]
    other = ("Many stomachs cannot take the old drug of choice, nonsteroidal painkillers such as brovane "
             "and tamorex.")
    assert _verdict(item, other, *story) == "unrelated"
    same = "Kestrel pills, like brovane and tamorex, are a type of nonsteroidal painkiller."
    assert _verdict(item, same, *story) == "supports"
    # Naming both is not saying one is a kind of the other (a second read of D0605, stop 37).
    instead = "Doctors prescribe Kestrel pills as replacements for nonsteroidal painkillers like brovane and tamorex."
    assert _verdict(item, instead, *story) == "unrelated"


def test_a_claim_put_in_one_place_is_not_stated_of_another() -> None:
    # "90 percent of the cases … in the Far Isles" is not stated by a count of cases in another land (an
    # editor's read of D0618: a share of malaria cases in Africa cited to one of chickenpox in the US).
    story = [["Marsh fever spreads through the Far Isles every spring."], ["Marsh fever cases rose again."]]
    item = "Doctors say 90 percent of marsh fever cases are in the Far Isles."
    elsewhere = "In the Low Country, according to a guide for travellers, 90 percent of the cases are among children."
    assert _verdict(item, elsewhere, *story) == "unrelated"
    there = "A health officer said 90 percent of all marsh fever cases were in the Far Isles."
    assert _verdict(item, there, *story) == "supports"


def test_an_open_bound_on_another_number_does_not_state_a_figure() -> None:
    # "over 85 percent of cases" allows 90 percent but does not say it (an editor's read of D0618).
    item = "Doctors say 90 percent of marsh fever cases are in the Far Isles."
    bound = "Doctors say over 85 percent of marsh fever cases are in the Far Isles."
    assert _verdict(item, bound) == "unrelated"
    assert _verdict(item, item.replace("90 percent", "more than 90 percent")) == "supports"


def test_a_ratio_and_a_small_count_are_figures_the_evidence_must_state() -> None:
    # "one out of 10 children" is not stated by a count of children (an editor's read of D0625: 92,000 of
    # 1,027,000 births), and "three meetings" not by "meetings" uncounted (D0721B: three encounters at three ages).
    item = "One out of 10 children in the valley dies of preventable fevers before the age of five, the paper said."
    count = "Some 9,200 children under the age of five in the valley die of fevers every year, the paper said."
    assert _verdict(item, count) == "unrelated"
    ratio = "One out of 10 children in the valley dies of a preventable fever before the age of five."
    assert _verdict(item, ratio) == "supports"
    item = "Ola Berg said the mayor was swayed by three private meetings with the builders in May."
    uncounted = "Ola Berg said the mayor was swayed by private meetings with the builders in May."
    assert _verdict(item, uncounted) == "unrelated"
    assert _verdict(uncounted, item) == "supports"  # the count is a detail more, the other way round


def test_each_side_reads_the_status_of_the_clause_the_other_matches() -> None:
    # The same sentence in two outlets: one part asserted, one expected; clause for clause the same.
    item = ("Both expressed a desire to stabilise ties despite profound differences, and agreed that Qin would "
            "visit Washington to continue the conversation, though no date was announced.")
    other = ("They also expressed a desire to stabilize bilateral ties despite profound differences, and agreed "
             "that Qin would visit Washington to continue the conversation, though no date was announced.")
    assert _verdict(item, other) == "supports"


def test_a_shared_date_alone_does_not_anchor_a_loose_match() -> None:
    # Same date, same currency, another claim (design of the notes vs the launch going ahead).
    item = ("The shared currency will start on time on January 1, 2004 with wide membership and firm public "
            "support, according to a poll of senior economists.")
    other = ("Despite doubts about starting the shared currency on time on January 1, 2004, printing of the "
             "new notes is already under way.")
    assert _verdict(item, other) == "unrelated"


@pytest.mark.parametrize(("item", "evidence"), [
    # "feared dead" is not "killed"; "believed to" hedges; "is expecting approval" is not "was approved"
    ("All 217 people aboard the airliner were killed off the island.",
     "All 217 people aboard the airliner are feared dead off the island."),
    ("The smuggling ring was run from the port city of Xiamen for a decade.",
     "The smuggling ring is believed to have been run from the port city of Xiamen for a decade."),
    ("The company's new malaria drug was approved for sale in the United States.",
     "The company is expecting approval of its new malaria drug for sale in the United States."),
])
def test_feared_believed_and_expecting_are_not_fact(item: str, evidence: str) -> None:
    assert _verdict(item, evidence) == "status"


@pytest.mark.parametrize("evidence", [
    "Investigators had said last week that the jet may have broken the sound barrier early in its dive.",
    "The outbreak was originally blamed on a strain of the virus carried by pigeons in the city.",
])
def test_an_earlier_report_retold_is_not_support(evidence: str) -> None:
    # a story retells what was said before mostly to correct it
    item = evidence.replace("Investigators had said last week that ", "").replace("originally ", "")
    assert _verdict(item, evidence) != "supports"
    assert _verdict(item, item.replace("The ", "Officials said the ", 1)) == "supports"


@pytest.mark.parametrize(("item", "evidence"), [
    # rounding may excuse a discrepancy, never a citation: 80 percent does not state 82 percent
    ("The farmers' party took 82 percent of all assembly seats chosen that autumn.",
     "The farmers' party took 80 percent of all assembly seats chosen that autumn."),
    ("The automaker is offering a free child-seat check at a quarter of its showrooms.",
     "The automaker is offering a free child-seat check at about 20 percent of its showrooms."),
    ("Industrial states pledged to cut their carbon dioxide output by five percent between 2010 and 2015.",
     "Industrial states pledged to cut their greenhouse output by about six percent overall between 2010 and 2015."),
    # "more than 60" is not 60: a bound that leaves its number out is stated only by a bound
    ("Last summer a fever outbreak killed nine people in Riverton and sickened more than 70 others.",
     "In 2004 the fever killed 9 elderly people in Riverton and sickened 70."),
])
def test_a_source_writing_another_figure_does_not_state_it(item: str, evidence: str) -> None:
    assert _verdict(item, evidence) != "supports"
    # the same figure written the same way does
    assert _verdict(item, item.replace("The ", "Officials said the ", 1)) == "supports"


def test_a_paragraph_repeated_word_for_word_counts_once() -> None:
    a = "Engineers inspected the cracked dam on Monday.\n" + REPEATED
    b = "Villagers downstream packed their belongings as water rose.\n" + REPEATED
    c = "Officials said the dam, built in 1962, holds back the largest reservoir in the region."
    sources = sources_from_texts((a, b, c))
    sentences = segment(sources)
    corr = corroborate(sources, sentences)
    first = next(i for i, s in enumerate(sentences) if s.text == REPEATED)
    assert corr.citations(first, sources) == ("s1", "s2", "s3")
    assert corr.support[first] == 2  # s1 and s2 print the same paragraph: one attestation


def test_every_citation_has_evidence_verbatim_in_its_source() -> None:
    raws = [RawDocument(data=p.read_bytes(), path=str(p)) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    brief = build_brief(raws)
    texts = {s.id: s.text for s in brief.sources}
    assert brief.items
    for item in brief.items:
        assert [e.source for e in item.evidence] == list(item.citations)
        assert item.evidence[0].text == item.text
        for e in item.evidence:
            assert texts[e.source][e.start:e.end] == e.text
        assert not set(item.also) & set(item.citations)


def test_every_citation_points_into_its_file_where_a_reader_can_check_it(tmp_path: Path) -> None:
    """Evidence offsets index the cleaned text, which no one else has; file_start/file_end index the file."""
    headline = "Ferry line opens to the islands\n\n"
    bodies = (
        "The new ferry line to the islands opened on Monday with two boats, the port said.\n"
        "Ferries will sail every hour from the north pier\n   until the end of the summer season.\n",
        "Copyright 2023 by the Harbour Gazette. All rights reserved.\n\n"
        "Ferries will sail every hour from the north pier until the end of the summer season, officials said.\n"
        "The harbour master cut the ribbon at the pier on Monday morning before a crowd of islanders.\n",
        "The ferry line to the islands opened on Monday with two new boats, port officials said.\n"
        "Tickets cost four euros for adults and two euros for children, the operator said.\n",
    )
    for k, body in enumerate(bodies):
        (tmp_path / f"doc{k + 1}.txt").write_text(headline + body, encoding="utf-8")
    raws = [RawDocument(data=p.read_bytes(), path=str(p)) for p in sorted(tmp_path.glob("*.txt"))]
    brief = build_brief(raws)
    paths = {s.id: s.path for s in brief.sources}
    evidence = [e for item in brief.items for e in item.evidence]
    assert evidence and all(e.file_start is not None and e.file_end is not None for e in evidence)
    for e in evidence:
        assert e.file_start is not None and e.file_end is not None
        in_file = Path(str(paths[e.source])).read_text("utf-8")[e.file_start:e.file_end]
        assert in_file.split() == e.text.split()  # the same words; the file may break the line
    assert any(e.file_start != e.start for e in evidence)  # the headline is not in the cleaned text


def test_a_sentence_is_found_in_a_file_whatever_its_spacing_nearest_its_place() -> None:
    from briefing.ingest import locate

    text = "Boats sail hourly.\nBoats  sail\nhourly. Later, boats sail hourly."
    assert locate("Boats sail hourly.", text) == (0, 18)
    assert locate("Boats sail hourly.", text, near=20) == (19, 38)
    assert locate("Trains run late.", text) is None
    assert locate("", text) is None


# --- the seeds ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_brief():  # type: ignore[no-untyped-def]
    raws = [RawDocument(data=p.read_bytes(), path=str(p)) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    return build_brief(raws)


def test_seed_xi_meeting_is_not_widely_reported(seed_brief) -> None:  # type: ignore[no-untyped-def]
    xi = [item for item in seed_brief.items if "is meeting China’s president" in item.text]
    # Only one outlet says the meeting is under way; the others say he may meet Xi.
    assert all(item.support == 1 and item.citations == (item.source,) for item in xi)


def test_seed_no_item_cites_the_outlet_giving_another_length_of_talks(seed_brief) -> None:  # type: ignore[no-untyped-def]
    five_and_a_half = next(s.id for s in seed_brief.sources if "five and a half hour" in s.text)
    for item in seed_brief.items:
        if "7-1/2 hours" in item.text or "seven and a half hours" in item.text or "seven a half hours" in item.text:
            assert five_and_a_half not in item.citations
    box = [d for d in seed_brief.discrepancies if d.topic.startswith("length of the talks")]
    assert box and {v.value for v in box[0].variants} == {"7½ hours", "5½ hours"}


def test_seed_no_claim_is_stated_twice(seed_brief) -> None:  # type: ignore[no-untyped-def]
    items = seed_brief.items
    all_views = [[view(s.text) for s in segment([source])] for source in seed_brief.sources]
    context = ClaimContext.from_views(all_views)
    for a in items:
        for b in items:
            if a is not b:
                assert compare(view(a.text), view(b.text), context).kind not in ("supports", "figure"), (a.text, b.text)
    talks = [item for item in items if "hours" in item.text and "Qin" in item.text]
    assert len(talks) <= 1


def test_seed_wang_yi_meeting_is_reported(seed_brief) -> None:  # type: ignore[no-untyped-def]
    met = [item for item in seed_brief.items if "Wang Yi" in item.text and " met " in f" {item.text} "]
    assert met, [item.text for item in seed_brief.items]


def test_two_open_bounds_state_one_figure_only_with_one_number() -> None:
    # "at least 600" is true of 10,059 dead, yet it is another figure: the same claim, never a citation
    item = "At least 10,059 people have been confirmed dead after the earthquake struck the northern province."
    assert _verdict(item, item.replace("10,059", "600")) == "figure"
    assert _verdict(item, item.replace("At least 10,059", "More than 10,059")) == "supports"


QUAKE = {
    "2023-08-17-a.txt": "Quake toll climbs\n\nAt least 600 people have been confirmed dead after the earthquake "
                        "struck the northern province, the interior ministry said.\n\nRescue teams searched "
                        "collapsed buildings in the provincial capital through the night.",
    "2023-08-18-b.txt": "Rescuers dig\n\nAt least 600 people have been confirmed dead after the earthquake hit the "
                        "northern province, officials said.\n\nAid convoys reached the provincial capital on "
                        "Friday with tents and water.",
    "2023-08-21-c.txt": "Toll passes ten thousand\n\nAt least 10,059 people have been confirmed dead after the "
                        "earthquake struck the northern province, the interior ministry said.\n\nAid convoys "
                        "reached the provincial capital with tents and water.",
    # worded apart from c: a second outlet's own report, not a rewrite of c's sentence (which counts once)
    "2023-08-21-d.txt": "Toll rises again\n\nOfficials said at least 10,059 people were confirmed dead in the "
                        "northern province since the earthquake hit.\n\nRescue teams searched collapsed buildings "
                        "in the provincial capital.",
}


def test_a_growing_toll_is_shown_at_its_latest_figure_with_where_it_stood_before() -> None:
    raws = [RawDocument(data=text.encode(), path=name) for name, text in QUAKE.items()]
    brief = build_brief(raws)
    tolls = [item for item in brief.items if "confirmed dead" in item.text]
    assert len(tolls) == 1  # one claim, once
    (toll,) = tolls
    assert "10,059" in toll.text
    assert toll.citations == ("s3", "s4")  # the outlets that wrote 600 do not state 10,059
    assert toll.earlier is not None and "600" in toll.earlier.text
    assert toll.earlier.published == "2023-08-17"  # where it stood first


def test_the_bottom_line_carries_its_earlier_figure_on_the_page() -> None:
    from briefing.render import render_markdown

    raws = [RawDocument(data=text.encode(), path=name) for name, text in QUAKE.items()]
    brief = build_brief(raws)
    assert brief.bottom_line is not None and "10,059" in brief.bottom_line.text
    page = render_markdown(brief)
    bottom = page.split("**Bottom line:**", 1)[1].split("\n")
    assert bottom[1].startswith("Earlier: “At least 600 people") and "2023-08-17" in bottom[1]


def test_a_sentence_that_says_here_keeps_its_dateline_for_display() -> None:
    from briefing.claims import display_start

    here = "ADDIS ABABA, April 2 (Xinhua) -- Six health ministers started here today a four-day meeting."
    assert display_start(here) == 0  # "here" would name no place without it
    plain = "ISLAMABAD, Pakistan (AP) _ Troops moved into the valley on Monday."
    assert plain[display_start(plain):] == "Troops moved into the valley on Monday."
    named = "BOSTON _ A dead crow was found here in Boston on Wednesday."
    assert named[display_start(named):].startswith("A dead crow")
    # "the city", "the capital" with no name after them point at the dateline's place too
    city = "DENVER _ The city banned fireworks in parks last summer, officials said."
    assert display_start(city) == 0
    capital = "OSLO (AP) _ Police in the capital, Oslo, closed two roads on Monday."
    assert capital[display_start(capital):].startswith("Police in the capital")


@pytest.mark.parametrize(("text", "page"), [
    ("ADDIS ABABA, April 2 (Xinhua) -- Six health ministers started here today a four-day meeting.",
     "Six health ministers started here [Addis Ababa] today a four-day meeting."),
    ("DENVER _ The city banned fireworks in parks last summer, officials said.",
     "The city [Denver] banned fireworks in parks last summer, officials said."),
    ("DHAKA, Bangladesh (AP)—Nearly 50 exiles marched in the capital on Friday.",
     "Nearly 50 exiles marched in the capital [Dhaka] on Friday."),
    ("LONDON—The fund said in a report issued here Thursday that species are at risk.",
     "The fund said in a report issued here [London] Thursday that species are at risk."),
    # no place to name: as before
    ("ISLAMABAD, Pakistan (AP) _ Troops moved into the valley on Monday.", "Troops moved into the valley on Monday."),
    ("BOSTON _ A dead crow was found here in Boston on Wednesday.", "A dead crow was found here in Boston on Wednesday."),
    ("Ministers met here on Monday.", "Ministers met here on Monday."),
])
def test_the_page_names_the_datelines_place_in_brackets_instead_of_the_dateline(text: str, page: str) -> None:
    from briefing.claims import shown

    assert shown(text) == page


def test_a_later_sentence_that_says_here_gets_its_articles_place() -> None:
    from briefing.claims import dateline_place, shown

    article = "NEW DELHI, October 27 (Xinhua) -- Parents met on Sunday. A charity based here runs workshops."
    place = dateline_place(article)
    assert place == "New Delhi"
    assert shown("A charity based here runs workshops.", place) == "A charity based here [New Delhi] runs workshops."
    # "the city" in a later sentence may be another city: left as written; and no place, no brackets
    assert shown("The city runs workshops.", place) == "The city runs workshops."
    assert shown("A charity based here runs workshops.") == "A charity based here runs workshops."
    assert dateline_place("Parents met on Sunday.") is None


def test_a_place_named_in_brackets_is_explained_under_the_sources() -> None:
    from briefing.render import COMPLETED_NAMES_NOTE, render_markdown

    texts = [
        "WEIHAI, May 2 (Xinhua) -- Port officials of five coastal provinces opened here today a two-day "
        "conference on ferry safety rules. The conference will close on Friday.",
        "QINGDAO (AP) _ Port officials of five coastal provinces opened a two-day conference on ferry safety "
        "rules in Weihai on Tuesday. Shipping firms welcomed the talks.",
    ]
    brief = build_brief([RawDocument(data=t.encode(), path=f"{k}.txt") for k, t in enumerate(texts)])
    page = render_markdown(brief)
    assert "opened here [Weihai] today" in page and "WEIHAI" not in page
    assert COMPLETED_NAMES_NOTE in page


def test_the_email_carries_the_bottom_lines_earlier_figure(tmp_path: Path) -> None:
    from briefing import mail
    from briefing.pipeline import write_brief

    raws = [RawDocument(data=text.encode(), path=name) for name, text in QUAKE.items()]
    write_brief(build_brief(raws), tmp_path)
    message = mail.build_message(tmp_path, to=["desk@example.com"], sender="brief@example.com")
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    top = " ".join(plain.get_content().split()).split("BOTTOM LINE:", 1)[1][:600]
    assert "Earlier: “At least 600 people" in top
    assert "Earlier: “At least 600 people" in html.get_content()


def test_a_speaker_with_a_title_is_not_the_claim() -> None:
    # "X, policy director at Y in Durham, N.H., said ..." and "..., '' said X, ...": who speaks is not what is said.
    item = ("Rosa Ferreira, policy director at the Institute for Safer Streets in Durham, N.H., "
            "said the common belief that the streets were calm bred neglect before the riot.")
    other = ("``In the outer suburbs, nobody ever had to plan for this,'' said Rosa "
             "Ferreira, policy director for the Institute for Safer Streets in Durham, N.H.")
    assert main_clause(item).startswith("the common belief")
    assert main_clause(other).endswith("plan for this")
    assert _verdict(item, other) == "unrelated"


def test_a_news_agency_reporting_it_is_not_the_claim() -> None:
    # ", reported German news agency dpa": an attribution written verb first, like ", said Dr. Scott".
    item = "The two ministers met in Oslo on Tuesday, the third day of the envoy's tour, reported Norwegian radio NRK."
    assert main_clause(item) == "The two ministers met in Oslo on Tuesday, the third day of the envoy's tour"
    assert "nrk" not in view(item).main and "radio" not in view(item).main
    # Reporting figures is no attribution: the word after "reported" is not a name.
    profits = "The bank cut its staff by a tenth in the spring, reported profits of 2 billion and paid no dividend."
    assert main_clause(profits) == profits


def test_a_figure_and_a_date_in_common_pin_one_event() -> None:
    item = ("Coastline Air Flight 310 crashed into the Pacific off the Chilean coast soon after leaving "
            "the Lima airport on October 14, killing all 148 people on board.")
    assert _verdict(item, "The Coastline Air jet crashed Oct. 14 off the island of Chiloe, killing the 148 people "
                          "on board.") == "supports"
    assert _verdict(item, "The Coastline Air plane crashed off the coast on October 14, killing all 148 aboard.") \
        == "supports"
    # the date alone, or another toll, does not
    assert _verdict(item, "The Coastline Air jet crashed Oct. 14 off the island of Chiloe.") == "unrelated"
    assert _verdict(item, "The Coastline Air jet crashed Oct. 14 off the island of Chiloe, killing the 141 people "
                          "on board.") != "supports"


def test_a_day_with_its_year_is_the_same_day_without_it() -> None:
    item = ("Coastline Air Flight 310 crashed into the Pacific off the Chilean coast soon after leaving "
            "the Lima airport on October 14, killing all 148 people on board.")
    assert _verdict(item, "The Coastline Air jet crashed on October 14, 2003, off the island of Chiloe, killing the "
                          "148 people on board.") == "supports"
    # another day of the same year is another event (dates were once compared to six digits: 2.0031e+07)
    assert _verdict(item, "The Coastline Air jet crashed on October 19, 2003, off the island of Chiloe, killing the "
                          "148 people on board.") == "unrelated"


def test_a_date_of_another_clause_does_not_set_the_claim_apart() -> None:
    # The evidence dates its deadline, not the vote whose share of seats the item gives for 1995: the
    # figures, read on the clauses that carry them, disagree (a disagreement, not an unrelated pair).
    item = "The Farmers League won 71 percent of the seats in the council in a 1995 election, but the army refused to honor it."
    evidence = ("She has set May 14 as the deadline for convening the council, which was elected years ago in a vote "
                "the army annulled after her Farmers League won 64 percent of its seats.")
    assert _verdict(item, evidence) == "figure"
    assert _verdict(item, evidence.replace("64 percent", "71 percent")) == "supports"
    # ... while dates in the clauses that carry the claim still tell two events apart
    other_vote = ("The Farmers League won 71 percent of the seats in the council in a 1999 election, "
                  "but the army refused to honor it.")
    assert _verdict(item, other_vote) == "unrelated"


@pytest.mark.parametrize(("mine", "theirs", "agree"), [
    ({"1031"}, {"19991031"}, True),  # "October 31" and "October 31, 1999"
    ({"1999"}, {"19991031"}, True),  # "in 1999"
    ({"19981031"}, {"19991031"}, False),
    ({"19991102"}, {"19991031"}, False),
    ({"619"}, {"20230619"}, True),  # "June 19"
    ({"619"}, {"1999"}, False),
])
def test_dates_agree_on_the_day_they_name(mine: set[str], theirs: set[str], agree: bool) -> None:
    assert dates_agree(frozenset(mine), frozenset(theirs)) is agree
    assert dates_agree(frozenset(theirs), frozenset(mine)) is agree


def test_the_same_large_open_bound_anchors_a_claim() -> None:
    item = ("Norland Mining has located more than 60,000 (metric) tons of copper concentrate at Kessel Ridge, one of "
            "the richest untouched high-grade copper bodies anywhere in the southern hemisphere.")
    evidence = ("Norland Mining has located more than 60,000 metric tons of copper concentrate at Kessel Ridge and "
                "plans to dig the deposit over 20 years.")
    assert _verdict(item, evidence) == "supports"
    assert _verdict(item, evidence.replace("60,000", "50,000")) != "supports"


def test_a_round_percentage_of_another_group_anchors_nothing() -> None:
    assert _verdict(
        "Doctors say 70 percent of cholera cases are in the delta.",
        "In the capital, according to a health survey, 70 percent of the cases are found among children under age five, "
        "who then recover within days.") == "unrelated"


def test_a_shared_age_anchors_nothing() -> None:
    """An age says who, as a name does: "the death of 19-year-old Ada Brook" is in many sentences of her story."""
    item = ("The review faulted the county constables as deeply biased in their inquiry into the killing "
            "of 19-year-old Ada Brook.")
    evidence = ("The review was set up to examine the constables' inquiry into the killing of "
                "19-year-old Ada Brook, who was beaten by a gang of youths outside a cinema.")
    assert _verdict(item, evidence) == "unrelated"
    # ... while what happened, told with the same age, still backs an item
    assert _verdict("Ada Brook, 19, was beaten by a gang of youths outside a cinema.", evidence) == "supports"


def test_a_distance_that_places_a_town_anchors_nothing() -> None:
    """ "a town about 25 miles east of Dunmore" says where, as a name does (an editor's read of D0620)."""
    item = "No one was hurt at Lakeside High School in Bram County, a farming town about 25 miles east of Dunmore."
    evidence = ("The fire in Bram County, a quiet setting of 9,000 mostly retired inhabitants, 25 miles east of "
                "Dunmore, suggests that even a modern alarm system may not be enough.")
    assert _verdict(item, evidence) == "unrelated"
    # ... while a distance that is what happened still anchors ("drifted 240 miles in the storm")
    assert _verdict("The ferry drifted 240 miles in the storm before the navy found it.",
                    "Navy divers said the ferry had drifted 240 miles in the storm.") == "supports"


def test_a_figure_credited_to_one_body_is_not_stated_by_another_bodys_count() -> None:
    """Two bodies' counts that agree are two claims (editors' reads of D0610 and D0620)."""
    item = "An estimated 2.4 million adults take night classes, according to the Adult Learning Council."
    other = ("According to the Institute for Evening Study in Ohio, as many as 2.4 million adults in the country "
             "take night classes.")
    assert _verdict(item, other) == "unrelated"
    assert _verdict(item, "Fewer than 2.4 million adults take night classes, Minister Ola Berg said.") != "supports"
    # the same body, or no one named, may state it
    assert _verdict(item, "About 2.4 million adults take night classes, the Adult Learning Council said.") == "supports"
    assert _verdict(item, "An estimated 2.4 million adults take night classes.") == "supports"
    # a claim credited without "according to" ("X said") is what happened, told by someone: not this rule
    assert _verdict("The storm killed 212 people on the island, the Interior Ministry said.",
                    "The storm killed 212 people on the island, the state radio reported.") == "supports"


def test_a_participle_after_a_comma_is_no_part_of_the_main_clause() -> None:
    """ "…the death of Ada Brook, beaten by youths in 1994": who she was, not what the sentence claims (D0624)."""
    text = ("The review faulted the county constables as deeply biased in how they looked into the loss of "
            "Ada Brook, beaten by a gang of youths in 1994.")
    assert main_clause(text).endswith("the loss of Ada Brook")
    assert main_clause("Stocks fell sharply on Monday, led by banks.") == "Stocks fell sharply on Monday"
    # a past tense after a comma that does not open a participle phrase stays
    assert "killed" in main_clause("The storm hit the coast on Monday, killed three people and cut power lines.")


def test_casualties_after_killing_and_wounding_are_read_as_tolls() -> None:
    item = ("ARDEN, May 4 (Xinhua) -- First reports show that 28 border servicemen were killed and another "
            "53 injured in four rebel attacks in the northern province on Saturday, defence spokesman Ilan Moro said.")
    evidence = ("ARDEN, May 4 (Xinhua) -- Rebels staged four rebel raids in several towns of the northern "
                "province Saturday night, killing at least 28 border servicemen and wounding 53, defence spokesman "
                "Ilan Moro announced.")
    assert _verdict(item, evidence) == "supports"
    assert _verdict(item, evidence.replace("wounding 53", "wounding 35")) != "supports"


# One clause per alternative of the three status patterns (and case variants): the quick cue-word
# test in front of them (issue 19) must never hide a match.
_STATUS_CUES = (
    "Talks may resume", "It might rain", "They could meet", "A possible deal", "possibly later",
    "a potential deal", "potentially soon", "asked whether it holds", "speculation grew", "an unconfirmed report",
    "rumours spread", "rumors spread", "perhaps today", "maybe today", "likely soon", "unlikely soon",
    "reportedly fled", "considering a bid", "mulling a bid", "weighing a bid", "if it holds", "feared dead",
    "is believed dead", "were believed lost", "allegedly stole", "suspected of robbing", "accused of stealing",
    "not yet confirmed", "yet to be confirmed",
    "no confirmation came", "has not been confirmed", "He will go", "We shall see", "It won't stop",
    "She would go", "The expected visit", "expects a deal", "expect rain", "expecting a deal",
    "scheduled talks", "is set to meet", "due to arrive", "plans to go", "plan to go", "planned talks",
    "planning a trip", "intends to go", "intend to", "intended to", "The minister is to visit", "they are to meet",
    "he was to speak", "they were to meet", "aims to win", "aim to win", "hopes to win", "upcoming talks",
    "talks to be held", "going to win", "prepares to go", "preparing to go", "not here", "never again",
    "no deal", "don't go", "neither side", "nor they", "nobody came", "nothing left", "none came",
    "denied it", "denies it", "deny it", "denying it", "refused it", "refuses it", "rejected it", "rejects it",
    "failed to win", "without a deal", "TALKS MAY RESUME", "He Will Go", "Not Yet Confirmed",
)


@pytest.mark.parametrize("clause", _STATUS_CUES)
def test_the_quick_status_test_never_hides_a_cue(clause: str) -> None:
    from briefing.claims import _FUTURE, _NEGATED, _POSSIBLE, Status, _status_cues, status_of

    found = (bool(_POSSIBLE.search(clause)), bool(_FUTURE.search(clause)), bool(_NEGATED.search(clause)))
    assert any(found) or clause.startswith("TALKS MAY")  # "may" is lower case only
    # A pattern that matches always has its cue word or piece in the clause.
    assert all(may or not matches for may, matches in zip(_status_cues(clause), found, strict=True))
    assert status_of(clause) == Status(*found)


def test_a_clause_without_cue_words_is_plain_and_other_scripts_go_to_the_patterns() -> None:
    from briefing.claims import Status, _status_cues, status_of

    assert _status_cues("The council met on Tuesday and approved the budget") == (False, False, False)
    assert status_of("The council met on Tuesday and approved the budget") == Status(False, False, False)
    # Only the pattern whose words are there is searched.
    assert _status_cues("They denied it") == (False, False, True)
    # "May" the month passes the quick test; the case-sensitive pattern then finds no cue.
    assert status_of("The council met in May") == Status(False, False, False)
    # Not ASCII: the patterns decide.
    assert _status_cues("Le café est fermé") == (True, True, True)
    assert status_of("Mr. Lévy will not go") == Status(possible=False, future=True, negated=True)
    assert status_of("Le café est fermé") == Status(False, False, False)


def test_attribution_is_stripped_whatever_the_case_of_according_to() -> None:
    # The quick tests in front of the attribution patterns (issue 19) keep their reach:
    # "according to" in any case, the trailing verbs only as written.
    assert strip_attribution("The plant will close next year, ACCORDING TO the company filing.") == (
        "The plant will close next year")
    assert strip_attribution("The plant will close next year, the company said.") == "The plant will close next year"
    assert strip_attribution("The plant will close next year, the company SAID.") == (
        "The plant will close next year, the company SAID.")


def test_the_quick_test_of_a_trailing_attribution_is_the_end_of_its_pattern() -> None:
    from briefing.claims import _ATTRIBUTION, _TRAILING_END

    # A tail that the quick test passes over cannot match the whole pattern (issue 19).
    assert _ATTRIBUTION[1].pattern.endswith(_TRAILING_END.pattern)
    assert _ATTRIBUTION[1].flags == _TRAILING_END.flags
    # The verb mid-sentence: nothing trails; at the end (with a day or a stop after it): stripped.
    mid = "Repairs to the bridge that the council said was unsafe will finish next spring."
    assert strip_attribution(mid) == mid
    assert strip_attribution("The bridge over the river will reopen next spring, officials said on Monday.") == (
        "The bridge over the river will reopen next spring")
    assert strip_attribution("The bridge will reopen next spring, the mayor told reporters!") == (
        "The bridge will reopen next spring")


def test_the_according_to_pattern_matches_as_its_backtracking_form_did() -> None:
    import random
    import re

    from briefing.claims import _ATTRIBUTION

    # The form it replaced (issue 19): the same matches, without trying every split of a word.
    backtracking = re.compile(
        r",?\s*(?:according to|citing|quoting)\s+(?:the\s+|a\s+)?(?:[\w’'.-]+\s*){1,6}?(?=[,.;]|$)", re.IGNORECASE)
    according = _ATTRIBUTION[0]
    pieces = ["according to ", "According to\t", "citing the ", "QUOTING a ", ", according to  ", "x", "yy", "Mr.",
              "U.S.", " ", "  ", "\n", ".", ",", ";", "'", "’", "-", "the ", "a ", '"', "(", "é", "1", "_"]
    rng = random.Random(19)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        assert [m.span() for m in according.finditer(text)] == [m.span() for m in backtracking.finditer(text)], text
    # A word with a full stop inside ends the match there when nothing nearer does; a comma nearer wins.
    assert according.sub(" ", 'Fares rose, according to Mr. Lee of the big rail union "in May"') == (
        'Fares rose . Lee of the big rail union "in May"')
    assert according.sub(" ", "Fares rose, according to Mr. Lee, in May.") == "Fares rose , in May."


def test_a_sum_of_money_the_source_never_gives_is_not_stated() -> None:
    # a sum of money is a telling figure even with no noun to measure ("robbed him of $40"): a source
    # that tells the rest of the story without it does not state the item (an editor's read of a trial brief)
    item = "Prosecutors said two drifters drove the courier to a quarry, where they took $40 from him and tied him to a gate."
    evidence = "The courier was driven to a quarry by two drifters, who took his wallet and tied him to a gate overnight."
    assert _verdict(item, evidence) != "supports"
    assert _verdict(item, evidence.replace("his wallet", "$40")) == "supports"


@pytest.mark.parametrize("dash", [" _ ", " -- ", " — "])
def test_a_dash_sets_off_an_aside_not_the_main_clause(dash: str) -> None:
    # wire copy writes the dash as " _ ": what follows it names or explains, it is not the claim
    text = f"Divers are still searching for the second lifeboat{dash}the one that carried the ship's log."
    assert main_clause(text) == "Divers are still searching for the second lifeboat"
    definition = "Lifeboats carry the ship's log and a radio beacon, two things that help explain a sinking."
    assert _verdict(text, definition) != "supports"


@pytest.mark.parametrize("text, shown", [
    ("VARNA, Bulgaria (AP) - The port reopened on Friday after the storm.", "The port reopened on Friday after the storm."),
    ("OSLO (AP) _ The port reopened on Friday.", "The port reopened on Friday."),
    ("USA - China trade talks resumed on Friday.", "USA - China trade talks resumed on Friday."),
    ("EU - Ukraine (trade) - talks resumed on Friday.", "EU - Ukraine (trade) - talks resumed on Friday."),
    # the place's province in brackets (an editor's read of D0603)
    ("WEIHAI (Shandong), May 2 (Xinhua) -- The port reopened on Friday.", "The port reopened on Friday."),
])
def test_a_dateline_with_a_single_hyphen_after_the_agency_is_not_shown(text: str, shown: str) -> None:
    from briefing.claims import display_start

    assert text[display_start(text):] == shown


@pytest.mark.parametrize("clause", [
    "Both rivals haven't been bashful about courting the farm vote",
    "The company did not hesitate to sue the city",
    "Marchers came not only to protest the ruling",
    "The fine was no less than 40 dollars",
])
def test_a_negation_that_asserts_is_not_a_denial(clause: str) -> None:
    from briefing.claims import status_of

    assert not status_of(clause).negated
    assert status_of(clause.replace("Both rivals", "Neither rival").replace("did not hesitate", "refused")
                     .replace("not only", "never").replace("no less than", "not")).negated


def test_a_main_part_of_the_item_must_be_about_the_item_s_own_subject() -> None:
    # The evidence's main clause lies inside the item ("opposes same-sex marriages"), but it is about
    # another named subject, one the item never names (an editor's read of D0619).
    item = ("Young Republicans unhappy with parts of the party manifesto keep meeting obstacles from rural "
            "delegates who pledged on Monday to keep wording that opposes new fuel taxes and toll roads.")
    evidence = "Like several rivals in both parties, Garvey opposes new fuel taxes."
    others = [["Garvey spoke to Republicans in Ohio on Monday."], ["Garvey leads the Republicans in the race."],
              ["Garvey won the Republicans of Iowa."]]
    assert _verdict(item, evidence, *others) != "supports"


@pytest.mark.parametrize("evidence, states", [
    ("A survey group puts the number of pupils schooled by parents between 2.3 and 2.9 million.", False),
    ("A survey group puts the number of pupils schooled by parents at 2.3 million to 2.9 million.", False),
    ("A survey group says 2.9 million pupils are schooled by parents, up from 2.3 million.", True),
])
def test_the_end_of_a_range_does_not_state_a_figure(evidence: str, states: bool) -> None:
    item = "Some 2.9 million pupils are schooled by parents, a survey group says."
    assert (_verdict(item, evidence) == "supports") is states


def test_an_upper_bound_is_stated_by_the_top_of_a_range() -> None:
    item = "The swamp fever claims up to 4 million lives yearly in the lowlands."
    assert _verdict(item, "The swamp fever claims 2 million to 4 million lives yearly in the lowlands.") == "supports"


def test_an_ordinal_tells_which_one_like_a_figure() -> None:
    item = "Divers are still trying to recover the second flight recorder from the seabed."
    assert _verdict(item, "Divers recovered the flight recorder from the seabed on Tuesday.") != "supports"
    assert _verdict(item, "Divers are still trying to recover the second flight recorder, officials said.") \
        == "supports"


def test_the_prefilters_of_the_attribution_patterns_name_every_verb_the_patterns_need() -> None:
    """The substring tests before _SAID_THAT and _ATTRIBUTION_TRIGGER (issue 19) must stay in step with them."""
    import re

    from briefing import claims

    pattern = claims._SAID_THAT.pattern
    opening, closing = "{0,160}?\\b(?:", ")(?:\\s+(?:on|in|at)"
    alternatives = pattern[pattern.index(opening) + len(opening):pattern.index(closing)]
    verbs = {alternative.split("\\")[0] for alternative in alternatives.split("|")}
    assert verbs == set(claims._SAID_THAT_VERBS)
    trigger = re.search(r"\(\?:(.*?)\)", claims._ATTRIBUTION_TRIGGER.pattern)
    assert trigger is not None
    assert set(trigger.group(1).split("|")) == {*claims._TRAILING_VERBS, *claims._ACCORDING_CUES}


@pytest.mark.parametrize("text", [
    "The company said it would appeal the ruling next week.",
    "Officials SAID the bridge would reopen on Monday, according to the mayor.",
    "The bridge will reopen on Monday, the mayor said.",
    "Rescuers found 12 survivors in the rubble of the hotel.",
    "Le maire a déclaré que le pont rouvrirait lundi, selon l'agence.",
    "The ministry ſaid the talks would resume, Reuters reported.",
])
def test_attribution_prefilters_never_skip_a_match(text: str) -> None:
    """Where a pattern matches, its substring test passes: skipping the pattern changes nothing (issue 19)."""
    from briefing import claims

    body = claims._ATTRIBUTION_TRIGGER.search(text) is not None
    said = claims._SAID_THAT.match(text)
    assert (said is not None) <= any(verb in text for verb in claims._SAID_THAT_VERBS)
    if text.isascii():
        assert body <= any(word in text.lower() for word in (*claims._TRAILING_VERBS, *claims._ACCORDING_CUES))


@pytest.mark.parametrize("text", [
    "The talks lasted seven and a half hours.",
    "Fighting resumed on Oct. 31, 1999, the army said.",
    "He said ninety people had been hurt in 1998.",
    "The minister left the capital without comment.",
    "Dozens of villagers fled (reportedly) to the hills.",
    "A third of the harvest was lost.",
])
def test_cheap_figure_and_date_tests_never_miss_one(text: str) -> None:
    """may_have_figures / may_have_dates are False only for a claim without figures / dates (issue 19)."""
    from briefing.claims import may_have_dates, may_have_figures

    claim = view(text)
    assert may_have_figures(claim) or not (claim.figures or claim.dates)
    assert may_have_dates(claim) or not claim.dates


def test_cheap_figure_and_date_tests_on_the_seeds() -> None:
    from briefing.claims import may_have_dates, may_have_figures
    from tests.helpers import seed_sources

    claims = [view(s.text) for s in segment(seed_sources())]
    assert all(may_have_figures(c) or not (c.figures or c.dates) for c in claims)
    assert all(may_have_dates(c) or not c.dates for c in claims)
    assert any(not may_have_figures(c) for c in claims)  # most sentences are spared the reading
    assert any(c.figures for c in claims) and any(c.dates for c in claims)


def test_evidence_about_another_subject_does_not_state_a_claim_about_the_story_s_subject() -> None:
    # "Karelia" names the story (every source has it), so a source need not repeat it; but a sentence
    # about something the item names only in its predicate (a definition of the disease it causes) is
    # not about the Karelia virus at all (an editor's read of D0622: a definition of encephalitis cited
    # for a claim about West Nile virus).
    context = ClaimContext(shared_names=frozenset({"karelia"}), idf={}, default_idf=1.0,
                           name_only=frozenset({"karelia"}))
    item = view("The Karelia virus is a tick-borne virus that can cause hepatitis or swelling of the liver.")
    definition = view("Hepatitis is swelling of the liver, caused by anything from alcohol to viral infections.")
    assert subject_missing(item, definition, context)
    assert not subject_missing(item, view("The virus is carried by ticks and can cause hepatitis."), context)
    assert not subject_missing(item, view("Ticks carry the virus, which can cause hepatitis."), context)


def test_a_length_of_time_the_source_never_gives_is_not_stated() -> None:
    # "40 minutes after takeoff" is a telling figure, like a count (an editor's read of D0617).
    item = "The cargo plane crashed into the bay off the northern coast 40 minutes after takeoff on October 3."
    evidence = "The cargo plane crashed into the bay off the northern coast on October 3, killing its crew of four."
    assert _verdict(item, evidence) != "supports"
    assert _verdict(item, evidence.replace("on October 3", "40 minutes after takeoff on October 3")) == "supports"


def test_a_list_of_examples_is_not_the_main_clause() -> None:
    # ", such as ... ," illustrates; the claim is what follows (an editor's read of D0623: two sources that
    # only listed the places a ban covers were cited for a claim that people break it there).
    item = "In other public spaces, such as stores, cinemas and public transport, music is banned but people play it anyway."
    assert main_clause(item) == "music is banned but people play it anyway."
    listing = "The music bans cover public transport, schools, cinemas, theaters and department stores."
    others = [["Music is banned in offices."], ["The music ban was passed in May."], ["Loud music angers many."]]
    assert _verdict(item, listing, *others) != "supports"


def test_lead_in_is_what_a_comma_sets_off_before_the_main_clause() -> None:
    assert lead_in("As the games opened on Monday, the sprinter raced again.") == "As the games opened on Monday, "
    # a report's frame names who said it: no lead-in
    assert lead_in("Prosecutors argued on Monday that the robbery had been planned for weeks.") == ""
    assert lead_in("The sprinter raced again on Monday.") == ""


def test_status_near_reads_the_status_of_the_clause_that_shares_most() -> None:
    """status_near (clause_terms, one clause's status read) gives what every clause's status read gives (issue 19)."""
    from briefing.claims import _split_terms, split_clauses, status_of
    from tests.helpers import seed_sources

    def by_all_clauses(claim: ClaimView, terms: frozenset[str]) -> Status:
        best, best_status = 0, claim.status
        for piece in split_clauses(claim.body):
            content, names = (claim.content, claim.names) if piece == claim.body else _split_terms(piece)
            status = claim.status if piece == claim.main_clause else status_of(piece)
            shared = len((content | names) & terms)
            if shared > best:
                best, best_status = shared, status
        return best_status

    claims = [view(s.text) for s in segment(seed_sources())]
    claims.append(view("The talks will resume on Monday, but no agreement was reached, and officials may meet again."))
    assert all(len(claim.clause_terms) == len(split_clauses(claim.body)) for claim in claims)
    differ = 0
    for claim in claims:
        for other in claims[:40]:
            terms = other.main | other.names
            assert claim.status_near(terms) == by_all_clauses(claim, terms)
            differ += claim.status_near(terms) != claim.status
    assert differ  # some clauses have another status than the main clause's


@pytest.mark.parametrize("text", [
    "The talks — which began in May — ended; and so on, but not, really.",
    "Troops withdrew, and the border, long closed, reopened to traffic.",
    "In the U.S., the plan, though costly, passed, and Sen. Smith voted for it.",
    "Half-staff flags flew, while well-wishers gathered -- quietly -- at the gate.",
    "No clause break here at all",
])
def test_clause_terms_are_the_terms_of_each_clause(text: str) -> None:
    """clause_terms (each piece's words read once, joined pieces from their parts) is split_clauses' terms."""
    from briefing.claims import _split_terms, split_clauses

    claim = view(text)
    expected = tuple((piece, claim.content | claim.names if piece == claim.body else
                      frozenset().union(*_split_terms(piece))) for piece in split_clauses(claim.body))
    assert claim.clause_terms == expected
    assert len(claim.clause_terms) >= (2 if "," in text else 1)


def test_a_conversion_in_brackets_is_no_figure_of_the_claim() -> None:
    """Two reports of a park's area that convert its square miles differently state one area (the D0716B update
    brief showed it as changed); another area in the main unit is still another figure."""
    earlier = "The Tarrow park is almost 9,500 square miles (15,000 sq. kms) of floodplain on the north coast."
    later = "The Tarrow park is almost 9,500 square miles (24,600 square kilometers) of floodplain on the north coast."
    assert _verdict(later, earlier) == "supports"
    assert _verdict(earlier, later) == "supports"
    other = "The Tarrow park is almost 6,000 square miles (15,500 square kilometers) of floodplain on the north coast."
    assert _verdict(later, other) == "figure"
    # a figure first given in the unit another outlet converts to is compared with that conversion (D0716C) ...
    first_in_km = "The Tarrow park is almost 13,000 square kilometers of floodplain on the north coast."
    assert _verdict(first_in_km, later) == "figure"
    # ... and a conversion the item gives is no figure a source must give too
    assert _verdict("The mine road runs 13 miles (22 km) from the Tarrow park to the port of Kessel.",
                    "The mine road runs 13 miles from the Tarrow park to the port of Kessel.") == "supports"


def test_a_match_only_in_a_concession_is_no_support() -> None:
    """ "Despite doubt that the currency will start on schedule, design work has begun" grants the schedule and
    asserts the design work (an editor's read of D0703A found it cited for the currency starting on schedule)."""
    item = "The Nordic single currency will start as planned on January 1, 2031, a survey of bankers found."
    conceding = ("OSLO, April 2 -- Despite skepticism about the launch of the Nordic single currency as planned on "
                 "January 1, 2031, work on the design of the new notes has already begun.")
    assert _verdict(item, conceding) != "supports"
    # a concession's sentence still states what its main clause asserts
    assert _verdict("Work on the design of the new Nordic notes has already begun in Oslo.", conceding) == "supports"

"""briefing.display: names, titles and subjects made safe to show (issue 14)."""

from __future__ import annotations

import json
import os

import pytest

from briefing.display import display_text, headline_case, safe_name, shorten


@pytest.mark.parametrize(("raw", "shown"), [
    (os.fsdecode(b"caf\xe9.txt"), "caf\\xe9.txt"),
    ("a\x1b[31mb\nc.txt", "a\\x1b[31mb\\x0ac.txt"),
    ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
    ("line\u2028sep\x85nel", "line\\u2028sep\\x85nel"),
    ("Zürich – ok.txt", "Zürich – ok.txt"),
])
def test_safe_name_escapes_what_could_not_be_shown_and_keeps_the_rest(raw: str, shown: str) -> None:
    assert safe_name(raw) == shown
    shown.encode("utf-8")  # always encodable
    assert json.loads(json.dumps(safe_name(raw), ensure_ascii=False)) == shown


@pytest.mark.parametrize(("raw", "shown"), [
    ("Port \u202estrike\u200b ends", "Port strike ends"),
    ("Two\nlines\r\nand\ttabs", "Two lines and tabs"),
    ("\u2066isolated\u2069 \ufeffword", "isolated word"),
    ("Emoji 👩\u200d💻 keeps its joiner", "Emoji 👩\u200d💻 keeps its joiner"),
])
def test_display_text_drops_invisible_characters_and_line_breaks(raw: str, shown: str) -> None:
    assert display_text(raw) == shown


def test_shorten_cuts_at_a_word_with_an_ellipsis() -> None:
    text = "Dock workers end the northern port strike after a pay deal " * 10
    short = shorten(text, 40)
    assert len(short) <= 40 and short.endswith("…") and text.startswith(short[:-1])
    assert short[-2] != " "
    assert shorten("short", 40) == "short"
    assert len(shorten("x" * 100, 10)) == 10  # no space to cut at: cut anyway


def test_wire_quotes_are_shown_typographic_and_the_evidence_keeps_them_as_written() -> None:
    from briefing.display import typographic
    from briefing.pipeline import build_brief
    from tests.helpers import raw

    assert typographic("He called it ``a quiet win,'' aides said.") == "He called it “a quiet win,” aides said."
    # copy that opens with two apostrophes too
    assert typographic("It is ''presented as a theory,'' the label says.") == "It is “presented as a theory,” the label says."
    assert typographic("''We won,'' she said.") == "“We won,” she said."
    assert typographic("No quotes here.") == "No quotes here."
    assert typographic("The band _ five friends from Oslo _ split up.") == "The band—five friends from Oslo—split up."
    assert typographic("snake_case stays") == "snake_case stays"
    line = "Mayor Ann Lind called the new ferry line ``a quiet win for the harbor,'' on Tuesday in Duluth."
    brief = build_brief([raw(f"{line}\n\nThe boats run every hour from the north pier.", "a.txt")])
    (item,) = [it for it in brief.items if "ferry" in it.text]
    assert "“a quiet win for the harbor,”" in item.text and "``" not in item.text
    assert item.evidence[0].text == line  # what the source writes, with its offsets


def test_single_wire_quotes_are_shown_typographic_in_items_and_headlines() -> None:
    """"`Gay Panic'" in a headline had reached the title as written (an editor's read of D0721C)."""
    from briefing.display import typographic
    from briefing.pipeline import build_brief
    from tests.helpers import raw

    assert typographic("Judge bars `harbour panic' defense") == "Judge bars ‘harbour panic’ defense"
    assert typographic("`Britain's best' wins the regatta") == "‘Britain's best’ wins the regatta"  # an apostrophe inside
    assert typographic("Fans of ``Blue River'' songs") == "Fans of “Blue River” songs"
    assert typographic("rock 'n' roll and a stray ` backtick") == "rock 'n' roll and a stray ` backtick"
    article = ("Judge bars `harbour panic' defense\n\nMayor Ann Lind called the new ferry line a `quiet win' for "
               "the harbor on Tuesday in Duluth. The boats run every hour from the north pier.")
    brief = build_brief([raw(article, "a.txt")])
    assert brief.sources[0].title == "Judge bars ‘harbour panic’ defense"
    (item,) = [it for it in brief.items if "ferry" in it.text]
    assert "a ‘quiet win’ for" in item.text
    assert "`quiet win'" in item.evidence[0].text  # the evidence as the source writes it


# Invented article text: how it writes each word inside a sentence decides the headline's case.
_ARTICLE = (
    "PORTVILLE, Ore. (AP) _ Health officials in New Portville said Monday that a dead heron carried the "
    "Blue River virus. The county health department sent the heron to the NTSB laboratory, and officials "
    "said the virus was found in mosquitoes too. Fans of ``Blue River'' songs were told to stay in.\n"
    "The Environmental Protection Agency offered protection to the heron's nesting grounds."
)


@pytest.mark.parametrize(("headline", "cased"), [
    # Words as the article writes them inside a sentence; a name of two words together.
    ("DEAD HERON CARRIED BLUE RIVER VIRUS, OFFICIALS SAY", "Dead heron carried Blue River virus, officials say"),
    ("NEW PORTVILLE OFFICIALS FIND VIRUS", "New Portville officials find virus"),
    # A word capitalised only inside a name ("Environmental Protection Agency") is lower case alone.
    ("AGENCY OFFERS PROTECTION TO HERONS", "Agency offers protection to herons"),
    # Acronyms stay: the article's own "NTSB", and a word it never writes with no vowel ("NYC").
    ("NTSB LAB TESTS HERON FOR NYC MAYOR", "NTSB lab tests heron for NYC mayor"),
    ("HERON TESTED BY SHY LAB", "Heron tested by shy lab"),  # no vowel but "y": words
    ("HERON-VS.-EAGLE FIGHT: VIRUS WINS", "Heron-vs.-eagle fight: Virus wins"),  # an abbreviation, no initials
    # Opening words of a label, a question and a sentence; days and months; numbers and initials.
    ("HEALTH: IS THE VIRUS HERE? OFFICIALS SAY YES", "Health: Is the virus here? Officials say yes"),
    ("VIRUS FOUND (FOR RELEASE SUNDAY, AUG. 2)", "Virus found (for release Sunday, Aug. 2)"),
    ("U.S. SENDS 3-0 TEAM TO PORTVILLE'S LAB", "U.S. sends 3-0 team to Portville's lab"),
    # A quotation's first word still begins a name ("``Blue River''").
    ("`BLUE RIVER' FANS TOLD TO STAY IN", "`Blue River' fans told to stay in"),
])
def test_headline_in_capitals_takes_its_articles_spelling(headline: str, cased: str) -> None:
    assert headline_case(headline, _ARTICLE) == cased


@pytest.mark.parametrize("headline", [
    "Dead Heron Carried Blue River Virus",  # title case is the outlet's style: kept
    "Officials: Virus found",
    "NTSB",  # too short to be shouting
    "BLUE RIVER",
])
def test_a_headline_not_in_capitals_is_kept(headline: str) -> None:
    assert headline_case(headline, _ARTICLE) == headline


def test_a_bare_surname_of_another_person_than_the_one_the_page_gave_is_completed() -> None:
    # An editor's read of D0624: "a long campaign by Lawrence" (the mother) below the son's full name.
    from briefing.display import complete_page_names

    page = complete_page_names([
        ("Petra Marlowe, 17, was hurt at the ferry stop.", ()),
        ("After a long campaign by Marlowe, the port was fenced.", (("Marlowe", "Ada Marlowe"),)),
        ("Marlowe thanked the council.", (("Marlowe", "Ada Marlowe"),)),
    ])
    assert page[1] == "After a long campaign by [Ada] Marlowe, the port was fenced."
    assert page[2] == "Marlowe thanked the council."  # introduced now: once is enough
    # The same person, given with a title and a middle name before, needs nothing.
    same = complete_page_names([
        ("Judge Thomas Penfield Jackson ruled on Monday.", ()),
        ("The risks for Jackson were many.", (("Jackson", "Thomas Penfield Jackson"),)),
    ])
    assert same[1] == "The risks for Jackson were many."


@pytest.mark.parametrize(("text", "published", "today", "shown"), [
    # a report of another year than the page's: the year "last year" meant then
    ("Last year, the ministry opposed the merger of the two ports.", "1996-09-21", "1999-10-06",
     "Last year [1995], the ministry opposed the merger of the two ports."),
    ("The board wrote to the ministry last month asking for a review.", "1996-09-21", "1999-10-06",
     "The board wrote to the ministry last month [Aug. 1996] asking for a review."),
    ("Earlier this month the agency said the cause was a parasite.", "1999-09-28", "2000-09-27",
     "Earlier this month [Sept. 1999] the agency said the cause was a parasite."),
    ("The pier opened three years ago and last year's catch was the best.", "1998-10-28", "2000-06-08",
     "The pier opened three years ago [1995] and last year's [1997] catch was the best."),
    ("Fees will rise next month, the board said.", "1999-12-10", "2000-03-05",
     "Fees will rise next month [Jan. 2000], the board said."),
    # a season: the last one before the report, this year's, the next one after it (an editor's read of D0614);
    # winter spans two years and is left as written
    ("The premiers signed the accord at a meeting last summer.", "1998-12-01", "2000-03-14",
     "The premiers signed the accord at a meeting last summer [1998]."),
    ("Last summer the river ran dry.", "1998-07-10", "2000-03-14", "Last summer [1997] the river ran dry."),
    ("The vote is due this fall and the count next spring.", "1999-03-01", "2000-03-14",
     "The vote is due this fall [1999] and the count next spring [2000]."),
    ("The port froze last winter.", "1998-03-01", "2000-03-14", "The port froze last winter."),
    # the same year (or month) as the page: it means what a reader takes it to mean
    ("Earlier this month the agency said the cause was a parasite.", "2000-09-08", "2000-09-27",
     "Earlier this month the agency said the cause was a parasite."),
    ("The ministry opposed the merger last year.", "2000-01-10", "2000-11-02",
     "The ministry opposed the merger last year."),
    # said already, a span rather than a calendar year, or no date to read it by
    ("Last year, 1997, was the warmest on record.", "1998-06-10", "2000-08-31",
     "Last year, 1997, was the warmest on record."),
    ("Prices rose in the past year.", "1998-06-10", "2000-08-31", "Prices rose in the past year."),
    # a span counted roughly names no month or year (an editor's read of D0625)
    ("The outbreak started over one month ago.", "1997-12-04", "2000-05-05", "The outbreak started over one month ago."),
    ("The pier opened about two years ago.", "1998-10-28", "2000-06-08", "The pier opened about two years ago."),
    ("The outbreak started one month ago.", "1997-12-04", "2000-05-05",
     "The outbreak started one month ago [Nov. 1997]."),
    # months counted, rounded: the year alone, when the months either side share it (an editor's read of D0721C)
    ("The storm struck the coast 17 months ago.", "2000-02-27", "2000-11-08",
     "The storm struck the coast 17 months ago [1998]."),
    ("The storm struck the coast 14 months ago.", "2000-02-27", "2000-11-08",
     "The storm struck the coast 14 months ago."),
    ("The storm struck the coast six months ago.", "1999-03-10", "2000-11-08",
     "The storm struck the coast six months ago [1998]."),
    ("The ministry opposed the merger last year.", None, "2000-08-31", "The ministry opposed the merger last year."),
    ("The ministry opposed the merger last year.", "1998-06-10", None, "The ministry opposed the merger last year."),
])
def test_relative_dates_get_the_year_or_month_their_report_meant(
        text: str, published: str | None, today: str | None, shown: str) -> None:
    from briefing.display import relative_dates_resolved

    assert relative_dates_resolved(text, published, today) == shown

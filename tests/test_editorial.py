"""An editor's page: no boilerplate or orphans, sections that fit, dates, a bottom line (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.clean import clean_text, digest_reason
from briefing.ingest import RawDocument
from briefing.pipeline import build_brief, choose_date, write_brief
from briefing.plan import assign_section
from briefing.rank import orphan_reason, surnames
from tests.helpers import sources_from_texts

ROOT = Path(__file__).resolve().parent.parent


def _seed_raws() -> list[RawDocument]:
    return [RawDocument(data=p.read_bytes(), path=str(p)) for p in sorted((ROOT / "seeds").glob("*.txt"))]


# --- boilerplate ------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "The night news editor is Jane Roe, 404-582-1234.",
    "We are staffed 8 a.m. to 10 p.m. Eastern; questions to the desk.",
    "All times are Eastern unless otherwise noted.",
    "For questions call (212) 556-1234 or the photo desk.",
])
def test_news_budget_and_contact_lines_are_dropped(line: str) -> None:
    kept = clean_text(f"Dock workers ended their strike on Tuesday after a pay deal.\n{line}\n").text
    assert line not in kept and "Dock workers" in kept


def test_markup_tokens_are_not_words() -> None:
    kept = clean_text("&UR; Dock workers ended their strike on Tuesday &QL; after a pay deal. &LR;\n").text
    assert "&" not in kept and "Dock workers ended their strike on Tuesday" in kept


def test_a_digest_of_several_stories_is_named_and_skipped() -> None:
    digest = (
        "ATLANTA (AP) _ A train derailed near the station on Monday, officials said.\n"
        "NEW YORK (AP) _ The Dow closed 40 points higher on Monday.\n"
        "BOSTON (AP) _ A fire destroyed a warehouse near the harbour on Monday.\n"
    )
    assert digest_reason(digest) is not None and "3 datelines" in digest_reason(digest)  # type: ignore[operator]
    assert digest_reason("ATLANTA (AP) _ A train derailed.\nOfficials said the line would reopen.") is None
    assert digest_reason("Some text.", "AP Top News at 6 p.m.") is not None
    warnings: list[str] = []
    raws = [RawDocument(data=digest.encode(), path="digest.txt"),
            RawDocument(data=b"ATLANTA (AP) _ A train derailed near the station on Monday, officials said.",
                        path="train.txt")]
    brief = build_brief(raws, warn=warnings.append)
    assert [s.path for s in brief.sources] == ["train.txt"]
    assert any("digest.txt" in w and "digest" in w for w in warnings)


# --- orphans ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "It has a displacement of 12,000 tons and a crew of 300.",
    "Essentially, the study suggests that the drug works.",
    "Among those was a former minister of the interior.",
    "Even then, the talks made little progress on trade.",
    "The agency said the dam would be inspected again.",
    "The new rules require developers to obtain permits for homes.",
    "Oct. 20 - The Justice Department sues the company.",
    "--Install shoulder belts in all rear seating positions.",
    "Darth Vader), and a marketplace hawking merchandise.",
    "ISLAMABAD, Pakistan (AP) _ He said the army would withdraw.",
])
def test_sentences_that_lean_on_context_are_not_items(text: str) -> None:
    assert orphan_reason(text) is not None


def test_a_bare_surname_needs_an_introduction() -> None:
    names = surnames(["The statement was read by Nikolai Navrotsky on Monday.", "Maria Maxwell arrived."])
    assert {"Navrotsky", "Maxwell"} <= names
    assert orphan_reason("Navrotsky said that the unit was filled with water.", names) is not None
    assert orphan_reason("Nikolai Navrotsky said that the unit was filled with water.", names) is None
    # The story's protagonist, named by most sources, may stand alone.
    assert orphan_reason("Navrotsky said that the unit was filled with water.", names, frozenset({"navrotsky"})) is None


@pytest.mark.parametrize("text", [
    "The deterioration of Sino-US relations has raised concerns about Taiwan.",
    "The US state department called the talks candid and constructive.",
    "Blinken is the first secretary of state to visit Beijing in five years.",
])
def test_self_contained_sentences_are_items(text: str) -> None:
    assert orphan_reason(text) is None


# --- sections -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "section"), [
    ("The two foreign ministers met for three hours of talks on Monday.", "meetings"),
    ("The summit will open in Geneva next month.", "outlook"),
    # "May" the month is not a modal.
    ("In May, the plant produced 300 cars, the company said.", "developments"),
    # "crisis center" is not an open issue: a death toll is what happened.
    ("The bomb killed 258 people on Friday, the crisis center said.", "developments"),
    ("Anabolic steroids are synthetic substitutes for testosterone.", "background"),
    ("The dispute over fishing rights remains unresolved.", "open_issues"),
])
def test_sections_fit_the_story(text: str, section: str) -> None:
    assert assign_section(text)[0] == section


def test_an_earlier_year_is_background() -> None:
    text = "On April 20, 1999, two students killed 12 classmates and a teacher."
    assert assign_section(text, earliest_year=2000)[0] == "background"
    assert assign_section(text, earliest_year=1999)[0] == "developments"


# --- the top of the page ---------------------------------------------------------------------


def test_the_news_date_is_the_latest_source_date() -> None:
    sources = sources_from_texts(("One text here.", "Another text here."))
    dated = [s.__class__(**{**s.__dict__, "published": d}) for s, d in zip(sources, ("2023-06-18", "2023-06-20"),
                                                                         strict=True)]
    assert choose_date(dated) == "2023-06-20"


def test_the_seed_brief_leads_with_a_bottom_line_and_an_undisputed_title(tmp_path: Path) -> None:
    brief = build_brief(_seed_raws())
    assert brief.bottom_line is not None
    assert brief.bottom_line.support == max(item.support for item in brief.items) >= 3
    # One outlet's "meets Xi" headline is disputed by the others ("may meet"): not the title.
    assert "meets Xi" not in brief.title
    assert not brief.dated  # plain-text seeds carry no date
    write_brief(brief, tmp_path)
    md = (tmp_path / "brief.md").read_text("utf-8")
    assert "**Bottom line:**" in md and "Sources undated" in md
    assert "Nothing the sources report" not in md  # empty sections are not printed
    assert md.count(brief.bottom_line.text) == 1  # shown once, not again in its section
    names = [s.name for s in brief.sources]
    assert not any(name.startswith(("000_", "001_")) for name in names)  # never a file name as outlet


# --- time -------------------------------------------------------------------------------------


def _dated_corroboration(texts_and_dates: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    from briefing.corroborate import corroborate
    from briefing.segment import segment

    sources = [s.__class__(**{**s.__dict__, "published": date})
               for s, (_, date) in zip(sources_from_texts([t for t, _ in texts_and_dates]), texts_and_dates,
                                       strict=True)]
    sentences = segment(sources)
    return sources, sentences, corroborate(sources, sentences)


def test_an_expectation_a_later_source_reports_done_is_stale() -> None:
    from briefing.rank import stale_reason

    sources, _, corr = _dated_corroboration([
        ("Two suspects will be charged with the murder of the shopkeeper in Leeds, police said.", "2023-06-18"),
        ("Two suspects were charged with the murder of the shopkeeper in Leeds, police said.", "2023-06-20"),
    ])
    published = {s.id: s.published for s in sources}
    assert stale_reason(corr, 0, published) == "reported as done on 2023-06-20"
    assert stale_reason(corr, 1, published) is None
    # Undated, nothing can be called stale.
    assert stale_reason(corr, 0, {s.id: None for s in sources}) is None


def test_a_toll_a_later_source_puts_higher_is_stale() -> None:
    from briefing.rank import stale_reason

    sources, _, corr = _dated_corroboration([
        ("The earthquake killed 600 people in the mountain province of Gansu, officials said.", "2023-08-17"),
        ("The earthquake killed 7,085 people in the mountain province of Gansu, officials said.", "2023-08-21"),
    ])
    published = {s.id: s.published for s in sources}
    assert stale_reason(corr, 0, published) == "a higher figure on 2023-08-21"
    assert stale_reason(corr, 1, published) is None

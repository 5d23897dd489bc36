"""Known sources (issue 16): an update brief leads with what the reader has not read."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from briefing.cli import cli
from briefing.ingest import RawDocument
from briefing.known import Known, match_known
from briefing.model import Item
from briefing.pipeline import analyse, build_brief, prepare_sources, summarize, write_brief
from briefing.plan import assign_sections

YESTERDAY = [
    "Floods in the river valley killed 600 people, officials said on Monday.\n"
    "Rescue teams reached the flooded town of Eastbury on Monday.\n"
    "The prime minister may visit the valley later this week, his office said.\n",
    "Officials said on Monday that floods in the river valley had killed 600 people.\n"
    "Rescue teams reached Eastbury, the worst-hit town, on Monday.\n"
    "Aid groups warned that clean water was running out in the valley.\n",
    "Floods killed 600 people in the river valley, officials said on Monday.\n"
    "Rescue teams arrived in the flooded town of Eastbury on Monday.\n",
]
TODAY = [
    "Floods in the river valley have now killed 1,200 people, officials said on Tuesday.\n"
    "Rescue teams reached the flooded town of Eastbury on Monday.\n"
    "Army engineers began building a temporary bridge across the river on Tuesday.\n"
    "The prime minister visited the valley on Tuesday and promised new flood defences.\n",
    "Officials said on Tuesday that the floods in the river valley had killed 1,200 people.\n"
    "Army engineers started work on a temporary bridge across the river on Tuesday.\n"
    "The prime minister visited the valley on Tuesday, promising new flood defences.\n",
    "The death toll of the floods in the river valley rose to 1,200 people, officials said on Tuesday.\n"
    "Rescue teams reached the flooded town of Eastbury on Monday.\n"
    "Army engineers were building a temporary bridge across the river on Tuesday.\n",
]


def raws(texts: list[str], prefix: str) -> list[RawDocument]:
    return [RawDocument(data=t.encode("utf-8"), path=f"{prefix}{k}.txt") for k, t in enumerate(texts)]


def matches_by_text() -> dict[str, str]:
    analysis = analyse(prepare_sources(raws(TODAY, "today")))
    known = Known.from_sources(prepare_sources(raws(YESTERDAY, "yesterday")))
    found = match_known(analysis.corroboration, known)
    return {analysis.sentences[i].text: match.kind for i, match in found.items()}


def test_a_restated_claim_is_known_and_a_new_figure_is_a_change() -> None:
    kinds = matches_by_text()
    assert kinds["Rescue teams reached the flooded town of Eastbury on Monday."] == "known"
    assert kinds["Floods in the river valley have now killed 1,200 people, officials said on Tuesday."] == "figure"
    # A new event is neither.
    assert "Army engineers began building a temporary bridge across the river on Tuesday." not in kinds


def test_a_known_sentence_that_states_the_claim_is_told_from_one_the_claim_only_contains() -> None:
    known_texts = [
        "Officials suddenly closed the northern bridge and the old ferry port.\n"
        "The striker signed a two-year contract with the club on Monday.\n",
        "The striker signed a two-year contract with the club, officials said on Monday.\n",
    ]
    today_texts = [
        "The striker signed a two-year contract with the club.\n"
        "Drivers queued for hours in the rain after officials closed the northern bridge and the ferry port.\n",
        "The striker signed a two-year contract with the club, the team said.\n"
        "Drivers waited in long queues after the northern bridge and the ferry port were closed.\n",
    ]
    analysis = analyse(prepare_sources(raws(today_texts, "today")))
    known = Known.from_sources(prepare_sources(raws(known_texts, "known")))
    found = {analysis.sentences[i].text: match for i, match in match_known(analysis.corroboration, known).items()}
    signed = found["The striker signed a two-year contract with the club."]
    assert signed.kind == "known" and signed.states
    # Today's sentence tells most of the known closure, which does not tell today's queues: known, not stated.
    scene = found["Drivers queued for hours in the rain after officials closed the northern bridge and the ferry port."]
    assert scene.kind == "known" and not scene.states


def test_an_update_files_what_the_reader_has_read_under_background() -> None:
    items = [Item("The striker signed a contract.", "s1", ("s1",), 1, 1.0, rank=1),
             Item("The club opened a stadium on Friday.", "s1", ("s1",), 1, 0.5, rank=2)]
    moved = assign_sections(items, read_before={1})
    assert [item.section for item in moved] == ["background", "developments"]
    assert moved[0].cues == ("the known articles state it",)
    # Nothing read before: each item where its own sentence puts it.
    assert assign_sections(items, read_before=()) == assign_sections(items)
    assert [item.section for item in assign_sections(items)] == ["developments", "developments"]


def test_nothing_known_changes_nothing() -> None:
    plain = summarize(raws(TODAY, "today"), words=40)
    assert summarize(raws(TODAY, "today"), words=40, known=[]) == plain


def test_the_update_leads_with_what_is_new() -> None:
    plain = summarize(raws(TODAY, "today"), words=25)
    update = summarize(raws(TODAY, "today"), words=25, known=raws(YESTERDAY, "yesterday"))
    assert not any("Eastbury" in s for s in update)  # yesterday's news is not repeated
    assert any("bridge" in s or "prime minister" in s or "1,200" in s for s in update)
    assert update != plain or not any("Eastbury" in s for s in plain)


def test_a_changed_figure_is_shown_with_the_earlier_sentence(tmp_path: Path) -> None:
    brief = build_brief(raws(TODAY, "today"), known=raws(YESTERDAY, "yesterday"))
    changed = [item for item in brief.items if item.earlier is not None]
    assert changed, [item.text for item in brief.items]
    assert all("1,200" in item.text and "600" in item.earlier.text for item in changed if item.earlier)
    assert not any("Eastbury" in item.text for item in brief.items)
    write_brief(brief, tmp_path)
    data = json.loads((tmp_path / "brief.json").read_text("utf-8"))
    earlier = [item["earlier"] for section in data["sections"] for item in section["items"] if "earlier" in item]
    assert earlier and earlier[0]["change"] == "figure" and "600" in earlier[0]["text"]
    assert "Earlier: “" in (tmp_path / "brief.md").read_text("utf-8")


def test_cli_known_option(tmp_path: Path) -> None:
    for name, texts in (("today", TODAY), ("yesterday", YESTERDAY)):
        folder = tmp_path / name
        folder.mkdir()
        for k, text in enumerate(texts):
            (folder / f"{k}.txt").write_text(text, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["summarize", str(tmp_path / "today"), "--words", "25",
                                 "--known", str(tmp_path / "yesterday")])
    assert result.exit_code == 0, result.output
    assert "Eastbury" not in result.stdout
    missing = runner.invoke(cli, ["summarize", str(tmp_path / "today"), "--known", str(tmp_path / "nowhere")])
    assert missing.exit_code != 0
    assert "nowhere" in missing.stderr and missing.stderr.count("\n") == 1


def test_the_daily_run_keeps_its_articles_for_the_next_day(tmp_path: Path) -> None:
    from briefing.daily import SOURCES_FILE, load_known, save_sources

    saved = [RawDocument(data=b"<html><p>caf\xc3\xa9</p></html>", path="a.html", url="https://example.com/a",
                         content_type="text/html", title="A", published="2023-06-19"),
             RawDocument(data=b"\xff\xfe plain bytes", path="b.txt")]
    save_sources(tmp_path, saved)
    warnings: list[str] = []
    assert load_known(tmp_path / SOURCES_FILE, warnings.append) == saved
    assert warnings == []
    assert load_known(tmp_path / "missing.jsonl", warnings.append) == []


def test_a_damaged_sources_file_is_named_and_skipped(tmp_path: Path) -> None:
    from briefing.daily import load_known

    damaged = tmp_path / "sources.jsonl"
    damaged.write_text('{"data": "not base64!!"}\n', encoding="utf-8")
    warnings: list[str] = []
    assert load_known(damaged, warnings.append) == []
    assert len(warnings) == 1 and str(damaged) in warnings[0]

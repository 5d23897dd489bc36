"""briefing.display: names, titles and subjects made safe to show (issue 14)."""

from __future__ import annotations

import json
import os

import pytest

from briefing.display import display_text, safe_name, shorten


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

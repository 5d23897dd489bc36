"""clean.QUOTED, written for speed, matches what the plain pattern matches."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.clean import QUOTED, outside_quotes

#: The plain pattern: "''" only where no letter is before it, as a look-behind first.
PLAIN = re.compile(r"``.*?(?:''|$)|[“”][^”]*(?:”|$)|\"[^\"]*(?:\"|$)|(?<!\w)''.*?(?:''|$)")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="ab '`\"“”\n.A1_é", max_size=24))
def test_the_quotes_taken_out_are_those_of_the_plain_pattern(text: str) -> None:
    assert [m.span() for m in QUOTED.finditer(text)] == [m.span() for m in PLAIN.finditer(text)]


def test_double_apostrophes_close_a_quote_only_where_no_letter_is_before_them() -> None:
    assert outside_quotes("He said ''we won'' today") == "He said   today"
    assert outside_quotes("rock''n''roll and more") == "rock''n''roll and more"
    assert outside_quotes("''We'' open it") == "  open it"

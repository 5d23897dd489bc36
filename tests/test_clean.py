"""Clean: boilerplate lines we wrote ourselves are dropped, news sentences kept."""

from __future__ import annotations

import pytest

from briefing.clean import check_language, clean_text, is_foreign_line, junk_reason
from briefing.errors import SourceError
from tests.helpers import seed_sources

JUNK = [
    "Leave a comment",
    "Please enter your email address!",
    "Your email address will not be published. Required fields are marked *",
    "Related Stories",
    "Read more: Floods hit the valley again",
    "ALSO READ",
    "See also: Ten things to know about the budget",
    "Share this article",
    "Share on Facebook",
    "Subscribe to our newsletter for daily updates.",
    "Sign up for breaking news alerts.",
    "Follow us on social media",
    "Click here to download the app.",
    "storm-damage-coast-march3-hero-1200",
    "IMG_20240301_101522.jpg",
    "Rescue workers search the rubble (centre) in the old town on Tuesday. AFP",
    "A woman walks past the closed factory gates. Getty Images",
    "Reuters",
    "AP Photo",
    "Jane Doe is a senior reporter covering energy markets for The Daily Ledger.",
    "Tom Smith contributed to this report.",
    "Reporting by Ana Lopez; editing by Mark Heinrich.",
    "Copyright 2024 Example Media. All rights reserved.",
    "Mayor unveils plan for new tram line",
    "Kommentar schreiben und Meinung teilen",
    "Yorum yapmak için giriş yapın ve bir yorum bırakın",
    "https://example.org/news/story-123",
    "Advertisement",
    # a syndicate's list of what a package holds (an editor's read of D0604)
    "INTERVIEWS WITH: the cast of the new harbour film, who play the ferry crew.",
    "FEATURES ON: the fans' costumes, from sailors to sea monsters; a quiz on the films.",
]

KEEP = [
    "The minister said the talks would resume next week in Geneva.",
    "Dock workers ended a nine-day strike on Tuesday after accepting a revised offer.",
    "“We will not accept these terms,” the union leader told reporters.",
    "At least 12 people were killed when the bridge collapsed, officials said.",
    "Blinken met Wang for three hours.",
    "The agreement, which covers grain and fertiliser, expires in May.",
    "Why did the council delay the vote?",
    "Sales rose 4% in the quarter, the company said.",
    # a roundup's country heading opens news
    "NORWAY: Smoking is banned in bars and restaurants across the country.",
]


@pytest.mark.parametrize("line", JUNK)
def test_boilerplate_lines_are_dropped(line: str) -> None:
    text = "\n".join([KEEP[0], line, KEEP[1]])
    cleaned = clean_text(text)
    assert line not in cleaned.text
    assert KEEP[0] in cleaned.text and KEEP[1] in cleaned.text


@pytest.mark.parametrize("line", KEEP)
def test_news_sentences_are_kept(line: str) -> None:
    assert junk_reason(line) is None
    text = "\n".join([KEEP[1], line, KEEP[0]])
    assert line in clean_text(text).text


def test_dropped_lines_say_why() -> None:
    cleaned = clean_text("The council approved the budget on Monday.\nRelated Posts\nReuters\n")
    reasons = dict(cleaned.dropped)
    assert reasons["Related Posts"] == "call to action"
    assert reasons["Reuters"] == "bare credit"


def test_whitespace_is_normalised_one_paragraph_per_line() -> None:
    cleaned = clean_text("  The council\u00a0 approved   the budget.\r\n\r\n\r\nIt passed 7-2 in a late vote.  ")
    assert cleaned.text == "The council approved the budget.\nIt passed 7-2 in a late vote."


@pytest.mark.parametrize(
    ("line", "foreign"),
    [
        ("Die Regierung hat die Pläne für das neue Gesetz vorgestellt und es wird", True),
        ("Bir cevap yazın ve yorum yapın", True),
        ("Blinken met Wang Yi in Beijing.", False),
        ("Erdoğan met the president in Ankara on Monday.", False),
    ],
)
def test_foreign_lines(line: str, foreign: bool) -> None:
    assert is_foreign_line(line) is foreign


def test_non_english_article_is_refused_with_language_reason() -> None:
    german = (
        "Die Bundesregierung hat am Montag ein neues Gesetz beschlossen. Es soll die Mieten in den "
        "großen Städten begrenzen und wird im nächsten Jahr in Kraft treten, sagte die Ministerin."
    )
    with pytest.raises(SourceError, match=r"de\.txt: language: looks like German"):
        check_language(german, "de.txt")


def test_english_article_passes_language_check() -> None:
    check_language("The council approved the budget on Monday after a long debate in the chamber.", "en.txt")


SEED_BOILERPLATE = [
    "LEAVE A REPLY", "Please enter your comment!", "Please enter your name here", "Related Posts",
    "Related articles", "READ MORE", "China-US-Blinken-June19-main1-750", "Bir cevap yazın",
    "Also read:", "Aldgra Fredly is a freelance writer",
]


def test_no_seed_boilerplate_survives_cleaning() -> None:
    texts = "\n".join(source.text for source in seed_sources())
    for junk in SEED_BOILERPLATE:
        assert junk not in texts
    # and the news is still there
    assert "Blinken also invited Qin to Washington." in texts


def test_a_long_paragraph_with_a_stray_ending_is_kept() -> None:
    paragraph = (
        "The council approved the budget on Monday after a long debate. Opponents said the plan "
        "would raise taxes for families in the northern districts. The mayor said the vote was a "
        "victory for the city and promised more spending on schools next year. ref-xk"
    )
    assert clean_text(paragraph).text == paragraph


def test_spaces_collapse_as_every_run_becoming_one_space() -> None:
    # The quick pattern leaves single plain spaces alone (issue 19); the result must be
    # what replacing every run of spaces by one space gives.
    import random
    import re

    from briefing.clean import _SPACES

    every_run = re.compile(r"[ \t\f\v\x1c-\x1f\u2028\u2029]+")
    alphabet = [" ", "\t", "\f", "\v", "\x1c", "\x1f", "\u2028", "\u2029", "a", ".", "\u00a0"]
    rng = random.Random(19)
    for _ in range(5000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert _SPACES.sub(" ", line) == every_run.sub(" ", line), repr(line)


def test_control_bytes_are_counted_as_before() -> None:
    from briefing.raw import is_binary

    text = b"A plain article.\n\tIndented line.\x1b[0m\n" * 200
    assert not is_binary(text)
    assert is_binary(text[:2000] + bytes(range(1, 9)) * 40)  # controls, no NUL: over the share
    assert not is_binary(b"Short.\x01\x02\x03 text")  # 3 controls: under the floor of 8


def test_stop_lists_read_without_importing_justext_are_justexts() -> None:
    import justext

    from briefing.clean import _OTHER_LANGUAGES, _stoplist

    for language in ("English", *_OTHER_LANGUAGES):
        assert _stoplist(language) == justext.get_stoplist(language)
        assert len(_stoplist(language)) > 50


def test_markup_tokens_and_the_desk_initials_after_one_are_not_text() -> None:
    from briefing.clean import normalize_whitespace

    text = "The zone holds some 300 million people. &UR; dkt-cb\nA co-op &QL; opened a well-known store."
    assert normalize_whitespace(text) == "The zone holds some 300 million people.\nA co-op opened a well-known store."

"""Initials that a page uses without spelling them out: "The NLD [National League for Democracy] won …".

A report spells out an organisation's initials once, near the top ("the
National League for Democracy (NLD)"), then writes "NLD"; a brief quotes
single sentences, so the one it shows may be a later one. An editor's read
of D0706B found "NLD" on the page eleven items before its full name (issue
15: an item must be understood from the page). As a bare surname is
completed with the first name its article gives ("[Lucien] Bouchard",
:mod:`briefing.display`), initials are completed with the name the sources
spell out, in an editor's brackets after them; the sentence stays the
source's, and so do the added words.

Where the name comes from: the item's own article first, then the other
sources in order. A name counts when its capitalised words start with the
initials' letters in order ("Energy Resources of Australia" for ERA; "of",
"for", "and", "the" and "de" may stand between them), or when it stands right
before the initials in brackets and starts with their first letter
("Kestrel Grain and Seed Board (KGB)"; not "Romania's Central Bank (BNR)",
which says which bank, not what BNR stands for). Nothing is added when no
source spells the initials out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# Two to six capitals standing alone: "NLD", "ERA"; not "U.S." (full stops), "AT&T", "F-16" or a word in
# capitals inside a longer run of them (a headline's "CAPE TOWN").
_INITIALS = re.compile(r"(?<![\w.&’'-])(?<![A-Z] )[A-Z]{2,6}(?![\w&-]|\.\w)(?! [A-Z]{2,})")
# Initials a reader of news knows without their name; spelling them out is clutter ("UN [United Nations]").
_WELL_KNOWN_TEXT = (
    "US USA UK UN EU TV AIDS HIV NATO FBI CIA GOP CEO AM PM ID OK DNA NBA NFL CNN BBC AP AFP UPI OPEC ABC CBS NBC "
    "PC CD DVD GDP IQ MP MPS NASA IBM USSR SUV")
_WELL_KNOWN = frozenset(_WELL_KNOWN_TEXT.split())
# Lower-case words that may stand between the capitalised words of a spelled-out name.
_JOINERS = r"(?:of|for|and|the|de|on|in|to|&)"
_JOINER_WORDS = frozenset({"of", "for", "and", "the", "de", "on", "in", "to", "&"})
# A capitalised word of a name: "League", "Students'", "Kenyatta" (not a word in capitals: "ARTHRITIS").
_NAME_WORD = r"[A-Z][a-z][\w’'-]*"
# Capitalised only because they open a sentence: no name starts with them ("If I", "In North China's").
_OPENERS_TEXT = (
    "a an and as at but by for from if in it of on or so the to we when where while with after before since")
_OPENERS = frozenset(_OPENERS_TEXT.split())


@lru_cache(maxsize=1024)
def _spelled_pattern(initials: str) -> re.Pattern[str]:
    """"Energy Resources of Australia" for ERA (three letters or more), or any name before "(ERA)"."""
    before_brackets = rf"(?<![\w’'-]){_NAME_WORD}(?:\s+(?:{_JOINERS}\s+)*{_NAME_WORD}){{0,7}}(?=\s*\({initials}\))"
    if len(initials) < 3:
        return re.compile(before_brackets)  # two letters match too many pairs of words ("Paige Ann" for PA)
    words = rf"\s+(?:{_JOINERS}\s+)*".join(rf"{letter}[a-z][\w’'-]*" for letter in initials)
    # Not a part of a longer name ("Communist Party Chief Jiang" for CPC), a company's suffix aside.
    longer = r"\s+(?!(?:Ltd|Inc|Corp|Co|Company|Corporation|Group|Plc|PLC)\b)[A-Z]"
    return re.compile(rf"(?<![\w’'-]){words}(?![\w’'-])(?!{longer})|{before_brackets}")


def _initials_of(words: list[str]) -> str:
    return "".join(word[0] for word in words if word not in _JOINER_WORDS).upper()


def _name_for(initials: str, run: str) -> str | None:
    """The words of ``run`` that the initials stand for: the shortest ending whose capitals spell them
    ("Ola of the Lake District Fishing Council" for LDFC), else the ending from the first word
    with the first letter ("World Wide Fund for Nature" for WWF); None when no word starts with it, a
    sentence opener starts the name or one word is left."""
    words = run.split()
    start = next((k for k in range(len(words) - 1, -1, -1)
                  if words[k] not in _JOINER_WORDS and _initials_of(words[k:]) == initials), None)
    if start is None:
        start = next((k for k, word in enumerate(words) if word[0] == initials[0]), None)
    if start is None or words[start].lower() in _OPENERS or len(words) - start < 2:
        return None
    name = " ".join(words[start:])
    return re.sub(r"(?:['’]s?|'')+$", "", name)


def _spelled_out(initials: str, texts: Iterable[str]) -> str | None:
    """The first name that ``texts`` spell out for ``initials``, or None."""
    pattern = _spelled_pattern(initials)
    for text in texts:
        for match in pattern.finditer(text):
            name = _name_for(initials, match.group())
            if name is not None:
                return name
    return None


def initials_used(text: str) -> tuple[str, ...]:
    """The initials ``text`` uses that may need spelling out, in order of first use."""
    found = dict.fromkeys(match.group() for match in _INITIALS.finditer(text))
    return tuple(initials for initials in found if initials not in _WELL_KNOWN)


def initials_to_complete(text: str, article: Iterable[str], others: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """(initials, name) for each of ``text``'s initials that it does not spell out itself.

    ``article``: the sentences of the text's own article; ``others``: the
    other sources' sentences, read when the article spells nothing out (read
    lazily: most items use no initials).
    """
    wanted = [initials for initials in initials_used(text) if _spelled_out(initials, [text]) is None]
    if not wanted:
        return ()
    article = list(article)
    found: list[tuple[str, str]] = []
    missing: list[str] = []
    for initials in wanted:
        name = _spelled_out(initials, article)
        if name is None:
            missing.append(initials)
        else:
            found.append((initials, name))
    if missing:
        other_texts = list(others)
        for initials in missing:
            name = _spelled_out(initials, other_texts)
            if name is not None:
                found.append((initials, name))
    return tuple(sorted(found))


def is_initials(name: str) -> bool:
    """Is ``name`` (an ``Item.names`` key) initials rather than a surname?"""
    return name.isupper() and 2 <= len(name) <= 6 and name.isalpha()

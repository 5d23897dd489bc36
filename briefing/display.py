"""Display: text from files, feeds and pages made safe to show (issue 14).

Names and titles come from outside: a file name may not be valid UTF-8 (Python
keeps the bad bytes as lone surrogates, which no encoder accepts), may hold a
newline or a terminal escape, and a headline may hold a right-to-left override
that shows the text reversed. Three transforms, each ``str -> str``:

- :func:`safe_name` for file names, URLs and other identifiers in messages,
  brief.json and brief.md: every such character becomes a visible escape
  (``\\x1b``, ``\\xff``, ``\\u202e``), so the name stays recognisable, one line,
  and encodable.
- :func:`display_text` for titles, outlet names and subjects: bidi controls and
  zero-width characters are dropped, other control characters and line breaks
  become spaces.
- :func:`shorten` for titles and outlet names on the page (brief.json keeps the full text).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TypeVar

from briefing.acronyms import is_initials

#: Bidi embeddings, overrides and isolates, the Arabic letter mark, LRM/RLM,
#: the zero-width space, word joiner, invisible operators and BOM: invisible,
#: and able to reorder or hide text. ZWNJ/ZWJ (U+200C/U+200D) are kept: some
#: scripts and emoji sequences need them, and they reorder nothing.
INVISIBLE = re.compile("[\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
#: C0 and C1 controls (newline, ESC, NEL U+0085 among them) and the Unicode line/paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE_IN_NAME = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\u061c\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_name(text: str) -> str:
    """A file name, URL or identifier as one printable, encodable line.

    Control characters, line breaks, invisible formatting characters and
    undecodable bytes become visible escapes; everything else is kept.
    """
    return _UNSAFE_IN_NAME.sub(_escape, text)


def display_text(text: str) -> str:
    """A title, outlet name or subject: invisible characters dropped, controls as spaces, one line."""
    text = INVISIBLE.sub("", text)
    text = _SURROGATE.sub("\ufffd", text)
    return " ".join(_CONTROL.sub(" ", text).split())


def typographic(text: str) -> str:
    """Double quotes written as two backticks and two apostrophes (wire copy of the 1990s: ``like this'')
    shown as “like this”, single ones (`like this') as ‘like this’, and that copy's dash, an underscore
    between spaces ("Generation X _ that youthful generation _ is …"), as an em dash (an editor's read of
    D0613 found the underscore on the page).

    For the page only: the evidence of a citation keeps the sentence as the source writes it.
    """
    if " _ " in text:
        text = _WIRE_DASH.sub("—", text)
    if "`" in text:
        # A single backtick opens a quotation that an apostrophe closes (`Gay Panic' in a headline); an
        # apostrophe before a letter inside it is one ("`Britain's best'").
        text = _SINGLE_QUOTED.sub(r"‘\1’", text)
    if "``" not in text and "''" not in text:
        return text
    # Some copy opens a quotation with two apostrophes too (''presented as ...''): at the start or
    # after a space or bracket, before a word, they open it.
    text = _OPENING_APOSTROPHES.sub("“", text)
    return text.replace("``", "“").replace("''", "”")


_WIRE_DASH = re.compile(r"(?<=\S) _ (?=\S)")
_SINGLE_QUOTED = re.compile(r"(?<!`)`(?!`)(\w(?:[^`'\n]|'(?=[A-Za-z]))*?)'(?![A-Za-z'])")
_OPENING_APOSTROPHES = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–]))''(?=\w)")


#: A headline's word is spelled as the first this many times its article writes it ("the", "of": enough).
MOST_OCCURRENCES = 30
#: A headline is shouted (all capitals) when it has no lower-case letter and this many words with letters.
SHOUTED_WORDS = 3
# A token of a headline or a text: what comes before its word, the word, what comes after.
_TOKEN = re.compile(r"^(?P<lead>[^\w]*)(?P<word>.*?)(?P<trail>[^\w]*)$")
# What ends a sentence, a line or a heading: the next word is capitalised for its place, not itself.
_SENTENCE_ENDS = frozenset('.!?:"“”_\n')
T = TypeVar("T")
_QUOTES = frozenset("\"“”‘’`'")
_VOWEL = re.compile("[AEIOUaeiou]")
_ABBREVIATIONS_TEXT = "vs mr mrs dr st jr sr"  # no vowel, yet no acronym
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())
# "May" and "March" are words too: the article's spelling decides them.
_CALENDAR_TEXT = ("monday tuesday wednesday thursday friday saturday sunday january february april june july "
                  "august september october november december jan feb mar apr jun jul aug sep sept oct nov dec")
_CALENDAR_WORDS = frozenset(_CALENDAR_TEXT.split())
_POSSESSIVE = re.compile(r"(?i)(?P<stem>.+?)(?P<tail>['’]S)$")


def headline_case(headline: str, text: str) -> str:
    """A headline in capitals ("AUTISM ON THE RISE") in sentence case, each word spelled as ``text`` spells it.

    Wire copy heads many stories in capitals; on a page they shout, and
    editors' reads of dev briefs asked for them in plain case (13 of the 40
    dev titles). A word takes the spelling its article gives it inside a
    sentence ("West Nile", "U.S.", "EgyptAir", "police"); a word the article
    never writes there is lower case, except a first word, a number or
    initials. Any other headline is returned as it is.
    """
    letters = [c for c in headline if c.isalpha()]
    if any(c.islower() for c in letters) or sum(
            any(c.isalpha() for c in word) for word in headline.split()) < SHOUTED_WORDS:
        return headline
    raw_tokens = headline.split(" ")
    tokens = [_TOKEN.match(token) for token in raw_tokens]
    keys = [key for token in tokens if token and token.group("word") for key in _keys(token.group("word"))]
    adjacent = [(this.group("word").lower(), after.group("word").lower()) for this, after in itertools.pairwise(tokens)
                if this and after and this.group("word") and after.group("word")]
    single, paired = _spellings(text, keys, adjacent)
    opens = [k == 0 or _ends_sentence(tokens[k - 1]) for k in range(len(tokens))]
    words = [_word_case(token.group("word"), single, first=opens[k]) if token else ""
             for k, token in enumerate(tokens)]
    # A name of two words takes their spelling together ("New York", not "new York" from "new").
    for k in range(len(tokens) - 1):
        this, after = tokens[k], tokens[k + 1]
        if this is None or after is None or this.group("trail") or after.group("lead"):
            continue
        found = paired.get((this.group("word").lower(), after.group("word").lower()))
        if found is not None and found[0][:1].isupper() and found[1][:1].isupper():
            words[k], words[k + 1] = found
    return " ".join(token.group("lead") + word + token.group("trail") if token else raw
                    for token, word, raw in zip(tokens, words, raw_tokens, strict=True))


def _spellings(text: str, keys: Iterable[str], pairs_of: Iterable[tuple[str, str]],
               ) -> tuple[dict[str, str], dict[tuple[str, str], tuple[str, str]]]:
    """How ``text`` writes each of ``keys`` (lower-cased words) inside a sentence, and each of ``pairs_of`` in a row.

    Lower-cased word (pair) -> its most common form not in capitals (a word
    in capitals there is shouted too: a dateline, a heading), else in
    capitals (an acronym). A word that opens a sentence, a line or a
    quotation is capitalised for its place, not for itself: not counted; a
    word capitalised only next to another ("Environmental Protection Agency")
    counts only when the text never writes it otherwise. Only the headline's
    words are looked for (:func:`_occurrences`): reading every word of every
    article had made ingesting 1,000 articles about a second slower.
    """
    keys = sorted(set(keys), key=lambda key: (-len(key), key))
    if not keys:
        return {}, {}
    wanted = set(pairs_of)
    alone: defaultdict[str, Counter[str]] = defaultdict(Counter)  # lower case, or capitalised on its own
    anyhow: defaultdict[str, Counter[str]] = defaultdict(Counter)  # also capitalised within a name
    pairs: defaultdict[tuple[str, str], Counter[tuple[str, str]]] = defaultdict(Counter)
    firsts = {first for first, _ in wanted}
    for lead, word, trail, start, end in _occurrences(text, keys):
        opens = _opens(text, start, lead)
        key = word.lower()
        capitalised = word[:1].isupper()
        after_word = ""
        if not trail and ((capitalised and not opens) or key in firsts):
            after = _TOKEN_AFTER.match(text, end)
            parts = _TOKEN.match(after.group(1)) if after else None
            if parts is not None and not parts.group("lead") and any(c.isalpha() for c in parts.group("word")):
                after_word = parts.group("word")  # the next word, nothing but spaces between
        if after_word and (not opens or any(c in _QUOTES for c in lead)) and (key, after_word.lower()) in wanted:
            # A quotation's first word ("``Star Wars''") may begin a name of two words; a sentence's may not.
            pairs[(key, after_word.lower())][(word, after_word)] += 1
        if opens:
            continue
        anyhow[key][word] += 1
        if capitalised and not lead:
            before = _token_before(text, start)
            in_name = (before is not None and before[0][:1].isupper() and not before[1]) or after_word[:1].isupper()
        else:
            in_name = capitalised and after_word[:1].isupper()
        if not in_name:
            alone[key][word] += 1
    words = {**anyhow, **alone}
    return ({key: _usual(counts) for key, counts in words.items()},
            {key: _usual(counts) for key, counts in pairs.items()})


def _occurrences(text: str, keys: Sequence[str]) -> list[tuple[str, str, str, int, int]]:
    """(lead, word, trail, start, end) of each whitespace-delimited token of ``text`` that is one of ``keys``
    (lower case) between punctuation, in text order; ``start`` and ``end`` span the whole token.

    Plain substring searches of the lower-cased text (a regular expression of
    the alternatives tried at every position cost a millisecond per article).
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)  # keep offsets
    found: dict[int, tuple[str, str, str, int, int]] = {}
    for key in keys:  # longest first: "u.s" before "u"
        at = lowered.find(key)
        seen = 0
        while at >= 0 and seen < MOST_OCCURRENCES:
            end = at + len(key)
            start = at
            while start and not text[start - 1].isspace() and not text[start - 1].isalnum() \
                    and text[start - 1] != "_":
                start -= 1
            stop = end
            while stop < len(text) and not text[stop].isspace() and not text[stop].isalnum() and text[stop] != "_":
                stop += 1
            if (start == 0 or text[start - 1].isspace()) and (stop == len(text) or text[stop].isspace()) \
                    and start not in found:
                found[start] = (text[start:at], text[at:end], text[end:stop], start, stop)
                seen += 1
            at = lowered.find(key, at + 1)
    return [found[start] for start in sorted(found)]


_TOKEN_AFTER = re.compile(r"[ \t]*\n?[ \t]*(\S+)")


def _keys(word: str) -> list[str]:
    """The lower-cased forms :func:`_word_case` may look up for a headline's word: it, its stem, its parts."""
    word = word.lower()
    possessive = _POSSESSIVE.match(word)
    stem = possessive.group("stem") if possessive else word
    return [word, stem, *stem.split("-")]


def _opens(text: str, start: int, lead: str) -> bool:
    """Is the token at ``start`` capitalised for its place: a sentence's, a line's or a quotation's first word?"""
    ahead = text[max(0, start - 4):start].rstrip(" \t")
    return not ahead or ahead[-1] in _SENTENCE_ENDS or any(c in _QUOTES for c in lead)


def _token_before(text: str, start: int) -> tuple[str, bool] | None:
    """(word, opens) of the token right before ``start``, when nothing but spaces stand between (no trail)."""
    end = start
    while end and text[end - 1] in " \t":
        end -= 1
    if end and text[end - 1] == "\n":
        end -= 1
        while end and text[end - 1] in " \t":
            end -= 1
    begin = end
    while begin and not text[begin - 1].isspace():
        begin -= 1
    if begin == end:
        return None
    parts = _TOKEN.match(text[begin:end])
    if parts is None or parts.group("trail") or not any(c.isalpha() for c in parts.group("word")):
        return None
    return parts.group("word"), _opens(text, begin, parts.group("lead"))


def _usual(counts: Counter[T]) -> T:
    """The most common form not all in capitals, else the most common; ties to the later in sort order."""
    def shouted(form: object) -> bool:
        return all(part.isupper() for part in (form if isinstance(form, tuple) else (form,)))
    plain = [(n, form) for form, n in counts.items() if not shouted(form)]
    return max(plain or [(n, form) for form, n in counts.items()])[1]


def _ends_sentence(token: re.Match[str] | None) -> bool:
    """Does a headline's token end a sentence or a label ("Report:", "Bible.", not "vs.")? The next word opens one."""
    if token is None:
        return False
    trail = token.group("trail")
    return any(c in trail for c in "?!:") or (trail.startswith(".") and len(token.group("word")) > 3)


def _word_case(word: str, spellings: dict[str, str], *, first: bool) -> str:
    """One word of a shouted headline as its article spells it (``first``: it opens the headline or a sentence)."""
    if not word:
        return word
    if word.lower() in _CALENDAR_WORDS:
        return word[:1].upper() + word[1:].lower()  # "Sunday", "Aug": names, whatever the article says
    found = spellings.get(word.lower())
    if found is None:
        possessive = _POSSESSIVE.match(word)
        if possessive is not None:
            return _word_case(possessive.group("stem"), spellings, first=first) + possessive.group("tail").lower()
        if "-" in word:
            parts = word.split("-")
            return "-".join(_word_case(part, spellings, first=first and k == 0) for k, part in enumerate(parts))
        if word.lower().rstrip(".") in _ABBREVIATIONS:
            found = word.lower()  # "vs.", "Dr."
        elif any(c.isdigit() for c in word) or "." in word or word == "I" or (
                not _VOWEL.search(word) and not word.lower().endswith("y")):
            return word  # "3-0", "U.S." (initials), "I", "NTSB", "NYC" (no vowel: an acronym; "BY", "TRY" are words)
        else:
            found = word.lower()
    return found[:1].upper() + found[1:] if first else found


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


#: Words that date an event relative to its report ("said Friday", "last week").
RELATIVE_TIME = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|tomorrow|"
    r"(?:this|last|next|earlier this|later this) (?:week|month|year|morning|afternoon|evening|night))\b",
    re.IGNORECASE)


def reported_note(text: str, published: str | None, *, always: bool = False) -> str:
    """" · reported 1999-11-30" when ``text`` dates its event relative to a known report date, else "".

    "Said Friday" in a brief of a later date would read as that week's Friday:
    the report's date tells which Friday it was. ``always``: every dated item
    says when it was reported (:func:`dates_every_item`).
    """
    if not published or not (always or RELATIVE_TIME.search(text)):
        return ""
    return f" · reported {published[:10]}"


#: Sources further apart than this many days: every item says when it was reported.
DATED_ITEMS_SPAN_DAYS = 7


def dates_every_item(published: Iterable[str | None]) -> bool:
    """Do the sources span more than :data:`DATED_ITEMS_SPAN_DAYS`? Then an undated item reads as current news
    (two editors' reads of dev briefs spanning years: "is taking that message", "recently" read as this week)."""
    days = sorted(day[:10] for day in published if day)
    if len(days) < 2:
        return False
    try:
        first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    except ValueError:
        return False
    return (last - first).days > DATED_ITEMS_SPAN_DAYS


def dated_outlet(outlet: str | None, published: str | None) -> str:
    """ "Xinhua, 1998-11-25": who said it and when, for a quoted earlier sentence ("" if neither is known)."""
    return ", ".join(part for part in (display_text(outlet or ""), published or "") if part)


def number_sources(sources: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Citation numbers for ``(id, outlet name)`` pairs, in outlet-name order.

    Not input order: a daily brief reads its sources in a different order each
    day, and [1] would be another outlet every morning. By name, an outlet
    keeps its number as long as the same outlets are read.
    """
    return dict(_numbering(tuple(sources)))


@lru_cache(maxsize=8)
def _numbering(sources: tuple[tuple[str, str], ...]) -> tuple[tuple[str, int], ...]:
    """:func:`number_sources`, memoised: fitting a page renders the same sources many times."""
    ordered = sorted(enumerate(sources), key=lambda pair: (display_text(pair[1][1]).casefold(), pair[0]))
    return tuple((source_id, k + 1) for k, (_, (source_id, _)) in enumerate(ordered))


#: Sources spread over more days than this make a collection of reports, not one day's news.
NEWS_SPAN_DAYS = 30


def earliest_source_date(published: Iterable[str | None], news_date: str) -> str | None:
    """The earliest source date when the sources span more than NEWS_SPAN_DAYS before the news date, else None.

    The page then says "Reports of 1998-06-22 to 2000-09-01", not "News of
    2000-09-01": editors' reads of dev briefs whose articles ran over two years
    took a heading of one day's news for a misreading of the page.
    """
    earliest = min((day[:10] for day in published if day), default=None)
    if earliest is None:
        return None
    try:
        days = (dt.date.fromisoformat(news_date[:10]) - dt.date.fromisoformat(earliest)).days
    except ValueError:
        return None
    return earliest if days > NEWS_SPAN_DAYS else None


def later_source_date(published: Iterable[str | None], news_date: str) -> str | None:
    """The latest source date when it is after the brief's news date (the latest *cited* source's), else None.

    Shown beside the news date: an editor's read took a page dated by its
    cited sources for a month older than the news it had read.
    """
    latest = max((day[:10] for day in published if day), default=None)
    return latest if latest and latest > news_date else None


def complete_names(text: str, names: Iterable[tuple[str, str]], introduced: set[str],
                   given: Mapping[str, set[str]] | None = None) -> str:
    """``text`` with the first bare use of each surname the page has not introduced completed in brackets.

    ``names``: (surname, full name) pairs, the full name as the item's own
    article gives it (``Item.names``). "Bouchard said" becomes "[Lucien]
    Bouchard said" — an editor's bracket, like one inside a quotation: the
    sentence is still the source's, and the added words are the source's
    too. A name written family name first is completed after it ("Cheung
    [Tze-keung]"). ``introduced`` holds the surnames the page has given in
    full so far, read top down (after that, a surname alone is how a report
    names the person: "[Aaron J.] McKinney", then "McKinney"); it is updated
    with this text's. Initials get their name after them, as the sources
    spell it out ("NLD [National League for Democracy]", :mod:`briefing.acronyms`).
    ``given``: for each surname, the words the page gave before it so far
    ("Stephen" for "Stephen Lawrence"); a bare surname whose article means
    someone of another given name is completed even so ("[Doreen] Lawrence",
    the mother, below "Stephen Lawrence": an editor's read of D0624).
    """
    for surname, full in names:
        another = (given is not None and surname in given and not is_initials(surname)
                   and first_given(full, surname) not in given[surname])
        if full in text or (surname in introduced and not another):
            introduced.add(surname)
            continue
        if is_initials(surname):
            text = _initials_completed(text, surname, full)
            introduced.add(surname)
            continue
        for match in _uses(text, surname):
            if _in_longer_name(text, match):
                continue  # part of a longer name ("Judy Shepard"; "Like Klein" opening the text is not)
            if full.endswith(" " + surname):
                added = f"[{full[:-len(surname) - 1]}] {surname}"
            elif full.startswith(surname + " "):
                added = f"{surname} [{full[len(surname) + 1:]}]"
            else:
                break
            text = text[:match.start()] + added + text[match.end():]
            introduced.add(surname)
            break
    return text


def _initials_at(text: str, initials: str) -> re.Match[str] | None:
    """Where ``text`` first uses ``initials`` as a word (a possessive "NLD's" included)."""
    return re.search(rf"(?<![\w.&’'-]){re.escape(initials)}(?:['’]s)?(?![\w&-])", text)


def _initials_completed(text: str, initials: str, name: str) -> str:
    """"The NLD won" → "The NLD [National League for Democracy] won" (after a possessive: "NLD's [...]")."""
    match = _initials_at(text, initials)
    if match is None:
        return text
    return f"{text[:match.end()]} [{name}]{text[match.end():]}"


def complete_page_names(items: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> list[str]:
    """The texts of a page's items, top down, each surname completed at its first use (:func:`complete_names`).

    ``items``: (text, names) in the order a reader meets them. A surname an
    item gives in full itself ("Aaron McKinney, 22, …") needs no brackets
    further down.
    """
    people = {surname for _, names in items for surname, _ in names if not is_initials(surname)}
    spelled = {initials: full for _, names in items for initials, full in names if is_initials(initials)}
    introduced: set[str] = set()
    given: dict[str, set[str]] = {}
    shown = []
    for text, names in items:
        introduced |= names_given(text, people - introduced)
        # Initials are introduced by a text that gives them beside their name ("Energy Resources of Australia
        # (ERA)"); the name alone does not tell a reader that "The ERA also promised …" is that company
        # (an editor's read of D0716B).
        introduced |= {initials for initials, full in spelled.items()
                       if full in text and _initials_at(text, initials) is not None}
        shown.append(complete_names(text, names, introduced, given))
        plain = shown[-1].replace("[", "").replace("]", "")
        for surname in people:
            for match in _uses(plain, surname):
                run = _NAME_BEFORE.search(plain, 0, match.start())
                if run is not None:  # "Judge Thomas Penfield Jackson": every word of the name before it
                    given.setdefault(surname, set()).update(run.group().split())
                after = _WORD_AFTER.match(plain, match.end())
                if after is not None:  # "Qin Gang": a name written family name first gives it after
                    given.setdefault(surname, set()).add(after.group().strip())
    return shown


def first_given(full: str, surname: str) -> str:
    """The first given name of ``full``: its first word, or its second when the surname comes first."""
    words = full.split()
    return words[1] if len(words) > 1 and words[0] == surname else words[0]


def names_given(text: str, surnames: Iterable[str]) -> set[str]:
    """Those of ``surnames`` that ``text`` gives with a first name or title ("Aaron McKinney, 22, …")."""
    return {surname for surname in surnames
            if any(_in_longer_name(text, match) for match in _uses(text, surname))}


def _uses(text: str, surname: str) -> Iterator[re.Match[str]]:
    return re.finditer(rf"(?<![\w'’-]){re.escape(surname)}(?![\w-])", text)


def _in_longer_name(text: str, match: re.Match[str]) -> bool:
    """Is the word at ``match`` part of a longer name: a capitalised word right before it (not one only
    opening the text, "Like Klein") or right after it?"""
    before = _WORD_BEFORE.search(text, 0, match.start())
    if before and not (before.start() == 0 and before.group().split()[0].lower() in _OPENERS):
        return True
    return _WORD_AFTER.match(text, match.end()) is not None


# A capitalised word right before (only spaces between) or right after a surname: a longer name.
_WORD_BEFORE = re.compile(r"[A-Z][\w.'’-]*\s+$")
_WORD_AFTER = re.compile(r"\s+[A-Z][\w'’-]*")
# The capitalised words right before a surname: the rest of its name.
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w.'’-]*\s+)+$")
# Capitalised only because they open the sentence: no first name.
_OPENERS_TEXT = (
    "like unlike besides since yet what whether were was did does when where while if as after before but and for "
    "with without by to of in on at from although though because once then so even also only now")
_OPENERS = frozenset(_OPENERS_TEXT.split())


# --- Relative dates -------------------------------------------------------------------

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "a": 1}
#: "last year", "earlier this month", "two years ago", "last year's": a year or month its report's date fixes.
_RELATIVE_PERIOD = re.compile(
    r"\b(?:(?P<edge>earlier|later)\s+)?(?P<which>this|last|next|past)\s+(?P<unit>year|month)(?P<own>['’]s)?\b"
    r"|\b(?P<count>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+(?P<units>years|year|months|month)"
    r"\s+ago\b"
    r"|\b(?P<season_which>this|last|next)\s+(?P<season>spring|summer|fall|autumn)\b",
    re.IGNORECASE)
#: The months a season spans (winter spans two years: not resolved).
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11)}
#: A year or a month name right after the phrase: the sentence says which already ("last year, 1997,").
_SAID_ALREADY = re.compile(
    r"['’]?s?,?\s*(?:\(|in\s+)?(?:(?:19|20)\d\d|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b", re.IGNORECASE)
#: "over one month ago", "about two years ago": a span counted roughly names no month or year (an editor's
#: read of D0625 found "over one month ago [Nov. 1997]" where the source gave no month).
_ROUGHLY = re.compile(
    r"\b(?:over|more\s+than|about|nearly|almost|some|around|roughly|at\s+least|less\s+than|under|"
    r"upwards\s+of|close\s+to)\s+$", re.IGNORECASE)
_MONTH_ABBREVIATIONS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
                        "Dec.")


def relative_dates_resolved(text: str, published: str | None, today: str | None) -> str:
    """``text`` with the year or month of each relative date ("last year", "earlier this month", "two years
    ago") in brackets after it, when its report and the page are of different years (or months).

    "Last year, the department opposed the purchase" from a report of 1996 on a
    page of 1999 reads as 1998: it reads "Last year [1995], …" (editors' reads
    of D0711A and D0622 found items dated so by reports years older than the
    page). ``published``: the report's date, ``today``: the page's (ISO; either
    missing: unchanged). Weeks and weekdays are not resolved: the item's
    " · reported …" note says which week.
    """
    day, page = _iso_day(published), _iso_day(today)
    if day is None or page is None:
        return text

    def resolved(match: re.Match[str]) -> str:
        whole = match.group()
        if _SAID_ALREADY.match(text, match.end()):
            return whole
        if match.group("season"):
            if day.year == page.year:
                return whole
            return f"{whole} [{_season_year(match.group('season_which').lower(), match.group('season').lower(), day)}]"
        unit = (match.group("unit") or match.group("units") or "").lower().rstrip("s")
        if match.group("count"):
            if _ROUGHLY.search(text, 0, match.start()):
                return whole
            word = match.group("count").lower()
            shift = -(int(word) if word.isdigit() else _NUMBER_WORDS[word])
        else:
            which = match.group("which").lower()
            if which == "past":
                return whole  # "the past year": a span up to the report, not a calendar year
            shift = {"this": 0, "last": -1, "next": 1}[which]
        if unit == "year":
            if day.year == page.year:
                return whole
            return f"{whole} [{day.year + shift}]"
        if (day.year, day.month) == (page.year, page.month):
            return whole
        months = day.year * 12 + (day.month - 1) + shift
        year, month = divmod(months, 12)
        if shift <= -2:
            # "17 months ago" is counted in whole months, rounded: the month may be the one before or after,
            # so only their year is given, when they share it (an editor's read of D0721C found "17 months ago
            # [Sept. 1998]" of an attack that other sources date to October 1998).
            years = {(months - 1) // 12, (months + 1) // 12}
            return f"{whole} [{year}]" if len(years) == 1 and year != page.year else whole
        return f"{whole} [{_MONTH_ABBREVIATIONS[month]} {year}]"

    return _RELATIVE_PERIOD.sub(resolved, text)


def _season_year(which: str, season: str, day: dt.date) -> int:
    """The year of "this/last/next summer" written on ``day``: "last summer" in March 1999 is 1998's,
    in October 1998 it is 1998's too; "next spring" in May 1998 is 1999's."""
    first, last = _SEASON_MONTHS[season]
    if which == "this":
        return day.year
    if which == "last":
        return day.year if day.month > last else day.year - 1
    return day.year if day.month < first else day.year + 1


def _iso_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None

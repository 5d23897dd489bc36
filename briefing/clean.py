"""Clean: drop web boilerplate lines before any later stage sees them.

Line-shape rules decide, with their phrases kept as data in
``briefing/data/boilerplate.toml``; jusText's shipped stop-word lists tell
English lines and articles from others. jusText's paragraph classifier is not
used on plain text: on the 10,344 paragraphs of the DUC 2006 dev articles it
dropped 154 real news sentences (quote-heavy lines and datelines have few stop
words), while these rules catch every junk line of the seeds (docs/method.md).
Text transforms here are pure ``str -> ...`` functions.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from briefing.display import INVISIBLE
from briefing.errors import SourceError

#: Languages whose stop words identify a foreign line or article. jusText ships
#: stop-word lists for all of them.
_OTHER_LANGUAGES = (
    "German", "French", "Spanish", "Italian", "Portuguese", "Dutch", "Turkish",
    "Indonesian", "Polish", "Swedish", "Danish", "Norwegian_Bokmal", "Finnish",
    "Romanian", "Czech", "Hungarian", "Malay", "Tagalog", "Croatian",
)
# Letters that English text almost never has outside names.
_FOREIGN_LETTERS = frozenset("ıİşŞğĞßøØåÅæÆœŒçÇñÑõÕãÃąĄęĘłŁżŻźŹćĆńŃőŐűŰăĂțȚșȘ")
#: English news prose has 35–50 % stop words; under this share an article is
#: checked against the other languages' stop-word lists.
_ENGLISH_STOPWORD_SHARE = 0.12
#: Credit phrases ("contributed to this report") only mark short lines: a long
#: sentence can say "a report compiled by the ministry" and be news.
_CREDIT_MAX_WORDS = 25
#: Headings, labels and teasers are short; a long paragraph that merely ends
#: in a stray code ("... the Post said. &UR; sa-kl") is still news.
_HEADING_MAX_WORDS = 30
_SENTENCE_END = re.compile(r"""[.!?…](?:["'”’»)\]]+)?$""")
_SLUG = re.compile(r"^[\w.]+(?:[-_][\w.]+){2,}$")
# A syndicate's list of what a package holds ("INTERVIEWS WITH: …", "FEATURES ON: …"): a label in capitals
# that ends in a preposition (an editor's read of D0604, stop 38). A country heading ("CHINA: …") is news.
_PACKAGE_LABEL = re.compile(
    r"^[A-Z][A-Z'’&-]*(?:\s+[A-Z][A-Z'’&-]*){0,3}\s+(?:WITH|ON|FOR|ABOUT|BY|FROM|OF|INCLUDES?|INCLUDING):\s")
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|tiff?)$", re.IGNORECASE)
_URL_OR_EMAIL = re.compile(r"^(?:https?://\S+|www\.\S+|\S+@\S+\.\w+)$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: ``_WORD`` in lower-cased ASCII text, where a letter is [a-z]: twice as fast (issue 19).
_LOWER_ASCII_WORD = re.compile(r"[a-z]+")
_BROKEN_URL = re.compile(r"\bhttps?:/{0,2}$", re.IGNORECASE)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f]")
# "404-582-3000", "(212) 556-1234", "+44 20 7123 4567": a phone number makes a short line a contact line.
_PHONE = re.compile(r"(?:\(\d{3}\)\s?|\b\d{3}[-.])\d{3}[-.]\d{4}\b|\+\d{1,3}(?:[\s.-]\d{2,4}){3,4}\b")
_CONTACT_MAX_WORDS = 25
# "fax, 47-42-80-44", "telex, 282-942": contact details in any country's format.
_FAX = re.compile(r"\b(?:fax|telex)\b[,:]?\s*[\d(+]", re.IGNORECASE)
# SGML-style markup tokens left in wire copy ("&QL;", "&UR;", "&LR;"): not words; nor the desk's
# initials after one at a paragraph's end ("… some 300 million people. &UR; dkt-cb": an editor's
# read of D0703B found them at the end of an item).
_MARKUP_TOKEN = re.compile(r"&[A-Z]{2,3};(?:[ \t]+[a-z]{1,4}(?:-[a-z]{1,4})+(?=[ \t]*(?:\n|$)))?")


def without_markup(line: str) -> str:
    """A line without the markup tokens of wire copy ("&HT; BUSH INVITES …"), spaces closed up."""
    return " ".join(_MARKUP_TOKEN.sub(" ", line).split()) if "&" in line else line


# A paragraph opening with a dateline ("BEIJING, June 19 —", "NEW YORK (AP) _").
# A photo package's caption opens with its picture number: "(NYT35) GUADALAJARA, Mexico -- …".
_PHOTO_TAG = r"\([A-Z]{2,5}\d{1,4}\)\s+"
_PHOTO_NUMBER = re.compile("^" + _PHOTO_TAG)
_DATELINE_PARAGRAPH = re.compile(
    rf"^(?:{_PHOTO_TAG})?"
    r"[A-Z][A-Z.'’ -]{2,}[A-Z.](?:,[^—–()\n]{1,40}?)?\s*(?:\([^)]{1,30}\))?\s*(?:--|—|–|_)\s")
#: A document with this many paragraphs opening with different datelines is a digest of several stories.
DIGEST_DATELINES = 3
_DIGEST_TITLE = re.compile(r"\b(?:top news|news digest|news budget|news in brief|news summary)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Rules:
    """Boilerplate rules as data (see ``briefing/data/boilerplate.toml``)."""

    line_prefixes: tuple[str, ...]
    line_contains: tuple[str, ...]
    credits: tuple[str, ...]
    caption_positions: tuple[str, ...]
    bio_roles: tuple[str, ...]


@cache
def default_rules() -> Rules:
    raw = tomllib.loads(
        resources.files("briefing.data").joinpath("boilerplate.toml").read_text("utf-8")
    )
    return Rules(**{key: tuple(value) for key, value in raw.items()})


#: Where ``str.splitlines`` cuts and ``bytes.splitlines`` does not.
_STR_ONLY_LINE_BREAKS = ("\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


@cache
def _stoplist(language: str) -> frozenset[str]:
    """jusText's stop list for ``language``, read as ``justext.get_stoplist`` reads it.

    Read from the package's folder without importing it: ``import justext``
    loads its classifier and lxml (12 ms of a small build's start-up) for a
    word list (issue 19). Should the file not be there, jusText is asked.
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("justext")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder) / "stoplists" / f"{language}.txt"
        if path.is_file():
            data = path.read_bytes()
            text = data.decode("utf8")
            if not any(separator in text for separator in _STR_ONLY_LINE_BREAKS):
                # The same lines as the bytes' lines, decoded and lowered at once (half the time, issue 19).
                return frozenset(text.lower().splitlines())
            return frozenset(word.decode("utf8").lower() for word in data.splitlines())
    import justext

    return frozenset(justext.get_stoplist(language))


@cache
def _compiled(rules: Rules) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    credits = "|".join(re.escape(c) for c in sorted(rules.credits, key=len, reverse=True))
    positions = "|".join(re.escape(p) for p in rules.caption_positions)
    roles = "|".join(re.escape(r) for r in rules.bio_roles)
    caption = re.compile(
        rf"(?:[.!?]\s+(?:{credits})(?:\s*/\s*[\w ]+)?\.?$)|(?:\((?:{positions})\))",
        re.IGNORECASE,
    )
    credit_only = re.compile(rf"^(?:\(?(?:{credits})\)?[\s/,]*)+\.?$", re.IGNORECASE)
    bio = re.compile(
        rf"^[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){{0,3}}\s+(?:is|was)\s+an?\s+"
        rf"(?:[\w-]+\s+){{0,4}}(?:{roles})s?\b",
    )
    return caption, credit_only, bio


#: A run of spaces that is not one plain space: what becomes one plain space. (Matching every
#: single space too, and putting it back, cost a sixth of cleaning 1,000 articles, issue 19.)
#: Written as "a space and another, or another alone; then the rest of the run": the same runs as
#: "[…]{2,}|[…] less the space", which the engine tried twice at every space (a third slower, issue 19).
#: No run spans a line break, so the whole text is replaced at once.
_SPACES = re.compile(
    r"(?: [ \t\f\v\x1c-\x1f\u2028\u2029]|[\t\f\v\x1c-\x1f\u2028\u2029])[ \t\f\v\x1c-\x1f\u2028\u2029]*")


def normalize_whitespace(text: str) -> str:
    """Unify line endings and spaces; keep one line per paragraph."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ")
    # Bidi overrides and zero-width characters: invisible, and able to show a
    # sentence reversed in the PDF or an email subject (issue 14).
    text = INVISIBLE.sub("", text)
    # Control characters are not text (and not valid in HTML); the separators \x1c-\x1f count as spaces.
    text = _CONTROL_CHARS.sub("", text)
    text = _MARKUP_TOKEN.sub(" ", text)
    lines = (line.strip() for line in _SPACES.sub(" ", text).split("\n"))
    kept: list[str] = []
    for line in lines:
        # _BROKEN_URL ends the line, with a colon or a slash: the search only where one does.
        if line and kept and kept[-1].endswith((":", "/")) and (broken := _BROKEN_URL.search(kept[-1])) and (
                line.startswith("/") or broken.group().endswith("//")):
            # A link broken by a <br> or a wrap ("at http:" / "//host/path") is one
            # word, not a sentence ending "at http:" and a line of junk.
            kept[-1] += line
        elif line:
            kept.append(line)
    return "\n".join(kept)


def is_sentence_like(line: str) -> bool:
    """A body paragraph ends like a sentence; headings, labels and teasers do not."""
    return bool(_SENTENCE_END.search(line))


def language_scores(text: str, *, languages: Sequence[str] = ("English", *_OTHER_LANGUAGES)) -> dict[str, float]:
    """Share of words that are stop words, per language."""
    words = _lower_words(text)
    total = len(words)
    if not total:
        return {}
    if len(languages) == 1:  # every article's test (check_language): a count of the words in one set
        return {languages[0]: sum(map(_stoplist(languages[0]).__contains__, words)) / total}
    counts = Counter(words)
    return {
        language: sum(map(counts.__getitem__, _stoplist(language).intersection(counts))) / total
        for language in languages
    }


def _lower_words(text: str) -> list[str]:
    """The lower-cased words of ``text`` (``_WORD``'s matches): of ASCII text, the matches of its lower case."""
    if text.isascii():
        return _LOWER_ASCII_WORD.findall(text.lower())
    return [w.lower() for w in _WORD.findall(text)]


def is_foreign_line(line: str) -> bool:
    """True for a line plainly in another language than English."""
    words = _lower_words(line)
    if len(words) < 2:
        return False
    english = _stoplist("English")
    if not english.isdisjoint(words):  # any English stop word: one set test, not a count (issue 19)
        return False
    other = max(sum(w in _stoplist(lang) for w in words) for lang in _OTHER_LANGUAGES)
    foreign_letters = 0 if line.isascii() else sum(ch in _FOREIGN_LETTERS for ch in line)
    return other >= 2 or foreign_letters >= 2


def junk_reason(line: str, *, rules: Rules | None = None) -> str | None:
    """Why our rules call this line boilerplate, or None to keep it."""
    rules = rules or default_rules()
    caption, credit_only, bio = _compiled(rules)
    lowered = line.lower()
    if _SLUG.match(line) or _IMAGE_FILE.search(line) or _URL_OR_EMAIL.match(line):
        return "slug, file name or bare link"
    if credit_only.match(line):
        return "bare credit"
    if _PACKAGE_LABEL.match(line):
        return "a package's contents (a label in capitals)"
    if lowered.startswith(rules.line_prefixes):
        return "call to action"
    if len(line.split()) <= _CREDIT_MAX_WORDS and any(phrase in lowered for phrase in rules.line_contains):
        return "production credit"
    if caption.search(line):
        return "photo caption"
    # The length first: the two searches were a third of judging 11,000 lines (issue 19).
    if len(line.split()) <= _CONTACT_MAX_WORDS and (_PHONE.search(line) or _FAX.search(line)):
        return "contact line"
    if bio.match(line):
        return "author bio"
    if is_foreign_line(line):
        return "another language"
    if not is_sentence_like(line) and len(line.split()) <= _HEADING_MAX_WORDS:
        return "heading or teaser (no sentence ending)"
    return None


@lru_cache(maxsize=65_536)
def _default_junk_reason(line: str) -> str | None:
    """:func:`junk_reason` under the default rules, memoised per line.

    Copies of one story (syndicated, lightly edited, or sharing an agency's
    paragraphs) repeat whole lines; each is judged once (issue 19).
    """
    return junk_reason(line)


@dataclass(frozen=True)
class Cleaned:
    text: str
    dropped: tuple[tuple[str, str], ...]  # (line, reason)


def clean_text(text: str, *, rules: Rules | None = None) -> Cleaned:
    """Drop boilerplate lines; return the kept text (one paragraph a line)."""
    lines = [line for line in normalize_whitespace(text).split("\n") if line]
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    for line in lines:
        reason = _default_junk_reason(line) if rules is None else junk_reason(line, rules=rules)
        if reason is None:
            kept.append(line)
        else:
            dropped.append((line, reason))
    # The author's biography closes an article, before any syndication notes.
    for k in range(max(1, len(kept) - _CLOSING_LINES), len(kept)):
        if closing_bio(kept[k], kept[:k]):
            dropped.append((kept.pop(k), "author bio (closing line)"))
            break
    return Cleaned("\n".join(kept), tuple(dropped))


# "Jane Rinzler Buckingham is the president of …" as an article's last line.
# Also in brackets, and with an apposition: "(Ada Moor, who writes often on Laos, is co-author of …)",
# "Ivo Sand, associate editor at a news service, is the producer of …".
_CLOSING_BIO = re.compile(
    r"^\(?(?!(?:The|A|An|This|That|These|Those|Its|His|Her|Our|Their)\b)(?:[A-Z][a-z][\w.'-]*\s+|[A-Z]\.\s+){1,3}"
    r"([A-Z][a-z][\w'-]*)(?:\s+(?:is|was|writes|teaches|heads|directs|runs)\b"
    r"|,\s[^,]{3,80},\s+(?:is|writes|teaches|heads|directs|runs)\b)")  # "…, was executed": news, not a bio
_CLOSING_BIO_MAX_WORDS = 80
#: How many of an article's last lines may hold its author's biography.
_CLOSING_LINES = 3


def closing_bio(line: str, before: Sequence[str]) -> bool:
    """Is an article's last line its author's biography?

    It names someone in full who appears nowhere in the article ("Petra
    Lindqvist is the president of Trend Signals, a market-research firm"):
    the column's author, not a person in the story.
    """
    match = _CLOSING_BIO.match(line)
    if match is None or len(line.split()) > _CLOSING_BIO_MAX_WORDS:
        return False
    surname = match.group(1)
    return not any(re.search(rf"\b{re.escape(surname)}\b", earlier) for earlier in before)


def digest_reason(text: str, title: str = "") -> str | None:
    """Why a document is a digest of several stories (a news budget, "AP Top News"), or None.

    Such a document repeats other stories' leads under their own datelines;
    its sentences would look corroborated by every story it summarises.
    """
    places = {
        _PHOTO_NUMBER.sub("", match.group()).split(",")[0].split("(")[0].strip()
        for line in text.split("\n") if (match := _DATELINE_PARAGRAPH.match(line))
    }
    if len(places) >= DIGEST_DATELINES:
        return f"a digest of several stories ({len(places)} datelines: {', '.join(sorted(places)[:3])}, …)"
    if title and _DIGEST_TITLE.search(title):
        return f"a digest or news budget (title {title[:60]!r})"
    return None


# Quoted words, closed or running to the end: "``...''", "“...”", '"..."' (a speaker's own voice).
# "''" not after a letter is tested as "'" then a look back (the same matches): every branch then
# opens with a quote character, and the regex engine skips to those instead of trying each branch
# at every position (issue 19: twice as fast; opinion_reason and first_person run it on every text).
#: A quotation: ``…'', “…”, "…", ''…'' (unclosed: to the end).
QUOTED = re.compile(r"``.*?(?:''|$)|[“”][^”]*(?:”|$)|\"[^\"]*(?:\"|$)|'(?<!\w')'.*?(?:''|$)")
# The writer's own voice: "we", "our", "my", "I" outside quotes. A column, a letter or a satire speaks
# so, a report does not; on the labelled items every such sentence was an orphan or off the story (one
# was a satire's "we finally crushed a radical law", which an editor read as the opposite of its meaning).
_FIRST_PERSON = re.compile(
    r"\b(?:we|We|our|Our|ours|us|my|My|me)\b(?!-)|\bI\b(?=\s+[a-z’']|['’](?:ve|m|d|ll)\b)|\b[Ww]e['’](?:ve|re|d|ll)\b")
# "Episode I", "World War I", "Henry I": a numeral after a capitalised word, not the writer.
_ROMAN_ONE_AFTER = re.compile(r"[A-Z][a-z]*\s+$")
_SENTENCE_WORDS = frozenset({"And", "But", "So", "Then", "Now", "Today", "Yesterday", "Here", "There"})
#: An article with at least this share of its sentences (and OPINION_SENTENCES of them) in the writer's
#: own voice is a column, a review, a letter or an interview: its sentences are items only if corroborated.
OPINION_SHARE = 0.15
OPINION_SENTENCES = 5
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def outside_quotes(text: str) -> str:
    """``text`` with what it quotes blanked out: the writer's own words."""
    return QUOTED.sub(" ", text)


def first_person(text: str) -> str | None:
    """The first-person word a sentence speaks in outside quotes ("we", "I"), or None."""
    bare = outside_quotes(text)
    for match in _FIRST_PERSON.finditer(bare):
        word = match.group()
        before = bare[:match.start()]
        if word == "I" and _ROMAN_ONE_AFTER.search(before) and before.split()[-1] not in _SENTENCE_WORDS:
            continue
        return word
    return None


def opinion_reason(text: str) -> str | None:
    """Why an article is a column, review, letter or interview rather than a report, or None.

    Quotations are taken out of the whole text first: a quotation running over
    several sentences or paragraphs (opened again at each, closed once) is
    closed there. A report quotes people saying "we"; a column says it itself
    ("Most of us thought …", "I write today as the chairman of …").
    On the 750 dev articles, the 13 with 15 % or more of their sentences so
    were op-eds, columns, film reviews, a satire, garden Q&As and an interview;
    and the three more that open in the first person, with one more such
    sentence, were columns (stop 31).
    """
    bare = QUOTED.sub(" … ", text)
    sentences = [s for s in _SENTENCE_BREAK.split(bare) if len(s.split()) >= 4]
    spoken = sum(1 for s in sentences if first_person(s))
    if spoken >= OPINION_SENTENCES and spoken >= OPINION_SHARE * len(sentences):
        return (f"written in the first person ({spoken} of {len(sentences)} sentences): a column or an interview, "
                "not a report")
    if spoken >= 2 and first_person(sentences[0]):
        # A report's lead is not the writer's own ("My son is not ready for school yet, nor am I."): the
        # dev articles that open so are columns (an editor's read of D0610 found one unmarked).
        return f"opens in the first person ({spoken} of {len(sentences)} sentences): a column, not a report"
    return None


def check_language(text: str, where: str) -> None:
    """Raise SourceError for an article that is not in English."""
    english = language_scores(text, languages=("English",)).get("English")
    if english is None or english >= _ENGLISH_STOPWORD_SHARE:
        return
    scores = language_scores(text, languages=_OTHER_LANGUAGES)
    best_language, best = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
    if best > english:
        raise SourceError(
            where, f"language: looks like {best_language.replace('_', ' ')}, not English"
        )

"""Segment: offline sentence splitting with offsets, and content-word stems.

Punkt with our own abbreviation list (no NLTK data, never ``nltk.download``),
NLTK's Treebank-style word tokenizer, sumy's English stop words and the
Snowball stemmer, none of which need downloaded data.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from functools import cache, lru_cache
from itertools import chain, pairwise
from typing import TYPE_CHECKING, Any

from briefing.model import Sentence, Source


class _LazyCorpus:
    """Stands in for an ``nltk.corpus`` reader: the real one is imported when first used."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        import importlib

        return getattr(getattr(importlib.import_module("nltk.corpus"), self._name), attribute)


def _import_nltk_parts() -> tuple[Any, Any]:
    """NLTK's modules ``nltk.stem.snowball`` and ``nltk.tokenize.punkt``, without its package ``__init__``.

    ``import nltk`` loads most of NLTK, scikit-learn and SciPy on the way (0.5 s,
    most of a small brief's start-up, issue 19) for two pure-Python modules.
    When NLTK is not loaded yet, its packages ``nltk``, ``nltk.stem``,
    ``nltk.tokenize`` and ``nltk.corpus`` are entered as empty package modules,
    the two modules are imported through them (18 small modules, 0.06 s), and
    then every ``nltk`` module is taken out of ``sys.modules`` again: the
    classes keep working, and anyone else in the process who imports NLTK gets
    the whole package, loaded as usual. The Snowball module's ``stopwords``
    (used only with ``ignore_stopwords``) is the real corpus reader, loaded
    when first used.
    """
    import importlib
    import importlib.util
    import types

    if "nltk" in sys.modules:  # already loaded whole: nothing to save
        return importlib.import_module("nltk.stem.snowball"), importlib.import_module("nltk.tokenize.punkt")

    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("NLTK is not installed")
    root = next(iter(spec.submodule_search_locations))
    for name, folder in (("nltk", ""), ("nltk.stem", "/stem"), ("nltk.tokenize", "/tokenize"),
                         ("nltk.corpus", "/corpus")):
        package = types.ModuleType(name)
        package.__path__ = [root + folder]
        sys.modules[name] = package
    sys.modules["nltk.corpus"].stopwords = _LazyCorpus("stopwords")  # type: ignore[attr-defined]
    try:
        snowball = importlib.import_module("nltk.stem.snowball")
        punkt = importlib.import_module("nltk.tokenize.punkt")
    finally:
        for name in [name for name in sys.modules if name == "nltk" or name.startswith("nltk.")]:
            del sys.modules[name]
    return snowball, punkt


if TYPE_CHECKING:
    from nltk.stem.snowball import SnowballStemmer
    from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer, PunktToken
else:
    _snowball, _punkt = _import_nltk_parts()
    SnowballStemmer = _snowball.SnowballStemmer
    PunktParameters, PunktSentenceTokenizer = _punkt.PunktParameters, _punkt.PunktSentenceTokenizer
    PunktLanguageVars, PunktToken = _punkt.PunktLanguageVars, _punkt.PunktToken


# NLTK's Punkt runs its expressions through ``nltk.redos`` (the third-party ``regex`` engine, each
# match under a time limit): per token, several times, a third of splitting 1,000 articles (issue 19).
# For a paragraph of printable ASCII, where the two engines' classes (\s, \S, \w, \d) are the same
# characters, the same expressions compiled with ``re`` give the same matches: Punkt then runs with
# these two classes (:func:`_paragraph_spans`; tests/test_segment.py compares the spans).
class _PlainPunktVars(PunktLanguageVars):  # type: ignore[misc]
    """Punkt's language variables, their expressions compiled with the standard library's ``re``."""

    re_boundary_realignment = re.compile(PunktLanguageVars.re_boundary_realignment.pattern, re.MULTILINE)

    def _word_tokenizer_re(self) -> re.Pattern[str]:
        made: re.Pattern[str] | None = self.__dict__.get("_plain_words")
        if made is None:
            made = self.__dict__["_plain_words"] = re.compile(self._word_tokenize_fmt % {
                "NonWord": self._re_non_word_chars, "MultiChar": self._re_multi_char_punct,
                "WordStart": self._re_word_start}, re.UNICODE | re.VERBOSE)
        return made

    def period_context_re(self) -> re.Pattern[str]:
        made: re.Pattern[str] | None = self.__dict__.get("_plain_period_context")
        if made is None:
            made = self.__dict__["_plain_period_context"] = re.compile(self._period_context_fmt % {
                "NonWord": self._re_non_word_chars, "SentEndChars": self._re_sent_end_chars},
                re.UNICODE | re.VERBOSE)
        return made


_NON_PUNCT = re.compile(r"[^\W\d]", re.UNICODE)


class _PlainPunktToken(PunktToken):  # type: ignore[misc]
    """Punkt's token, its expressions compiled with the standard library's ``re``."""

    __slots__ = ()
    _RE_ELLIPSIS = re.compile(PunktToken._RE_ELLIPSIS.pattern)
    _RE_NUMERIC = re.compile(PunktToken._RE_NUMERIC.pattern)
    _RE_INITIAL = re.compile(PunktToken._RE_INITIAL.pattern, re.UNICODE)
    _RE_ALPHA = re.compile(PunktToken._RE_ALPHA.pattern, re.UNICODE)

    @property
    def is_non_punct(self) -> re.Match[str] | None:
        """True if the token is either a number or is alphabetic."""
        return _NON_PUNCT.search(self.type)


#: A paragraph of printable ASCII only (space to tilde): split by :func:`plain_sentence_tokenizer`.
_PRINTABLE_ASCII = re.compile(r"[ -~]*")

#: Titles written before a name, abbreviated (lower case, no final period): "Gen. He Yong" goes on
#: after the title even though "He" often starts a sentence.
TITLES = (
    "mr", "mrs", "ms", "dr", "prof", "gen", "brig", "lt", "col", "maj", "capt", "cmdr", "adm", "sgt", "cpl",
    "pvt", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "insp", "det", "atty", "amb", "st", "mt",
)
#: Abbreviations that end with a period but not a sentence (lower case, no final
#: period). Punkt learns these from training data we cannot download.
ABBREVIATIONS = frozenset(
    [
        *TITLES,
        "u.s", "u.k", "u.n", "e.u", "u.s.a", "u.a.e", "d.c", "n.y", "l.a", "a.m", "p.m", "e.g", "i.e", "etc",
        "vs", "v", "al", "approx", "sr", "jr", "ft",
        "sec", "dept", "univ", "assn", "bros", "inc", "corp", "co", "ltd",
        "llc", "plc", "no", "nos", "vol", "pp", "fig", "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
        "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat",
        "sun", "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky",
        "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "tenn",
        "tex", "va", "vt", "wash", "wis", "wyo",
        # Dotted two-letter states of wire datelines ("TRENTON, N.J. (AP) --"): Punkt split the dateline off.
        "n.j", "n.m", "n.c", "n.d", "n.h", "r.i", "s.c", "s.d", "w.va",
    ]
)

_STEMMER = SnowballStemmer("english")
# Words only, never punctuation: initialisms with their dots ("U.S."), then
# runs of letters and digits joined by hyphens, apostrophes, dots or "&"
# ("Sino-US", "don't", "1.5", "AT&T"). NLTK's Treebank tokenizer gave the same
# content words but cost 6 s of a 10 s budget on 18,000 sentences (1,000
# articles); this expression does the job 10x faster.
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:[-'’.&][^\W_]+)*")
# The same expression for ASCII text, where a letter is [A-Za-z] and a letter or digit [A-Za-z0-9]:
# the same words, a fifth faster than the Unicode classes (issue 19: every sentence and article is read).
_ASCII_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z0-9]+(?:[-'.&][A-Za-z0-9]+)*")

# "US"/"U.S." is the country, not the pronoun "us" (a stop word).
_COUNTRY_ALIASES = {
    "US": "usa", "U.S.": "usa", "U.S": "usa", "USA": "usa", "U.S.A.": "usa",
    "UK": "britain", "U.K.": "britain", "UN": "un", "U.N.": "un",
}


def _find_words(text: str) -> list[str]:
    """``_WORD.findall(text)``."""
    return (_ASCII_WORD if text.isascii() else _WORD).findall(text)


#: Words that start sentences (lower case): after an abbreviation, one of them capitalised begins a new
#: sentence ("… said Ann Falk, president of Norwood Labs Inc. The company sells …"; "in Los
#: Angeles, Calif. The …"). Punkt reads this list as its frequent sentence starters, which it would
#: otherwise learn from training data. Never one letter: "Dr. A. Smith".
SENTENCE_STARTERS = frozenset([
    "the", "he", "she", "it", "they", "we", "this", "that", "these", "those", "his", "her", "their", "its",
    "there", "however", "meanwhile", "but", "in", "on", "at", "after", "when", "while", "if", "as",
])


@cache
def sentence_tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    params.sent_starters = set(SENTENCE_STARTERS)
    return PunktSentenceTokenizer(params)


@cache
def plain_sentence_tokenizer() -> PunktSentenceTokenizer:
    """:func:`sentence_tokenizer` with its expressions compiled by ``re``: the same spans on printable ASCII."""
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    params.sent_starters = set(SENTENCE_STARTERS)
    return PunktSentenceTokenizer(params, lang_vars=_PlainPunktVars(), token_cls=_PlainPunktToken)


@cache
def stop_words() -> frozenset[str]:
    """sumy's English stop-word list, read from the file sumy ships.

    (``sumy.utils.get_stop_words`` gives the same list but imports ``requests``
    on the way, a third of a second of start-up.)
    """
    from importlib import resources

    text = resources.files("sumy").joinpath("data/stopwords/english.txt").read_text("utf-8")
    return frozenset(word.strip() for word in text.splitlines() if word.strip())


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Character spans of the sentences of ``text``; paragraphs never merge.

    A piece that starts with a lower-case letter continues the previous
    sentence (Punkt split after an abbreviation it did not know, as in
    "Canada–U.S. joint mission"), and so does one after initials Punkt does
    not know ("Monsanto's G.D. Searle & Co. unit"), and one after a title
    ("Gen. He Yong": a frequent sentence starter after it is a name).
    """
    offset = 0
    for paragraph in text.split("\n"):
        for start, end in _paragraph_spans(paragraph):
            yield offset + start, offset + end
        offset += len(paragraph) + 1


@lru_cache(maxsize=65_536)
def _paragraph_spans(paragraph: str) -> tuple[tuple[int, int], ...]:
    """The sentence spans of one paragraph (memoised: copies of a story repeat whole paragraphs)."""
    spans: list[tuple[int, int]] = []
    plain = _PRINTABLE_ASCII.fullmatch(paragraph) is not None
    for start, end in (plain_sentence_tokenizer() if plain else sentence_tokenizer()).span_tokenize(paragraph):
        if spans and (paragraph[start].islower() or _ends_with_initials(paragraph[spans[-1][0]:spans[-1][1]])
                      or _ends_with_title(paragraph[spans[-1][0]:spans[-1][1]])):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    if _CAPS_WORD_END.search(paragraph):
        spans = [piece for span in spans for piece in _after_capitals(paragraph, span)]
    return tuple(spans)


# A notice in capitals run into the text on one line ("… NO PART MAY BE USED WITHOUT CREDIT TO HARBOUR WIRE,
# INC. Storms may …"): its last word's full stop, an abbreviation to Punkt, ends a sentence when the four words
# up to it are in capitals and a word in lower case after a capital follows (an editor's read of D0606 found
# an article's lead lost with the copyright notice it was glued to).
_CAPS_WORD_END = re.compile(r"\b[A-Z][A-Z,&'’-]*[A-Z]\.(?=\s+[A-Z][a-z])")
_CAPS_WORDS_BEFORE = 4


def _after_capitals(paragraph: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """``span`` cut after each notice in capitals inside it (see _CAPS_WORD_END)."""
    start, end = span
    pieces: list[tuple[int, int]] = []
    for match in _CAPS_WORD_END.finditer(paragraph, start, end):
        before = paragraph[start:match.end()].split()[-_CAPS_WORDS_BEFORE:]
        if len(before) == _CAPS_WORDS_BEFORE and all(word.upper() == word and any(c.isalpha() for c in word)
                                                     for word in before):
            pieces.append((start, match.end()))
            start = end - len(paragraph[match.end():end].lstrip())  # the next word
    pieces.append((start, end))
    return pieces


# Initials Punkt does not know ("G.D. Searle", "J.D. Hayworth", "P.O. Box"): a name goes on.
_INITIALS_AT_END = re.compile(r"(?:^|[\s(])((?:[A-Z]\.){2,})$")


# A title before a name ("Gen. He Yong", "Sen. It Lee"): a sentence starter after it is a name.
_TITLE_AT_END = re.compile(rf"\b(?:{'|'.join(title.capitalize() for title in TITLES)})\.$")


def _ends_with_title(sentence: str) -> bool:
    return _TITLE_AT_END.search(sentence) is not None


def _ends_with_initials(sentence: str) -> bool:
    """Does the piece end with two or more initials that are not a known abbreviation ("U.S.", "N.J.")?"""
    match = _INITIALS_AT_END.search(sentence)
    return match is not None and match.group(1).lower().rstrip(".") not in ABBREVIATIONS


def split_sentences(source: Source, spans: Sequence[tuple[int, int]] | None = None) -> tuple[Sentence, ...]:
    """The sentences of a source's cleaned text, with offsets into it."""
    if spans is None:
        spans = tuple(sentence_spans(source.text))
    return tuple(
        Sentence(source.id, index, source.text[start:end], start, end) for index, (start, end) in enumerate(spans)
    )


@lru_cache(maxsize=65_536)
def words(text: str) -> tuple[str, ...]:
    """Word tokens (punctuation dropped), original case.

    Memoised: corroboration, ranking and planning all ask for the words of the
    same sentences.
    """
    return tuple(_find_words(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_STEMMER.stem(word))


@lru_cache(maxsize=200_000)
def _token(word: str) -> tuple[str, bool]:
    """A word's stem and whether it is a stop word; "US"/"U.S." is the country."""
    alias = _COUNTRY_ALIASES.get(word)
    if alias is not None:
        return alias, False
    lowered = word.lower().strip("'’") or word.lower()
    return stem(lowered), lowered in stop_words()


@lru_cache(maxsize=65_536)
def stem_tokens(text: str) -> tuple[tuple[str, bool], ...]:
    """Every word stemmed and lower-cased, with whether it is a stop word.

    Memoised: corroboration and ranking both need them for every sentence.
    """
    return tuple(map(_token, words(text)))


def content_stems(text: str) -> tuple[str, ...]:
    """Stemmed content words: lower-cased, stop words and punctuation removed."""
    return tuple([token for token, is_stop in stem_tokens(text) if not is_stop])


def content_stems_unmemoised(text: str) -> tuple[str, ...]:
    """:func:`content_stems` of a text read once (a whole article), kept out of the sentence memos.

    :func:`words` and :func:`stem_tokens` memoise sentences, which the
    pipeline asks for again and again; a whole article's tokens there were
    never asked for again, yet stayed until 65,536 newer sentences pushed
    them out: about 220 MB per 5,000 articles at the build's peak (issue 19).
    A paragraph's stems are memoised instead (a bounded few MB): copies and
    mixes of stories repeat whole paragraphs, and no word spans a line
    break, so the stems of the lines, joined, are those of the text (at
    10,000 articles, most of them recombined, they were a quarter of the time
    of finding the articles off the story).
    """
    if "\n" not in text:
        return _paragraph_stems(text)
    return tuple(chain.from_iterable(map(_paragraph_stems, text.split("\n"))))


@lru_cache(maxsize=32_768)
def _paragraph_stems(paragraph: str) -> tuple[str, ...]:
    """:func:`content_stems_unmemoised` of one line."""
    return tuple([token for token, is_stop in map(_token, _find_words(paragraph)) if not is_stop])


@lru_cache(maxsize=65_536)
def concept_bigrams(text: str) -> frozenset[tuple[str, str]]:
    """Adjacent stemmed word pairs, except pairs of two stop words ("of the").

    These are the *concepts* a summary covers: "secretari of", "of state" and
    "state antoni" say more than the bag of words "secretari state antoni".
    """
    tokens = stem_tokens(text)
    # A list, then the set: the same pairs in the same order, a fifth faster than a generator (issue 19).
    return frozenset([
        (a, b) for (a, a_stop), (b, b_stop) in pairwise(tokens) if not (a_stop and b_stop)]
    )


def word_count(text: str) -> int:
    return len(words(text))


def segment(
    sources: Sequence[Source], *, spans: Mapping[str, tuple[tuple[int, int], ...]] | None = None,
) -> tuple[Sentence, ...]:
    """All sentences of all sources, source by source, in reading order.

    A text seen before (a word-for-word copy) is not split again. ``spans``:
    the sentence spans of texts already split (:func:`text_spans`, half of
    them by the second process: :func:`briefing.pipeline.analyse`).
    """
    known = dict(spans or {})
    out: list[Sentence] = []
    for source in sources:
        if source.text not in known:
            known[source.text] = tuple(sentence_spans(source.text))
        out.extend(split_sentences(source, known[source.text]))
    return tuple(out)


def text_spans(texts: Sequence[str]) -> list[tuple[tuple[int, int], ...]]:
    """The sentence spans of each text (a job for the second process: small to send back)."""
    return [tuple(sentence_spans(text)) for text in texts]

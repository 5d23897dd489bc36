"""Quantities: the figures a sentence states, with their bounds, unit and subject.

``extract_quantities("Blinken held more than 7-1/2 hours of talks")`` gives one
:class:`Quantity`: value 7.5, low 7.5, high inf, unit "hour", noun "talks".

Written by hand rather than with a number-words package: word2number and
text2num turn "seven hundred" into 700 but know nothing of "seven and a half",
"7-1/2", "half a decade", "two dozen", "a third of", bounds ("more than"),
units or the noun a figure measures, which is most of the work here. Number
words are a closed set, so a table and a dozen lines of arithmetic suffice.

The module is pure: compiled regexes and constant tables are its only state.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import NamedTuple

__all__ = ["Quantity", "extract_quantities", "lemma", "may_state_quantities"]


@dataclass(frozen=True)
class Quantity:
    """One figure in a sentence.

    ``low``/``high`` bound the true value as the sentence states it: equal to
    ``value`` for an exact figure, ``inf`` above "more than 3", a ±10 % band
    for "about 40". ``precision`` is half the step of the last written digit
    ("7" → 0.5, "7.5" → 0.05, "3 million" → 300,000), the slack that rounding
    allows; it is 0 for small counts of discrete things, which are exact.
    ``unit`` is canonical ("hour", "percent", "usd", "person", "date", "clock")
    or the lemma of the counted noun ("ship"), "" when there is none.
    ``noun`` is what the figure measures ("talks", "killed", "meeting").
    ``role`` says what the figure is: "amount" (the default), "change" (a
    difference: "up 5%", "two hours longer than planned"), "from" (the
    starting point of a change: "from 10 acres"), "ago" ("20 years ago"), or
    "window" (a span of reference or a frequency: "in the past 11 years",
    "every three years"), "ratio" ("one out of 10 children"), "ranked"
    ("the three largest settlements": a selection, not a total) or
    "conversion" (the figure before it again in another unit, in brackets:
    "13 miles (22 km)"). Only
    amounts state how much of something there is. ``vague`` marks "dozens
    of", "thousands of": a band, not a figure.
    """

    text: str
    start: int
    end: int
    value: float
    low: float
    high: float
    unit: str
    noun: str = ""
    qualifier: str = ""
    precision: float = 0.0
    role: str = "amount"
    vague: bool = False

    @property
    def exact(self) -> bool:
        """True when the sentence states one value, not a bound or a band."""
        return self.low == self.high

    @property
    def compared_role(self) -> str:
        """The role a comparison reads: a conversion measures what an amount does."""
        return "amount" if self.role == "conversion" else self.role


# --- vocabulary -------------------------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_MULTIPLIERS = {"hundred": 100, "dozen": 12}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NUMBER_WORDS = frozenset(_SMALL) | frozenset(_TENS) | frozenset(_MULTIPLIERS) | frozenset(_SCALES)
# Attached to digits: "$2.5bn", "3mn". Bare "m"/"b"/"k" only count as scales
# next to a currency, since "100m" alone is usually metres.
_SCALE_ABBREVIATIONS = {"bn": 1e9, "mn": 1e6, "mln": 1e6, "tn": 1e12, "trn": 1e12}
_CURRENCY_SCALE_ABBREVIATIONS = {"m": 1e6, "b": 1e9, "k": 1e3}
_ATTACHED_UNITS = {"km": "kilometer", "kg": "kilogram", "mph": "mph", "kph": "kph",
                   "cm": "centimeter", "mm": "millimeter", "m": "meter", "ft": "foot",
                   "mw": "megawatt", "gw": "gigawatt", "kw": "kilowatt"}
# One unit however written: "19,000 sq. kms" and "31,000 square kilometers" measure the same thing.
_UNIT_SPELLINGS = {"km": "kilometer", "kms": "kilometer", "kilometre": "kilometer", "metre": "meter",
                   "centimetre": "centimeter", "millimetre": "millimeter", "mi": "mile", "ft": "foot",
                   "kg": "kilogram", "kgs": "kilogram", "lb": "pound", "lbs": "pound"}
# "½" and friends, and the denominators of "1/2", "a third of".
_GLYPHS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3,
           "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875}
_FRACTION_WORDS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4,
                   "quarters": 4, "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}
# "dozens of" … "millions of": vague but bounded (value, low, high).
_VAGUE_PLURALS = {"dozens": (24.0, 24.0, 144.0), "hundreds": (200.0, 200.0, 1e3),
                  "thousands": (2e3, 2e3, 1e5), "millions": (2e6, 2e6, 1e9),
                  "billions": (2e9, 2e9, 1e12)}

_VAGUE_SCALES = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}

# Time units: canonical unit and factor ("decade" is ten years).
_TIME_UNITS: dict[str, tuple[str, float]] = {}
for _names, _canonical, _factor in (
    (("second", "seconds", "sec", "secs"), "second", 1.0),
    (("minute", "minutes", "min", "mins"), "minute", 1.0),
    (("hour", "hours", "hr", "hrs"), "hour", 1.0),
    (("day", "days"), "day", 1.0),
    (("week", "weeks"), "week", 1.0),
    (("fortnight", "fortnights"), "day", 14.0),
    (("month", "months"), "month", 1.0),
    (("year", "years", "yr", "yrs"), "year", 1.0),
    (("decade", "decades"), "year", 10.0),
    (("century", "centuries"), "year", 100.0),
):
    for _name in _names:
        _TIME_UNITS[_name] = (_canonical, _factor)
_SINGULAR_TIME_UNITS = frozenset(
    {"second", "sec", "minute", "min", "hour", "hr", "day", "week", "fortnight",
     "month", "year", "yr", "decade", "century"})

_CURRENCY_SYMBOLS = {"$": "usd", "€": "eur", "£": "gbp", "¥": "jpy", "₹": "inr"}
# Letters written against "$": "US$5", "A$3", "HK$10".
_DOLLAR_PREFIXES = {"us": "usd", "a": "aud", "au": "aud", "c": "cad", "ca": "cad",
                    "hk": "hkd", "nz": "nzd", "s": "sgd"}
_CURRENCY_WORDS = {"dollar": "usd", "dollars": "usd", "euro": "eur", "euros": "eur",
                   "sterling": "gbp", "yen": "jpy", "yuan": "cny", "renminbi": "cny",
                   "rupees": "inr", "usd": "usd", "eur": "eur", "gbp": "gbp",
                   "jpy": "jpy", "cny": "cny"}
#: Every currency unit a quantity can have ("usd", "eur", …): a sum of money.
CURRENCY_UNITS = frozenset({*_CURRENCY_SYMBOLS.values(), *_DOLLAR_PREFIXES.values(), *_CURRENCY_WORDS.values()})
_PERSON_WORDS = frozenset({"people", "persons", "person"})
# "all 217 aboard", "the 12 on board": a count of the people on a vehicle.
_ON_BOARD = frozenset({"aboard", "onboard"})
# A count followed directly by one of these counts people: "12 killed".
_PERSON_PARTICIPLES = frozenset(
    {"killed", "dead", "injured", "wounded", "missing", "hurt", "died", "arrested",
     "detained", "displaced", "evacuated", "rescued", "hospitalised", "hospitalized"})
_AUXILIARIES = frozenset({"were", "was", "are", "is", "been", "have", "has", "had", "be",
                          "reportedly", "later", "also", "confirmed", "now", "feared"})

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_CLOCK_WORDS = frozenset({"am", "pm", "gmt", "utc", "et", "edt", "est", "bst", "cet",
                          "cest", "pt", "pdt", "pst", "jst", "hrs", "o'clock"})

# Bounds before a figure, longest first so "no more than" wins over "more than".
_BOUND_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = tuple(sorted(
    (
        (tuple(phrase.split()), kind)
        for kind, phrases in (
            ("min", ("more than", "greater than", "longer than", "over", "above",
                     "exceeding", "in excess of", "upwards of", "north of", "at least",
                     "no fewer than", "no less than", "not less than", "a minimum of",
                     "well over", "well above", "a record")),
            ("just_over", ("just over", "just above", "slightly more than",
                           "a little over", "a little more than", "just more than")),
            ("nearly", ("nearly", "almost", "just under", "just below", "close to",
                        "not quite", "just shy of", "slightly less than",
                        "a little under", "a little less than", "just less than")),
            ("approx", ("about", "around", "roughly", "some", "approximately", "approx",
                        "an estimated", "estimated", "circa", "~", "in the region of",
                        "give or take", "nearly about")),
            ("max", ("up to", "as many as", "as much as", "at most", "no more than",
                     "not more than", "a maximum of", "fewer than", "less than", "under",
                     "below", "shorter than", "at the most", "well under", "well below")),
        )
        for phrase in phrases
    ),
    key=lambda item: -len(item[0]),
))
# The same phrases by their last word, so a lookup checks only a few.
_BOUNDS_BY_LAST_WORD: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {}
for _phrase, _kind in _BOUND_PHRASES:
    _BOUNDS_BY_LAST_WORD[_phrase[-1]] = (*_BOUNDS_BY_LAST_WORD.get(_phrase[-1], ()), (_phrase, _kind))
_SUFFIX_BOUNDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("or", "more"), "min"), (("or", "over"), "min"), (("plus",), "min"),
    (("or", "so"), "approx"), (("odd",), "approx"),
    (("or", "fewer"), "max"), (("or", "less"), "max"),
)
#: Half-width of the band around "about N", as a share of N.
APPROXIMATION = 0.10
# A difference, not an amount: "an hour more than expected", "up 5%".
_COMPARATIVES = frozenset({"more", "less", "fewer", "longer", "shorter", "higher",
                           "lower", "bigger", "smaller", "larger", "earlier", "later",
                           "greater", "faster", "slower", "cheaper", "dearer"})

# Words that end a noun phrase: the counted noun is never past one of these.
_FUNCTION_WORDS = _wordset(
    """
    of in on at to for from by with and or but nor as than that which who whom whose
    when where while if because so the a an this these those its their his her our
    my your was were is are be been being have has had do does did will would could
    should may might must can shall said says say ago later earlier before after since
    each per more less fewer times apiece away long old until till into onto over
    under about around during between among against within without through across
    up down out off then there here it they them he she we you i not no also just
    only even still again all both either neither other another such what how why
    """
)
# Adjectives often found between a figure and its noun ("two top diplomats").
_SKIPPED_ADJECTIVES = _wordset(
    """
    top senior junior other more additional new old young key major minor main
    small large big huge local foreign civilian military armed unarmed former current
    further extra separate different several many few full whole entire total
    consecutive straight successive straight remaining estimated reported
    """
)
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "our", "this",
                          "that", "these", "those", "some", "all"})
_QUOTES = frozenset({'"', "“", "”", "'", "‘", "’", "«", "»"})
_DASHES = frozenset({"-", "–", "—", "‑"})

_IRREGULAR_PLURALS = {
    "people": "person", "persons": "person", "men": "man", "women": "woman",
    "children": "child", "feet": "foot", "teeth": "tooth", "mice": "mouse",
    "geese": "goose", "lives": "life", "wives": "wife", "knives": "knife",
    "halves": "half", "leaves": "leaf", "thieves": "thief", "crises": "crisis",
    "analyses": "analysis", "indices": "index", "criteria": "criterion",
    "phenomena": "phenomenon", "talks": "talk", "aircraft": "aircraft",
    "series": "series", "species": "species", "peoples": "peoples", "news": "news", "police": "police",
}

# Cheap pre-check: a digit or fraction glyph, or a number word (a set lookup
# over the words, three times faster than one regex alternation of them all).
_HAS_DIGIT = re.compile(r"[\d½¼¾⅓⅔⅛⅜⅝⅞]")
_LOWER_WORD = re.compile(r"[a-z]+")
_TRIGGER_WORDS = _NUMBER_WORDS | frozenset(_VAGUE_PLURALS) | frozenset(_FRACTION_WORDS)
# Tokens that can begin a number: digits, glyphs, number words, "a dozen",
# "half a decade", "dozens of", "tens of thousands".
_NUMBER_STARTS = (_TRIGGER_WORDS | frozenset("0123456789") | frozenset(_GLYPHS)
                  | frozenset({"a", "an", "tens"}))
# Words first: most tokens are words, and trying the number patterns first at
# every position made tokenising four times slower. Fraction glyphs count as
# letters to ``\w``, so the word class leaves them out.
_AFTER_ARTICLE = (frozenset(_MULTIPLIERS) | frozenset(_SCALES) | frozenset(_FRACTION_WORDS)
                  | frozenset(_TIME_UNITS))
_TOKEN = re.compile(
    r"[^\W\d_½¼¾⅓⅔⅛⅜⅝⅞]+(?:['’][^\W\d_½¼¾⅓⅔⅛⅜⅝⅞]+)?"  # words, "o'clock", "world's"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)"  # 1,200,000.5
    r"|\d+(?:\.\d+)?"  # 7, 4.30, 2018
    r"|\S"  # punctuation, symbols, glyphs
)


class _Tok(NamedTuple):
    """A token with its offsets (a tuple: sentences make many of them)."""

    text: str
    low: str
    start: int
    end: int

    @property
    def is_digits(self) -> bool:
        return self.text[0].isdigit()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()


@dataclass(frozen=True, slots=True)
class _Number:
    """A number's value and the tokens it spans, before context is read."""

    value: float
    first: int
    end: int  # token index past the number
    precision: float  # rounding half-width of the written form
    digits: bool
    decimals: bool = False  # written with a fraction or decimals: not rounded
    bare_one: bool = False  # "one" alone: mostly a pronoun ("one of them")
    vague: tuple[float, float] | None = None  # bounds of "dozens of", "thousands of"
    of_fraction: bool = False  # "a third of", "half of": a share, in percent


def lemma(word: str) -> str:
    """A noun's singular form by plain English rules ("countries" → "country")."""
    w = word.lower()
    if w in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _looks_plural(word: str) -> bool:
    return lemma(word) != word.lower()


def _tokenize(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    add = out.append
    make = tuple.__new__  # what _Tok(...) calls, without its Python-level __new__ (a third faster, issue 19)
    for match in _TOKEN.finditer(text):
        word = match.group()
        start, end = match.span()
        add(make(_Tok, (word, word.lower(), start, end)))
    return out


def _adjacent(toks: list[_Tok], a: int, b: int) -> bool:
    return 0 <= a < len(toks) and 0 <= b < len(toks) and toks[a].end == toks[b].start


def _low(toks: list[_Tok], k: int) -> str:
    return toks[k].low if 0 <= k < len(toks) else ""


def _match_words(toks: list[_Tok], k: int, words: tuple[str, ...]) -> int | None:
    """Index past ``words`` matched from token ``k``; hyphens between them are skipped."""
    for n, word in enumerate(words):
        if n and _low(toks, k) in _DASHES and _adjacent(toks, k - 1, k):
            k += 1
        if _low(toks, k) != word:
            return None
        k += 1
    return k


def _rounding(value: float, *, decimals: int = 0) -> float:
    """Half the step of the last written digit, at most a tenth of the value."""
    if decimals:
        step = 10.0 ** -decimals
    else:
        step = 1.0
        n = round(abs(value))
        while n and n % 10 == 0:
            n //= 10
            step *= 10.0
    return min(0.5 * step, 0.1 * abs(value)) if value else 0.5 * step


# --- numbers ------------------------------------------------------------------


def _fraction_after(toks: list[_Tok], k: int) -> tuple[float, int] | None:
    """A fraction after an integer: "-1/2", " 1/2", "½"; (fraction, end index)."""
    tok = toks[k] if k < len(toks) else None
    if tok is None:
        return None
    if tok.text in _GLYPHS and (_adjacent(toks, k - 1, k) or toks[k - 1].end + 1 == tok.start):
        return _GLYPHS[tok.text], k + 1
    start = k + 1 if tok.text in _DASHES and _adjacent(toks, k - 1, k) else k
    if start == k and _adjacent(toks, k - 1, k):
        return None  # "7/2" would be a ratio or a date, not 7 + n/d
    simple = _simple_fraction(toks, start)
    if simple is None or (start > k and not _adjacent(toks, k, start)):
        return None
    return simple


def _simple_fraction(toks: list[_Tok], k: int) -> tuple[float, int] | None:
    """"1/2", "3/4": numerator below a small denominator, so "6/19" is not one."""
    if k + 2 >= len(toks) or toks[k + 1].text != "/":
        return None
    num, den = toks[k], toks[k + 2]
    if not (num.text.isdigit() and den.text.isdigit()):
        return None
    if not (_adjacent(toks, k, k + 1) and _adjacent(toks, k + 1, k + 2)):
        return None
    n, d = int(num.text), int(den.text)
    if d not in (2, 3, 4, 8) or not 0 < n < d:
        return None
    return n / d, k + 3


def _half_tail(toks: list[_Tok], k: int) -> tuple[float, int] | None:
    """ "and a half", "a half" (a common slip), "and three quarters" after a number."""
    if _low(toks, k) not in ("and", "a") and _low(toks, k) not in _DASHES:
        return None
    for words, extra in (
        (("and", "a", "half"), 0.5), (("and", "one", "half"), 0.5), (("a", "half"), 0.5),
        (("and", "a", "quarter"), 0.25), (("and", "three", "quarters"), 0.75),
    ):
        start = k + 1 if _low(toks, k) in _DASHES and _adjacent(toks, k - 1, k) else k
        end = _match_words(toks, start, words)
        if end is not None:
            return extra, end
    return None


def _parse_words(toks: list[_Tok], i: int) -> tuple[float, int, float] | None:
    """Cardinal number words from token ``i``: (value, end index, rounding)."""
    total = 0.0
    current = 0.0
    prev = ""  # kind of the previous word: small, tens, mult, scale
    k = i
    end = i
    while k < len(toks):
        word = toks[k].low
        if word in _SMALL:
            if prev in ("small", "mult-small") or (prev == "tens" and _SMALL[word] >= 10):
                break  # "one two" is two numbers, "twenty twelve" a year
            if prev == "tens" and _SMALL[word] == 0:
                break
            current += _SMALL[word]
            prev = "small"
        elif word in _TENS:
            if prev in ("small", "tens"):
                break
            current += _TENS[word]
            prev = "tens"
        elif word in _MULTIPLIERS:
            current = (current or 1.0) * _MULTIPLIERS[word]
            prev = "mult"
        elif word in _SCALES:
            total += (current or 1.0) * _SCALES[word]
            current = 0.0
            prev = "scale"
        else:
            break
        end = k + 1
        nxt = k + 1
        # Hyphens join number words ("twenty-three"); "and" follows a hundred or a scale.
        if _low(toks, nxt) in _DASHES and _adjacent(toks, k, nxt) and _low(toks, nxt + 1) in _NUMBER_WORDS:
            nxt += 1
        elif _low(toks, nxt) == "and" and prev in ("mult", "scale") and (
            _low(toks, nxt + 1) in _SMALL or _low(toks, nxt + 1) in _TENS
        ):
            nxt += 1
            prev = "mult-small" if prev == "mult" else "scale"
        k = nxt
    if end == i:
        return None
    value = total + current
    return value, end, _rounding(value)


def _parse_number(toks: list[_Tok], i: int) -> _Number | None:
    """The number that starts at token ``i``, if any (digits, glyphs or words)."""
    tok = toks[i]
    if tok.is_digits:
        raw = tok.text.replace(",", "")
        value = float(raw)
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        end = i + 1
        precision = _rounding(value, decimals=decimals)
        has_fraction = bool(decimals)
        if "," not in tok.text and "." not in tok.text and _low(toks, i + 1) == "/" and _adjacent(toks, i, i + 1):
            simple = _simple_fraction(toks, i)
            if simple is None:
                return _Number(value, i, end, precision, digits=True, decimals=has_fraction)
            return _Number(simple[0], i, simple[1], 0.25 * simple[0], digits=True, decimals=True)
        if not decimals:
            fraction = _fraction_after(toks, end) or _half_tail(toks, end)
            if fraction is not None:
                value += fraction[0]
                end = fraction[1]
                precision = 0.05
                has_fraction = True
        return _Number(value, i, end, precision, digits=True, decimals=has_fraction)
    if tok.text in _GLYPHS:
        return _Number(_GLYPHS[tok.text], i, i + 1, 0.05, digits=True, decimals=True)
    word = tok.low
    if (word in _VAGUE_PLURALS or word == "tens") and _low(toks, i + 1) == "of":
        value, low, high = _VAGUE_PLURALS.get(word, (20.0, 20.0, 100.0))
        end = i + 1
        # "hundreds of thousands", "tens of millions": the vague count scales.
        if _low(toks, i + 2) in _VAGUE_SCALES and _low(toks, i + 3) == "of":
            scale = _VAGUE_SCALES[_low(toks, i + 2)]
            value, low, high, end = value * scale, low * scale, high * scale, i + 3
        elif word == "tens":
            return None
        return _Number(value, i, end, 0.0, digits=False, vague=(low, high))
    if word in ("a", "an", "one", "half", "quarter"):
        special = _article_number(toks, i)
        if special is not None:
            return special
    if word not in _NUMBER_WORDS or word in _MULTIPLIERS or word in _SCALES:
        return None  # "thousand" alone ("a few thousand") is not a count
    parsed = _parse_words(toks, i)
    if parsed is None:
        return None
    value, end, precision = parsed
    has_fraction = False
    tail = _half_tail(toks, end)
    if tail is not None:
        value += tail[0]
        end = tail[1]
        precision = 0.05
        has_fraction = True
    elif _low(toks, end) in _DASHES and _adjacent(toks, end - 1, end) and _low(toks, end + 1) in _FRACTION_WORDS:
        shared = _share_of(toks, end + 1, value, i)  # "two-thirds of"
        if shared is not None:
            return shared
    elif _low(toks, end) in _FRACTION_WORDS:
        shared = _share_of(toks, end, value, i)  # "two thirds of"
        if shared is not None:
            return shared
    bare = toks[i].low == "one" and end == i + 1
    return _Number(value, i, end, precision, digits=False, decimals=has_fraction, bare_one=bare)


def _share_of(toks: list[_Tok], k: int, count: float, first: int) -> _Number | None:
    """ "a third of", "two-thirds of": a share of a whole, expressed in percent."""
    if _low(toks, k + 1) != "of" or _low(toks, k) not in _FRACTION_WORDS:
        return None
    value = 100.0 * count / _FRACTION_WORDS[_low(toks, k)]
    # "A third" is loose wording: allow a tenth either way.
    return _Number(value, first, k + 1, 0.1 * value, digits=False, of_fraction=True)


def _article_number(toks: list[_Tok], i: int) -> _Number | None:
    """ "a dozen", "a million", "half a decade", "a third of", "an hour and a half"."""
    word = toks[i].low
    nxt = _low(toks, i + 1)
    of_scale = _fraction_of_scale(toks, i + 1 if word in ("a", "an") else i)
    if of_scale is not None:
        return of_scale  # "a half-million", "a quarter million", "half-million"
    if word in ("a", "an"):
        if nxt in _MULTIPLIERS or nxt in _SCALES:
            parsed = _parse_words(toks, i + 1)
            if parsed is not None:
                return _Number(parsed[0], i, parsed[1], parsed[2], digits=False)
        if nxt == "half" and _unit_word_at(toks, i + 2) in _TIME_UNITS:
            return _Number(0.5, i, i + 2, 0.05, digits=False, decimals=True)  # "a half hour"
        if nxt in _FRACTION_WORDS:
            return _share_of(toks, i + 1, 1.0, i)
        if nxt in _TIME_UNITS and _half_tail(toks, i + 2) is not None:
            return _Number(1.0, i, i + 1, 0.05, digits=False)  # "an hour and a half"
        return None
    if word == "one" and nxt in _FRACTION_WORDS:
        return _share_of(toks, i + 1, 1.0, i)
    if word == "half":
        if nxt == "of":
            return _Number(50.0, i, i + 1, 5.0, digits=False, of_fraction=True)
        if nxt in ("a", "an"):
            after = _low(toks, i + 2)
            if after in _SCALES or after in _MULTIPLIERS:
                return _Number(0.5 * (_SCALES.get(after) or _MULTIPLIERS[after]), i, i + 3,
                               0.05 * (_SCALES.get(after) or _MULTIPLIERS[after]), digits=False)
            if after in _TIME_UNITS:
                return _Number(0.5, i, i + 2, 0.05, digits=False, decimals=True)
    return None


def _fraction_of_scale(toks: list[_Tok], k: int) -> _Number | None:
    """ "half-million", "half million", "quarter-million" at token ``k`` (after "a", when there is one).

    An editor's read of D0612 found "a half-million Americans" read as no figure
    beside "half a million" and "500,000" in other outlets.
    """
    fraction = {"half": 0.5, "quarter": 0.25}.get(_low(toks, k))
    if fraction is None:
        return None
    after = k + 1
    if _low(toks, after) in _DASHES and _adjacent(toks, k, after):
        after += 1
    scale = _SCALES.get(_low(toks, after))
    if scale is None:
        return None
    first = k - 1 if k > 0 and _low(toks, k - 1) in ("a", "an") else k
    return _Number(fraction * scale, first, after + 1, 0.05 * scale, digits=False)


def _unit_word_at(toks: list[_Tok], k: int) -> str:
    """The word at ``k``, or after a hyphen there ("-hour")."""
    if _low(toks, k) in _DASHES and _adjacent(toks, k - 1, k):
        return _low(toks, k + 1)
    return _low(toks, k)


# --- context --------------------------------------------------------------------


def _is_identifier(toks: list[_Tok], i: int) -> bool:
    """Digits glued to letters are names, not amounts: "G20", "F-16", "COVID-19", "No. 3"."""
    if not toks[i].is_digits:
        return False
    if i and _adjacent(toks, i - 1, i):
        prev = toks[i - 1]
        if prev.is_word or prev.text == "#":
            return True
        if prev.text in _DASHES and i >= 2 and _adjacent(toks, i - 2, i - 1) and toks[i - 2].is_word:
            return toks[i - 2].low != "mid"  # "mid-2018" is a date
        if (prev.text in _DASHES and i >= 2 and _adjacent(toks, i - 2, i - 1) and toks[i - 2].is_digits
                and len(toks[i - 2].text) == len(toks[i].text) and toks[i - 2].text.isdigit()
                and toks[i].text.isdigit() and int(toks[i - 2].text) > int(toks[i].text)):
            # "Boeing 767-300": a model's number, not a range ("20-25") nor a count ("300 died" had made 300
            # deaths of a crash that killed 217)
            return True
    return i >= 2 and toks[i - 1].text == "." and toks[i - 2].text in ("No", "no", "Nos")


def _date_or_clock(
    text: str, toks: list[_Tok], num: _Number,
) -> tuple[Quantity, int] | None:
    """Dates ("June 19", "19 June 2023", "since 2018") and clock times ("4.30 pm")."""
    i, end = num.first, num.end
    tok = toks[i]
    if not tok.is_digits or end != i + 1:
        return None  # "7-1/2", "7½": never a date or a time
    raw = tok.text
    clock = _clock(toks, i)
    if clock is not None:
        value, stop = clock
        q = Quantity(text[tok.start:toks[stop - 1].end], tok.start, toks[stop - 1].end,
                     value, value, value, "clock")
        return q, stop
    if "," in raw or "." in raw or num.decimals:
        return None
    n = int(raw)
    month_before = _month_before(toks, i)
    if month_before and 1 <= n <= 31:
        first, month = month_before
        value = float(month * 100 + n)
        stop = end
        if _low(toks, stop) in _DASHES and stop + 1 < len(toks) and toks[stop + 1].text.isdigit() \
                and _adjacent(toks, stop - 1, stop) and int(toks[stop + 1].text) <= 31:
            stop += 2  # "June 18-19"
        if _low(toks, stop) == "," and stop + 1 < len(toks) and _is_year(toks[stop + 1].text):
            value += int(toks[stop + 1].text) * 10000
            stop += 2
        return _date(text, toks, first, stop, value), stop
    if 1 <= n <= 31 and _low(toks, end) in _MONTHS and toks[end].text[0].isupper():
        stop = end + 1
        value = float(_MONTHS[toks[end].low] * 100 + n)
        if stop < len(toks) and _is_year(toks[stop].text):
            value += int(toks[stop].text) * 10000
            stop += 1
        return _date(text, toks, i, stop, value), stop
    if _is_year(raw):
        after = _unit_word_at(toks, end)
        # "2018 people" is a count; "in 2018", "the 2018 elections" are years
        # (news prints counts that large with a comma: "2,018 troops").
        counted = (after in _TIME_UNITS or after in _PERSON_WORDS or after in _CURRENCY_WORDS
                   or after in _PERSON_PARTICIPLES or after in ("%", "percent"))
        prefix_currency = i > 0 and toks[i - 1].text in _CURRENCY_SYMBOLS
        if not counted and not prefix_currency and not _bound_before(toks, i):
            first = month_before[0] if month_before else i
            value = float(n) if not month_before else float(n * 100 + month_before[1])
            stop = end
            # "2018-19", "2018–2019": a season or span of years.
            if _low(toks, stop) in _DASHES and stop + 1 < len(toks) and toks[stop + 1].is_digits:
                stop += 2
            return _date(text, toks, first, stop, value), stop
    return None


def _clock(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    """(hours since midnight, end index) of "4.30 pm", "10:30 a.m.", "0830 GMT"."""
    raw = toks[i].text
    end = i + 1
    minutes = "0"
    if "." in raw:
        raw, minutes = raw.split(".", 1)
    elif _low(toks, end) == ":" and _adjacent(toks, i, end) and end + 1 < len(toks) \
            and toks[end + 1].text.isdigit() and len(toks[end + 1].text) == 2:
        minutes = toks[end + 1].text
        end += 2
    elif len(raw) == 4 and raw.isdigit() and _low(toks, end) in _CLOCK_WORDS:
        raw, minutes = raw[:2], raw[2:]  # "0830 GMT"
    if not raw.isdigit() or not (minutes == "0" or (minutes.isdigit() and len(minutes) == 2)):
        return None
    suffix = _low(toks, end)
    pm = suffix == "pm"
    if suffix in _CLOCK_WORDS:
        end += 1
    elif suffix in ("a", "p") and _low(toks, end + 1) == "." and _low(toks, end + 2) == "m":
        pm = suffix == "p"
        end += 4 if _low(toks, end + 3) == "." else 3
    elif end == i + 1 or ("." in toks[i].text):
        return None  # a plain number, or a decimal such as "4.30" with no am/pm
    hours, mins = int(raw), int(minutes)
    if hours > 24 or mins >= 60:
        return None
    if pm and hours < 12:
        hours += 12
    return hours + mins / 60, end


def _date(text: str, toks: list[_Tok], first: int, stop: int, value: float) -> Quantity:
    start, end = toks[first].start, toks[stop - 1].end
    return Quantity(text[start:end], start, end, value, value, value, "date")


def _is_year(raw: str) -> bool:
    return len(raw) == 4 and raw.isdigit() and 1800 <= int(raw) <= 2099


def _month_before(toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """(token index, month) of a month name just before token ``i`` ("June 19", "Jun. 19")."""
    k = i - 1
    if _low(toks, k) == ".":
        k -= 1
    if k >= 0 and toks[k].low in _MONTHS and toks[k].text[0].isupper():
        return k, _MONTHS[toks[k].low]
    return None


def _bound_before(toks: list[_Tok], i: int) -> tuple[str, int] | None:
    """(kind, first token) of a bound phrase ending just before token ``i``."""
    for words, kind in _BOUNDS_BY_LAST_WORD.get(_low(toks, i - 1), ()):
        first = i - len(words)
        if first < 0:
            continue
        if all(toks[first + n].low == w for n, w in enumerate(words)):
            return kind, first
    return None


def _currency_before(toks: list[_Tok], i: int) -> tuple[str, int] | None:
    """(currency, first token) of "$", "US$", "€", "USD " just before token ``i``."""
    k = i - 1
    if k < 0:
        return None
    if toks[k].text in _CURRENCY_SYMBOLS:
        currency = _CURRENCY_SYMBOLS[toks[k].text]
        if toks[k].text == "$" and k and _adjacent(toks, k - 1, k) and toks[k - 1].low in _DOLLAR_PREFIXES:
            return _DOLLAR_PREFIXES[toks[k - 1].low], k - 1
        return currency, k
    if toks[k].text.isupper() and toks[k].low in ("usd", "eur", "gbp", "jpy", "cny"):
        return toks[k].low, k
    return None


def _scale_after(toks: list[_Tok], k: int, *, currency: bool) -> tuple[float, int] | None:
    """ "million", "bn", "m" (with a currency) after digits: (factor, end index)."""
    word = _low(toks, k)
    if word in _SCALES:
        return _SCALES[word], k + 1
    if _adjacent(toks, k - 1, k):
        if word in _SCALE_ABBREVIATIONS:
            return _SCALE_ABBREVIATIONS[word], k + 1
        if currency and word in _CURRENCY_SCALE_ABBREVIATIONS:
            return _CURRENCY_SCALE_ABBREVIATIONS[word], k + 1
    return None


def _skip_modifiers(toks: list[_Tok], k: int) -> int:
    """Past quotes, quoted adjectives, "and", commas and determiners."""
    in_quote = False
    while k < len(toks):
        tok = toks[k]
        if tok.text in _QUOTES:
            in_quote = not in_quote if tok.text in ('"', "'") else tok.text in ("“", "‘", "«")
        elif in_quote or tok.low in ("and", ",") or tok.low in _DETERMINERS:
            pass
        else:
            return k
        k += 1
    return k


# Plural nationalities: "Americans", "Britons", "Iraqis", "Palestinians".
_DEMONYM = re.compile(r"^[A-Z][a-z]{2,}(?:ans|ons|is)$")


def _head_noun(toks: list[_Tok], k: int, *, plural: bool, names: bool = False) -> tuple[str, int] | None:
    """The noun a figure counts, from token ``k``: (word, index).

    Without a tagger: among the next three words before a function word, the
    first that looks plural when a plural is expected ("two top diplomats"),
    else the first; capitalised words (nationalities) and common adjectives
    are passed over.
    """
    candidates: list[int] = []
    demonym: int | None = None
    while k < len(toks) and len(candidates) < 3:
        tok = toks[k]
        if tok.text in _DASHES and _adjacent(toks, k - 1, k):
            k += 1
            continue
        if tok.low in ("sq", "square"):  # "19,000 sq. kms": the unit is what follows
            k += 2 if k + 1 < len(toks) and toks[k + 1].text == "." else 1
            continue
        if not tok.is_word or tok.low in _FUNCTION_WORDS:
            break
        if (tok.text[0].isupper() and not names) or tok.low in _SKIPPED_ADJECTIVES \
                or tok.low.endswith("est") or tok.low in _RANKING_WORDS:
            if tok.text[0].isupper() and not names and _DEMONYM.search(tok.text):
                demonym = k
            k += 1
            continue
        candidates.append(k)
        k += 1
    if not candidates:
        # "2.1 million Americans", "12 Iraqis": a plural nationality with no noun after it counts people.
        return ("people", demonym) if demonym is not None and plural else None
    if plural:
        for c in candidates:
            if _looks_plural(toks[c].text):
                return toks[c].low, c
    return toks[candidates[0]].low, candidates[0]


def _participle_after(toks: list[_Tok], k: int) -> str:
    """ "were killed", "have been injured", "killed" after a count of people."""
    for _ in range(3):
        word = _low(toks, k)
        if word in _PERSON_PARTICIPLES:
            return word
        if word not in _AUXILIARIES:
            return ""
        k += 1
    return ""


def _verb_right_before(toks: list[_Tok], first: int) -> str:
    """ "killing 36 servicemen", "wounding all 74": a casualty verb right before a count
    (not "injured in five attacks": the attacks are not the injured)."""
    k = first - 1
    if _low(toks, k) in _DETERMINERS:
        k -= 1
    word = _low(toks, k)
    return word if word in _PERSON_PARTICIPLES or word in ("killing", "injuring", "wounding") else ""


def _noun_before_duration(toks: list[_Tok], first: int) -> str:
    """ "talks lasting seven hours", "a meeting that lasted two hours"."""
    k = first - 1
    if _low(toks, k) == "for":
        k -= 1
    if _low(toks, k) not in ("lasting", "lasted", "lasts", "last", "took", "taking"):
        return ""
    k -= 1
    if _low(toks, k) in ("that", "which"):
        k -= 1
    if 0 <= k < len(toks) and toks[k].is_word and toks[k].low not in _FUNCTION_WORDS:
        return toks[k].low
    return ""


def _suffix_bound(toks: list[_Tok], k: int) -> tuple[str, int] | None:
    for words, kind in _SUFFIX_BOUNDS:
        start = k + 1 if _low(toks, k) in _DASHES and _adjacent(toks, k - 1, k) else k
        end = _match_words(toks, start, words)
        if end is not None:
            return kind, end
    return None


def _range_after(toks: list[_Tok], num: _Number, *, between: bool) -> _Number | None:
    """The upper end of "3 to 5", "3-5", "two or three", "between 3 and 5"."""
    k = num.end
    joiner = _low(toks, k)
    if joiner in _DASHES:
        if not (num.digits and _adjacent(toks, k - 1, k) and _adjacent(toks, k, k + 1)):
            return None
    elif joiner not in ("to", "or", "and") or (joiner == "and" and not between):
        return None
    if joiner == "to" and _low(toks, num.first - 1) == "from":
        return None  # "rose from 3% to 5%": two states, not a range
    k += 1
    if k < len(toks) and toks[k].text in _CURRENCY_SYMBOLS:
        k += 1
    if k >= len(toks) or toks[k].low in ("a", "an", "half", "one"):
        return None
    upper = _parse_number(toks, k)
    if upper is None or upper.vague or upper.of_fraction:
        return None
    return upper


@dataclass(slots=True)
class _Draft:
    """A quantity being read, widened token by token (internal, mutable)."""

    value: float
    precision: float
    first: int  # first token of the span: bound, currency or number
    end: int  # token past the span
    upper: float | None = None  # upper end of a range
    unit: str = ""
    noun: str = ""
    scaled: bool = False
    compound: bool = False  # "three-hour", "five and a half hour": unit used as adjective
    ranked: bool = False  # "the three largest", "the top 10": a selection, not a total


def _read_scale(toks: list[_Tok], num: _Number, draft: _Draft, *, currency: bool) -> None:
    """ "3 million", "$2.5bn": multiply, and keep the rounding of the written digits."""
    scale = _scale_after(toks, draft.end, currency=currency) if num.digits else None
    if scale is None:
        return
    factor, draft.end = scale
    draft.value *= factor
    draft.precision *= factor
    draft.scaled = True


def _read_range(toks: list[_Tok], num: _Number, draft: _Draft, *, currency: bool, between: bool) -> None:
    """ "3 to 5 hours", "$3-5 billion", "between 3 and 5": set ``draft.upper``."""
    upper = _range_after(toks, _with_end(num, draft.end), between=between)
    if upper is None:
        return
    upper_value, upper_end = upper.value, upper.end
    scale = _scale_after(toks, upper_end, currency=currency) if upper.digits else None
    if scale is not None:
        upper_value *= scale[0]
        upper_end = scale[1]
        if not draft.scaled:  # "3 to 5 million": the scale belongs to both ends
            draft.value *= scale[0]
            draft.precision *= scale[0]
    if upper_value > draft.value:  # "52 to 48" is a score, not a range
        draft.upper = upper_value
        draft.end = upper_end
        if between:
            draft.first -= 1


def _with_end(num: _Number, end: int) -> _Number:
    return _Number(num.value, num.first, end, num.precision, num.digits, num.decimals)


def _read_unit(toks: list[_Tok], num: _Number, draft: _Draft, *, currency: str) -> None:
    """The unit after the number (or the currency before it), and a noun it implies."""
    draft.unit = currency
    k = draft.end
    word = _low(toks, k)
    if word == "%" or word in ("percent", "pct"):
        draft.unit, draft.end = "percent", k + 1
    elif word == "per" and _low(toks, k + 1) == "cent":
        draft.unit, draft.end = "percent", k + 2
    elif word == "percentage" and _low(toks, k + 1) in ("point", "points"):
        draft.unit, draft.end = "percentage point", k + 2
    elif num.of_fraction:
        draft.unit = "percent"
    elif currency:
        pass
    elif word in _CURRENCY_WORDS:
        draft.unit, draft.end = _CURRENCY_WORDS[word], k + 1
    elif num.digits and _adjacent(toks, k - 1, k) and word in _ATTACHED_UNITS:
        draft.unit, draft.end = _ATTACHED_UNITS[word], k + 1
    elif num.vague:
        _read_counted_noun(toks, draft, _skip_modifiers(toks, k + 1) if word == "of" else -1)
    else:
        unit_word = _unit_word_at(toks, k)
        hyphenated = word in _DASHES
        if unit_word in _TIME_UNITS:
            _read_time_unit(toks, num, draft, unit_word, hyphenated=hyphenated)
        elif unit_word in _PERSON_PARTICIPLES and not hyphenated:
            after = toks[k + 1] if k + 1 < len(toks) else None
            if after is not None and after.is_word and after.low not in _FUNCTION_WORDS \
                    and after.low not in _AUXILIARIES and not after.text[0].isupper():
                _read_counted_noun(toks, draft, k + 1)  # "four dead crows": an adjective
                draft.noun = unit_word
            else:
                draft.unit, draft.noun, draft.end = "person", unit_word, k + 1  # "12 killed"
        elif word in _AUXILIARIES and _participle_after(toks, k):
            draft.unit, draft.noun = "person", _participle_after(toks, k)  # "12 were killed"
        elif not hyphenated:
            _read_counted_noun(toks, draft, k)


def _read_time_unit(toks: list[_Tok], num: _Number, draft: _Draft, unit_word: str, *, hyphenated: bool) -> None:
    canonical, factor = _TIME_UNITS[unit_word]
    k = draft.end + (2 if hyphenated else 1)
    draft.compound = hyphenated
    if _low(toks, k) == "old" or (_low(toks, k) in _DASHES and _low(toks, k + 1) == "old"):
        draft.unit = "age"  # "a 45-year-old man", "45 years old"
        k += 2 if _low(toks, k) in _DASHES else 1
    else:
        draft.unit = canonical
        tail = None if num.decimals or draft.upper is not None else _half_tail(toks, k)
        if tail is not None:  # "an hour and a half"
            draft.value += tail[0]
            draft.precision = 0.05
            k = tail[1]
        elif unit_word in _SINGULAR_TIME_UNITS and draft.value != 1:
            draft.compound = True  # "five and a half hour meeting"
    draft.end = k
    draft.value *= factor
    draft.precision *= factor
    if draft.upper is not None:
        draft.upper *= factor
    if draft.compound and draft.unit != "age":
        head = _head_noun(toks, k, plural=False)
        if head is not None and head[1] == k:
            draft.noun = head[0]


def _read_counted_noun(toks: list[_Tok], draft: _Draft, k: int) -> None:
    """ "150 yards", "two top diplomats", "12 people were killed": unit is the noun."""
    if k < 0:
        return
    head = _head_noun(toks, k, plural=draft.value != 1)
    if head is None:
        return
    word, at = head
    draft.ranked = any(
        t.low in _RANKING_WORDS or (t.low.endswith("est") and len(t.low) > 4) for t in toks[k:at])
    draft.unit = _UNIT_SPELLINGS.get(word, _UNIT_SPELLINGS.get(lemma(word), lemma(word)))
    draft.end = at + 1
    if draft.unit in _ON_BOARD:
        draft.unit = "person"  # "killing all 217 aboard": the 217 are people
        draft.noun = _verb_right_before(toks, draft.first) or word
        return
    if draft.unit in _PERSON_WORDS:
        draft.unit = "person"
    # "14 students died", "killing 36 servicemen", "12 people were killed": what happened to them is counted
    spelled = word in _UNIT_SPELLINGS or lemma(word) in _UNIT_SPELLINGS  # "kms" is kilometers, however written
    draft.noun = _participle_after(toks, at + 1) or _verb_right_before(toks, draft.first) or (
        draft.unit if spelled else word)


def _last_noun(toks: list[_Tok], k: int) -> str:
    """The last word of the noun phrase at ``k``: "dose" in "standard dose",
    "pill" in "once-a-day pill" (words joined by hyphens stay together)."""
    last = ""
    while k < len(toks):
        tok = toks[k]
        joined = _adjacent(toks, k - 1, k) and _low(toks, k - 1) in _DASHES
        if tok.text in _DASHES and _adjacent(toks, k - 1, k) and _adjacent(toks, k, k + 1):
            k += 1
            continue
        if not tok.is_word or (tok.low in _FUNCTION_WORDS and not joined):
            break
        last = tok.low
        k += 1
    return last


def _read_measured_noun(toks: list[_Tok], draft: _Draft) -> None:
    """What a duration, sum or share measures: "hours of talks", "talks lasting 3 hours"."""
    k = draft.end
    if _low(toks, k) == "of":
        head = _head_noun(toks, _skip_modifiers(toks, k + 1), plural=True, names=True)
        if head is not None:
            draft.noun = head[0].lower()
            return
    if draft.unit in _MONEY or draft.unit in ("percent", "percentage point"):
        head = _head_noun(toks, k, plural=False)
        if head is not None and head[1] == k:
            draft.noun = head[0]  # "a 40% stake", "a $5 million deal"
            return
    if draft.unit.partition("/")[0] in _MONEY and _low(toks, k) == "for":
        draft.noun = _last_noun(toks, _skip_modifiers(toks, k + 1))  # "$2 for the standard dose"
        return
    if draft.unit in _TIME_UNITS_CANONICAL:
        draft.noun = _noun_before_duration(toks, draft.first)


def _quantity_at(text: str, toks: list[_Tok], i: int) -> tuple[Quantity | None, int] | None:
    """The quantity whose number starts at token ``i`` and the index to resume at.

    ``None`` when no number starts here; ``(None, k)`` when one does but is not
    an amount (an identifier such as "G20", an ordinal such as "3rd", a bare
    "one").
    """
    num = _parse_number(toks, i)
    if num is None:
        return None
    if _is_identifier(toks, i):
        return None, num.end
    if num.digits and _adjacent(toks, num.end - 1, num.end) and toks[num.end].is_word:
        glued = toks[num.end].low
        if glued not in _SCALE_ABBREVIATIONS and glued not in _CURRENCY_SCALE_ABBREVIATIONS \
                and glued not in _ATTACHED_UNITS and glued not in _CLOCK_WORDS:
            return None, num.end + 1  # "3rd", "1990s", "5G"
    dated = _date_or_clock(text, toks, num)
    if dated is not None:
        return dated

    currency = _currency_before(toks, i)
    lead = currency[1] if currency else i
    bound = _bound_before(toks, lead)
    if bound is not None:
        lead = bound[1]
    draft = _Draft(num.value, num.precision, lead, num.end)
    _read_scale(toks, num, draft, currency=currency is not None)
    if not num.vague and not num.of_fraction:
        _read_range(toks, num, draft, currency=currency is not None,
                    between=_low(toks, lead - 1) == "between")
    if draft.upper is not None and draft.first < lead:
        bound = None  # "between 3 and 5" is the range itself
    _read_unit(toks, num, draft, currency=currency[0] if currency else "")
    per, what = _low(toks, draft.end), _low(toks, draft.end + 1)
    # A rate is not an amount: "£45,000 a year" never meets "£45,000".
    if draft.unit and per in ("a", "an", "per", "each") and what in _SINGULAR_TIME_UNITS:
        draft.unit += "/" + _TIME_UNITS[what][0]
        draft.end += 2
    elif draft.unit and per == "per" and what.isalpha() and what not in _FUNCTION_WORDS:
        draft.unit += "/" + lemma(what)  # "$1.98 per tablet", "24 miles per gallon"
        draft.end += 2
    if not draft.noun:
        _read_measured_noun(toks, draft)
    if not draft.unit and not currency and not num.vague:
        verb = _verb_right_before(toks, draft.first)
        if verb:  # "killing 36 soldiers and wounding 74": the 74 are people too
            draft.unit, draft.noun = "person", verb

    if num.bare_one and not _counts_as_one(toks, draft, bound is not None or currency is not None):
        return None, num.end  # "one of the", "one US official", "might one day clash"

    amount_start = currency[1] if currency else i
    qualifier = " ".join(t.low for t in toks[bound[1]:amount_start]) if bound else ""
    kind = bound[0] if bound else ""
    suffix = _suffix_bound(toks, draft.end)
    if not kind and suffix is not None:
        kind, qualifier = suffix[0], " ".join(
            t.low for t in toks[draft.end:suffix[1]] if t.text not in _DASHES)
        draft.end = suffix[1]
    value = draft.value
    if num.vague:
        low, high = num.vague
        qualifier = qualifier or " ".join(t.low for t in toks[i:num.end])
    elif draft.upper is not None:
        low, high = value, draft.upper
        value = (low + high) / 2
    else:
        low, high = _bounds(kind, value)
    if kind in ("min", "just_over") and (num.vague or draft.upper is not None):
        high = math.inf
    elif kind in ("max", "nearly") and (num.vague or draft.upper is not None):
        low = 0.0

    precision = draft.precision
    continuous = draft.unit in _COUNT_EXACT_EXEMPT
    if not (continuous or draft.scaled or num.decimals or num.vague or num.of_fraction) and abs(value) < 100:
        precision = 0.0  # "12 people", "two ships": small counts are exact

    start_char, end_char = toks[draft.first].start, toks[draft.end - 1].end
    quantity = Quantity(
        text=text[start_char:end_char], start=start_char, end=end_char, value=value,
        low=low, high=high, unit=draft.unit, noun=draft.noun, qualifier=qualifier,
        precision=precision, role=_role(toks, draft), vague=num.vague is not None,
    )
    return quantity, draft.end


def _counts_as_one(toks: list[_Tok], draft: _Draft, qualified: bool) -> bool:
    """A lone "one" is an amount only with a measure unit and something that
    marks it as a figure: a hyphen ("one-day visit"), a bound, a currency, or
    "for"/"only"/"than" before it ("for one hour")."""
    if draft.unit not in _TIME_UNITS_CANONICAL and draft.unit not in _MONEY and draft.unit != "percent":
        return False
    return qualified or draft.compound or _low(toks, draft.first - 1) in (
        "for", "only", "just", "than", "within", "in", "about", "around")


def _role(toks: list[_Tok], draft: _Draft) -> str:
    """ "amount", or what else a figure is: "change", "from", "ago", "window"."""
    before = _low(toks, draft.first - 1)
    after = _low(toks, draft.end)
    if before in ("by", "up", "down") or after == "times" or (
        after in _COMPARATIVES and _low(toks, draft.end + 1) == "than"
    ):
        return "change"  # "up 5%", "rose by 3", "two hours longer than planned"
    if before == "from":
        return "from"  # "cut from 10 acres to three": the old value
    two_before = toks[draft.first - 2] if draft.first >= 2 else None
    if (before == "of" and _low(toks, draft.first - 2) == "out") or (
        before == "in" and two_before is not None
        and (two_before.low in _SMALL or two_before.is_digits or two_before.text in _GLYPHS)
    ) or (after == "per" and draft.end + 1 < len(toks) and toks[draft.end + 1].is_digits) or (
        before == "every" and _low(toks, draft.first - 2) in ("of", "in")  # "5 of every 10,000", "1 in every 250"
    ):
        return "ratio"  # "one out of 10 children", "4 in 1,000 children", "4 per 1,000"
    if after == "ago" or (after == "earlier" and draft.unit in _TIME_UNITS_CANONICAL):
        return "ago"
    if draft.ranked:
        return "ranked"  # "the three largest settlements" are not all of them
    if draft.unit in _TIME_UNITS_CANONICAL and before in _WINDOW_WORDS:
        return "window"  # "the past 11 years", "every three years", "within the next 5 days"
    return "amount"


# Between a count and its noun, these make it a selection: "the top 10 firms".
_RANKING_WORDS = frozenset({"top", "biggest", "largest", "best", "worst", "richest",
                            "leading", "first", "last", "next", "remaining", "other"})
# Words before a span of time that make it a reference window or a frequency.
_WINDOW_WORDS = frozenset({"past", "last", "next", "coming", "previous", "preceding",
                           "following", "every", "each", "first", "final", "recent"})


_TIME_UNITS_CANONICAL = frozenset(c for c, _ in _TIME_UNITS.values()) | {"age"}
_MONEY = frozenset({"usd", "eur", "gbp", "jpy", "cny", "inr", "aud", "cad", "hkd", "nzd", "sgd"})
# Measures that are continuous (rounded when written), unlike counts of things.
_COUNT_EXACT_EXEMPT = _TIME_UNITS_CANONICAL | _MONEY | frozenset(
    {"percent", "percentage point"}) | frozenset(_ATTACHED_UNITS.values())


def _decimals(raw: str) -> int:
    return len(raw.split(".")[1]) if "." in raw else 0


def _bounds(kind: str, value: float) -> tuple[float, float]:
    """(low, high) for a bound kind around ``value``."""
    floor = 0.0 if value >= 0 else -math.inf
    if kind == "min":
        return value, math.inf
    if kind == "max":
        return floor, value
    if kind == "nearly":
        return value * (1 - APPROXIMATION), value
    if kind == "just_over":
        return value, value * (1 + APPROXIMATION)
    if kind == "approx":
        return value * (1 - APPROXIMATION), value * (1 + APPROXIMATION)
    return value, value


def may_state_quantities(sentence: str) -> bool:
    """False only when :func:`extract_quantities` finds nothing: no digit, no number word (a cheap test).

    The test :func:`extract_quantities` opens with: a sentence without a digit
    or a word that can start a number is not tokenized. Callers that only need
    to know that a sentence has no figure or date ask this instead (issue 19).
    """
    return bool(_HAS_DIGIT.search(sentence)) or not _TRIGGER_WORDS.isdisjoint(_LOWER_WORD.findall(sentence.lower()))


def extract_quantities(sentence: str) -> tuple[Quantity, ...]:
    """Every figure stated in ``sentence``, in reading order.

    Dates ("June 19", "since 2018") come out with unit "date" and clock times
    ("4.30 pm") with unit "clock", so they are never read as counts; ordinals,
    identifiers ("G20", "F-16") and a bare "one" ("one of them") are skipped.
    """
    if not may_state_quantities(sentence):
        return ()
    toks = _tokenize(sentence)
    out: list[Quantity] = []
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        if not (tok.text[0] in _NUMBER_STARTS or tok.low in _NUMBER_STARTS) or (
            # "a"/"an" start a number only in "a dozen", "a third of", "an hour and a half".
            tok.low in ("a", "an") and (i + 1 == n or toks[i + 1].low not in _AFTER_ARTICLE)
        ):
            i += 1
            continue
        found = _quantity_at(sentence, toks, i)
        if found is None:
            i += 1
            continue
        quantity, resume = found
        # A phrase read backwards from a number ("June 30", "more than 5") may
        # reach into the previous quantity ("30 June 30"): the first one wins.
        if quantity is not None and (not out or quantity.start >= out[-1].end):
            out.append(_conversion(sentence, _of_the_whole(sentence, quantity, out[-1]), out[-1]) if out else quantity)
        i = max(resume, i + 1)
    return tuple(out)


# "9,500 square miles (24,600 square kilometers)": the same measure again, in brackets, in another unit.
_CONVERSION_GAP = re.compile(
    r"(?:-[a-z]+)?\s*\(\s*(?:about|some|approximately|roughly|nearly|almost|over|more than)?\s*")
_CONVERSION_END = re.compile(r"(?:-[a-z]+)?\s*\)")
#: Units a reporter converts: lengths, areas, weights, volumes, speeds, temperatures (and currencies).
_CONVERTED_UNITS = frozenset({
    "kilometer", "mile", "meter", "foot", "yard", "inch", "centimeter", "millimeter", "acre", "hectare",
    "kilogram", "gram", "pound", "ounce", "ton", "tonne", "liter", "litre", "gallon", "mph", "kph",
    "degree", "celsius", "fahrenheit"})
# A figure written as an adjective: "a 125-mile escarpment".
_HYPHENED_UNIT = re.compile(r"-([a-z]+)\b")


def _hyphened_unit(sentence: str, end: int) -> str:
    """The unit of a figure written as an adjective ("a 125-mile escarpment", "200-kilometer"), or ""."""
    match = _HYPHENED_UNIT.match(sentence, end)
    if match is None:
        return ""
    word = lemma(match.group(1))
    return _UNIT_SPELLINGS.get(word, word)


def _conversion(sentence: str, quantity: Quantity, before: Quantity) -> Quantity:
    """``quantity`` with role "conversion" when it restates ``before`` in another unit, in brackets right after it.

    AP style gives both ("13 miles (22 km)", "$5 million (3 million pounds)");
    the second is the reporter's arithmetic, not another figure of the claim:
    an update brief showed a park's area as changed because one report had
    converted its square miles wrongly (an editor's read of D0716B).
    """
    units = {quantity.unit or _hyphened_unit(sentence, quantity.end),
             before.unit or _hyphened_unit(sentence, before.end)}  # one unit too: metric tons to tons
    if quantity.role != "amount" or not units <= _CONVERTED_UNITS | CURRENCY_UNITS:
        return quantity
    if _CONVERSION_GAP.fullmatch(sentence, before.end, quantity.start) is None:
        return quantity
    if _CONVERSION_END.match(sentence, quantity.end) is None:
        return quantity
    return replace(quantity, role="conversion")


# "of the 300 million cases …, over 85 percent are from Africa": the share is of the count before it.
_PARTITIVE_BEFORE = re.compile(r"\bof\s+the\s+$", re.IGNORECASE)
_TO_THE_SHARE = re.compile(r"^[^.;:,()]*,\s*$")


def _of_the_whole(sentence: str, share: Quantity, whole: Quantity) -> Quantity:
    """``share``, a percentage of no noun, measuring what ``whole`` counts when the clause opens with it
    ("of the two million deaths a year, over 90 percent are in the south": deaths)."""
    if share.unit != "percent" or share.noun or not whole.noun or whole.unit in ("date", "clock", "percent"):
        return share
    if _PARTITIVE_BEFORE.search(sentence, 0, whole.start) is None:
        return share
    if _TO_THE_SHARE.match(sentence[whole.end:share.start]) is None:
        return share
    return replace(share, noun=whole.noun)

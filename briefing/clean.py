"""Clean: drop web boilerplate lines before any later stage sees them.

Two voices decide: jusText's paragraph classifier (context-aware, with its
shipped stop-word lists) and our own line-shape rules, whose phrases live in
``briefing/data/boilerplate.toml``. A line is kept only if neither calls it
boilerplate. Text transforms here are pure ``str -> ...`` functions.
"""

from __future__ import annotations

import html
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

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
_SENTENCE_END = re.compile(r"""[.!?…](?:["'”’»)\]]+)?$""")
_SLUG = re.compile(r"^[\w.]+(?:[-_][\w.]+){2,}$")
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|tiff?)$", re.IGNORECASE)
_URL_OR_EMAIL = re.compile(r"^(?:https?://\S+|www\.\S+|\S+@\S+\.\w+)$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


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


@cache
def _stoplist(language: str) -> frozenset[str]:
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


def normalize_whitespace(text: str) -> str:
    """Unify line endings and spaces; keep one line per paragraph."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    lines = (re.sub(r"[ \t\f\v\u2028\u2029]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def is_sentence_like(line: str) -> bool:
    """A body paragraph ends like a sentence; headings, labels and teasers do not."""
    return bool(_SENTENCE_END.search(line))


def language_scores(text: str) -> dict[str, float]:
    """Share of words that are stop words, per language (English first)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return {}
    scores = {"English": sum(w in _stoplist("English") for w in words) / len(words)}
    for language in _OTHER_LANGUAGES:
        scores[language] = sum(w in _stoplist(language) for w in words) / len(words)
    return scores


def is_foreign_line(line: str) -> bool:
    """True for a line plainly in another language than English."""
    words = [w.lower() for w in _WORD.findall(line)]
    if len(words) < 2:
        return False
    english = sum(w in _stoplist("English") for w in words)
    if english:
        return False
    other = max(sum(w in _stoplist(lang) for w in words) for lang in _OTHER_LANGUAGES)
    foreign_letters = sum(ch in _FOREIGN_LETTERS for ch in line)
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
    if lowered.startswith(rules.line_prefixes):
        return "call to action"
    if any(phrase in lowered for phrase in rules.line_contains):
        return "production credit"
    if caption.search(line):
        return "photo caption"
    if bio.match(line):
        return "author bio"
    if is_foreign_line(line):
        return "another language"
    if not is_sentence_like(line):
        return "heading or teaser (no sentence ending)"
    return None


def _justext_bad(lines: list[str]) -> list[bool]:
    """jusText's verdict per line: True where it calls a line boilerplate.

    Only lines jusText finds bad on their own (long, few stop words: link
    lists, captions, tag clouds) and in context. Its context rule also drops
    short real sentences at the edges of a short text, so short lines are left
    to our own rules.
    """
    import justext

    markup = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    paragraphs = justext.justext(
        f"<html><body>{markup}</body></html>".encode(), _stoplist("English"), encoding="utf-8"
    )
    verdicts = [p.class_type == "bad" and p.cf_class == "bad" for p in paragraphs]
    # jusText keeps one paragraph per <p>; guard against a mismatch all the same.
    return verdicts if len(verdicts) == len(lines) else [False] * len(lines)


@dataclass(frozen=True)
class Cleaned:
    text: str
    dropped: tuple[tuple[str, str], ...]  # (line, reason)


def clean_text(text: str, *, rules: Rules | None = None, use_justext: bool = True) -> Cleaned:
    """Drop boilerplate lines; return the kept text (one paragraph a line)."""
    lines = normalize_whitespace(text).split("\n")
    lines = [line for line in lines if line]
    if not lines:
        return Cleaned("", ())
    justext_bad = _justext_bad(lines) if use_justext else [False] * len(lines)
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    for line, bad in zip(lines, justext_bad, strict=True):
        reason = junk_reason(line, rules=rules) or ("jusText: boilerplate" if bad else None)
        if reason is None:
            kept.append(line)
        else:
            dropped.append((line, reason))
    return Cleaned("\n".join(kept), tuple(dropped))


def check_language(text: str, where: str) -> None:
    """Raise SourceError for an article that is not in English."""
    scores = language_scores(text)
    if not scores:
        return
    english = scores.pop("English")
    best_language, best = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
    if english < 0.12 and best > english:
        raise SourceError(
            where, f"language: looks like {best_language.replace('_', ' ')}, not English"
        )

"""Plan: put each selected claim in a section by explainable cue rules.

Cues ship as data (``briefing/data/sections.toml``) and can be overridden from
the config file. A sentence goes to the section whose cues it matches most;
ties and no match go to "meetings" (the event itself).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from briefing.model import SECTION_KEYS, SECTION_TITLES, Item, Section

EVENT_SECTION = "meetings"


@dataclass(frozen=True)
class CueRules:
    """Compiled cue patterns per section key."""

    cues: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Sequence[str]]) -> CueRules:
        unknown = set(raw) - set(SECTION_KEYS)
        if unknown:
            raise ValueError(f"unknown section in cue rules: {sorted(unknown)[0]}")
        return cls({key: tuple(raw.get(key, ())) for key in SECTION_KEYS})


@cache
def default_rules() -> CueRules:
    text = resources.files("briefing.data").joinpath("sections.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    return CueRules.from_mapping({key: value["cues"] for key, value in raw.items()})


@cache
def _pattern(cue: str) -> re.Pattern[str]:
    body = re.escape(cue.rstrip("*")).replace(r"\ ", r"\s+")
    suffix = r"\w*" if cue.endswith("*") else ""
    return re.compile(rf"\b{body}{suffix}\b", re.IGNORECASE)


def matched_cues(text: str, rules: CueRules) -> dict[str, tuple[str, ...]]:
    """The cues of each section that the text matches."""
    return {
        key: tuple(cue for cue in rules.cues[key] if _pattern(cue).search(text))
        for key in SECTION_KEYS
    }


def assign_section(text: str, rules: CueRules | None = None) -> tuple[str, tuple[str, ...]]:
    """The section key for one sentence, and the cues that decided it."""
    matches = matched_cues(text, rules or default_rules())
    best = max(len(found) for found in matches.values())
    if best == 0 or len(matches[EVENT_SECTION]) == best:
        return EVENT_SECTION, matches[EVENT_SECTION]
    # Deterministic tie-break among non-event sections: the order of SECTION_KEYS.
    key = next(key for key in SECTION_KEYS if len(matches[key]) == best)
    return key, matches[key]


def assign_sections(items: Sequence[Item], rules: CueRules | None = None) -> tuple[Item, ...]:
    """Each item with its section key and the cues that put it there."""
    rules = rules or default_rules()
    placed = []
    for item in items:
        key, cues = assign_section(item.text, rules)
        placed.append(replace(item, section=key, cues=cues))
    return tuple(placed)


def group_sections(items: Sequence[Item]) -> tuple[Section, ...]:
    """The four sections in order; within one, by support, then rank."""
    return tuple(
        Section(
            key,
            SECTION_TITLES[key],
            tuple(sorted((it for it in items if it.section == key), key=lambda it: (-it.support, it.rank))),
        )
        for key in SECTION_KEYS
    )

"""The sections of a brief, read from data in one place (``briefing/data/sections.toml``).

Key, title and cues of every section, in page order, come from the one file
(issue 17: the keys and titles were also spelled out in ``model.py``). The
model, the planner (:mod:`briefing.plan`), the config check and the templates
take them from here; a daily config's ``[sections]`` replaces cue lists only.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources


@cache
def section_data() -> dict[str, dict[str, object]]:
    """The shipped sections, in page order: key -> {"title", "cues"}."""
    text = resources.files("briefing.data").joinpath("sections.toml").read_text("utf-8")
    return tomllib.loads(text)


#: Section keys in page order.
SECTION_KEYS: tuple[str, ...] = tuple(section_data())
#: The title printed for each section key.
SECTION_TITLES: dict[str, str] = {key: str(value["title"]) for key, value in section_data().items()}


@dataclass(frozen=True)
class CueRules:
    """Cue words or phrases per section key (every key present, possibly empty); frozen and picklable."""

    cues: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Sequence[str]]) -> CueRules:
        unknown = set(raw) - set(SECTION_KEYS)
        if unknown:
            raise ValueError(f"unknown section in cue rules: {sorted(unknown)[0]}")
        return cls({key: tuple(raw.get(key, ())) for key in SECTION_KEYS})


@cache
def default_rules() -> CueRules:
    """The shipped cues of every section."""
    return CueRules.from_mapping({key: [str(cue) for cue in value["cues"]]  # type: ignore[attr-defined]
                                  for key, value in section_data().items()})

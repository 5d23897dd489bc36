"""Helpers shared by the tests: building sources the way the pipeline does."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from briefing.ingest import RawDocument
from briefing.model import Source
from briefing.pipeline import prepare_sources

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def raw(text: str, name: str = "a.txt") -> RawDocument:
    return RawDocument(data=text.encode("utf-8"), path=name)


def sources_from_texts(texts: Sequence[str]) -> tuple[Source, ...]:
    """Sources s1…sn from plain article texts, ingested and cleaned."""
    return prepare_sources([raw(t, f"doc{k + 1}.txt") for k, t in enumerate(texts)])


def seed_sources() -> tuple[Source, ...]:
    return prepare_sources([RawDocument(data=p.read_bytes(), path=str(p)) for p in sorted(SEEDS.glob("*.txt"))])


def without_completions(text: str) -> str:
    """A page's text without the brackets that complete a name ("Qin [Gang]", "[Antony] Blinken"), spaces
    collapsed: the item's own words as brief.json gives them (citation numbers, "[4, 3]", stay)."""
    return " ".join(re.sub(r"\[[A-Za-z][^\]]*\]", " ", text).split())

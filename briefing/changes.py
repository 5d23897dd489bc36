"""Changes: what a brief says that the previous one on the same topic did not, and what it dropped.

An item of today's brief is *new* unless some item of the previous brief states
the same claim: the same text (whitespace and case aside), or a TF-IDF cosine
of their content stems (:func:`briefing.segment.content_stems`, vectors from
:func:`briefing.corroborate.tfidf_matrix` fitted on both briefs' items) of at
least :data:`SAME_CLAIM_THRESHOLD`. A previous item that no item of today's
brief states that way, and no sentence of today's sources either, is
*dropped*. See docs/daily.md for how the threshold was chosen.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from briefing.corroborate import tfidf_matrix
from briefing.errors import PreviousBriefError
from briefing.model import Brief, Changes, DroppedClaim, Item
from briefing.segment import content_stems, segment
from briefing.settings import LOOKBACK_DAYS

#: Two items state the same claim at or above this cosine. Measured on the
#: daily fixtures (tests/fixtures/daily, day 1 against day 2): one claim in
#: other words scored 0.44-0.69 (the same sentence 1.0); different claims about
#: the same story up to 0.37 (a long lead sentence sharing its names with
#: another claim); a new development of the same subject 0.37-0.59, so "New"
#: marks new subjects rather than every updated figure. See docs/daily.md.
SAME_CLAIM_THRESHOLD = 0.4


@dataclass(frozen=True)
class PreviousBrief:
    """The items a reader saw in an earlier brief (from its brief.json)."""

    date: str
    items: tuple[DroppedClaim, ...]
    path: Path | None = None


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def load_previous(path: Path | str) -> PreviousBrief:
    """Read a brief.json written earlier; raises :class:`PreviousBriefError` with one line."""
    path = Path(path)
    try:
        data: Any = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise PreviousBriefError(f"no previous brief at {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PreviousBriefError(f"cannot read previous brief {path}: {exc}") from None
    except RecursionError:
        raise PreviousBriefError(f"cannot read previous brief {path}: nested too deeply to be a brief") from None
    try:
        date = dt.date.fromisoformat(str(data["date"])).isoformat()
        names = {str(s["id"]): str(s.get("name") or s["id"]) for s in data["sources"]}
        items = tuple(
            DroppedClaim(
                text=str(item["text"]),
                citations=tuple(str(c) for c in item["citations"]),
                outlets=tuple(names.get(str(c), str(c)) for c in item["citations"]),
                section=str(section["key"]),
            )
            # Ranked as the previous brief ranked them, so the dropped list leads with what mattered most.
            for section, item in sorted(
                ((sec, it) for sec in data["sections"] for it in sec["items"]),
                key=lambda pair: int(pair[1].get("rank") or 0),
            )
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PreviousBriefError(f"{path} is not a brief.json ({type(exc).__name__}: {exc})") from None
    return PreviousBrief(date=date, items=items, path=path)


def find_previous(output_root: Path, slug: str, date: dt.date, *, days: int = LOOKBACK_DAYS) -> Path | None:
    """``OUT/<day>/<slug>/brief.json`` of the latest day before ``date``, at most ``days`` back."""
    for back in range(1, days + 1):
        candidate = output_root / (date - dt.timedelta(days=back)).isoformat() / slug / "brief.json"
        if candidate.is_file():
            return candidate
    return None


def same_claim_matrix(today: Sequence[str], previous: Sequence[str]) -> np.ndarray:
    """Boolean matrix: ``[i, j]`` when today's text ``i`` states previous text ``j``'s claim."""
    if not today or not previous:
        return np.zeros((len(today), len(previous)), dtype=bool)
    vectors = tfidf_matrix([content_stems(text) for text in [*today, *previous]])
    similarity = (vectors[: len(today)] @ vectors[len(today):].T).toarray()
    exact = np.array([[_normalise(a) == _normalise(b) for b in previous] for a in today], dtype=bool)
    result: np.ndarray = exact | (similarity >= SAME_CLAIM_THRESHOLD)
    return result


def compare(brief: Brief, previous: PreviousBrief) -> Brief:
    """``brief`` with ``new`` set on each item and ``changes`` (since, dropped) filled in.

    Compare before fitting to a page: an item that is later left out to fit
    still counts as stated today, so its claim is not listed as dropped.
    """
    today: list[Item] = [*brief.items, *brief.omitted]
    matches = same_claim_matrix([item.text for item in today], [p.text for p in previous.items])
    # brief.items lists the sections' items in order, then come the omitted ones: same order as `today`.
    flags = iter([not matches[k].any() for k in range(len(today))])

    def mark(items: Sequence[Item]) -> tuple[Item, ...]:
        return tuple(replace(item, new=next(flags)) for item in items)

    unmatched = [p for j, p in enumerate(previous.items) if not matches[:, j].any()]
    # A claim that today's sources still state, though no item of today's brief
    # does (ranked out), is not dropped: only what no source reports any more is.
    reported = same_claim_matrix([s.text for s in segment(brief.sources)], [p.text for p in unmatched])
    dropped = tuple(p for j, p in enumerate(unmatched) if not reported[:, j].any())
    return replace(
        brief,
        sections=tuple(replace(section, items=mark(section.items)) for section in brief.sections),
        omitted=mark(brief.omitted),
        changes=Changes(since=previous.date, dropped=dropped),
    )

"""Frozen data that flows between the pipeline stages (see DESIGN.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: The outlet of a source that names none (no metadata, "Source:" line, credit or dateline agency):
#: nothing shows who wrote it.
UNNAMED_SOURCE = "unnamed source"


@dataclass(frozen=True)
class Source:
    """One article after ingest and cleaning; ``text`` is the cleaned text."""

    id: str
    name: str
    title: str
    url: str | None
    path: str | None
    published: str | None
    text: str
    author: str | None = None
    #: "editorial" when the article's heading says it is one ("The Valley Ledger said in an editorial for
    #: Tuesday:", read before cleaning drops that line), "opinion" for a column, review, letter or
    #: interview (written in the first person, :func:`briefing.clean.opinion_reason`); else None.
    opinion: str | None = None
    #: The chain or news service that filed the story to another's wire, from its filing line ("Story
    #: Filed By Cox Newspapers"); the outlet's name when nothing else names it. It names the source
    #: and groups the chain's articles in the count a reader sees, but not in ranking's support: a
    #: chain is many newsrooms (grouping them there cost ROUGE-2 at 100 words, 0.0508 -> 0.0487).
    syndicate: str | None = None


@dataclass(frozen=True)
class Sentence:
    """A sentence of a source; ``text == source.text[start:end]``."""

    source_id: str
    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Claim:
    """Sentences from one or more sources that state the same thing."""

    sentences: tuple[Sentence, ...]
    representative: Sentence
    sources: tuple[str, ...]
    support: int
    score: float


@dataclass(frozen=True)
class Evidence:
    """The sentence of a cited source that states an item's claim, with its offsets there."""

    source: str
    text: str
    #: Offsets in the source's cleaned text (what Briefing read: boilerplate and markup left out).
    start: int
    end: int
    #: Offsets in the source file's own text, decoded (None when the source is no local file or
    #: the sentence is not found there word for word): what a reader opens to check the citation.
    file_start: int | None = None
    file_end: int | None = None


@dataclass(frozen=True)
class Item:
    """A claim as it appears in a section of the brief."""

    text: str
    source: str
    citations: tuple[str, ...]
    support: int
    score: float
    rank: int
    section: str = "developments"
    cues: tuple[str, ...] = ()
    #: Not stated by the previous brief it was compared with (briefing.changes).
    new: bool = False
    #: Per citation, the backing sentence of that source (same order as ``citations``).
    evidence: tuple[Evidence, ...] = ()
    #: Sources with a similar sentence that does not state this claim: covered, not cited.
    also: tuple[str, ...] = ()
    #: What a known article (``--known``) said of this claim before it changed (issue 16).
    earlier: Earlier | None = None
    #: (surname, full name): a person the sentence names by surname alone, as its own article names
    #: them in full; the page completes the first such use in brackets ("[Lucien] Bouchard"). Also
    #: (initials, name) for initials it does not spell out ("NLD [National League for Democracy]").
    names: tuple[tuple[str, str], ...] = ()
    #: The sentence before the item's own in its article, shown first (the start of ``text``) when the
    #: item's sentence needs it to be understood ("He was left to die …" after the sentence that names
    #: him); "" for an item of one sentence.
    context: str = ""

    @property
    def claim(self) -> str:
        """The item's own sentence as shown: ``text`` without its ``context``."""
        return self.text[len(self.context):].lstrip() if self.context else self.text


@dataclass(frozen=True)
class Earlier:
    """An earlier sentence about an item's claim with another figure or status.

    A known article's (``--known``), or an earlier-dated source's lower figure
    of a toll that grew (deaths, injured, missing, arrests).
    """

    text: str
    outlet: str
    published: str | None = None
    #: "figure" or "status": what changed.
    change: str = "figure"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Variant:
    """One side of a discrepancy: a verbatim sentence and who reports it."""

    text: str
    citations: tuple[str, ...]
    value: str = ""


@dataclass(frozen=True)
class Discrepancy:
    topic: str
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class DroppedClaim:
    """A claim of the previous brief that no item of this one states (briefing.changes)."""

    text: str
    #: Source ids as in the previous brief, and those sources' outlet names in the same order.
    citations: tuple[str, ...]
    outlets: tuple[str, ...] = ()
    section: str = ""


@dataclass(frozen=True)
class Changes:
    """What changed since the previous brief on the same topic, dated ``since``."""

    since: str
    dropped: tuple[DroppedClaim, ...] = ()


@dataclass(frozen=True)
class Brief:
    title: str
    date: str
    sources: tuple[Source, ...]
    sections: tuple[Section, ...]
    discrepancies: tuple[Discrepancy, ...] = ()
    stats: dict[str, object] = field(default_factory=dict)
    independent: int = 0
    omitted: tuple[Item, ...] = ()
    #: Set when the brief was compared with a previous one; items then carry ``new``.
    changes: Changes | None = None
    #: The day the brief was built (YYYY-MM-DD); ``date`` is the news date (the latest source's).
    built: str = ""
    #: The item with the widest verified support, shown first as the brief's bottom line.
    bottom_line: Item | None = None
    #: Whether any source carried a publication date (else ``date`` is the build date).
    dated: bool = True
    #: Ranks of every item, shown and omitted, in the order the page gives them (introductions
    #: first); empty until fitting leaves items out, when ``items`` alone no longer tells it.
    page_order: tuple[int, ...] = ()

    @property
    def order(self) -> tuple[int, ...]:
        """Ranks of every item in page order."""
        return self.page_order or tuple(item.rank for item in self.items)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)


def confidence_label(support: int, total: int) -> str:
    """How well an item is attested: "single source", "corroborated", "widely reported".

    ``support`` is the number of independent sources stating the item (k),
    ``total`` the number in the brief (n). "widely reported" needs at least
    three sources and at least 60 % of them; with one source in all, every
    item is "single source" and nothing is called corroborated.
    """
    if total < 1 or not 1 <= support <= total:
        raise ValueError(f"support must be between 1 and total ({support} of {total})")
    if support == 1:
        return "single source"
    if support >= max(3, math.ceil(total * 0.6)):
        return "widely reported"
    return "corroborated"

"""Discrepancies: figures that sources state differently for the same claim.

A figure from one source conflicts with a figure from another when both
sentences state the same claim (same unit, same measured thing, the same
people and places, the same time, similar wording) and the values cannot
both be true once bounds ("more than seven hours"), approximations ("about
40") and rounding ("seven hours" may be 7½) are allowed for. The rules are in
docs/discrepancies.md. Precision comes first: when in doubt, two figures are
not compared, since a false "sources differ" note costs more trust than a
missed one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from briefing.claims import DATELINE as _DATELINE
from briefing.claims import NAME as _NAME
from briefing.corroborate import CLAIM_THRESHOLD, Corroboration
from briefing.display import typographic
from briefing.model import Discrepancy, Sentence, Source, Variant, confidence_label
from briefing.quantities import Quantity, extract_quantities, lemma
from briefing.segment import stop_words

__all__ = ["PARAPHRASE_THRESHOLD", "confidence_label", "find_discrepancies", "value_label"]

#: Figures of a thing in general ("300 flights", "68 percent") are compared
#: only between sentences at least this similar: close paraphrases. The
#: figure's own words ("miles per gallon") make unrelated sentences look alike.
PARAPHRASE_THRESHOLD = 0.4
#: Words before a figure searched for a hedge ("could top $2 billion").
HEDGE_WINDOW = 6
#: Words either side of a figure searched for what it measures when the
#: figure has no noun of its own ("spoke with Qin for seven hours").
MEASURE_WINDOW = 8


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Units that are labels, not amounts: never compared; nor are windows ("the
# past 11 years") or starting points ("from 10 acres").
_NOT_COMPARED = frozenset({"", "date", "clock"})
_COMPARED_ROLES = frozenset({"amount", "change", "ago", "conversion"})
_HEDGES = _words("could would might may expected expects forecast forecasts projected "
                 "predicted predicts hopes hope aims aim if unless target targets")

# Words that name one kind of measured thing; the key is the label used in topics.
_MEASURE_CLASSES: dict[str, frozenset[str]] = {
    "talks": _words(
        """talk talks talked talking meeting meetings met meet discussion discussions
        discussed conversation conversations negotiation negotiations negotiated session
        sessions spoke speak dialogue consultations summit exchange exchanges"""
    ),
    "deaths": _words("killed dead deaths death died fatalities lives toll killing bodies"),
    "injuries": _words("injured wounded hurt injuries injuring wounding hospitalised"),
    "arrests": _words("arrested detained detentions arrests"),
    "displaced": _words("displaced evacuated homeless fled evacuations"),
    "missing": _words("missing unaccounted"),
}
_CLASS_OF_WORD = {word: label for label, words in _MEASURE_CLASSES.items() for word in words}

# Capitalised words that are roles or institutions, not who or where: they
# differ between outlets' wordings of the same fact ("the State Department",
# "Secretary of State"), so they neither separate nor join subjects.
_TITLE_WORDS = _words(
    """
    secretary minister ministry foreign state department president vice prime deputy
    chief general officials official office spokesman spokeswoman spokesperson agency
    government council committee house senate congress parliament army navy police
    defence defense affairs national federal administration embassy ambassador envoy
    chancellor premier mr mrs ms dr sir lord lady gen col lt sgt capt adm sen rep gov
    news agency times post press daily reuters ap afp associated
    """
)
_CALENDAR = _words(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december jan feb mar apr jun
    jul aug sep sept oct nov dec gmt utc est edt bst cet
    """
)
_WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
_WORD = re.compile(r"[A-Za-z]+")
_WITH_NAME = re.compile(r"\bwith\s+((?:[A-Z][\w’'-]*\s*)+)")
_NAME_RUN = r"((?:(?:the\s+)?[A-Z][\w’'.-]*\s+){1,4})"
# Names a sentence is attributed to: "Dawson said", "according to IMS Health", "said Smith".
_ATTRIBUTED_BEFORE = re.compile(
    _NAME_RUN + r"(?:said|says|reported|reports|added|announced|stated|confirmed|told)\b")
_ATTRIBUTED_AFTER = re.compile(
    r"\b(?:according to|said|says|reported by)\s+((?:the\s+)?(?:[A-Z][\w’'.-]*\s*){1,4})")
# A restrictive phrase after a counted noun narrows what is counted.
_RESTRICTION = re.compile(
    r"\s+(with|who|that|which|under|over|aged|suffering|without|from)\s+(?:the\s+|a\s+|an\s+)?(\w+)",
    re.IGNORECASE)
_RELATIVE_TIME = re.compile(
    r"\b(?:(?:last|this|next)\s+(?:year|week|month|summer|winter|spring|autumn|fall)"
    r"|yesterday|today|tomorrow|tonight)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Fact:
    """One comparable figure: a quantity of a sentence, with its context."""

    sentence: int
    source: int
    group: int
    quantity: Quantity
    measure: str
    names: frozenset[str]
    markers: frozenset[str]  # when: weekdays, dates, "last year"
    published: str  # the source's publication day, "" when unknown
    low: float  # bounds widened by rounding: what the sentence allows
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


def find_discrepancies(
    sources: Sequence[Source], sentences: Sequence[Sentence], corroboration: Corroboration,
    *, only: Collection[int] | None = None, names_seen: frozenset[str] | None = None,
) -> tuple[Discrepancy, ...]:
    """Claims whose figures differ between independent sources, each with its variants.

    ``sentences`` are the ones ``corroboration`` was computed on, in the same
    order. Each variant is a verbatim sentence, cited by every source whose
    figure for the claim is compatible with it (its own source first).
    ``only`` limits the figures compared to those sentence indices (the
    pipeline passes the neighbourhood of the brief's items). ``names_seen``:
    :func:`names_seen_mid_sentence` of the sentences' texts, when already read.
    """
    if len(sentences) != corroboration.graph.shape[0]:
        raise ValueError("sentences and corroboration do not match")
    if names_seen is None:
        names_seen = names_seen_mid_sentence([sentence.text for sentence in sentences])
    facts = _facts(
        sentences, corroboration, names_seen, [(s.published or "")[:10] for s in sources], only=only
    )
    if len(facts) < 2:
        return ()
    edges = _same_claim_edges(facts, corroboration)
    out = [
        found
        for component in _components(len(facts), edges)
        if (found := _discrepancy(component, facts, edges, sources, sentences)) is not None
    ]
    return tuple(d for _, d in sorted(out, key=lambda item: item[0]))


# --- facts ----------------------------------------------------------------------


def names_seen_mid_sentence(texts: Sequence[str]) -> frozenset[str]:
    """Capitalised words seen inside a sentence somewhere: names, not just openers (a job for the worker)."""
    seen: set[str] = set()
    # Once per distinct text: a union of sets (10,000 articles: 275,000 sentences, 19,000 texts; issue 19).
    for sentence_text in dict.fromkeys(texts):
        text = _strip_dateline(sentence_text)
        # All matches but one at the start: only the first can be there, when the text opens with
        # a match (a third faster than testing each match's start, issue 19).
        found = _NAME.findall(text)
        if found and _NAME.match(text) is not None:
            del found[0]
        seen.update(found)
    return frozenset(_normal_name(word) for word in seen)


def _normal_name(word: str) -> str:
    word = word.replace(".", "").lower()
    for suffix in ("’s", "'s"):
        word = word.removesuffix(suffix)
    return {"usa": "us"}.get(word, word)


def _strip_dateline(text: str) -> str:
    """The sentence without a dateline ("BEIJING, June 19 —", "NEW YORK (AP) --")."""
    match = _DATELINE.match(text)
    return text[match.end():] if match else text


def _names(text: str, names_seen: frozenset[str]) -> frozenset[str]:
    """Who and where a sentence is about: its capitalised words, less roles and
    dates, the place of its dateline and who it is attributed to ("according
    to IMS Health", "Dawson said"), which differ between outlets reporting one
    fact and agree between unrelated facts from one informant."""
    text = _strip_dateline(text)
    attributed = {
        _normal_name(word)
        for pattern in (_ATTRIBUTED_BEFORE, _ATTRIBUTED_AFTER)
        for match in pattern.finditer(text)
        for word in match.group(1).split()
    }
    stops = stop_words()
    out: set[str] = set()
    for match in _NAME.finditer(text):
        name = _normal_name(match.group())
        if not name or name in stops or name in _TITLE_WORDS or name in _CALENDAR or name in attributed:
            continue
        # The first word is capitalised anyway: a name only if seen as one elsewhere.
        if match.start() == 0 and name not in names_seen:
            continue
        out.add(name)
    return frozenset(out)


def _markers(text: str, quantities: Iterable[Quantity]) -> frozenset[str]:
    """When a sentence says its fact happened: weekdays, dates, years, "last year".

    Figures set at different times are different events ("seven died last
    year" / "13 infected this year"), however alike the sentences are.
    """
    markers = {w.lower() for w in _WORD.findall(text) if w.lower() in _WEEKDAYS}
    markers.update(" ".join(m.group().lower().split()) for m in _RELATIVE_TIME.finditer(text))
    for q in quantities:
        if q.unit == "date":
            markers.add(f"date:{q.value:g}")
    return frozenset(markers)


def _quoted(text: str, start: int) -> bool:
    """Is offset ``start`` inside a quotation? Quoted figures are one speaker's words."""
    before = text[:start]
    if before.count("``") > before.count("''"):
        return True
    # Curly quotes are often typed the wrong way round ("“constructive“"):
    # count them all as one kind, so only their parity tells.
    return (before.count('"') + before.count("“") + before.count("”")) % 2 == 1


def _hedged(text: str, quantity: Quantity) -> bool:
    """A forecast or a possibility ("could top $2 billion", "43 percent of
    voters would back it") is not a reported fact."""
    before = _WORD.findall(text[:quantity.start])[-HEDGE_WINDOW:]
    after = _WORD.findall(text[quantity.end:])[:HEDGE_WINDOW // 2]
    return any(word.lower() in _HEDGES for word in (*before, *after))


def _measure(quantity: Quantity, text: str) -> str:
    """What a figure measures: a class label ("talks", "deaths") or its noun's lemma.

    A figure with no noun of its own takes the nearest class word within a
    few words ("spoke with Qin for seven hours" measures talks).
    """
    if quantity.noun:
        measure = _CLASS_OF_WORD.get(quantity.noun, lemma(quantity.noun))
        restricted = _RESTRICTION.match(text, quantity.end)
        if measure == quantity.unit and restricted:
            # "two boys with the disease" are not all of "three boys".
            measure += f" {restricted.group(1).lower()} {restricted.group(2).lower()}"
        return measure
    before = _WORD.findall(text[:quantity.start])[-MEASURE_WINDOW:]
    after = _WORD.findall(text[quantity.end:])[:MEASURE_WINDOW]
    best = ""
    best_distance = MEASURE_WINDOW + 1
    for distance, word in enumerate(reversed(before), start=1):
        if word.lower() in _CLASS_OF_WORD and distance < best_distance:
            best, best_distance = _CLASS_OF_WORD[word.lower()], distance
    for distance, word in enumerate(after, start=1):
        if word.lower() in _CLASS_OF_WORD and distance < best_distance:
            best, best_distance = _CLASS_OF_WORD[word.lower()], distance
    return best


def _widened(quantity: Quantity) -> tuple[float, float]:
    """The values a sentence allows: its bounds, widened by the rounding of its digits."""
    return quantity.low - quantity.precision, quantity.high + quantity.precision


def _facts(
    sentences: Sequence[Sentence], corroboration: Corroboration, names_seen: frozenset[str],
    published: Sequence[str], *, only: Collection[int] | None = None,
) -> list[_Fact]:
    facts: list[_Fact] = []
    indices = range(len(sentences)) if only is None else sorted(only)
    for index in indices:
        sentence = sentences[index]
        text = sentence.text
        if text.rstrip().endswith("?"):
            continue  # a question states nothing
        quantities = extract_quantities(text)
        candidates = [
            q for q in quantities
            if q.unit not in _NOT_COMPARED and q.role in _COMPARED_ROLES
            and not _quoted(text, q.start) and not _hedged(text, q)
        ]
        if not candidates:
            continue
        names = _names(text, names_seen)
        if not names:
            continue  # about no one in particular: which event is unknowable
        measured = [(q, _measure(q, text)) for q in candidates]
        # Two figures of one kind in a sentence ("three hours with Wang after
        # seven with Qin"): which one a match refers to is unclear.
        keys = [(q.unit, measure, q.compared_role) for q, measure in measured]
        source = int(corroboration.source_index[index])
        markers = _markers(text, quantities)
        for (quantity, measure), key in zip(measured, keys, strict=True):
            if keys.count(key) > 1:
                continue
            low, high = _widened(quantity)
            facts.append(_Fact(
                sentence=index, source=source, group=corroboration.group_of_source[source],
                quantity=quantity, measure=measure, names=names, markers=markers,
                published=published[source], low=low, high=high,
            ))
    return facts


# --- same claim ------------------------------------------------------------------


def _same_claim(a: _Fact, b: _Fact, similarity: float) -> bool:
    """Do two figures of different sources state the same claim?"""
    qa, qb = a.quantity, b.quantity
    if a.source == b.source or qa.unit != qb.unit or qa.compared_role != qb.compared_role or a.measure != b.measure:
        return False
    if qa.role == qb.role == "conversion":
        # two reporters' arithmetic on a figure each first gave in another unit: compared there, if at all
        return False
    # Each names someone the other does not ("talks with Wang" / "with Qin"):
    # different subjects. Set at different times: different events.
    if not (a.names <= b.names or b.names <= a.names):
        return False
    if a.markers and b.markers and not a.markers & b.markers:
        return False
    if a.published and b.published and a.published != b.published:
        return False  # a figure updated from one day to the next is news, not a dispute
    if qa.vague and qb.vague:
        return False  # "thousands of years" and "billions of years" say nothing exact
    # A figure of something specific ("hours of talks", "people killed") is
    # compared between sentences that state the same claim. A figure of a
    # thing in general ("300 flights", "68 percent") only between close
    # paraphrases that name exactly the same people and places: its own words
    # ("miles per gallon") make unrelated sentences look alike.
    if a.measure not in ("", qa.unit):
        return similarity >= CLAIM_THRESHOLD
    return a.names == b.names and similarity >= PARAPHRASE_THRESHOLD


def _compatible(a: _Fact, b: _Fact) -> bool:
    """Can both figures be true? Touching intervals count only when one is a point."""
    overlap = min(a.high, b.high) - max(a.low, b.low)
    if overlap > 0:
        return True
    return overlap == 0 and (a.width == 0 or b.width == 0)


def _same_claim_edges(facts: list[_Fact], corroboration: Corroboration) -> dict[int, set[int]]:
    """Fact adjacency: pairs that state the same claim, found along the similarity graph."""
    by_sentence: dict[int, list[int]] = {}
    for k, fact in enumerate(facts):
        by_sentence.setdefault(fact.sentence, []).append(k)
    rows = sorted(by_sentence)
    # Only pairs the sparse graph holds are candidates: never all pairs.
    sub = corroboration.graph.submatrix(rows).tocoo()
    edges: dict[int, set[int]] = {k: set() for k in range(len(facts))}
    for r, c, value in zip(sub.row, sub.col, sub.data, strict=True):
        if r >= c:
            continue
        for fa in by_sentence[rows[r]]:
            for fb in by_sentence[rows[c]]:
                if _same_claim(facts[fa], facts[fb], float(value)):
                    edges[fa].add(fb)
                    edges[fb].add(fa)
    return edges


def _components(n: int, edges: dict[int, set[int]]) -> list[list[int]]:
    seen: set[int] = set()
    components: list[list[int]] = []
    for start in range(n):
        if start in seen or not edges[start]:
            continue
        stack, component = [start], []
        seen.add(start)
        while stack:
            k = stack.pop()
            component.append(k)
            for other in edges[k]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        components.append(sorted(component))
    return components


# --- variants ----------------------------------------------------------------------


def _discrepancy(
    component: list[int], facts: list[_Fact], edges: dict[int, set[int]],
    sources: Sequence[Source], sentences: Sequence[Sentence],
) -> tuple[tuple[int, int, str], Discrepancy] | None:
    """The variants of one claim, if its sources really disagree; with a sort key."""
    members = [facts[k] for k in component]
    conflicts = [
        (a, b) for a in component for b in edges[a]
        if a < b and facts[a].group != facts[b].group and not _compatible(facts[a], facts[b])
    ]
    if not conflicts:
        return None

    def agreeing(k: int) -> int:
        return sum(1 for other in members if _compatible(facts[k], other))

    # Representatives: the most specific figure first (an exact value before a
    # band before a bound), then the most widely shared, then reading order.
    order = sorted(component, key=lambda k: (
        facts[k].width, -agreeing(k), facts[k].source, facts[k].sentence))
    reps: list[int] = []
    for k in order:
        if all(not _compatible(facts[k], facts[r]) for r in reps):
            reps.append(k)
    sides = {r: {k for k in component if _compatible(facts[k], facts[r])} for r in reps}
    # A representative stays when a fact on its side conflicts, along a direct
    # same-claim edge, with a fact on another side that is not also on its own.
    kept = [r for r in reps if any(
        (a in sides[r] and b in sides[other] - sides[r])
        or (b in sides[r] and a in sides[other] - sides[r])
        for a, b in conflicts for other in reps if other != r
    )]
    if len(kept) < 2:
        return None
    ranked = []
    for r in kept:
        own = facts[r].source
        cited = sorted({facts[k].source for k in sides[r]} - {own})
        variant = Variant(
            text=typographic(sentences[facts[r].sentence].text),
            citations=(sources[own].id, *(sources[s].id for s in cited)),
            value=value_label(facts[r].quantity),
        )
        # The best-supported figure first, then reading order.
        ranked.append(((-len(variant.citations), own, facts[r].sentence), variant))
    ranked.sort(key=lambda item: item[0])
    topic = _topic([facts[r] for r in kept], sentences)
    first = min((facts[r].source, facts[r].sentence) for r in kept)
    return (*first, topic), Discrepancy(topic=topic, variants=tuple(v for _, v in ranked))


# --- labels --------------------------------------------------------------------------

_FRACTIONS = {0.25: "¼", 0.5: "½", 0.75: "¾"}
_MONEY_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "inr": "₹"}
_MONEY = frozenset(_MONEY_SYMBOLS) | frozenset({"cny", "aud", "cad", "hkd", "nzd", "sgd"})
_TIME_LABELS = {"second", "minute", "hour", "day", "week", "month", "year"}


def _number(value: float, *, glyphs: bool = False) -> str:
    """ "12", "1,200", "2.5", or "7½" with ``glyphs`` (as durations are written)."""
    whole = math.floor(value)
    rest = round(value - whole, 6)
    if rest == 0:
        return f"{whole:,}"
    if glyphs and rest in _FRACTIONS:
        return f"{whole:,}{_FRACTIONS[rest]}" if whole else _FRACTIONS[rest]
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _scaled(value: float, *, glyphs: bool = False) -> str:
    """ "2.5 billion", "5 million", "45,000"."""
    for factor, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= factor:
            return f"{_number(value / factor)} {word}"
    return _number(value, glyphs=glyphs)


def value_label(quantity: Quantity) -> str:
    """A short human label for a figure: "7½ hours", "more than 3 hours", "$2.5 billion"."""
    if quantity.vague:
        return quantity.text  # "thousands of people" says it best
    unit, _, per = quantity.unit.partition("/")
    glyphs = unit in _TIME_LABELS
    if quantity.low != quantity.high and not quantity.qualifier and math.isfinite(quantity.high):
        amount = f"{_scaled(quantity.low, glyphs=glyphs)}–{_scaled(quantity.high, glyphs=glyphs)}"
        plural = True
    else:
        amount = _scaled(quantity.value, glyphs=glyphs)
        plural = quantity.value != 1 or bool(quantity.qualifier)
    if unit in _MONEY_SYMBOLS:
        text = f"{_MONEY_SYMBOLS[unit]}{amount}"
    elif unit in _MONEY:
        text = f"{amount} {unit.upper()}"
    elif unit == "percent":
        text = f"{amount}%"
    elif unit == "person":
        text = f"{amount} {'people' if plural else 'person'}"
    elif unit in _TIME_LABELS or unit == "percentage point":
        text = f"{amount} {unit}{'s' if plural else ''}"
    elif unit == "age":
        text = f"aged {amount}"
    elif quantity.noun and lemma(quantity.noun) == unit:
        text = f"{amount} {quantity.noun}"
    else:
        text = f"{amount} {_plural(unit) if plural else unit}".rstrip()
    if per:
        text += f" a {per}"
    if quantity.qualifier and quantity.qualifier not in text:
        text = f"{quantity.qualifier} {text}"
    return text


def _plural(noun: str) -> str:
    if not noun or noun.endswith("s"):
        return noun
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def _topic(reps: list[_Fact], sentences: Sequence[Sentence]) -> str:
    """A short phrase for the claim: "length of the talks with Qin Gang"."""
    fact = reps[0]
    unit = fact.quantity.unit.partition("/")[0]
    measure = fact.measure or fact.quantity.noun
    if unit in _TIME_LABELS:
        topic = f"length of the {measure}" if measure else f"number of {unit}s"
    elif unit == "person":
        topic = f"number of {measure}" if measure in _MEASURE_CLASSES else "number of people"
    elif unit in _MONEY:
        topic = f"amount of the {measure}" if measure else "amount"
    elif unit in ("percent", "percentage point"):
        topic = f"share of {measure}" if measure else "percentage"
    else:
        topic = f"number of {_plural(unit)}"
    partner = _partner(reps, sentences)
    return f"{topic} with {partner}" if partner else topic


def _partner(reps: list[_Fact], sentences: Sequence[Sentence]) -> str:
    """The longest "with <Name>" that every variant names: "Qin Gang"."""
    shared = frozenset.intersection(*(f.names for f in reps))
    best = ""
    for fact in reps:
        for match in _WITH_NAME.finditer(sentences[fact.sentence].text):
            words = match.group(1).split()
            # Keep the name at the end of "Chinese Foreign Minister Qin Gang".
            tail: list[str] = []
            for word in reversed(words):
                if _normal_name(word) in _TITLE_WORDS:
                    break
                tail.insert(0, word.rstrip(",.;:"))
            name = " ".join(tail)
            if name and any(_normal_name(w) in shared for w in tail) and len(name) > len(best):
                best = name
    return best

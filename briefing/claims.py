"""Claims: does one sentence state what another asserts?

Bag-of-words similarity says two sentences are *about* the same thing; an
editor asks whether a cited source *states the claim*. Two sentences of
different sources state the same claim here when

* what they say overlaps beyond the story's shared vocabulary: datelines,
  agency tags, bylines and attribution ("X said", "according to", "the agency
  reported") are removed, and so are the names the whole cluster shares; at
  least two content stems that are not names must be shared, and the
  evidence must cover most of the item's main clause (weighted by how rare
  each word is in the cluster);
* their figures agree: the same measured thing with an incompatible figure is
  a discrepancy, never support;
* their status agrees: asserted vs hedged ("may", "could", "whether", "not
  confirmed"), about the future vs done ("will", "expected", "scheduled"),
  affirmed vs negated ("never", "did not", "denied").

The rules are explicit, so every verdict can be explained; the thresholds
were chosen on hand-labelled citations (docs/method.md, ``make bench-trust``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from itertools import chain, repeat

from briefing.clean import QUOTED as _QUOTED
from briefing.quantities import CURRENCY_UNITS, Quantity, extract_quantities, lemma, may_state_quantities
from briefing.segment import stem, stop_words, words

#: :func:`~briefing.segment.words` without its memo: for texts read once (the clauses of a sentence).
_unmemoised_words = words.__wrapped__

__all__ = [
    "ClaimContext", "ClaimView", "Verdict", "compare", "main_clause", "screening_terms", "shown", "status_of",
    "strip_dateline", "view",
]

#: The evidence must cover at least this share of the item's main clause
#: (idf-weighted content stems, cluster-wide names left out).
MAIN_COVERAGE = 0.6
#: ... and at least this share of the whole item.
ITEM_COVERAGE = 0.55
#: With a figure or a date in common (same measured thing, compatible value),
#: less of the wording needs to match: the figure anchors the claim.
ANCHORED_MAIN_COVERAGE = 0.35
ANCHORED_ITEM_COVERAGE = 0.2
#: Two open bounds anchor a claim when they are the same and at least this large ("more than 90,000").
SAME_BOUND_FROM = 1000
#: A figure and a date in common: this share of the main clause is enough.
DOUBLY_ANCHORED_COVERAGE = 0.15
#: A date in common anchors less than a figure: "January 1, 1999" is the date of many claims of a story.
DATE_ANCHORED_MAIN_COVERAGE = 0.5
#: "Partial" support: the evidence's own main clause is a part of the item
#: (this share of it is in the item) and they share this many content stems.
REVERSE_COVERAGE = 0.8
REVERSE_SHARED_CONTENT = 3
#: Content stems that are not names the two sentences must share.
MIN_SHARED_CONTENT = 2
#: A name carried by at least this share of the sources names the story, not a claim.
SHARED_NAME_SHARE = 0.5

# "BEIJING, June 19 —", "NEW YORK (AP) --", "MOSCOW, July 20 (Xinhua) --", "ATLANTA _", and a place's
# province in brackets: "BEIDAIHE (Hebei), March 5 (Xinhua) --".
DATELINE = re.compile(
    r"\s*[A-Z][A-Z.'’ -]+[A-Z.](?:\s\([A-Z][a-z][^)]{0,28}\))?(?:,[^—–()]{1,40}?)?\s*"
    r"(?:(?:\([^)]{1,30}\))?\s*(?:--|—|–|_)|\([^)]{1,30}\)\s+-(?=\s))\s*")  # "SOFIA, Bulgaria (AP) - The …" too
_DATELINE = DATELINE
# "(Xinhua) --", "(AP) _" left inside a sentence.
_AGENCY_TAG = re.compile(r"\((?:AP|AFP|Reuters|Xinhua|UPI|CNN|dpa|DPA|Kyodo|ITAR-TASS|Interfax)\)\s*(?:--|—|_)?")
_BYLINE = re.compile(r"^\s*By\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s*(?:,|--|—|_)\s*")
_NAME_RUN = r"(?:(?:the\s+)?[A-Z][\w’'.-]*\s+){1,5}"
_ATTRIBUTION_WORD = r"[\w’'.-]+"
#: The "according to" attribution pattern (``_ATTRIBUTION[0]``, case aside).
ACCORDING_TO = (
    r",?\s*(?:according to|citing|quoting)\s+(?:the\s+|a\s+)?"
    rf"(?:(?>{_ATTRIBUTION_WORD}\s*){{0,5}}?(?>{_ATTRIBUTION_WORD}\s*)(?=[,.;]|$)"
    rf"|(?>{_ATTRIBUTION_WORD}\s*){{0,5}}{_ATTRIBUTION_WORD}(?=\.))")
# Attribution clauses: who says it is not what is said.
_ATTRIBUTION = [
    # "According to" and up to six words before a comma, a full stop, a semicolon or the end. The
    # words were "(?:[\w’'.-]+\s*){1,6}?", whose pieces can split a word anywhere: where nothing
    # followed to end them the engine tried every split (a third of a millisecond per sentence
    # with the cue, issue 19). The same ends are tried in the same order, each once: the end of
    # each whole word and the spaces after it, first to sixth, then, from the last of them back,
    # a place inside a word before a full stop ("Mr" of "Mr."); tests/test_claims.py checks the
    # two agree.
    re.compile(ACCORDING_TO, re.IGNORECASE),
    re.compile(r",?\s*(?:the\s+)?(?:[\w’'.-]+\s+){0,5}?(?:said|says|reported|reports|added|told\s+\w+|"
               r"quoted\s+\w+\s+as\s+saying|announced|stated)(?:\s+(?:on|in)\s+(?:a\s+)?\w+)?\s*[.!]?\s*$"),
    re.compile(r"^\s*" + _NAME_RUN + r"(?:said|says|reported|reports|told\s+\w+|added|announced|stated)"
               r"(?:\s+(?:on|in)\s+\w+)?(?:\s+that)?\s+"),
]
#: How a match of the trailing attribution pattern (``_ATTRIBUTION[1]``) ends: its verb and what may
#: follow it to the end. Searched for first, it rules out most tails that hold one of the verbs
#: elsewhere ("said" mid-sentence) at a fraction of the cost of the whole pattern (issue 19). It
#: must stay the end of that pattern (tests/test_claims.py checks it).
_TRAILING_END = re.compile(r"(?:said|says|reported|reports|added|told\s+\w+|"
                           r"quoted\s+\w+\s+as\s+saying|announced|stated)(?:\s+(?:on|in)\s+(?:a\s+)?\w+)?\s*[.!]?\s*$")
_ATTRIBUTION_TRIGGER = re.compile(
    r"\b(?:said|says|reported|reports|added|told|quoted|announced|stated|according|citing|quoting)\b",
    re.IGNORECASE)


def _stems(text: str) -> frozenset[str]:
    """Stems of the whitespace-separated words of ``text`` (vocabularies kept as prose)."""
    return frozenset(stem(word) for word in text.split())


# Words about reporting, not about the event.
_REPORTING = _stems(
    "said say says saying told tell tells report reported reports reporting according added adding "
    "quoted quoting statement agency news newspaper spokesman spokeswoman spokesperson reporters "
    "source sources official officials citing cited daily television radio broadcast"
)
# Roles, titles and calendar words: they do not make a claim either.
_NOT_CONTENT = _stems(
    "secretary minister ministry president vice prime deputy chief general mr mrs ms dr "
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "june july august september october november december today yesterday tomorrow week "
    "year years month day time people one two three four five also"
)

#: A capitalised word or an initialism ("U.S."): a candidate name.
NAME = re.compile(r"(?:[A-Z]\.){2,}|[A-Z][\w’'-]*")
_NAME = NAME
# Irregular past forms, so "met" matches "meet" and "held" matches "hold" (the stemmer keeps them apart).
_IRREGULAR_TEXT = (
    "met:meet held:hold spoke:speak spoken:speak told:tell took:take taken:take gave:give given:give "
    "made:make came:come went:go gone:go began:begin begun:begin won:win lost:lose left:leave led:lead "
    "fled:flee shot:shoot sent:send sought:seek brought:bring bought:buy thought:think found:find "
    "fell:fall fallen:fall rose:rise risen:rise grew:grow grown:grow struck:strike wrote:write "
    "written:write ran:run saw:see seen:see knew:know known:know flew:fly flown:fly broke:break "
    "broken:break chose:choose chosen:choose drove:drive driven:drive stood:stand sold:sell paid:pay "
    "kept:keep felt:feel heard:hear meant:mean built:build spent:spend swore:swear sworn:swear "
    "fought:fight caught:catch taught:teach hung:hang laid:lay dealt:deal drew:draw drawn:draw "
    "threw:throw thrown:throw withdrew:withdraw withdrawn:withdraw"
)
_IRREGULAR = dict(pair.split(":") for pair in _IRREGULAR_TEXT.split())
# Words that report one event in different words: "killing 217" and "217 died" state one claim;
# "wounding 74" and "74 injured" too. Kept small: only words that news reports use interchangeably.
_SYNONYM_TEXT = (
    "die:kill dead:kill death:kill deadli:kill fatal:kill "
    "wound:injur hurt:injur detain:arrest blast:explos bomb:explos aboard:board "
    "jan:januari feb:februari mar:march apr:april jun:june jul:juli aug:august sep:septemb sept:septemb "
    "oct:octob nov:novemb dec:decemb"
)
_SYNONYM = dict(pair.split(":") for pair in _SYNONYM_TEXT.split())
# Words of sumy's stop list that carry a claim here: "the first visit", "could cause changes",
# "a serious threat" (the list was made for ranking, where they are noise).
_CLAIM_WORDS_TEXT = (
    "cause causes changes first second third fifth novel serious seriously welcome value allow allows "
    "appear believe indicate indicated indicates placed provides available necessary immediate useful "
    "different former right brief known"
)
_CLAIM_WORDS = frozenset(_CLAIM_WORDS_TEXT.split())

# Leading subordinate phrase, ended by a comma: "Making the first visit ..., Blinken held".
_LEADING_PHRASE = re.compile(
    r"^\s*(?:[A-Z][a-z]+ing|[A-Z][a-z]+ed|After|Before|While|Whilst|Despite|Although|Though|As|When|Since|"
    r"Because|Following|During|Amid|Amidst|Unlike|Like|With|Without|In|On|At|For|Under|If|Once|"
    r"Earlier|Later|Meanwhile|However|But|Also|Still)\b(?:[^,]|(?<=\d),(?=\d{3})){0,160}?,\s+")  # "2,600" is no comma
# "The company said (that) ...", "Elizabeth Birch, executive director of X, said ...".
_SAID_THAT = re.compile(
    r"^(?:[^.;:!?\"“”]|(?<=\b[A-Z])\.|(?<=\b[A-Z][a-z])\.|(?<=\b(?:Gov|Sen|Rep|Gen|Mrs))\.){0,160}?"
    r"\b(?:said|says|told\s+\w+|added|stated|announced|argued|insisted|warned|noted|"
    r"declared|claimed|acknowledged|conceded)(?:\s+(?:on|in|at)\s+\w+)?(?:\s+that)?\s+(?=\S)")
#: The verbs of _SAID_THAT, one of which it needs (case-sensitive). Keep in step with it.
_SAID_THAT_VERBS = ("said", "says", "told", "added", "stated", "announced", "argued", "insisted", "warned", "noted",
                    "declared", "claimed", "acknowledged", "conceded")
# "..., said Dr. Scott, ...", "..., according to ...", "..., he told reporters ..."
_SAID_AFTER = re.compile(
    r",(?:''|’’|”|\"|')?\s+(?:(?:he|she|they|it)\s+(?:said|says|told)\b|(?:said|says|reported|reports)\s+(?=[A-Z])|according\s+to\b)")
# A phrase with a finite verb is a clause of its own, not a lead-in ("Smoking is banned in ..., and").
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|do|does|did)\b")
# A leading clause a conjunction subordinates is no main clause, finite verb or not ("After learning that the
# ministry has issued tenders, the group said …": an editor's read of D0609 found a source cited for the tenders
# alone). Phrases led by a preposition ("In 1998 there were 500 cases, …") may hold the main verb.
_SUBORDINATE = re.compile(r"\s*(?:After|Before|While|Whilst|Although|Though|When|Because|If|Once|Unless|Until)\b")
# A trailing clause that adds background: ", which ...", ", though ...", "; ...".
_TRAILING_CLAUSE = re.compile(
    r"(?:,\s*(?:which|who|whom|whose|where|while|whereas|though|although|even though|but|as|amid|"
    r"despite|after|before|because|since|making|bringing|raising|adding|including|aimed at|and it|"
    r"arguing|saying|claiming|insisting|noting|"
    r"a\s+\w+\s+that)\b"
    # a participle after a comma tells of someone named before it ("the death of Ada Brook, beaten by a gang
    # in 1994"): background, not what the sentence claims (an editor's read of D0624)
    r"|,\s*(?:[a-z]+ed|born|known|shot|slain|beaten|stabbed|taken|seen|held)\s+(?:to|by|in|at|on|during|from|as)\b"
    r"|;\s|\s[—–_]\s|\s--\s)")

# Status cues, matched on the main clause.
_POSSIBLE = re.compile(
    r"\b(?:(?-i:may)|might|could|possibl[ey]|potential(?:ly)?|whether|speculat\w*|unconfirmed|rumou?r\w*|"
    r"perhaps|maybe|likely|unlikely|reportedly|considering|mulling|weighing|if|feared|"
    r"(?:is|are|was|were|been)\s+believed|allegedly|(?:suspected|accused)\s+of\s+\w+ing)\b|"
    r"\b(?:not|yet to be|no)\s+(?:yet\s+)?(?:been\s+)?confirm\w*|\bno confirmation\b", re.IGNORECASE)
# "more difficult than expected", "as anticipated": a comparison, not a look ahead; "the objectives were
# to verify": a past purpose.
_FUTURE = re.compile(
    r"\b(?:will|shall|won't|would(?!\s+have)|(?<!\bthan\s)(?<!\bas\s)expected|expects?|expecting|scheduled|set to|"
    r"due to|plans?\s+to|"
    r"(?<!\bthe\s)(?<!\ba\s)(?<!\ban\s)(?<!\bits\s)(?<!\btheir\s)(?<!\bbeen\s)(?<!'s\s)(?<!’s\s)planned|"
    r"(?<!\bfor\s)(?<!\bof\s)(?<!\bin\s)(?<!\bby\s)(?<!\bwith\s)planning|"
    r"intends?|intended|is to|are to|"
    r"(?<!\bobjective\s)(?<!\bobjectives\s)(?<!\baim\s)(?<!\baims\s)(?<!\bgoal\s)(?<!\bgoals\s)"
    r"(?<!\bpurpose\s)(?:was|were) to|"
    r"aims? to|hopes? to|upcoming|"
    r"to be held|going to|prepares? to|preparing to)\b",
    re.IGNORECASE)
#: What :func:`status_of` reads as looking ahead (where a clause's first such cue is: briefing.plan).
FUTURE_CUE = _FUTURE
# What a thing is for, not what is to happen: "the purpose of the levee is to keep …" (an editor's read of
# D0612 found a doctor's quote on what an organ is for filed under Outlook), "the objectives were to verify".
_PURPOSE_IS_TO = re.compile(
    r"\b(?:purpose|aim|goal|objective|role|job|task|function)s?\s+(?:of\s+(?:[\w'’`-]+\s+){1,4}?)?"
    r"(?:is|are|was|were)\s+to\b", re.IGNORECASE)
_NEGATED = re.compile(
    r"\b(?:not|never|no|n't|neither|nor|nobody|nothing|none|denied|denies|deny|denying|"
    r"refused|refuses|rejected|rejects|failed to|without)\b|n't\b", re.IGNORECASE)


# A negation that asserts: "haven't been shy about wooing voters" (they wooed them), "did not
# hesitate to sue", "not only … but also", "no less than 40": not a denial (an editor's read of D0619
# found a claim that two candidates courted a group's votes shown as disputed by such a litotes).
# An earlier report, told as such: "investigators had said last week that …", "the cases originally were
# blamed on …". A story retells an earlier view mostly to correct it; it does not state it now.
_SUPERSEDED = re.compile(
    r"\bhad\s+(?:\w+ly\s+)?(?:said|reported|thought|believed|estimated|claimed|suggested|speculated|feared|predicted)\b"
    r"|\b(?:initially|originally)\s+(?:(?:was|were|had\s+been|been)\s+)?[a-z]+(?:ed|en|id|aid|ought)\b",
    re.IGNORECASE)


_NOT_NEGATION = re.compile(
    r"(?:\b(?:not|never)|n't)\s+(?:(?:been|be|was|were|is|are)\s+)?"
    r"(?:bashful|shy|hesitant|reluctant|afraid|slow|averse|hesitate[ds]?|only)\b"
    r"|\b(?:no|nothing)\s+(?:less|fewer|short)\s+(?:than|of)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Status:
    possible: bool
    future: bool
    negated: bool
    #: Under way, not done: "cameras are being installed" states no "cameras watched" (an editor's read
    #: of D0620). Not a look ahead for sections: what is being done is a development.
    ongoing: bool = False

    @property
    def asserted(self) -> bool:
        """Reported as fact: not hedged, not looked forward to, not denied, not under way."""
        return not (self.possible or self.future or self.negated or self.ongoing)

    def label(self) -> str:
        """How an editor would name the status: "not confirmed", "expected", "denied", "reported"."""
        if self.possible:
            return "possible, not confirmed"
        if self.future:
            return "expected"
        if self.negated:
            return "denied or not done"
        if self.ongoing:
            return "under way"
        return "reported as fact"


_PLAIN_STATUS = Status(possible=False, future=False, negated=False)
# A passive in progress: "are being installed", "is being built".
_ONGOING = re.compile(r"\b(?:is|are)\s+being\s+[a-z]+(?:ed|en|t)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """A compared figure: what it measures, and the values the sentence allows."""

    key: tuple[str, str, str]  # unit, measure, role (a conversion's is "amount": it measures the same)
    low: float
    high: float
    width: float
    quantity: Quantity

    @property
    def converted(self) -> bool:
        """A reporter's conversion of the figure before it ("(31,000 square kilometers)")."""
        return self.quantity.role == "conversion"


def _both_converted(a: Figure, b: Figure) -> bool:
    """Two conversions are two reporters' arithmetic, not two figures of the claim: never compared.

    A conversion is compared with a figure first given in its unit ("20,000
    square kilometers" against another outlet's "9,500 square miles (24,600
    square kilometers)": an editor's read of D0716C), not with another
    conversion: "(19,000 sq. kms)" and "(31,000 square kilometers)" of one
    area in square miles made an update brief show the area as changed (D0716B).
    """
    return a.converted and b.converted


@dataclass(frozen=True, eq=False)  # identity: views are memoised per text, and hashed often
class ClaimView:
    """What one sentence asserts, ready for comparison."""

    content: frozenset[str]  # content stems, attribution and reporting words removed
    names: frozenset[str]  # stems of names (capitalised words, titles, calendar words)
    main: frozenset[str]  # content stems of the main clause
    body: str  # the sentence without dateline and attribution, where figures are read
    #: The main clause's text, whose status is the sentence's.
    main_clause: str = ""
    #: Stems of the capitalised words that open the main clause ("Thompson met ...": "thompson"),
    #: the first one kept even if it only starts the sentence; the context decides if it is a name.
    opening: tuple[str, ...] = ()
    #: The stem of the sentence's first word when it is capitalised only for starting the sentence.
    capital_first: str = ""
    #: Who the sentence credits its claim to, by name ("adult learning council" of
    #: "…, according to the Adult Learning Council"; "berg" of "…, Berg said"), and
    #: whether it does so with "according to" (how a figure is credited to whoever counted it).
    credited: str = ""
    credited_by_according: bool = False

    # The status and the clauses are read when first asked for: only pairs that pass compare's
    # tests on words and figures need them, a view in three of them at 1,000 articles, and reading
    # them was two fifths of the time of :func:`view` (issue 19).
    @cached_property
    def status(self) -> Status:
        """Whether the main clause hedges, looks ahead or negates."""
        return status_of(self.main_clause)

    @cached_property
    def clause_terms(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """Each clause (:func:`split_clauses`) and its terms, content and names together.

        What :meth:`status_near` reads: it needs the status of one clause, the
        one that shares most, not of every clause (issue 19: reading them all
        was a third of the time of the clauses).
        """
        if _CLAUSE_BREAK.search(self.body) is None:  # only an unsplit body can be a clause equal to it
            return ((self.body, self.content | self.names),) if self.body.strip() else ()
        return tuple((piece, _all_terms(found)) for piece, found in _clause_pieces(self.body))

    def status_near(self, terms: frozenset[str]) -> Status:
        """The status of the clause that shares most of ``terms`` (the whole main clause's if none)."""
        best_piece = self._clause_sharing(terms)
        if best_piece is None or best_piece == self.main_clause:
            return self.status
        return _clause_status(best_piece)

    def dates_near(self, terms: frozenset[str]) -> frozenset[str]:
        """The dates of the clause that shares most of ``terms`` (all of the sentence's if none).

        What a date test of two sentences reads: "She has set May 14 as the
        deadline for convening the council, elected in a vote … after her
        party won 64 percent of its seats" dates the deadline, not the vote
        whose share of seats another sentence gives for an earlier year (an
        editor's read of D0706A found such a disagreement missed).
        """
        piece = self._clause_sharing(terms)
        if piece is None or not self.dates:
            return self.dates
        return _figures(piece)[1] if piece != self.body else self.dates

    def _clause_sharing(self, terms: frozenset[str]) -> str | None:
        """The clause (:attr:`clause_terms`) sharing most of ``terms``, the first on ties; None if none shares any."""
        best, best_piece = 0, None
        for piece, piece_terms in self.clause_terms:
            shared = len(piece_terms & terms)
            if shared > best:
                best, best_piece = shared, piece
        return best_piece

    # Read once per view, then plain attributes: a build asks for them for every compared pair (issue 19).
    @cached_property
    def figures(self) -> tuple[Figure, ...]:
        return _figures(self.body)[0]

    @cached_property
    def dates(self) -> frozenset[str]:
        return _figures(self.body)[1]

    @cached_property
    def quantifiers(self) -> tuple[frozenset[str], frozenset[str]]:
        """Classes of the quantifiers of the main clause and of the whole body ("most", "some": :func:`compare`)."""
        return _quantifiers(self.main_clause), _quantifiers(self.body)

    @cached_property
    def superseded(self) -> bool:
        """Does the sentence retell an earlier report ("had said", "originally … blamed on")?"""
        return _SUPERSEDED.search(self.body) is not None


@dataclass(frozen=True)
class ClaimContext:
    """Cluster-wide facts the comparison needs: names every source uses, word rarity."""

    shared_names: frozenset[str]
    idf: dict[str, float]
    default_idf: float
    #: Stems only ever written as names in the cluster ("thompson", not "police"): a capitalised
    #: first word with such a stem is a name, the subject of its clause.
    name_only: frozenset[str] = frozenset()
    #: Per sentence view, its main-clause and whole terms (shared names out) with their total weights.
    _prepared: dict[ClaimView, _Prepared] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_views(cls, views_by_source: Sequence[Sequence[ClaimView]]) -> ClaimContext:
        """Build from the views of each (independent) source's sentences."""
        n_sources = max(1, len(views_by_source))
        name_df: Counter[str] = Counter()
        df: Counter[str] = Counter()
        content_seen: set[str] = set()
        n_sentences = 0
        for views in views_by_source:
            name_df.update(set().union(*(v.names for v in views)) if views else set())
            for v in views:
                df.update(v.content | v.names)
                content_seen.update(v.content - {v.capital_first})
                n_sentences += 1
        threshold = max(2, math.ceil(SHARED_NAME_SHARE * n_sources))
        shared = frozenset(n for n, k in name_df.items() if k >= threshold) if n_sources >= 3 else frozenset()
        total = max(1, n_sentences)
        idf = {term: math.log((1 + total) / (1 + k)) + 1.0 for term, k in df.items()}
        return cls(shared_names=shared, idf=idf, default_idf=math.log(1 + total) + 1.0,
                   name_only=frozenset(name_df) - content_seen)

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.default_idf)

    def prepared(self, claim: ClaimView) -> _Prepared:
        """The claim's terms without the shared names, and their total weights (memoised)."""
        found = self._prepared.get(claim)
        if found is None:
            out = self.shared_names
            main = (claim.main | (claim.names - out)) - out
            whole = (claim.content | claim.names) - out
            found = _Prepared(main, whole, claim.content | claim.names,
                              self.total(main), self.total(whole))
            self._prepared[claim] = found
        return found

    def total(self, terms: Iterable[str]) -> float:
        # map over dict.get: the same additions in the same order as a generator, without its frames.
        return sum(map(self.idf.get, terms, repeat(self.default_idf)))


@dataclass(frozen=True)
class _Prepared:
    main: frozenset[str]
    whole: frozenset[str]
    terms: frozenset[str]  # content and names, shared names included
    main_weight: float
    whole_weight: float


@dataclass(frozen=True)
class Verdict:
    """The outcome of comparing an item with a candidate evidence sentence."""

    kind: str  # "supports" | "figure" | "status" | "unrelated"
    coverage: float = 0.0


def strip_dateline(text: str) -> str:
    """The sentence without a dateline, agency tag or byline at its start."""
    match = _DATELINE.match(text)
    if match and match.end() < len(text):
        text = text[match.end():]
    text = _BYLINE.sub("", text)
    return _AGENCY_TAG.sub(" ", text).strip()


# "here" as a place: the dateline's city ("said here today", "based here"), not "here in Boston";
# and "the city", "the capital" that no name follows ("Since the city banned smoking ..." under
# "NEW YORK _": an editor's read found the place lost).
_HERE_ONLY = re.compile(r"\bhere\b(?!\s+(?:in|at|on)\s+[A-Z])")
_HERE = re.compile(_HERE_ONLY.pattern + r"|\b[Tt]he (?:city|capital)\b(?!\s+of\b|\s*,?\s*[A-Z])")


def display_start(text: str) -> int:
    """Where a sentence's own words begin: after a leading dateline or agency tag (0 if none).

    "ISLAMABAD, Pakistan (AP) _ Troops ..." is shown from "Troops"; the
    citation still points at the whole sentence. A sentence that says "here"
    (or "the city", "the capital" with no name after it) keeps its dateline:
    "ADDIS ABABA, April 2 (Xinhua) -- Six ministers ... started here today"
    would lose the only place it names (:func:`shown` names it in brackets instead).
    """
    end, start = _own_words(text, _DATELINE.match(text))
    return 0 if end is not None and _HERE.search(text, end) else start


def _own_words(text: str, dateline: re.Match[str] | None) -> tuple[int | None, int]:
    """Where the sentence's ``dateline`` ends (None if it has none), and where its own words begin."""
    end = dateline.end() if dateline is not None else None
    if end is not None and (end >= len(text) or not (text[end].isalnum() or text[end] in "“\"'‘(")):
        end = None  # what follows is not the start of a sentence
    start = end or 0
    tag = _AGENCY_TAG.match(text, start)
    if tag and tag.end() < len(text):
        start = tag.end()
        while start < len(text) and text[start] == " ":
            start += 1
    return end, start


def shown(text: str, place: str | None = None) -> str:
    """A sentence as the page shows it: without its dateline, the place it names in brackets where needed.

    "ADDIS ABABA, April 2 (Xinhua) -- Six ministers … started here today" is
    shown as "Six ministers … started here [Addis Ababa] today", and "BUFFALO,
    N.Y. (AP) -- The city plans …" as "The city [Buffalo] plans …": a reader
    keeps the place without a dateline to read past (editors count an item
    that opens with one unusable). ``place``: the dateline's place of the
    sentence's article (:func:`dateline_place`), for a later sentence of it
    that says "here" ("a charity based here"; not "the city", which a later
    sentence may say of another). brief.json's evidence keeps the sentence
    as written.
    """
    dateline = _DATELINE.match(text)
    end, start = _own_words(text, dateline)
    body = text[start:]
    if end is not None and _HERE.search(text, end):
        # The dateline names the place "here" means: in brackets instead.
        here = _HERE.search(body)
        named = dateline_place(text)
        return text if here is None or not named else _bracketed(body, here.end(), named)
    # A later sentence of the article (no dateline of its own, or none read as one) that says "here".
    if place and (dateline is None or start == 0) and (here := _HERE_ONLY.search(body)) is not None:
        return _bracketed(body, here.end(), place)
    return body


def _bracketed(text: str, at: int, place: str) -> str:
    """``text`` with " [place]" put in at ``at``."""
    return f"{text[:at]} [{place}]{text[at:]}"


def dateline_place(text: str) -> str | None:
    """The place of the wire dateline ``text`` opens with ("ADDIS ABABA, April 2 (Xinhua) --": "Addis Ababa")."""
    if _DATELINE.match(text) is None:
        return None
    return _PLACE_END.split(text, maxsplit=1)[0].strip(" .").title() or None


# Where a dateline's place ends: "ADDIS ABABA, April 2", "DHAKA, Bangladesh (AP)", "LONDON—".
_PLACE_END = re.compile(r"[,(—–_]|\s--")


def strip_attribution(text: str) -> str:
    """The sentence without "X said", "according to Y" and the like."""
    if text.isascii():
        # What the trigger needs, case aside: one of its words (a third of the search's time, issue 19).
        lowered = text.lower()
        if not any(word in lowered for word in _TRAILING_VERBS) and not any(
                cue in lowered for cue in _ACCORDING_CUES):
            return text
    if not _ATTRIBUTION_TRIGGER.search(text):
        return text  # the usual case, and the patterns below are costly
    leading, trailing, according = _ATTRIBUTION[2], _ATTRIBUTION[1], _ATTRIBUTION[0]
    for pattern in (according, trailing, leading):
        if pattern is trailing:
            # The trailing pattern spans at most a dozen words: search only the tail.
            cut = _tail_start(text, 14)
            tail = text[cut:]
            # Case-sensitive, it needs one of its verbs there (issue 19: most tails have none),
            # and the end of a match at the end of the tail (most verbs there are mid-sentence).
            if any(verb in tail for verb in _TRAILING_VERBS) and _TRAILING_END.search(tail):
                tail = pattern.sub(" ", tail)
            shorter = (text[:cut] + tail).strip()
        elif pattern is according and text.isascii() and not any(cue in text.lower() for cue in _ACCORDING_CUES):
            shorter = text.strip()  # what the substitution gives when it cannot match (most sentences)
        else:
            shorter = pattern.sub(" ", text).strip()
        if len(words(shorter)) >= 4:
            text = shorter
    return text


#: The verbs one of which the trailing attribution pattern needs, as written there (case-sensitive),
#: and what the "according to" pattern needs (case-insensitive). Keep in step with _ATTRIBUTION;
#: together they are the words of _ATTRIBUTION_TRIGGER.
_TRAILING_VERBS = ("said", "says", "reported", "reports", "added", "told", "quoted", "announced", "stated")
_ACCORDING_CUES = ("according", "citing", "quoting")


def _tail_start(text: str, n_words: int) -> int:
    """Offset where the last ``n_words`` whitespace-separated words begin."""
    spaces = [m.start() for m in re.finditer(r"\s+", text)]
    return spaces[-n_words] if len(spaces) >= n_words else 0


def main_clause(text: str) -> str:
    """The main clause, roughly: no leading subordinate phrase, no trailing background clause."""
    return _main_clause_of_body(strip_attribution(strip_dateline(text)))


def lead_in(text: str, clause: str | None = None) -> str:
    """What stands before the main clause when a comma sets it off ("As the games opened on Monday, …"), or "".

    Not a report's frame ("Prosecutors argued on Monday that …", "The
    government announced …"), which names who said it. ``clause``: the main
    clause of ``text`` when already read.
    """
    clause = main_clause(text) if clause is None else clause
    start = text.find(clause) if clause else -1
    lead = text[:start] if start > 0 else ""
    return lead if lead.rstrip().endswith(",") else ""


#: What sets off an aside as :data:`_TRAILING_CLAUSE` reads it: a dash.
_DASHES = frozenset({"—", "–", "_", "--"})

# An embedded clause closed by a comma: "McCain, who also is seeking the nomination, met ...".
_EMBEDDED_CLAUSE = re.compile(r",\s+(?:who|which|whose|whom|where|when|such as|including)\s[^,;]{3,120}?,\s+(?=[a-z])")


def _main_clause_of_body(text: str) -> str:
    text = _EMBEDDED_CLAUSE.sub(" ", text)
    reported = _SAID_AFTER.search(text)
    if reported and len(words(text[:reported.start()])) >= 4:
        text = text[:reported.start()]  # "..., said Dr. Scott, director of ...": who said it is not the claim
    # The pattern needs one of its verbs, as written: most sentences have none (issue 19).
    said = _SAID_THAT.match(text) if any(verb in text for verb in _SAID_THAT_VERBS) else None
    if said and len(words(text[said.end():])) >= 3:
        text = text[said.end():]  # "The company said it would appeal": the claim is what was said
    lead = _LEADING_PHRASE.match(text)
    if lead and (not _FINITE.search(lead.group()) or _SUBORDINATE.match(lead.group())) \
            and len(words(text[lead.end():])) >= 4:
        text = text[lead.end():]
    trail = _TRAILING_CLAUSE.search(text)
    if trail and trail.group().strip() in _DASHES:
        # A dash inside quotation marks is a title's or a speaker's ("``Episode I _ The Phantom Menace''"):
        # the clause goes on after it (an editor's read of D0604, stop 38).
        quoted = [match.span() for match in _QUOTED.finditer(text)]
        trail = next((found for found in _TRAILING_CLAUSE.finditer(text, trail.start())
                      if found.group().strip() not in _DASHES
                      or not any(start < found.start() < end for start, end in quoted)), None)
    if trail and len(words(text[:trail.start()])) >= 4:
        text = text[:trail.start()]
    return text


_CLAUSE_BREAK = re.compile(r",\s+|;\s+|\s[—–_]\s|\s--\s|\s(?:and|but|while|whereas|though|although)\s")


def split_clauses(text: str) -> tuple[str, ...]:
    """Rough clauses: pieces between commas, semicolons, dashes and conjunctions (short ones join the last)."""
    return tuple(piece for piece, _ in _clause_pieces(text))


def _clause_pieces(text: str) -> list[tuple[str, list[str]]]:
    """:func:`split_clauses`' pieces, each with its words.

    Each piece's words are read once (not through the memo of :func:`words`,
    which pieces would fill), and a joined piece's words are those of its
    parts: the words of "a" + " " + "b" are those of "a" then those of "b".
    """
    pieces: list[tuple[str, list[str]]] = []
    for piece in _CLAUSE_BREAK.split(text):
        found = list(_unmemoised_words(piece))
        if pieces and len(found) < 3:
            joined, tokens = pieces[-1]
            pieces[-1] = (joined + " " + piece, tokens + found)
        elif piece.strip():
            pieces.append((piece, found))
    return pieces


_ANY_STATUS = re.compile("|".join(f"(?:{p.pattern})" for p in (_POSSIBLE, _FUTURE, _NEGATED)), re.IGNORECASE)


def _cue_words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: The words each status pattern's cues can start with (lower case), and the cues that start
#: inside a word ("confirm…", "speculat…", "rumo(u)r…", "n't") or span words ("is to"): an
#: ASCII clause with none of a pattern's words or pieces cannot match it. Keep in step with
#: the three patterns above.
_STATUS_CUES: tuple[tuple[re.Pattern[str], frozenset[str], tuple[str, ...]], ...] = (
    (_POSSIBLE, _cue_words(
        "may might could possible possibly potential potentially whether unconfirmed perhaps maybe likely "
        "unlikely reportedly considering mulling weighing if feared believed allegedly suspected accused"),
     ("confirm", "speculat", "rumor", "rumour")),
    (_FUTURE, _cue_words(
        "will shall won would expected expect expects expecting scheduled set due plan plans planned planning "
        "intend intends intended upcoming aim aims hope hopes held going prepare prepares preparing"),
     ("is to", "are to", "was to", "were to")),
    (_NEGATED, _cue_words(
        "not never no neither nor nobody nothing none denied denies deny denying refused refuses rejected "
        "rejects failed without"),
     ("n't",)),
)
_ASCII_WORD = re.compile(r"\w+", re.ASCII)
#: Per pattern, its cue words and one search for any of its pieces (a generator of ``in`` tests per
#: clause and pattern cost a third of :func:`_status_cues`; issue 19).
_STATUS_CUE_TESTS = tuple((cue_words, re.compile("|".join(map(re.escape, pieces))))
                          for _, cue_words, pieces in _STATUS_CUES)


def _status_cues(clause: str) -> tuple[bool, bool, bool]:
    """For each status pattern (possible, future, negated): may it match ``clause``?

    False only when it cannot: an ASCII clause without any of the pattern's
    cue words or pieces. The three patterns searched at every position of
    every clause were a third of the time of :func:`view` (issue 19); most
    clauses hold none of their words, which a set test tells at once, and
    the others hold one pattern's. Other scripts go to the patterns.
    """
    if not clause.isascii():
        return True, True, True
    lowered = clause.lower()
    tokens = frozenset(_ASCII_WORD.findall(lowered))
    possible, future, negated = (
        not cue_words.isdisjoint(tokens) or pieces.search(lowered) is not None
        for cue_words, pieces in _STATUS_CUE_TESTS)
    return possible, future, negated


@lru_cache(maxsize=65_536)
def _clause_status(clause: str) -> Status:
    """:func:`status_of` of a clause of a sentence (memoised: asked again for each pair the sentence is in)."""
    return status_of(clause)


def status_of(clause: str) -> Status:
    """Whether a clause hedges, looks ahead or negates."""
    possible, future, negated = _status_cues(clause)
    ongoing = "being" in clause and _ONGOING.search(clause) is not None
    if not (possible or future or negated or ongoing):
        return _PLAIN_STATUS  # most clauses: no search at all
    if not ongoing and not clause.isascii() and not _ANY_STATUS.search(clause):
        return _PLAIN_STATUS  # one search instead of three
    possible = possible and bool(_POSSIBLE.search(clause))
    future = future and bool(_FUTURE.search(_PURPOSE_IS_TO.sub(" ", clause) if " to " in clause else clause))
    negated = negated and bool(_NEGATED.search(_NOT_NEGATION.sub(" ", clause)))
    if not (possible or future or negated or ongoing):
        return _PLAIN_STATUS
    return Status(possible=possible, future=future, negated=negated, ongoing=ongoing)


def _split_terms(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(content stems, name stems) of a text; reporting words dropped."""
    tokens = words(text)
    if not tokens:
        return frozenset(), frozenset()
    # Each word's terms are memoised (:func:`_word_terms`): a view splits its body, its main
    # clause and each clause, every word three times or more (issue 19). The terms are added
    # in reading order, as one word at a time did: the same sets, iterated in the same order.
    first_content, first_names = _first_word_terms(tokens[0])
    content = set(first_content)
    names = set(first_names)
    for more_content, more_names in map(_word_terms, tokens[1:]):
        if more_content:
            content.update(more_content)
        if more_names:
            names.update(more_names)
    return frozenset(content), frozenset(names)


def _all_terms(tokens: Sequence[str]) -> frozenset[str]:
    """The content and name stems of a text's words together (what :func:`_split_terms` gives, united)."""
    if not tokens:
        return frozenset()
    terms = set(chain.from_iterable(_first_word_terms(tokens[0])))
    terms.update(chain.from_iterable(chain.from_iterable(map(_word_terms, tokens[1:]))))
    return frozenset(terms)


def _terms_of_word(word: str, first: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(content stems, name stems) of one word, in order; ``first``: it opens the text."""
    # "half-staff" and "half staff", "final-status talks" and "final status talks": the parts count.
    parts = word.split("-") if "-" in word and not word[:1].isdigit() else (word,)
    content: list[str] = []
    names: list[str] = []
    for offset, part in enumerate(parts):
        token, kind = _term(part, first and offset == 0)
        if kind == "content":
            content.append(token)
        elif kind == "name":
            names.append(token)
    return tuple(content), tuple(names)


@lru_cache(maxsize=200_000)
def _word_terms(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """:func:`_terms_of_word` of a word that does not open its text (memoised on the word alone)."""
    return _terms_of_word(word, False)


@lru_cache(maxsize=65_536)
def _first_word_terms(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """:func:`_terms_of_word` of a text's first word (memoised)."""
    return _terms_of_word(word, True)


@lru_cache(maxsize=200_000)
def _term(word: str, first: bool) -> tuple[str, str]:
    """A word's stem and kind: "content", "name" (names, titles, dates, numbers) or "" (dropped)."""
    lowered = word.lower().strip("'’")
    if not lowered or (lowered in stop_words() and lowered not in _CLAIM_WORDS):
        return "", ""
    lowered = _IRREGULAR.get(lowered, lowered)
    token = stem(lowered.replace(".", "")) if "." in lowered else stem(lowered)
    token = _SYNONYM.get(token, token)
    if token in _REPORTING:
        return token, ""
    is_name = bool(_NAME.fullmatch(word)) and (not first or word.isupper())
    if is_name or token in _NOT_CONTENT or word[:1].isdigit():
        return token, "name"
    return token, "content"


# Words that name one kind of measured thing.
_MEASURES: dict[str, str] = {
    word: label
    for label, group in {
        "talks": "talk talks talked meeting meetings met meet discussion discussions discussed "
                 "conversation negotiation negotiations session spoke dialogue summit",
        "deaths": "killed dead deaths death died dying fatalities lives toll killing bodies",
        "injuries": "injured wounded hurt injuries injuring wounding",
        "arrests": "arrested detained arrests arresting detaining",
        "missing": "missing unaccounted",
    }.items()
    for word in group.split()
}
_NOT_COMPARED_UNITS = frozenset({"", "date", "clock"})


def _measure(quantity: Quantity, text: str) -> str:
    if quantity.noun and (quantity.noun in _MEASURES or lemma(quantity.noun) != "person"):
        return _MEASURES.get(quantity.noun, lemma(quantity.noun))
    # "600 people have been confirmed dead": what happened to the people is the measure, when it is near.
    before = re.findall(r"[A-Za-z]+", text[:quantity.start])[-6:]
    after = re.findall(r"[A-Za-z]+", text[quantity.end:])[:6]
    for word in (*reversed(before), *after):
        if word.lower() in _MEASURES:
            return _MEASURES[word.lower()]
    return lemma(quantity.noun) if quantity.noun else ""


# A number right after a capitalised word that is not a sentence's function word names a thing.
_IDENTIFIER = re.compile(r"(?<![.!?]\s)\b(?!(?:About|Some|Nearly|Almost|More|Over|Under|At|In|On|By|Only|All|"
                         r"Up|To|Of|For|With|Around|Roughly|Just|Another|Less|Fewer|The|And|Of|Since|From)\b)"
                         r"[A-Z][a-z]+\s+$")


_ONE_WORD_ASIDE = re.compile(r"\(([a-z]+)\)")
_DISTANCE_UNITS = frozenset({"mile", "kilometer", "meter", "foot", "yard"})
# After a distance: a direction or "from"/"outside" that places something ("25 miles east of Atlanta").
_PLACE_AFTER_DISTANCE = re.compile(
    r"\s*(?:\([^()]{0,25}\)\s*)?(?:(?:to\s+the\s+)?(?:north|south|east|west|northeast|northwest|southeast|southwest)"
    r"(?:ern)?\s+of|from|outside|off|away|inland|upstream|downstream|up\s?river|down\s?river)\b", re.IGNORECASE)


@lru_cache(maxsize=65_536)
def _figures(text: str) -> tuple[tuple[Figure, ...], frozenset[str]]:
    """Compared figures and explicit dates; read only for pairs that already match in words."""
    figures: list[Figure] = []
    dates: set[str] = set()
    text = _ONE_WORD_ASIDE.sub(r"\1", text)  # "90,000 (metric) tons" reads as "90,000 metric tons"
    for q in extract_quantities(text):
        if q.unit == "date":
            dates.add(str(int(q.value)))  # 19991031, 1031 (no year) or 1999 (a year alone)
            continue
        if _IDENTIFIER.search(text, 0, q.start):
            continue  # "Flight 990", "Boeing 767": a name, not a figure
        if q.unit in _DISTANCE_UNITS and _PLACE_AFTER_DISTANCE.match(text, q.end):
            continue  # "a town 25 miles east of Atlanta": where a place is, as a name says it, not what happened
        if q.unit in _NOT_COMPARED_UNITS or q.role not in ("amount", "change", "ratio", "conversion") or q.vague:
            continue
        low, high = q.low - q.precision, q.high + q.precision
        figures.append(Figure((q.unit, _measure(q, text), q.compared_role), low, high, high - low, q))
    return tuple(figures), frozenset(dates)


def may_have_figures(claim: ClaimView) -> bool:
    """False only when the claim has neither figures nor dates (its ``figures`` and ``dates`` are empty).

    Told without reading them (:func:`briefing.quantities.may_state_quantities`):
    :func:`compare` finds a figure or a date in common (:func:`_anchored`) only
    between two claims that both have one, and most sentences have none.
    """
    # On the body as it is: taking the brackets off a one-word aside, as _figures does first,
    # changes neither its digits nor its words.
    return may_state_quantities(claim.body)


def may_have_dates(claim: ClaimView) -> bool:
    """False only when the claim has no date (its ``dates`` are empty): every date has a figure in digits."""
    return _DIGIT.search(claim.body) is not None


_DIGIT = re.compile(r"\d")


#: Views made in the second process (:func:`adopt_views`), taken by :func:`view` instead of computing them.
_ADOPTED: dict[str, ClaimView] = {}


@lru_cache(maxsize=65_536)
def view(text: str) -> ClaimView:
    """The comparable parts of one sentence (memoised on its text)."""
    adopted = _ADOPTED.get(text)
    if adopted is not None:
        return adopted
    undated = strip_dateline(text)
    body = strip_attribution(undated)
    # The main clause is most often the whole body: then it is split into terms once (issue 19).
    content, names = _split_terms(body)
    clause = _main_clause_of_body(body)
    main = content if clause == body else _split_terms(clause)[0]
    # Read where an attribution was taken off, or where "according to" stays (a long name).
    credited, by_according = (_credited(undated) if len(body) < len(undated.strip()) or "ccording to" in undated
                              else ("", False))
    return ClaimView(
        content=content, names=names, main=main or content, body=body, main_clause=clause,
        opening=_opening(clause), capital_first=_capital_first(body),
        credited=credited, credited_by_according=by_according,
    )


_CREDIT_NAME = r"((?:[A-Z][\w’'.&-]*\s+(?:(?:of|for|and|on|the)\s+)*){0,6}[A-Z][\w’'&-]*)"
_CREDITED_ACCORDING = re.compile(r"\b(?:[Aa]ccording to|[Cc]iting|[Qq]uoting)\s+(?:the\s+)?" + _CREDIT_NAME)
_CREDITED_SAID = re.compile(r"(?:^|,\s*|\s)(?:the\s+)?" + _CREDIT_NAME
                            + r"\s+(?:said|says|reported|reports|estimates|estimated|told|added|announced|stated)\b")


def _credited(text: str) -> tuple[str, bool]:
    """(name, by "according to") of whom ``text`` credits its claim to; ("", False) if it names no one."""
    match = _CREDITED_ACCORDING.search(text)
    if match:
        return match.group(1).lower(), True
    match = _CREDITED_SAID.search(text)
    return (match.group(1).lower(), False) if match else ("", False)


# How much of a group a claim is about: "most people" is not "some people" (an editor's read of D0622).
_QUANTIFIER_CLASSES = {"all": "all", "every": "all", "each": "all", "most": "most", "majority": "most",
                       "some": "some", "several": "some", "others": "some", "many": "many", "numerous": "many",
                       "few": "few", "minority": "few", "half": "half"}
_QUANTIFIER = re.compile(r"\b(" + "|".join(_QUANTIFIER_CLASSES) + r")\b", re.IGNORECASE)


def _quantifiers(text: str) -> frozenset[str]:
    if not any(word in text.lower() for word in ("all", "ever", "each", "most", "major", "some", "several",
                                                  "other", "many", "numerous", "few", "minor", "half")):
        return frozenset()
    return frozenset(_QUANTIFIER_CLASSES[word.lower()] for word in _QUANTIFIER.findall(text))


def quantifier_differs(item: ClaimView, evidence: ClaimView) -> bool:
    """The item's main clause is about "most" of a group, the evidence only about "some" (or the like).

    "Most people with the fever get headaches" is not stated by "some show no
    signs, others get headaches" (an editor's read of D0622): how much of the
    group is part of the claim, as a figure is. "Every year" and
    "each year" say the same.
    """
    mine = item.quantifiers[0]
    if not mine:
        return False
    theirs = evidence.quantifiers[1]
    return bool(theirs) and mine.isdisjoint(theirs)


def credited_to_another(item: ClaimView, evidence: ClaimView) -> bool:
    """A figure the item credits to one body ("according to" it) that the evidence credits to another.

    "An estimated 2.4 million adults …, according to the Adult Learning
    Council" is that council's count; "According to the Institute for Evening
    Study, as many as 2.4 million …" is another body's, even where the two
    agree (editors' reads of D0610 and D0620). A sentence that
    credits no one by name, or the same body ("the association said"), may
    state it.
    """
    if not (item.credited_by_according and evidence.credited and item.figures):
        return False
    mine, theirs = item.credited, evidence.credited
    return mine not in theirs and theirs not in mine


def _capital_first(body: str) -> str:
    tokens = words(body)
    if not tokens or not tokens[0][:1].isupper():
        return ""
    token, kind = _term(tokens[0], True)
    return token if kind == "content" else ""


_OPENING = re.compile(r"\s*((?:[A-Z][\w’'.-]*\s+){1,4})(?=[a-z])")


def _opening(clause: str) -> tuple[str, ...]:
    """Stems of the run of capitalised words that opens a clause, without a possessive."""
    match = _OPENING.match(clause)
    if not match:
        return ()
    return tuple(stem(re.sub(r"[’']s$", "", word).lower().replace(".", "")) for word in match.group(1).split())


def subject_missing(item: ClaimView, evidence: ClaimView, context: ClaimContext, *, story: bool = True) -> bool:
    """The item's claim is about a named subject that the evidence never names.

    "Thompson met with the Log Cabin Republicans" is not stated by "Bush
    huddled with gay Republicans": the last word of the opening name
    ("Thompson", "General Motors") must be in the evidence, unless every
    source names it (then it names the story, not the claim) and ``story``
    allows that. Even then, evidence about something else is not about the
    story's subject: a definition of a disease ("Encephalitis is …") opens
    with a word that a claim about the virus that causes it has only in its
    predicate (:func:`_about_other_subject`).
    """
    if not item.opening:
        return False
    last = item.opening[-1]
    if last not in context.name_only or last in evidence.names or last in evidence.content:
        return False
    if story and last in context.shared_names:
        return _about_other_subject(item, evidence)
    return True


def class_subject_missing(item: ClaimView, evidence: ClaimView) -> bool:
    """The item says what class its subject belongs to, and the evidence does not: it never names the
    subject, or never says what class it is in.

    "Cox-2 drugs are a type of painkiller, such as X and Y" is a relation of
    its subject: a sentence on X and Y alone states none of it, even where
    every source names the subject (an editor's read of D0605 found such a
    definition cited to a story on X's side effects). Each word of the
    opening name counts, the parts of "Cox-2" too. Nor does a sentence that
    names both but not the relation ("prescribed as replacements for
    painkillers like X": a second read of D0605, stop 37).
    """
    if not item.opening or _DEFINITION.match(item.main_clause) is None:
        return False
    named = evidence.content | evidence.names
    parts = {stem(part) for word in item.opening for part in re.split(r"[-–]", word) if part.isalpha()}
    return not parts <= named or _CLASS_WORDS.search(evidence.body) is None


# "X are a type of …", "X is one of …", "X is a form of …": what class the sentence's subject belongs to.
_DEFINITION = re.compile(
    r"^\s*(?:[\w'’.-]+\s+){1,5}?(?:is|are)\s+(?:a|an|one)\s+(?:\w+\s+)?(?:type|kind|class|form|family|member|"
    r"group|variety|part|version)s?\s+of\b")
# ... and the words that say so in the evidence ("a class of", "types of", "one of the forms of").
_CLASS_WORDS = re.compile(
    r"\b(?:types?|kinds?|class(?:es)?|forms?|famil(?:y|ies)|members?|groups?|variet(?:y|ies)|parts?|versions?)"
    r"\s+of\b", re.IGNORECASE)


def _about_other_subject(item: ClaimView, evidence: ClaimView) -> bool:
    """The evidence's clause opens with its own subject, a word the item has but not as its subject.

    Unless the evidence has the word after the item's opening name ("virus" of
    "The Karelia virus is …"): "Ticks carry the virus …" is about it still.
    """
    subject = [word for word in evidence.opening if word not in _ARTICLES]
    if not subject or subject[-1] not in item.content or subject[-1] in item.opening:
        return False
    head = _OPENING.match(item.main_clause)
    following = words(item.main_clause[head.end():])[:1] if head else []
    return not (following and stem(following[0].lower()) in evidence.content)


_ARTICLES = frozenset({"the", "a", "an"})


def views_of(texts: Sequence[str]) -> list[ClaimView]:
    """:func:`view` of each text (a job for the second process, see :func:`adopt_views`)."""
    return [view(text) for text in texts]


def adopt_views(texts: Sequence[str], views: Sequence[ClaimView]) -> list[ClaimView]:
    """:func:`view` of each text, taking the given views (made elsewhere, the same) where none is memoised.

    The views come from :func:`views_of` in the second process; adopting them
    into the memo means later steps asking for ``view(text)`` get these very
    objects instead of computing them again.
    """
    _ADOPTED.update(zip(texts, views, strict=True))
    try:
        return [view(text) for text in texts]
    finally:
        _ADOPTED.clear()


def _compatible(a: Figure, b: Figure) -> bool:
    overlap = min(a.high, b.high) - max(a.low, b.low)
    return overlap > 0 or (overlap == 0 and (a.width == 0 or b.width == 0))


def figures_conflict(a: ClaimView, b: ClaimView) -> bool:
    """Both give a figure for the same measured thing, and the figures cannot both be true."""
    return _none_alike_per_key(a, b, _compatible)


def _none_alike_per_key(a: ClaimView, b: ClaimView, alike: Callable[[Figure, Figure], bool]) -> bool:
    """A measured thing both give, with no figure of ``a`` alike (``alike``) to one of ``b``'s for it."""
    for fa in a.figures:
        if not fa.key[1]:
            continue
        same = [fb for fb in b.figures if fb.key == fa.key and not _both_converted(fa, fb)]
        if same and not any(alike(fa, fb) for fb in same):
            return True
    return False


def _none_alike_per_unit(a: ClaimView, b: ClaimView, alike: Callable[[Figure, Figure], bool]) -> bool:
    """A unit both give figures of, with no figure of ``a`` in it alike (``alike``) to one of ``b``'s."""
    for fa in a.figures:
        unit = _base_unit(fa)
        same_unit = [fb for fb in b.figures if _base_unit(fb) == unit and not _both_converted(fa, fb)]
        if same_unit and not any(
            alike(other, fb) for other in a.figures if _base_unit(other) == unit for fb in same_unit
        ):
            return True
    return False


def figures_agree(a: ClaimView, b: ClaimView, *, pointlike: bool = True) -> bool:
    """Both give a compatible, telling figure for the same measured thing ("217 people killed").

    ``pointlike``: both figures must pin a value; an open bound ("over 160")
    agrees with almost any figure and anchors nothing.
    """
    for fa in a.figures:
        if not fa.key[1] or (fa.quantity.value < 10 and fa.quantity.value == int(fa.quantity.value)):
            continue  # "two", "three": too common to anchor anything
        if fa.key[0] == "percent" and fa.quantity.value % 10 == 0:
            continue  # "90 percent of malaria cases" and "90 percent of the cases" of another group
        if fa.key[0] == "age":
            continue  # "19-year-old Ada Brook": an age says who, as a name does, not what happened
        if pointlike and not _pointlike(fa):
            if any(fb.key == fa.key and _same_bound(fa, fb) for fb in b.figures):
                return True  # "more than 90,000 metric tons" in both: the same bound, as written
            continue
        if any(fb.key == fa.key and _compatible(fa, fb) and (_pointlike(fb) or not pointlike) for fb in b.figures):
            return True
    return False


def _same_bound(a: Figure, b: Figure) -> bool:
    """The same open bound on a figure large enough to tell ("more than 90,000", not "over 100")."""
    value = a.quantity.value
    return (a.low, a.high) == (b.low, b.high) and value == b.quantity.value and value >= SAME_BOUND_FROM


def _pointlike(figure: Figure) -> bool:
    """A figure that pins a value ("217", "about 40"), not an open bound ("over 160", "up to 3 million")."""
    return math.isfinite(figure.high) and figure.low > 0 and figure.width <= 0.25 * figure.quantity.value


def figure_not_as_written(item: ClaimView, evidence: ClaimView) -> bool:
    """Both give the same measured thing, and no pair of figures is the same as written.

    For a discrepancy, rounding gives slack ("80 percent" may be a rounded
    82, docs/discrepancies.md); for a citation it does not: a source that
    writes 80 percent does not state 82 percent, nor "about 20 percent" a
    quarter, nor "at least 600 dead" "at least 10,059 dead". It is the same
    claim with another figure (a "figure" verdict: never a citation, and the
    two are never both items).
    """
    return _none_alike_per_key(item, evidence, _written_alike)


#: Bounds that leave their own number out: "more than 60" is not 60, "fewer than 60" neither.
_EXCLUSIVE_BOUNDS = frozenset({"more than", "over", "fewer than", "less than", "under"})


def unit_not_as_written(item: ClaimView, evidence: ClaimView) -> bool:
    """Figures of one unit in both and none of the item's as written in the evidence.

    "by five percent" and "by about six percent overall": the measured things
    were read apart, the figures still differ.
    """
    return _none_alike_per_unit(item, evidence, _written_alike)


def only_bound_given(item: ClaimView, evidence: ClaimView) -> bool:
    """The item pins a share that the evidence gives only as an open bound on another number.

    "over 85 percent of cases" allows 90 percent and does not state it
    (an editor's read of D0618 found it cited for "90 percent of malaria cases"):
    not another figure, no statement of this one either. Shares only: a
    length or a count told as "more than seven hours" is how reporters round
    "seven and a half hours" (the seeds' talks), a share is a statistic as written.
    """
    for fa in item.figures:
        if not fa.key[1] or fa.key[0] != "percent" or _open(fa.quantity):
            continue
        same = [fb for fb in evidence.figures if fb.key == fa.key]
        if same and all(_open(fb.quantity) and not _as_written(fa.quantity, replace(fb.quantity, low=fb.quantity.value,
                                                                                   high=fb.quantity.value))
                        for fb in same):
            return True
    return False


def _written_alike(a: Figure, b: Figure) -> bool:
    return _as_written(a.quantity, b.quantity)


def _as_written(a: Quantity, b: Quantity) -> bool:
    """Two figures say the same: their stated ranges meet ("about", "more than" count; rounding does not).

    Two open bounds say the same only with the same number: "at least 600"
    and "at least 10,059" are both true of 10,059 dead, yet not one figure.
    """
    if _open(a) and _open(b):
        return abs(a.value - b.value) <= a.precision + b.precision
    return min(a.high, b.high) >= max(a.low, b.low)


def rose(before: Figure, after: Figure) -> bool:
    """``after`` gives more of the same measured thing than ``before``: a toll that grew.

    Two open bounds compare by their numbers ("at least 600" then "at least
    10,059"); otherwise the whole of ``after``'s range lies above ``before``'s.
    """
    if before.key != after.key:
        return False
    a, b = before.quantity, after.quantity
    if _open(a) and _open(b):
        return b.value - b.precision > a.value + a.precision
    return after.low > before.high


def _open(q: Quantity) -> bool:
    return not math.isfinite(q.high) or q.low <= 0 < q.value


def figures_differ(a: ClaimView, b: ClaimView) -> bool:
    """Figures of one unit in both, none of them compatible: "63 percent" and "17 percent" are two claims."""
    return _none_alike_per_unit(a, b, _compatible)


def _base_unit(figure: Figure) -> str:
    """"percent" for "percent/year": a rate and a share of one unit are still both percentages."""
    return figure.key[0].partition("/")[0]


#: Units of a length of time: "40 minutes after takeoff" tells, like a count, whatever its size (an
#: editor's read of D0617 found it cited to a source that gives no time at all).
_DURATION_UNITS = frozenset({"minute", "hour"})


def lacks_figure(item: ClaimView, evidence: ClaimView) -> bool:
    """The item gives a telling figure that the evidence does not give at all.

    A telling figure measures a named thing ("217 people killed"), or is a sum
    of money, which tells on its own: "robbed him of $20" is not stated by a
    source that tells the robbery without the sum; so does a length of time
    ("40 minutes after takeoff", "7½ hours of talks").
    """
    for fa in item.figures:
        if fa.converted:
            continue  # the reporter's arithmetic: the figure before it is the one stated
        duration = fa.key[0] in _DURATION_UNITS
        telling = fa.key[1] or fa.key[0] in CURRENCY_UNITS or duration
        if (telling and (fa.quantity.value >= 10 or duration or _counted_there(fa, evidence))
                and not any(fb.key == fa.key for fb in evidence.figures)
                and not any(fb.key[0] == fa.key[0] and _compatible(fa, fb) for fb in evidence.figures)
                and fa.quantity.text not in evidence.body and not _states_number(evidence.body, fa.quantity)):
            return True
    return False


def _counted_there(figure: Figure, evidence: ClaimView) -> bool:
    """The evidence names what ``figure`` counts: then a small count tells too ("three encounters" is not
    stated by "encounters when he was younger": an editor's read of D0721B)."""
    return bool(figure.key[1]) and not {stem(figure.key[0]), stem(figure.key[1])}.isdisjoint(evidence.content)


def _states_number(text: str, quantity: Quantity) -> bool:
    """The figure's digits appear in ``text`` ("wounding 74" for "74 injured"), not as an end of a range.

    "between 1.3 and 1.7 million" does not state "1.7 million": a range is another figure; and
    "sickened 60" does not state "more than 60" (an editor's read of D0622): a bound that leaves its
    number out needs a bound before the digits.
    """
    digits = re.search(r"\d[\d,.]*\d|\d", quantity.text)
    if digits is None:
        return False
    upper_bound = quantity.low <= 0 < quantity.high < math.inf  # "up to 3 million": a range's top end states it
    exclusive = quantity.qualifier in _EXCLUSIVE_BOUNDS
    for found in re.finditer(rf"(?<![\d.,]){re.escape(digits.group())}(?![\d]|[.,]\d)", text):
        if _RANGE_AFTER.match(text, found.end()):
            continue
        if exclusive and not _BOUND_BEFORE.search(text, 0, found.start()):
            continue
        if upper_bound or not _RANGE_BEFORE.search(text, 0, found.start()):
            return True
    return False


# A bound just before a number: "more than 60", "over 60", "fewer than 60".
_BOUND_BEFORE = re.compile(r"\b(?:more|fewer|less)\s+than\s+$|\b(?:over|under|at\s+least|upwards\s+of)\s+$",
                           re.IGNORECASE)


# The other end of a range just before or after a number: "between 1.3 and 1.7", "1.3 to 1.7", "1.5-1.7".
_RANGE_BEFORE = re.compile(r"\d(?:\s*(?:million|billion|thousand|percent))?\s*(?:and|to|-|–)\s*$")
_RANGE_AFTER = re.compile(r"(?:\s*(?:million|billion|thousand|percent))?\s*(?:to|-|–)\s*\d")


def same_figure(a: ClaimView, b: ClaimView) -> bool:
    """Do two sentences give the same telling figure of the same measured thing?

    "more than 7-1/2 hours of talks" and "spoke for seven and a half hours":
    one fact, however differently worded; a brief states it once.
    """
    if not (a.content & b.content or a.names & b.names):
        return False
    return figures_agree(a, b, pointlike=False) or figures_agree(b, a, pointlike=False)


def _coverage(terms: frozenset[str], other: frozenset[str], context: ClaimContext,
              total: float | None = None) -> float:
    """Share of ``terms``' weight found in ``other`` (``total``: their weight, when known)."""
    if total is None:
        total = context.total(terms)
    return context.total(terms & other) / total if total else 0.0


def evidence_status(item: ClaimView, evidence: ClaimView, context: ClaimContext) -> Status:
    """The status of the evidence's clause that matches the item's main clause."""
    names_out = context.shared_names
    return evidence.status_near((item.main | (item.names - names_out)) - names_out)


def item_status(item: ClaimView, evidence: ClaimView, context: ClaimContext) -> Status:
    """The status of the item's clause that the evidence matches.

    "Both expressed a desire to stabilise ties, and agreed that Qin would
    visit" asserts one thing and expects another; a source that states the
    same sentence matches clause for clause, so each side's status is read on
    the clause the other side matches.
    """
    if len(item.clause_terms) < 2:
        return item.status
    names_out = context.shared_names
    return item.status_near((evidence.main | (evidence.names - names_out)) - names_out)


def screening_terms(claim: ClaimView) -> tuple[frozenset[str], frozenset[str]]:
    """(as item, as evidence): :func:`compare` finds two claims unrelated when these share too little.

    ``compare(item, evidence)`` returns "unrelated" at once unless
    ``len(screening_terms(item)[0] & screening_terms(evidence)[1])`` is at
    least :data:`MIN_SHARED_CONTENT` (two content stems shared, both in the
    item's main clause). Counting that overlap for many pairs at once (a
    sparse matrix product, :func:`briefing.corroborate.claim_verdicts`) spares
    the call for most similar pairs; keep the two in step when the first test
    of :func:`compare` changes.
    """
    return claim.main & claim.content, claim.content


def dates_agree(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """Does a date of one sentence name a day (or year) of the other?

    Dates are written yyyymmdd, mmdd (no year: "October 31") or yyyy (a year
    alone): "October 31" agrees with "October 31, 1999", and "in 1999" with it
    too; "October 31, 1998" does not.
    """
    return any(_date_fits(a, b) or _date_fits(b, a) for a in mine for b in theirs)


def _date_fits(short: str, full: str) -> bool:
    if short == full:
        return True
    if len(full) != 8:
        return False
    if len(short) <= 4 and int(short) < 1800:
        return full[4:] == short.zfill(4)  # a day without its year
    return full[:4] == short  # a year alone


def _anchored(item: ClaimView, evidence: ClaimView, main_cov: float, item_cov: float) -> bool:
    """Enough wording in common once a figure or a date they share anchors the claim.

    A telling figure and a date both in common ("crashed on October 31,
    killing all 217" and "217 people died in the crash of Oct. 31") pin one
    event: little more of the wording needs to match.
    """
    # Below the anchored coverages only a figure and a date together anchor; then, a figure
    # alone, or a date alone with more of the main clause. The cheap tests go first: most
    # pairs get here, and reading a sentence's figures and dates (:attr:`ClaimView.dates`)
    # for all of them was a third of the comparisons' time (issue 19).
    if main_cov < ANCHORED_MAIN_COVERAGE or item_cov < ANCHORED_ITEM_COVERAGE:
        return main_cov >= DOUBLY_ANCHORED_COVERAGE and _dates_agree(item, evidence) and figures_agree(item, evidence)
    if figures_agree(item, evidence):
        return main_cov >= DOUBLY_ANCHORED_COVERAGE or not _dates_agree(item, evidence)
    return main_cov >= DATE_ANCHORED_MAIN_COVERAGE and _dates_agree(item, evidence)


def _near_dates_agree(item: ClaimView, evidence: ClaimView) -> bool:
    """Do the clauses that carry what two sentences share date it alike (or one of them not at all)?

    Asked when their dates disagree: a date of another clause (a deadline
    beside the vote, a report's day beside the event) says nothing about the
    shared claim. Each side's clause is the one sharing most terms with the other sentence.
    """
    mine = item.dates_near(evidence.content | evidence.names)
    theirs = evidence.dates_near(item.content | item.names)
    return not mine or not theirs or dates_agree(mine, theirs)


def _dates_agree(item: ClaimView, evidence: ClaimView) -> bool:
    """:func:`dates_agree` of two views' dates, the evidence's read only when the item has some."""
    return bool(item.dates) and dates_agree(item.dates, evidence.dates)


def same_main_claim(a: ClaimView, b: ClaimView, context: ClaimContext) -> bool:
    """Does each sentence cover the other's main clause (MAIN_COVERAGE of its weight), by wording alone?"""
    mine, theirs = context.prepared(a), context.prepared(b)
    return (_coverage(mine.main, theirs.terms, context, mine.main_weight) >= MAIN_COVERAGE
            and _coverage(theirs.main, mine.terms, context, theirs.main_weight) >= MAIN_COVERAGE)


def passage_states(item: ClaimView, first: str, second: str, context: ClaimContext) -> bool:
    """Do two sentences in a row of one source, ``first`` then ``second``, state the item's claim together?

    Reporters split a claim: "Soldiers have detained over 300 party members
    since Sunday. The sweep is meant to stop the party from …" states "Since
    Sunday, the army has detained over 300 members … to stop …", which
    neither sentence states alone. Each sentence must bring two of the item's
    content words, the second one the first does not; neither may give the
    claim another figure or status, nor
    hedge (or deny, or expect) the part it tells where the item asserts it;
    every name and number of the item that not every source gives must be
    in them ("presented the standards Johnson helped write" is not stated by
    two sentences that never name Johnson, nor "$9.4 billion" by a passage
    giving only the $1.2 billion of the same sentence); then the two read as
    one must state the claim (:func:`compare`).
    """
    one, two = view(first), view(second)
    mine_one, mine_two = item.content & one.content, item.content & two.content
    # A number or a date the item gives counts as one of its words in a part that gives it too
    # ("More than 300 of the detentions came on Sunday" brings "detained more than 300 … since Sunday" two things).
    pinned = _numbers_and_dates(item)
    pins_one, pins_two = pinned & _numbers_and_dates(one), pinned & _numbers_and_dates(two)
    if (len(mine_one) + bool(pins_one) < MIN_SHARED_CONTENT or len(mine_two) + bool(pins_two) < MIN_SHARED_CONTENT
            or not (mine_two - mine_one or pins_two - pins_one)):
        return False
    for part in (one, two):
        if compare(item, part, context).kind in ("figure", "status"):
            return False
        if item_status(item, part, context) != evidence_status(item, part, context):
            return False
    both = view(first.rstrip() + " " + second.lstrip())
    if not item.names - context.shared_names <= both.names | both.content:
        return False
    return compare(item, both, context).kind == "supports"


# A number as written, its thousands separators out ("1,200" is "1200").
_WRITTEN_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\w.,])\d+(?:\.\d+)?(?![\w])")


def _numbers_and_dates(claim: ClaimView) -> frozenset[str]:
    """The numbers of ten and more a sentence writes, and its dates: what pins one event as a name does."""
    numbers = (match.group().replace(",", "") for match in _WRITTEN_NUMBER.finditer(claim.body))
    return frozenset(number for number in numbers if float(number) >= 10) | {f"date {d}" for d in claim.dates}


# "in sub-Saharan Africa", "across the United States": where the clause puts what it tells.
_IN_PLACE = re.compile(
    r"\b(?i:in|across|throughout)\s+(?:the\s+)?((?:[a-z]+-)?[A-Z][\w'’.]*(?:[\s-]+[A-Z][\w'’.]*)*)")


@lru_cache(maxsize=65_536)
def _places(text: str) -> tuple[frozenset[str], ...]:
    """The stems of each named place the text puts something in; months and days are no places (memoised:
    :func:`place_differs` reads a sentence's for each pair :func:`compare` takes this far)."""
    found = ([word for word in re.findall(r"[a-z]+", match.group(1).lower()) if word not in _NOT_PLACES]
             for match in _IN_PLACE.finditer(text))
    return tuple(frozenset(stem(word) for word in words) for words in found if words)


_NOT_PLACES = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "the", "of", "and"})


@lru_cache(maxsize=65_536)
def _stems_of(text: str) -> frozenset[str]:
    return frozenset(stem(word) for word in re.findall(r"[a-z]+", text.lower()))


def place_differs(item: ClaimView, evidence: ClaimView) -> bool:
    """The item's main clause puts its claim in a named place that the evidence never names, and the
    evidence puts its own in another ("90 percent of cases are in sub-Saharan Africa" is not stated by
    "In the United States, … 90 percent of the cases are among young children": an editor's read of D0618)."""
    mine = _places(item.main_clause)
    if not mine:
        return False
    theirs = _stems_of(evidence.body)
    if any(place & theirs for place in mine):
        return False
    item_words = _stems_of(item.body)
    return any(not place & item_words for place in _places(evidence.body))


# A concession opening a sentence: what follows it up to the comma is granted, not asserted.
_CONCESSION = re.compile(r"\s*(?:Despite|In spite of|Although|Though|Even though|Notwithstanding)\b", re.IGNORECASE)

#: Stems of ordinals: which one of several, as telling as a figure.
_ORDINALS = frozenset({"second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"})


def compare(item: ClaimView, evidence: ClaimView, context: ClaimContext) -> Verdict:
    """Does ``evidence`` state the claim of ``item``?

    "supports" when it does; "figure" or "status" when it is about the same
    claim but gives an incompatible figure or another status (a discrepancy,
    never a citation); "unrelated" otherwise.

    :func:`briefing.corroborate.claim_verdicts` screens pairs before calling it:
    :func:`screening_terms` for the first test, and ``_Coverages`` there for
    the coverage and anchor tests (pairs certainly "unrelated" by them are not
    compared); keep them in step when these tests change.
    """
    shared_content = item.content & evidence.content
    # Two content words in common, and two of them in the item's main clause.
    if len(shared_content) < MIN_SHARED_CONTENT or len(item.main & shared_content) < MIN_SHARED_CONTENT:
        return Verdict("unrelated")
    mine, theirs = context.prepared(item), context.prepared(evidence)
    main_cov = _coverage(mine.main, theirs.terms, context, mine.main_weight)
    item_cov = _coverage(mine.whole, theirs.terms, context, mine.whole_weight)
    forward = main_cov >= MAIN_COVERAGE and item_cov >= ITEM_COVERAGE
    reverse = False
    if not forward and len(shared_content) >= REVERSE_SHARED_CONTENT:
        # The evidence states a main part of the item: its main clause lies inside the item.
        forward = reverse = _coverage(theirs.main, mine.terms, context, theirs.main_weight) >= REVERSE_COVERAGE
    if not forward and not _anchored(item, evidence, main_cov, item_cov):
        return Verdict("unrelated", main_cov)
    if item.dates and evidence.dates and not dates_agree(item.dates, evidence.dates) and not _near_dates_agree(
            item, evidence):
        return Verdict("unrelated", main_cov)
    if subject_missing(item, evidence, context) or (
            reverse and subject_missing(
                evidence, item, context, story=not (item.opening and item.opening[-1] in context.name_only))):
        # Read the other way too, when the evidence's main clause is what matched: "Bush opposes
        # same-sex marriages" is no main part of "Gay Republicans … are running into roadblocks …",
        # which never names Bush (even though most sources do); "EgyptAir 990 crashed …" is one of
        # "The Cairo-bound passenger plane crashed …", which names no one else.
        return Verdict("unrelated", main_cov)
    if figures_conflict(item, evidence) or figures_conflict(evidence, item):
        return Verdict("figure", main_cov)
    if figure_not_as_written(item, evidence) or figure_not_as_written(evidence, item):
        return Verdict("figure", main_cov)
    if (figures_differ(item, evidence) or lacks_figure(item, evidence) or unit_not_as_written(item, evidence)
            or only_bound_given(item, evidence)):
        return Verdict("unrelated", main_cov)
    if (credited_to_another(item, evidence) or quantifier_differs(item, evidence)
            or class_subject_missing(item, evidence)):
        return Verdict("unrelated", main_cov)
    if place_differs(item, evidence):
        return Verdict("unrelated", main_cov)
    if _CONCESSION.match(evidence.body) and len(item.content & evidence.main) < MIN_SHARED_CONTENT:
        # A sentence conceding that the launch was doubted, then telling that design work began, grants the
        # launch date and asserts the design work: no source of the launch going ahead on that date (an
        # editor's read of D0703A).
        return Verdict("unrelated", main_cov)
    if (item.main & _ORDINALS) - evidence.content:
        # "the second black box" is not "the black box … was recovered": an ordinal tells which, like a figure.
        return Verdict("unrelated", main_cov)
    if item_status(item, evidence, context) != evidence_status(item, evidence, context):
        return Verdict("status", main_cov)
    if evidence.superseded and not item.superseded:
        # "Investigators had said last week that the plane may have exceeded …": what was said then,
        # retold (usually to be corrected), is no report that it is so.
        return Verdict("unrelated", main_cov)
    return Verdict("supports", main_cov)

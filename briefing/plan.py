"""Plan: put each selected claim in a section by explainable rules.

Sections are data (``briefing/data/sections.toml``, read by
:mod:`briefing.sections` alone): key, title and cues, in page order; the
config file can override the cues. An item goes to the first
section whose rule it meets:

* **outlook**: its main clause looks ahead (a future verb, as
  :func:`briefing.claims.status_of` reads it, or an outlook cue);
* **meetings**: a meetings cue in its main clause (met, talks, summit, call…);
* **open_issues**: an open-issues cue in its main clause;
* **background**: a background cue in its main clause ("since", "ago",
  "first time since"), or a year before the earliest source anywhere in it;
* **developments**: its main clause reports an event (a past-tense verb, not a
  present passive such as "are caused by" nor a participle after the clause's
  own "is"/"are", "is one of 20 drugs banned by …"; or a day), it opens with a wire
  dateline (the lead of a report), or it names a weekday, "today" or
  "yesterday" anywhere ("…, the agency reported on Tuesday");
* **background**, again: anything else is a general, timeless statement.

The main clause decides, not a background phrase ("Before the talks, …"),
and "May" the month is not a modal. The deciding cues are kept on the item.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from functools import cache

from briefing.claims import DATELINE, FUTURE_CUE, lead_in, main_clause, status_of
from briefing.model import Item, Section
from briefing.sections import SECTION_KEYS, SECTION_TITLES, CueRules, default_rules

#: Where an item goes when no rule places it: what happened.
DEFAULT_SECTION = "developments"
#: The order rules are tried in (the page order is SECTION_KEYS).
_PRECEDENCE = ("outlook", "meetings", "open_issues", "background")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# "60,000 years ago", "millions of years ago": the time of the world, not of the news.
_DEEP_TIME = re.compile(r"\b(?:\d{1,3}(?:,\d{3})+|\d{4,}|(?:hundreds|thousands|millions|billions)\s+of|"
                        r"(?:a\s+)?(?:hundred|thousand|million|billion))\s+years\s+ago\b", re.IGNORECASE)
_AGO = re.compile(r"\bago\b", re.IGNORECASE)
# Past forms that look ahead themselves ("predicted that", "was expected to") or only report ("said", "told").
_AHEAD_OR_SAID = frozenset({
    "expected", "scheduled", "planned", "intended", "predicted", "pledged", "promised", "vowed", "warned",
    "forecast", "projected", "estimated", "hoped", "believed", "feared", "was", "were", "had", "said", "told"})
# A participle that describes, not tells: "caused by the greenhouse effect", "euros stamped with a likeness",
# "the increased numbers", "globally averaged temperature", "euro-related".
_DESCRIBING = re.compile(
    r"\b[a-z]{2,}ed\s+(?:by|with|in|at|from|into|under)\b|\b(?:the|a|an|its|their|this|these|his|her|our|[a-z]+ly)\s+"
    r"[a-z]{2,}ed\b|[\w-]+-[a-z]+ed\b", re.IGNORECASE)
# "said the backlog would take a week": the future seen from the past.
_WOULD = re.compile(r"\bwould\b(?!\s+(?:not|never)\b)(?!\s+have\s+\w+(?:ed|en)\b)")
# What happened: a past-tense verb. Irregular ones (none also a common noun or adjective: "thought", "fed",
# "ground" are left out; an editor's read of D0721B found a courtroom scene, "… sat with several friends …",
# filed as a timeless statement under Background), or any in -ed.
_PAST_FORMS = (
    r"said|told|met|held|took|gave|made|came|went|began|won|lost|left|led|fled|"
    r"shot|sent|sought|brought|found|fell|rose|grew|struck|wrote|ran|saw|knew|flew|broke|chose|drove|"
    r"stood|sold|paid|kept|heard|built|spent|fought|caught|threw|withdrew|"
    r"sat|bought|taught|felt|meant|swore|spoke|rode|wore|tore|drew|blew|sank|sang|rang|swam|shook|woke|froze|"
    r"stole|hid|dealt|slept|swept|wept|crept|dug|hung|clung|swung|forgot|forgave|overtook|undertook|ate|"
    r"understood|upheld|withheld|mistook|arose|awoke|overcame|oversaw|strove|drank|got|forbade|sped|"
    r"[a-z]{2,}ed")
_PAST = re.compile(rf"\b(?:was|were|had|did|{_PAST_FORMS})\b")
# ... or what has happened, told with an irregular participle that is no past tense ("has set up", "have
# already begun", "have risen"; "-ed" ones and those like "made", "held", "sent" are in _PAST already). Not
# "has become": a state (an editor's read of D0703A found design work that "has begun" under Background;
# usable labelled items placed right 494 -> 497 of 828).
_PERFECT = re.compile(
    r"\b(?:has|have)\s+(?:already\s+|now\s+|just\s+|also\s+|recently\s+)?(?:begun|set|risen|grown|taken|"
    r"given|shown|put|fallen|cut|written|thrown|drawn|broken|chosen|driven|flown|withdrawn|run|seen|known)\b")
# A future feared is an open issue, not the outlook ("the risk that the bank will set rates too high", "worry
# that the criteria will cause rising unemployment": an editor's read of D0703A, twice; usable labelled items
# placed right 498 -> 501, none worse).
_FEARED = re.compile(
    r"\b(?:fears?|risks?|concerns?|worry|worries|worried|danger|threat)\s+that\b[^.]*?\b(?:will|would|could|might|may)\b",
    re.IGNORECASE)
# A participle after "is"/"are" is the present passive ("are caused by", "is expected", "are being taught"), not
# the past; so is one after "get"/"become" ("people get infected through bites": an editor's read of D0622).
_PRESENT_PASSIVE = re.compile(
    rf"\b(?:is|are|am|be|being|get|gets|getting|become|becomes)\s+(?:\w+ly\s+)?(?:{_PAST_FORMS})\b")
# A weekday, "today" or "yesterday": a day of the news.
_DAY = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight"
# ... or a day: "on Monday", "yesterday", "this week".
_EVENT = re.compile(
    rf"\b(?:{_DAY}|this (?:week|month|morning|afternoon|evening)|last (?:week|month|night))\b", re.IGNORECASE)

# The main clause's verb: "is"/"are" before any past tense, with no clause or comma opening before it ...
_PRESENT_COPULA = re.compile(r"\b(?:is|are)\b")
_BEFORE_VERB_CLAUSE = re.compile(
    r"\b(?:that|where|when|while|as|if|because|although|though|which|who|whom|whose|since|until|before|after)\b"
    r"|[,;:]", re.IGNORECASE)
# ... and no second clause with its own verb after it ("… is home to fans, and the film has been hyped …").
_SECOND_CLAUSE = re.compile(r"(?:,\s*|\b)(?:and|but)\s+(?:\w+\s+){0,4}?(?:has|have|had|was|were)\b")
# "is sending", "are graduating": under way, an event.
_PROGRESSIVE = re.compile(r"\s+(?:\w+ly\s+)?\w+ing\b")
# The main clause's verb in the present progressive ("the agency is reviewing a proposal", "officials are
# requiring districts to report …"): something under way, a development, not a timeless statement; "is
# being" is a passive, and a habit or trend ("is losing 100,000 acres annually", "increasingly …") is general.
_UNDER_WAY = re.compile(
    r"\b(?:is|are|am)\s+(?:\w+ly\s+|still\s+|now\s+|also\s+|already\s+)?(?!being\b)[a-z]{2,}ing\b")
_HABIT = re.compile(r"\b(?:annually|each year|every year|a year|increasingly|more and more|a growing number)\b",
                    re.IGNORECASE)
# A season or month of the year before the report's, in the main clause or the phrase before it ("Last summer
# an outbreak killed …", "In March of last year, two boys …"): what happened then is background.
_LAST_SEASON = re.compile(r"\b(?:last\s+(?:summer|fall|autumn|winter|spring)|of\s+last\s+year)\b", re.IGNORECASE)


def _states(text: str) -> bool:
    """Does the main clause (``text``, its present passives blanked) state what is, its past-tense words only
    describing ("EPO is one of 20 steroids prohibited by the committee", "Kakadu is 12,000 square miles …,
    incorporating …")?

    An editor's read of D0602 found two such definitions under Developments; usable labelled items placed
    right 505 -> 511 of 828 (7 moved right, 1 wrong).
    """
    copula = _PRESENT_COPULA.search(text)
    if copula is None or _BEFORE_VERB_CLAUSE.search(text, 0, copula.start()):
        return False
    if _SECOND_CLAUSE.search(text, copula.end()) or _PROGRESSIVE.match(text, copula.end()):
        return False
    past = next((match for match in _PAST.finditer(text) if not _describes_subject(text, match, copula)), None)
    perfect = _PERFECT.search(text)
    return (past is None or copula.start() < past.start()) and (perfect is None or copula.start() < perfect.start())


# A participle that describes the subject ("a locally-made rug sold at the market is tax-free"): in a
# compound, or opening a phrase of place, agent or origin; not a verb of saying ("said in a statement …").
_SUBJECT_PARTICIPLE = re.compile(
    r"-[a-z]+\b|\s(?!(?:said|told|was|were|had|did)\b)[a-z]+\s+(?:on|in|at|by|from|under|near|across)\b")
_AND_BUT = re.compile(r"\b(?:and|but)\b")


def _describes_subject(text: str, past: re.Match[str], copula: re.Match[str]) -> bool:
    """Is a past form before the clause's "is"/"are" a participle in its subject, not a verb of its own?

    "… sold at the market is tax-free" describes the rug; "The ferry capsized in the storm and is lost"
    tells an event ("and" joins two verbs). An editor's read of D0601.
    """
    return (past.end() <= copula.start() and _SUBJECT_PARTICIPLE.match(text, past.start() - 1) is not None
            and _AND_BUT.search(text, past.end(), copula.start()) is None)


# A day of the news, wherever it stands in the sentence.
_NEWS_DAY = re.compile(rf"\b(?:{_DAY})\b", re.IGNORECASE)

# A meeting cue after a call for it, an offer or a refusal, or an infinitive: no meeting happened.
_NO_MEETING = re.compile(
    r"\b(?:call(?:s|ed|ing)?\s+for|urg(?:e|es|ed|ing)|demand(?:s|ed|ing)?|offer(?:s|ed|ing)?|"
    r"propos(?:e|es|ed|ing)|refus(?:e|es|ed|ing|al)|rebuff(?:s|ed)?|reject(?:s|ed|ing)?|resume|"
    r"to\s+(?:begin|start|open|resume|hold|launch))\s+(?:\w+\s+){0,3}?"
    r"(?:talks|negotiat\w*|meetings?|meet|summit|consultations|discussions)\b")


# A plan denied or dismissed is what happened, not what is expected ("The bank denied it plans to …"), and
# so are reports denied of one ("denied newspaper reports that" the body plans a delay: an editor's read of
# D0703A, twice; usable labelled items placed right 497 -> 498).
_DENIED_PLAN = re.compile(
    r"\b(?:denied|denies|dismissed|dismisses|ruled out|rules out|rejected|rejects)\s+(?:\w+\s+){0,4}?"
    r"(?:plans?|will|would|intends?|is\s+to|was\s+to)\b"
    r"|\b(?:denied|denies|dismissed|dismisses|rejected|rejects)\s+(?:\w+\s+){0,3}?"
    r"(?:reports?|claims?|suggestions?|speculation|rumou?rs?|allegations?)\s+that\b")


@cache
def _pattern(cue: str) -> re.Pattern[str]:
    body = re.escape(cue.rstrip("*").lower()).replace(r"\ ", r"\s+")
    suffix = r"\w*" if cue.endswith("*") else ""
    return re.compile(rf"\b{body}{suffix}\b")


def matched_cues(text: str, rules: CueRules) -> dict[str, tuple[str, ...]]:
    """The cues of each section that the text matches.

    Cues match lower-case words: "the Science Summit" and "the Meetings
    Committee" are names, not events (the sentence's first letter is lowered).
    """
    text = text[:1].lower() + text[1:]
    return {
        key: tuple(cue for cue in rules.cues[key] if _pattern(cue).search(text))
        for key in SECTION_KEYS
    }


def assign_section(
    text: str, rules: CueRules | None = None, *, earliest_year: int | None = None, reported_year: int | None = None,
) -> tuple[str, tuple[str, ...]]:
    """The section key for one sentence, and the cues that decided it.

    ``earliest_year``: the year of the earliest source; a sentence about an
    earlier year is background. ``reported_year``: the year of the article
    the sentence is quoted from; an event its main clause (or the phrase
    before it) dates to an earlier year is background too ("On April 20,
    1999, two students …" in a report of 2000).
    """
    rules = rules or default_rules()
    clause = main_clause(text)
    in_clause = matched_cues(clause, rules)
    if "ago" in in_clause["background"] and _AGO.search(_DEEP_TIME.sub(" ", clause)) is None:
        # "sites that show humans lived there 45,000 years ago may be damaged": the past of the
        # sites, not of the news (an editor's read of D0716B).
        in_clause = {**in_clause, "background": tuple(cue for cue in in_clause["background"] if cue != "ago")}
    status = status_of(clause)
    if _DENIED_PLAN.search(clause):
        in_clause = {**in_clause, "outlook": ()}  # the denial happened; nothing is expected
    elif (status.future or _WOULD.search(clause)) and not _done_before_ahead(clause) and not _acted_on(text, clause):
        if _FEARED.search(clause):
            return "open_issues", ("a feared outcome",)
        return "outlook", ("future verb", *in_clause["outlook"])
    opening = lead_in(text, clause)  # the phrase that opens the sentence before its main clause
    if in_clause["meetings"] and _NO_MEETING.search(clause):
        # "calling for talks", "designated to begin negotiations": a meeting asked for is not one held.
        in_clause = {**in_clause, "meetings": ()}
    event = _EVENT.search(clause)
    if in_clause["background"] and (event or _EVENT.search(opening)):
        # "sprinted for the first time since …, on Wednesday": a day of the news is an event,
        # whatever the clause recalls (editors' reads; 5 of 7 labelled such items were developments),
        # also when the day stands in a lead-in ("As … struck on Wednesday, Jones sprinted for the first
        # time since …": an editor's read of D0602; usable labelled items placed right 0.609 -> 0.613).
        in_clause = {**in_clause, "background": ()}
    # A weekday, "today" or "yesterday" in the main clause or its lead-in makes it the news, whatever year
    # it recalls too ("Since Sunday, the police have detained 40 members of the party founded in 1990":
    # editors' reads of D0706A and D0616, stop 43; usable labelled items placed right 594 -> 597 of 882,
    # one wrong).
    news_day = _NEWS_DAY.search(clause) or _NEWS_DAY.search(opening)
    for key in _PRECEDENCE:
        if key == "background" and not news_day:
            years = [int(y) for y in _YEAR.findall(text)]
            if earliest_year is not None and any(year < earliest_year for year in years):
                return "background", (f"year before {earliest_year}", *in_clause["background"])
        if in_clause[key]:
            return key, in_clause[key]
    # The main clause with the phrase that opens the sentence before it: when it happened.
    dated = opening + " " + clause
    if reported_year is not None and not news_day and _dated_before(dated, reported_year):
        return "background", (f"a year before its report ({reported_year})",)
    if _LAST_SEASON.search(dated):
        return "background", ("a season of the year before its report",)
    active = _PRESENT_PASSIVE.sub(" ", clause)
    if event or ((_PAST.search(active) or _PERFECT.search(clause)) and not _states(active)):
        if event is None and _only_past_perfect(active):
            return "background", ("a past perfect: what came before the news",)
        return DEFAULT_SECTION, ("an event: past tense or a day",)
    if DATELINE.match(text):
        # A wire story's datelined lead reports the news, whatever its tense ("BEIJING (AP) _ China is ...").
        return DEFAULT_SECTION, ("a datelined report",)
    if _NEWS_DAY.search(text):
        # A day of the news outside the main clause dates it too: "… is ready for the euro, the agency reported
        # on Tuesday", "fall short of their needs today, says a new study" (the four such usable labelled items
        # were developments; "last month" in a side clause ("who came … last month") dates only that clause).
        return DEFAULT_SECTION, ("a day of the news",)
    if _UNDER_WAY.search(clause) and not _HABIT.search(text):
        return DEFAULT_SECTION, ("under way: a present progressive",)
    return "background", ("a general statement: no event, no date",)


# The past perfect ("had suggested", "had recruited", "had been"), not a report of words ("had said") nor a
# perfect written "has had" ("has had made" is a slip for "has made").
_PAST_PERFECT = re.compile(rf"(?<!\bhas )(?<!\bhave )\bhad\s+(?:\w+ly\s+)?(?!said\b|told\b)(?:{_PAST_FORMS}|been)\b")


def _only_past_perfect(clause: str) -> bool:
    """Is every past verb of the main clause in the past perfect ("Earlier research had suggested that …")?

    What had happened before the time of the report is what came before the
    news: Background (an editor's read of D0605, stop 43; usable labelled
    items placed right 589 -> 591 of 882, none wrong).
    """
    if _PAST_PERFECT.search(clause) is None:
        return False
    rest = _PAST_PERFECT.sub(" ", clause)
    return _PAST.search(rest) is None and _PERFECT.search(rest) is None


def _done_before_ahead(clause: str) -> bool:
    """Does the main clause tell what was done before what it looks ahead to?

    "Workers surrounded the offices to protest a plan to privatize the
    factory", "The premiers signed an agreement last summer to explore what
    would …", "The government has decided that the drugs will be phased out":
    a past verb before the first future cue reports an event, and the
    future is its object (editors' reads of D0614 and D0607; usable labelled
    items placed right 575 -> 582 of 877: 8 moved right, 1 wrong). Not a past that
    looks ahead itself ("predicted that … will"), a report ("said"), nor a
    participle that describes ("caused by", "the increased numbers").
    """
    cues = [m.start() for m in (FUTURE_CUE.search(clause), _WOULD.search(clause)) if m is not None]
    if not cues:
        return False
    before = _DESCRIBING.sub(" ", _PRESENT_PASSIVE.sub(" ", clause[:min(cues)]))
    return any(word.lower() not in _AHEAD_OR_SAID for word in _PAST.findall(before))


# An act that the words before the main clause report: "The bank announced Thursday its currency will be fixed
# at …", "The government on Sunday night announced sweeping increases …" (not "Once confirmed by …").
_ACTED = re.compile(r"(?<!\bonce )(?<!\bif )(?<!\bwhen )(?<!\bafter )\b(?:announced|decided|agreed|approved|"
                    r"confirmed|ordered|signed|voted|ruled|declared)\b", re.IGNORECASE)


def _acted_on(text: str, clause: str) -> bool:
    """Do the words before the main clause report an act that settled what the clause looks ahead to?

    Attribution is cut from the main clause ("… announced Thursday"), and an
    announcement, a decision, a vote is news of its day, not the outlook (an
    editor's read of D0703C; usable labelled items placed right 583 -> 585 of 879).
    """
    at = text.find(clause[:40]) if clause else -1
    return at > 0 and _ACTED.search(text, 0, at) is not None


def _dated_before(dated: str, year: int) -> bool:
    """Does ``dated`` (the main clause, after the phrase that opens the sentence before it) name a year before
    ``year``?

    Not a year in a side clause ("…, which was founded in 1990, said on
    Monday …"). Usable labelled items placed right 513 -> 518 of 828 (7
    moved right, 2 wrong: a statistic of an earlier year reported as news):
    "A 1999 Gallup poll found …", "Under a 1997 agreement reached in Kyoto, …"
    in reports of a later year.
    """
    return any(int(found) < year for found in _YEAR.findall(dated))


def _year_of(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def assign_sections(
    items: Sequence[Item], rules: CueRules | None = None, *, earliest: str | None = None,
    published: Mapping[str, str | None] | None = None, read_before: Collection[int] = (),
) -> tuple[Item, ...]:
    """Each item with its section key and the cues that put it there.

    ``earliest``: the earliest source date (YYYY-MM-DD), when known;
    ``published``: each source's date (source id -> YYYY-MM-DD), when known.

    ``read_before``: the ranks of items whose claim a known article states
    (``--known``, ``KnownMatch.states``), filed under Background. An update
    brief's reader has read those articles: what they state came before the
    news, whatever its tense ("Henderson pleaded guilty …" in a brief of the
    trial that followed: an editor's read of D0721B). Only a known sentence
    that states the item's claim counts: one the item merely contains (a
    warning that the jurors would see photos, inside a scene of the day the
    photos were shown), or one of nearly the same words, can sit beside news
    of another day.
    """
    rules = rules or default_rules()
    year = _year_of(earliest)
    dates = published or {}
    placed = []
    for item in items:
        key: str
        cues: tuple[str, ...]
        if item.rank in read_before:
            key, cues = "background", ("the known articles state it",)
        else:
            reported = _year_of(dates.get(item.source))
            key, cues = assign_section(_ADDED.sub("", item.claim), rules, earliest_year=year, reported_year=reported)
        placed.append(replace(item, section=key, cues=cues))
    return tuple(placed)


# What the page adds to a sentence in brackets ("here [Nairobi] Sunday", "[Lucien] Bouchard", "last summer
# [1998]"): the sections are read on the sentence as its source wrote it. An editor's read of D0625 found a
# forecast for 2010 (", … an official warned here [Nairobi] Sunday.") under Developments: its main clause had
# been read as "here [Nairobi] Sunday.".
_ADDED = re.compile(r"\s?\[[^\[\]]*\]")


def group_sections(
    items: Sequence[Item], order: Sequence[int] = (), dates: Mapping[str, str | None] | None = None,
) -> tuple[Section, ...]:
    """The sections in page order, empty ones included; within one, by support, then rank.

    ``order``: the ranks of a page order to keep (a brief's items, with
    introductions moved first, :func:`briefing.pipeline.introductions_first`):
    items found there come in that order, before any others. Fitting the page
    regroups the items it keeps, and the order a reader needs must survive it.
    ``dates``: each source's date (source id -> YYYY-MM-DD); when given,
    Developments is told in the order things were reported, the oldest
    report first (undated ones last), then by support and rank: editors'
    reads of D0711A and D0716A found it running 1997, 1997, 1998, 1997 ….
    """
    position = {rank: k for k, rank in enumerate(order)}

    def key_of(item: Item) -> tuple[int, str, int, int]:
        at = position.get(item.rank)
        if at is not None:
            return (0, "", at, 0)
        day = (dates.get(item.source) or "~")[:10] if dates is not None and item.section == "developments" else ""
        return (1, day, -item.support, item.rank)

    return tuple(
        Section(key, SECTION_TITLES[key], tuple(sorted((it for it in items if it.section == key), key=key_of)))
        for key in SECTION_KEYS
    )

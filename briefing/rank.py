"""Rank and select: support first, then centrality, position and length.

The score of a sentence is its support (how many independent sources state
it) plus a fraction in [0, 1) built from its centrality (mean best similarity
to the other sources), its position in its article and its length, all times
a self-containedness factor, so a dangling "He said ..." loses to a sentence a
reader can take on its own. Selection walks the ranking and skips anything
too similar to what it already chose (a greedy MMR with a hard redundancy
cut), within an item or word budget.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain

import numpy as np

from briefing.claims import (
    ClaimContext,
    compare,
    evidence_status,
    lead_in,
    main_clause,
    rose,
    same_figure,
    shown,
    strip_dateline,
    view,
)
from briefing.clean import first_person, outside_quotes
from briefing.corroborate import CLAIM_THRESHOLD, VERDICT_CODES, Corroboration
from briefing.display import first_given
from briefing.known import NOTHING_KNOWN, Known, KnownMatch, known_claims, match_known
from briefing.lookahead import looks_ahead_to
from briefing.model import Sentence
from briefing.quantities import extract_quantities
from briefing.segment import concept_bigrams, content_stems, stem, stop_words, word_count

#: Two selected sentences may not be more similar than this.
REDUNDANCY_THRESHOLD = 0.4
#: The latest report's lead is chosen after this many sentences when none of them is of the latest date.
LATEST_SLOT_AT = 3
#: A lead is one of a source's first this many sentences (the first may be a headline line).
LATEST_LEAD_SENTENCES = 2
#: Outlets whose newest report gets a place (select's ``latest_slot``), the newest first ...
MAX_SLOTS = 2
#: ... if it is no more than this many days older than the latest report.
SLOT_DAYS = 7
#: Rounds of choosing again without items whose bare surnames the page never introduces.
_INTRODUCTION_ROUNDS = 3
#: Verdicts that make a candidate a restatement of a chosen item.
_SAME_CLAIM = frozenset({"supports", "figure"})
#: Sentences shorter than this (in words) are never selected: fragments.
MIN_WORDS = 6
#: Longer sentences are hard to read in a brief and are never selected.
MAX_WORDS = 70
#: A sentence that cannot stand alone is an item with the sentence before it when both hold at most this many words.
MAX_JOINED_WORDS = 60
# The reasons of :func:`orphan_reason` that the sentence before answers: who "he", "they" or "those"
# are (a pronoun that opens the sentence or its subject, or says who spoke). Not what "the plan" is,
# nor "it": in hand labels of such pairs (stop 37), the sentence before told who the pronoun was
# in 5 of 7, and made 5 of 15 others usable (the second sentence did not need it, or needed more).
_JOINABLE_REASON = re.compile(
    r"opens with '(?:He|She|They|His|Her|Their|Those|These|This)'|its subject is a pronoun|its speaker is a pronoun"
    r"|opens with '(?:When|After|Before|As|While|Because|Although|Though|Once|Until|Unless) (?:he|she)'")

_DANGLING_OPENING = re.compile(
    r"^(?:he|she|they|it|this|that|these|those|his|her|their|its|him|them|"
    r"but|and|or|so|also|yet|still|however|meanwhile|moreover|neither|nor|"
    r"instead|then|there|here|such|both of them)\b",
    re.IGNORECASE,
)
# A verb right after a demonstrative pronoun: "this is", "that's", "these were", "that means".
_BE_OR_MODAL = r"(?:is|was|are|were|has|have|had|will|would|could|may|might|means|meant|'s|’s)\b"
# "The agency", "the decision": what they stand for was told before.
_BACK_REFERENCE_NOUNS = (
    r"(?:agency|company|firm|report|group|man|woman|boy|girl|suspect|victim|move|decision|"
    r"deal|plan|measure|bill|study|statement|incident|case|official|spokesman|spokeswoman|source|"
    r"court|judge|jury|panel|ministry|department|declaration|letter|document|survey|poll|"
    r"agreement|organization|organisation|team|couple|pair|family|board|committee|commission)")
# Openings that lean on an earlier sentence: not an item on their own (issue 15).
_ORPHAN_OPENING = re.compile(
    r"^(?:he|she|they|it|this|that|these|those|his|her|their|its|him|them|we|you|"
    r"but|and|or|so|also|yet|still|however|meanwhile|moreover|neither|nor|instead|then|there|here|"
    r"such|both of them|even then|even so|essentially|basically|similarly|likewise|besides|"
    r"in addition|additionally|furthermore|further|thus|therefore|hence|as a result|nevertheless|"
    r"nonetheless|otherwise|in turn|at the same time|among them|among those|of those|of them|"
    r"one of them|the latter|the former|the two|the three|the other|another|others|(?:\w+) of those|"
    r"the " + _BACK_REFERENCE_NOUNS + r"\b|"
    r"indeed|now|which|something|none of|no one|nobody|of that|of these|if (?:the|he|she|they|it)|as a result|"
    # "When he decided …": a clause opening on a person named before (an editor's read of D0610)
    r"(?:when|after|before|as|while|because|although|though|once|until|unless) (?:he|she)|"
    r"not for|not so|"
    r"in return|in turn|(?:many|some|most|few|several) (?:were|are|have|had|say|said)|(?:\w+),\s+however|"
    # a quantifier standing for people or things named before ("Each has until Friday", "All say", "One would
    # hold ..."), and openings that lean on the story told before them ("For that, ...", "At one point, ...",
    # "Aside from that, ...", "Whatever the reason, ...", "By the time ..."): every labelled one an orphan but one
    r"(?:each|all|both|one) (?:has|have|is|are|was|were|say|says|said|will|would|could|can|had)|"
    r"for (?:that|this)(?=,| reason)|at one point|aside from (?:that|this)|whatever the reason|"
    r"complicating matters|by the time|"
    # discourse connectives: what follows answers, illustrates or closes an earlier point (all 10 labelled
    # sentences that open so were orphans); "In response to …" names what it answers and is not one
    r"clearly|in fact|in any case|in the meantime|for example|for instance|of course|after all|by contrast|"
    r"in contrast(?=,)|on the other hand|in other words|in short|in the end|either way|finally|ultimately|"
    r"since then|until then|by then|at that (?:time|point|moment)|at this point|at the time(?=,)|"
    r"(?:earlier|later|first|second|third)(?=,)|"
    # "Even before the recommendation, …", "Even ads for … would not be allowed": "even" adds to what was told
    # before, and "Other studies …" to things named before (the seven labelled items that open so were orphans);
    # "Even as/though/if/when/while …" opens a clause of its own and stands alone
    r"even(?! (?:as|though|if|when|while)\b)|other(?! than\b)|"
    # a judgement of what was told before ("Fortunately, …"), or a reason for it ("One reason is …"): an editor's
    # read of D0605 found both, each labelled an orphan
    r"(?:fortunately|unfortunately)(?=,)|(?:one|another|the other|the main) reason (?:is|was|may be|might be)|"
    # "Among other hurdles, …": others than those told before (an editor's read of D0601)
    r"among (?:the )?others?)\b",
    re.IGNORECASE,
)
# A connective set off early ("For true safety, however, ...", "Washington has, however, said"), or a
# one-word opening that answers an earlier sentence ("Rather, ...", "Inside, ..."): on the labelled items
# every one of them was an orphan.
_EARLY_CONNECTIVE = re.compile(
    r"^(?:[^,]{0,40},\s+(?:however|though|too|then|in turn|instead|meanwhile|moreover|nevertheless|therefore|thus)\b"
    r"|(?:inside|outside|again|still|instead|otherwise|rather|yet),)", re.IGNORECASE)
# An opening phrase set off by a comma, then a pronoun as the main clause's subject ("If convicted, he faces the
# death penalty", "Two years ago, she and a partner bought …"): who it is was told before. All 19
# labelled sentences that open so were orphans.
_PRONOUN_AFTER_OPENING = re.compile(
    r"^[^,]{3,60},\s+(?:(?:he|she|they|it|his|her|their|its)\s+[a-z]|(?:this|that|these|those)\s*" + _BE_OR_MODAL + ")"
    # After a longer opening, a person only: "Regarding the seizure of the embassy by armed men, he stressed …"
    # (an editor's read of D0706C; the four such labelled items were orphans, while "they" there was as often
    # the opening's own subject: "As communities across the nation struggle …, they are watching …").
    r"|^[^,]{61,160},\s+(?:he|she|his|her)\s+[a-z]"
    # A day or year, no comma, then the pronoun: "On Thursday she notched …", "In 1995 she and her brother …"
    # (D0623's dev brief had the first; the three labelled items that open so were orphans).
    r"|^(?:On|In|Last|This|Earlier|Later|Since|By|Until)\s+[A-Za-z0-9]+(?:\s+\d+)?\s+(?:he|she|they)\s+[a-z]")
# The same nouns as the subject after an opening phrase: "Bowing to an order from a judge, the agency on Friday
# proposed …", "Since the 1800s, the agency said, …" (an editor's read of D0603; the two labelled items
# were orphans). Not when what follows says which: "For most families, the decision to teach at home …".
_BACK_REFERENCE_AFTER_OPENING = re.compile(
    r"^[^,]{3,90},\s+the " + _BACK_REFERENCE_NOUNS + r"\b(?!\s+(?:to|of|that|in|for|from|with)\b)(?!['’,])")
# "it" or "them" among a sentence's first words, not its first, nor the "it" of "it is …": what it points at
# was told before ("Fans heard about it four days earlier", "Drugs and insecticides have made it rare …":
# editors' reads of D0604 and D0618, stop 38). Nor the "it" that stands for what follows: "will make it harder
# to build", "made it clear that". The 10 labelled items so read were all orphans.
_PRONOUN_EARLY = re.compile(
    r"^(?:[\w'’-]+,?\s+){1,5}?(?:it|them)\b(?!\s+(?:is|was|would|will|has|had|to|that|seems?|appears?)\b)"
    r"(?!\s+(?:\w+ly\s+|much\s+|far\s+)?\w+\s+(?:to|that|for)\b)",
    re.IGNORECASE)
# ... but "Russia says it wants …": a one-word subject that reports what it does itself (a labelled usable item).
_SUBJECT_SAYS_IT = re.compile(
    r"^[A-Z][\w'’-]*\s+(?:has\s+|have\s+)?(?:says?|said|argues?|argued|believes?|believed|insists?|insisted|"
    r"claims?|claimed|announced|announces|added|adds)\s+(?:that\s+)?it\b")
# ... and "them" a little later, unless a phrase of the sentence names them ("… require students to wear them",
# not "some of them"): the two labelled items so were orphans (an editor's read of D0620 found the first).
_THEM_LATER = re.compile(r"^(?:[\w'’-]+,?\s+){6,9}?(?<!of\s)them\b")
# "A new policy at his school …", "Hundreds of members of her party …": a possessive in the subject, before any
# name it could mean (an editor's read of D0620; the three labelled items so were orphans).
_POSSESSIVE_IN_SUBJECT = re.compile(
    r"^(?:A|An|The|Some|Many|Most|All|Several|Hundreds|Thousands|Dozens|Members|One|Two|Three|Four|Five|Each|"
    r"Every|No|None|Much)\s+(?:[a-z][\w-]*\s+){0,3}(?:of|at|in|from|for|with|on)\s+(?:his|her|its|their)\s"
    # ... or opening it after a time adverb ("Someday her children might …": a new item of D0610's brief).
    r"|^(?:Someday|Today|Now|Soon|Then|Still|Later|Meanwhile|Eventually|Sometimes|Often)\s+(?:his|her|its|their)\s")
# "To deal with this threat, …", "Behind this attitude was …", "When IBM rejected those proposals, …": a
# demonstrative before a noun among the first words points at what an earlier sentence told (an editor's read
# of D0606; the six labelled items with one, a time word or a pronoun use aside, were orphans). Not "this
# year", "these days", nor "those with …", "those who …" (a pronoun naming whom it means).
_DEMONSTRATIVE_EARLY = re.compile(
    r"^(?:\S+\s+){0,5}?(?:this|these|those)\s+"
    r"(?!(?:year|week|month|morning|afternoon|evening|night|time|day|days|spring|summer|fall|autumn|winter|"
    r"century|decade|weekend|season|past|coming|is|was|are|were|has|have|had|will|would|with|who|of|in|at|on|"
    r"for|that|which|whose|from|to)\b)(?-i:[a-z])", re.IGNORECASE)  # "This Generation Y": a name
# "Rerucha's statements came as …", "Klein's comments notwithstanding, …": someone's words or act told in an
# earlier sentence (an editor's read of D0721A; the two such labelled items were orphans).
_SOMEONES_WORDS = re.compile(
    r"^[A-Z]\w+['’]s\s+(?:statements?|remarks?|comments?|words|testimony|announcement|decision|move|appearance|"
    r"visit|speech|trip|arrival|actions?|call|letter|proposal|offer)\b"
    r"(?!\s+(?:to|of|on|that|about|in|for|by|against|with)\b)")  # "Lind's decision to close …" says which
# "X said that's because …", "… say that this is part of …": what a reporting verb reports is about what came
# before (an editor's read of D0601; the three such labelled items were orphans).
_SAID_DEMONSTRATIVE = re.compile(
    r"\b(?:said|says|say|added|adds|explained|noted)\s+(?:that\s+)?(?:this|that|these|those)\s*" + _BE_OR_MODAL)
# "The prosecutor countered that …": a reply, to a claim told before (an editor's read of D0721C; the two such
# labelled items were orphans).
_REPLY = re.compile(r"\b(?:countered|counters|retorted|rebutted)\b")
# A timeline line ("Oct. 20 - The Justice Department sues ...", "Sept. 19 _ Microsoft reveals ...") or a list line.
_TIMELINE_OR_LIST = re.compile(
    r"^(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
    r"\s+\d{1,2}(?:,\s*\d{4})?\s*(?:[-–—:]|_\s)|[-_*•·]\s|--)", re.IGNORECASE)
# An interview's question or answer ("Q: ...", "A. ..."), or a line that announces a text
# printed below it ("Following is a transcript of ..."): all three labelled were unusable.
_INTERVIEW_OR_PREFACE = re.compile(r"^(?:[QA][.:]\s|(?:The f|F)ollowing (?:is|are)\s)")
# A review's credits box: "Written and directed by …", "Starring …", "Rated PG." (an editor's read of D0604
# found the first as the page's title and bottom line).
_CREDITS_BOX = re.compile(
    r"(?:(?:Written and )?[Dd]irected by [A-Z]|Screenplay by [A-Z]|Produced by [A-Z]|Starring [A-Z]|Running time\b|"
    r"Rated (?:PG|G|R|NC)\b)")
# The first quotation mark closes a quote (after a comma or a full stop): the sentence is the last of a
# quotation that began in an earlier one, and who says what is not on the page (an editor's read of D0706B).
_CLOSES_FIRST = re.compile(r"(?:[^“”\"`']|(?<=\w)'(?=\w))*[,.!?](?:”|''|\")")
# A phone number: a hotline or contact line, service information rather than news (an editor's read of D0618).
_PHONE = re.compile(r"(?<![\d-])(?:\(\d{3}\)\s*|\d{3}[-.])\d{3}[-.]\d{4}(?![\d-])|\b1-800-")
# "…, he said." / "…, it added.": the one who says it is named in an earlier sentence only.
_PRONOUN_SPEAKER = re.compile(
    r",(?:''|”|\")?\s+(?:it|he|she|they)\s+(?:said|says|added|noted|stated|told\s+\w+(?:\s+\w+)?)"
    r"(?:\s+\w+day)?\s*\.?(?:''|”|\")?\s*$")
# A run of two to six capitalised words, initials inside ("Raul Estrada Oyuela", "Leader Richard A. Gephardt").
_NAME_RUN = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)?\.?\s+(?:(?:[A-Z][a-z]+(?:[A-Z][a-z]+)?\.?|[A-Z]\.)\s+){0,4}"
                       r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?\b")
# The same with initials and up to seven words, to write a name in full ("Texas Gov. George W. Bush",
# "European Central Bank President Wim Duisenberg": an editor's read of D0703B found five too few).
_FULL_NAME_RUN = re.compile(
    r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)?\.?\s+(?:(?:[A-Z][a-z]+(?:[A-Z][a-z]+)?\.?|[A-Z]\.)\s+){0,5}"
    r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?\b")
# What may open a sentence before its first word.
_OPENING_MARKS = " “‘\"'«`("
# A name written family name first: the given name hyphenated ("Cheung Tze-keung", "Li Ka-shing"), or a
# Chinese name in pinyin ("Li Hongzhi", "Zhu Bangzao", "Qin Gang"): one of the commonest Chinese family names,
# then a given name of one or two pinyin syllables and no more name after it. An editor's read of D0607 found
# "People's Daily said Li was …" left bare although its article names Li Hongzhi ("He", "Ma", "Yu" and other
# English words are left out of the list). Two capitalised words are looked at from each capitalised word
# on (a lookahead: "Premier Li Peng" gives "Li Peng"), then tested: one pass for both kinds of name.
_TWO_NAME_WORDS = re.compile(r"\b(?=([A-Z][a-z]+) ([A-Z][a-z]+)(-[a-z]+\b)?)")
_CHINESE_FAMILY_NAMES_TEXT = (
    "Li Wang Zhang Liu Chen Yang Zhao Huang Zhou Wu Xu Sun Hu Zhu Gao Lin Guo Luo Liang Song Zheng Xie Han "
    "Tang Feng Dong Xiao Cheng Cao Yuan Deng Fu Shen Zeng Peng Lu Su Jiang Cai Jia Ding Wei Xue Yan Pan Dai Xia "
    "Zhong Wen Qin Tian Ren Jin Qian Kong Mao Hao Bai Cui Kang Qiu Fang Tan Yao Zou Xiong Meng Qi Hou Lei Xi"
)
_CHINESE_FAMILY_NAMES = frozenset(_CHINESE_FAMILY_NAMES_TEXT.split())
_PINYIN_SYLLABLE = (r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
                    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui"
                    r"|er|a|o|e|i|u)")
_PINYIN_GIVEN = re.compile(rf"{_PINYIN_SYLLABLE}{_PINYIN_SYLLABLE}?")
# What may not follow a pinyin given name: more of the word ("Ka-shing"), or another capitalised word.
_NAME_GOES_ON = re.compile(r"[\w-]|[ \t]+[A-Z]")


def family_names_first(text: str, lower: Collection[str]) -> Iterator[tuple[str, str]]:
    """(family name, full name) of each name ``text`` writes family name first (see :data:`_TWO_NAME_WORDS`);
    a pinyin given name that the articles also write in lower case ("Wang Long" where "long" is a word:
    ``lower``) is a word, not a name."""
    for match in _TWO_NAME_WORDS.finditer(text):
        family, given, hyphenated = match.groups()
        if hyphenated:
            yield family, f"{family} {given}{hyphenated}"
            continue
        if (family in _CHINESE_FAMILY_NAMES and _NAME_GOES_ON.match(text, match.end(2)) is None
                and _PINYIN_GIVEN.fullmatch(given.lower()) and given.lower() not in lower):
            yield family, f"{family} {given}"


def surnames(texts: Sequence[str]) -> frozenset[str]:
    """Words that end a person's name somewhere ("Matthew Shepard" → "Shepard").

    A word the cluster also writes in lower case ("the Department", "police"),
    puts after "the" or "in" (a body or a place: "the Corps", "in France"), a
    weekday or month, or a nationality in -ese is not a surname.
    """
    return surname_sets(texts)[0]


def surname_sets(texts: Sequence[str]) -> tuple[frozenset[str], frozenset[str]]:
    """:func:`surnames`, and a wider set of people's surnames to complete on the page (``Item.names``).

    Selection blocks an item whose bare surname no item introduces, so its
    surnames leave out whatever might be a body or a place. Completing a name
    asks less: the wider set also holds a person's name used as a modifier
    ("the Shepard family", "the Kolbe speech") when the person speaks or has
    a title somewhere ("Shepard said", "Mr. Kolbe"), names written family
    name first ("Cheung Tze-keung"), and not a word that only follows a
    sentence-opening function word ("Whether Cheung", "Like Klein").
    """
    found: set[str] = set()
    wider: set[str] = set()
    distinct = list(dict.fromkeys(texts))  # sentences repeated word for word are read once
    # Lower-case words never span two texts: those of the distinct texts are all of them.
    lower = set(_LOWER_WORD.findall("\n".join(distinct)))
    for text in distinct:
        for run in _NAME_RUN.finditer(text):
            words = run.group().split()
            while words and words[0].rstrip(".").lower() in _NOT_FIRST_NAMES:
                words = words[1:]  # "Secretary Madeleine Albright": the title is not a first name
            if len(words) >= 2:
                found.add(words[-1])
                if len(words) >= 3 or not _opening_function_word(text, run.start(), words[0]):
                    wider.add(words[-1])
        wider.update(family for family, _ in family_names_first(text, lower))
    # "in" ending one text and "France" opening the next make a match: all texts, in order.
    joined = "\n".join(texts)
    places = list(_AFTER_THE_OR_IN.finditer(joined))
    not_people = {match.group(1) for match in places}
    speakers = {match.group(1) or match.group(2) for match in _SPEAKER.finditer(joined)}
    # For the wider set, a speaker's name after "the" is a body only before a function word or a verb
    # in -ed ("the Corps said", "the Corps ordered"), not before a noun it modifies ("the Kolbe speech")
    # nor as a possessive ("in Shepard's memory").
    # Nor before another capitalised word: "the Benziger Family Winery" is named after a person, and says
    # nothing of whether "Benziger" alone is one (an editor's read of D0611 found "Benziger" left bare
    # although its article names Michael Benziger).
    not_people_wider = {
        match.group(1) for match in places
        if not _NAME_WORD_NEXT.match(joined, match.end(1)) and (
            match.group(1) not in speakers or (match.group(2) is None and not joined.startswith(("'s", "’s"),
                                                                                                 match.end(1)))
            or (match.group(2) is not None and (match.group(2) in stop_words() or match.group(2).endswith("ed"))))
    }

    def person(word: str, not_people: set[str]) -> bool:
        return (word.lower() not in lower and word.lower() not in _CALENDAR and word not in not_people
                and not word.endswith("ese"))

    return (frozenset(word for word in found if person(word, not_people)),
            frozenset(word for word in wider if person(word, not_people_wider)))


_LOWER_WORD = re.compile(r"\b[a-z][a-z-]+\b")
_NAME_WORD_NEXT = re.compile(r"[ \t]+[A-Z][a-z]")
# "the Corps", "in France" (a body or a place), with the word after it, if any ("the Kolbe speech").
_AFTER_THE_OR_IN = re.compile(r"\b(?:in|the|The)\s+([A-Z][a-z]+)\b(?=(?:[ \t]+([a-z][a-z'’-]*))?)")
# Someone who speaks or has a title: a person ("Kolbe said", "said Kolbe", "Mr. Kolbe").
_SPEAKER = re.compile(
    r"\b([A-Z][a-z]+) (?:said|says|told|added)\b|\b(?:said|Mr\.|Mrs\.|Ms\.|Dr\.|Sen\.|Rep\.|Gov\.) ([A-Z][a-z]+)\b")
_CALENDAR_TEXT = (
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december")
_CALENDAR = frozenset(_CALENDAR_TEXT.split())


# Capitalised words that start a sentence or name a role, not a person's first name.
_NOT_FIRST_NAMES_TEXT = (
    "the a an in on at for by from with after before when while but and of to as this that these those "
    "president secretary minister governor senator sen rep gov gen prime chief judge mr mrs ms dr "
    "new north south east west united saint st fort los las san santa monday tuesday wednesday thursday "
    "friday saturday sunday january february march april may june july august september october "
    "november december"
)
_NOT_FIRST_NAMES = frozenset(_NOT_FIRST_NAMES_TEXT.split())
# Words that name an office or rank before a person's name, and words before them with it.
_TITLES_TEXT = (
    "president secretary minister governor senator sen rep gov gen prime chief judge justice mr mrs ms dr "
    "premier chancellor mayor king queen prince princess pope cardinal bishop rev father sister brother lt col "
    "capt sgt cmdr adm maj gov attorney general commissioner ambassador deputy vice leader coach professor prof "
    "chairman chairwoman director spokesman spokeswoman officer detective sheriff representative congressman "
    "congresswoman lord lady sir dame democrat republican assemblyman councilman superintendent "
    # the department of an office: "Secretary of State Antony Blinken", "Minister of Foreign Affairs Wang Yi"
    "state defense defence treasury commerce interior affairs health education energy labor agriculture "
    "transportation homeland foreign finance trade environment security"
)
_TITLES = frozenset(_TITLES_TEXT.split())


def orphan_reason(
    text: str, names: frozenset[str] = frozenset(), introduced: frozenset[str] = frozenset(),
) -> str | None:
    """Why a sentence cannot stand alone as an item, or None.

    It opens with a pronoun, connective or back-reference ("It", "Even then",
    "The agency"), is a timeline or list line, refers to "the arrests", "the
    park"… it never introduces, or names a person by a bare
    surname (one of ``names``) that it does not introduce itself and that is
    not in ``introduced`` (surnames, lower-cased, that the page introduces).
    """
    whole = strip_dateline(text).strip()  # with its opening quote: the writer's voice is read outside quotes
    body = whole.lstrip("“‘\"'«`(")
    opening = _ORPHAN_OPENING.match(body) or _EARLY_CONNECTIVE.match(body)
    if opening:
        return f"opens with {opening.group()!r}"
    pronoun = _PRONOUN_AFTER_OPENING.match(body)
    if pronoun:
        return f"its subject is a pronoun after an opening phrase ({pronoun.group()!r})"
    if _TIMELINE_OR_LIST.match(body):
        return "a timeline or list line"
    if _INTERVIEW_OR_PREFACE.match(body):
        return "an interview line or a preface to a text"
    if _PRONOUN_SPEAKER.search(body):
        return "its speaker is a pronoun (', he said')"
    after_opening = _BACK_REFERENCE_AFTER_OPENING.match(body)
    if after_opening:
        return f"its subject points back after an opening phrase ({after_opening.group()!r})"
    early = _PRONOUN_EARLY.match(body)
    if early and not _SUBJECT_SAYS_IT.match(body):
        return f"points back with a pronoun ({early.group()!r}…)"
    later = _THEM_LATER.match(body)
    if later:
        return f"points back with a pronoun ({later.group()!r}…)"
    whose = _POSSESSIVE_IN_SUBJECT.match(body)
    if whose:  # the sentence before may say whose (joins)
        return f"its subject is a pronoun's ({whose.group()!r}…)"
    demonstrative = _DEMONSTRATIVE_EARLY.match(body)
    if demonstrative:
        return f"refers to something told before ({demonstrative.group()!r}…)"
    words = _SOMEONES_WORDS.match(body)
    if words:
        return f"opens with {words.group()!r}, told before"
    said = _SAID_DEMONSTRATIVE.search(body)
    if said:
        return f"what it reports is about something told before ({said.group()!r})"
    reply = _REPLY.search(outside_quotes(body))
    if reply:
        return f"a reply ({reply.group()!r}) to something told before"
    if _PHONE.search(body):
        return "contact details (a phone number)"
    if _CREDITS_BOX.match(body):
        return "a review's credits box"
    voice = first_person(whole)
    if voice:
        return f"the writer's own voice ({voice!r}): a column or a letter, not a report"
    if body.count("(") != body.count(")") or body[:1].islower():
        return "a fragment (starts mid-sentence or mid-parenthesis)"
    if _CLOSES_FIRST.match(whole):
        return "the end of a quotation it does not open ('… 10 years,” said X')"
    # A report's lead under its dateline names the place, and its "The city …" is the news (4 of the 5
    # labelled such leads were usable).
    definite = None if whole != text.strip() else _definite_back_reference(body)
    if definite:
        return f"opens with {definite!r}, never introduced"
    similar = _SIMILAR_THINGS.search(body) or _THE_SAME.search(body)
    if similar:
        return f"{similar.group()!r} of what was told before"
    opening = _OPENING_ENDS_DEFINITE.match(body)
    if opening and opening.group(1) not in body[:opening.start(1)].lower():
        return f"'the {opening.group(1)}' never introduced"
    for match in _DEFINITE_PHRASE.finditer(body):
        noun = match.group(2)
        if noun in _ANAPHORIC_NOUNS and noun not in body[:match.start()].lower():
            return f"'the {match.group(1)}{noun}' never introduced"
    bare = bare_surnames(body, names) - introduced
    if bare:
        return f"bare surname {sorted(bare)[0].title()!r} never introduced"
    return None


# A third-person pronoun outside quotes before any full name: it points back ("In Monday's final
# count, his party took 75 seats": whose?).
_PRONOUN = re.compile(r"\b(?:he|she|his|her|him|they|their|them)\b")
_FULL_NAME = re.compile(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+")
# Openings that presuppose what came before ("In other public places", "No one was killed at …"), and a
# comparison with nothing to compare to at the end ("… begin a week earlier."); "also" ("Blinken also
# invited Qin …": what else?; not "also known as", nor in a second clause: "…, but the move also had …");
# and a notice with no verb ("No smoking in … except …": an editor's read of D0623's page, stop 40).
_LEANS_BACK = re.compile(
    r"^(?:in other|other|no one|nobody|the party)\b|\b(?:earlier|later)\.?[”\"']?$"
    r"|^(?!.*\b(?:but|and|while)\b.*\balso\b).*\balso\b(?!\s+known\b)"
    r"|^no\s+[a-z]+ing\b(?!.*\b(?:is|are|was|were|will|has|have|had|can|may|must)\b)",
    re.IGNORECASE)


def leans_back(text: str) -> bool:
    """Does a sentence lean on what came before it, in ways :func:`orphan_reason` lets pass in an item?

    The bottom line is read first and alone: it is held to more.
    """
    body = strip_dateline(text).strip()
    if _LEANS_BACK.search(body):
        return True
    unquoted = outside_quotes(body)
    pronoun = _PRONOUN.search(unquoted)
    name = _FULL_NAME.search(unquoted)
    return pronoun is not None and (name is None or pronoun.start() < name.start())


def joins(context: str, text: str, names: frozenset[str] = frozenset(),
          introduced: frozenset[str] = frozenset()) -> bool:
    """Does ``context``, the sentence before ``text`` in its article, give what ``text`` needs to be understood?

    ``text`` cannot stand alone because a pronoun opens it, or is its subject
    or its speaker (:data:`_JOINABLE_REASON`: who "he" or "those" are, which
    the sentence before says); ``context`` stands alone, held to what a
    bottom line is (:func:`leans_back`), points at nothing told before it,
    and together they leave nothing unintroduced (:func:`orphan_reason` of
    both: a bare surname, "the report").
    """
    reason = orphan_reason(text, names, introduced)
    if reason is None or _JOINABLE_REASON.match(reason) is None or _COUNTED_BACK.match(strip_dateline(text)):
        return False
    if (orphan_reason(context, names, introduced) is not None or leans_back(context)
            or _CONTEXT_DEMONSTRATIVE.search(outside_quotes(strip_dateline(context)))):
        return False
    return orphan_reason(strip_dateline(context) + " " + text, names, introduced) is None


# The sentence after a teaser that turns it round: a scientist who "doesn't believe in" a theory, then "nor in
# gravity, either" (an editor's read of D0615 counted the teaser, alone on a page, a wrong citation: it says the
# opposite of what its article means); "Actually, …", "If that sounds …".
_TURNS_BACK = re.compile(
    r"^[\"“‘'`(]*(?:Actually|In fact|In reality|Not so|Think again)\b|^[\"“‘'`(]*If (?:that|this|it) sounds\b"
    r"|\beither\W*$")


def turned_by_next(next_text: str) -> bool:
    """Does ``next_text``, the sentence after one in its article, turn that one round (it was a teaser)?

    Of the labelled items whose next sentence does, all three are orphans (stop 41).
    """
    return _TURNS_BACK.search(strip_dateline(next_text).strip()) is not None


# "Those three …", "These two …": a count of things told before, which the sentence before may not give all of
# (an editor's read of D0703C, stop 38: "Those three" after a sentence naming two places).
_COUNTED_BACK = re.compile(
    r"^[\"“‘'`(]*(?:Those|These)\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\b")

# "these student refugees", "such attacks": things told before the sentence (a week, a year, this country
# are not).
_CONTEXT_DEMONSTRATIVE = re.compile(
    r"\b(?:[Tt]his|[Tt]hese|[Tt]hose|[Ss]uch)\s+(?!(?:week|weekend|month|year|morning|afternoon|evening|"
    r"summer|spring|fall|autumn|winter|season|time|century|decade|country|nation|is|was|will|would|as|and|or|"
    r"who|which|that|with|in|of|to|for|at|on)\b)[a-z]"
    r"|\b(?:of|by|from|with|about|for|despite)\s+that\s+(?!(?:it|he|she|they|we|you|i|the|a|an|is|was|are|were|"
    r"has|had|have|will|would|could|can|may|might|must|should)\b)[a-z]")


def bare_surnames(text: str, names: frozenset[str]) -> frozenset[str]:
    """Surnames (lower-cased) that ``text`` uses alone before (or without) giving the full name.

    A name's words stand next to each other: "Like Klein, Blumenthal said"
    gives neither "Klein" nor "Blumenthal" a first name (an editor's read of
    D0711B), while "Sen. Ann Lind" and "John F. Kennedy" are full names.
    """
    tokens = list(_TOKEN.finditer(text))
    full: set[str] = set()
    bare: set[str] = set()
    for k, match in enumerate(tokens):
        token = match.group()
        name = token[:-2] if token.endswith(("'s", "’s")) else token.rstrip("'’")
        if name not in names:
            continue
        at = k - 1
        before = tokens[at].group() if k and _adjacent(text, tokens[at], match) else ""
        if before in _SURNAME_PARTICLES:
            # "St. Clair": the particle is the surname's; what stands before it says whether it is alone
            # (an editor's read of D0721B found "St. Clair told jurors …" taken as a full name).
            at -= 1
            before = tokens[at].group() if at >= 0 and _adjacent(text, tokens[at], tokens[at + 1]) else ""
        after = tokens[k + 1].group() if k + 1 < len(tokens) and _adjacent(text, match, tokens[k + 1]) else ""
        initial = len(before) == 1 and text.startswith(".", tokens[at].end())  # "A." is no article
        if (before[:1].isupper() and (initial or before.lower() not in _FUNCTION_WORDS)) or after[:1].isupper():
            full.add(name.lower())  # part of a full name ("Matthew Shepard", "Shepard Smith")
        elif name.lower() not in full:
            bare.add(name.lower())
    return frozenset(bare)


def full_names(sentences: Iterable[str], names: frozenset[str]) -> dict[str, str]:
    """Each surname of ``names`` an article's ``sentences`` give in full, and that name ("Bouchard": "Lucien Bouchard").

    Titles are left out ("Premier Lucien Bouchard" gives "Lucien Bouchard"),
    and so is any word before the given name that the article also writes in
    lower case ("Prosecutor Cal Rerucha"; "Two Moroccan" names no one; a
    first name that is a word too, "Bill", is left out with it: no name then);
    a name written family name first keeps its order ("Cheung": "Cheung
    Tze-keung"). A surname the article gives with two first names (Doreen
    and Stephen Lawrence) is left out: which one a bare "Lawrence" means is
    not written; the same first name, once with a middle name, is one person
    and the first form given is kept.
    """
    sentences = list(sentences)
    lower = set(_LOWER_WORD.findall("\n".join(sentences)))
    found: dict[str, str] = {}
    ambiguous: set[str] = set()

    def add(surname: str, full: str, given: str) -> None:
        if surname in ambiguous:
            return
        known = found.get(surname)
        if known is None:
            found[surname] = full
        elif first_given(known, surname) != given:
            ambiguous.add(surname)
            del found[surname]

    for sentence in sentences:
        for run in _FULL_NAME_RUN.finditer(sentence):
            words = run.group().split()
            # What comes before the last title is the title's (a place, an office): "Quebec Premier Lucien".
            titled = [k for k, word in enumerate(words[:-1]) if word.rstrip(".").lower() in _TITLES]
            words = words[titled[-1] + 1:] if titled else words
            while words and words[0].lower() in _FUNCTION_WORDS:
                words = words[1:]
            if words and _opening_function_word(sentence, run.start(), words[0]):
                words = words[1:]
            while words and words[0].lower() in lower:
                words = words[1:]  # a word the article writes in lower case too: "Two Moroccan", "Prosecutor Cal"
            if len(words) >= 2 and words[-1] in names and _person_name(words[0], words[-1]):
                add(words[-1], " ".join(words), words[0])
        for family, full in family_names_first(sentence, lower):
            if family in names:
                add(family, full, full.split()[1])
    return found


def _person_name(given: str, surname: str) -> bool:
    """Can ``given`` ``surname`` be a person's name? Not "Northern Arapaho", "French Quebecers",
    "States Department", "Assistant Secretary" (a region, a people, a body, an office)."""
    return (given.lower() not in _NOT_FIRST_NAMES and not given.endswith(_NOT_GIVEN_ENDINGS)
            and surname.lower() not in _TITLES and surname.lower() not in _BODIES and not surname.endswith("ers"))


# Words ending an adjective of a region or a people ("Northern", "Irish", "French", "Chinese").
_NOT_GIVEN_ENDINGS = ("ern", "ish", "ese", "ch")
_BODIES_TEXT = (
    "department ministry office bureau agency council committee commission court party university college "
    "school church county city state states house senate congress parliament assembly army navy force police "
    "union association foundation institute center centre company corporation group"
)
_BODIES = frozenset(_BODIES_TEXT.split())


def _opening_function_word(sentence: str, start: int, word: str) -> bool:
    """Is ``word``, at ``start``, the sentence's first word and a function word ("Whether Cheung …",
    "Like Klein, …")? Capitalised only because it opens the sentence: no first name."""
    return not sentence[:start].strip(_OPENING_MARKS) and word.lower() in stop_words()


def names_to_complete(text: str, article: Iterable[str], names: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(name, full name) for each surname ``text`` uses bare that its ``article`` (sentences) gives in full,
    and each given name it uses alone (:func:`bare_given_names`)."""
    text = strip_dateline(text)
    bare = bare_surnames(text, names)
    article = list(article)
    fulls = full_names(article, names)
    # A person the article also names by surname alone ("Lawrence's parents"): not a place or a body of two
    # capitalised words ("Taiwan Strait"), whose first word is no given name. Asked only of the full names
    # whose given name the text holds (no other can be completed): each answer reads the article again.
    people = {surname: full for surname, full in fulls.items()
              if first_given(full, surname) in text and named_alone(surname, article, names)}
    return tuple(sorted({*((surname, full) for surname, full in fulls.items() if surname.lower() in bare),
                         *bare_given_names(text, people, names)}))


def named_alone(surname: str, sentences: Iterable[str], names: frozenset[str]) -> bool:
    """Does one of ``sentences`` use ``surname`` alone (:func:`bare_surnames`), as a person's is ("Lawrence's
    parents", "McKinney said"), where a place's or a body's last word is not ("Taiwan Strait", "Hong Kong")?"""
    return any(surname.lower() in bare_surnames(sentence, names) for sentence in sentences if surname in sentence)


def bare_given_names(text: str, fulls: Mapping[str, str], names: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(given name, full name) for each given name ``text`` uses alone that one full name of ``fulls`` begins with.

    "Stephen, 18, was fatally stabbed …" atop a page names no one a reader
    knows (an editor's read of D0624): its article gives "Stephen Lawrence",
    and the page writes "Stephen [Lawrence]". Not a name written family name
    first, a given name two full names share, or one that is a surname too.
    """
    given: dict[str, set[str]] = {}
    for surname, full in fulls.items():
        if not full.startswith(surname + " "):
            given.setdefault(first_given(full, surname), set()).add(full)
    found: set[tuple[str, str]] = set()
    tokens = list(_TOKEN.finditer(text))
    for k, match in enumerate(tokens):
        token = match.group()
        name = token[:-2] if token.endswith(("'s", "’s")) else token.rstrip("'’")
        people = given.get(name)
        if people is None or len(people) > 1 or name in names:
            continue
        before = tokens[k - 1].group() if k and _adjacent(text, tokens[k - 1], match) else ""
        after = tokens[k + 1].group() if k + 1 < len(tokens) and _adjacent(text, match, tokens[k + 1]) else ""
        if (before[:1].isupper() and before.lower() not in _FUNCTION_WORDS) or after[:1].isupper():
            continue  # part of a longer name
        found.add((name, next(iter(people))))
    return tuple(sorted(found))


def introduced_surnames(texts: Iterable[str], names: frozenset[str]) -> frozenset[str]:
    """Surnames (lower-cased) that some of ``texts`` give with a first name or title."""
    found: set[str] = set()
    distinct = list(dict.fromkeys(texts))  # sentences repeated word for word are read once
    for text in distinct:
        for run in _NAME_RUN.finditer(text):
            words = run.group().split()
            while words and words[0].lower() in _FUNCTION_WORDS:
                words = words[1:]  # "If Cervantes' test …": a capitalised "If" is no first name (a title is)
            if len(words) >= 2 and words[-2].rstrip(".") in _SURNAME_PARTICLES:
                words = words[:-2] + words[-1:]  # "St. Clair" alone gives no first name
            if len(words) >= 2 and words[-1] in names:
                found.add(words[-1].lower())
    return frozenset(found)


# "the [one or two words] noun" not followed by what names it ("the arrests" but not "the arrests of …").
_DEFINITE_PHRASE = re.compile(
    r"\bthe\s+((?:[a-z-]+\s+){0,2}?)([a-z]+)\b"
    r"(?!\s+(?:of|in|at|for|on|from|who|which|that|to|between|called|named|known)\b)"
    # a name right after it names it ("the group, Log Cabin Republicans"), unless the name starts a clause
    # ("… to meet with the group, Bush said …")
    r"(?!\s*,?\s*[A-Z][\w'’.-]*+(?:\s+[A-Z][\w'’.-]*+)*+"
    r"(?!\s+(?:said|says|told|added|asked|announced|argued|insisted|wrote|replied|did|does|has|had|is|was|will|"
    r"would)\b))")
# "similar incidents", "similar laws": like something the article told before (4 of 4 labelled were orphans);
# "similar to …" says to what.
_SIMILAR_THINGS = re.compile(r"\b[Ss]imilar [a-z]+s\b(?! to\b)")
# "Aboard the same plane were 73 relatives of the victims": the same as what? Not with what it is the same
# as ("the same bar that he later left", "the same rights as men"), nor a time ("on the same day").
_THE_SAME = re.compile(
    r"\b[Tt]he same (?!(?:day|days|time|year|week|month|period|night|morning|afternoon|evening|way)\b)"
    r"[a-z]+\b(?![^,.;:]*\b(?:as|that|which|who|whom|where|when)\b)")
# Nouns that, with "the" and nothing naming them, point back at an earlier sentence. Chosen on the
# labelled items (benchmarks/labels/editorial.jsonl): nouns as often usable as not ("the company",
# "the plane", "the city", "the trial") are left out.
_ANAPHORIC_NOUNS_TEXT = """
report group bill ban project park plan deal agreement convention scene protest protests demonstration
arrests arrest killing killings murder attack crash case drug virus disease study survey program programme
proposal law rules association center centre bureau ministry committee board panel province region
school contest competition sale mine brief cutoff culprit suspects defendant defendants villagers movie book
treaty pact accord cities towns researchers scientists court violence gang gangs
plea findings sighting demand protesters militants rebels mission standards
conference statement measure
advisory magazine possibility freeze construction stakes ads recorders information
minister ministers settlers athletes road reservoirs casino document commentary
"""
_ANAPHORIC_NOUNS = frozenset(_ANAPHORIC_NOUNS_TEXT.split())
# ... also when the phrase opening the sentence ends on it: the capital after that comma starts the main
# clause, it names nothing ("While welcoming the arrests, the papers said …": an editor's read of D0621).
_OPENING_ENDS_DEFINITE = re.compile(
    r"^(?:While|After|Before|As|When|Since|Despite|Following|Amid|Until|Because of|In response to|Unlike|Like|"
    r"With|Without|Under|Against)\b[^,]{0,80}?\bthe\s+(?:[a-z-]+\s+){0,2}?(" + "|".join(sorted(_ANAPHORIC_NOUNS))
    + r")\s*,")


# Words capitalised only because they open a sentence.
_FUNCTION_WORDS_TEXT = (
    "the a an in on at for by from with after before when while but and of to as this that these those "
    "if since during under over about although though because once "
    # prepositions that open a sentence before a name ("Like Klein, …", "Unlike Smith, …")
    "like unlike despite without against among between through until into upon within amid"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
_TOKEN = re.compile(r"[A-Za-z][\w-]*(?:['’]s?)?")


#: Words that open a surname ("St. Clair"): a capitalised word, yet no first name.
_SURNAME_PARTICLES = frozenset({"St", "Ste"})


def _adjacent(text: str, first: re.Match[str], second: re.Match[str]) -> bool:
    """Two tokens of one name: only spaces between them, or the full stop of an initial or a title ("F.", "Sen.")."""
    gap = text[first.end():second.start()]
    if not gap.strip():
        return True
    word = first.group()
    return gap.startswith(".") and not gap[1:].strip() and len(word) <= 4 and word[:1].isupper()


_PREPOSITIONS_TEXT = "of between with in at for from by on to over about against among under"
_PREPOSITIONS = frozenset(_PREPOSITIONS_TEXT.split())


# Words that, after a definite phrase's noun, are its verb: auxiliaries, adverbs that stand before a verb,
# common irregular past tenses, short "-ed" ones too ("fled", "died": an editor's read of D0706C found "The students
# fled …" on a page that never introduced them). With "-ed" and "-s" words (see _is_verb) they end the subject phrase.
_VERB_WORDS_TEXT = (
    "is was were are has had have will would could can may might should must did does do "
    "also still then now already never not only just later first quickly immediately recently often usually "
    "reportedly allegedly apparently said says told took made came went began found gave left met ran saw won "
    "lost held kept brought built sent set put became fell rose grew hit struck stood spoke wrote chose drew "
    "knew led paid sold spent thought broke got heard meant sought taught threw fought bought caught let cut "
    "felt sat spread shut fled died fed bled shed sped slid swore wore tore bore bit hid"
)
_VERB_WORDS = frozenset(_VERB_WORDS_TEXT.split())
# Words in -s that are no verbs, beyond those in -ss, -us and -is ("status", "crisis").
_NOT_VERBS_IN_S_TEXT = "news series species chaos"
_NOT_VERBS_IN_S = frozenset(_NOT_VERBS_IN_S_TEXT.split())


def _is_verb(word: str, following: str) -> bool:
    """Whether ``word``, after a subject's noun, reads as its verb ("allowed", "fled", "calls", "was").

    A word in -s followed by a preposition is a plural noun ("The northern
    latitudes of Canada"), not a verb.
    """
    if word in _VERB_WORDS:
        return True
    if len(word) > 4 and word.endswith("ed"):
        return True
    return (len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "'s", "’s", "us", "is"))
            and word not in _NOT_VERBS_IN_S and following.strip(",;:") not in _PREPOSITIONS)


def _definite_back_reference(body: str) -> str | None:
    """ "The new rules" in "The new rules require ...": a definite phrase of common nouns with no name after it.

    "The deterioration of Sino-US relations" and "The talks between Blinken
    and Qin" name what they refer to; "The US state department" is a name.
    """
    tokens = body.split()
    if len(tokens) < 3 or tokens[0] != "The":
        return None
    phrase = ["The"]
    for k, word in enumerate(tokens[1:4], start=1):
        bare = word.strip(",;:")
        if not bare[:1].islower() or bare in _PREPOSITIONS:
            break
        if len(phrase) > 1 and _is_verb(bare, tokens[k + 1] if k + 1 < len(tokens) else ""):
            return " ".join(phrase)  # "The plea allowed Henderson": the verb ends the phrase; the name is its object
        phrase.append(bare)
        if word.endswith((",", ";", ":")):
            break
    if len(phrase) == 1:
        return None  # "The US ...": a name
    rest = tokens[len(phrase):len(phrase) + 3]
    if rest and rest[0].strip(",") in _PREPOSITIONS and len(rest) > 1 and rest[1][:1].isupper():
        return None
    if rest and rest[0][:1].isupper():
        return None  # "The court, Judge Jackson, ..." (an appositive names it)
    return " ".join(phrase)





OPEN_QUOTES = "“‘\"'«`"
_QUOTES = re.compile(r"[“”\"]|``|''")


@lru_cache(maxsize=65_536)
def self_containedness(text: str) -> float:
    """1.0 for a sentence a reader can take alone, lower for dangling ones.

    Opens with a pronoun or connective → 0.5; starts inside a quote or has
    unbalanced double quotes (a fragment of a quotation) → 0.5; a question → 0.6.
    Factors multiply.
    """
    factor = 1.0
    stripped = strip_dateline(text).strip()
    if _DANGLING_OPENING.match(stripped):
        factor *= 0.5
    if stripped[:1] in OPEN_QUOTES or len(_QUOTES.findall(stripped)) % 2 == 1:
        factor *= 0.5
    if stripped.endswith(("?", "?”", '?"')):
        factor *= 0.6
    return factor


def _length_preference(words: int) -> float:
    """1.0 for 12–40 words, falling off towards fragments and run-ons."""
    if words < 12:
        return max(0.0, words / 12)
    if words > 40:
        return max(0.0, 1.0 - (words - 40) / 40)
    return 1.0


@dataclass(frozen=True)
class Ranking:
    """Scores per sentence (index into ``corroboration.sentences``)."""

    scores: np.ndarray
    words: np.ndarray
    order: tuple[int, ...]  # best first, ties broken by input order
    concepts: tuple[frozenset[tuple[str, str]], ...]  # word-pair concepts per sentence


def rank_sentences(corroboration: Corroboration, dates: Sequence[str | None] | None = None) -> Ranking:
    """Score every sentence; see the module docstring for the formula.

    Equal scores go to the newer report first (``dates``: each source's date,
    by position, when known; undated last), then to the earlier sentence.
    """
    sentences = corroboration.sentences
    n = len(sentences)
    # The words a reader reads: a leading dateline ("BANGKOK, Thailand (AP) _") is not shown, so it
    # neither lengthens a sentence nor spends the budget.
    words = np.asarray([word_count(shown(s.text)) for s in sentences], dtype=np.int64)
    concepts = tuple(concept_bigrams(s.text) for s in sentences)
    if n == 0:
        return Ranking(np.zeros(0), words, (), concepts)
    lengths_by_source: dict[str, int] = {}
    for s in sentences:
        lengths_by_source[s.source_id] = max(lengths_by_source.get(s.source_id, 0), s.index + 1)
    position = np.asarray(
        [1.0 - s.index / max(1, lengths_by_source[s.source_id]) for s in sentences]
    )
    length = np.asarray([_length_preference(int(w)) for w in words])
    contained = np.asarray([self_containedness(s.text) for s in sentences])
    fraction = 0.6 * corroboration.soft_support + 0.25 * position + 0.15 * length
    fraction = np.clip(fraction, 0.0, 0.999)
    scores = (corroboration.support + fraction) * contained
    eligible = (words >= MIN_WORDS) & (words <= MAX_WORDS)
    scores = np.where(eligible, scores, scores * 0.01)
    if dates is not None and any(dates):
        days = sorted({day[:10] for day in dates if day})
        newness = {day: k + 1 for k, day in enumerate(days)}
        by_source = np.asarray([newness.get((day or "")[:10], 0) for day in dates], dtype=np.int64)
        newer = by_source[corroboration.source_index]
        order = tuple(int(i) for i in np.lexsort((np.arange(n), -newer, -scores)))
    else:
        order = tuple(int(i) for i in np.lexsort((np.arange(n), -scores)))
    return Ranking(scores=scores, words=words, order=order, concepts=concepts)


#: A concept (word pair) counts once at least this share of the independent
#: sources state it, and never with fewer than two: one outlet's phrasing is
#: not corroboration. See docs/method.md for how the value was chosen.
CONCEPT_SHARE = 0.15
#: ... but five independent sources always suffice: with hundreds of sources,
#: 15 % is a bar only generic phrasing ("he said") clears.
CONCEPT_SOURCES_ENOUGH = 5
#: Gain is divided by length**LENGTH_EXPONENT: between favouring long
#: sentences (0) and short ones (1). Chosen at 100 and 250 words on both
#: DUC data sets together (docs/method.md §4).
LENGTH_EXPONENT = 0.6
#: Past the corroborated concepts, a sentence fills the page only when at least
#: this share of its content words are not on the page yet.
FILL_FRESH = 0.5
#: ... and, while other articles have such sentences, at most this many items come from one article.
FILL_PER_SOURCE = 2
#: Support first: a sentence that every independent source states counts
#: 1 + SUPPORT_WEIGHT times one only its own source states.
SUPPORT_WEIGHT = 3.0


def concept_weights(
    concepts: Sequence[frozenset[tuple[str, str]]], groups: Sequence[int], n_groups: int
) -> dict[tuple[str, str], int]:
    """Weight of each corroborated concept: the independent sources stating it."""
    # Every concept a group states, once per group; then count the groups.
    by_group: dict[int, set[tuple[str, str]]] = {}
    for sentence_concepts, group in zip(concepts, groups, strict=True):
        stated = by_group.get(group)
        if stated is None:
            by_group[group] = set(sentence_concepts)
        else:
            stated |= sentence_concepts
    holders = Counter(chain.from_iterable(by_group.values()))
    floor = max(2, min(CONCEPT_SOURCES_ENOUGH, math.ceil(CONCEPT_SHARE * n_groups)))
    return {concept: count for concept, count in holders.items() if count >= floor}


def stem_rarities(texts: Iterable[str]) -> dict[str, float]:
    """log(N / sentences holding it) of every content stem of N distinct sentences.

    The story's own words ("euro" in a brief on the euro) weigh little.
    """
    distinct = set(texts)
    held = Counter(chain.from_iterable(set(content_stems(text)) for text in distinct))
    return {stem: math.log(len(distinct) / count) for stem, count in held.items()}


def fresh_share(stems: set[str], on_page: set[str], rarity: Mapping[str, float]) -> float:
    """The share of a sentence's content stems, weighted by rarity, that the page does not hold yet."""
    weight = sum(rarity.get(stem, 0.0) for stem in stems)
    if weight == 0:
        return 0.0
    return sum(rarity.get(stem, 0.0) for stem in stems - on_page) / weight


#: A sentence is an item only when it uses at least this many of the story's core words (stems that
#: at least CORE_SHARE of the articles use): an editor's read of D0716C found a quarter of its page taken
#: by another part of one article (other prize winners, a rain forest in Africa), and of the labelled
#: items with fewer than two such words, 24 % are usable (54 % of those with three or more).
CORE_WORDS = 2
CORE_SHARE = 0.5
#: ... when the articles tell one story: a folder of many stories shares next to no words (no core stem
#: in a 1,000-article mix of 25 stories; 11 to 103 in the 40 dev clusters), and the rule is not applied.
MIN_CORE_STEMS = 8


def stem_sources(
    sentences: Sequence[Sentence], concepts: Sequence[frozenset[tuple[str, str]]],
) -> tuple[Counter[str], int]:
    """How many sources use each stem, read off the sentences' word-pair concepts; and how many sources there are.

    Stop words' stems are counted too: a pair may hold one ("of state").
    """
    per_source: dict[str, set[str]] = {}
    for sentence, pairs in zip(sentences, concepts, strict=True):
        # Both words of every pair, in the order of a loop over the pairs, without one (issue 19).
        per_source.setdefault(sentence.source_id, set()).update(chain.from_iterable(pairs))
    return Counter(chain.from_iterable(per_source.values())), len(per_source)


def core_stems(sentences: Sequence[Sentence], concepts: Sequence[frozenset[tuple[str, str]]]) -> frozenset[str]:
    """The stems at least CORE_SHARE of the sources use, read off the sentences' word-pair concepts.

    Empty when fewer than MIN_CORE_STEMS: then the sources tell more than one story.
    """
    return _core_of(*stem_sources(sentences, concepts))


def _core_of(counts: Counter[str], n_sources: int) -> frozenset[str]:
    enough = CORE_SHARE * max(1, n_sources)
    stops = _stop_stems()
    core = frozenset(word for word, k in counts.items() if k >= enough and word not in stops)
    return core if len(core) >= MIN_CORE_STEMS else frozenset()


def story_shares(sentences: Sequence[Sentence], concepts: Sequence[frozenset[tuple[str, str]]]) -> dict[str, float]:
    """Each content stem's share of the sources that use it (:func:`stem_sources`): the story's words weigh most."""
    return _shares_of(*stem_sources(sentences, concepts))


def story_words(
    sentences: Sequence[Sentence], concepts: Sequence[frozenset[tuple[str, str]]],
) -> tuple[frozenset[str], dict[str, float]]:
    """:func:`core_stems` and :func:`story_shares` of the sentences, from one count of the sources' stems."""
    counts, n_sources = stem_sources(sentences, concepts)
    return _core_of(counts, n_sources), _shares_of(counts, n_sources)


def _shares_of(counts: Counter[str], n_sources: int) -> dict[str, float]:
    stops = _stop_stems()
    return {word: k / n_sources for word, k in counts.items() if word not in stops}


def topicality(text: str, shares: Mapping[str, float]) -> float:
    """How much a sentence tells what most of the sources are about.

    The squares of its distinct content stems' shares (:func:`story_shares`)
    summed, over the square root of how many there are: the words most
    articles use count most (a word of every article 1, one of a fifth of
    them 0.04), and a long sentence earns more than a short one, but not in
    proportion to its length. See :func:`briefing.pipeline.central_line`.
    """
    stems = set(content_stems(text))
    if not stems:
        return 0.0
    return sum(shares.get(word, 0.0) ** 2 for word in stems) / math.sqrt(len(stems))


#: A distinct set of word pairs -> its corroborated pairs with their weights (:class:`SelectionBasis`).
Weighted = dict[frozenset[tuple[str, str]], tuple[tuple[tuple[str, str], int], ...]]


@dataclass(frozen=True)
class SelectionBasis:
    """What :func:`select` reads of the word pairs and the independent groups alone.

    None of it depends on the claims' verdicts: a build computes it while the
    second process compares claims (issue 19: about 0.3 s of the selection at
    1,000 articles), and passes it to :func:`select`, which computes the same
    values itself when it is not given.
    """

    weights: dict[tuple[str, str], int]  # concept_weights
    core: frozenset[str]  # core_stems
    weighted: Weighted  # the corroborated pairs of each distinct set of pairs, with their weights
    shares: dict[str, float]  # story_shares, for the bottom line (briefing.pipeline.central_line)


def selection_basis(
    sentences: Sequence[Sentence], concepts: Sequence[frozenset[tuple[str, str]]], groups: Sequence[int],
    n_groups: int, of: Iterable[int] | None = None,
) -> SelectionBasis:
    """:class:`SelectionBasis` of the sentences (``groups``: the independent group of each).

    ``of``: the sentences whose sets of pairs are weighed (all when ``None``).
    """
    weights = concept_weights(concepts, groups, max(1, n_groups))
    weighted: Weighted = {}
    for i in range(len(concepts)) if of is None else of:
        if concepts[i] not in weighted:
            weighted[concepts[i]] = tuple((c, weights[c]) for c in concepts[i] if c in weights)
    core, shares = story_words(sentences, concepts)
    return SelectionBasis(weights, core, weighted, shares)


@cache
def _stop_stems() -> frozenset[str]:
    return frozenset(stem(word) for word in stop_words())


def select(
    corroboration: Corroboration,
    ranking: Ranking,
    *,
    max_items: int | None = None,
    max_words: int | None = None,
    redundancy: float = REDUNDANCY_THRESHOLD,
    merged: list[int] | None = None,
    published: Mapping[str, str | None] | None = None,
    known: Known = NOTHING_KNOWN,
    known_matches: Mapping[int, KnownMatch] | None = None,
    names: frozenset[str] | None = None,
    not_items: frozenset[str] = frozenset(),
    latest_slot: bool = False,
    basis: SelectionBasis | None = None,
    joined: set[int] | None = None,
) -> list[int]:
    """Choose sentences that cover the most corroborated concepts.

    Greedy budgeted coverage: the next sentence is the one whose not yet
    covered concepts weigh most per sqrt(words), times its support share
    and its self-containedness; a concept covered once earns nothing again, so the
    brief does not repeat itself, and a sentence too similar to a chosen one
    is skipped outright. Gains only shrink as concepts get covered, so a lazy
    priority queue (CELF) gives the same result as rescoring every sentence at
    every step. Stops at ``max_items`` sentences or once ``max_words`` words
    are reached (the last sentence may overshoot; callers cut). When no
    sentence adds a corroborated concept (say, a single source), the rest of
    the budget follows the static ranking.

    ``published`` (source id → date) lets a later report overtake an earlier
    one: see :func:`stale_reason`.

    One item per claim: a sentence that states the claim of a chosen one (or
    gives it another figure or status, or the same figure of the same thing)
    is not chosen; its index goes to ``merged`` when given.

    ``known`` (articles the reader has seen, :mod:`briefing.known`): the word
    pairs they contain count as covered from the start, so a sentence earns
    only for what they do not say; a sentence whose claim they state never
    fills the page.

    ``names``: the build's surnames (:func:`surnames` of its sentences), when
    the caller has them already (the bottom line uses them too).

    ``not_items``: ids of sources whose sentences are chosen only when another
    outlet reports the same (columns, see :func:`briefing.pipeline.opinion_sources`).

    ``latest_slot``: the page's news is the latest reports. When none of the
    first LATEST_SLOT_AT chosen sentences comes from an outlet's newest report,
    that report's lead (its best-ranked eligible sentence of the first
    LATEST_LEAD_SENTENCES, stating no chosen claim) is chosen next; for the
    MAX_SLOTS outlets with the newest reports, those no more than SLOT_DAYS
    older than the latest. Editors' reads found briefs whose newest article
    had no line on the page ("News of 1999-04-08" without that day's news),
    and one whose agency had reported the day before the last article that
    the judge ordered the company split, with no line of it (D0711C).

    ``basis``: :func:`selection_basis` of these sentences, their concepts
    (``ranking.concepts``) and groups, when computed ahead; the choice is the same.

    ``joined``: when given, a sentence that cannot stand alone because it
    opens with a pronoun may be chosen with the sentence before it in its
    article, which says who is meant (:func:`joins`; MAX_JOINED_WORDS for
    both): it earns its own word pairs for the words of both, and the
    sentence before must be admissible too. The chosen ones are added to
    ``joined``; the caller shows each after its sentence before
    (:attr:`briefing.model.Item.context`). Without it, such a sentence is
    never chosen.
    """
    sentences = corroboration.sentences
    concepts = ranking.concepts
    if names is None:
        names = surnames([s.text for s in sentences])
    # Every surname of ``names`` ends a full name somewhere in these sentences, so
    # another item may introduce it: here bare surnames pass, and the page check
    # below (``_unintroduced``) decides.
    introducible = frozenset(name.lower() for name in names)
    # Of the right length; whether each can stand alone and is not overtaken
    # (``is_eligible``) is asked only of the few sentences the greedy choice
    # reaches: the answer is the same whenever asked, and asking it of every
    # sentence was most of the selection's time at thousands of articles.
    latest = max((day for day in (published or {}).values() if day), default=None)
    eligible = [i for i in ranking.order if MIN_WORDS <= int(ranking.words[i]) <= MAX_WORDS]
    eligibility: dict[int, bool] = {}
    if basis is None:
        groups = [corroboration.group_of_source[k] for k in corroboration.source_index]
        basis = selection_basis(sentences, concepts, groups, corroboration.n_groups, of=eligible)
    core = basis.core

    def on_story(i: int) -> bool:
        return not core or len(core.intersection(content_stems(sentences[i].text))) >= CORE_WORDS

    # Sentences that report a case decided, read once and only if a candidate tells a case as pending.
    decided: list[tuple[tuple[str, int], ...]] = []

    def decided_cases() -> tuple[tuple[str, int], ...]:
        if not decided:
            decided.append(case_outcomes(corroboration, published or {}))
        return decided[0]

    def is_eligible(i: int) -> bool:
        found = eligibility.get(i)
        if found is None:
            found = eligibility[i] = (
                on_page_story(i) and orphan_reason(sentences[i].text, names, introducible) is None
                and not (corroboration.in_a_row(i, i + 1) and turned_by_next(sentences[i + 1].text)) and current(i))
        return found

    def on_page_story(i: int) -> bool:
        """On the story, and not a column's sentence no other outlet reports."""
        return on_story(i) and (sentences[i].source_id not in not_items or int(corroboration.support[i]) >= 2)

    labels: dict[str, tuple[tuple[int, str], ...]] = {}

    def current(i: int) -> bool:
        """Not someone's words without the speaker (nor a segment's without its label), and not overtaken by a
        later report."""
        return not cut_from_context(sentences, i, labels) and (
            published is None
            or stale_reason(corroboration, i, published, latest=latest, names=names, outcomes=decided_cases) is None)

    joinable: dict[int, bool] = {}

    def can_join(i: int) -> bool:
        """Can sentence ``i``, which cannot stand alone, be an item with the sentence before it in its article?"""
        if joined is None:
            return False
        found = joinable.get(i)
        if found is None:
            j = i - 1
            found = joinable[i] = (
                corroboration.in_a_row(j, i)
                and int(ranking.words[i]) + int(ranking.words[j]) <= MAX_JOINED_WORDS
                and int(ranking.words[j]) >= MIN_WORDS
                and on_page_story(i)
                and joins(sentences[j].text, sentences[i].text, names, introducible)
                and not cut_from_context(sentences, j, labels)
                and current(i))
        return found

    # Claims the known articles state: chosen only for word pairs they do not
    # cover, never to fill the page (docs/method.md §7).
    restating: frozenset[int] = frozenset()
    if known.sentences:
        restating = known_claims(match_known(corroboration, known) if known_matches is None else known_matches)
    others = max(1, corroboration.n_groups - 1)
    factor: dict[int, float] = {
        i: self_containedness(sentences[i].text)
        * (1.0 + SUPPORT_WEIGHT * (int(corroboration.support[i]) - 1) / others)
        / float(ranking.words[i]) ** LENGTH_EXPONENT
        for i in eligible
    }
    position = {i: k for k, i in enumerate(ranking.order)}

    # Only corroborated concepts earn anything: keep those, with their weights.
    # Once per distinct set of concepts: a sentence repeated word for word (wire
    # copies, an article filed twice) has the same, and sums of whole weights do
    # not depend on their order.
    weighted_of = basis.weighted
    weighted = {i: weighted_of[concepts[i]] for i in eligible}

    # Sentences that cannot stand alone but can with the sentence before (``can_join``), once weighed.
    joining: set[int] = set()
    joined_factor: dict[int, float] = {}

    def gain(i: int, covered: set[tuple[str, str]]) -> float:
        if i in joining:
            # Its own word pairs, for the words of both sentences and as self-contained as the one before:
            # the sentence before is what the item costs, not what it earns. (The heap's first gain of
            # such a sentence is its gain alone, not a bound of this one: it may come up later than a
            # bound would have it.)
            weight = joined_factor.get(i)
            if weight is None:
                j = i - 1
                weight = joined_factor[i] = (
                    self_containedness(sentences[j].text)
                    * (1.0 + SUPPORT_WEIGHT * (int(corroboration.support[i]) - 1) / others)
                    / float(ranking.words[i] + ranking.words[j]) ** LENGTH_EXPONENT)
            return float(sum(w for c, w in weighted[i] if c not in covered)) * weight
        return float(sum(w for c, w in weighted[i] if c not in covered)) * factor[i]

    # The gains before anything is chosen, the same in every pass of greedy: summed once per set of concepts.
    known_covered = set(known.concepts)
    first_sums: dict[int, int] = {}

    def first_gain(i: int) -> float:
        key = id(weighted[i])  # the tuples live as long as ``weighted``
        total = first_sums.get(key)
        if total is None:
            total = first_sums[key] = sum(w for c, w in weighted[i] if c not in known_covered)
        return float(total) * factor[i]

    # Each pass starts from the same entries (issue 19: three passes at 1,000 articles made them three times).
    first_entries: dict[int, tuple[float, int, int]] = {}

    def first_entry(i: int) -> tuple[float, int, int]:
        found = first_entries.get(i)
        if found is None:
            found = first_entries[i] = (-first_gain(i), position[i], i)
        return found

    rarities: list[dict[str, float]] = []

    def stem_rarity() -> dict[str, float]:
        if not rarities:  # asked only when the page is not full after the corroborated concepts
            rarities.append(stem_rarities(s.text for s in sentences))
        return rarities[0]

    def greedy(candidates: list[int], restated: list[int]) -> list[int]:
        """One pass of budgeted coverage over ``candidates``."""
        covered: set[tuple[str, str]] = set(known_covered)
        # Heap of (-gain, static rank position, sentence); ties go to the static ranking.
        heap = [first_entry(i) for i in candidates]
        heapq.heapify(heap)
        chosen: list[int] = []
        chosen_set: set[int] = set()
        seen_texts: set[str] = set()
        total = 0

        def budget_left() -> bool:
            if max_items is not None and len(chosen) >= max_items:
                return False
            return max_words is None or total < max_words

        context = corroboration.claim_context
        verdicts = corroboration.verdicts

        def restates(i: int) -> bool:
            return restated_by(sentences, context, i, chosen_set) is not None

        def admissible(i: int) -> bool:
            # An item of two sentences (``joining``): the one before must be admissible too, and not on the
            # page already; it is no candidate of its own, so it is not counted as merged.
            if i in joining and (i - 1 in chosen_set or not admissible_alone(i - 1, context=True)):
                return False
            return admissible_alone(i)

        def admissible_alone(i: int, *, context: bool = False) -> bool:
            key = " ".join(sentences[i].text.lower().split())
            if key in seen_texts:
                return False
            status = VERDICT_CODES["status"]
            if any(int(j) in chosen_set and status not in (verdicts[i, int(j)], verdicts[int(j), i])
                   for j in corroboration.neighbours(i, redundancy)):
                return False  # too similar, unless it reports the claim with another status
            if restates(i):
                if not context:
                    restated.append(i)
                return False
            return True

        def take(i: int) -> None:
            nonlocal total
            chosen.append(i)
            for k in (i - 1, i) if i in joining else (i,):
                chosen_set.add(k)
                seen_texts.add(" ".join(sentences[k].text.lower().split()))
                covered.update(concepts[k])
                total += int(ranking.words[k])

        slots = list(latest_slots)  # each outlet's latest report's place is weighed once, at LATEST_SLOT_AT chosen

        def latest_in_slot() -> bool:
            """Weigh the latest reports' places once LATEST_SLOT_AT are chosen: True when a lead was taken."""
            if not slots or len(chosen) < LATEST_SLOT_AT:
                return False
            while slots:
                group, day, leads = slots.pop(0)
                if any(_day(published, sentences[j].source_id) == day and group_of(j) == group for j in chosen):
                    continue
                lead = next((i for i in leads if i not in chosen_set and admissible(i)), None)
                if lead is not None:
                    take(lead)
                    return True
            return False

        while heap and budget_left():
            if latest_in_slot():
                continue
            negative, pos, i = heapq.heappop(heap)
            if negative == 0:
                heapq.heappush(heap, (negative, pos, i))
                break
            if not is_eligible(i):
                # Dropped as the up-front filter would have: the greedy choice takes the
                # eligible sentence of the best fresh gain whatever else the heap holds.
                if not can_join(i):
                    continue
                joining.add(i)
            fresh = gain(i, covered)
            if heap and (-fresh, pos) > heap[0][:2]:
                # Stored gains are upper bounds; another sentence may now be better.
                heapq.heappush(heap, (-fresh, pos, i))
                continue
            if fresh > 0 and admissible(i):
                take(i)
        # Nothing corroborated left to cover (one outlet, or few shared facts): fill
        # by the static ranking, but only with sentences that add words the page does
        # not have yet, so that one article's lead and its paraphrase further down are
        # not both items (an editor's read of a one-outlet brief found 5 of 16 items restated).
        if not budget_left():
            return chosen
        rarity = stem_rarity()
        on_page = {stem for j in chosen for stem in content_stems(sentences[j].text)}
        per_source = Counter(sentences[j].source_id for j in chosen)
        for cap in (FILL_PER_SOURCE, None):
            for i in candidates:
                if not budget_left():
                    break
                if latest_in_slot():
                    # The page filled by the static ranking (one outlet: nothing corroborated) still
                    # gives the latest report its place (an editor's read of D0625: ten articles of
                    # the newest fourteen months had no line on the page).
                    on_page |= set(content_stems(sentences[chosen[-1]].text))
                    per_source[sentences[chosen[-1]].source_id] += 1
                    if not budget_left():
                        break
                if i in chosen_set or i in restating:
                    continue
                if cap is not None and per_source[sentences[i].source_id] >= cap:
                    continue  # first a word from every article, then more from one
                stems = set(content_stems(sentences[i].text))
                if fresh_share(stems, on_page, rarity) < FILL_FRESH:
                    continue  # mostly what the page says: a restatement in other words
                if not is_eligible(i) and can_join(i):
                    joining.add(i)
                if (is_eligible(i) or i in joining) and admissible(i):
                    take(i)
                    on_page |= stems
                    per_source[sentences[i].source_id] += 1
        return chosen

    # A bare surname ("Navrotsky said") needs the page to give the full name
    # somewhere, even when most sources name that person (editors' reads found
    # "Henderson pleaded guilty …" and "Hall said …" on pages that never named
    # Russell Henderson or Jim Hall): choose, drop the items whose surnames no
    # chosen item introduces, and choose again without them. (Starting the next
    # choice with an item that introduces the name instead cost 0.005 ROUGE-2
    # on the DUC 2006 clusters: docs/method.md §5a.)
    # The known articles (read before, ``--known``) introduced their people already.
    read_before = introduced_surnames((s.text for s in known.sentences), names)
    latest_day = latest[:10] if latest else None
    source_group = corroboration.group_of_source

    def group_of(i: int) -> int:
        return int(source_group[int(corroboration.source_index[i])])

    latest_slots: list[tuple[int, str, list[int]]] = []
    if latest_slot and latest_day is not None:
        newest: dict[int, str] = {}
        _, firsts = np.unique(corroboration.source_index, return_index=True)  # a sentence of each source
        for k in firsts.tolist():
            day = _day(published, sentences[k].source_id)
            if day is not None and day > newest.get(group_of(k), ""):
                newest[group_of(k)] = day
        cutoff = (dt.date.fromisoformat(latest_day) - dt.timedelta(days=SLOT_DAYS)).isoformat()
        for group, day in sorted(newest.items(), key=lambda item: (item[1], -item[0]), reverse=True)[:MAX_SLOTS]:
            if day < cutoff:
                continue
            leads = sorted(
                (i for i in eligible
                 if sentences[i].index < LATEST_LEAD_SENTENCES and _day(published, sentences[i].source_id) == day
                 and group_of(i) == group and is_eligible(i)),
                key=lambda i: position[i])
            if leads:
                latest_slots.append((group, day, leads))
    blocked: set[int] = set()
    for _ in range(_INTRODUCTION_ROUNDS):
        restated: list[int] = []
        chosen = greedy([i for i in eligible if i not in blocked], restated)
        unintroduced = _unintroduced(chosen, sentences, names, read_before, joined=joining)
        if not unintroduced:
            break
        blocked |= unintroduced
    if merged is not None:
        merged.extend(restated)
    kept = [i for i in chosen if i not in unintroduced]
    if joined is not None:
        joined.update(i for i in kept if i in joining)
    return kept


def _day(published: Mapping[str, str | None] | None, source_id: str) -> str | None:
    """The day (YYYY-MM-DD) a source is dated, if it is."""
    day = (published or {}).get(source_id)
    return day[:10] if day else None


def _unintroduced(
    chosen: Sequence[int], sentences: Sequence[Sentence], known: frozenset[str],
    read_before: frozenset[str] = frozenset(), *, joined: Set[int] = frozenset(),
) -> set[int]:
    """The chosen sentences that use a surname no chosen sentence (nor an article read before) gives in full.

    ``joined``: chosen sentences shown after the sentence before them (:func:`item_text`).
    """
    on_page = introduced_surnames((item_text(sentences, i, joined) for i in chosen), known) | read_before
    return {i for i in chosen if bare_surnames(strip_dateline(item_text(sentences, i, joined)), known) - on_page}


def item_text(sentences: Sequence[Sentence], i: int, joined: Set[int] = frozenset()) -> str:
    """What an item of sentence ``i`` says: the sentence, after the one before it when it is in ``joined``
    (:func:`select`'s), that one without its dateline."""
    return strip_dateline(sentences[i - 1].text) + " " + sentences[i].text if i in joined else sentences[i].text


#: How far back a quotation left open is followed (a typo's unclosed mark must not silence an article).
QUOTATION_SENTENCES = 6
# Double quotation marks: `` and “ open, '' and ” close; a straight one opens after a space or a bracket.
_QUOTE_MARK = re.compile(r"``|“|''|”|\"")


def _last_mark_opens(text: str) -> bool | None:
    """Does the last double quotation mark of ``text`` open a quote (True), close one (False), or is there none?"""
    matches = list(_QUOTE_MARK.finditer(text))
    if not matches:
        return None
    last = matches[-1]
    mark = last.group()
    if mark == '"':
        return last.start() == 0 or text[last.start() - 1] in " \t\n(["
    return mark in ("``", "“")


def restated_by(sentences: Sequence[Sentence], context: ClaimContext, i: int, chosen: Iterable[int]) -> int | None:
    """The first of ``chosen`` whose claim sentence ``i`` states (or it i's), or that gives it another figure.

    Another *status* is not a restatement: "met Wang Yi" may follow "is
    scheduled to meet Wang Yi", and the note on sources that differ says so.
    """
    mine = view(sentences[i].text)
    for j in chosen:
        theirs = view(sentences[j].text)
        if (compare(mine, theirs, context).kind in _SAME_CLAIM
                or compare(theirs, mine, context).kind in _SAME_CLAIM or same_figure(mine, theirs)):
            return j
    return None


def repeated_by(corroboration: Corroboration, i: int, chosen: Sequence[int],
                redundancy: float = REDUNDANCY_THRESHOLD) -> int | None:
    """The first of ``chosen`` that :func:`select` would not take sentence ``i`` beside: too similar (unless
    the two report the claim with another status) or stating its claim or figure (:func:`restated_by`)."""
    near = {int(j) for j in corroboration.neighbours(i, redundancy)}
    status = VERDICT_CODES["status"]
    verdicts = corroboration.verdicts
    for j in chosen:
        if j in near and status not in (verdicts[i, j], verdicts[j, i]):
            return j
    return restated_by(corroboration.sentences, corroboration.claim_context, i, chosen)


def in_quotation(sentences: Sequence[Sentence], i: int) -> bool:
    """Is sentence ``i`` someone's words without the speaker: inside a quotation, or opening one it leaves open?

    "“I expect a good harvest, but I doubt the price will hold. The
    minister is out of touch. He can still fix it,” says the editor, three
    sentences on: the middle sentence, alone on a page, reads as the outlet's
    own claim (an editor's read of D0604 counted two such items as wrong
    citations). Told by the quotation marks of the sentences before it in its
    article (the last mark of the nearest one with a mark opens a quote, up to
    QUOTATION_SENTENCES back), and of its own: a sentence that opens a quote
    and leaves it open has its speaker later. Of 1,701 labelled items it
    flags 12: 11 orphans and an off-topic line.
    """
    text = strip_dateline(sentences[i].text)
    if _last_mark_opens(text):
        return True
    first = _QUOTE_MARK.search(text)
    if first is not None and _last_mark_opens(text[:first.end()]):
        return False  # it opens (and closes) its own quotation
    source = sentences[i].source_id
    for k in range(i - 1, max(-1, i - 1 - QUOTATION_SENTENCES), -1):
        if sentences[k].source_id != source:
            return False
        opens = _last_mark_opens(sentences[k].text)
        if opens is not None:
            return opens
    return False


# A segment's label opening a sentence: "ITALY: Cigarette smoke wafts …", "SUU KYI: Yes, …" (capitals, a colon).
_SEGMENT_LABEL = re.compile(r"([A-Z][A-Z.'’&-]+(?:\s+[A-Z][A-Z.'’&-]+){0,3}):\s+(?=\S)")


def segment_labels(sentences: Sequence[Sentence], i: int,
                   memo: dict[str, tuple[tuple[int, str], ...]] | None = None) -> tuple[tuple[int, str], ...]:
    """(index, label) of the sentences of sentence ``i``'s article that open with a segment's label.

    ``memo``: labels already read, by source id (a caller asking of many sentences reads each article once).
    """
    source_id = sentences[i].source_id
    if memo is not None and source_id in memo:
        return memo[source_id]
    start, end = article_span(sentences, i)
    labels = tuple((k, match.group(1)) for k in range(start, end)
                   if (match := _SEGMENT_LABEL.match(sentences[k].text)) is not None)
    if memo is not None:
        memo[source_id] = labels
    return labels


def without_its_label(sentences: Sequence[Sentence], i: int,
                      memo: dict[str, tuple[tuple[int, str], ...]] | None = None) -> bool:
    """Does sentence ``i`` sit under a segment's label that it does not name itself?

    A roundup or an interview cut into labelled segments ("ITALY: Cigarette
    smoke wafts … Two years ago, the government banned smoking …",
    "SUU KYI: …"): a sentence after the label depends on it, as a pronoun on
    its noun; alone on a page, Italy's government reads as another country's
    (an editor's read of D0623 found five such items). An article counts as
    cut so when two or more of its sentences open with a label (capitals and
    a colon); the sentence is free when it names a word of its label.
    """
    labels = segment_labels(sentences, i, memo)
    if len(labels) < 2 or _SEGMENT_LABEL.match(sentences[i].text):
        return False
    above = [label for k, label in labels if k < i]
    if not above:
        return False
    words = re.findall(r"[A-Za-z]{2,}", above[-1])
    return not any(re.search(rf"\b{word}\b", sentences[i].text, re.IGNORECASE) for word in words)


def cut_from_context(sentences: Sequence[Sentence], i: int,
                     labels: dict[str, tuple[tuple[int, str], ...]] | None = None) -> bool:
    """Someone's words without the speaker (:func:`in_quotation`), or a segment's without its label
    (:func:`without_its_label`; ``labels``: its memo): read alone, it says what its article does not."""
    return in_quotation(sentences, i) or without_its_label(sentences, i, labels)


def article_span(sentences: Sequence[Sentence], i: int) -> tuple[int, int]:
    """Where sentence ``i``'s source's sentences start and end: a source's sentences are next to each other."""
    source_id = sentences[i].source_id
    start = i
    while start > 0 and sentences[start - 1].source_id == source_id:
        start -= 1
    end = i
    while end < len(sentences) and sentences[end].source_id == source_id:
        end += 1
    return start, end


def article_of(sentences: Sequence[Sentence], i: int) -> Sequence[Sentence]:
    """The sentences of sentence ``i``'s source, in order."""
    start, end = article_span(sentences, i)
    return sentences[start:end]


def introductions_order(
    texts: Sequence[str], names: frozenset[str], introduced: frozenset[str] = frozenset(),
) -> list[int]:
    """Positions of ``texts`` with each text that introduces a person moved up to just before the first needing it.

    ``introduced``: surnames (lower-cased) the reader has met before these
    texts. A text moves once at most: two that introduce each other's person
    stay put; otherwise the order is kept.
    """
    order = list(range(len(texts)))
    seen = set(introduced)
    moved: set[int] = set()
    k = 0
    while k < len(order):
        needed = bare_surnames(strip_dateline(texts[order[k]]), names) - seen
        later = next((j for j in range(k + 1, len(order)) if order[j] not in moved
                      and needed & introduced_surnames([texts[order[j]]], names)), None) if needed else None
        if later is not None:
            moved.add(order[later])
            order.insert(k, order.pop(later))
            continue
        seen |= introduced_surnames([texts[order[k]]], names)
        k += 1
    return order


def introductions_ranked_first(
    chosen: Sequence[int], sentences: Sequence[Sentence], names: frozenset[str],
    read_before: frozenset[str] = frozenset(), *, joined: Set[int] = frozenset(),
) -> list[int]:
    """``chosen`` with each sentence that introduces a person moved up to just before the first that needs it.

    The order of the chosen sentences is their rank, and fitting the page
    keeps the best-ranked items: "Kolbe, 58, acknowledged …" ranked above
    "Rep. Jim Kolbe of Arizona …" lost its introduction when the page had
    room for only the first (an editor's read of D0619).
    """
    texts = [item_text(sentences, i, joined) for i in chosen]
    return [chosen[k] for k in introductions_order(texts, names, read_before)]


#: Figures that only grow as a story unfolds: a later, higher one supersedes the earlier.
GROWING_MEASURES = frozenset({"deaths", "injuries", "missing", "arrests"})


# A deadline still to come when reported ("Microsoft has until May 10 to respond"): it looks ahead to its
# day as a future verb does (an editor's read of D0711C found one on a page a month after that day).
_DEADLINE = re.compile(r"\b(?:has|have|had|was given|were given)\s+until\b")


def stale_reason(
    corroboration: Corroboration, i: int, published: Mapping[str, str | None], *, latest: str | None = None,
    names: frozenset[str] = frozenset(), outcomes: Callable[[], Sequence[tuple[str, int]]] | None = None,
) -> str | None:
    """Why a later source makes sentence ``i`` out of date, or None.

    It expects something (or hedges it, or denies it) that a later-dated
    source reports as done ("will be charged" / "were charged"), or on a day that the latest source is dated
    after ("will go into use on January 1" in a brief of June of that year;
    ``latest``: the latest source date, when the caller knows it), or gives a
    toll (deaths, injured, missing, arrests) that a later-dated source puts
    higher, or tells a case as pending that a later-dated source reports
    decided for a person it names (:func:`case_decided`; ``names``: the
    build's surnames, ``outcomes``: see there).
    """
    sentences = corroboration.sentences
    mine = sentences[i]
    when = published.get(mine.source_id)
    if not when:
        return None
    item = view(mine.text)
    context = corroboration.claim_context
    if item.status.future or (" until " in mine.text and _DEADLINE.search(main_clause(mine.text))):
        if latest is None:
            latest = max((day for day in published.values() if day), default=None)
        # Not the dateline's date, nor a side clause's; a leading time phrase dates the main clause ("In May, the
        # blitz is scheduled to open": an editor's read of D0604, stop 38).
        clause = main_clause(mine.text)
        lead = lead_in(mine.text, clause)
        ahead = _looked_ahead_to(f"{lead} {clause}" if _TIME_LEAD.match(lead) else clause, when)
        if ahead is not None and latest is not None and latest[:10] > ahead:
            return f"looks ahead to {ahead}, and a source is dated {latest[:10]}"
    if item.status.future or item.status.possible or item.status.negated:
        # Also what was only possible, or had not happened, when a later source reports it done ("officials
        # feared infected birds might carry the virus south" and, later, a dead crow found
        # infected: the 40 dev briefs, one item labelled stale out, one usable in).
        for j in corroboration.related(i, "status").tolist():
            later = published.get(sentences[j].source_id)
            status = evidence_status(item, view(sentences[j].text), context)
            if later and later > when and not (status.future or status.possible or status.negated):
                return f"reported as done on {later}"
    higher = toll_moves(corroboration, i, published, later=True)
    if higher:
        return f"a higher figure on {higher[0][0]}"
    corrected = corrected_on(corroboration, i, published)
    if corrected:
        return f"its outlet gave another figure on {corrected}"
    decided = case_decided(corroboration, i, published, names, outcomes) if names else None
    if decided:
        return f"a later report ({decided}) gives the case's outcome"
    return None


# A case told as pending: charged, on trial, to be tried, facing a penalty "if convicted".
_PENDING_CASE = re.compile(
    r"\b(?:(?:is|are|was|were|has been|have been)\s+(?:being\s+)?charged\b|"
    r"(?:is|are)\s+(?:on|standing)\s+trial\b|will\s+be\s+(?:tried|sentenced|prosecuted)\b|"
    r"await(?:s|ing)?\s+(?:trial|sentencing)\b|pleaded\s+not\s+guilty\b|"
    r"faces?\s+(?:\w+\s+){0,3}?(?:trial|the\s+death\s+penalty|life\s+in\s+prison)\b|"
    r"could\s+(?:receive|face|get)\s+(?:the\s+death\s+penalty|life)\b|\bif\s+(?:convicted|found\s+guilty)\b)",
    re.IGNORECASE)
# ... and decided: a verdict, a plea, a sentence. Not "if convicted", "could be sentenced": the status says.
_CASE_OUTCOME = re.compile(
    r"(?<!\bif )(?<!\bunless )\b(?:convicted|found\s+(?:[\w.'’-]+\s+){0,4}?(?:not\s+)?guilty|sentenced|"
    r"pleaded\s+guilty|acquitted|executed)\b",
    re.IGNORECASE)


def case_decided(
    corroboration: Corroboration, i: int, published: Mapping[str, str | None], names: frozenset[str],
    outcomes: Callable[[], Sequence[tuple[str, int]]] | None = None,
) -> str | None:
    """The date of a later report that a case sentence ``i`` tells as pending was decided, or None.

    "X is charged with murder …", "… could receive the death penalty if
    convicted" on a page whose later sources report the conviction and the
    sentence read as the news (editors' reads of D0721C and D0621; three
    labelled stale items of D0721A and D0721C). Decided: a
    sentence of a later-dated source, its main clause asserted (not hedged,
    not ahead, not negated), that reports a verdict, a plea or a sentence
    and names a person (a surname of ``names`` that the sources also use
    alone, :func:`named_alone`, as they do a person's: not "Kong" of "Hong
    Kong") the pending sentence names.
    ``outcomes``: gives :func:`case_outcomes` of this build (a caller asking of
    many sentences reads them once); else they are read here.
    """
    sentences = corroboration.sentences
    mine = sentences[i]
    when = published.get(mine.source_id)
    if not when or not _PENDING_CASE.search(main_clause(mine.text)):
        return None
    people = {token for token in _TOKEN.findall(mine.text) if token in names}
    if not people:
        return None
    texts = [sentence.text for sentence in sentences]
    people = {person for person in people if named_alone(person, texts, names)}
    for day, j in (outcomes() if outcomes is not None else case_outcomes(corroboration, published)):
        if day[:10] > when[:10] and people.intersection(_TOKEN.findall(sentences[j].text)):
            return day[:10]
    return None


def case_outcomes(corroboration: Corroboration, published: Mapping[str, str | None]) -> tuple[tuple[str, int], ...]:
    """(date, sentence index) of the dated sentences that report a verdict, a plea or a sentence, earliest first
    (:func:`case_decided`)."""
    found: list[tuple[str, int]] = []
    for j, sentence in enumerate(corroboration.sentences):
        day = published.get(sentence.source_id)
        if day and _CASE_OUTCOME.search(sentence.text):
            clause = main_clause(sentence.text)
            status = view(sentence.text).status
            if _CASE_OUTCOME.search(clause) and not (status.future or status.possible or status.negated):
                found.append((day, j))
    found.sort()
    return tuple(found)


def corrected_on(corroboration: Corroboration, i: int, published: Mapping[str, str | None]) -> str | None:
    """The day a later report of the same outlet gave sentence ``i``'s claim another figure, or None.

    An agency's later version of its own story is its correction or update
    (a park's area in square kilometres, written one way on October 26 and
    corrected on the 27th: an editor's read of D0716B). Another
    outlet's other figure is a disagreement or a rising count, not this.
    """
    sentences = corroboration.sentences
    when = published.get(sentences[i].source_id)
    if not when:
        return None
    groups, positions = corroboration.group_of_source, corroboration.source_index
    outlet = groups[int(positions[i])]

    def later_of_outlet(j: int) -> str | None:
        """Sentence ``j``'s day when a later report of the same outlet gives it."""
        later = published.get(sentences[j].source_id)
        return later[:10] if later and later[:10] > when[:10] and groups[int(positions[j])] == outlet else None

    for j in corroboration.related(i, "figure").tolist():
        if (day := later_of_outlet(j)) is not None:
            return day
    # A conversion is no figure of the claim (two outlets' arithmetic is no disagreement), yet an outlet
    # that converts its own figure otherwise later has corrected itself: "9,500 square miles (15,000 sq.
    # kms)" on October 26, "(24,600 square kilometers)" from the 27th on.
    for j in corroboration.related(i, "supports").tolist():
        if (day := later_of_outlet(j)) is not None and _converted_otherwise(sentences[i].text, sentences[j].text):
            return day
    return None


def _conversions(text: str) -> dict[str, set[float]]:
    found: dict[str, set[float]] = {}
    for quantity in extract_quantities(text):
        if quantity.role == "conversion":
            found.setdefault(quantity.unit, set()).add(quantity.value)
    return found


def _converted_otherwise(text: str, other: str) -> bool:
    """Do the two sentences convert a figure into one unit with other results ("(19,000 sq. kms)", "(31,000
    square kilometers)")?"""
    mine = _conversions(text)
    if not mine:
        return False
    theirs = _conversions(other)
    return any(theirs.get(unit, values) != values for unit, values in mine.items())


# A lead-in that is only a time ("In May,", "By next year,", "On January 1,"), not a condition ("Once confirmed by
# Saturday's summit, …": what follows holds after it too).
_TIME_LEAD = re.compile(
    r"^(?:In|By|Until|Before|On|From|Starting|Beginning)\s+(?:(?:early|late|mid|the\s+end\s+of|next)\s+)?"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|"
    r"Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|(?:19|20)\d\d|year|month|week)\b[\w\s.,]{0,20},\s*$")


def _looked_ahead_to(text: str, published: str) -> str | None:
    """:func:`briefing.lookahead.looks_ahead_to` of a sentence reported on ``published`` (ISO), as ISO."""
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
    ahead = looks_ahead_to(text, day, weekdays=True)  # asked only of a main clause that looks ahead
    return ahead.isoformat() if ahead else None


def toll_moves(
    corroboration: Corroboration, i: int, published: Mapping[str, str | None], *, later: bool,
) -> list[tuple[str, int]]:
    """(date, sentence) of the same claim's sentences that put a growing toll of sentence ``i`` elsewhere.

    ``later``: later-dated sentences with a higher toll (``i`` is stale);
    else earlier-dated ones with a lower toll (where it stood before). In
    the order of the claim's related sentences.
    """
    sentences = corroboration.sentences
    when = published.get(sentences[i].source_id)
    if not when:
        return []
    growing = [f for f in view(sentences[i].text).figures if f.key[1] in GROWING_MEASURES]
    if not growing:
        return []
    found: list[tuple[str, int]] = []
    for j in corroboration.related(i, "figure").tolist():
        date = published.get(sentences[j].source_id)
        if not date or (date <= when if later else date >= when):
            continue
        theirs = view(sentences[j].text).figures
        if any(rose(f, t) if later else rose(t, f) for f in growing for t in theirs):
            found.append((date, j))
    return found


def count_claims(corroboration: Corroboration, ranking: Ranking) -> int:
    """How many distinct claims the sentences make: leader clustering in rank order.

    A leader takes its neighbours (:meth:`Corroboration.neighbours`): the
    sentences of every graph row at least CLAIM_THRESHOLD similar to its own,
    itself aside. They are marked by row (sentences of one text share one), a
    slice of the graph per leader instead of each row expanded to its
    sentences: the same count, in a fifth of the time at 1,000 articles
    (issue 19).
    """
    graph = corroboration.graph
    row_of = graph.row_of.tolist()
    indptr, indices, values = graph.distinct.indptr, graph.distinct.indices, graph.distinct.data
    taken_rows = np.zeros(graph.distinct.shape[0], dtype=bool)
    claims = 0
    for i in ranking.order:  # each sentence once
        row = row_of[i]
        if taken_rows[row]:
            continue
        claims += 1
        lo, hi = indptr[row], indptr[row + 1]
        taken_rows[indices[lo:hi][values[lo:hi] >= CLAIM_THRESHOLD]] = True
    return claims

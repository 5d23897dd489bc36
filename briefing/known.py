"""Known sources: articles the reader has already seen (issue 16).

An update brief leads with what is new. Each sentence of today's sources is
compared with the sentences of the known articles, by the same claim test
as citations (:func:`briefing.claims.compare`):

* **known**: a known sentence states its claim (either way round), or says
  nearly the same words (TF-IDF cosine at least ``RESTATED``) with the same
  figures and status: the reader has it; it is not chosen again;
* **figure** or **status**: a known sentence gives the same claim another
  figure or another status ("now 10,059 dead" after "7,085 dead"; "met Xi" after "may meet
  Xi"): chosen like any new claim, and shown with the earlier sentence.

The word pairs (concepts) of the known sentences count as covered before the
selection starts, so the brief prefers what the known articles do not say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from briefing.claims import compare, figures_differ, shown, view
from briefing.corroborate import Corroboration, tfidf_matrix
from briefing.display import typographic
from briefing.model import Earlier, Sentence, Source
from briefing.segment import concept_bigrams, content_stems, segment

#: Below this cosine similarity a known sentence is not compared at all.
PROPOSE = 0.2
#: From this cosine similarity up, a sentence with the same figures and status
#: restates a known one even when the claim test cannot tell (the redundancy
#: threshold of the selection, ``rank.REDUNDANCY_THRESHOLD``).
RESTATED = 0.4
#: A known sentence shown as what an item's claim was before ("Earlier: …")
#: must be at least this similar: below it, a shared date or figure ("19
#: states", "January 1, 1999") made unrelated claims look like one that changed
#: (4 C sets of the DUC 2007 topics read by hand: the two pairs under 0.3 were
#: unrelated, the two over 0.4 were the same claim updated).
CHANGED = 0.4
#: Known sentences compared per sentence, most similar first.
MAX_COMPARED = 8


@dataclass(frozen=True)
class KnownMatch:
    """What the known articles say of one of today's sentences."""

    kind: str  # "known", or what changed: "figure" or "status"
    known: int  # index of the known sentence
    similarity: float
    #: The known sentence states today's claim (the claim test, that way round): not only a part of it,
    #: nor only nearly the same words.
    states: bool = False


@dataclass(frozen=True)
class Known:
    """The known articles, their sentences and the word pairs they cover."""

    sources: tuple[Source, ...]
    sentences: tuple[Sentence, ...]
    concepts: frozenset[tuple[str, str]]

    @classmethod
    def from_sources(cls, sources: Sequence[Source]) -> Known:
        sentences = segment(sources)
        covered: set[tuple[str, str]] = set()
        for sentence in sentences:
            covered |= concept_bigrams(sentence.text)
        return cls(tuple(sources), sentences, frozenset(covered))

    def earlier(self, match: KnownMatch) -> Earlier:
        """The known sentence of ``match``, with its outlet and date, for the page."""
        sentence = self.sentences[match.known]
        source = next(s for s in self.sources if s.id == sentence.source_id)
        return Earlier(typographic(shown(sentence.text)), source.name, source.published,
                       match.kind)


NOTHING_KNOWN = Known((), (), frozenset())


def known_claims(matches: Mapping[int, KnownMatch]) -> frozenset[int]:
    """Today's sentences whose claim a known article states (the reader has it already)."""
    return frozenset(i for i, match in matches.items() if match.kind == "known")


def match_known(corroboration: Corroboration, known: Known) -> dict[int, KnownMatch]:
    """For each of today's sentences that the known articles state or update: how."""
    new = corroboration.sentences
    if not new or not known.sentences:
        return {}
    vectors = tfidf_matrix([content_stems(s.text) for s in new] + [content_stems(s.text) for s in known.sentences])
    n = len(new)
    similarity = sparse.csr_matrix(vectors[:n] @ sparse.csr_matrix(vectors[n:].T))
    context = corroboration.claim_context
    found: dict[int, KnownMatch] = {}
    for i in range(n):
        row = slice(similarity.indptr[i], similarity.indptr[i + 1])
        columns, values = similarity.indices[row], similarity.data[row]
        keep = values >= PROPOSE
        columns, values = columns[keep], values[keep]
        order = np.lexsort((columns, -values))[:MAX_COMPARED]
        mine = view(new[i].text)
        changed: KnownMatch | None = None
        for k in order.tolist():
            j, cosine = int(columns[k]), float(values[k])
            theirs = view(known.sentences[j].text)
            forward = compare(mine, theirs, context).kind
            kinds = {forward, compare(theirs, mine, context).kind}
            if "supports" in kinds or (
                cosine >= RESTATED and not kinds & {"figure", "status"} and not figures_differ(mine, theirs)
            ):
                found[i] = KnownMatch("known", j, cosine, states=forward == "supports")
                break
            if changed is None and kinds & {"figure", "status"} and cosine >= CHANGED:
                changed = KnownMatch("figure" if "figure" in kinds else "status", j, cosine)
        else:
            if changed is not None:
                found[i] = changed
    return found

"""Rank and select: support first, then centrality, position and length.

The score of a sentence is its support (how many independent sources state
it) plus a fraction in [0, 1) built from its centrality (mean best similarity
to the other sources), its position in its article and its length, all times
a self-containedness factor, so a dangling "He said ..." loses to a sentence a
reader can take on its own. Selection walks the ranking and skips anything
too similar to what it already chose (a greedy MMR with a hard redundancy
cut), within an item or word budget.

sumy is used only here, as an optional centrality feature (``lexrank_scores``);
the default ranking does not need it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from briefing.corroborate import CLAIM_THRESHOLD, Corroboration
from briefing.model import Sentence
from briefing.segment import word_count

#: Two selected sentences may not be more similar than this.
REDUNDANCY_THRESHOLD = CLAIM_THRESHOLD
#: Sentences shorter than this (in words) are never selected: fragments.
MIN_WORDS = 6
#: Longer sentences are hard to read in a brief and are never selected.
MAX_WORDS = 70

_DANGLING_OPENING = re.compile(
    r"^(?:he|she|they|it|this|that|these|those|his|her|their|its|him|them|"
    r"but|and|or|so|also|yet|still|however|meanwhile|moreover|neither|nor|"
    r"instead|then|there|here|such|both of them)\b",
    re.IGNORECASE,
)
_OPEN_QUOTES = "“‘\"'«"
_QUOTES = re.compile(r"[“”\"]")


def self_containedness(text: str) -> float:
    """1.0 for a sentence a reader can take alone, lower for dangling ones.

    Opens with a pronoun or connective → 0.5; starts inside a quote or has
    unbalanced double quotes (a fragment of a quotation) → 0.5; a question → 0.6.
    Factors multiply.
    """
    factor = 1.0
    stripped = text.strip()
    if _DANGLING_OPENING.match(stripped):
        factor *= 0.5
    if stripped[:1] in _OPEN_QUOTES or len(_QUOTES.findall(stripped)) % 2 == 1:
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


def rank_sentences(corroboration: Corroboration) -> Ranking:
    """Score every sentence; see the module docstring for the formula."""
    sentences = corroboration.sentences
    n = len(sentences)
    words = np.asarray([word_count(s.text) for s in sentences], dtype=np.int64)
    if n == 0:
        return Ranking(np.zeros(0), words, ())
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
    order = tuple(int(i) for i in np.lexsort((np.arange(n), -scores)))
    return Ranking(scores=scores, words=words, order=order)


def select(
    corroboration: Corroboration,
    ranking: Ranking,
    *,
    max_items: int | None = None,
    max_words: int | None = None,
    redundancy: float = REDUNDANCY_THRESHOLD,
) -> list[int]:
    """Greedy selection down the ranking, skipping redundant sentences.

    Stops at ``max_items`` sentences or once ``max_words`` words are reached
    (the last sentence may overshoot; callers cut to the budget).
    """
    graph = corroboration.similarity
    chosen: list[int] = []
    chosen_set: set[int] = set()
    seen_texts: set[str] = set()
    total = 0
    for i in ranking.order:
        if max_items is not None and len(chosen) >= max_items:
            break
        if max_words is not None and total >= max_words:
            break
        words = int(ranking.words[i])
        if words < MIN_WORDS or words > MAX_WORDS:
            continue
        text_key = " ".join(corroboration.sentences[i].text.lower().split())
        if text_key in seen_texts:
            continue
        row = graph.getrow(i)
        if any(v >= redundancy and j in chosen_set for j, v in zip(row.indices, row.data, strict=True)):
            continue
        chosen.append(i)
        chosen_set.add(i)
        seen_texts.add(text_key)
        total += words
    return chosen


def count_claims(corroboration: Corroboration, ranking: Ranking) -> int:
    """How many distinct claims the sentences make: leader clustering in rank order."""
    graph = corroboration.similarity
    assigned = np.zeros(len(corroboration.sentences), dtype=bool)
    claims = 0
    for i in ranking.order:
        if assigned[i]:
            continue
        claims += 1
        assigned[i] = True
        row = graph.getrow(i)
        assigned[row.indices[row.data >= CLAIM_THRESHOLD]] = True
    return claims


def claim_members(corroboration: Corroboration, i: int) -> tuple[Sentence, ...]:
    """Sentence ``i`` and every sentence of another source stating the same thing."""
    row = corroboration.similarity.getrow(i)
    own = corroboration.source_index[i]
    members = [
        int(j) for j, v in zip(row.indices, row.data, strict=True)
        if v >= CLAIM_THRESHOLD and corroboration.source_index[j] != own
    ]
    return (corroboration.sentences[i], *(corroboration.sentences[j] for j in sorted(members)))


def lexrank_scores(sentences: Sequence[Sentence]) -> np.ndarray:
    """sumy's LexRank score per sentence (an optional centrality feature).

    sumy's own tokenizer needs NLTK data we cannot download, so sentences are
    handed over already split and words come from our tokenizer.
    """
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    tokenizer = _SumyTokenizer()
    sumy_sentences = [SumySentence(s.text, tokenizer) for s in sentences]
    document = ObjectDocumentModel([Paragraph(sumy_sentences)])
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    ratings = summarizer.rate_sentences(document)
    # sumy keys ratings by sentence object, which compares by text.
    return np.asarray([float(ratings.get(s, 0.0)) for s in sumy_sentences])


class _SumyTokenizer:
    """The two methods sumy asks of a tokenizer, built on our offline segmenter."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        from briefing.segment import sentence_spans

        return tuple(paragraph[a:b] for a, b in sentence_spans(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        from briefing.segment import words

        return tuple(words(sentence))

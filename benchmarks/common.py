"""Shared helpers of the benchmark harness (issue 5).

Loading the DUC 2006 dev clusters, the word budget, an offline tokenizer for
sumy (no NLTK data), sumy's summarisers with a budget-aware sentence count, the
lead and random baselines, ROUGE scoring, and version strings for the reports.

Everything here is deterministic: the same data and settings give the same
summaries and scores (timings aside).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
import random
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.segment import sentence_spans, words

if TYPE_CHECKING:
    from briefing.jobs import BriefRequest, Product
    from briefing.model import Brief

#: The project root (the folder holding pyproject.toml).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: Defaults, relative to the project root: the data is read in place, never copied.
DEFAULT_DATA = "../shared/data/duc2006-dev.jsonl"
DEFAULT_PEERS = "../shared/data/duc2006-dev-peers.json"
DEFAULT_WORDS = 250
#: Seed of the random baseline (combined with the cluster id).
RANDOM_SEED = 2006

#: sumy summarisers compared, in the order they are run.
SUMY_NAMES = ("LexRank", "TextRank", "LSA", "Luhn", "SumBasic", "KL")
ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")


def project_path(path: str | Path) -> Path:
    """``path`` resolved against the project root (absolute paths unchanged)."""
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = PROJECT_ROOT / candidate
    return candidate.resolve()


# ------------------------------------------------------------------ Briefing's side


def brief_request(texts: Mapping[str, str] | Sequence[str], *, product: Product = "brief", words: int | None = None,
                  known: Sequence[str] = (), name: str = "cluster") -> BriefRequest:
    """The request for Briefing on plain article texts: the one way the benchmarks build (``briefing.jobs``).

    ``texts`` by document id (read as ``<id>.txt``, in id order) or in order
    (``doc1.txt``, ``doc2.txt``…); ``known`` articles are ``known1.txt``….
    """
    from briefing.ingest import RawDocument
    from briefing.jobs import BriefRequest

    def raw(text: str, path: str) -> RawDocument:
        return RawDocument(data=text.encode("utf-8"), path=path)

    if isinstance(texts, Mapping):
        raws = tuple(raw(texts[d], f"{d}.txt") for d in sorted(texts))
    else:
        raws = tuple(raw(text, f"doc{k}.txt") for k, text in enumerate(texts, start=1))
    seen = tuple(raw(text, f"known{k}.txt") for k, text in enumerate(known, start=1))
    return BriefRequest(name=name, raws=raws, known=seen, product=product, words=words)


def briefing_brief(texts: Mapping[str, str], *, name: str = "cluster") -> Brief:
    """Briefing's sectioned brief of a cluster, every item before fitting to a page."""
    from briefing.jobs import build_one

    brief = build_one(brief_request(texts, name=name), catch=False).brief
    if brief is None:  # a "brief" request always gives one (catch=False raises otherwise)
        raise RuntimeError(f"{name}: no brief")
    return brief


def briefing_sentences(texts: Mapping[str, str] | Sequence[str], *, words: int, known: Sequence[str] = ()) -> list[str]:
    """Briefing's ranked sentences of the texts, cut to ``words`` (what ``briefing summarize`` prints)."""
    from briefing.jobs import build_one

    request = brief_request(texts, product="summary", words=words, known=known)
    return list(build_one(request, catch=False).summary)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Document:
    """One news article of a DUC cluster."""

    id: str
    title: str
    date: str
    text: str


@dataclass(frozen=True)
class Cluster:
    """One DUC 2006 topic: about 25 articles and four 250-word human references."""

    id: str
    docs: tuple[Document, ...]
    refs: tuple[str, ...]


def parse_cluster(record: Mapping[str, Any]) -> Cluster:
    """A :class:`Cluster` from one JSON line of the dev file."""
    docs = tuple(
        Document(
            id=str(d["id"]),
            title=str(d.get("title") or ""),
            date=str(d.get("date") or ""),
            text=str(d.get("text") or ""),
        )
        for d in record["docs"]
    )
    return Cluster(id=str(record["id"]), docs=docs, refs=tuple(str(r) for r in record["refs"]))


def load_clusters(path: str | Path, limit: int | None = None) -> list[Cluster]:
    """The clusters of a JSON-lines file, in file order (the first ``limit`` if given)."""
    clusters: list[Cluster] = []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            clusters.append(parse_cluster(json.loads(line)))
            if limit is not None and len(clusters) >= limit:
                break
    return clusters


def load_peers(path: str | Path) -> dict[str, dict[str, str]]:
    """DUC 2006 system summaries: ``{system id: {cluster id: summary}}``."""
    with Path(path).open(encoding="utf-8") as handle:
        raw = json.load(handle)
    return {str(system): {str(c): str(s) for c, s in by_cluster.items()}
            for system, by_cluster in raw.items()}


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file (to pin the data a report was made from)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def article_text(doc: Document) -> str:
    """One article as plain text: the title line, a blank line, then the body."""
    title = doc.title.strip()
    return f"{title}\n\n{doc.text}" if title else doc.text


def by_date(docs: Iterable[Document]) -> list[Document]:
    """Documents oldest first; the document id (which embeds the date) breaks ties.

    Dates in the dev file are ``YYYY-MM-DD`` optionally followed by a time, so
    they sort correctly as strings.
    """
    return sorted(docs, key=lambda d: (d.date, d.id))


def most_recent(docs: Iterable[Document]) -> Document:
    """The latest document of a cluster (what NIST's lead baseline summarises)."""
    ordered = by_date(docs)
    if not ordered:
        raise ValueError("a cluster without documents has no most recent document")
    return ordered[-1]


def cluster_text(cluster: Cluster) -> str:
    """All articles of a cluster, oldest first, as one text (for the sumy summarisers)."""
    return "\n\n".join(article_text(doc) for doc in by_date(cluster.docs))


# ------------------------------------------------------------------------- budget


def whitespace_words(text: str) -> list[str]:
    """Whitespace-delimited tokens, the unit of DUC's 250-word limit (ROUGE ``-l``)."""
    return text.split()


def cut_to_budget(sentences: Sequence[str], words_budget: int) -> list[str]:
    """The sentences, in order, cut to ``words_budget`` whitespace words.

    Sentences are kept whole while they fit; the sentence that crosses the
    budget is truncated after the last word that fits (its words re-joined by
    single spaces) and nothing follows it. If everything fits, the sentences
    come back unchanged. Empty sentences are dropped.
    """
    if words_budget < 0:
        raise ValueError("the word budget cannot be negative")
    kept: list[str] = []
    used = 0
    for sentence in sentences:
        tokens = whitespace_words(sentence)
        if not tokens:
            continue
        room = words_budget - used
        if room <= 0:
            break
        if len(tokens) <= room:
            kept.append(sentence)
            used += len(tokens)
        else:
            kept.append(" ".join(tokens[:room]))
            used += room
            break
    return kept


def summary_text(sentences: Sequence[str]) -> str:
    """A summary as scored: its sentences one per line."""
    return "\n".join(s.strip() for s in sentences)


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` with Briefing's offline splitter, stripped, non-empty."""
    out: list[str] = []
    for start, end in sentence_spans(text):
        sentence = text[start:end].strip()
        if sentence:
            out.append(sentence)
    return out


# ---------------------------------------------------------------------- baselines


def lead_summary(cluster: Cluster, words_budget: int) -> list[str]:
    """Lead baseline: the first sentences of the most recent document's body.

    NIST's baseline for DUC 2005-2006 ("DUC system 1") takes the leading
    sentences of the ``<TEXT>`` field of the most recent document, whole
    sentences only, up to 250 words. Here, like every summary of this harness,
    the sentence that crosses the budget is truncated instead, so the result is
    exactly the first ``words_budget`` words of that body (title excluded).
    """
    latest = most_recent(cluster.docs)
    return cut_to_budget(split_sentences(latest.text), words_budget)


def random_summary(cluster: Cluster, words_budget: int, seed: int = RANDOM_SEED) -> list[str]:
    """Random baseline: sentences of the cluster in a seeded random order, to the budget.

    The generator is seeded with ``seed`` and the cluster id, so each cluster's
    pick is reproducible and independent of which other clusters are run.
    """
    sentences = split_sentences(cluster_text(cluster))
    rng = random.Random(f"{seed}:{cluster.id}")
    rng.shuffle(sentences)
    return cut_to_budget(sentences, words_budget)


# --------------------------------------------------------------------------- sumy


class OfflineTokenizer:
    """A sumy tokenizer that needs no NLTK data.

    sumy's own ``Tokenizer("english")`` loads NLTK's punkt data; this one splits
    sentences with Briefing's Punkt set-up (``briefing.segment``), which knows
    abbreviations such as "U.S." without trained data, and words with
    Briefing's word expression (``briefing.segment.words``: the same content
    words as the Treebank tokenizer sumy uses by default, ten times faster).
    Like sumy's tokenizer, it keeps only word tokens made of letters,
    apostrophes and hyphens (no numbers or punctuation).
    """

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """The sentences of one paragraph (sumy joins a paragraph's lines first)."""
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """The word tokens of one sentence, as sumy's ``Tokenizer.to_words`` keeps them."""
        from sumy.nlp.tokenizers import Tokenizer

        return tuple(w for w in words(sentence) if Tokenizer._is_word(w))


class BudgetCount:
    """A sumy sentence count that takes the best-rated sentences until a word budget.

    sumy's summarisers accept a callable instead of a number of sentences: it
    receives the sentences sorted best first and returns the ones to keep (sumy
    then puts them back in document order). This one keeps the shortest prefix
    of that ranking that reaches ``words_budget`` whitespace words and records
    it, so the summary can be cut best first, like Briefing's.
    """

    def __init__(self, words_budget: int) -> None:
        self.words_budget = words_budget
        self.ranked: list[str] = []

    def __call__(self, infos: Sequence[Any]) -> list[Any]:
        """The best-rated ``SentenceInfo`` records that fill the budget."""
        kept: list[Any] = []
        used = 0
        for info in infos:
            if used >= self.words_budget:
                break
            text = str(info.sentence)
            kept.append(info)
            used += len(whitespace_words(text))
        self.ranked = [str(info.sentence) for info in kept]
        return kept


def budget_kl_summarizer_class() -> type[Any]:
    """sumy's KL summariser, with its greedy loop stopped once the budget is filled.

    sumy's ``KLSummarizer`` rates *every* sentence by running its greedy
    selection to the end: each step scores all remaining sentences against the
    summary so far, so a 25-article cluster (about 1,000 sentences) takes many
    minutes. The first picks do not depend on how far the loop goes, so this
    subclass runs the same greedy steps (same normalisation, stop words and
    divergence, sumy's code) and stops when the picks reach ``words_budget``
    whitespace words; the unpicked sentences rate below every pick, keeping
    document order among themselves. The picks, hence the summary, are sumy's.
    """
    from sumy.summarizers.kl import KLSummarizer

    class BudgetKLSummarizer(KLSummarizer):  # type: ignore[misc]
        words_budget: int | None = None

        def _compute_ratings(self, sentences: Sequence[Any]) -> dict[Any, int]:
            if self.words_budget is None:
                return dict(super()._compute_ratings(sentences))
            word_freq = self.compute_tf(sentences)
            ratings: dict[Any, int] = {}
            summary: list[Any] = []
            remaining = list(sentences)
            remaining_words = [self._get_content_words_in_sentence(s) for s in sentences]
            used = 0
            while remaining and used < self.words_budget:
                summary_words = self._get_all_words_in_doc(summary)
                kls = [self._kl_divergence(self._joint_freq(w, summary_words), word_freq)
                       for w in remaining_words]
                best = self._find_index_of_best_sentence(kls)
                sentence = remaining.pop(best)
                del remaining_words[best]
                summary.append(sentence)
                ratings[sentence] = -len(ratings)
                used += len(whitespace_words(str(sentence)))
            floor = -len(sentences) - 1
            for sentence in remaining:
                ratings.setdefault(sentence, floor)
            return ratings

    return BudgetKLSummarizer


def sumy_summarizer(name: str, words_budget: int | None = None) -> Any:
    """A configured sumy summariser: Snowball stemmer, sumy's English stop words.

    With ``words_budget``, KL stops its greedy loop once the budget is filled
    (see :func:`budget_kl_summarizer_class`); the other summarisers ignore it.
    """
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.kl import KLSummarizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.sum_basic import SumBasicSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    classes: dict[str, Callable[..., Any]] = {
        "LexRank": LexRankSummarizer,
        "TextRank": TextRankSummarizer,
        "LSA": LsaSummarizer,
        "Luhn": LuhnSummarizer,
        "SumBasic": SumBasicSummarizer,
        "KL": KLSummarizer,
    }
    if name not in classes:
        raise KeyError(f"unknown sumy summariser {name!r}; known: {', '.join(classes)}")
    if name == "KL" and words_budget is not None:
        summarizer = budget_kl_summarizer_class()(Stemmer("english"))
        summarizer.words_budget = words_budget
    else:
        summarizer = classes[name](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return summarizer


def sumy_summary(text: str, name: str, words_budget: int, *, full_kl: bool = False) -> list[str]:
    """Summarise ``text`` with sumy's ``name`` summariser: best sentences first, to the budget.

    ``full_kl`` runs sumy's KL loop over all sentences (slow, same summary).
    """
    from sumy.parsers.plaintext import PlaintextParser

    document = PlaintextParser.from_string(text, OfflineTokenizer()).document
    count = BudgetCount(words_budget)
    sumy_summarizer(name, None if full_kl else words_budget)(document, count)
    return cut_to_budget(count.ranked, words_budget)


# -------------------------------------------------------------------------- ROUGE


@dataclass(frozen=True)
class RougeResult:
    """Recall and F1 of ROUGE-1, ROUGE-2 and ROUGE-L (keys of :data:`ROUGE_TYPES`)."""

    recall: dict[str, float]
    f1: dict[str, float]


class Scorer:
    """rouge-score's ``RougeScorer`` (Porter stemming), averaged over the references."""

    def __init__(self) -> None:
        from rouge_score import rouge_scorer

        self._scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)

    def score(self, summary: str, references: Sequence[str]) -> RougeResult:
        """Mean recall and F1 of ``summary`` against each reference."""
        if not references:
            raise ValueError("scoring needs at least one reference")
        recall = dict.fromkeys(ROUGE_TYPES, 0.0)
        f1 = dict.fromkeys(ROUGE_TYPES, 0.0)
        for reference in references:
            scores = self._scorer.score(reference, summary)
            for key in ROUGE_TYPES:
                recall[key] += float(scores[key].recall)
                f1[key] += float(scores[key].fmeasure)
        n = len(references)
        return RougeResult({k: v / n for k, v in recall.items()}, {k: v / n for k, v in f1.items()})


def mean_result(results: Sequence[RougeResult]) -> RougeResult:
    """The mean of per-cluster results (macro average over clusters)."""
    if not results:
        raise ValueError("no results to average")
    return RougeResult(
        {k: statistics.fmean(r.recall[k] for r in results) for k in ROUGE_TYPES},
        {k: statistics.fmean(r.f1[k] for r in results) for k in ROUGE_TYPES},
    )


def paired_bootstrap(
    a: Sequence[float], b: Sequence[float], *, samples: int = 10_000, seed: int = 0
) -> tuple[float, float, float]:
    """Mean of ``a - b`` over paired items and its 95 % percentile bootstrap interval."""
    if len(a) != len(b) or not a:
        raise ValueError("paired samples must be non-empty and of equal length")
    diffs = [x - y for x, y in zip(a, b, strict=True)]
    rng = random.Random(seed)
    n = len(diffs)
    means = sorted(statistics.fmean(rng.choices(diffs, k=n)) for _ in range(samples))
    low = means[int(0.025 * samples)]
    high = means[min(samples - 1, int(0.975 * samples))]
    return statistics.fmean(diffs), low, high


# ----------------------------------------------------------------------- reports


def source_digest(*folders: Path) -> str:
    """SHA-256 (first 12 hex digits) over the files of ``folders``, names and contents.

    Pins which state of Briefing's code a report measured, without asking git.
    """
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(str(path.relative_to(folder.parent)).encode("utf-8") + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def versions() -> dict[str, str]:
    """Versions of Python and of the packages whose behaviour the numbers depend on.

    ``briefing sources`` is :func:`source_digest` of ``briefing/`` and ``templates/``.
    """
    out = {"python": platform.python_version()}
    for package in ("briefing", "sumy", "rouge-score", "nltk", "numpy"):
        try:
            out[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            out[package] = "not installed"
    out["briefing sources"] = source_digest(PROJECT_ROOT / "briefing", PROJECT_ROOT / "templates")
    return out


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]],
                   align: Sequence[str] | None = None) -> str:
    """A GitHub-flavoured markdown table; ``align`` holds "l" or "r" per column."""
    marks = ["---:" if a == "r" else "---" for a in (align or ["l"] * len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines)

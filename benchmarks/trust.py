"""Citation trust: does a cited source state the item's claim? Old test beside new.

Run from the project root::

    .venv/bin/python benchmarks/trust.py [--labels FILE ...] [--data PATH ...]

For every hand-labelled (item, cited document) pair, the item is the sentence
at the labelled offsets of its document and the cited document is cut into
sentences by the pipeline (ingest, clean, segment). Each method decides
whether some sentence of the cited document states the item's claim:

* old: TF-IDF cosine >= 0.26 with two shared content words (turn 1's test);
* new: :func:`briefing.claims.compare` (content beyond shared names and
  attribution, main-clause coverage, figures, status).

"states" and "partial" labels count as support; "hedges", "contradicts" and
"absent" do not. Printed per label file: precision, recall, the share of the
old method's correct citations the new one keeps, and support-count accuracy
(per item: does the number of its labelled documents a method calls support
equal the number labelled support?). No article text is stored anywhere: the
labels hold ids and offsets into ../shared/data.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from benchmarks.common import PROJECT_ROOT, briefing_brief
from briefing.claims import ClaimContext, compare, passage_states, view
from briefing.corroborate import CLAIM_THRESHOLD, MIN_SHARED_TERMS, similar_wording, tfidf_matrix
from briefing.ingest import RawDocument
from briefing.model import Sentence
from briefing.pipeline import prepare_sources
from briefing.rank import MAX_WORDS, MIN_WORDS, orphan_reason
from briefing.segment import content_stems, segment, word_count

SHARED = PROJECT_ROOT.parent / "shared" / "data"
DEFAULT_DATA = (SHARED / "duc2006-dev.jsonl", SHARED / "duc2007u-dev.jsonl")
LABELS = PROJECT_ROOT / "benchmarks" / "labels"
#: Our citations (briefs' citations and rejected pairs), the independent dev file, and a random sample
#: of all pairs the claim test accepted (issue 13 round 3: not only brief citations).
DEFAULT_LABELS = (LABELS / "citations.jsonl", SHARED / "citation-labels-dev.jsonl", LABELS / "citations-sample.jsonl")
SUPPORT = frozenset({"states", "partial"})


@dataclass
class ClusterIndex:
    """One cluster cut into sentences as the pipeline does, per document id."""

    texts: dict[str, str]  # raw text per doc id (offsets of the labels)
    sentences: dict[str, list[Sentence]]
    context: ClaimContext
    all_sentences: list[Sentence]


def load_clusters(paths: Sequence[Path]) -> dict[str, dict[str, dict[str, str]]]:
    out: dict[str, dict[str, dict[str, str]]] = {}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                cluster = json.loads(line)
                out[cluster["id"]] = {doc["id"]: doc for doc in cluster["docs"]}
    return out


def index_cluster(docs: dict[str, dict[str, str]]) -> ClusterIndex:
    ids = sorted(docs)
    raws = [RawDocument(data=docs[d]["text"].encode("utf-8"), path=f"{d}.txt") for d in ids]
    sources = prepare_sources(raws)
    by_path = {Path(s.path or "").stem: s for s in sources}
    sentences = segment(sources)
    per_doc: dict[str, list[Sentence]] = defaultdict(list)
    id_of_source = {s.id: Path(s.path or "").stem for s in sources}
    for s in sentences:
        per_doc[id_of_source[s.source_id]].append(s)
    context = ClaimContext.from_views([[view(s.text) for s in per_doc[d]] for d in by_path])
    return ClusterIndex({d: docs[d]["text"] for d in ids}, dict(per_doc), context, list(sentences))


def old_matches(index: ClusterIndex, item_text: str, cited: str) -> list[Sentence]:
    """The sentences of ``cited`` that meet turn 1's test with the item: cosine >= 0.26 and two shared
    content words (the old test supports the item when there is one)."""
    candidates = index.sentences.get(cited, [])
    if not candidates:
        return []
    texts = [item_text] + [s.text for s in candidates]
    # Vectors over the cluster vocabulary and idf: append the item as one more row.
    stems = [content_stems(t) for t in texts]
    all_stems = [content_stems(s.text) for s in index.all_sentences] + stems
    matrix = tfidf_matrix(all_stems)
    base = len(index.all_sentences)
    rows = matrix[base:]
    sims = (rows[1:] @ rows[0].T).toarray().ravel()
    item_set = set(stems[0])
    return [
        candidates[k] for k, sim in enumerate(sims)
        if sim >= CLAIM_THRESHOLD and len(item_set & set(stems[k + 1])) >= MIN_SHARED_TERMS
    ]


def listed_also(item_text: str, matches: Sequence[Sentence], verdict: str) -> bool:
    """Would a brief list a source under "also covered by" for this item, the source not cited?

    As :meth:`briefing.corroborate.Corroboration.also_covering` does: one of
    its sentences at the claim threshold's cosine (``matches``, from
    :func:`old_matches`) with wording in common
    (:func:`briefing.corroborate.similar_wording`), and none giving the claim
    another figure or status (``verdict``, the second value of :func:`new_supports`).
    """
    if verdict in ("figure", "status"):
        return False
    item = view(item_text)
    return any(similar_wording(item, view(s.text)) for s in matches)


def new_supports(index: ClusterIndex, item_text: str, cited: str) -> tuple[bool, str]:
    """Does the new test cite ``cited`` for the item: one of its sentences states the claim, or two in a row do
    (:func:`briefing.claims.passage_states`) and none gives it another figure or status? The evidence, or the
    best verdict. (A build tries the pairs around the sentences similar to the item; this tries every pair.)"""
    item = view(item_text)
    best = "unrelated"
    sentences = index.sentences.get(cited, [])
    for s in sentences:
        verdict = compare(item, view(s.text), index.context)
        if verdict.kind == "supports":
            return True, s.text
        if verdict.kind != "unrelated":
            best = verdict.kind
    if best == "unrelated":
        for first, second in pairwise(sentences):
            if second.index == first.index + 1 and passage_states(item, first.text, second.text, index.context):
                return True, f"{first.text} {second.text}"
    return False, best


def evaluate(labels: list[dict[str, object]], clusters: dict[str, dict[str, dict[str, str]]],
             *, verbose: bool = False) -> dict[str, float]:
    indices: dict[str, ClusterIndex] = {}
    old_pred: list[bool] = []
    new_pred: list[bool] = []
    also_pred: list[bool] = []  # not cited, listed under "also covered by"
    truth: list[bool] = []
    stated: list[bool] = []  # labelled "states" alone: the editors' standard (a partial citation is wrong)
    showable: list[bool] = []  # the item is a sentence a brief could show (rank's length and orphan rules)
    per_item: dict[tuple[object, ...], list[tuple[bool, bool, bool]]] = defaultdict(list)
    for label in labels:
        cid = str(label["cluster"])
        if cid not in indices:
            indices[cid] = index_cluster(clusters[cid])
        index = indices[cid]
        raw = index.texts[str(label["item_doc"])]
        item_text = " ".join(raw[int(label["item_start"]):int(label["item_end"])].split())  # type: ignore[call-overload]
        matches = old_matches(index, item_text, str(label["cited_doc"]))
        old = bool(matches)
        new, why = new_supports(index, item_text, str(label["cited_doc"]))
        true = label["label"] in SUPPORT
        showable.append(MIN_WORDS <= word_count(item_text) <= MAX_WORDS and orphan_reason(item_text) is None)
        old_pred.append(old)
        new_pred.append(new)
        also_pred.append(not new and listed_also(item_text, matches, why))
        truth.append(true)
        stated.append(label["label"] == "states")
        per_item[(cid, label["item_doc"], label["item_start"])].append((true, old, new))
        if verbose and new != true:
            print(f"{'FP' if new else 'FN'} [{label['label']}] {why[:60]!r} :: {item_text[:110]}", file=sys.stderr)

    def prf(pred: list[bool]) -> tuple[float, float, int]:
        tp = sum(p and t for p, t in zip(pred, truth, strict=True))
        cited = sum(pred)
        return (tp / cited if cited else float("nan")), tp / max(1, sum(truth)), cited

    old_p, old_r, old_n = prf(old_pred)
    new_p, new_r, new_n = prf(new_pred)
    old_correct = [p and t for p, t in zip(old_pred, truth, strict=True)]
    kept_count = sum(o and n for o, n in zip(old_correct, new_pred, strict=True))
    kept = kept_count / max(1, sum(old_correct))
    # Where the rest went: listed under "also covered by" (shown apart, not cited or counted), or not shown.
    kept_or_also = sum(o and (n or a) for o, n, a in zip(old_correct, new_pred, also_pred, strict=True))
    also_right = sum(a and t for a, t in zip(also_pred, truth, strict=True))

    def count_accuracy(position: int) -> float:
        hits = sum(
            sum(pair[0] for pair in pairs) == sum(pair[position] for pair in pairs) for pairs in per_item.values()
        )
        return hits / max(1, len(per_item))

    strict_tp = sum(n and t for n, t in zip(new_pred, stated, strict=True))
    strict_old = sum(o and t for o, t in zip(old_pred, stated, strict=True))
    strict_kept = sum(o and n and t for o, n, t in zip(old_pred, new_pred, stated, strict=True))
    shown_cited = [n and s for n, s in zip(new_pred, showable, strict=True)]
    shown_right = sum(c and t for c, t in zip(shown_cited, truth, strict=True))
    return {
        "shown_cited": sum(shown_cited), "shown_precision": shown_right / max(1, sum(shown_cited)),
        "pairs": len(labels), "support": sum(truth),
        "old_precision": old_p, "old_recall": old_r, "old_cited": old_n,
        "new_precision": new_p, "new_recall": new_r, "new_cited": new_n,
        "kept_of_old_correct": kept, "dropped_old_correct": sum(old_correct) - kept_count,
        "kept_or_also": kept_or_also / max(1, sum(old_correct)), "also_listed": sum(also_pred),
        "also_support": also_right,
        "old_count_accuracy": count_accuracy(1), "new_count_accuracy": count_accuracy(2),
        "items": len(per_item),
        "stated": sum(stated), "strict_precision": strict_tp / max(1, sum(new_pred)),
        "strict_recall": strict_tp / max(1, sum(stated)), "strict_kept": strict_kept / max(1, strict_old),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, action="append")
    parser.add_argument("--data", type=Path, action="append")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the new method's errors")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "benchmarks" / "results" / "trust.md",
                        help="markdown report to write (the table printed)")
    args = parser.parse_args(argv)
    data = args.data or list(DEFAULT_DATA)
    missing = [p for p in data if not p.exists()]
    if missing:
        print(f"error: {missing[0]}: not found (the DUC data lives in ../shared/data)", file=sys.stderr)
        return 2
    clusters = load_clusters(data)
    rows = []
    for path in args.labels or list(DEFAULT_LABELS):
        if not path.exists():
            print(f"skipped {path}: not found", file=sys.stderr)
            continue
        labels = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows.append((path.name, evaluate(labels, clusters, verbose=args.verbose)))
    lines = [
        "| label set | pairs | support | method | cited | precision | recall | count accuracy |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for name, r in rows:
        for method in ("old", "new"):
            lines.append(
                f"| {name} | {r['pairs']} | {r['support']} | {method} | {r[method + '_cited']} | "
                f"{r[method + '_precision']:.3f} | {r[method + '_recall']:.3f} | "
                f"{r[method + '_count_accuracy']:.3f} |")
    lines.append("")
    for name, r in rows:
        lines.append(
            f"- {name}: the new test keeps {r['kept_of_old_correct']:.2f} of the old test's correct citations "
            f"({r['dropped_old_correct']} not cited); with the sources a brief lists under \"also covered by\" "
            f"(`also` in brief.json, \"similar wording [k]\" on the HTML page: shown apart, not cited or "
            f"counted; a sentence at the claim threshold's cosine with wording in common, no other figure or "
            f"status), {r['kept_or_also']:.2f} of them are shown; of the {r['also_listed']} pairs listed so, "
            f"{r['also_support']} are support; precision where the item is a sentence a brief could show "
            f"(6-70 words, no orphan opening): {r['shown_precision']:.3f} of {r['shown_cited']} cited")
    lines += ["", "Counting only `states` as support (the editors' standard: a source that states part of the item "
              "does not back it):", "",
              "| label set | states | new: precision | recall | kept of the old test's correct |",
              "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {name} | {r['stated']} | {r['strict_precision']:.3f} | {r['strict_recall']:.3f} | "
              f"{r['strict_kept']:.2f} |" for name, r in rows]
    lines.append("")
    merged, items = merged_duplicates(clusters)
    lines.append(f"- briefs of {len(clusters)} clusters: {items} items; {merged} candidate sentences merged "
                 "away as restatements of a chosen item's claim")
    report = "\n".join(lines)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        "# Citation trust: old claim test beside new\n\n"
        "Command: `make bench-trust` (`.venv/bin/python benchmarks/trust.py`). Generated; do not edit by hand. "
        "Support = labels `states` and `partial`; count accuracy = share of labelled items whose number of "
        "supporting labelled documents the method gets exactly.\n\n" + report + "\n", encoding="utf-8")
    return 0


def merged_duplicates(clusters: dict[str, dict[str, dict[str, str]]]) -> tuple[int, int]:
    """Sum over the clusters' briefs of ``stats.merged`` and of the items."""
    merged = items = 0
    for cid in sorted(clusters):
        docs = clusters[cid]
        brief = briefing_brief({d: docs[d]["text"] for d in docs}, name=cid)
        merged += int(brief.stats.get("merged", 0))  # type: ignore[call-overload]
        items += len(brief.items)
    return merged, items


if __name__ == "__main__":
    raise SystemExit(main())

"""What changed: the DUC 2007 update task, Briefing with and without known articles.

Run from the project root::

    .venv/bin/python benchmarks/update.py [--data PATH] [--peers PATH] [--words 100]
        [--out benchmarks/results/update.md] [--skip-sumy]

Each topic has three sets of articles in time order, A, B and C, and four
human summaries of each, written for a reader who has read the earlier sets.
Briefing summarises A alone, B with A known (``known=`` of
:func:`benchmarks.common.briefing_sentences`, a ``summary`` request to
``briefing.jobs.build_one``: what ``--known`` gives the CLI)
and C with A and B known; beside it the same ranking without known articles,
sumy's summarisers (which get no knowledge of earlier sets) and the systems
entered in the task (their summaries from the peers file). Scores: ROUGE-2 and
ROUGE-1 recall (rouge-score, Porter stemming, mean over the references), mean
over topics per set, and paired bootstrap intervals over topics for the
differences that matter. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    PROJECT_ROOT,
    SUMY_NAMES,
    Cluster,
    Scorer,
    article_text,
    briefing_sentences,
    by_date,
    cluster_text,
    cut_to_budget,
    file_sha256,
    load_clusters,
    load_peers,
    markdown_table,
    paired_bootstrap,
    project_path,
    summary_text,
    sumy_summary,
    versions,
)

DEFAULT_DATA = "../shared/data/duc2007u-dev.jsonl"
DEFAULT_PEERS = "../shared/data/duc2007u-dev-peers.json"
DEFAULT_OUT = "benchmarks/results/update.md"
PARTS = ("A", "B", "C")
WITH_KNOWN = "Briefing (earlier sets known)"
WITHOUT_KNOWN = "Briefing (nothing known)"
PEER_PREFIX = "DUC system "


def texts_of(cluster: Cluster) -> list[str]:
    return [article_text(doc) for doc in by_date(cluster.docs)]


def topics(clusters: Sequence[Cluster]) -> dict[str, dict[str, Cluster]]:
    """Topic id → {"A": cluster, "B": …, "C": …}; topics missing a set are left out."""
    found: dict[str, dict[str, Cluster]] = {}
    for cluster in clusters:
        found.setdefault(cluster.id[:-1], {})[cluster.id[-1]] = cluster
    return {topic: sets for topic, sets in sorted(found.items()) if set(sets) >= set(PARTS)}


def run(clusters: Sequence[Cluster], peers: dict[str, dict[str, str]], *, words: int, sumy: bool,
        log: Callable[[str], None]) -> dict[str, dict[str, tuple[float, float]]]:
    """System → cluster id → (ROUGE-2 recall, ROUGE-1 recall)."""
    scorer = Scorer()
    scores: dict[str, dict[str, tuple[float, float]]] = {}

    def record(system: str, cluster: Cluster, sentences: Sequence[str]) -> None:
        result = scorer.score(summary_text(cut_to_budget(sentences, words)), cluster.refs)
        scores.setdefault(system, {})[cluster.id] = (result.recall["rouge2"], result.recall["rouge1"])

    for sets in topics(clusters).values():
        for k, part in enumerate(PARTS):
            cluster = sets[part]
            known = [text for earlier in PARTS[:k] for text in texts_of(sets[earlier])]
            started = time.perf_counter()
            record(WITH_KNOWN, cluster, briefing_sentences(texts_of(cluster), words=words, known=known))
            record(WITHOUT_KNOWN, cluster, briefing_sentences(texts_of(cluster), words=words))
            if sumy:
                for name in SUMY_NAMES:
                    record(f"sumy {name}", cluster, sumy_summary(cluster_text(cluster), name, words))
            for system, summaries in peers.items():
                if cluster.id in summaries:
                    record(PEER_PREFIX + system, cluster, [summaries[cluster.id]])
            log(f"{cluster.id}: {time.perf_counter() - started:.1f} s, with known "
                f"{scores[WITH_KNOWN][cluster.id][0]:.4f}, without {scores[WITHOUT_KNOWN][cluster.id][0]:.4f}")
    return scores


def mean_of(scores: dict[str, tuple[float, float]], ids: Sequence[str], which: int) -> float | None:
    values = [scores[i][which] for i in ids if i in scores]
    return statistics.fmean(values) if len(values) == len(ids) else None


def interval(a: Sequence[float], b: Sequence[float]) -> str:
    mean, low, high = paired_bootstrap(a, b)
    return f"{mean:+.4f} [{low:+.4f}, {high:+.4f}]"


def report(scores: dict[str, dict[str, tuple[float, float]]], clusters: Sequence[Cluster], *, words: int,
           command: str, data: Path, peers_path: Path, elapsed: float) -> str:
    sets = topics(clusters)
    ids = {part: [f"{topic}{part}" for topic in sets] for part in PARTS}
    update_ids = ids["B"] + ids["C"]
    rows = []
    for system, per_cluster in scores.items():
        means = [mean_of(per_cluster, ids[part], 0) for part in PARTS]
        both = mean_of(per_cluster, update_ids, 0)
        r1 = mean_of(per_cluster, update_ids, 1)
        if None in means or both is None or r1 is None:
            continue  # a system without every set's summary is not ranked
        rows.append((both, system, means, r1))
    rows.sort(key=lambda row: (-row[0], row[1]))
    table = markdown_table(
        ["#", "System", "A R-2", "B given A R-2", "C given A+B R-2", "B+C R-2", "B+C R-1"],
        [[str(k), f"**{system}**" if system.startswith("Briefing") else system,
          *(f"{m:.4f}" for m in means), f"{both:.4f}", f"{r1:.4f}"]
         for k, (both, system, means, r1) in enumerate(rows, 1)],
        ["r", "l", "r", "r", "r", "r", "r"])
    peers_ranked = [row for row in rows if row[1].startswith(PEER_PREFIX)]
    notes = []
    with_known, without = scores[WITH_KNOWN], scores[WITHOUT_KNOWN]
    for label, chosen in (("B given A", ids["B"]), ("C given A+B", ids["C"]), ("B and C", update_ids)):
        a = [with_known[i][0] for i in chosen]
        notes.append(f"{label}: with known minus without, ROUGE-2 recall {interval(a, [without[i][0] for i in chosen])}"
                     " (mean difference over topics, 95 % paired bootstrap interval)")
        if peers_ranked:
            best = max(peers_ranked, key=lambda row: mean_of(scores[row[1]], chosen, 0) or 0.0)[1]
            notes.append(f"{label}: with known minus the best entered system on these sets ({best}): "
                         f"{interval(a, [scores[best][i][0] for i in chosen])}")
    version_text = ", ".join(f"{k} {v}" for k, v in versions().items())
    return "\n".join([
        "# What changed: the DUC 2007 update task",
        "",
        f"Command: `{command}` (from the project root). Generated; do not edit by hand.",
        "",
        "## Settings",
        "",
        f"- Data: `{data.name}` (sha256 `{file_sha256(data)[:16]}…`): {len(sets)} topics, sets A, B, C each; "
        f"system summaries `{peers_path.name}`.",
        f"- Budget: {words} words per summary, cut like ROUGE's `-l {words}`.",
        "- Briefing (earlier sets known): `briefing_sentences(texts, words=budget, known=earlier texts)`: "
        "A with nothing known, B with A known, C with A and B known. Briefing (nothing known): the same "
        "ranking on the set alone. sumy gets no knowledge of earlier sets (it has no such input); the "
        "entered systems had it.",
        "- Scorer: rouge-score (Porter stemming), recall per reference, mean over the four references, "
        "then over topics. The \"B+C\" columns average the update sets, the ones the task is about.",
        f"- Versions: {version_text}.",
        "",
        "## Results (sorted by B+C ROUGE-2 recall)",
        "",
        table,
        "",
        f"Whole run: {elapsed:.0f} s.",
        "",
        "## Comparisons",
        "",
        *(f"- {note}" for note in notes),
        "",
    ])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--peers", default=DEFAULT_PEERS)
    parser.add_argument("--words", type=int, default=100)
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--skip-sumy", action="store_true", help="leave sumy out (faster)")
    args = parser.parse_args(argv)
    data, peers_path, out = project_path(args.data), project_path(args.peers), project_path(args.out)
    for path in (data, peers_path):
        if not path.is_file():
            print(f"update.py: no such file: {path}", file=sys.stderr)
            return 2
    started = time.perf_counter()
    clusters = load_clusters(data)
    scores = run(clusters, load_peers(peers_path), words=args.words, sumy=not args.skip_sumy,
                 log=lambda message: print(message, file=sys.stderr))
    command = "python benchmarks/update.py" + (" " + " ".join(argv or sys.argv[1:])).rstrip()
    text = report(scores, clusters, words=args.words, command=command, data=data, peers_path=peers_path,
                  elapsed=time.perf_counter() - started)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {out.relative_to(PROJECT_ROOT) if out.is_relative_to(PROJECT_ROOT) else out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

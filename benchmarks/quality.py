"""Summary quality on the DUC 2006 dev clusters: Briefing beside sumy, baselines and DUC systems.

Run from the project root::

    .venv/bin/python benchmarks/quality.py [--data PATH] [--peers PATH] [--words 250]
        [--out benchmarks/results/quality.md] [--only NAME,...] [--limit N]

Every summary is cut to the word budget (whitespace words, the last sentence
truncated) and scored with rouge-score (ROUGE-1, ROUGE-2, ROUGE-L; Porter
stemming): recall and F1, mean over the four references, then over clusters.
See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    DEFAULT_DATA,
    DEFAULT_PEERS,
    DEFAULT_WORDS,
    PROJECT_ROOT,
    RANDOM_SEED,
    SUMY_NAMES,
    Cluster,
    RougeResult,
    Scorer,
    article_text,
    briefing_sentences,
    by_date,
    cluster_text,
    cut_to_budget,
    file_sha256,
    lead_summary,
    load_clusters,
    load_peers,
    markdown_table,
    mean_result,
    paired_bootstrap,
    project_path,
    random_summary,
    summary_text,
    sumy_summary,
    versions,
    whitespace_words,
)

DEFAULT_OUT = "benchmarks/results/quality.md"
BRIEFING = "Briefing"
#: The same ranking given each article's date, as a feed or a web page gives it (stale figures and plans out).
BRIEFING_DATED = "Briefing, dated articles"
LEAD = "lead"
RANDOM = "random"
DUC_PREFIX = "DUC system "

Summariser = Callable[[Cluster, int], list[str]]


def briefing_summary(cluster: Cluster, words_budget: int) -> list[str]:
    """Briefing's summary of a cluster: ``briefing_sentences`` on its articles, oldest first."""
    texts = [article_text(doc) for doc in by_date(cluster.docs)]
    return cut_to_budget(briefing_sentences(texts, words=words_budget), words_budget)


def briefing_dated_summary(cluster: Cluster, words_budget: int) -> list[str]:
    """Briefing's summary with each article's date: files named by DUC document id ("APW19990707.0181.txt"),
    which Briefing reads as the article's date, as it reads "2023-06-19-….txt"."""
    texts = {doc.id: article_text(doc) for doc in cluster.docs}
    return cut_to_budget(briefing_sentences(texts, words=words_budget), words_budget)


def briefing_available() -> str | None:
    """``None`` if Briefing's summariser can be imported, else why not."""
    try:
        from briefing.jobs import build_one  # noqa: F401
    except Exception as error:  # ImportError, or any error while importing the pipeline
        return f"{type(error).__name__}: {error}"
    return None


def sumy_runner(name: str) -> Summariser:
    """A summariser running sumy's ``name`` on the cluster's articles concatenated by date."""

    def run(cluster: Cluster, words_budget: int) -> list[str]:
        return sumy_summary(cluster_text(cluster), name, words_budget)

    return run


def random_runner(seed: int) -> Summariser:
    """The random baseline with ``seed``."""

    def run(cluster: Cluster, words_budget: int) -> list[str]:
        return random_summary(cluster, words_budget, seed)

    return run


@dataclass
class SystemRun:
    """One system's per-cluster results."""

    name: str
    timed: bool
    results: dict[str, RougeResult] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def mean(self) -> RougeResult:
        """ROUGE averaged over the clusters scored."""
        return mean_result(list(self.results.values()))

    def mean_seconds(self) -> float | None:
        """Mean seconds per cluster (systems we run), else ``None``."""
        if not self.timed or not self.seconds:
            return None
        return sum(self.seconds.values()) / len(self.seconds)

    def mean_words(self) -> float:
        """Mean whitespace words per (cut) summary."""
        return sum(self.words.values()) / max(1, len(self.words))


def parse_only(value: str | None) -> set[str] | None:
    """Lower-cased names from ``--only`` (``None``: run everything)."""
    if value is None:
        return None
    names = {part.strip().lower().replace(" ", "") for part in value.split(",") if part.strip()}
    return names or None


def selected(name: str, only: set[str] | None) -> bool:
    """Whether ``--only`` selects system ``name``.

    Names are case-insensitive; ``duc`` selects every DUC system and ``duc24``
    (or ``ducsystem24``) one of them; ``sumy`` selects all sumy summarisers; ``briefing-dated`` the
    dated-articles run.
    """
    if only is None:
        return True
    if name == BRIEFING_DATED:
        return "briefing-dated" in only
    key = name.lower().replace(" ", "")
    if key in only:
        return True
    if name.startswith(DUC_PREFIX):
        number = name[len(DUC_PREFIX):]
        return "duc" in only or f"duc{number}" in only
    return name in SUMY_NAMES and "sumy" in only


def run_benchmark(
    clusters: Sequence[Cluster],
    peers: dict[str, dict[str, str]],
    *,
    words_budget: int,
    only: set[str] | None,
    seed: int,
    log: Callable[[str], None],
) -> tuple[list[SystemRun], str | None]:
    """Summarise and score every cluster with every selected system.

    Returns the runs and, when Briefing was asked for but cannot be imported,
    the reason.
    """
    scorer = Scorer()
    runners: dict[str, Summariser] = {}
    briefing_missing: str | None = None
    if selected(BRIEFING, only):
        briefing_missing = briefing_available()
        if briefing_missing is None:
            runners[BRIEFING] = briefing_summary
        else:
            log(f"Briefing not run: {briefing_missing}")
    if selected(BRIEFING_DATED, only) and briefing_available() is None:
        runners[BRIEFING_DATED] = briefing_dated_summary
    for name in SUMY_NAMES:
        if selected(name, only):
            runners[name] = sumy_runner(name)
    if selected(LEAD, only):
        runners[LEAD] = lead_summary
    if selected(RANDOM, only):
        runners[RANDOM] = random_runner(seed)

    runs = {name: SystemRun(name, timed=True) for name in runners}
    for system in sorted(peers, key=lambda s: (len(s), s)):
        name = DUC_PREFIX + system
        if selected(name, only):
            runs[name] = SystemRun(name, timed=False)

    for index, cluster in enumerate(clusters, 1):
        for name, runner in runners.items():
            run = runs[name]
            started = time.perf_counter()
            try:
                sentences = runner(cluster, words_budget)
            except Exception as error:
                run.errors[cluster.id] = f"{type(error).__name__}: {error}"
                log(f"{name} failed on {cluster.id}:\n{traceback.format_exc()}")
                sentences = []
            run.seconds[cluster.id] = time.perf_counter() - started
            text = summary_text(cut_to_budget(sentences, words_budget))
            run.words[cluster.id] = len(whitespace_words(text))
            run.results[cluster.id] = scorer.score(text, cluster.refs)
            log(f"[{index}/{len(clusters)}] {cluster.id} {name}: "
                f"{run.seconds[cluster.id]:.2f} s, R-2 recall "
                f"{run.results[cluster.id].recall['rouge2']:.4f}")
        for name, run in runs.items():
            if run.timed:
                continue
            system = name[len(DUC_PREFIX):]
            peer = peers.get(system, {}).get(cluster.id)
            if peer is None:
                run.errors[cluster.id] = "no summary in the peers file"
                peer = ""
            text = summary_text(cut_to_budget([peer], words_budget))
            run.words[cluster.id] = len(whitespace_words(text))
            run.results[cluster.id] = scorer.score(text, cluster.refs)
    return list(runs.values()), briefing_missing


def ranked(runs: Sequence[SystemRun]) -> list[SystemRun]:
    """Runs sorted by mean ROUGE-2 recall, best first (name breaks ties)."""
    return sorted(runs, key=lambda r: (-r.mean().recall["rouge2"], r.name))


def results_table(runs: Sequence[SystemRun]) -> str:
    """The markdown table of mean scores, sorted by ROUGE-2 recall."""
    header = ["#", "System", "R-2 R", "R-2 F1", "R-1 R", "R-1 F1", "R-L R", "R-L F1",
              "words", "s / cluster"]
    rows = []
    for position, run in enumerate(ranked(runs), 1):
        mean = run.mean()
        seconds = run.mean_seconds()
        name = f"**{run.name}**" if run.name == BRIEFING else run.name
        rows.append([
            str(position), name,
            f"{mean.recall['rouge2']:.4f}", f"{mean.f1['rouge2']:.4f}",
            f"{mean.recall['rouge1']:.4f}", f"{mean.f1['rouge1']:.4f}",
            f"{mean.recall['rougeL']:.4f}", f"{mean.f1['rougeL']:.4f}",
            f"{run.mean_words():.0f}",
            "—" if seconds is None else f"{seconds:.2f}",
        ])
    return markdown_table(header, rows, ["r", "l"] + ["r"] * 8)


def compare(a: SystemRun, b: SystemRun) -> str:
    """One line comparing ROUGE-2 recall of ``a`` with ``b`` on their common clusters."""
    common = [c for c in a.results if c in b.results]
    xs = [a.results[c].recall["rouge2"] for c in common]
    ys = [b.results[c].recall["rouge2"] for c in common]
    mean_a, mean_b = sum(xs) / len(xs), sum(ys) / len(ys)
    diff, low, high = paired_bootstrap(xs, ys)
    wins = sum(x > y for x, y in zip(xs, ys, strict=True))
    ratio = f"{mean_a / mean_b:.3f}" if mean_b else "n/a"
    return (f"{a.name} / {b.name} (ROUGE-2 recall): {mean_a:.4f} / {mean_b:.4f} = {ratio}; "
            f"difference {diff:+.4f} (95 % paired bootstrap CI {low:+.4f} to {high:+.4f}); "
            f"{a.name} higher on {wins} of {len(common)} clusters")


def comparisons(runs: Sequence[SystemRun]) -> list[str]:
    """Briefing against the best sumy summariser and the best DUC system, when both ran."""
    by_name = {r.name: r for r in runs}
    lines: list[str] = []
    sumy_runs = [r for r in runs if r.name in SUMY_NAMES]
    duc_runs = [r for r in runs if r.name.startswith(DUC_PREFIX)]
    best_sumy = ranked(sumy_runs)[0] if sumy_runs else None
    best_duc = ranked(duc_runs)[0] if duc_runs else None
    briefing = by_name.get(BRIEFING)
    if briefing is not None:
        if best_sumy is not None:
            lines.append(compare(briefing, best_sumy))
        if best_duc is not None:
            lines.append(compare(briefing, best_duc))
        if duc_runs:
            score = briefing.mean().recall["rouge2"]
            above = sum(r.mean().recall["rouge2"] > score for r in duc_runs)
            lines.append(f"Briefing's ROUGE-2 recall would rank {above + 1} of "
                         f"{len(duc_runs) + 1} beside the {len(duc_runs)} DUC 2006 "
                         f"system{'s' if len(duc_runs) != 1 else ''} scored here.")
    if LEAD in by_name and f"{DUC_PREFIX}1" in by_name:
        lines.append(compare(by_name[LEAD], by_name[f"{DUC_PREFIX}1"])
                     + " (our lead cuts its last sentence; NIST's keeps whole sentences)")
    return lines


def report(
    runs: Sequence[SystemRun],
    *,
    command: str,
    data: Path,
    peers_path: Path,
    clusters: Sequence[Cluster],
    words_budget: int,
    seed: int,
    briefing_missing: str | None,
    elapsed: float,
) -> str:
    """The markdown report: settings, table, comparisons, errors."""
    def shown(path: Path) -> str:
        try:
            return str(Path("..") / path.relative_to(PROJECT_ROOT.parent))
        except ValueError:
            return str(path)

    version_text = ", ".join(f"{k} {v}" for k, v in versions().items())
    lines = [
        "# Summary quality on the DUC 2006 dev clusters",
        "",
        f"Command: `{command}` (from the project root). Generated; do not edit by hand.",
        "",
        "## Settings",
        "",
        f"- Data: `{shown(data)}` (sha256 `{file_sha256(data)[:16]}…`), "
        f"{len(clusters)} clusters, {sum(len(c.docs) for c in clusters)} articles, "
        f"{sum(len(c.refs) for c in clusters)} reference summaries.",
        f"- DUC 2006 system summaries: `{shown(peers_path)}` "
        f"(sha256 `{file_sha256(peers_path)[:16]}…`).",
        f"- Budget: {words_budget} whitespace-delimited words per summary, like ROUGE's "
        f"`-l {words_budget}`: every summary (ours and the DUC systems') is cut to it, the "
        "sentence crossing it truncated.",
        "- Scorer: `rouge_score.rouge_scorer.RougeScorer([\"rouge1\", \"rouge2\", \"rougeL\"], "
        "use_stemmer=True)`; recall (R) and F1 per reference, mean over the four references, "
        "then mean over clusters. Not the official ROUGE-1.5.5 (no jackknifing, different "
        "tokenisation), so compare rows of this table, not with published figures.",
        "- Briefing: `benchmarks.common.briefing_sentences(texts, words=budget)` (a `summary` request to "
        "`briefing.jobs.build_one`), one text per "
        "article (title line, blank line, body), oldest first, undated (as plain text without a date line). "
        f"\"{BRIEFING_DATED}\": the same with each article's date, read from a file name that is the DUC "
        "document id (\"APW19990707.0181.txt\"), as a feed or a web page would date it: what a later report "
        "overtakes (a toll that rose, a plan carried out or past its day) is left out (docs/method.md §5a).",
        "- sumy: all articles of a cluster, oldest first, as one plain-text document; offline "
        "tokenizer (Briefing's sentence splitter and word expression), Snowball stemmer, sumy's "
        "English stop words; sentences taken best-rated first until the budget is filled. "
        "KL's greedy loop stops once the budget is filled (same picks, see docs).",
        "- lead: the first words of the most recent article's body (title excluded) up to the "
        "budget, last sentence truncated. DUC system 1 is NIST's own lead baseline (whole "
        "sentences only).",
        f"- random: sentences of the cluster in a random order (seed {seed} with the cluster "
        "id), to the budget.",
        "- s / cluster: mean wall-clock seconds to produce one summary, for the systems run "
        "here (one process, one at a time); — for DUC systems (summaries read from file).",
        "- words: mean whitespace words per summary after the cut.",
        f"- Versions: {version_text}.",
        "",
        "## Results (sorted by ROUGE-2 recall)",
        "",
        results_table(runs),
        "",
        f"Whole run: {elapsed:.0f} s.",
        "",
    ]
    notes = comparisons(runs)
    if briefing_missing is not None:
        notes.insert(0, f"Briefing was not run: {briefing_missing}")
    if notes:
        lines += ["## Comparisons", ""] + [f"- {n}" for n in notes] + [""]
    errors = [f"- {r.name} on {c}: {e}" for r in runs for c, e in sorted(r.errors.items())]
    if errors:
        lines += ["## Errors (scored as empty summaries)", "", *errors, ""]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", default=DEFAULT_DATA,
                        help="clusters, JSON lines (relative paths: to the project root)")
    parser.add_argument("--peers", default=DEFAULT_PEERS,
                        help="DUC system summaries, JSON {system: {cluster: summary}}")
    parser.add_argument("--words", type=int, default=DEFAULT_WORDS, help="word budget")
    parser.add_argument("--out", default=DEFAULT_OUT, help="markdown report to write")
    parser.add_argument("--only", default=None,
                        help="comma-separated systems: briefing, briefing-dated, lexrank, textrank, lsa, luhn, "
                             "sumbasic, kl, sumy (all sumy), lead, random, duc (all DUC "
                             "systems), duc24 (one)")
    parser.add_argument("--limit", type=int, default=None, help="first N clusters only")
    parser.add_argument("--seed", type=int, default=RANDOM_SEED, help="random baseline seed")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the quality benchmark; print the table and write the report."""
    args = parse_args(argv)
    data = project_path(args.data)
    peers_path = project_path(args.peers)
    for path in (data, peers_path):
        if not path.is_file():
            print(f"quality.py: no such file: {path}", file=sys.stderr)
            return 2
    clusters = load_clusters(data, args.limit)
    peers = load_peers(peers_path)

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    runs, briefing_missing = run_benchmark(
        clusters, peers, words_budget=args.words, only=parse_only(args.only),
        seed=args.seed, log=log,
    )
    if not runs:
        print("quality.py: --only selected no system", file=sys.stderr)
        return 2
    given = sys.argv[1:] if argv is None else list(argv)
    command = shlex.join([".venv/bin/python", "benchmarks/quality.py", *given])
    text = report(runs, command=command, data=data, peers_path=peers_path, clusters=clusters,
                  words_budget=args.words, seed=args.seed, briefing_missing=briefing_missing,
                  elapsed=time.perf_counter() - started)
    out = project_path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(results_table(runs))
    print()
    for line in ([f"Briefing was not run: {briefing_missing}"] if briefing_missing else []) \
            + comparisons(runs):
        print(line)
    print(f"\nwrote {out} ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

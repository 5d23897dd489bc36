"""Stories (issue 17): grouping quality, time and memory on a mixture of news clusters, and --jobs throughput.

Run from the project root::

    .venv/bin/python benchmarks/stories.py [--out benchmarks/results/stories.md] [--skip-runs]

**Grouping.** Every cluster of ../shared/data is one story: the 25 DUC 2006
dev clusters, and the 5 DUC 2007 update topics with their A, B and C sets
(articles months apart) merged into one story each; the demo seeds are one
more story. The articles are written as ``.txt`` files (title line, blank
line, body) to a temporary folder and read the way ``briefing stories`` reads
them. The grouping is scored with B-cubed F1 and the adjusted Rand index
beside a plain baseline (scikit-learn's TF-IDF with English stop words over
title and text, average-linkage agglomerative clustering under a fixed
cosine-distance threshold). Each method's threshold is chosen on half of the
stories (every other one in id order, "tune"), the best B-cubed F1 there
(within 0.005 of the best, the lower threshold: splitting one story costs a
reader less than a brief that mixes two); the scores are then given on the
other half alone ("held out", its own mixture) and on the whole mixture.

**Runs.** ``briefing stories`` on the whole mixture, serial and with
``--jobs 2``; and ``briefing daily`` on 40 topics of 25 articles (the 25 DUC
2006 clusters, the 5 DUC 2007 topics, and the first 10 DUC 2006 clusters
again under other names), serial and with ``--jobs 2``, ``--repeat`` times
(2 by default: the load of a shared machine varies). Each run is a child
process running a copy of the code taken when the benchmark starts (other
work on the tree cannot change the code between the serial and the parallel
run); its wall time, the CPU seconds of it and all its processes, and the
peak resident memory of the main process and of the largest worker process
(sampled every 0.1 s with psutil; "–" when it started none), with the load
average before and after: the machine is shared.
The outputs of the serial and parallel runs are compared byte for byte
(``SOURCE_DATE_EPOCH`` is set, so the PDFs' font time stamps agree). Before
and after the runs, the ceiling of the machine at that moment: a pure-Python
loop alone, then two at once in two processes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from benchmarks.common import PROJECT_ROOT, Cluster, article_text, load_clusters, project_path
from briefing.ingest import collect_paths, read_paths
from briefing.model import Source
from briefing.stories import DISTANCE_THRESHOLD, group_sources, prepare_each

DUC2006 = "../shared/data/duc2006-dev.jsonl"
DUC2007 = "../shared/data/duc2007u-dev.jsonl"
DEFAULT_OUT = "benchmarks/results/stories.md"
THRESHOLDS = tuple(round(0.80 + 0.01 * k, 2) for k in range(20))  # 0.80 … 0.99
#: Within this much of the best tuning score, the lower threshold is taken.
TIE = 0.005
TOPICS = 40
SPIN_STEPS = 20_000_000
EPOCH = "1700000000"

Labels = Sequence[str]
Grouper = Callable[[Sequence[Source], float], tuple[tuple[int, ...], ...]]


# ----------------------------------------------------------------------- the data


def story_of(cluster_id: str) -> str:
    """DUC 2007 update sets D0703A, D0703B, D0703C are one story, D0703."""
    return cluster_id[:5]


def write_mixture(folder: Path, clusters: Sequence[Cluster]) -> dict[str, str]:
    """Every article as ``<doc id>.txt``, the seeds as they are; file name → story."""
    labels: dict[str, str] = {}
    for cluster in clusters:
        for doc in cluster.docs:
            (folder / f"{doc.id}.txt").write_text(article_text(doc), "utf-8")
            labels[f"{doc.id}.txt"] = story_of(cluster.id)
    for seed in sorted((PROJECT_ROOT / "seeds").glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
        labels[seed.name] = "seeds"
    return labels


# -------------------------------------------------------------------------- scores


def bcubed_f1(truth: Labels, predicted: Sequence[int]) -> float:
    """B-cubed F1 (Bagga and Baldwin): per article, precision and recall of its predicted group."""
    t = np.asarray(truth)
    p = np.asarray(predicted)
    precision = recall = 0.0
    for i in range(len(t)):
        same_p, same_t = p == p[i], t == t[i]
        both = float(np.count_nonzero(same_p & same_t))
        precision += both / np.count_nonzero(same_p)
        recall += both / np.count_nonzero(same_t)
    precision, recall = precision / len(t), recall / len(t)
    return 2 * precision * recall / (precision + recall)


def labels_of(groups: Sequence[Sequence[int]], n: int) -> list[int]:
    out = [0] * n
    for label, group in enumerate(groups):
        for i in group:
            out[i] = label
    return out


@dataclass(frozen=True)
class Score:
    bcubed: float
    ari: float
    groups: int


def score(grouper: Grouper, sources: Sequence[Source], truth: Labels, threshold: float) -> Score:
    from sklearn.metrics import adjusted_rand_score

    groups = grouper(sources, threshold)
    predicted = labels_of(groups, len(sources))
    return Score(round(bcubed_f1(truth, predicted), 3), round(float(adjusted_rand_score(truth, predicted)), 3),
                 len(groups))


def ours(sources: Sequence[Source], threshold: float) -> tuple[tuple[int, ...], ...]:
    return group_sources(sources, threshold=threshold)


def baseline(sources: Sequence[Source], threshold: float) -> tuple[tuple[int, ...], ...]:
    """Plain TF-IDF (English stop words) over title and text, average linkage, a fixed threshold."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    vectors = TfidfVectorizer(stop_words="english").fit_transform([f"{s.title}\n{s.text}" for s in sources])
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=threshold).fit_predict(cosine_distances(vectors))
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels.tolist()):
        groups.setdefault(int(label), []).append(i)
    return tuple(tuple(g) for g in groups.values())


def subset(sources: Sequence[Source], truth: Labels, stories: set[str]) -> tuple[list[Source], list[str]]:
    keep = [i for i, label in enumerate(truth) if label in stories]
    return [sources[i] for i in keep], [truth[i] for i in keep]


def tune(grouper: Grouper, sources: Sequence[Source], truth: Labels) -> tuple[float, dict[float, Score]]:
    grid = {t: score(grouper, sources, truth, t) for t in THRESHOLDS}
    best = max(s.bcubed for s in grid.values())
    return min(t for t, s in grid.items() if s.bcubed >= best - TIE), grid


# ---------------------------------------------------------------------------- runs


@dataclass(frozen=True)
class Run:
    seconds: float
    #: User and system CPU seconds of the run and every process it started.
    cpu: float
    main_mb: float
    worker_mb: float
    load_before: str
    load_after: str
    returncode: int


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _children(process: Any) -> list[Any]:
    import psutil

    try:
        return list(process.children(recursive=True))
    except psutil.Error:
        return []


def copy_code(root: Path) -> Path:
    """The package as it is now (templates inside, as installed), for ``PYTHONPATH``."""
    code = root / "code"
    shutil.copytree(PROJECT_ROOT / "briefing", code / "briefing",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PROJECT_ROOT / "templates", code / "briefing" / "templates",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return code


def measure(command: Sequence[str], code: Path) -> Run:
    """Run ``python -m briefing COMMAND`` from ``code``; wall time and peak RSS of it and its largest child."""
    import psutil

    before = load()
    started = time.perf_counter()
    # A private cache folder: the runs share what they cache (font metrics), and nothing another
    # checkout of the project writes into the user's cache can differ between them.
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(code),
           "XDG_CACHE_HOME": str(code.parent / "cache")}
    command = [sys.executable, "-m", "briefing", *command]
    # Not from the project folder: ``python -m`` puts the current folder before PYTHONPATH,
    # and the working tree (which others may be editing) would be imported instead of the copy.
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                             cwd=code.parent)
    main = psutil.Process(child.pid)
    peaks: dict[int, float] = {}
    cpu: dict[int, float] = {}
    while child.poll() is None:
        for proc in [main, *_children(main)]:
            try:
                with proc.oneshot():
                    rss = proc.memory_info().rss / (1 << 20)
                    times = proc.cpu_times()
            except psutil.Error:
                continue
            peaks[proc.pid] = max(peaks.get(proc.pid, 0.0), rss)
            cpu[proc.pid] = times.user + times.system
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    # A worker loads the language tools: a child under 50 MB is a helper (multiprocessing's tracker).
    workers = [mb for pid, mb in peaks.items() if pid != child.pid and mb >= 50]
    return Run(round(seconds, 1), round(sum(cpu.values()), 1), round(peaks.get(child.pid, 0.0)),
               round(max(workers, default=0.0)), before, load(), child.returncode)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output file by relative path; run.json (timings), the lock and the cache aside."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "run.json" and not any(part.startswith(".") for part in p.parts)}


def write_topics(folder: Path, clusters: Sequence[Cluster]) -> Path:
    """40 topic folders of 25 articles and a daily config naming them; returns the config."""
    merged: dict[str, list[str]] = {}
    for cluster in clusters:
        merged.setdefault(story_of(cluster.id), []).extend(article_text(d) for d in cluster.docs)
    names = list(merged)
    topics = [*names, *names[:TOPICS - len(names)]][:TOPICS]
    lines = ['output_root = "out"', ""]
    for k, story in enumerate(topics, start=1):
        slug = f"t{k:02d}-{story.lower()}"
        topic_dir = folder / "topics" / slug
        topic_dir.mkdir(parents=True)
        for j, text in enumerate(merged[story][:25]):
            (topic_dir / f"{j:02d}.txt").write_text(text, "utf-8")
        lines += [f"[topics.{slug}]", f'sources = ["{topic_dir}/"]', ""]
    config = folder / "briefing.toml"
    config.write_text("\n".join(lines), "utf-8")
    return config


# -------------------------------------------------------------------------- report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--skip-runs", action="store_true", help="Only the grouping scores (no briefs built).")
    parser.add_argument("--repeat", type=int, default=2,
                        help="Serial and --jobs 2 daily runs, one after the other, this many times (the load varies).")
    args = parser.parse_args(argv)
    clusters = [*load_clusters(project_path(DUC2006)), *load_clusters(project_path(DUC2007))]
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-stories-") as scratch:
        root = Path(scratch)
        mix = root / "mix"
        mix.mkdir()
        truth_by_name = write_mixture(mix, clusters)
        started = time.perf_counter()
        raws = read_paths(collect_paths([str(mix)]))
        pairs = prepare_each(raws)
        read_seconds = time.perf_counter() - started
        sources = [source for _, source in pairs]
        truth = [truth_by_name[Path(raw.path or "").name] for raw, _ in pairs]
        stories = sorted(set(truth))
        tune_set, held_set = set(stories[0::2]), set(stories[1::2])

        started = time.perf_counter()
        group_sources(sources)
        group_seconds = time.perf_counter() - started
        # Memory in a second pass: tracemalloc slows Python's allocations several times over.
        tracemalloc.start()
        group_sources(sources)
        group_peak = tracemalloc.get_traced_memory()[1] / (1 << 20)
        tracemalloc.stop()

        lines += [
            "# Stories: grouping quality, time and memory, and --jobs throughput",
            "",
            "Made by `make bench-stories` (benchmarks/stories.py); see the module docstring for the method.",
            "",
            f"Mixture: {len(raws)} articles written ({len(sources)} usable after cleaning) in {len(stories)}"
            " stories: the 25 DUC 2006 dev clusters, the 5 DUC 2007 update topics (A, B and C of a topic"
            " are one story: the same subject followed over months) and the 5 demo seeds (one story)."
            f" The data holds {len(raws)} articles, not 1,000. Tuning half: {len(tune_set)} stories"
            f" ({', '.join(sorted(tune_set))}); held out: {len(held_set)}.",
            "",
            "| method | threshold (tuned) | tune B³ F1 / ARI | held-out B³ F1 / ARI | all B³ F1 / ARI | groups (all) |",
            "|---|---|---|---|---|---|",
        ]
        grids: dict[str, dict[float, Score]] = {}
        for name, grouper in (("baseline: TF-IDF + average linkage, fixed threshold", baseline),
                              ("briefing stories (stems, title ×2, sublinear TF-IDF)", ours)):
            tune_sources, tune_truth = subset(sources, truth, tune_set)
            held_sources, held_truth = subset(sources, truth, held_set)
            threshold, grid = tune(grouper, tune_sources, tune_truth)
            grids[name] = grid
            held = score(grouper, held_sources, held_truth, threshold)
            whole = score(grouper, sources, truth, threshold)
            lines.append(f"| {name} | {threshold:.2f} | {grid[threshold].bcubed:.3f} / {grid[threshold].ari:.3f}"
                         f" | {held.bcubed:.3f} / {held.ari:.3f} | {whole.bcubed:.3f} / {whole.ari:.3f}"
                         f" | {whole.groups} (true {len(stories)}) |")
        lines += [
            "",
            f"The shipped threshold (`briefing.stories.DISTANCE_THRESHOLD`) is {DISTANCE_THRESHOLD:.2f}.",
            "",
            "B-cubed F1 on the tuning half at each threshold:",
            "",
            "| threshold | " + " | ".join(f"{t:.2f}" for t in THRESHOLDS) + " |",
            "|---|" + "---|" * len(THRESHOLDS),
        ]
        for name, grid in grids.items():
            lines.append(f"| {name.split(':')[0].split(' (')[0]} | "
                         + " | ".join(f"{grid[t].bcubed:.3f}" for t in THRESHOLDS) + " |")
        lines += [
            "",
            f"Grouping all {len(sources)} articles (TF-IDF and clustering, after reading): {group_seconds:.2f} s,"
            f" peak {group_peak:.0f} MB traced by tracemalloc (numpy arrays included); reading and cleaning them"
            f" first: {read_seconds:.1f} s. Load average {load()}.",
        ]
        if not args.skip_runs:
            lines += ["", *runs(root, mix, clusters, copy_code(root), args.repeat)]
    out = project_path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", "utf-8")
    print("\n".join(lines))
    return 0


def spin(_: int) -> float:
    """Seconds of a fixed pure-Python loop: what one core gives one process."""
    started = time.perf_counter()
    total = 0
    for i in range(SPIN_STEPS):
        total += i
    return time.perf_counter() - started


def ceiling() -> str:
    """The machine's own limit: one loop alone, then two at once in two processes."""
    import multiprocessing

    alone = spin(0)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        both = max(pool.map(spin, [0, 1]))
    return (f"Ceiling of this machine now: a pure-Python loop takes {alone:.2f} s alone and {both:.2f} s"
            f" when two run at once in two processes, so two processes do {2 * alone / both:.2f}× the work of one"
            f" (2.00× on two free cores). Load average {load()}.")


def runs(root: Path, mix: Path, clusters: Sequence[Cluster], code: Path, repeat: int) -> list[str]:
    lines = [
        f"Runs on {os.cpu_count()} cores shared with other work (load average: 1, 5, 15 minutes).",
        "",
        ceiling(),
        "",
        "| run | wall s | speed-up | CPU s | peak MB main / largest worker | same bytes as serial |"
        " load before → after |",
        "|---|---|---|---|---|---|---|",
    ]
    serial_out, pool_out = root / "stories-serial", root / "stories-jobs2"
    serial = measure(["stories", str(mix), "--out", str(serial_out), "-q"], code)
    pooled = measure(["stories", str(mix), "--out", str(pool_out), "-q", "--jobs", "2"], code)
    same = compare(serial_out, pool_out)
    index = json.loads((serial_out / "index.json").read_text("utf-8"))
    lines += [
        row(f"stories, {index['articles']} articles → {len(index['stories'])} briefs, serial", serial, serial, None),
        row("stories, same, --jobs 2", pooled, serial, same),
    ]
    config = write_topics(root, clusters)
    for k in range(1, repeat + 1):
        # Each pair runs into new folders (a rerun into the same one would compare with itself).
        day = f"2024-01-{k:02d}"
        first, second = root / f"d{k}-serial", root / f"d{k}-jobs2"
        serial = measure(["daily", "-c", str(config), "--date", day, "-o", str(first), "--no-email", "-q"], code)
        pooled = measure(["daily", "-c", str(config), "--date", day, "-o", str(second), "--no-email", "-q",
                          "--jobs", "2"], code)
        same = compare(first / day, second / day)
        name = f"daily, {TOPICS} topics × 25 articles" + (f", pair {k}" if repeat > 1 else "")
        lines += [
            row(f"{name}, serial{topics_ok(first / day)}", serial, serial, None),
            row(f"{name}, --jobs 2{topics_ok(second / day)}", pooled, serial, same),
        ]
    return [*lines, "", "After the runs: " + ceiling()]


def topics_ok(day_dir: Path) -> str:
    """How many topics ended ok, and the mean build seconds of one (timed where it was built)."""
    run = json.loads((day_dir / "run.json").read_text("utf-8"))
    ok = [t for t in run["topics"] if t["status"] == "ok"]
    build = sum(t["seconds"].get("build", 0.0) for t in ok) / max(1, len(ok))
    return f" ({len(ok)} ok, {build:.2f} s per build)"


def compare(first: Path, second: Path) -> str:
    """"yes", or "NO" and the first files that differ."""
    one, two = snapshot(first), snapshot(second)
    differ = sorted(name for name in one.keys() | two.keys() if one.get(name) != two.get(name))
    if one and not differ:
        return "yes"
    return f"NO ({len(differ)} files: {', '.join(differ[:3])})" if differ else "NO (no files)"


def row(name: str, run: Run, serial: Run, same: str | None) -> str:
    speedup = f"{serial.seconds / run.seconds:.2f}×" if run.seconds else "–"
    worker = f"{run.worker_mb:.0f}" if run.worker_mb else "–"
    ok = "" if run.returncode == 0 else f" (exit {run.returncode})"
    return (f"| {name}{ok} | {run.seconds:.1f} | {speedup} | {run.cpu:.0f} | {run.main_mb:.0f} / {worker}"
            f" | {same or '–'} | {run.load_before} → {run.load_after} |")


if __name__ == "__main__":
    raise SystemExit(main())

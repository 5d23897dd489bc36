"""Speed and memory of ``briefing build`` from 5 to 1,000 articles, beside sumy's LexRank.

Run from the project root::

    .venv/bin/python benchmarks/speed.py [--sizes 5,25,100,250,1000] [--timeout 120]
        [--out benchmarks/results/speed.md] [--png benchmarks/results/speed.png]

Inputs are real articles from the DUC 2006 dev file, whole clusters in file
order (so the overlap between articles is real), written one ``.txt`` file per
article (title line, blank line, body) into a temporary folder. The dev file
holds 625 articles; the 1,000-article input takes the clusters again from the
start, each repeat as a file of its own (so it includes 375 word-for-word
repeats, like wire copies). Each measurement runs in a fresh child process:
wall-clock seconds and the child's peak resident memory (``wait4`` rusage).
See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

if __name__ == "__main__" and "--lexrank-worker" in sys.argv:
    # LexRank's start-up as sumy's users get it: sumy's tokenizers and stemmers
    # import NLTK whole (scipy.stats included). Briefing imports NLTK without
    # scipy.stats (briefing.segment); loading it first would lend LexRank that.
    import nltk  # noqa: F401

from benchmarks.common import (
    DEFAULT_DATA,
    DEFAULT_WORDS,
    PROJECT_ROOT,
    Document,
    article_text,
    load_clusters,
    markdown_table,
    project_path,
    split_sentences,
    sumy_summary,
    versions,
)

DEFAULT_SIZES = (5, 25, 100, 250, 1000)
DEFAULT_TIMEOUT = 120.0
DEFAULT_OUT = "benchmarks/results/speed.md"
DEFAULT_PNG = "benchmarks/results/speed.png"
DEFAULT_JSON = "benchmarks/results/speed.json"
BRIEF_DATE = "2006-01-01"
OUTPUTS = ("brief.pdf", "brief.html", "brief.json", "brief.md")
#: Runs shorter than this are repeated (``--repeat`` times) and the median kept.
REPEAT_BELOW_SECONDS = 10.0


@dataclass(frozen=True)
class Measurement:
    """One child process: wall-clock seconds, peak RSS and how it ended."""

    seconds: float
    peak_mb: float
    returncode: int | None
    stopped: bool
    stderr: str = ""
    cpu_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Finished in time with exit code 0."""
        return not self.stopped and self.returncode == 0


def group_rss_mb(group: int) -> float:
    """Resident memory of every process in a process group, summed (Linux /proc)."""
    total_kb = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != group:  # field 5 of /proc/PID/stat: the process group
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
    return total_kb / 1024


def measure(command: Sequence[str], timeout: float | None = None,
            cwd: Path | None = None) -> Measurement:
    """Run ``command`` in a fresh child; its wall time and peak memory.

    The child gets its own process group; past ``timeout`` seconds the whole
    group is killed and the measurement is marked as stopped. ``os.wait4``
    gives the resource usage of this one child (CPU time includes the
    processes it started). Peak memory is the larger of the child's
    ``ru_maxrss`` and the summed RSS of its whole process group, sampled every
    50 ms: Briefing runs a second process (briefing/worker.py), and both
    count towards the memory target.
    """
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command), stdout=subprocess.DEVNULL, stderr=err, cwd=cwd,
            start_new_session=True,
        )
        stopped = threading.Event()

        def stop() -> None:
            stopped.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, stop) if timeout is not None else None
        if timer is not None:
            timer.start()
        finished = threading.Event()
        group_peak = [0.0]

        def sample() -> None:
            while not finished.wait(0.05):
                group_peak[0] = max(group_peak[0], group_rss_mb(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            finished.set()
            sampler.join()
            if timer is not None:
                timer.cancel()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Measurement(
        seconds=seconds,
        peak_mb=max(usage.ru_maxrss / 1024, group_peak[0]),  # ru_maxrss is in kilobytes on Linux
        returncode=None if stopped.is_set() else process.returncode,
        stopped=stopped.is_set(),
        stderr=stderr[-2000:],
        cpu_seconds=usage.ru_utime + usage.ru_stime,
    )


def measure_repeated(command: Sequence[str], repeat: int, timeout: float | None = None,
                     cwd: Path | None = None) -> Measurement:
    """The median run of up to ``repeat`` (the lower middle one for an even count), with the
    largest peak RSS of all; a run that fails or takes ``REPEAT_BELOW_SECONDS`` is not repeated.
    """
    runs = [measure(command, timeout, cwd)]
    while (len(runs) < repeat and runs[0].ok
           and runs[0].seconds < REPEAT_BELOW_SECONDS):
        runs.append(measure(command, timeout, cwd))
    if len(runs) == 1:
        return runs[0]
    middle = sorted(runs, key=lambda r: r.seconds)[(len(runs) - 1) // 2]
    return Measurement(
        seconds=middle.seconds,
        peak_mb=max(r.peak_mb for r in runs),
        returncode=middle.returncode,
        stopped=False,
        stderr=middle.stderr,
        cpu_seconds=middle.cpu_seconds,
    )


# ---------------------------------------------------------------------- inputs


def article_stream(data: Path) -> list[tuple[str, Document]]:
    """Every article of the dev file as (cluster id, document), in file order."""
    return [(cluster.id, doc) for cluster in load_clusters(data) for doc in cluster.docs]


def write_articles(articles: Sequence[tuple[str, Document]], size: int, folder: Path) -> int:
    """Write the first ``size`` articles (cycling through them again if needed) as .txt files.

    File names keep file order (``0001_D0601_APW19990707.0181.txt``); an
    article written again gets ``_r1`` (``_r2`` …) so each repeat is a file of
    its own. Returns how many of the files are repeats.
    """
    if not articles:
        raise ValueError("no articles to write")
    folder.mkdir(parents=True, exist_ok=True)
    repeats = 0
    for index in range(size):
        round_, position = divmod(index, len(articles))
        cluster_id, doc = articles[position]
        suffix = f"_r{round_}" if round_ else ""
        repeats += bool(round_)
        name = f"{index + 1:04d}_{cluster_id}_{doc.id}{suffix}.txt"
        (folder / name).write_text(article_text(doc) + "\n", encoding="utf-8")
    return repeats


def count_sentences(folder: Path) -> int:
    """Sentences in the folder's .txt files, by Briefing's offline splitter."""
    return sum(len(split_sentences(p.read_text(encoding="utf-8")))
               for p in sorted(folder.glob("*.txt")))


# ---------------------------------------------------------------------- commands


def briefing_executable() -> Path:
    """The ``briefing`` console script next to this interpreter (the project's venv)."""
    return Path(sys.executable).parent / "briefing"


def briefing_build_command(inputs: Path, out: Path) -> list[str]:
    """``briefing build INPUTS --out OUT --date 2006-01-01``."""
    return [str(briefing_executable()), "build", str(inputs), "--out", str(out),
            "--date", BRIEF_DATE]


def lexrank_command(inputs: Path, words_budget: int) -> list[str]:
    """This script in LexRank-worker mode on ``inputs``."""
    return [sys.executable, str(Path(__file__).resolve()), "--lexrank-worker", str(inputs),
            "--words", str(words_budget)]


def lexrank_worker(inputs: Path, words_budget: int) -> int:
    """Child mode: read the folder's .txt files, concatenate, summarise with sumy's LexRank."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(inputs.glob("*.txt"))]
    summary = sumy_summary("\n\n".join(texts), "LexRank", words_budget)
    print("\n".join(summary))
    return 0 if summary else 1


_BUILD_SECONDS = re.compile(r"^brief: .* in (?P<seconds>\d+(?:\.\d+)?) s\b", re.MULTILINE)


def pipeline_seconds(out: Path, stderr: str) -> float | None:
    """The build's own time: ``stats.seconds`` of brief.json, else the CLI's summary line.

    ``briefing build`` reports "brief: N items from M sources (…) in 1.60 s" on
    stderr; brief.json's ``stats.seconds`` may be null (kept out for
    byte-identical output).
    """
    try:
        stats = json.loads((out / "brief.json").read_text(encoding="utf-8"))["stats"]
        if stats.get("seconds") is not None:
            return float(stats["seconds"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    match = _BUILD_SECONDS.search(stderr)
    return float(match.group("seconds")) if match else None


def outputs_written(out: Path) -> bool:
    """Whether all four outputs exist and are not empty."""
    return all((out / name).is_file() and (out / name).stat().st_size > 0 for name in OUTPUTS)


# ----------------------------------------------------------------------- report


@dataclass
class Row:
    """Results for one input size."""

    articles: int
    repeats: int
    sentences: int
    briefing: Measurement | None
    briefing_pipeline: float | None
    briefing_outputs: bool
    lexrank: Measurement | None


def seconds_cell(m: Measurement | None, timeout: float) -> str:
    """Seconds as shown in the table."""
    if m is None:
        return "not run"
    if m.stopped:
        return f"> {timeout:.0f} s (stopped)"
    if m.returncode != 0:
        return f"failed (exit {m.returncode}) after {m.seconds:.1f}"
    return f"{m.seconds:.2f}"


def cpu_cell(m: Measurement | None) -> str:
    """User + system CPU seconds of the child (less sensitive than wall time to other load)."""
    if m is None:
        return "—"
    return f"≥ {m.cpu_seconds:.1f}" if m.stopped else f"{m.cpu_seconds:.2f}"


def error_line(m: Measurement | None) -> str | None:
    """The last "error:" (else last non-empty) line of a failed run's stderr."""
    if m is None or m.ok or m.stopped:
        return None
    lines = [line.strip() for line in m.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith("error")]
    return (errors or lines or ["(no message)"])[-1]


def mb_cell(m: Measurement | None) -> str:
    """Peak RSS as shown in the table (for a stopped run, the peak until it was stopped)."""
    if m is None:
        return "—"
    return f"≥ {m.peak_mb:.0f}" if m.stopped else f"{m.peak_mb:.0f}"


def speed_table(rows: Sequence[Row], timeout: float) -> str:
    """The markdown table of the size sweep."""
    header = ["articles", "sentences", "Briefing s", "Briefing MB", "LexRank s", "LexRank MB",
              "Briefing pipeline s", "Briefing CPU s", "LexRank CPU s"]
    body = []
    for row in rows:
        articles = f"{row.articles:,}"
        if row.repeats:
            articles += f" ({row.articles - row.repeats} distinct + {row.repeats} repeats)"
        briefing_s = seconds_cell(row.briefing, timeout)
        if row.briefing is not None and row.briefing.ok and not row.briefing_outputs:
            briefing_s += " (outputs missing)"
        body.append([
            articles, f"{row.sentences:,}", briefing_s, mb_cell(row.briefing),
            seconds_cell(row.lexrank, timeout), mb_cell(row.lexrank),
            "—" if row.briefing_pipeline is None else f"{row.briefing_pipeline:.2f}",
            cpu_cell(row.briefing), cpu_cell(row.lexrank),
        ])
    return markdown_table(header, body, ["l"] + ["r"] * 8)


def plot(rows: Sequence[Row], timeout: float, startup: float | None, path: Path) -> None:
    """Log-log plot of seconds against articles for Briefing and LexRank."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    fig, ax = plt.subplots(figsize=(7.5, 4.8), dpi=150)

    def shown_y(m: Measurement | None) -> float | None:
        return None if m is None else (timeout if m.stopped else m.seconds)

    def offset(n: int, mine: Measurement | None, other: Measurement | None,
               default: int) -> int:
        """Label above the higher of the two points at ``n`` and below the lower one."""
        y, z = shown_y(mine), shown_y(other)
        if y is None or z is None:
            return default
        return 8 if y >= z else -13

    briefing = {r.articles: r.briefing for r in rows}
    lexrank = {r.articles: r.lexrank for r in rows}
    series = (("Briefing: briefing build (all four outputs)", "tab:blue", "o", -13,
               briefing, lexrank),
              ("sumy LexRank alone (250-word summary)", "tab:orange", "s", 8,
               lexrank, briefing))
    stopped_label_done = False
    for label, colour, marker, default, mine, others in series:
        points = list(mine.items())

        def place(n: int, m: Measurement | None, others: dict[int, Measurement | None] = others,
                  default: int = default) -> int:
            return offset(n, m, others.get(n), default)

        done = [(n, m.seconds) for n, m in points if m is not None and m.ok]
        if done:
            ax.plot([n for n, _ in done], [s for _, s in done], marker=marker, color=colour,
                    label=label, linewidth=1.8)
            for n, m in points:
                if m is not None and m.ok:
                    ax.annotate(f"{m.seconds:.1f} s" if m.seconds < 100 else f"{m.seconds:.0f} s",
                                (n, m.seconds), textcoords="offset points",
                                xytext=(0, place(n, m)), ha="center", fontsize=7, color=colour)
        failed = [(n, m.seconds) for n, m in points
                  if m is not None and not m.ok and not m.stopped]
        if failed:
            ax.scatter([n for n, _ in failed], [t for _, t in failed], marker="x", s=60,
                       color=colour, zorder=3, label=f"{label.split(':')[0]} failed (time to exit)")
            for n, m in points:
                if m is not None and not m.ok and not m.stopped:
                    ax.annotate(f"failed {m.seconds:.1f} s", (n, m.seconds),
                                textcoords="offset points", xytext=(0, place(n, m)),
                                ha="center", fontsize=7, color=colour)
        stopped = [n for n, m in points if m is not None and m.stopped]
        if stopped:
            ax.scatter(stopped, [timeout] * len(stopped), marker="^", s=70, color=colour,
                       edgecolors="black", zorder=3,
                       label=None if stopped_label_done else f"stopped at {timeout:.0f} s")
            stopped_label_done = True
            if done:
                ax.plot([done[-1][0], stopped[0]], [done[-1][1], timeout], color=colour,
                        linestyle=":", linewidth=1.2)
    left = rows[0].articles if rows else 1
    ax.axhline(timeout, color="grey", linestyle="--", linewidth=0.8)
    ax.text(left, timeout * 1.1, f"{timeout:.0f} s: runs stopped", fontsize=7, color="grey")
    if startup is not None:
        ax.axhline(startup, color="tab:blue", linestyle=":", linewidth=0.8)
        ax.text(left, startup * 1.1, f"Briefing start-up (briefing --version): {startup:.2f} s",
                fontsize=7, color="tab:blue")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(top=timeout * 2)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    sizes = [r.articles for r in rows]
    ax.xaxis.set_major_locator(FixedLocator(sizes))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([f"{r.articles:,}" + (f"\n({r.repeats} repeats)" if r.repeats else "")
                        for r in rows])
    ax.set_xlabel("articles (DUC 2006 dev clusters, whole clusters in file order)")
    ax.set_ylabel("wall-clock seconds (fresh process)")
    ax.set_title("Time to summarise n articles", fontsize=11)
    ax.grid(True, which="major", linewidth=0.4, alpha=0.6)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def save_results(rows: Sequence[Row], timeout: float, startup: Measurement | None,
                 path: Path) -> None:
    """The measurements as JSON (stderr reduced to the error line), for re-plotting."""
    def plain(m: Measurement | None) -> dict[str, Any] | None:
        return None if m is None else asdict(replace(m, stderr=error_line(m) or ""))

    data = {
        "timeout": timeout,
        "startup": plain(startup),
        "rows": [{**asdict(row), "briefing": plain(row.briefing), "lexrank": plain(row.lexrank)}
                 for row in rows],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def load_results(path: Path) -> tuple[list[Row], float, Measurement | None]:
    """Rows, timeout and start-up written by :func:`save_results`."""
    data = json.loads(path.read_text(encoding="utf-8"))

    def measurement(value: dict[str, Any] | None) -> Measurement | None:
        return None if value is None else Measurement(**value)

    rows = [Row(**{**row, "briefing": measurement(row["briefing"]),
                   "lexrank": measurement(row["lexrank"])}) for row in data["rows"]]
    return rows, float(data["timeout"]), measurement(data["startup"])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", default=DEFAULT_DATA,
                        help="clusters, JSON lines (relative paths: to the project root)")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated numbers of articles")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help="seconds after which a run is stopped")
    parser.add_argument("--repeat", type=int, default=3,
                        help=f"runs per measurement when one takes < {REPEAT_BELOW_SECONDS:.0f} s "
                             "(median kept)")
    parser.add_argument("--words", type=int, default=DEFAULT_WORDS,
                        help="LexRank summary budget in words")
    parser.add_argument("--seeds", default="seeds", help="folder of the demo articles")
    parser.add_argument("--out", default=DEFAULT_OUT, help="markdown report to write")
    parser.add_argument("--png", default=DEFAULT_PNG, help="plot to write")
    parser.add_argument("--json", default=DEFAULT_JSON, help="measurements to write (JSON)")
    parser.add_argument("--replot", action="store_true",
                        help="only redraw the plot from the --json file of an earlier run")
    parser.add_argument("--skip-lexrank", action="store_true", help="time Briefing only")
    parser.add_argument("--skip-briefing", action="store_true", help="time LexRank only")
    parser.add_argument("--lexrank-worker", metavar="DIR", default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the speed benchmark; print the table, write the report and the plot."""
    args = parse_args(argv)
    if args.lexrank_worker is not None:
        return lexrank_worker(Path(args.lexrank_worker), args.words)
    if args.replot:
        rows_, timeout_, startup_ = load_results(project_path(args.json))
        plot(rows_, timeout_, startup_.seconds if startup_ is not None and startup_.ok else None,
             project_path(args.png))
        print(f"wrote {project_path(args.png)}")
        return 0
    data = project_path(args.data)
    if not data.is_file():
        print(f"speed.py: no such file: {data}", file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    started = time.perf_counter()
    load_before = os.getloadavg()
    articles = article_stream(data)
    seeds = project_path(args.seeds)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    startup: Measurement | None = None
    seeds_run: Measurement | None = None
    seeds_pipeline: float | None = None
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="briefing-speed-") as tmp:
        root = Path(tmp)
        if not args.skip_briefing:
            startup = measure_repeated([str(briefing_executable()), "--version"], 5)
            log(f"briefing --version: {startup.seconds:.2f} s, {startup.peak_mb:.0f} MB")
            seeds_out = root / "seeds-out"
            seeds_run = measure_repeated(briefing_build_command(seeds, seeds_out), args.repeat,
                                         args.timeout)
            seeds_pipeline = pipeline_seconds(seeds_out, seeds_run.stderr)
            log(f"seeds: {seeds_run.seconds:.2f} s, {seeds_run.peak_mb:.0f} MB")
        for size in sizes:
            inputs = root / f"in-{size}"
            repeats = write_articles(articles, size, inputs)
            sentences = count_sentences(inputs)
            briefing_m: Measurement | None = None
            pipeline: float | None = None
            written = False
            if not args.skip_briefing:
                out = root / f"out-{size}"
                briefing_m = measure_repeated(briefing_build_command(inputs, out), args.repeat,
                                              args.timeout)
                pipeline = pipeline_seconds(out, briefing_m.stderr)
                written = outputs_written(out)
                log(f"{size} articles, Briefing: {seconds_cell(briefing_m, args.timeout)} s, "
                    f"{briefing_m.peak_mb:.0f} MB"
                    + ("" if briefing_m.ok else f"\n{briefing_m.stderr}"))
            lexrank_m: Measurement | None = None
            if not args.skip_lexrank:
                lexrank_m = measure_repeated(lexrank_command(inputs, args.words), args.repeat,
                                             args.timeout)
                log(f"{size} articles, LexRank: {seconds_cell(lexrank_m, args.timeout)}, "
                    f"{lexrank_m.peak_mb:.0f} MB"
                    + ("" if lexrank_m.ok or lexrank_m.stopped else f"\n{lexrank_m.stderr}"))
            rows.append(Row(size, repeats, sentences, briefing_m, pipeline, written, lexrank_m))

    elapsed = time.perf_counter() - started
    load_after = os.getloadavg()
    table = speed_table(rows, args.timeout)
    png = project_path(args.png)
    plot(rows, args.timeout, startup.seconds if startup is not None and startup.ok else None, png)
    save_results(rows, args.timeout, startup, project_path(args.json))
    given = sys.argv[1:] if argv is None else list(argv)
    command = shlex.join([".venv/bin/python", "benchmarks/speed.py", *given])
    summary_lines: list[str] = []
    if startup is not None:
        summary_lines.append(f"- Start-up, `briefing --version`: {startup.seconds:.2f} s "
                             f"(median of 5), peak {startup.peak_mb:.0f} MB.")
    if seeds_run is not None:
        if seeds_run.ok:
            after = seeds_run.seconds - startup.seconds if startup is not None else None
            line = (f"- Seeds (`briefing build {args.seeds} --date {BRIEF_DATE}`, 5 articles, "
                    f"all four outputs): {seeds_run.seconds:.2f} s end to end "
                    f"({seeds_run.cpu_seconds:.2f} s CPU), peak {seeds_run.peak_mb:.0f} MB")
            if after is not None:
                line += (f"; {after:.2f} s after start-up "
                         f"({'meets' if after <= 1.0 else 'misses'} the ≤ 1 s goal)")
            if seeds_pipeline is not None:
                line += f"; the build's own measure: {seeds_pipeline:.2f} s"
            summary_lines.append(line + ".")
        else:
            summary_lines.append(f"- Seeds: {seconds_cell(seeds_run, args.timeout)}.")
    version_text = ", ".join(f"{k} {v}" for k, v in versions().items())
    cpus = os.cpu_count()
    text = "\n".join([
        "# Speed and memory: Briefing beside sumy LexRank",
        "",
        f"Command: `{command}` (from the project root). Generated; do not edit by hand.",
        "",
        "## Settings",
        "",
        f"- Inputs: articles of `{args.data}` ({len(articles)} articles in "
        f"{len({c for c, _ in articles})} clusters), whole clusters in file order, one .txt "
        "file per article (title line, blank line, body). Sizes beyond the file's "
        f"{len(articles)} articles start again from the first cluster; each repeat is a file "
        "of its own, a word-for-word copy (the row says how many).",
        f"- Briefing: `briefing build DIR --out OUT --date {BRIEF_DATE}` (PDF, HTML, "
        "JSON, Markdown), end to end in a fresh process, start-up included.",
        f"- LexRank: sumy's `LexRankSummarizer` alone in a fresh Python process (imports "
        f"included): the folder's files concatenated, offline tokenizer, Snowball stemmer, "
        f"English stop words, a {args.words}-word summary. Stopped after "
        f"{args.timeout:.0f} s.",
        f"- Seconds: wall clock; the median of {args.repeat} runs when one run takes under "
        f"{REPEAT_BELOW_SECONDS:.0f} s, else one run. MB: peak resident memory, MiB: the larger "
        "of the child's `ru_maxrss` (`wait4`) and its whole process group's summed RSS sampled every "
        "50 ms (Briefing runs a second process; both count); for a stopped run, the peak until it "
        "was stopped.",
        "- sentences: Briefing's offline sentence splitter over the input files.",
        "- Briefing pipeline s: the time the build reports itself, without process start-up "
        "(`stats.seconds` of brief.json, or the \"brief: … in N s\" line on stderr).",
        f"- Machine: {cpus} CPUs; load average (1 min) {load_before[0]:.2f} at the start, "
        f"{load_after[0]:.2f} at the end (other work on the machine slows wall-clock times; "
        f"CPU s is the child's user + system time, less sensitive to it); {version_text}.",
        "- CPU s: user + system CPU seconds of the child (`wait4` rusage).",
        "",
        "## Start-up and the demo seeds",
        "",
        *summary_lines,
        "",
        "## Sizes",
        "",
        table,
        "",
        f"Plot: `{png.relative_to(PROJECT_ROOT) if png.is_relative_to(PROJECT_ROOT) else png}`. "
        f"Whole run: {elapsed:.0f} s.",
        "",
    ])
    failures = [
        f"- {row.articles:,} articles, {who}: {message}"
        for row in rows
        for who, m in (("Briefing", row.briefing), ("LexRank", row.lexrank))
        if (message := error_line(m)) is not None
    ]
    if failures:
        text += "\n".join(["## Failures", "", *failures, ""])
        summary_lines += ["", "Failures:", *failures]
    out = project_path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print("\n".join(summary_lines))
    print()
    print(table)
    print(f"\nwrote {out} and {png} ({elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

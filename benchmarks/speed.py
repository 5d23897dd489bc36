"""Speed and memory of ``briefing build`` on up to 10,000 distinct articles, beside sumy's LexRank.

Run from the project root::

    .venv/bin/python benchmarks/speed.py [--sizes 100,1000,2500,5000,10000] [--timeout 120]
        [--out benchmarks/results/speed.md] [--png benchmarks/results/speed.png]

Inputs are distinct articles only: users' feeds are not word-for-word
repeats, which the pipeline would drop early and so make it look faster. The
real articles of the DUC 2006 dev file (625) and of the DUC 2007 update dev
file (125) come first, whole clusters in file order (so the overlap between
articles is real). Beyond them, new distinct articles are made by recombining
the paragraphs of two different articles of the same cluster (the title and
every other paragraph of one, the paragraphs between of the other); no two
files are word-for-word equal, and the table says how many of a row's
articles are recombined. Each article is written as one ``.txt`` file (title
line, blank line, body) into a temporary folder.

Rows: the demo seeds (all four outputs), 50 articles with ``--format json``
beside LexRank on the same text, then each size (all four outputs). Each
measurement runs in a fresh child process: wall-clock seconds, the child's
CPU seconds and its peak resident memory (``wait4`` rusage). See
docs/benchmarks.md.
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
    Cluster,
    Document,
    article_text,
    load_clusters,
    markdown_table,
    project_path,
    split_sentences,
    sumy_summary,
    versions,
)

DEFAULT_SIZES = (100, 1000, 2500, 5000, 10000)
#: The row timed with ``--format json`` beside LexRank on the same articles.
JSON_ROW_ARTICLES = 50
#: More real articles, used after those of ``--data`` when the file is present.
DEFAULT_MORE_DATA = "../shared/data/duc2007u-dev.jsonl"
DEFAULT_TIMEOUT = 120.0
#: Briefing's own runs are stopped only after this long (10,000 articles take a while).
DEFAULT_BRIEFING_TIMEOUT = 600.0
#: A run using more memory than this (MiB, all its processes) is stopped: the machine is shared.
DEFAULT_MAX_MB = 4096.0
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
    #: Why a stopped run was stopped: "time" (past the timeout) or "memory" (past the cap).
    stopped_for: str = "time"

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
            cwd: Path | None = None, max_mb: float | None = None) -> Measurement:
    """Run ``command`` in a fresh child; its wall time and peak memory.

    The child gets its own process group; past ``timeout`` seconds the whole
    group is killed and the measurement is marked as stopped. ``os.wait4``
    gives the resource usage of this one child (CPU time includes the
    processes it started). Peak memory is the larger of the child's
    ``ru_maxrss`` and the summed RSS of its whole process group, sampled every
    50 ms: Briefing runs a second process (briefing/worker.py), and both
    count towards the memory target. Past ``max_mb`` of that summed memory the
    group is killed too (the machine is shared: a run that would take all of
    its memory is stopped, and shown as such).
    """
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command), stdout=subprocess.DEVNULL, stderr=err, cwd=cwd,
            start_new_session=True,
        )
        stopped = threading.Event()
        reason = ["time"]

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
                if max_mb is not None and group_peak[0] > max_mb and not stopped.is_set():
                    reason[0] = "memory"
                    stop()

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
        stopped_for=reason[0],
    )


def measure_repeated(command: Sequence[str], repeat: int, timeout: float | None = None,
                     cwd: Path | None = None, max_mb: float | None = None) -> Measurement:
    """The median run of up to ``repeat`` (the lower middle one for an even count), with the
    largest peak RSS of all; a run that fails or takes ``REPEAT_BELOW_SECONDS`` is not repeated.
    """
    runs = [measure(command, timeout, cwd, max_mb)]
    while (len(runs) < repeat and runs[0].ok
           and runs[0].seconds < REPEAT_BELOW_SECONDS):
        runs.append(measure(command, timeout, cwd, max_mb))
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


@dataclass(frozen=True)
class Article:
    """One input file: its name and text, and whether it was made by recombining paragraphs."""

    name: str
    text: str
    recombined: bool


def paragraphs(text: str) -> list[str]:
    """The blank-line separated paragraphs of an article; without any, its sentences in threes."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    if len(blocks) >= 2:
        return blocks
    sentences = split_sentences(text)
    return [" ".join(sentences[k:k + 3]) for k in range(0, len(sentences), 3)] or blocks


#: A recombined article takes at least this share of its body from each of its two articles
#: (else it would be a near-copy of the one it mostly comes from, and is not made).
MIN_SHARE = 0.25


def recombine(first: Document, second: Document, round_: int, size: int) -> str | None:
    """A new article: ``first``'s title, then paragraphs of the two articles.

    Round r of a cluster of ``size`` articles pairs article i with article
    i + r, so rounds r and size - r pair the same two articles (the other way
    round). Up to half the cluster's size, paragraph k comes from ``first``
    when ``k + round_`` is even, else from ``second``; in the later rounds,
    which would repeat those mixes almost word for word, the article is the
    first half of ``first``'s paragraphs, then the second half of ``second``'s.
    ``None`` when either article gives less than MIN_SHARE of the text: no
    recombined article is a near-copy of another article.
    """
    mine, theirs = paragraphs(first.text), paragraphs(second.text)
    if 2 * round_ > size:
        taken = [(True, p) for p in mine[:(len(mine) + 1) // 2]] + [
            (False, p) for p in theirs[(len(theirs) + 1) // 2:]]
    else:
        taken = []
        for k in range(max(len(mine), len(theirs))):
            from_first = (k + round_) % 2 == 0
            preferred, other = (mine, theirs) if from_first else (theirs, mine)
            if k < len(preferred):
                taken.append((from_first, preferred[k]))
            elif k < len(other):
                taken.append((not from_first, other[k]))
    total = sum(len(p) for _, p in taken)
    own = sum(len(p) for from_first, p in taken if from_first)
    if not total or not MIN_SHARE <= own / total <= 1 - MIN_SHARE:
        return None
    return article_text(replace(first, text="\n\n".join(p for _, p in taken)))


#: A recombined article closer than this to either of its two articles (word 5-shingle
#: Jaccard, as Briefing tests copies at 0.6) is not used: with both parents below it,
#: two mixes sharing a parent stay below Briefing's threshold too.
MAX_PARENT_JACCARD = 0.5


def near_copy(text: str, parents: Sequence[Document]) -> bool:
    """Whether ``text`` is too close to one of the articles it was made from."""
    from briefing.corroborate import jaccard, shingles

    mine = shingles(text)
    return any(jaccard(mine, _shingles(article_text(parent))) >= MAX_PARENT_JACCARD for parent in parents)


_SHINGLES: dict[str, frozenset[bytes]] = {}


def _shingles(text: str) -> frozenset[bytes]:
    """Shingles of a real article, computed once (each is a parent many times)."""
    from briefing.corroborate import shingles

    if text not in _SHINGLES:
        _SHINGLES[text] = shingles(text)
    return _SHINGLES[text]


def distinct_articles(clusters: Sequence[Cluster], size: int) -> list[Article]:
    """The first ``size`` distinct articles: the real ones in file order, then recombined ones.

    Round r (1, 2, …) pairs article i of each cluster with article i + r of the
    same cluster (modulo its size), cluster by cluster in file order. A text
    already written (a repeat in the data, or a recombination equal to another)
    is skipped: no two files are word-for-word equal, nor is a mix that is mostly
    one article (:func:`recombine`, :func:`near_copy`). Raises ``ValueError``
    when the clusters cannot give ``size`` distinct articles.
    """
    seen: set[str] = set()
    out: list[Article] = []

    def add(cluster_id: str, doc_id: str, text: str, recombined: bool) -> None:
        if text in seen:
            return
        seen.add(text)
        out.append(Article(f"{len(out) + 1:05d}_{cluster_id}_{doc_id}.txt", text, recombined))

    for cluster in clusters:
        for doc in cluster.docs:
            if len(out) >= size:
                return out
            add(cluster.id, doc.id, article_text(doc), False)
    longest = max((len(cluster.docs) for cluster in clusters), default=0)
    for round_ in range(1, longest):
        for cluster in clusters:
            docs = cluster.docs
            if round_ >= len(docs):
                continue
            for i, doc in enumerate(docs):
                if len(out) >= size:
                    return out
                partner = docs[(i + round_) % len(docs)]
                mixed = recombine(doc, partner, round_, len(docs))
                if mixed is not None and not near_copy(mixed, (doc, partner)):
                    add(cluster.id, f"{doc.id}+{partner.id}", mixed, True)
    if len(out) < size:
        raise ValueError(f"only {len(out)} distinct articles can be made from these clusters")
    return out


def write_distinct(articles: Sequence[Article], folder: Path) -> int:
    """Write the articles as .txt files into ``folder``; returns how many are recombined."""
    folder.mkdir(parents=True, exist_ok=True)
    for article in articles:
        (folder / article.name).write_text(article.text + "\n", encoding="utf-8")
    return sum(article.recombined for article in articles)


def count_sentences(folder: Path) -> int:
    """Sentences in the folder's .txt files, by Briefing's offline splitter."""
    return sum(len(split_sentences(p.read_text(encoding="utf-8")))
               for p in sorted(folder.glob("*.txt")))


# ---------------------------------------------------------------------- commands


def byte_compile() -> None:
    """Write the .pyc files of Briefing's modules, as ``pip install`` does.

    An environment with ``PYTHONDONTWRITEBYTECODE`` set (CI, sandboxes) never
    writes them on import, so each build would compile every module again,
    in both of its processes: about 0.15 s of start-up no installed copy pays.
    """
    import compileall

    compileall.compile_dir(str(PROJECT_ROOT / "briefing"), quiet=1)


def briefing_executable() -> Path:
    """The ``briefing`` console script next to this interpreter (the project's venv)."""
    return Path(sys.executable).parent / "briefing"


def briefing_build_command(inputs: Path, out: Path, formats: str | None = None) -> list[str]:
    """``briefing build INPUTS --out OUT --date 2006-01-01 [--format FORMATS]``."""
    command = [str(briefing_executable()), "build", str(inputs), "--out", str(out),
               "--date", BRIEF_DATE]
    return command + (["--format", formats] if formats else [])


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


def outputs_written(out: Path, names: Sequence[str] = OUTPUTS) -> bool:
    """Whether the outputs (all four unless ``names`` says) exist and are not empty."""
    return all((out / name).is_file() and (out / name).stat().st_size > 0 for name in names)


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
    #: Articles made by recombining paragraphs (the rest are real articles).
    recombined: int = 0
    #: What the row is, when not a plain size ("seeds", "50, --format json").
    label: str = ""


def seconds_cell(m: Measurement | None, timeout: float) -> str:
    """Seconds as shown in the table."""
    if m is None:
        return "not run"
    if m.stopped and m.stopped_for == "memory":
        return f"stopped at {m.peak_mb:,.0f} MB after {m.seconds:.0f} s"
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


def articles_cell(row: Row) -> str:
    """The first column: the row's label or size, and how its articles were made."""
    text = row.label or f"{row.articles:,}"
    made = []
    if row.repeats:
        made.append(f"{row.articles - row.repeats} distinct + {row.repeats} repeats")
    if row.recombined:
        made.append(f"{row.articles - row.recombined:,} real + {row.recombined:,} recombined")
    return text + (f" ({'; '.join(made)})" if made else "")


def speed_table(rows: Sequence[Row], timeout: float) -> str:
    """The markdown table of the runs: wall seconds with CPU seconds beside them."""
    header = ["articles", "sentences", "Briefing s", "Briefing CPU s", "Briefing MB",
              "LexRank s", "LexRank CPU s", "LexRank MB", "LexRank / Briefing",
              "Briefing pipeline s"]
    body = []
    for row in rows:
        briefing_s = seconds_cell(row.briefing, timeout)
        if row.briefing is not None and row.briefing.ok and not row.briefing_outputs:
            briefing_s += " (outputs missing)"
        body.append([
            articles_cell(row), f"{row.sentences:,}", briefing_s, cpu_cell(row.briefing),
            mb_cell(row.briefing), seconds_cell(row.lexrank, timeout), cpu_cell(row.lexrank),
            mb_cell(row.lexrank), ratio_cell(row.briefing, row.lexrank),
            "—" if row.briefing_pipeline is None else f"{row.briefing_pipeline:.2f}",
        ])
    return markdown_table(header, body, ["l"] + ["r"] * 9)


def ratio_cell(briefing: Measurement | None, lexrank: Measurement | None) -> str:
    """How many times faster Briefing was than LexRank (wall clock); "≥" when LexRank was stopped."""
    if briefing is None or lexrank is None or not briefing.ok or briefing.seconds <= 0:
        return "—"
    if lexrank.stopped:
        return f"≥ {lexrank.seconds / briefing.seconds:.0f}×"
    if not lexrank.ok:
        return "—"
    return f"{lexrank.seconds / briefing.seconds:.1f}×"


def plot(rows: Sequence[Row], timeout: float, startup: float | None, path: Path) -> None:
    """Log-log plot of seconds against articles for Briefing and LexRank."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    rows = [row for row in rows if not row.label]  # the size sweep only
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
                        + (f"\n({r.recombined:,} recomb.)" if r.recombined else "") for r in rows])
    ax.set_xlabel("distinct articles (DUC 2006 + 2007 dev clusters, then paragraphs recombined)")
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
    parser.add_argument("--more-data", default=DEFAULT_MORE_DATA,
                        help="more clusters, used after --data when the file exists ('' for none)")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated numbers of distinct articles (all four outputs)")
    parser.add_argument("--json-articles", type=int, default=JSON_ROW_ARTICLES,
                        help="articles of the --format json row beside LexRank (0: no such row)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help="seconds after which a LexRank run is stopped")
    parser.add_argument("--briefing-timeout", type=float, default=DEFAULT_BRIEFING_TIMEOUT,
                        help="seconds after which a Briefing run is stopped")
    parser.add_argument("--max-mb", type=float, default=DEFAULT_MAX_MB,
                        help="a run whose processes together use more memory (MiB) is stopped")
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


def load_all_clusters(data: Path, more: Path | None) -> list[Cluster]:
    """The clusters of ``data``, then those of ``more`` when it is a file."""
    clusters = load_clusters(data)
    if more is not None and more.is_file():
        clusters += load_clusters(more)
    return clusters


def goals(rows: Sequence[Row]) -> list[str]:
    """Issue 19's targets, each with the measured value and whether it is met."""
    def verdict(ok: bool) -> str:
        return "meets" if ok else "misses"

    lines: list[str] = []
    by_size = {row.articles: row for row in rows if not row.label}
    for row in rows:
        if row.label == "seeds" and row.briefing is not None and row.briefing.ok:
            lines.append(f"- Seeds, all four outputs, end to end with start-up: {row.briefing.seconds:.2f} s "
                         f"({verdict(row.briefing.seconds <= 1.0)} ≤ 1.0 s).")
        elif row.label and row.lexrank is not None and row.briefing is not None and row.briefing.ok:
            ratio = ratio_cell(row.briefing, row.lexrank)
            ok = row.lexrank.seconds >= 20 * row.briefing.seconds and (row.lexrank.ok or row.lexrank.stopped)
            lines.append(f"- {row.label}: Briefing {row.briefing.seconds:.2f} s, LexRank "
                         f"{seconds_cell(row.lexrank, 0)} s: {ratio} ({verdict(ok)} ≥ 20×).")
    for size, seconds, mb in ((1000, 5.0, 1024.0), (10000, 60.0, 2048.0)):
        sized = by_size.get(size)
        if sized is None or sized.briefing is None:
            continue
        m = sized.briefing
        goal = f"≤ {seconds:.0f} s and ≤ {mb / 1024:.0f} GiB"
        if m.ok:
            # Each half of the goal on its own: "meets ≤ 60 s; misses ≤ 2 GiB".
            parts = (f"{verdict(m.seconds <= seconds)} ≤ {seconds:.0f} s; "
                     f"{verdict(m.peak_mb <= mb)} ≤ {mb / 1024:.0f} GiB")
            lines.append(f"- {size:,} distinct articles: {m.seconds:.1f} s, {m.peak_mb:.0f} MB ({parts}).")
        else:
            lines.append(f"- {size:,} distinct articles: {seconds_cell(m, m.seconds)}, "
                         f"{mb_cell(m)} MB (misses {goal}).")
    small, large = by_size.get(1000), by_size.get(10000)
    if (small is not None and large is not None and small.briefing is not None and large.briefing is not None
            and small.briefing.ok and large.briefing.ok):
        growth = (large.briefing.seconds / small.briefing.seconds) / (large.articles / small.articles)
        lines.append(f"- Growth from 1,000 to 10,000: time × {large.briefing.seconds / small.briefing.seconds:.1f} "
                     f"for articles × 10 ({verdict(growth <= 1.0)} no faster than linear; "
                     f"{growth:.2f} of linear).")
    return lines


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
    byte_compile()
    started = time.perf_counter()
    load_before = os.getloadavg()
    more = project_path(args.more_data) if args.more_data else None
    clusters = load_all_clusters(data, more)
    real = distinct_articles(clusters, sum(len(c.docs) for c in clusters))
    real_count = sum(not a.recombined for a in real)
    pool = distinct_articles(clusters, max([*sizes, args.json_articles, 1]))
    seeds = project_path(args.seeds)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    startup: Measurement | None = None
    rows: list[Row] = []
    lexrank_stopped_at: int | None = None
    with tempfile.TemporaryDirectory(prefix="briefing-speed-") as tmp:
        root = Path(tmp)

        def run(label: str, inputs: Path, count: int, recombined: int, formats: str | None,
                with_lexrank: bool) -> Row:
            nonlocal lexrank_stopped_at
            sentences = count_sentences(inputs)
            briefing_m: Measurement | None = None
            pipeline: float | None = None
            written = False
            if not args.skip_briefing:
                out = root / f"out-{label or count}".replace(" ", "_").replace(",", "")
                briefing_m = measure_repeated(briefing_build_command(inputs, out, formats), args.repeat,
                                              args.briefing_timeout, max_mb=args.max_mb)
                pipeline = pipeline_seconds(out, briefing_m.stderr)
                names = [f"brief.{f}" for f in formats.split(",")] if formats else OUTPUTS
                written = outputs_written(out, names)
                log(f"{label or f'{count} articles'}, Briefing: "
                    f"{seconds_cell(briefing_m, args.briefing_timeout)}{'' if briefing_m.stopped else ' s'}, "
                    f"{briefing_m.cpu_seconds:.2f} s CPU, {briefing_m.peak_mb:.0f} MB"
                    + ("" if briefing_m.ok else f"\n{briefing_m.stderr}"))
            lexrank_m: Measurement | None = None
            # LexRank grows faster than linearly: past a size where it was stopped, it is not run.
            if with_lexrank and not args.skip_lexrank and (lexrank_stopped_at is None or count < lexrank_stopped_at):
                lexrank_m = measure_repeated(lexrank_command(inputs, args.words), args.repeat, args.timeout,
                                             max_mb=args.max_mb)
                if lexrank_m.stopped:
                    lexrank_stopped_at = count if lexrank_stopped_at is None else min(lexrank_stopped_at, count)
                log(f"{label or f'{count} articles'}, LexRank: {seconds_cell(lexrank_m, args.timeout)}, "
                    f"{lexrank_m.peak_mb:.0f} MB"
                    + ("" if lexrank_m.ok or lexrank_m.stopped else f"\n{lexrank_m.stderr}"))
            return Row(count, 0, sentences, briefing_m, pipeline, written, lexrank_m, recombined, label)

        if not args.skip_briefing:
            startup = measure_repeated([str(briefing_executable()), "--version"], 5)
            log(f"briefing --version: {startup.seconds:.2f} s, {startup.peak_mb:.0f} MB")
            seed_files = sorted(p for p in seeds.iterdir() if p.is_file()) if seeds.is_dir() else []
            rows.append(run("seeds", seeds, len(seed_files), 0, None, with_lexrank=False))
        if args.json_articles > 0:
            chosen = pool[:args.json_articles]
            inputs = root / "in-json"
            recombined = write_distinct(chosen, inputs)
            rows.append(run(f"{len(chosen)}, --format json", inputs, len(chosen), recombined, "json",
                            with_lexrank=True))
        for size in sizes:
            inputs = root / f"in-{size}"
            recombined = write_distinct(pool[:size], inputs)
            rows.append(run("", inputs, size, recombined, None, with_lexrank=True))

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
    summary_lines += goals(rows)
    version_text = ", ".join(f"{k} {v}" for k, v in versions().items())
    cpus = os.cpu_count()
    sources_text = f"`{args.data}`" + (f" and `{args.more_data}`" if more is not None and more.is_file() else "")
    text = "\n".join([
        "# Speed and memory: Briefing beside sumy LexRank",
        "",
        f"Command: `{command}` (from the project root). Generated; do not edit by hand.",
        "",
        "## Settings",
        "",
        f"- Inputs: distinct articles only, no two files word-for-word equal. First the {real_count} "
        f"real articles of {sources_text} ({len(clusters)} clusters), whole clusters in file order; "
        "beyond them, articles made by recombining paragraphs of two different articles of the same "
        "cluster (round r pairs article i with article i + r: the title and every other paragraph of one, "
        "the paragraphs between of the other; past half the cluster's size, where the same two articles "
        "meet again, the first half of one and the second half of the other). The articles column says "
        "how many of a row's articles are recombined. One .txt file per article (title line, blank line, body).",
        f"- Briefing: `briefing build DIR --out OUT --date {BRIEF_DATE}` (PDF, HTML, "
        "JSON, Markdown), end to end in a fresh process, start-up included; the "
        f"\"{args.json_articles}, --format json\" row adds `--format json` (brief.json only). "
        f"Stopped after {args.briefing_timeout:.0f} s, or when its processes together use more than "
        f"{args.max_mb:,.0f} MiB (the machine is shared). Briefing's modules are byte-compiled before "
        "the first run, as installing a package does: with `PYTHONDONTWRITEBYTECODE` set, every "
        "process would compile them again (about 0.15 s each, twice per build).",
        f"- LexRank: sumy's `LexRankSummarizer` alone in a fresh Python process (imports "
        f"included): the folder's files concatenated, offline tokenizer, Snowball stemmer, "
        f"English stop words, a {args.words}-word summary. Stopped after "
        f"{args.timeout:.0f} s, and not run on larger inputs once stopped.",
        f"- Seconds: wall clock; the median of {args.repeat} runs when one run takes under "
        f"{REPEAT_BELOW_SECONDS:.0f} s, else one run. MB: peak resident memory, MiB: the larger "
        "of the child's `ru_maxrss` (`wait4`) and its whole process group's summed RSS sampled every "
        "50 ms (Briefing runs a second process; both count); for a stopped run, the peak until it "
        "was stopped.",
        "- CPU s: user + system CPU seconds of the child and the processes it waited for "
        "(`wait4` rusage), less sensitive than wall seconds to other work on the machine.",
        "- sentences: Briefing's offline sentence splitter over the input files.",
        "- LexRank / Briefing: LexRank's wall seconds over Briefing's on the same files.",
        "- Briefing pipeline s: the time the build reports itself, without process start-up "
        "(`stats.seconds` of brief.json, or the \"brief: … in N s\" line on stderr).",
        f"- Machine: {cpus} CPUs; load average (1 min) {load_before[0]:.2f} at the start, "
        f"{load_after[0]:.2f} at the end (other work on the machine slows wall-clock times); "
        f"{version_text}.",
        "",
        "## Targets (issue 19)",
        "",
        *summary_lines,
        "",
        "## Runs",
        "",
        table,
        "",
        f"Plot: `{png.relative_to(PROJECT_ROOT) if png.is_relative_to(PROJECT_ROOT) else png}`. "
        f"Whole run: {elapsed:.0f} s.",
        "",
    ])
    failures = [
        f"- {articles_cell(row)}, {who}: {message}"
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

"""One brief as a job: a frozen, picklable request in, a result out, run here, in a pool or on Dask.

``daily`` (one job per topic) and ``stories`` (one per story) build every
brief through :func:`build_one`, and hand many of them to :func:`run_jobs`:
in this process (``jobs=1``), in a process pool on this machine
(``jobs=N``), or on an existing Dask distributed cluster
(``scheduler="tcp://host:8786"``). A job reads nothing and writes nothing:
the sources travel in the request and the files come back as bytes, so a
Dask worker needs ``briefing`` installed but no shared disk, and the caller
writes every file itself, in the same order as a serial run. The bytes are
the same whichever way a job ran.
"""

from __future__ import annotations

import logging
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefing.changes import PreviousBrief, compare
from briefing.errors import BriefingError, EmptyBriefError, UsageError
from briefing.ingest import RawDocument
from briefing.model import Brief
from briefing.pipeline import BuildOptions, build_brief, earliest_date, write_brief
from briefing.plan import assign_sections, group_sections
from briefing.sections import CueRules

log = logging.getLogger(__name__)

#: Seconds to wait for a Dask scheduler to answer before giving up.
SCHEDULER_TIMEOUT = 20.0


@dataclass(frozen=True)
class BriefRequest:
    """Everything one brief needs, so that any process can build it: sources, options, earlier brief."""

    #: What the job is called in messages (a topic slug, a story number).
    name: str
    raws: tuple[RawDocument, ...]
    options: BuildOptions = field(default_factory=BuildOptions)
    #: Section cue overrides (a daily config's ``[sections]``); ``None``: the shipped ones.
    sections: CueRules | None = None
    #: The earlier brief to mark New items and dropped claims against.
    previous: PreviousBrief | None = None
    #: Articles the reader has already seen (``--known``; a daily run's previous date).
    known: tuple[RawDocument, ...] = ()


@dataclass(frozen=True)
class BriefResult:
    """A built brief's files (name → bytes, not yet written) and the fitted brief, or why it failed."""

    name: str
    brief: Brief | None = None
    files: Mapping[str, bytes] = field(default_factory=dict)
    #: The one-line warnings given while building (skipped sources), in order.
    warnings: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0
    #: Peak resident memory of the process that built it, in MB (for the benchmarks).
    peak_mb: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


def build_one(request: BriefRequest) -> BriefResult:
    """Build, compare, fit and render one brief; every failure is caught and returned as ``error``.

    Module level and free of open files or callbacks, so that a process pool
    and a Dask worker can run it.
    """
    started = time.perf_counter()
    warnings: list[str] = []
    brief: Brief | None = None
    files: dict[str, bytes] = {}
    error: str | None = None
    try:
        brief, files = _build_and_render(request, warnings.append)
    except BriefingError as exc:
        error = str(exc)
    except Exception as exc:  # one brief's surprise must not stop the others
        log.debug("job %s failed", request.name, exc_info=True)
        error = f"unexpected {type(exc).__name__}: {exc}"
    return BriefResult(
        name=request.name, brief=brief, files=files, warnings=tuple(warnings), error=error,
        seconds=round(time.perf_counter() - started, 3), peak_mb=peak_memory_mb(),
    )


def _build_and_render(request: BriefRequest, warn: Callable[[str], None]) -> tuple[Brief, dict[str, bytes]]:
    brief = build_brief(request.raws, request.options, warn=warn, known=request.known)
    if not brief.items:
        raise EmptyBriefError.no_items(len(brief.sources))
    if request.sections is not None:
        # The caller's cue overrides decide the sections (build_brief used the shipped ones).
        brief = replace(brief, sections=group_sections(
            assign_sections(brief.items, request.sections, earliest=earliest_date(brief.sources))))
    if request.previous is not None:
        brief = compare(brief, request.previous)
    # write_brief is the one place that fits and renders; a private folder turns its
    # files into bytes, which travel back to the caller (no shared disk needed).
    with tempfile.TemporaryDirectory(prefix="briefing-job-") as scratch:
        final, paths = write_brief(brief, Path(scratch), request.options)
        return final, {path.name: path.read_bytes() for path in paths}


def peak_memory_mb() -> float:
    """This process's peak resident memory in MB (Linux reports kB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1 << 20 if sys.platform == "darwin" else 1 << 10), 1)


def run_jobs(
    requests: Sequence[BriefRequest], *, jobs: int = 1, scheduler: str | None = None,
) -> Iterator[BriefResult]:
    """The results of ``requests``, in their order, as each becomes available.

    ``jobs=1`` builds them here one after another; ``jobs=N`` in a pool of N
    processes; ``scheduler`` on the Dask cluster at that address (``jobs`` is
    then ignored: the cluster has its own workers).
    """
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if not requests:
        return iter(())
    if scheduler is not None:
        return _run_on_dask(requests, scheduler)
    if jobs == 1 or len(requests) == 1:
        return (build_one(request) for request in requests)
    return _run_in_pool(requests, min(jobs, len(requests)))


def _run_in_pool(requests: Sequence[BriefRequest], workers: int) -> Iterator[BriefResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context(start_method())
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        # map keeps the order of the requests: outputs and messages as in a serial run.
        yield from pool.map(build_one, requests)


def start_method() -> str:
    """How pool workers start: "fork" on Linux while this process runs no other thread, else "spawn".

    A forked worker begins with everything this process has loaded (about 2 s
    of imports a spawned one repeats, each); forking while another thread
    runs (a download, a lock held) is unsafe, and so is it on macOS.
    """
    import threading

    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _run_on_dask(requests: Sequence[BriefRequest], scheduler: str) -> Iterator[BriefResult]:
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'briefing[cluster]' (dask[distributed])") from None
    try:
        client = Client(scheduler, timeout=SCHEDULER_TIMEOUT, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise BriefingError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client:
        # pure=False: two equal requests are still two jobs (two topics may share sources).
        futures = client.map(build_one, list(requests), pure=False)
        for future in futures:
            yield future.result()

"""One brief: a frozen, picklable request in, a result out; run here, in a pool or on Dask.

:func:`build_one` is the one way a brief is built (issue 17). ``briefing
build`` and ``summarize``, ``daily`` (one request per topic), ``stories``
(one per story) and the benchmarks all make a :class:`BriefRequest` and call
it; none assembles the stages itself. :func:`run_jobs` hands many requests to
:func:`build_one`: in this process (``jobs=1``), in a process pool on this
machine (``jobs=N``), or on an existing Dask distributed cluster
(``scheduler="tcp://host:8786"``). A request reads nothing and a result
writes nothing: the sources travel in the request and the files come back as
bytes, so a Dask worker needs ``briefing`` installed but no shared disk, and
the caller writes every file itself, in the same order as a serial run. The
bytes are the same whichever way a request ran.
"""

from __future__ import annotations

import logging
import resource
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from briefing.changes import PreviousBrief, compare
from briefing.errors import EXIT_FAILED, BriefingError, EmptyBriefError, UsageError
from briefing.ingest import RawDocument
from briefing.model import Brief
from briefing.pipeline import BuildOptions, build_brief, render_brief, summarize
from briefing.settings import SCHEDULER_TIMEOUT

if TYPE_CHECKING:
    from briefing.worker import Worker

log = logging.getLogger(__name__)

#: What a request asks for: the brief's files (fitted to one page and rendered: the
#: CLI, daily, stories), the sectioned brief before fitting (benchmarks that judge
#: every item), or the ranked sentences cut to a word budget (``summarize``).
Product = Literal["files", "brief", "summary"]


@dataclass(frozen=True)
class BriefRequest:
    """Everything one brief needs, so that any process can build it: sources, options, earlier brief."""

    #: What the job is called in messages (a topic slug, a story number).
    name: str
    raws: tuple[RawDocument, ...]
    #: Title, date, page, formats, item count and section cues (``options.sections``).
    options: BuildOptions = field(default_factory=BuildOptions)
    #: The earlier brief to mark New items and dropped claims against.
    previous: PreviousBrief | None = None
    #: Articles the reader has already seen (``--known``; a daily run's previous date).
    known: tuple[RawDocument, ...] = ()
    product: Product = "files"
    #: Word budget of a ``"summary"``.
    words: int | None = None

    def __post_init__(self) -> None:
        if self.product == "summary" and self.words is None:
            raise UsageError("a summary needs a word budget")


@dataclass(frozen=True)
class BriefResult:
    """A built brief's files (name → bytes, not yet written) and the fitted brief, or why it failed."""

    name: str
    #: The fitted brief (``"files"``), the brief before fitting (``"brief"``); ``None`` for a summary.
    brief: Brief | None = None
    files: Mapping[str, bytes] = field(default_factory=dict)
    #: A ``"summary"``: the ranked sentences, best first, cut to the word budget.
    summary: tuple[str, ...] = ()
    #: The one-line warnings given while building (skipped sources), in order.
    warnings: tuple[str, ...] = ()
    error: str | None = None
    #: The exit code the error stands for (``briefing.errors.EXIT_CODES``); 0 when ok.
    exit_code: int = 0
    seconds: float = 0.0
    #: Peak resident memory of the process that built it, in MB (for the benchmarks).
    peak_mb: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


def build_one(
    request: BriefRequest, *, worker: Worker | None = None, warn: Callable[[str], None] | None = None,
    catch: bool = True,
) -> BriefResult:
    """Build what ``request`` asks for: ingest, analyse, select, plan, compare, fit and render.

    Every failure is caught and returned as ``error`` with its ``exit_code``
    (one brief's surprise must not stop the others in a pool); ``catch=False``
    lets it propagate instead (the CLI turns it into one line and the exit code).
    ``worker`` (:mod:`briefing.worker`) shares the work in this process's
    second core; ``warn`` also hears each warning as it is given. Neither
    travels: a pool or a Dask worker calls ``build_one(request)``.
    """
    started = time.perf_counter()
    warnings: list[str] = []

    def note(message: str) -> None:
        warnings.append(message)
        if warn is not None:
            warn(message)

    made: tuple[Brief | None, dict[str, bytes], tuple[str, ...]] = (None, {}, ())
    error: str | None = None
    code = 0
    try:
        made = _make(request, note, worker)
    except BriefingError as exc:
        if not catch:
            raise
        error, code = str(exc), exc.exit_code
    except Exception as exc:
        if not catch:
            raise
        log.debug("job %s failed", request.name, exc_info=True)
        error, code = f"unexpected {type(exc).__name__}: {exc}", EXIT_FAILED
    brief, files, summary = made
    return BriefResult(
        name=request.name, brief=brief, files=files, summary=summary, warnings=tuple(warnings), error=error,
        exit_code=code, seconds=round(time.perf_counter() - started, 3), peak_mb=peak_memory_mb(),
    )


def _make(
    request: BriefRequest, warn: Callable[[str], None], worker: Worker | None,
) -> tuple[Brief | None, dict[str, bytes], tuple[str, ...]]:
    if request.product == "summary":
        words = request.words if request.words is not None else 0
        return None, {}, tuple(summarize(request.raws, words=words, warn=warn, known=request.known,
                                         keep_off_topic=request.options.keep_off_topic))
    brief = build_brief(request.raws, request.options, warn=warn, worker=worker, known=request.known)
    if request.previous is not None:
        brief = compare(brief, request.previous)
    if request.product == "brief":
        return brief, {}, ()
    if not brief.items:
        raise EmptyBriefError.no_items(len(brief.sources))
    final, files = render_brief(brief, request.options, worker=worker)
    return final, files, ()


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
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_pool_process) as pool:
        # The largest first, so that no big brief starts last while the other process idles
        # (stories range from 3 to 100 articles); results are given in the requests' order,
        # so outputs and messages are those of a serial run.
        futures = {k: pool.submit(build_one, requests[k]) for k in largest_first(requests)}
        for k in range(len(requests)):
            yield futures.pop(k).result()


def largest_first(requests: Sequence[BriefRequest]) -> list[int]:
    """Positions of ``requests``, the most bytes of articles first (ties in order): the longest jobs first."""
    def size(k: int) -> int:
        return sum(len(raw.data) for raw in (*requests[k].raws, *requests[k].known))

    return sorted(range(len(requests)), key=lambda k: (-size(k), k))


def _start_pool_process() -> None:
    """Load WeasyPrint as the second process does (without the ~20 ``find_library`` subprocesses,
    0.2-0.5 s): a pool process is single-threaded while it starts. Any failure is left to the first job."""
    from briefing.worker import import_weasyprint_quickly

    import_weasyprint_quickly()


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
        # Submitted largest first, as in a pool; given back in the requests' order.
        order = largest_first(requests)
        futures = dict(zip(order, client.map(build_one, [requests[k] for k in order], pure=False), strict=True))
        for k in range(len(requests)):
            yield futures.pop(k).result()

"""A second process: the other core renders the PDF and shares the analysis.

Briefing's machines have two cores. :class:`Worker` starts a second Python
process at once; while this process loads the language tools and reads the
articles, the worker loads WeasyPrint and the fonts (most of a second). The
pipeline then hands it jobs that do not depend on each other's results:
finding syndicated copies while this process splits and stems sentences,
half of the similarity graph while this process computes the other half,
and finally fitting the brief to one page.

A job is a module-level function and its arguments (pickled). Jobs run one
at a time in the order sent. A job may share a range of items with this
process (:meth:`Worker.share`, :func:`front_chunks`): each takes parts from
its end until they meet, so that neither waits for the other. Every job gives the same result as calling the
function here, and if the worker fails in any way (it died, a job raised),
:meth:`Job.result` calls the function in this process instead, so a real
error surfaces here with its usual message. Nothing about a brief depends
on whether a worker was used (tests compare the bytes).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


def import_weasyprint_quickly() -> None:
    """Import WeasyPrint without ``ctypes.util.find_library`` (a worker or pool process only, single-threaded).

    WeasyPrint asks cffi for each native library under several names, and for
    every name that is not a file cffi calls ``find_library``, which starts
    ``ldconfig``/``gcc`` subprocesses: 22 of them, 0.3 s. Every list WeasyPrint
    tries ends in the library's Linux file name, which loads directly, so
    ``find_library`` answers "not found" during the import. Should the import
    fail that way, it is left to be made again the usual way when needed.
    """
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint  # noqa: F401
    except Exception:  # noqa: S110 - layout_pdf imports it again, the usual way, and reports
        pass
    finally:
        ctypes.util.find_library = original


_warmed = False


def warm_up() -> None:
    """Load WeasyPrint and the fonts, once per process (at the start, or as a job sent later).

    A build of many sources starts the worker cold and sends this once the
    analysis jobs are sent: loading them first, most of a second, had
    delayed the worker's half of the first job, reading the articles, by as
    much (issue 19).
    """
    global _warmed
    if _warmed:
        return
    _warmed = True
    import_weasyprint_quickly()
    from briefing.render import warm_up as load_fonts

    with contextlib.suppress(Exception):  # the real job reports any real problem
        load_fonts()


#: In the worker: the counters of the range it shares with the first process (:meth:`Worker.share`)
#: and their lock; None in any other process, where :func:`front_chunks` gives the whole range.
_shared: tuple[Any, Any] | None = None


def front_chunks(generation: int, n: int, size: int) -> Iterator[tuple[int, int]]:
    """The parts of ``range(n)`` that this process computes, from the front, ``size`` items at a time.

    In the worker, for a range shared by :meth:`Worker.share` (its
    ``generation``), the first process takes parts from the back meanwhile
    (:meth:`Share.take_back`): both stop where they meet, so neither waits
    for the other however the work is spread (issue 19). Anywhere else (a
    job run in the first process because the worker failed), or for a
    negative ``generation`` (a range not shared), the whole range.
    """
    if _shared is None or generation < 0:
        if n:
            yield 0, n
        return
    counters, lock = _shared
    while True:
        with lock:
            if counters[2] != generation:  # another range, shared since: this one is done
                return
            start = counters[0]
            stop = min(start + size, counters[1])
            if start >= stop:
                return
            counters[0] = stop
        yield start, stop


def _front_map(function: Callable[[list[Any]], list[Any]], backwards: list[Any], generation: int,
               size: int) -> list[Any]:
    """``function`` of the parts of ``backwards`` this process takes from the front (see :meth:`Worker.map_shared`).

    ``backwards`` is the items in reverse order; each part is given to
    ``function`` in the items' own order (for a function with memos, as in
    this process), and its results are returned in the order of ``backwards``.
    """
    out: list[Any] = []
    for start, stop in front_chunks(generation, len(backwards), size):
        out.extend(reversed(function(backwards[start:stop][::-1])))
    return out


class Share:
    """The first process's side of a range shared with the worker (see :meth:`Worker.share`)."""

    def __init__(self, counters: Any, lock: Any, generation: int) -> None:
        self._counters = counters
        self._lock = lock
        self.generation = generation

    def take_back(self, size: int) -> tuple[int, int] | None:
        """The next part from the back (up to ``size`` items) for this process, or None when none is left."""
        with self._lock:
            stop = self._counters[1]
            start = max(stop - size, self._counters[0])
            if start >= stop:
                return None
            self._counters[1] = start
        return start, stop

    def front(self) -> int:
        """How many items, from the front, the worker has taken (all of them computed once its job answers)."""
        with self._lock:
            return int(self._counters[0])


def _serve(connection: Any, warm: bool, preload: tuple[str, ...] = (), shared: tuple[Any, Any] | None = None,
           parent_end: Any = None) -> None:
    """The worker's loop: load modules, warm up, then run each job it is sent until the pipe closes."""
    import importlib

    global _shared
    _shared = shared

    # Ctrl-C reaches the whole process group; the parent decides what stops,
    # and closing the pipe (or terminating this process) is how it says so.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker has the first process's handlers and end of the pipe: terminating it
    # ends it at once (the CLI's handler raised an exception here, with a traceback), its
    # log records go nowhere (as in a spawned process), and the pipe closes when that
    # process closes its end.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    logging.getLogger().handlers.clear()
    if parent_end is not None:
        parent_end.close()
    with uncollected_imports():
        for module in preload:
            with contextlib.suppress(Exception):  # a job that needs it reports any real problem
                importlib.import_module(module)
    if warm:
        warm_up()
    # Results are written to the pipe by a thread, as jobs are in the first process: that
    # process reads a result only when it needs it, and until then a large one (the claim
    # views' stems) kept this process from starting the next job (issue 19: 0.5 s idle).
    outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    threading.Thread(target=_write_all, args=(connection, outbox), name="briefing-answers", daemon=True).start()
    while True:
        # Like the build in the first process (briefing.pipeline.spared_collector): no
        # automatic collections while a job's arguments are unpickled and it runs, they
        # walked the memoised views and stems again and again and found next to nothing
        # to free (issue 19; unpickling 10,000 claim views took 0.75 s with them, 0.08 s
        # without).
        gc.disable()
        try:
            number, function, args = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[int, bool, Any] = (number, True, function(*args))
        except Exception as exc:
            answer = (number, False, f"{type(exc).__name__}: {exc}")
        finally:
            # What the job kept (the memoised views, words and stems) is left out of later
            # collections, as the first process leaves out what a build keeps: enabled again
            # after a job, the young collections walked all it had made, 0.2 s at 1,000
            # articles (issue 19). Reference counting frees them as usual.
            gc.freeze()
            gc.enable()
        try:
            data = _pickled(answer)
        except Exception as exc:  # the result would not pickle
            data = _pickled((number, False, f"{type(exc).__name__}: {exc}"))
        outbox.put(data)


@contextlib.contextmanager
def uncollected_imports() -> Iterator[None]:
    """Within the block, no automatic collection; on leaving, what it made is left out of later ones.

    For loading modules, whose objects live as long as the process: a full
    collection in the middle of importing SciPy walked every object loaded so
    far, 0.05 s of each process's start-up at every build (issue 19).
    Frozen (``gc.freeze``), they are never walked again; collections resume
    as before.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _pickled(value: Any) -> bytes:
    """``value`` as :meth:`multiprocessing.connection.Connection.send` writes it."""
    from multiprocessing.reduction import ForkingPickler

    return bytes(ForkingPickler.dumps(value))


def _write_all(connection: Any, outbox: queue.SimpleQueue[bytes | None]) -> None:
    """Write each message put in ``outbox`` to ``connection``, in order, until told to stop (None)."""
    while True:
        data = outbox.get()
        if data is None:
            return
        try:
            connection.send_bytes(data)
        except Exception as exc:  # the other process is gone: nothing is waiting for this
            log.debug("pipe closed (%s)", exc)
            return


class Job(Generic[T]):
    """A job sent to the worker; :meth:`result` waits for it."""

    def __init__(self, worker: Worker | None, number: int, function: Callable[..., T], args: tuple[Any, ...]) -> None:
        self._worker = worker
        self._number = number
        self._function = function
        self._args = args

    def result(self) -> T:
        """The job's result; computed here if the worker could not give it."""
        if self._worker is not None:
            ok, value = self._worker._answer(self._number)
            if ok:
                return value  # type: ignore[no-any-return]
            log.debug("worker job %s failed (%s); running it here", self._function.__name__, value)
        return self._function(*self._args)


class Worker:
    """The second process. Use as a context manager; it is stopped at the end.

    ``warm`` loads WeasyPrint and the fonts before the first job (for a
    build that writes a PDF). ``lazy`` starts the process only when the
    first job is sent: a build without a PDF sends none below 64 articles,
    and starting (and stopping) a process it never used cost a 50-article
    ``--format json`` build 0.14 s of its 1.5 (issue 19). ``preload``
    names modules to import first, those whose functions the first jobs
    are: their arguments then unpickle at once. ``start``: the
    multiprocessing start method ("fork" only from a process without threads).
    """

    def __init__(self, *, warm: bool = True, lazy: bool = False, preload: tuple[str, ...] = (),
                 start: str = "spawn") -> None:
        self._warm = warm
        self._preload = preload
        self._start_method = start
        # Counters (front, back, generation) of a range shared with the worker, and their lock.
        self._shared: tuple[Any, Any] | None = None
        self._generation = 0
        self._process: Any = None
        self._connection: Any = None
        # Jobs are written to the pipe by a thread (:meth:`_send_loop`), in the order sent.
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._sender: threading.Thread | None = None
        self._sent = 0
        self._received = 0
        self._answers: dict[int, tuple[bool, Any]] = {}
        self._broken = False
        if not lazy:
            self._start()

    def _start(self) -> None:
        import multiprocessing

        # "spawn" by default: a fresh interpreter, never a fork of a process that may hold
        # threads. "fork" (the CLI, before it loads anything that starts threads): the worker
        # starts without importing anything again, about 0.08 s sooner (issue 19).
        if self._start_method == "fork":
            for stream in (sys.stdout, sys.stderr):  # nothing written twice
                with contextlib.suppress(Exception):
                    stream.flush()
        context: Any = multiprocessing.get_context(self._start_method)
        self._connection, child = context.Pipe()
        try:
            self._shared = (context.RawArray("q", 3), context.Lock())
        except Exception as exc:  # no shared memory to be had: jobs split their work as sent
            log.debug("no shared counters (%s)", exc)
            self._shared = None
        parent_end = self._connection if self._start_method == "fork" else None
        self._process = context.Process(target=_serve, args=(child, self._warm, self._preload, self._shared,
                                                             parent_end),
                                        name="briefing-worker",
                                        daemon=True)
        self._process.start()
        child.close()
        # Jobs are written by a thread (_write_all), not by submit: a large job waits until
        # the worker reads it, which it did only once this process had read the last
        # result; a large result followed by a large job blocked both processes for good
        # (the claim views' stems, then the views' texts).
        self._sender = threading.Thread(target=_write_all, args=(self._connection, self._outbox),
                                        name="briefing-send", daemon=True)
        self._sender.start()

    def submit(self, function: Callable[..., T], *args: Any) -> Job[T]:
        """Send ``function(*args)`` to the worker; ``function`` must be module-level."""
        if self._broken:
            return Job(None, -1, function, args)
        if self._process is None:
            try:
                self._start()
            except Exception as exc:  # no second process to be had: every job runs here
                log.debug("worker unavailable (%s); running %s here", exc, function.__name__)
                self._broken = True
                return Job(None, -1, function, args)
        number = self._sent
        try:
            data = _pickled((number, function, args))
        except Exception as exc:  # arguments that would not pickle
            log.debug("worker unavailable (%s); running %s here", exc, function.__name__)
            self._broken = True
            return Job(None, -1, function, args)
        if self._process is None or not self._process.is_alive():
            log.debug("worker unavailable (it stopped); running %s here", function.__name__)
            self._broken = True
            return Job(None, -1, function, args)
        if 0 < self._received == self._sent:
            # Nothing outstanding, and past its warm-up: the worker is reading, and takes the
            # job at once. Written here, without waking the thread (its writes, a few hundred
            # kB each, each took the GIL back from this process's work; issue 19).
            try:
                self._connection.send_bytes(data)
            except Exception as exc:  # a dead worker
                log.debug("worker unavailable (%s); running %s here", exc, function.__name__)
                self._broken = True
                return Job(None, -1, function, args)
        else:
            self._outbox.put(data)
        self._sent += 1
        return Job(self, number, function, args)

    def share(self, n: int) -> Share | None:
        """Share ``range(n)`` with the worker's next job that reads it (:func:`front_chunks`).

        That job computes parts from the front while this process takes parts
        from the back (:meth:`Share.take_back`) once its own work is done; the
        job's result covers the first :meth:`Share.front` items. Call it
        before submitting the job. None without a running worker or shared
        memory: the job then computes the whole range.
        """
        if self._broken or self._process is None or self._shared is None:
            return None
        counters, lock = self._shared
        self._generation += 1
        with lock:
            counters[0], counters[1], counters[2] = 0, n, self._generation
        return Share(counters, lock, self._generation)

    def map_shared(self, function: Callable[[list[Any]], list[T]], items: Sequence[Any], size: int) -> list[T]:
        """``function(list(items))``, computed by both processes: ``function`` maps each item alone.

        This process takes ``size`` items at a time from the front, the worker
        from the back, until they meet (:meth:`share`): however the work is
        spread, and however late the worker starts, neither waits long for the
        other (issue 19: fixed halves had one idle 0.1-0.3 s per step). The
        worker takes the later items, as with halves (its memos hold their
        words for its later jobs). ``function`` must be module-level.
        """
        return self.start_map_shared(function, items, size)()

    def start_map_shared(self, function: Callable[[list[Any]], list[T]], items: Sequence[Any],
                         size: int) -> Callable[[], list[T]]:
        """:meth:`map_shared` begun: the worker starts at once; calling the result joins in and gives the list.

        For a moment when this process has other work first (issue 19: the
        worker splits the texts into sentences while this process finds the
        articles off the story). Nothing else may be shared until then: a
        range shared meanwhile (:meth:`share`) ends the worker's part, and
        this process computes all that it left.
        """
        n = len(items)
        backwards = list(reversed(items))
        share = self.share(n)
        if share is None:  # nothing shared: halves, as sent
            half = n // 2
            halves = self.submit(function, list(items[half:]))
            return lambda: [*function(list(items[:half])), *halves.result()]
        job = self.submit(_front_map, function, backwards, share.generation, size)

        def finish() -> list[T]:
            if self._generation != share.generation:  # another range shared since: the worker stopped there
                done: list[T] = job.result()  # the results of the last items, from the back
                return [*function(list(items[:n - len(done)])), *reversed(done)]
            mine: list[T] = []
            while (part := share.take_back(size)) is not None:
                start, stop = part  # backwards[start:stop] is items[n - stop:n - start]
                mine.extend(function(list(items[n - stop:n - start])))
            theirs: list[T] = job.result() if share.front() > 0 else []
            # A job run here instead (the worker failed) gives every item's result from the back.
            return [*mine, *reversed(theirs[:n - len(mine)])]

        return finish

    def _answer(self, number: int) -> tuple[bool, Any]:
        """Answers come in the order the jobs were sent; earlier ones are kept."""
        while number not in self._answers:
            if self._broken:
                return False, "the worker stopped"
            try:
                got, ok, value = self._connection.recv()
            except (EOFError, OSError) as exc:
                self._broken = True
                return False, f"the worker stopped ({exc})"
            self._received += 1
            self._answers[got] = (ok, value)
        return self._answers.pop(number)

    def close(self) -> None:
        """Stop the worker at once (it holds nothing that needs cleaning up)."""
        if self._process is None:  # lazy, and never sent a job
            return
        self._outbox.put(None)
        self._process.terminate()
        self._process.join()
        if self._sender is not None:  # a write it was blocked in has failed with the process gone
            self._sender.join(timeout=5)
        self._connection.close()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

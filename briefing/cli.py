"""Command line: a thin click layer over :mod:`briefing.pipeline`.

Results go to files or stdout; progress and warnings go to stderr. Domain
errors become one line and an exit code; every code is in
``briefing.errors.EXIT_CODES`` (printed in the README's "Exit codes"):
0 ok · 1 could not write/render/send · 2 usage or no usable source · 3 partly done ·
5 locked · 130 interrupted (Ctrl-C) · 143 terminated (SIGTERM); neither leaves a partial brief.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import click

from briefing import __version__, settings
from briefing.display import display_text, safe_name
from briefing.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_TERMINATED, BriefingError
from briefing.worker import Worker, uncollected_imports

if TYPE_CHECKING:
    from briefing.fetch import FetchOptions
    from briefing.ingest import RawDocument
    from briefing.mail import MailJob
    from briefing.pipeline import BuildOptions

P = ParamSpec("P")
R = TypeVar("R")


class Reporter:
    """Warnings and progress on stderr; quiet hides progress, never errors."""

    def __init__(self, *, quiet: bool = False, verbose: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        # Names in messages come from files and feeds: no newline or terminal escape gets through.
        message = safe_name(message)
        self.warnings.append(message)
        click.echo(f"warning: {message}", err=True)

    def progress(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn BriefingError into one line on stderr and its exit code."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except BriefingError as exc:
            click.echo(f"error: {safe_name(str(exc))}", err=True)
            sys.exit(exc.exit_code)
        except MemoryError:
            # A limit still hit (issue 14): one line, never a numpy traceback.
            click.echo("error: out of memory; fewer or smaller sources would fit "
                       "(--max-sources limits feed entries); no partial brief was written", err=True)
            sys.exit(EXIT_FAILED)
        except KeyboardInterrupt as exc:
            # Outputs are written atomically, so an interrupted run leaves the old brief as it was.
            _interrupt_caught()
            terminated = isinstance(exc, Terminated)
            click.echo(f"error: {'terminated' if terminated else 'interrupted'}; no partial brief was written",
                       err=True)
            sys.exit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED)

    return wrapper


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every cleanup runs; the exit code is 143 (128 + 15)."""


#: Seconds after SIGTERM or SIGINT at which it is raised once more if the command still runs: long
#: enough for the cleanup of one that got through (closing the second process, removing temporaries).
INTERRUPT_AGAIN_AFTER = 2.0


def _raise_interrupt(signum: int, frame: object) -> None:
    """Raise :class:`Terminated` (SIGTERM) or KeyboardInterrupt (SIGINT); once more shortly, should it be lost.

    A signal's handler runs between any two bytecodes, also inside an object's
    ``__del__`` during a collection (a compiled pattern's, say), where Python
    prints the exception and drops it: the build went on as if never
    signalled (test runs caught it, held where the build waits for the second
    process). SIGALRM raises it once more unless the command's error handler
    has caught one (:func:`_interrupt_caught`).
    """
    import signal

    interrupt = Terminated if signum == signal.SIGTERM else KeyboardInterrupt

    def again(signum: int, frame: object) -> None:
        raise interrupt

    signal.signal(signal.SIGALRM, again)
    signal.setitimer(signal.ITIMER_REAL, INTERRUPT_AGAIN_AFTER)
    raise interrupt


def _quiet_lost_interrupt(unraisable: Any) -> None:
    """An interrupt dropped inside a ``__del__`` is raised again (:func:`_raise_interrupt`): print nothing."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        return
    sys.__unraisablehook__(unraisable)


def _interrupt_caught() -> None:
    """Cancel the second raise: the error handler has the first."""
    import signal

    signal.setitimer(signal.ITIMER_REAL, 0)


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Third-party libraries are chatty at INFO/DEBUG; keep them quiet unless asked.
    for name in ("trafilatura", "htmldate", "fontTools", "weasyprint", "urllib3", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.ERROR)


def _formats(value: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in value.split(",") if part.strip())


quiet_option = click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
verbose_option = click.option("-v", "--verbose", is_flag=True, help="Debug logging on stderr.")


def web_source_options(func: Callable[P, R]) -> Callable[P, R]:
    """Options for URL and feed SOURCES (see docs/sources.md); the command takes ``**web``."""
    options = [
        click.option("--topic", metavar="WORDS", help="Keep only feed entries about these words."),
        click.option("--since", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
                     help="Keep feed entries published on or after this date."),
        click.option("--until", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
                     help="Keep feed entries published on or before this date."),
        click.option("--max-sources", type=click.IntRange(min=1), metavar="N",
                     help="Take at most N articles from feeds (most relevant to --topic first) "
                     f"[default: {settings.MAX_FEED_SOURCES}]."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                     help="Download cache [default: $XDG_CACHE_HOME/briefing]."),
        click.option("--refresh", is_flag=True, help="Download URLs again even when cached."),
        click.option("--max-age", metavar="AGE",
                     help="Download again a cached URL older than AGE (30m, 6h, 2d) "
                     "[default: 1d for feeds, no limit for articles]."),
        click.option("--allow-private", is_flag=True,
                     help="Allow URLs on loopback and private networks (intranets, tests)."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=settings.FETCH_TIMEOUT, show_default=True,
                     help="Seconds to wait for a web server to connect or answer."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def read_sources(sources: tuple[str, ...], reporter: Reporter, **web: Any) -> list[RawDocument]:
    """Files, folders, URLs and feeds as raw documents; fetch progress on stderr."""
    from briefing.errors import NoUsableSourceError
    from briefing.ingest import read_sources as route

    warned = len(reporter.warnings)

    def progress(done: int, total: int, failed: int) -> None:
        reporter.progress(f"fetched {done}/{total} URLs" + (f", {failed} failed" if failed else ""))

    # The download options are made only when a source needs them (local files never
    # load the HTTP code), except that a given --max-age is checked at once.
    fetch = _fetch_options(**web) if web.get("max_age") is not None else functools.partial(_fetch_options, **web)
    raws = route(sources, fetch, topic=web["topic"], since=web["since"].date() if web["since"] else None,
                 until=web["until"].date() if web["until"] else None, max_sources=web["max_sources"],
                 warn=reporter.warn, progress=progress)
    if not raws and len(reporter.warnings) > warned:
        # Say that the named inputs were skipped (the warnings above say why),
        # not that none was given.
        raise NoUsableSourceError.all_skipped(len(sources))
    return raws


known_option = click.option(
    "--known", multiple=True, metavar="SOURCE",
    help="Articles the reader has already seen (repeatable; files, folders, URLs, feeds as for SOURCES): "
    "the brief leads with what they do not say.")


keep_off_topic_option = click.option(
    "--keep-off-topic", is_flag=True,
    help="Keep articles far from the story the others tell (by default they are left out, each named in a "
    "warning; from 6 articles up).")


def read_known(known: tuple[str, ...], reporter: Reporter, **web: Any) -> list[RawDocument]:
    """The ``--known`` articles (none given: none); one that cannot be read is skipped with a warning."""
    if not known:
        return []
    raws = read_sources(known, reporter, **web)
    reporter.progress(f"read {len(raws)} known source{'s' if len(raws) != 1 else ''}")
    return raws


def _fetch_options(**web: Any) -> FetchOptions:
    """The download options of the command's web options (``FetchOptions.for_command``)."""
    from briefing.fetch import FetchOptions, default_cache_dir, parse_max_age

    max_age = parse_max_age(web["max_age"]) if web.get("max_age") is not None else None
    return FetchOptions.for_command(
        float(web["timeout"]), cache_dir=web["cache_dir"] or default_cache_dir(), refresh=web["refresh"],
        allow_private=web["allow_private"],
        **({"feed_max_age": max_age, "article_max_age": max_age} if max_age is not None else {}),
    )


class OneLineErrors(click.Group):
    """Usage errors (a bad --page, a missing argument) as one ``error:`` line, like every other error.

    click would print a usage block and "Error: ..." instead; parsing happens in
    ``make_context`` (the group's own options) and ``invoke`` (the command's).
    """

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            _usage_error(exc)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            _usage_error(exc)


def _usage_error(exc: click.UsageError) -> NoReturn:
    where = f" (see: {exc.ctx.command_path} --help)" if exc.ctx is not None else ""
    click.echo(f"error: {exc.format_message()}{where}", err=True)
    sys.exit(exc.exit_code)


@click.group(cls=OneLineErrors,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="briefing")
def cli() -> None:
    """Briefing: a one-page, cited brief from several news articles about one event.

    Every sentence of a brief is quoted verbatim from an outlet and cited to
    every outlet that reports it.

    \b
    Example:
        briefing build seeds/ --out out/
        briefing summarize seeds/ --words 100
    """


#: From this many files named (folders' files counted), ``build`` starts the second process at once,
#: without WeasyPrint: the pipeline shares reading the articles with it from 64 on
#: (``pipeline.PARALLEL_PREPARE_FROM``, not imported here: importing the pipeline takes 0.4 s).
PARALLEL_FROM_FILES = 64


def _can_fork() -> bool:
    """Whether a worker may be forked here: the platform offers it and this process runs no other thread."""
    import multiprocessing
    import threading

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _names_many_files(sources: tuple[str, ...], enough: int) -> bool:
    """Whether ``sources`` name at least ``enough`` files, a folder's counted (not read) down to ``enough``.

    Only decides when the second process starts (see :func:`build`); a URL,
    feed or standard input counts as one.
    """
    import os

    count = 0

    def walk(folder: str) -> None:
        nonlocal count
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                if count >= enough:
                    return
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path)
                else:
                    count += 1

    for source in sources:
        if count >= enough:
            break
        if os.path.isdir(source):
            walk(source)
        else:
            count += 1
    return count >= enough


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Folder for brief.pdf, brief.html, brief.json, brief.md.")
@click.option("--title", help="Title of the brief (default: the headline closest to the top items).")
@click.option("--date", "date_", metavar="YYYY-MM-DD",
              help="Date of the brief (default: the sources' most common date, else today).")
@click.option("--format", "formats", default=",".join(settings.FORMATS), show_default=True, metavar="LIST",
              help="Comma-separated outputs to write, from: pdf, html, json, md.")
@click.option("--page", type=click.Choice(list(settings.PAGE_SIZES), case_sensitive=False), default=settings.PAGE,
              show_default=True, help="Paper size of the PDF.")
@click.option("--max-items", type=click.IntRange(min=1), default=settings.MAX_ITEMS, show_default=True,
              help="Most items before fitting to one page (lower-ranked ones are dropped to fit).")
@click.option("--json", "as_json", is_flag=True, help="Also print brief.json on stdout.")
@click.option("--email", "emails", multiple=True, metavar="ADDR",
              help="Email the brief to ADDR once written (repeatable; SMTP settings as for send).")
@click.option("--previous", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH/brief.json",
              help='Mark items not in this earlier brief "New" and list the claims it had that this one drops.')
@known_option
@keep_off_topic_option
@web_source_options
@quiet_option
@verbose_option
@handle_errors
def build(sources: tuple[str, ...], out_dir: Path, title: str | None, date_: str | None,
          formats: str, page: str, max_items: int, as_json: bool, emails: tuple[str, ...],
          previous: Path | None, known: tuple[str, ...], keep_off_topic: bool, quiet: bool, verbose: bool,
          **web: Any) -> None:
    """Build a one-page brief from article files, folders or URLs.

    SOURCES are .txt, .md or .html files, or folders of them (read in name
    order), http(s) article URLs, RSS/Atom feeds (URLs or .xml/.rss/.atom
    files), whose entries are fetched (see docs/sources.md), and - for one
    article on standard input. A source that cannot be used is skipped with a
    warning naming it.

    \b
    Example:
        briefing build seeds/ --out out/
        briefing build a.txt b.html --title "Blinken in Beijing" --page letter
        briefing build seeds/ --out out/ --email desk@example.com
        briefing build https://example.com/world/feed.rss --topic "Blinken Beijing"
        briefing build today/ --out out/today --previous out/yesterday/brief.json
        briefing build today/ --known yesterday/ --out out/today
    """
    from briefing.output import check_output_dir

    _configure_logging(verbose)
    check_output_dir(out_dir)  # a file in the way fails now, not after every source was read
    wanted = _formats(formats)
    with contextlib.ExitStack() as stack:
        # The second process starts first: it loads WeasyPrint on the other
        # core while this one loads the language tools (see briefing/worker.py).
        # Without a PDF there is nothing to load: it starts with the first job, if any.
        # Many sources: it starts at once, loading the pipeline's modules; the analysis jobs come
        # first and WeasyPrint is loaded once they are sent (briefing.pipeline; issue 19).
        many = _names_many_files(sources, PARALLEL_FROM_FILES)
        lazy = "pdf" not in wanted and not many
        # Started now, from a process that has loaded nothing that starts threads, it is forked
        # (where the platform can): it needs nothing imported again (issue 19). Started later
        # with its first job (lazy), after NumPy, it is spawned.
        # No collection while the worker starts and the pipeline's modules load (a forked
        # worker loads its own the same way): see uncollected_imports.
        with uncollected_imports():
            if many:
                # Loaded before the fork, the worker has the pipeline's modules without loading
                # them again (each process had spent 0.5 CPU s on them at the same time; its first
                # job comes only once this process has read the articles). NumPy's OpenBLAS has
                # started a thread by then; it stops it before a fork (pthread_atfork).
                import briefing.pipeline  # noqa: F401
            worker = stack.enter_context(Worker(warm="pdf" in wanted and not many, lazy=lazy,
                                                preload=("briefing.pipeline",) if many else (),
                                                start="spawn" if lazy or not _can_fork() else "fork"))
            from briefing.pipeline import BuildOptions

        # The clock starts after the libraries are loaded: the time printed is
        # the work on these sources, not the start-up.
        started = time.perf_counter()
        if date_ is not None:
            from briefing.dates import parse_date

            date_ = parse_date(date_).isoformat()  # YYYY-MM-DD only, not "20230619" or "2023-W25-1"
        if title is not None:
            title = display_text(title) or None  # no bidi override or line break in any output
        options = BuildOptions(title=title, date=date_, max_items=max_items, page=page.lower(), formats=wanted,
                               keep_off_topic=keep_off_topic)
        _build(sources, out_dir, options, started=started, as_json=as_json, emails=emails, previous=previous,
               reporter=Reporter(quiet=quiet, verbose=verbose), worker=worker, web=web, known=known)


def _build(sources: tuple[str, ...], out_dir: Path, options: BuildOptions, *, started: float, as_json: bool,
           emails: tuple[str, ...], previous: Path | None, reporter: Reporter, worker: Worker | None,
           web: dict[str, Any], known: tuple[str, ...] = ()) -> None:
    from briefing.jobs import BriefRequest, build_one
    from briefing.output import write_files

    # Check addresses and SMTP settings before the build, not after it.
    mail_job = _mail_job(to=emails, formats=options.formats) if emails else None
    earlier = None
    if previous is not None:
        from briefing.changes import load_previous

        earlier = load_previous(previous)  # before the build: a bad path fails fast
    raws = read_sources(sources, reporter, **web)
    reporter.progress(f"read {len(raws)} source{'s' if len(raws) != 1 else ''}")
    seen = read_known(known, reporter, **web)
    request = BriefRequest(name=str(out_dir), raws=tuple(raws), options=options, previous=earlier, known=tuple(seen))
    # The one build (briefing.jobs): warnings are printed as they come; errors propagate to handle_errors.
    result = build_one(request, worker=worker, warn=reporter.warn, catch=False)
    final = result.brief
    if final is None:  # catch=False: a failed build raised instead
        raise BriefingError(result.error or "the brief could not be built")
    from briefing.stories import mixed_warning

    mixed = mixed_warning(final.sources)  # issue 17: a mixed folder is named, not briefed silently
    if mixed is not None:
        reporter.warn(mixed)
    paths = write_files(out_dir, result.files)
    elapsed = time.perf_counter() - started
    reporter.progress(
        f"brief: {len(final.items)} items from {len(final.sources)} source{'s' if len(final.sources) != 1 else ''}"
        f" ({len(final.omitted)} left out to fit one page) in {elapsed:.2f} s"
    )
    for path in paths:
        reporter.progress(f"wrote {path}")
    if as_json:
        from briefing.output import brief_json

        click.echo(brief_json(final), nl=False)
    if mail_job is not None:
        _run_mail_job(mail_job, out_dir, reporter, built=True)


def parallel_options(func: Callable[P, R]) -> Callable[P, R]:
    """``--jobs`` and ``--scheduler`` (see docs/stories.md); the command takes ``jobs`` and ``scheduler``."""
    func = click.option("--scheduler", metavar="ADDRESS",
                        help="Build on the Dask cluster at ADDRESS (tcp://host:8786) instead of here.")(func)
    return click.option("-j", "--jobs", type=click.IntRange(min=1), default=settings.JOBS, show_default=True,
                        help="Build this many briefs at once, each in its own process.")(func)


@cli.command(short_help="Group mixed articles into stories and brief each one.")
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for index.html, index.json and one folder per story.")
@click.option("--min-sources", type=click.IntRange(min=1), default=settings.MIN_SOURCES, show_default=True,
              help="Brief only stories with at least this many independent outlets.")
@click.option("--page", type=click.Choice(list(settings.PAGE_SIZES), case_sensitive=False), default=settings.PAGE,
              show_default=True, help="Paper size of each PDF.")
@click.option("--max-items", type=click.IntRange(min=1), default=settings.MAX_ITEMS, show_default=True,
              help="Most items of each brief before fitting to one page.")
@parallel_options
@web_source_options
@quiet_option
@verbose_option
@handle_errors
def stories(sources: tuple[str, ...], out_dir: Path, min_sources: int, page: str, max_items: int, jobs: int,
            scheduler: str | None, quiet: bool, verbose: bool, **web: Any) -> None:
    """Group articles about many events into stories and write one brief per story.

    Articles about the same event (even days apart) form one story; each
    story with at least --min-sources independent outlets gets a brief in
    OUT/<story-slug>/, and OUT/index.html and OUT/index.json list them, most
    outlets first, with title, bottom line, outlet count and dates. SOURCES
    are as for `briefing build`. See docs/stories.md.

    \b
    Example:
        briefing stories today/ --out out/stories
        briefing stories https://example.com/world/feed.rss --out out/stories --jobs 2
        briefing stories today/ --out out/stories --scheduler tcp://10.0.0.5:8786
    """
    from briefing.output import check_output_dir
    from briefing.pipeline import BuildOptions
    from briefing.stories import run_stories

    _configure_logging(verbose)
    check_output_dir(out_dir)
    reporter = Reporter(quiet=quiet, verbose=verbose)
    started = time.perf_counter()
    raws = read_sources(sources, reporter, **web)
    reporter.progress(f"read {len(raws)} source{'s' if len(raws) != 1 else ''}")
    report = run_stories(raws, out_dir, options=BuildOptions(max_items=max_items, page=page.lower()),
                         min_sources=min_sources, jobs=jobs, scheduler=scheduler, warn=reporter.warn,
                         progress=reporter.progress)
    for rank, story in enumerate(report.stories, start=1):
        reporter.progress(f"{rank}. {story.title} ({story.outlets} outlets) → {out_dir / story.slug}")
    reporter.progress(f"{len(report.stories)} stories briefed of {report.groups} groups in "
                      f"{time.perf_counter() - started:.1f} s → {out_dir / 'index.html'}")


@cli.command(short_help="Print the brief's ranked sentences, best first (no headings).")
@click.argument("sources", nargs=-1, required=True)
@click.option("-w", "--words", type=click.IntRange(min=1), default=settings.SUMMARY_WORDS, show_default=True,
              help="Word budget; the last sentence is cut to fit.")
@known_option
@keep_off_topic_option
@web_source_options
@quiet_option
@verbose_option
@handle_errors
def summarize(sources: tuple[str, ...], words: int, known: tuple[str, ...], keep_off_topic: bool, quiet: bool,
              verbose: bool, **web: Any) -> None:
    """Print the selected sentences, best first, one per line, cut to --words.

    No headings or citations: this is the ranking the brief uses, in a form a
    summarisation benchmark can score.

    \b
    Example:
        briefing summarize seeds/ --words 100
        briefing summarize today/ --known yesterday/ --words 100
    """
    from briefing.jobs import BriefRequest, build_one
    from briefing.pipeline import BuildOptions

    _configure_logging(verbose)
    reporter = Reporter(quiet=quiet, verbose=verbose)
    raws = read_sources(sources, reporter, **web)
    seen = read_known(known, reporter, **web)
    request = BriefRequest(name="summary", raws=tuple(raws), known=tuple(seen), product="summary", words=words,
                           options=BuildOptions(keep_off_topic=keep_off_topic))
    for sentence in build_one(request, warn=reporter.warn, catch=False).summary:
        click.echo(sentence)


@cli.command()
@click.argument("brief_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--to", "to", multiple=True, required=True, metavar="ADDR",
              help="Recipient (repeatable).")
@click.option("--cc", multiple=True, metavar="ADDR", help="Copy recipient (repeatable).")
@click.option("--subject", help='Subject (default: "<title> — <date>").')
@click.option("--from", "sender", metavar="ADDR",
              help="From address (default: $BRIEFING_MAIL_FROM).")
@click.option("--dry-run", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH.eml",
              help="Write the message to PATH.eml instead of sending it.")
@quiet_option
@verbose_option
@handle_errors
def send(brief_dir: Path, to: tuple[str, ...], cc: tuple[str, ...], subject: str | None,
         sender: str | None, dry_run: Path | None, quiet: bool, verbose: bool) -> None:
    """Email a built brief: HTML and text body, the PDF attached.

    BRIEF_DIR holds brief.json and brief.pdf (from `briefing build`).
    SMTP settings come from BRIEFING_SMTP_HOST, _PORT, _SECURITY
    (starttls|tls|none), _USER, _PASSWORD, _TIMEOUT, _CAFILE and
    BRIEFING_MAIL_FROM (see docs/email.md). Exit 0 sent, 1 not delivered,
    2 bad request (nothing sent), 3 some recipients refused.

    \b
    Example:
        export BRIEFING_SMTP_HOST=smtp.example.com BRIEFING_SMTP_USER=brief
        export BRIEFING_SMTP_PASSWORD=... BRIEFING_MAIL_FROM=brief@example.com
        briefing send out/ --to desk@example.com --cc chief@example.com
        briefing send out/ --to desk@example.com --dry-run out/brief.eml
    """
    _configure_logging(verbose)
    reporter = Reporter(quiet=quiet, verbose=verbose)
    job = _mail_job(to=to, cc=cc, subject=subject, sender=sender, dry_run=dry_run)
    _run_mail_job(job, brief_dir, reporter)


@cli.command(short_help="Build and email today's brief for every topic of a config.")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              envvar="BRIEFING_CONFIG", metavar="FILE",
              help="The TOML config (docs/config.md) [env: BRIEFING_CONFIG; default: ./briefing.toml].")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="Date of the run [default: today].")
@click.option("-o", "--out", "out_root", type=click.Path(file_okay=False, path_type=Path),
              help="Output root instead of the config's output_root.")
@click.option("--only", multiple=True, metavar="SLUG", help="Run only this topic (repeatable); others are skipped.")
@click.option("--resend", is_flag=True, help="Email every recipient again, even those who already got today's brief.")
@click.option("--no-email", is_flag=True, help="Write the briefs but send nothing.")
@click.option("--refresh", is_flag=True, help="Download URLs and feeds again instead of using this date's cache.")
@click.option("--json", "as_json", is_flag=True, help="Print run.json on stdout (and nothing else).")
@parallel_options
@quiet_option
@verbose_option
@handle_errors
def daily(config_path: Path | None, date_: str | None, out_root: Path | None, only: tuple[str, ...], resend: bool,
          no_email: bool, refresh: bool, as_json: bool, jobs: int, scheduler: str | None, quiet: bool,
          verbose: bool) -> None:
    """Build today's brief for every topic of a config, and email each once.

    Writes OUT/YYYY-MM-DD/<topic>/brief.{pdf,html,json,md} and OUT/YYYY-MM-DD/run.json,
    marks items that are new since the last brief of the same topic (up to 7 days
    back) and lists the claims it no longer has. A rerun for the same date gives
    identical briefs and sends no email twice (unless --resend). See docs/daily.md.
    Exit 0 all topics ok, 3 some failed, 1 none ok, 2 bad config or usage,
    5 another run for the date is in progress.

    \b
    Example:
        briefing daily --config briefing.toml
        briefing daily --config briefing.toml --date 2023-06-19 --only china-us --resend
        briefing daily --config briefing.toml --no-email --json | jq '.topics[].status'
        briefing daily --config briefing.toml --jobs 2
        briefing daily --config briefing.toml --scheduler tcp://10.0.0.5:8786
    """

    from briefing.config import load_config
    from briefing.daily import run_daily
    from briefing.dates import parse_date

    _configure_logging(verbose)
    reporter = Reporter(quiet=quiet, verbose=verbose)
    date = parse_date(date_) if date_ is not None else dt.date.today()
    loaded = load_config(_default_config(config_path))
    report = run_daily(loaded, date=date, resend=resend, reporter=reporter, output_root=out_root,
                       only=only, send_email=not no_email, refresh=refresh, jobs=jobs, scheduler=scheduler)
    if as_json:
        click.echo(report.to_json(), nl=False)
    if report.exit_code:
        sys.exit(report.exit_code)


@cli.group()
def config() -> None:
    """Check a daily-run config file.

    \b
    Example:
        briefing config check briefing.toml
    """


@config.command("check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=Path("briefing.toml"),
                metavar="[FILE]")
@click.option("--date", "date_", metavar="YYYY-MM-DD",
              help="Date of the run whose {date} paths to check [default: today].")
@handle_errors
def config_check(path: Path, date_: str | None) -> None:
    """Validate a config file and print one line per topic.

    A config that is wrong gives one line naming the file and the key, and exit 2.
    A valid one may still get warnings (exit 0): a local source that does not
    exist for the run's date, hosts and recipients left at example.com.
    FILE defaults to ./briefing.toml.

    \b
    Example:
        briefing config check briefing.toml
        briefing config check briefing.toml --date 2023-06-19
    """

    from briefing.config import check_config, describe, load_config
    from briefing.dates import parse_date

    loaded = load_config(path)
    date = parse_date(date_) if date_ is not None else dt.date.today()
    for line in describe(loaded):
        click.echo(line)
    warnings = check_config(loaded, date=date)
    for warning in warnings:
        click.echo(f"warning: {path}: {warning}", err=True)
    verdict = f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} to fix" if warnings else "ok"
    click.echo(f"{path}: {verdict}, {len(loaded.topics)} topic{'s' if len(loaded.topics) != 1 else ''},"
               f" output under {loaded.output_root}")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=Path("briefing.toml"), metavar="[PATH]")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@handle_errors
def init(path: Path, force: bool) -> None:
    """Write a commented example config for `briefing daily`.

    PATH defaults to ./briefing.toml; an existing file is kept unless --force.

    \b
    Example:
        briefing init
        briefing init /etc/briefing/briefing.toml --force
    """
    from briefing.config import write_example

    written = write_example(path, force=force)
    click.echo(f"wrote {written}; edit it, then run: briefing config check {written}", err=True)


def _default_config(given: Path | None) -> Path:
    """--config, else ./briefing.toml (what `briefing init` writes) when it exists."""
    from briefing.errors import UsageError

    if given is not None:
        return given
    if not DEFAULT_CONFIG.is_file():
        raise UsageError(f"no config: give --config FILE, or write ./{DEFAULT_CONFIG} with `briefing init`")
    return DEFAULT_CONFIG


DEFAULT_CONFIG = Path("briefing.toml")


def _mail_job(*, formats: tuple[str, ...] = (), **options: Any) -> MailJob:
    """A validated :class:`briefing.mail.MailJob`; settings from the environment."""
    import os

    from briefing.errors import MailError
    from briefing.mail import MailJob

    missing = [f for f in ("json", "pdf") if formats and f not in formats]
    if missing:
        raise MailError(f"--email needs --format to include {', '.join(missing)}", exit_code=2)
    return MailJob.from_options(environ=os.environ, **options)


def _run_mail_job(job: MailJob, brief_dir: Path, reporter: Reporter, *, built: bool = False) -> None:
    """Send (or save) the email; refused recipients are warnings and exit code 3."""
    import os

    from briefing.errors import EXIT_PARTIAL, DeliveryUnknownError, MailError

    try:
        report = job.run(brief_dir, environ=os.environ)
    except MailError as exc:
        if not built:
            raise
        # The brief is on disk; say so, so nobody rebuilds just to resend.
        emailed = "perhaps emailed" if isinstance(exc, DeliveryUnknownError) else "not emailed"
        raise MailError(f"{exc} (the brief in {brief_dir} was written but {emailed})",
                        exit_code=exc.exit_code) from None
    if report.saved_to is not None:
        reporter.progress(f"wrote {report.saved_to} (not sent)")
        return
    reporter.progress(f"sent {report.message_id} via {report.server} to {', '.join(report.accepted)}")
    for refused in report.refused:
        reporter.warn(f"not delivered to {refused}")
    if report.refused:
        sys.exit(EXIT_PARTIAL)


def main() -> None:
    import atexit
    import gc
    import signal

    # SIGTERM's default kills at once, leaving temporaries; as an exception it unwinds. SIGINT raises
    # KeyboardInterrupt as ever (unless ignored, as under nohup), with the same second chance.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _raise_interrupt)
    sys.unraisablehook = _quiet_lost_interrupt
    # Once a command is done, the interpreter's last collections at exit walked every object
    # it left (the memoised words, stems and claims of every sentence): 1.3 s of a 1,000-article
    # build, 0.1 s of a 50-article one (issue 19). Frozen, they are freed by reference counting
    # alone; atexit handlers (temporary files) run as before, the outputs are already written.
    atexit.register(gc.freeze)
    try:
        cli(prog_name="briefing")
    except SystemExit as done:
        if _is_the_program():
            _leave(done.code)
        raise


def _is_the_program() -> bool:
    """Is this process the ``briefing`` command itself (its console script, or ``python -m briefing``)?

    Not a script or test that calls :func:`main` and goes on (``python -c``, a
    file of its own): only the command may leave without unwinding its caller.
    """
    program = sys.modules.get("__main__")
    path = getattr(program, "__file__", None)
    if path is None or getattr(program, "main", None) is not main:
        return False
    return Path(path).stem in ("briefing", "briefing-script") or Path(path) == Path(__file__).with_name("__main__.py")


def _leave(code: object) -> NoReturn:
    """Exit with ``code`` as the interpreter would, skipping its teardown.

    The exit handlers run (logging, temporary files, child processes) and
    the standard streams are flushed; then the process ends without freeing
    the build's objects one by one and clearing every module, which cost a
    50-article build 0.16 s of its 1.4 and grows with the articles (issue 19).
    The outputs are written and closed before this point.
    """
    import atexit
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # as the interpreter does with a message
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    main()

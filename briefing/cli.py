"""Command line: a thin click layer over :mod:`briefing.pipeline`.

Results go to files or stdout; progress and warnings go to stderr. Domain
errors become one line and an exit code (see docs/cli.md):
0 ok · 1 could not write/render/send · 2 usage or no usable source.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click

from briefing import __version__
from briefing.errors import BriefingError

P = ParamSpec("P")
R = TypeVar("R")


class Reporter:
    """Warnings and progress on stderr; quiet hides progress, never errors."""

    def __init__(self, *, quiet: bool = False, verbose: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
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
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("error: interrupted; no partial brief was written", err=True)
            sys.exit(130)

    return wrapper


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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Folder for brief.pdf, brief.html, brief.json, brief.md.")
@click.option("--title", help="Title of the brief (default: the headline closest to the top items).")
@click.option("--date", "date_", metavar="YYYY-MM-DD",
              help="Date of the brief (default: the sources' most common date, else today).")
@click.option("--format", "formats", default="pdf,html,json,md", show_default=True,
              help="Comma-separated outputs to write.")
@click.option("--page", type=click.Choice(["a4", "letter"], case_sensitive=False), default="a4",
              show_default=True, help="Paper size of the PDF.")
@click.option("--max-items", type=click.IntRange(min=1), default=16, show_default=True,
              help="Most items before fitting to one page (lower-ranked ones are dropped to fit).")
@click.option("--json", "as_json", is_flag=True, help="Also print brief.json on stdout.")
@quiet_option
@verbose_option
@handle_errors
def build(sources: tuple[str, ...], out_dir: Path, title: str | None, date_: str | None,
          formats: str, page: str, max_items: int, as_json: bool, quiet: bool, verbose: bool) -> None:
    """Build a one-page brief from article files, folders or URLs.

    SOURCES are .txt, .md or .html files, or folders of them (read in name
    order). A source that cannot be used is skipped with a warning naming it.

    \b
    Example:
        briefing build seeds/ --out out/
        briefing build a.txt b.html --title "Blinken in Beijing" --page letter
    """
    from briefing.pipeline import BuildOptions, build_brief, read_inputs, write_brief

    _configure_logging(verbose)
    reporter = Reporter(quiet=quiet, verbose=verbose)
    started = time.perf_counter()
    options = BuildOptions(title=title, date=date_, max_items=max_items, page=page.lower(),
                           formats=_formats(formats))
    raws = read_inputs(sources, warn=reporter.warn)
    reporter.progress(f"read {len(raws)} file{'s' if len(raws) != 1 else ''}")
    brief = build_brief(raws, options, warn=reporter.warn)
    final, paths = write_brief(brief, out_dir, options)
    elapsed = time.perf_counter() - started
    reporter.progress(
        f"brief: {len(final.items)} items from {len(final.sources)} sources"
        f" ({len(final.omitted)} left out to fit one page) in {elapsed:.2f} s"
    )
    for path in paths:
        reporter.progress(f"wrote {path}")
    if as_json:
        from briefing.output import brief_json

        click.echo(brief_json(final), nl=False)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("-w", "--words", type=click.IntRange(min=1), default=250, show_default=True,
              help="Word budget; the last sentence is cut to fit.")
@quiet_option
@verbose_option
@handle_errors
def summarize(sources: tuple[str, ...], words: int, quiet: bool, verbose: bool) -> None:
    """Print the selected sentences, best first, one per line, cut to --words.

    No headings or citations: this is the ranking the brief uses, in a form a
    summarisation benchmark can score.

    \b
    Example:
        briefing summarize seeds/ --words 100
    """
    from briefing.pipeline import read_inputs
    from briefing.pipeline import summarize as run_summarize

    _configure_logging(verbose)
    reporter = Reporter(quiet=quiet, verbose=verbose)
    raws = read_inputs(sources, warn=reporter.warn)
    for sentence in run_summarize(raws, words=words, warn=reporter.warn):
        click.echo(sentence)


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def main() -> None:
    cli(prog_name="briefing")


if __name__ == "__main__":  # pragma: no cover
    main()

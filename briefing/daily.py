"""Daily runs: every topic of a config, dated outputs, what changed, each email sent once.

``run_daily(config, date=...)`` writes, under the config's output root::

    OUT/YYYY-MM-DD/run.json              what happened to each topic (rewritten by each run)
    OUT/YYYY-MM-DD/.lock                 held while a run for that date is going on
    OUT/YYYY-MM-DD/.cache/               downloads of this date (reruns reuse them)
    OUT/YYYY-MM-DD/<slug>/brief.{pdf,html,json,md}
    OUT/YYYY-MM-DD/<slug>/sent.json      who got the email, with its Message-ID

Topics run one after another, or ``jobs`` at a time in a process pool, or on
a Dask cluster (``scheduler``): each brief is one :mod:`briefing.jobs` job,
and the files are written here in topic order, so every way gives the same
bytes. One that fails (no usable source, a refused email) is reported and
the others go on. The same inputs give byte-identical
briefs, and a topic's email goes to each recipient once per date unless
``resend``. See docs/daily.md.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from briefing.changes import PreviousBrief, find_previous, load_previous
from briefing.config import Config, Topic
from briefing.display import safe_name
from briefing.errors import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    BriefingError,
    DeliveryUnknownError,
    LockedError,
    MailError,
    NoUsableSourceError,
    OutputError,
    PreviousBriefError,
    UsageError,
)
from briefing.fetch import FetchOptions
from briefing.ingest import RawDocument, read_sources
from briefing.jobs import BriefRequest, BriefResult, build_one, run_jobs
from briefing.mail import MailJob, SendReport, SmtpSettings
from briefing.model import Brief
from briefing.output import write_files
from briefing.pipeline import BuildOptions

log = logging.getLogger(__name__)

#: run.json's exit codes (the table is in briefing/errors.py): none ok, some failed.
EXIT_NONE_OK = EXIT_FAILED
EXIT_SOME_FAILED = EXIT_PARTIAL

RUN_FILE = "run.json"
SENT_FILE = "sent.json"
#: The articles of a topic's brief, kept for the next day's run as known articles (issue 16).
SOURCES_FILE = "sources.jsonl"
LOCK_FILE = ".lock"
CACHE_DIR = ".cache"

OK, FAILED, SKIPPED = "ok", "failed", "skipped"
#: An email whose outcome is unknown (sent, never confirmed): not resent without --resend.
UNKNOWN = "unknown"


class Reporter(Protocol):
    """Where progress and warnings go (``briefing.cli.Reporter`` prints them on stderr)."""

    def warn(self, message: str) -> None: ...

    def progress(self, message: str) -> None: ...


class _Silent:
    def warn(self, message: str) -> None:
        log.warning("%s", message)

    def progress(self, message: str) -> None:
        log.info("%s", message)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class EmailOutcome:
    """What happened to a topic's email in this run."""

    #: "sent", "partial" (some refused), "already sent", "failed" or "off" (``send_email=False``).
    status: str
    to: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    message_id: str | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status, "to": list(self.to), "accepted": list(self.accepted),
            "refused": list(self.refused), "message_id": self.message_id, "error": self.error,
        }


@dataclass(frozen=True)
class TopicResult:
    """One topic of a run, as recorded in run.json."""

    slug: str
    status: str
    title: str | None = None
    error: str | None = None
    #: Raw documents read (files, and feed articles downloaded), and those the brief used.
    read: int = 0
    used: int = 0
    #: ``(source, reason)`` for every source skipped, from the one-line warnings.
    skipped: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()
    items: int = 0
    omitted: int = 0
    changes: Mapping[str, object] | None = None
    email: EmailOutcome | None = None
    seconds: Mapping[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "status": self.status,
            "error": self.error,
            "dir": self.slug if self.status != SKIPPED else None,
            "sources": {
                "read": self.read, "used": self.used,
                "skipped": [{"source": s, "reason": r} for s, r in self.skipped],
            },
            "warnings": list(self.warnings),
            "items": self.items,
            "omitted": self.omitted,
            "changes": dict(self.changes) if self.changes is not None else None,
            "email": self.email.to_dict() if self.email is not None else None,
            "seconds": dict(self.seconds),
        }


@dataclass(frozen=True)
class RunReport:
    """A whole run: its date, where it wrote, and each topic's result."""

    date: dt.date
    config: Path
    directory: Path
    topics: tuple[TopicResult, ...]
    seconds: float = 0.0
    #: Why the run stopped before every topic ran (interrupted, terminated, a crash).
    error: str | None = None

    @property
    def exit_code(self) -> int:
        """0 every topic run is ok, 3 some failed, 1 none is ok (skipped topics do not count)."""
        if self.error is not None:
            return EXIT_NONE_OK
        ran = [t for t in self.topics if t.status != SKIPPED]
        ok = sum(1 for t in ran if t.status == OK)
        if ok == len(ran):
            return EXIT_OK
        return EXIT_NONE_OK if ok == 0 else EXIT_SOME_FAILED

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "config": str(self.config),
            "output": str(self.directory),
            "status": {EXIT_OK: OK, EXIT_SOME_FAILED: "partial"}.get(self.exit_code, FAILED),
            "exit_code": self.exit_code,
            "topics": [t.to_dict() for t in self.topics],
            "seconds": round(self.seconds, 3),
            # Only for a run that stopped early, so complete runs keep their keys.
            **({"error": self.error} if self.error is not None else {}),
        }

    def to_json(self) -> str:
        """run.json's text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------------------ lock


@contextmanager
def run_lock(day_dir: Path, date: dt.date) -> Iterator[None]:
    """Hold ``day_dir/.lock`` (an OS file lock, released even if the process dies).

    Raises :class:`LockedError` at once if another run holds it: waiting would
    only make the second run redo the first one's work.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(day_dir / LOCK_FILE), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise LockedError(
            f"locked: another run for {date.isoformat()} is in progress ({day_dir / LOCK_FILE})"
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot lock {day_dir / LOCK_FILE}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


# -------------------------------------------------------------------------- sent.json


def read_sent(topic_dir: Path, warn: Callable[[str], None]) -> dict[str, Any]:
    """The topic's sent.json, or an empty record (a broken one is reported, then ignored)."""
    path = topic_dir / SENT_FILE
    try:
        data = json.loads(path.read_text("utf-8"))
        if isinstance(data, dict) and isinstance(data.get("delivered"), list) and isinstance(data.get("sends"), list):
            return data
        warn(f"{path} is not a sent record; treating the brief as not yet emailed")
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        warn(f"cannot read {path} ({exc}); treating the brief as not yet emailed")
    return {"delivered": [], "sends": []}


def _restore_sent(topic_dir: Path, sent: dict[str, Any]) -> None:
    """Put sent.json back as it was before this run's attempt (the send is known to have failed)."""
    if not sent.get("delivered") and not sent.get("sends") and "attempt" not in sent:
        (topic_dir / SENT_FILE).unlink(missing_ok=True)
        return
    write_files(topic_dir, {SENT_FILE: (json.dumps(sent, ensure_ascii=False, indent=2) + "\n").encode()})


def _record_send(topic_dir: Path, sent: dict[str, Any], report: SendReport, to: Sequence[str]) -> None:
    """Add one delivery to sent.json (atomically), so a rerun knows who already has the brief."""
    brief_json = (topic_dir / "brief.json").read_bytes()
    delivered = list(dict.fromkeys([*sent["delivered"], *report.accepted]))
    record = {
        "delivered": delivered,
        "sends": [
            *sent.get("sends", []),
            {
                "message_id": report.message_id,
                "server": report.server,
                "to": list(to),
                "accepted": list(report.accepted),
                "refused": [str(r) for r in report.refused],
                "at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                "brief_sha256": hashlib.sha256(brief_json).hexdigest(),
            },
        ],
    }
    write_files(topic_dir, {SENT_FILE: (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode()})


# -------------------------------------------------------------------------- one topic


class _TopicLog:
    """Collects a topic's warnings (for run.json) and forwards them, prefixed, to the reporter."""

    def __init__(self, slug: str, reporter: Reporter) -> None:
        self.slug = slug
        self.reporter = reporter
        self.skipped: list[tuple[str, str]] = []
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        # A name that is not UTF-8 could not even be written into run.json (issue 14).
        message = safe_name(message)
        # SourceError's text is "skipped <where>: <reason>"; keep the two apart for run.json.
        where, sep, reason = message.removeprefix("skipped ").partition(": ")
        if message.startswith("skipped ") and sep:
            self.skipped.append((where, reason))
        else:
            self.warnings.append(message)
        self.reporter.warn(f"{self.slug}: {message}")


def _fetch_options(config: Config, day_dir: Path, date: dt.date, refresh: bool) -> FetchOptions:
    cache_root = config.fetch.cache_dir
    return FetchOptions.for_command(
        config.fetch.timeout,
        # One cache per date: a rerun reads the very bytes of the first run (identical
        # briefs), and the next day downloads feeds afresh instead of reusing yesterday's.
        cache_dir=(cache_root / date.isoformat()) if cache_root else day_dir / CACHE_DIR,
        refresh=refresh, allow_private=config.fetch.allow_private,
        # The cache is per date already: a rerun of a past date, even days later,
        # must read the feeds that date saw (identical briefs), not expire them.
        feed_max_age=None,
    )


def _read(
    topic: Topic, date: dt.date, fetch_options: FetchOptions, warn: Callable[[str], None]
) -> list[RawDocument]:
    since, until = topic.feed_window(date)
    raws = read_sources(
        topic.sources_for(date), fetch_options, topic=topic.topic, since=since, until=until,
        max_sources=topic.max_sources, warn=warn,
    )
    if not raws:
        raise NoUsableSourceError("no usable source: no article could be read from the sources")
    return raws


def _request(config: Config, topic: Topic, raws: Sequence[RawDocument], date: dt.date,
             previous: PreviousBrief | None, known: Sequence[RawDocument] = ()) -> BriefRequest:
    """The topic's brief as a job: its sources, options, the config's section cues, the earlier brief
    and the articles the reader saw with it."""
    options = BuildOptions(title=topic.title, date=date.isoformat(), max_items=topic.max_items, page=topic.page,
                           sections=config.sections)
    return BriefRequest(name=topic.slug, raws=tuple(raws), options=options, previous=previous, known=tuple(known))


def save_sources(topic_dir: Path, raws: Sequence[RawDocument]) -> None:
    """Keep the articles a brief was built from (``sources.jsonl``): the next day's known articles."""
    lines = [
        json.dumps({"data": base64.b64encode(raw.data).decode("ascii"), "path": raw.path, "url": raw.url,
                    "content_type": raw.content_type, "title": raw.title, "published": raw.published},
                   sort_keys=True)
        for raw in raws
    ]
    topic_dir.mkdir(parents=True, exist_ok=True)
    temporary = topic_dir / f".{SOURCES_FILE}.tmp"
    temporary.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    temporary.replace(topic_dir / SOURCES_FILE)


def load_known(path: Path, warn: Callable[[str], None]) -> list[RawDocument]:
    """The articles saved with an earlier brief (``sources.jsonl``); a damaged file is named and skipped."""
    if not path.is_file():
        return []
    try:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [RawDocument(data=base64.b64decode(row["data"], validate=True), path=row.get("path"),
                            url=row.get("url"), content_type=row.get("content_type"), title=row.get("title"),
                            published=row.get("published")) for row in rows]
    except (OSError, ValueError, KeyError, TypeError, binascii.Error) as exc:
        warn(f"{path}: cannot read the earlier articles ({type(exc).__name__}); not leading with what is new")
        return []


def _previous(root: Path, topic: Topic, date: dt.date, warn: Callable[[str], None]) -> PreviousBrief | None:
    path = find_previous(root, topic.slug, date)
    if path is None:
        return None
    try:
        return load_previous(path)
    except PreviousBriefError as exc:
        warn(f"{exc}; not marking what changed")
        return None


def _email(
    topic: Topic, topic_dir: Path, job: MailJob | None, *, resend: bool,
    environ: Mapping[str, str], topic_log: _TopicLog,
) -> EmailOutcome | None:
    if not topic.recipients:
        return None
    if job is None:
        return EmailOutcome("off", to=topic.recipients)
    sent = read_sent(topic_dir, topic_log.warn)
    delivered = {address.lower() for address in sent["delivered"]}
    # Partial sends and recipients added later get the brief; nobody gets it twice.
    pending = topic.recipients if resend else tuple(r for r in topic.recipients if r.lower() not in delivered)
    if not pending:
        last = sent["sends"][-1]["message_id"] if sent.get("sends") else None
        return EmailOutcome("already sent", to=topic.recipients, accepted=topic.recipients, message_id=last)
    attempt = sent.get("attempt")
    if isinstance(attempt, dict) and not resend:
        # An earlier send got no answer after the message went out (a timeout, a
        # killed run): it may have arrived. Sending again could deliver it twice.
        return EmailOutcome(
            UNKNOWN, to=tuple(attempt.get("to") or pending), message_id=attempt.get("message_id"),
            error=f"an earlier attempt ({attempt.get('message_id')}, {attempt.get('at')}) got no answer and may"
            " have been delivered; not sent again (--resend sends it)",
        )

    recorded: list[str] = []

    def record_attempt(message_id: str, recipients: Sequence[str]) -> None:
        # Written before DATA: if the answer never comes, or the run is killed, a rerun knows.
        recorded.append(message_id)
        record = {**sent, "attempt": {
            "message_id": message_id, "to": list(recipients),
            "at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        }}
        write_files(topic_dir, {SENT_FILE: (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode()})

    try:
        report = replace(job, to=pending).run(topic_dir, environ=environ, before_data=record_attempt)
    except DeliveryUnknownError as exc:
        return EmailOutcome(UNKNOWN, to=pending, error=str(exc))
    except MailError as exc:
        if recorded:  # refused for sure after all: put sent.json back as it was
            _restore_sent(topic_dir, sent)
        return EmailOutcome(FAILED, to=pending, error=str(exc))
    except Exception as exc:  # a surprise in one topic's email must not stop the other topics
        log.debug("email for %s failed", topic.slug, exc_info=True)
        if recorded:
            _restore_sent(topic_dir, sent)
        return EmailOutcome(FAILED, to=pending, error=f"unexpected {type(exc).__name__}")
    try:
        _record_send(topic_dir, sent, report, pending)
    except (OSError, BriefingError) as exc:
        topic_log.warn(f"sent, but cannot record it in {topic_dir / SENT_FILE} ({exc}); a rerun would send again")
    refused = tuple(str(r) for r in report.refused)
    return EmailOutcome(
        "partial" if refused else "sent", to=pending, accepted=report.accepted, refused=refused,
        message_id=report.message_id, error=f"not delivered to {', '.join(refused)}" if refused else None,
    )


class _Prepared:
    """A topic read and ready to build (``request``), or why it cannot be (``error``)."""

    def __init__(self, topic: Topic, reporter: Reporter) -> None:
        self.topic = topic
        self.log = _TopicLog(topic.slug, reporter)
        self.started = time.perf_counter()
        self.marks: dict[str, float] = {}
        self.read = 0
        self.request: BriefRequest | None = None
        self.error: str | None = None


def _prepare(config: Config, topic: Topic, *, date: dt.date, root: Path, fetch_options: FetchOptions,
             reporter: Reporter) -> _Prepared:
    """Read the topic's sources (downloads happen here, never in a job) and make its job."""
    prepared = _Prepared(topic, reporter)
    try:
        raws = _read(topic, date, fetch_options, prepared.log.warn)
        prepared.read = len(raws)
        earlier = find_previous(root, topic.slug, date)
        known = load_known(earlier.parent / SOURCES_FILE, prepared.log.warn) if earlier is not None else []
        prepared.request = _request(config, topic, raws, date, _previous(root, topic, date, prepared.log.warn),
                                    known)
    except BriefingError as exc:
        prepared.error = safe_name(str(exc))
    except Exception as exc:  # one topic's surprise must not stop the others
        log.debug("topic %s failed", topic.slug, exc_info=True)
        prepared.error = safe_name(f"unexpected {type(exc).__name__}: {exc}")
    prepared.marks["read"] = round(time.perf_counter() - prepared.started, 3)
    return prepared


def _conclude(
    prepared: _Prepared, built: BriefResult | None, *, date: dt.date, root: Path, job: MailJob | None,
    resend: bool, environ: Mapping[str, str],
) -> TopicResult:
    """Write a built topic's files, email them, and say what happened."""
    topic, topic_log, marks = prepared.topic, prepared.log, prepared.marks
    topic_dir = root / date.isoformat() / topic.slug
    final: Brief | None = None
    error = prepared.error
    if built is not None:
        for message in built.warnings:
            topic_log.warn(message)
        marks["build"] = built.seconds
        error = safe_name(built.error) if built.error is not None else None
        if built.error is None and built.brief is not None:
            mark = time.perf_counter()
            try:
                write_files(topic_dir, dict(built.files))
                if prepared.request is not None:
                    try:
                        save_sources(topic_dir, prepared.request.raws)
                    except OSError as exc:  # the brief is written; tomorrow just knows less
                        topic_log.warn(f"{topic_dir / SOURCES_FILE}: cannot keep the articles ({exc.strerror})")
                final = built.brief
            except BriefingError as exc:
                error = safe_name(str(exc))
            marks["write"] = round(time.perf_counter() - mark, 3)

    email: EmailOutcome | None = None
    if final is not None:
        mark = time.perf_counter()
        email = _email(topic, topic_dir, job, resend=resend, environ=environ, topic_log=topic_log)
        if email is not None and email.status in (FAILED, "partial", UNKNOWN):
            error = f"brief written but email {email.status}: {email.error}"
        marks["email"] = round(time.perf_counter() - mark, 3)
    # The parts, not the wall time since reading: with --jobs, topics overlap.
    marks["total"] = round(sum(marks.values()), 3)
    changes = None
    if final is not None and final.changes is not None:
        changes = {
            "since": final.changes.since,
            "new": sum(1 for item in final.items if item.new),
            "dropped": len(final.changes.dropped),
        }
    return TopicResult(
        slug=topic.slug,
        status=OK if error is None else FAILED,
        title=final.title if final is not None else topic.title,
        error=error,
        read=prepared.read,
        used=len(final.sources) if final is not None else 0,
        skipped=tuple(topic_log.skipped),
        warnings=tuple(topic_log.warnings),
        items=len(final.items) if final is not None else 0,
        omitted=len(final.omitted) if final is not None else 0,
        changes=changes,
        email=email,
        seconds=marks,
    )


def run_topic(
    config: Config, topic: Topic, *, date: dt.date, root: Path, fetch_options: FetchOptions,
    job: MailJob | None, resend: bool, environ: Mapping[str, str], reporter: Reporter,
) -> TopicResult:
    """Build, write and email one topic here; every failure is caught and reported in the result."""
    prepared = _prepare(config, topic, date=date, root=root, fetch_options=fetch_options, reporter=reporter)
    built = build_one(prepared.request) if prepared.request is not None else None
    return _conclude(prepared, built, date=date, root=root, job=job, resend=resend, environ=environ)


def _describe(result: TopicResult, topic_dir: Path) -> str:
    if result.status == SKIPPED:
        return f"{result.slug}: skipped (not selected)"
    parts = [f"{result.used} of {result.read} sources", f"{result.items} items"]
    if result.changes is not None:
        changes = result.changes
        parts.append(f"{changes['new']} new, {changes['dropped']} dropped since {changes['since']}")
    line = f"{result.slug}: {', '.join(parts)} → {topic_dir} ({result.seconds.get('total', 0):.1f} s)"
    email = result.email
    if email is not None and email.status == "sent":
        line += f"; emailed {', '.join(email.accepted)} {email.message_id}"
    elif email is not None and email.status == "already sent":
        line += "; already emailed for this date, not sent again (--resend sends it again)"
    return line


# ---------------------------------------------------------------------------- the run


def _mail_job(config: Config, topics: Sequence[Topic], environ: Mapping[str, str]) -> MailJob | None:
    """One validated job for the run, or None when no topic has recipients (exit 2 when unusable)."""
    if not any(t.recipients for t in topics):
        return None
    settings = SmtpSettings.from_env(environ, base=config.smtp)
    if not settings.sender:
        raise MailError(
            f"topics have recipients but no sender: set sender in [smtp] of {config.path} or BRIEFING_MAIL_FROM",
            exit_code=EXIT_USAGE,
        )
    return MailJob(sender=settings.sender, to=(), settings=settings)


def run_daily(
    config: Config,
    *,
    date: dt.date,
    resend: bool = False,
    reporter: Reporter | None = None,
    environ: Mapping[str, str] | None = None,
    output_root: Path | None = None,
    only: Sequence[str] = (),
    send_email: bool = True,
    refresh: bool = False,
    jobs: int = 1,
    scheduler: str | None = None,
) -> RunReport:
    """Run every topic of ``config`` (or those named in ``only``) for ``date``.

    Writes ``<root>/<date>/<slug>/brief.*`` and ``<root>/<date>/run.json``
    (``root`` is ``output_root`` or the config's) under a per-date lock, and
    emails each topic's recipients once per date (all of them again with
    ``resend``; none with ``send_email=False``). Returns the
    :class:`RunReport`; its ``exit_code`` is 0, 3 or 1. Raises
    :class:`LockedError` (5) if another run for the date is going on, and
    :class:`BriefingError` with exit code 2 for an unknown topic or unusable
    SMTP settings, before anything is written.

    ``jobs`` > 1 builds the topics in a pool of that many processes,
    ``scheduler`` on the Dask cluster at that address; sources are read and
    files written and emailed here, in topic order, so the briefs and run.json
    are the same as a serial run's (timings aside).
    """
    reporter = reporter or _Silent()
    environ = os.environ if environ is None else environ
    started = time.perf_counter()
    selected = [config.topic(slug) for slug in dict.fromkeys(only)] or list(config.topics)
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    job = _mail_job(config, selected, environ) if send_email else None
    root = output_root if output_root is not None else config.output_root
    day_dir = root / date.isoformat()
    try:
        day_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {day_dir}: {exc.strerror or exc}") from None
    results: list[TopicResult] = []
    with run_lock(day_dir, date):
        fetch_options = _fetch_options(config, day_dir, date, refresh)
        def record(result: TopicResult) -> None:
            results.append(result)
            if result.status == SKIPPED:
                reporter.progress(_describe(result, day_dir / result.slug))
                return
            if result.error is not None:
                reporter.warn(f"{result.slug}: failed: {result.error}")
            if result.items:
                reporter.progress(_describe(result, day_dir / result.slug))

        def skipped(topic: Topic) -> TopicResult:
            return TopicResult(slug=topic.slug, status=SKIPPED, title=topic.title)

        try:
            if jobs == 1 and scheduler is None:
                for topic in config.topics:
                    if topic not in selected:
                        record(skipped(topic))
                        continue
                    reporter.progress(f"{topic.slug}: building")
                    record(run_topic(
                        config, topic, date=date, root=root, fetch_options=fetch_options, job=job,
                        resend=resend, environ=environ, reporter=reporter,
                    ))
            else:
                prepared: dict[str, _Prepared] = {}
                for topic in (t for t in config.topics if t in selected):  # the order of the results
                    reporter.progress(f"{topic.slug}: building")
                    prepared[topic.slug] = _prepare(config, topic, date=date, root=root,
                                                    fetch_options=fetch_options, reporter=reporter)
                requests = [p.request for p in prepared.values() if p.request is not None]
                built = run_jobs(requests, jobs=jobs, scheduler=scheduler)
                for topic in config.topics:
                    if topic not in selected:
                        record(skipped(topic))
                        continue
                    ready = prepared[topic.slug]
                    record(_conclude(ready, next(built) if ready.request is not None else None, date=date,
                                     root=root, job=job, resend=resend, environ=environ))
        except BaseException as exc:
            # run.json must describe this run, not an earlier one that went well.
            why = "terminated" if type(exc).__name__ == "Terminated" else (
                "interrupted" if isinstance(exc, KeyboardInterrupt) else f"unexpected {type(exc).__name__}")
            stopped = RunReport(date, config.path.absolute(), day_dir, tuple(results),
                                time.perf_counter() - started, error=f"{why} after {len(results)} of "
                                f"{len(config.topics)} topics")
            with contextlib.suppress(Exception):
                write_files(day_dir, {RUN_FILE: stopped.to_json().encode("utf-8")})
            raise
        report = RunReport(date, config.path.absolute(), day_dir, tuple(results), time.perf_counter() - started)
        try:
            write_files(day_dir, {RUN_FILE: report.to_json().encode("utf-8")})
        except OutputError as exc:
            reporter.warn(f"cannot write {day_dir / RUN_FILE}: {exc}")
    ok = sum(1 for r in results if r.status == OK)
    failed = sum(1 for r in results if r.status == FAILED)
    reporter.progress(f"{date.isoformat()}: {ok} ok, {failed} failed → {day_dir / RUN_FILE}")
    return report

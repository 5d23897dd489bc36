"""Output: the brief.json contract and atomic, all-or-nothing file writes."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from briefing.display import number_sources
from briefing.errors import OutputError
from briefing.model import Brief, Changes, Item, confidence_label

JSON_SCHEMA = 1


def _item_dict(item: Item, total: int, *, compared: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "text": item.text,
        "source": item.source,
        "citations": list(item.citations),
        "support": item.support,
        "of": total,
        "label": confidence_label(min(item.support, total), total),
        "score": round(item.score, 4),
        "rank": item.rank,
        "cues": list(item.cues),
        "evidence": [
            {"source": e.source, "text": e.text, "start": e.start, "end": e.end,
             # where a reader finds it: offsets in the source file's text (a local file holding it word for word)
             **({"file_start": e.file_start, "file_end": e.file_end} if e.file_start is not None else {})}
            for e in item.evidence
        ],
        "also": list(item.also),
    }
    if item.earlier is not None:  # only with --known: what a known article said before
        out["earlier"] = {"text": item.earlier.text, "outlet": item.earlier.outlet,
                          "published": item.earlier.published, "change": item.earlier.change}
    if compared:  # only briefs compared with a previous one say what is new
        out["new"] = item.new
    if item.names:  # surnames used alone, with the full name the item's article gives (shown in brackets)
        out["names"] = dict(item.names)
    if item.context:  # the sentence before the item's own, shown first: the item's sentence needs it
        out["context"] = item.context
    return out


def _changes_dict(changes: Changes, items: Sequence[Item]) -> dict[str, Any]:
    return {
        "since": changes.since,
        "new": sum(1 for item in items if item.new),
        "dropped": [
            {"text": d.text, "citations": list(d.citations), "outlets": list(d.outlets), "section": d.section}
            for d in changes.dropped
        ],
    }


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    """brief.json as in DESIGN.md: keys are stable; add, never rename."""
    total = brief.independent or len(brief.sources)
    compared = brief.changes is not None
    number = number_sources((source.id, source.name) for source in brief.sources)
    out: dict[str, Any] = {
        "title": brief.title,
        "date": brief.date,
        "schema": JSON_SCHEMA,
        "built": brief.built,
        "bottom_line": None if brief.bottom_line is None else {
            "text": brief.bottom_line.text, "source": brief.bottom_line.source,
            "citations": list(brief.bottom_line.citations), "support": brief.bottom_line.support,
            **({"names": dict(brief.bottom_line.names)} if brief.bottom_line.names else {}),
        },
        "sources": [
            {
                "id": s.id, "name": s.name, "title": s.title, "url": s.url, "path": s.path,
                "published": s.published, "author": s.author,
                # An editorial or another opinion piece (a column, review, letter or interview).
                **({"opinion": s.opinion} if s.opinion else {}),
                # The "[k]" that cites it on the page (sources are numbered in outlet-name order).
                "number": number[s.id],
            }
            for s in brief.sources
        ],
        "sections": [
            {
                "key": sec.key, "title": sec.title,
                "items": [_item_dict(it, total, compared=compared) for it in sec.items],
            }
            for sec in brief.sections
        ],
        "discrepancies": [
            {
                "topic": d.topic,
                "claims": [
                    {"text": v.text, "citations": list(v.citations), "value": v.value}
                    for v in d.variants
                ],
            }
            for d in brief.discrepancies
        ],
        "omitted": [
            _item_dict(it, total, compared=compared) for it in sorted(brief.omitted, key=lambda it: it.rank)
        ],
        "stats": dict(brief.stats),
    }
    if brief.changes is not None:
        # Added only when there was a previous brief, so other briefs keep their bytes.
        out["changes"] = _changes_dict(brief.changes, brief.items)
    return out


def brief_json(brief: Brief) -> str:
    return json.dumps(brief_to_dict(brief), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_files(directory: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write several files so that none is left half-written.

    Every file goes to a temporary sibling first and is fsynced; only when all
    are safely on disk are they renamed over the old ones. On any error the
    temporaries are removed and the previous files stay as they were. The
    folder is locked (:func:`folder_lock`) throughout, so two writers into one
    folder never interleave their renames, and a reader that takes the shared
    lock sees the old set or the new one, never a mix.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {directory}: {exc.strerror or exc}") from exc
    with folder_lock(directory):
        return _write_files_locked(directory, files)


@contextlib.contextmanager
def folder_lock(directory: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold an OS lock on ``directory`` itself (``flock`` on the folder, no lock file).

    Writers (:func:`write_files`) take it exclusively; readers that need one
    whole set (``briefing send``, or ``flock -s DIR cat DIR/brief.json`` from a
    shell) take it shared. It is released when the process dies, even by kill -9.
    A folder that cannot be locked (a file system without ``flock``) is used
    unlocked rather than refused.
    """
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _write_files_locked(directory: Path, files: Mapping[str, bytes]) -> list[Path]:
    temporaries: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            target = directory / name
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
            temporaries.append((Path(tmp), target))
            # mkstemp makes 0600 files; give them the mode a plain write would.
            os.fchmod(fd, 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        # A signal between two renames would leave half a new brief beside half the old one.
        with _signals_deferred():
            for tmp_path, target in temporaries:
                os.replace(tmp_path, target)
            _fsync_directory(directory)
    except BaseException as exc:
        # Ctrl-C and SIGTERM too: no temporary outlives a failed attempt.
        for tmp_path, _ in temporaries:
            with contextlib.suppress(OSError):
                tmp_path.unlink()
        if not isinstance(exc, OSError):
            raise
        # Every file here is in `directory`; exc.filename would name a temporary that is gone.
        raise OutputError(f"cannot write to {directory}: {exc.strerror or exc}") from exc
    return [target for _, target in temporaries]


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while the block runs, then deliver them.

    Only the main thread runs Python signal handlers, so elsewhere there is
    nothing to hold. A signal ignored, or handled outside Python, is left alone.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous: dict[int, Any] = {}
    for held in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(held)
        if handler is not None and handler != signal.SIG_IGN:
            previous[held] = signal.signal(held, lambda received, frame: caught.append(received))
    try:
        yield
    finally:
        for restored, handler in previous.items():
            signal.signal(restored, handler)
        for pending in caught:
            signal.raise_signal(pending)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def check_output_dir(directory: Path) -> None:
    """Raise :class:`OutputError` now, before any work, when ``directory`` cannot hold outputs:
    it, or the nearest part of its path that exists, is a file or is not writable."""
    for existing in (directory, *directory.parents):
        if not existing.exists():
            continue
        if not existing.is_dir():
            what = "it is" if existing == directory else f"{existing} is"
            raise OutputError(f"cannot create {directory}: {what} a file, not a folder")
        if not os.access(existing, os.W_OK | os.X_OK):
            raise OutputError(f"cannot create {directory}: {existing} is not writable")
        return

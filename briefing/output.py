"""Output: the brief.json contract and atomic, all-or-nothing file writes."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from briefing.errors import OutputError
from briefing.model import Brief, Item

JSON_SCHEMA = 1


def _item_dict(item: Item, total: int) -> dict[str, Any]:
    return {
        "text": item.text,
        "source": item.source,
        "citations": list(item.citations),
        "support": item.support,
        "of": total,
        "score": round(item.score, 4),
        "rank": item.rank,
        "cues": list(item.cues),
    }


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    """brief.json as in DESIGN.md: keys are stable; add, never rename."""
    total = brief.independent or len(brief.sources)
    return {
        "title": brief.title,
        "date": brief.date,
        "schema": JSON_SCHEMA,
        "sources": [
            {
                "id": s.id, "name": s.name, "title": s.title, "url": s.url, "path": s.path,
                "published": s.published, "author": s.author,
            }
            for s in brief.sources
        ],
        "sections": [
            {"key": sec.key, "title": sec.title, "items": [_item_dict(it, total) for it in sec.items]}
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
        "omitted": [_item_dict(it, total) for it in sorted(brief.omitted, key=lambda it: it.rank)],
        "stats": dict(brief.stats),
    }


def brief_json(brief: Brief) -> str:
    return json.dumps(brief_to_dict(brief), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_files(directory: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write several files so that none is left half-written.

    Every file goes to a temporary sibling first and is fsynced; only when all
    are safely on disk are they renamed over the old ones. On any error the
    temporaries are removed and the previous files stay as they were.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {directory}: {exc.strerror or exc}") from exc
    temporaries: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            target = directory / name
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
            temporaries.append((Path(tmp), target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp_path, target in temporaries:
            os.replace(tmp_path, target)
    except OSError as exc:
        for tmp_path, _ in temporaries:
            with contextlib.suppress(OSError):
                tmp_path.unlink()
        where = exc.filename or directory
        raise OutputError(f"cannot write to {where}: {exc.strerror or exc}") from exc
    _fsync_directory(directory)
    return [target for _, target in temporaries]


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

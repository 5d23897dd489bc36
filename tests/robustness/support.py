"""Shared pieces of the robustness tests: articles, CLI runs, output snapshots."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from briefing.cli import cli

ROOT = Path(__file__).resolve().parents[2]
#: Lines the fuzz test reports ("inputs tried, crashes found"), printed in pytest's summary even with -q.
FUZZ_REPORT = pytest.StashKey[list[str]]()
SEEDS = ROOT / "seeds"

#: Three short English articles about one event; A and B share two sentences.
PORT_A = """Port strike ends after pay deal

Dock workers at the northern port ended a nine-day strike on Tuesday after union leaders accepted a revised pay offer.
The agreement raises wages by six percent over two years and limits overtime shifts, the union said.
Shipping companies said the backlog of containers would take at least a week to clear.
"""
PORT_B = """Northern port back at work

Dock workers at the northern port ended a nine-day strike on Tuesday after union leaders accepted a revised pay offer.
Cranes at the northern terminal restarted on Wednesday morning, the port authority said.
The agreement raises wages by six percent over two years and limits overtime shifts, the union said.
"""
PORT_C = """Harbour traders count the cost

The mayor said the city would help businesses in the harbour district recover quickly.
Owners of cafes on the quay said the strike had cost them their busiest week of the year.
"""


def briefing_command() -> list[str]:
    """The installed console script next to this interpreter (``.venv/bin/briefing``)."""
    script = Path(sys.executable).parent / "briefing"
    return [str(script)] if script.exists() else [sys.executable, "-m", "briefing"]


def invoke(*args: str, env: Mapping[str, str] | None = None) -> Result:
    """Run the CLI in-process; stdout and stderr stay separate (click >= 8.2)."""
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def write_articles(folder: Path, articles: Mapping[str, str | bytes]) -> Path:
    """Write ``name -> text or bytes`` into ``folder`` (created); return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in articles.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (hidden ones too) with its bytes; {} if it does not exist."""
    if not folder.exists():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def assert_no_partial_output(folder: Path, before: Mapping[str, bytes]) -> None:
    """No new or changed ``brief.*`` and no ``*.tmp`` in ``folder``: it is exactly as before."""
    after = snapshot(folder)
    leftovers = [name for name in after if name.endswith(".tmp") or ".tmp" in name]
    assert not leftovers, f"temporary files left behind: {leftovers}"
    assert sorted(after) == sorted(before), f"files changed: {sorted(set(after) ^ set(before))}"
    for name, data in before.items():
        assert after[name] == data, f"{name} was changed"


def one_error_line(stderr: str) -> str:
    """The single ``error:`` line of a failed run; no traceback, nothing after it."""
    lines = stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, stderr
    assert lines[-1] == errors[0], stderr
    assert "Traceback" not in stderr, stderr
    return errors[0]


def warnings_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning:")]


def load_brief(folder: Path) -> dict[str, Any]:
    data = json.loads((folder / "brief.json").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def items_of(brief: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [item for section in brief["sections"] for item in section["items"]]


def copy_brief(source: Path, target: Path) -> dict[str, bytes]:
    """Put a built brief into ``target`` as the "previous" one; return its snapshot."""
    target.mkdir(parents=True, exist_ok=True)
    for path in source.glob("brief.*"):
        shutil.copy2(path, target / path.name)
    return snapshot(target)


def squash(text: str) -> str:
    """Whitespace collapsed, as pdftotext wraps lines anywhere."""
    return " ".join(text.split())

"""Golden brief.json for the seeds: any change to it is a deliberate act.

Regenerate with: BRIEFING_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from tests.helpers import ROOT

GOLDEN = ROOT / "tests" / "golden" / "seeds.brief.json"


def test_seed_brief_matches_golden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # relative "seeds/..." paths, as a user would type them
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1687132800")  # the build date in brief.json: 2023-06-19
    result = CliRunner().invoke(
        cli, ["build", "seeds", "--out", str(tmp_path), "--date", "2023-06-19", "--format", "json,md", "-q"]
    )
    assert result.exit_code == 0, result.output
    produced = (tmp_path / "brief.json").read_text("utf-8")
    if os.environ.get("BRIEFING_UPDATE_GOLDEN"):
        GOLDEN.write_text(produced, "utf-8")
        GOLDEN.with_suffix("").with_suffix(".md").write_text((tmp_path / "brief.md").read_text("utf-8"), "utf-8")
    assert produced == GOLDEN.read_text("utf-8")

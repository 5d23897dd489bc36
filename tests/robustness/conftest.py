"""Fixtures of the robustness suite, and the fuzz report in pytest's summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness.support import FUZZ_REPORT, PORT_A, PORT_B, invoke, snapshot, write_articles


@pytest.fixture(scope="session")
def previous_brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A brief built once, copied into output folders as "the previous run"."""
    folder = tmp_path_factory.mktemp("previous")
    sources = write_articles(folder / "in", {"a.txt": PORT_A, "b.txt": PORT_B})
    out = folder / "out"
    result = invoke("build", str(sources), "--out", str(out), "--date", "2024-03-05", "-q")
    assert result.exit_code == 0, result.output
    assert sorted(snapshot(out)) == ["brief.html", "brief.json", "brief.md", "brief.pdf"]
    return out


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    lines = config.stash.get(FUZZ_REPORT, [])
    if lines:
        terminalreporter.section("fuzz")
        for line in lines:
            terminalreporter.write_line(line)

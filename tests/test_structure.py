"""Issue 17: section definitions read in one place, user-facing defaults in one settings module."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from click.testing import CliRunner

from briefing import settings
from briefing.cli import cli
from briefing.sections import SECTION_KEYS, SECTION_TITLES, default_rules

PACKAGE = Path(__file__).resolve().parent.parent / "briefing"

#: Defaults that live in settings.py and nowhere else (module-level assignments).
MOVED = ("PAGE_SIZES", "FORMATS", "DEFAULT_MAX_ITEMS", "MAX_ITEMS", "FONT_SIZES_PT", "CITATIONS_SHOWN",
         "ALL_SOURCES_LISTED", "DROPPED_SHOWN", "MAX_DISCREPANCIES", "MAX_SOURCE_BYTES", "DEFAULT_MAX_SOURCES",
         "MAX_IDENTICAL_COPIES", "MAX_NEAR_COPIES", "LOOKBACK_DAYS", "DEFAULT_MIN_SOURCES", "SCHEDULER_TIMEOUT",
         "DEFAULT_PORTS", "DEFAULT_TIMEOUT", "HTML_SIZE_LIMIT", "SUBJECT_TITLE_CHARS", "TEXT_WIDTH",
         "DEFAULT_OUTPUT_ROOT", "DEFAULT_FETCH_TIMEOUT", "SECTION_KEYS", "SECTION_TITLES")


def module_constants(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(path.read_text("utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def test_defaults_are_defined_in_settings_only() -> None:
    defined = {path.name: module_constants(path) & set(MOVED) for path in sorted(PACKAGE.glob("*.py"))}
    assert {name: found for name, found in defined.items() if found} == {
        "settings.py": {"PAGE_SIZES", "FORMATS", "MAX_ITEMS", "FONT_SIZES_PT", "CITATIONS_SHOWN",
                        "ALL_SOURCES_LISTED", "DROPPED_SHOWN", "MAX_DISCREPANCIES", "MAX_SOURCE_BYTES",
                        "MAX_IDENTICAL_COPIES", "MAX_NEAR_COPIES", "LOOKBACK_DAYS", "SCHEDULER_TIMEOUT",
                        "SUBJECT_TITLE_CHARS", "TEXT_WIDTH"},
        "sections.py": {"SECTION_KEYS", "SECTION_TITLES"},
    }


def test_the_cli_shows_the_settings_as_its_defaults() -> None:
    shown = " ".join(CliRunner().invoke(cli, ["build", "--help"]).output.split())
    assert f"[default: {settings.MAX_ITEMS};" in shown and f"[default: {settings.PAGE}]" in shown
    assert f"[default: {settings.FETCH_TIMEOUT};" in shown and f"[default: {settings.MAX_FEED_SOURCES}]" in shown
    summary = " ".join(CliRunner().invoke(cli, ["summarize", "--help"]).output.split())
    assert f"[default: {settings.SUMMARY_WORDS};" in summary


def test_sections_come_from_the_data_file_alone() -> None:
    data = tomllib.loads((PACKAGE / "data" / "sections.toml").read_text("utf-8"))
    assert tuple(data) == SECTION_KEYS and {k: v["title"] for k, v in data.items()} == SECTION_TITLES
    assert default_rules().cues["background"] == tuple(data["background"]["cues"])
    readers = [path.name for path in sorted(PACKAGE.glob("*.py")) if "sections.toml" in path.read_text("utf-8")
               and path.name not in ("sections.py", "plan.py")]  # plan's docstring names the file
    assert readers == []

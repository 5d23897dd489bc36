"""docs/reliability.md cannot rot: every checklist row is there once, and every test it names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.robustness.support import ROOT

DOC = ROOT / "docs" / "reliability.md"
TEST_NAME = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def _defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_checklist_row_is_in_the_table_once() -> None:
    rows = [int(m.group(1)) for m in re.finditer(r"^\| (\d+) \|", DOC.read_text("utf-8"), re.MULTILINE)]
    assert rows == list(range(1, 33))
    for line in DOC.read_text("utf-8").splitlines():
        if re.match(r"^\| \d+ \|", line):
            assert len(line.split(" | ")) == 5, f"row needs #, case, behaviour, exit, tests: {line[:60]}"
            assert TEST_NAME.search(line), f"row names no test: {line[:60]}"


def test_every_test_named_in_the_table_exists() -> None:
    named = TEST_NAME.findall(DOC.read_text("utf-8"))
    assert len(named) > 60
    missing = []
    for file, name in named:
        path = ROOT / file
        if not path.is_file() or name not in _defined_tests(path):
            missing.append(f"{file}::{name}")
    assert missing == [], "docs/reliability.md names tests that do not exist"


def test_every_robustness_test_is_in_the_table() -> None:
    listed = {f"{file}::{name}" for file, name in TEST_NAME.findall(DOC.read_text("utf-8"))}
    here = Path(__file__).resolve().parent
    unlisted = [
        f"tests/robustness/{path.name}::{name}"
        for path in sorted(here.glob("test_*.py"))
        if path.name != Path(__file__).name
        for name in sorted(_defined_tests(path))
        if f"tests/robustness/{path.name}::{name}" not in listed
    ]
    assert unlisted == [], "add these to docs/reliability.md"

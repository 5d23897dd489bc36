"""Issue 17: every error class and exit code in briefing/errors.py, one documented table."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from briefing import errors

ROOT = Path(__file__).resolve().parent.parent


def readme_exit_codes() -> dict[int, str]:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text[text.index("## Exit codes"):]
    section = section[:section.index("\n## ", 1)]
    return {int(code): meaning.strip() for code, meaning in re.findall(r"^\| (\d+) \| (.+) \|$", section, re.M)}


def test_the_readme_table_is_the_exit_code_table() -> None:
    assert readme_exit_codes() == errors.EXIT_CODES


def test_every_error_class_exit_code_is_in_the_table() -> None:
    classes = [value for value in vars(errors).values()
               if isinstance(value, type) and issubclass(value, errors.BriefingError)]
    assert len(classes) >= 10
    assert {cls.exit_code for cls in classes} <= set(errors.EXIT_CODES)
    assert errors.MailError("x", exit_code=errors.EXIT_USAGE).exit_code == 2


def test_no_module_defines_its_own_briefing_error() -> None:
    # Error classes of the domain (BriefingError and its kind) live in errors.py only.
    elsewhere = []
    for path in sorted((ROOT / "briefing").glob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    ast.unparse(base).endswith(("Error", "BriefingError")) for base in node.bases):
                elsewhere.append(f"{path.name}:{node.name}")
    # fetch's _BlockedAddressError is urllib3's NewConnectionError for the connection pool, never raised to us.
    assert elsewhere == ["fetch.py:_BlockedAddressError"]


def test_no_bare_exit_numbers_in_the_cli() -> None:
    source = (ROOT / "briefing" / "cli.py").read_text("utf-8")
    assert not re.findall(r"sys\.exit\(\d|exit\((?:1|2|3|5|130|143)\)", source)

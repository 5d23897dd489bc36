"""Issue 17: the modules of ``briefing`` import one another without a cycle.

A cycle hidden in a function-local import or behind ``TYPE_CHECKING`` (render
imported worker for a type while worker imported render to warm up) still
ties two modules together: neither can change or load alone. The graph below
counts every ``import briefing.x`` / ``from briefing.x import`` anywhere in a
module, so such a cycle fails here before it is felt.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "briefing"


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The ``briefing`` modules ``path`` imports, at module level, in functions or for types."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            if node.module == "briefing":
                found.update(alias.name for alias in node.names if alias.name in known)
            elif node.module.startswith("briefing."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names if alias.name.startswith("briefing."))
    found.discard(path.stem)
    return found & known


def import_graph() -> dict[str, set[str]]:
    modules = {path.stem: path for path in PACKAGE.glob("*.py")}
    return {name: imported_modules(path, set(modules)) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path that returns to its start, or ``None``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    # The check must be able to fail: the old render <-> worker pair is a cycle.
    assert find_cycle({"render": {"worker"}, "worker": {"render"}, "cli": {"render"}}) in (
        ["render", "worker", "render"], ["worker", "render", "worker"])
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert {"render", "fit", "worker", "pipeline", "jobs"} <= set(graph)
    assert find_cycle(graph) is None


def test_render_needs_neither_fit_nor_worker() -> None:
    graph = import_graph()
    assert "fit" not in graph["render"] and "worker" not in graph["render"]
    assert "render" in graph["fit"]


@pytest.mark.parametrize("first", ["briefing.worker", "briefing.render", "briefing.fit"])
def test_each_loads_first_in_a_fresh_interpreter(first: str) -> None:
    # Importing any one of the former cycle first, then the others, must work.
    order = [first, *(m for m in ("briefing.worker", "briefing.render", "briefing.fit") if m != first)]
    code = "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in order)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_rendering_loads_no_fitting_or_worker_code() -> None:
    code = ("import sys, briefing.render\n"
            "assert not {'briefing.fit', 'briefing.worker', 'briefing.pagemodel'} & set(sys.modules), sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)

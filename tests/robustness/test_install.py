"""An installed (not editable) copy finds its templates (RELIABILITY row 30).

The wheel is built offline from a copy of the sources (so the checkout gets no
build/ or egg-info), unpacked into a folder of its own, and run from an empty
working folder with that folder first on the path. The editable install is the
one this whole suite runs on (``make`` does ``pip install -e '.[dev]'``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.robustness.support import PORT_A, PORT_B, ROOT, load_brief, write_articles


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("install")
    source = folder / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("briefing", "templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(folder / "dist"), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel offline here: {built.stderr.strip()[-300:]}")
    (wheel,) = (folder / "dist").glob("briefing-*.whl")
    site = folder / "site"
    with zipfile.ZipFile(wheel) as archive:  # a pure-Python wheel installs by unpacking
        archive.extractall(site)
    return site


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def test_the_wheel_ships_its_templates_and_builds_a_brief(installed: Path, tmp_path: Path) -> None:
    where = _run(installed, tmp_path, "-c", "import briefing.render as r; print(r.__file__); print(r.templates_dir())")
    module, templates = where.stdout.split()
    assert Path(module).is_relative_to(installed), "the checkout, not the installed copy, was imported"
    for name in ("brief.html.j2", "brief.md.j2", "email.html.j2", "assets/brief.css"):
        assert (Path(templates) / name).is_file(), name
    version = _run(installed, tmp_path, "-m", "briefing", "--version")
    assert version.returncode == 0 and "0.1.0" in version.stdout
    helped = _run(installed, tmp_path, "-m", "briefing", "--help")
    assert helped.returncode == 0 and "Example:" in helped.stdout
    sources = write_articles(tmp_path / "in", {"a.txt": PORT_A, "b.txt": PORT_B})
    built = _run(installed, tmp_path, "-m", "briefing", "build", str(sources), "--out", "out", "-q")
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["brief.html", "brief.json", "brief.md", "brief.pdf"]
    assert load_brief(tmp_path / "out")["sections"]

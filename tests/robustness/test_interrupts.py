"""SIGTERM and Ctrl-C (RELIABILITY row 26): exit 143 or 130 and never a partial brief.

The signal tests run the real CLI (``briefing.cli.main``) in a child process.
A small driver makes rendering wait (in this process, or while it waits for the
second process's answer), so the signal lands mid-render every time rather than
by luck; one test also kills an unpatched build at a real moment.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.robustness.support import (
    PORT_A,
    PORT_B,
    PORT_C,
    ROOT,
    SEEDS,
    assert_no_partial_output,
    copy_brief,
    invoke,
    one_error_line,
    snapshot,
    write_articles,
)

# Runs `briefing ARGS...` through briefing.cli.main, with rendering held until a signal comes.
_DRIVER = """
import signal, sys, time
from pathlib import Path
import weasyprint

# As in an interactive shell, whatever the test runner's parent did with SIGINT.
signal.signal(signal.SIGINT, signal.default_int_handler)
flag = Path(sys.argv[1])
real_render = weasyprint.HTML.render

def render_held(self, *args, **kwargs):
    flag.write_text("rendering")
    time.sleep(120)  # the test's signal arrives here, in the middle of rendering
    return real_render(self, *args, **kwargs)

weasyprint.HTML.render = render_held

# The PDF is fitted in the second process (briefing.worker), which this patch
# cannot reach: hold this process where it waits for the worker's answer.
import briefing.worker
real_result = briefing.worker.Job.result

def result_held(self):
    flag.write_text("rendering")
    time.sleep(120)
    return real_result(self)

briefing.worker.Job.result = result_held
from briefing.cli import main
sys.argv = ["briefing", *sys.argv[2:]]
main()
"""


def _child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _wait_for(path: Path, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"the build ended before rendering: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("the build never reached rendering")
        time.sleep(0.02)


@pytest.mark.parametrize(
    ("signum", "code", "word"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
    ids=["SIGTERM", "SIGINT"],
)
def test_a_signal_during_rendering_leaves_no_partial_brief(
    tmp_path: Path, previous_brief: Path, signum: int, code: int, word: str
) -> None:
    sources = write_articles(tmp_path / "in", {"a.txt": PORT_A, "c.txt": PORT_C})
    out = tmp_path / "out"
    before = copy_brief(previous_brief, out)
    flag = tmp_path / "rendering"
    process = subprocess.Popen(
        [sys.executable, "-c", _DRIVER, str(flag), "build", str(sources), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_child_env(), cwd=tmp_path,
    )  # fmt: skip
    _wait_for(flag, process)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == code, stderr
    assert one_error_line(stderr) == f"error: {word}; no partial brief was written"
    assert stdout == ""
    assert_no_partial_output(out, before)


def test_sigterm_at_a_real_moment_leaves_the_old_brief_or_the_new_one(tmp_path: Path, previous_brief: Path) -> None:
    """No hook: kill a seed build shortly after it has read its sources."""
    out = tmp_path / "out"
    before = copy_brief(previous_brief, out)
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "build", str(SEEDS), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_child_env(), cwd=tmp_path,
    )  # fmt: skip
    assert process.stderr is not None
    first = process.stderr.readline()  # "read 5 sources": the pipeline and rendering come next
    assert first.startswith("read 5 sources"), first
    time.sleep(0.3)
    process.send_signal(signal.SIGTERM)
    _, rest = process.communicate(timeout=60)
    after = snapshot(out)
    assert not [name for name in after if ".tmp" in name]
    if process.returncode == 0:  # it finished first: a whole new brief
        assert sorted(after) == sorted(before)
        assert all(after[name] != before[name] for name in ("brief.json", "brief.pdf"))
    else:
        assert process.returncode == 143, rest
        assert_no_partial_output(out, before)


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt in this process, whatever the runner's parent set."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def test_ctrl_c_while_writing_leaves_no_temporaries(
    tmp_path: Path, previous_brief: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = write_articles(tmp_path / "in", {"a.txt": PORT_A, "b.txt": PORT_B})
    out = tmp_path / "out"
    before = copy_brief(previous_brief, out)
    real_fsync = os.fsync
    calls = {"n": 0}

    def fsync_then_ctrl_c(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the second file is on disk as a temporary, not yet renamed
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_then_ctrl_c)
    result = invoke("build", str(sources), "--out", str(out))
    assert result.exit_code == 130
    assert one_error_line(result.stderr) == "error: interrupted; no partial brief was written"
    assert_no_partial_output(out, before)


def test_ctrl_c_between_two_renames_still_gives_one_whole_brief(
    tmp_path: Path, previous_brief: Path, monkeypatch: pytest.MonkeyPatch, ctrl_c_raises: None
) -> None:
    sources = write_articles(tmp_path / "in", {"a.txt": PORT_A, "b.txt": PORT_B})
    out = tmp_path / "out"
    before = copy_brief(previous_brief, out)
    real_replace = os.replace

    def replace_then_ctrl_c(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        real_replace(src, dst)
        if Path(dst).name == "brief.pdf":
            os.kill(os.getpid(), signal.SIGINT)  # a real signal, after the first rename

    monkeypatch.setattr(os, "replace", replace_then_ctrl_c)
    result = invoke("build", str(sources), "--out", str(out), "--date", "2024-03-06")
    after = snapshot(out)
    assert not [name for name in after if ".tmp" in name]
    assert sorted(after) == sorted(before)
    changed = {name for name in after if after[name] != before[name]}
    # All four files are from the new build (the signal waited for the renames), or none is.
    assert changed in (set(), set(before)), f"a mixed brief: only {sorted(changed)} changed"
    assert result.exit_code == 130

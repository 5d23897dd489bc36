"""Where the brief goes (RELIABILITY rows 13, 24, 25, 29): one page, all-or-nothing writes, clean stdout.

Failed writes must leave the output folder exactly as it was: the previous
``brief.*`` byte-identical and no ``*.tmp``. The read-only and full-disk cases
run for real on a private tmpfs mount (``unshare -m``) where the machine allows
it, and with a patched write everywhere.
"""

from __future__ import annotations

import errno
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.robustness.support import (
    PORT_A,
    PORT_B,
    ROOT,
    SEEDS,
    assert_no_partial_output,
    briefing_command,
    copy_brief,
    invoke,
    items_of,
    load_brief,
    one_error_line,
    snapshot,
    warnings_of,
    write_articles,
)

# --- row 13: sixty candidate items on one A4 or letter page --------------------------------------


def _stress_articles(count: int = 4, sentences: int = 18) -> dict[str, str]:
    """Articles whose sentences share no claim: every one is its own; all are on the story (the harbour council)."""
    rng = random.Random(13)
    syllables = ["ka", "lo", "mi", "ren", "tu", "sa", "vo", "pel", "dri", "mon", "ga", "te", "fi", "rus", "nal"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))

    articles: dict[str, str] = {}
    for a in range(count):
        lines = [
            # A named speaker: "The x of y said ..." would be a back-reference, never an item.
            f"{word().title()} {word().title()} of {word().title()} told the harbour council that the {word()} and the {word()}"
            f" were in {word()}"
            f" for the {word()} {word()} on {word()} with {word()} {word()}."
            for _ in range(sentences)
        ]
        articles[f"s{a}.txt"] = f"Harbour report {a}\n\n" + "\n".join(lines) + "\n"
    return articles


@pytest.mark.parametrize(("page", "size"), [("a4", "595.276 x 841.89 pts (A4)"), ("letter", "612 x 792 pts (letter)")])
def test_sixty_candidates_fit_one_page_and_the_rest_are_listed_as_omitted(tmp_path: Path, page: str, size: str) -> None:
    folder = write_articles(tmp_path / "in", _stress_articles())
    out = tmp_path / "out"
    result = invoke("build", str(folder), "--out", str(out), "--page", page, "--max-items", "60", "-q")
    assert result.exit_code == 0, result.stderr
    info = subprocess.run(["pdfinfo", str(out / "brief.pdf")], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
    assert re.search(rf"^Page size:\s+{re.escape(size)}$", info, re.MULTILINE), info
    brief = load_brief(out)
    kept, omitted = items_of(brief), brief["omitted"]
    assert omitted, "sixty long items cannot all fit one page"
    assert len(kept) + len(omitted) == 60
    assert brief["stats"]["font_pt"] == 9.0 and brief["stats"]["page"] == page
    assert brief["stats"]["omitted"] == len(omitted) and brief["stats"]["items"] == len(kept)
    # The page keeps the best-ranked items; the omitted ones are the rest, in rank order.
    assert sorted(i["rank"] for i in kept) == list(range(1, len(kept) + 1))
    assert [i["rank"] for i in omitted] == list(range(len(kept) + 1, 61))


# --- row 24: the output folder cannot be written ------------------------------------------------


def test_output_under_a_regular_file_is_one_line_exit_1_and_nothing_written(tmp_path: Path) -> None:
    sources = write_articles(tmp_path / "in", {"a.txt": PORT_A, "b.txt": PORT_B})
    blocker = tmp_path / "blocker"
    blocker.write_bytes(b"not a folder")
    before = snapshot(tmp_path)
    result = invoke("build", str(sources), "--out", str(blocker / "out"))
    assert result.exit_code == 1
    # Checked before any source is read (issue 18).
    assert one_error_line(result.stderr) == f"error: cannot create {blocker / 'out'}: {blocker} is a file, not a folder"
    assert result.stdout == ""
    assert_no_partial_output(tmp_path, before)


def _can_mount_tmpfs() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run(
            ["unshare", "-m", "sh", "-c", 'mount -t tmpfs -o size=64k tmpfs "$1"', "sh", folder], capture_output=True
        )
    return probe.returncode == 0


needs_tmpfs = pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs root and unshare -m to mount a private tmpfs")

# Mounts a private tmpfs on $MNT (only this process tree sees it), puts the previous brief in,
# optionally makes it read-only, runs the command, then copies what is left out for the test.
_IN_TMPFS = r"""
set -e
mount -t tmpfs -o "size=$SIZE,mode=755" tmpfs "$MNT"
cp -a "$PREVIOUS/." "$MNT/"
if [ "$READONLY" = 1 ]; then mount -o remount,ro "$MNT"; fi
set +e
"$@" >"$RESULT/stdout" 2>"$RESULT/stderr"
echo $? >"$RESULT/code"
cp -a "$MNT/." "$RESULT/after/"
"""


def _build_on_tmpfs(tmp_path: Path, previous: Path, *, size: str, readonly: bool) -> dict[str, Any]:
    mnt, result = tmp_path / "mnt", tmp_path / "result"
    mnt.mkdir()
    (result / "after").mkdir(parents=True)
    env = {
        **os.environ, "MNT": str(mnt), "SIZE": size, "PREVIOUS": str(previous), "RESULT": str(result),
        "READONLY": "1" if readonly else "0", "PYTHONPATH": str(ROOT),
    }  # fmt: skip
    command = [*briefing_command(), "build", str(SEEDS), "--out", str(mnt), "--date", "2023-06-19"]
    subprocess.run(["unshare", "-m", "sh", "-c", _IN_TMPFS, "sh", *command], env=env, check=True, timeout=120)
    return {
        "code": int((result / "code").read_text()),
        "stdout": (result / "stdout").read_text(),
        "stderr": (result / "stderr").read_text(),
        "after": result / "after",
    }


@needs_tmpfs
def test_a_read_only_mount_is_one_line_exit_1_and_the_brief_untouched(tmp_path: Path, previous_brief: Path) -> None:
    before = snapshot(previous_brief)
    run = _build_on_tmpfs(tmp_path, previous_brief, size="1m", readonly=True)
    assert run["code"] == 1, run["stderr"]
    mnt = tmp_path / "mnt"
    assert one_error_line(run["stderr"]) == f"error: cannot create {mnt}: {mnt} is not writable"
    assert_no_partial_output(run["after"], before)


# --- row 25: the disk fills up while writing ------------------------------------------------------


@needs_tmpfs
def test_a_full_64_kib_disk_keeps_the_previous_brief_byte_identical(tmp_path: Path, previous_brief: Path) -> None:
    before = snapshot(previous_brief)
    assert sum(len(data) for data in before.values()) < 48 * 1024, "the previous brief must fit with room to spare"
    run = _build_on_tmpfs(tmp_path, previous_brief, size="64k", readonly=False)
    assert run["code"] == 1, run["stderr"]
    line = one_error_line(run["stderr"])
    assert line.startswith(f"error: cannot write to {tmp_path / 'mnt'}") and line.endswith("No space left on device")
    assert_no_partial_output(run["after"], before)


def test_enospc_on_the_second_file_keeps_the_previous_brief_byte_identical(
    tmp_path: Path, previous_brief: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = write_articles(tmp_path / "in", {"a.txt": PORT_A, "b.txt": PORT_B})
    out = tmp_path / "out"
    before = copy_brief(previous_brief, out)
    real_fdopen = os.fdopen
    opened: list[int] = []

    class FullDisk:
        """A file whose writes fail the way a full disk makes them fail."""

        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        opened.append(fd)
        handle = real_fdopen(fd, *args, **kwargs)
        return FullDisk(handle) if len(opened) == 2 else handle

    monkeypatch.setattr(os, "fdopen", fdopen)
    # A new date, so that every new file would differ from the old one.
    result = invoke("build", str(sources), "--out", str(out), "--date", "2024-03-06")
    assert len(opened) == 2, "the write stops at the second file"
    assert result.exit_code == 1
    assert one_error_line(result.stderr) == f"error: cannot write to {out}: No space left on device"
    assert_no_partial_output(out, before)


# --- row 29: --json prints JSON and nothing else -----------------------------------------------


def test_json_on_stdout_and_everything_else_on_stderr(tmp_path: Path) -> None:
    """A real process, verbose, with a skipped source: stdout is exactly brief.json."""
    sources = write_articles(tmp_path / "in", {"a.txt": PORT_A, "b.txt": PORT_B, "empty.txt": ""})
    out = tmp_path / "out"
    done = subprocess.run(
        [*briefing_command(), "build", str(sources), "--out", str(out), "--json", "-v"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == load_brief(out)
    assert done.stdout == (out / "brief.json").read_text("utf-8")
    assert warnings_of(done.stderr) == [f"warning: skipped {sources / 'empty.txt'}: empty"]
    assert "wrote " in done.stderr and "read 3 sources" in done.stderr

"""Output: atomic, all-or-nothing writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.errors import OutputError
from briefing.output import write_files
from tests.helpers import without_completions


def test_writes_all_files(tmp_path: Path) -> None:
    written = write_files(tmp_path / "new", {"a.json": b"{}", "b.md": b"# x"})
    assert [p.name for p in written] == ["a.json", "b.md"]
    assert (tmp_path / "new" / "b.md").read_bytes() == b"# x"


def test_failure_midway_keeps_the_old_files_and_leaves_no_temporaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, {"brief.json": b"old json", "brief.md": b"old md"})
    real_fdopen = os.fdopen
    calls = {"n": 0}

    class FullDisk:
        def __init__(self, handle: object) -> None:
            self.handle = handle

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            raise OSError(28, "No space left on device")

    def fdopen(fd: int, mode: str = "r") -> object:
        calls["n"] += 1
        handle = real_fdopen(fd, mode)
        return handle if calls["n"] == 1 else FullDisk(handle)

    monkeypatch.setattr(os, "fdopen", fdopen)
    with pytest.raises(OutputError, match="No space left on device"):
        write_files(tmp_path, {"brief.json": b"new json", "brief.md": b"new md"})
    assert (tmp_path / "brief.json").read_bytes() == b"old json"  # the first, fully written, was not renamed
    assert (tmp_path / "brief.md").read_bytes() == b"old md"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.json", "brief.md"]


def test_directory_under_a_file_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match="cannot create"):
        write_files(tmp_path / "f" / "out", {"a": b"x"})


def test_files_get_the_mode_a_plain_write_would(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        written = write_files(tmp_path, {"brief.json": b"{}"})
    finally:
        os.umask(old)
    assert written[0].stat().st_mode & 0o777 == 0o640


def test_brief_json_gives_each_source_the_number_that_cites_it_on_the_page() -> None:
    from briefing.ingest import RawDocument
    from briefing.output import brief_to_dict
    from briefing.pipeline import build_brief
    from briefing.render import render_markdown

    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
    brief = build_brief([RawDocument(data=p.read_bytes(), path=str(p)) for p in seeds])
    data = brief_to_dict(brief)
    numbers = {s["id"]: s["number"] for s in data["sources"]}
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))
    page = without_completions(render_markdown(brief))  # names completed on the page: "Qin [Gang]"
    for item in brief.items:
        cited = "[" + ", ".join(str(numbers[c]) for c in item.citations) + "]"
        assert f"{' '.join(item.text.split())} {cited}" in page

"""End to end through the CLI (CliRunner) on the seed articles, and bad inputs."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefing import __version__
from briefing.cli import cli
from briefing.sections import SECTION_KEYS
from tests.helpers import SEEDS, seed_sources

SEED_BOILERPLATE = [
    "LEAVE A REPLY", "Please enter your comment!", "Please enter your name here", "Related Posts",
    "Related articles", "READ MORE", "China-US-Blinken-June19-main1-750", "Bir cevap yazın",
    "Also read:", "Aldgra Fredly is a freelance writer",
]


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("out")
    result = run("build", str(SEEDS), "--out", str(out), "--date", "2023-06-19")
    assert result.exit_code == 0, result.output
    return out, json.loads((out / "brief.json").read_text("utf-8"))


def _items(brief: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for section in brief["sections"] for item in section["items"]]


def test_all_four_outputs_and_one_page(seed_build: tuple[Path, dict[str, Any]]) -> None:
    out, _ = seed_build
    for name in ("brief.pdf", "brief.html", "brief.json", "brief.md"):
        assert (out / name).stat().st_size > 500
    assert len(PdfReader(out / "brief.pdf").pages) == 1
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*"))


def test_every_item_is_verbatim_and_cites_its_own_source_first(seed_build: tuple[Path, dict[str, Any]]) -> None:
    _, brief = seed_build
    texts = {s.id: s.text for s in seed_sources()}
    items = _items(brief)
    assert len(items) >= 8
    for item in items:
        assert item["text"] in texts[item["source"]]
        assert item["citations"][0] == item["source"]
        assert len(set(item["citations"])) == len(item["citations"])
        assert item["support"] <= len(item["citations"])


def test_citations_cover_every_source_stating_the_claim(seed_build: tuple[Path, dict[str, Any]]) -> None:
    _, brief = seed_build
    invite = [i for i in _items(brief) if re.search(r"invit\w+ Qin", i["text"])]
    assert invite, "the invitation to Washington is in the brief"
    # s1 and s5 say Blinken invited Qin; s2, s3 and s4 that Qin would visit / continue in Washington
    assert {"s1", "s5"} <= set(invite[0]["citations"])


def test_no_seed_boilerplate_and_all_sections_filled(seed_build: tuple[Path, dict[str, Any]]) -> None:
    out, brief = seed_build
    everything = "".join((out / n).read_text("utf-8") for n in ("brief.json", "brief.md", "brief.html"))
    for junk in SEED_BOILERPLATE:
        assert junk not in everything
    assert [s["key"] for s in brief["sections"]] == list(SECTION_KEYS)
    for section in brief["sections"]:
        assert section["items"], f"section {section['key']} is empty"


@pytest.mark.parametrize(
    "pattern",
    [
        r"\btalks?\b",  # the talks
        r"seven and a half hours|7-1/2 hours|seven a half hours|over seven hours",  # their length
        r"first (visit|by a US secretary)|first secretary of state",  # the first visit in years
        r"Washington",  # the invitation to Washington
        r"Taiwan|dispute",  # the disputes
        r"\bwill\b|expected|could|later",  # what comes next
    ],
)
def test_brief_covers_what_most_outlets_agree_on(seed_build: tuple[Path, dict[str, Any]], pattern: str) -> None:
    _, brief = seed_build
    assert any(re.search(pattern, item["text"]) for item in _items(brief))


def test_json_contract(seed_build: tuple[Path, dict[str, Any]]) -> None:
    _, brief = seed_build
    assert {"title", "date", "schema", "sources", "sections", "discrepancies", "stats"} <= set(brief)
    assert brief["date"] == "2023-06-19" and brief["schema"] == 1
    assert [s["id"] for s in brief["sources"]] == ["s1", "s2", "s3", "s4", "s5"]
    assert brief["sources"][0]["path"].endswith("seeds/000_58300d141a1de1db.txt")
    for item in _items(brief):
        assert {"text", "source", "citations", "support", "score"} <= set(item)
    assert {"sources", "sentences", "claims"} <= set(brief["stats"])


def test_brief_json_validates_against_the_shipped_schema(seed_build: tuple[Path, dict[str, Any]]) -> None:
    from importlib import resources

    import jsonschema

    schema = json.loads(resources.files("briefing.data").joinpath("brief.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    _, brief = seed_build
    jsonschema.validate(brief, schema)
    broken = {**brief, "sections": brief["sections"][:3]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        assert run("build", str(SEEDS), "--out", str(out), "-q").exit_code == 0
    for name in ("brief.json", "brief.html", "brief.md"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_letter_page(tmp_path: Path) -> None:
    result = run("build", str(SEEDS), "--out", str(tmp_path), "--page", "letter", "--format", "pdf,json")
    assert result.exit_code == 0
    reader = PdfReader(tmp_path / "brief.pdf")
    assert len(reader.pages) == 1
    assert round(float(reader.pages[0].mediabox.height)) == 792
    assert not (tmp_path / "brief.html").exists()


def test_json_flag_prints_only_json_on_stdout(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["schema"] == 1
    assert "wrote" in result.stderr


def test_summarize_prints_sentences_within_budget() -> None:
    result = run("summarize", str(SEEDS), "--words", "60")
    assert result.exit_code == 0
    lines = result.stdout.strip().split("\n")
    assert len(" ".join(lines).split()) <= 60
    texts = "\n".join(s.text for s in seed_sources())
    assert lines[0] in texts
    assert not any(line.startswith(("#", "[")) for line in lines)


@pytest.mark.parametrize("command", [[], ["build"], ["summarize"]])
def test_help_for_every_command(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_every_registered_command_has_help_with_example() -> None:
    for name in cli.commands:
        result = run(name, "--help")
        assert result.exit_code == 0 and "Example:" in result.output, name


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


# --- bad inputs -------------------------------------------------------------


def test_missing_path_is_one_line_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: no such file or directory: {tmp_path / 'nope.txt'}"
    assert not (tmp_path / "o").exists()


def _with_seeds(tmp_path: Path, extra: dict[str, bytes]) -> Path:
    src = tmp_path / "in"
    shutil.copytree(SEEDS, src)
    for name, data in extra.items():
        (src / name).write_bytes(data)
    return src


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n\t ", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "binary"),
        ("doc.txt", b"%PDF-1.4\n" + bytes(100), "binary"),
        ("archive.txt", b"PK\x03\x04" + bytes(100), "binary"),
        ("junk.txt", b"Related Posts\nLEAVE A REPLY\nShare this\n", "no article text left"),
        # a list of one-line entries: the warning says what its lines were
        ("list.txt", b"Suspended so far:\n\nRower Ann Lind dropped after a positive test (May 2)\n\n"
                     b"Boxer Ivo Sand expelled for a banned drug (May 4)\n", "3 of its 3 lines were heading or teaser"),
        ("german.txt", "Die Bundesregierung hat am Montag ein neues Gesetz beschlossen, das die Mieten in den Städten begrenzen soll und im nächsten Jahr in Kraft tritt.".encode(), "language"),
    ],
)
def test_bad_source_is_skipped_with_a_warning_naming_it(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    src = _with_seeds(tmp_path, {name: data})
    result = CliRunner().invoke(cli, ["build", str(src), "--out", str(tmp_path / "o"), "--format", "json"])
    assert result.exit_code == 0, result.output
    warning = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1 and name in warning[0] and reason in warning[0]
    brief = json.loads((tmp_path / "o" / "brief.json").read_text())
    assert len(brief["sources"]) == 5


def test_no_usable_source_is_one_line_exit_2_and_no_output(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(b"")
    (src / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(50))
    result = CliRunner().invoke(cli, ["build", str(src), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "error: no usable source: all 2 inputs were skipped"
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("names", [[], ["a.pdf", "notes"]])
def test_a_folder_without_articles_says_what_it_found(tmp_path: Path, names: list[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes(b"x")
    result = CliRunner().invoke(cli, ["build", str(folder), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    expected = [f"warning: skipped 2 files in {folder} (a.pdf, notes): only .txt, .md and .html files are read"]
    assert result.stderr.splitlines() == [
        *(expected if names else []),
        f"warning: skipped {folder}: the folder holds no .txt, .md or .html file",
        "error: no usable source: all 1 input was skipped",
    ]


def test_files_a_folder_holds_but_are_not_read_are_named(tmp_path: Path) -> None:
    src = _with_seeds(tmp_path, {"scan.pdf": b"%PDF-1.4", "README": b"notes"})
    result = CliRunner().invoke(cli, ["build", str(src), "--out", str(tmp_path / "o"), "--format", "json"])
    assert result.exit_code == 0
    assert f"warning: skipped 2 files in {src} (README, scan.pdf): only .txt, .md and .html files are read" \
        in result.stderr.splitlines()


@pytest.mark.parametrize("inside", [False, True])
def test_out_at_a_file_fails_before_any_source_is_read(tmp_path: Path, inside: bool) -> None:
    blocker = tmp_path / "brief.pdf"
    blocker.write_text("x")
    out = blocker / "out" if inside else blocker
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 1
    what = f"{blocker} is" if inside else "it is"
    assert result.stderr.splitlines() == [f"error: cannot create {out}: {what} a file, not a folder"]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["build", "seeds/", "--page", "A5"],
         "error: Invalid value for '--page': 'A5' is not one of 'a4', 'letter'. (see: briefing build --help)"),
        (["build"], "error: Missing argument 'SOURCES...'. (see: briefing build --help)"),
        (["buil"], "error: No such command 'buil'. Did you mean 'build'? (see: briefing --help)"),
        (["build", "seeds/", "--max-age", "soon"],
         "error: --max-age 'soon' is not a duration such as 30m, 6h or 2d"),
    ],
)
def test_usage_errors_are_one_error_line_like_every_other_error(args: list[str], line: str) -> None:
    result = CliRunner().invoke(cli, args, prog_name="briefing")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [line]


def test_help_lists_the_format_choices_and_whole_command_summaries() -> None:
    build_help = CliRunner().invoke(cli, ["build", "--help"], terminal_width=80).output
    assert "from: pdf, html, json, md." in " ".join(build_help.split())
    top = CliRunner().invoke(cli, ["--help"], terminal_width=80).output
    commands = top.split("Commands:")[1].splitlines()
    assert len([line for line in commands if line.strip()]) == len(cli.commands)
    assert not any(line.rstrip().endswith("...") for line in commands)


def test_daily_reads_briefing_toml_of_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    missing = CliRunner().invoke(cli, ["daily", "--no-email"])
    assert missing.exit_code == 2
    assert missing.stderr.splitlines() == [
        "error: no config: give --config FILE, or write ./briefing.toml with `briefing init`"
    ]
    (tmp_path / "briefing.toml").write_text("# nothing yet\n")
    found = CliRunner().invoke(cli, ["daily", "--no-email"])
    assert found.exit_code == 2
    assert found.stderr.startswith("error: briefing.toml: no topics")


def test_output_under_a_regular_file_is_one_line_exit_1(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(blocker / "out")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"error: cannot create {blocker / 'out'}")


def test_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(tmp_path), "--date", "19/06/2023"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(tmp_path), "--format", "pdf,docx"])
    assert result.exit_code == 2 and "docx" in result.stderr


def test_single_source_brief(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(SEEDS / "004_e5462b20d39559ee.txt"), "--out", str(tmp_path)])
    assert result.exit_code == 0
    md = (tmp_path / "brief.md").read_text()
    assert "1 of 1 source)" in md and "corroborated" not in md.lower()


def test_readme_links_stay_inside_the_repository_and_explain_the_labels() -> None:
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text("utf-8")
    links = re.findall(r"\]\(([^)#:]+)\)", readme)
    assert "docs/design.md" in links
    for link in links:
        assert (root / link).resolve().is_relative_to(root), link
        assert (root / link).exists(), link
    for words in ("Pango", "about 2 minutes", "single source", "corroborated", "widely reported",
                  "independent", "--max-age"):
        assert words in readme, words


def test_the_command_leaves_with_its_exit_code_and_its_output_flushed(tmp_path: Path) -> None:
    """``python -m briefing`` skips the interpreter's teardown (issue 19): codes, messages and stdout as before."""
    import subprocess
    import sys

    missing = subprocess.run([sys.executable, "-m", "briefing", "build", str(tmp_path / "missing")],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2
    assert "no such file or directory" in missing.stderr
    version = subprocess.run([sys.executable, "-m", "briefing", "--version"], capture_output=True, text=True,
                             timeout=120)
    assert version.returncode == 0 and version.stdout.startswith("briefing, version")
    from briefing.cli import _is_the_program

    assert not _is_the_program()  # pytest is not the command: main() here raises SystemExit as usual


def test_an_interrupt_lost_in_a_destructor_is_raised_again() -> None:
    # A signal's handler may run inside an object's __del__, where Python drops what it raises (test
    # runs found builds held after SIGTERM): the handler raises it once more after a short while.
    import signal
    import time
    import types

    from briefing import cli as cli_module

    old = signal.getsignal(signal.SIGALRM)
    try:
        with pytest.raises(cli_module.Terminated):
            cli_module._raise_interrupt(signal.SIGTERM, None)  # as if dropped: caught here, not by the handler
        with pytest.raises(cli_module.Terminated):
            time.sleep(cli_module.INTERRUPT_AGAIN_AFTER * 3)  # the second one arrives
        with pytest.raises(KeyboardInterrupt):
            cli_module._raise_interrupt(signal.SIGINT, None)
        cli_module._interrupt_caught()  # the command's error handler has it: no second one
        time.sleep(cli_module.INTERRUPT_AGAIN_AFTER * 1.5)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    # ... and the dropped one is not printed as a traceback; anything else still is.
    printed: list[object] = []
    original = sys.__unraisablehook__
    sys.__unraisablehook__ = printed.append
    try:
        cli_module._quiet_lost_interrupt(types.SimpleNamespace(exc_value=cli_module.Terminated()))
        cli_module._quiet_lost_interrupt(types.SimpleNamespace(exc_value=ValueError("x")))
    finally:
        sys.__unraisablehook__ = original
    assert len(printed) == 1

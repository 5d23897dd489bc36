"""Issue 14: a hostile world — slow servers, floods of copies, odd names, lying pages.

Each test is one case of the issue and one row of docs/reliability.md (rows 33 on).
Servers listen on 127.0.0.1 only and are started and stopped by the test.
"""

from __future__ import annotations

import html
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from benchmarks.speed import measure
from briefing.errors import SourceError
from briefing.fetch import FetchOptions, fetch_many, fetch_url
from briefing.settings import MAX_FEED_SOURCES, MAX_IDENTICAL_COPIES, MAX_NEAR_COPIES
from tests.robustness.servers import PageServer, TrickleServer, elapsed
from tests.robustness.support import (
    PORT_A,
    PORT_B,
    PORT_C,
    ROOT,
    SEEDS,
    assert_no_partial_output,
    briefing_command,
    copy_brief,
    invoke,
    load_brief,
    one_error_line,
    write_articles,
)

# --------------------------------------------------------------------------- 1. slow servers


@pytest.mark.parametrize("headers_first", [True, False], ids=["body-trickles", "headers-trickle"])
def test_a_server_sending_a_byte_at_a_time_is_cut_at_the_whole_download_deadline(
    tmp_path: Path, headers_first: bool
) -> None:
    # A byte every 0.3 s never trips the 20 s read timeout; only the 1.5 s deadline on
    # the whole download can stop it (the body would take over an hour).
    options = FetchOptions(read_timeout=20, total_timeout=1.5, allow_private=True, cache_dir=tmp_path)
    server = TrickleServer(interval=0.3, headers_first=headers_first)
    with server, elapsed() as took, pytest.raises(SourceError, match=r"took longer than 1\.5 s"):
        fetch_url(server.url(), options)
    assert 1.4 < took() < 3.0, took()
    assert not list((tmp_path / "http").glob("*.body")) if (tmp_path / "http").exists() else True


def test_eight_trickling_links_end_by_one_deadline_each_in_parallel(tmp_path: Path) -> None:
    options = FetchOptions(read_timeout=20, total_timeout=1.0, allow_private=True, cache_dir=tmp_path,
                           concurrency=4)
    with TrickleServer(interval=0.3) as server, elapsed() as took:
        results = fetch_many([server.url(f"/a{k}.html") for k in range(8)], options)
    assert all(isinstance(r, SourceError) and "took longer than 1 s" in str(r) for r in results), results
    # Two rounds of four downloads, 1 s each: bounded by the deadline, not by the server.
    assert took() < 4.0, took()


def _child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": "/nonexistent-cache"}


def test_sigterm_against_a_slow_server_stops_within_two_seconds_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with TrickleServer(interval=5.0) as server:  # the server: one byte every 5 s
        process = subprocess.Popen(
            [*briefing_command(), "build", server.url(), "--allow-private", "--cache-dir",
             str(tmp_path / "cache"), "--out", str(out)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_child_env(),
        )
        try:
            assert server.requested.wait(60), "the build never reached the server"
            time.sleep(0.5)  # well inside the download: the first byte of the body is pending
            assert process.poll() is None
            with elapsed() as took:
                process.send_signal(signal.SIGTERM)
                _, stderr = process.communicate(timeout=10)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == 143, stderr
    assert one_error_line(stderr) == "error: terminated; no partial brief was written"
    assert took() < 2.0, f"stopped {took():.2f} s after SIGTERM"
    print(f"SIGTERM against a 1 byte / 5 s server: stopped in {took():.2f} s")
    assert not out.exists() or not any(out.iterdir())


# --------------------------------------------------------------------------- 2. floods of copies

_SEED_FILES = sorted(SEEDS.glob("*.txt"))


def _feed(links: list[str]) -> bytes:
    items = "".join(f"<item><title>Copy {k}</title><link>{link}</link></item>" for k, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title>{items}</channel></rss>'.encode()


def test_a_10000_entry_feed_of_five_articles_stays_small_and_fast(tmp_path: Path) -> None:
    pages = {f"/a{k}.txt": ("text/plain; charset=utf-8", p.read_bytes()) for k, p in enumerate(_SEED_FILES)}
    with PageServer(pages) as server:
        feed = tmp_path / "flood.xml"
        feed.write_bytes(_feed([server.url(f"/a{k % 5}.txt?copy={k}") for k in range(10_000)]))
        out = tmp_path / "out"
        run = measure([*briefing_command(), "build", str(feed), "--allow-private", "--cache-dir",
                       str(tmp_path / "cache"), "--out", str(out), "-q"], timeout=120)
        hits = server.hits
    assert run.returncode == 0, run.stderr
    # The default --max-sources (50) is what was downloaded, not 10,000.
    assert hits == MAX_FEED_SOURCES
    assert f"took {MAX_FEED_SOURCES} of 10000 feed entries, the default limit" in run.stderr
    assert "more copies of" in run.stderr
    brief = load_brief(out)
    assert len(brief["sources"]) == 5 * MAX_IDENTICAL_COPIES
    # Both processes (the build and its PDF worker) together; a bare start-up is ~250 MB.
    assert run.peak_mb < 700, run.peak_mb
    assert run.seconds < 60, run.seconds
    print(f"10,000-entry feed: peak {run.peak_mb:.0f} MB, {run.seconds:.1f} s")


def test_400_local_copies_of_each_seed_stay_small_and_fast(tmp_path: Path) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    for k, seed in enumerate(_SEED_FILES):
        data = seed.read_bytes()
        for copy in range(400):
            (folder / f"s{k}-{copy:03d}.txt").write_bytes(data)
    out = tmp_path / "out"
    run = measure([*briefing_command(), "build", str(folder), "--out", str(out), "-q"], timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("skipped 397 more copies of") == 5, run.stderr
    assert len(load_brief(out)["sources"]) == 5 * MAX_IDENTICAL_COPIES
    assert run.peak_mb < 700, run.peak_mb
    assert run.seconds < 60, run.seconds
    print(f"2,000 local copies: peak {run.peak_mb:.0f} MB, {run.seconds:.1f} s")


def test_a_memory_error_in_the_similarity_stage_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefing.pipeline

    def out_of_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError("Unable to allocate 7.5 GiB for an array")

    monkeypatch.setattr(briefing.pipeline, "corroborate", out_of_memory)
    sources = write_articles(tmp_path / "in", {"a.txt": PORT_A, "b.txt": PORT_B})
    result = invoke("build", str(sources), "--out", str(tmp_path / "out"), "--format", "json")
    assert result.exit_code == 1
    assert one_error_line(result.stderr).startswith("error: out of memory;")
    assert not (tmp_path / "out" / "brief.json").exists()


# --------------------------------------------------------------------------- 3, 8, 10: odd names and text

_BAD_NAME = os.fsdecode(b"caf\xe9 \x1b[31mred\nline.txt")  # not UTF-8, a terminal escape, a newline
_EMPTY_BAD_NAME = os.fsdecode(b"empty-\xff.txt")
_RLO, _ZWSP = "\u202e", "\u200b"


def _odd_folder(tmp_path: Path) -> Path:
    tricky_a = PORT_A.replace("Port strike ends", f"Port {_RLO}strike{_ZWSP} ends").replace(
        "Dock workers", f"Dock{_ZWSP} workers{_RLO}", 1)
    folder = write_articles(tmp_path / "in", {"a.txt": tricky_a, "b.txt": PORT_B})
    (folder / _BAD_NAME).write_text(PORT_C, "utf-8")
    (folder / _EMPTY_BAD_NAME).write_bytes(b"")
    return folder


def _visible(text: str) -> bool:
    """No terminal escape, no bidi override or zero-width space, no undecodable byte."""
    return not any(c in text for c in ("\x1b", _RLO, _ZWSP)) and not any(
        0xD800 <= ord(c) <= 0xDFFF for c in text)


def test_non_utf8_file_names_bidi_and_zero_width_characters_are_safe_in_every_output(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from briefing.mail import build_message

    out = tmp_path / "out"
    result = invoke("build", str(_odd_folder(tmp_path)), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert all(_visible(line) for line in result.stderr.splitlines())
    assert "warning: skipped " in result.stderr and "empty-\\xff.txt: empty" in result.stderr
    # The newline in the name is shown as \x0a, so every message stays one line.
    assert all(line.startswith(("warning:", "read ", "brief:", "wrote ")) for line in result.stderr.splitlines())
    brief = load_brief(out)
    paths = [s["path"] or "" for s in brief["sources"]]
    assert any(p.endswith("caf\\xe9 \\x1b[31mred\\x0aline.txt") for p in paths), paths
    assert _visible(json.dumps(brief, ensure_ascii=False))
    for name in ("brief.md", "brief.html"):
        text = (out / name).read_text("utf-8")
        assert _visible(text), name
        assert "\\x1b[31m" in text or "\\x1b[31m" in html.unescape(text)
    metadata = PdfReader(out / "brief.pdf").metadata
    title = (metadata.title if metadata is not None else None) or ""
    assert title and _visible(title)
    subject = str(build_message(out, sender="brief@example.com", to=["desk@example.com"])["Subject"])
    assert _visible(subject) and "strike ends" in subject


def test_a_daily_topic_with_non_utf8_names_builds_and_run_json_is_written(tmp_path: Path) -> None:
    _odd_folder(tmp_path)
    config = tmp_path / "briefing.toml"
    config.write_text('output_root = "out"\n[topics.port]\nsources = ["in/"]\n', "utf-8")
    result = invoke("daily", "--config", str(config), "--date", "2024-03-05")
    assert result.exit_code == 0, result.output
    run = json.loads((tmp_path / "out" / "2024-03-05" / "run.json").read_text("utf-8"))
    assert run["topics"][0]["status"] == "ok"
    assert {"source": str(tmp_path / "in" / "empty-\\xff.txt"), "reason": "empty"} in (
        run["topics"][0]["sources"]["skipped"])


# --------------------------------------------------------------------------- 6. a 2,000-character title


def test_a_2000_character_title_is_shortened_on_the_page_and_kept_whole_in_brief_json(tmp_path: Path) -> None:
    from pypdf import PdfReader

    long_title = " ".join(["Dock workers end the northern port strike after pay deal"] * 40)[:2000].strip()
    page = (f"<html><head><title>{long_title}</title>"
            f'<meta property="og:site_name" content="{"Harbour Gazette " * 40}"></head><body><article>'
            + "".join(f"<p>{line}</p>" for line in PORT_A.splitlines()[2:] if line) + "</article></body></html>")
    folder = write_articles(tmp_path / "in", {"long.html": page, "b.txt": PORT_B, "c.txt": PORT_C})
    out = tmp_path / "out"
    result = invoke("build", str(folder), "--out", str(out), "--title", long_title)
    assert result.exit_code == 0, result.stderr
    brief = load_brief(out)
    assert brief["title"] == long_title
    assert any(len(s["title"]) > 1000 for s in brief["sources"])
    assert brief["stats"]["omitted"] == 0 and len(brief["omitted"]) == 0
    assert len(PdfReader(out / "brief.pdf").pages) == 1
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", (out / "brief.html").read_text("utf-8"), re.DOTALL)
    assert heading is not None and len(html.unescape(heading.group(1)).strip()) <= 160
    first_line = (out / "brief.md").read_text("utf-8").splitlines()[0]
    assert first_line.endswith("…") and len(first_line) <= 162


# --------------------------------------------------------------------------- 7. a page that lies about its outlet


def _page(site: str, canonical: str) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in PORT_B.splitlines()[2:] if line)
    return (f'<html><head><title>Northern port back at work</title><meta property="og:site_name" content="{site}">'
            f'<link rel="canonical" href="{canonical}"></head><body><article>{body}</article></body></html>'
            ).encode()


def test_a_page_claiming_another_outlet_is_cited_by_the_address_it_was_fetched_from(tmp_path: Path) -> None:
    with PageServer({}) as server:
        server.pages["/lie.html"] = ("text/html", _page("Reuters", "https://www.reuters.com/world/port-strike"))
        server.pages["/true.html"] = ("text/html", _page("Harbour Times", server.url("/canonical/true.html")))
        folder = write_articles(tmp_path / "in", {"a.txt": PORT_A})
        out = tmp_path / "out"
        result = invoke("build", str(folder), server.url("/lie.html"), server.url("/true.html"),
                        "--allow-private", "--cache-dir", str(tmp_path / "cache"), "--out", str(out),
                        "--format", "json,md,html")
        lie, true = server.url("/lie.html"), server.url("/true.html")
    assert result.exit_code == 0, result.stderr
    by_url = {s["url"]: s for s in load_brief(out)["sources"]}
    assert by_url[lie]["name"] == "127.0.0.1"  # not "Reuters": reuters.com is not where it came from
    assert by_url[true]["name"] == "Harbour Times"  # its canonical address is on the same host
    for name in ("brief.json", "brief.md", "brief.html"):
        text = (out / name).read_text("utf-8")
        assert "reuters.com" not in text and "Reuters" not in text and "/canonical/" not in text, name
    hrefs = re.findall(r'href="([^"]+)"', (out / "brief.html").read_text("utf-8"))
    assert {html.unescape(h) for h in hrefs if h.startswith("http")} <= {lie, true}


# --------------------------------------------------------------------------- 9. two builds into one folder


def test_two_writers_into_one_folder_never_leave_or_show_a_mixed_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from briefing import output

    real_replace = os.replace

    def slow_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        time.sleep(0.02)  # the delay that made two builds interleave their renames
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", slow_replace)
    folder = tmp_path / "out"
    names = [f"brief.{fmt}" for fmt in ("pdf", "html", "json", "md")]
    output.write_files(folder, dict.fromkeys(names, b"old"))
    seen: list[set[bytes]] = []
    done = threading.Event()

    def read_while_writing() -> None:
        while not done.is_set():
            with output.folder_lock(folder, shared=True):
                seen.append({(folder / name).read_bytes() for name in names})

    def write(tag: bytes) -> None:
        for round_ in range(5):
            output.write_files(folder, dict.fromkeys(names, tag + str(round_).encode()))

    reader = threading.Thread(target=read_while_writing)
    writers = [threading.Thread(target=write, args=(tag,)) for tag in (b"A", b"B")]
    reader.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(30)
    done.set()
    reader.join(30)
    final = {(folder / name).read_bytes() for name in names}
    assert len(final) == 1, final
    assert len(seen) > 5 and all(len(contents) == 1 for contents in seen), [s for s in seen if len(s) > 1][:3]
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


# --------------------------------------------------------------------------- 10. smaller cases


def test_symlinks_leading_out_of_a_source_folder_are_not_followed_and_said_so(tmp_path: Path) -> None:
    outside = write_articles(tmp_path / "outside", {"secret.txt": PORT_C})
    folder = write_articles(tmp_path / "in", {"a.txt": PORT_A, "b.txt": PORT_B})
    (folder / "leak.txt").symlink_to(outside / "secret.txt")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    (folder / "inside.txt").symlink_to(folder / "a.txt")  # stays inside: fine (read once)
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    out = tmp_path / "out"
    result = invoke("build", str(folder), "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert f"warning: skipped {folder / 'leak.txt'}: a symlink leading out of {folder} is not followed" in (
        result.stderr)
    assert f"skipped {folder / 'elsewhere'}" in result.stderr
    assert f"warning: skipped {folder / 'loop.txt'}: a symlink loop" in result.stderr
    assert "harbour" not in (out / "brief.json").read_text("utf-8").lower()
    assert len(load_brief(out)["sources"]) == 2


def test_a_fifo_as_a_source_or_as_the_config_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    folder = write_articles(tmp_path / "in", {"a.txt": PORT_A})
    with elapsed() as took:
        result = invoke("build", str(fifo), str(folder), "--out", str(tmp_path / "out"), "--format", "json")
        config = invoke("daily", "--config", str(fifo), "--date", "2024-03-05")
        check = invoke("config", "check", str(fifo))
    assert took() < 30
    assert result.exit_code == 0, result.stderr
    assert f"warning: skipped {fifo}: not a regular file (a FIFO or socket)" in result.stderr
    for run in (config, check):
        assert run.exit_code == 2
        assert one_error_line(run.stderr) == f"error: cannot read config {fifo}: not a regular file"


def test_deeply_nested_json_and_toml_are_one_line_errors(tmp_path: Path) -> None:
    deep_json = tmp_path / "brief.json"
    deep_json.write_text("[" * 200_000 + "]" * 200_000, "utf-8")
    deep_toml = tmp_path / "briefing.toml"
    deep_toml.write_text("x = " + "[" * 200_000 + "]" * 200_000 + "\n", "utf-8")
    folder = write_articles(tmp_path / "in", {"a.txt": PORT_A})
    previous = invoke("build", str(folder), "--previous", str(deep_json), "--out", str(tmp_path / "out"))
    assert previous.exit_code == 2
    assert "nested too deeply" in one_error_line(previous.stderr)
    assert not (tmp_path / "out").exists()
    config = invoke("config", "check", str(deep_toml))
    assert config.exit_code == 2
    assert one_error_line(config.stderr) == f"error: {deep_toml}: nested too deeply to be a config"
    send = invoke("send", str(tmp_path), "--to", "desk@example.com", "--from", "brief@example.com",
                  "--dry-run", str(tmp_path / "x.eml"))
    assert send.exit_code == 2 and "nested too deeply" in one_error_line(send.stderr)


def test_terminal_escapes_and_newlines_in_feed_entries_are_neutralised(tmp_path: Path) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        b"<item><title>Evil \x1b[2J\x1b]0;owned\x07 title</title><link>javascript:alert(1)</link></item>"
        b"<item><title>Fine</title><link>http://127.0.0.1:9/a\x1b[31m.html</link></item>"
        b"</channel></rss>")
    folder = write_articles(tmp_path / "in", {"a.txt": PORT_A})
    out = tmp_path / "out"
    result = invoke("build", str(feed), str(folder), "--allow-private", "--cache-dir", str(tmp_path / "c"),
                    "--out", str(out), "--format", "json,md", "--timeout", "2")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert len(warnings := [ln for ln in result.stderr.splitlines() if ln.startswith("warning:")]) >= 2, warnings
    assert "\x1b" not in (out / "brief.md").read_text("utf-8")


@pytest.mark.parametrize("date", ["20240305", "2024-W10-2", "2024-3-5", " 2024-03-05x"])
def test_date_accepts_only_yyyy_mm_dd(tmp_path: Path, date: str) -> None:
    folder = write_articles(tmp_path / "in", {"a.txt": PORT_A})
    build = invoke("build", str(folder), "--date", date, "--out", str(tmp_path / "out"), "--format", "json")
    assert build.exit_code == 2 and "--date must be a date as YYYY-MM-DD" in one_error_line(build.stderr)
    config = tmp_path / "briefing.toml"
    config.write_text('output_root = "out"\n[topics.port]\nsources = ["in/"]\n', "utf-8")
    daily = invoke("daily", "--config", str(config), "--date", date)
    assert daily.exit_code == 2 and "--date must be a date as YYYY-MM-DD" in one_error_line(daily.stderr)
    assert not (tmp_path / "out").exists()


def test_a_brief_with_no_items_is_an_error_and_writes_nothing(tmp_path: Path, previous_brief: Path) -> None:
    folder = write_articles(tmp_path / "in", {"a.txt": "Headline\n\nOk.\n", "b.txt": "Short title here\n\nYes.\n"})
    out = tmp_path / "out"
    before = copy_brief(previous_brief, out)
    result = invoke("build", str(folder), "--out", str(out))
    assert result.exit_code == 2
    assert "would have 0 items" in one_error_line(result.stderr)
    assert_no_partial_output(out, before)


def test_run_json_describes_a_run_that_stopped_early(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing.daily

    write_articles(tmp_path / "in", {"a.txt": PORT_A, "b.txt": PORT_B})
    config = tmp_path / "briefing.toml"
    config.write_text('output_root = "out"\n[topics.port]\nsources = ["in/"]\n', "utf-8")
    first = invoke("daily", "--config", str(config), "--date", "2024-03-05")
    assert first.exit_code == 0, first.output
    run_json = tmp_path / "out" / "2024-03-05" / "run.json"
    assert json.loads(run_json.read_text("utf-8"))["status"] == "ok"

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(briefing.daily, "run_topic", interrupted)
    second = invoke("daily", "--config", str(config), "--date", "2024-03-05")
    assert second.exit_code == 130
    run = json.loads(run_json.read_text("utf-8"))
    assert run["status"] == "failed" and run["error"] == "interrupted after 0 of 1 topics"


def test_200_near_copies_of_each_seed_stay_small_and_fast(tmp_path: Path) -> None:
    # Each copy differs by one line, so no two files have the same bytes: only the
    # near-copy limit (one syndication group, at most 5 sources) keeps the graph small.
    folder = tmp_path / "near"
    folder.mkdir()
    for k, seed in enumerate(_SEED_FILES):
        head, _, rest = seed.read_text("utf-8").partition("\n")
        for copy in range(200):
            (folder / f"s{k}-{copy:03d}.txt").write_text(
                f"{head}\n\nFiled by desk {copy} of the wire service.\n{rest}", "utf-8")
    out = tmp_path / "out"
    run = measure([*briefing_command(), "build", str(folder), "--out", str(out), "-q", "--format", "json"],
                  timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("skipped 195 more near-copies of") == 5, run.stderr
    assert len(load_brief(out)["sources"]) == 5 * MAX_NEAR_COPIES
    assert run.peak_mb < 600, run.peak_mb  # 1.1 GB before the limit
    assert run.seconds < 40, run.seconds
    print(f"1,000 near-copies: peak {run.peak_mb:.0f} MB, {run.seconds:.1f} s")

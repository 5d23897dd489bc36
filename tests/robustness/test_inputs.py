"""Bad and unusual inputs (RELIABILITY rows 14-18, 20-23): a warning and a skip, or one error line.

Every run that fails must leave the output folder exactly as it was: no new or
changed ``brief.*`` and no ``*.tmp``.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from briefing.clean import normalize_whitespace
from briefing.errors import SourceError
from briefing.ingest import RawDocument, decode_text, read_file, to_source
from briefing.settings import MAX_SOURCE_BYTES
from tests.robustness.support import (
    PORT_A,
    PORT_B,
    PORT_C,
    assert_no_partial_output,
    briefing_command,
    copy_brief,
    invoke,
    items_of,
    load_brief,
    one_error_line,
    snapshot,
    squash,
    warnings_of,
    write_articles,
)


def _png() -> bytes:
    """A real 1x1 PNG (signature, IHDR, IDAT, IEND), made without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(
        b"IEND", b""
    )


def _zip() -> bytes:
    """A real ZIP whose only member is an English article, stored uncompressed (readable bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("article.txt", PORT_C)
    return buffer.getvalue()


def _build(folder: Path, *extra: str) -> tuple[int, str, Path]:
    out = folder / "out"
    result = invoke("build", str(folder / "in"), "--out", str(out), "--format", "json,md", *extra)
    return result.exit_code, result.stderr, out


# --- rows 14 and 15: empty, whitespace-only and binary files ------------------------------------


def test_empty_and_whitespace_only_files_are_skipped_by_name(tmp_path: Path) -> None:
    unusable = {
        "empty.txt": b"",
        "blank.txt": b"  \n\n\t \r\n",
        "nbsp.txt": "\u00a0 \u2003\n\u00a0".encode(),  # Unicode spaces only
        "bom-only.txt": codecs.BOM_UTF16_LE,  # a byte-order mark and nothing else
        "blank.html": b"   \n",
    }
    write_articles(tmp_path / "in", {"a.txt": PORT_A, "c.txt": PORT_C, **unusable})
    code, stderr, out = _build(tmp_path)
    assert code == 0, stderr
    warnings = warnings_of(stderr)
    assert sorted(warnings) == sorted(f"warning: skipped {tmp_path / 'in' / name}: empty" for name in unusable)
    assert [Path(s["path"]).name for s in load_brief(out)["sources"]] == ["a.txt", "c.txt"]


def test_binary_files_renamed_txt_are_skipped_by_name(tmp_path: Path, previous_brief: Path) -> None:
    unusable = {
        "image.txt": _png(),
        "document.txt": (previous_brief / "brief.pdf").read_bytes(),  # a real PDF from WeasyPrint
        "archive.txt": _zip(),
        "archive.html": _zip(),
        "compressed.txt": b"\x1f\x8b\x08\x00" + zlib.compress(PORT_A.encode()),
    }
    write_articles(tmp_path / "in", {"a.txt": PORT_A, "c.txt": PORT_C, **unusable})
    code, stderr, out = _build(tmp_path)
    assert code == 0, stderr
    assert sorted(warnings_of(stderr)) == sorted(
        f"warning: skipped {tmp_path / 'in' / name}: binary" for name in unusable
    )
    assert [Path(s["path"]).name for s in load_brief(out)["sources"]] == ["a.txt", "c.txt"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"empty.txt": b"", "blank.md": b" \n "}, "error: no usable source: all 2 inputs were skipped"),
        ({"image.txt": _png(), "archive.txt": _zip()}, "error: no usable source: all 2 inputs were skipped"),
        # The folder was named: it is the one input, skipped with a warning saying what it holds (issue 18).
        ({"notes.json": b'{"a": 1}', "photo.png": _png()}, "error: no usable source: all 1 input was skipped"),
    ],
    ids=["all-empty", "all-binary", "no-supported-file"],
)
def test_a_folder_with_no_usable_file_is_exit_2_and_leaves_the_previous_brief(
    tmp_path: Path, previous_brief: Path, files: dict[str, bytes], message: str
) -> None:
    out = tmp_path / "out"
    before = copy_brief(previous_brief, out)
    write_articles(tmp_path / "in", files)
    result = invoke("build", str(tmp_path / "in"), "--out", str(out))
    assert result.exit_code == 2
    assert one_error_line(result.stderr).startswith(message)
    assert result.stdout == ""
    assert_no_partial_output(out, before)


# --- row 16: a 100 MB file ----------------------------------------------------------------------

_MEASURE = """
import json, resource, subprocess, sys, time
started = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=60)
print(json.dumps({"code": done.returncode, "stderr": done.stderr, "seconds": time.monotonic() - started,
                  "max_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def _measure(tmp_path: Path, source: Path) -> dict[str, Any]:
    """Run ``briefing build SOURCE`` in a child process; its exit code, stderr, time and peak RSS."""
    # A wrapper process measures only its own child: getrusage(RUSAGE_CHILDREN) here would
    # include every earlier subprocess of the test session.
    measured = subprocess.run(
        [sys.executable, "-c", _MEASURE, *briefing_command(), "build", str(source), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, check=True, timeout=90,
    )  # fmt: skip
    report: dict[str, Any] = json.loads(measured.stdout)
    return report


def test_a_100_mb_file_is_refused_at_the_cap_fast_and_small(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: no real disk use
    (tmp_path / "empty.txt").write_bytes(b"")
    baseline = _measure(tmp_path, tmp_path / "empty.txt")  # start-up alone: Python, click, the pipeline
    report = _measure(tmp_path, big)
    assert report["code"] == 2
    assert report["stderr"].splitlines() == [
        f"warning: skipped {big}: 100.0 MB is over the 5.0 MB limit per source",
        "error: no usable source: all 1 input was skipped",
    ]
    # Relative to a bare start-up, not an absolute time: the cap costs nothing
    # that grows with the file, whatever else the machine is doing (absolute
    # timings belong in benchmarks/; about 1.7 s here, most of it imports).
    assert report["seconds"] < baseline["seconds"] + 1.0, (baseline, report)
    # The file is never read into memory: no more than a bare start-up, and far under 300 MB.
    assert report["max_rss_mib"] < baseline["max_rss_mib"] + 16, (baseline, report)
    assert report["max_rss_mib"] < 300
    assert not (tmp_path / "out").exists()


def test_an_oversized_file_among_good_ones_is_skipped_and_the_rest_used(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", {"a.txt": PORT_A, "b.txt": PORT_B})
    with (folder / "huge.html").open("wb") as handle:
        handle.truncate(MAX_SOURCE_BYTES + 1)
    result = invoke("summarize", str(folder), "--words", "40")
    assert result.exit_code == 0, result.stderr
    assert warnings_of(result.stderr) == [
        f"warning: skipped {folder / 'huge.html'}: 5.0 MB is over the 5.0 MB limit per source"
    ]
    assert result.stdout.strip()


def test_a_file_that_lies_about_its_size_is_cut_at_the_cap() -> None:
    # /dev/zero says it is 0 bytes long; the reader stops one byte past the cap.
    zero = Path("/dev/zero")
    if not zero.exists():
        pytest.skip("no /dev/zero")
    with pytest.raises(SourceError, match=r"over the 5\.0 MB limit per source"):
        read_file(zero)


# --- row 17: encodings --------------------------------------------------------------------------

ENCODED_ARTICLES: dict[str, tuple[str, str]] = {
    # name: (encoding, original text)
    "cp1252.txt": ("cp1252", "Port deal signed as workers accept “final” offer\n\n"
                   "Dock workers accepted the union’s “final” offer – worth €5m, or ½ of the annual budget – on Tuesday.\n"
                   "Dock workers said the deal would end the strike that began nine days ago.\n"),
    "latin1.txt": ("latin-1", "Café owners near the harbour welcome the end of the strike\n\n"
                   "Owners of the café on the quay said the strike had cost them their busiest week of the year.\n"
                   "The mayor of Saint-Étienne-du-Port said the city would help the café owners recover.\n"),
    "utf16.txt": ("utf-16-bom", "Shipping lines expect backlog to clear within a week\n\n"
                  "Shipping companies said the backlog of containers would take at least a week to clear.\n"
                  "Cranes at the northern terminal restarted on Wednesday – the port’s busiest day.\n"),
    "utf8bom.txt": ("utf-8-sig", "Union leaders thank members for their patience\n\n"
                    "Union leaders said members had shown “great patience” during the long dispute.\n"
                    "Union leaders said dockers’ wages rise by 6½ percent over two years.\n"),
    "eol.txt": ("utf-8", "Port strike ends\r\nThe port strike ended on Tuesday after a pay deal was agreed by both sides.\r"
                "Workers returned to the cranes on Wednesday, the port authority said.\n"
                "The agreement covers 1,200 dock workers at three terminals, the union said.\r\n"),
}  # fmt: skip
FRENCH = "Le ministre a déclaré que la réunion à Genève était « très constructive » et réussie, à 20 h."


def _encode(encoding: str, text: str) -> bytes:
    if encoding == "utf-16-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "text"),
    [*ENCODED_ARTICLES.values(), ("latin-1", FRENCH), ("cp1252", FRENCH), ("utf-16-be", PORT_A)],
    ids=[*ENCODED_ARTICLES, "latin1-french", "cp1252-french", "utf16be-no-bom"],
)
def test_each_encoding_decodes_to_exactly_the_original(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(_encode(encoding, text))
    assert decode_text(read_file(path).data) == text


def test_items_from_every_encoding_are_verbatim(tmp_path: Path) -> None:
    folder = write_articles(
        tmp_path / "in", {name: _encode(enc, text) for name, (enc, text) in ENCODED_ARTICLES.items()}
    )
    result = invoke("build", str(folder), "--out", str(tmp_path / "out"), "--format", "json,md", "--max-items", "30")
    assert result.exit_code == 0, result.stderr
    assert warnings_of(result.stderr) == []
    brief = load_brief(tmp_path / "out")
    original = {s["id"]: normalize_whitespace(ENCODED_ARTICLES[Path(s["path"]).name][1]) for s in brief["sources"]}
    items = items_of(brief)
    for item in items:
        assert item["text"] in original[item["source"]], item
    # The characters that a wrong guess would mangle all reach the brief intact.
    everything = "\n".join(item["text"] for item in items)
    for text in ("“final” offer – worth €5m, or ½ of", "the café on the quay", "by 6½ percent", "“great patience”"):
        # (Sentences a brief can carry alone: "The union's ..." would be a back-reference.)
        assert text in everything
    assert "\r" not in everything and "\ufeff" not in everything
    md = (tmp_path / "out" / "brief.md").read_text("utf-8")
    assert "Café owners near the harbour" in md and "€5m" in md


# --- row 18: an HTML page full of furniture -----------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Port strike ends after pay deal - Coastal Post</title>
<meta property="og:site_name" content="Coastal Post">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<script>window.tracker = "JUNK-SCRIPT-HEAD";</script>
</head><body>
<nav class="menu"><ul><li><a href="/">Home JUNK-NAV</a></li><li><a href="/world">World JUNK-NAV</a></li></ul></nav>
<main><article>
<h1>Port strike ends after pay deal</h1>
<p>Dock workers at the northern port ended a nine-day strike on Tuesday after union leaders accepted a revised pay offer.</p>
<p>The agreement raises wages by six percent over two years and limits overtime shifts, the union said.</p>
<p onclick="steal('JUNK-ONCLICK')">Shipping companies said the backlog of containers would take at least a week to clear.</p>
<script>document.write("JUNK-SCRIPT-BODY")</script>
<p>The port authority said it would publish a new schedule for vessels waiting at anchor by Thursday.</p>
</article></main>
<aside class="related"><h3>Related Posts</h3><ul><li><a href="/a">JUNK-RELATED one story about ports</a></li></ul></aside>
<div id="comments"><h3 id="reply-title">LEAVE A REPLY</h3>
<form id="commentform" action="/wp-comments-post.php" method="post">
<textarea name="comment" placeholder="Please enter your comment!">JUNK-COMMENT</textarea>
<input name="author" placeholder="Please enter your name here" value="JUNK-AUTHOR">
<button type="submit" onclick="post('JUNK-BUTTON')">Post Comment</button></form></div>
<footer><p>Copyright 2024 Coastal Post. JUNK-FOOTER All rights reserved.</p></footer>
</body></html>"""


def test_html_furniture_is_dropped_and_metadata_kept(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", {"page.html": PAGE, "b.txt": PORT_B})
    out = tmp_path / "out"
    result = invoke("build", str(folder), "--out", str(out), "--format", "json,md,html")
    assert result.exit_code == 0, result.stderr
    brief = load_brief(out)
    page = next(s for s in brief["sources"] if s["path"].endswith("page.html"))
    assert (page["name"], page["title"], page["published"]) == (
        "Coastal Post", "Port strike ends after pay deal", "2024-03-05",
    )  # fmt: skip
    text = to_source(RawDocument(data=PAGE.encode(), path="page.html"), "s1").text
    assert "nine-day strike" in text and "new schedule for vessels" in text
    outputs = text + "".join((out / name).read_text("utf-8") for name in ("brief.json", "brief.md", "brief.html"))
    junk = ["JUNK-", "LEAVE A REPLY", "Please enter your", "Related Posts", "steal(", "onclick", "All rights reserved"]
    for marker in junk:
        assert marker not in outputs, marker
    assert any(item["source"] == page["id"] for item in items_of(brief))


# --- rows 20-23: how many sources, and which -----------------------------------------------------

WIRE_BODY = """Dock workers at the northern port ended a nine-day strike on Tuesday after union leaders accepted a revised pay offer from the port authority.
The agreement raises wages by six percent over two years and limits overtime shifts, according to a statement released by the union.
Shipping companies said the backlog of containers would take at least a week to clear once cranes restart.
The port authority said it would publish a new schedule for vessels waiting at anchor by Thursday.
"""
OTHER = """Harbour reopens as strike ends
Source: Harbour Times

Dock workers ended their nine-day strike on Tuesday after accepting a revised pay offer, union leaders said.
Cranes at the northern terminal restarted on Wednesday morning, the port authority said.
"""


@pytest.mark.parametrize("variant", ["same-body-other-furniture", "identical-files"])
def test_syndicated_copies_count_once_and_both_are_cited(tmp_path: Path, variant: str) -> None:
    if variant == "identical-files":
        copy = "Port strike ends after pay deal\nSource: Gulf Courier\n\n" + WIRE_BODY
        articles = {"a_gulf.txt": copy, "b_copy.txt": copy}
        independent = 1
    else:
        articles = {
            "a_gulf.txt": "Port strike ends after pay deal\nSource: Gulf Courier\n\n" + WIRE_BODY
            + "Reporting by Gulf Courier staff; editing by the desk.\n",
            "b_coastal.txt": "Strike at northern port is over\nSource: Coastal Post\n\n" + WIRE_BODY
            + "Copyright Coastal Post 2024. All rights reserved.\n",
            "c_harbour.txt": OTHER,
        }
        independent = 2
    folder = write_articles(tmp_path / "in", articles)
    out = tmp_path / "out"
    result = invoke("build", str(folder), "--out", str(out), "--format", "json,md")
    assert result.exit_code == 0, result.stderr
    brief = load_brief(out)
    assert brief["stats"]["sources"] == len(articles)
    assert brief["stats"]["independent_sources"] == independent
    copies = {"s1", "s2"}
    shared = [item for item in items_of(brief) if copies <= set(item["citations"])]
    assert shared, "no item cites both copies"
    for item in items_of(brief):
        assert item["of"] == independent
        # The two copies are one voice: citing both adds no support.
        cited = set(item["citations"])
        assert item["support"] == len(cited - {"s2"} if copies <= cited else cited)
    md = (out / "brief.md").read_text("utf-8")
    assert f"({independent} independent)" in md
    # Sources are numbered by outlet name, so the two copies' numbers depend on their names.
    assert re.search(rf"\[\d, \d[\],].*\(1 of {independent} source", md)


def _all_output_text(out: Path) -> str:
    """brief.json, .md, .html, the PDF's text and the email HTML, as one string."""
    from briefing.mail import render_email_html

    pdf_text = subprocess.run(
        ["pdftotext", "-layout", str(out / "brief.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    email_html = render_email_html(json.loads((out / "brief.json").read_text("utf-8")))
    files = "".join((out / name).read_text("utf-8") for name in ("brief.json", "brief.md", "brief.html"))
    return files + squash(pdf_text) + email_html


def test_a_single_source_is_1_of_1_and_never_corroborated(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", {"only.txt": PORT_A})
    out = tmp_path / "out"
    result = invoke("build", str(folder / "only.txt"), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    brief = load_brief(out)
    assert items_of(brief) and all(i["support"] == 1 and i["citations"] == ["s1"] for i in items_of(brief))
    everything = _all_output_text(out) + result.stderr
    assert "corroborat" not in everything.lower()
    assert "1 of 1 source" in everything and "1 of 1 sources" not in everything
    assert "1 sources" not in squash(everything)


def test_two_sources_with_nothing_in_common_are_all_single_source(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", {"a.txt": PORT_A, "c.txt": PORT_C})
    out = tmp_path / "out"
    result = invoke("build", str(folder), "--out", str(out), "--format", "json,md")
    assert result.exit_code == 0, result.stderr
    brief = load_brief(out)
    items = items_of(brief)
    assert {i["source"] for i in items} == {"s1", "s2"}
    for item in items:
        assert item["citations"] == [item["source"]] and item["support"] == 1 and item["of"] == 2
    assert brief["discrepancies"] == []
    md = (out / "brief.md").read_text("utf-8")
    assert md.count("(1 of 2 sources · single source)") == len(items)
    assert "corroborat" not in md.lower()


GERMAN = """Hafenstreik nach neun Tagen beendet

Die Hafenarbeiter haben am Dienstag ihren Streik beendet, nachdem die Gewerkschaft ein neues Angebot angenommen hatte.
Die Reedereien erwarten, dass der Rückstau an Containern in einer Woche abgebaut sein wird.
"""
TURKISH = """Liman grevi dokuz gün sonra sona erdi

Liman işçileri, sendika yöneticilerinin yeni ücret teklifini kabul etmesinin ardından salı günü grevi sona erdirdi.
Nakliye şirketleri, konteyner birikiminin bir hafta içinde temizlenmesini beklediklerini söyledi.
"""


def test_german_and_turkish_articles_are_skipped_with_a_language_warning(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", {"a.txt": PORT_A, "b.txt": PORT_B, "de.txt": GERMAN, "tr.txt": TURKISH})
    out = tmp_path / "out"
    result = invoke("build", str(folder), "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert warnings_of(result.stderr) == [
        f"warning: skipped {folder / 'de.txt'}: language: looks like German, not English",
        f"warning: skipped {folder / 'tr.txt'}: language: looks like Turkish, not English",
    ]
    brief = load_brief(out)
    assert [Path(s["path"]).name for s in brief["sources"]] == ["a.txt", "b.txt"]
    assert not any(ch in item["text"] for item in items_of(brief) for ch in "üğış")


def test_only_foreign_articles_is_exit_2_with_no_output(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", {"de.txt": GERMAN, "tr.txt": TURKISH})
    out = tmp_path / "out"
    result = invoke("build", str(folder), "--out", str(out))
    assert result.exit_code == 2
    assert len(warnings_of(result.stderr)) == 2
    assert one_error_line(result.stderr) == "error: no usable source: all 2 inputs were skipped"
    assert snapshot(out) == {}

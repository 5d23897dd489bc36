"""Daily runs end to end: two topics, two days, a rerun, email once, locks and failures.

Topic "china-us" reads local files from ``articles/{date}/china-us/``; topic
"heatwave" reads an RSS feed served by the 127.0.0.1 web server of
tests/test_fetch.py, whose entries link to pages on the same server. Emails go
to an aiosmtpd server on 127.0.0.1 (tests/test_mail.py). The fixtures are in
tests/fixtures/daily: day 2 restates some of day 1's claims (word for word or
in other words), adds new ones and drops others.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from briefing import mail
from briefing.changes import (
    PreviousBrief,
    compare,
    find_previous,
    load_previous,
    same_claim_matrix,
)
from briefing.cli import cli
from briefing.errors import PreviousBriefError
from tests.test_fetch import PAGE_TYPE, Reply, WebServer
from tests.test_mail import Recorder, free_port, smtp_server

FIXTURES = Path(__file__).parent / "fixtures" / "daily"
DAY1, DAY2 = "2023-06-19", "2023-06-20"
FORMATS = ("pdf", "html", "json", "md")
CLEAN_ENV: dict[str, str | None] = {name: None for name in [*mail.ENV_VARS, mail.DEFAULT_PASSWORD_ENV]}

#: The aiosmtpd server of a test: no TLS, no login.
SMTP_TABLE = """
[smtp]
host = "127.0.0.1"
port = {port}
security = "none"
timeout = 5
sender = "Daily Brief <brief@example.com>"
"""

CONFIG = """
output_root = "out"

[defaults]
max_items = 12

[fetch]
timeout = 2
allow_private = true   # the test web server is on 127.0.0.1

{smtp}
[topics.china-us]
title = "China–US relations"
sources = ["articles/{{date}}/china-us/"]
recipients = ["desk@example.com", "chief@example.com"]

[topics.heatwave]
title = "Heatwave in southern Europe"
sources = ["{web}/europe/feed.rss"]
topic = "heatwave temperatures Europe"
since_days = 0
recipients = ["weather@example.com"]
"""


def daily(config: Path, date: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["daily", "--config", str(config), "--date", date, *args], env=CLEAN_ENV)


def items(brief: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for section in brief["sections"] for item in section["items"]]


def item_with(brief: dict[str, Any], words: str) -> dict[str, Any]:
    (found,) = [item for item in items(brief) if words in item["text"]]
    return found


def read_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every brief file under a dated folder, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.glob("*/brief.*"))}


def copy_articles(tmp: Path) -> None:
    shutil.copytree(FIXTURES / "articles", tmp / "articles")


def serve_daily_fixtures(web: WebServer) -> None:
    for page in (FIXTURES / "web").glob("*.html"):
        web.routes[f"/daily/{page.name}"] = Reply(headers={"Content-Type": PAGE_TYPE}, body=page.read_bytes())


def serve_feed(web: WebServer, day: str) -> None:
    body = (FIXTURES / "web" / f"feed-{day}.rss").read_bytes().replace(b"{{BASE}}", web.base.encode())
    web.routes["/europe/feed.rss"] = Reply(headers={"Content-Type": "application/rss+xml"}, body=body)


# ------------------------------------------------------------- two days and a rerun


@dataclass
class World:
    """One config run for day 1, day 2, day 2 again, then day 2 with --resend for one topic."""

    folder: Path
    config: Path
    runs: dict[str, Result] = field(default_factory=dict)
    mails: dict[str, int] = field(default_factory=dict)
    hits: dict[str, dict[str, int]] = field(default_factory=dict)
    briefs: dict[str, dict[str, bytes]] = field(default_factory=dict)
    recorder: Recorder = field(default_factory=Recorder)

    def out(self, day: str, *parts: str) -> Path:
        return self.folder.joinpath("out", day, *parts)

    def brief(self, day: str, slug: str) -> dict[str, Any]:
        data: dict[str, Any] = read_json(self.out(day, slug, "brief.json"))
        return data

    def run_json(self, step: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.runs[step].stdout)
        return data


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("daily")
    copy_articles(folder)
    web = WebServer().start()
    serve_daily_fixtures(web)
    try:
        world = World(folder, folder / "briefing.toml")
        with smtp_server(world.recorder) as smtp:
            world.config.write_text(CONFIG.format(smtp=SMTP_TABLE.format(port=smtp.port), web=web.base), "utf-8")
            steps = [("day1", DAY1, ()), ("day2", DAY2, ()), ("rerun", DAY2, ()),
                     ("resend", DAY2, ("--resend", "--only", "heatwave"))]
            for step, day, extra in steps:
                serve_feed(web, day)
                world.runs[step] = daily(world.config, day, "--json", *extra)
                world.mails[step] = len(world.recorder.received)
                world.hits[step] = dict(web.hits)
                world.briefs[step] = snapshot(world.out(day))
        yield world
    finally:
        web.stop()


def test_day1_writes_dated_briefs_for_every_topic_and_emails_them(world: World) -> None:
    result = world.runs["day1"]
    assert result.exit_code == 0, result.output
    report = world.run_json("day1")
    assert report == read_json(world.out(DAY1, "run.json"))
    assert [(t["slug"], t["status"]) for t in report["topics"]] == [("china-us", "ok"), ("heatwave", "ok")]
    for slug in ("china-us", "heatwave"):
        for fmt in FORMATS:
            assert world.out(DAY1, slug, f"brief.{fmt}").stat().st_size > 500
        assert len(PdfReader(world.out(DAY1, slug, "brief.pdf")).pages) == 1
        brief = world.brief(DAY1, slug)
        assert brief["date"] == DAY1
        # Nothing to compare with on the first day: no "changes", no "new".
        assert "changes" not in brief and all("new" not in item for item in items(brief))
    assert not list(world.out(DAY1).rglob("*.tmp"))
    assert world.brief(DAY1, "china-us")["title"] == "China–US relations"
    assert world.mails["day1"] == 2


def test_feed_topic_keeps_entries_on_the_topic_and_the_date(world: World) -> None:
    heat = world.run_json("day1")["topics"][1]
    assert heat["sources"] == {"read": 3, "used": 3, "skipped": []}
    names = [s["name"] for s in world.brief(DAY1, "heatwave")["sources"]]
    assert names == ["Southern Post", "Iberia Times", "Adriatic Daily"]
    assert world.hits["day1"].get("/daily/sport-transfer.html", 0) == 0  # off topic: never fetched
    # Day 2 takes only the day-2 entries (since_days = 0) of a freshly fetched feed.
    day2_heat = world.run_json("day2")["topics"][1]
    assert day2_heat["sources"]["used"] == 2
    assert world.hits["day2"]["/europe/feed.rss"] == 2
    assert world.hits["day2"]["/daily/southern-post-heat.html"] == 1


def test_day2_marks_new_items_and_lists_dropped_claims(world: World) -> None:
    assert world.runs["day2"].exit_code == 0, world.runs["day2"].output
    brief = world.brief(DAY2, "china-us")
    assert brief["changes"]["since"] == DAY1
    assert all(isinstance(item["new"], bool) for item in items(brief))
    # Yesterday's articles are known (issue 16): what they said is not repeated ...
    texts = " ".join(item["text"] for item in items(brief))
    assert "first US secretary of state to visit China in five years" not in texts
    # ... and an item that yesterday's brief stated (in other words) is not marked new.
    assert all(not item["new"] for item in items(brief) if "35 minutes" in item["text"]
               or "military-to-military" in item["text"])
    # The brief leads with what the new articles add.
    assert brief["bottom_line"] is None or "dictator" in brief["bottom_line"]["text"] or any(
        item["new"] for item in items(brief) if item["text"] == brief["bottom_line"]["text"])
    # New subjects.
    assert item_with(brief, "dictator")["new"] is True
    assert item_with(brief, "hell of a job")["new"] is True
    assert item_with(brief, "Ukraine Recovery Conference")["new"] is True
    assert brief["changes"]["new"] == sum(item["new"] for item in items(brief))

    dropped = brief["changes"]["dropped"]
    dropped_text = " ".join(d["text"] for d in dropped)
    assert "Bali" in dropped_text and "passenger flights" in dropped_text
    assert "35 minutes" not in dropped_text and "five years" not in dropped_text
    day1_texts = {item["text"] for item in items(world.brief(DAY1, "china-us"))}
    assert all(d["text"] in day1_texts for d in dropped)
    bali = next(d for d in dropped if "Bali" in d["text"])
    assert bali["outlets"] and set(bali["outlets"]) <= {"Pacific Courier", "The Daily Ledger", "Northern Star"}

    heat = world.brief(DAY2, "heatwave")
    assert item_with(heat, "Acropolis")["new"] is True
    # Yesterday's forecast, restated by today's articles, is known: not repeated, never "New".
    assert all(not item["new"] for item in items(heat) if "Forecasters expect the heat" in item["text"])


def test_day2_outputs_show_new_markers_and_the_dropped_list(world: World) -> None:
    md = world.out(DAY2, "china-us", "brief.md").read_text("utf-8")
    assert "- **New** " in md and f"## Dropped since {DAY1}" in md and "Bali" in md
    html = world.out(DAY2, "china-us", "brief.html").read_text("utf-8")
    assert '<span class="new">New</span>' in html and f"Dropped since {DAY1}" in html
    pdf = PdfReader(world.out(DAY2, "china-us", "brief.pdf"))
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "New" in text and f"Dropped since {DAY1}".upper() in text.upper() and "Bali" in text


def test_day2_email_shows_new_markers_and_the_dropped_list(world: World) -> None:
    messages = [r.message() for r in world.recorder.received[world.mails["day1"]:world.mails["day2"]]]
    (china,) = [m for m in messages if "desk@example.com" in str(m["To"])]
    html_part = china.get_body(("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert ">New</span>" in html and f"Dropped since {DAY1}" in html
    new = world.brief(DAY2, "china-us")["changes"]["new"]
    plain_part = china.get_body(("plain",))
    assert plain_part is not None
    plain = plain_part.get_content()
    for shown in (html, plain):
        # The PDF's "N new since DATE"; nothing that points at the server's files or at brief.json.
        assert f"{new} new since {DAY1}" in " ".join(shown.split())
        assert "brief.json" not in shown and str(world.folder) not in shown
    assert max(len(line) for line in plain.splitlines()) <= 72
    assert [p.get_filename() for p in china.iter_attachments()] == [f"brief-{DAY2}.pdf"]
    sent = read_json(world.out(DAY2, "china-us", "sent.json"))
    assert sent["delivered"] == ["desk@example.com", "chief@example.com"]
    assert sent["sends"][0]["message_id"] == china["Message-ID"]
    topic = world.run_json("day2")["topics"][0]
    assert topic["email"]["status"] == "sent" and topic["email"]["message_id"] == china["Message-ID"]


def test_rerun_changes_no_byte_and_sends_nothing_twice(world: World) -> None:
    result = world.runs["rerun"]
    assert result.exit_code == 0, result.output
    assert world.briefs["rerun"] == world.briefs["day2"]
    assert sorted(world.briefs["rerun"]) == sorted(f"{s}/brief.{f}" for s in ("china-us", "heatwave") for f in FORMATS)
    assert world.mails["rerun"] == world.mails["day2"]
    # Every URL came from this date's cache: not a single request.
    assert world.hits["rerun"] == world.hits["day2"]
    emails = [t["email"] for t in world.run_json("rerun")["topics"]]
    assert [e["status"] for e in emails] == ["already sent", "already sent"]
    sent = read_json(world.out(DAY2, "china-us", "sent.json"))
    assert len(sent["sends"]) == 1 and emails[0]["message_id"] == sent["sends"][0]["message_id"]
    assert "already emailed" in result.stderr


def test_resend_sends_again_and_only_the_topics_asked_for(world: World) -> None:
    result = world.runs["resend"]
    assert result.exit_code == 0, result.output
    assert world.mails["resend"] == world.mails["rerun"] + 1
    assert world.recorder.received[-1].rcpt_tos == ["weather@example.com"]
    topics = {t["slug"]: t for t in world.run_json("resend")["topics"]}
    assert topics["china-us"]["status"] == "skipped" and topics["heatwave"]["email"]["status"] == "sent"
    assert len(read_json(world.out(DAY2, "heatwave", "sent.json"))["sends"]) == 2
    assert world.briefs["resend"] == world.briefs["day2"]  # the skipped topic's brief is untouched


def test_json_goes_to_stdout_alone_and_progress_to_stderr(world: World) -> None:
    result = world.runs["resend"]
    assert result.stdout == world.out(DAY2, "run.json").read_text("utf-8")
    assert "heatwave:" in result.stderr and "{" not in result.stderr


def test_build_previous_gives_what_daily_gives(world: World, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [
        "build", str(world.folder / "articles" / DAY2 / "china-us"), "--out", str(out), "--title", "China–US relations",
        "--date", DAY2, "--max-items", "12", "--format", "json,md", "-q",
        "--previous", str(world.out(DAY1, "china-us", "brief.json")),
        # The daily run knows the previous date's articles (kept in sources.jsonl).
        "--known", str(world.folder / "articles" / DAY1 / "china-us"),
    ])
    assert result.exit_code == 0, result.output
    # The daily run's sources were given relative to the config: same folder, other spelling.
    daily_json = world.out(DAY2, "china-us", "brief.json").read_text("utf-8")
    assert (out / "brief.json").read_text("utf-8") == daily_json
    assert (out / "brief.md").read_bytes() == world.out(DAY2, "china-us", "brief.md").read_bytes()


def test_build_previous_that_is_not_a_brief_exits_2_before_building(tmp_path: Path) -> None:
    bad = tmp_path / "brief.json"
    bad.write_text('{"title": "x"}', "utf-8")
    result = CliRunner().invoke(cli, ["build", str(FIXTURES / "articles" / DAY2 / "china-us"),
                                      "--out", str(tmp_path / "out"), "--previous", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {bad} is not a brief.json (KeyError: 'date')"
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ failures and locks


def test_a_topic_whose_sources_all_fail_is_reported_and_the_other_completes(tmp_path: Path) -> None:
    copy_articles(tmp_path)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "empty.txt").write_bytes(b"")
    (broken / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    config = tmp_path / "briefing.toml"
    config.write_text("""
[topics.china-us]
sources = ["articles/{date}/china-us/"]
[topics.broken]
sources = ["broken/", "missing-feed.rss"]
""", "utf-8")
    result = daily(config, DAY1, "--json")
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    assert report["status"] == "partial" and report["exit_code"] == 3
    china, failed = report["topics"]
    assert china["status"] == "ok" and china["sources"] == {"read": 3, "used": 3, "skipped": []}
    assert failed["status"] == "failed"
    assert failed["error"] == f"no such file or directory: {tmp_path / 'missing-feed.rss'}"
    assert not (tmp_path / "out" / DAY1 / "broken").exists()
    for fmt in FORMATS:
        assert (tmp_path / "out" / DAY1 / "china-us" / f"brief.{fmt}").is_file()

    # Only the broken topic, now with existing paths: both files skipped, with reasons; exit 1.
    config.write_text(config.read_text("utf-8").replace(', "missing-feed.rss"', ""), "utf-8")
    alone = daily(config, DAY1, "--only", "broken", "--json")
    assert alone.exit_code == 1, alone.output
    failed = json.loads(alone.stdout)["topics"][1]
    assert failed["sources"]["skipped"] == [
        {"source": str(broken / "empty.txt"), "reason": "empty"},
        {"source": str(broken / "photo.txt"), "reason": "binary"},
    ]
    assert failed["error"].startswith("no usable source")
    assert "warning: broken: skipped" in alone.stderr and "broken: failed: no usable source" in alone.stderr


def test_email_failures_keep_the_brief_and_a_rerun_sends_only_to_who_missed_it(tmp_path: Path) -> None:
    copy_articles(tmp_path)
    config = tmp_path / "briefing.toml"
    template = SMTP_TABLE + """
[topics.china-us]
sources = ["articles/{{date}}/china-us/"]
recipients = ["desk@example.com", "gone@example.com"]
"""
    config.write_text(template.format(port=free_port()), "utf-8")  # nothing listens there
    down = daily(config, DAY1, "--json")
    assert down.exit_code == 1, down.output
    topic = json.loads(down.stdout)["topics"][0]
    assert topic["status"] == "failed" and "connection refused" in topic["error"]
    assert topic["email"]["status"] == "failed"
    folder = tmp_path / "out" / DAY1 / "china-us"
    assert (folder / "brief.pdf").is_file() and not (folder / "sent.json").exists()

    recorder = Recorder(refuse={"gone@example.com"})
    with smtp_server(recorder) as server:
        config.write_text(template.format(port=server.port), "utf-8")
        partial = daily(config, DAY1, "--json")
        assert partial.exit_code == 1
        topic = json.loads(partial.stdout)["topics"][0]
        assert topic["email"]["status"] == "partial" and topic["email"]["accepted"] == ["desk@example.com"]
        assert "not delivered to gone@example.com (550" in topic["error"]
        assert read_json(folder / "sent.json")["delivered"] == ["desk@example.com"]

        recorder.refuse.clear()
        retry = daily(config, DAY1, "--json")
        assert retry.exit_code == 0, retry.output
    assert [r.rcpt_tos for r in recorder.received] == [["desk@example.com"], ["gone@example.com"]]
    assert read_json(folder / "sent.json")["delivered"] == ["desk@example.com", "gone@example.com"]


def test_a_second_run_for_the_same_date_exits_5_and_touches_nothing(tmp_path: Path) -> None:
    copy_articles(tmp_path)
    config = tmp_path / "briefing.toml"
    config.write_text('[topics.china-us]\nsources = ["articles/{date}/china-us/"]\n', "utf-8")
    day = tmp_path / "out" / DAY1
    (day / "china-us").mkdir(parents=True)
    earlier = {"run.json": b'{"first": "run"}\n', "china-us/brief.json": b'{"being": "written"}\n'}
    for name, data in earlier.items():
        (day / name).write_bytes(data)
    def state() -> dict[Path, tuple[bytes, int]]:
        return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in day.rglob("*") if p.is_file() and p.name != ".lock"}

    before = state()
    # The first run is another process holding the lock.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, filelock; lock = filelock.FileLock(sys.argv[1]); lock.acquire();"
         " print('held', flush=True); sys.stdin.read()", str(day / ".lock")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = daily(config, DAY1)
    finally:
        holder.communicate("", timeout=10)
    assert result.exit_code == 5
    assert result.stderr.strip() == f"error: locked: another run for {DAY1} is in progress ({day / '.lock'})"
    assert state() == before
    assert sorted(p.name for p in day.iterdir()) == [".lock", "china-us", "run.json"]


def test_output_root_under_a_file_is_one_line_exit_1(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file, not a folder", "utf-8")
    config = tmp_path / "briefing.toml"
    config.write_text('[topics.a]\nsources = ["a/"]\n', "utf-8")
    result = daily(config, DAY1)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: cannot create {tmp_path / 'out' / DAY1}: Not a directory"


# ---------------------------------------------------------------------- unit: changes


def test_same_claim_is_exact_text_or_close_wording() -> None:
    today = [
        "Blinken  is the first US secretary of state to visit China in five years.",
        "Blinken met Xi for about 35 minutes at the Great Hall of the People on Monday.",
        "Biden called Xi a dictator at a fundraiser in California.",
    ]
    previous = [
        "blinken is the first US secretary of state to visit China in five years.",
        "The meeting with Xi at the Great Hall of the People lasted about 35 minutes.",
        "The two sides agreed to increase passenger flights between the countries.",
    ]
    matches = same_claim_matrix(today, previous)
    assert matches.tolist() == [[True, False, False], [False, True, False], [False, False, False]]
    assert same_claim_matrix([], previous).shape == (0, 3)


def test_a_claim_still_reported_but_ranked_out_is_not_dropped() -> None:
    from briefing.model import Brief, DroppedClaim, Item, Section, Source

    kept = "Blinken met Xi for about 35 minutes at the Great Hall of the People on Monday."
    ranked_out = "The two sides agreed to increase passenger flights between the countries."
    gone = "Both sides said they would meet again in Bali before the end of the year."
    source = Source("s1", "Pacific Courier", "Talks", None, None, None, f"{kept} {ranked_out}")
    item = Item(text=kept, source="s1", citations=("s1",), support=1, score=1.0, rank=1, section="meetings")
    brief = Brief("Talks", "2023-06-20", (source,), (Section("meetings", "Meetings", (item,)),))
    previous = PreviousBrief("2023-06-19", tuple(DroppedClaim(t, ("s1",), ("Pacific Courier",))
                                                 for t in (kept, ranked_out, gone)))
    changes = compare(brief, previous).changes
    assert changes is not None
    assert [d.text for d in changes.dropped] == [gone]


def test_find_previous_takes_the_latest_earlier_day_within_a_week(tmp_path: Path) -> None:
    import datetime as dt

    def make(day: str) -> Path:
        path = tmp_path / day / "china-us" / "brief.json"
        path.parent.mkdir(parents=True)
        path.write_text("{}", "utf-8")
        return path

    june20 = dt.date(2023, 6, 20)
    assert find_previous(tmp_path, "china-us", june20) is None
    make("2023-06-12")  # 8 days back: too old
    assert find_previous(tmp_path, "china-us", june20) is None
    week = make("2023-06-13")
    assert find_previous(tmp_path, "china-us", june20) == week
    latest = make("2023-06-17")
    make("2023-06-20")  # the same day is never "previous"
    assert find_previous(tmp_path, "china-us", june20) == latest
    assert find_previous(tmp_path, "heatwave", june20) is None


@pytest.mark.parametrize(("content", "message"), [
    (None, "no previous brief at"),
    ("not json", "cannot read previous brief"),
    ('{"date": "yesterday", "sources": [], "sections": []}', "is not a brief.json (ValueError"),
    ('{"date": "2023-06-19", "sources": [], "sections": [{"key": "x", "items": [{"text": "a"}]}]}',
     "is not a brief.json (KeyError: 'citations')"),
])
def test_load_previous_refuses_what_is_not_a_brief(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "brief.json"
    if content is not None:
        path.write_text(content, "utf-8")
    with pytest.raises(PreviousBriefError, match=re.escape(message)):
        load_previous(path)

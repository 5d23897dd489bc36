"""One brief as a job (issue 17): the same bytes built here, in a process pool, or on a Dask cluster."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefing import jobs
from briefing.cli import cli
from briefing.config import load_config
from briefing.daily import run_daily
from briefing.ingest import RawDocument
from briefing.jobs import BriefRequest, build_one, run_jobs
from briefing.pipeline import BuildOptions, build_brief, write_brief
from tests.helpers import ROOT, SEEDS

FIXTURES = ROOT / "tests" / "fixtures" / "daily"
DATE = "2023-06-19"

#: Two topics from local files: three articles on Blinken in Beijing, three on a heatwave.
CONFIG = """
output_root = "out"

[topics.china-us]
title = "China–US relations"
sources = ["{articles}/2023-06-19/china-us/"]

[topics.heatwave]
sources = ["{web}/adriatic-daily-heat.html", "{web}/southern-post-heat.html", "{web}/iberia-times-heat.html"]
"""


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # fontTools stamps the current second into each PDF's fonts unless this is set (then the PDF
    # bytes are the same in every run); the worker processes inherit it. A private cache folder:
    # what other runs write into the user's cache cannot change one run of a comparison.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def seed_request() -> BriefRequest:
    raws = tuple(RawDocument(data=p.read_bytes(), path=str(p)) for p in sorted(SEEDS.glob("*.txt")))
    return BriefRequest(name="seeds", raws=raws, options=BuildOptions(title="Seeds"))


def write_config(folder: Path) -> Path:
    path = folder / "briefing.toml"
    path.write_text(CONFIG.format(articles=FIXTURES / "articles", web=FIXTURES / "web"), "utf-8")
    return path


def outputs(day_dir: Path) -> dict[str, Any]:
    """Every file of a run, run.json without its timings and its output folder."""
    files: dict[str, Any] = {str(p.relative_to(day_dir)): p.read_bytes() for p in sorted(day_dir.glob("*/brief.*"))}
    run = json.loads((day_dir / "run.json").read_text("utf-8"))
    for topic in run["topics"]:
        topic.pop("seconds")
    run.pop("seconds")
    run.pop("output")
    files["run.json"] = run
    return files


def test_a_request_and_its_result_cross_process_boundaries() -> None:
    request = seed_request()
    assert pickle.loads(pickle.dumps(request)) == request
    result = build_one(request)
    assert result.ok and result.brief is not None
    again = pickle.loads(pickle.dumps(result))
    assert again.files == result.files and again.brief == result.brief


def test_a_job_gives_the_bytes_a_direct_build_writes(tmp_path: Path) -> None:
    request = seed_request()
    result = build_one(request)
    assert sorted(result.files) == ["brief.html", "brief.json", "brief.md", "brief.pdf"]
    _, paths = write_brief(build_brief(request.raws, request.options), tmp_path, request.options)
    assert {p.name: p.read_bytes() for p in paths} == dict(result.files)
    assert result.brief is not None and result.brief.title == "Seeds"
    assert result.peak_mb > 0


def test_a_failing_job_returns_its_error_and_the_others_go_on() -> None:
    empty = BriefRequest(name="empty", raws=(RawDocument(data=b"", path="empty.txt"),))
    results = list(run_jobs([empty, seed_request()], jobs=1))
    assert [r.name for r in results] == ["empty", "seeds"]
    assert results[0].error is not None and "no usable source" in results[0].error
    assert results[0].warnings == ("skipped empty.txt: empty",)
    assert results[1].ok


def test_jobs_below_one_is_a_usage_error() -> None:
    from briefing.errors import UsageError

    with pytest.raises(UsageError, match="--jobs"):
        run_jobs([seed_request()], jobs=0)


def test_daily_with_two_processes_writes_what_a_serial_run_writes(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    serial = CliRunner().invoke(cli, ["daily", "-c", str(config), "--date", DATE, "-o", str(tmp_path / "serial")])
    assert serial.exit_code == 0, serial.output
    pooled = CliRunner().invoke(cli, ["daily", "-c", str(config), "--date", DATE, "-o", str(tmp_path / "pool"),
                                      "--jobs", "2"])
    assert pooled.exit_code == 0, pooled.output
    first, second = outputs(tmp_path / "serial" / DATE), outputs(tmp_path / "pool" / DATE)
    assert len([name for name in first if name.endswith("brief.pdf")]) == 2
    assert second == first


def test_daily_on_a_local_dask_cluster_writes_what_a_serial_run_writes(tmp_path: Path) -> None:
    from distributed import LocalCluster

    loaded = load_config(write_config(tmp_path))
    date = dt.date.fromisoformat(DATE)
    serial = run_daily(loaded, date=date, output_root=tmp_path / "serial", send_email=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",  # type: ignore[no-untyped-call]
                      dashboard_address=None) as cluster:
        on_dask = run_daily(loaded, date=date, output_root=tmp_path / "dask", send_email=False,
                            scheduler=cluster.scheduler_address)
    assert serial.exit_code == on_dask.exit_code == 0
    assert [t.title for t in on_dask.topics] == [t.title for t in serial.topics]
    assert outputs(tmp_path / "dask" / DATE) == outputs(tmp_path / "serial" / DATE)


def test_an_unreachable_scheduler_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "SCHEDULER_TIMEOUT", 1.0)
    result = CliRunner().invoke(cli, ["stories", str(SEEDS), "--out", str(tmp_path / "out"),
                                      "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "error: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output


def test_section_cues_decide_the_sections_and_the_bottom_line_in_one_pass() -> None:
    # The config's cues are planned in build_brief, so the bottom line is chosen among the
    # items as placed (it used to be chosen under the shipped cues, then the sections re-planned).
    from briefing.sections import CueRules

    cues = CueRules.from_mapping({"open_issues": ["the"]})
    request = seed_request()
    result = build_one(BriefRequest(name="cues", raws=request.raws, product="brief",
                                    options=BuildOptions(title="Seeds", sections=cues)))
    brief = result.brief
    assert brief is not None and brief.bottom_line is not None
    assert sum(1 for item in brief.items if item.section == "open_issues") >= 3
    assert brief.bottom_line in brief.items


def test_every_product_comes_from_build_one() -> None:
    from briefing.pipeline import summarize

    request = seed_request()
    summary = build_one(BriefRequest(name="s", raws=request.raws, product="summary", words=60))
    assert summary.ok and summary.summary == tuple(summarize(request.raws, words=60)) and not summary.files
    unfitted = build_one(BriefRequest(name="b", raws=request.raws, options=request.options, product="brief"))
    assert unfitted.brief == build_brief(request.raws, request.options) and not unfitted.files
    with pytest.raises(Exception, match="word budget"):
        BriefRequest(name="s", raws=request.raws, product="summary")


def test_a_failure_carries_its_exit_code_or_propagates() -> None:
    from briefing.errors import EXIT_USAGE, NoUsableSourceError

    empty = BriefRequest(name="empty", raws=(RawDocument(data=b"", path="empty.txt"),))
    assert build_one(empty).exit_code == EXIT_USAGE
    with pytest.raises(NoUsableSourceError):
        build_one(empty, catch=False)


def test_the_largest_requests_go_first_and_results_keep_their_order() -> None:
    def request(name: str, size: int) -> BriefRequest:
        return BriefRequest(name=name, raws=(RawDocument(data=b"x" * size, path=f"{name}.txt"),))

    requests = [request("small", 10), request("big", 1000), request("mid", 100), request("big2", 1000)]
    assert jobs.largest_first(requests) == [1, 3, 2, 0]
    empty = BriefRequest(name="empty", raws=(RawDocument(data=b"", path="empty.txt"),))
    results = list(run_jobs([empty, seed_request()], jobs=2))
    assert [r.name for r in results] == ["empty", "seeds"] and results[1].ok and not results[0].ok

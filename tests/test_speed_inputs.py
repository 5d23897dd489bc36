"""Issue 19: the speed benchmark times distinct articles only, and a quick run of it works."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.common import Cluster, Document
from benchmarks.speed import (
    Measurement,
    Row,
    articles_cell,
    distinct_articles,
    goals,
    paragraphs,
    recombine,
    write_distinct,
)
from tests.helpers import ROOT


def _paragraph(cluster_id: str, k: int, p: int) -> str:
    """A paragraph with words of its own (mixes are checked for near-copies by word shingles)."""
    return f"Paragraph {p} of article {k} in {cluster_id}: " + " ".join(f"w{k}x{p}x{j}" for j in range(8)) + "."


def _cluster(cluster_id: str, count: int) -> Cluster:
    docs = tuple(
        Document(id=f"{cluster_id}-{k}", title=f"Title {k}", date="2000-01-01",
                 text="\n\n".join(_paragraph(cluster_id, k, p) for p in range(4)))
        for k in range(count)
    )
    return Cluster(id=cluster_id, docs=docs, refs=())


def test_real_articles_come_first_then_distinct_recombinations() -> None:
    clusters = [_cluster("D1", 4), _cluster("D2", 3)]
    articles = distinct_articles(clusters, 15)
    assert len(articles) == 15
    assert len({a.text for a in articles}) == 15  # no two files word-for-word equal
    assert [a.recombined for a in articles[:7]] == [False] * 7
    assert all(a.recombined for a in articles[7:])
    # A recombined article takes paragraphs of two different articles of one cluster.
    mixed = articles[7].text
    assert "article 0 in D1" in mixed and "article 1 in D1" in mixed and "D2" not in mixed


def test_a_repeated_article_is_used_once_and_too_large_a_size_is_refused() -> None:
    cluster = _cluster("D1", 2)
    twice = Cluster(id="D1", docs=(cluster.docs[0], cluster.docs[0], cluster.docs[1]), refs=())
    articles = distinct_articles([twice], 3)
    assert len({a.text for a in articles}) == 3
    with pytest.raises(ValueError, match="distinct articles"):
        distinct_articles([_cluster("D1", 2)], 50)


def test_recombine_alternates_paragraphs_and_splits_unparagraphed_text_by_sentences() -> None:
    first, second = _cluster("D1", 2).docs
    text = recombine(first, second, 1, 2)
    assert text is not None
    assert text.startswith("Title 0\n\n")
    assert text.split("\n\n")[1:] == [
        _paragraph("D1", 1, 0), _paragraph("D1", 0, 1), _paragraph("D1", 1, 2), _paragraph("D1", 0, 3)]
    assert paragraphs("One here. Two here. Three here. Four here.") == [
        "One here. Two here. Three here.", "Four here."]


def test_files_are_written_and_counted(tmp_path: Path) -> None:
    articles = distinct_articles([_cluster("D1", 3)], 5)
    assert write_distinct(articles, tmp_path) == 2
    assert len(list(tmp_path.glob("*.txt"))) == 5


def test_the_table_says_how_rows_were_made_and_checks_the_goals() -> None:
    fast = Measurement(0.5, 200.0, 0, False, cpu_seconds=0.6)
    row = Row(1000, 0, 30000, Measurement(4.0, 900.0, 0, False), 3.5, True, None, recombined=250)
    assert articles_cell(row) == "1,000 (750 real + 250 recombined)"
    lines = goals([Row(5, 0, 100, fast, 0.3, True, None, label="seeds"),
                   Row(50, 0, 1000, fast, 0.3, True, Measurement(12.0, 200.0, 0, False), label="50, --format json"),
                   row])
    assert any("Seeds" in line and "meets" in line for line in lines)
    assert any("24.0×" in line and "meets" in line for line in lines)
    assert any("1,000 distinct" in line and "meets ≤ 5 s; meets ≤ 1 GiB" in line for line in lines)
    # Each half of a goal is judged on its own: fast enough but too big.
    big = Row(10000, 0, 300000, Measurement(50.0, 2500.0, 0, False), 49.0, True, None)
    (line,) = [line for line in goals([big]) if "10,000 distinct" in line]
    assert "meets ≤ 60 s; misses ≤ 2 GiB" in line


@pytest.mark.skipif(not (ROOT.parent / "shared" / "data" / "duc2006-dev.jsonl").is_file(),
                    reason="DUC 2006 dev data not found (kept outside the repository)")
def test_a_quick_run_of_the_benchmark(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/speed.py", "--sizes", "8", "--json-articles", "3", "--repeat", "1",
         "--skip-lexrank", "--out", str(tmp_path / "speed.md"), "--png", str(tmp_path / "speed.png"),
         "--json", str(tmp_path / "speed.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=True)
    assert "| seeds |" in done.stdout and "| 3, --format json |" in done.stdout and "| 8 |" in done.stdout
    saved = json.loads((tmp_path / "speed.json").read_text(encoding="utf-8"))
    assert [row["label"] for row in saved["rows"]] == ["seeds", "3, --format json", ""]
    assert all(row["briefing"]["returncode"] == 0 for row in saved["rows"])


def test_a_run_past_the_memory_cap_is_stopped_and_says_so() -> None:
    from benchmarks.speed import measure, seconds_cell

    hog = "b = bytearray(400 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(30)"
    stopped = measure([sys.executable, "-c", hog], timeout=60, max_mb=200)
    assert stopped.stopped and stopped.stopped_for == "memory" and stopped.seconds < 30
    assert seconds_cell(stopped, 60).startswith("stopped at ")


def test_no_recombined_article_is_a_near_copy_of_another() -> None:
    # Briefing's own notion of a copy (word 5-shingles, Jaccard >= 0.6): every article its own group,
    # through every round of a cluster, where rounds r and n - r pair the same two articles.
    from briefing.corroborate import text_groups

    docs = tuple(
        Document(id=f"A{k}", title=f"Headline number {k}", date="2000-01-01", text="\n\n".join(
            f"In paragraph {p} reporter {k} wrote that the council met on day {p * 7 + k} to discuss "
            f"budget item {p * 13 + k} and the vote of member {k * 3 + p} was counted twice" for p in range(6)))
        for k in range(7)
    )
    articles = distinct_articles([Cluster(id="D1", docs=docs, refs=())], 7 * 7)
    groups = text_groups(tuple(a.text for a in articles))
    assert len(set(groups)) == len(articles) == 49

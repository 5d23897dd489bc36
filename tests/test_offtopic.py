"""Articles far from the story the others tell are reported and left out (``--keep-off-topic`` keeps them).

The articles are written for the tests: six reports of one flood and a stock-index table.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.offtopic import MIN_SOURCES, off_topic
from tests.helpers import sources_from_texts

FLOOD = [
    "River floods the valley\n\nThe Arno river burst its banks on Monday and flooded the valley towns. "
    "Rescuers used boats to reach families trapped by the flood water in the valley.",
    "Valley towns under water\n\nFlood water from the Arno covered the valley towns after the river burst its "
    "banks. Boats carried rescuers to families on the roofs.",
    "Rescuers reach trapped families\n\nRescue boats reached families trapped on roofs in the flooded valley as "
    "the Arno river kept rising after bursting its banks.",
    "Flood damage counted\n\nThe flood left mud in every valley town the Arno river reached; rescuers said the "
    "water was falling and the families were safe.",
    "Valley flood: river falls\n\nThe Arno river fell on Tuesday after flooding the valley; rescuers in boats "
    "had taken trapped families from the roofs.",
    "Towns clean up after flood\n\nValley towns began to clear flood mud as the Arno river fell back inside its "
    "banks and rescuers ended the boat search for trapped families.",
]
STOCKS = ("Hang Seng closing table\n\nFollowing are index closing figures of the day: utilities 12,345.6, "
          "properties 23,456.7, commerce and industry 8,765.4, finance 34,567.8, turnover in dollars.")


def test_an_article_of_another_story_is_off_topic() -> None:
    sources = sources_from_texts([*FLOOD[:3], STOCKS, *FLOOD[3:]])
    far = off_topic(sources)
    assert [o.index for o in far] == [3]
    assert far[0].similarity < far[0].median


def test_articles_of_one_story_are_all_kept() -> None:
    assert off_topic(sources_from_texts(FLOOD)) == ()


def test_too_few_articles_are_never_judged() -> None:
    assert off_topic(sources_from_texts([*FLOOD[: MIN_SOURCES - 2], STOCKS])) == ()


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for k, text in enumerate([*FLOOD, STOCKS]):
        (folder / f"{k:02d}.txt").write_text(text, "utf-8")
    return folder


def test_build_names_the_article_left_out_and_keep_off_topic_keeps_it(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    result = CliRunner().invoke(cli, ["build", str(folder), "--out", str(tmp_path / "a"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "left out" in result.output and "06.txt" in result.output and "--keep-off-topic" in result.output
    assert re.search(r"only \d\d words", result.output)  # a short text: a notice or a table, not a story
    brief = json.loads((tmp_path / "a" / "brief.json").read_text("utf-8"))
    assert [Path(p).name for p in brief["stats"]["off_topic"]] == ["06.txt"]
    assert len(brief["sources"]) == len(FLOOD)
    assert [s["id"] for s in brief["sources"]] == [f"s{k}" for k in range(1, len(FLOOD) + 1)]

    kept = CliRunner().invoke(
        cli, ["build", str(folder), "--out", str(tmp_path / "b"), "--format", "json", "--keep-off-topic"])
    assert kept.exit_code == 0, kept.output
    brief = json.loads((tmp_path / "b" / "brief.json").read_text("utf-8"))
    assert brief["stats"]["off_topic"] == [] and len(brief["sources"]) == len(FLOOD) + 1


def test_summarize_leaves_it_out_too(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    result = CliRunner().invoke(cli, ["summarize", str(folder), "--words", "200"])
    assert result.exit_code == 0, result.output
    assert "left out" in result.output
    assert "Hang Seng" not in result.output and "closing figures" not in result.output


def test_similarity_sums_are_the_matrix_rows_summed_block_by_block(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from briefing import articles
    from briefing.worker import Worker

    sources = sources_from_texts([*FLOOD, STOCKS])
    matrix = articles.similarity_matrix(sources)
    expected = [float(row.sum() - row[k]) for k, row in enumerate(matrix)]  # what off_topic summed before
    monkeypatch.setattr(articles, "ROWS_PER_BLOCK", 3)  # blocks of 3, 3 and 1 rows
    assert articles.similarity_sums(sources) == expected  # the same numbers, bit for bit
    monkeypatch.setattr(articles, "PARALLEL_SUMS_FROM", 2)
    with Worker(warm=False) as worker:  # the second half stemmed and summed there
        assert articles.similarity_sums(sources, worker=worker) == expected
    assert expected[-1] < min(expected[:-1])  # the stock table is the far one
    assert not np.allclose(expected, expected[0])


@pytest.mark.parametrize("extra", [0, 1])  # an even and an odd number of articles: one middle value or two
def test_quick_sums_find_the_same_articles_median_and_similarities(monkeypatch: pytest.MonkeyPatch,
                                                                   extra: int) -> None:
    from briefing import offtopic

    # Thirty reports of the flood (each a pair of the six, in turn) and two strays.
    reports = [f"{FLOOD[k % 6]}\n\n{FLOOD[(k + 1 + k // 6) % 6].split(chr(10))[-1]}" for k in range(30 + extra)]
    stray = STOCKS.replace("Hang Seng", "Nikkei")
    sources = sources_from_texts([*reports[:11], STOCKS, *reports[11:], stray])
    exact = off_topic(sources)
    monkeypatch.setattr(offtopic, "EXACT_SUMS_UP_TO", 0)
    quick = off_topic(sources)
    assert quick == exact  # the same indices, similarities and median, bit for bit
    assert [o.index for o in exact] == [11, len(sources) - 1]

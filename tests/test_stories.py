"""Stories (issue 17): mixed articles grouped by event, one brief per story, the index, and build's warning."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from briefing.articles import similarity_matrix, story_words
from briefing.cli import cli
from briefing.ingest import RawDocument, collect_paths, read_paths
from briefing.model import Source
from briefing.stories import (
    DISTANCE_THRESHOLD,
    StoryEntry,
    group_sources,
    mixed_warning,
    prepare_each,
    rank_key,
    slugify,
    unique_slugs,
)
from tests.helpers import ROOT, SEEDS, seed_sources

HEAT = ROOT / "tests" / "fixtures" / "daily" / "web"
#: Five articles about a heatwave in southern Europe, from three outlets, published 19 and 20 June.
HEAT_FILES = sorted(HEAT.glob("*heat*.html"))

#: Another event in the seeds' city, with the same country and officials' titles: a heat record in Beijing.
BEIJING_HEAT = [
    """Beijing swelters through its hottest June day on record

BEIJING, June 22 — Beijing recorded its hottest June day since records began on Thursday, as the
thermometer at the city's southern observatory reached 41.1 degrees Celsius, China's weather agency said.
The heat closed parks in the afternoon and power demand in the Chinese capital hit a new high.
Officials urged the elderly to stay indoors and told outdoor workers to stop work at noon.
The China Meteorological Administration issued its highest heat alert for Beijing, Tianjin and Hebei.
Forecasters expect the heatwave to ease only after rain arrives at the weekend.""",
    """Record heat grips Beijing as power use peaks

BEIJING, June 22 — Temperatures in Beijing climbed above 41 degrees Celsius on Thursday, the highest
ever measured in the city in June, the national weather service said. Electricity use across the
northern grid set a record as air conditioners ran all day, the grid operator said. Parks and some
building sites closed in the afternoon heat. The weather agency kept its red heat alert for Beijing,
Tianjin and Hebei and said relief would come with weekend rain.""",
    """China's capital breaks June heat record

BEIJING, June 23 — Beijing's southern observatory measured 41.1 degrees Celsius, breaking the city's
June heat record, China's meteorological administration said. Hospitals reported more cases of
heatstroke, and city officials asked people to avoid going out at midday. Power demand in the capital
reached a record. The red heat alert for Beijing, Tianjin and Hebei stays in force until rain arrives
this weekend, forecasters said.""",
]


def heat_sources() -> list[Source]:
    return [source for _, source in prepare_each(read_paths([Path(p) for p in HEAT_FILES]))]


def beijing_sources() -> list[Source]:
    raws = [RawDocument(data=text.encode("utf-8"), path=f"beijing-{k}.txt") for k, text in enumerate(BEIJING_HEAT)]
    return [source for _, source in prepare_each(raws)]


def test_two_events_are_two_stories_each_kept_whole_even_days_apart() -> None:
    seeds, heat = list(seed_sources()), heat_sources()
    assert len(seeds) == 5 and len(heat) == 5
    # Interleaved, so that input order cannot give the answer away.
    mixed = [s for pair in zip(seeds, heat, strict=True) for s in pair]
    groups = group_sources(mixed)
    assert sorted(groups) == [(0, 2, 4, 6, 8), (1, 3, 5, 7, 9)]
    assert len({s.published for s in heat}) > 1  # the heatwave story spans two days


def test_two_events_in_the_same_city_stay_apart() -> None:
    seeds, beijing = list(seed_sources()), beijing_sources()
    groups = group_sources([*seeds, *beijing])
    assert sorted(groups) == [(0, 1, 2, 3, 4), (5, 6, 7)]


def test_grouping_is_the_same_whatever_the_order_of_the_sources() -> None:
    sources = [*seed_sources(), *heat_sources(), *beijing_sources()]
    forward = {frozenset(sources[i].text for i in g) for g in group_sources(sources)}
    reverse = list(reversed(sources))
    backward = {frozenset(reverse[i].text for i in g) for g in group_sources(reverse)}
    assert forward == backward


@pytest.mark.parametrize(("count", "expected"), [(0, ()), (1, ((0,),))])
def test_too_few_sources_are_each_their_own_story(count: int, expected: tuple[tuple[int, ...], ...]) -> None:
    assert group_sources(list(seed_sources())[:count]) == expected


def test_mixed_warning_names_each_story_and_one_story_gets_none() -> None:
    warning = mixed_warning([*seed_sources(), *heat_sources()])
    assert warning is not None
    assert "2 different stories" in warning
    assert "Blinken" in warning and "eat" in warning  # each story named by a headline
    same_city = mixed_warning([*seed_sources(), *beijing_sources()])
    assert same_city is not None and "2 different stories" in same_city and "Beijing" in same_city
    assert mixed_warning(list(seed_sources())) is None


def test_mixed_warning_on_many_sources_looks_at_a_sample() -> None:
    many = [*seed_sources(), *heat_sources()] * 21  # 210 sources: the warning's matrix stays 200 × 200
    warning = mixed_warning(many)
    assert warning is not None and "2 different stories (in a sample of 200 of the 210 articles)" in warning


@pytest.mark.parametrize(("title", "slug"), [
    ("Blinken to wrap up talks in China, may meet Xi", "blinken-to-wrap-up-talks-in-china-may-meet-xi"),
    ("Ça chauffe à Séville: 44 °C", "ca-chauffe-a-seville-44-c"),
    ("!!!", "story"),
    ("word " * 30, "-".join(["word"] * 12)),
])
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert len(slugify(title)) <= 60


def test_two_stories_with_one_title_get_two_folders() -> None:
    assert unique_slugs(["Heat", "Talks", "Heat", "heat!"]) == ["heat", "talks", "heat-2", "heat-3"]


def test_rank_most_outlets_first_then_articles_then_latest() -> None:
    def entry(title: str, outlets: int, articles: int, last: str | None) -> StoryEntry:
        return StoryEntry(slug="", title=title, bottom_line=None, outlets=outlets, articles=articles,
                          first=last, last=last)

    entries = [entry("a", 3, 9, "2023-06-20"), entry("b", 5, 5, "2023-06-01"), entry("c", 3, 9, "2023-06-21"),
               entry("d", 3, 9, None), entry("e", 3, 12, "2020-01-01")]
    assert [e.title for e in sorted(entries, key=rank_key)] == ["b", "e", "c", "a", "d"]


def stories(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["stories", *args])
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_stories_writes_one_brief_per_story_and_a_ranked_index(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # fontTools stamps the time into the PDF's fonts
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # nothing outside changes one of the two runs
    out = tmp_path / "out"
    code, output = stories(str(SEEDS), *map(str, HEAT_FILES), "--out", str(out))
    assert code == 0, output
    index = json.loads((out / "index.json").read_text("utf-8"))
    assert index["articles"] == 10 and index["groups"] == 2 and index["left_out"] == 0
    titles = [story["title"] for story in index["stories"]]
    assert len(titles) == 2 and any("Blinken" in t for t in titles) and any("heat" in t.lower() for t in titles)
    outlets = [story["outlets"] for story in index["stories"]]
    assert outlets == sorted(outlets, reverse=True)
    heat = next(story for story in index["stories"] if "heat" in story["title"].lower())
    # Two articles each from Adriatic Daily and Southern Post: three outlets, not five.
    assert heat["outlets"] == 3 and heat["articles"] == 5
    assert heat["dates"] == {"first": "2023-06-19", "last": "2023-06-20"}
    for story in index["stories"]:
        folder = out / story["slug"]
        assert sorted(p.name for p in folder.iterdir()) == ["brief.html", "brief.json", "brief.md", "brief.pdf"]
        brief = json.loads((folder / "brief.json").read_text("utf-8"))
        assert brief["title"] == story["title"]
        assert story["bottom_line"] and story["bottom_line"] in (folder / "brief.md").read_text("utf-8")
        assert story["link"] == f"{story['slug']}/brief.html"
    page = (out / "index.html").read_text("utf-8")
    assert all(f'href="{story["link"]}"' in page for story in index["stories"])
    assert page.index(index["stories"][0]["title"]) < page.index(index["stories"][1]["title"])

    # The same inputs give the same bytes, with two processes as with one.
    again = tmp_path / "again"
    code, output = stories(str(SEEDS), *map(str, HEAT_FILES), "--out", str(again), "--jobs", "2")
    assert code == 0, output
    assert snapshot(again) == snapshot(out)


def test_a_story_below_min_sources_is_not_briefed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = stories(str(SEEDS), *map(str, HEAT_FILES), "--out", str(out), "--min-sources", "4")
    assert code == 0, output
    index = json.loads((out / "index.json").read_text("utf-8"))
    # Blinken: three named outlets and two unnamed sources (one outlet as far as anyone can tell); heat: 3 outlets
    assert [s["outlets"] for s in index["stories"]] == [4] and index["left_out"] == 1
    assert "Blinken" in index["stories"][0]["title"]
    assert "No story has" not in (out / "index.html").read_text("utf-8")
    assert "not briefed: 3 independent outlets (--min-sources 4)" in output  # said, not silently dropped


def test_no_story_big_enough_still_writes_an_empty_index(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = stories(str(SEEDS), "--out", str(out), "--min-sources", "9")
    assert code == 0, output
    assert json.loads((out / "index.json").read_text("utf-8"))["stories"] == []
    assert "No story has 9 independent outlets" in (out / "index.html").read_text("utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "index.json"]


def test_stories_without_a_usable_source_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    code, output = stories(str(empty), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "no usable source" in output


def test_build_warns_naming_the_stories_of_a_mixed_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(SEEDS), *map(str, HEAT_FILES), "--out", str(tmp_path / "a"),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    (warning,) = [line for line in result.output.splitlines() if "different stories" in line]
    assert warning.startswith("warning: the sources look like 2 different stories")
    assert "Blinken" in warning and "briefing stories" in warning
    one = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(tmp_path / "b"), "--format", "json"])
    assert one.exit_code == 0 and "different stories" not in one.output


def test_prepare_each_keeps_the_raw_document_of_every_usable_source(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", "utf-8")
    raws = read_paths(collect_paths([str(SEEDS), str(tmp_path / "empty.txt")]))
    warnings: list[str] = []
    pairs = prepare_each(raws, warn=warnings.append)
    assert [raw.path for raw, _ in pairs] == [raw.path for raw in raws[:5]]
    assert len(warnings) == 1 and "empty" in warnings[0]


def _scikit_learn_groups(sources: list[Source], threshold: float) -> tuple[np.ndarray, tuple[tuple[int, ...], ...]]:
    """The grouping as scikit-learn computes it (what similarity_matrix and _groups replace, issue 19)."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    texts = [story_words(s) for s in sources]
    vectors = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, min_df=2).fit_transform(texts)
    similarity = np.asarray(cosine_similarity(vectors), dtype=np.float64)
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=threshold).fit_predict(distance)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels.tolist()):
        members.setdefault(int(label), []).append(index)
    return similarity, tuple(sorted((tuple(m) for m in members.values()), key=lambda g: (-len(g), g[0])))


@pytest.mark.parametrize("threshold", [DISTANCE_THRESHOLD, 0.5, 0.8])
def test_grouping_equals_scikit_learns_to_the_bit(threshold: float) -> None:
    sources = [*heat_sources(), *beijing_sources(), *seed_sources(), *heat_sources()[:2]]
    similarity, expected = _scikit_learn_groups(sources, threshold)
    assert np.array_equal(similarity_matrix(sources), similarity)
    assert group_sources(sources, threshold=threshold) == expected
    assert len(expected) > 1


def test_average_linkage_is_scipys_and_spares_its_import() -> None:
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "from briefing.stories import average_linkage\n"
        "rng = np.random.default_rng(7)\n"
        "points = rng.random((40, 3))\n"
        "d = np.sqrt(((points[:, None] - points[None]) ** 2).sum(-1))\n"
        "i, j = np.triu_indices(40, k=1)\n"
        "d[5, 9] = d[9, 5] = d[1, 2]  # a tie\n"
        "ours = average_linkage(d[i, j], 40)\n"
        "print('scipy.spatial' in sys.modules, 'scipy.cluster.hierarchy' in sys.modules)\n"
        "from scipy.cluster.hierarchy import linkage\n"
        "print(np.array_equal(ours, linkage(d[i, j], method='average')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["False", "False", "True"]


def test_story_word_lists_are_the_story_words_split() -> None:
    from briefing.articles import story_word_lists

    sources = [*heat_sources(), *beijing_sources(), *seed_sources()]
    lists = story_word_lists(sources)
    assert lists == [story_words(s).split() for s in sources]
    assert all(lists)

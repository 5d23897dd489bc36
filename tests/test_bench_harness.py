"""The benchmark harness (benchmarks/): scoring, the word budget, sumy's offline tokenizer,
the baselines. Fast; the DUC data is only needed by the tests that say so."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    DEFAULT_DATA,
    BudgetCount,
    Cluster,
    Document,
    OfflineTokenizer,
    Scorer,
    cut_to_budget,
    lead_summary,
    load_clusters,
    most_recent,
    paired_bootstrap,
    project_path,
    random_summary,
    sumy_summary,
    whitespace_words,
)
from benchmarks.quality import selected
from benchmarks.speed import Measurement, Row, load_results, measure, plot, save_results, write_articles

REFERENCE = (
    "China's top diplomat Wang Yi met US Secretary of State Antony Blinken in Beijing on "
    "Monday. Both sides agreed to keep talking despite deep disagreements over Taiwan."
)


def _doc(doc_id: str, date: str, text: str, title: str = "") -> Document:
    return Document(id=doc_id, title=title, date=date, text=text)


def _cluster() -> Cluster:
    return Cluster(
        id="D0000",
        docs=(
            _doc("B", "2000-03-02 10:00", "Middle story opens here. It goes on.", "Middle"),
            _doc("C", "2000-03-05", "Latest story opens here. Then a second sentence.", "Last"),
            _doc("A", "1999-12-31 23:59:59", "Oldest story opens here. More follows.", "First"),
        ),
        refs=(REFERENCE,),
    )


# ---------------------------------------------------------------------- scoring


def test_reference_against_itself_has_recall_one() -> None:
    result = Scorer().score(REFERENCE, [REFERENCE, REFERENCE])
    for key in ("rouge1", "rouge2", "rougeL"):
        assert result.recall[key] == pytest.approx(1.0)
        assert result.f1[key] == pytest.approx(1.0)


def test_empty_summary_scores_zero() -> None:
    result = Scorer().score("", [REFERENCE])
    assert all(value == 0.0 for value in result.recall.values())
    assert all(value == 0.0 for value in result.f1.values())


def test_score_is_the_mean_over_references() -> None:
    scorer = Scorer()
    other = "Completely unrelated words about football results."
    both = scorer.score(REFERENCE, [REFERENCE, other])
    alone = scorer.score(REFERENCE, [other])
    assert both.recall["rouge1"] == pytest.approx((1.0 + alone.recall["rouge1"]) / 2)


def test_paired_bootstrap_of_identical_samples_is_zero() -> None:
    assert paired_bootstrap([0.1, 0.2, 0.3], [0.1, 0.2, 0.3], samples=200) == (0.0, 0.0, 0.0)


# ----------------------------------------------------------------------- budget


def test_budget_cut_gives_exactly_n_words_and_truncates_the_last_sentence() -> None:
    sentences = ["one two three four.", "five six  seven\neight nine.", "ten eleven."]
    cut = cut_to_budget(sentences, 6)
    assert cut == ["one two three four.", "five six"]
    assert len(whitespace_words(" ".join(cut))) == 6


def test_budget_cut_on_a_sentence_boundary_keeps_whole_sentences() -> None:
    assert cut_to_budget(["a b c.", "d e.", "f."], 5) == ["a b c.", "d e."]


def test_fewer_words_than_the_budget_are_untouched() -> None:
    sentences = ["Short  one.", "Another\nshort one."]
    assert cut_to_budget(sentences, 250) == sentences


def test_budget_cut_drops_empty_sentences_and_handles_zero() -> None:
    assert cut_to_budget(["", "  ", "a b."], 250) == ["a b."]
    assert cut_to_budget(["a b."], 0) == []


def test_budget_count_takes_best_rated_until_the_budget() -> None:
    class Info:
        def __init__(self, sentence: str) -> None:
            self.sentence = sentence

    infos = [Info("w1 w2 w3."), Info("w4 w5."), Info("w6 w7 w8 w9."), Info("w10.")]
    count = BudgetCount(4)
    kept = count(infos)
    assert [i.sentence for i in kept] == ["w1 w2 w3.", "w4 w5."]
    assert count.ranked == ["w1 w2 w3.", "w4 w5."]


# ------------------------------------------------------------------------- sumy


def test_offline_tokenizer_knows_us_is_an_abbreviation() -> None:
    tokenizer = OfflineTokenizer()
    sentences = tokenizer.to_sentences(
        "U.S. Secretary of State Antony Blinken met Wang. They talked."
    )
    assert sentences == ("U.S. Secretary of State Antony Blinken met Wang.", "They talked.")


def test_offline_tokenizer_words_drop_punctuation_and_numbers_like_sumy() -> None:
    words = OfflineTokenizer().to_words("Blinken met Wang, for 7.5 hours; they'd talk again.")
    assert "," not in words and "7.5" not in words
    assert words[:3] == ("Blinken", "met", "Wang")
    assert OfflineTokenizer.language == "english"


@pytest.mark.filterwarnings("ignore:Number of words .* is lower than number of sentences")
@pytest.mark.parametrize("name", ["LexRank", "TextRank", "LSA", "Luhn", "SumBasic", "KL"])
def test_sumy_summaries_fit_the_budget(name: str) -> None:
    text = "\n\n".join(
        f"Story {i} says the minister met the envoy in Beijing on Monday. "
        f"The talks on trade number {i} lasted many hours. "
        f"Officials expect another meeting in the autumn of year {2000 + i}."
        for i in range(6)
    )
    summary = sumy_summary(text, name, 30)
    assert summary
    assert len(whitespace_words(" ".join(summary))) <= 30


def test_budget_kl_picks_the_same_sentences_as_sumy_kl() -> None:
    text = " ".join(
        f"Sentence {w} mentions {w} trade talks and {w} tariffs near the border."
        for w in ("alpha", "beta", "gamma", "delta", "alpha", "epsilon", "beta", "zeta")
    )
    assert sumy_summary(text, "KL", 25) == sumy_summary(text, "KL", 25, full_kl=True)


# -------------------------------------------------------------------- baselines


def test_most_recent_document_by_date() -> None:
    assert most_recent(_cluster().docs).id == "C"


def test_lead_baseline_picks_the_most_recent_document() -> None:
    assert lead_summary(_cluster(), 250) == ["Latest story opens here.", "Then a second sentence."]
    assert lead_summary(_cluster(), 5) == ["Latest story opens here.", "Then"]


def test_random_baseline_is_seeded_and_within_budget() -> None:
    first = random_summary(_cluster(), 8, seed=1)
    assert first == random_summary(_cluster(), 8, seed=1)
    assert len(whitespace_words(" ".join(first))) == 8


def test_only_selects_systems() -> None:
    only = {"lexrank", "duc24", "lead"}
    assert selected("LexRank", only)
    assert selected("lead", only)
    assert selected("DUC system 24", only)
    assert not selected("DUC system 2", only)
    assert not selected("Briefing", only)
    assert selected("DUC system 2", {"duc"})
    assert selected("KL", {"sumy"})
    assert selected("Briefing", None)


# ------------------------------------------------------------------------ speed


def test_write_articles_marks_repeats_as_distinct_files(tmp_path: Path) -> None:
    articles = [("D1", _doc("A", "2000", "Text a.", "Title A")),
                ("D1", _doc("B", "2000", "Text b.", "Title B"))]
    repeats = write_articles(articles, 5, tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert repeats == 3
    assert names == ["0001_D1_A.txt", "0002_D1_B.txt", "0003_D1_A_r1.txt", "0004_D1_B_r1.txt",
                     "0005_D1_A_r2.txt"]
    assert (tmp_path / "0001_D1_A.txt").read_text(encoding="utf-8") == "Title A\n\nText a.\n"


def test_measure_reports_time_memory_and_stops_slow_children() -> None:
    done = measure([sys.executable, "-c", "pass"], timeout=30)
    assert done.ok and done.peak_mb > 1 and done.seconds < 30
    stopped = measure([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert stopped.stopped and not stopped.ok and stopped.seconds < 10


# ------------------------------------------------------------------------- data


def test_dev_data_loads_when_present() -> None:
    data = project_path(DEFAULT_DATA)
    if not data.is_file():
        pytest.skip(f"DUC 2006 dev data not found at {data} (kept outside the repository)")
    clusters = load_clusters(data, limit=1)
    assert len(clusters) == 1
    cluster = clusters[0]
    assert len(cluster.refs) == 4 and cluster.docs
    lead = lead_summary(cluster, 250)
    assert lead and len(whitespace_words(" ".join(lead))) <= 250
    assert " ".join(lead).split()[:5] == most_recent(cluster.docs).text.split()[:5]


def test_speed_results_round_trip_and_plot(tmp_path: Path) -> None:
    rows = [Row(5, 0, 141, Measurement(3.5, 180.0, 0, False, cpu_seconds=3.4), 1.5, True,
                Measurement(1.9, 129.0, 0, False, cpu_seconds=1.9)),
            Row(250, 0, 8197, Measurement(7.4, 226.0, 1, False, "error: boom"), None, False,
                Measurement(120.0, 239.0, None, True, cpu_seconds=118.0))]
    save_results(rows, 120.0, Measurement(0.1, 121.0, 0, False), tmp_path / "speed.json")
    loaded, timeout, startup = load_results(tmp_path / "speed.json")
    assert timeout == 120.0 and startup is not None and startup.seconds == 0.1
    assert loaded[0] == rows[0]
    assert loaded[1].briefing is not None and loaded[1].briefing.stderr == "error: boom"
    plot(loaded, timeout, startup.seconds, tmp_path / "speed.png")
    assert (tmp_path / "speed.png").read_bytes().startswith(b"\x89PNG")


def test_editorial_counts_a_bare_surname_the_page_introduces_as_usable_on_the_page(tmp_path: Path) -> None:
    import json

    from benchmarks import editorial

    full = "Harbour master Ann Lind opened the new ferry line to the islands of Portville bay on Monday."
    bare = "Lind said the boats would sail every hour from the north pier until the end of the summer season."
    docs = [{"id": "A1", "text": full}, {"id": "A2", "text": bare}]
    data = tmp_path / "data.jsonl"
    data.write_text(json.dumps({"id": "C1", "docs": docs}) + "\n")
    labels = tmp_path / "labels.jsonl"
    rows = [
        {"cluster": "C1", "item_doc": "A1", "item_start": 0, "item_end": len(full), "label": "usable",
         "section": "developments"},
        {"cluster": "C1", "item_doc": "A2", "item_start": 0, "item_end": len(bare), "label": "orphan",
         "section": "outlook", "surnames": ["Lind"]},
    ]
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows))
    clusters = tmp_path / "clusters.jsonl"
    clusters.write_text(json.dumps({"cluster": "C1", "has_meetings": False}) + "\n")
    out = tmp_path / "editorial.md"
    assert editorial.main(["--data", str(data), "--labels", str(labels), "--clusters", str(clusters),
                           "--out", str(out)]) == 0
    total = next(line for line in out.read_text().splitlines() if line.startswith("| total"))
    cells = [c.strip() for c in total.strip("|").split("|")]
    assert cells[6:10] == ["2", "2", "50%", "0%"]  # items, labelled, unusable alone, unusable on the page

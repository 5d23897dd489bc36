"""The second process: same results with or without it, and it can fail safely."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from briefing import corroborate as corroborate_module
from briefing import pipeline as pipeline_module
from briefing.claims import view
from briefing.cli import _names_many_files
from briefing.corroborate import text_groups
from briefing.ingest import RawDocument, collect_paths, read_file
from briefing.output import brief_json
from briefing.pipeline import build_brief, prepare_sources, write_brief
from briefing.segment import content_stems, segment
from briefing.worker import Worker, front_chunks, warm_up
from tests.helpers import ROOT, SEEDS


def _run_script(script: str, *, timeout: int) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh Python from the project root (it must succeed)."""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done

def fails_in_any_process(value: int) -> int:
    """A job that raises wherever it runs (the error must surface in this process)."""
    raise ValueError(f"bad value {value}")


def echo(value: object) -> object:
    return value


def test_a_job_gives_what_the_function_gives_here() -> None:
    texts = ("one two three four five six seven", "one two three four five six seven", "other words here")
    with Worker(warm=False) as worker:
        assert worker.submit(text_groups, texts).result() == text_groups(texts) == (0, 0, 1)


def test_answers_are_matched_to_their_jobs_whatever_order_they_are_read_in() -> None:
    with Worker(warm=False) as worker:
        first, second = worker.submit(echo, "first"), worker.submit(echo, "second")
        assert second.result() == "second"
        assert first.result() == "first"


def test_a_lazy_worker_starts_its_process_with_the_first_job_only() -> None:
    with Worker(warm=False, lazy=True) as unused:
        assert unused._process is None  # closing one that never started is fine
    with Worker(warm=False, lazy=True) as worker:
        assert worker._process is None
        job = worker.submit(echo, "started")
        assert worker._process is not None and worker._process.is_alive()
        assert job.result() == "started"


def test_a_job_that_raises_is_run_again_here_so_the_real_error_surfaces() -> None:
    with Worker(warm=False) as worker, pytest.raises(ValueError, match="bad value 3"):
        worker.submit(fails_in_any_process, 3).result()


def test_a_dead_worker_means_the_job_runs_here() -> None:
    worker = Worker(warm=False)
    try:
        worker._process.kill()
        worker._process.join()
        assert worker.submit(echo, "still answered").result() == "still answered"
        assert worker.submit(echo, "and again").result() == "and again"
    finally:
        worker.close()


def test_a_large_result_then_large_arguments_do_not_block_both_processes() -> None:
    """Each waited for the other to read: the worker writing a result, this process the next job.

    Claim views, then more texts to make views of (issue 19: the stems of the texts, then the
    texts, stopped a build for good). Run in a fresh process, as a build runs (under pytest the
    same jobs did not block).
    """
    script = (
        "from briefing.claims import views_of\n"
        "from briefing.worker import Worker\n"
        "if __name__ == '__main__':\n"
        "    words = 'council park river budget mayor vote street school police fire water road bridge'.split()\n"
        "    texts = [f'The {words[k % 13]} {words[k // 13 % 13]} plan number {k} was approved by the '\n"
        "             f'{words[k // 7 % 13]} board on Tuesday, officials said.' for k in range(20_000)]\n"
        "    with Worker(warm=False) as worker:\n"
        "        assert worker.submit(len, 'ready').result() == 5\n"
        "        stems = worker.submit(views_of, texts)\n"
        "        views = worker.submit(views_of, texts[::-1])\n"
        "        print(len(views.result()), len(stems.result()))\n"
    )
    assert _run_script(script, timeout=90).stdout.split() == ["20000", "20000"]


def test_arguments_that_do_not_pickle_run_here() -> None:
    with Worker(warm=False) as worker:
        assert worker.submit(echo, lambda: None).result() is not None  # a lambda does not pickle


@pytest.mark.parametrize("cold", [False, True])
def test_the_brief_is_byte_identical_with_or_without_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cold: bool
) -> None:
    # cold: started as the CLI starts it for many sources, WeasyPrint loaded by a job sent later.
    # Send the syndication and half the similarity graph to the worker even for five articles.
    monkeypatch.setattr(corroborate_module, "EXACT_PAIRS_UP_TO", 1)
    monkeypatch.setattr(corroborate_module, "PARALLEL_FROM_SENTENCES", 1)
    # ... and half of the articles to prepare, to split into sentences and half of the claim views to make
    # (issue 19).
    monkeypatch.setattr(pipeline_module, "PARALLEL_PREPARE_FROM", 1)
    monkeypatch.setattr(pipeline_module, "PARALLEL_SEGMENT_FROM", 1)
    monkeypatch.setattr(corroborate_module, "PARALLEL_VIEWS_FROM", 1)
    # ... and the opinion pieces and surnames for the selection.
    monkeypatch.setattr(pipeline_module, "PARALLEL_SELECT_FROM", 1)
    raws = [read_file(path) for path in collect_paths([str(SEEDS)])]
    alone = build_brief(raws)
    write_brief(alone, tmp_path / "alone")
    # Nothing remembered from the first build: the worker computes it all again.
    monkeypatch.setattr(corroborate_module, "_LAST_GROUPS", [])
    view.cache_clear()
    with Worker(warm=not cold, preload=("briefing.pipeline",) if cold else ()) as worker:
        shared = build_brief(raws, worker=worker)
        write_brief(shared, tmp_path / "shared", worker=worker)
    assert brief_json(shared) == brief_json(alone)
    for name in ("brief.json", "brief.html", "brief.md", "brief.pdf"):
        assert (tmp_path / "shared" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes(), name


def test_the_files_are_the_same_when_the_predicted_page_is_not_the_one_laid_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The other formats are rendered for the predicted page while the worker lays it out; a
    # prediction the layouts do not confirm must leave no trace.
    from briefing import fit as fit_module

    raws = [read_file(path) for path in collect_paths([str(SEEDS)])]
    brief = build_brief(raws)
    write_brief(brief, tmp_path / "alone")
    right = fit_module.predict_fit(fit_module.lean(brief))
    assert right is not None
    wrong = replace(right, keep=right.keep - 1)
    monkeypatch.setattr(fit_module, "predict_fit", lambda *args, **kwargs: wrong)
    with Worker() as worker:
        write_brief(brief, tmp_path / "shared", worker=worker)
    for name in ("brief.json", "brief.html", "brief.md", "brief.pdf"):
        assert (tmp_path / "shared" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes(), name


def test_opinion_pieces_and_their_warnings_are_the_same_when_the_worker_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    column = ("A park we loved\n\nI have watched this city change for years, and I have walked in its parks.\n"
              "We should all be worried about what the council did to the riverside park this week.\n"
              "My neighbours and I went to every meeting, and we asked the members to keep it open.\n"
              "I wrote to each of them twice, and my letters came back with the same polite answer.\n"
              "We were told that the money was gone and that the gates would be locked in the spring.\n"
              "The council met on Tuesday and voted to close the riverside park to save money.\n")
    report = ("Council closes park\n\nThe council met on Tuesday and voted to close the riverside park to save "
              "money, officials said.\nThe park will be locked in the spring after the budget was cut.\n")
    raws = [RawDocument(data=text.encode(), path=f"{k}.txt")
            for k, text in enumerate((column, report, report.replace("officials said", "a spokesman said"),
                                      report.replace("Tuesday", "Tuesday night")))]
    warned_alone: list[str] = []
    alone = build_brief(raws, warn=warned_alone.append)
    monkeypatch.setattr(pipeline_module, "PARALLEL_SELECT_FROM", 1)
    warned_shared: list[str] = []
    with Worker(warm=False) as worker:
        shared = build_brief(raws, warn=warned_shared.append, worker=worker)
    assert brief_json(shared) == brief_json(alone)
    assert warned_shared == warned_alone
    assert any("first person" in warning for warning in warned_alone)


def squares_from_front(generation: int, n: int) -> list[tuple[int, int]]:
    """A job on a shared range: (i, i * i) for the parts it takes from the front, slowly."""
    import time

    out: list[tuple[int, int]] = []
    for start, stop in front_chunks(generation, n, 3):
        time.sleep(0.002)
        out.extend((i, i * i) for i in range(start, stop))
    return out


def test_a_shared_range_is_computed_once_in_all_by_the_two_processes() -> None:
    n = 600
    with Worker(warm=False) as worker:
        assert worker.submit(echo, "started").result() == "started"
        share = worker.share(n)
        assert share is not None
        job = worker.submit(squares_from_front, share.generation, n)
        here: list[tuple[int, int]] = []
        while (part := share.take_back(2)) is not None:
            time.sleep(0.002)
            here.extend((i, i * i) for i in range(*part))
        there = job.result()
        # Each item once, the worker's from the front, this process's from the back, meeting at front().
        assert [i for i, _ in there] == list(range(share.front()))
        assert sorted(here) == [(i, i * i) for i in range(share.front(), n)]
        assert 0 < share.front() < n  # both took some (each slept as long per item)
        # A range shared again: the worker's next job reads the new one.
        again = worker.share(5)
        assert again is not None and again.generation != share.generation
        assert worker.submit(squares_from_front, again.generation, 5).result() == [(i, i * i) for i in range(5)]
        # Not shared (generation -1): the job computes the whole range.
        assert worker.submit(squares_from_front, -1, 4).result() == [(i, i * i) for i in range(4)]
    # Run in this process (no worker): the whole range too.
    assert squares_from_front(7, 3) == [(0, 0), (1, 1), (2, 4)]
    assert Worker(warm=False, lazy=True).share(3) is None  # no process: nothing shared


def slow_squares(values: list[int]) -> list[int]:
    """An item-by-item job, slow enough for both processes to take parts."""
    import time

    time.sleep(0.001 * len(values))
    return [v * v for v in values]


def test_a_shared_map_gives_every_item_its_result_in_order() -> None:
    values = list(range(300))
    with Worker(warm=False) as worker:
        assert worker.submit(echo, "started").result() == "started"
        assert worker.map_shared(slow_squares, values, 4) == slow_squares(values)
        assert worker.map_shared(slow_squares, values[:1], 4) == [0]
    broken = Worker(warm=False)
    broken._process.terminate()
    broken._process.join()
    try:
        # The job runs here instead: still every result, in order.
        assert broken.map_shared(slow_squares, values[:50], 4) == slow_squares(values[:50])
    finally:
        broken.close()


def test_a_map_begun_early_gives_every_item_its_result_in_order() -> None:
    values = list(range(300))
    with Worker(warm=False) as worker:
        assert worker.submit(echo, "started").result() == "started"
        finish = worker.start_map_shared(slow_squares, values, 4)
        time.sleep(0.1)  # this process busy elsewhere: the worker has begun from the back
        assert finish() == slow_squares(values)
        # Another range shared before joining in ends the worker's part: this process computes the rest.
        finish = worker.start_map_shared(slow_squares, values, 4)
        time.sleep(0.05)
        assert worker.map_shared(slow_squares, values[:40], 4) == slow_squares(values[:40])
        assert finish() == slow_squares(values)


def test_claim_verdicts_are_the_same_when_the_processes_share_the_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corroborate_module, "PARALLEL_VIEWS_FROM", 1)
    monkeypatch.setattr(corroborate_module, "COMPARED_PER_PART", 1)  # many small parts for both
    raws = [read_file(path) for path in collect_paths([str(SEEDS)])]
    sources = prepare_sources(raws)
    alone = pipeline_module.analyse(sources).corroboration.verdicts
    view.cache_clear()
    with Worker(warm=False) as worker:
        shared = pipeline_module.analyse(sources, worker=worker).corroboration.verdicts
    assert alone.nnz > 0
    assert (alone != shared).nnz == 0


def test_the_analysis_says_when_the_worker_compares_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    # "compare": the worker compares the shared pairs, this process may work meanwhile (issue 19:
    # the build fills ranking's memos then, pipeline.warm_ranking); the ranking is the same.
    monkeypatch.setattr(corroborate_module, "PARALLEL_VIEWS_FROM", 1)
    raws = [read_file(path) for path in collect_paths([str(SEEDS)])]
    sources = prepare_sources(raws)
    alone = pipeline_module.analyse(sources)
    moments: list[str] = []

    def record(moment: str, sentences: object) -> None:
        moments.append(moment)
        if moment == "compare":
            pipeline_module.warm_ranking(alone.sentences)

    view.cache_clear()
    with Worker(warm=False) as worker:
        shared = pipeline_module.analyse(sources, worker=worker, meanwhile=record)
    assert moments == ["views", "graph", "compare", "corroborated"]
    assert shared.ranking.order == alone.ranking.order
    assert (shared.ranking.scores == alone.ranking.scores).all()


def test_the_similarity_graph_is_the_same_when_the_processes_share_its_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corroborate_module, "PARALLEL_FROM_SENTENCES", 1)
    monkeypatch.setattr(corroborate_module, "_ROW_CHUNK", 4)  # many blocks for both
    sources = prepare_sources([read_file(path) for path in collect_paths([str(SEEDS)])])
    sentences = segment(sources)
    vectors = corroborate_module.tfidf_matrix([content_stems(s.text) for s in sentences])
    alone = corroborate_module.sentence_graph(vectors).to_csr()
    with Worker(warm=False) as worker:
        shared = corroborate_module.sentence_graph(vectors, worker=worker).to_csr()
    assert alone.nnz > 0
    assert (alone != shared).nnz == 0


def test_modules_to_preload_that_fail_to_load_leave_the_worker_working() -> None:
    with Worker(warm=False, preload=("briefing.no_such_module", "briefing.pipeline")) as worker:
        assert worker.submit(echo, "loaded").result() == "loaded"
        assert worker.submit(warm_up).result() is None  # loads WeasyPrint there, once


def test_the_cli_counts_the_files_named_only_as_far_as_it_needs(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "inner").mkdir(parents=True)
    for name in ("a.txt", "b.txt", ".hidden.txt", "inner/c.txt"):
        (folder / name).write_text("text", encoding="utf-8")
    assert _names_many_files((str(folder),), 3)  # a.txt, b.txt, inner/c.txt
    assert not _names_many_files((str(folder),), 4)  # the hidden file is not read either
    assert _names_many_files((str(folder), "https://example.com/a"), 4)  # a URL counts as one
    assert not _names_many_files(("-",), 2)


def test_a_forked_worker_runs_jobs_and_stops_when_asked() -> None:
    # The CLI forks it (before anything that starts threads is loaded): the same jobs, the same end.
    script = (
        "import os, signal, sys\n"
        "from briefing.worker import Worker\n"
        "from briefing.corroborate import text_groups\n"
        "signal.signal(signal.SIGTERM, lambda *a: sys.exit('the parent handler ran in the worker'))\n"
        "texts = ('one two three four five six seven', 'one two three four five six seven', 'other words')\n"
        "with Worker(warm=False, start='fork') as worker:\n"
        "    assert worker._process._popen.method == 'fork'\n"
        "    print(worker.submit(text_groups, texts).result())\n"
        "    child = worker._process\n"
        "print(child.exitcode)\n"
    )
    # Ended by SIGTERM with the default action (not the parent's handler), and nothing on stderr.
    done = _run_script(script, timeout=120)
    assert done.stdout.split() == ["(0,", "0,", "1)", "-15"]
    assert done.stderr == ""


def test_the_cli_leaves_no_worker_behind(tmp_path: Path) -> None:
    # The worker is the CLI's child; when the CLI has exited, it must be gone too.
    script = (
        "import multiprocessing, sys\n"
        "from briefing.cli import main\n"
        "sys.argv = ['briefing', 'build', sys.argv[1], '--out', sys.argv[2], '-q']\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print(len(multiprocessing.active_children()))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(SEEDS), str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"
    assert (tmp_path / "out" / "brief.pdf").exists()


def test_sources_and_warnings_are_the_same_when_the_worker_prepares_half(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline_module, "PARALLEL_PREPARE_FROM", 1)
    monkeypatch.setattr(pipeline_module, "PREPARED_PER_PART", 3)  # many parts, shared by both processes
    seeds = [read_file(path) for path in collect_paths([str(SEEDS)])]
    odd = [
        RawDocument(data=b"", path="empty.txt"),
        RawDocument(data=b"\x00\x01\x02binary", path="binary.bin"),
        RawDocument(data=b"Der Hund und die Katze sind nicht im Haus, aber wir sind auf der Strasse.\n" * 5,
                    path="german.txt"),
        RawDocument(data=b"Photo: AP\n", path="credit-only.txt"),
    ]
    # Copies on both sides of the split, and refused texts met again after it.
    raws = [*seeds, *odd, seeds[0], *odd, *seeds, odd[2]]
    alone_warnings: list[str] = []
    alone = prepare_sources(raws, warn=alone_warnings.append)
    shared_warnings: list[str] = []
    with Worker(warm=False) as worker:
        shared = prepare_sources(raws, warn=shared_warnings.append, worker=worker)
    assert shared == alone
    assert shared_warnings == alone_warnings
    assert len(alone) == 2 * len(seeds) + 1
    assert len(alone_warnings) == 2 * len(odd) + 1


def test_syndication_groups_are_the_same_when_the_worker_hashes_half(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corroborate_module, "EXACT_PAIRS_UP_TO", 2)  # MinHash LSH, signatures half there
    wire = " ".join(f"word{k}" for k in range(120))
    texts = (wire, "A storm closed schools across the region on Friday.", wire.replace("word60", "changed"),
             *(f"{wire} and an added line number {k} from another outlet." for k in range(4)),
             "Finance ministers met in Brussels for talks on the budget rules.", wire)
    alone = text_groups(texts)
    monkeypatch.setattr(corroborate_module, "_LAST_GROUPS", [])
    with Worker(warm=False) as worker:
        assert text_groups(texts, worker=worker) == alone == (0, 1, 0, 0, 0, 0, 0, 2, 0)
        # Fewer texts (the near-copy limit dropped some): their signatures are remembered.
        fewer = texts[1:]
        remembered = text_groups(fewer, worker=worker)
    monkeypatch.setattr(corroborate_module, "_LAST_GROUPS", [])
    monkeypatch.setattr(corroborate_module, "_SIGNATURES", [])
    assert remembered == text_groups(fewer) == (0, 1, 1, 1, 1, 1, 2, 1)


def test_a_build_hands_its_objects_back_to_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    frozen: list[int] = []
    original = gc.freeze

    def counted() -> None:
        frozen.append(1)
        original()

    monkeypatch.setattr(gc, "freeze", counted)
    raws = [read_file(path) for path in collect_paths([str(SEEDS)])]
    build_brief(raws)
    assert len(frozen) >= 2  # after ingest, after splitting sentences
    assert gc.get_freeze_count() == 0
    assert pipeline_module._SPARED == [0]

"""Issue 19: fitting the page from font metrics, and a JSON build that never loads WeasyPrint."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from briefing import pagemodel
from briefing.fit import fit_job, fit_to_page, lean, predict_fit
from briefing.ingest import RawDocument, collect_paths, read_file
from briefing.model import Brief
from briefing.pipeline import BuildOptions, build_brief, write_brief
from tests.helpers import ROOT, SEEDS

needs_fonts = pytest.mark.skipif(not pagemodel.available(), reason="the DejaVu fonts are not installed")
DUC_2006 = ROOT.parent / "shared" / "data" / "duc2006-dev.jsonl"
DUC_2007 = ROOT.parent / "shared" / "data" / "duc2007u-dev.jsonl"
#: Dev clusters compared, the first ones of each file in file order.
CLUSTERS_2006, CLUSTERS_2007 = 6, 3


def _seed_brief() -> Brief:
    return build_brief([read_file(path) for path in collect_paths([str(SEEDS)])],
                       BuildOptions(date="2006-01-01"))


def _dev_briefs() -> list[tuple[str, Brief]]:
    from benchmarks.common import article_text, load_clusters

    briefs = []
    for path, limit in ((DUC_2006, CLUSTERS_2006), (DUC_2007, CLUSTERS_2007)):
        if not path.is_file():
            continue
        for cluster in load_clusters(path, limit=limit):
            raws = [RawDocument(data=article_text(doc).encode("utf-8"), path=f"{doc.id}.txt")
                    for doc in cluster.docs]
            briefs.append((cluster.id, build_brief(raws, BuildOptions(date="2006-01-01"))))
    return briefs


@needs_fonts
def test_text_widths_are_weasyprints() -> None:
    # Advance widths with kerning, as Pango shapes them (measured with WeasyPrint 70).
    assert pagemodel.text_width("On the fifth anniversary of the army takeover in Lower Arden,", "sans", 12.0) \
        == pytest.approx(370.816, abs=0.01)
    assert pagemodel.text_width("AVAVAV To Ty Wa yo", "sans", 10.0) == pytest.approx(98.97, abs=0.01)


@needs_fonts
def test_font_metrics_read_from_the_cache_are_those_of_the_font(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    sample = "Blinken’s “Tokyo” visit: 1,250 AVA Wa yo — naïve"
    widths = []
    for _ in range(2):  # read from the font and written to the cache, then read from the cache
        pagemodel._advances.cache_clear()
        widths.append([pagemodel.text_width(sample, face, 10.0) for face in pagemodel.FACES])
    pagemodel._advances.cache_clear()
    assert len(list((tmp_path / "briefing" / "fonts").glob("*.json"))) == len(pagemodel.FACES)
    assert widths[0] == widths[1]


@needs_fonts
def test_lines_break_at_spaces_and_keep_nowrap_spans_whole() -> None:
    word = pagemodel.text_width("word", "sans", 12.0)
    space = pagemodel.text_width(" ", "sans", 12.0)
    runs = [pagemodel.Run("word word word ", size=12.0)]
    assert pagemodel.count_lines(runs, 3 * word + 2 * space + 0.1) == 1
    assert pagemodel.count_lines(runs, 3 * word + 2 * space - 0.1) == 2
    # A nowrap span moves to the next line whole, never split at its spaces.
    span = [pagemodel.Run("word ", size=12.0), pagemodel.Run("1 of 8 sources", size=12.0, nowrap=True)]
    assert pagemodel.count_lines(span, word + space + 20) == 2
    # overflow-wrap: anywhere breaks an over-long word between characters.
    long = [pagemodel.Run("x" * 40, size=12.0, anywhere=True)]
    assert pagemodel.count_lines(long, pagemodel.text_width("x" * 10, "sans", 12.0) + 0.1) == 4


@needs_fonts
def test_lines_are_memoised_on_every_part_of_the_runs_and_the_width() -> None:
    # The memo (issue 19) keys on the runs as a whole and the width: a change to any part counts.
    word = pagemodel.text_width("word", "sans", 12.0)
    space = pagemodel.text_width(" ", "sans", 12.0)
    width = 3 * word + 2 * space + 0.1
    runs = [pagemodel.Run("word word word ", size=12.0)]
    assert [pagemodel.count_lines(runs, width) for _ in range(2)] == [1, 1]
    assert pagemodel.count_lines([replace(runs[0], size=13.0)], width) == 2
    assert pagemodel.count_lines([replace(runs[0], spacing=1.0)], width) == 2
    assert pagemodel.count_lines([*runs, pagemodel.Run("word", size=12.0)], width) == 2
    assert pagemodel.count_lines(runs, width - 0.2) == 2


@needs_fonts
def test_the_prediction_is_the_pdfs_choice_on_the_seeds_and_dev_clusters() -> None:
    briefs = [("seeds", _seed_brief()), *_dev_briefs()]
    for name, brief in briefs:
        for page in ("a4", "letter"):
            fitted = fit_to_page(brief, page=page)
            guess = predict_fit(brief, page)
            assert guess is not None
            assert (guess.keep, guess.font_pt) == (len(fitted.brief.items), fitted.font_pt), (name, page)


@needs_fonts
def test_a_pdf_is_confirmed_in_at_most_two_layouts_when_the_prediction_holds() -> None:
    fitted = fit_to_page(_seed_brief())
    guess = predict_fit(_seed_brief())
    assert guess is not None and (guess.keep, guess.font_pt) == (len(fitted.brief.items), fitted.font_pt)
    assert fitted.renders <= 2


def test_a_prediction_made_beforehand_gives_the_same_fit() -> None:
    # fit_to_page_with predicts in the first process and sends it with the job.
    brief = lean(_seed_brief())
    made_here = fit_job(brief, "a4")
    assert fit_job(brief, "a4", (predict_fit(brief, "a4"),)) == made_here
    # No prediction to go on (None): the layouts alone find the same page, in as many layouts or more.
    searched = fit_job(brief, "a4", (None,))
    assert searched == replace(made_here, renders=searched.renders)
    assert searched.renders >= made_here.renders


@needs_fonts
def test_json_only_selection_equals_the_pdf_builds(tmp_path: Path) -> None:
    raws = [read_file(path) for path in collect_paths([str(SEEDS)])]
    written = {}
    for formats in (("json",), ("pdf", "json")):
        options = BuildOptions(date="2006-01-01", formats=formats)
        write_brief(build_brief(raws, options), tmp_path / "-".join(formats), options)
        written[formats] = (tmp_path / "-".join(formats) / "brief.json").read_bytes()
    assert written[("json",)] == written[("pdf", "json")]
    assert json.loads(written[("json",)])["stats"]["font_pt"] in (10.0, 9.5, 9.0)


def test_a_json_build_imports_neither_weasyprint_nor_feed_mail_or_web_code(tmp_path: Path) -> None:
    # In a fresh interpreter, as a user runs it; the worker process is not checked (it gets no fit job).
    script = (
        "import sys\n"
        "from briefing.cli import cli\n"
        f"cli.main(['build', {str(SEEDS)!r}, '--out', {str(tmp_path)!r}, '--format', 'json,md', '--quiet',"
        " '--date', '2006-01-01'],"
        " standalone_mode=False)\n"
        "heavy = ('weasyprint', 'pydyf', 'feedparser', 'urllib3', 'briefing.fetch', 'briefing.feeds', "
        "'briefing.mail', 'briefing.daily', 'smtplib', 'sklearn', 'scipy.stats', 'nltk')\n"
        "print(sorted({m.split('.')[0] if not m.startswith('briefing') else m for m in sys.modules"
        " if m.startswith(heavy)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "brief.json").is_file() and (tmp_path / "brief.md").is_file()

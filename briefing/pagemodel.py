"""The printed page's height from font metrics, without a layout engine (issue 19).

Fitting a brief to one page with WeasyPrint costs a second or more: its
import, then one layout per try. A build that writes no PDF (``--format
json,md``) only needs to know how many items the PDF would hold and at which
font size. This module answers from the fonts the stylesheet names (DejaVu
Sans and Serif, read with fontTools): each line of text is broken the way the
browser breaks it (at spaces, after hyphens, around dashes; ``nowrap`` spans
kept whole) using the glyphs' advance widths, and the block heights follow
``templates/assets/brief.css`` (line heights, margins, paddings and borders,
with adjacent vertical margins collapsed).

The model is checked against WeasyPrint's layouts in
``tests/test_fit_prediction.py``. When the fonts cannot be found,
:func:`available` is false and callers lay the page out instead.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

#: Where the DejaVu fonts are found on common Linux systems (the first folder holding them wins).
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype",
    "/usr/local/share/fonts",
)
FACES = {"sans": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "serif-bold": "DejaVuSerif-Bold.ttf"}

#: 1 mm and 1 pt in CSS pixels.
MM = 96 / 25.4
PT = 4 / 3
#: Content width of the page (210 or 215.9 mm less 14 mm margins each side), CSS pixels.
PAGE_WIDTH_PX = {"a4": (210 - 28) * MM, "letter": (215.9 - 28) * MM}
LINE_HEIGHT = 1.35


@cache
def _font_path(face: str) -> Path | None:
    for folder in FONT_DIRS:
        candidate = Path(folder) / FACES[face]
        if candidate.is_file():
            return candidate
    return None


def available() -> bool:
    """Whether every face the stylesheet uses was found (and fontTools can read it)."""
    try:
        return all(_advances(face) is not None for face in FACES)
    except Exception:  # a damaged font file: lay the page out instead
        return False


@dataclass(frozen=True)
class _Face:
    """What the model reads from one font: advance widths and kerning, in em."""

    widths: dict[int, float]
    missing: float
    #: Per kerning subtable: (first glyph's class by code point, second's, the class-pair matrix).
    kerning: tuple[tuple[dict[int, int], dict[int, int], tuple[tuple[float, ...], ...]], ...]

    def kern(self, left: int, right: int) -> float:
        total = 0.0
        for first, second, matrix in self.kerning:
            row = first.get(left)
            if row is not None:
                total += matrix[row][second.get(right, 0)]
        return total


@cache
def _advances(face: str) -> _Face | None:
    """The widths and the Latin kerning pairs of a face (HarfBuzz applies them by default).

    Read with fontTools once per font file and kept as JSON in the user's cache
    folder (reading the font takes 0.1 s a face; the JSON, a few ms).
    """
    path = _font_path(face)
    if path is None:
        return None
    stat = path.stat()
    cached = _cache_folder() / f"{path.stem}-{stat.st_size}-{int(stat.st_mtime)}-{_CACHE_VERSION}.json"
    try:
        return _advances_from(json.loads(cached.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # none yet, or damaged
        data = _read_font(path)
        _write_cache(cached, data)
        return _advances_from(data)


#: Bumped when the cached data changes shape.
_CACHE_VERSION = "v1"


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing" / "fonts"


def _write_cache(target: Path, data: dict[str, Any]) -> None:
    """Write the cache file atomically; a folder that cannot be written is no error."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        pass


def _advances_from(data: dict[str, Any]) -> _Face:
    """A :class:`_Face` from what :func:`_read_font` gives (or its JSON round trip)."""
    widths = {int(code): float(width) for code, width in data["widths"].items()}
    kerning = tuple(
        ({int(c): int(v) for c, v in first.items()}, {int(c): int(v) for c, v in second.items()},
         tuple(tuple(float(x) for x in row) for row in matrix))
        for first, second, matrix in data["kerning"])
    return _Face(widths, widths.get(ord("n"), 0.6), kerning)


def _read_font(path: Path) -> dict[str, Any]:
    """Advance widths per code point and the class-based kerning of the Latin script, in em."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(str(path), lazy=True)
    scale = 1.0 / font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    cmap = font.getBestCmap()
    widths = {code: metrics[name][0] * scale for code, name in cmap.items() if name in metrics}
    codes: dict[str, list[int]] = {}
    for code, name in cmap.items():
        codes.setdefault(name, []).append(code)
    kerning = []
    if "GPOS" in font:
        table = font["GPOS"].table
        lookups = [index for record in table.ScriptList.ScriptRecord if record.ScriptTag == "latn"
                   for feature in record.Script.DefaultLangSys.FeatureIndex
                   if table.FeatureList.FeatureRecord[feature].FeatureTag == "kern"
                   for index in table.FeatureList.FeatureRecord[feature].Feature.LookupListIndex]
        for index in lookups:
            for sub in table.LookupList.Lookup[index].SubTable:
                if getattr(sub, "Format", None) != 2 or not sub.ValueFormat1 & 4:
                    continue
                classes1 = sub.ClassDef1.classDefs
                first = {code: classes1.get(name, 0) for name in sub.Coverage.glyphs for code in codes.get(name, ())}
                second = {code: value for name, value in sub.ClassDef2.classDefs.items()
                          for code in codes.get(name, ())}
                matrix = [[(getattr(r.Value1, "XAdvance", 0) or 0) * scale for r in row.Class2Record]
                          for row in sub.Class1Record]
                kerning.append((first, second, matrix))
    return {"widths": widths, "kerning": kerning}


def text_width(text: str, face: str, size: float, spacing: float = 0.0) -> float:
    """Width of ``text`` in CSS pixels at ``size`` px, with ``spacing`` px after every character."""
    metrics = _advances(face)
    if metrics is None:
        raise RuntimeError(f"font not found: {FACES[face]}")
    em = sum(metrics.widths.get(ord(c), metrics.missing) for c in text)
    em += sum(metrics.kern(ord(a), ord(b)) for a, b in pairwise(text))
    return em * size + spacing * len(text)


@dataclass(frozen=True)
class Run:
    """Inline text in one style: a face, a size in px, letter spacing, and whether it may wrap."""

    text: str
    face: str = "sans"
    size: float = 16.0
    spacing: float = 0.0
    nowrap: bool = False
    #: Extra width before and after the run (horizontal padding or margin of its element), in px.
    before: float = 0.0
    after: float = 0.0
    #: Lines may break at any character of an over-long word (``overflow-wrap: anywhere``).
    anywhere: bool = False


#: Break opportunities inside a word: after a hyphen between letters, and on both sides of a dash.
_BREAK_AFTER = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])|[—–](?=\S)")
_BREAK_BEFORE = re.compile(r"(?<=\S)[—–]")


@dataclass
class _Piece:
    """An unbreakable stretch of a line, then the space after it (which hangs at a line's end)."""

    width: float
    space: float
    chars: list[float]
    #: Index of the run the piece starts in, and whether that run is ``nowrap``.
    run: int = 0
    nowrap: bool = False


def _pieces(runs: Sequence[Run]) -> list[_Piece]:
    """Split inline runs into pieces between break opportunities (whitespace collapsed as in CSS)."""
    pieces: list[_Piece] = []
    current = _Piece(0.0, 0.0, [])

    def flush() -> None:
        nonlocal current
        if current.chars or current.width:
            pieces.append(current)
        current = _Piece(0.0, 0.0, [], reading[0], nowrap[0])

    reading, nowrap = [0], [False]  # the run being read, and whether it is nowrap

    previous = [0]  # the code point before, in the same run (kerning pairs never span runs)

    def add(text: str, run: Run) -> None:
        metrics = _face(run.face)
        for char in text:
            code = ord(char)
            w = (metrics.widths.get(code, metrics.missing) + metrics.kern(previous[0], code)) * run.size + run.spacing
            previous[0] = code
            current.width += w
            current.chars.append(w)

    # A collapsed space waiting for the next word: the run it is in (its font and size) and the
    # character before it (for kerning); it ends the piece before that word.
    space: tuple[Run, int] | None = None

    def hold_space(run: Run) -> None:
        nonlocal space
        if space is None and (current.chars or pieces):
            space = (run, previous[0])
        previous[0] = 32

    def end_space() -> None:
        nonlocal space
        if space is not None:
            held, before = space
            metrics = _face(held.face)
            current.space = (metrics.widths.get(32, metrics.missing) + metrics.kern(before, 32)) * held.size \
                + held.spacing
            flush()
            space = None

    for index, run in enumerate(runs):
        reading[0], nowrap[0] = index, run.nowrap
        previous[0] = 0
        if not current.chars and not current.width:
            current.run, current.nowrap = index, run.nowrap
        current.width += run.before
        text = re.sub(r"\s+", " ", run.text)
        if run.nowrap:
            if text.startswith(" "):
                hold_space(run)
            stripped = text.strip(" ")
            if stripped:
                end_space()
                add(stripped, run)
                if text.endswith(" "):
                    hold_space(run)
        else:
            for token in re.split(r"( )", text):
                if token.isspace():
                    hold_space(run)
                    continue
                if not token:
                    continue
                end_space()
                start = 0
                cuts = sorted({m.end() for m in _BREAK_AFTER.finditer(token)}
                              | {m.start() for m in _BREAK_BEFORE.finditer(token)})
                for cut in [*cuts, len(token)]:
                    if cut <= start:
                        continue
                    add(token[start:cut], run)
                    if cut < len(token):
                        flush()
                    start = cut
        current.width += run.after
    flush()
    return pieces


def _face(face: str) -> _Face:
    metrics = _advances(face)
    if metrics is None:
        raise RuntimeError(f"font not found: {FACES[face]}")
    return metrics


def count_lines(runs: Sequence[Run], width: float) -> int:
    """Lines the inline runs take in a box ``width`` px wide, broken greedily as WeasyPrint breaks them.

    One quirk of WeasyPrint is followed (measured, not documented): on a line
    that holds only words of one run of text, when a ``nowrap`` span after the
    run does not fit and the line fits only without the space that ends the
    run, the line keeps only its first word; the rest moves down a line, with
    the span if they fit together, else the span goes one line further.

    Memoised (:func:`_count_lines`): predicting the page tries several font
    sizes and numbers of items, and every try measures the same items again
    (issue 19: a third of the prediction's time at 1,000 articles).
    """
    return _count_lines(tuple(runs), width)


@lru_cache(maxsize=4096)
def _count_lines(runs: tuple[Run, ...], width: float) -> int:
    """:func:`count_lines` of runs held in a tuple (hashable: the memo's key)."""
    anywhere = any(run.anywhere for run in runs)
    lines = 0
    used = 0.0
    line: list[_Piece] = []
    limit = width + 0.01
    for piece in _pieces(runs):
        if not lines:
            lines = 1
        if used > 0 and used + piece.width > limit:
            last = line[-1]
            own_line = len(line) >= 2 and line[0].run == last.run  # the line holds that run's words alone
            quirk = own_line and not last.nowrap and piece.nowrap and piece.run != last.run and used > limit
            lines += 1
            moved = line[1:] if quirk else []
            carried = sum(p.width + p.space for p in moved)
            if moved and carried + piece.width > limit:
                lines += 1  # the moved words fill a line of their own; the piece goes below
                moved, carried = [], 0.0
            line, used = moved, carried
        if piece.width > limit and anywhere:
            for w in piece.chars:
                if used + w > limit and used > 0:
                    lines += 1
                    used = 0.0
                used += w
            line = [piece]
        else:
            used += piece.width
            line.append(piece)
        used += piece.space
    return lines


# ----------------------------------------------------------------------- the page


def _cite(citations: Iterable[dict[str, Any]]) -> str:
    parts = [f"{c['number']}" + (f" +{c['more']}" if c["more"] else "") for c in citations]
    return "[" + ", ".join(parts) + "]"


def _collapse(*margins: float) -> float:
    """Adjoining vertical margins collapse to the largest (all are positive here)."""
    return max(margins)


def page_height(context: dict[str, Any], page: str, marks: dict[str, float] | None = None) -> float:
    """Height in CSS px of the printed brief's content, from :func:`briefing.render.template_context`.

    ``marks``, when given, receives the top of each item (``item-N``) and of the endnotes (``sources``).
    """
    marks = {} if marks is None else marks
    rem = float(context["font_pt"]) * PT
    width = PAGE_WIDTH_PX[page]
    lh = LINE_HEIGHT * rem
    brief = context["brief"]

    # header.brief-head: h1, p.meta, the bottom line; 2px rule, 0.35rem padding.
    y = count_lines([Run(brief.title, "serif-bold", 1.55 * rem)], width) * 1.2 * 1.55 * rem + 0.2 * rem
    y += count_lines([Run(context["meta"], size=0.85 * rem)], width) * LINE_HEIGHT * 0.85 * rem
    if context["bottom_line"] is not None:
        bottom = context["bottom_line"]
        runs = [Run("BOTTOM LINE:", "bold", 0.85 * rem, spacing=0.05 * 0.85 * rem),
                Run(" " + bottom["text"] + " ", "bold", rem),
                Run(_cite(bottom["citations"]), "bold", 0.78 * rem, nowrap=True),
                Run(" "), Run(bottom["support_label"], size=0.75 * rem, nowrap=True)]
        inner = width - 3 - 1.2 * rem
        y += 0.3 * rem + 0.35 * rem + count_lines(_sized(runs, rem), inner) * lh + 0.35 * rem + 0.6 * rem
    y += 0.35 * rem + 2
    margin = 0.6 * rem  # header's margin-bottom, collapsing with what follows

    h2 = LINE_HEIGHT * 1.02 * rem + 0.1 * rem + 1
    for section in context["sections"]:
        y += _collapse(margin, 0.7 * rem) + h2 + 0.25 * rem
        margin = 0.0
        for entry in section["entries"]:
            new = [Run("New", "bold", 0.7 * rem, before=0.2 * rem, after=0.2 * rem), Run(" ")]
            runs = (new if entry["new"] else []) + [
                Run(entry["text"] + " ", size=rem),
                Run(_cite(entry["citations"]), size=0.78 * rem, nowrap=True), Run(" ", size=rem),
                Run(entry["support_label"], size=0.75 * rem, nowrap=True)]
            y += margin
            marks[f"item-{entry['rank']}"] = y
            y += count_lines(runs, width - 0.9 * rem) * lh
            earlier = entry.get("earlier")
            if earlier:  # span.earlier: a block at 0.75rem, 0.1rem below the item's text
                note = f"Earlier: “{earlier['text']}”" + (f" ({earlier['source']})" if earlier["source"] else "")
                y += 0.1 * rem + count_lines([Run(note, size=0.75 * rem)], width - 0.9 * rem) * LINE_HEIGHT * 0.75 * rem
            margin = 0.32 * rem
    if context["discrepancies"]:
        y += _collapse(margin, 0.6 * rem) + 0.3 * rem + h2 - 1 + 0.15 * rem
        outer = width - 3 - 1.2 * rem - rem
        for d in context["discrepancies"]:
            runs = [Run(d["topic"] + ":", "bold", rem), Run(" ", size=rem)]
            for k, v in enumerate(d["variants"]):
                if v["value"]:
                    runs += [Run(v["value"], "bold", rem), Run(" ", size=rem)]
                runs.append(Run(_cite(v["citations"]), size=0.78 * rem, nowrap=True))
                if k < len(d["variants"]) - 1:
                    runs.append(Run(" vs ", size=rem))
            y += count_lines(runs, outer) * lh
            for k, v in enumerate(d["variants"]):
                quoted = _quoted(v["text"])
                lines = count_lines([Run(quoted + " ", size=rem),
                                     Run(_cite(v["citations"]), size=0.78 * rem, nowrap=True)], outer - rem)
                y += lines * lh + (0.15 * rem if k < len(d["variants"]) - 1 else 0.0)
            y += 0.15 * rem
        y += 0.3 * rem
        margin = 0.3 * rem
    # footer.sources: 0.7rem margin, 1px rule, 0.25rem padding; h2 at 0.8rem; inline endnotes at 0.75rem.
    y += _collapse(margin, 0.7 * rem)
    marks["sources"] = y
    y += 1 + 0.25 * rem
    y += LINE_HEIGHT * 0.8 * rem + 0.1 * rem + 0.1 * rem
    small = 0.75 * rem
    runs = []
    for s in context["sources"]:
        text = f" {s['name']}" + (f" — {s['title']}" if s["title"] else "") + (
            f", {s['published']}" if s["published"] else "") + ". " + (s["location"] or "")
        runs += [Run(str(s["number"]), "bold", small, anywhere=True),
                 Run(text.rstrip(" "), size=small, anywhere=True, after=0.5 * rem), Run(" ", size=small)]
    if runs:
        y += count_lines(runs, width) * LINE_HEIGHT * small
    for note in _notes(context):
        y += 0.3 * rem + count_lines([Run(note, size=0.72 * rem)], width) * LINE_HEIGHT * 0.72 * rem
    return y


def _sized(runs: list[Run], rem: float) -> list[Run]:
    """Spaces between runs at the paragraph's own size."""
    return [Run(r.text, r.face, rem, r.spacing, r.nowrap, r.before, r.after, r.anywhere) if r.text == " " else r
            for r in runs]


def _quoted(text: str) -> str:
    from briefing.render import quote_sentence

    return quote_sentence(text)


def _notes(context: dict[str, Any]) -> list[str]:
    notes = []
    unlisted, omitted = context["unlisted"], context["omitted"]
    if unlisted:
        notes.append(f"{unlisted} other source{'' if unlisted == 1 else 's'} read but not cited above.")
    if omitted:
        notes.append(f"{omitted} lower-ranked item{'' if omitted == 1 else 's'} left out to fit one page "
                     "(shown in the HTML brief).")
    return notes

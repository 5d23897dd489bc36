"""Ingest: find, read, decode and extract articles into :class:`Source` records.

Every kind of input goes through one router, :func:`read_sources`: files and
folders are read here, article URLs downloaded by :mod:`briefing.fetch`, RSS/Atom
feeds (URLs or local .xml/.rss/.atom files) expanded by :mod:`briefing.feeds`.
Only this stage reads input from disk (and, through :mod:`briefing.fetch`, the
network). Every problem with one source raises :class:`SourceError`, which the
pipeline turns into a warning and a skip; the batch goes on.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from briefing.clean import without_markup
from briefing.display import display_text, headline_case, safe_name, typographic
from briefing.errors import SourceError, UsageError
from briefing.model import UNNAMED_SOURCE, Source
from briefing.raw import HTML_SUFFIXES as HTML_SUFFIXES
from briefing.raw import SUPPORTED_SUFFIXES as SUPPORTED_SUFFIXES
from briefing.raw import TEXT_SUFFIXES as TEXT_SUFFIXES
from briefing.raw import RawDocument as RawDocument
from briefing.raw import WarnFn as WarnFn
from briefing.raw import bomless_utf16, sniff_html
from briefing.raw import is_binary as is_binary
from briefing.settings import MAX_FEED_SOURCES, MAX_IDENTICAL_COPIES, MAX_NEAR_COPIES, MAX_SOURCE_BYTES

if TYPE_CHECKING:
    from briefing.fetch import FetchOptions, ProgressFn

# The largest input file read is settings.MAX_SOURCE_BYTES. A news article is tens of
# kilobytes; a larger file is almost surely not an article, and HTML extraction time
# and memory grow fast with size (an 18.5 MB page took 166 s in a trial here).

# Western code pages only: unrestricted detection mis-read short cp1252 text as
# cp1250 and latin-1 French as cp1257 in a trial on these machines.
# (mac_roman is left out too: it won over cp1252 on curly quotes in our tests.)
_PLAUSIBLE_ENCODINGS = ["cp1252", "latin_1", "iso8859_15"]

def collect_paths(inputs: Iterable[str], *, warn: WarnFn | None = None) -> list[Path]:
    """Expand files and directories into a stable, de-duplicated list of files.

    A directory contributes its supported files (recursively, sorted by path);
    a named file is used whatever its suffix. A missing path is a usage error.
    A symlink inside a folder that leads out of it is not followed (``warn``
    says so): naming a folder must not read files elsewhere on the machine.
    """
    paths: list[Path] = []
    seen: set[Path] = set()
    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"no such file or directory: {safe_name(raw)}")
        if path.is_dir():
            root = path.resolve()
            found = []
            others: list[str] = []
            for p in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in p.relative_to(path).parts):
                    continue
                try:
                    resolved = p.resolve()
                    inside = resolved.is_relative_to(root)
                except (OSError, RuntimeError):  # a symlink loop: nothing to read there
                    if warn is not None:
                        warn(f"skipped {safe_name(str(p))}: a symlink loop")
                    continue
                if not inside:
                    if warn is not None and p.suffix.lower() in SUPPORTED_SUFFIXES | {""}:
                        warn(f"skipped {safe_name(str(p))}: a symlink leading out of {safe_name(raw)} "
                             "is not followed")
                    continue
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.append((p, resolved))
                elif p.is_file():
                    others.append(p.relative_to(path).as_posix())
            if warn is not None:
                _warn_unread(raw, [p for p, _ in found], others, warn)
        else:
            found = [(path, path.resolve())]
        # Each path resolved once (a few system calls per folder level: 10,000 files add up; issue 19).
        for p, key in found:
            if key not in seen:
                seen.add(key)
                paths.append(p)
    return paths


def _warn_unread(folder: str, found: list[Path], others: list[str], warn: WarnFn) -> None:
    """Say which files of a folder are not read, and when nothing in it is."""
    if others:
        shown = ", ".join(safe_name(name) for name in others[:5]) + (", …" if len(others) > 5 else "")
        count = f"{len(others)} file{'s' if len(others) != 1 else ''}"
        warn(f"skipped {count} in {safe_name(folder)} ({shown}): only .txt, .md and .html files are read")
    if not found:
        warn(f"skipped {safe_name(folder)}: the folder holds no .txt, .md or .html file")


def read_file(path: Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> RawDocument:
    """Read one file's bytes, refusing oversized and unreadable files."""
    where = safe_name(str(path))
    try:
        info = path.stat()
        if stat.S_ISFIFO(info.st_mode) or stat.S_ISSOCK(info.st_mode):
            # Opening a FIFO waits for a writer, maybe for ever. (A device such
            # as /dev/zero is read up to the cap like any file that lies about its size.)
            raise SourceError(where, "not a regular file (a FIFO or socket)")
        size = info.st_size
        if size > max_bytes:
            raise SourceError(
                where, f"{_megabytes(size)} is over the {_megabytes(max_bytes)} limit per source"
            )
        with path.open("rb") as handle:
            # Read one byte past the cap: the file may have grown since stat().
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise SourceError(where, exc.strerror or type(exc).__name__) from exc
    if len(data) > max_bytes:
        raise SourceError(where, f"over the {_megabytes(max_bytes)} limit per source")
    return RawDocument(data=data, path=where)


def file_text(path: str) -> str | None:
    """The text of the local file at ``path``, decoded as when it was read; None when it cannot be read now."""
    try:
        return decode_text(read_file(Path(path)).data)
    except SourceError:
        return None


def locate(sentence: str, text: str, near: int = 0) -> tuple[int, int] | None:
    """Where ``sentence`` stands in ``text`` word for word, whatever the spacing and line breaks between
    its words (the occurrence nearest ``near``); None when it does not."""
    words = sentence.split()
    if not words:
        return None
    found = [(m.start(), m.end()) for m in re.finditer(r"\s+".join(map(re.escape, words)), text)]
    return min(found, key=lambda span: abs(span[0] - near)) if found else None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding to text, exactly.

    Byte-order marks win, then BOM-less UTF-16, then strict UTF-8, then
    charset-normalizer limited to western code pages, then cp1252 (which maps
    almost every byte).
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    # Before UTF-8: ASCII-only UTF-16 is also valid UTF-8, with a NUL in every other place.
    utf16 = bomless_utf16(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_PLAUSIBLE_ENCODINGS).best()
    if best is not None and best.encoding:
        return str(best)
    return data.decode("cp1252", errors="replace")


_TITLE_SUFFIX = re.compile(r"^(?P<title>.{8,}?)\s+[-|–—]\s+(?P<site>[^-|–—]{2,40})$")
_SOURCE_LINE = re.compile(
    r"^\s*(?:source|via|publisher|published by)\s*:\s*(?P<name>[^\n]{2,60}?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_OUTLET_PHRASE = re.compile(
    r"\b(?:based on (?:a )?reports? (?:by|from)|reporting by|originally (?:published|appeared) "
    r"(?:in|on|by)|(?:is|was) excerpted from|(?:writer|reporter|journalist|correspondent|columnist|editor|critic)"
    r"(?: [\w.&'-]+){0,8}? for"
    # a paper's credit at the foot of wire copy ("Ann Lind writes for the Lakeside Courier, Lakeside, Ohio.",
    # "(Ivo Sand covers health issues for the Valley Ledger.)"); not the syndicate that filed it to a news
    # service (a "Story Filed By <chain>" line; the service's own "For Use By Clients" line): a
    # chain's papers are many newsrooms, and counting them as one outlet cost ROUGE-2 at 100 words
    # (DUC 2006: 0.0508 -> 0.0487) without an editor's read to say it was wrong
    r"|writes? for|covers(?: [\w-]+){0,4}? for)"
    r"\s+(?P<name>(?:[Tt]he )?[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,3})"
    # a staff credit ("is a Boston Globe staff member") and a paper's editorial ("The Valley Ledger said in an
    # editorial for Tuesday:")
    r"|\bis an? (?P<staff>[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,3}) "
    r"(?:staff|columnist|writer|reporter|correspondent|critic)\b"
    # "(… is a member of the Globe staff.)", "(… of the Globe staff contributed.)" (editors' reads
    # of D0617 and D0612 found such papers listed as "unnamed source")
    r"|\bof the (?P<member>[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,3}) staff\b"
    # "(Ivo Sand is the Ledger's health writer.)", "(Visit the Ledger's online services …)"
    r"|\bis the (?P<possessive>[A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,2})['’]s (?:[\w-]+ ){0,3}?"
    r"(?:writer|reporter|correspondent|columnist|editor|critic)\b"
    r"|^\W*Visit the (?P<visit>[A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,2})['’]s (?:online|web|World Wide)\b"
    r"|^(?P<editorial>The [A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,3}) said in an editorial\b",
    re.MULTILINE,
)
# A byline with its paper, the writer's name in capitals ("By KATE BEEM Knight Ridder Newspapers").
_BYLINE_OUTLET = re.compile(
    r"^\s*By (?:[A-Z][A-Z.'-]+ ){1,4}(?P<name>[A-Z][a-z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,3})\s*$", re.MULTILINE)
_HEADLINE_MAX_CHARS = 160


# A byline or credit line above a story ("*By ROBERT W. BLACK", "Associated Press Writer", cut
# short as "*Associated Press Write"): never its headline (two dev briefs were titled so).
_BYLINE_LINE = re.compile(
    r"^[\W_]*(?:(?:By|BY|by)\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|AND|de|van|von))*"
    r"|(?:[A-Z][\w.&'’-]*\s+){0,3}(?:Writers?|Write|WRITERS?|Correspondents?|CORRESPONDENT|Reporters?|REPORTER)"
    r"|Special to\s+.{1,40})[\W_]*$")


def is_byline(line: str) -> bool:
    """Is this line a byline or a writer's credit, not a headline?"""
    line = line.strip()
    return len(line) <= _HEADLINE_MAX_CHARS and _BYLINE_LINE.match(line) is not None


def _is_headline(line: str) -> bool:
    """A first line short enough and not ended as a sentence is; one ended by an abbreviation of a place or
    body is too ("… Found in N.J.", "… Opens in Wyo.", "…: U.N."), when no other sentence ends inside it
    (an editor's read of D0721C found a source listed without its headline: 5 of the 750 dev articles)."""
    line = line.strip()
    if not 0 < len(line) <= _HEADLINE_MAX_CHARS:
        return False
    if line.endswith("."):
        return (_ends_with_abbreviation(line) and _SENTENCE_INSIDE.search(line) is None
                and len(line.split()) <= _HEADLINE_MAX_WORDS)
    return not line.endswith(("!", "?", ":", ";"))


def _ends_with_abbreviation(line: str) -> bool:
    """Is the line's last word an abbreviation of a place or a body ("N.J.", "U.N.", "Wyo.", "Inc."), one that
    the sentence splitter knows (:data:`briefing.segment.ABBREVIATIONS`, not a title before a name)?"""
    from briefing.segment import ABBREVIATIONS, TITLES  # only for a first line that ends with a full stop

    last = line.rsplit(None, 1)[-1].rstrip(".").lower()
    return last in ABBREVIATIONS and last not in TITLES


# A sentence that ends inside the line: a full stop, then a space and a capital, after a lower-case word.
_SENTENCE_INSIDE = re.compile(r"[a-z]{2}[.!?][\"'”’]?\s+[A-Z]")
#: Words of a headline that ends in an abbreviation, at most.
_HEADLINE_MAX_WORDS = 16


# A wire editor's note in a headline line ("EDS: ADDS background …", "… EDS-Updates with more details").
_EDITORS_NOTE = re.compile(r"(?:^|\s+)EDS\b.*$", re.DOTALL)
# A wire desk's notes around a headline, no words of it: a release time ("(for release Sunday, Aug. 2)",
# "(for immediate release)"), the desk's initials ("(DW)"), a part number ("(2)", "(2-2)"), the regions
# it is sent to ("(Attn: N.H., N.C.)"), and the tail of a line before it ("888-603-1036.) ...").
_DESK_NOTES = re.compile(
    r"\s*\((?:for\s+(?:immediate\s+)?release\b[^)]*|[A-Z]{2,3}|\d{1,2}(?:-\d{1,2})?)\)\s*$"
    r"|^\s*\(attn:[^)]*\)\s*|^[^A-Za-z(]*\)\s*",
    re.IGNORECASE)


def headline_shown(title: str, text: str) -> str:
    """A headline as every output shows it: desk notes cut (:func:`headline_text`), capitals put in the case its
    article writes (:func:`~briefing.display.headline_case`), and wire quotes typographic ("`Gay Panic'" reads
    ‘Gay Panic’, as item text does: an editor's read of D0721C found the backticks in the title)."""
    return typographic(display_text(headline_case(headline_text(title), text)))


def headline_text(title: str) -> str:
    """A headline without markup tokens or a wire editor's note after it; "" when the line is the note alone.

    Four dev articles carry a note (an editor's read of D0711C found a headline
    ending "… EDS-Updates with more details" in the source list), 37 a token ("&HT; BUSH
    INVITES GAY REPUBLICANS TO PARLEY"), 25 a desk's note (``_DESK_NOTES``).
    """
    title = _EDITORS_NOTE.sub("", without_markup(title)).strip()
    while (bare := _DESK_NOTES.sub("", title, count=1)) != title:
        title = bare.strip()
    return title


def split_title_site(title: str, body: str) -> tuple[str, str | None]:
    """Split "Headline - Outlet" into its parts.

    The suffix counts as an outlet only when the body never mentions it: a
    site name rarely appears in its own article, while a section label
    ("| China") usually does. Either way it is cut from the headline.
    """
    match = _TITLE_SUFFIX.match(title.strip())
    if match is None:
        return title.strip(), None
    site = match.group("site").strip()
    if len(site.split()) > 4:
        return title.strip(), None
    if re.search(rf"\b{re.escape(site)}\b", body, re.IGNORECASE):
        # A section label ("| World"): not the outlet, and not part of the headline.
        return match.group("title").strip(), None
    return match.group("title").strip(), site


# A paper's editorial as wire copy names itself in a heading line above the text ("The Valley Ledger said
# in an editorial for Tuesday:", "The following editorial appeared in …", "EDITORIAL:"). Not a report of
# an editorial ("The paper carried an editorial saying …"): that is news about one.
_EDITORIAL_HEADING = re.compile(
    r"^\s*(?:(?:The )?[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,3} said in an editorial\b[^\n]*:\s*$"
    r"|(?:The )?[Ff]ollowing (?:is an editorial|editorial)\b[^\n]*$"
    r"|(?:EDITORIAL|Editorial)\s*[:|-]\s*[^\n]*$)",
    re.MULTILINE)


def editorial_heading(text: str) -> str | None:
    """The heading line by which an article says it is a paper's editorial, or None.

    Only the first few lines are read (where wire copy puts it); an editorial
    is opinion, and its lines are items only where another outlet reports them.
    """
    head = _head_and_tail(text)[0]
    match = _EDITORIAL_HEADING.search(head)
    return match.group().strip() if match else None


# A column filed under a label that says so ("COMMENTARY: THE ROAD TO …", "Opinion: …"): an editor's read of
# D0721A found two items of one, unmarked, among reports (the dev articles hold three such headings, all columns).
_OPINION_HEADING = re.compile(
    r"^\s*(?:COMMENTARY|Commentary|OPINION|Opinion|COLUMN|Column|OP-ED|Op-Ed|Op-ed)\s*[:|]\s*\S[^\n]*$", re.MULTILINE)


def opinion_heading(text: str) -> str | None:
    """The heading line by which an article says it is a column or commentary, or None (first lines only)."""
    match = _OPINION_HEADING.search(_head_and_tail(text)[0])
    return match.group().strip() if match else None


# The writer signing as a columnist or critic, in the first or last lines ("Ann Lee is a Herald columnist.",
# "(Tom Roe is film critic for the Daily Star."): a column or a review, not a report. Read before cleaning,
# which drops such a line as a biography (editors' reads of D0604 and D0610 found a critic's straw-man
# opening and a columnist's view as items; 4 dev articles sign so).
_SIGNED_AS_COLUMNIST = re.compile(
    r"^\W*(?:&\w+;\s*)*\(?\s*(?:[A-Z][\w.'’-]*\s+){1,3}is\s+(?:a\s+|an\s+|the\s+)?(?:[\w.'’&-]+\s+){0,5}?"
    r"(?:columnist|critic|commentator)\b", re.MULTILINE)


def columnist_signoff(text: str) -> str | None:
    """The line by which the writer signs as a columnist or critic, or None (first and last lines only)."""
    for part in _head_and_tail(text):
        match = _SIGNED_AS_COLUMNIST.search(part)
        if match is not None:
            return match.group().strip()
    return None


# The news service or chain that filed a story to another's wire ("Story Filed By Cox Newspapers").
_FILED_BY = re.compile(r"^\s*Story Filed By (?P<name>[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,3})\s*$", re.MULTILINE)


def syndicate_from_text(text: str) -> str | None:
    """The chain that filed the story, from its filing line at the foot ("Story Filed By Cox Newspapers")."""
    match = _FILED_BY.search(_head_and_tail(text)[-1])
    return _outlet_name(match.group("name")) if match else None


def outlet_from_text(text: str) -> str | None:
    """An outlet named by the article itself: a "Source:" line or a credit phrase."""
    match = _SOURCE_LINE.search(text)
    if match is not None:
        return match.group("name").strip(" .")
    for part in _head_and_tail(text):
        for match in _OUTLET_PHRASE.finditer(part):
            if not _QUOTED_PERSON.search(part[max(0, match.start() - 80):match.start()]):
                after_the = match.group("possessive") or match.group("visit")  # "the Ledger's"
                return _outlet_name(match.group("name") or match.group("staff") or match.group("member")
                                    or match.group("editorial") or f"the {after_the}")
        byline = _BYLINE_OUTLET.search(part)
        if byline is not None:
            return _outlet_name(byline.group("name"))
    return None


_ROLE_AFTER_NAME = re.compile(r"(?:\s+(?:Staff|Special|Senior|Chief|Sports|Business|Science|Medical))*"
                              r"\s+(?:Writers?|Correspondents?|Reporters?|Editors?|Columnists?)$")


def _without_the(name: str) -> str:
    """An outlet's name without a leading "The" ("The Boston Globe": "Boston Globe")."""
    return name[4:] if name.casefold().startswith("the ") else name


def _outlet_name(name: str) -> str:
    """An outlet's name as credited, "the" capitalised ("writes for the Palm Beach Post": "The Palm Beach Post")."""
    name = name.split(". ")[0].strip(" .")  # "the Lakeside Courier. Visit …"
    name = _ROLE_AFTER_NAME.sub("", name)  # "By ADA MOOR Associated Press Writer": the agency
    bare = _without_the(name)
    agency = next((display for display in _AGENCY_NAMES.values() if display.casefold() == bare.casefold()), None)
    if agency is not None:
        return agency  # "for The Associated Press": the name its datelines give ("Associated Press")
    return "The" + name[3:] if name.startswith("the ") else name


def complete_outlet_names(sources: Sequence[Source]) -> tuple[Source, ...]:
    """The sources, an outlet named by one word given the longer name that another source gives it.

    A paper's staff credit often names it short ("is a Globe columnist")
    where another article's credit gives it whole ("a Boston Globe staff
    member"): two names of one outlet counted as two independent sources (an
    editor's read of D0613). Only when exactly one longer name in the build
    ends with that word: "Post" beside both "Washington Post" and "Palm
    Beach Post" stays as it is.
    """
    longer: dict[str, dict[str, str]] = {}  # last word -> the longer names ending with it, by their folded form
    for source in sources:
        name = _without_the(source.name)
        if " " in name and source.name != UNNAMED_SOURCE:
            longer.setdefault(name.rsplit(" ", 1)[1].casefold(), {}).setdefault(name.casefold(), source.name)
    renamed = []
    for source in sources:
        name = _without_the(source.name)
        whole = longer.get(name.casefold(), {}) if name and " " not in name else {}
        renamed.append(replace(source, name=next(iter(whole.values()))) if len(whole) == 1 else source)
    return tuple(renamed)


#: A credit names the article's outlet at its top or bottom ("By Jane Roe, reporter for …",
#: "Reporting by …"); elsewhere "a columnist for the Globe and Mail" is someone quoted
#: (an editor's read of a dev brief found three quoted papers counted as its outlets).
_CREDIT_LINES = 3
_QUOTED_PERSON = re.compile(r"\b(?:said|says|wrote|writes|observed|noted|told|according to|quoted)\b", re.IGNORECASE)


def _head_and_tail(text: str) -> tuple[str, ...]:
    """The first and the last few non-empty lines of ``text``, where an article's credit stands."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) <= 2 * _CREDIT_LINES:
        return ("\n".join(lines),)
    return "\n".join(lines[:_CREDIT_LINES]), "\n".join(lines[-_CREDIT_LINES:])


def source_from_text(raw: RawDocument, text: str, source_id: str) -> Source:
    """Make a Source from plain text: title from a headline-like first line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if raw.path is not None and raw.path.lower().endswith(".md"):
        text = strip_markdown(text)
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    bylines: list[str] = []
    while first is not None and is_byline(lines[first]):
        # A byline at the top is neither headline nor article text; the headline may follow it.
        bylines.append(lines[first])
        lines = lines[first + 1:]
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
    title = raw.title or ""
    body = "\n".join(lines)
    if first is not None and _is_headline(lines[first]):
        title = title or lines[first].strip()
        body = "\n".join(lines[first + 1:])
    title, site = split_title_site(title, body) if title else (title, None)
    credited = outlet_from_text(body)
    if credited is None and bylines:
        credited = outlet_from_text("\n".join(bylines))  # "By KATE BEEM Knight Ridder Newspapers" above the text
    syndicate = syndicate_from_text(body)
    name = (display_text(site or credited or agency_from_dateline(body) or syndicate or "")
            or _name_from_location(raw))
    # A label usually stands in the headline ("EDITORIAL: …", "COMMENTARY: …"), which is no longer in the body.
    headed = f"{title}\n{body}"
    heading = editorial_heading(headed)
    labelled = opinion_heading(headed) is not None or columnist_signoff(body) is not None
    opinion = "editorial" if heading is not None else "opinion" if labelled else None
    return Source(
        id=source_id, name=name, title=headline_shown(title, body), url=raw.url,
        path=safe_name(raw.path) if raw.path else None,
        published=raw.published or date_from_text(text) or date_from_name(raw.path), text=body,
        opinion=opinion, syndicate=display_text(syndicate) if syndicate else None,
    )


# "NEW YORK (AP) --", "MOSCOW, July 20 (Xinhua) --": the wire agency that filed the story.
# The agency in any case: some wire copy writes "(xinhua)" (an editor's read of D0623 found it unnamed).
_DATELINE_AGENCY = re.compile(
    r"^\s*[A-Z][A-Z.'’ -]+[A-Z.](?:\s\([A-Z][a-z][^)\n]{0,28}\))?"  # "WEIHAI (Shandong), May 2 (Xinhua)" too
    r"(?:,[^—–()\n]{1,40}?)?\s*\((?P<agency>(?i:AP|AFP|Reuters|Xinhua|UPI|dpa|Kyodo|"
    r"ITAR-TASS|Interfax|Bloomberg|CNN|BBC))(?:\)|\s+--)", re.MULTILINE)  # "WASHINGTON (AP -- …", a typo
_AGENCY_NAMES = {
    name.lower(): display for name, display in (
        ("AP", "Associated Press"), ("AFP", "AFP"), ("Reuters", "Reuters"), ("Xinhua", "Xinhua"), ("UPI", "UPI"),
        ("dpa", "dpa"), ("Kyodo", "Kyodo"), ("ITAR-TASS", "ITAR-TASS"), ("Interfax", "Interfax"),
        ("Bloomberg", "Bloomberg"), ("CNN", "CNN"), ("BBC", "BBC"))
}


def agency_from_dateline(text: str) -> str | None:
    """The wire agency named in the first dateline of a plain-text article, if any."""
    head = "\n".join(line for line in text.split("\n")[:6])
    match = _DATELINE_AGENCY.search(head)
    if match is None:
        return None
    agency = match.group("agency")
    return _AGENCY_NAMES.get(agency.lower(), agency)


_MONTH_NAMES = "january february march april may june july august september october november december"
_MONTHS = {name: k for k, name in enumerate(_MONTH_NAMES.split(), start=1)}
# "Published: 2023-06-19", "June 19, 2023", "19 June 2023" on a line of its own near the top.
_ISO_LINE = re.compile(r"^\s*(?:(?:published|updated|date|posted)\s*:?\s*)?(\d{4})-(\d{2})-(\d{2})\b",
                       re.IGNORECASE | re.MULTILINE)
_WORD_DATE = re.compile(
    r"\b(?:(?P<m1>[A-Z][a-z]+)\.? (?P<d1>\d{1,2}),? (?P<y1>(?:19|20)\d\d)|(?P<d2>\d{1,2}) (?P<m2>[A-Z][a-z]+),? "
    r"(?P<y2>(?:19|20)\d\d))\b")
# "2023-06-19-talks.txt", "APW19990315.0428": a date in a file name.
_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-?(\d\d)-?(\d\d)(?!\d)")


def _valid(year: int, month: int, day: int) -> str | None:
    import datetime as dt

    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def date_from_text(text: str) -> str | None:
    """A publication date written in the first lines of a plain-text article."""
    head = "\n".join(text.split("\n")[:4])[:400]
    match = _ISO_LINE.search(head)
    if match:
        return _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    # Only a short line of its own ("June 19, 2023", "By X | June 19, 2023"), not a date in a sentence.
    short = "\n".join(line for line in head.split("\n") if len(line.strip()) <= 60)
    for match in _WORD_DATE.finditer(short):
        month = _MONTHS.get((match.group("m1") or match.group("m2")).lower())
        if month:
            day = int(match.group("d1") or match.group("d2"))
            return _valid(int(match.group("y1") or match.group("y2")), month, day)
    return None


def date_from_name(path: str | None) -> str | None:
    """A date in a file's name ("2023-06-19-talks.txt", "APW19990315.0428.txt")."""
    if not path:
        return None
    for match in _NAME_DATE.finditer(Path(path).name):
        found = _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if found:
            return found
    return None


_NOSCRIPT = re.compile(r"<noscript\b.*?</noscript\s*>", re.IGNORECASE | re.DOTALL)


def source_from_html(raw: RawDocument, html: str, source_id: str) -> Source:
    """Extract main text and metadata from an HTML page with trafilatura, offline."""
    import trafilatura

    # A <noscript> block is what a reader without JavaScript sees instead of the
    # page ("enable JavaScript to run this app"), never the article itself.
    html = _NOSCRIPT.sub("", html)

    def extract(with_metadata: bool) -> Any:
        return trafilatura.bare_extraction(
            html, url=raw.url, with_metadata=with_metadata, include_comments=False,
            include_tables=False, include_images=False, include_links=False,
        )

    try:
        doc = extract(True)
    except Exception:  # htmldate's cleaning asserts on some odd trees (a lone <frame>): skip metadata
        try:
            doc = extract(False)
        except Exception as exc:
            raise SourceError(raw.where, f"the HTML could not be parsed ({type(exc).__name__})") from exc
    if doc is None:
        raise SourceError(raw.where, "no article text found in the HTML")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = str(meta.get("text") or "")
    if not text.strip():
        raise SourceError(raw.where, "no article text found in the HTML")
    title = str(meta.get("title") or raw.title or "")
    title, site = split_title_site(title, text) if title else (title, None)
    claimed = display_text(str(meta.get("sitename") or ""))
    if claimed and not claim_matches(str(meta.get("url") or ""), raw.url):
        claimed = ""  # a page on one site that says it is another outlet is named by where it came from
    name = claimed or display_text(site or outlet_from_text(text) or "") or _name_from_location(raw)
    return Source(
        # The URL actually fetched, never the page's own canonical claim: only what
        # was read is linked (a local file has no link).
        id=source_id, name=name, title=headline_shown(title, text), url=raw.url,
        path=safe_name(raw.path) if raw.path else None,
        published=_iso_date(meta.get("date")) or raw.published, text=text,
        author=display_text(str(meta.get("author") or "")) or None,
    )


def _site(host: str) -> str:
    """The last two labels of a host name ("www.reuters.com" → "reuters.com"); an IP as is."""
    host = host.lower().rstrip(".")
    if not host or host.replace(".", "").isdigit() or ":" in host:
        return host
    return ".".join(host.split(".")[-2:])


def claim_matches(claimed_url: str, fetched_url: str | None) -> bool:
    """Whether a page's claimed address (canonical / og:url) is on the site it was fetched from.

    No claim, or a local file (nothing fetched to compare with), counts as a match:
    the outlet name is then the page's own; the link is never the claim.
    """
    from urllib.parse import urlsplit

    if not claimed_url or not fetched_url:
        return True
    try:
        claimed_host = urlsplit(claimed_url).hostname or ""
        fetched_host = urlsplit(fetched_url).hostname or ""
    except ValueError:
        return False
    return bool(claimed_host) and _site(claimed_host) == _site(fetched_host)


def _iso_date(value: object) -> str | None:
    if not value:
        return None
    match = re.match(r"\d{4}-\d{2}-\d{2}", str(value))
    return match.group(0) if match else None


def _name_from_location(raw: RawDocument) -> str:
    if raw.url:
        from urllib.parse import urlsplit

        host = urlsplit(raw.url).hostname or raw.url
        return host.removeprefix("www.")
    # A file's name is where it was saved, not who published it.
    return UNNAMED_SOURCE


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def strip_markdown(text: str) -> str:
    """Reduce Markdown to its words: headings, links, images and bold markers."""
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub("", text)
    return _MD_EMPHASIS.sub(r"\2", text)


def to_source(raw: RawDocument, source_id: str) -> Source:
    """Decode and extract one raw document. Raises SourceError when unusable."""
    if not raw.data.strip():
        raise SourceError(raw.where, "empty")
    if is_binary(raw.data):
        raise SourceError(raw.where, "binary")
    text = decode_text(raw.data)
    if not text.strip():
        raise SourceError(raw.where, "empty")
    if raw.is_html:
        return source_from_html(raw, text, source_id)
    return source_from_text(raw, text, source_id)


def load_sources(
    raws: Sequence[RawDocument], *, warn: WarnFn | None = None
) -> list[Source]:
    """Turn raw documents into Sources ``s1…sn`` in input order, skipping bad ones."""
    sources: list[Source] = []
    for raw in raws:
        try:
            sources.append(to_source(raw, f"s{len(sources) + 1}"))
        except SourceError as exc:
            if warn is not None:
                warn(str(exc))
    return sources


#: At most this many byte-identical copies of one document are used. A folder of
#: 400 copies of each article, or a feed listing one page under 2,000 query
#: strings, is the same few articles: every copy past these would only grow the
#: similarity graph (memory grows with the square of copies) and cite one
#: outlet again. Row 20 (identical files cited, counted once) still holds.
#: (settings.MAX_IDENTICAL_COPIES)


def limit_copies(
    raws: Sequence[RawDocument], *, max_copies: int = MAX_IDENTICAL_COPIES, warn: WarnFn | None = None
) -> list[RawDocument]:
    """Keep at most ``max_copies`` documents with the same bytes (the first ones, in order).

    One warning per document copied too often names it and how many copies were left out.
    """
    import hashlib

    kept: list[RawDocument] = []
    first: dict[bytes, RawDocument] = {}
    count: dict[bytes, int] = {}
    for raw in raws:
        key = hashlib.sha256(raw.data).digest()
        first.setdefault(key, raw)
        count[key] = count.get(key, 0) + 1
        if count[key] <= max_copies:
            kept.append(raw)
    for key, total in count.items():
        extra = total - max_copies
        if extra > 0 and warn is not None:
            warn(f"skipped {extra} more cop{'ies' if extra != 1 else 'y'} of {first[key].where}: "
                 f"the same bytes (at most {max_copies} copies are used)")
    return kept


#: At most this many sources of one article that differ only a little (a wire
#: story under other headers, a page saved with another timestamp) are used:
#: the copies of a copy cluster are all similar to each other, so their part of
#: the similarity graph grows with the square of their number (issue 14: 200
#: near-copies of each of 5 articles took 1.1 GB). They count as one
#: independent source anyway; the first ones are kept and cited.
#: (settings.MAX_NEAR_COPIES)


def limit_near_copies(
    sources: Sequence[Source], *, max_copies: int = MAX_NEAR_COPIES, warn: WarnFn | None = None
) -> tuple[Source, ...]:
    """Keep at most ``max_copies`` sources of each syndication group, renumbered ``s1…sn``.

    Groups are :func:`briefing.corroborate.text_groups` (word 5-shingle
    Jaccard at the syndication threshold), the same notion of a copy that
    counts sources as one. One warning per article copied too often.
    """
    from briefing.corroborate import text_groups

    if len(sources) <= max_copies:
        return tuple(sources)
    groups = text_groups(tuple(source.text for source in sources))
    first: dict[int, Source] = {}
    taken: dict[int, int] = {}
    kept: list[Source] = []
    for source, group in zip(sources, groups, strict=True):
        first.setdefault(group, source)
        taken[group] = taken.get(group, 0) + 1
        if taken[group] <= max_copies:
            kept.append(source)
    if len(kept) == len(sources):
        return tuple(sources)
    if warn is not None:
        for group, total in taken.items():
            extra, original = total - max_copies, first[group]
            if extra > 0:
                warn(f"skipped {extra} more near-cop{'ies' if extra != 1 else 'y'} of "
                     f"{original.url or original.path or original.name}: the same article with small changes "
                     f"(at most {max_copies} copies of one article are used)")
    return tuple(replace(source, id=f"s{k}") for k, source in enumerate(kept, start=1))


def read_paths(paths: Sequence[Path], *, warn: WarnFn | None = None) -> list[RawDocument]:
    """Read files, skipping (with a warning) those that cannot be read."""
    raws: list[RawDocument] = []
    for path in paths:
        try:
            raws.append(read_file(path))
        except SourceError as exc:
            if warn is not None:
                warn(str(exc))
    return raws


# ------------------------------------------------------------------ the router

#: Local files with these suffixes are read as feeds and expanded.
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
# "scheme:" at the start of an input, but not a Windows drive ("C:\\").
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:(?://|(?![\\/]))")

#: The kinds of input a source names; :func:`read_sources` routes each to its reader.
SourceKind = Literal["url", "feed file", "folder", "file", "stdin", "missing"]
#: The source that means standard input (``cat article.txt | briefing build - …``).
STDIN = "-"


def source_kind(text: str) -> SourceKind:
    """What a source names: a URL (an article or a feed: the download tells), a local feed
    file (.xml, .rss, .atom), a folder, another file, standard input (``-``), or nothing that exists."""
    if text == STDIN:
        return "stdin"
    if is_url(text):
        return "url"
    path = Path(text)
    if is_feed_file(text):
        return "feed file"
    if path.is_dir():
        return "folder"
    return "file" if path.exists() else "missing"


def read_sources(
    inputs: Sequence[str],
    fetch: FetchOptions | Callable[[], FetchOptions] | None = None,
    *,
    topic: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    max_sources: int | None = None,
    warn: WarnFn | None = None,
    progress: ProgressFn | None = None,
) -> list[RawDocument]:
    """Raw documents for every kind of input, in input order: the one router (issue 17).

    Files and folders only, and no feed window asked for: read here, without
    loading the feed and download code (:func:`read_local`, 0.03 s less).
    Anything else, URLs and feed files among them: :func:`expand_sources`,
    which downloads with ``fetch`` (options, or a function that makes them
    when they are needed) and chooses feed entries by ``topic``, ``since``,
    ``until`` and ``max_sources``. Both give the same documents for local
    inputs; a missing path is a usage error before anything is read.
    """
    if since is None and until is None and all(source_kind(i) in ("file", "folder", "stdin") for i in inputs):
        return read_local(inputs, warn=warn)
    options = fetch() if callable(fetch) else fetch
    return expand_sources(inputs, options, topic=topic, since=since, until=until, max_sources=max_sources,
                          warn=warn, progress=progress)


def read_local(inputs: Sequence[str], *, warn: WarnFn | None = None) -> list[RawDocument]:
    """Local files and folders (none a feed), each file once, in input order, at most
    ``MAX_IDENTICAL_COPIES`` copies of the same bytes: what :func:`expand_sources` gives for them."""
    found = {source: collect_paths([source], warn=warn) for source in inputs if source != STDIN}
    seen: set[Path] = set()
    raws: list[RawDocument] = []
    for source in dict.fromkeys(inputs):
        if source == STDIN:
            _read_stdin_into(raws, warn)
            continue
        resolved = [(p, p.resolve()) for p in found[source]]
        unseen = [p for p, key in resolved if key not in seen]
        seen.update(key for _, key in resolved)
        raws.extend(read_paths(unseen, warn=warn))
    return limit_copies(raws, warn=warn)


def _discard(message: str) -> None:
    """Where warnings go when the caller does not want them."""


def is_url(text: str) -> bool:
    """True for an input meant as a URL (any scheme); an existing local path is never one."""
    return _URL_LIKE.match(text) is not None and not Path(text).exists()


def is_feed_file(text: str) -> bool:
    """True for a local file named like a feed (.xml, .rss, .atom)."""
    path = Path(text)
    return path.suffix.lower() in FEED_SUFFIXES and path.is_file()


def expand_sources(
    inputs: Sequence[str],
    options: FetchOptions | None = None,
    *,
    topic: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    max_sources: int | None = None,
    warn: WarnFn | None = None,
    progress: ProgressFn | None = None,
) -> list[RawDocument]:
    """Raw documents for a mix of files, folders, article URLs and feeds, in input order.

    Files and folders go through :func:`briefing.ingest.collect_paths` and
    :func:`~briefing.ingest.read_paths` as before. An http(s) URL is fetched;
    if it turns out to be a feed, or the input is a local ``.xml``/``.rss``/
    ``.atom`` file, it expands into its entries' articles, which are then
    fetched, carrying the entry's title and date. ``topic``, ``since``,
    ``until`` and ``max_sources`` choose among feed entries only (pooled over
    all feeds); articles named directly are always used. Every source that
    cannot be used is skipped with one warning naming it. A missing local path,
    or ``since`` after ``until``, is a usage error raised before any download.
    """
    from briefing.feeds import FeedEntry, parse_feed, select_entries
    from briefing.fetch import FetchOptions, fetch_many, is_feed

    options = options or FetchOptions()
    warn = warn or _discard
    if since is not None and until is not None and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    # Local files first: a missing path fails here, before any download.
    found = {i: collect_paths([i], warn=warn) for i in inputs
             if not is_url(i) and not is_feed_file(i) and i != STDIN}
    urls = [i for i in inputs if is_url(i)]
    fetched = dict(zip(urls, fetch_many(urls, options, progress=progress), strict=True))

    # One list of documents per distinct input, so feed articles land where their feed was named.
    slots: list[list[RawDocument]] = []
    pooled: list[tuple[int, FeedEntry]] = []
    seen_paths: set[Path] = set()
    for raw in dict.fromkeys(inputs):
        slot: list[RawDocument] = []
        slots.append(slot)
        feed: RawDocument | None = None
        if raw in fetched:
            result = fetched[raw]
            if isinstance(result, SourceError):
                warn(str(result))
            elif is_feed(result):
                feed = result
            else:
                slot.append(result)
        elif is_feed_file(raw):
            try:
                feed = read_file(Path(raw))
            except SourceError as exc:
                warn(str(exc))
        elif raw == STDIN:
            _read_stdin_into(slot, warn)
        else:
            paths = [p for p in found[raw] if p.resolve() not in seen_paths]
            seen_paths.update(p.resolve() for p in paths)
            slot.extend(read_paths(paths, warn=warn))
        if feed is None:
            continue
        try:
            entries = parse_feed(feed.data, feed.url or raw, content_type=feed.content_type,
                                 warn=warn)
        except SourceError as exc:
            warn(f"skipped {raw}: {exc.reason}")
            continue
        if not entries:
            warn(f"skipped {raw}: feed has no usable entries")
        pooled.extend((len(slots) - 1, entry) for entry in entries)

    # An article named on the command line, or listed by two feeds, is used once.
    taken = set(urls)
    unique: list[tuple[int, FeedEntry]] = []
    for position, entry in pooled:
        if entry.link not in taken:
            taken.add(entry.link)
            unique.append((position, entry))
    chosen = select_entries(
        [entry for _, entry in unique], topic=topic, since=since, until=until,
        max_sources=max_sources or MAX_FEED_SOURCES, warn=warn,
    )
    if max_sources is None and len(chosen) == MAX_FEED_SOURCES:
        wanted = select_entries([entry for _, entry in unique], topic=topic, since=since, until=until)
        if len(wanted) > MAX_FEED_SOURCES:
            warn(f"took {MAX_FEED_SOURCES} of {len(wanted)} feed entries, the default limit "
                 "(--max-sources takes more)")
    if unique and not chosen:
        warn(f"no feed entry chosen: none of {len(unique)} matched --topic/--since/--until")
    home = {entry.link: position for position, entry in unique}
    results = fetch_many([e.link for e in chosen], options, progress=progress)
    for entry, result in zip(chosen, results, strict=True):
        if isinstance(result, SourceError):
            warn(str(result))
        elif is_feed(result):
            warn(f"skipped {entry.link}: a feed listed inside a feed is not followed")
        else:
            doc = replace(result, title=entry.title or result.title,
                          published=entry.published or result.published)
            slots[home[entry.link]].append(doc)
    return limit_copies([doc for slot in slots for doc in slot], warn=warn)


def read_stdin(stream: BinaryIO | None = None, *, max_bytes: int = MAX_SOURCE_BYTES) -> RawDocument:
    """Standard input (source ``-``) as one article, up to the size cap; HTML when it looks like HTML."""
    import sys

    data = (stream if stream is not None else sys.stdin.buffer).read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SourceError("<stdin>", f"over the {_megabytes(max_bytes)} limit per source")
    return RawDocument(data=data, path="<stdin>", content_type="text/html" if sniff_html(data) else None)


def _read_stdin_into(raws: list[RawDocument], warn: WarnFn | None) -> None:
    try:
        raws.append(read_stdin())
    except SourceError as exc:
        if warn is not None:
            warn(str(exc))

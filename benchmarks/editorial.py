"""Editorial quality of briefs: unusable items, misplaced items, Meetings without meetings.

Run from the project root::

    .venv/bin/python benchmarks/editorial.py [--labels FILE] [--clusters FILE] [--data PATH ...]

Every item of the briefs of all clusters in ../shared/data was labelled by
hand (``benchmarks/labels/editorial.jsonl``: cluster, document id, character
offsets into the document's ``text``, label, right section; no article text):
usable / orphan / boilerplate / off-topic / stale, and the section an editor
would file it in. ``editorial-clusters.jsonl`` says whether each story involves
meetings at all. *Before* is the brief builder of turn 1 (the section it used is
stored with each label it produced); *after* is this checkout, built here.
An item of today's briefs that no label covers is counted as unlabelled and
left out of the shares.

Labels judge an item alone. Issue 15 asks less of a person's name: a bare
surname is fine when the page introduces the person. An orphan label whose
only dependency is bare surnames lists them (``surnames``); "unusable on the
page" counts such an item usable when other items of the same brief give each
of those surnames in full (:func:`briefing.rank.introduced_surnames`) or the
page completes it in brackets where it first uses it ("[Lucien] Bouchard",
``Item.names``). So with initials (``initials``) that the page spells out at
their first use ("NLD [National League for Democracy]", stop 31).

The bottom line of each brief is judged apart (``bottom-lines.jsonl``, stop
41: 645 candidate lines of the 40 clusters, labelled by editors who had read
the cluster's human reference summaries and its articles' headlines and
leads): ``main`` (the story's main point, the line an editor would lead
with), ``fair`` (on the story's core, weaker), ``side`` (a side story, a
detail, a definition) or ``unusable`` (cannot stand alone, or overtaken).
The report counts this checkout's bottom lines by label.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import PROJECT_ROOT, briefing_brief
from briefing.rank import introduced_surnames, surnames
from briefing.segment import sentence_spans

SHARED = PROJECT_ROOT.parent / "shared" / "data"
DEFAULT_DATA = (SHARED / "duc2006-dev.jsonl", SHARED / "duc2007u-dev.jsonl")
LABELS = PROJECT_ROOT / "benchmarks" / "labels" / "editorial.jsonl"
LINE_LABELS = PROJECT_ROOT / "benchmarks" / "labels" / "bottom-lines.jsonl"
#: Bottom-line labels, best first (``bottom-lines.jsonl``).
LINE_KINDS = ("main", "fair", "side", "unusable")
CLUSTERS = PROJECT_ROOT / "benchmarks" / "labels" / "editorial-clusters.jsonl"


def locate(sentence: str, text: str) -> tuple[int, int] | None:
    """Span of ``sentence`` in ``text``, whitespace-insensitive."""
    pattern = r"\s+".join(re.escape(word) for word in sentence.split())
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


def best_label(span: tuple[int, int], labels: Sequence[dict[str, object]]) -> dict[str, object] | None:
    """The label whose span overlaps ``span`` most (an item may be shown without its dateline).

    Each must cover most of the other: a label of one sentence is no label of
    an item of two (``Item.context``, the sentence before shown first).
    """
    best, best_share = None, 0.0
    for label in labels:
        start, end = int(label["item_start"]), int(label["item_end"])  # type: ignore[call-overload]
        share = (min(span[1], end) - max(span[0], start)) / max(span[1] - span[0], end - start, 1)
        if share > best_share:
            best, best_share = label, share
    return best if best_share >= 0.6 else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--clusters", type=Path, default=CLUSTERS)
    parser.add_argument("--line-labels", type=Path, default=LINE_LABELS)
    parser.add_argument("--data", type=Path, action="append")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "benchmarks" / "results" / "editorial.md")
    parser.add_argument("--unlabelled", type=Path, help="write today's unlabelled items (ids and offsets) here")
    args = parser.parse_args(argv)
    data = args.data or list(DEFAULT_DATA)
    missing = [p for p in (*data, args.labels, args.clusters, args.line_labels) if not p.exists()]
    if missing:
        print(f"error: {missing[0]}: not found", file=sys.stderr)
        return 2
    docs: dict[str, dict[str, str]] = {}
    for path in data:
        for line in path.read_text(encoding="utf-8").splitlines():
            cluster = json.loads(line)
            docs[cluster["id"]] = {d["id"]: d["text"] for d in cluster["docs"]}
    labels: dict[str, list[dict[str, object]]] = defaultdict(list)
    for line in args.labels.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels[row["cluster"]].append(row)
    meetings = {row["cluster"]: row["has_meetings"] for row in map(json.loads, args.clusters.read_text().splitlines())}
    line_labels: dict[str, list[dict[str, object]]] = defaultdict(list)
    for line in args.line_labels.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        line_labels[row["cluster"]].append(row)
    lines_found: dict[str, str] = {}  # cluster -> the label of its bottom line ("unlabelled" when none)

    rows = []
    unlabelled_rows = []
    totals: dict[str, dict[str, int]] = {"before": defaultdict(int), "after": defaultdict(int)}
    for cid in sorted(labels):
        texts = docs[cid]
        before = [r for r in labels[cid] if r.get("before_section")]
        b = {
            "items": len(before),
            "unusable": sum(r["label"] != "usable" for r in before),
            "misplaced": sum(r["section"] != r["before_section"] for r in before),
            "meetings_wrong": sum(r["before_section"] == "meetings" for r in before) if not meetings[cid] else 0,
        }
        brief = briefing_brief(texts, name=cid)
        doc_of = {s.id: Path(s.path or "").stem for s in brief.sources}
        names = surnames([text[start:end] for text in texts.values() for start, end in sentence_spans(text)])
        a = {"items": 0, "labelled": 0, "unusable": 0, "misplaced": 0, "meetings_wrong": 0, "unusable_page": 0}
        for item in brief.items:
            a["items"] += 1
            if item.section == "meetings" and not meetings[cid]:
                a["meetings_wrong"] += 1
            doc = doc_of[item.source]
            span = locate(item.evidence[0].text if item.evidence else item.text, texts[doc])
            label = best_label(span, [r for r in labels[cid] if r["item_doc"] == doc]) if span else None
            if label is None:
                if span:
                    unlabelled_rows.append({"cluster": cid, "item_doc": doc, "item_start": span[0],
                                            "item_end": span[1], "placed": {"new": item.section}})
                continue
            a["labelled"] += 1
            a["unusable"] += label["label"] != "usable"
            needs = {str(name).lower() for key in ("surnames", "initials")
                     for name in label.get(key) or ()}  # type: ignore[attr-defined]
            # Given in full by another item, or completed in brackets where the page first uses it (Item.names:
            # "[Lucien] Bouchard", and initials, "NLD [National League for Democracy]").
            others = introduced_surnames((other.text for other in brief.items if other is not item), names) | {
                surname.lower() for shown in brief.items for surname, _ in shown.names}
            a["unusable_page"] += label["label"] != "usable" and not (needs and needs <= others)
            a["misplaced"] += label["section"] != item.section
        line = brief.bottom_line
        if line is not None:
            doc = doc_of[line.source]
            span = locate(line.evidence[0].text if line.evidence else line.text, texts[doc])
            found = best_label(span, [r for r in line_labels[cid] if r["item_doc"] == doc]) if span else None
            lines_found[cid] = str(found["label"]) if found else "unlabelled"
            if found is None and span:
                unlabelled_rows.append({"cluster": cid, "item_doc": doc, "item_start": span[0], "item_end": span[1],
                                        "bottom_line": True})
        for key, value in b.items():
            totals["before"][key] += value
        for key, value in a.items():
            totals["after"][key] += value
        rows.append((cid, b, a))

    def share(part: int, whole: int) -> str:
        return f"{part / whole:.0%}" if whole else "—"

    lines = [
        "| cluster | meetings? | before items | unusable | misplaced | Meetings w/o meetings | after items "
        "| labelled | unusable | unusable on the page | misplaced | Meetings w/o meetings | bottom line |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for cid, b, a in [*rows, ("total", totals["before"], totals["after"])]:
        has = "—" if cid == "total" else ("yes" if meetings[cid] else "no")
        lines.append(
            f"| {cid} | {has} | {b['items']} | {share(b['unusable'], b['items'])} "
            f"| {share(b['misplaced'], b['items'])} "
            f"| {b['meetings_wrong']} | {a['items']} | {a['labelled']} | {share(a['unusable'], a['labelled'])} "
            f"| {share(a['unusable_page'], a['labelled'])} "
            f"| {share(a['misplaced'], a['labelled'])} | {a['meetings_wrong']} | {lines_found.get(cid, '—')} |")
    report = "\n".join(lines)
    counts = {kind: sum(label == kind for label in lines_found.values()) for kind in (*LINE_KINDS, "unlabelled")}
    report += (
        f"\n\nBottom lines ({len(lines_found)} briefs; labels in `{args.line_labels.name}`: the story's main point, "
        "fair, a side story or detail, unusable alone): "
        + ", ".join(f"{kind} {n}" for kind, n in counts.items())
        + f"; main or fair {counts['main'] + counts['fair']} of {len(lines_found)}.")
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        "# Editorial quality: before (turn 1) and after (this checkout)\n\n"
        "Command: `make bench-editorial`. Generated; do not edit by hand. Unusable = labelled orphan, "
        "boilerplate, off-topic or stale, each item judged alone; unusable on the page = the same, except an "
        "orphan whose only dependency is bare surnames that other items of the brief give in full or that the "
        "page completes in brackets at first use (issue 15: a bare surname never introduced on the page), or "
        "initials the page spells out in brackets at first use; "
        "misplaced = filed in another section than the labelled "
        "one; shares of labelled items.\n\n" + report + "\n", encoding="utf-8")
    if args.unlabelled:
        args.unlabelled.write_text("".join(json.dumps(r) + "\n" for r in unlabelled_rows), encoding="utf-8")
    print(f"{len(unlabelled_rows)} items or bottom lines of today's briefs carry no label", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

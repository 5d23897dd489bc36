"""Fuzzing the ingest → clean → segment path: the target, a seed corpus and two engines.

The target (:func:`check_one`) accepts any bytes: the first byte picks the file
suffix (.txt, .md, .html, ...), the rest is the file. It may raise only
:class:`~briefing.errors.SourceError` (a documented skip), and every sentence
it finds must sit at its offsets in the cleaned text. Anything else is a crash.

Engines:

- :func:`fuzz_in_process`: a seeded mutation fuzzer (bit flips, splices,
  interesting tokens, re-encodings) over the corpus; no dependency, used by the
  normal test run.
- atheris (coverage-guided libFuzzer), when installed: see
  :mod:`tests.robustness.fuzz_atheris`.
"""

from __future__ import annotations

import codecs
import hashlib
import random
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefing import clean, ingest
from briefing.errors import SourceError
from briefing.ingest import RawDocument
from briefing.model import Source
from briefing.segment import segment

ROOT = Path(__file__).resolve().parents[2]
SUFFIXES = (".txt", ".html", ".md", ".htm", ".text")
MAX_INPUT_BYTES = 64 * 1024
#: One input taking longer than this is reported as a crash (a hang in waiting).
SLOW_SECONDS = 10.0


def ingest_clean_segment(data: bytes, name: str) -> Source | None:
    """One input through ingest, the language check, cleaning and segmenting; None if skipped.

    Raises only :class:`SourceError`, and checks the sentence offsets.
    """
    raw = RawDocument(data=data, path=name)
    try:
        source = ingest.to_source(raw, "s1")
        clean.check_language(source.text, raw.where)
        cleaned = clean.clean_text(source.text)
    except SourceError as exc:
        assert str(exc).startswith(f"skipped {name}: "), str(exc)
        assert "\n" not in str(exc), str(exc)
        return None
    source = replace(source, text=cleaned.text)
    for sentence in segment([source]):
        assert source.text[sentence.start : sentence.end] == sentence.text, sentence
        assert sentence.text and sentence.text.strip() == sentence.text, sentence
    return source


def split_input(data: bytes) -> tuple[str, bytes]:
    """The fuzzer's bytes as (file name, file bytes): the first byte picks the suffix."""
    if not data:
        return "f.txt", b""
    return "f" + SUFFIXES[data[0] % len(SUFFIXES)], data[1:]


def check_one(data: bytes) -> None:
    name, body = split_input(data)
    ingest_clean_segment(body, name)


def crash_signature(exc: BaseException) -> str:
    """Where a crash was raised: exception type, innermost frame, and innermost briefing frame."""
    frames = traceback.extract_tb(exc.__traceback__)
    inner = frames[-1] if frames else None
    ours = next((f for f in reversed(frames) if "/briefing/" in f.filename), None)
    where = f"{Path(inner.filename).name}:{inner.lineno}" if inner else "?"
    via = f" via {Path(ours.filename).name}:{ours.lineno}" if ours and ours is not inner else ""
    return f"{type(exc).__name__} at {where}{via}"


def run_one(data: bytes) -> str | None:
    """The crash signature of one input, or None when it behaves."""
    started = time.monotonic()
    try:
        check_one(data)
    except Exception as exc:
        return crash_signature(exc)
    if time.monotonic() - started > SLOW_SECONDS:
        return f"slow: over {SLOW_SECONDS:g} s"
    return None


# --- seed corpus ----------------------------------------------------------------------------------


def seed_corpus() -> list[bytes]:
    """Real articles and pages (seeds, web fixtures) and awkward encodings of them, suffix byte first."""
    entries: list[bytes] = []

    def add(suffix: str, data: bytes) -> None:
        entries.append(bytes([SUFFIXES.index(suffix)]) + data[:MAX_INPUT_BYTES])

    for path in sorted((ROOT / "seeds").glob("*.txt")):
        add(".txt", path.read_bytes())
    for path in sorted((ROOT / "tests" / "fixtures").rglob("*.html")):
        add(".html", path.read_bytes())
    sample = "The minister’s “plan” – costing €5m, or ½ of the budget – was approved on Tuesday.\nDr. Smith said U.S. talks continue.\n"
    add(".txt", sample.encode("cp1252"))
    add(".txt", codecs.BOM_UTF16_LE + sample.encode("utf-16-le"))
    add(".txt", sample.encode("utf-16-be"))
    add(".txt", codecs.BOM_UTF8 + sample.replace("\n", "\r\n").encode())
    add(".md", b"# Title\n\nThe **ministers** met in [Ankara](https://example.org) on Monday.\n![x](y.png)\n")
    add(".html", b"<html><head><title>T - Site</title></head><body><article><p>" + sample.encode() + b"</p></article></body></html>")
    add(".txt", b"Die Bundesregierung hat am Montag ein neues Gesetz beschlossen, das die Mieten begrenzt.\n")
    return entries


# --- the in-process mutation engine -----------------------------------------------------------------

INTERESTING: tuple[bytes, ...] = (
    b"\x00", b"\r", b"\r\n", b"\n\n\n", b"\t", b"\x0c", b"\x1b", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
    b"\xff\xfe\x00\x00", b"\x80", b"\x9d", b"\xe9", b"\xc3\xa9", b"\xc2\xa0", b"\xe2\x80\xae", b"\xe2\x80\x9c",
    b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"<", b">", b"<p>", b"</p>", b"<br>", b"<script>", b"</script>",
    b"<style>", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<frame>", b"<frameset>", b"<svg>", b"<math>",
    b"<template>", b"<html>", b"<body>", b"</body>", b"<head>", b"<title>", b"</title>", b"<meta charset=utf-16>",
    b'<meta property="article:published_time" content="9999-99-99">', b"&#0;", b"&#x110000;", b"&amp;", b"&",
    b"U.S.", b"Dr.", b"Mr. ", b". ", b"...", b"!?", b"\xe2\x80\xa6", b"{{ 7*7 }}", b"{%", b"# ", b"**", b"[a](b)",
    b"![x](y)", b"Source: ", b"Related Posts", b"LEAVE A REPLY", b" - Outlet", b" | World", b"https://x.example/",
    b"a@b.example", b"1,200", b"7.5%", b"\xc4\xb1\xc5\x9f\xc4\x9f", b"\xc3\x9f",
)  # fmt: skip


def mutate(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    """One to five random edits of ``data`` (its first byte is the suffix selector)."""
    head, body = data[:1] or b"\x00", bytearray(data[1:])
    for _ in range(rng.randint(1, 5)):
        op = rng.randrange(10)
        at = rng.randint(0, len(body))
        if op == 0 and body:
            body[rng.randrange(len(body))] ^= 1 << rng.randrange(8)
        elif op == 1 and body:
            body[rng.randrange(len(body))] = rng.randrange(256)
        elif op in (2, 3):
            body[at:at] = rng.choice(INTERESTING)
        elif op == 4 and body:
            end = min(len(body), at + rng.randint(1, 256))
            del body[at:end]
        elif op == 5 and body:
            end = min(len(body), at + rng.randint(1, 64))
            body[at:at] = bytes(body[at:end]) * rng.randint(2, 50)
        elif op == 6:
            other = rng.choice(corpus)[1:]
            cut = rng.randint(0, len(other))
            body = body[:at] + bytearray(other[cut:])
        elif op == 7:
            del body[at:]
        elif op == 8:
            text = bytes(body).decode("utf-8", "replace")
            encoding = rng.choice(["utf-16-le", "utf-16-be", "utf-16", "cp1252", "latin-1", "utf-32"])
            body = bytearray(text.encode(encoding, "ignore"))
        else:
            head = bytes([rng.randrange(len(SUFFIXES))])
    return (head + bytes(body))[: MAX_INPUT_BYTES + 1]


@dataclass
class FuzzResult:
    engine: str
    inputs: int = 0
    seconds: float = 0.0
    crashes: dict[str, bytes] = field(default_factory=dict)  # signature -> first input that hit it

    def summary(self) -> str:
        return (
            f"fuzz ({self.engine}): {self.inputs} inputs in {self.seconds:.1f} s,"
            f" {len(self.crashes)} crash{'es' if len(self.crashes) != 1 else ''}"
        )


def fuzz_in_process(seconds: float, *, seed: int) -> FuzzResult:
    """Mutate the seed corpus for ``seconds``; every seed is tried first, as is."""
    rng = random.Random(seed)
    corpus = seed_corpus()
    result = FuzzResult(engine=f"builtin, seed {seed}")
    # Warm up outside the clock: the first HTML page imports trafilatura and friends (seconds).
    run_one(next(data for data in corpus if split_input(data)[0].endswith(".html")))
    started = time.monotonic()

    def inputs() -> Iterator[bytes]:
        yield from corpus
        while True:
            yield mutate(rng, rng.choice(corpus), corpus)

    for data in inputs():
        if time.monotonic() - started >= seconds:
            break
        result.inputs += 1
        signature = run_one(data)
        if signature is not None:
            result.crashes.setdefault(signature, data)
    result.seconds = time.monotonic() - started
    return result


def save_crashes(crashes: dict[str, bytes], folder: Path) -> list[Path]:
    """Write each crashing input as ``crash-<sha1>`` with its signature beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for signature, data in crashes.items():
        path = folder / f"crash-{hashlib.sha1(data).hexdigest()[:16]}"
        path.write_bytes(data)
        path.with_suffix(".txt").write_text(signature + "\n")
        saved.append(path)
    return saved

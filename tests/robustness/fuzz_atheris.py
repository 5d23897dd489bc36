"""Coverage-guided fuzzing of :func:`tests.robustness.fuzz_target.check_one` with atheris.

``python -m tests.robustness.fuzz_atheris CRASH_DIR [libFuzzer options] CORPUS_DIR``

libFuzzer never returns to its caller, so this runs as its own process (the
test in test_fuzz.py starts it). A crash is recorded in CRASH_DIR and the run
goes on, so one run reports every distinct crash; libFuzzer prints the number
of inputs tried (``-print_final_stats=1``). Nothing of ours is imported before
atheris instruments it: coverage then guides the mutations.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

#: Instrumented for coverage: our code and the parsers it hands bytes to.
INSTRUMENTED = ["briefing", "trafilatura", "htmldate", "justext", "charset_normalizer", "courlan"]


def main(argv: list[str]) -> None:
    atheris = importlib.import_module("atheris")
    with atheris.instrument_imports(include=INSTRUMENTED):
        target = importlib.import_module("tests.robustness.fuzz_target")
        for name in ("trafilatura", "htmldate", "justext", "charset_normalizer"):
            importlib.import_module(name)  # imported lazily by briefing: load them instrumented now
    crash_dir = Path(argv[1])
    seen: set[str] = set()

    def one(data: bytes) -> None:
        signature = target.run_one(data)
        if signature is not None and signature not in seen:
            seen.add(signature)
            target.save_crashes({signature: data}, crash_dir)
            print(f"CRASH {signature}", file=sys.stderr, flush=True)

    atheris.Setup([argv[0], *argv[2:]], one)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)

"""How long each stage takes, logged at debug level (``briefing -v`` shows it)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def timed(log: logging.Logger, what: str) -> Iterator[None]:
    """Log ``what: N.NN s`` on ``log`` when the block ends."""
    start = time.perf_counter()
    yield
    log.debug("%s: %.2f s", what, time.perf_counter() - start)

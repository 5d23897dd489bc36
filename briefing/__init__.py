"""Briefing: a one-page, cited, sectioned brief from several news articles."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "build_brief"]


def __getattr__(name: str) -> object:
    # Imported lazily so `briefing --version` and `--help` start fast.
    if name == "build_brief":
        from briefing.pipeline import build_brief

        return build_brief
    raise AttributeError(name)

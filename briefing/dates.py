"""Dates typed by a user (``--date``): one rule for every command.

Kept apart from :mod:`briefing.daily` so that ``briefing build --date`` does not
load the mail, config and feed code a local build never needs (issue 19).
"""

from __future__ import annotations

import datetime as dt
import re

from briefing.errors import UsageError


def parse_date(text: str) -> dt.date:
    """A ``--date`` value (YYYY-MM-DD); :class:`UsageError` (exit 2) otherwise."""
    # fromisoformat alone would also take "20230619" and "2023-W25-1".
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip(), re.ASCII) is None:
            raise ValueError(text)
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--date must be a date as YYYY-MM-DD, got {text!r}") from None

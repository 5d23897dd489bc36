"""The day a sentence looks ahead to: "will go into use on January 1", "scheduled for May 24".

A brief dated after that day that still says the thing *will* happen is out
of date, whether or not a later source reports how it went (an editor's
labels of the 40 dev briefs marked a currency's launch "on January 1" stale
in a brief of June that year, and a hearing "scheduled for May 24" in one
of June). Only days a sentence names are read: a date
("January 1, 1999", "May 24", "in May", "in 2005") or a time relative to its report
("tomorrow", "next week", "next Friday", "at the end of this month"; and, in a
clause known to look ahead, a bare weekday or "this week").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_MONTH_NAMES = "january february march april may june july august september october november december"
_MONTHS = {name: k for k, name in enumerate(_MONTH_NAMES.split(), start=1)}
_MONTHS.update({name[:3]: k for name, k in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = (r"\b(?P<month>(?-i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?))\b\.?")
# "January 1, 1999", "Jan. 1", "1 January 1999", "May 1999".
# "April 15 of next year": the year is the report's next one, and "next year" is not another day.
_OF_YEAR = r"(?:\s+of\s+(?P<relative>next|this)\s+year\b)?"
_MONTH_DAY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d))?" + _OF_YEAR,
                        re.IGNORECASE)
_DAY_MONTH = re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH + r"(?:\s+(?P<year>(?:19|20)\d\d))?", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"\b" + _MONTH + r"\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
_IN_YEAR = re.compile(r"\b(?:in|by|until|before)\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
# "in May", "by March": a month alone, the next one from the report (its own month: that month's end).
_IN_MONTH = re.compile(r"\b(?:in|by|until|before)\s+" + _MONTH + r"(?!\s*\d)", re.IGNORECASE)
# "this year", "this month" name the report's own period, often of what is under way, and "on Friday" is
# as often the Friday before the report as after: not read.
_RELATIVE = re.compile(
    r"\b(?P<what>tomorrow|next\s+(?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
    # ... but the end of the report's own period is a day ahead ("at the end of this month", "later this year")
    r"|\b(?:(?:at|by)\s+the\s+end\s+of|later)\s+(?P<this>this\s+(?:week|month|year))\b",
    re.IGNORECASE)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def looks_ahead_to(text: str, published: dt.date, *, weekdays: bool = False) -> dt.date | None:
    """The last day after ``published`` that ``text`` names, or None.

    Month and day without a year are read in the report's year (the next
    one when that day has already passed); a month or a year alone means its
    last day, and so does "next month", "next year", "next week" (the week's
    Sunday). Days on or before the report are the past, not what it looks
    ahead to. ``weekdays``: the text is known to look ahead (a future verb in
    its main clause: "trading will begin on Monday"), so a bare weekday is the
    next one after the report; otherwise it is as often the one before.
    """
    days = [day for day in _named_days(text, published) if day > published]
    if weekdays:
        days += [_relative_day(match.group(1).lower(), published) for match in _BARE_WEEKDAY.finditer(text)]
        # ... and "this week" the week's Sunday ("is expected to introduce documents this week": an editor's
        # read of D0711A found it in a brief four months later); in a Sunday's report, the week ahead.
        if _THIS_WEEK.search(text):
            sunday = published.weekday() == 6
            days.append(_relative_day("this week", published + dt.timedelta(days=1 if sunday else 0)))
    return max(days) if days else None


_THIS_WEEK = re.compile(r"(?<!\bend of )(?<!\blater )\bthis\s+week\b", re.IGNORECASE)


_BARE_WEEKDAY = re.compile(
    rf"(?<!\bnext )(?<!\blast )(?<!\bthis )\b({'|'.join(day.capitalize() for day in _WEEKDAYS)})\b")


def _named_days(text: str, published: dt.date) -> list[dt.date]:
    days: list[dt.date] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_MONTH_DAY, _DAY_MONTH, _MONTH_YEAR):
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            day = _calendar_day(match, published)
            if day is not None:
                days.append(day)
                taken.append(match.span())
    for match in _IN_MONTH.finditer(text):
        if not any(start < match.end() and match.start() < end for start, end in taken):
            month = _MONTHS[match.group("month").lower().rstrip(".")]
            days.append(_month_end(published.year + (month < published.month), month))
            taken.append(match.span())
    for match in _IN_YEAR.finditer(text):
        if not any(start <= match.start("year") < end for start, end in taken):
            days.append(dt.date(int(match.group("year")), 12, 31))
    for match in _RELATIVE.finditer(text):
        if not any(start < match.end() and match.start() < end for start, end in taken):
            days.append(_relative_day((match.group("what") or match.group("this")).lower(), published))
    return days


def _calendar_day(match: re.Match[str], published: dt.date) -> dt.date | None:
    month = _MONTHS.get(match.group("month").lower().rstrip("."))
    if month is None:
        return None
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    if year is None and groups.get("relative"):
        year = published.year + (1 if groups["relative"].lower() == "next" else 0)
    day = int(groups["day"]) if groups.get("day") else None
    if day is None:
        return _month_end(year or published.year, month)
    try:
        found = dt.date(year or published.year, month, day)
    except ValueError:
        return None
    if year is None and found < published:
        try:
            found = dt.date(published.year + 1, month, day)  # "on January 5" in a December report
        except ValueError:
            return None
    return found


def _relative_day(what: str, published: dt.date) -> dt.date:
    if what == "tomorrow":
        return published + dt.timedelta(days=1)
    weekday = next((k for k, name in enumerate(_WEEKDAYS) if what.endswith(name)), None)
    if weekday is not None:
        ahead = (weekday - published.weekday()) % 7 or 7
        return published + dt.timedelta(days=ahead + (7 if what.startswith("next") else 0))
    nxt = "next" in what
    if what.endswith("week"):
        return published + dt.timedelta(days=6 - published.weekday() + (7 if nxt else 0))
    if what.endswith("month"):
        year, month = (published.year + published.month // 12, published.month % 12 + 1) if nxt else (
            published.year, published.month)
        return _month_end(year, month)
    return dt.date(published.year + (1 if nxt else 0), 12, 31)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])

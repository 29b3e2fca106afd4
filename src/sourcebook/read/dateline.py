"""The dateline at the head of a news article: where it was filed, when, and by which agency.

Two shapes are read, and only at the very start of the text (its first line, or the first line after
a title line):

* a classic dateline: ``BEIRUT, March 3 (Reuters) -``, ``WASHINGTON, Feb. 25, 2014 (AP) —``,
  ``GEORGETOWN, Ky. (WKYT) -``, ``BEIRUT —``, ``LONDON, March 3, 2014 /PRNewswire/ --``: a place in
  capitals, optionally a region, a date and an agency in parentheses (or between slashes), then a
  dash;
* a leading date, as many sites print it above the text: ``July 18 2014``, ``Sun 16 Apr 2017``,
  ``Published February 18 2015``, ``2016-04-04``.

A date without a year (``March 3``) is placed in the year that puts it nearest to a reference date
(the default ``--published`` of the run), and is left unread without one.  Nothing here guesses:
a day-month order that cannot be told apart (``04-05-2016``) is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

#: The head of a classic dateline: capitals (a place), up to the first dash that ends it.
_HEAD = re.compile(r"^(?P<head>[A-Z][A-Z'’.\- "
                   r"]{1,40}[A-Z.](?:\s*[,(/][^\n]{0,80}?)?)\s*(?:--|—|–|-|\ufffd|:)(?=\s|[A-Z])")
_AGENCY = re.compile(r"\((?P<a>[A-Za-z][\w .&'-]{0,40})\)|/(?P<w>[A-Za-z][\w .&'-]{0,40})/")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_WEEKDAY = r"(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+)"
_DATE = re.compile(
    rf"(?P<md>{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<dm>\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH})(?:,?\s+(?P<y2>\d{{4}}))?")
_LEADING = re.compile(
    rf"^(?:(?:Published|Updated|Last updated|Posted)(?:\s+(?:on|at))?:?\s+)?{_WEEKDAY}?"
    rf"(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})|(?P<num>\d{{1,2}})[-/.](?P<num2>\d{{1,2}})[-/.](?P<numy>\d{{4}})"
    rf"|(?P<text>{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}))\b",
    re.IGNORECASE)
#: How far from the reference date a year-less dateline date may fall (else the other year).
_HALF_YEAR = timedelta(days=183)


@dataclass(frozen=True, slots=True)
class Dateline:
    """What the head of an article says: the place (as written), the date, the agency."""

    place: str | None = None
    published: str | None = None  # YYYY-MM-DD, or None when there was no date or no year to place it
    agency: str | None = None
    end: int = 0  # where the dateline ends in the text


def _month_day(text: str, year: int) -> date | None:
    from datetime import datetime

    s = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text).replace(".", "").replace(",", " ")
    s = re.sub(r"\bSept\b", "Sep", s, flags=re.IGNORECASE)
    s = " ".join(s.split())
    for fmt in ("%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(f"{s} {year}", fmt).date()
        except ValueError:
            continue
    return None


def _nearest(month_day: str, reference: date) -> date | None:
    """``month_day`` in the year (the reference's, or one either side) nearest to ``reference``."""
    found = [d for y in (reference.year - 1, reference.year, reference.year + 1)
             if (d := _month_day(month_day, y)) is not None]
    if not found:
        return None
    best = min(found, key=lambda d: abs(d - reference))
    return best if abs(best - reference) <= _HALF_YEAR else None


def _read_date(text: str, reference: date | None) -> date | None:
    m = _DATE.search(text)
    if not m:
        return None
    md = m.group("md") or m.group("dm")
    year = m.group("y1") or m.group("y2")
    if year:
        return _month_day(md, int(year))
    return _nearest(md, reference) if reference else None


def _leading(text: str) -> tuple[date | None, int]:
    m = _LEADING.match(text)
    if not m:
        return None, 0
    try:
        if m.group("iso"):
            return date.fromisoformat(m.group("iso")), m.end()
        if m.group("num"):
            a, b, y = int(m.group("num")), int(m.group("num2")), int(m.group("numy"))
            if a != b and a <= 12 and b <= 12:
                return None, 0  # 04-05-2016: April 5 or 4 May?
            day, month = (a, b) if a > 12 else (b, a) if b > 12 else (a, a)
            return date(y, month, day), m.end()
    except ValueError:
        return None, 0
    body = m.group("text")
    year = re.search(r"\d{4}$", body)
    if year is None:  # the pattern that matched ends with the year
        return None, 0
    return _month_day(body[: year.start()], int(year.group())), m.end()


def _candidates(text: str) -> list[tuple[int, str]]:
    """The first line, and the second when the first looks like a title (no dash, no end stop)."""
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text[:600].split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            lines.append((pos + lead, line.strip()))
            if len(lines) == 2:
                break
        pos += len(line) + 1
    return lines


def parse_dateline(text: str, reference: date | str | None = None) -> Dateline | None:
    """The dateline or leading date at the head of ``text``, or None.  ``reference``: a date that
    places a year-less dateline date (the nearest year, within half a year)."""
    if isinstance(reference, str):
        try:
            reference = date.fromisoformat(reference[:10])
        except ValueError:
            reference = None
    for offset, line in _candidates(text):
        day, end = _leading(line)
        if day is not None and 1800 <= day.year <= 2200:
            return Dateline(published=day.isoformat(), end=offset + end)
        m = _HEAD.match(line)
        if m:
            head = m.group("head")
            agency = _AGENCY.search(head)
            place = re.split(r"[,(/]", head, maxsplit=1)[0].strip()
            rest = head[len(place):]
            day = _read_date(rest, reference)
            if day is not None and not 1800 <= day.year <= 2200:
                day = None
            name = (agency.group("a") or agency.group("w")).strip() if agency else None
            return Dateline(place=place or None, published=day.isoformat() if day else None,
                            agency=name, end=offset + m.end())
    return None

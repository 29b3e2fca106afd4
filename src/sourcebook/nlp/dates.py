"""Time expressions -> ISO intervals, resolved against the publication date.

``resolve("late January", "2014-02-25")`` gives ``{"from": "2014-01-21", "to": "2014-01-31",
"precision": "month"}``.  The rules cover what news reports write about figures: leading words
("as of", "since", "until", "on", ...), parts of months ("early/mid/late January"), weekdays (the most
recent such day not after publication), days relative to publication ("yesterday", "last week",
"this month", "the past five days", "three days ago"), months without a year (the most recent such
month not after publication), seasons, years, and full dates.  Full dates that the rules do not read
("Dec. 10", "the 21st of June") go to ``dateparser``.  The words are in ``lexicon/date_words.tsv``.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from .. import lexicon
from .places import is_outlet

MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9
WEEKDAYS: dict[str, int] = {calendar.day_name[i].lower(): i for i in range(7)}
WEEKDAYS.update({calendar.day_abbr[i].lower(): i for i in range(7)})

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "few": 3, "several": 3, "couple": 2, "a few": 3, "a couple of": 2,
}

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR_RE = r"(?:1[89]\d\d|20\d\d)"
_DATE_IN_TEXT = re.compile(
    rf"\b(?:(?:early|mid|late)[\s-]+)?(?:(?:{_MONTH_RE})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+{_YEAR_RE}"
    rf"|\d{{1,2}}\s+(?:{_MONTH_RE})\.?\s+{_YEAR_RE}|(?:{_MONTH_RE})\b|{_YEAR_RE})\b"
)


@lru_cache(maxsize=1)
def _words() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for row in lexicon.table("date_words"):
        if len(row) >= 2:
            out[row[0].lower()] = (row[1], row[2] if len(row) > 2 else "")
    return out


def _of_kind(kind: str) -> list[tuple[str, str]]:
    return sorted(((p, a) for p, (k, a) in _words().items() if k == kind), key=lambda x: -len(x[0]))


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _month_for(m: int, pub: date | None, year: int | None) -> int | None:
    """The year of month ``m``: given, or the most recent such month not after publication."""
    if year is not None:
        return year
    if pub is None:
        return None
    return pub.year if m <= pub.month else pub.year - 1


def _interval(lo: date, hi: date, precision: str) -> dict:
    return {"from": lo.isoformat(), "to": hi.isoformat(), "precision": precision}


def _parse_pub(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(str(published)[:10])
    except ValueError:
        return None


def _strip_lead(s: str) -> tuple[str, str]:
    """Remove leading words ("as of", "since", "on"); return (mode, rest)."""
    mode = "point"
    leads = _of_kind("lead")
    changed = True
    while changed and s:
        changed = False
        for phrase, arg in leads:
            if s == phrase:
                return mode, ""
            if s.startswith(phrase + " "):
                s = s[len(phrase) + 1:].strip()
                if arg in ("from", "to"):
                    mode = arg
                changed = True
                break
    return mode, s


def _part(s: str) -> tuple[tuple[int, int] | None, str]:
    for phrase, arg in _of_kind("part"):
        for sep in (" ", "-") if not phrase.endswith("-") else ("",):
            p = phrase + sep if sep else phrase
            if s.startswith(p):
                lo, hi = (int(x) for x in arg.split("-"))
                return (lo, hi), s[len(p):].strip()
    return None, s


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def _core(s: str, pub: date | None) -> dict | None:
    """Resolve an expression with its leading words removed."""
    s = s.strip(" ,.;:")
    if not s:
        return None
    if s.startswith("the ") and s[4:] in ("year", "month", "week"):
        s = "this " + s[4:]
    words = _words()
    dayparts = {p for p, (k, _a) in words.items() if k == "daypart"}
    # relative days, weeks, months, years
    kind, arg = words.get(s, ("", ""))
    if not kind:
        first, _, last = s.rpartition(" ")
        if first and last in dayparts:
            kind, arg = words.get(first, ("", ""))
    if kind.startswith("rel_") and pub is not None:
        off = int(arg)
        if kind == "rel_day":
            d = pub + timedelta(days=off)
            return _interval(d, d, "day")
        if kind == "rel_week":
            monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=off)
            return _interval(monday, monday + timedelta(days=6), "week")
        if kind == "rel_month":
            ry, rm = pub.year, pub.month + off
            while rm < 1:
                ry, rm = ry - 1, rm + 12
            return _interval(date(ry, rm, 1), _month_end(ry, rm), "month")
        if kind == "rel_year":
            ry = pub.year + off
            return _interval(date(ry, 1, 1), date(ry, 12, 31), "year")
    # the past / last N units; N units ago
    units = {p: a for p, (k, a) in words.items() if k == "unit"}
    m = re.fullmatch(r"(?:the\s+)?(?:past|last|previous)\s+(?:(\w+(?:\s+\w+)?)\s+)?(\w+)", s)
    if m and m.group(2) in units and pub is not None:
        n = _number(m.group(1)) if m.group(1) else 1
        if n is not None:
            days = max(int(units[m.group(2)]) * n, 1 if int(units[m.group(2)]) == 0 else 0)
            return _interval(pub - timedelta(days=days), pub, "day")
    m = re.fullmatch(r"(\w+(?:\s+\w+)?)\s+(\w+)\s+ago", s)
    if m and m.group(2) in units and pub is not None:
        n = _number(m.group(1))
        if n is not None:
            d = pub - timedelta(days=int(units[m.group(2)]) * n)
            prec = {1: "day", 0: "day", 7: "week", 30: "month", 365: "year"}.get(int(units[m.group(2)]), "day")
            return _interval(d, d, prec)
    # a weekday, optionally with a part of the day
    toks = s.replace(",", " ").split()
    if toks and toks[0].rstrip(".") in WEEKDAYS and (len(toks) == 1 or (len(toks) == 2 and toks[1] in dayparts)):
        if pub is None:
            return None
        back = (pub.weekday() - WEEKDAYS[toks[0].rstrip(".")]) % 7
        d = pub - timedelta(days=back)
        return _interval(d, d, "day")
    if toks and toks[0].rstrip(".") in WEEKDAYS and len(toks) > 1:
        s = " ".join(toks[1:])  # "Saturday 21 Jun 2014": the date decides
    part, rest = _part(s)
    rest = rest.removeprefix("of ").strip()
    # ISO date
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", rest)
    if m:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _interval(d, d, "day")
    # season [year]
    m = re.fullmatch(r"(?:the\s+)?(\w+)(?:\s+(?:of\s+)?(\d{4}))?", rest)
    if m and words.get(m.group(1), ("",))[0] == "season":
        a, b = (int(x) for x in words[m.group(1)][1].split("-"))
        season_year = int(m.group(2)) if m.group(2) else None
        if season_year is None:
            if pub is None:
                return None
            season_year = pub.year if a <= pub.month else pub.year - 1
        lo = date(season_year, a, 1)
        hi = _month_end(season_year + 1 if b < a else season_year, b)
        return _interval(lo, hi, "month")
    # month [day][,] [year]  |  day month [year]  |  month year
    m = re.fullmatch(rf"({_MONTH_RE})\.?(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?)?,?(?:\s+({_YEAR_RE}))?", rest)
    m2 = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?,?(?:\s+({_YEAR_RE}))?", rest)
    if m or m2:
        if m:
            mon, day, year = MONTHS[m.group(1)], m.group(2), m.group(3)
        else:
            assert m2 is not None  # m or m2 matched, and m did not
            mon, day, year = MONTHS[m2.group(2)], m2.group(1), m2.group(3)
        y: int | None = int(year) if year else None
        if day:
            dd = int(day)
            if y is None:
                if pub is None:
                    return None
                y = pub.year if (mon, dd) <= (pub.month, pub.day) else pub.year - 1
            try:
                d = date(y, mon, dd)
            except ValueError:
                return None
            return _interval(d, d, "day")
        y = _month_for(mon, pub, y)
        if y is None:
            return None
        end = _month_end(y, mon)
        if part:
            first_day, last_day = part
            return _interval(date(y, mon, first_day), date(y, mon, min(last_day, end.day)), "month")
        return _interval(date(y, mon, 1), end, "month")
    # year, with an optional part
    m = re.fullmatch(rf"(?:the\s+year\s+)?({_YEAR_RE})", rest)
    if m:
        y = int(m.group(1))
        if part:
            lo_m = {1: 1, 11: 5, 21: 9}[part[0]]
            return _interval(date(y, lo_m, 1), _month_end(y, lo_m + 3), "year")
        return _interval(date(y, 1, 1), date(y, 12, 31), "year")
    # "the start of the year"
    if part and rest in ("the year", "this year", "year") and pub is not None:
        lo_m = {1: 1, 11: 5, 21: 9}[part[0]]
        return _interval(date(pub.year, lo_m, 1), _month_end(pub.year, lo_m + 3), "year")
    return None


def _dateparser(s: str, pub: date | None) -> dict | None:
    if not re.search(r"\d", s) or not re.search(_MONTH_RE, s):
        return None
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is a dependency
        return None
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    if pub is not None:
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day)
    try:
        got = dateparser.parse(s, languages=["en"], settings=settings)
    except Exception:  # noqa: BLE001 - dateparser raises odd errors on odd input
        return None
    if got is None:
        return None
    d = got.date()
    return _interval(d, d, "day")


def _with_mode(res: dict | None, mode: str) -> dict | None:
    if res is None:
        return None
    if mode == "from":
        return {"from": res["from"], "to": None, "precision": res["precision"]}
    if mode == "to":
        return {"from": None, "to": res["to"], "precision": res["precision"]}
    return res


def resolve(expression: str, published: str | None) -> dict | None:
    """Resolve a time expression to ``{"from", "to", "precision"}`` (ISO dates; None for an open end).

    ``published`` is the ISO publication date that relative expressions are read against; without it
    only absolute dates resolve.  Returns None when the expression is not understood.
    """
    if not expression or not expression.strip():
        return None
    pub = _parse_pub(published)
    s = " ".join(expression.lower().replace("\u2019", "'").split()).strip(" ,.;:")
    mode, rest = _strip_lead(s)
    res = _core(rest, pub)
    if res is None:
        res = _dateparser(rest, pub)
    if res is None:
        # a date inside a longer phrase: "since the beginning of the conflict in March 2011"
        found = list(_DATE_IN_TEXT.finditer(rest))
        if found:
            last = found[-1]
            res = _core(rest[last.start():last.end()], pub)
    return _with_mode(res, mode)


# --------------------------------------------------------------------------------------------------
# The component: every time expression of an article, resolved (sourcebook_dates_v2)

COMPONENT = "sourcebook_dates_v2"
_LEAD_WORDS = ("as of", "since", "until", "till", "by", "before", "after", "from", "on", "in", "during",
               "throughout", "over", "within", "earlier", "later")


def _is_name_number(ent) -> bool:
    """A number that is part of an outlet's or a product's name ("Channel 4", "Radio 24", "Windows 10",
    "Euro 2016"): the entity starts with a bare number right after a capitalized name word that is no
    date word, or it and the words before it make a name listed in ``lexicon/place_outlets.txt``."""
    doc = ent.doc
    a = ent.start
    for k in (1, 2, 3):
        if a - k >= 0 and is_outlet(doc[a - k:ent.end].text):
            return True
    if is_outlet(ent.text):
        return True
    if a == 0 or not ent[0].like_num or not ent[0].text.isdigit():
        return False
    prev = doc[a - 1]
    if not prev.text[:1].isupper() or not prev.is_alpha or prev.is_sent_start:
        return False
    return prev.lower_ not in _words() and prev.lower_.rstrip(".") not in _words()


def _date_spans(doc):
    """DATE and TIME entities, widened to a leading word that changes the interval ("since"); numbers
    in names ("Channel 4") are not time expressions."""
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME") or _is_name_number(ent):
            continue
        a, b = ent.start, ent.end
        if a > 0:
            prev = doc[a - 1]
            if prev.lower_ in ("since", "until", "till", "before", "after"):
                a -= 1
            elif a > 1 and f"{doc[a - 2].lower_} {prev.lower_}" == "as of":
                a -= 2
        yield doc[a:b]


def make_component():
    from ..record import TimeRef

    class DateFinder:
        """Writes a ``record.TimeRef`` for every DATE/TIME entity to ``doc._.sb_dates``."""

        def __init__(self, nlp):
            self.nlp = nlp

        def __call__(self, doc):
            published = doc._.sb_published
            out = []
            for span in _date_spans(doc):
                a, b = span.start_char, span.end_char
                res = resolve(span.text, published)
                out.append(TimeRef(
                    id=f"T{len(out) + 1}", start=a, end=b, text=span.text,
                    from_date=res["from"] if res else None, to_date=res["to"] if res else None,
                    precision=res["precision"] if res else None, extractor=COMPONENT,
                ))
            doc._.sb_dates = out
            return doc

    from . import registry

    registry.component(COMPONENT, outputs=("sb_dates",), packages=("dateparser",))(
        lambda nlp, name: DateFinder(nlp))


make_component()

"""dates.resolve: time expressions -> ISO intervals against the publication date (no model needed)."""

from __future__ import annotations

import pytest

from sourcebook.nlp.dates import resolve

PUB = "2014-02-25"  # a Tuesday


@pytest.mark.parametrize(
    "expression, published, lo, hi, precision",
    [
        # parts of months, month without a year: the most recent such month not after publication
        ("late January", PUB, "2014-01-21", "2014-01-31", "month"),
        ("As of late January", PUB, "2014-01-21", "2014-01-31", "month"),
        ("early January", PUB, "2014-01-01", "2014-01-10", "month"),
        ("mid-February", PUB, "2014-02-11", "2014-02-20", "month"),
        ("late February", "2015-02-28", "2015-02-21", "2015-02-28", "month"),
        ("late December", PUB, "2013-12-21", "2013-12-31", "month"),
        ("in March", PUB, "2013-03-01", "2013-03-31", "month"),
        ("January 2018", PUB, "2018-01-01", "2018-01-31", "month"),
        ("as of January 2018", None, "2018-01-01", "2018-01-31", "month"),
        # weekdays: the most recent such day, publication day included
        ("On Monday", PUB, "2014-02-24", "2014-02-24", "day"),
        ("Tuesday", PUB, "2014-02-25", "2014-02-25", "day"),
        ("Wednesday", PUB, "2014-02-19", "2014-02-19", "day"),
        ("Thursday night", "2017-04-21", "2017-04-20", "2017-04-20", "day"),
        ("Sunday morning", PUB, "2014-02-23", "2014-02-23", "day"),
        # full dates, with and without a year
        ("Dec. 10", "2016-12-19", "2016-12-10", "2016-12-10", "day"),
        ("March 23", "2009-03-23", "2009-03-23", "2009-03-23", "day"),
        ("March 24", "2009-03-23", "2008-03-24", "2008-03-24", "day"),
        ("June 24 2016", None, "2016-06-24", "2016-06-24", "day"),
        ("Saturday 21 Jun 2014", None, "2014-06-21", "2014-06-21", "day"),
        ("the 3rd of May, 2015", None, "2015-05-03", "2015-05-03", "day"),
        ("2014-06-01", None, "2014-06-01", "2014-06-01", "day"),
        # relative to publication
        ("yesterday", PUB, "2014-02-24", "2014-02-24", "day"),
        ("today", PUB, "2014-02-25", "2014-02-25", "day"),
        ("currently", PUB, "2014-02-25", "2014-02-25", "day"),
        ("this morning", PUB, "2014-02-25", "2014-02-25", "day"),
        ("last week", PUB, "2014-02-17", "2014-02-23", "week"),
        ("this week", PUB, "2014-02-24", "2014-03-02", "week"),
        ("this month", PUB, "2014-02-01", "2014-02-28", "month"),
        ("last month", PUB, "2014-01-01", "2014-01-31", "month"),
        ("last month", "2014-01-15", "2013-12-01", "2013-12-31", "month"),
        ("last year", PUB, "2013-01-01", "2013-12-31", "year"),
        ("the past five days", PUB, "2014-02-20", "2014-02-25", "day"),
        ("over the past 24 hours", PUB, "2014-02-24", "2014-02-25", "day"),
        ("three days ago", PUB, "2014-02-22", "2014-02-22", "day"),
        # seasons and years
        ("over the summer", "2016-12-16", "2016-06-01", "2016-08-31", "month"),
        ("over the summer", PUB, "2013-06-01", "2013-08-31", "month"),
        ("in 2011", None, "2011-01-01", "2011-12-31", "year"),
        ("in late 2016", None, "2016-09-01", "2016-12-31", "year"),
    ],
)
def test_intervals(expression, published, lo, hi, precision):
    assert resolve(expression, published) == {"from": lo, "to": hi, "precision": precision}


@pytest.mark.parametrize(
    "expression, published, lo, hi",
    [
        ("since early January", PUB, "2014-01-01", None),
        ("since Saturday", PUB, "2014-02-22", None),
        ("since the start of the year", PUB, "2014-01-01", None),
        ("since the beginning of its conflict in March 2011", PUB, "2011-03-01", None),
        ("since the toppling of Hosni Mubarak's regime in 2011", None, "2011-01-01", None),
        ("until late January", PUB, None, "2014-01-31"),
        ("before 2012", None, None, "2012-12-31"),
    ],
)
def test_open_ends(expression, published, lo, hi):
    got = resolve(expression, published)
    assert got is not None and (got["from"], got["to"]) == (lo, hi)


def test_a_date_inside_a_longer_phrase():
    got = resolve("Within days of the rebel offensive against ISIS in January", PUB)
    assert (got["from"], got["to"]) == ("2014-01-01", "2014-01-31")


@pytest.mark.parametrize(
    "expression, published",
    [
        ("On Monday", None),  # relative: needs a publication date
        ("late January", None),
        ("yesterday", None),
        ("a week after", PUB),
        ("over four decades of violence", PUB),
        ("", PUB),
        ("the rebels", PUB),
    ],
)
def test_unresolved_is_none(expression, published):
    assert resolve(expression, published) is None


def test_a_bad_publication_date_only_loses_relative_dates():
    assert resolve("Monday", "not a date") is None
    assert resolve("June 24 2016", "not a date")["from"] == "2016-06-24"

"""The effective (review-applied) view of the extracted items: what every face reads.

A reviewed item's values are those of its ``review_state`` row, an unreviewed item's those
extracted (:class:`Effective` for flat joins, :func:`effective_select` as a subquery).  Hidden:
rejected items, and quotes, figures and events whose (effective) source is rejected.  A state row
applies only while the item still has the span it had when it was reviewed.  Writing decisions is
``sourcebook.review``'s job; this module only reads, so the store and the faces can use it without
depending on review.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy import select

from ..errors import ReviewError
from . import schema as S

KINDS = ("source", "quote", "count", "event", "place", "date")
#: The fields a correction may change, per kind, as (public name, review_state column, base column).
FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "source": (("name", "name", "name"), ("role", "role", "role"), ("affiliation", "affiliation", "affiliation"),
               ("anonymous", "anonymous", "anonymous"), ("kind", "type", "kind")),
    "quote": (("source", "source_id", "source_id"), ("type", "type", "type")),
    "count": (("low", "low", "low"), ("high", "high", "high"), ("status", "status", "status"),
              ("origin", "origin", "origin"), ("source", "source_id", "source_id"),
              ("counted", "counted", "counted")),
    "event": (("type", "type", "type"), ("actor", "actor", "actor_name"), ("recipient", "recipient", "recipient_name"),
              ("country", "country", "place_country"), ("from", "from_date", "time_from"), ("to", "to_date",
                                                                                            "time_to")),
    "place": (("name", "name", "name"), ("country", "country", "country"), ("lat", "lat", "lat"), ("lon", "lon",
                                                                                                   "lon")),
    "date": (("from", "from_date", "from_date"), ("to", "to_date", "to_date"), ("precision", "precision", "precision")),
}
_TABLE = {"source": S.sources, "quote": S.quotes, "count": S.counts, "event": S.events, "place": S.places,
          "date": S.dates}
ID_COLUMNS = _ID = {"source": "source_id", "quote": "quote_id", "count": "count_id", "event": "event_id",
                    "place": "place_id",
       "date": "date_id"}
#: Kinds said by a source: hidden with it when it is rejected.
SAID = ("quote", "count", "event")


def _state_alias(kind: str, name: str | None = None):
    return S.review_state.alias(name or f"rs_{kind}")


def _state_cond(rs, kind: str, table) -> Any:
    id_col = table.c[_ID[kind]]
    return sa.and_(rs.c.kind == kind, rs.c.article_id == table.c.article_id, rs.c.item_id == id_col,
                   rs.c.start_char.is_not_distinct_from(table.c.start_char),
                   rs.c.end_char.is_not_distinct_from(table.c.end_char))


def _over(rs, state_col: str, base_col) -> Any:
    return sa.case((rs.c.review_id.is_not(None), rs.c[state_col]), else_=base_col)


@lru_cache(maxsize=128)
def _alias(name: str):
    return S.review_state.alias(name)


class Effective:
    """The effective columns of one kind, for flat queries (no subquery in the way of the planner).

    ``e.c[name]`` is the effective value of each column of the base table (``e.t``, whose own
    columns keep the extracted values); ``e.outerjoin(frm)`` adds the joins they need to a FROM
    clause that contains ``e.t``; ``e.visible`` is the condition for items that are not hidden, and
    ``e.hidden`` a boolean column.  ``alias`` lets one query use two of the same kind.
    """

    @classmethod
    @lru_cache(maxsize=64)
    def of(cls, kind: str, alias: str | None = None) -> "Effective":
        """The (shared, immutable) ``Effective`` of ``kind``: building the aliased tables and their
        column expressions costs more than running a page's queries, so it is done once."""
        return cls(kind, alias)

    def __init__(self, kind: str, alias: str | None = None):
        _check_kind(kind)
        name = alias or kind
        self.kind = kind
        self.t = _TABLE[kind] if alias is None else _TABLE[kind].alias(alias)
        self.rs = S.review_state.alias(f"{name}_rs")
        over = {base: state for _, state, base in FIELDS[kind]}
        self.c = {col.name: (_over(self.rs, over[col.name], col) if col.name in over else col) for col in self.t.c}
        self.decision = self.rs.c.decision
        self.said = kind in SAID
        self._name = name

    @cached_property
    def _source_rejected(self):
        """EXISTS: the item's (effective) source is rejected (an indexed lookup per item)."""
        s2, r2 = S.sources.alias(f"{self._name}_rs_s"), S.review_state.alias(f"{self._name}_rs_r")
        return (select(sa.literal(1)).select_from(s2.join(r2, _state_cond(r2, "source", s2)))
                .where(s2.c.article_id == self.t.c.article_id, s2.c.source_id == self.c["source_id"],
                       r2.c.decision == "rejected").exists())

    def outerjoin(self, frm=None):
        frm = self.t if frm is None else frm
        return frm.outerjoin(self.rs, _state_cond(self.rs, self.kind, self.t))

    @cached_property
    def visible(self):
        cond = sa.or_(self.decision.is_(None), self.decision != "rejected")
        if self.said:
            cond = sa.and_(cond, sa.not_(self._source_rejected))
        return cond

    @cached_property
    def hidden(self):
        return sa.case((self.visible, sa.false()), else_=sa.true())

    def eq(self, name: str, value: Any):
        """``c[name] == value``, written so that the planner can start from an index on the
        extracted column: the extracted value matches, or a review set it to ``value``."""
        state = {base: st for _, st, base in FIELDS[self.kind]}.get(name)
        if state is None:
            return self.c[name] == value
        r2 = _alias(f"{self._name}_eq_{name}")
        set_by_review = (select(r2.c.article_id, r2.c.item_id)
                         .where(r2.c.kind == self.kind, r2.c[state] == value))
        return sa.and_(sa.or_(self.t.c[name] == value,
                              sa.tuple_(self.t.c.article_id, self.t.c[_ID[self.kind]]).in_(set_by_review)),
                       self.c[name] == value)

    def columns(self, names: Iterable[str] | None = None) -> list:
        return [self.c[n].label(n) for n in (names or self.c)]

    def review_columns(self) -> list:
        return [self.rs.c.decision, self.rs.c.reviewer, self.rs.c.reviewed_at, self.rs.c.review_id]


def effective_select(kind: str, *, include_hidden: bool = False):
    """A SELECT of every item of ``kind`` with its effective values, under the base table's column
    names, plus ``decision``, ``reviewer``, ``reviewed_at``, ``review_id`` (NULL when never
    reviewed) and ``hidden`` (rejected, or its source is).  Hidden items are left out unless
    ``include_hidden``.  Use it as a subquery, or ``Effective`` for flat joins."""
    e = Effective.of(kind)
    q = select(*e.columns(), *e.review_columns(), e.hidden.label("hidden")).select_from(e.outerjoin())
    return q if include_hidden else q.where(e.visible)


def effective_mentions_select():
    """``source_mentions`` rows whose source is not rejected."""
    m, e = S.source_mentions, Effective.of("source")
    return select(m).select_from(m.join(e.t, sa.and_(e.t.c.article_id == m.c.article_id,
                                                     e.t.c.source_id == m.c.source_id)).outerjoin(
        e.rs, _state_cond(e.rs, "source", e.t))).where(e.visible)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ReviewError(f"unknown kind {kind!r}: use {', '.join(KINDS)}")

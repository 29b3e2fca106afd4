"""What the events, places, dates and map pages show: reviewed values (``store.effective.Effective``), the
sentence each item is in, newest articles first.  Pages have no total (counting a million events
for a page number costs more than the page): they know whether a next page exists.
"""

from __future__ import annotations

from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy import func, select

from ..record import REPORTER
from ..store import Store
from ..store import schema as S
from ..store.effective import Effective
from .highlight import evidence
from .queries import WINDOW, _date, _like, articles_first, newest_first, paging_without_total, selective, title_of

PER_PAGE = 50
KINDS = ("event", "place", "date")
ID = {"event": "event_id", "place": "place_id", "date": "date_id"}


def _event_filters(e: Effective, a, src: Effective, f: dict[str, str]) -> list:
    cond: list = []
    if f.get("type"):
        cond.append(e.eq("type", f["type"].strip().upper()))
    code = (f.get("country") or "").strip().upper()
    if len(code) == 2:
        cond.append(e.eq("place_country", code))
    elif code:
        cond.append(sa.or_(e.t.c.actor_country == code, e.t.c.recipient_country == code))
    pub = a.c.published
    if _date(f.get("since")):
        cond.append(func.coalesce(e.c["time_to"], e.c["time_from"], pub) >= _date(f["since"]))
    if _date(f.get("until")):
        cond.append(func.coalesce(e.c["time_from"], e.c["time_to"], pub) <= _date(f["until"]))
    who = (f.get("source") or "").strip()
    if who.upper() == REPORTER:
        cond.append(e.c["source_id"] == REPORTER)
    elif who:
        cond.append(sa.or_(_like(src.c["name"], who), _like(src.t.c.mention, who)))
    if f.get("actor"):
        cond.append(sa.or_(_like(e.c["actor_name"], f["actor"].strip()), _like(e.c["recipient_name"],
                                                                               f["actor"].strip())))
    return cond


def _place_filters(p: Effective, a, f: dict[str, str]) -> list:
    cond = []
    if f.get("country"):
        cond.append(p.eq("country", f["country"].strip().upper()))
    if f.get("name"):
        cond.append(sa.or_(_like(p.c["name"], f["name"].strip()), _like(p.t.c.text, f["name"].strip())))
    if f.get("kind") in ("toponym", "demonym"):
        cond.append(p.t.c.kind == f["kind"])
    if f.get("feature"):
        cond.append(p.t.c.feature == f["feature"].strip().lower())
    if f.get("resolved") == "yes":
        cond.append(p.c["name"].is_not(None))
    elif f.get("resolved") == "no":
        cond.append(p.c["name"].is_(None))
    return cond


def _date_filters(d: Effective, a, f: dict[str, str]) -> list:
    cond = []
    has = sa.or_(d.c["from_date"].is_not(None), d.c["to_date"].is_not(None))
    if f.get("resolved") == "yes":
        cond.append(has)
    elif f.get("resolved") == "no":
        cond.append(sa.not_(has))
    if _date(f.get("since")):
        cond += [has, sa.or_(d.c["to_date"].is_(None), d.c["to_date"] >= _date(f["since"]))]
    if _date(f.get("until")):
        cond += [has, sa.or_(d.c["from_date"].is_(None), d.c["from_date"] <= _date(f["until"]))]
    if f.get("precision") in ("day", "week", "month", "year"):
        cond.append(d.c["precision"] == f["precision"])
    return cond


def items(store: Store, kind: str, f: dict[str, str], *, page: int = 1, per_page: int = PER_PAGE) -> dict[str, Any]:
    """One page of events, places or dates: reviewed values, the extracted ones (``x_*``), the
    article, the sentence; filters ``f`` (see the ``_*_filters``; all: ``decision``, ``article``,
    ``outlet``)."""
    e, a = Effective.of(kind), S.articles
    start, end_ = e.t.c.start_char, e.t.c.end_char
    wstart = sa.case((start > WINDOW, start - WINDOW + 1), else_=1)
    cols = [*e.columns(), *e.review_columns(), a.c.title, a.c.published, a.c.outlet, a.c.n_chars,
            func.substr(a.c.text, 1, 160).label("head"), (wstart - 1).label("window_start"),
            func.substr(a.c.text, wstart, end_ - wstart + 1 + WINDOW).label("window"),
            *[e.t.c[col].label("x_" + col) for _, _, col in _fields(kind)]]
    narrow = _narrow(e, kind, f)
    join_on = (a.c.id if selective(store, narrow) else articles_first(a.c.id)) == e.t.c.article_id
    frm = e.outerjoin(e.t.join(a, join_on))
    src = Effective.of("source", alias="src")  # joined for events only
    if kind == "event":
        frm = src.outerjoin(frm.outerjoin(src.t, sa.and_(src.t.c.article_id == e.t.c.article_id,
                                                         src.t.c.source_id == e.c["source_id"])))
        cols += [src.c["name"].label("source_name"), src.t.c.mention.label("source_mention"),
                 src.c["anonymous"].label("source_anonymous")]
    cond = [e.visible] + _common_filters(e, a, f)
    cond += {"event": lambda: _event_filters(e, a, src, f), "place": lambda: _place_filters(e, a, f),
             "date": lambda: _date_filters(e, a, f)}[kind]()
    order = [*newest_first(a.c.published, a.c.id), start, e.t.c[ID[kind]]]
    offset = (max(1, page) - 1) * per_page
    with store.reading() as conn:
        rows = [dict(r) for r in conn.execute(select(*cols).select_from(frm).where(*cond).order_by(*order)
                                              .limit(per_page + 1).offset(offset)).mappings()]
    more = len(rows) > per_page
    rows = rows[:per_page]
    for r in rows:
        r["display_title"] = title_of(r)
        r["evidence"] = evidence(r.pop("window") or "", int(r.pop("window_start") or 0), r["start_char"],
                                 r["end_char"], r.get("n_chars"))
        r["changed"] = [col for _, _, col in _fields(kind) if _s(r.get(col)) != _s(r.get("x_" + col))]
        r["item_id"] = r[ID[kind]]
    return {"items": rows, "paging": paging_without_total(max(1, page), per_page, more)}


def _narrow(e: Effective, kind: str, f: dict[str, str]) -> list:
    """The filters on indexed extracted columns (``selective`` decides whether to start from them)."""
    cols = {"event": (("type", "type", str.upper), ("country", "place_country", str.upper)),
            "place": (("country", "country", str.upper),), "date": (("precision", "precision", str.lower),)}[kind]
    out = []
    for key, col, norm in cols:
        value = (f.get(key) or "").strip()
        if value and (key != "country" or len(value) == 2):
            out.append(e.t.c[col] == norm(value))
    return out


def _fields(kind: str):
    from ..store.effective import FIELDS

    return FIELDS[kind]


def _s(v: Any) -> str:
    return "" if v is None else (v.isoformat()[:10] if hasattr(v, "isoformat") else str(v))


def _common_filters(e: Effective, a, f: dict[str, str]) -> list:
    cond: list = []
    if f.get("decision") == "unreviewed":
        cond.append(e.decision.is_(None))
    elif f.get("decision") in ("accepted", "corrected"):
        cond.append(e.decision == f["decision"])
    if f.get("article"):
        cond.append(e.t.c.article_id == f["article"][:64])
    if f.get("outlet"):
        cond.append(a.c.outlet == f["outlet"])
    return cond


def map_key(f: dict[str, str]) -> tuple:
    """The cache key of the map's places for the filters ``f``."""
    return ("map", tuple(sorted((k, f.get(k) or "") for k in ("country", "kind", "since", "until"))))


MAP_KEY = map_key({})


def map_dots(store: Store, f: dict[str, str]) -> list[dict[str, Any]]:
    """Resolved places (reviewed values) with coordinates, grouped by name and position, with how
    often they are named; filters: country, kind, since/until (the article's date)."""
    p, a = Effective.of("place"), S.articles
    lat, lon, name, country = p.c["lat"], p.c["lon"], p.c["name"], p.c["country"]
    cond = [p.visible, lat.is_not(None), lon.is_not(None), name.is_not(None)]
    cond += _place_filters(p, a, {k: f.get(k, "") for k in ("country", "kind")})
    frm = p.outerjoin()
    if _date(f.get("since")) or _date(f.get("until")):
        frm = p.outerjoin(p.t.join(a, a.c.id == p.t.c.article_id))
        if _date(f.get("since")):
            cond.append(a.c.published >= _date(f["since"]))
        if _date(f.get("until")):
            cond.append(a.c.published <= _date(f["until"]))
    n = func.count().label("n")
    q = (select(name.label("name"), country.label("country"), lat.label("lat"), lon.label("lon"), n)
         .select_from(frm).where(*cond).group_by(name, country, lat, lon).order_by(n.desc()))
    with store.reading() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def cached(request, key: Any, compute: Callable[[], Any]) -> Any:
    return request.app.state.cache.get(request.app.state.store, key, compute)

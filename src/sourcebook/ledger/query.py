"""Reading the ledger: claims with their citation chains, series with their timelines and monthly
envelopes, flows, and an overview.  Each function brings the ledger up to date first
(``core.update``: cheap when nothing changed) unless ``refresh=False``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy import and_, case, func, select

from ..display import fmt_range
from ..store import Store, contains
from ..store import schema as S
from ..store.effective import effective_select
from .core import MOVEMENT_COLUMNS, update
from .movements import FLOW_STATUSES, flow_rows

CLAIM_ORDERS = ("citations", "date", "reports")


def _plain(v: Any) -> Any:
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return v


def _row(r: Any) -> dict[str, Any]:
    return {k: _plain(v) for k, v in r._mapping.items()}


def _refresh(store: Store, refresh: bool) -> None:
    if refresh:
        update(store)


def citations_of(conn, claim_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Every citation of the claims, first report first, with the article's title and URL."""
    lc, a = S.ledger_citations, S.articles
    ids = list(dict.fromkeys(claim_ids))
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for i in range(0, len(ids), 400):
        q = (select(lc.c.claim_id, lc.c.position, lc.c.rule, lc.c.article_id, lc.c.count_id, lc.c.published,
                    lc.c.outlet, a.c.title, a.c.url, lc.c.source_id, lc.c.source_kind, lc.c.source_label,
                    lc.c.number, lc.c.text, lc.c.counted, lc.c.quote, lc.c.canonical_id, lc.c.copy_of,
                    lc.c.start_char, lc.c.end_char)
             .join(a, a.c.id == lc.c.article_id)
             .where(lc.c.claim_id.in_(ids[i:i + 400])).order_by(lc.c.claim_id, lc.c.position))
        for r in conn.execute(q):
            d = _row(r)
            d["copy"] = d["canonical_id"] != d["article_id"]
            out[d.pop("claim_id")].append(d)
    return out


def claims(store: Store, *, refresh: bool = True, status: str | None = None, group: str | None = None,
           origin: str | None = None, source: str | None = None, kind: str | None = None,
           since: str | None = None, until: str | None = None, min_citations: int = 1,
           order: str = "citations", limit: int | None = 50, offset: int = 0,
           with_citations: bool = False) -> list[dict[str, Any]]:
    """Claims, most cited first (``order="date"``: newest first; ``"reports"``: most reports,
    near-duplicates counted once).  ``source`` matches the source's name or description;
    ``kind`` is ``named``, ``anonymous`` or ``reporter``; ``since``/``until`` bound the claim date."""
    _refresh(store, refresh)
    c, a = S.ledger_claims, S.articles
    q = select(c, a.c.title.label("first_title")).outerjoin(a, a.c.id == c.c.first_article_id)
    if status:
        q = q.where(c.c.status == status.lower())
    if group:
        q = q.where(c.c.group_key == group.lower())
    if origin:
        q = q.where(c.c.origin == origin.upper())
    if source:
        q = q.where(contains(c.c.source_label, source))
    if kind:
        q = q.where(c.c.source_kind == kind)
    if since:
        q = q.where(c.c.claim_date >= since)
    if until:
        q = q.where(c.c.claim_date <= until + "~")
    if min_citations > 1:
        q = q.where(c.c.n_citations >= min_citations)
    if order == "date":
        q = q.order_by(c.c.claim_date.desc().nulls_last(), c.c.claim_id)
    elif order == "reports":
        q = q.order_by(c.c.n_reports.desc(), c.c.n_citations.desc(), c.c.claim_date, c.c.claim_id)
    else:
        q = q.order_by(c.c.n_citations.desc(), c.c.n_reports.desc(), c.c.claim_date, c.c.claim_id)
    if limit:
        q = q.limit(limit)
    if offset:
        q = q.offset(offset)
    with store.reading() as conn:
        rows = [_row(r) for r in conn.execute(q)]
        if with_citations and rows:
            cits = citations_of(conn, [r["claim_id"] for r in rows])
            for r in rows:
                r["citations"] = cits.get(r["claim_id"], [])
    return rows


def claim(store: Store, claim_id: str, *, refresh: bool = True) -> dict[str, Any] | None:
    """One claim with its citation chain, or None."""
    _refresh(store, refresh)
    c, a = S.ledger_claims, S.articles
    with store.reading() as conn:
        r = conn.execute(select(c, a.c.title.label("first_title")).outerjoin(a, a.c.id == c.c.first_article_id)
                         .where(c.c.claim_id == claim_id)).first()
        if r is None:
            return None
        out = _row(r)
        out["citations"] = citations_of(conn, [claim_id])[claim_id]
    return out


_TIMELINE_COLS = ("claim_id", "claim_date", "low", "high", "number", "text", "counted", "source_kind", "source_label",
                  "n_citations", "n_reports", "first_outlet", "first_published", "place_label", "quote")


def series(store: Store, *, refresh: bool = True, group: str | None = None, status: str | None = None,
           origin: str | None = None, place: str | None = None, min_claims: int = 1, limit: int | None = 50,
           detail: bool = False) -> list[dict[str, Any]]:
    """Series, those with the most claims first.  ``detail`` adds each series' ``months`` (the
    envelope: min low, max high, and whether two claims of the month conflict) and ``claims``
    (the timeline of distinct claims with their ranges and sources, oldest first)."""
    _refresh(store, refresh)
    s = S.ledger_series
    q = select(s)
    if group:
        q = q.where(s.c.group_key == group.lower())
    if status:
        q = q.where(s.c.status == status.lower())
    if origin:
        q = q.where(s.c.origin == origin.upper())
    if place:
        q = q.where(sa.or_(contains(s.c.place_label, place), contains(s.c.place_key, place)))
    if min_claims > 1:
        q = q.where(s.c.n_claims >= min_claims)
    q = q.order_by(s.c.n_claims.desc(), s.c.n_citations.desc(), s.c.group_key, s.c.status, s.c.series_id)
    if limit:
        q = q.limit(limit)
    with store.reading() as conn:
        rows = [_row(r) for r in conn.execute(q)]
        if detail and rows:
            ids = [r["series_id"] for r in rows]
            m, c = S.ledger_series_months, S.ledger_claims
            months: dict[str, list] = {i: [] for i in ids}
            timeline: dict[str, list] = {i: [] for i in ids}
            for i in range(0, len(ids), 400):
                chunk = ids[i:i + 400]
                for r in conn.execute(select(m).where(m.c.series_id.in_(chunk)).order_by(m.c.series_id, m.c.month)):
                    d = _row(r)
                    months[d.pop("series_id")].append(d)
                cols = [c.c.series_id] + [c.c[n] for n in _TIMELINE_COLS]
                for r in conn.execute(select(*cols).where(c.c.series_id.in_(chunk))
                                      .order_by(c.c.series_id, c.c.claim_date.nulls_last(), c.c.low, c.c.claim_id)):
                    d = _row(r)
                    timeline[d.pop("series_id")].append(d)
            for series in rows:
                series["months"] = months[series["series_id"]]
                series["claims"] = timeline[series["series_id"]]
    return rows


def flows(store: Store, *, refresh: bool = True, window: str = "year", status: str | None = None,
          origin: str | None = None, destination: str | None = None, detail: bool = False) -> list[dict[str, Any]]:
    """Flows per time window (``year``, ``quarter``, ``month`` or ``all``) of the claims of people
    joining, leaving, returned or detained (``ledger.movements``): each with ``origin`` (nationality),
    ``status``, ``directed``, ``from``, ``to``, ``where`` (where they are, or are held), ``heading``
    (a destination not reached) and their labels, the ``range`` and the claims behind it;
    ``detail`` adds the claims themselves (figure, source, first report)."""
    if window not in ("year", "quarter", "month", "all"):
        raise ValueError("window must be year, quarter, month or all")
    _refresh(store, refresh)
    c = S.ledger_claims
    cols = [c.c[n] for n in ("claim_id", "status", "origin", "place_key", "place_label", "place_country",
                             "claim_date", "low", "high", "n_citations", "number", "text", "source_kind",
                             "source_label", "first_outlet", "first_published", "quote", *MOVEMENT_COLUMNS)]
    with store.reading() as conn:
        movers = [_row(r) for r in conn.execute(select(*cols).where(c.c.status.in_(FLOW_STATUSES)))]
    if window == "all":
        for m in movers:
            m["claim_date"] = "all" if m["claim_date"] else None
        rows = flow_rows(movers, "year")
        for r in rows:
            r["period"] = "all"
    else:
        rows = flow_rows(movers, window)
    rows = [_public(r) for r in _filtered(rows, status, origin, destination)]
    if detail:
        by_id = {m["claim_id"]: m for m in movers}
        for r in rows:
            r["claims"] = [by_id[i] for i in r["claim_ids"] if i in by_id]
    rows.sort(key=lambda r: (-r["n_claims"], -r["n_citations"], r["period"], r["origin"], r["destination"]))
    return rows


def _filtered(rows: list[dict[str, Any]], status: str | None, origin: str | None,
              destination: str | None) -> list[dict[str, Any]]:
    if status:
        rows = [r for r in rows if r["status"] == status.lower()]
    if origin:
        rows = [r for r in rows if r["origin"] == origin.upper()]
    if destination:
        d = destination.lower()
        rows = [r for r in rows if r["destination"].lower() == d or d in (r["destination_label"] or "").lower()]
    return rows


def freshness(store: Store, now: datetime | None = None) -> dict[str, Any]:
    """How up to date the ledger is, read only (no lock taken): when it was last updated
    (``updated_at``, ISO, None if never; ``seconds_ago``), and what changed since: articles new or
    extracted again (``articles_since``), articles deleted (``deleted_since``), reviews
    (``reviews_since``).  ``stale`` is True when any of these is not zero."""
    from .core import _now

    a, la, st = S.articles, S.ledger_articles, S.ledger_state
    with store.reading() as conn:
        state = dict(conn.execute(select(st.c.key, st.c.value)).all())
        new = conn.execute(select(func.count()).select_from(a.outerjoin(la, la.c.article_id == a.c.id)).where(
            sa.or_(la.c.article_id.is_(None), la.c.extracted_at.is_distinct_from(a.c.extracted_at)))).scalar()
        gone = conn.execute(select(func.count()).select_from(la.outerjoin(a, a.c.id == la.c.article_id))
                            .where(a.c.id.is_(None))).scalar()
        reviews = conn.execute(select(func.count()).select_from(S.reviews)
                               .where(S.reviews.c.id > int(state.get("review_id") or 0))).scalar()
    updated = state.get("updated_at")
    ago = None
    if updated:
        then = datetime.fromisoformat(updated)
        ago = max(0.0, ((now or _now()) - then).total_seconds())
    out = {"updated_at": updated, "seconds_ago": ago, "articles_since": int(new or 0),
           "deleted_since": int(gone or 0), "reviews_since": int(reviews or 0)}
    out["stale"] = bool(updated is None or out["articles_since"] or out["deleted_since"] or out["reviews_since"])
    return out


def _public(r: dict[str, Any]) -> dict[str, Any]:
    """A flow row as the query commands show it: ``from``/``to``/``where``/``heading`` for the
    ``*_key`` columns, and the range as written everywhere."""
    out = {k: v for k, v in r.items() if not k.endswith("_key")}
    for end in ("from", "to", "where", "heading"):
        out[end] = r.get(f"{end}_key")
    out["range"] = fmt_range(r.get("min_low"), r.get("max_high"))
    return out


def overview(store: Store, *, refresh: bool = True) -> dict[str, Any]:
    """Totals for the report: articles, near-duplicate copies, figures, claims, citations,
    series, flows; the share of anonymous sources (sources of articles that are not copies) and
    of claims from anonymous sources."""
    _refresh(store, refresh)
    la, c, lc = S.ledger_articles, S.ledger_claims, S.ledger_citations
    with store.reading() as conn:
        one = lambda q: int(conn.execute(q).scalar() or 0)  # noqa: E731
        n_articles = one(select(func.count()).select_from(S.articles))
        n_copies = one(select(func.count()).select_from(la).where(la.c.canonical_id != la.c.article_id))
        kinds: dict[str | None, int] = dict(
            conn.execute(select(c.c.source_kind, func.count()).group_by(c.c.source_kind)).all())
        originals = select(la.c.article_id).where(la.c.canonical_id == la.c.article_id)
        src = effective_select("source").subquery("eff_source")
        anon = src.c.anonymous.is_(True)
        with_reason = and_(anon, src.c.anonymity_reason.isnot(None), src.c.anonymity_reason != "")
        n_src, n_anon, n_anon_reason = (int(x or 0) for x in conn.execute(
            select(func.count(), func.sum(case((anon, 1), else_=0)), func.sum(case((with_reason, 1), else_=0)))
            .select_from(src).where(src.c.article_id.in_(originals))).one())
        # anonymous claims that carry a stated reason for anonymity: a claim counts when one of its
        # citations rests on an (effectively) anonymous source whose article gives the reason
        cit = S.ledger_citations
        n_anon_reason_claims = one(
            select(func.count(func.distinct(cit.c.claim_id)))
            .select_from(cit.join(src, and_(src.c.article_id == cit.c.article_id,
                                            src.c.source_id == cit.c.source_id)))
            .where(cit.c.claim_id.in_(select(c.c.claim_id).where(c.c.source_kind == "anonymous")), with_reason))
        state = dict(conn.execute(select(S.ledger_state.c.key, S.ledger_state.c.value)).all())
        out = {
            "articles": n_articles,
            "near_duplicate_copies": n_copies,
            "duplicate_pairs": one(select(func.count()).select_from(S.ledger_duplicates)),
            "figures": one(select(func.count()).select_from(lc)),
            "claims": sum(kinds.values()),
            "claims_by_source": {k: int(kinds.get(k, 0)) for k in ("named", "anonymous", "reporter")},
            "cited_more_than_once": one(select(func.count()).select_from(c).where(c.c.n_citations > 1)),
            "series": one(select(func.count()).select_from(S.ledger_series)),
            "flows": one(select(func.count()).select_from(S.ledger_flows)),
            "sources": n_src,
            "anonymous_sources": n_anon,
            "anonymous_source_share": (100.0 * n_anon / n_src) if n_src else 0.0,
            "anonymous_sources_with_reason": n_anon_reason,
            "anonymous_claims_with_reason": n_anon_reason_claims,
            "values": state.get("corrections", "extracted"),
            "updated_at": state.get("updated_at"),
        }
    attributed = out["claims_by_source"]["named"] + out["claims_by_source"]["anonymous"]
    out["anonymous_claim_share"] = (100.0 * out["claims_by_source"]["anonymous"] / attributed) if attributed else 0.0
    return out

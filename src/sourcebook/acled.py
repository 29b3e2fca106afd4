"""Exports analysts already load: events as ACLED-style rows, figures with UCDP-style estimates.

``sourcebook export --format acled --out DIR`` writes three CSV files (docs/export.md):

* ``events_acled.csv``: one row per event (reviewed values; rejected events and the events of a
  rejected source left out) with ACLED's column names where they map: ``event_id_cnty``,
  ``event_date``, ``year``, ``time_precision``, ``event_type``, ``sub_event_type``, ``actor1``,
  ``inter1``, ``actor2``, ``inter2``, ``iso``, ``country``, ``admin1``, ``location``, ``latitude``,
  ``longitude``, ``geo_precision``, ``source``, ``notes``, ``fatalities``; then ``sourcebook_*``
  columns tracing each row to the words it came from.  The PLOVER -> ACLED mapping is the data file
  ``lexicon/acled_mapping.tsv``; an event it does not map (and a denied or hypothetical one) keeps its
  row with ``event_type`` empty and the reason in ``notes``.
* ``figures_ucdp.csv``: one row per figure about people, with UCDP-style ``low``, ``best``, ``high``;
* ``claims_ucdp.csv``: one row per ledger claim (a figure from a source, however many articles cite
  it), the same estimates.

``best`` is the figure as stated when it is one number, else the low end of its range (never an
average); an open range ("at least 40") has no ``high``, "up to 200" no ``low`` nor ``best``.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import sqlalchemy as sa
from sqlalchemy import select

from . import lexicon
from .labels import article_label
from .store import Store
from .store import schema as S

ACLED_COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
                 "inter1", "actor2", "inter2", "iso", "country", "admin1", "location", "latitude", "longitude",
                 "geo_precision", "source", "notes", "fatalities")
TRACE_COLUMNS = ("sourcebook_article_id", "sourcebook_event_id", "sourcebook_start_char", "sourcebook_end_char",
                 "sourcebook_plover_type", "sourcebook_mode", "sourcebook_mapped", "sourcebook_according_to",
                 "sourcebook_review", "sourcebook_url", "sourcebook_extractor")
FIGURE_COLUMNS = ("article_id", "count_id", "date", "date_from", "source", "source_kind", "outlet", "title", "text",
                  "counted", "status", "origin", "low", "best", "high", "approximate", "review", "start_char",
                  "end_char")
CLAIM_COLUMNS = ("claim_id", "date", "source", "source_kind", "text", "counted", "group", "status", "origin", "place",
                 "low", "best", "high", "n_citations", "n_reports", "n_outlets", "first_outlet", "first_published",
                 "first_article_id", "first_count_id")
BATCH = 200
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n")


# --------------------------------------------------------------------------- estimates


def best_estimate(low: int | None, high: int | None) -> int | None:
    """UCDP-style best estimate: the figure when it is one number, else the low end of its range."""
    if low is None:
        return None
    return low if high is None or high >= low else high


# --------------------------------------------------------------------------- the mapping


@lru_cache(maxsize=1)
def _mapping() -> tuple[tuple[str, ...], ...]:
    return tuple(r for r in lexicon.table("acled_mapping") if len(r) >= 5)


@lru_cache(maxsize=1)
def _inter() -> dict[str, tuple[str, bool]]:
    return {r[0].upper(): (r[1], r[2].lower() == "yes") for r in lexicon.table("acled_inter") if len(r) >= 3}


def _sector(side: Any) -> str | None:
    """An actor's PLOVER sector (or an entity code such as IMG standing alone)."""
    if not isinstance(side, dict):
        return None
    sector = (side.get("sector") or "").upper() or None
    if sector:
        return sector
    code = (side.get("code") or side.get("country") or "").upper()
    return code[3:6] or (code if code in _inter() else None)


def acled_type(plover: str, mode: str | None, recipient: Any) -> tuple[str, str, str | None]:
    """``(event_type, sub_event_type, why not)`` for a PLOVER event; empty types and a reason when
    ACLED has no type for it."""
    sector = _sector(recipient)
    armed = _inter().get(sector or "", ("", False))[1] if sector else None
    target = "unknown" if armed is None else ("armed" if armed else "civilian")
    for ptype, pmode, ptarget, etype, sub in _mapping():
        if ptype == plover and pmode in ("*", mode or "") and ptarget in ("*", target):
            note = "target unknown: a battle assumed" if (ptarget == "unknown") else None
            return etype, sub, note
    return "", "", (f"PLOVER {plover} has no ACLED event type (ACLED codes political violence, "
                    f"demonstrations and strategic developments)")


def inter_code(side: Any) -> str:
    return _inter().get(_sector(side) or "", ("", False))[0]


# --------------------------------------------------------------------------- places and dates


def _country(code: str | None) -> tuple[str, str]:
    """``(name, ISO 3166-1 numeric)`` of an alpha-2 code."""
    if not code:
        return "", ""
    try:
        import pycountry

        c = pycountry.countries.get(alpha_2=code.upper())
    except (ImportError, LookupError, KeyError):
        c = None
    if c is None:
        return code, ""
    return getattr(c, "common_name", None) or c.name, str(int(c.numeric))


def _admin1(place: dict[str, Any]) -> str:
    if place.get("feature") == "admin1":
        return place.get("name") or ""
    code = place.get("admin_code")
    if not code:
        return ""
    try:
        import pycountry

        sub = pycountry.subdivisions.get(code=code)
    except (ImportError, LookupError, KeyError):
        sub = None
    return sub.name if sub is not None else ""


GEO_PRECISION = {"city": "1", "admin2": "2", "region": "2", "admin1": "3", "country": "3", "continent": "3"}


def _time_precision(t_from: date | None, t_to: date | None) -> str:
    if t_from and t_to:
        days = (t_to - t_from).days
        return "1" if days == 0 else ("2" if days <= 6 else "3")
    return "3"


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding ``[start, end)``: from after the last sentence end before it to the
    first one after it."""
    left = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - 1500), start):
        left = m.end()
    stop = _SENTENCE_END.search(text, end)
    return left, (stop.start() + 1 if stop else len(text))


# --------------------------------------------------------------------------- reading


def _article_batches(store: Store) -> Iterator[list[str]]:
    last = ""
    while True:
        with store.reading() as conn:
            ids = list(conn.execute(select(S.articles.c.id).where(S.articles.c.id > last)
                                    .order_by(S.articles.c.id).limit(BATCH)).scalars())
        if not ids:
            return
        yield ids
        last = ids[-1]


def _batch(conn, ids: list[str]) -> dict[str, Any]:
    from .store.effective import Effective

    a = S.articles
    arts = {r["id"]: dict(r) for r in conn.execute(
        select(a.c.id, a.c.title, a.c.outlet, a.c.published, a.c.url, a.c.text).where(a.c.id.in_(ids))).mappings()}
    e = Effective.of("event")
    events = [dict(r) for r in conn.execute(
        select(*e.columns(), e.decision).select_from(e.outerjoin()).where(e.t.c.article_id.in_(ids), e.visible)
        .order_by(e.t.c.article_id, e.t.c.start_char, e.t.c.event_id)).mappings()]
    p = Effective.of("place")
    places = {(r["article_id"], r["place_id"]): dict(r) for r in conn.execute(
        select(*p.columns()).select_from(p.outerjoin()).where(p.t.c.article_id.in_(ids), p.visible)).mappings()}
    c = Effective.of("count")
    killed: dict[str, list[dict[str, Any]]] = {}
    for r in conn.execute(select(*c.columns(["article_id", "count_id", "start_char", "end_char", "low", "high"]))
                          .select_from(c.outerjoin())
                          .where(c.t.c.article_id.in_(ids), c.visible, c.c["status"] == "killed")).mappings():
        killed.setdefault(r["article_id"], []).append(dict(r))
    s = Effective.of("source")
    sources = {(r["article_id"], r["source_id"]): dict(r) for r in conn.execute(
        select(*s.columns(["article_id", "source_id", "name", "mention", "anonymous"])).select_from(s.outerjoin())
        .where(s.t.c.article_id.in_(ids))).mappings()}
    return {"articles": arts, "events": events, "places": places, "killed": killed, "sources": sources}


_PRECISE = {"city": 0, "admin2": 1, "region": 2, "admin1": 3, "country": 4, "continent": 5}


def _place_in_sentence(aid: str, bounds: tuple[int, int], places: dict) -> dict[str, Any]:
    """An event without a place of its own: the most precise resolved place named in its sentence
    (a nationality word does not count)."""
    lo, hi = bounds
    inside = [p for (a, _), p in places.items() if a == aid and lo <= p["start_char"] and p["end_char"] <= hi
              and p.get("kind") != "demonym" and p.get("country")]
    if not inside:
        return {}
    return min(inside, key=lambda p: (_PRECISE.get(p.get("feature") or "", 9), p["start_char"]))


def _said_by(ev: dict[str, Any], sources: dict) -> str:
    if ev["source_id"] == "REPORTER":
        return "the article itself"
    src = sources.get((ev["article_id"], ev["source_id"])) or {}
    who = src.get("name") or src.get("mention") or ev["source_id"]
    return f"{who} (anonymous)" if src.get("anonymous") else who


def _fatalities(ev: dict[str, Any], killed: list[dict[str, Any]], bounds: tuple[int, int]) -> tuple[int, str | None]:
    lo, hi = bounds
    inside = [k for k in killed if lo <= k["start_char"] and k["end_char"] <= hi and (k["low"] is not None
                                                                                      or k["high"])]
    if not inside:
        return 0, None
    best = min(inside, key=lambda k: k["low"] if k["low"] is not None else k["high"])
    n = best["low"] if best["low"] is not None else best["high"]
    return int(n), best["count_id"]


def _day(v: Any) -> date | None:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10]) if v else None
    except ValueError:
        return None


def acled_row(ev: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """One event as an ACLED-style row (``ev``: effective ``events`` columns; ``b``: its batch)."""
    art = b["articles"][ev["article_id"]]
    text = art["text"] or ""
    etype, sub, why = acled_type(ev["type"], ev.get("mode"), ev.get("recipient"))
    notes_extra = [why] if why else []
    if ev.get("negated") or ev.get("hypothetical"):
        etype, sub = "", ""
        notes_extra.append("the article denies it" if ev.get("negated")
                           else "conditional, planned, feared or attempted")
    t_from, t_to = _day(ev.get("time_from")), _day(ev.get("time_to"))
    day = t_from or t_to
    if day is None:
        day = _day(art["published"])
        if day:
            notes_extra.append("dated by the article's publication date")
    bounds = sentence_bounds(text, ev["start_char"], ev["end_char"])
    place = b["places"].get((ev["article_id"], ev.get("place_id"))) or {}
    if not place:
        place = _place_in_sentence(ev["article_id"], bounds, b["places"])
        if place:
            notes_extra.append(f"location: the most precise place named in the sentence ({place['place_id']})")
    country_code = ev.get("place_country") or place.get("country")
    country, iso = _country(country_code)
    fatalities, fig = _fatalities(ev, b["killed"].get(ev["article_id"], []), bounds)
    if fig:
        notes_extra.append(f"fatalities: figure {fig}, the lowest 'killed' figure in the sentence")
    sentence = " ".join(text[bounds[0]:bounds[1]].split())
    said = _said_by(ev, b["sources"])
    meta = f"sourcebook: PLOVER {ev['type']}{' (' + ev['mode'] + ')' if ev.get('mode') else ''}; according to {said}"
    notes = " | ".join([sentence[:500], meta] + notes_extra)
    return {
        "event_id_cnty": f"SB-{ev['article_id']}-{ev['event_id']}", "event_date": day.isoformat() if day else "",
        "year": day.year if day else "",
        "time_precision": (_time_precision(t_from, t_to) if (t_from or t_to) else "3") if day else "",
        "event_type": etype, "sub_event_type": sub,
        "actor1": ev.get("actor_name") or "", "inter1": inter_code(ev.get("actor")),
        "actor2": ev.get("recipient_name") or "", "inter2": inter_code(ev.get("recipient")),
        "iso": iso, "country": country, "admin1": _admin1(place) if place else "",
        "location": place.get("name") or place.get("text") or "",
        "latitude": place.get("lat") if place.get("lat") is not None else "",
        "longitude": place.get("lon") if place.get("lon") is not None else "",
        "geo_precision": GEO_PRECISION.get(place.get("feature") or "", "") if place else "",
        "source": art.get("outlet") or article_label(art.get("title"), None, art.get("published"), art["id"]),
        "notes": notes, "fatalities": fatalities,
        "sourcebook_article_id": ev["article_id"], "sourcebook_event_id": ev["event_id"],
        "sourcebook_start_char": ev["start_char"], "sourcebook_end_char": ev["end_char"],
        "sourcebook_plover_type": ev["type"], "sourcebook_mode": ev.get("mode") or "",
        "sourcebook_mapped": "true" if etype else "false", "sourcebook_according_to": said,
        "sourcebook_review": ev.get("decision") or "", "sourcebook_url": art.get("url") or "",
        "sourcebook_extractor": f"{ev.get('extractor') or ''} {ev.get('extractor_version') or ''}".strip(),
    }


def iter_acled(store: Store) -> Iterator[dict[str, Any]]:
    """Every event as an ACLED-style row, article by article (memory stays flat)."""
    for ids in _article_batches(store):
        with store.reading() as conn:
            b = _batch(conn, ids)
        for ev in b["events"]:
            yield acled_row(ev, b)


def iter_figures(store: Store) -> Iterator[dict[str, Any]]:
    """Every figure about people (reviewed values) with UCDP-style low, best, high."""
    from .store.effective import Effective

    for ids in _article_batches(store):
        with store.reading() as conn:
            c, s, a = Effective.of("count"), Effective.of("source", alias="src"), S.articles
            frm = s.outerjoin(c.outerjoin().join(a, a.c.id == c.t.c.article_id).outerjoin(
                s.t, sa.and_(s.t.c.article_id == c.t.c.article_id, s.t.c.source_id == c.c["source_id"])))
            rows = conn.execute(select(*c.columns(), c.decision, a.c.title, a.c.outlet, a.c.published,
                                       s.c["name"].label("source_name"), s.t.c.mention.label("source_mention"),
                                       s.c["anonymous"].label("source_anonymous"))
                                .select_from(frm).where(c.t.c.article_id.in_(ids), c.visible)
                                .order_by(c.t.c.article_id, c.t.c.start_char)).mappings().all()
        for r in rows:
            yield _figure_row(dict(r))


def _figure_row(r: dict[str, Any]) -> dict[str, Any]:
    reporter = r["source_id"] == "REPORTER"
    kind = "reporter" if reporter else ("anonymous" if r.get("source_anonymous") else "named")
    when = r.get("time_from") or r.get("time_to")
    return {
        "article_id": r["article_id"], "count_id": r["count_id"],
        "date": str(when or r.get("published") or "")[:10], "date_from": "figure" if when else "publication",
        "source": "the article itself" if reporter else (r.get("source_name") or r.get("source_mention") or ""),
        "source_kind": kind, "outlet": r.get("outlet") or "", "title": r.get("title") or "", "text": r["text"],
        "counted": r.get("counted") or "", "status": r["status"], "origin": r.get("origin") or "",
        "low": _blank(r["low"]), "best": _blank(best_estimate(r["low"], r["high"])), "high": _blank(r["high"]),
        "approximate": "true" if r.get("approximate") else "false", "review": r.get("decision") or "",
        "start_char": r["start_char"], "end_char": r["end_char"],
    }


def iter_claims(store: Store) -> Iterator[dict[str, Any]]:
    """Every ledger claim with UCDP-style low, best, high (the ledger as it is)."""
    c = S.ledger_claims
    last = ""
    while True:
        with store.reading() as conn:
            rows = conn.execute(select(c).where(c.c.claim_id > last).order_by(c.c.claim_id)
                                .limit(1000)).mappings().all()
        if not rows:
            return
        for r in rows:
            yield {
                "claim_id": r["claim_id"], "date": r["claim_date"] or "", "source": r["source_label"],
                "source_kind": r["source_kind"], "text": r["text"], "counted": r["counted"] or "",
                "group": r["group_key"], "status": r["status"], "origin": r["origin"] or "",
                "place": r["place_label"] or "", "low": _blank(r["low"]),
                "best": _blank(best_estimate(r["low"], r["high"])), "high": _blank(r["high"]),
                "n_citations": r["n_citations"], "n_reports": r["n_reports"], "n_outlets": r["n_outlets"],
                "first_outlet": r["first_outlet"] or "", "first_published": str(r["first_published"] or ""),
                "first_article_id": r["first_article_id"], "first_count_id": r["first_count_id"],
            }
        last = rows[-1]["claim_id"]


def _blank(v: Any) -> Any:
    return "" if v is None else v


# --------------------------------------------------------------------------- writing


def _write(path: Path, columns: tuple[str, ...], rows: Iterator[dict[str, Any]]) -> int:
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        for row in rows:
            w.writerow(row)
            n += 1
    return n


def export_acled(store: Store, folder: Path) -> dict[str, dict[str, Any]]:
    """Write ``events_acled.csv``, ``figures_ucdp.csv`` and ``claims_ucdp.csv`` into ``folder``
    (the ledger is brought up to date first)."""
    from . import ledger

    ledger.update(store)
    done = {}
    for name, cols, rows in (("events_acled", ACLED_COLUMNS + TRACE_COLUMNS, iter_acled(store)),
                             ("figures_ucdp", FIGURE_COLUMNS, iter_figures(store)),
                             ("claims_ucdp", CLAIM_COLUMNS, iter_claims(store))):
        path = folder / f"{name}.csv"
        done[name] = {"path": str(path), "rows": _write(path, cols, rows)}
    return done

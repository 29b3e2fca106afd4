"""The events, places and dates pages, with filters and review, and the map of places.

Each item can be accepted, rejected (buttons on every row) or corrected (``/correct/KIND/...``),
through the same ``/review`` post as sources, quotes and figures: logged with who, when, before and
after (``sourcebook.review``), and used by every page, the query commands, the ledger and the exports.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import review as R
from . import item_queries as IQ
from . import worldmap
from .render import int_param as _int
from .render import render

router = APIRouter()
NAV = [("Events", "/events"), ("Places", "/places"), ("Dates", "/dates"), ("Map", "/map")]
FILTERS = {
    "event": ("type", "country", "since", "until", "source", "actor", "outlet", "decision", "article"),
    "place": ("country", "name", "kind", "feature", "resolved", "outlet", "decision", "article"),
    "date": ("since", "until", "precision", "resolved", "outlet", "decision", "article"),
}
FEATURES = ("city", "admin2", "admin1", "region", "country", "continent")


def _page(request: Request, kind: str, template: str, page: str):
    q = request.query_params
    f = {k: (q.get(k) or "").strip()[:200] for k in FILTERS[kind]}
    key = (kind, tuple(sorted(f.items())), _int(page))
    data = IQ.cached(request, key, lambda: IQ.items(request.app.state.store, kind, f, page=_int(page)))
    return render(request, template, {
        "data": data, "f": f, "kind": kind, "event_types": R.EVENT_TYPES, "features": FEATURES,
        "precisions": R.PRECISIONS, "filter_query": urlencode({k: v for k, v in f.items() if v}),
    })


@router.get("/events")
def events_page(request: Request, page: str = "1"):
    return _page(request, "event", "events.html", page)


@router.get("/places")
def places_page(request: Request, page: str = "1"):
    return _page(request, "place", "places.html", page)


@router.get("/dates")
def dates_page(request: Request, page: str = "1"):
    return _page(request, "date", "dates.html", page)


@router.get("/map")
def map_page(request: Request, country: str = "", kind: str = "", since: str = "", until: str = ""):
    f = {"country": country.strip()[:2], "kind": kind if kind in ("toponym", "demonym") else "",
         "since": since[:10], "until": until[:10]}
    rows = IQ.cached(request, IQ.map_key(f), lambda: IQ.map_dots(request.app.state.store, f))
    dots = [worldmap.Dot(r["name"], r["country"], float(r["lat"]), float(r["lon"]), int(r["n"])) for r in rows]
    lit = {d.country for d in dots if d.country}
    overlay = IQ.cached(request, ("map-svg", tuple(sorted(f.items()))),
                        lambda: worldmap.svg(dots, highlight=lit, link=worldmap.place_link))
    from markupsafe import Markup

    return render(request, "map.html", {"overlay": Markup(overlay), "dots": dots[:30], "n_dots": len(dots),
                                        "n_named": sum(d.n for d in dots), "f": f, "countries": sorted(lit)})


@router.get("/map/world.svg")
def world_svg():
    """The countries (Natural Earth, public domain), drawn once and cached by the browser for a day."""
    return Response(worldmap.base_svg(), media_type="image/svg+xml",
                    headers={"cache-control": "public, max-age=86400"})

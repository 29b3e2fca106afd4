"""Ledger pages for the web UI (``sourcebook serve``): claims, one claim's citation chain, series,
flows.  ``sourcebook.web.app.create_app`` finds this module and uses ``router``, ``NAV`` and
``setup`` (docs/web.md).  A page reads the ledger as it is and says how fresh it is; it is
updated after an ingest, by ``sourcebook ledger update`` and by the page's button (a CSRF-checked
``POST /ledger/update``), never inside a GET.  The pages reuse the report's sections (``sourcebook.report``): every string
from an article is escaped there.  Under the UI's Content-Security-Policy (no inline styles or
scripts) the report's styles come from ``/ledger/ledger.css`` and matplotlib charts are shown as
``data:`` SVG images.
"""

from __future__ import annotations

import base64
import re
from html import escape

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from jinja2 import ChoiceLoader, DictLoader
from markupsafe import Markup

from . import query
from .core import update

router = APIRouter()
#: Bound of the pages' numeric parameters (a larger one gets 422, never a 500 from the database).
MAX_INT = 1_000_000_000
NAV = [("Claims", "/ledger/claims"), ("Series", "/ledger/series"), ("Flows", "/ledger/flows")]

_PAGE = """{% extends "base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block content %}<link rel="stylesheet" href="/ledger/ledger.css">
<form class="ledger-freshness" method="post" action="/ledger/update"><span>Ledger {{ freshness }}.</span>
<input type="hidden" name="csrf" value="{{ csrf }}"><input type="hidden" name="next" value="{{ back }}">
<button type="submit">Update the ledger now</button></form>
<div class="ledger">{{ body }}</div>{% endblock %}
"""
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def setup(app) -> None:
    env = app.state.templates.env
    env.loader = ChoiceLoader([env.loader, DictLoader({"ledger_page.html": _PAGE})])


def _page(request: Request, title: str, body: str):
    """A ledger page: what the ledger holds now, how fresh it is, and a button to update it."""
    from ..web.app import render
    from .render import fmt_freshness

    back = request.url.path + ("?" + request.url.query if request.url.query else "")
    return render(request, "ledger_page.html", {
        "title": title, "body": Markup(body), "back": back,
        "freshness": fmt_freshness(query.freshness(request.app.state.store))})


def _as_images(html: str) -> str:
    """matplotlib SVGs (they style with attributes the CSP forbids inline) as data: images."""
    def img(m: re.Match) -> str:
        svg = m.group(0)
        if 'class="flows"' in svg or svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" width='):
            return svg  # ours: attributes and classes only
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img alt="chart" src="data:image/svg+xml;base64,{data}">'
    return _SVG.sub(img, html)


def _store(request: Request):
    """The store, read as it is: a page never updates the ledger (that takes the write lock and
    would queue page views behind each other and behind an ingest); ``POST /ledger/update`` does."""
    return request.app.state.store


@router.post("/ledger/update")
async def update_ledger(request: Request):
    """Bring the ledger up to date (CSRF-checked), then go back to the page it was asked from."""
    from starlette.concurrency import run_in_threadpool

    from ..store import StoreError
    from ..web.app import checked_form
    from ..web.security import safe_next

    form = await checked_form(request)
    try:
        await run_in_threadpool(update, request.app.state.store)
    except (StoreError, OperationalError) as err:
        raise HTTPException(503, f"the ledger could not be updated now (is an ingest running?): "
                                 f"{' '.join(str(err).split())[:200]}") from None
    request.app.state.cache.invalidate()
    return RedirectResponse(safe_next(str(form.get("next") or ""), "/ledger/claims"), status_code=303)


@router.get("/ledger/ledger.css")
def ledger_css() -> Response:
    from ..report import CSS

    return Response(CSS, media_type="text/css")


@router.get("/ledger")
@router.get("/ledger/claims")
def claims_page(request: Request, min_citations: int = Query(1, ge=1, le=MAX_INT), group: str | None = None,
                status: str | None = None, limit: int = Query(50, ge=1, le=MAX_INT)):
    from ..report import section_claims, section_overview

    store = _store(request)
    rows = query.claims(store, refresh=False, group=group or None, status=status or None,
                        min_citations=max(1, min_citations), limit=max(1, min(limit, 500)), with_citations=True)
    body = section_overview(query.overview(store, refresh=False)) + section_claims(rows)
    return _page(request, "Claims", body)


@router.get("/ledger/claims/{claim_id}")
def claim_page(request: Request, claim_id: str):
    from ..report import section_claims

    c = query.claim(_store(request), claim_id, refresh=False)
    if c is None:
        raise HTTPException(404, "no such claim")
    return _page(request, f"Claim {escape(claim_id)}", section_claims([c]))


@router.get("/ledger/series")
def series_page(request: Request, group: str | None = None, status: str | None = None,
                charts: int = Query(12, ge=0, le=MAX_INT)):
    from ..report import section_series

    rows = query.series(_store(request), refresh=False, group=group or None, status=status or None, limit=None,
                        detail=True)
    return _page(request, "Series", _as_images(section_series(rows, max(0, min(charts, 50)))))


@router.get("/ledger/flows")
def flows_page(request: Request, window: str = "year"):
    from ..report import section_flows

    if window not in ("year", "quarter", "month", "all"):
        raise HTTPException(400, "window must be year, quarter, month or all")
    rows = query.flows(_store(request), refresh=False, window=window, detail=True)
    return _page(request, "Flows", section_flows(rows))

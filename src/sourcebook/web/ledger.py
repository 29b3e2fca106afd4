"""The ledger's pages: claims, one claim with its citation chain, series, flows.

A router included by ``create_app``; the pages extend ``base.html`` and use the UI's stylesheet
(``static/app.css``), under the UI's Content-Security-Policy: no inline style or script.  The
sections are the report's (``sourcebook.report``, rendered by its Jinja templates with autoescape on:
every string from an article is escaped there), with links: a claim to its page, each citation to the
figure's words in its article (``/articles/ID?span=START-END#target``).  The page embeds a section as
``Markup``: it is that template output, nothing else.  matplotlib's charts style themselves with
attributes the CSP forbids inline, so they are shown as ``data:`` SVG images (``charts_as_images``).

The pages read the ledger as it is and say how fresh it is; they never update it (that takes the write
lock and would queue page views behind each other and behind an ingest).  An ingest updates it, and so do
``sourcebook ledger update`` and the pages' button (a CSRF-checked ``POST /ledger/update``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from sqlalchemy.exc import OperationalError

from .. import ledger
from .. import report as R
from .render import bounded_param, render

router = APIRouter()
NAV = [("Claims", "/ledger/claims"), ("Series", "/ledger/series"), ("Flows", "/ledger/flows")]
MAX_CLAIMS = 500


def link(kind: str, row: dict[str, Any]) -> str:
    """A claim's page, or a citation's words in its article."""
    if kind == "claim":
        return f"/ledger/claims/{row['claim_id']}"
    return f"/articles/{row['article_id']}?span={row['start_char']}-{row['end_char']}#target"


def _page(request: Request, title: str, body: str, **context: Any):
    """A ledger page: what the ledger holds now, how fresh it is, and a button to update it.  ``body`` is
    the output of the report's sections (``sourcebook.report``, autoescaped templates), never other text."""
    from ..ledger.render import fmt_freshness

    store = request.app.state.store
    ov = request.app.state.cache.get(store, "ledger-overview", lambda: ledger.overview(store, refresh=False))
    back = request.url.path + ("?" + request.url.query if request.url.query else "")
    return render(request, "ledger_page.html", {"title": title, "body": Markup(body), "ov": ov, "back": back,
                                                "freshness": fmt_freshness(ledger.freshness(store)), **context})


@router.post("/ledger/update")
async def update_ledger(request: Request):
    """Bring the ledger up to date (CSRF-checked), then go back to the page it was asked from."""
    from starlette.concurrency import run_in_threadpool

    from ..store import StoreError
    from .security import checked_form, safe_next

    form = await checked_form(request)
    try:
        await run_in_threadpool(ledger.update, request.app.state.store)
    except (StoreError, OperationalError) as err:
        raise HTTPException(503, f"the ledger could not be updated now (is an ingest running?): "
                                 f"{' '.join(str(err).split())[:200]}") from None
    request.app.state.cache.invalidate()
    return RedirectResponse(safe_next(str(form.get("next") or ""), "/ledger/claims"), status_code=303)


@router.get("/ledger")
def ledger_home():
    return RedirectResponse("/ledger/claims", status_code=307)


@router.get("/ledger/claims")
def claims_page(request: Request, min_citations: str = "1", group: str = "", status: str = "", kind: str = "",
                source: str = "", limit: str = "50"):
    store = request.app.state.store
    args: dict[str, Any] = dict(group=group.strip()[:200] or None, status=status.strip()[:32] or None,
                kind=kind if kind in ("named", "anonymous", "reporter") else None,
                source=source.strip()[:200] or None,
                min_citations=bounded_param(min_citations, 1, 10**6, "min_citations"),
                limit=bounded_param(limit, 50, MAX_CLAIMS, "limit"))
    body = request.app.state.cache.get(store, ("ledger-claims-html", tuple(args.items())), lambda: (
        R.section_overview(ledger.overview(store, refresh=False))
        + R.section_claims(ledger.claims(store, refresh=False, with_citations=True, **args), link)))
    return _page(request, "Claims", body, filters=True,
                 f={"group": group, "status": status, "kind": kind, "source": source,
                    "min_citations": min_citations, "limit": limit})


@router.get("/ledger/claims/{claim_id}")
def claim_page(request: Request, claim_id: str):
    c = ledger.claim(request.app.state.store, claim_id[:32], refresh=False)
    if c is None:
        raise HTTPException(404, "no such claim (the ledger may have changed since: see the claims page)")
    return _page(request, f"Claim: {c['text'][:80]}", R.section_claims([c], link))


@router.get("/ledger/series")
def series_page(request: Request, group: str = "", status: str = "", charts: str = "12"):
    store = request.app.state.store
    n = bounded_param(charts, 12, 50, "charts")
    key = ("ledger-series", group, status, n)
    html = request.app.state.cache.get(store, key, lambda: R.section_series(
        ledger.series(store, refresh=False, group=group.strip() or None, status=status.strip() or None,
                      limit=None, detail=True), n, link, charts_as_images=True))
    return _page(request, "Series", html)


@router.get("/ledger/flows")
def flows_page(request: Request, window: str = "year"):
    if window not in ("year", "quarter", "month", "all"):
        raise HTTPException(400, "window must be year, quarter, month or all")
    store = request.app.state.store
    html = request.app.state.cache.get(store, ("ledger-flows", window), lambda: R.section_flows(
        ledger.flows(store, refresh=False, window=window, detail=True), link))
    return _page(request, "Flows", html, window=window)

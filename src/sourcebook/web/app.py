"""The FastAPI application: server-rendered pages over one store, with review.

``create_app(db)`` builds it; ``sourcebook serve`` runs it with uvicorn.  Templates are Jinja with
autoescape on for every template: article text, titles, names and quotes are untrusted and are only
ever printed as escaped text (highlighting loops over text segments, never builds markup from them).

The pages are routers, each in its module, all rendered with ``web.render.render`` on the shared
``base.html`` and ``static/app.css``: this module's (corpus, article, sources, figures, review log,
corrections, exports), ``web.items`` (events, places, dates and the map) and ``web.ledger`` (claims,
series, flows).  ``register_pages(app, router, nav, templates)`` adds more.  See docs/web.md.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import secrets
from typing import Any, Iterable
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import review as R
from ..store import TABLES, Store
from . import queries as Q
from .paths import STATIC_DIR
from .render import ANCHORS, _environment, render, reviewer, url_with  # noqa: F401 - url_with: public, for templates
from .render import int_param as _int
from .security import Guard, check_token, checked_form, host_names, safe_next

log = logging.getLogger("sourcebook.web")
BASE_NAV: list[tuple[str, str]] = [("Corpus", "/"), ("Sources", "/sources"), ("Figures", "/figures")]
#: Kinds corrected on a page of their own (sources and quotes are corrected on their article's page).
CORRECTED_ON_A_PAGE = ("count", "event", "place", "date")


def register_pages(app: FastAPI, router: APIRouter | None = None, nav: Iterable[tuple[str, str]] = (),
                   templates: str | os.PathLike[str] | None = None) -> None:
    """Add pages to the app: a router, navigation entries, a folder of templates."""
    if router is not None:
        app.include_router(router)
    for label, href in nav:
        app.state.nav.append((str(label), str(href)))
    if templates:
        app.state.template_dirs.append(str(templates))
        app.state.templates.env.loader = _environment(app.state.template_dirs).loader


#: The largest page number a page asks for (larger ones are the last page anyway).


def warm_caches(app: FastAPI) -> None:
    """Compute the corpus-wide aggregates the pages share (totals, outlets, origins, the sources
    page, the map, the ledger's overview) once, in the background, as a server starts: the first
    reviewers do not wait for them.  A failure only means they are computed on first use."""
    from .. import ledger
    from . import item_queries as IQ

    store, cache = app.state.store, app.state.cache
    jobs = [("summary", lambda: Q.summary(store)), ("outlets", lambda: Q.outlets(store)),
            ("decisions", lambda: R.decisions(store)), ("origins", lambda: Q.origins(store)),
            ("sources", lambda: Q.sources_overview(store)),
            ("ledger-overview", lambda: ledger.overview(store, refresh=False)),
            (IQ.MAP_KEY, lambda: IQ.map_dots(store, {}))]
    for key, compute in jobs:
        try:
            cache.get(store, key, compute)
        except Exception:  # warming is an optimisation
            log.debug("warming %s failed", key, exc_info=True)


def _span(value: str) -> tuple[int, int] | None:
    """``START-END`` (character offsets) as a pair, or None."""
    a, _, b = (value or "").partition("-")
    if a.isdigit() and b.isdigit() and int(a) < int(b) <= 10**9:
        return int(a), int(b)
    return None


def create_app(db: str | os.PathLike[str] | None = None, *, token: str | None = None, user: str | None = None,
               store: Store | None = None, secret: bytes | None = None, load_ledger: bool = True,
               host: str | None = None, port: int | None = None, warm: bool = False) -> FastAPI:
    """The web UI over the store ``db`` (never created here: it must exist).  ``load_ledger``: with
    the ledger's pages (``web.ledger``).  ``token``: every
    request must carry it (see ``security``).  ``user``: the reviewer recorded for changes unless
    a request names one in the ``X-Sourcebook-User`` header (default: ``review.default_user()``).
    ``host``, ``port``: where the server listens; without a token, requests must name it (or
    127.0.0.1, localhost, [::1]) in their ``Host`` header, on that port (any port when None)."""
    if token is not None:
        check_token(token)
    store = store or Store(db, create=False)
    store.analyze(if_missing=True)  # the pages' query plans need the planner's statistics
    app = FastAPI(title="sourcebook", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.state.user = (user or "").strip() or R.default_user()
    app.state.secret = secret or secrets.token_bytes(32)
    app.state.nav = list(BASE_NAV)
    app.state.template_dirs = []
    app.state.templates = Jinja2Templates(env=_environment())
    app.state.cache = Q.Cache()
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(_router())
    from . import items, ledger

    register_pages(app, items.router, items.NAV)
    if load_ledger:
        register_pages(app, ledger.router, ledger.NAV)
    app.state.nav.append(("Reviews", "/reviews"))
    app.state.nav.append(("Quality", "/quality"))
    app.add_middleware(Guard, token=token, secret=app.state.secret, hosts=host_names(host), port=port)
    if warm:
        import threading

        threading.Thread(target=warm_caches, args=(app,), name="sourcebook-warm", daemon=True).start()

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if "application/json" in (request.headers.get("accept") or ""):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return render(request, "error.html", {"status": exc.status_code, "message": exc.detail},
                      status_code=exc.status_code)

    return app


# --------------------------------------------------------------------------- pages


def _router() -> APIRouter:
    r = APIRouter()

    @r.get("/", response_class=HTMLResponse)
    def corpus_page(request: Request, q: str = "", outlet: str = "", since: str = "", until: str = "",
                    page: str = "1"):
        store = request.app.state.store
        cache = request.app.state.cache
        args: dict[str, Any] = dict(q=q[:500], outlet=outlet, since=since, until=until, page=_int(page))
        data = cache.get(store, ("corpus", tuple(args.items())), lambda: Q.corpus(store, **args))
        return render(request, "corpus.html", {
            "data": data, "outlets": cache.get(store, "outlets", lambda: Q.outlets(store)),
            "summary": cache.get(store, "summary", lambda: Q.summary(store)),
            "decisions": cache.get(store, "decisions", lambda: R.decisions(store)),
            "q": q, "outlet": outlet, "since": since, "until": until})

    @r.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(request: Request, article_id: str, span: str = ""):
        data = Q.article(request.app.state.store, article_id[:64], target=_span(span))
        if data is None:
            raise HTTPException(404, f"no article {article_id[:64]!r} in this database")
        store = request.app.state.store
        added = R.added_items(store, data["article"]["id"])
        return render(request, "article.html", {"d": data, "statuses": R.STATUSES, "quote_types": R.QUOTE_TYPES,
                                                "source_kinds": R.SOURCE_KINDS,
                                                "mark": R.review_mark(store, data["article"]["id"]),
                                                "added": added,
                                                "added_sources": [x for x in added if x["kind"] == "source"]})

    @r.get("/quality", response_class=HTMLResponse)
    def quality_page(request: Request):
        from ..quality import quality

        store = request.app.state.store
        data = request.app.state.cache.get(store, "quality", lambda: quality(store))
        return render(request, "quality.html", {"q": data})

    @r.get("/sources", response_class=HTMLResponse)
    def sources_page(request: Request, name: str = "", who: str = "", outlet: str = "", sort: str = "quotes",
                     page: str = "1"):
        store = request.app.state.store
        overview = request.app.state.cache.get(store, "sources", lambda: Q.sources_overview(store))
        data = Q.sources_page(overview, name=name[:200], who=who, outlet=outlet, sort=sort, page=_int(page))
        return render(request, "sources.html", {"o": overview, "data": data, "name": name, "who": who,
                                                "outlet": outlet, "sort": sort,
                                                "sorts": list(Q.SOURCE_SORTS)})

    @r.get("/figures", response_class=HTMLResponse)
    def figures_page(request: Request, status: str = "", origin: str = "", place: str = "", since: str = "",
                     until: str = "", source: str = "", outlet: str = "", decision: str = "",
                     article: str = "", sort: str = "date", dir: str = "desc", page: str = "1"):
        store = request.app.state.store
        sort = sort if sort in Q.FIG_SORTS else "date"
        cache = request.app.state.cache
        args: dict[str, Any] = dict(status=status, origin=origin[:8], place=place[:200], since=since, until=until,
                    source=source[:200], outlet=outlet, decision=decision, article_id=article[:64], sort=sort,
                    desc=dir != "asc", page=_int(page))
        data = cache.get(store, ("figures", tuple(args.items())), lambda: Q.figures(store, **args))
        filters = {"status": status, "origin": origin, "place": place, "since": since, "until": until,
                   "source": source, "outlet": outlet, "decision": decision, "article": article}
        return render(request, "figures.html", {
            "data": data, "f": filters, "sort": sort, "dir": "asc" if dir == "asc" else "desc",
            "statuses": R.STATUSES, "origins": cache.get(store, "origins", lambda: Q.origins(store)),
            "outlets": cache.get(store, "outlets", lambda: Q.outlets(store)),
            "filter_query": urlencode({k: v for k, v in filters.items() if v}),
        })

    @r.get("/reviews", response_class=HTMLResponse)
    def reviews_page(request: Request, reviewer: str = "", kind: str = "", article: str = "", page: str = "1"):
        args: dict[str, Any] = dict(reviewer=reviewer[:255], kind=kind, article_id=article[:64], page=_int(page))
        store = request.app.state.store
        data = request.app.state.cache.get(store, ("reviews", tuple(args.items())),
                                           lambda: Q.reviews_page(store, **args))
        return render(request, "reviews.html", {"data": data, "reviewer": reviewer, "kind": kind,
                                                "article": article})

    @r.get("/correct/{kind}/{article_id}/{item_id}", response_class=HTMLResponse)
    def correct_page(request: Request, kind: str, article_id: str, item_id: str, next: str = ""):
        from .highlight import evidence

        if kind not in CORRECTED_ON_A_PAGE:
            raise HTTPException(404, "sources and quotes are corrected on their article's page")
        store = request.app.state.store
        try:
            it = R.item(store, kind, article_id[:64], item_id[:64])
        except R.ReviewError as err:
            raise HTTPException(404, str(err)) from None
        art = Q.article(store, article_id)
        if art is None:
            raise HTTPException(404, f"no article {article_id[:64]!r} in this database")
        key = R.PLURAL[kind]
        [row] = [x for x in R.effective_items(store, article_id, kinds=(kind,))[key]
                 if x[R.ID_COLUMNS[kind]] == item_id]
        text = art["article"]["text"]
        return render(request, "correct.html", {
            "kind": kind, "item": it, "v": it["values"], "article": art["article"], "sources": art["sources"],
            "anchor": f"{ANCHORS[kind]}-{item_id}", "statuses": R.STATUSES, "event_types": R.EVENT_TYPES,
            "precisions": R.PRECISIONS, "next": safe_next(next, f"/articles/{article_id}"),
            "evidence": evidence(text, 0, row["start_char"], row["end_char"], len(text)),
        })

    @r.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @r.get("/healthz")
    def healthz(request: Request):
        return {"ok": True, "revision": request.app.state.store.revision()}

    @r.get("/export/{table}.csv")
    def export_csv(request: Request, table: str, raw: str = ""):
        from ..export import csv_row, table_columns, table_rows

        if table not in TABLES:
            raise HTTPException(404, f"no table {table!r}: choose from {', '.join(TABLES)}")
        store = request.app.state.store
        cols = table_columns(table)  # the table's columns and its display columns, as `sourcebook export`
        rows = table_rows(store, table, corrected=not raw)

        def body():
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(cols)
            for batch in rows:
                for row in batch:
                    w.writerow(csv_row(row, cols))
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
            yield buf.getvalue()

        return StreamingResponse(body(), media_type="text/csv; charset=utf-8",
                                 headers={"content-disposition": f'attachment; filename="{table}.csv"'})

    def _done(request: Request, form, article_id: str, payload: dict[str, Any], anchor: str = ""):
        request.app.state.cache.invalidate()
        if "application/json" in (request.headers.get("accept") or ""):
            return JSONResponse({"ok": True, **payload})
        target = safe_next(str(form.get("next") or ""), f"/articles/{article_id}")
        return RedirectResponse(target.split("#", 1)[0] + (f"#{anchor}" if anchor else ""), status_code=303)

    def _refused(request: Request, form, err: Exception):
        if "application/json" in (request.headers.get("accept") or ""):
            return JSONResponse({"error": str(err)}, status_code=400)
        return render(request, "error.html", {"status": 400, "message": str(err),
                                              "back": safe_next(str(form.get("next") or ""))}, status_code=400)

    @r.post("/review/article")
    async def post_mark(request: Request):
        """Mark an article "reviewed: all items checked" (action=complete) or reopen it (action=reopen)."""
        form = await checked_form(request)
        article_id, action = str(form.get("article_id") or "")[:64], str(form.get("action") or "")
        try:
            if action not in ("complete", "reopen"):
                raise R.ReviewError(f"unknown action {action[:20]!r}: use complete or reopen")
            done = R.mark_reviewed(request.app.state.store, article_id, action == "complete",
                                   user=reviewer(request), note=str(form.get("note") or "") or None)
        except R.ReviewError as err:
            return _refused(request, form, err)
        return _done(request, form, article_id, {"review": {**done, "at": done["at"].isoformat()}}, "review-mark")

    @r.post("/review/add")
    async def post_add(request: Request):
        """Add a quote, figure or source extraction missed: its offsets in the article text (a selection),
        or, without offsets, its exact text (found in the article: the keyboard path)."""
        form = await checked_form(request)
        article_id, kind = str(form.get("article_id") or "")[:64], str(form.get("kind") or "")
        store = request.app.state.store
        try:
            selected: str | None = str(form.get("text") or "")
            start: int | str = str(form.get("start") or "").strip()
            end: int | str = str(form.get("end") or "").strip()
            if not (start and end):
                art = Q.article(store, article_id)
                if art is None:
                    raise R.ReviewError(f"no article {article_id!r}")
                words = " ".join((selected or "").split())
                if not words:
                    raise R.ReviewError("select the text in the article, or type its exact words")
                from ..evaluate.gold import normalized_find

                hit = normalized_find(art["article"]["text"], words)
                if hit is None:
                    raise R.ReviewError(f"{words[:60]!r} is not in the article text: type its exact words")
                start, end = hit
                selected = None
            fields: dict[str, Any] = {k: str(form.get(k) or "").strip() or None for k in R.ADD_FIELDS.get(kind, ())
                      if k in form and k != "kind"}
            if kind == "source":  # the form's "kind" is what is added; a source's own kind is source_kind
                fields["anonymous"] = str(form.get("anonymous") or "") in ("anonymous", "true", "on", "1")
                fields["kind"] = str(form.get("source_kind") or "").strip() or None
            done = R.add_item(store, kind, article_id, start, end, fields, user=reviewer(request),
                              expect=selected or None, note=str(form.get("note") or "") or None)
        except R.ReviewError as err:
            return _refused(request, form, err)
        return _done(request, form, article_id, {"added": done}, f"added-{done['item_id']}")

    @r.post("/review/remove")
    async def post_remove(request: Request):
        """Take back an item a reviewer added (the log keeps it)."""
        form = await checked_form(request)
        article_id, item_id = str(form.get("article_id") or "")[:64], str(form.get("item_id") or "")[:16]
        try:
            R.remove_added(request.app.state.store, article_id, item_id, user=reviewer(request))
        except R.ReviewError as err:
            return _refused(request, form, err)
        return _done(request, form, article_id, {"removed": item_id}, "added-items")

    @r.post("/review")
    async def post_review(request: Request):
        form = await checked_form(request)
        wants_json = "application/json" in (request.headers.get("accept") or "")
        kind, article_id = str(form.get("kind") or ""), str(form.get("article_id") or "")
        item_id, action = str(form.get("item_id") or ""), str(form.get("action") or "")
        store = request.app.state.store
        try:
            changes = None
            if action == "correct":
                current = R.item(store, kind, article_id, item_id)["values"]
                changes = {}
                for name, _, _ in R.FIELDS.get(kind, ()):
                    key = "set_" + name
                    if key not in form:
                        continue
                    value = str(form.get(key) or "").strip()
                    now = current.get(name)
                    now_s = "" if now is None else (("anonymous" if now else "named") if name == "anonymous"
                                                    else str(now))
                    if value != now_s:
                        changes[name] = value
            done = R.review(store, kind, article_id, item_id, action, user=reviewer(request), changes=changes,
                            note=str(form.get("note") or "") or None)
            request.app.state.cache.invalidate()
        except R.ReviewError as err:
            if wants_json:
                return JSONResponse({"error": str(err)}, status_code=400)
            return render(request, "error.html", {"status": 400, "message": str(err),
                                                  "back": safe_next(str(form.get("next") or ""))},
                          status_code=400)
        if wants_json:
            done["at"] = done["at"].isoformat()
            return JSONResponse({"ok": True, "review": done})
        target = safe_next(str(form.get("next") or ""), f"/articles/{article_id}")
        anchor = str(form.get("anchor") or "")
        if anchor and all(ch.isalnum() or ch in "-_" for ch in anchor):
            target = target.split("#", 1)[0] + "#" + anchor
        return RedirectResponse(target, status_code=303)

    return r

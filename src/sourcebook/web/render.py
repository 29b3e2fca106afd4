"""Rendering pages: the Jinja environment (autoescape on for every template) and ``render``, which
adds the site's common context.  Every router of the UI renders with it."""

from __future__ import annotations

import os
from typing import Any, Sequence
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from ..display import fmt_range, movement_label
from . import queries as Q
from .paths import TEMPLATES_DIR

USER_HEADER = "x-sourcebook-user"

#: The largest page number a query string may ask for.
MAX_PAGE = 1_000_000


def bounded_param(value: Any, default: int, most: int, name: str) -> int:
    """A whole number from a query string that must lie in 1..``most``: ``default`` when it is empty
    or not a number, a 422 (with the usual security headers) when it is a number out of range."""
    try:
        n = int(str(value))
    except (TypeError, ValueError):
        return default
    if not 1 <= n <= most:
        raise HTTPException(422, f"{name} must be a whole number from 1 to {most:,}")
    return n


def int_param(value: Any, default: int = 1, most: int = MAX_PAGE) -> int:
    """A whole number from a query string (a page, a limit): 1 to ``most``, ``default`` when it is not a number."""
    try:
        return max(1, min(most, int(str(value))))
    except (TypeError, ValueError):
        return default


def _environment(extra_dirs: Sequence[str | os.PathLike[str]] = ()) -> Environment:
    loader = ChoiceLoader([FileSystemLoader(str(TEMPLATES_DIR))]
                          + [FileSystemLoader(str(d)) for d in extra_dirs])
    # autoescape for every template, whatever its name
    env = Environment(loader=loader, autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["thousands"] = lambda n: "" if n is None else f"{n:,}"
    env.filters["pct"] = lambda x: f"{x:.0f}%"
    env.globals["fmt_range"] = fmt_range  # ranges as everywhere: "≥150", "200–999" (sourcebook.display)
    env.globals["movement_label"] = movement_label  # "SY → TR", "held in TR · heading SY (not reached)"
    env.globals["snippet_parts"] = Q.snippet_parts
    env.globals["url_with"] = url_with
    env.globals["item_href"] = item_href
    return env


#: The anchor of each kind of item on its article's page.
ANCHORS = {"source": "src", "quote": "quote", "count": "count", "event": "event", "place": "place", "date": "date"}


def item_href(kind: str, article_id: str, item_id: str) -> str:
    """Where an item is shown: its article's page, at the item."""
    return f"/articles/{article_id}#{ANCHORS.get(kind, kind)}-{item_id}"


def url_with(query: dict[str, Any], **changes: Any) -> str:
    """``?a=1&b=2`` from the current query with ``changes`` (empty values dropped)."""
    merged = {**query, **{k: v for k, v in changes.items()}}
    pairs = [(k, str(v)) for k, v in merged.items() if v not in (None, "")]
    return "?" + urlencode(pairs) if pairs else "?"


def render(request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200):
    """Render a page with the site's common context (nav, CSRF token, user, database)."""
    app = request.app
    ctx = {
        "request": request,
        "nav": app.state.nav,
        "csrf": getattr(request.state, "csrf", ""),
        "user": reviewer(request),
        "db_display": app.state.store.display,
        "path": request.url.path,
        "query": dict(request.query_params),
    }
    ctx.update(context or {})
    return app.state.templates.TemplateResponse(request, template, ctx, status_code=status_code)


def reviewer(request: Request) -> str:
    given = (request.headers.get(USER_HEADER) or "").strip()
    return (" ".join(given.split())[:255]) if given else request.app.state.user



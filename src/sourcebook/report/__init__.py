"""``sourcebook report``: the ledger as one self-contained HTML file.

Everything is inline (styles, SVG charts; no script, no font, no image is fetched), so the file
opens offline and can be mailed.  Sections: the overview (articles, near-duplicate copies, claims,
the share of anonymous sources), the flow diagram of origins and destinations with the claims
behind each edge, the most cited claims with their citation chains, and per-series charts of
figures over time (ranges as bars coloured by named / anonymous source / the article itself, the
monthly envelope shaded, conflicting months in yellow) with the claims side by side.

The HTML is written by Jinja templates (``report/templates/``, one environment with autoescape always
on: ``report/jinja.py``).  The functions here gather plain values (strings and numbers from the store,
never marked safe) and the templates escape them.  ``Markup`` is passed for three things only: the
series charts (matplotlib's SVG, with no text from the store: ``charts`` says why), the output of
these same templates (the share bar and flow diagram into a section, the sections into the page),
and the package's own stylesheet.  Values are the effective ones (review corrections applied) when
the review module is there; the overview says which.
"""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Callable, Sequence

from markupsafe import Markup

from .. import ledger
from ..store import Store, StoreError
from .charts import COLORS, series_chart, share_bar
from .flowmap import STATUS_COLORS, flow_svg
from .jinja import KIND_LABEL, render

#: The report's own layout; the rest of its look is the web UI's stylesheet (``web/static/app.css``),
#: inlined, so that the report and the UI's ledger pages are one design.
REPORT_CSS = """
body > header { background: #16324f; color: #fff; padding: 18px 28px; }
body > header h1 { margin: 0 0 4px; font-size: 22px; }
body > header p { margin: 0; color: #dfe6ee; font-size: 12px; }
main { max-width: 1220px; }
@media print { body { background: #fff; } section { break-inside: avoid; } }
"""


def css() -> str:
    """The report's stylesheet: the web UI's, then the report's layout."""
    from importlib import resources

    return resources.files("sourcebook").joinpath("web", "static", "app.css").read_text(encoding="utf-8") + REPORT_CSS


def _style() -> Markup:
    """``css()`` for the report's ``<style>`` (raw text there: escaping would break selectors such as
    ``body > header``).  It is the package's own file, never the store's; it must not close the element."""
    text = css()
    if "</" in text:
        raise ValueError("the report's stylesheet must not contain '</'")
    return Markup(text)


#: Claims listed beside a series chart (all of them are in the chart).
MAX_SERIES_ROWS = 8

#: ``link(kind, row)``: the address of a claim (``"claim"``) or of a cited article span
#: (``"citation"``) in the web UI; None in the report file, which links nowhere.
Linker = Callable[[str, dict[str, Any]], str]


def _href(link: Linker | None, kind: str, row: dict[str, Any]) -> str | None:
    return link(kind, row) if link else None


def _series_title(s: dict[str, Any]) -> str:
    bits = [f"{s['group_key']} · {s['status']}"]
    if s.get("origin"):
        bits.append(f"origin {s['origin']}")
    if s.get("place_label"):
        bits.append(f"in {s['place_label']}")
    return " · ".join(bits)


def section_overview(ov: dict[str, Any]) -> str:
    """The overview (``ledger.overview``): totals, the anonymous share, who asserts the claims."""
    by = ov["claims_by_source"]
    cards = [
        (ov["articles"], "articles"),
        (ov["near_duplicate_copies"], "near-duplicate copies (counted once)"),
        (ov["figures"], "figures cited"),
        (ov["claims"], "distinct claims"),
        (ov["cited_more_than_once"], "claims cited more than once"),
        (ov["series"], "series"),
        (ov["flows"], "flow edges"),
        (f"{ov['anonymous_source_share']:.0f}%", f"anonymous sources ({ov['anonymous_sources']} of {ov['sources']})"),
        (f"{ov['anonymous_claim_share']:.0f}%", "of attributed claims rest on anonymous sources"),
        (ov["anonymous_claims_with_reason"],
         f"of the {by['anonymous']} claims from anonymous sources carry a stated reason for anonymity"),
    ]
    bar = share_bar([(KIND_LABEL["named"], by["named"], COLORS["named"]),
                     (KIND_LABEL["anonymous"], by["anonymous"], COLORS["anonymous"]),
                     (KIND_LABEL["reporter"], by["reporter"], COLORS["reporter"])])
    values = ("effective values (review corrections applied, rejected items left out)"
              if ov.get("values") == "effective" else "values as extracted (no review corrections applied)")
    return render("overview.html", cards=cards, bar=bar, by=by, values=values)


def section_series(rows: Sequence[dict[str, Any]], n_charts: int, link: Linker | None = None, *,
                   charts_as_images: bool = False) -> str:
    """Up to ``n_charts`` series (``ledger.series`` rows with ``detail``) as charts with their claims,
    the others as a table.  ``charts_as_images``: each chart as a ``data:`` SVG image (the web UI,
    whose Content-Security-Policy forbids the inline styles matplotlib writes) instead of inline SVG."""
    charts: list[dict[str, Any]] = []
    for i, s in enumerate(rows):
        if len(charts) >= n_charts:
            break
        svg = series_chart(s, f"s{i}")
        if svg is None:
            continue
        conflict_months = {m["month"] for m in s.get("months") or [] if m["conflicting"]}
        shown = s["claims"][:MAX_SERIES_ROWS]
        claim_rows = [{"date": c.get("claim_date") or "undated", "low": c["low"], "high": c["high"],
                       "href": _href(link, "claim", c), "text": c["text"], "source_kind": c["source_kind"],
                       "source_label": c["source_label"], "n_citations": c["n_citations"],
                       "conflict": (c.get("claim_date") or "undated")[:7] in conflict_months} for c in shown]
        image = base64.b64encode(svg.strip().encode("utf-8")).decode("ascii") if charts_as_images else None
        charts.append({**{k: s[k] for k in ("n_claims", "n_citations", "n_named", "n_anonymous", "n_reporter")},
                       "title": _series_title(s), "months": s.get("months") or [], "rows": claim_rows,
                       "more": len(s["claims"]) - len(shown), "svg": svg, "image": image})
    rest = [{**{k: s[k] for k in ("n_claims", "min_low", "max_high", "n_named", "n_anonymous", "n_reporter")},
             "title": _series_title(s)} for s in rows[len(charts):]]
    return render("series.html", charts=charts, rest=rest)


def section_flows(rows: Sequence[dict[str, Any]], link: Linker | None = None) -> str:
    """The flow diagram and the table of flows with the claims behind each (``ledger.flows`` rows)."""
    table = [{**{k: f[k] for k in ("period", "origin", "status", "min_low", "max_high")},
              "movement": flow_movement(f), "heading": _end(f, "heading") or "",
              "claims": [{"href": _href(link, "claim", c), "text": c["text"], "source_kind": c["source_kind"],
                          "source_label": c["source_label"], "first_report": _first_report(c)}
                         for c in f.get("claims") or []]}
             for f in sorted(rows, key=lambda r: (r["period"], r["origin"], r["destination"], r["status"]))]
    return render("flows.html", statuses=list(STATUS_COLORS), diagram=flow_svg(rows), rows=table)


def _end(f: dict[str, Any], end: str) -> str | None:
    key, label = f.get(end), f.get(f"{end}_label")
    if not key:
        return None
    return f"{label} ({key})" if label and label != key else key


def flow_movement(f: dict[str, Any]) -> str:
    """A flow's movement in words: "Syria (SY) → Turkey (TR)", "held in Turkey (TR)", "direction not given"."""
    if f.get("directed"):
        return f"{_end(f, 'from') or 'not said'} → {_end(f, 'to') or 'not said'}"
    if f["status"] == "detained":
        return f"held in {_end(f, 'where') or 'a place not said'}"
    return "direction not given"


def _first_report(c: dict[str, Any]) -> str:
    from ..labels import outlet_and_date, row_label

    return (outlet_and_date(c, "first_") or row_label(c, "first_")) if c.get("first_outlet") or c.get(
        "first_published") else "undated"


def _citation(x: dict[str, Any], link: Linker | None) -> dict[str, Any]:
    """One report of a claim: the article's title (else outlet and date), its outlet and date,
    linked to the figure's words in the article (web UI)."""
    from ..labels import outlet_and_date, row_label

    label = row_label(x)
    label = label if len(label) <= 90 else label[:89] + "…"
    sub = outlet_and_date(x) if x.get("title") else ("" if x.get("published") else "undated")
    return {"first": x["position"] == 1, "href": _href(link, "citation", x), "label": label, "sub": sub,
            "is_copy": bool(x.get("copy"))}


def section_claims(rows: Sequence[dict[str, Any]], link: Linker | None = None) -> str:
    """The claims (``ledger.claims`` rows with citations), each with its citation chain."""
    table = [{**{k: c[k] for k in ("low", "high", "text", "group_key", "status", "source_kind", "source_label",
                                   "n_citations", "n_reports", "n_outlets")},
              "href": _href(link, "claim", c), "quote": (c.get("quote") or "")[:240],
              "where": " · ".join(x for x in (c.get("origin") and f"origin {c['origin']}", c.get("place_label")) if x),
              "chain": [_citation(x, link) for x in c.get("citations") or []]} for c in rows]
    return render("claims.html", rows=table)


def build_html(store: Store, *, title: str = "sourcebook ledger", n_series: int = 12, n_claims: int = 25
               ) -> tuple[str, dict[str, Any]]:
    """The report as one HTML string, and what is in it."""
    ledger.update(store)
    ov = ledger.overview(store, refresh=False)
    srows = ledger.series(store, refresh=False, limit=None, detail=True)
    frows = ledger.flows(store, refresh=False, window="year", detail=True)
    crows = ledger.claims(store, refresh=False, limit=n_claims, with_citations=True)
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    series_html = section_series(srows, n_series)
    # the sections are this environment's own output (escaped there), the stylesheet is the package's file
    sections = Markup("".join((section_overview(ov), section_flows(frows), section_claims(crows), series_html)))
    html = render("report.html", title=title, css=_style(), articles=ov["articles"], store=store.display,
                  made=made, sections=sections)
    info = {"series": len(srows), "series_charts": series_html.count('<div class="series">'), "flows": len(frows),
            "claims": ov["claims"], "overview": ov}
    return html, info


def write_report(store: Store, out: str | os.PathLike[str], **kw: Any) -> dict[str, Any]:
    """Write the report to ``out``; returns ``{path, bytes, series, series_charts, flows, claims, overview}``."""
    html, info = build_html(store, **kw)
    path = Path(out)
    try:
        if path.parent and not path.parent.exists():
            raise StoreError(f"cannot write {path}: the folder {path.parent} does not exist")
        path.write_text(html, encoding="utf-8")
    except OSError as err:
        raise StoreError(f"cannot write {path} ({(err.strerror or str(err)).lower()})") from None
    return {"path": str(path), "bytes": len(html.encode("utf-8")), **info}

"""``sourcebook report``: the ledger as one self-contained HTML file.

Everything is inline (styles, SVG charts; no script, no font, no image is fetched), so the file
opens offline and can be mailed.  Sections: the overview (articles, near-duplicate copies, claims,
the share of anonymous sources), the flow diagram of origins and destinations with the claims
behind each edge, the most cited claims with their citation chains, and per-series charts of
figures over time (ranges as bars coloured by named / anonymous source / the article itself, the
monthly envelope shaded, conflicting months in yellow) with the claims side by side.

Every string from an article is escaped (``html.escape``).  Values are the effective ones (review
corrections applied) when the review module is there; the overview says which.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any, Callable, Sequence

from .. import ledger
from ..display import fmt_range
from ..store import Store, StoreError
from .charts import COLORS, series_chart, share_bar
from .flowmap import STATUS_COLORS, flow_svg

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


#: Claims listed beside a series chart (all of them are in the chart).
MAX_SERIES_ROWS = 8
KIND_LABEL = {"named": "named source", "anonymous": "anonymous source", "reporter": "the article itself"}


def _src(kind: str, label: str | None) -> str:
    return (f'<span class="src {escape(kind)}">{escape(label or "")}</span> '
            f'<span class="badge {escape(kind)}">{escape(KIND_LABEL.get(kind, kind))}</span>')


#: ``link(kind, row)``: the address of a claim (``"claim"``) or of a cited article span
#: (``"citation"``) in the web UI; None in the report file, which links nowhere.
Linker = Callable[[str, dict[str, Any]], str]


def _a(href: str | None, text_html: str) -> str:
    return f'<a href="{escape(href)}">{text_html}</a>' if href else text_html


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _legend() -> str:
    items = "".join(f'<span><i class="key {k}"></i>{escape(KIND_LABEL[k])}</span>'
                    for k in ("named", "anonymous", "reporter"))
    return (f'<p class="legend small">{items}<span><i class="key envelope"></i>monthly envelope '
            f'(min low – max high)</span><span><i class="key conflict"></i>month with conflicting '
            f'figures</span> ▲ open upper end (“at least”) ▼ open lower end (“up to”)</p>')


def _series_title(s: dict[str, Any]) -> str:
    bits = [f"{s['group_key']} · {s['status']}"]
    if s.get("origin"):
        bits.append(f"origin {s['origin']}")
    if s.get("place_label"):
        bits.append(f"in {s['place_label']}")
    return " · ".join(bits)


def section_overview(ov: dict[str, Any]) -> str:
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
    cards_html = "".join(f'<div class="card"><b>{escape(str(v))}</b><span>{escape(k)}</span></div>' for v, k in cards)
    bar = share_bar([(KIND_LABEL["named"], by["named"], COLORS["named"]),
                     (KIND_LABEL["anonymous"], by["anonymous"], COLORS["anonymous"]),
                     (KIND_LABEL["reporter"], by["reporter"], COLORS["reporter"])])
    values = ("effective values (review corrections applied, rejected items left out)"
              if ov.get("values") == "effective" else "values as extracted (no review corrections applied)")
    return (f'<section id="overview"><h2>Overview</h2><div class="cards">{cards_html}</div>'
            f'<p class="small">Who asserts the claims: {bar}<br>'
            f'<span class="src named">{by["named"]} named</span> · <span class="src anonymous">{by["anonymous"]} '
            f'anonymous</span> · <span class="src reporter">{by["reporter"]} by the article itself</span></p>'
            f'<p class="small muted">Figures from the same source about the same group with the same range, within '
            f'a time window, or in the same quoted words, are one claim; a near-duplicate article (a wire copy, a '
            f'reprint) is a copy whose figures are cited but not counted again. Figures are never averaged: '
            f'conflicting claims stand side by side. Figures: {escape(values)}.</p></section>')


def section_series(rows: Sequence[dict[str, Any]], n_charts: int, link: Linker | None = None) -> str:
    parts = [f'<section id="series"><h2>Series: figures over time</h2>{_legend()}']
    charted = 0
    for i, s in enumerate(rows):
        if charted >= n_charts:
            break
        svg = series_chart(s, f"s{i}")
        if svg is None:
            continue
        charted += 1
        body = ['<table class="grid"><tr><th>date</th><th>range</th><th>figure</th><th>source</th><th>cited</th></tr>']
        conflict_months = {m["month"] for m in s.get("months") or [] if m["conflicting"]}
        shown = s["claims"][:MAX_SERIES_ROWS]
        for c in shown:
            month = (c.get("claim_date") or "undated")[:7]
            cls = ' class="conflict"' if month in conflict_months else ""
            body.append(f'<tr{cls}><td>{escape(c.get("claim_date") or "undated")}</td>'
                        f'<td class="num">{escape(fmt_range(c["low"], c["high"]))}</td>'
                        f'<td>{_a(link and link("claim", c), escape(c["text"]))}</td>'
                        f'<td>{_src(c["source_kind"], c["source_label"])}</td>'
                        f'<td class="num">{c["n_citations"]}</td></tr>')
        body.append("</table>")
        if len(s["claims"]) > len(shown):
            body.append(f'<p class="small muted">… and {len(s["claims"]) - len(shown)} more claims '
                        f'(sourcebook series --json)</p>')
        env = [f'{escape(m["month"])}: {escape(fmt_range(m["min_low"], m["max_high"]))}'
               + (" <b>(conflicting)</b>" if m["conflicting"] else "") for m in s.get("months") or []]
        parts.append(
            f'<div class="series"><div><h3>{escape(_series_title(s))}</h3>'
            f'<p class="small muted">{s["n_claims"]} distinct claims, {s["n_citations"]} citations · named '
            f'{s["n_named"]}, anonymous {s["n_anonymous"]}, the article itself {s["n_reporter"]}</p>{svg}'
            f'<p class="small">Monthly envelope: {"; ".join(env)}</p></div><div>{"".join(body)}</div></div>')
    if not charted:
        parts.append('<p class="muted">No dated claims yet.</p>')
    rest = [s for s in rows[charted:]]
    if rest:
        parts.append(f'<details><summary>{len(rest)} more series (table)</summary><table '
                     f'class="grid"><tr><th>series</th>'
                     "<th>claims</th><th>envelope</th><th>named / anonymous / article</th></tr>")
        for s in rest:
            parts.append(f'<tr><td>{escape(_series_title(s))}</td><td class="num">{s["n_claims"]}</td>'
                         f'<td class="num">{escape(fmt_range(s["min_low"], s["max_high"]))}</td>'
                         f'<td class="num">{s["n_named"]} / {s["n_anonymous"]} / {s["n_reporter"]}</td></tr>')
        parts.append("</table></details>")
    parts.append("</section>")
    return "".join(parts)


def section_flows(rows: Sequence[dict[str, Any]], link: Linker | None = None) -> str:
    """The flow diagram and the table of flows with the claims behind each (``ledger.flows`` rows)."""
    legend = "".join(f'<span><i class="key st-{escape(s)}"></i>{escape(s)}</span>' for s in STATUS_COLORS)
    parts = [f'<section id="flows"><h2>Flows: where people go</h2><p class="legend small">{legend} '
             f'— an arrow only where the text gives a direction (from, to); detained people are shown where '
             f'they are held, and a destination they did not reach is said in words, never drawn. Width grows '
             f'with the number of claims; hover an arrow for its figures.</p>', flow_svg(rows)]
    if rows:
        parts.append('<table class="grid"><tr><th>period</th><th>nationality</th><th>status</th><th>movement</th>'
                     "<th>heading (not reached)</th><th>range</th><th>claims behind it</th></tr>")
        for f in sorted(rows, key=lambda r: (r["period"], r["origin"], r["destination"], r["status"])):
            behind = "<br>".join(f'{_a(link and link("claim", c), "“" + escape(c["text"]) + "”")} — '
                                 f'{_src(c["source_kind"], c["source_label"])}'
                                 f' <span class="muted small">({escape(_first_report(c))})</span>'
                                 for c in f.get("claims") or [])
            parts.append(f'<tr><td>{escape(f["period"])}</td><td>{escape(f["origin"])}</td>'
                         f'<td>{escape(f["status"])}</td><td>{escape(flow_movement(f))}</td>'
                         f'<td>{escape(_end(f, "heading") or "")}</td>'
                         f'<td class="num">{escape(fmt_range(f["min_low"], f["max_high"]))}</td><td>{behind}</td></tr>')
        parts.append("</table>")
    parts.append("</section>")
    return "".join(parts)


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


def _citation(x: dict[str, Any], link: Linker | None) -> str:
    """One report of a claim: the article's title (else outlet and date), its outlet and date,
    linked to the figure's words in the article (web UI)."""
    from ..labels import outlet_and_date, row_label

    label = row_label(x)
    label = label if len(label) <= 90 else label[:89] + "…"
    sub = outlet_and_date(x) if x.get("title") else ("" if x.get("published") else "undated")
    tag = ' <span class="badge copy">copy</span>' if x.get("copy") else ""
    return (f'<li>{"first: " if x["position"] == 1 else ""}{_a(link and link("citation", x), escape(label))}'
            f'{" <span class=muted>(" + escape(sub) + ")</span>" if sub else ""}{tag}</li>')


def section_claims(rows: Sequence[dict[str, Any]], link: Linker | None = None) -> str:
    parts = ['<section id="claims"><h2>Most cited claims</h2><p class="small muted">Each row is one claim; the '
             'chain lists its first report and every later one (a copy is a near-duplicate article).</p>'
             '<table class="grid"><tr><th>range</th><th>figure</th><th>group · status</th><th>source</th><th>cited</th>'
             '<th>citation chain</th></tr>']
    for c in rows:
        chain = [_citation(x, link) for x in c.get("citations") or []]
        quote = f'<br><q>{escape(c["quote"][:240])}</q>' if c.get("quote") else ""
        where = " · ".join(x for x in (c.get("origin") and f"origin {c['origin']}", c.get("place_label")) if x)
        parts.append(f'<tr><td class="num">{escape(fmt_range(c["low"], c["high"]))}</td>'
                     f'<td>{_a(link and link("claim", c), escape(c["text"]))}{quote}</td>'
                     f'<td>{escape(c["group_key"])} · {escape(c["status"])}'
                     f'{"<br><span class=small>" + escape(where) + "</span>" if where else ""}</td>'
                     f'<td>{_src(c["source_kind"], c["source_label"])}</td>'
                     f'<td class="num">{c["n_citations"]}<br><span class="small muted">{_n(c["n_reports"], "report")}, '
                     f'{_n(c["n_outlets"], "outlet")}</span></td><td><ol class="chain '
                     f'small">{"".join(chain)}</ol></td></tr>')
    if not rows:
        parts.append('<tr><td colspan="6" class="muted">No claims yet.</td></tr>')
    parts.append("</table></section>")
    return "".join(parts)


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
    html = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)}</title><style>{css()}</style></head><body>'
            f'<header><h1>{escape(title)}</h1><p>{ov["articles"]} articles in {escape(store.display)} · made '
            f'{escape(made)} by sourcebook · self-contained: nothing is loaded from the network</p></header><main>'
            f'{section_overview(ov)}{section_flows(frows)}{section_claims(crows)}{series_html}</main></body></html>')
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

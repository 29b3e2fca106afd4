"""``sourcebook report``: the ledger as one self-contained HTML file.

Everything is inline (styles, SVG charts; no script, no font, no image is fetched), so the file
opens offline and can be mailed.  Sections: the overview (articles, near-duplicate copies, claims,
the share of anonymous sources), the flow diagram of origins and destinations with the claims
behind each edge, the most cited claims with their citation chains, and per-series charts of figures over time (ranges as bars coloured by
named / anonymous source / the article itself, the monthly envelope shaded, conflicting months in
yellow) with the claims side by side.

Every string from an article is escaped (``html.escape``).  Values are the effective ones (review
corrections applied) when the review module is there; the overview says which.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Any, Sequence

from .. import ledger
from ..display import fmt_range
from ..store import Store, StoreError
from .charts import COLORS, series_chart, share_bar
from .flowmap import STATUS_COLORS, flow_svg

CSS = """
:root { --named: %(named)s; --anon: %(anonymous)s; --rep: %(reporter)s; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: #212529; margin: 0; background: #f8f9fa; }
header { background: #212529; color: #f8f9fa; padding: 18px 28px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #adb5bd; font-size: 12px; }
main { padding: 8px 28px 40px; max-width: 1220px; }
section { background: #fff; border: 1px solid #dee2e6; border-radius: 6px; padding: 14px 18px; margin: 16px 0; }
h2 { font-size: 18px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 6px 0; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { border: 1px solid #dee2e6; border-radius: 6px; padding: 8px 14px; min-width: 120px; background: #fff; }
.card b { display: block; font-size: 22px; }
.card span { color: #6c757d; font-size: 12px; }
.muted { color: #6c757d; }
.small { font-size: 12px; }
table { border-collapse: collapse; width: 100%%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #e9ecef; }
th { background: #f1f3f5; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.src { font-weight: 600; }
.src.named { color: var(--named); } .src.anonymous { color: var(--anon); } .src.reporter { color: var(--rep); }
.badge { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; color: #fff; }
.badge.named { background: var(--named); } .badge.anonymous { background: var(--anon); } .badge.reporter { background: var(--rep); }
.badge.copy { background: #adb5bd; }
.conflict { background: #fff3bf; }
.legend span { margin-right: 14px; white-space: nowrap; }
.legend i { display: inline-block; width: 12px; height: 12px; vertical-align: -1px; margin-right: 4px; border-radius: 2px; }
.series { display: grid; grid-template-columns: minmax(0, 1.35fr) minmax(0, 1fr); gap: 14px; border-top: 1px solid #e9ecef; padding-top: 10px; margin-top: 10px; }
.series svg { max-width: 100%%; height: auto; }
.chain { margin: 0; padding-left: 16px; }
.chain li { margin: 0; }
q { font-style: italic; color: #495057; }
svg.flows { max-width: 100%%; height: auto; }
details summary { cursor: pointer; color: #495057; }
@media print { body { background: #fff; } section { break-inside: avoid; } }
""" % COLORS

#: Claims listed beside a series chart (all of them are in the chart).
MAX_SERIES_ROWS = 8
KIND_LABEL = {"named": "named source", "anonymous": "anonymous source", "reporter": "the article itself"}


def _src(kind: str, label: str | None) -> str:
    return (f'<span class="src {escape(kind)}">{escape(label or "")}</span> '
            f'<span class="badge {escape(kind)}">{escape(KIND_LABEL.get(kind, kind))}</span>')


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _legend() -> str:
    items = "".join(f'<span><i style="background:{COLORS[k]}"></i>{escape(KIND_LABEL[k])}</span>'
                    for k in ("named", "anonymous", "reporter"))
    return (f'<p class="legend small">{items}<span><i style="background:#adb5bd;opacity:.5"></i>monthly envelope '
            f'(min low – max high)</span><span><i style="background:#fab005;opacity:.5"></i>month with conflicting '
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


def section_series(rows: Sequence[dict[str, Any]], n_charts: int) -> str:
    parts = [f'<section id="series"><h2>Series: figures over time</h2>{_legend()}']
    charted = 0
    for i, s in enumerate(rows):
        if charted >= n_charts:
            break
        svg = series_chart(s, f"s{i}")
        if svg is None:
            continue
        charted += 1
        body = ["<table><tr><th>date</th><th>range</th><th>figure</th><th>source</th><th>cited</th></tr>"]
        conflict_months = {m["month"] for m in s.get("months") or [] if m["conflicting"]}
        shown = s["claims"][:MAX_SERIES_ROWS]
        for c in shown:
            month = (c.get("claim_date") or "undated")[:7]
            cls = ' class="conflict"' if month in conflict_months else ""
            body.append(f'<tr{cls}><td>{escape(c.get("claim_date") or "undated")}</td>'
                        f'<td class="num">{escape(fmt_range(c["low"], c["high"]))}</td><td>{escape(c["text"])}</td>'
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
        parts.append(f"<details><summary>{len(rest)} more series (table)</summary><table><tr><th>series</th>"
                     "<th>claims</th><th>envelope</th><th>named / anonymous / article</th></tr>")
        for s in rest:
            parts.append(f'<tr><td>{escape(_series_title(s))}</td><td class="num">{s["n_claims"]}</td>'
                         f'<td class="num">{escape(fmt_range(s["min_low"], s["max_high"]))}</td>'
                         f'<td class="num">{s["n_named"]} / {s["n_anonymous"]} / {s["n_reporter"]}</td></tr>')
        parts.append("</table></details>")
    parts.append("</section>")
    return "".join(parts)


def section_flows(rows: Sequence[dict[str, Any]]) -> str:
    """The flow diagram and the table of flows with the claims behind each (``ledger.flows`` rows)."""
    legend = "".join(f'<span><i style="background:{c}"></i>{escape(s)}</span>' for s, c in STATUS_COLORS.items())
    parts = [f'<section id="flows"><h2>Flows: where people go</h2><p class="legend small">{legend} '
             f'— an arrow only where the text gives a direction (from, to); detained people are shown where '
             f'they are held, and a destination they did not reach is said in words, never drawn. Width grows '
             f'with the number of claims; hover an arrow for its figures.</p>', flow_svg(rows)]
    if rows:
        parts.append("<table><tr><th>period</th><th>nationality</th><th>status</th><th>movement</th>"
                     "<th>heading (not reached)</th><th>range</th><th>claims behind it</th></tr>")
        for f in sorted(rows, key=lambda r: (r["period"], r["origin"], r["destination"], r["status"])):
            behind = "<br>".join(f'“{escape(c["text"])}” — {_src(c["source_kind"], c["source_label"])}'
                                 f' <span class="muted small">({escape(c.get("first_outlet") or "no outlet")}, '
                                 f'{escape(str(c.get("first_published") or "undated"))})</span>'
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


def section_claims(rows: Sequence[dict[str, Any]]) -> str:
    parts = ['<section id="claims"><h2>Most cited claims</h2><p class="small muted">Each row is one claim; the '
             'chain lists its first report and every later one (a copy is a near-duplicate article).</p>'
             '<table><tr><th>range</th><th>figure</th><th>group · status</th><th>source</th><th>cited</th>'
             '<th>citation chain</th></tr>']
    for c in rows:
        chain = []
        for x in c.get("citations") or []:
            tag = ' <span class="badge copy">copy</span>' if x.get("copy") else ""
            label = x.get("outlet") or (x.get("title") or "article " + x["article_id"])[:60]
            chain.append(f'<li>{"first: " if x["position"] == 1 else ""}{escape(label)}, '
                         f'{escape(str(x.get("published") or "undated"))}{tag}</li>')
        quote = f'<br><q>{escape(c["quote"][:240])}</q>' if c.get("quote") else ""
        where = " · ".join(x for x in (c.get("origin") and f"origin {c['origin']}", c.get("place_label")) if x)
        parts.append(f'<tr><td class="num">{escape(fmt_range(c["low"], c["high"]))}</td><td>{escape(c["text"])}{quote}</td>'
                     f'<td>{escape(c["group_key"])} · {escape(c["status"])}'
                     f'{"<br><span class=small>" + escape(where) + "</span>" if where else ""}</td>'
                     f'<td>{_src(c["source_kind"], c["source_label"])}</td>'
                     f'<td class="num">{c["n_citations"]}<br><span class="small muted">{_n(c["n_reports"], "report")}, '
                     f'{_n(c["n_outlets"], "outlet")}</span></td><td><ol class="chain small">{"".join(chain)}</ol></td></tr>')
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
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    series_html = section_series(srows, n_series)
    html = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)}</title><style>{CSS}</style></head><body>'
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

"""Rich tables for ``sourcebook claims``, ``series`` and ``flows`` (article text never read as markup)."""

from __future__ import annotations

from typing import Any, Sequence

from rich.table import Table
from rich.text import Text

KIND_STYLE = {"named": "cyan", "anonymous": "magenta", "reporter": "dim"}


def fmt_range(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "?"
    if high is None:
        return f"≥{low:,}"
    if low is None:
        return f"≤{high:,}"
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def _src(kind: str, label: str | None) -> Text:
    t = Text(label or "", style=KIND_STYLE.get(kind, ""))
    if kind == "anonymous":
        t.append(" (anonymous)", style="dim")
    return t


def _cited(row: dict[str, Any], prefix: str = "") -> str:
    """An article a claim cites: its title (else outlet and date), with outlet and date after it."""
    from ..labels import outlet_and_date, row_label

    label = row_label(row, prefix)
    sub = outlet_and_date(row, prefix) if row.get(prefix + "title") else ""
    label = label if len(label) <= 70 else label[:69] + "…"
    return f"{label} ({sub})" if sub else (label if row.get(prefix + "published") else f"{label} (undated)")


def _where(row: dict[str, Any]) -> str:
    return " ".join(x for x in (row.get("origin") and f"origin {row['origin']}", row.get("place_label")) if x) or ""


def print_claims(rows: Sequence[dict[str, Any]], console, limit: int | None = None, chains: bool = True) -> None:
    if not rows:
        console.print(Text("No claims (ingest some articles first).", style="dim"))
        return
    t = Table(title=f"Claims ({len(rows)} shown)", title_justify="left", show_lines=chains)
    t.add_column("range", justify="right")
    t.add_column("figure")
    t.add_column("group / status")
    t.add_column("source")
    t.add_column("cited", justify="right")
    t.add_column("first reported, then")
    for r in rows:
        first = Text(_cited(r, "first_"))
        if chains and r.get("citations"):
            for c in r["citations"][1:8]:
                first.append(f"\n→ {_cited(c)}{' (copy)' if c.get('copy') else ''}", style="dim")
            if len(r["citations"]) > 8:
                first.append(f"\n… {len(r['citations']) - 8} more", style="dim")
        gs = Text(f"{r['group_key']} · {r['status']}")
        where = _where(r)
        if where:
            gs.append(f"\n{where}", style="dim")
        t.add_row(fmt_range(r["low"], r["high"]), Text(r["text"]), gs,
                  _src(r["source_kind"], r["source_label"]),
                  f"{r['n_citations']}" + (f" ({r['n_reports']} reports)" if r["n_reports"] != r["n_citations"] else ""),
                  first)
    console.print(t)
    if limit and len(rows) >= limit:
        console.print(Text(f"(first {limit}; --limit 0 for all)", style="dim"))


def print_series(rows: Sequence[dict[str, Any]], console, limit: int | None = None) -> None:
    if not rows:
        console.print(Text("No series (ingest some articles first).", style="dim"))
        return
    t = Table(title=f"Series ({len(rows)} shown)", title_justify="left", show_lines=True)
    t.add_column("group · status")
    t.add_column("origin")
    t.add_column("place")
    t.add_column("claims", justify="right")
    t.add_column("named / anon / reporter", justify="right")
    t.add_column("envelope", justify="right")
    t.add_column("timeline (distinct claims, side by side; never averaged)")
    for s in rows:
        tl = Text()
        for c in (s.get("claims") or [])[:10]:
            if tl:
                tl.append("\n")
            tl.append(f"{c.get('claim_date') or 'undated'}  {fmt_range(c['low'], c['high'])}  ")
            tl.append_text(_src(c["source_kind"], c["source_label"]))
        if s.get("claims") and len(s["claims"]) > 10:
            tl.append(f"\n… {len(s['claims']) - 10} more", style="dim")
        conf = [m["month"] for m in s.get("months") or [] if m["conflicting"]]
        env = fmt_range(s["min_low"], s["max_high"])
        if conf:
            env += f"\nconflicting: {', '.join(conf[:4])}"
        t.add_row(f"{s['group_key']} · {s['status']}", s.get("origin") or "", Text(s.get("place_label") or ""),
                  str(s["n_claims"]), f"{s['n_named']} / {s['n_anonymous']} / {s['n_reporter']}", env, tl)
    console.print(t)
    if limit and len(rows) >= limit:
        console.print(Text(f"(first {limit}; --limit 0 for all)", style="dim"))


def print_flows(rows: Sequence[dict[str, Any]], console) -> None:
    if not rows:
        console.print(Text("No flows: no figures with status joining, leaving, returned or detained "
                           "and a known origin or place.", style="dim"))
        return
    t = Table(title=f"Flows ({len(rows)})", title_justify="left", show_lines=True)
    t.add_column("period")
    t.add_column("origin → destination")
    t.add_column("status")
    t.add_column("range", justify="right")
    t.add_column("claims", justify="right")
    t.add_column("behind it")
    for f in rows:
        behind = Text()
        for c in (f.get("claims") or [])[:5]:
            if behind:
                behind.append("\n")
            behind.append(f"“{c['text']}” ")
            behind.append_text(_src(c["source_kind"], c["source_label"]))
        dest = f["destination"] + (f" ({f['destination_label']})" if f.get("destination_label") not in (None, f["destination"]) else "")
        t.add_row(f["period"], Text(f"{f['origin']} → {dest}"), f["status"], fmt_range(f["min_low"], f["max_high"]),
                  str(f["n_claims"]), behind)
    console.print(t)

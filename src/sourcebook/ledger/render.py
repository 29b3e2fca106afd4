"""Rich tables for ``sourcebook claims``, ``series`` and ``flows`` (article text never read as markup)."""

from __future__ import annotations

from typing import Any, Sequence

from rich.table import Table
from rich.text import Text

from ..display import fmt_range

KIND_STYLE = {"named": "cyan", "anonymous": "magenta", "reporter": "dim"}


def fmt_ago(seconds: float | None) -> str:
    """``just now``, ``3 minutes ago``, ``2 hours ago``, ``5 days ago``; ``never`` for None."""
    if seconds is None:
        return "never"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        n = int(seconds // size)
        if n:
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def fmt_freshness(f: dict[str, Any]) -> str:
    """One line: ``updated 3 minutes ago; 12 articles since, 1 review since``."""
    if f.get("updated_at") is None:
        return "never updated"
    changes = [f"{f[key]} {what}{'s' if f[key] != 1 else ''}" for key, what in
               (("articles_since", "new or re-extracted article"), ("deleted_since", "deleted article"),
                ("reviews_since", "review")) if f.get(key)]
    return f"updated {fmt_ago(f.get('seconds_ago'))}; " + (", ".join(changes) + " since" if changes else "up to date")


__all__ = ["fmt_ago", "fmt_freshness", "fmt_range", "print_claims", "print_series", "print_flows"]


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
                  f"{r['n_citations']}" + (f" ({r['n_reports']} reports)" if r["n_reports"] != r["n_citations"]
                                           else ""),
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
                           "and a known nationality or place.", style="dim"))
        return
    from ..report import flow_movement

    t = Table(title=f"Flows ({len(rows)})", title_justify="left", show_lines=True)
    t.add_column("period")
    t.add_column("nationality")
    t.add_column("status")
    t.add_column("movement (an arrow only where the text gives a direction)")
    t.add_column("heading, not reached")
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
        heading = f.get("heading") and (f"{f.get('heading_label')} ({f['heading']})"
                                        if f.get("heading_label") not in (None, f["heading"]) else f["heading"])
        t.add_row(f["period"], f["origin"], f["status"], Text(flow_movement(f)), Text(heading or ""),
                  fmt_range(f["min_low"], f["max_high"]), str(f["n_claims"]), behind)
    console.print(t)

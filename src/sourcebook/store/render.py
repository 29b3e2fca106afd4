"""Rich tables for the store's query results (``sourcebook sources|quotes|counts|events|places|search``).

Face-side helpers used by the CLI only; the rows are the plain dicts ``Store`` returns.  Article
text is untrusted: everything goes into ``rich.text.Text`` objects, never parsed as markup.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..display import movement_label, range_of
from .core import MARK_OPEN


def _s(v: Any) -> str:
    return "" if v is None else str(v)


def _clip(s: Any, n: int) -> str:
    s = " ".join(_s(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _source_label(row: dict[str, Any]) -> Text:
    if row.get("source_id") == "REPORTER":
        return Text("(reporter)", style="dim")
    name = row.get("source_name") if "source_name" in row else row.get("name")
    mention = row.get("source_mention") if "source_mention" in row else row.get("mention")
    if name:
        return Text(_clip(name, 40))
    return Text(_clip(mention, 40), style="italic")


def _item_id(row: dict[str, Any], key: str) -> Text:
    """``article/item``, and the review decision when the item was reviewed (accepted, corrected)."""
    t = Text(f"{row['article_id']}/{row[key]}", style="dim")
    if row.get("decision"):
        t.append(f" [{row['decision']}]", style="bold")
    return t


def _article(row: dict[str, Any]) -> Text:
    """The article's title (else its outlet and date), with its outlet and date under it."""
    from ..labels import outlet_and_date, row_label

    t = Text(_clip(row_label(row), 50))
    sub = outlet_and_date(row) if row.get("title") else ""
    if sub:
        t.append("\n" + sub, style="dim")
    return t


def _snippet(snippet: str | None) -> Text:
    """``**match**`` marks as bold."""
    out = Text()
    for i, part in enumerate(_s(snippet).split(MARK_OPEN)):
        out.append(part, style="bold yellow" if i % 2 else "")
    return out


def _empty(console: Console, what: str) -> None:
    console.print(Text(f"no {what} found", style="dim"))


def print_sources(rows: list[dict[str, Any]], console: Console, limit: int | None = None) -> None:
    if not rows:
        return _empty(console, "sources")
    t = Table(title=f"Sources ({len(rows)}{'+' if limit and len(rows) >= limit else ''})", title_justify="left")
    for col in ("article", "source", "anon.", "role", "affiliation", "kind", "quotes", "figures", "id"):
        t.add_column(col, justify="right" if col in ("quotes", "figures") else "left", overflow="fold")
    for r in rows:
        label = Text(_clip(r.get("name") or r.get("mention"), 50), style="" if r.get("name") else "italic")
        anon = Text("yes", style="yellow") if r.get("anonymous") else Text("no")
        if r.get("anonymous") and r.get("anonymity_reason"):
            anon.append(" *", style="dim")
        t.add_row(_article(r), label, anon, Text(_clip(r.get("role"), 25)), Text(_clip(r.get("affiliation"), 30)),
                  Text(_s(r.get("kind"))), str(r.get("n_quotes", "")), str(r.get("n_counts", "")),
                  _item_id(r, "source_id"))
    console.print(t)
    if any(r.get("anonymous") and r.get("anonymity_reason") for r in rows):
        console.print(Text("* the article says why the source is not named", style="dim"))


def print_quotes(rows: list[dict[str, Any]], console: Console, limit: int | None = None) -> None:
    if not rows:
        return _empty(console, "quotes")
    t = Table(title=f"Quotes ({len(rows)}{'+' if limit and len(rows) >= limit else ''})", title_justify="left")
    for col in ("article", "source", "type", "quote", "chars", "id"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(_article(r), _source_label(r), Text(_s(r.get("type"))), Text(_clip(r.get("text"), 160)),
                  Text(f"{r.get('start_char')}-{r.get('end_char')}", style="dim"),
                  _item_id(r, "quote_id"))
    console.print(t)




def print_counts(rows: list[dict[str, Any]], console: Console, limit: int | None = None) -> None:
    if not rows:
        return _empty(console, "figures")
    t = Table(title=f"Figures about people ({len(rows)}{'+' if limit and len(rows) >= limit else ''})",
              title_justify="left")
    for col in ("article", "number", "range", "counted", "status", "origin", "movement", "source", "text", "id"):
        t.add_column(col, overflow="fold", justify="right" if col == "range" else "left")
    for r in rows:
        moved = movement_label(r.get("status"), r.get("from_place"), r.get("to_place"), r.get("heading"),
                               r.get("place"))
        t.add_row(_article(r), Text(_clip(r.get("number"), 30)), range_of(r), Text(_clip(r.get("counted"), 30)),
                  Text(_s(r.get("status"))), Text(_s(r.get("origin"))), Text(moved), _source_label(r),
                  Text(_clip(r.get("text"), 80)), _item_id(r, "count_id"))
    console.print(t)


def _who(side: Any) -> Text:
    """An event's actor or recipient: the normalized name (else the words as written) and its code."""
    if not isinstance(side, dict):
        return Text("")
    name = side.get("normalized") or side.get("text")
    t = Text(_clip(name, 30), style="" if side.get("normalized") else "italic")
    if side.get("code"):
        t.append(f" {side['code']}", style="dim")
    return t


def _interval(lo: Any, hi: Any) -> str:
    if lo is None and hi is None:
        return ""
    if lo == hi:
        return _s(lo)
    return f"{_s(lo)}..{_s(hi)}"


def print_events(rows: list[dict[str, Any]], console: Console, limit: int | None = None) -> None:
    if not rows:
        return _empty(console, "events")
    t = Table(title=f"Events ({len(rows)}{'+' if limit and len(rows) >= limit else ''})", title_justify="left")
    for col in ("article", "type", "mode", "trigger", "actor", "recipient", "where", "when", "according to", "id"):
        t.add_column(col, overflow="fold")
    for r in rows:
        kind = Text(_s(r.get("type")), style="bold")
        if r.get("negated"):
            kind.append(" not", style="yellow")
        if r.get("hypothetical"):
            kind.append(" hyp.", style="yellow")
        place = r.get("place")
        place = place if isinstance(place, dict) else {}
        where = Text(_clip(place.get("name") or place.get("text"), 25))
        if r.get("place_country"):
            where.append(f" {r['place_country']}", style="dim")
        source = Text("(reporter)", style="dim") if r.get("source_id") == "REPORTER" else (
            Text(_clip(r.get("source_name"), 30)) if r.get("source_name")
            else Text(_clip(r.get("source_mention") or r.get("source_id"), 30), style="italic"))
        t.add_row(_article(r), kind, Text(_s(r.get("mode"))), Text(_clip(r.get("text"), 30)), _who(r.get("actor")),
                  _who(r.get("recipient")), where, Text(_interval(r.get("time_from"), r.get("time_to"))), source,
                  _item_id(r, "event_id"))
    console.print(t)
    if any(r.get("negated") or r.get("hypothetical") for r in rows):
        console.print(Text("not: the article denies the event; hyp.: conditional, planned, feared or attempted",
                           style="dim"))


def print_places(rows: list[dict[str, Any]], console: Console, limit: int | None = None) -> None:
    if not rows:
        return _empty(console, "places")
    t = Table(title=f"Places ({len(rows)}{'+' if limit and len(rows) >= limit else ''})", title_justify="left")
    for col in ("article", "as written", "name", "feature", "country", "lat", "lon", "id"):
        t.add_column(col, overflow="fold", justify="right" if col in ("lat", "lon") else "left")
    for r in rows:
        name = Text(_clip(r.get("name"), 40)) if r.get("name") else Text("(unresolved)", style="dim")
        coord = lambda v: "" if v is None else f"{v:.4f}"  # noqa: E731
        written = Text(_clip(r.get("text"), 40))
        if r.get("kind") == "demonym":
            written.append(" (nationality)", style="dim")
        t.add_row(_article(r), written, name, Text(_s(r.get("feature"))),
                  Text(_s(r.get("country"))), coord(r.get("lat")), coord(r.get("lon")), _item_id(r, "place_id"))
    console.print(t)


def print_dates(rows: list[dict[str, Any]], console: Console, limit: int | None = None) -> None:
    if not rows:
        return _empty(console, "dates")
    t = Table(title=f"Dates ({len(rows)}{'+' if limit and len(rows) >= limit else ''})", title_justify="left")
    for col in ("article", "as written", "from", "to", "precision", "id"):
        t.add_column(col, overflow="fold")
    for r in rows:
        unresolved = r.get("from_date") is None and r.get("to_date") is None
        t.add_row(_article(r), Text(_clip(r.get("text"), 50)),
                  Text("(unresolved)", style="dim") if unresolved else Text(_s(r.get("from_date")) or "…"),
                  Text("" if unresolved else (_s(r.get("to_date")) or "…")), Text(_s(r.get("precision"))),
                  _item_id(r, "date_id"))
    console.print(t)


def print_search(hits: dict[str, list[dict[str, Any]]], console: Console) -> None:
    arts, quotes = hits.get("articles", []), hits.get("quotes", [])
    if not arts and not quotes:
        return _empty(console, "matches")
    if arts:
        t = Table(title=f"Articles ({len(arts)})", title_justify="left")
        t.add_column("article", overflow="fold")
        t.add_column("snippet", overflow="fold")
        t.add_column("id")
        for r in arts:
            t.add_row(_article(r), _snippet(r.get("snippet")), Text(r["article_id"], style="dim"))
        console.print(t)
    if quotes:
        t = Table(title=f"Quotes ({len(quotes)})", title_justify="left")
        for col in ("article", "source", "type", "snippet", "id"):
            t.add_column(col, overflow="fold")
        for r in quotes:
            t.add_row(_article(r), _source_label(r), Text(_s(r.get("type"))), _snippet(r.get("snippet")),
                      _item_id(r, "quote_id"))
        console.print(t)

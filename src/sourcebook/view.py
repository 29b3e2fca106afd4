"""Terminal views of a record, with rich.

Article text is untrusted: everything that comes from it (names, descriptions, quotes, figures) is
put into ``rich.text.Text`` objects, never parsed as console markup, so a quote that contains
``[bold]`` is shown as written.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .display import fmt_range, movement_label
from .record import REPORTER, Count, Quote, Record, Source

#: Quote texts longer than this are shortened in the table view.
QUOTE_CHARS = 160


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters (with '…')."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def source_label(source: Source) -> str:
    """The name of a named source; the description (its mention) of an anonymous one."""
    if source.anonymous or not source.name:
        return source.mention or source.head or source.id
    return source.name


def range_label(count: Count) -> str:
    """The count's range as written everywhere (``sourcebook.ranges.fmt_range``): "≥150", "200–999"."""
    return fmt_range(count.low, count.high)


def _quote_line(quote: Quote, indent: str = "    ") -> Text:
    line = Text(indent)
    line.append(f"{quote.type:<8}", style="cyan")
    line.append(" ")
    if quote.cue is not None:
        line.append(f"({quote.cue.text})", style="dim")
        line.append(" ")
    line.append(shorten(quote.text))
    return line


def _source_block(source: Source, quotes: list[Quote]) -> list[Text]:
    head = Text()
    if source.anonymous:
        head.append(" ANONYMOUS ", style="bold white on dark_orange")
    else:
        head.append(" NAMED ", style="bold white on blue")
    head.append(" ")
    label = source_label(source)
    head.append(label, style="bold")
    details = [("role", source.role), ("affiliation", source.affiliation), ("kind", source.kind)]
    for key, value in details:
        # An anonymous source's description often holds its role already: do not repeat it.
        if value and (key == "kind" or value not in label):
            head.append(f"  {key}: ", style="dim")
            head.append(value)
    n = len(source.mentions)
    head.append(f"  {n} mention{'s' if n != 1 else ''}", style="dim")
    lines = [head]
    if source.anonymous and source.anonymity_reason is not None:
        reason = Text("    why anonymous: ", style="dim")
        reason.append(shorten(source.anonymity_reason.text), style="italic")
        lines.append(reason)
    for q in quotes:
        lines.append(_quote_line(q))
    if not quotes:
        lines.append(Text("    (no quotes attributed)", style="dim"))
    return lines


def counts_table(record: Record) -> Table:
    """The figures about people in ``record`` as a rich Table."""
    table = Table(title="Figures about people", title_justify="left", show_lines=False)
    columns: tuple[tuple[str, dict[str, Any]], ...] = (
        ("text", {"overflow": "fold", "max_width": 48}),
        ("range", {"justify": "right", "no_wrap": True}),
        ("counted", {}),
        ("status", {}),
        ("origin", {}),
        ("movement", {"overflow": "fold", "max_width": 30}),
        ("source", {"overflow": "fold", "max_width": 36}),
    )
    for col, kw in columns:
        table.add_column(col, **kw)
    for c in record.counts:
        src = record.source(c.source) if c.source != REPORTER else None
        who = shorten(source_label(src), 60) if src else c.source
        table.add_row(
            Text(shorten(c.text, 80)),
            Text(range_label(c)),
            Text(c.counted or "—"),
            Text(c.status or "—"),
            Text(c.origin or "—"),
            Text(movement_label(c.status, c.from_place, c.to_place, c.heading, c.place) or "—"),
            Text(who),
        )
    return table


def print_record_table(record: Record, console: Console) -> None:
    """Print one record: sources with their quotes, the reporter's own quotes, then the figures."""
    title = Text("Article ", style="bold")
    title.append(record.title or record.id, style="bold underline")
    if record.published:
        title.append(f"  ({record.published})", style="dim")
    if record.url:
        title.append(f"  {record.url}", style="dim")
    console.print(title)
    n_anon = sum(1 for s in record.sources if s.anonymous)
    console.print(
        Text(
            f"{len(record.sources)} sources ({n_anon} anonymous), {len(record.quotes)} quotes, "
            f"{len(record.counts)} figures about people",
            style="dim",
        )
    )
    by_source: dict[str, list[Quote]] = {}
    for q in record.quotes:
        by_source.setdefault(q.source, []).append(q)
    for s in record.sources:
        for line in _source_block(s, by_source.get(s.id, [])):
            console.print(line)
    reporter = by_source.get(REPORTER, [])
    known = {s.id for s in record.sources} | {REPORTER}
    orphans = [q for sid, qs in by_source.items() if sid not in known for q in qs]
    if reporter:
        head = Text()
        head.append(" REPORTER ", style="bold white on grey37")
        head.append(" statements attributed to no one", style="dim")
        console.print(head)
        for q in reporter:
            console.print(_quote_line(q))
    if orphans:
        console.print(Text(" quotes whose source is missing from the record", style="yellow"))
        for q in orphans:
            console.print(_quote_line(q))
    if record.counts:
        console.print(counts_table(record))
    for w in record.warnings:
        console.print(Text(f"warning: {w}", style="yellow"))
    console.print()

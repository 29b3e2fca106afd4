"""The demo: extraction over the bundled sample corpus, summarised.

``run_demo`` extracts the sample in memory; ``print_summary`` prints records the way the demo does
(per-article lines, totals, the first article in detail) for any face that has records at hand.

The sample corpus (``sourcebook/data/sample``) is six INVENTED wire-style articles about a fictional
conflict; every one of them carries a marker line saying so.
"""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .record import Record
from .view import print_record_table

SAMPLE_PACKAGE = "sourcebook.data.sample"
SAMPLE_JSONL = "sample.jsonl"
INVENTED_MARKER = (
    "[Invented article for the sourcebook demo; all names, places and events are fictional.]"
)
QUOTE_TYPES = ("direct", "indirect", "mixed")


def sample_articles() -> list[dict[str, Any]]:
    """The bundled sample articles: dicts with ``title``, ``published``, ``url`` and ``text``."""
    folder = resources.files("sourcebook").joinpath("data", "sample")
    raw = folder.joinpath(SAMPLE_JSONL).read_text(encoding="utf-8")
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def summarize(records: list[Record]) -> dict[str, Any]:
    """Totals over ``records``: articles, sources, anonymous share, quotes by type, figures."""
    sources = [s for r in records for s in r.sources]
    n_anon = sum(1 for s in sources if s.anonymous)
    by_type = Counter(q.type for r in records for q in r.quotes)
    return {
        "articles": len(records),
        "sources": len(sources),
        "anonymous": n_anon,
        "anonymous_share": (100.0 * n_anon / len(sources)) if sources else 0.0,
        "quotes": sum(by_type.values()),
        "quotes_by_type": {t: by_type.get(t, 0) for t in QUOTE_TYPES}
        | {t: n for t, n in by_type.items() if t not in QUOTE_TYPES},
        "figures": sum(len(r.counts) for r in records),
    }


def _article_line(i: int, rec: Record) -> Text:
    n_anon = sum(1 for s in rec.sources if s.anonymous)
    line = Text(f"{i:>2}. ")
    line.append(rec.title or rec.id, style="bold")
    line.append(
        f"  ({rec.published}) {len(rec.sources)} sources, {n_anon} anonymous, "
        f"{len(rec.quotes)} quotes, {len(rec.counts)} figures",
        style="dim",
    )
    return line


def print_summary(records: list[Record], console: Console) -> dict[str, Any]:
    """One line per record, a table of totals, then the first record in detail; returns the totals."""
    for i, rec in enumerate(records, 1):
        console.print(_article_line(i, rec))

    totals = summarize(records)
    table = Table(title="Totals", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("n", justify="right")
    table.add_row("articles", str(totals["articles"]))
    table.add_row("sources", str(totals["sources"]))
    table.add_row("anonymous share", f"{totals['anonymous_share']:.0f}% ({totals['anonymous']})")
    table.add_row("quotes", str(totals["quotes"]))
    for t, n in totals["quotes_by_type"].items():
        table.add_row(f"  {t}", str(n))
    table.add_row("figures about people", str(totals["figures"]))
    console.print(table)

    if records:
        console.print(Text("First article in detail:", style="bold"))
        print_record_table(records[0], console)
    return totals


def banner(n_articles: int) -> Text:
    """The demo's first line, saying that the sample is invented."""
    return Text(
        f"sourcebook demo: {n_articles} INVENTED sample articles about a fictional conflict "
        "(all names, places and events are made up)",
        style="bold",
    )


def run_demo(console: Console, model: str | None = None) -> dict[str, Any]:
    """Extract every sample article (no store) and print ``print_summary``; returns the totals."""
    from .api import extract_many

    articles = sample_articles()
    console.print(banner(len(articles)))
    records = [r for r in extract_many(articles, model=model, on_error="raise") if isinstance(r, Record)]
    return print_summary(records, console)


def run_store_demo(console, db: str | None = None, model: str | None = None) -> dict[str, Any]:
    """``sourcebook demo``: ingest the bundled (invented) sample corpus into the store (default
    ``./sourcebook.db``) and print what is there: one line per article, the totals, the first
    article in detail.  Returns the totals."""
    from .ingest import ingest
    from .read import Document, iter_documents
    from .record import article_id
    from .store import Store

    sample = resources.files("sourcebook").joinpath("data", "sample", SAMPLE_JSONL)
    with resources.as_file(sample) as path, Store(db) as store:
        docs = [d for d in iter_documents(path) if isinstance(d, Document)]
        console.print(banner(len(docs)))
        summary = ingest([path], store, model=model)
        records = [r for r in (store.record(article_id(d.text)) for d in docs) if r is not None]
        console.print(Text(
            f"Stored in {store.display}: {summary.ingested} new, {summary.reextracted} re-extracted, "
            f"{summary.unchanged} already there", style="dim"))
    totals = print_summary(records, console)
    db_arg = "" if db is None else f" --db {db}"
    console.print(Text("Next: ", style="bold").append(
        f"sourcebook sources --anonymous{db_arg} · sourcebook quotes --source Okafor{db_arg} · "
        f"sourcebook counts --status returned{db_arg} · sourcebook search amnesty{db_arg}", style="none"))
    return totals

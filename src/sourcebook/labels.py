"""How an article is named to people: its title, else its outlet and date, never a bare hash.

Used by the command line's tables, the ledger's and the web UI's pages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping


def _day(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return str(value)[:10] if value else ""


def first_line(text: str | None, limit: int = 140) -> str:
    line = (text or "").strip().split("\n", 1)[0].strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


def article_label(title: str | None = None, outlet: str | None = None, published: Any = None,
                  article_id: str | None = None, head: str | None = None) -> str:
    """The title; else ``outlet, date`` (either alone when the other is missing); else the first
    line of the text (``head``); else ``article <id>``."""
    if title and title.strip():
        return " ".join(title.split())
    bits = [b for b in ((outlet or "").strip(), _day(published)) if b]
    if bits:
        return ", ".join(bits)
    line = first_line(head)
    if line:
        return line
    return f"article {article_id}" if article_id else "(unknown article)"


def row_label(row: Mapping[str, Any], prefix: str = "") -> str:
    """``article_label`` of a row with ``title``, ``outlet``, ``published``, ``article_id`` (or ``id``)
    and optionally ``head``/``text``; ``prefix`` selects ``first_title``, ``first_outlet``, ..."""
    return article_label(row.get(prefix + "title"), row.get(prefix + "outlet"), row.get(prefix + "published"),
                         row.get(prefix + "article_id") or row.get("article_id") or row.get("id"),
                         row.get("head") or row.get("text"))


def outlet_and_date(row: Mapping[str, Any], prefix: str = "") -> str:
    """``outlet · date`` (what is known of them), for a line under a title."""
    return " · ".join(b for b in ((row.get(prefix + "outlet") or "").strip(), _day(row.get(prefix + "published"))) if b)

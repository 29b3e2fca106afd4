"""What a reader returns: a ``Document`` ready for extraction, or a ``Skip`` saying why not (a module of
its own so that the readers and ``read/__init__`` do not import each other)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Document:
    """One article ready for extraction."""

    text: str
    origin: str  # where it came from: a path, or path:line for JSON Lines
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD, or None
    outlet: str | None = None  # who published it, when the input says (else the URL's host is used)
    #: where ``published`` came from: html-meta | jsonl-field | parquet-field | metadata-file | dateline
    #: | cli | none (``read.metadata`` documents the order)
    date_source: str | None = None


@dataclass(slots=True)
class Skip:
    """A document that could not be read, and why."""

    origin: str
    # empty | binary | encoding | too_large | not_english | bad_html | bad_json | missing_text | unreadable | not_found
    reason: str
    message: str

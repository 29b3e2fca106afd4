"""Input readers: plain text, HTML and JSON Lines -> ``Document`` or a typed ``Skip``.

``iter_documents(path)`` yields one item per article found under ``path`` (a file, a folder
read recursively, or ``-`` for standard input).  Bad documents are never raised out of a batch:
they come back as ``Skip`` items with a reason code and a one-line message.
"""

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


@dataclass(slots=True)
class Skip:
    """A document that could not be read, and why."""

    origin: str
    reason: str  # empty | binary | encoding | too_large | not_english | bad_html | bad_json | missing_text | unreadable
    message: str

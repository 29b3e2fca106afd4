"""Article metadata that the article files do not carry: a metadata file beside them, a dateline,
and the defaults of the run.

**The metadata file.** A folder of articles may hold ``metadata.csv`` (a header row) or
``metadata.jsonl`` (one object a line) with the columns ``file`` (required: the article's path
relative to the metadata file's folder, or its bare file name when that is unique), ``url``,
``outlet``, ``title`` and ``published`` (a date: ``2014-02-25``, ``25 February 2014``,
``2/25/2014`` is read as month/day).  A file's metadata comes from the nearest metadata file in its
folder or a folder above it (up to the folder given on the command line).  ``metadata.jsonl`` is
not read as articles.  A row that cannot be used (no ``file``, an unknown file, an unreadable date)
is reported as a ``bad_metadata`` skip and the rest is used.

**Precedence** (what a researcher expects: the more specific source wins; ``docs/store.md``):

1. ``--force-metadata``: the run's ``--published`` / ``--outlet`` replace everything else;
2. the metadata file's row for the file (for a file holding one article: .txt, .html);
3. what the input says itself: the page's HTML metadata, a JSON Lines object's or a Parquet row's
   fields (for these many-article files, a metadata-file row only fills what they leave empty);
4. a dateline at the head of the text (``BEIRUT, March 3, 2014 (Reuters) -``, a leading date);
   a year-less dateline date is placed by the run's ``--published``; its agency is the outlet when
   there is no other outlet and no URL;
5. the run's ``--published`` / ``--outlet``, as defaults for inputs that carry none.

The outlet of a stored article is the explicit one (1-3, 5), else the host of its URL
(``store.outlet_of``), else the dateline's agency.  Every article records where its date came from
(``Document.date_source``, the ``articles.published_source`` column): ``cli``, ``metadata-file``,
``html-meta``, ``jsonl-field``, ``parquet-field``, ``dateline`` or ``none``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from typing import Any, Iterator

from .document import Document, Skip

METADATA_FILES = ("metadata.csv", "metadata.jsonl")
FIELDS = ("file", "url", "outlet", "title", "published")
#: Readers whose files hold one article (a metadata row overrides what they say).
SINGLE_KINDS = ("text", "html")
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Defaults:
    """The run's own values (``--published``, ``--outlet``, ``--force-metadata``)."""

    published: str | None = None
    outlet: str | None = None
    force: bool = False


@dataclass(slots=True)
class FileMeta:
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None


@dataclass
class _Table:
    """One metadata file: rows by relative path and by bare name."""

    path: str
    by_path: dict[str, FileMeta] = field(default_factory=dict)
    by_name: dict[str, FileMeta | None] = field(default_factory=dict)  # None: the name is not unique
    skips: list[Skip] = field(default_factory=list)


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    s = " ".join(str(value).split())
    return s or None


def _date(value: Any) -> str | None:
    from .jsonl import normalize_date

    return normalize_date(value)


def _rows(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(row number, object)`` of a metadata file (raises ``ReadProblem``, ``ValueError``)."""
    from .text import decode_bytes, read_bytes

    text = decode_bytes(read_bytes(path, MAX_BYTES))
    if path.endswith(".jsonl"):
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise ValueError(f"line {n} is not a JSON object")
                yield n, obj
        return
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "file" not in [(f or "").strip().lower() for f in reader.fieldnames]:
        raise ValueError(f"no 'file' column (columns: {', '.join(reader.fieldnames or []) or 'none'})")
    for n, row in enumerate(reader, 2):
        yield n, {(k or "").strip().lower(): v for k, v in row.items()}


def load_table(path: str) -> _Table:
    """Read one metadata file; problems become ``bad_metadata`` skips (never raised)."""
    from .text import ReadProblem

    table = _Table(path)
    base = os.path.dirname(path)
    try:
        for n, obj in _rows(path):
            _add_row(table, base, n, obj)
    except (ReadProblem, ValueError, UnicodeError) as err:
        msg = getattr(err, "message", None) or " ".join(str(err).split())[:200]
        table.skips.append(Skip(path, "bad_metadata", f"the metadata file cannot be read: {msg}"))
    return table


def _add_row(table: _Table, base: str, n: int, obj: dict[str, Any]) -> None:
    where = f"{table.path}:{n}"
    name = _clean(obj.get("file"))
    if not name:
        table.skips.append(Skip(where, "bad_metadata", f"row {n}: no file named"))
        return
    meta = FileMeta(url=_clean(obj.get("url")), outlet=_clean(obj.get("outlet")), title=_clean(obj.get("title")))
    raw = _clean(obj.get("published"))
    if raw:
        meta.published = _date(raw)
        if meta.published is None:
            table.skips.append(Skip(where, "bad_metadata", f"row {n}: published {raw[:40]!r} is not a date "
                                                          f"(YYYY-MM-DD); the row's other fields are used"))
    rel = os.path.normpath(name.replace("\\", "/")).lstrip("./") if name not in (".", "..") else name
    if not os.path.exists(os.path.join(base, rel)):
        table.skips.append(Skip(where, "bad_metadata", f"row {n}: no file {name!r} beside "
                                                       f"{os.path.basename(table.path)}"))
        return
    table.by_path[rel] = meta
    bare = os.path.basename(rel)
    table.by_name[bare] = None if bare in table.by_name else meta


class MetadataIndex:
    """The metadata files under one input path, read when first needed."""

    def __init__(self, root: str):
        self.root = os.path.abspath(root if os.path.isdir(root) else os.path.dirname(root) or ".")
        self._tables: dict[str, _Table | None] = {}
        self.reported: set[str] = set()

    def _table(self, folder: str) -> _Table | None:
        if folder not in self._tables:
            found = next((os.path.join(folder, n) for n in METADATA_FILES
                          if os.path.isfile(os.path.join(folder, n))), None)
            self._tables[folder] = load_table(found) if found else None
        return self._tables[folder]

    def lookup(self, file: str) -> tuple[FileMeta | None, list[Skip]]:
        """The metadata row for ``file`` (nearest metadata file up to the root), and the skips of
        metadata files met for the first time."""
        path = os.path.abspath(file)
        folder = os.path.dirname(path)
        skips: list[Skip] = []
        while True:
            table = self._table(folder)
            if table is not None:
                if table.path not in self.reported:
                    self.reported.add(table.path)
                    skips.extend(table.skips)
                rel = os.path.relpath(path, folder).replace(os.sep, "/")
                meta = table.by_path.get(rel) or table.by_name.get(os.path.basename(path))
                if meta is not None:
                    return meta, skips
            if folder == self.root or os.path.dirname(folder) == folder or not folder.startswith(self.root):
                return None, skips
            folder = os.path.dirname(folder)


def is_metadata_file(name: str) -> bool:
    return os.path.basename(name).lower() in METADATA_FILES


# --------------------------------------------------------------------------- precedence


def _set(doc: Document, meta: FileMeta, *, override: bool) -> None:
    for name in ("url", "title", "outlet"):
        value = getattr(meta, name)
        if value and (override or not getattr(doc, name)):
            setattr(doc, name, value)
    if meta.published and (override or not doc.published):
        doc.published, doc.date_source = meta.published, "metadata-file"


def complete(doc: Document, meta: FileMeta | None, defaults: Defaults | None, kind: str | None = "text") -> Document:
    """Fill ``doc``'s date and outlet in the order of the module docstring; sets ``date_source``."""
    defaults = defaults or Defaults()
    if doc.published and not doc.date_source:
        doc.date_source = "jsonl-field"
    if meta is not None:
        _set(doc, meta, override=kind in SINGLE_KINDS)
    if not doc.published or not (doc.outlet or doc.url):
        from .dateline import parse_dateline

        line = parse_dateline(doc.text, reference=defaults.published)
        if line is not None:
            if not doc.published and line.published:
                doc.published, doc.date_source = line.published, "dateline"
            if not (doc.outlet or doc.url) and line.agency:
                doc.outlet = line.agency
    if defaults.published and (defaults.force or not doc.published):
        doc.published, doc.date_source = defaults.published, "cli"
    if defaults.outlet and (defaults.force or not (doc.outlet or doc.url)):
        doc.outlet = defaults.outlet
    if not doc.published:
        doc.date_source = "none"
    return doc

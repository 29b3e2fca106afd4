"""A metadata file for datasette (``sourcebook export --format datasette --out DIR``).

datasette opens the SQLite store as it is (``datasette sourcebook.db``); with this file
(``datasette sourcebook.db --metadata DIR/metadata.json``) its pages get a title, the licence, a
description of every table and column (``store/descriptions.tsv``, kept in step with docs/store.md),
facets on the columns people filter by, sensible sort orders, and the index tables hidden.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .store import Store, StoreError
from .store import schema as S

#: Columns offered as facets, per table.
FACETS = {
    "articles": ["outlet", "published_source", "language"],
    "sources": ["anonymous", "kind"],
    "quotes": ["type", "source_id"],
    "counts": ["status", "origin"],
    "events": ["type", "place_country", "negated"],
    "places": ["country", "feature", "kind"],
    "dates": ["precision"],
    "reviews": ["kind", "action", "reviewer"],
    "ledger_claims": ["status", "source_kind", "group_key"],
    "skipped": ["reason"],
}
SORT_DESC = {"articles": "published", "reviews": "id", "ledger_claims": "n_citations", "extraction_runs": "id"}
LABELS = {"articles": "title", "sources": "mention", "places": "name"}
HIDDEN = ("ledger_lsh", "alembic_version", "ledger_state")


@lru_cache(maxsize=1)
def descriptions() -> dict[str, dict[str, str]]:
    """``{table: {"": table description, column: description}}`` from ``store/descriptions.tsv``."""
    out: dict[str, dict[str, str]] = {}
    text = resources.files("sourcebook").joinpath("store", "descriptions.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        table, column, desc = (line.split("\t") + ["", ""])[:3]
        out.setdefault(table, {})[column] = desc.strip()
    return out


def metadata(db_name: str) -> dict[str, Any]:
    """The metadata document for a database datasette names ``db_name`` (the file's stem)."""
    desc = descriptions()
    tables: dict[str, Any] = {}
    for name, table in S.TABLES.items():
        d = desc.get(name, {})
        entry: dict[str, Any] = {"description": d.get("", "")}
        cols = {c.name: d[c.name] for c in table.c if d.get(c.name)}
        if cols:
            entry["columns"] = cols
        if name in FACETS:
            entry["facets"] = FACETS[name]
        if name in SORT_DESC:
            entry["sort_desc"] = SORT_DESC[name]
        if name in LABELS:
            entry["label_column"] = LABELS[name]
        if name in HIDDEN:
            entry["hidden"] = True
        tables[name] = entry
    for name in HIDDEN:
        tables.setdefault(name, {"hidden": True})
    return {
        "title": "sourcebook",
        "description": "Sources, quotes, anonymity and figures about people extracted from news articles, with "
                       "character offsets into each article's text; events (PLOVER), places and dates; the ledger "
                       "of claims across articles. Values as extracted: review corrections are in review_state.",
        "license": "Apache-2.0 (the software); the articles' copyright stays with their publishers",
        "source": "sourcebook",
        "databases": {db_name: {"tables": tables}},
    }


def write_metadata(store: Store, folder: Path) -> dict[str, dict[str, Any]]:
    """Write ``folder/metadata.json`` for the SQLite store; returns what was written."""
    if store.backend != "sqlite":
        raise StoreError("datasette opens SQLite files: export from a SQLite store (or copy the tables with "
                         "sourcebook export --format csv and load them with sqlite-utils)")
    name = Path(store.url.database or "sourcebook.db").stem
    path = folder / "metadata.json"
    doc = metadata(name)
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    n_tables = len(doc["databases"][name]["tables"])
    return {"metadata": {"path": str(path), "rows": n_tables,
                         "command": f"datasette {store.display} --metadata {path}"}}

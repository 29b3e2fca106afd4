"""The store: articles and everything extracted from them, in SQLite or PostgreSQL.

>>> from sourcebook.store import Store
>>> with Store("sourcebook.db") as db:          # doctest: +SKIP
...     db.write(record)                         # one transaction per article
...     db.sources(anonymous=True)

Tables (``schema.py``, documented in ``docs/store.md``) are created and upgraded by the Alembic
migrations in ``migrations/``, which ``Store`` runs itself.
"""

from .core import (
    DEFAULT_DB,
    ENV_DB,
    Store,
    StoreError,
    comparable_versions,
    contains,
    display_url,
    fts5_query,
    outlet_of,
    record_rows,
    resolve_url,
)
from .schema import DATA_TABLES, TABLES

__all__ = [
    "Store",
    "StoreError",
    "DEFAULT_DB",
    "ENV_DB",
    "TABLES",
    "DATA_TABLES",
    "resolve_url",
    "display_url",
    "outlet_of",
    "comparable_versions",
    "contains",
    "record_rows",
    "fts5_query",
]

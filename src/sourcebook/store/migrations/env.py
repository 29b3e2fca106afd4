"""Alembic environment for the sourcebook store.

The store runs migrations itself (``Store`` calls ``alembic.command.upgrade`` with an open
connection in ``config.attributes["connection"]``); nobody needs to call the alembic CLI.  For
development, ``alembic -x url=sqlite:///sourcebook.db ...`` with ``script_location`` pointing
here works too.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from sourcebook.store.schema import SQLITE_FTS_TABLES, metadata

config = context.config


def _include_object(obj, name, type_, reflected, compare_to):
    # The FTS5 tables (and their shadow tables) are created by hand, not from the metadata.
    if type_ == "table" and name and name.startswith(tuple(SQLITE_FTS_TABLES)):
        return False
    if type_ == "index" and name in ("ix_articles_fts", "ix_quotes_fts"):
        return False
    return True


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=_include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():  # pragma: no cover - we always migrate a live database
    raise SystemExit("sourcebook migrations run online only")
run_migrations_online()

"""The review log is append-only in the database itself; runs count their component failures.

``extraction_runs.component_failures`` (JSON, ``{component: number of articles}``): how many of the
articles a run stored carry a component failure in their warnings (``nlp.registry``: the error
policy); NULL for runs before this revision.

``reviews`` is the log of every decision (who, when, before, after); ``review_state`` is the state in
force and is rewritten as decisions come.  sourcebook only ever inserts into ``reviews``; from this
revision the database refuses anything else, whoever asks: an ``UPDATE`` or ``DELETE`` on it fails
(SQLite: ``BEFORE`` triggers that ``RAISE(ABORT)``; PostgreSQL: a row trigger for both and a
statement trigger for ``TRUNCATE``, calling one function that raises).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MESSAGE = "the review log (reviews) is append-only: rows are never updated or deleted"

_SQLITE = [
    f"CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
_POSTGRESQL = [
    "CREATE FUNCTION sourcebook_reviews_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$",
    "CREATE TRIGGER reviews_no_update_delete BEFORE UPDATE OR DELETE ON reviews "
    "FOR EACH ROW EXECUTE FUNCTION sourcebook_reviews_append_only()",
    "CREATE TRIGGER reviews_no_truncate BEFORE TRUNCATE ON reviews "
    "FOR EACH STATEMENT EXECUTE FUNCTION sourcebook_reviews_append_only()",
]


def upgrade() -> None:
    with op.batch_alter_table("extraction_runs") as batch:
        batch.add_column(sa.Column("component_failures", sa.JSON))
    for statement in _SQLITE if op.get_bind().dialect.name == "sqlite" else _POSTGRESQL:
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table("extraction_runs") as batch:
        batch.drop_column("component_failures")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER reviews_no_update")
        op.execute("DROP TRIGGER reviews_no_delete")
    else:
        op.execute("DROP TRIGGER reviews_no_truncate ON reviews")
        op.execute("DROP TRIGGER reviews_no_update_delete ON reviews")
        op.execute("DROP FUNCTION sourcebook_reviews_append_only()")

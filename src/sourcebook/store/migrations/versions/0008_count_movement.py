"""Movement of counts: from, to and heading (and the place's country) in ``counts``; the movement's
ends in the ledger's claims, citations and flows.

``counts`` gains ``from_place``, ``to_place`` and ``heading`` (JSON, as the record has them) with
flat copies ``from_country``, ``to_country``, ``heading_country`` and ``place_country`` for queries
(``sourcebook counts --from SY --to TR``).  Counts stored before this revision were made by
``sourcebook_counts_v1``, which did not read movement: the new columns stay NULL until the articles
are extracted again (``sourcebook ingest --reextract``).

The ledger tables are derived data: their new columns are filled when the ledger is next updated
(its rules version changed with this revision, so the update rebuilds them).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_COUNTS = (("from_place", sa.JSON(none_as_null=True)), ("to_place", sa.JSON(none_as_null=True)),
           ("heading", sa.JSON(none_as_null=True)), ("from_country", sa.String(length=8)),
           ("to_country", sa.String(length=8)), ("heading_country", sa.String(length=8)),
           ("place_country", sa.String(length=8)))
_ENDS = ("from_country", "from_label", "to_country", "to_label", "heading_country", "heading_label")
_FLOWS = (("directed", sa.Boolean()), ("from_key", sa.String(length=64)), ("from_label", sa.Text()),
          ("to_key", sa.String(length=64)), ("to_label", sa.Text()), ("where_key", sa.String(length=64)),
          ("where_label", sa.Text()), ("heading_key", sa.String(length=64)), ("heading_label", sa.Text()))


def _end_columns() -> list[sa.Column]:
    return [sa.Column(n, sa.String(length=8) if n.endswith("country") else sa.Text(), nullable=True) for n in _ENDS]


def upgrade() -> None:
    with op.batch_alter_table("counts") as batch:
        for name, type_ in _COUNTS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.create_index(op.f("ix_counts_from_country"), ["from_country"], unique=False)
        batch.create_index(op.f("ix_counts_to_country"), ["to_country"], unique=False)
    for table in ("ledger_claims", "ledger_citations"):
        with op.batch_alter_table(table) as batch:
            for col in _end_columns():
                batch.add_column(col)
    with op.batch_alter_table("ledger_flows") as batch:
        for name, type_ in _FLOWS:
            batch.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ledger_flows") as batch:
        for name, _ in reversed(_FLOWS):
            batch.drop_column(name)
    for table in ("ledger_citations", "ledger_claims"):
        with op.batch_alter_table(table) as batch:
            for name in reversed(_ENDS):
                batch.drop_column(name)
    with op.batch_alter_table("counts") as batch:
        batch.drop_index(op.f("ix_counts_to_country"))
        batch.drop_index(op.f("ix_counts_from_country"))
        for name, _ in reversed(_COUNTS):
            batch.drop_column(name)

"""The ledger's near-duplicate index in the database: one row per LSH band of each article.

``ledger.update`` used to rebuild a MinHash LSH index of every stored signature in memory on each
update, so its memory grew with the corpus.  ``ledger_lsh`` keeps the band keys (``dupes.band_keys``)
instead: a new article's candidates are the articles sharing one of its band keys (an indexed
lookup), and an update holds only the articles it is working on.

Derived data, like the other ledger tables: the next update fills it (the ledger version changes
with this revision, so the first update after the upgrade rebuilds the ledger).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ledger_lsh',
    sa.Column('key', sa.BigInteger(), nullable=False),
    sa.Column('article_id', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('key', 'article_id', name=op.f('pk_ledger_lsh')),
    sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table('ledger_lsh')

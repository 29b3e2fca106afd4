"""Which part of the attribution component found a quote: ``quotes.method`` (``rules`` or ``learned``).

Quotes stored before this revision were all found by rules (``sourcebook_attribution_v1`` had no learned
part): the column stays NULL for them and reads as ``rules``.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quotes") as batch:
        batch.add_column(sa.Column("method", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("quotes") as batch:
        batch.drop_column("method")

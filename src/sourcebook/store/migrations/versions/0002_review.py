"""Review: a log of every accept/correct/reject (who, when, before, after) and each item's current state.

``reviews`` is append-only: one row per decision on a source, quote or figure (``kind`` =
``source`` | ``quote`` | ``count``), with the reviewer, the time, and the item's effective values
before and after (JSON).  ``review_state`` holds, per reviewed item, the decision in force and the
item's complete effective values in typed columns, so that queries can use them
(``CASE WHEN review_state row THEN its value ELSE the extracted value``).  A state row applies only
while the item still has the span it had when it was reviewed (``start_char``/``end_char``): a
re-extraction that renumbers the items does not carry a decision over to another item.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("article_id", sa.String(16), nullable=False),
        sa.Column("item_id", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("reviewer", sa.String(255), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
        sa.Column("note", sa.Text),
        sa.Column("article_hash", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
    )
    op.create_index("ix_reviews_article_id_kind_item_id", "reviews", ["article_id", "kind", "item_id"])
    op.create_index("ix_reviews_at", "reviews", ["at"])

    op.create_table(
        "review_state",
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("article_id", sa.String(16), nullable=False),
        sa.Column("item_id", sa.String(16), nullable=False),
        sa.Column("start_char", sa.Integer),
        sa.Column("end_char", sa.Integer),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("review_id", sa.Integer, nullable=False),
        sa.Column("reviewer", sa.String(255), nullable=False),
        sa.Column("reviewed_at", TS, nullable=False),
        sa.Column("source_id", sa.String(16)),
        sa.Column("type", sa.String(32)),
        sa.Column("low", sa.BigInteger),
        sa.Column("high", sa.BigInteger),
        sa.Column("status", sa.String(32)),
        sa.Column("origin", sa.String(8)),
        sa.Column("counted", sa.Text),
        sa.Column("name", sa.Text),
        sa.Column("role", sa.Text),
        sa.Column("affiliation", sa.Text),
        sa.Column("anonymous", sa.Boolean),
        sa.PrimaryKeyConstraint("kind", "article_id", "item_id", name="pk_review_state"),
    )
    op.create_index("ix_review_state_article_id", "review_state", ["article_id"])
    op.create_index("ix_review_state_decision", "review_state", ["decision"])


def downgrade() -> None:
    op.drop_table("review_state")
    op.drop_table("reviews")

"""Reviewed articles and items reviewers add: the review loop (docs/review-loop.md).

``article_review``: one row per article a reviewer marked "reviewed: all items checked" (who, when,
the ``reviews`` row that did it, the article's hash then); the mark is removed by reopening the
article.  ``review_added``: quotes, figures and sources a reviewer added by selecting their text in
the article (kind, offsets into the article text, the text, the values given, who, when).  Both are
state overlays like ``review_state``: every change is also a row of the append-only ``reviews`` log
(kind ``article`` with action ``complete`` / ``reopen``; action ``add`` / ``remove`` on an item).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_review",
        sa.Column("article_id", sa.String(16), primary_key=True),
        sa.Column("review_id", sa.Integer, nullable=False),
        sa.Column("reviewer", sa.String(255), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("article_hash", sa.String(64)),
    )
    op.create_table(
        "review_added",
        sa.Column("article_id", sa.String(16), primary_key=True),
        sa.Column("item_id", sa.String(16), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("review_id", sa.Integer, nullable=False),
        sa.Column("reviewer", sa.String(255), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("article_hash", sa.String(64)),
    )
    op.create_index("ix_review_added_kind", "review_added", ["kind"])


def downgrade() -> None:
    op.drop_index("ix_review_added_kind", table_name="review_added")
    op.drop_table("review_added")
    op.drop_table("article_review")

"""The researcher's workflow: where each article's date came from, review of events, places and
dates, and indexes for the web UI at scale.

* ``articles.published_source``: where ``published`` came from (``cli``, ``metadata-file``,
  ``html-meta``, ``jsonl-field``, ``parquet-field``, ``dateline``, ``none``; ``read.metadata``).
  Articles stored before this revision keep NULL (not recorded).
* ``review_state`` gets the columns of the values a review of an event, a place or a date may
  correct (``review.FIELDS``): ``actor``, ``recipient``, ``country``, ``lat``, ``lon``,
  ``from_date``, ``to_date``, ``precision`` (``type`` and ``name`` are shared with the other kinds).
* Indexes the web pages' orderings use (newest articles first, then the article's items).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_STATE_COLUMNS = (
    ("actor", sa.Text()), ("recipient", sa.Text()), ("country", sa.String(8)), ("lat", sa.Float()),
    ("lon", sa.Float()), ("from_date", sa.Date()), ("to_date", sa.Date()), ("precision", sa.String(16)),
)
_INDEXES = (
    ("ix_articles_published_id", "articles", ["published", "id"]),
    ("ix_articles_outlet_published_id", "articles", ["outlet", "published", "id"]),
    ("ix_events_article_id_start_char", "events", ["article_id", "start_char"]),
    ("ix_places_article_id_start_char", "places", ["article_id", "start_char"]),
    ("ix_dates_article_id_start_char", "dates", ["article_id", "start_char"]),
    ("ix_counts_article_id_start_char", "counts", ["article_id", "start_char"]),
    ("ix_places_name", "places", ["name"]),
    ("ix_review_state_kind_decision", "review_state", ["kind", "decision"]),
)


def upgrade() -> None:
    op.add_column("articles", sa.Column("published_source", sa.String(16), nullable=True))
    for name, type_ in _STATE_COLUMNS:
        op.add_column("review_state", sa.Column(name, type_, nullable=True))
    for name, table, cols in _INDEXES:
        op.create_index(name, table, cols)


def downgrade() -> None:
    for name, table, _ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("review_state") as batch:
        for name, _ in reversed(_STATE_COLUMNS):
            batch.drop_column(name)
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("published_source")

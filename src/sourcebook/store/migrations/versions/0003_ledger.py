"""The ledger: near-duplicate articles, claims and their citations, series, flows, ledger state.

Derived data: ``sourcebook.ledger`` fills these tables from articles, counts, sources and quotes
(with review corrections applied) and recomputes what changes when articles arrive, are
re-extracted, deleted or reviewed.  Dropping them loses nothing that cannot be recomputed.

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("ledger_state", "ledger_flows", "ledger_series_months", "ledger_series", "ledger_duplicates",
          "ledger_claims", "ledger_citations", "ledger_articles")


def upgrade() -> None:
    op.create_table('ledger_articles',
    sa.Column('article_id', sa.String(length=16), nullable=False),
    sa.Column('extracted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('outlet', sa.String(length=255), nullable=True),
    sa.Column('n_shingles', sa.Integer(), nullable=False),
    sa.Column('minhash', sa.Text(), nullable=False),
    sa.Column('canonical_id', sa.String(length=16), nullable=False),
    sa.Column('similarity', sa.Float(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_ledger_articles'))
    )
    op.create_index(op.f('ix_ledger_articles_canonical_id'), 'ledger_articles', ['canonical_id'], unique=False)
    op.create_table('ledger_citations',
    sa.Column('article_id', sa.String(length=16), nullable=False),
    sa.Column('count_id', sa.String(length=16), nullable=False),
    sa.Column('claim_id', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=16), nullable=False),
    sa.Column('block', sa.Text(), nullable=False),
    sa.Column('canonical_id', sa.String(length=16), nullable=False),
    sa.Column('copy_of', sa.String(length=16), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('outlet', sa.String(length=255), nullable=True),
    sa.Column('source_id', sa.String(length=16), nullable=False),
    sa.Column('source_kind', sa.String(length=16), nullable=False),
    sa.Column('source_label', sa.Text(), nullable=False),
    sa.Column('source_block', sa.Text(), nullable=False),
    sa.Column('source_tokens', sa.Text(), nullable=False),
    sa.Column('low', sa.BigInteger(), nullable=True),
    sa.Column('high', sa.BigInteger(), nullable=True),
    sa.Column('number', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('counted', sa.Text(), nullable=True),
    sa.Column('group_key', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('origin', sa.String(length=8), nullable=True),
    sa.Column('place_key', sa.Text(), nullable=True),
    sa.Column('place_label', sa.Text(), nullable=True),
    sa.Column('place_country', sa.String(length=8), nullable=True),
    sa.Column('time_from', sa.String(length=32), nullable=True),
    sa.Column('time_to', sa.String(length=32), nullable=True),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('start_char', sa.Integer(), nullable=False),
    sa.Column('end_char', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('article_id', 'count_id', name=op.f('pk_ledger_citations'))
    )
    op.create_index(op.f('ix_ledger_citations_block'), 'ledger_citations', ['block'], unique=False)
    op.create_index(op.f('ix_ledger_citations_claim_id'), 'ledger_citations', ['claim_id'], unique=False)
    op.create_table('ledger_claims',
    sa.Column('claim_id', sa.String(length=16), nullable=False),
    sa.Column('block', sa.Text(), nullable=False),
    sa.Column('series_id', sa.String(length=16), nullable=False),
    sa.Column('flow_id', sa.String(length=16), nullable=True),
    sa.Column('source_kind', sa.String(length=16), nullable=False),
    sa.Column('source_label', sa.Text(), nullable=False),
    sa.Column('low', sa.BigInteger(), nullable=True),
    sa.Column('high', sa.BigInteger(), nullable=True),
    sa.Column('number', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('counted', sa.Text(), nullable=True),
    sa.Column('group_key', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('origin', sa.String(length=8), nullable=True),
    sa.Column('place_key', sa.Text(), nullable=True),
    sa.Column('place_label', sa.Text(), nullable=True),
    sa.Column('place_country', sa.String(length=8), nullable=True),
    sa.Column('time_from', sa.String(length=32), nullable=True),
    sa.Column('time_to', sa.String(length=32), nullable=True),
    sa.Column('claim_date', sa.String(length=32), nullable=True),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('first_article_id', sa.String(length=16), nullable=False),
    sa.Column('first_count_id', sa.String(length=16), nullable=False),
    sa.Column('first_published', sa.Date(), nullable=True),
    sa.Column('first_outlet', sa.String(length=255), nullable=True),
    sa.Column('last_published', sa.Date(), nullable=True),
    sa.Column('n_citations', sa.Integer(), nullable=False),
    sa.Column('n_articles', sa.Integer(), nullable=False),
    sa.Column('n_reports', sa.Integer(), nullable=False),
    sa.Column('n_outlets', sa.Integer(), nullable=False),
    sa.Column('n_copies', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('claim_id', name=op.f('pk_ledger_claims'))
    )
    op.create_index(op.f('ix_ledger_claims_block'), 'ledger_claims', ['block'], unique=False)
    op.create_index(op.f('ix_ledger_claims_flow_id'), 'ledger_claims', ['flow_id'], unique=False)
    op.create_index(op.f('ix_ledger_claims_series_id'), 'ledger_claims', ['series_id'], unique=False)
    op.create_table('ledger_duplicates',
    sa.Column('article_id', sa.String(length=16), nullable=False),
    sa.Column('other_id', sa.String(length=16), nullable=False),
    sa.Column('similarity', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('article_id', 'other_id', name=op.f('pk_ledger_duplicates'))
    )
    op.create_index(op.f('ix_ledger_duplicates_other_id'), 'ledger_duplicates', ['other_id'], unique=False)
    op.create_table('ledger_flows',
    sa.Column('flow_id', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('origin', sa.String(length=8), nullable=False),
    sa.Column('destination', sa.String(length=64), nullable=False),
    sa.Column('destination_label', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('n_claims', sa.Integer(), nullable=False),
    sa.Column('n_citations', sa.Integer(), nullable=False),
    sa.Column('min_low', sa.BigInteger(), nullable=True),
    sa.Column('max_high', sa.BigInteger(), nullable=True),
    sa.Column('claim_ids', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('flow_id', name=op.f('pk_ledger_flows'))
    )
    op.create_table('ledger_series',
    sa.Column('series_id', sa.String(length=16), nullable=False),
    sa.Column('group_key', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('origin', sa.String(length=8), nullable=True),
    sa.Column('place_key', sa.Text(), nullable=True),
    sa.Column('place_label', sa.Text(), nullable=True),
    sa.Column('n_claims', sa.Integer(), nullable=False),
    sa.Column('n_citations', sa.Integer(), nullable=False),
    sa.Column('n_named', sa.Integer(), nullable=False),
    sa.Column('n_anonymous', sa.Integer(), nullable=False),
    sa.Column('n_reporter', sa.Integer(), nullable=False),
    sa.Column('first_date', sa.String(length=32), nullable=True),
    sa.Column('last_date', sa.String(length=32), nullable=True),
    sa.Column('min_low', sa.BigInteger(), nullable=True),
    sa.Column('max_high', sa.BigInteger(), nullable=True),
    sa.Column('n_conflicting_months', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('series_id', name=op.f('pk_ledger_series'))
    )
    op.create_table('ledger_series_months',
    sa.Column('series_id', sa.String(length=16), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('min_low', sa.BigInteger(), nullable=True),
    sa.Column('max_high', sa.BigInteger(), nullable=True),
    sa.Column('n_claims', sa.Integer(), nullable=False),
    sa.Column('conflicting', sa.Boolean(), nullable=False),
    sa.Column('claim_ids', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('series_id', 'month', name=op.f('pk_ledger_series_months'))
    )
    op.create_table('ledger_state',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_ledger_state'))
    )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)

"""The first schema: articles, sources, source mentions, quotes, counts, runs, skipped; full text.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "extraction_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("sourcebook_version", sa.String(32)),
        sa.Column("model", sa.String(128)),
        sa.Column("extractors", sa.JSON, nullable=False),
        sa.Column("inputs", sa.JSON),
        sa.Column("workers", sa.Integer, nullable=False, server_default="1"),
        sa.Column("reextract", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("n_documents", sa.Integer, nullable=False, server_default="0"),
        sa.Column("n_ingested", sa.Integer, nullable=False, server_default="0"),
        sa.Column("n_unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("n_reextracted", sa.Integer, nullable=False, server_default="0"),
        sa.Column("n_skipped", sa.Integer, nullable=False, server_default="0"),
        sa.Column("read_seconds", sa.Float),
        sa.Column("extract_seconds", sa.Float),
        sa.Column("store_seconds", sa.Float),
        sa.Column("total_seconds", sa.Float),
        sa.PrimaryKeyConstraint("id", name="pk_extraction_runs"),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("n_chars", sa.Integer, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.String(255)),
        sa.Column("published", sa.Date),
        sa.Column("language", sa.String(16)),
        sa.Column("origin", sa.Text),
        sa.Column("extractors", sa.JSON, nullable=False),
        sa.Column("model", sa.String(128)),
        sa.Column("warnings", sa.JSON, nullable=False),
        sa.Column("extra", sa.JSON, nullable=False),
        sa.Column("n_sources", sa.Integer, nullable=False),
        sa.Column("n_mentions", sa.Integer, nullable=False),
        sa.Column("n_quotes", sa.Integer, nullable=False),
        sa.Column("n_counts", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("ingested_at", TS, nullable=False),
        sa.Column("extracted_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.ForeignKeyConstraint(["run_id"], ["extraction_runs.id"], name="fk_articles_run_id_extraction_runs"),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    op.create_index("ix_articles_hash", "articles", ["hash"])

    op.create_table(
        "sources",
        sa.Column("article_id", sa.String(16), nullable=False),
        sa.Column("source_id", sa.String(16), nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("mention", sa.Text, nullable=False),
        sa.Column("head", sa.Text),
        sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("role", sa.Text),
        sa.Column("affiliation", sa.Text),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("start_char", sa.Integer),
        sa.Column("end_char", sa.Integer),
        sa.Column("anonymity_reason", sa.Text),
        sa.Column("anonymity_reason_start", sa.Integer),
        sa.Column("anonymity_reason_end", sa.Integer),
        sa.Column("n_mentions", sa.Integer, nullable=False),
        sa.Column("n_quotes", sa.Integer, nullable=False),
        sa.Column("n_counts", sa.Integer, nullable=False),
        sa.Column("extractor", sa.String(64), nullable=False),
        sa.Column("extractor_version", sa.String(32)),
        sa.PrimaryKeyConstraint("article_id", "source_id", name="pk_sources"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name="fk_sources_article_id_articles",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_sources_name", "sources", ["name"])
    op.create_index("ix_sources_anonymous", "sources", ["anonymous"])

    op.create_table(
        "source_mentions",
        sa.Column("article_id", sa.String(16), nullable=False),
        sa.Column("source_id", sa.String(16), nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("extractor", sa.String(64), nullable=False),
        sa.Column("extractor_version", sa.String(32)),
        sa.PrimaryKeyConstraint("article_id", "source_id", "n", name="pk_source_mentions"),
        sa.ForeignKeyConstraint(["article_id", "source_id"], ["sources.article_id", "sources.source_id"],
                                name="fk_source_mentions_article_id_sources", ondelete="CASCADE"),
    )

    op.create_table(
        "quotes",
        sa.Column("article_id", sa.String(16), nullable=False),
        sa.Column("quote_id", sa.String(16), nullable=False),
        sa.Column("source_id", sa.String(16), nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("cue", sa.Text),
        sa.Column("cue_start", sa.Integer),
        sa.Column("cue_end", sa.Integer),
        sa.Column("confidence", sa.Float),
        sa.Column("extractor", sa.String(64), nullable=False),
        sa.Column("extractor_version", sa.String(32)),
        sa.PrimaryKeyConstraint("article_id", "quote_id", name="pk_quotes"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name="fk_quotes_article_id_articles",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_quotes_article_id_source_id", "quotes", ["article_id", "source_id"])

    op.create_table(
        "counts",
        sa.Column("article_id", sa.String(16), nullable=False),
        sa.Column("count_id", sa.String(16), nullable=False),
        sa.Column("source_id", sa.String(16), nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("number", sa.Text, nullable=False),
        sa.Column("low", sa.BigInteger),
        sa.Column("high", sa.BigInteger),
        sa.Column("approximate", sa.Boolean, nullable=False),
        sa.Column("counted", sa.Text),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("origin", sa.String(8)),
        sa.Column("place", sa.JSON),
        sa.Column("time", sa.JSON),
        sa.Column("time_from", sa.String(32)),
        sa.Column("time_to", sa.String(32)),
        sa.Column("extractor", sa.String(64), nullable=False),
        sa.Column("extractor_version", sa.String(32)),
        sa.PrimaryKeyConstraint("article_id", "count_id", name="pk_counts"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name="fk_counts_article_id_articles",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_counts_status", "counts", ["status"])
    op.create_index("ix_counts_origin", "counts", ["origin"])

    op.create_table(
        "skipped",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_skipped"),
        sa.ForeignKeyConstraint(["run_id"], ["extraction_runs.id"], name="fk_skipped_run_id_extraction_runs",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_skipped_run_id", "skipped", ["run_id"])
    op.create_index("ix_skipped_reason", "skipped", ["reason"])

    # Full text: FTS5 tables on SQLite (filled by the store in the same transaction as the rows),
    # GIN expression indexes on PostgreSQL (the store's search queries use the same expressions).
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        tokenize = "tokenize = 'porter unicode61 remove_diacritics 2'"
        op.execute(f"CREATE VIRTUAL TABLE articles_fts USING fts5(article_id UNINDEXED, title, text, {tokenize})")
        op.execute(
            f"CREATE VIRTUAL TABLE quotes_fts USING fts5(article_id UNINDEXED, quote_id UNINDEXED, text, {tokenize})"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_articles_fts ON articles USING gin "
            "(to_tsvector('english', coalesce(title, '') || ' ' || text))"
        )
        op.execute("CREATE INDEX ix_quotes_fts ON quotes USING gin (to_tsvector('english', text))")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS quotes_fts")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for table in ("skipped", "counts", "quotes", "source_mentions", "sources", "articles", "extraction_runs"):
        op.drop_table(table)
